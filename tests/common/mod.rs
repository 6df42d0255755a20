//! Shared test helpers: a sample with one record of every kind, temporary databases.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use taskforce::io::json;
use taskforce::model::*;
use taskforce::store::Store;

pub const SAMPLE: &str = include_str!("../data/sample.json");

pub fn sample_records() -> Vec<Record> {
    json::parse(SAMPLE, "sample.json")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

pub fn actor() -> Actor {
    Actor::user("tester")
}

/// A fresh database directory inside a temporary directory that lives as long as the guard.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    (dir, db)
}

/// Waits until no handle of this process holds the database's lock. sled's background threads
/// release it a moment after the `Db` is dropped; a process that exits releases it at once.
pub fn wait_released(path: &Path) {
    use rustix::fs::{FlockOperation, flock};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let file = std::fs::File::open(path.join("db")).unwrap();
        if flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok() {
            let _ = flock(&file, FlockOperation::Unlock);
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the database lock was never released"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Fills a new database with the sample, closes it, and waits until other processes can open it.
pub fn sample_db(path: &Path) {
    drop(sample_store(path));
    wait_released(path);
}

pub fn sample_store(path: &Path) -> Store {
    let store = Store::open(path).unwrap();
    let command = Command::Import {
        records: sample_records(),
        on_conflict: OnConflict::Fail,
        source: "sample".into(),
    };
    store.apply(&actor(), command).unwrap();
    store
}

/// Runs the real binary.
pub fn taskforce(args: &[&str]) -> Output {
    Process::new(env!("CARGO_BIN_EXE_taskforce"))
        .args(args)
        .env_remove("TASKFORCE_DB")
        .output()
        .unwrap()
}

/// Runs the real binary on the database at `db`.
pub fn cli(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    taskforce(&all)
}

/// Saves `record` as `actor()`, whatever its revision.
pub fn put(
    store: &Store,
    record: impl Into<Record>,
) -> Result<Committed, taskforce::store::CommandError> {
    store.apply(
        &actor(),
        Command::Put {
            record: record.into(),
            expected_rev: None,
        },
    )
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Changes one stored value behind the store's back (a damaged database), with no store open.
pub fn edit_stored(db: &Path, tree: &str, key: &str, edit: impl FnOnce(&mut Vec<u8>)) {
    let raw = sled::open(db).unwrap();
    let tree = raw.open_tree(tree).unwrap();
    let mut bytes = tree.get(key).unwrap().unwrap().to_vec();
    edit(&mut bytes);
    tree.insert(key, bytes).unwrap();
    raw.flush().unwrap();
}
