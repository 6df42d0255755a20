//! Starting a server for the workbench when none runs (the tmux model): in the background, in
//! its own session so that an SSH hang-up does not stop it, logging into the database directory.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long an automatically started server stays after its last client leaves.
pub const IDLE_EXIT_SECS: u64 = 30;

/// The server's log, beside its database.
pub fn log_path(db: &Path) -> std::path::PathBuf {
    db.join("server.log")
}

/// Starts `taskforce serve` for `db` and waits until it accepts connections.
pub fn start_server(db: &Path, empty: bool) -> Result<(), String> {
    crate::sys::create_private_dir(db)
        .map_err(|e| format!("cannot create {}: {e}", db.display()))?;
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the taskforce program: {e}"))?;
    let log = crate::sys::open_group_log(&log_path(db))
        .map_err(|e| format!("cannot write {}: {e}", log_path(db).display()))?;
    let log_len = log.metadata().map(|m| m.len()).unwrap_or(0);
    let mut command = Command::new(exe);
    command
        .arg("--db")
        .arg(db)
        .arg("serve")
        .arg("--idle-exit")
        .arg(IDLE_EXIT_SECS.to_string());
    if empty {
        command.arg("--empty");
    }
    command
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            rustix::process::setsid()
                .map(|_| ())
                .map_err(std::io::Error::from)
        });
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if super::serve::running(db) {
            // Reap the server when it ends, so it never lingers as a zombie of this process.
            std::thread::spawn(move || child.wait());
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            // It may have lost a race with another server for the same database.
            if super::serve::running(db) {
                return Ok(());
            }
            let text = std::fs::read(log_path(db)).unwrap_or_default();
            let tail = String::from_utf8_lossy(&text[(log_len as usize).min(text.len())..])
                .trim()
                .to_string();
            return Err(if tail.is_empty() {
                format!("the server stopped at once ({status})")
            } else {
                tail
            });
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the server did not start within 10 s; see {}",
                log_path(db).display()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
