//! What changed between two versions of a record, field by field, for history views.

use crate::model::{Record, text};

/// One changed field: its name, and the value before and after as short text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Characters of a value shown.
const SHOWN: usize = 60;
/// Characters shown before the first difference, when that lies past what is shown.
const LEAD: usize = 20;

fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shown(text: &str) -> String {
    super::listing::truncate(&text::sanitize(text, false), SHOWN)
}

fn short(value: &serde_json::Value) -> String {
    shown(&text_of(value))
}

/// Two versions of a value as short texts; when they differ only past what is shown (a word
/// added to the end of the minutes), from a little before where they first differ.
fn before_and_after(
    a: Option<&serde_json::Value>,
    b: Option<&serde_json::Value>,
) -> (String, String) {
    let (a, b) = (
        a.map(text_of).unwrap_or_default(),
        b.map(text_of).unwrap_or_default(),
    );
    let (short_a, short_b) = (shown(&a), shown(&b));
    if short_a != short_b || a == b {
        return (short_a, short_b);
    }
    let same = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let from = |s: &str| {
        format!(
            "…{}",
            s.chars()
                .skip(same.saturating_sub(LEAD))
                .collect::<String>()
        )
    };
    (shown(&from(&a)), shown(&from(&b)))
}

/// A list as its length and its last entry, which is where lists usually grow.
fn list(items: &[serde_json::Value]) -> String {
    match items.last() {
        None => "none".into(),
        Some(last) => format!("{} item(s), last: {}", items.len(), short(last)),
    }
}

/// The fields that differ; a created or deleted record lists its non-empty fields.
pub fn changes(before: Option<&Record>, after: Option<&Record>) -> Vec<FieldChange> {
    let fields = |r: Option<&Record>| match r.map(super::record_fields) {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (fields(before), fields(after));
    let mut out = Vec::new();
    let names = new
        .keys()
        .chain(old.keys().filter(|k| !new.contains_key(*k)));
    for name in names {
        let (a, b) = (old.get(name), new.get(name));
        if a != b {
            let (a, b) = match (a, b) {
                (Some(serde_json::Value::Array(x)), Some(serde_json::Value::Array(y))) => {
                    (list(x), list(y))
                }
                _ => before_and_after(a, b),
            };
            if a != b {
                out.push(FieldChange {
                    field: name.clone(),
                    before: a,
                    after: b,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn changed_fields_are_listed_and_lists_say_what_grew() {
        let sme = |city: &str| -> Record {
            Sme {
                id: SmeId::new("s"),
                name: "Example SME".into(),
                registration_number: String::new(),
                size: SmeSize::Micro,
                country: "LT".into(),
                region: String::new(),
                city: city.into(),
            }
            .into()
        };
        let c = changes(Some(&sme("Klaipeda")), Some(&sme("Klaipėda")));
        assert_eq!(
            c,
            vec![FieldChange {
                field: "city".into(),
                before: "Klaipeda".into(),
                after: "Klaipėda".into()
            }]
        );
        assert!(changes(Some(&sme("x")), Some(&sme("x"))).is_empty());
        assert_eq!(
            changes(None, Some(&sme("x")))
                .iter()
                .find(|c| c.field == "city")
                .unwrap()
                .after,
            "x"
        );
        let long = |n: usize| {
            serde_json::Value::Array(
                (0..n)
                    .map(|i| serde_json::Value::String(format!("{}{i}", "x".repeat(80))))
                    .collect(),
            )
        };
        let serde_json::Value::Array(items) = long(3) else {
            unreachable!()
        };
        assert!(list(&items).starts_with("3 item(s), last: xxx"));
    }

    #[test]
    fn a_change_past_the_first_words_of_a_long_text_is_shown_where_it_is() {
        let meeting = |minutes: &str| -> Record {
            Meeting {
                id: "m".into(),
                minutes: minutes.into(),
                ..Default::default()
            }
            .into()
        };
        let text = "The partners met in Coventry and agreed on the next steps of the plan. ";
        let c = changes(
            Some(&meeting(text)),
            Some(&meeting(&format!(
                "{text}Note: the ERDF call opens in March."
            ))),
        );
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].field, "minutes");
        assert_ne!(c[0].before, c[0].after);
        assert!(c[0].before.starts_with('…'), "{c:?}");
        assert!(c[0].after.contains("Note: the ERDF"), "{c:?}");
    }
}
