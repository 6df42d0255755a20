//! Markdown export: a document people can read, paste into minutes or print.

use std::collections::HashMap;

use crate::model::kinds;
use crate::model::*;

/// Every record of one kind or of all kinds as a readable document: a section per kind, a
/// heading per record, its fields by the labels the forms show, choices by their labels,
/// references by the title of the record they name, amounts in euros; meetings as minutes.
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
        let names = field_labels(*k);
        for row in replica.rows(*k) {
            match &row.record {
                // A meeting reads as its minutes, not as a list of its fields.
                Record::Meeting(m) => {
                    out.push('\n');
                    out.push_str(&super::papers::minutes(replica, m).nested(2).markdown());
                }
                r => record(&mut out, replica, r, &names),
            }
        }
    }
    out
}

/// A kind's field names → what to call them: the declared label without the typing hints in
/// brackets ("Country (ISO code)" → "Country"; units such as "(EUR)" stay).
fn field_labels(kind: Kind) -> HashMap<&'static str, String> {
    kinds::fields(kind)
        .iter()
        .map(|f| (f.key, f.label))
        .map(|(field, label)| {
            let shown = match label.find('(') {
                Some(i) if !matches!(&label[i..], "(EUR)" | "(%)") => label[..i].trim_end(),
                _ => label,
            };
            (field, shown.to_string())
        })
        .collect()
}

fn words(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The label of a choice stored by its key, for the fields that hold one: the choices the
/// field's declaration offers in the form, and a session's state (moved in the scoring pane).
fn choice_label(kind: Kind, field: &str, key: &str) -> Option<String> {
    if let Some(kinds::Spec::Choice { options, .. }) =
        kinds::field_of(kind, field).and_then(|f| f.form.as_ref())
    {
        return options().into_iter().find(|o| o.0 == key).map(|o| o.1);
    }
    match (kind, field) {
        (Kind::Session, "state") => SessionState::ALL
            .iter()
            .find(|v| v.key() == key)
            .map(|v| v.label().to_string()),
        _ => None,
    }
}

fn record(out: &mut String, replica: &Replica, r: &Record, names: &HashMap<&'static str, String>) {
    out.push_str(&format!(
        "\n### {}\n\n",
        escape(&text::sanitize(&r.title(), false))
    ));
    let serde_json::Value::Object(map) = super::record_fields(r) else {
        return;
    };
    // References by the name of the record they point at: "INTRA — … (intra)".
    let refs: HashMap<String, (Kind, String)> = r
        .references()
        .into_iter()
        .map(|x| (x.field, (x.kind, x.id)))
        .collect();
    let named = |path: &str, value: &str| -> String {
        match refs.get(path) {
            Some((kind, id)) if id == value => match replica.record(*kind, id) {
                Some(target) => format!("{} ({id})", target.title()),
                None => value.to_string(),
            },
            _ => value.to_string(),
        }
    };
    let kind = r.kind();
    for (name, value) in map {
        let label = names
            .get(name.as_str())
            .cloned()
            .unwrap_or_else(|| words(&name));
        let label = escape(&label);
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) if super::documents::given(&s).is_none() => {}
            serde_json::Value::Array(a) if a.is_empty() => {}
            serde_json::Value::String(s) if s.contains('\n') || s.len() > 120 => {
                out.push_str(&format!("- **{label}**:\n\n"));
                for line in text::sanitize(&s, true).lines() {
                    out.push_str(&format!("  > {}\n", escape(line)));
                }
                out.push('\n');
            }
            serde_json::Value::String(s) => {
                let shown = choice_label(kind, &name, &s).unwrap_or_else(|| named(&name, &s));
                out.push_str(&format!(
                    "- **{label}**: {}\n",
                    escape(&text::sanitize(&shown, false))
                ));
            }
            serde_json::Value::Array(items) => {
                out.push_str(&format!("- **{label}**:\n"));
                for (i, item) in items.iter().enumerate() {
                    let shown = match &item {
                        serde_json::Value::String(s) => named(&format!("{name}[{i}]"), s),
                        serde_json::Value::Object(m) => entry(&name, m),
                        other => inline(other),
                    };
                    out.push_str(&format!("  - {}\n", escape(&text::sanitize(&shown, false))));
                }
            }
            serde_json::Value::Bool(b) => out.push_str(&format!(
                "- **{label}**: {}\n",
                if b { "yes" } else { "no" }
            )),
            serde_json::Value::Number(n) => {
                let v = n.as_f64().unwrap_or_default();
                let shown = match kinds::field_of(kind, &name).and_then(|f| f.form.as_ref()) {
                    Some(kinds::Spec::Money { .. }) => {
                        Money::from_f64(v).map_or_else(|| n.to_string(), Money::eur)
                    }
                    Some(kinds::Spec::Percent { .. }) => format!("{n} %"),
                    _ => n.to_string(),
                };
                out.push_str(&format!("- **{label}**: {}\n", escape(&shown)));
            }
            other => out.push_str(&format!("- **{label}**: {}\n", escape(&inline(&other)))),
        }
    }
}

