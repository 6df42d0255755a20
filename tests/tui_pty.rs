//! End to end: the real binary in a pseudo-terminal on a temporary database. It navigates to a
//! practice, follows a link and comes back, opens the help, quits with `q`, and leaves the
//! terminal as it found it (main screen, cooked mode with ICANON and ECHO).

mod tui_support;

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{LocalModes, Winsize, tcgetattr, tcsetwinsize};
use taskforce::model::{Actor, Command as StoreCommand, OnConflict};
use taskforce::store::Store;

const ROWS: u16 = 30;
const COLS: u16 = 110;

struct Pty {
    master: File,
    slave: File,
    output: Arc<Mutex<Vec<u8>>>,
    child: Child,
    /// Tells the reader to let go of its end of the terminal.
    stop_reading: Arc<std::sync::atomic::AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    fn spawn(db: &std::path::Path) -> Pty {
        let mut command = Command::new(env!("CARGO_BIN_EXE_taskforce"));
        command.arg("--db").arg(db);
        Pty::run(command)
    }

    /// Runs a command with the pseudo-terminal as its controlling terminal and stdio.
    fn run(mut command: Command) -> Pty {
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = OpenOptions::new()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap();
        tcsetwinsize(
            &master,
            Winsize {
                ws_row: ROWS,
                ws_col: COLS,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        let master = File::from(master);
        command
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env_remove("NO_COLOR")
            .env_remove("TASKFORCE_DB")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave.try_clone().unwrap()));
        // SAFETY: only async-signal-safe system calls run between fork and exec.
        unsafe {
            command.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(std::io::stdin().as_fd())?;
                Ok(())
            });
        }
        let child = command.spawn().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        // Non-blocking, so that the reader can let go of the terminal when told (`hang_up`).
        rustix::fs::fcntl_setfl(&master, rustix::fs::OFlags::NONBLOCK).unwrap();
        let mut reader = master.try_clone().unwrap();
        let stop_reading = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(_) => break,
                }
            }
        });
        Pty {
            master,
            slave,
            output,
            child,
            stop_reading,
            reader: Some(reader),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    fn screen(&self) -> String {
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(size(ROWS), size(COLS), 0);
        parser.process(&self.bytes());
        parser.screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen when it does not.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("the screen never showed {text:?}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Closes every handle on the terminal, as sshd does when the connection drops: the kernel
    /// hangs the terminal up (SIGHUP, and reads fail from then on).
    fn hang_up(&mut self) {
        self.stop_reading
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        let devnull = || File::open("/dev/null").unwrap();
        self.master = devnull();
        self.slave = devnull();
    }

    /// Resizes the terminal, as a person dragging the window's corner does (the kernel tells
    /// the workbench with SIGWINCH).
    fn resize(&mut self, rows: u16, cols: u16) {
        tcsetwinsize(
            &self.master,
            Winsize {
                ws_row: rows,
                ws_col: cols,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Types `text` one character at a time, as a person does.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.master.write_all(c.to_string().as_bytes()).unwrap();
            self.master.flush().unwrap();
            std::thread::sleep(Duration::from_millis(8));
        }
        std::thread::sleep(Duration::from_millis(60));
    }

    fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
        // One key at a time, as a person types: crossterm must not read "q" in "\x1b" + "q".
        std::thread::sleep(Duration::from_millis(60));
    }
}

/// A database holding the test corpus.
fn database() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = Store::open(&db).unwrap();
    let command = StoreCommand::Import {
        records: tui_support::records(),
        on_conflict: OnConflict::Fail,
        source: "test".into(),
    };
    store.apply(&Actor::user("test"), command).unwrap();
    (dir, db)
}

impl Pty {
    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the workbench did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Checks that the terminal is as it was: the alternate screen left last, cooked mode back.
    fn assert_restored(&self) {
        let bytes = self.bytes();
        let enter = b"\x1b[?1049h";
        assert!(
            bytes.windows(enter.len()).any(|w| w == enter),
            "the alternate screen was never entered"
        );
        let leave = b"\x1b[?1049l";
        let last = bytes
            .windows(leave.len())
            .rposition(|w| w == leave)
            .expect("the alternate screen was never left");
        let after = &bytes[last + leave.len()..];
        assert!(
            after.iter().all(|b| b.is_ascii_whitespace()),
            "output after leaving the alternate screen: {:?}",
            String::from_utf8_lossy(after)
        );
        let termios = tcgetattr(&self.slave).unwrap();
        assert!(
            termios.local_modes.contains(LocalModes::ICANON),
            "ICANON is off after exit"
        );
        assert!(
            termios.local_modes.contains(LocalModes::ECHO),
            "ECHO is off after exit"
        );
    }
}

#[test]
fn the_workbench_runs_in_a_terminal_and_restores_it() {
    let (_dir, db) = database();
    let mut pty = Pty::spawn(&db);

    // The hints are the last line drawn: once they show, the whole first frame is there.
    let screen = pty.wait_for("q quit");
    assert!(screen.contains("Browse"), "{screen}");
    assert!(screen.contains("Practices (5)"), "{screen}");
    assert!(screen.contains("j/k move"), "the hints show: {screen}");

    // To the list, down to the vouchers practice (sorted by title it is the fourth), open it.
    pty.send("\t");
    for _ in 0..3 {
        pty.send("j");
    }
    pty.send("\r");
    let screen = pty.wait_for("Slovene Enterprise Fund");
    assert!(
        screen.contains("▶ Small-scale incentives for SMEs – vouchers"),
        "{screen}"
    );

    // Title, status, project, partner: the partner link is the fourth item. Follow it.
    for _ in 0..3 {
        pty.send("j");
    }
    pty.send("\r");
    let screen = pty.wait_for("Backspace goes back");
    assert!(
        screen.contains("partner: Maribor Development Agency"),
        "{screen}"
    );
    assert!(screen.contains("Practices identified (2)"), "{screen}");

    // Back: the practice again, with the link still selected.
    pty.send("\x7f");
    let screen = pty.wait_for("▶ Partner");
    assert!(
        screen.contains("Small-scale incentives for SMEs – vouchers"),
        "{screen}"
    );

    // Help, from the keymap.
    pty.send("?");
    let screen = pty.wait_for("follow the link");
    assert!(screen.contains(" Keys "), "{screen}");
    pty.send("q");
    let start = Instant::now();
    while pty.screen().contains(" Keys ") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "q did not close the help"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    pty.assert_restored();
}

#[test]
fn sigterm_and_sighup_end_the_workbench_cleanly() {
    for signal in [rustix::process::Signal::TERM, rustix::process::Signal::HUP] {
        let (_dir, db) = database();
        let mut pty = Pty::spawn(&db);
        pty.wait_for("q quit");
        let pid = rustix::process::Pid::from_child(&pty.child);
        rustix::process::kill_process(pid, signal).unwrap();
        let status = pty.wait_exit();
        assert!(status.success(), "{signal:?}: exit status {status:?}");
        pty.assert_restored();
    }
}

#[test]
fn a_terminal_that_hangs_up_ends_the_workbench() {
    let (_dir, db) = database();
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    pty.hang_up();
    let start = Instant::now();
    loop {
        if pty.child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = pty.child.kill();
            panic!("the workbench kept running after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn a_locked_database_is_reported_on_stderr_with_exit_code_4() {
    let (_dir, db) = database();
    // sled lets go of the directory a moment after the import's store is dropped.
    let start = Instant::now();
    let _holder = loop {
        match Store::open(&db) {
            Ok(store) => break store,
            Err(e) if start.elapsed() < Duration::from_secs(10) => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("{e}"),
        }
    };
    let mut pty = Pty::spawn(&db);
    let status = pty.wait_exit();
    assert_eq!(status.code(), Some(4), "{}", pty.screen());
    let screen = pty.screen();
    assert!(
        screen.contains("open in another taskforce process"),
        "{screen}"
    );
    let enter = b"\x1b[?1049h";
    assert!(
        !pty.bytes().windows(enter.len()).any(|w| w == enter),
        "the terminal was not touched"
    );
}

/// Run by `a_panic_inside_the_workbench_restores_the_terminal` in a pseudo-terminal: takes the
/// terminal as the workbench does, then panics.
#[test]
#[ignore = "a helper the panic test runs in a pseudo-terminal"]
fn helper_panic_with_the_terminal_taken() {
    let _guard = taskforce::tui::terminal::Guard::enter(false).unwrap();
    panic!("deliberate panic inside the workbench");
}

#[test]
fn a_panic_inside_the_workbench_restores_the_terminal() {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "helper_panic_with_the_terminal_taken",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    let mut pty = Pty::run(command);
    let status = pty.wait_exit();
    assert!(!status.success(), "the helper was expected to panic");
    let bytes = pty.bytes();
    let enter = b"\x1b[?1049h";
    let leave = b"\x1b[?1049l";
    let entered = bytes
        .windows(enter.len())
        .position(|w| w == enter)
        .expect("the helper never took the terminal");
    let left = bytes
        .windows(leave.len())
        .rposition(|w| w == leave)
        .expect("the panic left the alternate screen on");
    assert!(entered < left);
    // The panic message is printed after the terminal is back, so it stays readable.
    let after = String::from_utf8_lossy(&bytes[left..]);
    assert!(
        after.contains("deliberate panic inside the workbench"),
        "{after}"
    );
    assert!(
        pty.screen()
            .contains("deliberate panic inside the workbench"),
        "{}",
        pty.screen()
    );
    let termios = tcgetattr(&pty.slave).unwrap();
    assert!(
        termios.local_modes.contains(LocalModes::ICANON)
            && termios.local_modes.contains(LocalModes::ECHO)
    );
}

#[test]
fn scoring_the_example_session_in_a_terminal_reaches_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    // The navigation: sessions are the twelfth entry; to the list, then s opens scoring.
    for _ in 0..11 {
        pty.send("j");
    }
    pty.send("\t");
    pty.send("s");
    let screen = pty.wait_for("criteria · session");
    assert!(screen.contains("Practice 1/5"), "{screen}");
    pty.send("4");
    pty.wait_for("Saved:");
    pty.send("b");
    let screen = pty.wait_for("Board (");
    assert!(
        screen.contains("Rk Practice") && screen.contains("Mean"),
        "{screen}"
    );
    pty.send("q");
    pty.send("q");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_taskforce"))
        .arg("--db")
        .arg(&db)
        .args(["export", "--kind", "scores", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{csv} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(csv.lines().count() >= 2, "the score is exported: {csv}");
    let saved = screen
        .lines()
        .find(|l| l.contains("criteria · session"))
        .unwrap_or_default()
        .to_string();
    assert!(
        saved.contains("1/4 criteria"),
        "one criterion scored: {saved}"
    );
    assert!(csv.contains(",4"), "{csv}");
}

#[test]
fn searching_with_slash_opens_the_record_and_backspace_returns() {
    let (_dir, db) = database();
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    let screen = pty.wait_for("/ search");
    assert!(screen.contains("Practices (5)"), "{screen}");

    pty.send("/");
    pty.wait_for(" Search ");
    for c in "export academy".chars() {
        pty.send(&c.to_string());
    }
    let screen = pty.wait_for("Rzeszów export academy");
    assert!(screen.contains("/ export academy"), "{screen}");
    assert!(screen.contains("practice"), "the kind tag shows: {screen}");

    // Enter: the record's detail, opened like a followed link.
    pty.send("\r");
    let screen = pty.wait_for("Backspace goes back");
    assert!(!screen.contains(" Search "), "{screen}");
    assert!(
        screen.contains("practice: Rzeszów export academy"),
        "{screen}"
    );
    assert!(screen.contains("Slovene Enterprise Fund"), "{screen}");

    // Back, then `/` again: the query is still there. Ctrl-g closes, q quits.
    pty.send("\x7f");
    pty.send("/");
    let screen = pty.wait_for("/ export academy");
    assert!(screen.contains(" Search "), "{screen}");
    pty.send("\x07");
    let start = Instant::now();
    while pty.screen().contains(" Search ") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Ctrl-g did not close the search"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    pty.assert_restored();
}

/// The number of the change in "… (change #N; u undoes)" on the screen.
fn change_number(screen: &str) -> u64 {
    let at = screen.find("(change #").expect("a change number") + "(change #".len();
    screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn taskforce_on(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_taskforce"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TASKFORCE_DB")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?}: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn a_practice_is_created_edited_deleted_and_restored_in_a_terminal() {
    let (_dir, db) = database();
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    // To the practices list, then a new practice.
    pty.send("\t");
    pty.send("n");
    pty.wait_for("New practice");
    pty.send("gp-faro");
    pty.send("\t");
    // The project: Enter searches, Enter picks.
    pty.send("\r");
    pty.wait_for("Search:");
    pty.send("intra");
    pty.send("\r");
    pty.wait_for("intra — Internationalisation of regional SMEs");
    pty.send("\t");
    pty.send("Export desk in Faro");
    pty.send("\t");
    pty.send("University of Algarve");
    pty.send("\t");
    pty.send("\t");
    pty.send("PT");
    pty.send("\x13"); // Ctrl-s
    let screen = pty.wait_for("Saved practice “Export desk in Faro”");
    let created = change_number(&screen);

    // Sorted by title it is the first practice: edit its title.
    pty.send("g");
    pty.send("e");
    pty.wait_for("Edit practice “Export desk in Faro”");
    pty.send("\t"); // project → title
    pty.send("\x05"); // Ctrl-e: end of line
    pty.send("\x15"); // Ctrl-u: clear to the start
    pty.send("Export desk in Faro and Loulé");
    pty.send("\x13");
    pty.wait_for(&format!("(change #{}; u undoes)", created + 1));

    // Delete (asks first), then undo the delete.
    pty.send("d");
    pty.wait_for("Delete practice “Export desk in Faro and Loulé”?");
    pty.send("y");
    pty.wait_for("Deleted practice “Export desk in Faro and Loulé”");
    pty.send("u");
    pty.wait_for("Undone: the delete of practice “Export desk in Faro and Loulé”");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    pty.assert_restored();

    // The database holds the edited practice again.
    let list = taskforce_on(&db, &["list", "practices", "--format", "tsv"]);
    let line = list
        .lines()
        .find(|l| l.starts_with("gp-faro"))
        .unwrap_or_else(|| panic!("gp-faro is not listed:\n{list}"));
    assert!(line.contains("Export desk in Faro and Loulé"), "{line}");
    let json = taskforce_on(&db, &["export", "--kind", "practices"]);
    assert!(json.contains("\"University of Algarve\""), "{json}");
    let log = taskforce_on(&db, &["history", "practices", "gp-faro"]);
    assert!(log.to_lowercase().contains("undo"), "{log}");
}

#[test]
fn a_session_is_scored_moved_decided_and_closed_with_confirmations_in_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    for _ in 0..11 {
        pty.send("j");
    }
    pty.send("\t");
    pty.send("s");
    pty.wait_for("Practice 1/5: 0/4 criteria");
    // The three example evaluators scored the first practice; the user's four scores complete it.
    for d in ["4", "4", "5", "3"] {
        pty.send(d);
    }
    pty.wait_for("Practice 2/5: 0/4 criteria");
    pty.send("b");
    let screen = pty.wait_for("Board (");
    for column in ["Mean", "Median", "Final", "Decision"] {
        assert!(screen.contains(column), "{screen}");
    }
    assert!(screen.contains("m stage"), "the board's keys: {screen}");
    // m asks first; any other key cancels.
    pty.send("m");
    pty.wait_for("move to consensus: scores lock; 4 of 5 practices incomplete");
    pty.send("x");
    pty.wait_for("Cancelled: nothing changed");
    assert!(pty.screen().contains("[open]"));
    pty.send("m");
    pty.wait_for("y: do it");
    pty.send("y");
    pty.wait_for("[consensus]");
    // Validate the complete practice: asked, then done on y.
    pty.send("g");
    pty.send("V");
    let screen = pty.wait_for("y: do it");
    assert!(screen.contains("validate 'Example: e-commerce"), "{screen}");
    pty.send("y");
    pty.wait_for("Decision: validated");
    // Reject one without the user's scores: the reason is asked in the same confirmation.
    pty.send("j");
    pty.send("R");
    pty.wait_for("give the reason for deciding without full scores");
    for c in "no time left".chars() {
        pty.send(&c.to_string());
    }
    pty.send("\r");
    pty.wait_for("rejected*");
    // Closing lists the undecided practices and needs a reason.
    pty.send("m");
    pty.wait_for("undecided or incomplete");
    for c in "rest next time".chars() {
        pty.send(&c.to_string());
    }
    pty.send("\r");
    pty.wait_for("[closed]");
    pty.send("q");
    pty.send("q");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    pty.assert_restored();
    let board = taskforce_on(&db, &["board", "--session", "example-session"]);
    assert!(
        board.contains("validated") && board.contains("rejected") && board.contains("closed"),
        "{board}"
    );
}

#[test]
fn shrinking_below_the_minimum_during_a_form_and_back_keeps_the_form() {
    let (_dir, db) = database();
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    pty.send("\t");
    pty.send("n");
    pty.wait_for("New practice");
    pty.send("gp-kept");
    pty.send("\t");
    pty.send("\t");
    pty.send("A title typed before the resize");
    pty.wait_for("A title typed before the resize");
    // Too small: q (and Esc, Ctrl-g) must not throw the form away.
    pty.resize(5, 20);
    pty.wait_for("Terminal too small");
    pty.wait_for("the form");
    pty.send("q");
    pty.send("\x07"); // Ctrl-g
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        pty.child.try_wait().unwrap().is_none(),
        "q on the small screen quit with a form open"
    );
    // Back to full size: the form is as it was.
    pty.resize(ROWS, COLS);
    let screen = pty.wait_for("A title typed before the resize");
    assert!(screen.contains("New practice"), "{screen}");
    assert!(screen.contains("gp-kept"), "{screen}");
    // Ctrl-c asks before losing it; any other key stays.
    pty.send("\x03");
    pty.wait_for("lose the changes in the form");
    pty.send("n");
    std::thread::sleep(Duration::from_millis(200));
    assert!(pty.child.try_wait().unwrap().is_none());
    pty.wait_for("A title typed before the resize");
    pty.send("\x03");
    pty.wait_for("lose the changes in the form");
    pty.send("y");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    pty.assert_restored();
}

/// A transfer's form, opened with `n` in Transfers and typed into letter by letter: the stage
/// history's line format is shown under its field, a stage out of order is refused with the
/// reason beside the field, and once mended the transfer is saved with its history.
#[test]
fn a_transfer_is_typed_into_its_form_and_a_stage_out_of_order_is_refused_in_a_terminal() {
    let (_dir, db) = database();
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    // Down the navigation to Transfers (practices, meetings, action plans, actions, transfers).
    for _ in 0..4 {
        pty.send("j");
    }
    pty.send("\r");
    pty.wait_for("Transfers (0)");
    pty.send("n");
    pty.wait_for("New transfer");
    pty.send("\t"); // the id: blank, made from the title
    pty.type_text("Bootcamp into the Slovene programme");
    pty.send("\t");
    // The practice: typing on a reference searches; Enter picks the first hit.
    pty.type_text("bootcamp");
    pty.wait_for("Search:");
    pty.send("\r");
    pty.wait_for("gp-bootcamp —");
    pty.send("\t");
    pty.type_text("maribor");
    pty.wait_for("Search:");
    pty.send("\r");
    pty.wait_for("mra — Maribor Development Agency");
    pty.send("\t");
    pty.type_text("Operational Programme, priority 3");
    pty.send("\t"); // the action: none yet
    pty.send("\t");
    pty.wait_for("one a line, oldest first: date | stage | note");
    pty.type_text("2019-03 | studied | at the study visit");
    pty.send("\r");
    pty.type_text("2019-10 | interest");
    pty.send("\x13"); // Ctrl-s
    pty.wait_for("Not saved");
    let screen = pty.wait_for("'interest' cannot follow 'studied'");
    assert!(screen.contains("line 2 (stage)"), "{screen}");
    // Mend the second line: Ctrl-u empties it up to the cursor.
    pty.send("\x15");
    pty.type_text("2019-10-02 | adapted | two cohorts a year");
    pty.send("\x13");
    pty.wait_for("Saved transfer “Bootcamp into the Slovene programme”");
    pty.wait_for("Stage history (2)");
    pty.wait_for("2019-10-02 adapted: two cohorts a year");
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    pty.assert_restored();

    let list = taskforce_on(&db, &["list", "transfers", "--format", "tsv"]);
    let line = list
        .lines()
        .find(|l| l.starts_with("bootcamp-into-the-slovene-programme"))
        .unwrap_or_else(|| panic!("the transfer is not listed:\n{list}"));
    assert!(
        line.contains("gp-bootcamp") && line.contains("mra"),
        "{line}"
    );
    assert!(line.contains("adapted"), "{line}");
}

/// A stakeholder typed in letter by letter in the real binary: contact details without the day
/// of consent are refused on their field, saved once it is given; the partner's detail then
/// lists the person in its stakeholder group, and the example RSG meeting who attended it.
#[test]
fn a_stakeholder_is_typed_in_and_shows_in_the_partners_group_in_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut pty = Pty::spawn(&db);
    pty.wait_for("q quit");
    // Stakeholders are the tenth entry of the navigation.
    for _ in 0..9 {
        pty.send("j");
    }
    pty.send("\r");
    pty.wait_for("Stakeholders (4)");
    pty.send("n");
    pty.wait_for("New stakeholder");
    let typed = |pty: &mut Pty, text: &str| {
        for c in text.chars() {
            pty.send(&c.to_string());
        }
    };
    pty.send("\t");
    pty.send("\r");
    typed(&mut pty, "example development a");
    pty.wait_for("(example-partner-a)");
    pty.send("\r");
    pty.send("\t");
    typed(&mut pty, "Example export club A");
    pty.send("\t");
    typed(&mut pty, "Example: Ana Kranjc");
    pty.send("\t");
    pty.send("\x1b[C"); // → turns the helix to business
    pty.send("\t");
    typed(&mut pty, "Example: treasurer");
    pty.send("\t");
    typed(&mut pty, "ana@example.org");
    pty.send("\x13"); // Ctrl-s
    let screen = pty.wait_for("Not saved");
    assert!(
        screen.contains("contact details are kept only with the person's consent"),
        "{screen}"
    );
    pty.send("\t");
    pty.send("\t");
    typed(&mut pty, "2019-09-30");
    pty.send("\x13");
    let screen = pty.wait_for("Saved stakeholder");
    assert!(screen.contains("ana@example.org"), "{screen}");
    assert!(screen.contains("Stakeholders (5)"), "{screen}");
    // To the partners (one entry up), the example agency A, its detail's end.
    pty.send("\t");
    pty.send("\t");
    pty.send("k");
    pty.send("\r");
    pty.wait_for("Partners (16)");
    pty.send("g");
    for _ in 0..5 {
        pty.send("j");
    }
    pty.send("\t");
    pty.send("G");
    let screen = pty.wait_for("RSG meetings (1)");
    assert!(
        screen.contains("attended: Example: Mira Kos, Example: Tomaž Zupan"),
        "{screen}"
    );
    // Up through the group's links to its heading.
    for _ in 0..14 {
        pty.send("k");
    }
    let screen = pty.wait_for("Regional stakeholder group (4)");
    for text in ["business (2)", "→ Example: Ana Kranjc · Example: treasurer"] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    assert!(!screen.contains("ana@example.org"), "{screen}");
    // Back to the stakeholders (one entry down), Ana's data erased after the question.
    pty.send("\t");
    pty.send("j");
    pty.send("\r");
    pty.wait_for("Stakeholders (5)");
    pty.send("g");
    pty.send("j");
    pty.wait_for("▶ Example: Ana Kranjc");
    pty.send("X");
    let screen = pty.wait_for("Erase personal data");
    assert!(screen.contains("it cannot be undone"), "{screen}");
    pty.send("y");
    let screen = pty.wait_for("Erasure of the personal data of stakeholder");
    assert!(screen.contains("erased on"), "{screen}");
    assert!(!screen.contains("Ana Kranjc"), "{screen}");
    assert!(!screen.contains("ana@example.org"), "{screen}");
    pty.send("q");
}
