//! Storage numbers for the core issue, over generated corpora:
//! `cargo bench --bench core` (release build; prints a table; takes a minute or two).
//!
//! - import time and peak memory of `taskforce import` as a whole process;
//! - open + load of every record into memory (median of 5);
//! - commit latency of one small change, p50 and p99 over 2,000 commits;
//! - database size on disk against the JSON file.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/db.rs"]
mod db;
use db::wait_released;

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use taskforce::model::*;
use taskforce::store::Store;

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() {
                        dir_size(&e.path())
                    } else {
                        m.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Runs a command and samples its resident memory until it exits: (wall time, peak RSS bytes).
fn run_measured(mut command: Process) -> (Duration, u64) {
    let started = Instant::now();
    let mut child = command.stdout(std::process::Stdio::null()).spawn().unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_path) {
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kb: u64 = v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0);
                    peak = peak.max(kb * 1024);
                }
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{command:?} failed");
            return (started.elapsed(), peak);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let exe = env!("CARGO_BIN_EXE_taskforce");
    println!(
        "| records | JSON | import | import peak RSS | open+load (median of 5) | commit p50 | commit p99 | on disk | disk/JSON |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in [10_000usize, 100_000] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("corpus.json");
        let text = serde_json::to_string(&taskforce::generate::generate(n, 42)).unwrap();
        std::fs::write(&file, &text).unwrap();
        let db = tmp.path().join("db");
        let mut import = Process::new(exe);
        import.arg("--db").arg(&db).arg("import").arg(&file);
        let (import_time, import_peak) = run_measured(import);

        let mut loads = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let store = Store::open(&db).unwrap();
            let (replica, problems) = store.load().unwrap();
            loads.push(started.elapsed());
            assert!(problems.is_empty() && replica.len() >= n);
            drop(store);
            wait_released(&db);
        }
        loads.sort();

        let store = Store::open(&db).unwrap();
        let actor = Actor::user("bench");
        let (replica, _) = store.load().unwrap();
        let mut sme = replica
            .rows(Kind::Sme)
            .find_map(|r| match &r.record {
                Record::Sme(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap();
        let mut commits = Vec::with_capacity(2000);
        for i in 0..2000 {
            sme.city = format!("Klaipėda {i}");
            let started = Instant::now();
            store
                .apply(
                    &actor,
                    Command::Put {
                        record: sme.clone().into(),
                        expected_rev: None,
                    },
                )
                .unwrap();
            commits.push(started.elapsed());
        }
        commits.sort();
        drop(store);
        wait_released(&db);
        let disk = dir_size(&db);
        println!(
            "| {n} | {:.1} MB | {:.2} s | {:.0} MB | {:.0} ms | {:.0} µs | {:.0} µs | {:.1} MB | {:.2} |",
            text.len() as f64 / 1e6,
            import_time.as_secs_f64(),
            import_peak as f64 / 1e6,
            loads[2].as_secs_f64() * 1e3,
            percentile(&commits, 0.5).as_secs_f64() * 1e6,
            percentile(&commits, 0.99).as_secs_f64() * 1e6,
            disk as f64 / 1e6,
            disk as f64 / text.len() as f64,
        );
    }
}
