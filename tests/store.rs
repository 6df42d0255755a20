//! The store: round trips, refusals that change nothing, schema versions, undo, damaged values.

mod common;

use common::*;
use taskforce::io::json;
use taskforce::model::*;
use taskforce::store::{CommandError, Store, StoreError, codec};

fn export(store: &Store) -> String {
    json::export(&store.load().unwrap().0, None)
}

fn put_practice(store: &Store, p: Practice) -> Result<Committed, CommandError> {
    store.apply(
        &actor(),
        Command::Put {
            record: p.into(),
            expected_rev: None,
        },
    )
}

fn practice(store: &Store, id: &str) -> Practice {
    match store.get(Kind::Practice, id).unwrap().unwrap().record {
        Record::Practice(p) => *p,
        _ => unreachable!(),
    }
}

#[test]
fn every_kind_round_trips_through_the_codec() {
    for record in sample_records().into_iter().chain(
        taskforce::fixtures::dataset()
            .into_records()
            .into_iter()
            .map(|(_, r)| r),
    ) {
        let row = Row {
            rev: 7,
            at: Timestamp(1_700_000_000_123),
            by: "x".into(),
            record,
        };
        let bytes = codec::encode(&row);
        assert_eq!(codec::decode::<Row>(&bytes).unwrap(), row);
    }
}

#[test]
fn export_then_import_reproduces_the_database_exactly() {
    let (_a, db1) = temp_db();
    let first = sample_store(&db1);
    let text = export(&first);
    let (_b, db2) = temp_db();
    let second = Store::open(&db2).unwrap();
    let records = json::parse(&text, "export")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    second
        .apply(
            &actor(),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "export".into(),
            },
        )
        .unwrap();
    assert_eq!(export(&second), text);
    let (r1, r2) = (first.load().unwrap().0, second.load().unwrap().0);
    for kind in Kind::ALL {
        let a: Vec<&Record> = r1.rows(*kind).map(|r| &r.record).collect();
        let b: Vec<&Record> = r2.rows(*kind).map(|r| &r.record).collect();
        assert_eq!(a, b, "{kind} differ");
    }
    // Diacritics and wide characters are kept byte for byte.
    assert!(text.contains("Klaipėda") && text.contains("Potočnik") && text.contains("東京"));
}

#[test]
fn a_refused_import_leaves_the_database_as_it_was() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let before = (
        export(&store),
        store.seq().unwrap(),
        store.audit(1000).unwrap().len(),
    );
    let mut records = sample_records();
    // Every good record replaced, plus one new record that breaks a rule.
    let mut bad = practice(&store, "gp-vouchers");
    bad.id = PracticeId::new("gp-new");
    bad.title = "x".repeat(101);
    bad.history.clear();
    records.push(bad.into());
    let err = store
        .apply(
            &actor(),
            Command::Import {
                records,
                on_conflict: OnConflict::Replace,
                source: "t".into(),
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("title: is 101 characters long; at most 100"),
        "{err}"
    );
    assert_eq!(
        (
            export(&store),
            store.seq().unwrap(),
            store.audit(1000).unwrap().len()
        ),
        before
    );
    // Ids that exist are refused by default, and listed.
    let err = store
        .apply(
            &actor(),
            Command::Import {
                records: sample_records(),
                on_conflict: OnConflict::Fail,
                source: "t".into(),
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("already exist") && err.to_string().contains("--on-conflict"),
        "{err}"
    );
    assert_eq!(
        (
            export(&store),
            store.seq().unwrap(),
            store.audit(1000).unwrap().len()
        ),
        before
    );
    // Skip keeps the stored records and writes nothing new.
    let ok = store
        .apply(
            &actor(),
            Command::Import {
                records: sample_records(),
                on_conflict: OnConflict::Skip,
                source: "t".into(),
            },
        )
        .unwrap();
    assert!(ok.changes.is_empty());
    assert_eq!(export(&store), before.0);
}

#[test]
fn references_and_rules_are_enforced_with_field_names() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let mut p = practice(&store, "gp-east");
    p.partner = Some(PartnerId::new("ghost"));
    let err = put_practice(&store, p).unwrap_err();
    assert_eq!(
        err.to_string(),
        "practice 'gp-east': partner: refers to partner 'ghost', which does not exist"
    );
    // A record that others refer to cannot be deleted; the message says who refers to it.
    let err = store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Partner,
                id: "mra".into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::InUse { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("practice 'gp-vouchers' refers to it in partner"),
        "{err}"
    );
}

