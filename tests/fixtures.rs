//! The bundled fixtures load into an empty database and hold the facts the domain names.

use taskforce::fixtures;
use taskforce::model::*;
use taskforce::store::Store;

fn load() -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let records = fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let command = Command::Import {
        records,
        on_conflict: OnConflict::Fail,
        source: "fixtures".into(),
    };
    if let Err(e) = store.apply(&Actor::user("test"), command) {
        panic!("the bundled fixtures are refused:\n{e}");
    }
    store.load().unwrap().0
}

#[test]
fn bundled_fixtures_import_cleanly() {
    let replica = load();
    assert!(replica.count(Kind::Project) >= 1);
}
