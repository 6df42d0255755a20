//! The command-line defects of issue 21: `info` shows the schema version and the full path,
//! `import` counts the file's records only, `help score` describes every option and not the
//! workbench's `--empty`, and a kind's ambiguous start names the kinds it could be.

mod common;

use common::*;

#[test]
fn info_shows_the_schema_version_and_the_full_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_taskforce"))
        .current_dir(dir.path())
        .args(["--db", "./db", "init", "--empty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_taskforce"))
        .current_dir(dir.path())
        .args(["--db", "./db", "info"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let version = format!("schema version  {}", taskforce::store::SCHEMA_VERSION);
    assert!(text.contains(&version), "{text}");
    let full = std::fs::canonicalize(dir.path().join("db")).unwrap();
    assert!(
        text.contains(&format!("database        {}", full.display())),
        "{text}"
    );
    assert!(!text.contains("./db"), "{text}");
}

#[test]
fn import_counts_the_records_of_the_file() {
    let (_dir, db) = temp_db();
    let db = db.to_str().unwrap().to_string();
    let out = taskforce(&["--db", &db, "init", "--empty"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = tempfile::NamedTempFile::new().unwrap();
    let records = r#"{"projects": [{"id": "p1", "acronym": "P1", "title": "Project one",
        "programme": "Interreg Europe", "start": "2020-01-01", "end": "2021-12-31"}]}"#;
    std::fs::write(file.path(), records).unwrap();
    let out = taskforce(&["--db", &db, "import", file.path().to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}{}", text, stderr(&out));
    assert!(text.contains("imported 1 of 1 records"), "{text}");
    assert!(text.contains("(1 projects"), "{text}");
    assert!(!text.contains("(1 projects, 1 members)"), "{text}");
}

#[test]
fn help_score_describes_its_options_and_not_empty() {
    let out = taskforce(&["help", "score"]);
    let text = stdout(&out);
    assert!(!text.contains("--empty"), "{text}");
    assert!(!text.contains("--no-examples"), "{text}");
    for option in ["--session", "--practice", "--criterion", "--comment"] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(option))
            .unwrap_or_else(|| panic!("{option} missing:\n{text}"));
        let described = line.trim_start().trim_start_matches(option).trim();
        let after = text.split(line).nth(1).unwrap_or_default();
        let next = after.lines().nth(1).unwrap_or_default();
        assert!(
            described.split_whitespace().count() > 1
                || (next.starts_with("          ") && !next.trim().starts_with('-')),
            "{option} is not described:\n{text}"
        );
    }
    // The workbench and init still take it.
    let out = taskforce(&["help"]);
    assert!(stdout(&out).contains("--empty"));
    let out = taskforce(&["help", "init"]);
    assert!(stdout(&out).contains("--empty") && stdout(&out).contains("--no-examples"));
}

#[test]
fn an_ambiguous_kind_names_the_kinds_it_could_be() {
    let (_dir, db) = temp_db();
    let db = db.to_str().unwrap().to_string();
    taskforce(&["--db", &db, "init", "--empty"]);
    let out = taskforce(&["--db", &db, "list", "p"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("'p' could be") && err.contains("practices") && err.contains("projects"),
        "{err}"
    );
}
