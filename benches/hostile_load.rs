//! The shared server under attack, loopback only, bounded in count and time:
//! `cargo bench --bench hostile_load`.
//!
//! A generated corpus (10k records by default, `TASKFORCE_LOAD_RECORDS`), one `taskforce serve`,
//! 500 hostile connections (100 each: a frame's length prefix and a stall, a frame trickled a
//! byte every 5 s, 300 pipelined audit requests never read, a snapshot never read, a
//! connect-and-leave storm) that reconnect whenever the server lets them go, and 8 honest
//! clients scoring and asking `who`, for `TASKFORCE_LOAD_SECS` (30 s). Prints the server's
//! resident memory (peak) and the honest commands' latency (p50, p99, max).
//!
//! Every connection here is the same user, so the server runs with its per-user and total
//! connection caps raised to 2000 (the defaults, 32 per user and 256 in all, would refuse most of
//! the attack: that part is tested in tests/hostile.rs); its other limits are the defaults but
//! for the frame deadline (10 s) and the unread-replies deadline (10 s), shortened so that the
//! attackers are let go, and come back, several times within the run.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use taskforce::model::*;
use taskforce::scoring::Mark;
use taskforce::server::protocol::{ClientMsg, PROTOCOL_VERSION, ServerMsg, frame, read_frame};
use taskforce::server::{Connection, Reply, Request, socket_path};
use taskforce::store::Store;

#[path = "support/db.rs"]
mod db;
#[path = "support/session.rs"]
mod session;

const HONEST: usize = 8;
const PER_KIND: usize = 100;
const PRACTICES: usize = 50;
const CRITERIA: usize = 10;

