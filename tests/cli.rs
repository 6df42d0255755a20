//! The command line as scripts use it: outputs, positions in refused files, exit codes.

mod common;

use common::*;

fn db_with_sample() -> (tempfile::TempDir, String) {
    let (dir, db) = temp_db();
    sample_db(&db);
    (dir, db.to_str().unwrap().to_string())
}

#[test]
fn list_puts_the_id_first_in_every_format() {
    let (_d, db) = db_with_sample();
    let out = taskforce(&["--db", &db, "list", "practices", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id\tproject\tstatus\tcountry\tsub_theme\towner\ttitle"
    );
    assert!(
        lines[1].starts_with("gp-east\tintra\tidentified\tPL\t"),
        "{text}"
    );
    let out = taskforce(&["--db", &db, "list", "vouchers", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["id"], "v-1");
    assert_eq!(v[0].as_object().unwrap().keys().next().unwrap(), "id");
    let out = taskforce(&["--db", &db, "list", "partners"]);
    let text = stdout(&out);
    assert!(text.starts_with("ID   PROJECT  COUNTRY"), "{text}");
    assert!(text.contains("Klaipėda ID"), "{text}");
    let out = taskforce(&["--db", &db, "list", "practices", "--project", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("there is no project 'nope'; the projects are: intra"));
}

#[test]
fn a_malformed_file_is_refused_with_line_column_and_path() {
    let (dir, db) = db_with_sample();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{\n  \"practices\": [\n    {\"id\": \"gp-x\", \"project\": \"intra\" \"title\": \"T\"}\n  ]\n}\n").unwrap();
    let before = taskforce(&["--db", &db, "export"]);
    assert_eq!(before.status.code(), Some(0), "{}", stderr(&before));
    let before = stdout(&before);
    let out = taskforce(&["--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(&format!("{}:3:", file.display())),
        "{}",
        stderr(&out)
    );
    std::fs::write(&file, r#"{"meetings": [{"id": "m1", "project": "intra", "title": "T", "kind": "picnic", "mode": "online", "start": "2020-01-01"}]}"#).unwrap();
    let out = taskforce(&["--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("at meetings[0].kind: unknown variant `picnic`"),
        "{err}"
    );
    // A valid file whose records break rules: every problem with its position and record.
    std::fs::write(&file, "{\"smes\": [\n {\"id\": \"ok\", \"name\": \"A\", \"size\": \"micro\", \"country\": \"SI\"},\n {\"id\": \"bad\", \"name\": \"B\", \"size\": \"micro\", \"country\": \"Slovenia\"}\n]}").unwrap();
    let out = taskforce(&["--db", &db, "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:3: at smes[1].country: SME 'bad': 'Slovenia' is not a two-letter country code",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(
        stdout(&taskforce(&["--db", &db, "export"])),
        before,
        "a refused import changed the database"
    );
}

#[test]
fn import_into_a_new_database_holds_only_the_file() {
    let (dir, db) = db_with_sample();
    let file = dir.path().join("all.json");
    assert_eq!(
        taskforce(&["--db", &db, "export", "--output", file.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let fresh = dir.path().join("fresh");
    let out = taskforce(&[
        "--db",
        fresh.to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("imported 20 of 20 records"),
        "{}",
        stdout(&out)
    );
    let again = taskforce(&["--db", fresh.to_str().unwrap(), "export"]);
    assert_eq!(stdout(&again), std::fs::read_to_string(&file).unwrap());
    // Importing the same file again is refused by default and skipped on request.
    let out = taskforce(&[
        "--db",
        fresh.to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let out = taskforce(&[
        "--db",
        fresh.to_str().unwrap(),
        "import",
        "--on-conflict",
        "skip",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("imported 0 of 20"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn csv_and_markdown_exports() {
    let (_d, db) = db_with_sample();
    let out = taskforce(&[
        "--db", &db, "export", "--format", "csv", "--kind", "meetings",
    ]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "sv-maribor");
    let minutes = headers.iter().position(|h| h == "minutes").unwrap();
    assert_eq!(&row[minutes], "Line one.\nLine two.");
    let out = taskforce(&["--db", &db, "export", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--kind"));
    let md = stdout(&taskforce(&[
        "--db",
        &db,
        "export",
        "--format",
        "md",
        "--kind",
        "practices",
    ]));
    assert!(md.contains("## Practices (2)"), "{md}");
    assert!(
        md.contains("### Small-scale incentives for SMEs – vouchers"),
        "{md}"
    );
}

#[test]
fn missing_databases_and_first_runs_are_explained() {
    let (dir, _db) = temp_db();
    let missing = dir.path().join("none");
    let out = taskforce(&["--db", missing.to_str().unwrap(), "list", "practices"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("there is no database at"),
        "{}",
        stderr(&out)
    );
    assert!(!missing.exists(), "a read-only command created a database");
    let out = taskforce(&["--db", missing.to_str().unwrap(), "undo", "1"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_log_and_undo_work_from_the_command_line() {
    let (_d, db) = db_with_sample();
    let log = stdout(&taskforce(&["--db", &db, "log"]));
    assert!(
        log.contains("#1")
            && log.contains("tester")
            && log.contains("import 20 records from sample"),
        "{log}"
    );
    let out = taskforce(&["--db", &db, "undo", "1"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out)
            .contains("only a facilitator can create, open, close or decide evaluation sessions"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_records_history_shows_who_changed_which_field() {
    let (dir, db) = db_with_sample();
    let file = dir.path().join("edit.json");
    let out = taskforce(&["--db", &db, "export", "--kind", "smes"]);
    let edited = stdout(&out).replace(
        "\"region\": \"Podravje\"",
        "\"region\": \"Vzhodna Slovenija\"",
    );
    std::fs::write(&file, edited).unwrap();
    assert_eq!(
        taskforce(&[
            "--db",
            &db,
            "import",
            "--on-conflict",
            "replace",
            file.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    let history = stdout(&taskforce(&["--db", &db, "history", "smes", "sme-1"]));
    let me = taskforce::sys::current_user();
    assert!(
        history.contains("#2 ") && history.contains(&me),
        "{history}"
    );
    assert!(
        history.contains("region: Podravje → Vzhodna Slovenija"),
        "{history}"
    );
    // The small import is undoable record by record now.
    let out = taskforce(&["--db", &db, "undo", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&taskforce(&[
            "--db", &db, "list", "smes", "--format", "tsv"
        ]))
        .contains("Podravje")
    );
}
