//! All binary encoding lives here, so that replacing bincode is a change to one file.
//!
//! bincode is not self-describing (DESIGN.md, "Storage"): every stored value is wrapped in a
//! versioned envelope, `Stored::V1(value)`, encoded as a variant tag followed by the value. When a
//! stored type changes, the old shape is kept as a type of its own and a new variant is appended
//! (`V2`), with its migration in `store::migrate`; the tag of `V1` stays 0, so bytes written
//! today keep decoding. Decoding refuses trailing bytes: a value that decodes with bytes left
//! over is the wrong shape, not a success.

use bincode::config::{self, Configuration, Limit, LittleEndian, Varint};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The largest value the store will decode (a guard against garbage lengths).
const MAX_VALUE: usize = 16 * 1024 * 1024;
/// The most a message between server and client may claim while decoding: what its strings and
/// lists hold in memory, which for an import can be twice its encoded size (frames are at most
/// 128 MiB; see `server::protocol::MAX_FRAME`).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

fn cfg() -> Configuration<LittleEndian, Varint, Limit<MAX_VALUE>> {
    config::standard().with_limit::<MAX_VALUE>()
}

#[derive(Serialize)]
enum StoredRef<'a, T> {
    V1(&'a T),
}

#[derive(Deserialize)]
enum Stored<T> {
    V1(T),
}

/// Encodes a value inside the current envelope.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(StoredRef::V1(value), cfg())
        .expect("encoding plain data into a Vec cannot fail")
}

/// Decodes an enveloped value, checking that every byte was used.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    decode_within::<T, MAX_VALUE>(bytes)
}

/// Decodes a message between server and client (see [`decode`]), which may be larger than any
/// stored value: an import of many records.
pub fn decode_message<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    decode_within::<T, MAX_MESSAGE>(bytes)
}

fn decode_within<T: DeserializeOwned, const LIMIT: usize>(bytes: &[u8]) -> Result<T, String> {
    let config = config::standard().with_limit::<LIMIT>();
    let (value, used): (Stored<T>, usize) = bincode::serde::decode_from_slice(bytes, config)
        .map_err(|e| format!("cannot decode: {e}"))?;
    if used != bytes.len() {
        return Err(format!(
            "{} bytes left over after the value: the value has another shape",
            bytes.len() - used
        ));
    }
    match value {
        Stored::V1(v) => Ok(v),
    }
}

/// The encoded size of a value, for measurements.
pub fn encoded_len<T: Serialize>(value: &T) -> usize {
    encode(value).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn trailing_bytes_and_other_shapes_are_refused() {
        let date = Date::parse("2016-05-18").unwrap();
        let mut bytes = encode(&date);
        assert_eq!(decode::<Date>(&bytes), Ok(date));
        bytes.push(0);
        assert!(decode::<Date>(&bytes).unwrap_err().contains("left over"));
        let text = encode(&"Klaipėda".to_string());
        assert!(decode::<u64>(&text).is_err());
        assert!(decode::<String>(&[9, 9, 9]).is_err());
    }
}
