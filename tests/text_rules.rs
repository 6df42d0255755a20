//! Text is text: no control character or bidirectional override is stored, whichever way a
//! record arrives, and none that an older database holds reaches a terminal from any command.

mod common;

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command as Process, Stdio};

use common::server::Server;
use common::*;
use taskforce::model::*;
use taskforce::server::{Connection, Request};
use taskforce::store::{CommandError, Store};

const EVIL: &str = "\u{1b}]0;PWNED\u{7}Evil \u{1b}[2J\u{1b}[31m\u{202e}title";

fn evil_practice() -> Practice {
    let Some(Record::Practice(p)) = sample_records()
        .into_iter()
        .find(|r| r.kind() == Kind::Practice && r.id() == "gp-east")
    else {
        panic!("the sample has gp-east")
    };
    let mut p = *p;
    p.title = EVIL.into();
    p
}

fn refusal_names_the_field_and_the_character(text: &str) {
    assert!(
        text.contains("title") && text.contains("holds U+001B (escape) at character 1"),
        "{text}"
    );
}

#[test]
fn control_characters_are_refused_through_the_store_an_import_and_a_raw_message() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    // A save.
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: evil_practice().into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::Invalid(_)), "{err}");
    refusal_names_the_field_and_the_character(&err.to_string());
    // A bidirectional override alone, and a line break in a one-line field.
    let mut p = evil_practice();
    p.title = "Evil\u{202e}title".into();
    p.owner = "two\nlines".into();
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: p.into(),
                expected_rev: None,
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("U+202E (bidirectional override) at character 5"),
        "{err}"
    );
    assert!(
        err.contains("owner: holds U+000A (line break) at character 4"),
        "{err}"
    );
    // Running text kept deflated (a practice's summary) is checked as well.
    let mut p = evil_practice();
    p.title = "Export desk".into();
    p.summary = "fine\nthen \u{1b}]0;x\u{7}".into();
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: p.into(),
                expected_rev: None,
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("summary: holds U+001B (escape) at character 11"),
        "{err}"
    );
    // Running text keeps its line breaks and tabs; Windows line ends become plain ones.
    let mut p = evil_practice();
    p.title = "Export desk".into();
    p.summary = "line one\r\nline two\twith a tab".into();
    store
        .apply(
            &actor(),
            Command::Put {
                record: p.into(),
                expected_rev: None,
            },
        )
        .unwrap();
    let Record::Practice(stored) = store
        .get(Kind::Practice, "gp-east")
        .unwrap()
        .unwrap()
        .record
    else {
        panic!()
    };
    assert_eq!(stored.summary.text(), "line one\nline two\twith a tab");
    drop(store);
    wait_released(&db);
    // An import, in every conflict mode: refused with the file's path, nothing written.
    let file = db.parent().unwrap().join("evil.json");
    let export = taskforce(&["--db", db.to_str().unwrap(), "export"]);
    let mut json: serde_json::Value = serde_json::from_str(&stdout(&export)).unwrap();
    let practices = json["practices"].as_array_mut().unwrap();
    let east = practices.iter_mut().find(|p| p["id"] == "gp-east").unwrap();
    east["title"] = EVIL.into();
    std::fs::write(&file, json.to_string()).unwrap();
    for mode in ["fail", "skip", "replace"] {
        let out = taskforce(&[
            "--db",
            db.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
            "--on-conflict",
            mode,
        ]);
        if mode == "skip" {
            // Skipped records are not stored, so there is nothing to refuse.
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            continue;
        }
        if mode == "fail" {
            assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
            continue;
        }
        assert_eq!(out.status.code(), Some(3), "{mode}: {}", stderr(&out));
        refusal_names_the_field_and_the_character(&stderr(&out));
        assert!(stderr(&out).contains("practices["), "{}", stderr(&out));
        assert!(
            !stderr(&out).contains('\u{1b}'),
            "the refusal itself is safe to print"
        );
    }
    // A new database from the same file.
    let (_d2, fresh) = temp_db();
    let out = taskforce(&[
        "--db",
        fresh.to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // A raw message to the server.
    let _server = Server::start(&db, &[]);
    let mut conn = Connection::connect(&db, "test").unwrap();
    let err = conn
        .request(Request::Submit {
            command: Command::Put {
                record: evil_practice().into(),
                expected_rev: None,
            },
            on_behalf_of: None,
        })
        .unwrap_err();
    assert!(matches!(err, CommandError::Invalid(_)), "{err}");
    refusal_names_the_field_and_the_character(&err.to_string());
}

/// A database written before these rules, holding a practice whose title is an attack on the
/// terminal.
fn older_database() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = temp_db();
    drop(sample_store(&db));
    wait_released(&db);
    let row = Row {
        rev: 99,
        at: Timestamp(0),
        by: "older".into(),
        record: evil_practice().into(),
    };
    let raw = sled::open(&db).unwrap();
    raw.open_tree("practices")
        .unwrap()
        .insert("gp-east", taskforce::store::codec::encode(&row))
        .unwrap();
    raw.flush().unwrap();
    drop(raw);
    wait_released(&db);
    (dir, db)
}

