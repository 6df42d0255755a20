//! Spreadsheets in: `.xlsx` and `.ods` (read with calamine) and `.csv`, a sheet per kind of
//! record. The kind comes from the sheet's name (the file's name for CSV, or `--kind`); the
//! columns map to fields by their header — the field's name or its label in the forms, in any
//! case, with or without accents — and the header row is the first row whose cells name fields
//! (a merged title row above it is passed over). Empty rows are skipped. calamine gives a merged
//! cell's value in its first cell only; in `.xlsx`, whose merges it reports, a cell merged down
//! over rows gives its value to each row.
//!
//! Each row becomes a record by the same deserialisation as a JSON import: a cell is first
//! taken as text, and when the field wants another type, as the spreadsheet's number or yes/no,
//! as JSON (lists written by `export --format csv`), as yes/no words, an amount without its
//! currency, a choice by its label, or a list one item a line (or separated by commas). Every
//! error names the sheet, row and column (`practices!C14`), including the store's rules, which
//! [`SheetImport::locate`] maps back to the cell.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use calamine::{Data, Reader, Sheets, open_workbook_auto};
use serde_json::{Map, Value};

use crate::model::*;

pub use super::Labels;

/// Where a spreadsheet was refused: the sheet, the row (1-based), the column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub sheet: String,
    pub row: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sheet)?;
        match (self.row, self.column) {
            (Some(r), Some(c)) => write!(f, "!{}{r}", column_name(c))?,
            (Some(r), None) => write!(f, "!{r}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// A column's letters: 0 is A, 25 Z, 26 AA.
pub fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Whether `path` names a spreadsheet this module reads (by its extension).
pub fn is_spreadsheet(path: &Path) -> bool {
    matches!(
        extension(path).as_str(),
        "xlsx" | "xlsm" | "xls" | "ods" | "csv"
    )
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The records read from a spreadsheet, and where each came from.
pub struct SheetImport {
    pub records: Vec<Record>,
    places: HashMap<(Kind, String), Place>,
}

struct Place {
    sheet: String,
    row: usize,
    columns: HashMap<String, usize>,
    /// The column to name when the field has none of its own (the id's, or the first).
    fallback: usize,
}

impl SheetImport {
    /// The cell a rule broken by an imported record points at: the record's row, and the column
    /// of the field (or of the id when the field has no column).
    pub fn locate(&self, e: &FieldError) -> CellError {
        let field = leading_field(&e.field);
        match self.places.get(&(e.kind, e.id.clone())) {
            Some(p) => CellError {
                sheet: p.sheet.clone(),
                row: Some(p.row),
                column: Some(p.columns.get(field).copied().unwrap_or(p.fallback)),
                message: format!("{}: {}", e.field, e.message),
            },
            None => CellError {
                sheet: format!("{} '{}'", e.kind.singular(), e.id),
                row: None,
                column: None,
                message: format!("{}: {}", e.field, e.message),
            },
        }
    }
}

/// `agenda[2].title` → `agenda`.
fn leading_field(path: &str) -> &str {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    &path[..end]
}

/// One cell: its text, and the typed value the spreadsheet gave it (a number, a yes/no).
#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    native: Option<Value>,
}

/// A sheet as read: its name and its rows, each with its row number (1-based) and its cells
/// from column `first_column`.
struct Grid {
    name: String,
    first_column: usize,
    rows: Vec<(usize, Vec<Cell>)>,
}

/// Reads a spreadsheet (`.xlsx`, `.ods`, `.csv`). `kind` (`--kind`), when given, is the kind of
/// every sheet; otherwise each sheet's name (a CSV file's name) says it.
pub fn read(
    path: &Path,
    kind: Option<Kind>,
    labels: Labels,
) -> Result<SheetImport, Vec<CellError>> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let grids = if extension(path) == "csv" {
        vec![read_csv(path, &file)?]
    } else {
        read_workbook(path, &file)?
    };
    let mut out = SheetImport {
        records: Vec::new(),
        places: HashMap::new(),
    };
    let mut errors = Vec::new();
    let mut any = false;
    for grid in &grids {
        if grid.rows.iter().all(|(_, cells)| empty_row(cells)) {
            continue;
        }
        any = true;
        let name_kind = if extension(path) == "csv" {
            kind_of_name(path.file_stem().and_then(|s| s.to_str()).unwrap_or(""))
        } else {
            kind_of_name(&grid.name)
        };
        let Some(k) = kind.or(name_kind) else {
            errors.push(CellError {
                sheet: grid.name.clone(),
                row: None,
                column: None,
                message: format!(
                    "the name does not say which records it holds: name {} after a kind ({}) or pass --kind",
                    if extension(path) == "csv" { "the file" } else { "the sheet" },
                    IMPORTABLE.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ")
                ),
            });
            continue;
        };
        read_grid(grid, k, labels, &mut out, &mut errors);
    }
    if !any && errors.is_empty() {
        errors.push(CellError {
            sheet: file,
            row: None,
            column: None,
            message: "holds no rows".into(),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The kinds a spreadsheet usually holds (every kind is read; these are named in messages).
const IMPORTABLE: &[Kind] = &[
    Kind::Practice,
    Kind::Partner,
    Kind::Meeting,
    Kind::Sme,
    Kind::Voucher,
    Kind::Score,
];

fn read_csv(path: &Path, file: &str) -> Result<Grid, Vec<CellError>> {
    let fail = |row: Option<usize>, message: String| {
        vec![CellError {
            sheet: file.to_string(),
            row,
            column: None,
            message,
        }]
    };
    let mut bytes = std::fs::read(path).map_err(|e| fail(None, format!("cannot read it: {e}")))?;
    // Spreadsheet programs often start a UTF-8 CSV with a byte order mark.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Commas, or the semicolons (or tabs) spreadsheet programs write where the comma is the
    // decimal separator: whichever the first line holds most of.
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|b| **b == c).count();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == b','))
        .unwrap_or(b',');
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    let mut rows = Vec::new();
    // The line of a record, counted from its byte offset (the reader's own count passes over
    // blank lines).
    let (mut counted, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            let hint = if matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) {
                " (save it as CSV in UTF-8)"
            } else {
                ""
            };
            fail(line, format!("not readable as CSV: {e}{hint}"))
        })?;
        if let Some(p) = record.position() {
            // The offset may be that of blank lines before the record.
            let mut at = (p.byte() as usize).min(bytes.len());
            while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
                at += 1;
            }
            line += bytes[counted..at].iter().filter(|b| **b == b'\n').count();
            counted = at;
        }
        let cells = record
            .iter()
            .map(|t| Cell {
                text: text::nfc(t.trim()),
                native: None,
            })
            .collect();
        rows.push((line, cells));
    }
    Ok(Grid {
        name: file.to_string(),
        first_column: 0,
        rows,
    })
}

