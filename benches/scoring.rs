//! Scoring numbers for the scoring issue: `cargo bench --bench scoring`.
//!
//! - board recomputation for 100 practices × 20 evaluators × 8 criteria, every score in
//!   (`scoring::board_of` over the replica, and `board::compute` alone), p50/p99 of 300;
//! - a score keystroke committed and drawn: the digit handled by the scoring pane, the score
//!   committed durably (flushed to disk), its result applied and the 120×40 frame drawn, p50/p99
//!   over the 800 scores of one evaluator — through the store in this process (`--local`) and
//!   through a `taskforce serve` on the same machine (the shared mode).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/db.rs"]
mod db;
use db::wait_released;

#[path = "support/session.rs"]
mod session;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use taskforce::backend::{Backend, Local, Remote};
use taskforce::model::*;
use taskforce::scoring::{self, Mark, board};
use taskforce::store::Store;
use taskforce::tui::{App, Options, handle_key, render};

const PRACTICES: usize = 100;
const EVALUATORS: usize = 20;
const CRITERIA: usize = 8;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

/// The session's records, the user as the first evaluator, and every other evaluator's scores.
fn corpus(user: &str) -> (Vec<Record>, EvaluationSession) {
    let mut records = session::records(PRACTICES, CRITERIA, EVALUATORS);
    let mut session = None;
    for r in &mut records {
        if let Record::Session(s) = r {
            s.evaluators[0] = user.to_string();
            session = Some((**s).clone());
        }
    }
    let session = session.expect("a session");
    for (e, evaluator) in session.evaluators.iter().enumerate().skip(1) {
        for (p, practice) in session.practices.iter().enumerate() {
            for (c, criterion) in session.criteria.iter().enumerate() {
                let v = 1 + ((e * 7 + p * 3 + c) % 5) as i64;
                records.push(Record::from(scoring::score(
                    &session,
                    practice,
                    evaluator,
                    &criterion.code,
                    Mark::Value(Decimal1::from_units(v)),
                    "",
                    Timestamp::now(),
                )));
            }
        }
    }
    (records, session)
}

fn board_numbers(records: &[Record], session: &EvaluationSession) {
    let mut replica = Replica::new();
    for r in records {
        replica.insert(Row {
            rev: 1,
            at: Timestamp(0),
            by: "bench".into(),
            record: r.clone(),
        });
    }
    let scores: Vec<&Score> = records
        .iter()
        .filter_map(|r| match r {
            Record::Score(s) => Some(&**s),
            _ => None,
        })
        .collect();
    let titles: HashMap<&str, String> = HashMap::new();
    let mut compute = Vec::new();
    let mut whole = Vec::new();
    for _ in 0..300 {
        let t0 = Instant::now();
        std::hint::black_box(board::compute(session, &titles, scores.iter().copied()));
        compute.push(t0.elapsed());
        let t0 = Instant::now();
        std::hint::black_box(scoring::board_of(&replica, session));
        whole.push(t0.elapsed());
    }
    compute.sort();
    whole.sort();
    println!(
        "| board of {PRACTICES} practices × {EVALUATORS} evaluators × {CRITERIA} criteria ({} scores) | compute p50 {:.2} ms, p99 {:.2} ms | from the replica p50 {:.2} ms, p99 {:.2} ms |",
        scores.len(),
        pct(&compute, 0.5),
        pct(&compute, 0.99),
        pct(&whole, 0.5),
        pct(&whole, 0.99),
    );
}

