//! Workbench numbers for the workbench issue, over generated corpora: `cargo bench --bench tui`.
//!
//! - start to the first complete frame: open the store, load every record, build the state,
//!   draw 120×40 (what `taskforce --local` does before the user sees anything), median of 3;
//! - a navigation key (`j` in the practices list) to the drawn frame, p50 and p99 over 500 keys;
//! - bytes written to the terminal for one `j` step at 120×40, through the workbench's backend
//!   (`ScreenWriter`);
//! - resident memory with every record loaded and the first frame drawn (MB: 10^6 bytes).
//!
//! Start-up and memory are measured in a fresh process (this benchmark run again as a child), so
//! that generating and importing the corpus does not count. Twice: as `taskforce --local` does
//! (open the store, load it without the long texts, build the workbench, draw), and as the workbench usually runs, a client of
//! `taskforce serve` (connect, take the snapshot, build, draw), which holds no store.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/db.rs"]
mod db;
use db::wait_released;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{Backend, ClearType, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use taskforce::backend::{Backend as _, Local};
use taskforce::model::*;
use taskforce::store::Store;
use taskforce::tui::screen_writer::ScreenWriter;
use taskforce::tui::{App, Options, render, step};

#[derive(Clone, Default)]
struct Wire(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn options() -> Options {
    Options {
        ascii: false,
        color: true,
        mouse: false,
    }
}

fn status_kb(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .map_or(0, |v| {
            v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0)
        })
}

/// The child: start-up to the first frame of the database at `db`, then resident memory.
fn child(db: &str) {
    let t0 = Instant::now();
    let store = Store::open(std::path::Path::new(db)).unwrap();
    let opened = t0.elapsed();
    // As `taskforce --local` reads it: every record, without the long texts.
    let mut local = Local::loaded(store, Actor::user("bench")).unwrap();
    let (replica, _) = local.snapshot().unwrap();
    let loaded = t0.elapsed();
    let mut app = App::new(replica, "bench", "db", options());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    let drawn = t0.elapsed();
    println!(
        "{} {} {} {} {}",
        opened.as_micros(),
        loaded.as_micros(),
        drawn.as_micros(),
        status_kb("VmRSS:"),
        status_kb("VmHWM:")
    );
    drop(local);
    std::hint::black_box(&app);
}

/// The child as a client of a server already running on `db` (the workbench's usual case): from
/// connecting to the first frame, and resident memory then.
fn client_child(db: &str) {
    let t0 = Instant::now();
    // As the workbench connects: its copy of the records leaves the long texts out.
    let mut conn = taskforce::server::Connection::connect_keeping(
        std::path::Path::new(db),
        "bench",
        taskforce::model::Texts::Elided,
    )
    .unwrap();
    let (replica, _) = conn.snapshot().unwrap();
    let loaded = t0.elapsed();
    let mut app = App::new(replica, "bench", "db", options());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    let drawn = t0.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    println!(
        "{} {} {} {}",
        loaded.as_micros(),
        drawn.as_micros(),
        status_kb("VmRSS:"),
        status_kb("VmHWM:")
    );
    std::hint::black_box(&app);
}

/// Runs this benchmark again as a child with `var` set to `db`, and returns the numbers it
/// printed.
fn run_child(var: &str, db: &std::path::Path) -> Vec<f64> {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env(var, db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect()
}

/// kB (as /proc reports them) to MB.
fn mb(kb: f64) -> f64 {
    kb * 1024.0 / 1e6
}

/// Runs `client_child` on `db` (a server runs on it): (snapshot, first frame) in ms and (RSS,
/// peak) in MB.
fn client_in_child(db: &std::path::Path) -> ([f64; 2], [f64; 2]) {
    let v = run_child("TASKFORCE_BENCH_CLIENT", db);
    ([v[0] / 1e3, v[1] / 1e3], [mb(v[2]), mb(v[3])])
}

/// Runs the child on `db`: (open, load, first frame) in ms and (RSS, peak) in MB.
fn start_in_child(db: &std::path::Path) -> ([f64; 3], [f64; 2]) {
    let v = run_child("TASKFORCE_BENCH_CHILD", db);
    ([v[0] / 1e3, v[1] / 1e3, v[2] / 1e3], [mb(v[3]), mb(v[4])])
}

fn main() {
    if let Ok(db) = std::env::var("TASKFORCE_BENCH_CHILD") {
        child(&db);
        return;
    }
    if let Ok(db) = std::env::var("TASKFORCE_BENCH_CLIENT") {
        client_child(&db);
        return;
    }
    let mut client_rows = Vec::new();
    println!(
        "| records | start → first frame (open + load + build/draw, median of 3, fresh process) | `j` → frame p50 | p99 | bytes per `j` (120×40) | RSS (`--local`: store in this process) | peak |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in [10_000usize, 100_000] {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("db");
        {
            let store = Store::open(&db).unwrap();
            let records = taskforce::generate::generate(n, 11)
                .into_records()
                .into_iter()
                .map(|(_, r)| r)
                .collect();
            store
                .apply(
                    &Actor::user("bench"),
                    Command::Import {
                        records,
                        on_conflict: OnConflict::Fail,
                        source: "bench".into(),
                    },
                )
                .unwrap();
        }
        wait_released(&db);
        let mut starts: Vec<([f64; 3], [f64; 2])> = (0..3).map(|_| start_in_child(&db)).collect();
        starts.sort_by(|a, b| a.0[2].total_cmp(&b.0[2]));
        let (times, memory) = starts[1];
        {
            let mut server = db::serve(&db);
            let mut runs: Vec<([f64; 2], [f64; 2])> =
                (0..3).map(|_| client_in_child(&db)).collect();
            runs.sort_by(|a, b| a.0[1].total_cmp(&b.0[1]));
            let (t, m) = runs[1];
            client_rows.push(format!(
                "| {n} | {:.0} ms ({:.0} + {:.0}) | {:.0} MB | {:.0} MB |",
                t[1],
                t[0],
                t[1] - t[0],
                m[0],
                m[1]
            ));
            let _ = server.kill();
            let _ = server.wait();
            wait_released(&db);
        }
        let store = Store::open(&db).unwrap();
        let mut local = Local::loaded(store, Actor::user("bench")).unwrap();
        let (replica, _) = local.snapshot().unwrap();
        let mut app = App::new(replica, "bench", "db", options());
        // The practices list, focused; then j steps through the workbench's loop body (`step`),
        // drawn through the real backend.
        let key = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
        let wire = Wire::default();
        // As the workbench sends it: through `ScreenWriter`, onto a screen cleared first.
        let mut backend = ScreenWriter::new(wire.clone());
        backend.clear_region(ClearType::All).unwrap();
        let mut terminal = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
            },
        )
        .unwrap();
        step(
            &mut app,
            &mut local,
            &mut terminal,
            [key(KeyCode::Tab)],
            true,
        )
        .unwrap();
        wire.0.borrow_mut().clear();
        let mut keys = Vec::new();
        let mut bytes = Vec::new();
        for _ in 0..500 {
            let t0 = Instant::now();
            step(
                &mut app,
                &mut local,
                &mut terminal,
                [key(KeyCode::Char('j'))],
                false,
            )
            .unwrap();
            keys.push(t0.elapsed());
            bytes.push(std::mem::take(&mut *wire.0.borrow_mut()).len());
        }
        keys.sort();
        bytes.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "| {n} | {:.0} ms ({:.0} + {:.0} + {:.0}) | {:.2} ms | {:.2} ms | {} B median, {} B max | {:.0} MB | {:.0} MB |",
            times[2],
            times[0],
            times[1] - times[0],
            times[2] - times[1],
            ms(keys[keys.len() / 2]),
            ms(keys[keys.len() * 99 / 100]),
            bytes[bytes.len() / 2],
            bytes[bytes.len() - 1],
            memory[0],
            memory[1],
        );
    }
    println!();
    println!(
        "| records | as a client of a running server: connect → first frame (snapshot + build/draw, median of 3, fresh process) | RSS | peak |"
    );
    println!("|---:|---:|---:|---:|");
    for row in client_rows {
        println!("{row}");
    }
}