#[test]
fn voucher_rules_are_refused_with_their_numbers() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let Record::Voucher(mut v) = store.get(Kind::Voucher, "v-2").unwrap().unwrap().record else {
        unreachable!()
    };
    v.requested = Money::from_units(1300);
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: v.clone().into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("more than 60.00% of the eligible cost EUR 2,000.00 = EUR 1,200.00"),
        "{err}"
    );
    v.requested = Money::from_units(1200);
    v.status = VoucherStatus::Paid;
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: v.into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot move from 'submitted' to 'paid'"),
        "{err}"
    );
}

#[test]
fn a_stale_revision_is_refused_instead_of_overwriting() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let rev = store.get(Kind::Practice, "gp-east").unwrap().unwrap().rev;
    let mut p = practice(&store, "gp-east");
    p.city = "Rzeszów".into();
    store
        .apply(
            &actor(),
            Command::Put {
                record: p.clone().into(),
                expected_rev: Some(rev),
            },
        )
        .unwrap();
    p.city = "Kraków".into();
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: p.into(),
                expected_rev: Some(rev),
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::Conflict { .. }), "{err}");
    assert_eq!(practice(&store, "gp-east").city, "Rzeszów");
}

#[test]
fn edits_and_deletes_are_undone_from_the_audit_log() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let original = practice(&store, "gp-east");
    let mut edited = original.clone();
    edited.title = "Export desk".into();
    let edit = store
        .apply(
            &actor(),
            Command::Put {
                record: edited.into(),
                expected_rev: None,
            },
        )
        .unwrap();
    store
        .apply(&actor(), Command::Undo { seq: edit.seq })
        .unwrap();
    assert_eq!(practice(&store, "gp-east"), original);
    // Undoing twice is refused: the record changed since (by the undo itself).
    assert!(matches!(
        store.apply(&actor(), Command::Undo { seq: edit.seq }),
        Err(CommandError::Undo(_))
    ));

    // The sample's transfer refers to gp-east: it goes first.
    store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Transfer,
                id: "tr-east-mra".into(),
                expected_rev: None,
            },
        )
        .unwrap();
    let delete = store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Practice,
                id: "gp-east".into(),
                expected_rev: None,
            },
        )
        .unwrap();
    assert!(store.get(Kind::Practice, "gp-east").unwrap().is_none());
    store
        .apply(&actor(), Command::Undo { seq: delete.seq })
        .unwrap();
    assert_eq!(practice(&store, "gp-east"), original);
    let log = store.audit(10).unwrap();
    assert_eq!(log[0].summary, format!("undo change #{}", delete.seq));
    assert_eq!(log[0].actor.user, "tester");
    // The import that created it, the edit, its undo, the delete, and its undo.
    assert_eq!(store.history(Kind::Practice, "gp-east").unwrap().len(), 5);
}

#[test]
fn text_is_stored_in_nfc() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let mut p = practice(&store, "gp-east");
    p.city = "Klaipe\u{307}da".into();
    put_practice(&store, p).unwrap();
    assert_eq!(practice(&store, "gp-east").city, "Klaipėda");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let (_d, db) = temp_db();
    sample_db(&db);
    {
        let raw = sled::open(&db).unwrap();
        raw.open_tree("meta")
            .unwrap()
            .insert("schema_version", &99u32.to_be_bytes())
            .unwrap();
        raw.flush().unwrap();
    }
    wait_released(&db);
    match Store::open(&db) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    wait_released(&db);
    let raw = sled::open(&db).unwrap();
    assert_eq!(
        raw.open_tree("meta")
            .unwrap()
            .get("schema_version")
            .unwrap()
            .unwrap()
            .as_ref(),
        &99u32.to_be_bytes()
    );
}

