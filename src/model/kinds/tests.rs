//! The declaration test: every field of every kind is declared exactly once, and the listings
//! derived from the declarations are well formed.

use std::collections::BTreeSet;

use super::*;

/// One record of each kind: from the bundled records, the generator, and a member and a
/// transfer (neither bundles one).
fn one_of_each() -> Vec<Record> {
    let mut records: Vec<Record> = crate::fixtures::dataset()
        .into_records()
        .into_iter()
        .chain(crate::generate::generate(400, 7).into_records())
        .map(|(_, r)| r)
        .collect();
    records.push(Record::from(Member {
        id: MemberId("alice".into()),
        name: "Alice".into(),
        organisation: "MRA".into(),
        partner: None,
        facilitator: true,
    }));
    records.push(Record::from(Transfer {
        id: TransferId("tr-1".into()),
        title: "Vouchers into the regional programme".into(),
        practice: PracticeId("gp-1".into()),
        partner: PartnerId("pp-1".into()),
        instrument: "Regional programme".into(),
        action: Some(ActionId("a-1".into())),
        stages: vec![StageStep {
            on: Date::parse("2019-05").unwrap(),
            stage: TransferStage::Interest,
            note: String::new(),
        }],
        evidence: String::new(),
        links: Vec::new(),
        result: Some(TransferResult::NewProjects),
        source: String::new(),
    }));
    Kind::ALL
        .iter()
        .map(|k| {
            records
                .iter()
                .find(|r| r.kind() == *k)
                .unwrap_or_else(|| panic!("no {} to check the declaration against", k.singular()))
                .clone()
        })
        .collect()
}

/// The names a record's fields have in files: its serde names.
fn serde_keys(record: &Record) -> BTreeSet<String> {
    let value = serde_json::to_value(record).expect("a record serialises");
    let serde_json::Value::Object(outer) = value else {
        panic!("a record serialises as {{Kind: fields}}")
    };
    let Some(serde_json::Value::Object(fields)) = outer.into_iter().next().map(|(_, v)| v) else {
        panic!("a record's fields serialise as an object")
    };
    fields.keys().cloned().collect()
}

#[test]
fn every_field_of_every_kind_is_declared_exactly_once() {
    for record in one_of_each() {
        let kind = record.kind();
        let declared: Vec<&str> = fields(kind).iter().map(|f| f.key).collect();
        let unique: BTreeSet<String> = declared.iter().map(|k| k.to_string()).collect();
        assert_eq!(
            unique.len(),
            declared.len(),
            "{kind}: a field is declared twice: {declared:?}"
        );
        assert_eq!(
            unique,
            serde_keys(&record),
            "{kind}: the declaration and the record's fields differ"
        );
    }
}

#[test]
fn columns_have_one_place_each_and_the_id_comes_first() {
    for kind in Kind::ALL {
        let places: Vec<u8> = listed(*kind).iter().map(|c| c.at).collect();
        assert_eq!(
            places,
            (0..places.len() as u8).collect::<Vec<_>>(),
            "{kind}: the listed columns' places"
        );
        assert_eq!(listed(*kind)[0].header, "id", "{kind}");
        let at: Vec<u8> = columns(*kind).iter().map(|c| c.at).collect();
        assert_eq!(
            at,
            (0..at.len() as u8).collect::<Vec<_>>(),
            "{kind}: the workbench columns' places"
        );
        assert_eq!(
            columns(*kind)
                .iter()
                .filter(|c| matches!(c.width, Width::Fill(_)))
                .count(),
            1,
            "{kind}: one column fills the list's width"
        );
    }
}

#[test]
fn a_cell_reads_only_its_own_kind() {
    let records = one_of_each();
    let replica = Replica::default();
    for record in &records {
        for other in Kind::ALL.iter().filter(|k| **k != record.kind()) {
            for c in listed(*other).iter().skip(1) {
                assert_eq!(
                    (c.cell)(record),
                    "",
                    "{other} column {} on a {}",
                    c.header,
                    record.kind()
                );
            }
            for c in columns(*other) {
                assert_eq!(
                    (c.cell)(&replica, record),
                    "",
                    "{other} column {}",
                    c.header
                );
            }
        }
    }
}

#[test]
fn searched_fields_have_one_place_each_and_the_id_is_the_first_key() {
    for kind in Kind::ALL {
        let s = searched(*kind);
        let places = |at: Vec<u8>, what: &str| {
            assert_eq!(
                at,
                (0..at.len() as u8).collect::<Vec<_>>(),
                "{kind}: the places of the searched {what}"
            )
        };
        places(s.keys.iter().map(|f| f.at).collect(), "keys");
        places(s.long.iter().map(|f| f.at).collect(), "long texts");
        places(s.names.iter().map(|f| f.at).collect(), "references");
        assert_eq!(s.key_labels[0], "id", "{kind}");
    }
}

