//! Progress for long work, on standard error when it is a terminal; silent when piped.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    label: String,
    total: usize,
    enabled: bool,
    last: Option<Instant>,
    drawn: bool,
    started: Instant,
}

impl Progress {
    pub fn new(label: impl Into<String>, total: usize) -> Progress {
        Progress {
            label: label.into(),
            total,
            enabled: std::io::stderr().is_terminal(),
            last: None,
            drawn: false,
            started: Instant::now(),
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

    /// Shows how much has been read: records and megabytes, and both per second.
    pub fn reading(&mut self, records: usize, bytes: u64) {
        if !self.due() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let mb = bytes as f64 / 1e6;
        let line = match records {
            // Sent to a server, which counts the records.
            0 => format!("{}: {mb:.1} MB sent ({:.1} MB/s)", self.label, mb / secs),
            _ => format!(
                "{}: {records} records, {mb:.1} MB read ({:.0} records/s, {:.1} MB/s)",
                self.label,
                records as f64 / secs,
                mb / secs
            ),
        };
        self.draw(&line);
    }

    /// Shows a stage's progress: "Checking 5000/100000 (5%)".
    pub fn step(&mut self, what: &str, done: usize, total: usize) {
        if !self.due() {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64();
        let line = match (done * 100).checked_div(total) {
            Some(pct) => format!("{what} {done}/{total} ({pct}%), {secs:.0} s"),
            None => format!("{what}…, {secs:.0} s"),
        };
        self.draw(&line);
    }

    /// Whether a line may be drawn now (at most ten a second, only on a terminal).
    fn due(&mut self) -> bool {
        if !self.enabled
            || self
                .last
                .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return false;
        }
        self.last = Some(Instant::now());
        true
    }

    fn draw(&mut self, line: &str) {
        eprint!("\r\x1b[K{line}");
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
