//! Reads an import file (the format `export` writes) record by record, in bounded memory: the
//! file is never held whole, each record is handed on as soon as it is parsed, and a syntax
//! error is located by line, column and JSON path as [`json::parse`](super::json::parse) does.

use std::cell::Cell;
use std::fmt;
use std::io::{BufReader, Read};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::json::FileError;
use crate::model::*;
use crate::store::bulk::Place;

/// How far the parser has read: bytes and line breaks.
#[derive(Clone, Default)]
pub struct Position {
    bytes: Rc<Cell<u64>>,
    lines: Rc<Cell<u64>>,
}

impl Position {
    pub fn bytes(&self) -> u64 {
        self.bytes.get()
    }
}

/// Counts what passes through.
struct Counting<R> {
    inner: R,
    position: Position,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let p = &self.position;
        p.bytes.set(p.bytes.get() + n as u64);
        let breaks = buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        p.lines.set(p.lines.get() + breaks);
        Ok(n)
    }
}

/// Reads `reader` as an import file and hands `each` every record with its place, in the
/// order of the file. `each` may stop the reading by returning an error, which is returned as
/// it is (`Err(Ok(e))`); a file that is not an import file is `Err(Err(FileError))`.
pub fn read<E>(
    reader: impl Read,
    source: &str,
    position: &Position,
    mut each: impl FnMut(Record, Place) -> Result<(), E>,
) -> Result<usize, Result<E, FileError>> {
    let counting = Counting {
        inner: BufReader::with_capacity(1 << 20, reader),
        position: position.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(counting);
    let mut stopped: Option<E> = None;
    let mut records = 0usize;
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let mut forward = |record, place| match each(record, place) {
            Ok(()) => {
                records += 1;
                Ok(())
            }
            Err(e) => {
                stopped = Some(e);
                Err(STOPPED.to_string())
            }
        };
        let file = FileSeed {
            position,
            each: &mut forward,
        };
        file.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
    };
    if let Some(e) = stopped {
        return Err(Ok(e));
    }
    let located = |line: usize, column: usize, path: String, message: String| FileError {
        source: source.to_string(),
        line: (line > 0).then_some(line),
        column: (column > 0).then_some(column),
        path,
        message,
    };
    if let Err(inner) = result {
        let path = track.path().to_string();
        let message = clean_serde_message(&inner.to_string());
        return Err(Err(located(inner.line(), inner.column(), path, message)));
    }
    de.end().map_err(|e| {
        Err(located(
            e.line(),
            e.column(),
            String::new(),
            "unexpected text after the end of the JSON document".into(),
        ))
    })?;
    Ok(records)
}

const STOPPED: &str = "the import stopped";

/// serde_json appends " at line L column C" itself; the position is reported separately.
fn clean_serde_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

type Each<'a> = &'a mut dyn FnMut(Record, Place) -> Result<(), String>;

/// The whole file: an object of sections.
struct FileSeed<'a> {
    position: &'a Position,
    each: Each<'a>,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

fn fields() -> &'static [&'static str] {
    static FIELDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        let mut f = vec!["taskforce_format"];
        f.extend(Kind::ALL.iter().map(|k| k.key()));
        f
    })
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("struct Dataset")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            seen.push(key.clone());
            if key == "taskforce_format" {
                let format: u32 = map.next_value()?;
                if format > Dataset::FORMAT {
                    return Err(de::Error::custom(format_args!(
                        "the file is in format {format} and this taskforce reads up to format {}",
                        Dataset::FORMAT
                    )));
                }
                continue;
            }
            let Some(kind) = Kind::ALL.iter().copied().find(|k| k.key() == key) else {
                return Err(de::Error::unknown_field(&key, fields()));
            };
            map.next_value_seed(SectionSeed {
                kind,
                position: self.position,
                each: &mut *self.each,
            })?;
        }
        Ok(())
    }
}

/// One section: a list of records of one kind.
struct SectionSeed<'a> {
    kind: Kind,
    position: &'a Position,
    each: Each<'a>,
}

impl<'de> DeserializeSeed<'de> for SectionSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SectionSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of {}", self.kind.key())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u32;
        loop {
            let seed = RecordSeed {
                kind: self.kind,
                position: self.position,
                line: 0,
            };
            let Some((record, line)) = seq.next_element_seed(seed)? else {
                return Ok(());
            };
            (self.each)(record, Place { index, line }).map_err(de::Error::custom)?;
            index = index.saturating_add(1);
        }
    }
}

