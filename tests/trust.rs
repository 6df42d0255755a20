//! Trust in what a command writes and in its neighbours (issue 15): temporary files with
//! unpredictable names that follow no planted link (D6), and one-shot commands that run at the
//! same time without a server and never fail "in use" (D15). Needs no privilege.

mod common;

use std::path::Path;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_taskforce");

fn db_arg(db: &Path) -> String {
    db.to_str().unwrap().to_string()
}

/// A database holding the sample, in which the user running the tests is an evaluator of the
/// open session `itf-1` (so that they may score there).
fn scoring_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("db");
    let mut sample: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    let me = taskforce::sys::current_user();
    sample["sessions"][0]["evaluators"]
        .as_array_mut()
        .unwrap()
        .push(me.into());
    let file = dir.join("sample.json");
    std::fs::write(&file, serde_json::to_string(&sample).unwrap()).unwrap();
    let out = taskforce(&["--db", &db_arg(&db), "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    db
}

/// D15: four loops of ten one-shot commands each (lists and scores) with no server running
/// all succeed: a command that finds the database held by another waits for it briefly.
#[test]
fn concurrent_one_shot_commands_without_a_server_all_succeed() {
    let tmp = tempfile::tempdir().unwrap();
    let db = scoring_db(tmp.path());
    let loops: Vec<_> = (0..4)
        .map(|n| {
            let db = db_arg(&db);
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..10 {
                    let value = ((n + i) % 5 + 1).to_string();
                    let args: Vec<&str> = if i % 2 == 0 {
                        vec!["--db", &db, "list", "practices"]
                    } else {
                        vec![
                            "--db",
                            &db,
                            "score",
                            "--session",
                            "itf-1",
                            "--practice",
                            "gp-vouchers",
                            "--criterion",
                            "S",
                            &value,
                        ]
                    };
                    let out = taskforce(&args);
                    if out.status.code() != Some(0) {
                        failures.push(format!("{:?}: {}", &args[2..], stderr(&out)));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = loops.into_iter().flat_map(|l| l.join().unwrap()).collect();
    assert!(
        failures.is_empty(),
        "{} of 40 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        !taskforce::server::socket_path(&db).exists(),
        "a server was left behind"
    );
}

/// Plants symbolic links at `path` and at the temporary names earlier versions used beside it,
/// each to its own file holding "untouched"; returns the targets.
fn plant(path: &Path, old_temporary: &[&str], outside: &Path) -> Vec<std::path::PathBuf> {
    let mut targets = Vec::new();
    let mut names = vec![path.to_path_buf()];
    names.extend(old_temporary.iter().map(|n| path.with_file_name(n)));
    for (i, name) in names.iter().enumerate() {
        let target = outside.join(format!("target-{i}"));
        std::fs::write(&target, "untouched\n").unwrap();
        std::os::unix::fs::symlink(&target, name).unwrap();
        targets.push(target);
    }
    targets
}

fn assert_untouched(targets: &[std::path::PathBuf]) {
    for t in targets {
        assert_eq!(
            std::fs::read_to_string(t).unwrap(),
            "untouched\n",
            "{} was written through a link",
            t.display()
        );
    }
}

/// D6: `export --output` replaces a symbolic link planted at the output path, and one planted at
/// the temporary name it once used, without writing through either.
#[test]
fn export_output_follows_no_planted_link() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    sample_db(&db);
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let output = out_dir.join("export.json");
    let targets = plant(&output, &["export.taskforce-tmp"], &outside);
    let out = taskforce(&[
        "--db",
        &db_arg(&db),
        "export",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_untouched(&targets);
    let meta = std::fs::symlink_metadata(&output).unwrap();
    assert!(meta.file_type().is_file(), "the output is still a link");
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.contains("\"practices\""), "{text}");
    // Nothing but the output and the planted old temporary name is left.
    let mut left: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["export.json", "export.taskforce-tmp"]);
}

/// D6: the saved search index replaces links planted at its path and at its old temporary name
/// without writing through them, and a FIFO in its place does not hang a search.
#[test]
fn the_search_index_follows_no_planted_link() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    sample_db(&db);
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let index = db.join("search-index");
    let targets = plant(&index, &["search-index.tmp"], &outside);
    let out = taskforce(&["--db", &db_arg(&db), "search", "vouch"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_untouched(&targets);
    let meta = std::fs::symlink_metadata(&index).unwrap();
    assert!(meta.file_type().is_file(), "the index is still a link");
    // The saved index is used by the next search.
    let out = taskforce(&["--db", &db_arg(&db), "search", "vouch"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    std::fs::remove_file(&index).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &index,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o660),
        0,
    )
    .unwrap();
    let mut child = std::process::Command::new(BIN)
        .args(["--db", &db_arg(&db), "search", "vouch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a search hung on a FIFO planted as the index");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success());
    assert!(
        std::fs::symlink_metadata(&index)
            .unwrap()
            .file_type()
            .is_file(),
        "the FIFO was not replaced"
    );
}

/// A server started by hand on `db` with `extra` arguments, its stderr kept.
fn server(db: &Path) -> common::server::Server {
    common::server::Server::start(db, &[])
}

/// D8: a server whose socket is removed stops by itself, after flushing, saying why; the
/// database is then free for everyone's commands.
#[test]
fn a_server_whose_socket_is_removed_stops() {
    let tmp = tempfile::tempdir().unwrap();
    let db = scoring_db(tmp.path());
    let server = server(&db);
    std::fs::remove_file(taskforce::server::socket_path(&db)).unwrap();
    let started = std::time::Instant::now();
    while server.child.id() > 0 && started.elapsed() < std::time::Duration::from_secs(10) {
        let pid = rustix::process::Pid::from_raw(server.child.id() as i32).unwrap();
        // Still our child until waited for: a zombie counts as gone here.
        let state =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.as_raw_pid())).unwrap_or_default();
        if state.is_empty() || state.contains(") Z ") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (code, err) = server.wait();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("was removed"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the server took {:?} to notice",
        started.elapsed()
    );
    let out = taskforce(&["--db", &db_arg(&db), "list", "practices"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// D8: `taskforce stop` by the user the server runs as flushes and stops it; what was
/// acknowledged is there afterwards, and with no server it says so and succeeds.
#[test]
fn stop_stops_the_server_through_its_socket() {
    let tmp = tempfile::tempdir().unwrap();
    let db = scoring_db(tmp.path());
    let server = server(&db);
    let out = taskforce(&[
        "--db",
        &db_arg(&db),
        "score",
        "--session",
        "itf-1",
        "--practice",
        "gp-vouchers",
        "--criterion",
        "S",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let started = std::time::Instant::now();
    let out = taskforce(&["--db", &db_arg(&db), "stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("flushed and stopped"),
        "{}",
        stdout(&out)
    );
    let (code, err) = server.wait();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("asked the server to stop"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "stop took {:?}",
        started.elapsed()
    );
    assert!(!taskforce::server::socket_path(&db).exists());
    let out = taskforce(&["--db", &db_arg(&db), "export", "--kind", "scores"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"value\": 3"), "{}", stdout(&out));
    let out = taskforce(&["--db", &db_arg(&db), "stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("no server runs"), "{}", stdout(&out));
}

/// Starts `serve` on `db` the way systemd does (socket activation): `listener` as descriptor 3,
/// `LISTEN_FDS=1` and `LISTEN_PID` its own pid; as `uid`/`gid` when given.
pub fn activated_server(
    db: &Path,
    listener: &std::os::unix::net::UnixListener,
    extra: &[&str],
    ids: Option<(u32, u32)>,
) -> std::process::Child {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let fd = listener.as_raw_fd();
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(if fd == 3 {
            "export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$0\" \"$@\"".to_string()
        } else {
            format!("export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$0\" \"$@\" 3<&{fd} {fd}<&-")
        })
        .arg(BIN)
        .arg("--db")
        .arg(db)
        .arg("serve")
        .args(extra)
        .env_remove("TASKFORCE_DB")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    if let Some((uid, gid)) = ids {
        command.uid(uid).gid(gid);
    }
    // SAFETY: fcntl is async-signal-safe; the descriptor stays open in the parent.
    unsafe {
        command.pre_exec(move || {
            let fd = std::os::fd::BorrowedFd::borrow_raw(fd);
            rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty())?;
            Ok(())
        });
    }
    command.spawn().unwrap()
}

/// The socket-activation path: `serve` takes the listening socket it is passed as descriptor 3
/// instead of making one — the socket file is the one systemd made, still there (and the same)
/// once the server has stopped.
#[test]
fn serve_takes_the_socket_systemd_passes() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let db = scoring_db(tmp.path());
    let socket = taskforce::server::socket_path(&db);
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let inode = std::fs::metadata(&socket).unwrap().ino();
    let mut child = activated_server(&db, &listener, &[], None);
    let out = taskforce(&["--db", &db_arg(&db), "list", "practices"]);
    if out.status.code() != Some(0) {
        let _ = child.kill();
        let _ = child.wait();
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        panic!("{}\nthe server said: {err}", stderr(&out));
    }
    let conn = taskforce::server::Connection::connect(&db, "test").unwrap();
    assert_eq!(conn.server_pid, child.id(), "another process answered");
    drop(conn);
    assert_eq!(std::fs::metadata(&socket).unwrap().ino(), inode);
    let out = taskforce(&["--db", &db_arg(&db), "stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    assert_eq!(
        std::fs::metadata(&socket).unwrap().ino(),
        inode,
        "systemd's socket was removed or replaced: {err}"
    );
    drop(listener);
}

/// Records of the sample as JSON values, by kind, to change and import.
fn sample_value() -> serde_json::Value {
    serde_json::from_str(SAMPLE).unwrap()
}

fn import_value(
    store: &taskforce::store::Store,
    who: &str,
    value: serde_json::Value,
) -> Result<taskforce::model::Committed, taskforce::store::CommandError> {
    use taskforce::model::{Actor, Command, OnConflict};
    let text = serde_json::to_string(&value).unwrap();
    let records = taskforce::io::json::parse(&text, "test")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    store.apply(
        &Actor::user(who),
        Command::Import {
            records,
            on_conflict: OnConflict::Replace,
            source: "test".into(),
        },
    )
}

/// D10: an import by a non-facilitator (bob) cannot validate a practice with a history entry
/// naming the facilitator and an open session, nor write a session's decisions; his own score
/// in it is his and the store's time, whatever the file says; a facilitator's import restores
/// records exactly.
#[test]
fn a_non_facilitators_import_writes_no_decision_nor_history() {
    use taskforce::model::{Kind, Record};
    let tmp = tempfile::tempdir().unwrap();
    let store = sample_store(&tmp.path().join("db"));

    // The forged decision.
    let mut file = serde_json::json!({"taskforce_format": 1});
    let mut practice = sample_value()["practices"][0].clone();
    practice["status"] = "validated".into();
    practice["history"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "at": "2017-03-23T09:00:00Z", "by": "alice", "from": "presented", "to": "validated",
            "reason": "consensus", "session": "itf-1"
        }));
    file["practices"] = serde_json::json!([practice]);
    let e = import_value(&store, "bob", file.clone()).unwrap_err();
    assert!(e.to_string().contains("only a facilitator's import"), "{e}");
    let Some(Record::Practice(stored)) = store
        .get(Kind::Practice, "gp-vouchers")
        .unwrap()
        .map(|r| r.record)
    else {
        panic!("the practice is gone");
    };
    assert_eq!(stored.status.to_string(), "presented");
    assert_eq!(stored.history.len(), 2);

    // A session's state and consensus.
    let mut session = sample_value()["sessions"][0].clone();
    session["state"] = "consensus".into();
    let e = import_value(
        &store,
        "bob",
        serde_json::json!({"taskforce_format": 1, "sessions": [session]}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("only a facilitator"), "{e}");

    // bob's own score, with another author and an old time in the file.
    let mut score = sample_value()["scores"][1].clone();
    score.as_object_mut().unwrap().remove("abstain_reason");
    score["value"] = 2.into();
    score["entered_by"] = "alice".into();
    let committed = import_value(
        &store,
        "bob",
        serde_json::json!({"taskforce_format": 1, "scores": [score]}),
    )
    .unwrap();
    let Some(Record::Score(stored)) = store
        .get(Kind::Score, "itf-1:gp-vouchers:bob:S")
        .unwrap()
        .map(|r| r.record)
    else {
        panic!("bob's score is not there");
    };
    assert_eq!(stored.entered_by, "");
    assert_eq!(stored.at, committed.at, "the file's time was kept");

    // alice, a facilitator, replaces the practice: a replacement is an edit, so the entry it
    // adds to the history is hers, at the store's time.
    let committed = import_value(&store, "alice", file).unwrap();
    let Some(Record::Practice(stored)) = store
        .get(Kind::Practice, "gp-vouchers")
        .unwrap()
        .map(|r| r.record)
    else {
        panic!("the practice is gone");
    };
    assert_eq!(stored.status.to_string(), "validated");
    assert_eq!(stored.history.last().unwrap().by, "alice");
    assert_eq!(stored.history.last().unwrap().at, committed.at);
}
