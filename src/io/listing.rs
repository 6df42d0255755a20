//! `taskforce list`: records of one kind as an aligned table, TSV or JSON.

use unicode_width::UnicodeWidthStr;

use crate::model::kinds::listed;
use crate::model::{Kind, Record, text};

/// The widest a table cell grows before it is cut with "…".
const MAX_CELL: usize = 48;

/// An aligned table for people. The last column (usually the title) is never padded.
pub fn table(kind: Kind, records: &[&Record]) -> String {
    let cols = listed(kind);
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| truncate(&text::sanitize(&(c.cell)(r), false), MAX_CELL))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = cols.iter().map(|c| c.header.width()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    let headers: Vec<String> = cols.iter().map(|c| c.header.to_uppercase()).collect();
    for row in std::iter::once(&headers).chain(rows.iter()) {
        let last = row.len() - 1;
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push('\n');
    }
    out
}

/// Tab-separated values with a header line; tabs and line breaks inside cells become spaces.
pub fn tsv(kind: Kind, records: &[&Record]) -> String {
    let cols = listed(kind);
    let mut out = cols.iter().map(|c| c.header).collect::<Vec<_>>().join("\t");
    out.push('\n');
    for r in records {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| text::sanitize(&(c.cell)(r), false))
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// A JSON array of the records, each as in the export file.
pub fn json(records: &[&Record]) -> String {
    let values: Vec<serde_json::Value> = records.iter().map(|r| super::record_fields(r)).collect();
    let mut out = serde_json::to_string_pretty(&values).expect("records serialise");
    out.push('\n');
    out
}

/// Cuts text to `max` display columns, ending with "…" when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width + w > max - 1 {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_text_is_cut_by_display_width() {
        assert_eq!(truncate("東京東京東京", 7), "東京東…");
        assert_eq!(truncate("Klaipėda", 8), "Klaipėda");
    }
}
