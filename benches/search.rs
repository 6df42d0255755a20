//! Search benchmarks over generated corpora: build time and memory of the index, median time of
//! typical queries (1–2 letters included) at 10k and 100k records, the cost of a commit, and
//! what the UI thread pays while typing through a `Searcher`.
//!
//! Last, the whole process: `taskforce search` on a database of the largest size (imported
//! once) against `fzf --filter` over an export of the same records, one line a record, side by
//! side (skipped when fzf is not installed).
//!
//! ```text
//! cargo bench --bench search                      # 10k and 100k records
//! cargo bench --bench search -- 10000 1000000     # other sizes
//! cargo bench --bench search -- --no-process      # without the whole-process comparison
//! cargo bench --bench search -- --write 100000 DIR
//!     # writes DIR/records.json (for `taskforce import`) and DIR/lines.txt (one line of text
//!     # per record, for `fzf --filter`), then exits
//! cargo bench --bench search -- --process-db DIR
//!     # the whole-process comparison and the one-shot commands on a database imported
//!     # beforehand (a million records, imported in several files)
//! ```
//!
//! The whole-process comparison runs every query of [`QUERIES`] and `a` and `xq` against
//! `fzf --filter` over one short line per record (kind, id, title and key fields: what people
//! scan), each the median of five runs, taskforce with its saved index (used in place). Then the
//! one-shot commands (`score`, `decide`, `session`, `info`, `list sessions`), directly and
//! through a running server; for them it adds a small evaluation session (`load-session`, with
//! its project, meeting, criteria and three practices) to the database.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod support {
    #[path = "db.rs"]
    pub mod db;
    #[path = "session.rs"]
    pub mod session;
}

use taskforce::model::*;
use taskforce::search::{Index, Request, Searcher};

/// Counts the bytes allocated and not yet freed, to measure the index honestly.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Typical queries: what people type in a meeting, one and two letters included.
const QUERIES: &[&str] = &[
    "m",
    "v",
    "ma",
    "st",
    "vo",
    "exp",
    "maribor",
    "badajoz",
    "klaipeda",
    "pecs",
    "vouch fair",
    "coventry ecomm",
    "study visit",
    "export services",
    "maribor fair",
    "p: export",
    "m: study visit",
    "\"trade fair\"",
    "digital !online",
    "xyzzy",
];

fn corpus(records: usize, seed: u64) -> Dataset {
    taskforce::generate::generate(records, seed)
}

fn cpu() -> Duration {
    taskforce::search::cpu_time()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// One line of text per record (and voucher type): what the index searches, for fzf.
fn lines(dataset: &Dataset) -> String {
    let mut out = String::new();
    for (_, r) in dataset.clone().into_records() {
        let mut line = format!("{}\t{}\t{}", r.kind().key(), r.id(), r.title());
        for s in taskforce::search::fields::sources(&r) {
            if s.sub.is_some() {
                out.push_str(&format!("{}\t{}\t{}", r.kind().key(), r.id(), s.title));
                for k in s.keys.iter().chain(s.long.iter()) {
                    out.push('\t');
                    out.push_str(k);
                }
                out.push('\n');
                continue;
            }
            for k in s.keys.iter().skip(1).chain(s.long.iter()) {
                if !k.is_empty() {
                    line.push('\t');
                    line.push_str(k);
                }
            }
        }
        out.push_str(&line.replace(['\n', '\r'], " "));
        out.push('\n');
    }
    out
}

/// One short line per record and voucher type: kind, id, title and key fields.
fn short_lines<'a>(records: impl Iterator<Item = &'a Record>) -> String {
    let mut out = String::new();
    for r in records {
        for s in taskforce::search::fields::sources(r) {
            let mut line = format!("{}\t{}\t{}", r.kind().key(), r.id(), s.title);
            for k in s.keys.iter().skip(1) {
                if !k.is_empty() {
                    line.push('\t');
                    line.push_str(k);
                }
            }
            out.push_str(&line.replace(['\n', '\r'], " "));
            out.push('\n');
        }
    }
    out
}

fn write(records: usize, dir: &str) {
    let dataset = corpus(records, 7);
    std::fs::create_dir_all(dir).unwrap();
    let json = serde_json::to_string(&dataset).unwrap();
    std::fs::write(format!("{dir}/records.json"), json).unwrap();
    std::fs::write(format!("{dir}/lines.txt"), lines(&dataset)).unwrap();
    println!(
        "wrote {} records to {dir}/records.json and {dir}/lines.txt",
        dataset.len()
    );
}

