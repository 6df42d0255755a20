//! Spreadsheets out (.xlsx, with rust_xlsxwriter): records one sheet per kind, every individual
//! score, a session's board. Cells are typed — numbers as numbers, dates as dates, times as date
//! and time, amounts as euro currency, rates as percentages, yes/no as booleans — the header row
//! is bold and frozen, and each column is as wide as its content (within bounds).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use crate::model::kinds;
use crate::model::*;
use crate::scoring::Board;

const EUR: &str = "[$€-x-euro2] #,##0.00";
const DATE: &str = "yyyy-mm-dd";
const TIME: &str = "yyyy-mm-dd hh:mm:ss";
const PERCENT: &str = "0.00\"%\"";

/// One typed cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Money(f64),
    Percent(f64),
    Date(Date),
    Time(Timestamp),
    Bool(bool),
}

impl Cell {
    fn width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Number(n) => format!("{n}").len(),
            Cell::Money(n) => format!("{n:.2}").len() + 5,
            Cell::Percent(n) => format!("{n:.2}").len() + 1,
            Cell::Date(_) => 10,
            Cell::Time(_) => 19,
            Cell::Bool(_) => 5,
        }
    }
}

/// A sheet: a name, a header row and typed rows.
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A record field's value as a typed cell: dates and times recognised by their form, amounts
/// and rates by the field's declaration, lists and nested values as compact JSON (as in CSV).
fn field_cell(kind: Kind, field: &str, value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => {
            let v = n.as_f64().unwrap_or_default();
            match kinds::field_of(kind, field).and_then(|f| f.form.as_ref()) {
                Some(kinds::Spec::Money { .. }) => Cell::Money(v),
                Some(kinds::Spec::Percent { .. }) => Cell::Percent(v),
                _ => Cell::Number(v),
            }
        }
        Value::String(s) if s.is_empty() => Cell::Empty,
        Value::String(s) => {
            if s.len() == 10
                && let Ok(d) = Date::parse_day(s)
            {
                return Cell::Date(d);
            }
            if s.len() >= 20
                && s.ends_with('Z')
                && let Ok(t) = Timestamp::parse(s)
            {
                return Cell::Time(t);
            }
            Cell::Text(s.clone())
        }
        Value::Array(a) if a.is_empty() => Cell::Empty,
        other => Cell::Text(other.to_string()),
    }
}

/// The records of one kind as a sheet, a column per field in the record's order.
pub fn records_sheet(kind: Kind, records: &[&Record]) -> Sheet {
    let mut header: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for r in records {
        let Value::Object(map) = super::record_fields(r) else {
            continue;
        };
        if header.is_empty() {
            header = map.keys().cloned().collect();
        }
        rows.push(
            header
                .iter()
                .map(|h| map.get(h).map_or(Cell::Empty, |v| field_cell(kind, h, v)))
                .collect(),
        );
    }
    if header.is_empty() {
        header = crate::model::kinds::listed(kind)
            .iter()
            .map(|c| c.header.to_string())
            .collect();
    }
    Sheet {
        name: kind.key().to_string(),
        header,
        rows,
    }
}

