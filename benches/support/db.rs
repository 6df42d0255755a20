//! What the benchmarks that hand a database to another process need.

#![allow(dead_code)] // each benchmark uses a part

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Waits until no process (sled's threads of this one included) holds the database's lock.
pub fn wait_released(path: &Path) {
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

/// Starts `taskforce serve` on `db` once its lock is free, and waits until it listens.
pub fn serve(db: &Path) -> Child {
    wait_released(db);
    let server = Command::new(env!("CARGO_BIN_EXE_taskforce"))
        .arg("--db")
        .arg(db)
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::os::unix::net::UnixStream::connect(taskforce::server::socket_path(db)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}
