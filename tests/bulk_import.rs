//! Imports larger than one transaction: streamed into a staging file, written under a marker,
//! all or nothing — whole, refused whole, through a server in pieces, and killed at any moment.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::server::Server;
use common::*;
use taskforce::model::Kind;
use taskforce::store::Store;

/// A generated import file of `n` records.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let file = dir.join(format!("corpus-{n}.json"));
    let out = taskforce(&[
        "generate",
        "--records",
        &n.to_string(),
        "--seed",
        "7",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    file
}

/// Records of every kind but members (the importer becomes the first facilitator), once no
/// process holds the database.
fn records_in(db: &Path) -> usize {
    wait_released(db);
    let store = Store::open(db).unwrap();
    let n = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Member)
        .map(|k| store.count(*k))
        .sum();
    drop(store);
    wait_released(db);
    n
}

fn staging_files(db: &Path) -> Vec<String> {
    std::fs::read_dir(db)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".staging"))
        .collect()
}

fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

#[test]
fn a_large_import_is_written_whole_and_summarised_in_the_log() {
    let (dir, db) = temp_db();
    let file = corpus(dir.path(), 3000);
    let out = taskforce(&["--db", db_arg(&db), "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 3000 of 3000 records"),
        "{}",
        stdout(&out)
    );
    assert_eq!(records_in(&db), 3000);
    assert!(staging_files(&db).is_empty(), "{:?}", staging_files(&db));
    let check = taskforce(&["--db", db_arg(&db), "check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    let store = Store::open(&db).unwrap();
    let entry = store.audit(1).unwrap().remove(0);
    assert!(
        entry.summary.contains("import 3000 records from"),
        "{}",
        entry.summary
    );
    drop(store);
    wait_released(&db);
    // Too large to undo record by record, and `undo` says so; nothing changes.
    let undo = taskforce(&["--db", db_arg(&db), "undo", &entry.seq.to_string()]);
    assert_eq!(undo.status.code(), Some(3), "{}", stderr(&undo));
    assert!(
        stderr(&undo).contains("cannot be undone record by record"),
        "{}",
        stderr(&undo)
    );
    assert_eq!(records_in(&db), 3000);
    // Imported again: every record is in the way, and nothing is written.
    let again = taskforce(&["--db", db_arg(&db), "import", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(3));
    assert!(
        stderr(&again).contains("3000 record(s) in the file already exist"),
        "{}",
        stderr(&again)
    );
    // Replaced by the same records: nothing new, and the file checks as a whole again.
    let same = taskforce(&[
        "--db",
        db_arg(&db),
        "import",
        "--on-conflict",
        "replace",
        file.to_str().unwrap(),
    ]);
    assert!(same.status.success(), "{}", stderr(&same));
    assert!(stdout(&same).contains("nothing new"), "{}", stdout(&same));
}

#[test]
fn a_rule_broken_at_the_end_of_a_large_file_writes_nothing_and_is_located() {
    let (dir, db) = temp_db();
    let file = corpus(dir.path(), 3000);
    let mut data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let practices = data["practices"].as_array_mut().unwrap();
    let last = practices.len() - 1;
    practices[last]["partner"] = serde_json::json!("org-nowhere");
    let vouchers = data["vouchers"].as_array_mut().unwrap();
    let v = vouchers.len() - 1;
    vouchers[v]["requested"] = serde_json::json!(-5);
    std::fs::write(&file, serde_json::to_string_pretty(&data).unwrap()).unwrap();
    let out = taskforce(&["--db", db_arg(&db), "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        err.contains(&format!("at practices[{last}].partner"))
            && err.contains("refers to partner 'org-nowhere', which does not exist"),
        "{err}"
    );
    assert!(
        err.contains(&format!("at vouchers[{v}].requested")),
        "{err}"
    );
    // The record's line in the file is named.
    assert!(err.contains(&format!("{}:", file.display())), "{err}");
    assert_eq!(records_in(&db), 0);
    assert!(staging_files(&db).is_empty());
    // The dry run finds the same, writes nothing, and counts what the file holds.
    let dry = taskforce(&[
        "--db",
        db_arg(&db),
        "import",
        "--dry-run",
        file.to_str().unwrap(),
    ]);
    assert_eq!(dry.status.code(), Some(3));
    assert!(
        stdout(&dry).contains("dry run: nothing was written"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stderr(&dry).contains("the import would be refused"),
        "{}",
        stderr(&dry)
    );
    assert_eq!(records_in(&db), 0);
}

#[test]
fn a_file_larger_than_a_piece_imports_through_the_server_within_its_limit() {
    let (dir, db) = temp_db();
    let file = corpus(dir.path(), 3000);
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(
        size > 4 * 1024 * 1024,
        "the file must take several pieces: {size} bytes"
    );
    std::fs::create_dir_all(&db).unwrap();
    let init = taskforce(&["--db", db_arg(&db), "init", "--empty"]);
    assert!(init.status.success(), "{}", stderr(&init));
    wait_released(&db);
    {
        // A server that takes less than the file refuses it whole and keeps nothing.
        let limit = (size / 2).to_string();
        let server = Server::start_with(&db, &[], &[("TASKFORCE_MAX_IMPORT_BYTES", &limit)]);
        let out = taskforce(&["--db", db_arg(&db), "import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("TASKFORCE_MAX_IMPORT_BYTES"),
            "{}",
            stderr(&out)
        );
        assert!(staging_files(&db).is_empty(), "{:?}", staging_files(&db));
        drop(server);
    }
    wait_released(&db);
    assert_eq!(records_in(&db), 0);
    let server = Server::start(&db, &[]);
    let dry = taskforce(&[
        "--db",
        db_arg(&db),
        "import",
        "--dry-run",
        file.to_str().unwrap(),
    ]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("dry run: nothing was written"),
        "{}",
        stdout(&dry)
    );
    let out = taskforce(&["--db", db_arg(&db), "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 3000 of 3000 records"),
        "{}",
        stdout(&out)
    );
    assert!(staging_files(&db).is_empty(), "{:?}", staging_files(&db));
    drop(server);
    assert_eq!(records_in(&db), 3000);
}

/// A cheap varying number without a random-number crate.
fn random(round: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (nanos ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 11
}

/// Imports a generated corpus and kills the import (`kill -9`) at a random moment of it, again
/// and again; after each kill the database opens, `check` passes, and it holds none of the
/// file's records or all of them.
fn killed_imports_are_all_or_nothing(records: usize, trials: u64) {
    let (dir, _) = temp_db();
    let file = corpus(dir.path(), records);
    // How long an import takes here, to kill within it.
    let timed = dir.path().join("timed");
    let started = Instant::now();
    let out = taskforce(&["--db", db_arg(&timed), "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut whole = started.elapsed();
    let (mut none, mut all, mut completed) = (0, 0, 0);
    for trial in 0..trials {
        let db = dir.path().join(format!("db-{trial}"));
        // Half the kills anywhere, half in the second half, where the records are written.
        let span = whole.as_micros() as u64;
        let delay = Duration::from_micros(match trial % 2 {
            0 => random(trial) % (span * 11 / 10),
            _ => span / 2 + random(trial) % (span * 6 / 10),
        });
        let mut child = Process::new(env!("CARGO_BIN_EXE_taskforce"))
            .args(["--db", db_arg(&db), "import", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // An import that ends before its kill says how long one takes (the first, timed one
        // may have been slowed by a cold cache): later kills aim within that.
        let began = Instant::now();
        while began.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                whole = whole.min(began.elapsed());
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill();
        child.wait().unwrap();
        if !db.join("db").exists() {
            none += 1;
            continue;
        }
        // A staging file left means the import was cut short: before its marker (it goes)
        // or after (opening completes the import).
        let cut_short = !staging_files(&db).is_empty();
        let found = records_in(&db);
        assert!(
            found == 0 || found == records,
            "trial {trial}, killed after {delay:?}: {found} of {records} records are there"
        );
        match (found, cut_short) {
            (0, _) => none += 1,
            (_, true) => completed += 1,
            _ => all += 1,
        }
        assert!(staging_files(&db).is_empty(), "{:?}", staging_files(&db));
        let check = taskforce(&["--db", db_arg(&db), "check"]);
        assert!(
            check.status.success(),
            "trial {trial}: {}{}",
            stdout(&check),
            stderr(&check)
        );
        std::fs::remove_dir_all(&db).unwrap();
    }
    eprintln!(
        "{trials} imports killed: {none} left nothing, {all} had finished, {completed} were \
         completed when the database was opened"
    );
}

#[test]
fn an_import_killed_at_any_moment_is_all_or_nothing() {
    killed_imports_are_all_or_nothing(4000, 6);
}

/// The issue's measure: tens of kills of an import of 50k records. In release:
/// `cargo test --release --test bulk_import -- --ignored killed_imports_of_50k`.
#[test]
#[ignore = "minutes: run in release"]
fn killed_imports_of_50k_records_are_all_or_nothing() {
    killed_imports_are_all_or_nothing(50_000, 30);
}

/// Pieces of an import file out of order, a file that is not one, and a sender that goes away
/// half-way: each is refused or dropped, nothing is written, and nothing is left on disk.
#[test]
fn the_server_keeps_no_piece_of_a_broken_or_abandoned_import() {
    use taskforce::io::import_file::{Failure, Outcome};
    use taskforce::model::OnConflict;
    use taskforce::server::{Connection, Reply, Request};
    let (_dir, db) = temp_db();
    let init = taskforce(&["--db", db_arg(&db), "init", "--empty"]);
    assert!(init.status.success(), "{}", stderr(&init));
    wait_released(&db);
    let server = Server::start(&db, &[]);
    let begin = || Request::ImportBegin {
        on_conflict: OnConflict::Fail,
        source: "hostile.json".into(),
        dry_run: false,
    };
    let mut conn = Connection::connect(&db, "test").unwrap();
    let early = conn.request(Request::ImportChunk {
        bytes: b"{}".to_vec(),
    });
    assert!(early.is_err(), "{early:?}");
    assert!(conn.request(Request::ImportEnd).is_err());
    assert!(matches!(
        conn.request(begin()),
        Ok(Reply::ImportReady { .. })
    ));
    assert_eq!(staging_files(&db).len(), 1);
    // A second start abandons the first file.
    assert!(matches!(
        conn.request(begin()),
        Ok(Reply::ImportReady { .. })
    ));
    assert_eq!(staging_files(&db).len(), 1);
    let chunk = conn.request(Request::ImportChunk {
        bytes: br#"{"smes": [{"id": "s1", "name": "S", "country": "SI"}, {"id": "#.to_vec(),
    });
    assert!(
        matches!(chunk, Ok(Reply::ImportReceived { .. })),
        "{chunk:?}"
    );
    match conn.request(Request::ImportEnd) {
        Ok(Reply::Imported(Err(Failure::Syntax(message)))) => {
            assert!(message.contains("hostile.json:1:"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(staging_files(&db).is_empty());
    // A sender that goes away half-way: its file goes with it.
    assert!(matches!(
        conn.request(begin()),
        Ok(Reply::ImportReady { .. })
    ));
    conn.request(Request::ImportChunk {
        bytes: br#"{"smes": ["#.to_vec(),
    })
    .unwrap();
    drop(conn);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !staging_files(&db).is_empty() {
        assert!(Instant::now() < deadline, "{:?}", staging_files(&db));
        std::thread::sleep(Duration::from_millis(20));
    }
    // And a good file on a new connection goes in.
    let mut conn = Connection::connect(&db, "test").unwrap();
    assert!(matches!(
        conn.request(begin()),
        Ok(Reply::ImportReady { .. })
    ));
    conn.request(Request::ImportChunk {
        bytes: br#"{"projects": [{"id": "p1", "acronym": "P", "title": "T"}]}"#.to_vec(),
    })
    .unwrap();
    match conn.request(Request::ImportEnd) {
        Ok(Reply::Imported(Ok(Outcome::Committed { read: 1, .. }))) => {}
        other => panic!("{other:?}"),
    }
    drop(conn);
    drop(server);
    assert_eq!(records_in(&db), 1);
}
