//! The shared server under a hostile member (issue 15, "bounded resources"): each test misbehaves
//! through raw sockets against a real `taskforce serve` and checks that the server bounds what it
//! holds and keeps serving the others. Loopback only, bounded in count and time.

mod common;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::server::Server;
use common::*;
use taskforce::model::*;
use taskforce::server::protocol::{
    ClientMsg, PROTOCOL_VERSION, ServerMsg, read_frame, write_frame,
};
use taskforce::server::{Connection, Incoming, Reply, Request, socket_path};

/// Starts a server with extra environment (the limits are read from it) and waits until it
/// answers.
fn serve_with(db: &Path, env: &[(&str, &str)]) -> Server {
    let child = Process::new(env!("CARGO_BIN_EXE_taskforce"))
        .arg("--db")
        .arg(db)
        .arg("serve")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let server = Server { child };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(mut conn) = Connection::connect(db, "test")
            && conn.request(Request::Who).is_ok()
        {
            return server;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A database with the sample and `n` generated records (about 1.5 kB each as stored).
fn big_db(db: &Path, n: usize) {
    let store = sample_store(db);
    let records = taskforce::generate::generate(n, 11)
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    store
        .apply(
            // alice, the sample's facilitator: her import restores the records as they are.
            &Actor::user("alice"),
            Command::Import {
                records,
                on_conflict: OnConflict::Replace,
                source: "generated".into(),
            },
        )
        .unwrap();
    drop(store);
    wait_released(db);
}

/// A database whose audit log holds an entry for each of about `n` generated records, each
/// entry with the record before and after (a few kB).
fn audited_db(db: &Path, n: usize) {
    let store = sample_store(db);
    let records: Vec<Record> = taskforce::generate::generate(n, 13)
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    store
        .apply(
            // alice, the sample's facilitator: her import restores the records as they are.
            &Actor::user("alice"),
            Command::Import {
                records: records.clone(),
                on_conflict: OnConflict::Fail,
                source: "generated".into(),
            },
        )
        .unwrap();
    for record in records {
        let _ = store.apply_unflushed(
            &actor(),
            Command::Put {
                record,
                expected_rev: None,
            },
        );
    }
    store.flush().unwrap();
    drop(store);
    wait_released(db);
}

/// A raw connection that has said hello as `program` and read the welcome.
fn raw(db: &Path, program: &str) -> UnixStream {
    let mut s = UnixStream::connect(socket_path(db)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write_frame(
        &mut s,
        &ClientMsg::Hello {
            protocol: PROTOCOL_VERSION,
            program: program.into(),
        },
    )
    .unwrap();
    let welcome: ServerMsg = read_frame(&mut s).unwrap();
    assert!(matches!(welcome, ServerMsg::Welcome { .. }), "{welcome:?}");
    s
}

fn request_frame(id: u64, request: Request) -> Vec<u8> {
    taskforce::server::protocol::frame(&ClientMsg::Request { id, request }).unwrap()
}

/// A line of /proc/PID/status in kB.
fn status_kb(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn rss_mb(server: &Server) -> f64 {
    status_kb(server.child.id(), "VmRSS:") as f64 / 1024.0
}

/// Whether the server has closed this connection (EOF or an error), waiting up to `wait`.
fn closed_within(s: &mut UnixStream, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    let mut buf = [0u8; 64 * 1024];
    while Instant::now() < deadline {
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

/// The programs connected, as the server lists them.
fn programs(db: &Path) -> Vec<(String, u32)> {
    let mut conn = Connection::connect(db, "probe").unwrap();
    match conn.request(Request::Who).unwrap() {
        Reply::Who(list) => list.into_iter().map(|p| (p.program, p.pid)).collect(),
        other => panic!("{other:?}"),
    }
}

/// D1: eight connections that announce 128 MiB frames and send 4 bytes of them make the server
/// hold next to nothing; the frame's buffer grows as its bytes arrive.
#[test]
fn a_length_prefix_alone_pins_no_memory() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let server = Server::start(&db, &[]);
    let before = rss_mb(&server);
    let reserved = status_kb(server.child.id(), "VmSize:") as f64 / 1024.0;
    let held: Vec<UnixStream> = (0..8)
        .map(|_| {
            let mut s = raw(&db, "prefix");
            s.write_all(&(128u32 * 1024 * 1024).to_be_bytes()).unwrap();
            // Bytes spread over the announced length's pages would make every page resident
            // if it were allocated up front; here, 4 bytes and then 64 kB of them.
            s.write_all(&[1, 2, 3, 4]).unwrap();
            s.write_all(&vec![7u8; 64 * 1024]).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let after = rss_mb(&server);
    let virt = status_kb(server.child.id(), "VmSize:") as f64 / 1024.0;
    eprintln!(
        "8 frames of 128 MiB announced: server RSS {before:.0} MB → {after:.0} MB, address space {reserved:.0} MB → {virt:.0} MB"
    );
    assert!(
        after - before < 100.0,
        "the server grew from {before:.0} MB to {after:.0} MB"
    );
    // Allocated but untouched, 1 GiB would not show in RSS: the address space says it.
    assert!(
        virt - reserved < 512.0,
        "the server reserved {reserved:.0} MB → {virt:.0} MB"
    );
    drop(held);
}

/// D1: a frame trickled a byte at a time is dropped once the frame deadline passes, and so is
/// a hello trickled the same way; a workbench (which takes updates) may idle for longer than
/// the idle time, a connection that takes none may not.
#[test]
fn trickled_frames_and_idle_one_shot_connections_are_dropped() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let _server = serve_with(
        &db,
        &[
            ("TASKFORCE_FRAME_TIMEOUT_SECS", "2"),
            ("TASKFORCE_HELLO_TIMEOUT_SECS", "2"),
            ("TASKFORCE_IDLE_TIMEOUT_SECS", "3"),
        ],
    );
    let mut workbench = Connection::connect(&db, "workbench").unwrap();
    workbench.snapshot().unwrap();
    let mut idle = raw(&db, "idle");
    // A request frame of 200 bytes, sent one byte every 300 ms.
    let mut trickle = raw(&db, "trickle");
    let mut hello_trickle = UnixStream::connect(socket_path(&db)).unwrap();
    trickle.write_all(&200u32.to_be_bytes()).unwrap();
    hello_trickle.write_all(&200u32.to_be_bytes()).unwrap();
    let started = Instant::now();
    let (mut trickle_closed, mut hello_closed) = (None, None);
    while started.elapsed() < Duration::from_secs(20)
        && (trickle_closed.is_none() || hello_closed.is_none())
    {
        std::thread::sleep(Duration::from_millis(300));
        if trickle_closed.is_none() && trickle.write_all(&[0]).is_err() {
            trickle_closed = Some(started.elapsed());
        }
        if hello_closed.is_none() && hello_trickle.write_all(&[0]).is_err() {
            hello_closed = Some(started.elapsed());
        }
    }
    eprintln!(
        "trickled frame closed after {trickle_closed:?}, trickled hello after {hello_closed:?}"
    );
    assert!(
        trickle_closed.is_some(),
        "a frame trickled for 20 s kept its connection"
    );
    assert!(
        hello_closed.is_some(),
        "a hello trickled for 20 s kept its connection"
    );
    assert!(
        closed_within(&mut idle, Duration::from_secs(20)),
        "a connection that sent nothing and takes no updates stayed open"
    );
    // The workbench idles longer than the idle time (the others may all have been dropped
    // sooner) and is still served.
    while started.elapsed() <= Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(matches!(workbench.request(Request::Who), Ok(Reply::Who(_))));
}

/// D2: a client that pipelines big requests and reads no reply makes the server hold a few
/// replies, not all of them, and is let go once it leaves them unread long enough.
#[test]
fn pipelined_unread_replies_are_bounded() {
    let (_d, db) = temp_db();
    audited_db(&db, 2000);
    let server = serve_with(&db, &[("TASKFORCE_UNREAD_TIMEOUT_SECS", "3")]);
    // The size of one answer: the import's audit entry holds every record it wrote.
    let mut probe = Connection::connect(&db, "probe").unwrap();
    let t = Instant::now();
    let one = match probe.request(Request::Audit { limit: 1000 }).unwrap() {
        Reply::Audit(entries) => {
            taskforce::server::protocol::frame(&ServerMsg::Reply {
                id: 1,
                reply: Ok(Reply::Audit(entries)),
            })
            .unwrap()
            .len() as f64
                / 1e6
        }
        other => panic!("{other:?}"),
    };
    eprintln!("one audit answer: {one:.1} MB in {:?}", t.elapsed());
    drop(probe);
    let before = rss_mb(&server);
    let greedy = raw(&db, "pipeliner");
    let n = 400;
    let mut frames = Vec::new();
    for id in 1..=n {
        frames.extend(request_frame(id, Request::Audit { limit: 1000 }));
    }
    let mut writer = greedy.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        // Blocks once the server stops reading; ends when it lets the connection go.
        let _ = writer.write_all(&frames);
    });
    let mut peak = before;
    let started = Instant::now();
    let mut gone = false;
    while started.elapsed() < Duration::from_secs(40) {
        std::thread::sleep(Duration::from_millis(250));
        peak = peak.max(rss_mb(&server));
        if !programs(&db).iter().any(|(p, _)| p == "pipeliner") {
            gone = true;
            break;
        }
    }
    eprintln!(
        "{n} unread answers of {one:.1} MB: server RSS {before:.0} MB → peak {peak:.0} MB; let go: {gone} after {:?}",
        started.elapsed()
    );
    assert!(
        peak - before < one * 3.0 + 40.0,
        "the server grew from {before:.0} MB to {peak:.0} MB holding unread replies"
    );
    assert!(
        gone,
        "a client that read no reply for 40 s stayed connected"
    );
    let _ = greedy.shutdown(std::net::Shutdown::Both);
    let _ = sender.join();
    // Everyone else is served.
    let mut other = Connection::connect(&db, "test").unwrap();
    assert!(matches!(other.request(Request::Who), Ok(Reply::Who(_))));
}

/// D3: one user's connections are capped with a refusal in words and no panic; another member
/// is served meanwhile (as root, a member with another uid runs `who`).
#[test]
fn connection_caps_refuse_in_words_and_a_member_is_still_served() {
    use std::os::unix::process::CommandExt;
    let (dir, db) = temp_db();
    sample_db(&db);
    let root = rustix::process::getuid().is_root();
    let group = 65534; // nogroup
    if root {
        let chown =
            |p: &Path| rustix::fs::chown(p, None, Some(rustix::fs::Gid::from_raw(group))).unwrap();
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        chown(&db);
        std::fs::set_permissions(&db, std::os::unix::fs::PermissionsExt::from_mode(0o2770))
            .unwrap();
    }
    let server = Server::start(&db, &[]);
    // The start-up probe's connection may take a moment to be let go.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !programs(&db).iter().all(|(p, _)| p == "probe") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let me = taskforce::sys::current_user();
    let mut held = Vec::new();
    let mut refusal = None;
    for _ in 0..300 {
        match Connection::connect(&db, "hog") {
            Ok(c) => held.push(c),
            Err(e) => {
                refusal = Some(e.to_string());
                break;
            }
        }
    }
    eprintln!("held {} connections; then: {refusal:?}", held.len());
    let refusal = refusal.expect("300 connections of one user were all accepted");
    assert_eq!(held.len(), 32);
    assert!(
        refusal.contains(&format!(
            "too many connections for {me}: 32; close some workbenches"
        )),
        "{refusal}"
    );
    assert!(server_alive(&server));
    if root {
        let t = Instant::now();
        let out = Process::new(env!("CARGO_BIN_EXE_taskforce"))
            .arg("--db")
            .arg(&db)
            .arg("who")
            .uid(65534)
            .gid(group)
            .env("HOME", "/tmp")
            .output()
            .unwrap();
        let took = t.elapsed();
        eprintln!("another member's `who` took {took:?}");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            stdout(&out).matches(" hog ").count(),
            32,
            "{}",
            stdout(&out)
        );
        assert!(took < Duration::from_secs(5), "`who` took {took:?}");
    } else {
        eprintln!("skipped the other member's part: it needs root to run as another uid");
    }
    // A connection given back is a connection free again.
    held.pop();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Connection::connect(&db, "hog") {
            Ok(c) => {
                held.push(c);
                break;
            }
            Err(e) => assert!(Instant::now() < deadline, "{e}"),
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(held);
}

fn server_alive(server: &Server) -> bool {
    std::fs::metadata(format!("/proc/{}", server.child.id())).is_ok()
}

/// D4: a client that asks for a snapshot and reads it slowly does not hold up another's
/// snapshot, nor a one-shot command.
#[test]
fn a_slow_snapshot_reader_delays_nobody() {
    let (_d, db) = temp_db();
    // More than a few chunks and the socket's buffers hold: about 40 MB as stored.
    big_db(&db, 50_000);
    let _server = serve_with(&db, &[]);
    let mut slow = raw(&db, "slow");
    slow.write_all(&request_frame(1, Request::Snapshot))
        .unwrap();
    let hang_up = slow.try_clone().unwrap();
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let finished = finished.clone();
        std::thread::spawn(move || {
            // 64 kB every 100 ms, 60 s at most: never stalled, always behind.
            let started = Instant::now();
            let mut buf = vec![0u8; 64 * 1024];
            let mut total = 0usize;
            while started.elapsed() < Duration::from_secs(60) {
                match slow.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => total += n,
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            finished.store(true, std::sync::atomic::Ordering::SeqCst);
            total
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    let mut other = Connection::connect(&db, "test").unwrap();
    let t = Instant::now();
    let answered = other.request(Request::Who);
    let who_took = t.elapsed();
    assert!(matches!(answered, Ok(Reply::Who(_))));
    let t = Instant::now();
    let (replica, _) = other.snapshot().unwrap();
    let snapshot_took = t.elapsed();
    let slow_done = finished.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!(
        "while a snapshot was read slowly: `who` {who_took:?}, another snapshot of {} records {snapshot_took:?}",
        replica.len()
    );
    assert!(replica.len() > 50_000);
    assert!(
        !slow_done,
        "the other snapshot waited for the slow reader to finish"
    );
    assert!(who_took < Duration::from_secs(1), "`who` took {who_took:?}");
    drop(other);
    let _ = hang_up.shutdown(std::net::Shutdown::Both);
    eprintln!("the slow reader read {} kB", reader.join().unwrap() / 1024);
}

/// D3, D11: `who` lists every connection, one that calls itself "who" too, and prints names
/// neutralised and cut short.
#[test]
fn who_lists_every_connection_with_names_neutralised() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let _server = Server::start(&db, &[]);
    let _hidden = raw(&db, "who");
    let _evil = raw(&db, "\u{1b}]0;pwned\u{7}\u{1b}[2Jevil\r\nroot      fake");
    let _long = raw(&db, &"x".repeat(10_000));
    let out = taskforce(&["--db", db.to_str().unwrap(), "who"]);
    let text = stdout(&out);
    eprintln!("{text}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let me = format!("pid {:<8}", std::process::id());
    let ours: Vec<&str> = text.lines().filter(|l| l.contains(&me)).collect();
    assert_eq!(ours.len(), 3, "{text}");
    assert!(
        ours.iter()
            .any(|l| l.split_whitespace().nth(1) == Some("who")),
        "{text}"
    );
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'));
    assert!(text.contains("␛]0;pwned"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() < 200), "{text}");
}

/// D13: checks run one at a time; the others are told one is running.
#[test]
fn checks_run_one_at_a_time() {
    let (_d, db) = temp_db();
    big_db(&db, 10_000);
    let _server = serve_with(&db, &[]);
    let mut conns: Vec<Connection> = (0..4)
        .map(|_| Connection::connect(&db, "check").unwrap())
        .collect();
    let ids: Vec<u64> = conns
        .iter_mut()
        .map(|c| c.send(Request::Check).unwrap())
        .collect();
    let mut ok = 0;
    let mut busy = 0;
    for (conn, id) in conns.iter_mut().zip(ids) {
        let deadline = Instant::now() + Duration::from_secs(120);
        'wait: loop {
            for incoming in conn.poll() {
                if let Incoming::Reply { id: rid, reply } = incoming
                    && rid == id
                {
                    match reply {
                        Ok(Reply::Check(_)) => ok += 1,
                        Err(e) if e.to_string().contains("a check is already running") => busy += 1,
                        other => panic!("{other:?}"),
                    }
                    break 'wait;
                }
            }
            assert!(Instant::now() < deadline, "no answer to a check");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    eprintln!("4 checks at once: {ok} ran, {busy} told one was running");
    assert!(ok >= 1);
    assert!(busy >= 1, "four checks ran at once");
}

/// D12, D14: a storm of connections that come, misbehave and go costs a few presence broadcasts
/// and a few log lines, not two broadcasts and a line each.
#[test]
fn a_connection_storm_costs_few_broadcasts_and_log_lines() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let server = Server::start(&db, &[]);
    let mut watcher = Connection::connect(&db, "watcher").unwrap();
    watcher.snapshot().unwrap();
    watcher.poll();
    let n = 400;
    let started = Instant::now();
    for _ in 0..n {
        let mut s = raw(&db, "storm");
        let _ = s.write_all(&[0, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef]);
        let _ = closed_within(&mut s, Duration::from_secs(2));
        if started.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    let stormed = started.elapsed();
    std::thread::sleep(Duration::from_millis(1500));
    let presences = watcher
        .poll()
        .into_iter()
        .filter(|i| matches!(i, Incoming::Presence(_)))
        .count();
    drop(watcher);
    // Whatever was held back is counted when the server stops, if not before.
    let mut server = server;
    server.signal(rustix::process::Signal::TERM);
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = server.child.kill();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, log) = server.wait();
    let closed = log.matches("closed the connection").count();
    let summaries = log.matches("more like that").count();
    let secs = stormed.as_secs_f64() + 2.0;
    eprintln!(
        "{n} connections in {stormed:?}: {presences} presence broadcasts, {closed} log lines and {summaries} summaries"
    );
    assert!(
        (presences as f64) <= secs / 0.2 + 3.0 && presences < n,
        "{presences} presence broadcasts"
    );
    assert!(
        (closed as f64) <= 5.0 * (secs + 1.0) && closed < n,
        "{closed} log lines:\n{log}"
    );
    assert!(summaries >= 1, "{log}");
}

/// One-shot commands that need one record or the counts read just that through the server.
#[test]
fn one_shot_commands_read_what_they_need() {
    let (_d, db) = temp_db();
    sample_db(&db);
    let _server = Server::start(&db, &[]);
    let mut conn = Connection::connect(&db, "test").unwrap();
    let (replica, _) = conn.snapshot().unwrap();
    let (seq, counts) = conn.info().unwrap();
    assert_eq!(seq, replica.seq);
    for (kind, n) in counts {
        assert_eq!(n as usize, replica.count(kind), "{kind}");
    }
    let session = replica.rows(Kind::Session).next().unwrap();
    let got = conn.get(Kind::Session, session.record.id()).unwrap();
    assert_eq!(got.as_ref(), Some(session));
    assert!(conn.get(Kind::Session, "no-such").unwrap().is_none());
    let out = taskforce(&["--db", db.to_str().unwrap(), "info"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("last change     #{seq}")),
        "{}",
        stdout(&out)
    );
}