/// Runs a command with a pseudo-terminal as its standard output and error, and returns what
/// reached the terminal.
fn on_a_terminal(db: &std::path::Path, args: &[&str]) -> Vec<u8> {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    let mut command = Process::new(env!("CARGO_BIN_EXE_taskforce"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TERM", "xterm-256color")
        .env_remove("TASKFORCE_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave.try_clone().unwrap()));
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            rustix::process::setsid()?;
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    // The terminal's other end stays open only in the child: once it exits, reading ends.
    drop(command);
    drop(slave);
    let mut master = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // EIO once the last writer is gone.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    let status = child.wait().unwrap();
    let out = reader.join().unwrap();
    assert!(
        status.code().is_some_and(|c| c == 0 || c == 5),
        "{args:?}: {status}: {}",
        String::from_utf8_lossy(&out)
    );
    out
}

#[test]
fn no_command_lets_stored_escape_sequences_reach_a_terminal() {
    let (_d, db) = older_database();
    // Each command, and whether it shows the title as text (JSON writes its escapes as \u001b).
    let commands: &[(&[&str], bool)] = &[
        (&["list", "practices"], true),
        (&["list", "practices", "--format", "tsv"], true),
        (&["list", "practices", "--format", "json"], false),
        (&["export"], false),
        (&["export", "--kind", "practices", "--format", "csv"], true),
        (&["export", "--kind", "practices", "--format", "md"], true),
        (&["search", "evil"], true),
        (&["search", "evil", "--format", "json"], false),
        (&["history", "practices", "gp-east"], false),
        (&["check"], false),
    ];
    for (args, shown) in commands {
        let out = on_a_terminal(&db, args);
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains("title") || text.contains("Evil") || text.contains("gp-east"),
            "{args:?} printed nothing about the record: {text}"
        );
        // The only escape sequences a terminal may see are none at all: no title change, no
        // screen clear, no colour, no bell, no reversed text.
        assert!(
            !out.contains(&0x1b),
            "{args:?}: an escape reached the terminal: {text:?}"
        );
        assert!(
            !out.contains(&0x07),
            "{args:?}: a bell reached the terminal"
        );
        assert!(
            !text.contains('\u{202e}'),
            "{args:?}: a bidirectional override"
        );
        // They show as visible stand-ins, the same way everywhere.
        if *shown {
            assert!(
                ["␛", "]0;PWNED", "␇", "Evil", "[2J", "�title"]
                    .iter()
                    .all(|part| text.contains(part)),
                "{args:?}: {text}"
            );
        }
    }
    // `check` names the rule the older record breaks.
    let text = String::from_utf8_lossy(&on_a_terminal(&db, &["check"])).into_owned();
    assert!(
        text.contains("practices/gp-east: title: holds U+001B (escape) at character 1"),
        "{text}"
    );
    // Piped, an export keeps the data as it is (files are data).
    let out = taskforce(&[
        "--db",
        db.to_str().unwrap(),
        "export",
        "--kind",
        "practices",
        "--format",
        "csv",
    ]);
    assert!(stdout(&out).contains(EVIL), "{}", stdout(&out));
    let _ = Store::open; // the database stays readable by the store as well
}