fn rss_mb(pid: u32) -> f64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn serve(db: &Path) -> Child {
    db::wait_released(db);
    let child = Process::new(env!("CARGO_BIN_EXE_taskforce"))
        .arg("--db")
        .arg(db)
        .arg("serve")
        .envs([
            ("TASKFORCE_MAX_CONNECTIONS_PER_USER", "2000"),
            ("TASKFORCE_MAX_CONNECTIONS", "2000"),
            ("TASKFORCE_FRAME_TIMEOUT_SECS", "10"),
            ("TASKFORCE_UNREAD_TIMEOUT_SECS", "10"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while UnixStream::connect(socket_path(db)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A raw connection that said hello; `None` when the server would not have it.
fn hello(db: &Path, program: &str) -> Option<UnixStream> {
    let mut s = UnixStream::connect(socket_path(db)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let bytes = frame(&ClientMsg::Hello {
        protocol: PROTOCOL_VERSION,
        program: program.into(),
    })
    .ok()?;
    s.write_all(&bytes).ok()?;
    match read_frame::<ServerMsg>(&mut s) {
        Ok(ServerMsg::Welcome { .. }) => Some(s),
        _ => None,
    }
}

/// Waits until the server closes `s` (or the run ends), reading nothing.
fn hold(s: &UnixStream, stop: &AtomicBool) {
    let _ = s.set_nonblocking(true);
    let mut byte = [0u8; 1];
    while !stop.load(Ordering::Relaxed) {
        // Peek-free check: a read of 0 bytes means closed; data is left unread (a 1-byte read
        // now and then is all this costs).
        match (&*s).read(&mut byte) {
            Ok(0) => return,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return,
            Ok(_) => {}
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[derive(Clone, Copy, Debug)]
enum Attack {
    PrefixStall,
    Trickle,
    Pipeline,
    SnapshotUnread,
    Storm,
}

fn attack(db: PathBuf, kind: Attack, stop: Arc<AtomicBool>, rounds: Arc<AtomicU64>) {
    while !stop.load(Ordering::Relaxed) {
        let Some(mut s) = hello(&db, "hostile") else {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        };
        rounds.fetch_add(1, Ordering::Relaxed);
        match kind {
            Attack::PrefixStall => {
                let _ = s.write_all(&(128u32 * 1024 * 1024).to_be_bytes());
                let _ = s.write_all(&[1, 2, 3, 4]);
                hold(&s, &stop);
            }
            Attack::Trickle => {
                let _ = s.write_all(&1000u32.to_be_bytes());
                let started = Instant::now();
                let mut sent = 0;
                while !stop.load(Ordering::Relaxed) {
                    if started.elapsed() >= Duration::from_secs(5 * sent) {
                        if s.write_all(&[0]).is_err() {
                            break;
                        }
                        sent += 1;
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
            Attack::Pipeline => {
                let mut frames = Vec::new();
                for id in 1..=300 {
                    frames.extend(
                        frame(&ClientMsg::Request {
                            id,
                            request: Request::Audit { limit: 100_000 },
                        })
                        .unwrap(),
                    );
                }
                // Blocks once the server stops reading; fails once it lets go.
                let writer = s.try_clone().unwrap();
                let t = std::thread::spawn(move || {
                    let _ = (&writer).write_all(&frames);
                });
                hold(&s, &stop);
                let _ = s.shutdown(std::net::Shutdown::Both);
                let _ = t.join();
            }
            Attack::SnapshotUnread => {
                let bytes = frame(&ClientMsg::Request {
                    id: 1,
                    request: Request::Snapshot,
                })
                .unwrap();
                let _ = s.write_all(&bytes);
                hold(&s, &stop);
            }
            Attack::Storm => {
                drop(s);
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn main() {
    let records: usize = std::env::var("TASKFORCE_LOAD_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let secs: u64 = std::env::var("TASKFORCE_LOAD_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    {
        let store = Store::open(&db).unwrap();
        let actor = Actor::user(taskforce::sys::current_user());
        let mut all = session::records(PRACTICES, CRITERIA, HONEST);
        all.extend(
            taskforce::generate::generate(records, 7)
                .into_records()
                .into_iter()
                .map(|(_, r)| r),
        );
        store
            .apply(
                &actor,
                Command::Import {
                    records: all,
                    on_conflict: OnConflict::Fail,
                    source: "load".into(),
                },
            )
            .unwrap();
    }
    let mut server = serve(&db);
    let pid = server.id();
    let before = rss_mb(pid);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let peak = Arc::new(Mutex::new(before));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut last_print = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let mb = rss_mb(pid);
                let mut p = peak.lock().unwrap();
                *p = p.max(mb);
                if last_print.elapsed() > Duration::from_secs(5) {
                    eprintln!(
                        "  {:>3.0} s: server RSS {mb:.0} MB (peak {:.0} MB)",
                        started.elapsed().as_secs_f64(),
                        *p
                    );
                    last_print = Instant::now();
                }
            }
        })
    };
    let kinds = [
        Attack::PrefixStall,
        Attack::Trickle,
        Attack::Pipeline,
        Attack::SnapshotUnread,
        Attack::Storm,
    ];
    let rounds: Vec<Arc<AtomicU64>> = kinds.iter().map(|_| Arc::default()).collect();
    let mut attackers = Vec::new();
    // `TASKFORCE_HOSTILE=Storm,Trickle` runs only those attacks (to see what costs what).
    let only = std::env::var("TASKFORCE_HOSTILE").unwrap_or_default();
    for (k, kind) in kinds.iter().enumerate() {
        if !only.is_empty() && !only.split(',').any(|o| o == format!("{kind:?}")) {
            continue;
        }
        for _ in 0..PER_KIND {
            let (db, stop, rounds) = (db.clone(), stop.clone(), rounds[k].clone());
            let kind = *kind;
            attackers.push(
                std::thread::Builder::new()
                    .stack_size(128 * 1024)
                    .spawn(move || attack(db, kind, stop, rounds))
                    .unwrap(),
            );
        }
    }
    // Let the attack build up before the honest clients start.
    std::thread::sleep(Duration::from_secs(2));
    let honest: Vec<_> = (0..HONEST)
        .map(|t| {
            let (db, stop) = (db.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut failures = Vec::new();
                let t0 = Instant::now();
                let mut conn = Connection::connect(&db, "honest").unwrap();
                let Some(Row {
                    record: Record::Session(session),
                    ..
                }) = conn.get(Kind::Session, "load-session").unwrap()
                else {
                    panic!("no load session")
                };
                latencies.push(t0.elapsed().as_secs_f64() * 1e3);
                let evaluator = format!("e{t:02}");
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let t0 = Instant::now();
                    let reply = if i % 10 == 9 {
                        conn.request(Request::Who)
                    } else {
                        let n = i % (PRACTICES * CRITERIA);
                        conn.request(Request::Submit {
                            command: Command::Evaluate(Evaluate::Score {
                                session: session.id.clone(),
                                practice: session.practices[n / CRITERIA].clone(),
                                criterion: session.criteria[n % CRITERIA].code.clone(),
                                mark: Mark::Value(Decimal1::from_units(1 + (i % 5) as i64)),
                                comment: None,
                                seen: None,
                            }),
                            on_behalf_of: Some(evaluator.clone()),
                        })
                    };
                    latencies.push(t0.elapsed().as_secs_f64() * 1e3);
                    match reply {
                        Ok(Reply::Committed(_) | Reply::Who(_)) => {}
                        other => failures.push(format!("{other:?}")),
                    }
                    conn.poll();
                    i += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                (latencies, failures)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    let end_rss = rss_mb(pid);
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for h in honest {
        let (l, f) = h.join().unwrap();
        latencies.extend(l);
        failures.extend(f);
    }
    let _ = sampler.join();
    let _ = rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid as i32).unwrap(),
        rustix::process::Signal::TERM,
    );
    let _ = server.wait();
    for a in attackers {
        let _ = a.join();
    }
    latencies.sort_by(f64::total_cmp);
    let peak = *peak.lock().unwrap();
    let over = latencies.iter().filter(|l| **l > 1000.0).count();
    println!(
        "corpus: {records} generated records + the load session; {secs} s of attack by {} hostile connections ({PER_KIND} each: {})",
        kinds.len() * PER_KIND,
        kinds
            .iter()
            .zip(&rounds)
            .map(|(k, r)| format!("{k:?} {} connections", r.load(Ordering::Relaxed)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "server limits: connection caps raised to 2000 (one uid here), frame and unread-replies deadlines 10 s, the rest defaults"
    );
    println!(
        "server resident memory: {before:.0} MB before the attack, peak {peak:.0} MB (every 100 ms), {end_rss:.0} MB at the end"
    );
    println!(
        "{HONEST} honest clients: {} commands (scores, and `who` every 10th): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; over 1 s: {over}; failed: {}",
        latencies.len(),
        pct(&latencies, 0.5),
        pct(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        failures.len()
    );
    for f in failures.iter().take(5) {
        println!("  failure: {f}");
    }
    println!(
        "target: peak RSS ≤ 300 MB: {}; every honest command within 1 s: {}",
        if peak <= 300.0 { "met" } else { "NOT met" },
        if over == 0 { "met" } else { "NOT met" }
    );
    assert!(failures.is_empty(), "honest commands failed");
    assert_eq!(over, 0, "honest commands waited over a second");
}
