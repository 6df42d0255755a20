//! All binary encoding lives here, so that replacing bincode is a change to one file.
//!
//! bincode is not self-describing (DESIGN.md, "Storage"): every stored value is wrapped in a
//! versioned envelope, `Stored::V1(value)`, `Stored::V2(value)` or `Stored::V3(value)`, encoded as a variant tag
//! followed by the value; decoding refuses trailing bytes, so a value that decodes with bytes
//! left over is the wrong shape, not a success. Values of every version keep decoding, without
//! a rewrite of the database: while a value is decoded, its envelope's version is known on the
//! thread ([`decoding_version`]), and only a type whose shape changed reads it — a `Date`
//! (exact days in version 1, spans in 2) or a field added in version 2 or 3 ([`since_v2`],
//! [`since_v3`]) — so that
//! the records, audit entries and messages that contain them need no old copies of their own.
//! A new version appends a variant (`V4`); the tags of the old ones never change.

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

/// The envelope version this build writes.
pub const CURRENT: u8 = 3;

/// Version 1: dates were exact days (`i32`); records had no `source`, vouchers no
/// `participants`. Version 2: a date is a span of days (`model::Date`), and those fields exist.
/// Version 3: a meeting's attendee may be a stakeholder or a member on record
/// (`Attendee::stakeholder`, `Attendee::member`).
#[derive(Serialize)]
enum StoredRef<'a, T> {
    V1(&'a T),
    V2(&'a T),
    V3(&'a T),
}

#[derive(Deserialize)]
enum Stored<T> {
    V1(T),
    V2(T),
    V3(T),
}

thread_local! {
    /// The envelope version of the value being decoded on this thread. A type whose shape
    /// changed reads it ([`decoding_version`]) to decode an older shape, so that only that type
    /// keeps its old shape, and not every type that contains it.
    static DECODING: std::cell::Cell<u8> = const { std::cell::Cell::new(CURRENT) };
}

/// The envelope version of the value being decoded (the current one outside a decode).
pub fn decoding_version() -> u8 {
    DECODING.with(|v| v.get())
}

/// For a field added in envelope version 2 (`#[serde(default, deserialize_with =
/// "codec::since_v2")]`): a value of version 1 has no bytes for it, so nothing is read and the
/// field takes its default. Text formats (JSON) read it as usual.
pub fn since_v2<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    if !d.is_human_readable() && decoding_version() < 2 {
        return Ok(T::default());
    }
    T::deserialize(d)
}

/// For a field added in envelope version 3: as [`since_v2`], for values of versions 1 and 2.
pub fn since_v3<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    if !d.is_human_readable() && decoding_version() < 3 {
        return Ok(T::default());
    }
    T::deserialize(d)
}

/// Encodes a value inside the current envelope.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(StoredRef::V3(value), cfg())
        .expect("encoding plain data into a Vec cannot fail")
}

/// Encodes a value in the version-1 envelope, as a build before version 2 wrote it. Only for
/// values whose shape did not change (no `Date`, no field added since): the handshake between
/// client and server, so that builds on either side of a version still read each other's
/// "use the same version" refusal, and tests of old databases.
pub fn encode_v1<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(StoredRef::V1(value), cfg()).expect("plain data")
}

/// Encodes a value in the version-2 envelope, as a build before version 3 wrote it: for tests
/// of old databases, with values of the shape that build had.
pub fn encode_v2<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(StoredRef::V2(value), cfg()).expect("plain data")
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
    // The variant tag is the first byte (a varint below 251 is one byte).
    let version = match bytes.first() {
        Some(0) => 1,
        Some(1) => 2,
        _ => CURRENT,
    };
    let previous = DECODING.with(|v| v.replace(version));
    let decoded: Result<(Stored<T>, usize), _> = bincode::serde::decode_from_slice(bytes, config);
    DECODING.with(|v| v.set(previous));
    let (value, used) = decoded.map_err(|e| format!("cannot decode: {e}"))?;
    if used != bytes.len() {
        return Err(format!(
            "{} bytes left over after the value: the value has another shape",
            bytes.len() - used
        ));
    }
    match value {
        Stored::V1(v) | Stored::V2(v) | Stored::V3(v) => Ok(v),
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
