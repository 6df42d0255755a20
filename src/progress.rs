//! Progress for long work, on standard error when it is a terminal; silent when piped.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    label: String,
    total: usize,
    enabled: bool,
    last: Option<Instant>,
    drawn: bool,
}

impl Progress {
    pub fn new(label: impl Into<String>, total: usize) -> Progress {
        Progress {
            label: label.into(),
            total,
            enabled: std::io::stderr().is_terminal(),
            last: None,
            drawn: false,
        }
    }

    /// Shows `done` of the total, at most ten times a second.
    pub fn set(&mut self, done: usize) {
        if !self.enabled
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(Instant::now());
        let pct = (done * 100).checked_div(self.total).unwrap_or(100);
        eprint!("\r\x1b[K{} {done}/{} ({pct}%)", self.label, self.total);
        let _ = std::io::stderr().flush();
        self.drawn = true;
    }

    /// Replaces the line with a stage name ("Writing 100000 records…").
    pub fn stage(&mut self, text: &str) {
        if self.enabled {
            eprint!("\r\x1b[K{text}");
            let _ = std::io::stderr().flush();
            self.drawn = true;
        }
    }

    /// Clears the progress line.
    pub fn finish(&mut self) {
        if self.enabled && self.drawn {
            eprint!("\r\x1b[K");
            let _ = std::io::stderr().flush();
            self.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
