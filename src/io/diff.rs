//! What changed between two versions of a record, field by field, for history views.

use crate::model::{Record, text};

/// One changed field: its name, and the value before and after as short text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn short(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    super::listing::truncate(&text::sanitize(&text, false), 60)
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
                _ => (
                    a.map(short).unwrap_or_default(),
                    b.map(short).unwrap_or_default(),
                ),
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
}
