//! Shared mode: several clients on one database through `taskforce serve`.

mod common;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use common::server::Server;
use common::*;
use taskforce::backend::{Backend, Remote, Update};
use taskforce::model::*;
use taskforce::server::{Connection, Incoming, Reply, Request, socket_path};
use taskforce::store::Store;

fn sme(id: &str) -> Record {
    Sme {
        id: SmeId::new(id),
        name: format!("Example SME {id}"),
        registration_number: String::new(),
        size: SmeSize::Small,
        country: "LT".into(),
        region: String::new(),
        city: "Klaipėda".into(),
    }
    .into()
}

fn put(conn: &mut Connection, record: Record) -> Result<Committed, String> {
    match conn.request(Request::Submit {
        command: Command::Put {
            record,
            expected_rev: None,
        },
        on_behalf_of: None,
    }) {
        Ok(Reply::Committed(c)) => Ok(c),
        Ok(_) => Err("out of turn".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn served_sample() -> (tempfile::TempDir, PathBuf, Server) {
    let (dir, db) = temp_db();
    sample_db(&db);
    let server = Server::start(&db, &[]);
    (dir, db, server)
}

#[test]
fn clients_see_each_others_changes_in_commit_order() {
    let (_d, db, _server) = served_sample();
    let mut watcher = Connection::connect(&db, "test").unwrap();
    let (mut replica, _) = watcher.snapshot().unwrap();
    let mut writer = Connection::connect(&db, "test").unwrap();
    for i in 0..20 {
        put(&mut writer, sme(&format!("live-{i}"))).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while replica.record(Kind::Sme, "live-19").is_none() {
        for incoming in watcher.poll() {
            if let Incoming::Event(c) = incoming {
                assert!(c.seq > replica.seq, "an event arrived out of order");
                assert!(replica.apply(&c));
            }
        }
        assert!(
            Instant::now() < deadline,
            "the watcher never saw the changes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (fresh, _) = writer.snapshot().unwrap();
    assert_eq!(replica.seq, fresh.seq);
    for kind in Kind::ALL {
        assert!(replica.rows(*kind).eq(fresh.rows(*kind)), "{kind} differ");
    }
}

#[test]
fn concurrent_clients_lose_no_acknowledged_change() {
    let (_d, db, server) = served_sample();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut conn = Connection::connect(&db, "test").unwrap();
                (0..40)
                    .map(|i| {
                        put(&mut conn, sme(&format!("c{t}-{i}")))
                            .map(|_| format!("c{t}-{i}"))
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    // One-shot commands work against the served database at the same time.
    let list = taskforce(&[
        "--db",
        db.to_str().unwrap(),
        "list",
        "smes",
        "--format",
        "tsv",
    ]);
    assert_eq!(list.status.code(), Some(0), "{}", stderr(&list));
    let acked: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(acked.len(), 320);
    server.signal(rustix::process::Signal::TERM);
    let (code, _) = server.wait();
    assert_eq!(code, Some(0));
    assert!(!socket_path(&db).exists(), "the socket was left behind");
    let store = Store::open(&db).unwrap();
    for id in &acked {
        assert!(store.get(Kind::Sme, id).unwrap().is_some(), "{id} was lost");
    }
}

#[test]
fn a_second_server_is_refused_and_a_stale_socket_is_recovered() {
    let (_d, db) = temp_db();
    sample_db(&db);
    // A socket file left by a server that died.
    drop(std::os::unix::net::UnixListener::bind(socket_path(&db)).unwrap());
    assert!(socket_path(&db).exists());
    let mut server = Server::start(&db, &[]);
    let out = taskforce(&["--db", db.to_str().unwrap(), "serve"]);
    if let Some(status) = server.child.try_wait().unwrap() {
        let mut err = String::new();
        let _ = server.child.stderr.take().unwrap().read_to_string(&mut err);
        panic!("the first server stopped ({status}): {err}");
    }
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is already served or open in another taskforce process"),
        "{}",
        stderr(&out)
    );
    // The connection that checked the server had started may take a moment to be let go.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut who = stdout(&taskforce(&["--db", db.to_str().unwrap(), "who"]));
    while who.contains(" pid ") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        who = stdout(&taskforce(&["--db", db.to_str().unwrap(), "who"]));
    }
    if !who.contains("nobody else is connected") {
        let _ = server.child.kill();
        let mut err = String::new();
        let _ = server.child.stderr.take().unwrap().read_to_string(&mut err);
        panic!("{who}\nthe server said: {err}");
    }
}

#[test]
fn malformed_and_oversized_frames_end_only_their_connection() {
    let (_d, db, _server) = served_sample();
    let mut good = Connection::connect(&db, "test").unwrap();
    let hello = |s: &mut UnixStream| {
        taskforce::server::protocol::write_frame(
            s,
            &taskforce::server::protocol::ClientMsg::Hello {
                protocol: taskforce::server::protocol::PROTOCOL_VERSION,
                program: "evil".into(),
            },
        )
        .unwrap();
        let _: taskforce::server::protocol::ServerMsg =
            taskforce::server::protocol::read_frame(s).unwrap();
    };
    for bad in [
        vec![0u8, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef],
        vec![0x7f, 0xff, 0xff, 0xff],
        b"GET / HTTP/1.1\r\n\r\n".to_vec(),
    ] {
        let mut evil = UnixStream::connect(socket_path(&db)).unwrap();
        evil.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        if bad.len() != 18 {
            hello(&mut evil);
        }
        evil.write_all(&bad).unwrap();
        let mut rest = Vec::new();
        let _ = evil.read_to_end(&mut rest); // the server closes it
        assert!(
            matches!(good.request(Request::Who), Ok(Reply::Who(_))),
            "the good client suffered"
        );
    }
    put(&mut good, sme("still-fine")).unwrap();
}

#[test]
fn a_server_killed_under_load_loses_nothing_and_clients_reconnect() {
    let (_d, db, server) = served_sample();
    let mut remote = Remote::connect(&db, "test", false, false).unwrap();
    let (replica, _) = remote.snapshot().unwrap();
    let writer = {
        let db = db.clone();
        std::thread::spawn(move || {
            let mut conn = Connection::connect(&db, "test").unwrap();
            let mut acked = Vec::new();
            for i in 0.. {
                match put(&mut conn, sme(&format!("k-{i}"))) {
                    Ok(_) => acked.push(format!("k-{i}")),
                    Err(_) => break,
                }
            }
            acked
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    server.signal(rustix::process::Signal::KILL);
    let _ = server.wait();
    let acked = writer.join().unwrap();
    assert!(!acked.is_empty());
    // The workbench's backend notices, says so, and resynchronises when a server is back.
    let deadline = Instant::now() + Duration::from_secs(10);
    while remote
        .status()
        .is_none_or(|s| !s.starts_with("reconnecting"))
    {
        remote.poll();
        assert!(Instant::now() < deadline, "the loss was never noticed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let _server = Server::start(&db, &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let resynced = loop {
        if let Some(r) = remote.poll().into_iter().find_map(|u| match u {
            Update::Resync(r) => Some(r),
            _ => None,
        }) {
            break r;
        }
        assert!(Instant::now() < deadline, "the client never reconnected");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(resynced.seq > replica.seq);
    for id in &acked {
        assert!(
            resynced.record(Kind::Sme, id).is_some(),
            "acknowledged {id} was lost"
        );
    }
    assert!(
        remote
            .status()
            .is_none_or(|s| !s.starts_with("reconnecting")),
        "{:?}",
        remote.status()
    );
}

#[test]
fn an_idle_server_started_for_the_workbench_stops_by_itself() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let server = Server::start(&db, &["--idle-exit", "1"]);
    drop(Connection::connect(&db, "test").unwrap());
    let started = Instant::now();
    let (code, err) = server.wait();
    assert_eq!(code, Some(0), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err.contains("no clients for 1 s: stopping"), "{err}");
}

/// Identity comes from the kernel: run clients as other users (needs root; skipped otherwise).
#[test]
fn users_are_who_the_kernel_says_and_outsiders_stay_out() {
    use std::os::unix::process::CommandExt;
    if !rustix::process::getuid().is_root() {
        eprintln!("skipped: identity tests need root to start clients as other users");
        return;
    }
    let (dir, db) = temp_db();
    sample_db(&db);
    // The partnership's set-up from the README: the directory belongs to a group, setgid.
    let group = 65534; // nogroup
    let chown =
        |p: &Path| rustix::fs::chown(p, None, Some(rustix::fs::Gid::from_raw(group))).unwrap();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    chown(&db);
    std::fs::set_permissions(&db, std::os::unix::fs::PermissionsExt::from_mode(0o2770)).unwrap();
    let _server = Server::start(&db, &[]);
    let run_as = |uid: u32, gid: u32, args: &[&str]| {
        Process::new(env!("CARGO_BIN_EXE_taskforce"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .uid(uid)
            .gid(gid)
            .env("HOME", "/tmp")
            .output()
            .unwrap()
    };
    // A member of the group gets in and is seen as themself ("nobody", uid 65534).
    let nobody = taskforce::sys::user_name(65534);
    let out = run_as(65534, group, &["list", "practices", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // ...but cannot write alice's score, whatever the record says.
    let file = dir.path().join("score.json");
    std::fs::write(&file, r#"{"scores": [{"id": "itf-1:gp-vouchers:alice:S", "session": "itf-1", "practice": "gp-vouchers", "evaluator": "alice", "criterion": "S", "value": 1, "at": "2020-01-01T00:00:00Z"}]}"#).unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let out = run_as(
        65534,
        group,
        &["import", "--on-conflict", "replace", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "this one is alice's, and you are acting as {nobody}"
        )),
        "{}",
        stderr(&out)
    );
    // Someone outside the group is kept out by the socket's permissions.
    let out = run_as(1, 1, &["list", "practices"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("admits the directory's group only"),
        "{}",
        stderr(&out)
    );
    let meta = std::fs::metadata(socket_path(&db)).unwrap();
    assert_eq!(
        std::os::unix::fs::MetadataExt::gid(&meta),
        group,
        "the socket is not the directory's group's"
    );
}

#[test]
fn search_through_a_running_server_is_answered_by_it_on_its_saved_index() {
    let (_d, db, _server) = served_sample();
    let mut writer = Connection::connect(&db, "test").unwrap();
    put(&mut writer, sme("hydrogen-1")).unwrap();
    let out = taskforce(&[
        "--db",
        db.to_str().unwrap(),
        "search",
        "example sme hydrogen",
        "--format",
        "tsv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("smes\thydrogen-1\t"),
        "{}",
        stdout(&out)
    );
    // The server, which holds the store, saved the index it searched; the next change is
    // found through it too.
    assert!(db.join("search-index").exists());
    put(&mut writer, sme("hydrogen-2")).unwrap();
    let out = taskforce(&[
        "--db",
        db.to_str().unwrap(),
        "search",
        "example sme hydrogen",
        "--format",
        "tsv",
    ]);
    assert!(
        stdout(&out).contains("smes\thydrogen-2\t"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_snapshot_through_the_server_reports_a_damaged_record_and_sends_the_rest() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let direct = Store::open(&db).unwrap().load().unwrap().0;
    wait_released(&db);
    edit_stored(&db, "practices", "gp-east", |bytes| bytes.push(0));
    wait_released(&db);
    let _server = Server::start(&db, &[]);
    let mut conn = Connection::connect(&db, "test").unwrap();
    let (replica, problems) = conn.snapshot().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].tree.as_str(), problems[0].key.as_str()),
        ("practices", "gp-east")
    );
    assert!(problems[0].message.contains("left over"), "{problems:?}");
    assert!(replica.record(Kind::Practice, "gp-east").is_none());
    assert_eq!(replica.len(), direct.len() - 1);
    for kind in Kind::ALL {
        let sent: Vec<_> = replica.rows(*kind).collect();
        let kept: Vec<_> = direct
            .rows(*kind)
            .filter(|r| r.record.id() != "gp-east")
            .collect();
        assert_eq!(sent, kept, "{kind} differ");
    }
}

#[test]
fn a_large_import_goes_through_the_server() {
    let (dir, db) = temp_db();
    // A new database, so that the importer is its facilitator: the generated practices come
    // with status histories, which only a facilitator's import restores.
    drop(taskforce::store::Store::open(&db).unwrap());
    wait_released(&db);
    let _server = Server::start(&db, &[]);
    // About 47 MB of JSON: its message claims more than any stored value may.
    let dataset = taskforce::generate::generate(20_000, 5);
    let file = dir.path().join("large.json");
    std::fs::write(&file, serde_json::to_string(&dataset).unwrap()).unwrap();
    let out = taskforce(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut conn = Connection::connect(&db, "test").unwrap();
    let (replica, problems) = conn.snapshot().unwrap();
    assert!(problems.is_empty());
    let records = dataset.into_records();
    assert!(records.len() >= 20_000);
    for (_, record) in records {
        let id = record.id();
        assert!(replica.record(record.kind(), id).is_some(), "{id}");
    }
}

#[test]
fn a_client_workbench_searches_on_the_server_and_keeps_no_index() {
    use taskforce::search::{Index, Request, Searcher};
    let (_d, db, _server) = served_sample();
    let mut remote = Remote::connect(&db, "workbench", false, false).unwrap();
    let (replica, _) = remote.snapshot().unwrap();
    let source = remote
        .search_source()
        .expect("a client searches on the server");
    let mut searcher = Searcher::with_source(source);
    let ask = |searcher: &mut Searcher, q: &str| {
        searcher.submit(Request::new(q).limit(20));
        searcher
            .wait(Duration::from_secs(20))
            .expect("the server answers")
    };
    let fresh = Index::build(&replica);
    for q in ["example", "vouch fair", "s:"] {
        let served = ask(&mut searcher, q);
        let here = fresh.search(&Request::new(q).limit(20));
        assert_eq!((served.total, served.hits), (here.total, here.hits), "{q}");
    }
    // Someone else's change is found by the next search, with no index kept here.
    let mut writer = Connection::connect(&db, "test").unwrap();
    put(&mut writer, sme("hydrogen-9")).unwrap();
    let found = ask(&mut searcher, "hydrogen");
    assert!(
        found.hits.iter().any(|h| h.id == "hydrogen-9"),
        "{:?}",
        found.hits
    );
}