/// Types every score of the user's through the pane, committing each through `backend` and
/// drawing the frame, as the event loop does. With `stopped`, the server is stopped (SIGSTOP)
/// while the keys are typed: each key is measured to its frame (the score shows "saving"), and
/// the server is let go (SIGCONT) afterwards, when every score must arrive.
fn keystrokes(
    backend: &mut dyn Backend,
    session: &EvaluationSession,
    stopped: Option<u32>,
) -> Vec<Duration> {
    let (replica, _) = backend.snapshot().unwrap();
    let options = Options {
        ascii: false,
        color: true,
        mouse: false,
    };
    let mut app = App::new(replica, backend.user(), backend.location(), options);
    app.open_scoring(session.id.as_str());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    if let Some(pid) = stopped {
        signal(pid, rustix::process::Signal::STOP);
    }
    let mut times = Vec::new();
    for i in 0..PRACTICES * CRITERIA {
        let digit = char::from(b'1' + (i % 5) as u8);
        let t0 = Instant::now();
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char(digit), KeyModifiers::NONE),
        );
        app.exchange(backend);
        // Until the store has it on disk and the screen says so (unless the server is stopped).
        while stopped.is_none() && app.awaiting_answers() {
            std::hint::spin_loop();
            app.exchange(backend);
        }
        if let Some(m) = app.message() {
            assert!(!m.text.contains("Not saved"), "{}", m.text);
        }
        terminal.draw(|f| render(f, &mut app)).unwrap();
        times.push(t0.elapsed());
    }
    if let Some(pid) = stopped {
        signal(pid, rustix::process::Signal::CONT);
        let deadline = Instant::now() + Duration::from_secs(120);
        while app.awaiting_answers() {
            app.exchange(backend);
            assert!(Instant::now() < deadline, "the scores never arrived");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let prefix = format!("{}:", session.id);
    let mine = app
        .replica
        .rows(Kind::Score)
        .filter(|r| r.record.id().starts_with(&prefix) && r.record.id().contains(&app.user))
        .count();
    assert_eq!(
        mine,
        PRACTICES * CRITERIA,
        "every keystroke's score is in; the message line: {:?}",
        app.message()
    );
    times.sort();
    times
}

/// A client of the server just started for `db`, once it answers.
fn connected(db: &Path) -> Remote {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match Remote::connect(db, "bench", false, false) {
            Ok(r) => return r,
            Err(e) => {
                assert!(Instant::now() < deadline, "the server did not start: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn signal(pid: u32, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(pid as i32).expect("a pid");
    rustix::process::kill_process(pid, signal).expect("signal the server");
}

fn create(db: &Path, records: Vec<Record>) {
    let store = Store::open(db).unwrap();
    store
        .apply(
            &Actor::user(taskforce::sys::current_user()),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "bench".into(),
            },
        )
        .unwrap();
}

fn main() {
    let user = taskforce::sys::current_user();
    let (records, session) = corpus(&user);
    println!("| measured | | |\n|---|---|---|");
    board_numbers(&records, &session);

    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("local");
    create(&db, records.clone());
    wait_released(&db);
    let mut local = Local::new(Store::open(&db).unwrap(), Actor::user(user.clone()));
    let times = keystrokes(&mut local, &session, None);
    println!(
        "| score keystroke → durable commit → frame drawn, store in this process | p50 {:.2} ms | p99 {:.2} ms |",
        pct(&times, 0.5),
        pct(&times, 0.99)
    );
    drop(local);

    let db = tmp.path().join("served");
    create(&db, records);
    let mut server = db::serve(&db);
    let mut remote = connected(&db);
    let times = keystrokes(&mut remote, &session, None);
    println!(
        "| score keystroke → durable commit → frame drawn, through `taskforce serve` | p50 {:.2} ms | p99 {:.2} ms |",
        pct(&times, 0.5),
        pct(&times, 0.99)
    );
    drop(remote);
    // The same keys while the server is stopped: the workbench never waits for it.
    let db = tmp.path().join("stopped");
    create(&db, corpus(&user).0);
    let mut stopped_server = db::serve(&db);
    let mut remote = connected(&db);
    let times = keystrokes(&mut remote, &session, Some(stopped_server.id()));
    println!(
        "| score keystroke → frame drawn (\"saving\"), while `taskforce serve` is stopped (SIGSTOP); every score arrives after SIGCONT | p50 {:.2} ms | p99 {:.2} ms |",
        pct(&times, 0.5),
        pct(&times, 0.99)
    );
    drop(remote);
    let _ = stopped_server.kill();
    let _ = stopped_server.wait();
    let _ = server.kill();
    let _ = server.wait();
}
