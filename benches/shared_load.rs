//! Shared-mode load test, loopback only, bounded in count and time:
//! `cargo bench --bench shared_load`.
//!
//! 20 clients × 500 score commands as fast as they go against one `taskforce serve` holding a
//! generated corpus of 100k records. Checks that all 10,000 scores are present and every client's
//! replica equals the server's; prints the commit round trip (p50/p99), the broadcast delay from
//! commit to another client's replica (p50/p99) and the server's resident memory.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use taskforce::model::Mark;
use taskforce::model::*;
use taskforce::server::{Connection, Incoming, Reply, Request};
use taskforce::store::Store;

#[path = "support/db.rs"]
mod db;
#[path = "support/session.rs"]
mod session;

const CLIENTS: usize = 20;
const PER_CLIENT: usize = 500;
const PRACTICES: usize = 50;
const CRITERIA: usize = 10;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .map_or(0, |v| {
            v.trim()
                .trim_end_matches(" kB")
                .trim()
                .parse::<u64>()
                .unwrap_or(0)
                * 1024
        })
}

fn main() {
    let records: usize = std::env::var("TASKFORCE_LOAD_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    {
        let store = Store::open(&db).unwrap();
        let actor = Actor::user(taskforce::sys::current_user());
        let mut all = session::records(PRACTICES, CRITERIA, CLIENTS);
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
    let mut server = db::serve(&db);
    let (done_tx, done_rx) = mpsc::channel::<u64>();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<u64>();
    let go_rx = std::sync::Arc::new(std::sync::Mutex::new(go_rx));
    let started = Instant::now();
    // The server's resident memory, sampled every 250 ms from the first snapshot to the end.
    let rss_samples = std::sync::Arc::new(std::sync::Mutex::new(Vec::<f64>::new()));
    {
        let pid = server.id();
        let samples = rss_samples.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let mb = rss(pid) as f64 / 1e6;
                if mb > 0.0 {
                    samples.lock().unwrap().push(mb);
                }
                if samples.lock().unwrap().len().is_multiple_of(8) {
                    eprintln!(
                        "  {:>4.0} s: server RSS {mb:.0} MB",
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        });
    }
    let threads: Vec<_> = (0..CLIENTS)
        .map(|t| {
            let db = db.clone();
            let done_tx = done_tx.clone();
            let go_rx = go_rx.clone();
            std::thread::spawn(move || {
                let mut conn = Connection::connect(&db, "load").unwrap();
                let (mut replica, _) = conn.snapshot().unwrap();
                // The delay counts for commits made once this client is live; those made while
                // it was still reading its snapshot wait for the snapshot, which is not a
                // broadcast's delay.
                let joined = now_ms();
                let Some(Record::Session(session)) =
                    replica.record(Kind::Session, "load-session").cloned()
                else {
                    panic!()
                };
                let evaluator = format!("e{t:02}");
                let mut round_trips = Vec::with_capacity(PER_CLIENT);
                let mut delays = Vec::new();
                let drain = |conn: &mut Connection,
                             replica: &mut Replica,
                             delays: &mut Vec<f64>,
                             block: bool| {
                    let incoming = conn.poll();
                    if block && incoming.is_empty() {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    for i in incoming {
                        if let Incoming::Event(c) = i {
                            let applied = replica.apply(&c);
                            if applied
                                && c.at.0 >= joined
                                && c.actor.on_behalf_of.as_deref() != Some(evaluator.as_str())
                            {
                                delays.push((now_ms() - c.at.0) as f64);
                            }
                        }
                    }
                };
                for i in 0..PER_CLIENT {
                    let practice = &session.practices[i / CRITERIA];
                    let criterion = &session.criteria[i % CRITERIA].code;
                    let t0 = Instant::now();
                    let reply = conn.request(Request::Submit {
                        command: Command::Evaluate(Evaluate::Score {
                            session: session.id.clone(),
                            practice: practice.clone(),
                            criterion: criterion.clone(),
                            mark: Mark::Value(Decimal1::from_units(1 + (i % 5) as i64)),
                            comment: None,
                            seen: None,
                        }),
                        on_behalf_of: Some(evaluator.clone()),
                    });
                    round_trips.push(t0.elapsed().as_secs_f64() * 1e3);
                    assert!(matches!(reply, Ok(Reply::Committed(_))), "{reply:?}");
                    drain(&mut conn, &mut replica, &mut delays, false);
                }
                done_tx.send(replica.seq).unwrap();
                // Live while waiting for the others: events keep being applied as they come.
                let target = loop {
                    if let Ok(t) = go_rx.lock().unwrap().try_recv() {
                        break t;
                    }
                    drain(&mut conn, &mut replica, &mut delays, true);
                };
                while replica.seq < target {
                    drain(&mut conn, &mut replica, &mut delays, true);
                }
                let (fresh, _) = conn.snapshot().unwrap();
                let identical = Kind::ALL
                    .iter()
                    .all(|k| replica.rows(*k).eq(fresh.rows(*k)));
                (round_trips, delays, identical)
            })
        })
        .collect();
    let mut max_seq = 0;
    for _ in 0..CLIENTS {
        max_seq = max_seq.max(done_rx.recv().unwrap());
    }
    let elapsed = started.elapsed();
    let server_rss = rss(server.id());
    for _ in 0..CLIENTS {
        go_tx.send(max_seq).unwrap();
    }
    let mut round_trips = Vec::new();
    let mut delays = Vec::new();
    let mut identical = 0;
    for t in threads {
        let (r, d, same) = t.join().unwrap();
        round_trips.extend(r);
        delays.extend(d);
        identical += same as usize;
    }
    let mut conn = Connection::connect(&db, "load").unwrap();
    let (fresh, _) = conn.snapshot().unwrap();
    let scores = fresh
        .rows(Kind::Score)
        .filter(|r| r.record.id().starts_with("load-session:"))
        .count();
    drop(conn);
    let _ = rustix::process::kill_process(
        rustix::process::Pid::from_raw(server.id() as i32).unwrap(),
        rustix::process::Signal::TERM,
    );
    let _ = server.wait();
    round_trips.sort_by(f64::total_cmp);
    delays.sort_by(f64::total_cmp);
    println!(
        "corpus: {records} generated records + the load session; {CLIENTS} clients × {PER_CLIENT} scores in {:.2} s",
        elapsed.as_secs_f64()
    );
    println!("scores present: {scores} of {}", CLIENTS * PER_CLIENT);
    println!("client replicas identical to the server's: {identical} of {CLIENTS}");
    println!(
        "commit round trip: p50 {:.2} ms, p99 {:.2} ms",
        pct(&round_trips, 0.5),
        pct(&round_trips, 0.99)
    );
    println!(
        "broadcast delay to clients already live (commit → another client's replica, ms clock): p50 {:.0} ms, p99 {:.0} ms over {} deliveries",
        pct(&delays, 0.5),
        pct(&delays, 0.99),
        delays.len()
    );
    let mut samples = rss_samples.lock().unwrap().clone();
    samples.sort_by(f64::total_cmp);
    println!(
        "server resident memory with {CLIENTS} clients: {:.0} MB at the end; over the run (every 250 ms, {} samples) median {:.0} MB, peak {:.0} MB",
        server_rss as f64 / 1e6,
        samples.len(),
        pct(&samples, 0.5),
        samples.last().copied().unwrap_or(0.0)
    );
    assert_eq!(scores, CLIENTS * PER_CLIENT, "scores were lost");
    assert_eq!(
        identical, CLIENTS,
        "a client's replica differs from the server's"
    );
}