#[test]
fn a_damaged_record_is_reported_and_the_rest_stays_readable() {
    let (_d, db) = temp_db();
    sample_db(&db);
    edit_stored(&db, "practices", "gp-east", |bytes| bytes.push(0));
    let store = Store::open(&db).unwrap();
    let (replica, problems) = store.load().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].tree.as_str(), problems[0].key.as_str()),
        ("practices", "gp-east")
    );
    assert!(replica.record(Kind::Practice, "gp-vouchers").is_some());
    assert_eq!(replica.len(), sample_records().len() - 1);
    drop(store);
    let out = taskforce(&["--db", db.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(
        stdout(&out).contains("practices/gp-east: 1 bytes left over"),
        "{}",
        stdout(&out)
    );
}

/// A database written by schema version 1, kept so that every later version proves it still
/// opens it. `cargo test --test store -- --ignored write_v1_database` rewrote it once.
const V1_DB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/db-v1");

#[test]
fn the_version_1_database_still_opens_with_its_records() {
    let (_d, db) = temp_db();
    copy_dir(std::path::Path::new(V1_DB), &db);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        taskforce::store::SCHEMA_VERSION
    );
    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/db-v1.json"
    ))
    .unwrap();
    // Compared as data: kinds added since version 1 appear as empty sections.
    assert_eq!(
        json::parse(&export(&store), "now").unwrap(),
        json::parse(&expected, "v1").unwrap()
    );
    // It loads as it is; `check` lists what breaks a rule added since (an event voucher names
    // its participants), so that people can mend it.
    let problems = store.check(|_| {}).unwrap().problems;
    let listed: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}: {}", p.tree, p.key, p.message))
        .collect();
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert!(
        listed[0].starts_with("vouchers v-2: participants: the type forums"),
        "{listed:#?}"
    );
}

/// A long text as version 1 stored it: a plain string.
fn plain(text: &str) -> Prose {
    codec::decode::<Prose>(&codec::encode(&text.to_string())).unwrap()
}

fn long_text() -> String {
    "The fund co-finances up to 60% of eligible costs, up to EUR 10,000 a voucher and EUR 30,000 \
     a year per SME; the regional agency checks each claim against the invoices. "
        .repeat(6)
}

/// Puts `gp-vouchers` back with long texts.
fn with_long_texts(store: &Store, description: Prose, evidence: Prose) {
    let mut p = practice(store, "gp-vouchers");
    p.description = description;
    p.evidence = evidence;
    put_practice(store, p).unwrap();
}

#[test]
fn a_long_text_is_measured_by_its_words_not_its_deflated_size() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let mut p = practice(&store, "gp-vouchers");
    // 40 000 bytes that deflate to a few hundred.
    p.description = "the same sentence again. ".repeat(1600).as_str().into();
    assert!(p.description.is_deflated());
    let err = put_practice(&store, p).unwrap_err();
    let CommandError::Invalid(errors) = err else {
        panic!("{err}");
    };
    assert!(
        errors
            .iter()
            .any(|e| e.field == "description" && e.message.contains("40000 bytes")),
        "{errors:?}"
    );
    assert!(
        !practice(&store, "gp-vouchers")
            .description
            .text()
            .contains("again")
    );
}

#[test]
fn opening_a_version_1_database_deflates_its_long_texts() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let text = long_text();
    with_long_texts(&store, plain(&text), plain("short"));
    assert!(!practice(&store, "gp-vouchers").description.is_deflated());
    drop(store);
    wait_released(&db);
    {
        let raw = sled::open(&db).unwrap();
        raw.open_tree("meta")
            .unwrap()
            .insert("schema_version", &1u32.to_be_bytes())
            .unwrap();
        raw.flush().unwrap();
    }
    wait_released(&db);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        taskforce::store::SCHEMA_VERSION
    );
    let p = practice(&store, "gp-vouchers");
    assert!(p.description.is_deflated());
    assert_eq!(p.description.text(), text);
    assert_eq!(p.evidence.text(), "short");
    assert!(store.check(|_| {}).unwrap().problems.is_empty());
}

#[test]
fn long_texts_are_stored_deflated_and_a_damaged_one_is_reported() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let text = long_text();
    with_long_texts(&store, text.as_str().into(), text.as_str().into());
    let p = practice(&store, "gp-vouchers");
    assert_eq!(p.description.text(), text);
    let all_prose: usize = p.prose().iter().map(|(_, t)| t.text().len()).sum();
    let exported = json::export(&store.load().unwrap().0, None);
    assert!(exported.contains(&serde_json::to_string(&text).unwrap()[1..text.len() / 2]));
    drop(store);
    wait_released(&db);
    edit_stored(&db, "practices", "gp-vouchers", |bytes| {
        assert!(
            bytes.len() < all_prose,
            "{} stored bytes for {all_prose} bytes of text",
            bytes.len()
        );
        // Damage the middle of the deflated description (zlib: marker, 0x78 0x01, stream).
        let at = bytes
            .windows(3)
            .position(|w| w == [0xFF, 0x78, 0x01])
            .expect("a deflated text");
        bytes[at + 20] ^= 0x55;
        bytes[at + 21] ^= 0x55;
    });
    wait_released(&db);
    let store = Store::open(&db).unwrap();
    let problems = store.check(|_| {}).unwrap().problems;
    assert!(
        problems.iter().any(|p| p.tree == "practices"
            && p.key == "gp-vouchers"
            && p.message.contains("does not inflate")),
        "{problems:?}"
    );
    let damaged = practice(&store, "gp-vouchers");
    let shown = damaged
        .prose()
        .iter()
        .map(|(_, t)| t.text().into_owned())
        .collect::<String>();
    assert!(shown.contains("damaged in the database"), "{shown}");
}