#[test]
fn every_reference_a_record_holds_at_its_top_is_searched_by_name() {
    // The names of the records a record refers to are searched with it (capped for an
    // action's inspiring practices); nested references (a session in a status change, a
    // partner in the attendance) are not.
    for record in one_of_each() {
        let mut named = Vec::new();
        for n in &searched(record.kind()).names {
            (n.refs)(&record, &mut named);
        }
        for r in record.references() {
            if r.field.contains('.') || r.field.starts_with("practices[") {
                continue;
            }
            assert!(
                named.contains(&RefTo::Record(r.kind, &r.id)),
                "{}: {} ({}) is not searched by name",
                record.kind(),
                r.field,
                r.id
            );
        }
    }
}

#[test]
fn facets_have_one_place_each_and_each_facet_is_one_field() {
    for kind in Kind::ALL {
        let at: Vec<u8> = facets(*kind).iter().map(|f| f.at).collect();
        assert_eq!(
            at,
            (0..at.len() as u8).collect::<Vec<_>>(),
            "{kind}: facet places"
        );
        for f in facets(*kind) {
            let n = facets(*kind).iter().filter(|g| g.facet == f.facet).count();
            assert_eq!(n, 1, "{kind}: facet {} declared {n} times", f.facet.label());
        }
    }
}

#[test]
fn every_order_offered_is_given_by_one_field_and_every_declared_order_is_offered() {
    for kind in Kind::ALL {
        let declared: Vec<SortBy> = fields(*kind)
            .iter()
            .filter_map(|f| f.sort)
            .map(|s| s.by)
            .collect();
        for by in sorts(*kind).iter().filter(|b| b.by_field()) {
            let n = declared.iter().filter(|d| *d == by).count();
            assert_eq!(n, 1, "{kind}: {} is given by {n} fields", by.label());
        }
        for by in &declared {
            assert!(by.by_field(), "{kind}: {} is the workbench's", by.label());
            assert!(
                sorts(*kind).contains(by),
                "{kind}: a field sorts by {} but the list does not offer it",
                by.label()
            );
        }
    }
}

/// Every record the tests have: the bundled ones, generated ones and a member.
fn all_records() -> Vec<Record> {
    crate::fixtures::dataset()
        .into_records()
        .into_iter()
        .chain(crate::generate::generate(400, 11).into_records())
        .map(|(_, r)| r)
        .chain(one_of_each())
        .collect()
}

/// Why a field's value, as its form reads it, does not fit its spec, if it does not (what the
/// compiler cannot see: a choice's options are another type's, a reference names another kind).
fn misfit(record: &Record, key: &str, spec: &Spec) -> Option<String> {
    // A list's references are named by their item: `practices[2]`.
    let referred = |id: &str, kind: Kind| {
        record
            .references()
            .iter()
            .any(|r| r.field.split('[').next() == Some(key) && r.kind == kind && r.id == id)
    };
    let fits = match spec {
        Spec::Choice {
            options,
            required,
            at,
        } => match (at.get)(record).0 {
            None => !required,
            Some(k) => options().iter().any(|o| o.0 == k),
        },
        Spec::Ref { kind, required, at } => match (at.get)(record).0 {
            None => !required,
            Some(id) => referred(&id, *kind),
        },
        Spec::Refs { kind, at } => (at.get)(record).0.iter().all(|id| referred(id, *kind)),
        _ => true,
    };
    (!fits).then(|| {
        format!(
            "{}.{key}: its form ({spec:?}) cannot edit it",
            record.kind()
        )
    })
}

#[test]
fn each_form_spec_fits_the_values_its_field_holds() {
    for record in all_records() {
        for f in fields(record.kind()) {
            if let Some(spec) = &f.form
                && let Some(why) = misfit(&record, f.key, spec)
            {
                panic!("{} ({}): {why}", record.id(), record.kind());
            }
        }
    }
}

#[test]
fn detail_rows_and_texts_have_one_place_each_and_read_only_their_own_kind() {
    let records = one_of_each();
    let replica = Replica::default();
    for kind in Kind::ALL {
        let s = shown(*kind);
        for (what, list) in [("rows", &s.rows), ("texts", &s.texts)] {
            let at: Vec<u8> = list.iter().map(|(_, s)| s.at).collect();
            assert_eq!(
                at,
                (0..at.len() as u8).collect::<Vec<_>>(),
                "{kind}: the places of the detail's {what}"
            );
        }
        for record in records.iter().filter(|r| r.kind() != *kind) {
            for (f, s) in s.rows.iter().chain(&s.texts) {
                let empty = match s.how {
                    Show::Text(v) | Show::Strong(v) => v(&replica, record).is_empty(),
                    Show::Link(_, id) => id(record).is_none(),
                    Show::Day(day) => day(record) == (None, String::new()),
                    Show::Period(span) => span(record) == (None, None),
                    Show::Periods(spans) => spans(record).is_empty(),
                    Show::Block(t) | Show::Lines(t) => t(record).is_empty(),
                };
                assert!(empty, "{kind}.{} on a {}", f.key, record.kind());
            }
        }
    }
}
