//! The terminal: raw mode and the alternate screen on the way in, and everything put back on
//! every way out — a normal quit, an error, a panic (panic hook), SIGTERM or SIGHUP (the SSH
//! connection dropped), and Ctrl-z (suspended to the shell, taken back on `fg`).

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::screen_writer::ScreenWriter;

/// Frames are written whole: the backend's buffer is flushed once at the end of each draw, so
/// one frame is one write (one packet over SSH).
pub type Term = Terminal<ScreenWriter<BufWriter<Stdout>>>;

/// Whether the terminal is in the workbench's modes now (so restoring twice does nothing).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture was turned on, so that it is turned off again.
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Puts the terminal back as it was: cursor shown, mouse capture off, main screen, cooked mode.
/// Safe to call from any path, any number of times.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, cursor::Show, LeaveAlternateScreen);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

fn enter_modes(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
        MOUSE.store(true, Ordering::SeqCst);
    }
    Ok(())
}

/// The terminal in the workbench's modes; dropping it restores the terminal.
pub struct Guard {
    pub terminal: Term,
    mouse: bool,
}

impl Guard {
    pub fn enter(mouse: bool) -> io::Result<Guard> {
        install_panic_hook();
        if let Err(e) = enter_modes(mouse) {
            restore();
            return Err(e);
        }
        match Terminal::new(ScreenWriter::new(BufWriter::with_capacity(
            64 * 1024,
            io::stdout(),
        ))) {
            Ok(mut terminal) => {
                // A known blank screen, so that the first frames can already be sent with
                // fewer cursor moves (see `screen_writer`).
                if let Err(e) = terminal
                    .backend_mut()
                    .clear_region(ratatui::backend::ClearType::All)
                {
                    restore();
                    return Err(e);
                }
                Ok(Guard { terminal, mouse })
            }
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Gives the terminal back to the shell and stops this process until `fg`; then takes the
    /// terminal again and repaints everything.
    pub fn suspend(&mut self) -> io::Result<()> {
        let _ = self.terminal.show_cursor();
        restore();
        rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::TSTP)
            .map_err(io::Error::from)?;
        // Execution continues here after SIGCONT.
        enter_modes(self.mouse)?;
        self.terminal.clear()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // The cursor is hidden while browsing: show it through the terminal first, so that
        // ratatui's own drop writes nothing after the main screen is back.
        let _ = self.terminal.show_cursor();
        restore();
    }
}

/// Watches for the terminal going away (the SSH connection dropped, the tmux pane killed) and
/// for a stop signal the loop cannot act on.
///
/// A hung-up terminal stays readable forever, and crossterm's event source then spins inside
/// `event::poll` without returning (crossterm-rs/crossterm#793), so the loop never sees the stop
/// flag. Every change is acknowledged only once durable, so there is nothing to save: when the
/// terminal is gone, or the loop has not stopped a second after being asked to, the process exits.
pub struct HangupWatch {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl HangupWatch {
    pub fn start(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> HangupWatch {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let finished = std::sync::Arc::clone(&done);
        let _ = std::thread::Builder::new()
            .name("hangup-watch".into())
            .spawn(move || {
                let tick = std::time::Duration::from_millis(250);
                let mut asked: Option<std::time::Instant> = None;
                while !finished.load(Ordering::Relaxed) {
                    // A hung-up terminal answers every ioctl with EIO.
                    if matches!(
                        rustix::termios::tcgetattr(rustix::stdio::stdin()),
                        Err(rustix::io::Errno::IO)
                    ) {
                        std::process::exit(129);
                    }
                    if stop.load(Ordering::Relaxed) {
                        let since = *asked.get_or_insert_with(std::time::Instant::now);
                        if since.elapsed() > std::time::Duration::from_secs(1) {
                            restore();
                            std::process::exit(143);
                        }
                    }
                    std::thread::sleep(tick);
                }
            });
        HangupWatch { done }
    }
}

impl Drop for HangupWatch {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
