//! Imports and the generator at scale, as whole processes (issue #22):
//! `cargo bench --bench bulk` (release build) measures 100k records;
//! `TASKFORCE_BENCH_RECORDS=100000,1000000 cargo bench --bench bulk` adds the million (2.3 GB of
//! JSON and about as much on disk again, written under the system's temporary directory and
//! removed afterwards).
//!
//! For each size: `taskforce generate` (time, peak RSS), then `taskforce import` of its output
//! into a new database (time, peak RSS). Peak RSS is what `/usr/bin/time -v` reports (the
//! kernel's high-water mark for the process); without it, the resident size sampled every 5 ms.
//! Targets: generate ≤ 50 MB; import ≤ 400 MB and 15 s at 100k, ≤ 1 GB and 3 min at 1M.

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

/// Runs a program and returns its wall time and peak resident set size in bytes.
fn measured(program: &Path, args: &[&str]) -> (Duration, u64) {
    let gnu_time = Path::new("/usr/bin/time");
    let started = Instant::now();
    if gnu_time.exists() {
        let out = Process::new(gnu_time)
            .arg("-v")
            .arg(program)
            .args(args)
            .output()
            .unwrap();
        let elapsed = started.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{} {args:?} failed: {err}",
            program.display()
        );
        let kb: u64 = err
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        return (elapsed, kb * 1024);
    }
    let mut child = Process::new(program).args(args).spawn().unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb * 1024);
        }
        if let Some(s) = child.try_wait().unwrap() {
            assert!(s.success(), "{} {args:?} failed", program.display());
            return (started.elapsed(), peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn main() {
    let program = Path::new(env!("CARGO_BIN_EXE_taskforce"));
    let sizes: Vec<usize> = std::env::var("TASKFORCE_BENCH_RECORDS")
        .unwrap_or_else(|_| "100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!(
        "| records | JSON | generate | generate peak RSS | import | import peak RSS | records/s | MB/s |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("corpus.json");
        let db = dir.path().join("db");
        let records = n.to_string();
        let (gen_time, gen_peak) = measured(
            program,
            &[
                "generate",
                "--records",
                &records,
                "--seed",
                "1",
                "--output",
                file.to_str().unwrap(),
            ],
        );
        let bytes = std::fs::metadata(&file).unwrap().len();
        let (import_time, import_peak) = measured(
            program,
            &[
                "--db",
                db.to_str().unwrap(),
                "import",
                file.to_str().unwrap(),
            ],
        );
        let secs = import_time.as_secs_f64();
        println!(
            "| {n} | {:.0} MB | {:.1} s | {:.0} MB | {:.1} s | {:.0} MB | {:.0} | {:.1} |",
            bytes as f64 / 1e6,
            gen_time.as_secs_f64(),
            gen_peak as f64 / 1e6,
            secs,
            import_peak as f64 / 1e6,
            n as f64 / secs,
            bytes as f64 / 1e6 / secs,
        );
    }
}
