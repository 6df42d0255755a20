//! Shared test helpers: a sample with one record of every kind, temporary databases.
#![allow(dead_code)]

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

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
