//! `Prose`: a long free text (a practice's description, its evidence…) kept deflated.
//!
//! A practice carries about 3 KB of prose in six fields, so with 100k records the texts were half
//! of everything a workbench held in memory. They are read a record at a time (the detail pane,
//! a form, an export) and written rarely, so they are kept deflated from the moment they are
//! typed or imported: in memory, in the store and on the wire, at about half their size.
//!
//! In files (JSON, and any human-readable format) a `Prose` is a plain string. In the binary
//! codec it is a byte string whose bytes are either the UTF-8 text itself or the marker `0xFF`
//! (a byte no UTF-8 text holds) followed by the zlib stream (deflate with a checksum, so that a
//! damaged value is reported rather than read as other words). A byte string is encoded like
//! a string (length, then bytes), so values stored as `String` before this type existed decode
//! unchanged, as plain prose.
//!
//! A workbench keeps its copy of the records without these texts (`Prose::elided`, a third
//! form): at a million records they were a third of its memory, and it shows one record's
//! texts at a time, read from the store or the server when it shows them. An elided text is
//! never written: the store takes it from the stored record the change is based on, or refuses
//! the change (`Record::fill_texts_from`), and no file format can hold one.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Shorter texts are kept as they are: deflate saves little on them.
const MIN_DEFLATED: usize = 192;
/// The byte that marks deflated prose; it never occurs in UTF-8.
const DEFLATED: u8 = 0xFF;
/// The one byte of a text left out of a copy of the records; it never occurs in UTF-8 either.
const ELIDED: u8 = 0xFE;
/// The longest text inflated (a guard against a damaged stream; no field holds more).
const MAX_TEXT: usize = 16 * 1024 * 1024;

#[derive(Clone, Default)]
pub struct Prose(Repr);

#[derive(Clone)]
enum Repr {
    Plain(Box<str>),
    /// `DEFLATED`, then the zlib stream.
    Deflated(Box<[u8]>),
    /// Left out of this copy of the record: the text is in the store.
    Elided,
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Plain(Box::from(""))
    }
}

impl Prose {
    /// Keeps `text`, deflated when that makes it at least an eighth smaller.
    pub fn new(text: &str) -> Prose {
        if (MIN_DEFLATED..=MAX_TEXT).contains(&text.len()) {
            let stream = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 1);
            if stream.len() + 1 < text.len() - text.len() / 8 {
                let mut bytes = Vec::with_capacity(stream.len() + 1);
                bytes.push(DEFLATED);
                bytes.extend_from_slice(&stream);
                return Prose(Repr::Deflated(bytes.into_boxed_slice()));
            }
        }
        Prose(Repr::Plain(Box::from(text)))
    }

    /// The text. A stream that does not inflate (a damaged value) reads as a notice saying so,
    /// and `taskforce check` reports it.
    pub fn text(&self) -> Cow<'_, str> {
        if self.is_elided() {
            // Shown only if a view forgot to read the record's texts first; never saved (see
            // the module's doc).
            return Cow::Borrowed("…");
        }
        match self.try_text() {
            Ok(text) => text,
            Err(e) => Cow::Owned(format!("[this text is damaged in the database: {e}]")),
        }
    }

    /// A text left out of a copy of the records (see the module's doc).
    pub fn elided() -> Prose {
        Prose(Repr::Elided)
    }

    /// Whether the text was left out of this copy of the record.
    pub fn is_elided(&self) -> bool {
        matches!(self.0, Repr::Elided)
    }

    /// The text, or what is wrong with its stored form.
    pub fn try_text(&self) -> Result<Cow<'_, str>, String> {
        match &self.0 {
            Repr::Elided => Err("this text has not been read from the database".into()),
            Repr::Plain(text) => Ok(Cow::Borrowed(text)),
            Repr::Deflated(bytes) => {
                let raw =
                    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes[1..], MAX_TEXT)
                        .map_err(|e| {
                            format!("the deflated text does not inflate ({:?})", e.status)
                        })?;
                String::from_utf8(raw)
                    .map(Cow::Owned)
                    .map_err(|_| "the inflated text is not UTF-8".to_string())
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(&self.0, Repr::Plain(text) if text.is_empty())
    }

    /// Whether the text is kept deflated.
    pub fn is_deflated(&self) -> bool {
        matches!(self.0, Repr::Deflated(_))
    }

    /// The same text, deflated if it is long enough to gain (prose decoded from values stored
    /// before texts were deflated).
    pub fn compacted(&self) -> Prose {
        match &self.0 {
            Repr::Plain(text) => Prose::new(text),
            Repr::Deflated(_) | Repr::Elided => self.clone(),
        }
    }

    /// The bytes of the binary form.
    fn stored(&self) -> &[u8] {
        match &self.0 {
            Repr::Plain(text) => text.as_bytes(),
            Repr::Deflated(bytes) => bytes,
            Repr::Elided => &[ELIDED],
        }
    }

    fn from_stored(bytes: Vec<u8>) -> Result<Prose, String> {
        if bytes == [ELIDED] {
            return Ok(Prose(Repr::Elided));
        }
        if bytes.first() == Some(&DEFLATED) {
            return Ok(Prose(Repr::Deflated(bytes.into_boxed_slice())));
        }
        String::from_utf8(bytes)
            .map(|text| Prose(Repr::Plain(text.into_boxed_str())))
            .map_err(|_| "a text is neither UTF-8 nor deflated".to_string())
    }
}

impl From<&str> for Prose {
    fn from(text: &str) -> Prose {
        Prose::new(text)
    }
}

impl From<String> for Prose {
    fn from(text: String) -> Prose {
        if text.len() < MIN_DEFLATED {
            return Prose(Repr::Plain(text.into_boxed_str()));
        }
        Prose::new(&text)
    }
}

