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
pub fn start_server(db: &Path, bundle: crate::fixtures::Bundle) -> Result<(), String> {
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
    match bundle {
        crate::fixtures::Bundle::Nothing => {
            command.arg("--empty");
        }
        crate::fixtures::Bundle::Real => {
            command.arg("--no-examples");
        }
        crate::fixtures::Bundle::WithExamples => {}
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

/// The unit files of the service deployment for the database `db` (absolute), whose server
/// runs as `user` and admits `group`: a .socket unit systemd listens on for the group (0660),
/// starting the .service on the first connection and passing it the socket (socket activation,
/// `LISTEN_FDS`); printed by `taskforce service-files`, installed by the administrator.
pub fn service_units(exe: &Path, db: &Path, group: &str, user: &str) -> String {
    let name = unit_name(db);
    let socket = super::serve::socket_path(db);
    format!(
        "# /etc/systemd/system/{name}.socket\n\
         [Unit]\n\
         Description=taskforce database {db} (socket)\n\
         \n\
         [Socket]\n\
         ListenStream={socket}\n\
         SocketUser={user}\n\
         SocketGroup={group}\n\
         SocketMode=0660\n\
         Accept=no\n\
         RemoveOnStop=yes\n\
         \n\
         [Install]\n\
         WantedBy=sockets.target\n\
         \n\
         # /etc/systemd/system/{name}.service\n\
         [Unit]\n\
         Description=taskforce database {db}\n\
         Requires={name}.socket\n\
         After={name}.socket\n\
         \n\
         [Service]\n\
         Type=simple\n\
         User={user}\n\
         Group={user}\n\
         UMask=0007\n\
         ExecStart={exe} --db {db} serve --service --group {group}\n\
         Restart=on-failure\n\
         KillSignal=SIGTERM\n\
         TimeoutStopSec=60\n\
         NoNewPrivileges=yes\n\
         PrivateTmp=yes\n\
         ProtectSystem=strict\n\
         ProtectHome=yes\n\
         ReadWritePaths={db}\n",
        db = systemd_quote(db),
        socket = systemd_quote(&socket),
        exe = systemd_quote(exe),
    )
}

/// The units' name for a database: `taskforce-` and the directory's last component, reduced
/// to letters, digits, `-` and `_`.
fn unit_name(db: &Path) -> String {
    let last = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if clean.is_empty() {
        "taskforce".into()
    } else {
        format!("taskforce-{clean}")
    }
}

/// A path for a unit file: as it is when plain, quoted otherwise (systemd's C-style quoting).
fn systemd_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@=".contains(&b))
    {
        text.into_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}
