//! Every acknowledged change survives kill -9; a held database gives a clear message.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use taskforce::model::*;
use taskforce::store::Store;

const CHILD_ENV: &str = "TASKFORCE_KILL_TEST_DB";
const ROUND_ENV: &str = "TASKFORCE_KILL_TEST_ROUND";

/// The child's part: commit small changes as fast as it can and print an acknowledgement after
/// each one returns. Runs only when the parent test starts this binary with the variables set.
#[test]
#[ignore = "the child process of every_acknowledged_change_survives_kill_9"]
fn kill_test_child() {
    let (Ok(db), Ok(round)) = (std::env::var(CHILD_ENV), std::env::var(ROUND_ENV)) else {
        return;
    };
    let store = Store::open(std::path::Path::new(&db)).unwrap();
    for i in 0.. {
        let sme = Sme {
            id: SmeId::new(format!("sme-{round}-{i}")),
            name: format!("Example SME {round}/{i}"),
            registration_number: String::new(),
            size: SmeSize::Micro,
            country: "SI".into(),
            region: String::new(),
            city: "Maribor".into(),
        };
        store
            .apply(
                &actor(),
                Command::Put {
                    record: sme.into(),
                    expected_rev: Some(0),
                },
            )
            .unwrap();
        println!("ack {round} {i}");
    }
}

/// A cheap varying delay without a random-number crate.
fn jitter(round: u64) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let x = (nanos ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    Duration::from_millis(20 + (x >> 33) % 250)
}

#[test]
fn every_acknowledged_change_survives_kill_9() {
    let (_d, db) = temp_db();
    drop(Store::open(&db).unwrap());
    // sled's background thread lets go of the lock a moment after the handle is dropped: the
    // first child found it held under load ("the child never committed").
    wait_released(&db);
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged: Vec<String> = Vec::new();
    let rounds = 15;
    for round in 0..rounds {
        let mut child = Process::new(&exe)
            .args([
                "--exact",
                "kill_test_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &db)
            .env(ROUND_ENV, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("ack ") {
                    let _ = tx.send(rest.to_string());
                }
            }
        });
        // Wait for the first acknowledgement, then kill at a varying moment mid-stream.
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the child never committed");
        let mut acks = vec![first];
        let deadline = Instant::now() + jitter(round);
        while Instant::now() < deadline {
            if let Ok(a) = rx.recv_timeout(Duration::from_millis(1)) {
                acks.push(a);
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        acks.extend(rx.try_iter());
        acknowledged.extend(acks.into_iter().map(|a| {
            let (r, i) = a.split_once(' ').unwrap();
            format!("sme-{r}-{i}")
        }));
    }
    let store = Store::open(&db).unwrap();
    let (replica, problems) = store.load().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| replica.record(Kind::Sme, id).is_none())
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged changes were lost: {:?}",
        lost.len(),
        acknowledged.len(),
        &lost[..lost.len().min(10)]
    );
    assert!(
        acknowledged.len() >= rounds as usize,
        "too few commits to prove anything"
    );
    eprintln!(
        "{} acknowledged changes over {rounds} kill -9 rounds, none lost",
        acknowledged.len()
    );
}

#[test]
fn a_second_process_gets_a_clear_message_for_a_held_database() {
    let (_d, db) = temp_db();
    let _held = sample_store(&db);
    let path = db.to_str().unwrap();
    let out = taskforce(&["--db", path, "list", "practices"]);
    assert_eq!(out.status.code(), Some(4));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "the database {path} is in use by another taskforce process"
        )),
        "{err}"
    );
    assert!(err.contains("taskforce serve"), "{err}");
    assert!(!err.contains("WouldBlock"), "{err}");
}