/// Every individual score, a row each (the columns of `export --kind scores --format csv`).
pub fn scores_sheet(replica: &Replica) -> Sheet {
    let header = [
        "session",
        "practice",
        "evaluator",
        "entered by",
        "criterion",
        "value",
        "abstained (reason)",
        "comment",
        "time",
    ];
    let text = |s: &str| {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    };
    let rows = replica
        .rows(Kind::Score)
        .filter_map(|row| match &row.record {
            Record::Score(s) => Some(vec![
                text(s.session.as_str()),
                text(s.practice.as_str()),
                text(&s.evaluator),
                text(&s.entered_by),
                text(if s.is_practice_comment() {
                    "(the practice)"
                } else {
                    &s.criterion
                }),
                s.value.map_or(Cell::Empty, |v| Cell::Number(v.as_f64())),
                text(&s.abstain_reason),
                text(&s.comment),
                Cell::Time(s.at),
            ]),
            _ => None,
        })
        .collect();
    Sheet {
        name: "scores".into(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// A session's board: a row per practice and criterion, then the practice's overall row (the
/// columns of `board --format csv`), statistics as numbers.
pub fn board_sheet(b: &Board) -> Sheet {
    let header = [
        "session",
        "rank",
        "practice",
        "title",
        "criterion",
        "weight",
        "scores",
        "abstentions",
        "mean",
        "median",
        "min",
        "max",
        "standard deviation",
        "disagreement",
        "verdict",
        "final value",
        "decision",
        "override",
    ];
    let num = |v: Option<f64>| v.map_or(Cell::Empty, |v| Cell::Number((v * 100.0).round() / 100.0));
    let text = |s: String| {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    };
    let mut rows = Vec::new();
    for p in &b.practices {
        let rank = p.rank.map_or(Cell::Empty, |r| Cell::Number(r as f64));
        for c in &p.criteria {
            rows.push(vec![
                text(b.session.to_string()),
                rank.clone(),
                text(p.practice.to_string()),
                text(p.title.clone()),
                text(c.code.clone()),
                Cell::Number(c.weight),
                Cell::Number(c.stats.n as f64),
                Cell::Number(c.abstained as f64),
                num(c.stats.mean),
                num(c.stats.median),
                num(c.stats.min),
                num(c.stats.max),
                num(c.stats.std_dev),
                Cell::Bool(!c.disagreement.is_empty()),
                match c.passes {
                    Some(true) => text("pass".into()),
                    Some(false) => text("fail".into()),
                    None => Cell::Empty,
                },
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        rows.push(vec![
            text(b.session.to_string()),
            rank,
            text(p.practice.to_string()),
            text(p.title.clone()),
            text("overall".into()),
            Cell::Number(1.0),
            Cell::Number(p.stats.n as f64),
            Cell::Number(p.abstaining.len() as f64),
            num(p.stats.mean),
            num(p.stats.median),
            num(p.stats.min),
            num(p.stats.max),
            num(p.stats.std_dev),
            Cell::Bool(p.disagreement),
            text(p.verdict.to_string()),
            num(p.final_value),
            text(
                p.consensus
                    .as_ref()
                    .and_then(|c| c.decision)
                    .map_or_else(String::new, |d| d.key().to_string()),
            ),
            text(p.overridden().unwrap_or_default()),
        ]);
    }
    Sheet {
        name: "board".into(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    let (y, m, day) = d.ymd();
    ExcelDateTime::from_ymd(y as u16, m as u8, day as u8)
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let eur = Format::new().set_num_format(EUR);
    let date = Format::new().set_num_format(DATE);
    let time = Format::new().set_num_format(TIME);
    let percent = Format::new().set_num_format(PERCENT);
    ws.set_name(&sheet.name)?;
    let mut widths: Vec<usize> = sheet.header.iter().map(|h| h.chars().count()).collect();
    for (c, h) in sheet.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.width());
            }
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, col, text::sanitize(s, true))?;
                }
                Cell::Number(n) => {
                    ws.write_number(r, col, *n)?;
                }
                Cell::Money(n) => {
                    ws.write_number_with_format(r, col, *n, &eur)?;
                }
                Cell::Percent(n) => {
                    ws.write_number_with_format(r, col, *n, &percent)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, col, *b)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(r, col, excel_date(*d)?, &date)?;
                }
                Cell::Time(t) => {
                    let ms = t.0.rem_euclid(86_400_000);
                    let dt = excel_date(t.date())?.and_hms(
                        (ms / 3_600_000) as u16,
                        (ms / 60_000 % 60) as u8,
                        (ms % 60_000) as f64 / 1000.0,
                    )?;
                    ws.write_datetime_with_format(r, col, dt, &time)?;
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !sheet.header.is_empty() {
        ws.autofilter(0, 0, sheet.rows.len() as u32, sheet.header.len() as u16 - 1)?;
    }
    Ok(())
}

/// The sheets as the bytes of an .xlsx workbook.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, sheet).map_err(|e| format!("sheet {}: {e}", sheet.name))?;
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

/// The records of one kind or of every kind that has some, one sheet each.
pub fn records(replica: &Replica, kind: Option<Kind>) -> Result<Vec<u8>, String> {
    let sheets: Vec<Sheet> = Kind::ALL
        .iter()
        .filter(|k| kind.is_none_or(|want| want == **k))
        .filter(|k| kind.is_some() || replica.count(**k) > 0)
        .map(|k| {
            let records: Vec<&Record> = replica.rows(*k).map(|r| &r.record).collect();
            records_sheet(*k, &records)
        })
        .collect();
    workbook(&sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cell of `field` in the first row of a sheet of `kind` from the bundled records.
    fn first_cell(kind: Kind, field: &str) -> Cell {
        let records: Vec<Record> = crate::fixtures::dataset()
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| r.kind() == kind)
            .collect();
        let refs: Vec<&Record> = records.iter().collect();
        let sheet = records_sheet(kind, &refs);
        let at = sheet.header.iter().position(|h| h == field).unwrap();
        sheet.rows[0][at].clone()
    }

    #[test]
    fn amounts_and_rates_are_typed_by_their_declarations() {
        assert!(matches!(
            first_cell(Kind::Voucher, "requested"),
            Cell::Money(_)
        ));
        assert!(matches!(
            first_cell(Kind::Scheme, "min_amount"),
            Cell::Money(_)
        ));
        assert!(matches!(first_cell(Kind::Scheme, "rate"), Cell::Percent(_)));
        // A count is a plain number, whatever the kind.
        assert!(matches!(
            first_cell(Kind::Scheme, "max_vouchers_per_year"),
            Cell::Number(_) | Cell::Empty
        ));
    }
}
