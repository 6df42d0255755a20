//! A `taskforce serve` process for tests.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use taskforce::server::{Connection, Request};

use super::wait_released;

/// A server process that is stopped (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
}

impl Server {
    /// Starts a server and waits until it answers a request (a listening socket alone could be
    /// a stale one). A server that stops at once is started again, twice at most: a test running
    /// beside this one may, for an instant, hold a copy of the database's lock through a process
    /// it is spawning.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        Server::start_with(db, extra, &[])
    }

    /// [`Server::start`] with environment variables set for the server (its limits).
    pub fn start_with(db: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut said = String::new();
        for _ in 0..3 {
            let mut child = Process::new(env!("CARGO_BIN_EXE_taskforce"))
                .arg("--db")
                .arg(db)
                .arg("serve")
                .args(extra)
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if let Some(status) = child.try_wait().unwrap() {
                    let mut err = String::new();
                    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                    said = format!("{status}: {err}");
                    break;
                }
                if let Ok(mut conn) = Connection::connect(db, "test")
                    && conn.request(Request::Who).is_ok()
                {
                    return Server { child };
                }
                assert!(Instant::now() < deadline, "the server did not start");
                std::thread::sleep(Duration::from_millis(10));
            }
            wait_released(db);
        }
        panic!("the server stopped at once, three times: {said}");
    }

    pub fn signal(&self, signal: rustix::process::Signal) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, signal).unwrap();
    }

    pub fn wait(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status.code(), err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.signal(rustix::process::Signal::TERM);
            let _ = self.child.wait();
        }
    }
}