fn bench(records: usize) {
    println!("\n== {records} generated records");
    let dataset = corpus(records, 7);
    let all: Vec<Record> = dataset.into_records().into_iter().map(|(_, r)| r).collect();
    let text: usize = all
        .iter()
        .map(|r| serde_json::to_string(r).map_or(0, |s| s.len()))
        .sum();
    println!(
        "records: {}, {:.1} MB as JSON ({} bytes a record)",
        all.len(),
        text as f64 / 1e6,
        text / all.len().max(1)
    );
    let refs: Vec<&Record> = all.iter().collect();

    // Build: time and memory.
    let mut builds = Vec::new();
    let mut build_cpu = Vec::new();
    for _ in 0..3 {
        let (t, c) = (Instant::now(), cpu());
        let index = Index::from_records(&refs);
        builds.push(t.elapsed());
        build_cpu.push(cpu() - c);
        drop(index);
    }
    let before = LIVE.load(Ordering::SeqCst);
    let index = Index::from_records(&refs);
    let live = LIVE.load(Ordering::SeqCst).saturating_sub(before);
    let m = index.memory();
    println!(
        "build: median {} (CPU {}) on {} threads; {} entries, {} distinct short texts",
        ms(median(builds)),
        ms(median(build_cpu)),
        rayon::current_num_threads(),
        m.entries,
        m.texts
    );
    println!(
        "memory: indexed text {:.1} MB; index {:.1} MB by its own count, {:.1} MB allocated \
         ({:.2}× the text)",
        m.text_bytes as f64 / 1e6,
        m.index_bytes as f64 / 1e6,
        live as f64 / 1e6,
        live as f64 / m.text_bytes as f64
    );

    // Queries: each run 11 times; the median of each, then the median over all queries.
    println!(
        "{:<22} {:>10} {:>10} {:>12} {:>9}",
        "query", "median", "max", "CPU median", "hits"
    );
    let mut medians = Vec::new();
    let mut cpu_medians = Vec::new();
    for q in QUERIES {
        let request = Request::new(*q).limit(50);
        let mut times = Vec::new();
        let mut cpus = Vec::new();
        let mut total = 0;
        for _ in 0..11 {
            let (t, c) = (Instant::now(), cpu());
            let r = index.search(&request);
            times.push(t.elapsed());
            cpus.push(cpu() - c);
            total = r.total;
        }
        let max = *times.iter().max().unwrap();
        let med = median(times);
        let cpu_med = median(cpus);
        println!(
            "{:<22} {:>10} {:>10} {:>12} {:>9}",
            q,
            ms(med),
            ms(max),
            ms(cpu_med),
            total
        );
        medians.push(med);
        cpu_medians.push(cpu_med);
    }
    let mut sorted = medians.clone();
    sorted.sort();
    println!(
        "all queries: median {}, slowest query {} (complete, ranked, top 50 highlighted); \
         CPU median {} (on an idle machine with {} cores the wall time is about CPU / {})",
        ms(median(medians)),
        ms(*sorted.last().unwrap()),
        ms(median(cpu_medians)),
        rayon::current_num_threads(),
        rayon::current_num_threads()
    );

    // A commit: one record changed, the index follows.
    let mut index = index;
    let practice = all.iter().find(|r| r.kind() == Kind::Practice).cloned();
    if let Some(mut p) = practice {
        let mut times = Vec::new();
        for i in 0..21 {
            if let Record::Practice(x) = &mut p {
                x.title = format!("Renamed practice {i}");
            }
            let change = Change {
                kind: p.kind(),
                id: p.id().to_string(),
                row: Some(Row {
                    rev: i + 2,
                    at: Timestamp::now(),
                    by: "bench".into(),
                    record: p.clone(),
                }),
            };
            let committed = Committed {
                seq: index.seq() + 1,
                at: Timestamp::now(),
                actor: Actor::user("bench"),
                summary: "rename".into(),
                changed: 1,
                changes: vec![change],
            };
            let t = Instant::now();
            index.apply(&committed);
            times.push(t.elapsed());
        }
        println!(
            "commit (rename one practice, entries naming it refreshed): median {}",
            ms(median(times))
        );
    }

    // Typing through the Searcher: the UI thread only sends and polls.
    let mut searcher = Searcher::new(index);
    let mut submit = Vec::new();
    let mut poll = Vec::new();
    let mut latency = Vec::new();
    for word in ["coventry ecomm", "maribor fair", "study visit badajoz"] {
        let mut typed = String::new();
        for c in word.chars() {
            typed.push(c);
            let t = Instant::now();
            searcher.submit(Request::new(typed.clone()).limit(50));
            submit.push(t.elapsed());
            // A keystroke every 60 ms; the loop polls every 2 ms meanwhile.
            let sent = Instant::now();
            let mut got = false;
            while sent.elapsed() < Duration::from_millis(60) {
                let t = Instant::now();
                let r = searcher.poll();
                poll.push(t.elapsed());
                if r.is_some() && !got {
                    got = true;
                    latency.push(sent.elapsed());
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            if !got {
                latency.push(Duration::from_millis(60));
            }
        }
    }
    let worst = |v: &Vec<Duration>| *v.iter().max().unwrap();
    println!(
        "typing: submit median {:.1} µs (max {:.1} µs); poll median {:.1} µs (max {:.1} µs); \
         keystroke to results median {} (max {})",
        median(submit.clone()).as_secs_f64() * 1e6,
        worst(&submit).as_secs_f64() * 1e6,
        median(poll.clone()).as_secs_f64() * 1e6,
        worst(&poll).as_secs_f64() * 1e6,
        ms(median(latency.clone())),
        ms(worst(&latency))
    );

    // A UI loop that draws (1 ms of work a frame) while the worker matches on every core:
    // how late does a frame get?
    let mut late = Vec::new();
    let started = Instant::now();
    let mut n = 0;
    while started.elapsed() < Duration::from_secs(2) {
        let frame = Instant::now();
        if n % 3 == 0 {
            searcher.submit(Request::new(QUERIES[(n / 3) % QUERIES.len()]).limit(50));
        }
        let _ = searcher.poll();
        let work = Instant::now();
        while work.elapsed() < Duration::from_millis(1) {
            std::hint::spin_loop();
        }
        std::thread::sleep(Duration::from_millis(4));
        late.push(frame.elapsed());
        n += 1;
    }
    println!(
        "UI loop while matching (5 ms frames, a new query every 3rd): frame median {}, p99 {}, max {}",
        ms(median(late.clone())),
        ms({
            let mut l = late.clone();
            l.sort();
            l[l.len() * 99 / 100]
        }),
        ms(worst(&late))
    );
}

/// Wall time of a command run to the end, its output thrown away.
fn timed(command: &mut std::process::Command) -> Duration {
    timed_exiting(command, &[0])
}

/// `timed` for a command that may exit with any of `codes` (fzf: 1 when nothing matches).
fn timed_exiting(command: &mut std::process::Command, codes: &[i32]) -> Duration {
    let t = Instant::now();
    let status = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the command runs");
    assert!(
        status.code().is_some_and(|c| codes.contains(&c)),
        "{command:?} failed: {status}"
    );
    t.elapsed()
}

/// `taskforce search` as a whole process against `fzf --filter` on the same records.
fn whole_process(records: usize) {
    println!("\n== whole process, {records} generated records");
    let fzf = std::process::Command::new("fzf").arg("--version").output();
    if fzf.is_err() {
        println!("fzf is not installed (apt-get install fzf): comparison skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().to_str().expect("a UTF-8 path").to_string();
    write(records, &path);
    let db = dir.path().join("db");
    let taskforce = env!("CARGO_BIN_EXE_taskforce");
    let t = Instant::now();
    timed(
        std::process::Command::new(taskforce)
            .arg("--db")
            .arg(&db)
            .args(["--empty", "init"]),
    );
    timed(
        std::process::Command::new(taskforce)
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(dir.path().join("records.json")),
    );
    println!("imported in {}", ms(t.elapsed()));
    compare(&db);
}

/// The whole-process comparison and the one-shot commands on the database at `db`.
fn compare(db: &std::path::Path) {
    let taskforce = env!("CARGO_BIN_EXE_taskforce");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let lines = dir.path().join("short-lines.txt");
    {
        let store = taskforce::store::Store::open(db).expect("the database opens");
        let (replica, _) = store.load().expect("the records load");
        let records = Kind::ALL
            .iter()
            .flat_map(|k| replica.rows(*k).map(|r| &r.record));
        let text = short_lines(records);
        println!(
            "{} records; fzf reads {:.1} MB of short lines ({} lines)",
            replica.len(),
            text.len() as f64 / 1e6,
            text.lines().count()
        );
        std::fs::write(&lines, text).unwrap();
    }
    support::db::wait_released(db);
    let search = |q: &str, extra: &[&str]| {
        timed(
            std::process::Command::new(taskforce)
                .arg("--db")
                .arg(db)
                .args(["search", q, "--limit", "50", "--format", "tsv"])
                .args(extra),
        )
    };
    let first = search("badajoz", &[]);
    println!(
        "first search (reads every record, builds and saves the index): {}",
        ms(first)
    );
    let size = std::fs::metadata(db.join("search-index")).map_or(0, |m| m.len());
    println!("saved index: {:.1} MB", size as f64 / 1e6);
    println!(
        "{:<18} {:>12} {:>12} {:>8}",
        "query", "taskforce", "fzf --filter", "ratio"
    );
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for q in QUERIES.iter().chain(&["a", "xq"]) {
        let (mut a, mut f) = (Vec::new(), Vec::new());
        // Interleaved, so that a change in the machine's load falls on both.
        for _ in 0..5 {
            a.push(search(q, &[]));
            f.push(timed_exiting(
                std::process::Command::new("fzf")
                    .args(["--filter", q])
                    .stdin(std::fs::File::open(&lines).expect("short-lines.txt")),
                &[0, 1],
            ));
        }
        let (a, f) = (median(a), median(f));
        let ratio = a.as_secs_f64() / f.as_secs_f64();
        println!("{:<18} {:>12} {:>12} {:>7.2}×", q, ms(a), ms(f), ratio);
        ours.push(a);
        theirs.push(f);
        ratios.push(ratio);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "median: taskforce search {} (saved index used in place), fzf --filter {}; \
         ratio median {:.2}×, worst {:.2}×",
        ms(median(ours)),
        ms(median(theirs)),
        ratios[ratios.len() / 2],
        ratios[ratios.len() - 1]
    );
    one_shot(db);
}

/// `score`, `decide`, `session`, `info` and `list` as whole processes, directly and through a
/// server: each the median of five runs.
fn one_shot(db: &std::path::Path) {
    let taskforce = env!("CARGO_BIN_EXE_taskforce");
    {
        let store = taskforce::store::Store::open(db).expect("the database opens");
        if store.get(Kind::Session, "load-session").unwrap().is_none() {
            let mut records = support::session::records(3, 2, 1);
            for r in &mut records {
                if let Record::Session(s) = r {
                    s.evaluators = vec![taskforce::sys::current_user()];
                }
            }
            let actor = Actor::user(taskforce::sys::current_user());
            store
                .apply(
                    &actor,
                    Command::Import {
                        records,
                        on_conflict: OnConflict::Replace,
                        source: "bench".into(),
                    },
                )
                .expect("the session imports");
        }
    }
    let run = |args: &[&str]| {
        timed(
            std::process::Command::new(taskforce)
                .arg("--db")
                .arg(db)
                .args(args),
        )
    };
    let commands: [(&str, &[&str]); 8] = [
        (
            "score",
            &[
                "score",
                "--session",
                "load-session",
                "--practice",
                "load-gp-0",
                "--criterion",
                "c0",
                "3",
            ],
        ),
        (
            "session consensus",
            &["session", "load-session", "consensus"],
        ),
        (
            "decide",
            &[
                "decide",
                "--session",
                "load-session",
                "--practice",
                "load-gp-0",
                "deferred",
            ],
        ),
        ("session reopen", &["session", "load-session", "reopen"]),
        ("info", &["info"]),
        ("list sessions", &["list", "sessions"]),
        ("list schemes", &["list", "schemes"]),
        ("search badajoz", &["search", "badajoz", "--limit", "50"]),
    ];
    let mut times = vec![(Vec::new(), Vec::new()); commands.len()];
    support::db::wait_released(db);
    for _ in 0..5 {
        for (i, (_, args)) in commands.iter().enumerate() {
            times[i].0.push(run(args));
        }
    }
    let mut server = support::db::serve(db);
    for _ in 0..5 {
        for (i, (_, args)) in commands.iter().enumerate() {
            times[i].1.push(run(args));
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "{:<20} {:>12} {:>16}",
        "one-shot command", "direct", "through a server"
    );
    for ((name, _), (direct, served)) in commands.iter().zip(times) {
        println!(
            "{:<20} {:>12} {:>16}",
            name,
            ms(median(direct)),
            ms(median(served))
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--process-db") {
        let db = args.get(1).expect("--process-db DIR");
        compare(std::path::Path::new(db));
        return;
    }
    if args.first().map(String::as_str) == Some("--write") {
        let n = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
        let dir = args
            .get(2)
            .cloned()
            .unwrap_or_else(|| "target/search-bench".into());
        write(n, &dir);
        return;
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average when starting: {} (cores: {})",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            rayon::current_num_threads()
        );
    }
    for n in &sizes {
        bench(*n);
    }
    if !args.iter().any(|a| a == "--no-process") {
        whole_process(sizes.iter().copied().max().unwrap_or(100_000));
    }
}
