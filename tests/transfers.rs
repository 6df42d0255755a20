//! Transfers of practices: a transfer round-trips through JSON, CSV and XLSX; a practice,
//! partner or action a transfer refers to cannot be deleted; a database written before
//! transfers existed (schema version 3, no transfers tree) opens and takes them.

mod common;

use std::path::Path;

use common::*;
use serde_json::{Value, json};
use taskforce::model::*;
use taskforce::store::{CommandError, Store};

/// The sample's transfer: its practice gp-east taken up by mra, carried by its action ap-si-1.
fn transfer() -> Transfer {
    serde_json::from_value(json!({
        "id": "tr-east-mra",
        "title": "Example: east coaching into the Slovene programme",
        "practice": "gp-east",
        "partner": "mra",
        "instrument": "Example: Operational Programme, priority 3",
        "action": "ap-si-1",
        "stages": [
            {"on": "2018-05", "stage": "interest", "note": "seen at the study visit"},
            {"on": "2018-11-20", "stage": "studied"},
            {"on": "2019-06-12", "stage": "adapted", "note": "criteria rewritten; \"pilot\" | two regions"}
        ],
        "evidence": "Example: the call text names the practice.\nSecond line, with a comma.",
        "links": ["https://example.org/call", "https://example.org/minutes?rsg=3"],
        "result": "instrument_improved",
        "source": "Example: minutes of RSG 3"
    }))
    .unwrap()
}

/// A database with the sample but its transfer, as a version before transfers held it.
fn sample_without_transfers(db: &Path) -> Store {
    let store = Store::open(db).unwrap();
    store
        .apply(
            &actor(),
            Command::Import {
                records: sample_records()
                    .into_iter()
                    .filter(|r| r.kind() != Kind::Transfer)
                    .collect(),
                on_conflict: OnConflict::Fail,
                source: "sample".into(),
            },
        )
        .unwrap();
    store
}

fn transfers(db: &Path) -> Value {
    let out = cli(db, &["export", "--kind", "transfers"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    all["transfers"].clone()
}

#[test]
fn a_transfer_round_trips_through_json_csv_and_xlsx() {
    let (dir, db) = temp_db();
    sample_db(&db);
    let before = transfers(&db);
    assert_eq!(
        serde_json::from_value::<Vec<Transfer>>(before.clone()).unwrap(),
        vec![transfer()]
    );
    for format in ["json", "csv", "xlsx"] {
        let file = dir.path().join(format!("transfers.{format}"));
        let path = file.to_str().unwrap();
        let out = cli(
            &db,
            &[
                "export",
                "--format",
                format,
                "--kind",
                "transfers",
                "--output",
                path,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        // Into a database with the sample and no transfer: the same transfer comes out.
        let (_fresh_dir, fresh) = temp_db();
        drop(sample_without_transfers(&fresh));
        wait_released(&fresh);
        let out = cli(&fresh, &["import", path]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(
            transfers(&fresh),
            before,
            "{format}: changed on the way back"
        );
        // Over itself, replacing: nothing changes.
        let out = cli(&db, &["import", "--on-conflict", "replace", path]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(transfers(&db), before, "{format}: changed when replaced");
    }
}

#[test]
fn what_a_transfer_refers_to_cannot_be_deleted() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let store = Store::open(&db).unwrap();
    for (kind, id, field) in [
        (Kind::Practice, "gp-east", "practice"),
        (Kind::Partner, "mra", "partner"),
        (Kind::Action, "ap-si-1", "action"),
    ] {
        let err = store
            .apply(
                &actor(),
                Command::Delete {
                    kind,
                    id: id.into(),
                    expected_rev: None,
                },
            )
            .unwrap_err();
        assert!(matches!(err, CommandError::InUse { .. }), "{err}");
        assert!(
            err.to_string()
                .contains(&format!("transfer 'tr-east-mra' refers to it in {field}")),
            "{err}"
        );
    }
    // Once the transfer is gone, the practice goes too.
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
    store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Practice,
                id: "gp-east".into(),
                expected_rev: None,
            },
        )
        .unwrap();
}

/// A database as schema version 3 wrote it: no transfers tree (nor the stakeholders of
/// version 5), and the counts every commit keeps hold one number per kind it knew.
#[test]
fn a_version_3_database_without_transfers_opens_and_takes_them() {
    let (_d, db) = temp_db();
    let store = Store::open(&db).unwrap();
    store
        .apply(
            &actor(),
            Command::Import {
                records: sample_records()
                    .into_iter()
                    .filter(|r| !matches!(r.kind(), Kind::Transfer | Kind::Stakeholder))
                    .map(|r| match r {
                        Record::Meeting(mut m) => {
                            m.attendance.retain(|a| a.stakeholder.is_none());
                            Record::from(m)
                        }
                        r => r,
                    })
                    .collect(),
                on_conflict: OnConflict::Fail,
                source: "sample".into(),
            },
        )
        .unwrap();
    // The counts are kept once asked for.
    store.counts().unwrap();
    drop(store);
    wait_released(&db);
    {
        let raw = sled::open(&db).unwrap();
        assert!(raw.drop_tree("transfers").unwrap());
        assert!(raw.drop_tree("stakeholders").unwrap());
        let meta = raw.open_tree("meta").unwrap();
        meta.insert("schema_version", &3u32.to_be_bytes()).unwrap();
        let counts = meta.get("counts").unwrap().unwrap().to_vec();
        meta.insert("counts", &counts[..counts.len() - 16]).unwrap();
        raw.flush().unwrap();
        assert!(!raw.tree_names().iter().any(|n| n.as_ref() == b"transfers"));
    }
    wait_released(&db);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        taskforce::store::SCHEMA_VERSION
    );
    let (replica, problems) = store.load().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(replica.len(), sample_records().len() - 2);
    let counts = store.counts().unwrap();
    assert!(counts.contains(&(Kind::Transfer, 0)), "{counts:?}");
    assert!(counts.contains(&(Kind::Practice, 2)), "{counts:?}");
    assert!(store.check(|_| {}).unwrap().problems.is_empty());
    put(&store, transfer()).unwrap();
    assert!(store.counts().unwrap().contains(&(Kind::Transfer, 1)));
    let err = store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Practice,
                id: "gp-east".into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::InUse { .. }), "{err}");
    drop(store);
    wait_released(&db);
    // It opens again at the current version, the transfer kept.
    let store = Store::open(&db).unwrap();
    assert!(store.get(Kind::Transfer, "tr-east-mra").unwrap().is_some());
}

#[test]
fn search_finds_a_transfer_by_what_it_refers_to_and_its_stage() {
    let (_d, db) = temp_db();
    sample_db(&db);
    for (query, matched) in [
        ("tr: Rzeszów", "practice: 東京 export desk in Rzeszów"),
        ("tr: self-assessment", "action: Self-assessment guide"),
        ("tr: maribor", "partner: Maribor Development Agency"),
        ("adapted", "stage: adapted"),
        (
            "tr: priority 3",
            "instrument: Example: Operational Programme, priority 3",
        ),
    ] {
        let out = cli(&db, &["search", query]);
        assert_eq!(out.status.code(), Some(0), "{query}: {}", stderr(&out));
        let found = stdout(&out);
        let line = found
            .lines()
            .find(|l| l.starts_with("transfer  tr-east-mra"))
            .unwrap_or_else(|| panic!("{query}: {found}"));
        assert!(line.contains(matched), "{query}: {line}");
    }
}
