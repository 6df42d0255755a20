//! What of each record is searched, and how much it counts. Which fields are searched, in which
//! group and under which label, each kind's declaration says (`model::kinds`); a voucher
//! scheme's voucher types are entries of their own, built here.
//!
//! Every record (and every voucher type inside a voucher scheme) becomes one search entry with
//! four groups of fields, matched and weighted separately:
//! - **title**: the record's title or name, as lists show it;
//! - **keys**: short fields that name or place it (id, owner, city, country, kind of meeting,
//!   keywords, status…);
//! - **context**: the names of the records it refers to (a practice's partner and project, a
//!   voucher's scheme, voucher type and SME…), kept current when those are renamed;
//! - **long**: descriptions, summaries, minutes, agendas: matched by whole words only.

use std::borrow::Cow;

use crate::model::kinds;
use crate::model::*;

pub use crate::model::kinds::{RefTo, country_name};

/// The searchable text of one entry, before folding.
pub struct Source<'a> {
    pub kind: Kind,
    /// The voucher type's code, for an entry that is a voucher type of the scheme.
    pub sub: Option<&'a str>,
    pub title: Cow<'a, str>,
    /// In the order of [`key_labels`].
    pub keys: Vec<Cow<'a, str>>,
    pub refs: Vec<RefTo<'a>>,
    /// In the order of [`long_labels`].
    pub long: Vec<Cow<'a, str>>,
}

/// What one entry is called in results ("practice", "voucher type").
pub fn label(kind: Kind, is_type: bool) -> &'static str {
    if is_type {
        "voucher type"
    } else {
        kind.singular()
    }
}

/// Words that describe the kind, matched with low weight: "vouch" finds vouchers.
pub fn kind_words(kind: Kind, is_type: bool) -> &'static str {
    if is_type {
        return "voucher type";
    }
    kinds::declaration(kind).words.unwrap_or(kind.singular())
}

/// The labels of the key fields of an entry (as the kind's declaration gives them).
pub fn key_labels(kind: Kind, is_type: bool) -> &'static [&'static str] {
    if is_type {
        return &["id", "code", "scheme", "issuer", "country"];
    }
    &kinds::searched(kind).key_labels
}

/// The labels of the long fields of an entry (as the kind's declaration gives them).
pub fn long_labels(kind: Kind, is_type: bool) -> &'static [&'static str] {
    if is_type {
        return &["description"];
    }
    &kinds::searched(kind).long_labels
}

fn text(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// The record's title as lists show it ([`Record::title`]), borrowed where it is one field.
pub fn title_of(record: &Record) -> Cow<'_, str> {
    match record {
        Record::Partner(r) => Cow::Borrowed(&r.organisation),
        Record::Practice(r) => Cow::Borrowed(&r.title),
        Record::Meeting(r) => Cow::Borrowed(&r.title),
        Record::CriteriaSet(r) => Cow::Borrowed(&r.name),
        Record::Session(r) => Cow::Borrowed(&r.title),
        Record::ActionPlan(r) => Cow::Borrowed(&r.title),
        Record::Action(r) => Cow::Borrowed(&r.title),
        Record::Scheme(r) => Cow::Borrowed(&r.name),
        Record::Sme(r) => Cow::Borrowed(&r.name),
        other => Cow::Owned(other.title()),
    }
}

/// The name other records show for this one: a project's acronym, otherwise its title.
pub fn name_of(record: &Record) -> Cow<'_, str> {
    match record {
        Record::Project(p) => Cow::Borrowed(p.acronym.as_str()),
        other => title_of(other),
    }
}

/// The entries of one record: the record itself and, for a voucher scheme, each voucher type.
pub fn sources(record: &Record) -> Vec<Source<'_>> {
    let kind = record.kind();
    let id = record.id();
    let searched = kinds::searched(kind);
    let mut refs = Vec::new();
    for names in &searched.names {
        (names.refs)(record, &mut refs);
    }
    let source = Source {
        kind,
        sub: None,
        title: title_of(record),
        keys: searched.keys.iter().map(|f| (f.text)(record)).collect(),
        refs,
        long: searched.long.iter().map(|f| (f.text)(record)).collect(),
    };
    let mut types = Vec::new();
    // A scheme's voucher types are entries of their own.
    if let Record::Scheme(r) = record {
        for t in &r.types {
            types.push(Source {
                kind,
                sub: Some(t.code.as_str()),
                title: text(&t.name),
                keys: vec![
                    text(id),
                    text(&t.code),
                    text(&r.name),
                    text(&r.issuer),
                    kinds::country(&r.country),
                ],
                refs: Vec::new(),
                long: vec![text(&t.description)],
            });
        }
    }
    let mut out = Vec::with_capacity(1 + types.len());
    out.push(source);
    out.extend(types);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Record> {
        let json = include_str!("../../tests/data/sample.json");
        crate::io::json::parse(json, "sample.json")
            .unwrap()
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    #[test]
    fn every_kind_has_its_fields_in_the_order_of_its_labels() {
        let records = sample();
        for kind in Kind::ALL {
            assert!(
                records.iter().any(|r| r.kind() == *kind),
                "the sample has a {kind}"
            );
        }
        let mut types = 0;
        for r in &records {
            for s in sources(r) {
                let is_type = s.sub.is_some();
                types += usize::from(is_type);
                assert_eq!(
                    s.keys.len(),
                    key_labels(s.kind, is_type).len(),
                    "{}",
                    r.id()
                );
                assert_eq!(
                    s.long.len(),
                    long_labels(s.kind, is_type).len(),
                    "{}",
                    r.id()
                );
                assert_eq!(s.keys[0], r.id());
            }
        }
        assert_eq!(types, 2, "the sample scheme has two voucher types");
    }

    #[test]
    fn references_and_names() {
        let records = sample();
        let voucher = records.iter().find(|r| r.id() == "v-1").unwrap();
        let s = &sources(voucher)[0];
        assert_eq!(
            s.refs,
            [
                RefTo::Record(Kind::Scheme, "si-vouchers"),
                RefTo::Type("si-vouchers", "fairs"),
                RefTo::Record(Kind::Sme, "sme-1"),
            ]
        );
        let project = records.iter().find(|r| r.kind() == Kind::Project).unwrap();
        assert_eq!(name_of(project), "INTRA");
        let partner = records.iter().find(|r| r.id() == "kid").unwrap();
        assert_eq!(name_of(partner), "Klaipėda ID");
        for r in &records {
            assert_eq!(title_of(r), r.title(), "{}", r.id());
        }
        assert!(sources(partner)[0].keys.iter().any(|k| k == "LT Lithuania"));
        // A transfer is found by the names of the practice, partner and action it refers to,
        // by its instrument, stage and result, and by its evidence and stage notes.
        let transfer = records.iter().find(|r| r.id() == "tr-east-mra").unwrap();
        let s = &sources(transfer)[0];
        assert_eq!(
            s.refs,
            [
                RefTo::Record(Kind::Practice, "gp-east"),
                RefTo::Record(Kind::Partner, "mra"),
                RefTo::Record(Kind::Action, "ap-si-1"),
            ]
        );
        assert_eq!(
            s.keys,
            [
                "tr-east-mra",
                "Example: Operational Programme, priority 3",
                "adapted",
                "policy instrument improved"
            ]
        );
        assert_eq!(
            s.long,
            [
                "Example: the call text names the practice.\nSecond line, with a comma.",
                "seen at the study visit; criteria rewritten; \"pilot\" | two regions"
            ]
        );
    }
}
