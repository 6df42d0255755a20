//! Markdown export: a document people can read, paste into minutes or print.

use crate::model::{Kind, Record, Replica, Timestamp, text};

pub fn markdown(replica: &Replica, kind: Option<Kind>) -> String {
    let mut out = format!("# taskforce export\n\nWritten {}.\n", Timestamp::now());
    for k in Kind::ALL
        .iter()
        .filter(|k| kind.is_none_or(|want| want == **k))
    {
        let count = replica.count(*k);
        if count == 0 && kind.is_none() {
            continue;
        }
        let title = k.key().replace('_', " ");
        out.push_str(&format!(
            "\n## {}{} ({count})\n",
            title[..1].to_uppercase(),
            &title[1..]
        ));
        for row in replica.rows(*k) {
            match &row.record {
                // A meeting reads as its minutes, not as a list of its fields.
                Record::Meeting(m) => {
                    out.push('\n');
                    out.push_str(&super::papers::minutes(replica, m).nested(2).markdown());
                }
                r => record(&mut out, r),
            }
        }
    }
    out
}

fn record(out: &mut String, r: &Record) {
    out.push_str(&format!(
        "\n### {}\n\n",
        escape(&text::sanitize(&r.title(), false))
    ));
    let serde_json::Value::Object(map) = super::record_fields(r) else {
        return;
    };
    for (name, value) in map {
        let label = name.replace('_', " ");
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) if s.is_empty() => {}
            serde_json::Value::Array(a) if a.is_empty() => {}
            serde_json::Value::String(s) if s.contains('\n') || s.len() > 120 => {
                out.push_str(&format!("- **{label}**:\n\n"));
                for line in text::sanitize(&s, true).lines() {
                    out.push_str(&format!("  > {}\n", escape(line)));
                }
                out.push('\n');
            }
            serde_json::Value::Array(items) => {
                out.push_str(&format!("- **{label}**:\n"));
                for item in items {
                    out.push_str(&format!("  - {}\n", escape(&inline(&item))));
                }
            }
            other => out.push_str(&format!("- **{label}**: {}\n", escape(&inline(&other)))),
        }
    }
}

/// A value on one line: objects as "key: value; key: value" without empty parts.
fn inline(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => text::sanitize(s, false),
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(_, v)| {
                !matches!(v, serde_json::Value::Null)
                    && v.as_str() != Some("")
                    && v.as_array().is_none_or(|a| !a.is_empty())
            })
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), inline(v)))
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Array(items) => items.iter().map(inline).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Escapes the characters that would turn record text into Markdown markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