impl From<&String> for Prose {
    fn from(text: &String) -> Prose {
        Prose::new(text)
    }
}

impl PartialEq for Prose {
    fn eq(&self, other: &Prose) -> bool {
        match (&self.0, &other.0) {
            (Repr::Plain(a), Repr::Plain(b)) => a == b,
            // The same text deflates to the same bytes, but either side may be kept plain.
            _ => self.stored() == other.stored() || self.text() == other.text(),
        }
    }
}

impl Eq for Prose {}

impl PartialEq<str> for Prose {
    fn eq(&self, other: &str) -> bool {
        self.text() == other
    }
}

impl PartialEq<&str> for Prose {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

impl fmt::Debug for Prose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text(), f)
    }
}

impl fmt::Display for Prose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for Prose {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            // A text that was not read is not written as anything else: a file made from a
            // copy without its texts fails rather than saying they are empty.
            if self.is_elided() {
                return Err(serde::ser::Error::custom(
                    "a long text was not read from the database before writing this record out",
                ));
            }
            // A damaged text reads as its notice here too (exports and lists show it); forms
            // and normalisation refuse such a record (`Record::damaged_text`), so the notice is
            // never saved over it.
            s.serialize_str(&self.text())
        } else {
            s.serialize_bytes(self.stored())
        }
    }
}

impl<'de> Deserialize<'de> for Prose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Prose, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Prose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Prose, E> {
                Ok(Prose::new(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Prose, E> {
                Ok(Prose::from(v))
            }
        }
        struct Stored;
        impl<'de> Visitor<'de> for Stored {
            type Value = Prose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a stored text")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Prose, E> {
                Prose::from_stored(v.to_vec()).map_err(E::custom)
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Prose, E> {
                Prose::from_stored(v).map_err(E::custom)
            }
        }
        if d.is_human_readable() {
            d.deserialize_string(Text)
        } else {
            d.deserialize_byte_buf(Stored)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec;

    fn long() -> String {
        "Small companies told the partnership that the hardest part of internationalisation \
         is not the first order but finding reliable information, partners and advice at the \
         right moment; the voucher pays for it. "
            .repeat(8)
    }

    #[test]
    fn long_text_is_deflated_and_reads_back_whole() {
        let text = long();
        let prose = Prose::from(text.clone());
        assert!(prose.is_deflated());
        assert!(
            prose.stored().len() < text.len() / 2,
            "{}",
            prose.stored().len()
        );
        assert_eq!(prose.text(), text);
        let short = Prose::from("Klaipėda");
        assert!(!short.is_deflated());
        assert_eq!(short.text(), "Klaipėda");
    }

    #[test]
    fn an_elided_text_travels_in_the_binary_form_and_is_never_written_to_a_file() {
        let elided = Prose::elided();
        let back: Prose = codec::decode(&codec::encode(&elided)).unwrap();
        assert!(back.is_elided());
        assert!(!back.is_empty());
        assert!(back.try_text().is_err());
        assert!(serde_json::to_string(&elided).is_err());
        // A text that is the marker byte's neighbour is still a text.
        let plain: Prose = codec::decode(&codec::encode(&Prose::from("\u{FE}"))).unwrap();
        assert_eq!(plain.text(), "\u{FE}");
    }

    #[test]
    fn a_value_stored_as_a_string_decodes_as_prose() {
        let text = long();
        let old = codec::encode(&text);
        let prose: Prose = codec::decode(&old).unwrap();
        assert_eq!(prose.text(), text);
        assert!(!prose.is_deflated(), "kept as stored until compacted");
        assert!(prose.compacted().is_deflated());
        assert_eq!(prose.compacted(), prose);
        let new = codec::encode(&Prose::from(text.clone()));
        assert!(new.len() < old.len() / 2);
        assert_eq!(codec::decode::<Prose>(&new).unwrap().text(), text);
    }

    #[test]
    fn files_hold_plain_text() {
        let text = long();
        let json = serde_json::to_string(&Prose::from(text.clone())).unwrap();
        assert_eq!(json, serde_json::to_string(&text).unwrap());
        let back: Prose = serde_json::from_str(&json).unwrap();
        assert!(back.is_deflated());
        assert_eq!(back.text(), text);
    }

    #[test]
    fn damage_is_reported_not_hidden() {
        let bad: Vec<u8> = vec![DEFLATED, 0x12, 0x34, 0x56];
        let prose: Prose = codec::decode(&codec::encode(&serde_bytes(&bad))).unwrap();
        assert!(prose.try_text().is_err());
        assert!(prose.text().contains("damaged"));

        let not_utf8 = codec::decode::<Prose>(&codec::encode(&serde_bytes(&[0xC3, 0x28])));
        assert!(not_utf8.is_err());
    }

    /// Bytes as the codec writes a byte string.
    fn serde_bytes(bytes: &[u8]) -> impl Serialize + '_ {
        struct B<'a>(&'a [u8]);
        impl Serialize for B<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        B(bytes)
    }

    proptest::proptest! {
        #[test]
        fn any_text_round_trips_through_the_codec_and_json(text in "\\PC{0,600}", repeat in 1usize..4) {
            let text = text.repeat(repeat);
            let prose = Prose::from(text.clone());
            proptest::prop_assert_eq!(&*prose.text(), text.as_str());
            let back: Prose = codec::decode(&codec::encode(&prose)).unwrap();
            proptest::prop_assert_eq!(&*back.text(), text.as_str());
            proptest::prop_assert_eq!(&back, &prose);
            let json: Prose = serde_json::from_str(&serde_json::to_string(&prose).unwrap()).unwrap();
            proptest::prop_assert_eq!(&*json.text(), text.as_str());
        }
    }
}