#[test]
#[ignore = "writes tests/data/db-v1; run once per schema version"]
fn write_v1_database() {
    let path = std::path::Path::new(V1_DB);
    let _ = std::fs::remove_dir_all(path);
    let store = sample_store(path);
    std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/db-v1.json"),
        export(&store),
    )
    .unwrap();
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The rules the workbench's forms show beside their fields hold for every change, imports
/// included: a report submitted before its period ends or overlapping another, and an action
/// not implemented without the reason.
#[test]
fn action_and_monitoring_report_rules_hold_for_imports() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let records = sample_records();
    let plan = records
        .iter()
        .find_map(|r| match r {
            Record::ActionPlan(p) if !p.reports.is_empty() => Some(p.clone()),
            _ => None,
        })
        .expect("a plan with a report");
    let action = records
        .iter()
        .find_map(|r| match r {
            Record::Action(a) => Some(a.clone()),
            _ => None,
        })
        .expect("an action");
    let import = |record: Record| {
        store.apply(
            &actor(),
            Command::Import {
                records: vec![record],
                on_conflict: OnConflict::Replace,
                source: "t".into(),
            },
        )
    };
    let fields = |e: CommandError| match e {
        CommandError::Invalid(errors) => errors
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>(),
        other => panic!("{other}"),
    };

    let mut early = plan.clone();
    early.reports[0].submitted_on = Some(early.reports[0].period_end.add_days(-1));
    let found = fields(import(early.into()).unwrap_err());
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("reports[0].submitted_on:") && f.contains("before the period")),
        "{found:?}"
    );

    let mut twice = plan.clone();
    let mut again = twice.reports[0].clone();
    again.period_start = again.period_start.add_days(30);
    again.period_end = again.period_end.add_days(30);
    again.due = again.due.add_days(30);
    twice.reports.push(again);
    let found = fields(import(twice.into()).unwrap_err());
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("reports[1].period_start:") && f.contains("overlaps report 1")),
        "{found:?}"
    );

    let mut dropped = action.clone();
    dropped.status = ActionStatus::NotImplemented;
    dropped.status_reason = " ".into();
    let found = fields(import(dropped.clone().into()).unwrap_err());
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("status_reason:") && f.contains("needs the reason")),
        "{found:?}"
    );
    dropped.status_reason = "the managing authority cut the budget".into();
    import(dropped.into()).unwrap();
}

#[test]
fn the_workbench_reads_everything_then_keeps_the_store_open_and_writable() {
    use taskforce::backend::{Backend, Local};
    let (_dir, db) = temp_db();
    let store = sample_store(&db);
    let before = export(&store);
    let (whole, _) = store.load().unwrap();
    let mut local = Local::loaded(store, actor()).unwrap();
    // The records, their long texts left out (the workbench reads a record's when it shows
    // it).
    let (replica, problems) = local.snapshot().unwrap();
    assert!(problems.is_empty());
    assert_eq!(replica.len(), whole.len());
    let mut texts_left_out = 0;
    for kind in Kind::ALL {
        for row in whole.rows(*kind) {
            let mut elided = row.clone();
            elided.record.elide_texts();
            texts_left_out += usize::from(elided != *row);
            assert_eq!(replica.row(*kind, row.record.id()), Some(&elided));
            assert_eq!(
                local.get(*kind, row.record.id()).unwrap().as_ref(),
                Some(row)
            );
        }
    }
    assert!(texts_left_out > 0, "the sample has practices with texts");
    assert_eq!(json::export(&whole, None), before);
    // Still this process's: nobody else can open it.
    assert!(matches!(Store::open(&db), Err(StoreError::Locked { .. })));
    // And it writes, durably.
    let mut p = practice(local.store(), "gp-vouchers");
    p.title = "Renamed after the load".into();
    local
        .submit(Command::Put {
            record: p.into(),
            expected_rev: None,
        })
        .unwrap();
    let (fresh, _) = local.snapshot().unwrap();
    assert_eq!(
        fresh
            .record(Kind::Practice, "gp-vouchers")
            .map(|r| r.title()),
        Some("Renamed after the load".to_string())
    );
    drop(local);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        practice(&store, "gp-vouchers").title,
        "Renamed after the load"
    );
}
