//! One-shot commands read what they need, not every record: the counts of `info` are kept by
//! every commit, `list KIND` reads that kind.

mod common;

use common::*;
use std::process::Output;
use taskforce::model::*;
use taskforce::store::Store;

const CORPUS: &str = include_str!("data/search_corpus.json");

fn corpus() -> Vec<Record> {
    taskforce::io::json::parse(CORPUS, "corpus")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

fn counted(store: &Store) -> Vec<(Kind, u64)> {
    let (replica, _) = store.load().unwrap();
    Kind::ALL
        .iter()
        .map(|k| (*k, replica.count(*k) as u64))
        .collect()
}

#[test]
fn counts_follow_every_commit_and_are_read_not_counted() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let apply = |command| store.apply(&actor(), command).unwrap();
    apply(Command::Import {
        records: corpus(),
        on_conflict: OnConflict::Fail,
        source: "corpus".into(),
    });
    assert_eq!(store.counts().unwrap(), counted(&store));
    let practice = corpus()
        .into_iter()
        .find(|r| r.kind() == Kind::Voucher)
        .unwrap();
    let deleted = apply(Command::Delete {
        kind: Kind::Voucher,
        id: practice.id().to_string(),
        expected_rev: None,
    });
    assert_eq!(store.counts().unwrap(), counted(&store));
    apply(Command::Undo { seq: deleted.seq });
    assert_eq!(store.counts().unwrap(), counted(&store));
    let before = store.counts().unwrap();
    drop(store);
    // sled lets go of its lock file in the background: wait for it, as every reopen here does.
    wait_released(&path);

    // A record written behind the store's back (not through a commit, so the sequence number
    // stays): the kept counts are what is read, not the tree.
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("smes")
            .unwrap()
            .insert("behind-the-back", b"x".to_vec())
            .unwrap();
        db.flush().unwrap();
    }
    wait_released(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.counts().unwrap(), before);
}

/// Through a server, `list KIND` and `info` answer as they do directly; the server sends the
/// records of the kind asked for and no others, and does not subscribe the client to commits.
#[test]
fn list_and_info_through_a_server_read_one_kind() {
    let (_dir, path) = temp_db();
    {
        let store = Store::open(&path).unwrap();
        store
            .apply(
                &actor(),
                Command::Import {
                    records: corpus(),
                    on_conflict: OnConflict::Fail,
                    source: "corpus".into(),
                },
            )
            .unwrap();
    }
    wait_released(&path);
    let db = path.to_str().unwrap();
    let direct: Vec<Output> = [
        &["list", "partners", "--format", "tsv"][..],
        &[
            "list",
            "practices",
            "--project",
            "intra",
            "--format",
            "json",
        ],
        &["info"],
    ]
    .iter()
    .map(|args| {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        taskforce(&all)
    })
    .collect();
    let server = common::server::Server::start(&path, &[]);
    let mut conn = taskforce::server::Connection::connect(&path, "test").unwrap();
    let (rows, problems, seq) = conn.records(Kind::Partner).unwrap();
    assert!(problems.is_empty());
    assert!(seq > 0);
    let (replica, _) = conn.snapshot().unwrap();
    assert_eq!(rows.len(), replica.count(Kind::Partner));
    assert!(rows.iter().all(|r| r.record.kind() == Kind::Partner));
    drop(conn);
    for (args, before) in [
        &["list", "partners", "--format", "tsv"][..],
        &[
            "list",
            "practices",
            "--project",
            "intra",
            "--format",
            "json",
        ],
        &["info"],
    ]
    .iter()
    .zip(&direct)
    {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        let through = taskforce(&all);
        assert_eq!(through.status.code(), Some(0), "{}", stderr(&through));
        let (a, b) = (stdout(before), stdout(&through));
        if args[0] == "info" {
            // The location line names the server; the counts are the same.
            let counts = |t: &str| t.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
            assert_eq!(counts(&a), counts(&b), "{a}\n{b}");
        } else {
            assert_eq!(a, b, "{args:?}");
        }
    }
    let out = taskforce(&["--db", db, "list", "practices", "--project", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the projects are: "),
        "{}",
        stderr(&out)
    );
    drop(server);
}