/// One record of a section's kind, with the line it starts on.
struct RecordSeed<'a> {
    kind: Kind,
    position: &'a Position,
    line: u32,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = (Record, u32);
    fn deserialize<D: de::Deserializer<'de>>(mut self, d: D) -> Result<(Record, u32), D::Error> {
        // The parser has read the blanks before the record and looked at its first byte.
        self.line = u32::try_from(self.position.lines.get() + 1).unwrap_or(u32::MAX);
        fn one<'de, T, D>(d: D) -> Result<Record, D::Error>
        where
            T: serde::Deserialize<'de> + Into<Record>,
            D: de::Deserializer<'de>,
        {
            T::deserialize(d).map(Into::into)
        }
        let record = match self.kind {
            Kind::Project => one::<Project, D>(d),
            Kind::Partner => one::<Partner, D>(d),
            Kind::Practice => one::<Practice, D>(d),
            Kind::Meeting => one::<Meeting, D>(d),
            Kind::CriteriaSet => one::<CriteriaSet, D>(d),
            Kind::Session => one::<EvaluationSession, D>(d),
            Kind::Score => one::<Score, D>(d),
            Kind::ActionPlan => one::<ActionPlan, D>(d),
            Kind::Action => one::<Action, D>(d),
            Kind::Scheme => one::<VoucherScheme, D>(d),
            Kind::Sme => one::<Sme, D>(d),
            Kind::Voucher => one::<Voucher, D>(d),
            Kind::Member => one::<Member, D>(d),
            Kind::Transfer => one::<Transfer, D>(d),
            Kind::Stakeholder => one::<Stakeholder, D>(d),
        }?;
        Ok((record, self.line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<(Record, Place)>, FileError> {
        let mut out = Vec::new();
        read(text.as_bytes(), "f.json", &Position::default(), |r, p| {
            out.push((r, p));
            Ok::<(), ()>(())
        })
        .map_err(|e| e.unwrap_err())?;
        Ok(out)
    }

    #[test]
    fn records_come_one_by_one_with_their_place() {
        let text = "{\n \"taskforce_format\": 1,\n \"projects\": [\n  {\"id\": \"a\", \"acronym\": \"A\", \"title\": \"T\"},\n  {\"id\": \"b\", \"acronym\": \"B\", \"title\": \"T\"}\n ],\n \"smes\": []\n}\n";
        let got = parse(text).unwrap();
        let ids: Vec<(&str, u32, u32)> =
            got.iter().map(|(r, p)| (r.id(), p.index, p.line)).collect();
        assert_eq!(ids, [("a", 0, 4), ("b", 1, 5)]);
    }

    #[test]
    fn what_is_not_an_import_file_is_located() {
        let e = parse("{\n  \"projects\": [\n    {\"id\": \"x\",}\n  ]\n}").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().starts_with("f.json:3:"), "{e}");
        let text =
            r#"{"projects": [{"id": "x", "acronym": "X", "title": "T", "start": "2016-13-01"}]}"#;
        let e = parse(text).unwrap_err();
        assert_eq!(e.path, "projects[0].start");
        let e = parse(r#"{"projects": [{"id": "x", "acronym": "X", "title": "T", "tittle": 1}]}"#)
            .unwrap_err();
        assert!(e.message.contains("unknown field `tittle`"), "{e}");
        let e = parse(r#"{"projectz": []}"#).unwrap_err();
        assert!(e.message.contains("unknown field `projectz`"), "{e}");
        let e = parse(r#"{"projects": [], "projects": []}"#).unwrap_err();
        assert!(e.message.contains("duplicate field"), "{e}");
        let e = parse(r#"{"projects": []} trailing"#).unwrap_err();
        assert!(e.message.contains("after the end"), "{e}");
        let e = parse(r#"{"taskforce_format": 9}"#).unwrap_err();
        assert!(e.message.contains("format 9"), "{e}");
    }

    #[test]
    fn a_stop_from_the_receiver_comes_back_as_it_is() {
        let text = r#"{"projects": [{"id": "a", "acronym": "A", "title": "T"}, {"id": "b", "acronym": "B", "title": "T"}]}"#;
        let mut n = 0;
        let e = read(text.as_bytes(), "f", &Position::default(), |_, _| {
            n += 1;
            Err("full")
        })
        .unwrap_err();
        assert_eq!(e.ok(), Some("full"));
        assert_eq!(n, 1);
    }
}
