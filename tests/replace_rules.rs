//! `import --on-conflict replace` is an edit: it obeys the lifecycles and locks an edit obeys,
//! keeps the status history, and writes nothing when it is refused.

mod common;

use std::path::Path;

use common::*;
use taskforce::model::*;
use taskforce::store::Store;

/// The database exported, changed by `edit`, and imported back with `--on-conflict replace` as
/// the sample's facilitator would (the test's user is made one).
fn replace(db: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> std::process::Output {
    let mut export: serde_json::Value =
        serde_json::from_str(&stdout(&cli(db, &["export"]))).unwrap();
    edit(&mut export);
    let file = db.parent().unwrap().join("replace.json");
    std::fs::write(&file, export.to_string()).unwrap();
    cli(
        db,
        &["import", file.to_str().unwrap(), "--on-conflict", "replace"],
    )
}

fn find<'a>(export: &'a mut serde_json::Value, kind: &str, id: &str) -> &'a mut serde_json::Value {
    export[kind]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == id)
        .unwrap()
}

/// The sample with the test's user as a facilitator and session itf-1 closed.
fn closed(db: &Path) {
    let store = sample_store(db);
    let me = taskforce::sys::current_user();
    let alice = Actor::user("alice");
    store
        .apply(
            &alice,
            Command::Put {
                record: Member {
                    id: MemberId::new(me),
                    name: String::new(),
                    organisation: String::new(),
                    partner: None,
                    facilitator: true,
                }
                .into(),
                expected_rev: Some(0),
            },
        )
        .unwrap();
    for (from, to) in [
        (SessionState::Open, SessionState::Consensus),
        (SessionState::Consensus, SessionState::Closed),
    ] {
        store
            .apply(
                &alice,
                Command::Evaluate(Evaluate::Move {
                    session: "itf-1".into(),
                    from,
                    to,
                    reason: "test".into(),
                }),
            )
            .unwrap();
    }
    drop(store);
    wait_released(db);
}

fn seq(db: &Path) -> u64 {
    let store = Store::open(db).unwrap();
    let seq = store.seq().unwrap();
    drop(store);
    wait_released(db);
    seq
}

#[test]
fn a_replacement_obeys_locks_and_lifecycles_and_writes_nothing_when_refused() {
    let (_d, db) = temp_db();
    closed(&db);
    // Exported and imported back unchanged: nothing to do, nothing refused.
    let out = replace(&db, |_| {});
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = seq(&db);
    // A score of the closed session changed from 4 to 5.
    let out = replace(&db, |e| {
        find(e, "scores", "itf-1:gp-vouchers:alice:S")["value"] = 5.into();
    });
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("individual scores can change only while it is open"),
        "{}",
        stderr(&out)
    );
    // A paid voucher moved back to a draft.
    let out = replace(&db, |e| {
        find(e, "vouchers", "v-1")["status"] = "draft".into();
    });
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot move from 'paid'"),
        "{}",
        stderr(&out)
    );
    // A practice put in the handbook with its history wiped.
    let out = replace(&db, |e| {
        let p = find(e, "practices", "gp-vouchers");
        p["status"] = "in_handbook".into();
        p["history"] = serde_json::json!([]);
    });
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keeps the stored status history"),
        "{}",
        stderr(&out)
    );
    // Nothing of any refused import was written.
    assert_eq!(seq(&db), before);
    // The same move with an entry added to the history is an edit like any other, stamped with
    // the importer and the store's clock.
    let out = replace(&db, |e| {
        let p = find(e, "practices", "gp-vouchers");
        p["status"] = "validated".into();
        p["history"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "at": "2001-01-01T00:00:00Z", "by": "someone else", "from": "evaluated",
                "to": "validated", "reason": "validated by the partnership"
            }));
    });
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let store = Store::open(&db).unwrap();
    let Record::Practice(p) = store
        .get(Kind::Practice, "gp-vouchers")
        .unwrap()
        .unwrap()
        .record
    else {
        panic!()
    };
    let last = p.history.last().unwrap();
    assert_eq!(last.by, taskforce::sys::current_user());
    assert!(last.at > Timestamp::parse("2026-01-01T00:00:00Z").unwrap());
}
