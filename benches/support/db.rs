//! What the benchmarks that hand a database to another process need.

use std::path::Path;
use std::time::Duration;

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
