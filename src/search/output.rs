//! Search results for `taskforce search`: an aligned table for people, TSV and JSON for scripts.

use unicode_width::UnicodeWidthStr;

use super::rank::{FieldHit, Hit};
use crate::io::listing::truncate;

/// The widest the title column grows before it is cut with "…".
const MAX_TITLE: usize = 60;
/// The widest the "matched in" column grows.
const MAX_MATCH: usize = 70;

/// Text with its marked characters wrapped in bold-underline escapes.
fn marked(text: &str, marks: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 8);
    let mut on = false;
    for (i, c) in text.chars().enumerate() {
        let m = marks.binary_search(&i).is_ok();
        if m != on {
            out.push_str(if m { "\u{1b}[1;4m" } else { "\u{1b}[22;24m" });
            on = m;
        }
        out.push(c);
    }
    if on {
        out.push_str("\u{1b}[22;24m");
    }
    out
}

/// Cuts `text` to `max` columns and keeps the marks that still fall inside.
fn cell(text: &str, marks: &[usize], max: usize, with_marks: bool) -> (String, usize) {
    let cut = truncate(text, max);
    let width = cut.width();
    if !with_marks {
        return (cut, width);
    }
    let kept = cut.chars().count() - usize::from(cut.ends_with('…') && cut != text);
    let marks: Vec<usize> = marks.iter().copied().filter(|m| *m < kept).collect();
    (marked(&cut, &marks), width)
}

/// Where else than the title the query matched: "city: Badajoz; partner: FUNDECYT…".
fn matched_in(fields: &[FieldHit]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut marks = Vec::new();
    for f in fields {
        if !text.is_empty() {
            text.push_str("; ");
        }
        let base = text.chars().count() + f.label.chars().count() + 2;
        text.push_str(f.label);
        text.push_str(": ");
        text.push_str(&f.text);
        marks.extend(f.marks.iter().map(|m| m + base));
    }
    (text, marks)
}

/// An aligned table: what the hit is, its id, its title, and where else the query matched.
/// With `with_marks`, matched characters are bold and underlined (for a terminal).
pub fn table(hits: &[Hit], with_marks: bool) -> String {
    if hits.is_empty() {
        return String::new();
    }
    let headers = ["KIND", "ID", "TITLE", "MATCHED IN"];
    let rows: Vec<[(String, usize); 4]> = hits
        .iter()
        .map(|h| {
            let id = match &h.voucher_type {
                Some(code) => format!("{} ({code})", h.id),
                None => h.id.clone(),
            };
            let (m, mm) = matched_in(&h.fields);
            [
                (h.label.to_string(), h.label.width()),
                (id.clone(), id.width()),
                cell(&h.title, &h.title_marks, MAX_TITLE, with_marks),
                cell(&m, &mm, MAX_MATCH, with_marks),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in &rows {
        for (w, (_, width)) in widths.iter_mut().zip(row) {
            *w = (*w).max(*width);
        }
    }
    let mut out = String::new();
    let header_row: [(String, usize); 4] = headers.map(|h| (h.to_string(), h.width()));
    for row in std::iter::once(&header_row).chain(rows.iter()) {
        let last = row.iter().rposition(|(_, w)| *w > 0).unwrap_or(0);
        for (i, (text, width)) in row.iter().enumerate().take(last + 1) {
            out.push_str(text);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - width + 2));
            }
        }
        out.push('\n');
    }
    out
}

fn tsv_cell(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// Tab-separated values with a header line, one hit a line, best first.
pub fn tsv(hits: &[Hit]) -> String {
    let mut out = String::from("kind\tid\tvoucher_type\tlabel\tscore\ttitle\tmatched_in\n");
    for h in hits {
        let (m, _) = matched_in(&h.fields);
        let cells = [
            h.kind.key().to_string(),
            h.id.clone(),
            h.voucher_type.clone().unwrap_or_default(),
            h.label.to_string(),
            h.score.to_string(),
            tsv_cell(&h.title),
            tsv_cell(&m),
        ];
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// A JSON array of hits, best first, with the matched characters as char indices.
pub fn json(hits: &[Hit]) -> String {
    let values: Vec<serde_json::Value> = hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "kind": h.kind.key(),
                "id": h.id,
                "voucher_type": h.voucher_type,
                "label": h.label,
                "score": h.score,
                "title": h.title,
                "title_marks": h.title_marks,
                "matched_in": h.fields.iter().map(|f| serde_json::json!({
                    "field": f.label,
                    "text": f.text,
                    "marks": f.marks,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&values).expect("hits serialise");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn hit() -> Hit {
        Hit {
            kind: Kind::Partner,
            id: "kid".into(),
            voucher_type: None,
            label: "partner",
            score: 100,
            title: "Klaipėda ID".into(),
            title_marks: vec![0, 1, 2, 3, 4, 5, 6, 7],
            fields: vec![FieldHit {
                label: "city",
                text: "Klaipėda".into(),
                marks: vec![0, 1],
            }],
        }
    }

    #[test]
    fn marks_wrap_the_matched_characters() {
        assert_eq!(marked("abcd", &[1, 2]), "a\u{1b}[1;4mbc\u{1b}[22;24md");
        assert_eq!(marked("ab", &[1]), "a\u{1b}[1;4mb\u{1b}[22;24m");
        let t = table(&[hit()], false);
        assert_eq!(
            t,
            "KIND     ID   TITLE        MATCHED IN\npartner  kid  Klaipėda ID  city: Klaipėda\n"
        );
        let t = table(&[hit()], true);
        assert!(t.contains("\u{1b}[1;4mKlaipėda\u{1b}[22;24m ID"), "{t}");
        let (m, marks) = matched_in(&hit().fields);
        assert_eq!(m, "city: Klaipėda");
        assert_eq!(marks, [6, 7]);
    }
}
