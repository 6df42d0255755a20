//! The sample's export, mutated at random (a field of a record set to text with control
//! characters, an odd id, a date, a number, nothing) and imported: never a panic, never a
//! partial write, and every database an import accepts passes `check`.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use taskforce::model::*;
use taskforce::store::Store;

const KINDS: &[&str] = &[
    "projects",
    "partners",
    "practices",
    "meetings",
    "criteria_sets",
    "sessions",
    "scores",
    "action_plans",
    "actions",
    "schemes",
    "smes",
    "vouchers",
    "members",
];

fn value(choice: u8, text: &str) -> Value {
    match choice % 8 {
        0 => json!(format!("{text}\u{1b}[2J\u{7}")),
        1 => json!(format!("{text}\u{202e}")),
        2 => json!("2031-02-30"),
        3 => json!("1999-12-31"),
        4 => json!(-5),
        5 => json!(1e12),
        6 => Value::Null,
        _ => json!(text),
    }
}

fn export() -> Value {
    let (_d, db) = temp_db();
    drop(sample_store(&db));
    wait_released(&db);
    serde_json::from_str(&stdout(&taskforce(&[
        "--db",
        db.to_str().unwrap(),
        "export",
    ])))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_export_is_refused_whole_or_imported_and_checks_clean(
        kind in 0..KINDS.len(),
        record in 0usize..4,
        field in 0usize..24,
        choice in 0u8..8,
        text in "[a-zA-Z0-9 éł:-]{0,12}",
    ) {
        thread_local! {
            static EXPORT: Value = export();
        }
        let mut file = EXPORT.with(|e| e.clone());
        let records = file[KINDS[kind]].as_array_mut().unwrap();
        if !records.is_empty() {
            let n = records.len();
            let r = &mut records[record % n];
            let keys: Vec<String> = r.as_object().unwrap().keys().cloned().collect();
            let key = &keys[field % keys.len()];
            r[key] = value(choice, &text);
        }
        let text = file.to_string();
        let (_d, db) = temp_db();
        let store = Store::open(&db).unwrap();
        let parsed = taskforce::io::json::parse(&text, "mutated.json");
        let Ok(parsed) = parsed else {
            // Refused as it was read: nothing was written.
            prop_assert!(store.is_empty());
            return Ok(());
        };
        let records: Vec<Record> = parsed.into_records().into_iter().map(|(_, r)| r).collect();
        let result = store.apply(
            &Actor::user("alice"),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "mutated.json".into(),
            },
        );
        match result {
            Ok(_) => {
                let report = store.check(|_| {}).unwrap();
                prop_assert!(
                    report.problems.is_empty(),
                    "accepted, but check finds: {:?}",
                    report.problems
                );
            }
            Err(_) => {
                prop_assert!(store.is_empty(), "a refused import wrote something");
                prop_assert_eq!(store.seq().unwrap(), 0);
            }
        }
    }
}
