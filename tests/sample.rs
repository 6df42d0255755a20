mod common;

#[test]
fn the_sample_holds_every_kind_and_imports() {
    let (_dir, db) = common::temp_db();
    let store = common::sample_store(&db);
    let (replica, problems) = store.load().unwrap();
    assert!(problems.is_empty());
    for kind in taskforce::model::Kind::ALL {
        assert!(replica.count(*kind) > 0, "the sample has no {kind}");
    }
}