fn read_workbook(path: &Path, file: &str) -> Result<Vec<Grid>, Vec<CellError>> {
    let fail = |message: String| {
        vec![CellError {
            sheet: file.to_string(),
            row: None,
            column: None,
            message,
        }]
    };
    let mut book = open_workbook_auto(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
    let mut grids = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| fail(format!("cannot read the sheet {name}: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<(usize, Vec<Cell>)> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| (row0 as usize + i + 1, cells.iter().map(cell_of).collect()))
            .collect();
        // A cell merged down over several rows (a project written once beside its practices)
        // gives its value to each of them; calamine leaves the rows below it empty. The .xlsx
        // reader says where cells are merged; the .ods reader does not.
        if let Sheets::Xlsx(xlsx) = &mut book {
            let merged = xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default();
            for m in merged.iter().filter(|m| m.end.0 > m.start.0) {
                let at = |r: u32| r.checked_sub(row0).map(|r| r as usize);
                let col = m.start.1.checked_sub(col0).map(|c| c as usize);
                let (Some(first), Some(col)) = (at(m.start.0), col) else {
                    continue;
                };
                let Some(value) = rows.get(first).and_then(|(_, c)| c.get(col)).cloned() else {
                    continue;
                };
                for r in first + 1..=at(m.end.0).unwrap_or(first).min(rows.len() - 1) {
                    let cells = &mut rows[r].1;
                    if cells.len() <= col {
                        cells.resize(col + 1, Cell::default());
                    }
                    if cells[col].text.is_empty() {
                        cells[col] = value.clone();
                    }
                }
            }
        }
        grids.push(Grid {
            name,
            first_column: col0 as usize,
            rows,
        });
    }
    Ok(grids)
}

/// A spreadsheet's cell as text (dates as YYYY-MM-DD, times as RFC 3339 in UTC, whole numbers
/// without a decimal point), with the number or yes/no it holds.
fn cell_of(data: &Data) -> Cell {
    let number = |f: f64| {
        let text = if f.fract() == 0.0 && f.abs() < 1e15 {
            format!("{}", f as i64)
        } else {
            format!("{f}")
        };
        Cell {
            text,
            native: serde_json::Number::from_f64(f).map(Value::Number),
        }
    };
    match data {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell {
            text: text::nfc(s.trim()),
            native: None,
        },
        Data::Int(i) => Cell {
            text: i.to_string(),
            native: Some(Value::from(*i)),
        },
        Data::Float(f) => number(*f),
        Data::Bool(b) => Cell {
            text: if *b { "yes" } else { "no" }.into(),
            native: Some(Value::Bool(*b)),
        },
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_duration() {
                return number(serial);
            }
            let text = if serial.fract() == 0.0 {
                Date::from_days(serial as i32 - 25_569).to_string()
            } else {
                Timestamp(((serial - 25_569.0) * 86_400_000.0).round() as i64).to_string()
            };
            Cell { text, native: None }
        }
        Data::DateTimeIso(s) => {
            let mut text = s.trim().to_string();
            if text.len() > 10 && !text.ends_with('Z') && !text[10..].contains(['+', '-']) {
                text.push('Z');
            }
            Cell { text, native: None }
        }
        Data::DurationIso(s) => Cell {
            text: s.clone(),
            native: None,
        },
        Data::Error(e) => Cell {
            text: format!("#{e:?}"),
            native: None,
        },
    }
}

fn empty_row(cells: &[Cell]) -> bool {
    cells.iter().all(|c| c.text.is_empty())
}

/// Folds a header or a name for matching: lower case, no accents, words separated by single
/// spaces ("Région" → "region", "short_name" → "short name").
fn norm(text: &str) -> String {
    text::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kind a sheet's (or file's) name names: "Practices", "Good practices", "SMEs",
/// "Scoring grid", "intra-vouchers".
fn kind_of_name(name: &str) -> Option<Kind> {
    let n = norm(name);
    if n.is_empty() {
        return None;
    }
    let names = |k: Kind| [norm(k.key()), norm(k.singular())];
    if let Some(k) = Kind::ALL.iter().find(|k| names(**k).contains(&n)) {
        return Some(*k);
    }
    if n.split(' ').any(|w| w.starts_with("scor")) {
        return Some(Kind::Score);
    }
    // The last word that names a kind: "good practices", "intra vouchers 2019".
    n.split(' ')
        .rev()
        .find_map(|w| Kind::ALL.iter().find(|k| names(**k).iter().any(|x| x == w)))
        .copied()
}

/// A kind's fields, the headers that name them, and which are required.
struct Catalogue {
    fields: Vec<String>,
    required: Vec<String>,
    headers: HashMap<String, String>,
    labels: HashMap<String, String>,
}

/// Header words that name a field in other exports (`export --kind scores --format csv`, the
/// listings).
const ALIASES: &[(Kind, &str, &str)] = &[
    (Kind::Score, "abstained reason", "abstain_reason"),
    (Kind::Score, "abstained", "abstain_reason"),
    (Kind::Score, "abstention reason", "abstain_reason"),
    (Kind::Score, "abstention", "abstain_reason"),
    (Kind::Score, "time", "at"),
    (Kind::Score, "score", "value"),
    (Kind::Voucher, "type", "voucher_type"),
    (Kind::Scheme, "min", "min_amount"),
    (Kind::Scheme, "max", "max_amount"),
];

fn catalogue(kind: Kind, labels: Labels) -> Catalogue {
    let fields = field_names(kind);
    let required = required_fields(kind, &fields);
    let mut headers = HashMap::new();
    let mut label_of = HashMap::new();
    for f in &fields {
        headers.insert(norm(f), f.clone());
    }
    for (field, label) in labels(kind) {
        if !fields.iter().any(|f| f == field) {
            continue;
        }
        label_of.insert(field.to_string(), label.to_string());
        headers
            .entry(norm(label))
            .or_insert_with(|| field.to_string());
        if let Some(i) = label.find('(') {
            headers
                .entry(norm(&label[..i]))
                .or_insert_with(|| field.to_string());
        }
    }
    for (k, header, field) in ALIASES {
        if *k == kind {
            headers
                .entry(header.to_string())
                .or_insert_with(|| field.to_string());
        }
    }
    Catalogue {
        fields,
        required,
        headers,
        labels: label_of,
    }
}

/// Deserialises one record of `kind` from a JSON object, as a JSON import does; on failure the
/// field at fault (empty when the object as a whole is) and serde's message.
fn decode(kind: Kind, object: &Map<String, Value>) -> Result<Record, (String, String)> {
    let mut section = Map::new();
    section.insert(
        kind.key().to_string(),
        Value::Array(vec![Value::Object(object.clone())]),
    );
    let result: Result<Dataset, _> = serde_path_to_error::deserialize(Value::Object(section));
    match result {
        Ok(data) => data
            .into_records()
            .into_iter()
            .next()
            .map(|(_, r)| r)
            .ok_or_else(|| (String::new(), "no record".to_string())),
        Err(e) => {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            let field = path
                .split_once("].")
                .map(|(_, rest)| leading_field(rest).to_string())
                .unwrap_or_default();
            Err((field, message))
        }
    }
}

/// The names in backquotes of a serde message (`expected one of `a`, `b``).
fn quoted(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Every field of a kind, in the record's order (serde names them when refusing an unknown
/// field).
fn field_names(kind: Kind) -> Vec<String> {
    let mut probe = Map::new();
    probe.insert("\u{1}".into(), Value::Null);
    match decode(kind, &probe) {
        Err((_, message)) if message.contains("unknown field") => {
            let mut names = quoted(&message);
            names.retain(|n| n != "\u{1}");
            names
        }
        _ => Vec::new(),
    }
}

/// The fields a record cannot leave out: found by leaving each out of a bundled record of the
/// kind (none for a kind without one: a row missing one is then refused by the row).
fn required_fields(kind: Kind, fields: &[String]) -> Vec<String> {
    let sample = crate::fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .find(|r| r.kind() == kind);
    let Some(sample) = sample else {
        return Vec::new();
    };
    let Value::Object(object) = super::record_fields(&sample) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|f| {
            let mut without = object.clone();
            without.remove(f.as_str());
            matches!(decode(kind, &without), Err((_, m)) if m.contains("missing field"))
        })
        .cloned()
        .collect()
}

/// The fields an id is made from when a row has none, as the forms make it.
const ID_FROM: &[&str] = &["title", "name", "acronym", "organisation", "service"];

fn read_grid(
    grid: &Grid,
    kind: Kind,
    labels: Labels,
    out: &mut SheetImport,
    errors: &mut Vec<CellError>,
) {
    let cat = catalogue(kind, labels);
    let at = |row: usize, col: Option<usize>, message: String| CellError {
        sheet: grid.name.clone(),
        row: Some(row),
        column: col.map(|c| c + grid.first_column),
        message,
    };
    // The header: the first row whose cells name fields (a title above it is passed over).
    let header = grid.rows.iter().position(|(_, cells)| {
        let named = cells.iter().filter(|c| !c.text.is_empty()).count();
        let known = cells
            .iter()
            .filter(|c| cat.headers.contains_key(&norm(&c.text)))
            .count();
        known >= 2 || (known >= 1 && known == named)
    });
    let Some(header) = header else {
        errors.push(CellError {
            sheet: grid.name.clone(),
            row: None,
            column: None,
            message: format!(
                "no row names the fields of a {} (a header row such as {})",
                kind.singular(),
                cat.fields
                    .iter()
                    .take(5)
                    .map(|f| format!("'{f}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        return;
    };
    let (header_row, header_cells) = &grid.rows[header];
    let mut columns: HashMap<String, usize> = HashMap::new();
    let mut bad_header = false;
    for (i, cell) in header_cells.iter().enumerate() {
        if cell.text.is_empty() {
            continue;
        }
        match cat.headers.get(&norm(&cell.text)) {
            Some(field) => {
                if let Some(first) = columns.get(field) {
                    errors.push(at(
                        *header_row,
                        Some(i),
                        format!(
                            "the column '{}' names the field {field} again (column {} does)",
                            cell.text,
                            column_name(first + grid.first_column)
                        ),
                    ));
                    bad_header = true;
                } else {
                    columns.insert(field.clone(), i);
                }
            }
            None => {
                errors.push(at(
                    *header_row,
                    Some(i),
                    format!(
                        "unknown column '{}': not a field of a {} (the fields: {})",
                        cell.text,
                        kind.singular(),
                        cat.fields.join(", ")
                    ),
                ));
                bad_header = true;
            }
        }
    }
    let derived = |f: &str| match (kind, f) {
        (Kind::Score, "id" | "at") => true,
        // A member's id is a login name: never made up.
        (Kind::Member, _) => false,
        (_, "id") => ID_FROM.iter().any(|s| columns.contains_key(*s)),
        _ => false,
    };
    for f in &cat.required {
        if !columns.contains_key(f) && !derived(f) {
            let label = cat
                .labels
                .get(f)
                .map_or(String::new(), |l| format!(", “{l}” in the form"));
            errors.push(at(
                *header_row,
                None,
                format!(
                    "missing column '{f}'{label}: every {} has one",
                    kind.singular()
                ),
            ));
            bad_header = true;
        }
    }
    if bad_header {
        return;
    }
    let fallback = columns
        .get("id")
        .copied()
        .or_else(|| header_cells.iter().position(|c| !c.text.is_empty()))
        .unwrap_or(0);
    let by_column: Vec<(usize, &str)> = {
        let mut v: Vec<(usize, &str)> = columns.iter().map(|(f, i)| (*i, f.as_str())).collect();
        v.sort();
        v
    };
    let mut previous: Option<&Vec<Cell>> = None;
    for (row, cells) in &grid.rows[header + 1..] {
        if empty_row(cells) {
            continue;
        }
        let previous = previous.replace(cells);
        if let Some(i) = cells
            .iter()
            .enumerate()
            .position(|(i, c)| !c.text.is_empty() && !by_column.iter().any(|(col, _)| *col == i))
        {
            errors.push(at(
                *row,
                Some(i),
                format!(
                    "'{}' is in a column without a header: name the column after a field of a {} or empty it",
                    cells[i].text,
                    kind.singular()
                ),
            ));
            continue;
        }
        let mut object = Map::new();
        let mut source: HashMap<&str, &Cell> = HashMap::new();
        for (i, field) in &by_column {
            if let Some(cell) = cells.get(*i)
                && !cell.text.is_empty()
            {
                object.insert(field.to_string(), Value::String(cell.text.clone()));
                source.insert(field, cell);
            }
        }
        let id_column = fill_derived(kind, &mut object, &columns);
        let column_of = |f: &str| match f {
            "id" => columns.get("id").copied().or(id_column).or(Some(fallback)),
            "" => Some(fallback),
            f => columns.get(f).copied().or(Some(fallback)),
        };
        match decode_row(kind, object, &source) {
            Ok(record) => {
                let key = (record.kind(), record.id().to_string());
                if let Some(p) = out.places.get(&key) {
                    errors.push(at(
                        *row,
                        column_of("id"),
                        format!(
                            "id: '{}' is also the id of the {} in {}!{}",
                            key.1,
                            kind.singular(),
                            p.sheet,
                            p.row
                        ),
                    ));
                    continue;
                }
                let mut place_columns: HashMap<String, usize> = columns
                    .iter()
                    .map(|(f, i)| (f.clone(), i + grid.first_column))
                    .collect();
                if let Some(c) = id_column {
                    place_columns
                        .entry("id".into())
                        .or_insert(c + grid.first_column);
                }
                out.places.insert(
                    key,
                    Place {
                        sheet: grid.name.clone(),
                        row: *row,
                        columns: place_columns,
                        fallback: fallback + grid.first_column,
                    },
                );
                out.records.push(record);
            }
            Err((field, message)) => {
                let missing = quoted(&message)
                    .into_iter()
                    .next()
                    .filter(|_| message.starts_with("missing field"));
                let (field, message) = match missing {
                    Some(f) => {
                        // A cell merged with the one above reads as empty: say so.
                        let merged = columns.get(&f).is_some_and(|c| {
                            previous.is_some_and(|p: &Vec<Cell>| {
                                p.get(*c).is_some_and(|cell| !cell.text.is_empty())
                            })
                        });
                        let hint = if merged {
                            " (if it is merged with the cell above, unmerge it and give each row its value)"
                        } else {
                            ""
                        };
                        (f, format!("is required: the cell is empty{hint}"))
                    }
                    None => (field, clean(&message)),
                };
                let shown = if field.is_empty() {
                    kind.singular().to_string()
                } else {
                    field.clone()
                };
                errors.push(at(*row, column_of(&field), format!("{shown}: {message}")));
            }
        }
    }
}

/// serde's wording, without its "invalid type"/"invalid value" jargon where it is plain.
fn clean(message: &str) -> String {
    if message.starts_with("unknown variant") {
        let names = quoted(message);
        if let Some((given, expected)) = names.split_first() {
            return format!("'{given}' is not one of: {}", expected.join(", "));
        }
    }
    message
        .replace("invalid type: string ", "")
        .replace("invalid value: string ", "")
}

/// Fills what a row may leave out: a score's id (from its session, practice, evaluator and
/// criterion) and time (now; the store stamps it), a comment on the practice as a whole, an
/// abstention written "abstain"; another record's id from its title or name, as the forms make
/// it. Returns the column the id came from.
fn fill_derived(
    kind: Kind,
    object: &mut Map<String, Value>,
    columns: &HashMap<String, usize>,
) -> Option<usize> {
    let get =
        |o: &Map<String, Value>, f: &str| o.get(f).and_then(Value::as_str).map(str::to_string);
    if kind == Kind::Score {
        if get(object, "criterion").is_some_and(|c| c == "(the practice)") {
            object.insert(
                "criterion".into(),
                Value::String(Score::PRACTICE_COMMENT.into()),
            );
        }
        if get(object, "value")
            .is_some_and(|v| matches!(norm(&v).as_str(), "abstain" | "abstained" | "abstention"))
        {
            object.remove("value");
        }
        if !object.contains_key("at") {
            object.insert("at".into(), Value::String(Timestamp::now().to_string()));
        }
        if !object.contains_key("id")
            && let (Some(s), Some(p), Some(e), Some(c)) = (
                get(object, "session"),
                get(object, "practice"),
                get(object, "evaluator"),
                get(object, "criterion"),
            )
        {
            let id = Score::key(&SessionId(s.into()), &PracticeId(p.into()), &e, &c);
            object.insert("id".into(), Value::String(id.to_string()));
            return columns.get("criterion").copied();
        }
        return None;
    }
    if object.contains_key("id") || kind == Kind::Member {
        return None;
    }
    for f in ID_FROM {
        if let Some(t) = get(object, f) {
            let id = ids::slugify(&t, 48);
            if !id.is_empty() {
                object.insert("id".into(), Value::String(id));
                return columns.get(*f).copied();
            }
        }
    }
    None
}

/// Turns a row's object into a record, trying each cell as text first and then as the other
/// things it may mean (see the module's documentation) until the field takes it.
fn decode_row(
    kind: Kind,
    mut object: Map<String, Value>,
    source: &HashMap<&str, &Cell>,
) -> Result<Record, (String, String)> {
    let mut pending: HashMap<String, Vec<Value>> = HashMap::new();
    let mut first: HashMap<String, String> = HashMap::new();
    for _ in 0..200 {
        match decode(kind, &object) {
            Ok(r) => return Ok(r),
            Err((field, message)) => {
                let Some(cell) = source.get(field.as_str()) else {
                    return Err((field, message));
                };
                first
                    .entry(field.clone())
                    .or_insert_with(|| message.clone());
                let queue = pending
                    .entry(field.clone())
                    .or_insert_with(|| alternatives(cell, &message));
                match queue.pop() {
                    Some(v) => {
                        object.insert(field, v);
                    }
                    None => {
                        let m = first.remove(&field).unwrap_or(message);
                        return Err((field, m));
                    }
                }
            }
        }
    }
    Err((String::new(), "cannot be read".into()))
}

/// What else a cell may mean, the likeliest last (they are popped).
fn alternatives(cell: &Cell, message: &str) -> Vec<Value> {
    let t = cell.text.as_str();
    let mut out: Vec<Value> = Vec::new();
    // A list: one item a line, or separated by semicolons or commas.
    let sep: &[char] = if t.contains('\n') {
        &['\n']
    } else if t.contains(';') {
        &[';']
    } else {
        &[',']
    };
    out.push(Value::Array(
        t.split(sep)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
    ));
    // An amount or rate written with its unit.
    let bare: String = t
        .replace("EUR", "")
        .replace(['€', '%', '\u{a0}', '\u{202f}'], "");
    if bare != t {
        out.push(Value::String(bare.trim().to_string()));
    }
    // Yes or no in words.
    let yes_no = match norm(t).as_str() {
        "yes" | "y" | "true" | "x" | "oui" | "ja" | "si" | "da" => Some(true),
        "no" | "n" | "false" | "non" | "nein" | "ne" => Some(false),
        _ => None,
    };
    if let Some(b) = yes_no {
        out.push(Value::Bool(b));
    }
    // JSON, as `export --format csv` writes lists and nested records.
    if let Ok(v) = serde_json::from_str::<Value>(t)
        && !v.is_string()
    {
        out.push(v);
    }
    // A choice by its label ("In handbook", "Study visit").
    if message.contains("unknown variant") {
        let expected = quoted(message);
        if let Some(key) = choice_key(t, &expected) {
            out.push(Value::String(key));
        }
    }
    if let Some(v) = &cell.native {
        out.push(v.clone());
    }
    out
}

/// The key of the choice `text` names (by key or label), among `expected`.
fn choice_key(text: &str, expected: &[String]) -> Option<String> {
    macro_rules! try_enums {
        ($($e:ty),*) => {$(
            if let Ok(v) = <$e>::parse(text)
                && expected.iter().any(|x| x == v.key())
            {
                return Some(v.key().to_string());
            }
        )*};
    }
    try_enums!(
        PartnerRole,
        ImplementationLevel,
        SubTheme,
        PracticeStatus,
        WebStatus,
        MeetingKind,
        MeetingMode,
        SessionState,
        Decision,
        InstrumentKind,
        ActionStatus,
        SmeSize,
        VoucherStatus
    );
    let folded = norm(text).replace(' ', "_");
    expected
        .iter()
        .find(|x| norm(x).replace(' ', "_") == folded)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_labels(_: Kind) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    #[test]
    fn columns_are_lettered() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
    }

    #[test]
    fn sheet_names_give_the_kind() {
        assert_eq!(kind_of_name("Practices"), Some(Kind::Practice));
        assert_eq!(kind_of_name("Good practices"), Some(Kind::Practice));
        assert_eq!(kind_of_name("SMEs"), Some(Kind::Sme));
        assert_eq!(kind_of_name("Scoring grid"), Some(Kind::Score));
        assert_eq!(kind_of_name("intra-vouchers"), Some(Kind::Voucher));
        assert_eq!(kind_of_name("Notes"), None);
    }

    #[test]
    fn fields_and_required_ones_are_known() {
        let cat = catalogue(Kind::Practice, no_labels);
        assert!(cat.fields.iter().any(|f| f == "transfer_potential"));
        assert!(cat.required.iter().any(|f| f == "title"));
        // An owner the sources do not give is left empty.
        assert!(!cat.required.iter().any(|f| f == "owner"));
        assert!(!cat.required.iter().any(|f| f == "region"));
        assert_eq!(cat.headers.get("short name"), None);
        let cat = catalogue(Kind::Partner, no_labels);
        assert_eq!(
            cat.headers.get(&norm("Short_Name")).map(String::as_str),
            Some("short_name")
        );
    }
}
