//! Workbench numbers for the workbench issue, over generated corpora: `cargo bench --bench tui`.
//!
//! - start to the first complete frame: open the store, load every record, build the state,
//!   draw 120×40 (what `taskforce --local` does before the user sees anything), median of 3;
//! - a navigation key (`j` in the practices list) to the drawn frame, p50 and p99 over 500 keys;
//! - bytes written to the terminal for one `j` step at 120×40, through the real crossterm backend;
//! - resident memory with every record loaded and the workbench built (this process's VmRSS).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use taskforce::model::*;
use taskforce::store::Store;
use taskforce::tui::{Action, App, Options, draw, update};

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

fn rss() -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
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

fn options() -> Options {
    Options {
        ascii: false,
        color: true,
        mouse: false,
    }
}

fn wait_released(path: &std::path::Path) {
    use rustix::fs::{FlockOperation, flock};
    loop {
        let file = std::fs::File::open(path.join("db")).unwrap();
        if flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok() {
            let _ = flock(&file, FlockOperation::Unlock);
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn main() {
    println!(
        "| records | start → first frame (median of 3) | `j` → frame p50 | p99 | bytes per `j` (120×40) | RSS loaded |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
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
        let mut starts = Vec::new();
        let mut app = None;
        for _ in 0..3 {
            drop(app.take());
            let t0 = Instant::now();
            let store = Store::open(&db).unwrap();
            let (replica, _) = store.load().unwrap();
            let mut a = App::new(replica, "bench", "db", options());
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            terminal.draw(|f| draw(f, &mut a)).unwrap();
            starts.push(t0.elapsed());
            drop(store);
            wait_released(&db);
            app = Some(a);
        }
        starts.sort();
        let mut app: App = app.unwrap();
        let loaded_rss = rss();
        // The practices list, focused; then j steps drawn through the real backend.
        update(&mut app, Action::NextPane);
        let wire = Wire::default();
        let backend = CrosstermBackend::new(wire.clone());
        let mut terminal = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
            },
        )
        .unwrap();
        terminal.draw(|f| draw(f, &mut app)).unwrap();
        wire.0.borrow_mut().clear();
        let mut keys = Vec::new();
        let mut bytes = Vec::new();
        for _ in 0..500 {
            let t0 = Instant::now();
            update(&mut app, Action::Down);
            terminal.draw(|f| draw(f, &mut app)).unwrap();
            keys.push(t0.elapsed());
            bytes.push(std::mem::take(&mut *wire.0.borrow_mut()).len());
        }
        keys.sort();
        bytes.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "| {n} | {:.0} ms | {:.2} ms | {:.2} ms | {} B median, {} B max | {:.0} MB |",
            ms(starts[1]),
            ms(keys[keys.len() / 2]),
            ms(keys[keys.len() * 99 / 100]),
            bytes[bytes.len() / 2],
            bytes[bytes.len() - 1],
            loaded_rss as f64 / 1e6
        );
    }
}
