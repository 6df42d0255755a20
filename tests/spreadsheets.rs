//! Spreadsheets out: an .xlsx export read back with calamine equals the records, types
//! included; scores and a session's board as workbooks; the header frozen, widths set.

mod common;

use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;
use taskforce::model::{Date, Timestamp};

fn db() -> (tempfile::TempDir, String) {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap().to_string();
    let out = common::taskforce(&["--db", &db, "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    (dir, db)
}

fn cli(db: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    common::taskforce(&all)
}

fn workbook(path: &std::path::Path) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    open_workbook_from_rs(std::io::Cursor::new(std::fs::read(path).unwrap())).unwrap()
}

/// An Excel serial day number (days since 1899-12-30) as a date.
fn serial_date(serial: f64) -> Date {
    Date::from_days(serial.floor() as i32 - 25_569)
}

/// Whether a cell read back holds the JSON value of the record's field, with the right type.
fn same(field: &str, json: &Value, cell: &Data) -> Result<(), String> {
    let ok = match (json, cell) {
        (Value::Null, Data::Empty) => true,
        (Value::String(s), Data::Empty) => s.is_empty(),
        (Value::Array(a), Data::Empty) => a.is_empty(),
        (Value::Bool(b), Data::Bool(c)) => b == c,
        (Value::Number(n), Data::Float(f)) => (n.as_f64().unwrap() - f).abs() < 1e-9,
        (Value::Number(n), Data::Int(i)) => n.as_f64().unwrap() == *i as f64,
        (Value::String(s), Data::DateTime(dt)) => {
            if s.len() == 10 {
                Date::parse(s).unwrap() == serial_date(dt.as_f64())
            } else {
                let t = Timestamp::parse(s).unwrap();
                let ms = ((dt.as_f64() - 25_569.0) * 86_400_000.0).round() as i64;
                (t.0 - ms).abs() < 2
            }
        }
        (Value::String(s), Data::String(c)) => s == c,
        (v @ (Value::Array(_) | Value::Object(_)), Data::String(c)) => &v.to_string() == c,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{field}: {json} read back as {cell:?}"))
    }
}

#[test]
fn an_xlsx_export_reads_back_equal_to_the_records_types_included() {
    let (dir, db) = db();
    let file = dir.path().join("all.xlsx");
    let out = cli(
        &db,
        &[
            "export",
            "--format",
            "xlsx",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let json: Value = serde_json::from_str(&common::stdout(&cli(&db, &["export"]))).unwrap();
    let mut wb = workbook(&file);
    let names = wb.sheet_names();
    let kinds: Vec<&String> = json
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v.as_array().is_some_and(|a| !a.is_empty()))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        names.iter().collect::<Vec<_>>(),
        kinds,
        "one sheet per kind"
    );
    let mut checked = 0;
    let mut typed = std::collections::BTreeSet::new();
    for name in &names {
        let range = wb.worksheet_range(name).unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
        let records = json[name.as_str()].as_array().unwrap();
        let rows: Vec<&[Data]> = rows.collect();
        assert_eq!(rows.len(), records.len(), "{name}");
        for (record, row) in records.iter().zip(rows) {
            let fields = record.as_object().unwrap();
            assert_eq!(
                header,
                fields.keys().cloned().collect::<Vec<_>>(),
                "{name}: the header is the record's fields"
            );
            for (i, (field, value)) in fields.iter().enumerate() {
                let cell = row.get(i).unwrap_or(&Data::Empty);
                if let Err(e) = same(field, value, cell) {
                    panic!("{name} {}: {e}", record["id"]);
                }
                typed.insert(match cell {
                    Data::Float(_) | Data::Int(_) => "number",
                    Data::DateTime(_) => "date",
                    Data::Bool(_) => "bool",
                    Data::String(_) => "text",
                    _ => "empty",
                });
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
    assert_eq!(typed.len(), 5, "{typed:?}");
    // Amounts carry a euro format; the header row is frozen; the columns have widths.
    let bytes = std::fs::read(&file).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(
        styles.contains("€") && styles.contains("yyyy-mm-dd"),
        "{styles}"
    );
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""),
        "{sheet}"
    );
    assert!(
        sheet.contains("<col ") && sheet.contains("customWidth=\"1\""),
        "{sheet}"
    );
}

#[test]
fn one_kind_scores_and_the_board_as_workbooks() {
    let (dir, db) = db();
    let file = dir.path().join("vouchers.xlsx");
    let out = cli(
        &db,
        &[
            "export",
            "--format",
            "xlsx",
            "--kind",
            "vouch",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let mut wb = workbook(&file);
    assert_eq!(wb.sheet_names(), ["vouchers"]);
    let range = wb.worksheet_range("vouchers").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let v1 = range.rows().nth(1).unwrap();
    assert!(
        matches!(v1[col("eligible_cost")], Data::Float(_)),
        "{:?}",
        v1
    );
    // Every individual score, with readable columns and numbers as numbers.
    let file = dir.path().join("scores.xlsx");
    let out = cli(
        &db,
        &[
            "export",
            "--format",
            "xlsx",
            "--kind",
            "scores",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let mut wb = workbook(&file);
    let range = wb.worksheet_range("scores").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows[0][5].to_string(), "value");
    assert_eq!(rows.len(), 1 + 28);
    assert!(
        rows[1..]
            .iter()
            .all(|r| matches!(r[5], Data::Float(_) | Data::Empty))
    );
    assert!(rows[1..].iter().all(|r| matches!(r[8], Data::DateTime(_))));
    // A session's board.
    let file = dir.path().join("board.xlsx");
    let out = cli(
        &db,
        &[
            "board",
            "--session",
            "example-session",
            "--format",
            "xlsx",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let mut wb = workbook(&file);
    let range = wb.worksheet_range("board").unwrap();
    let overall: Vec<&[Data]> = range.rows().filter(|r| r[4] == "overall").collect();
    assert_eq!(overall.len(), 5);
    assert!(
        overall.iter().any(|r| r[8] == Data::Float(4.17)),
        "{overall:?}"
    );
    // A workbook is never written to a terminal.
    let out = cli(&db, &["export", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("--output"));
}
