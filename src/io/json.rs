//! The JSON file format, the same both ways: `export` writes what `import` reads.

use std::fmt;

use crate::model::{Dataset, Kind, Record, Replica, text};

/// Why a file was refused, and where: the file, line and column, and the JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub source: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub path: String,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if !self.path.is_empty() && self.path != "." {
            write!(f, ": at {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Parses an import file. Text is normalised to NFC first, so that names typed with combining
/// accents match the same names typed precomposed.
pub fn parse(text: &str, source: &str) -> Result<Dataset, FileError> {
    let normalised;
    let text = if text::is_nfc(text) {
        text
    } else {
        normalised = text::nfc(text);
        &normalised
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let dataset: Dataset = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = clean_serde_message(&inner.to_string());
        FileError {
            source: source.to_string(),
            line: (inner.line() > 0).then_some(inner.line()),
            column: (inner.column() > 0).then_some(inner.column()),
            path,
            message,
        }
    })?;
    de.end().map_err(|e| FileError {
        source: source.to_string(),
        line: Some(e.line()),
        column: Some(e.column()),
        path: String::new(),
        message: "unexpected text after the end of the JSON document".into(),
    })?;
    if dataset.taskforce_format > Dataset::FORMAT {
        return Err(FileError {
            source: source.to_string(),
            line: None,
            column: None,
            path: "taskforce_format".into(),
            message: format!(
                "the file is in format {} and this taskforce reads up to format {}",
                dataset.taskforce_format,
                Dataset::FORMAT
            ),
        });
    }
    Ok(dataset)
}

/// serde_json appends " at line L column C" itself; the position is reported separately.
fn clean_serde_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The records of one kind, or of all kinds, as a dataset ordered by kind and id.
pub fn dataset_of(replica: &Replica, kind: Option<Kind>) -> Dataset {
    let mut data = Dataset::new();
    for k in Kind::ALL
        .iter()
        .filter(|k| kind.is_none_or(|want| want == **k))
    {
        for row in replica.rows(*k) {
            data.push(row.record.clone());
        }
    }
    data
}

/// The export file: pretty JSON with a final newline.
pub fn export(replica: &Replica, kind: Option<Kind>) -> String {
    let mut out =
        serde_json::to_string_pretty(&dataset_of(replica, kind)).expect("records serialise");
    out.push('\n');
    out
}

/// Writes the export file one record at a time, in constant memory: the same bytes as
/// [`export`] writes for the same records (`serde_json`'s pretty form and a final newline).
/// Records come kind by kind, in the order of the file's sections.
pub struct RecordWriter<W: std::io::Write> {
    out: W,
    /// The sections begun so far (their kinds' positions in `Kind::ALL`).
    begun: usize,
    /// Records written in the section begun last.
    in_section: usize,
    element: Vec<u8>,
}

impl<W: std::io::Write> RecordWriter<W> {
    pub fn new(mut out: W) -> std::io::Result<RecordWriter<W>> {
        write!(out, "{{\n  \"taskforce_format\": {}", Dataset::FORMAT)?;
        Ok(RecordWriter {
            out,
            begun: 0,
            in_section: 0,
            element: Vec::new(),
        })
    }

    /// Ends the section begun last and begins the next one.
    fn next_section(&mut self) -> std::io::Result<()> {
        if self.begun > 0 {
            self.out.write_all(match self.in_section {
                0 => b"]",
                _ => b"\n  ]",
            })?;
        }
        let kind = Kind::ALL[self.begun];
        write!(self.out, ",\n  \"{}\": [", kind.key())?;
        self.begun += 1;
        self.in_section = 0;
        Ok(())
    }

    pub fn write(&mut self, record: &Record) -> std::io::Result<()> {
        let position = record.kind() as usize;
        if position + 1 < self.begun {
            return Err(std::io::Error::other(format!(
                "a {} after the {} section",
                record.kind().singular(),
                Kind::ALL[self.begun - 1].key()
            )));
        }
        while self.begun <= position {
            self.next_section()?;
        }
        self.element.clear();
        let pretty = &mut self.element;
        match record {
            Record::Project(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Partner(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Practice(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Meeting(r) => serde_json::to_writer_pretty(pretty, r),
            Record::CriteriaSet(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Session(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Score(r) => serde_json::to_writer_pretty(pretty, r),
            Record::ActionPlan(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Action(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Scheme(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Sme(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Voucher(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Member(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Transfer(r) => serde_json::to_writer_pretty(pretty, r),
            Record::Stakeholder(r) => serde_json::to_writer_pretty(pretty, r),
        }
        .map_err(std::io::Error::other)?;
        self.out.write_all(match self.in_section {
            0 => b"\n    ",
            _ => b",\n    ",
        })?;
        // Indented two levels: JSON text holds line breaks only between its tokens.
        for (i, line) in self.element.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n    ")?;
            }
            self.out.write_all(line)?;
        }
        self.in_section += 1;
        Ok(())
    }

    /// Writes the sections left (empty) and the end of the file; gives back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        while self.begun < Kind::ALL.len() {
            self.next_section()?;
        }
        self.out.write_all(match self.in_section {
            0 => b"]\n}\n",
            _ => b"\n  ]\n}\n",
        })?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_files_are_located() {
        let e = parse(
            "{\n  \"projects\": [\n    {\"id\": \"x\",}\n  ]\n}",
            "f.json",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().starts_with("f.json:3:"), "{e}");
        let text =
            r#"{"projects": [{"id": "x", "acronym": "X", "title": "T", "start": "2016-13-01"}]}"#;
        let e = parse(text, "f.json").unwrap_err();
        assert_eq!(e.path, "projects[0].start");
        assert!(
            e.message.contains("not a day of the calendar") || e.message.contains("not a date"),
            "{e}"
        );
        let e = parse(
            r#"{"projects": [{"id": "x", "acronym": "X", "title": "T", "tittle": 1}]}"#,
            "f",
        )
        .unwrap_err();
        assert!(e.message.contains("unknown field `tittle`"), "{e}");
        let e = parse(r#"{"projects": []} trailing"#, "f").unwrap_err();
        assert!(e.message.contains("after the end"), "{e}");
        let e = parse(r#"{"taskforce_format": 9}"#, "f").unwrap_err();
        assert!(e.message.contains("format 9"), "{e}");
    }

    #[test]
    fn records_written_one_by_one_read_as_the_export_writes_them() {
        let mut replica = Replica::new();
        for (_, record) in crate::fixtures::dataset().into_records() {
            replica.insert(crate::model::Row {
                rev: 1,
                at: crate::model::Timestamp(0),
                by: "t".into(),
                record,
            });
        }
        let mut writer = RecordWriter::new(Vec::new()).unwrap();
        for (_, r) in dataset_of(&replica, None).into_records() {
            writer.write(&r).unwrap();
        }
        let written = String::from_utf8(writer.finish().unwrap()).unwrap();
        assert_eq!(written, export(&replica, None));
        let empty = RecordWriter::new(Vec::new()).unwrap().finish().unwrap();
        assert_eq!(
            String::from_utf8(empty).unwrap(),
            export(&Replica::new(), None)
        );
    }
}
