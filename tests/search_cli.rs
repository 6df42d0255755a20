//! `taskforce search` as scripts use it: formats, ids, exit codes.

mod common;

use common::*;

fn db_with_corpus() -> (tempfile::TempDir, String) {
    let (dir, db) = temp_db();
    let file = dir.path().join("corpus.json");
    std::fs::write(&file, include_str!("data/search_corpus.json")).unwrap();
    let db = db.to_str().unwrap().to_string();
    let out = taskforce(&["--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (dir, db)
}

#[test]
fn tsv_lists_ranked_hits_with_their_ids() {
    let (_d, db) = db_with_corpus();
    let out = taskforce(&["--db", &db, "search", "vouch", "fair", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        lines[0],
        [
            "kind",
            "id",
            "voucher_type",
            "label",
            "score",
            "title",
            "matched_in"
        ]
    );
    assert_eq!(
        lines[1][..4],
        ["schemes", "si-vouchers", "fairs", "voucher type"]
    );
    assert_eq!(
        lines[1][5],
        "Joint presentations of Slovenian economy at fairs"
    );
    assert_eq!(lines[2][..4], ["vouchers", "v-1", "", "voucher"]);
    let scores: Vec<i64> = lines[1..].iter().map(|l| l[4].parse().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(lines.len(), 3, "{text}");
}

#[test]
fn json_carries_marks_as_char_indices_of_the_original_text() {
    let (_d, db) = db_with_corpus();
    let out = taskforce(&["--db", &db, "search", "klaipeda", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first = &v[0];
    assert_eq!(first["kind"], "partners");
    assert_eq!(first["id"], "kid");
    assert_eq!(first["voucher_type"], serde_json::Value::Null);
    assert_eq!(first["title"], "Klaipėda ID");
    assert_eq!(
        first["title_marks"],
        serde_json::json!([0, 1, 2, 3, 4, 5, 6, 7])
    );
    let out = taskforce(&[
        "--db", &db, "search", "pecs", "--format", "json", "--limit", "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["matched_in"][0]["field"], "city");
    assert_eq!(v[0]["matched_in"][0]["text"], "Pécs");
    assert_eq!(
        v[0]["matched_in"][0]["marks"],
        serde_json::json!([0, 1, 2, 3])
    );
}

#[test]
fn the_table_is_for_people_and_kind_and_limit_narrow() {
    let (_d, db) = db_with_corpus();
    let out = taskforce(&["--db", &db, "search", "badajoz"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("KIND "), "{text}");
    assert!(lines[0].contains("MATCHED IN"));
    assert!(lines[1].starts_with("meeting "), "{text}");
    assert!(lines[1].contains("sv-extremadura"));
    assert!(lines[1].contains("city: Badajoz"));
    // Piped: no escape sequences.
    assert!(!text.contains('\u{1b}'));

    let out = taskforce(&[
        "--db", &db, "search", "badajoz", "--kind", "partners", "--format", "tsv",
    ]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("partners\tfundecyt\t")
    );

    let out = taskforce(&[
        "--db", &db, "search", "s", "--limit", "2", "--format", "tsv",
    ]);
    assert_eq!(stdout(&out).lines().count(), 3);
    let out = taskforce(&["--db", &db, "search", "s", "--limit", "2"]);
    assert!(stderr(&out).contains("2 of "), "{}", stderr(&out));

    // A prefix inside the query works the same as --kind.
    let a = stdout(&taskforce(&[
        "--db", &db, "search", "m:", "badajoz", "--format", "tsv",
    ]));
    let b = stdout(&taskforce(&[
        "--db", &db, "search", "badajoz", "--kind", "m", "--format", "tsv",
    ]));
    assert_eq!(a, b);
    assert_eq!(a.lines().count(), 3, "{a}");
}

#[test]
fn nothing_found_is_not_an_error() {
    let (_d, db) = db_with_corpus();
    let out = taskforce(&["--db", &db, "search", "zzqx"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("no records match 'zzqx'"));
    let out = taskforce(&["--db", &db, "search", "zzqx", "--format", "json"]);
    assert_eq!(stdout(&out).trim(), "[]");
    let out = taskforce(&["--db", &db, "search", "zzqx", "--format", "tsv"]);
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn exit_codes() {
    let (dir, db) = db_with_corpus();
    // Wrong command line: no query, an empty query, an unknown kind, an unknown format.
    assert_eq!(taskforce(&["--db", &db, "search"]).status.code(), Some(2));
    let out = taskforce(&["--db", &db, "search", "  "]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the query is empty"));
    let out = taskforce(&["--db", &db, "search", "x", "--kind", "nonsense"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'nonsense' is not a kind of record"));
    assert_eq!(
        taskforce(&["--db", &db, "search", "x", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    // No database.
    let missing = dir.path().join("nothing-here");
    let out = taskforce(&["--db", missing.to_str().unwrap(), "search", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("there is no database"));
    // A database held by another process.
    let store = taskforce::store::Store::open(std::path::Path::new(&db)).unwrap();
    let out = taskforce(&["--db", &db, "search", "x"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    drop(store);
    assert_eq!(
        taskforce(&["--db", &db, "search", "x"]).status.code(),
        Some(0)
    );
}

#[test]
fn the_saved_index_is_used_until_the_database_changes() {
    let (dir, db) = db_with_corpus();
    let saved = std::path::Path::new(&db).join("search-index");
    let run = |args: &[&str]| {
        let mut all = vec!["--db", db.as_str(), "search"];
        all.extend_from_slice(args);
        std::process::Command::new(env!("CARGO_BIN_EXE_taskforce"))
            .args(&all)
            .env("TASKFORCE_TIMING", "1")
            .env_remove("TASKFORCE_DB")
            .output()
            .unwrap()
    };
    // --no-cache neither reads nor writes it.
    let out = run(&["hydrogen", "--no-cache"]);
    assert!(!saved.exists());
    assert!(stderr(&out).contains("read and indexed the records"));
    // The first search reads the records and saves the index; the next one reads the index.
    let first = run(&["klaipeda", "--format", "tsv"]);
    assert!(stderr(&first).contains("indexed"), "{}", stderr(&first));
    assert!(saved.exists());
    let second = run(&["klaipeda", "--format", "tsv"]);
    assert!(
        stderr(&second).contains("searched the saved index in place"),
        "{}",
        stderr(&second)
    );
    assert_eq!(stdout(&first), stdout(&second));
    // A change to the database makes it stale: the new record is found.
    let file = dir.path().join("more.json");
    std::fs::write(
        &file,
        r#"{"smes": [{"id": "sme-h2", "name": "Hydrogen Works", "size": "micro", "country": "LT"}]}"#,
    )
    .unwrap();
    let out = taskforce(&["--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The saved index is still used, with the record the import changed indexed beside it.
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert!(
        stderr(&out).contains("searched the saved index and 1 records changed since"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("smes\tsme-h2\t"), "{}", stdout(&out));
    // Without a saved index at all, the records are read and the index saved for the next.
    std::fs::remove_file(&saved).unwrap();
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert!(stderr(&out).contains("read and indexed the records"));
    assert!(stdout(&out).contains("smes\tsme-h2\t"));
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert!(stderr(&out).contains("searched the saved index in place"));
    assert!(stdout(&out).contains("smes\tsme-h2\t"));
    // One written by another version of taskforce is out of date: rebuilt without a word.
    std::fs::write(&saved, b"TFSRCHv6 an older layout").unwrap();
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("smes\tsme-h2\t"));
    assert!(!stderr(&out).contains("not usable"), "{}", stderr(&out));
    assert!(stderr(&out).contains("read and indexed the records"));
    // A damaged file is said, read around and written again.
    std::fs::write(&saved, b"not an index, garbage").unwrap();
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("smes\tsme-h2\t"));
    assert!(
        stderr(&out).contains("search-index is not usable (it is damaged"),
        "{}",
        stderr(&out)
    );
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert!(stderr(&out).contains("searched the saved index in place"));
    // Damage in the long texts is found as a search reads them: said, and the records read.
    let mut bytes = std::fs::read(&saved).unwrap();
    let n = bytes.len();
    bytes[n / 3] ^= 0x20;
    std::fs::write(&saved, &bytes).unwrap();
    let out = run(&["hydrogen", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("smes\tsme-h2\t"));
    assert!(stderr(&out).contains("search-index"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("read and indexed the records"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_running_server_searches_for_its_clients() {
    let (dir, db) = db_with_corpus();
    let path = std::path::Path::new(&db).to_path_buf();
    let search = |q: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_taskforce"))
            .args(["--db", &db, "search", q, "--format", "tsv"])
            .env("TASKFORCE_TIMING", "1")
            .env_remove("TASKFORCE_DB")
            .output()
            .unwrap()
    };
    let direct = search("vouch fair");
    assert_eq!(direct.status.code(), Some(0), "{}", stderr(&direct));
    let server = common::server::Server::start(&path, &[]);
    let served = search("vouch fair");
    assert_eq!(served.status.code(), Some(0), "{}", stderr(&served));
    assert!(
        stderr(&served).contains("the server searched"),
        "{}",
        stderr(&served)
    );
    assert!(!stderr(&served).contains("read and indexed the records"));
    assert_eq!(stdout(&served), stdout(&direct));
    // A change made through the server is found by the next search.
    let file = dir.path().join("more.json");
    std::fs::write(
        &file,
        r#"{"smes": [{"id": "sme-h2", "name": "Hydrogen Works", "size": "micro", "country": "LT"}]}"#,
    )
    .unwrap();
    let out = taskforce(&["--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = search("hydrogen");
    assert!(stdout(&out).contains("smes\tsme-h2\t"), "{}", stdout(&out));
    drop(server);
}