/// A number without a needless ".0".
fn number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

/// A moment as its day when it is midnight (most recorded moments are days), else in full.
fn moment(text: &str) -> String {
    match Timestamp::parse(text) {
        Ok(t) if t.0.rem_euclid(86_400_000) == 0 => t.date().to_string(),
        Ok(t) => t.to_string().replace('T', " ").replace('Z', " UTC"),
        Err(_) => text.to_string(),
    }
}

/// One item of a list of nested records, on one line: a practice's status changes and a
/// session's criteria as sentences, the others as "Field: value" pairs without empty parts
/// (choices by their labels, yes/no in words).
fn entry(field: &str, m: &serde_json::Map<String, serde_json::Value>) -> String {
    let s = |k: &str| m.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let n = |k: &str| match m.get(k) {
        Some(serde_json::Value::Number(x)) => number(x),
        _ => String::new(),
    };
    let status = |k: &str| {
        PracticeStatus::ALL
            .iter()
            .find(|v| v.key() == s(k))
            .map_or(s(k).to_string(), |v| v.label().to_string())
    };
    match field {
        "history" => {
            let mut out = moment(s("at"));
            out.push_str(": ");
            if !s("from").is_empty() {
                out.push_str(&format!("{} → ", status("from")));
            }
            out.push_str(&status("to"));
            if !s("by").is_empty() {
                out.push_str(&format!(", by {}", s("by")));
            }
            if !s("session").is_empty() {
                out.push_str(&format!(" (session {})", s("session")));
            }
            if !s("reason").is_empty() {
                out.push_str(&format!(": {}", s("reason")));
            }
            out
        }
        "criteria" => {
            let scale = m.get("scale").and_then(|v| v.as_object());
            let bound = |k: &str| match scale.and_then(|sc| sc.get(k)) {
                Some(serde_json::Value::Number(x)) => number(x),
                _ => String::new(),
            };
            let mut out = format!("{} ({}), weight {} %", s("label"), s("code"), n("weight"));
            out.push_str(&format!(", scale {}–{}", bound("min"), bound("max")));
            if !n("pass_threshold").is_empty() {
                out.push_str(&format!(", pass threshold {}", n("pass_threshold")));
            }
            if m.get("eliminatory").and_then(|v| v.as_bool()) == Some(true) {
                out.push_str(", eliminatory");
            }
            if !s("description").is_empty() {
                out.push_str(&format!(": {}", s("description")));
            }
            out
        }
        _ => m
            .iter()
            .filter(|(_, v)| {
                !matches!(v, serde_json::Value::Null)
                    && v.as_str()
                        .is_none_or(|t| super::documents::given(t).is_some())
                    && v.as_array().is_none_or(|a| !a.is_empty())
            })
            .map(|(k, v)| {
                let shown = match (k.as_str(), v) {
                    (_, serde_json::Value::Bool(b)) => (if *b { "yes" } else { "no" }).to_string(),
                    (_, serde_json::Value::Number(x)) => number(x),
                    ("status", serde_json::Value::String(t)) => ActionStatus::ALL
                        .iter()
                        .find(|a| a.key() == t)
                        .map_or(t.clone(), |a| a.label().to_string()),
                    ("decision", serde_json::Value::String(t)) => Decision::ALL
                        .iter()
                        .find(|a| a.key() == t)
                        .map_or(t.clone(), |a| a.label().to_string()),
                    ("at", serde_json::Value::String(t)) => moment(t),
                    (_, v) => inline(v),
                };
                format!("{}: {shown}", words(k))
            })
            .collect::<Vec<_>>()
            .join("; "),
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
            .map(|(k, v)| match v {
                serde_json::Value::Bool(b) => {
                    format!("{}: {}", k.replace('_', " "), if *b { "yes" } else { "no" })
                }
                v => format!("{}: {}", k.replace('_', " "), inline(v)),
            })
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
