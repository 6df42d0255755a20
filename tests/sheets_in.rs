//! Spreadsheets in: a workbook made by a spreadsheet program (LibreOffice converted the
//! hand-written flat ODF files `tests/data/sheets/*.fods` to the `.ods` and `.xlsx` kept beside
//! them: merged title rows, empty rows, accented headers, typed dates and numbers) imports;
//! every kind of error names its sheet, row and column; `--dry-run` writes nothing, for
//! spreadsheets and JSON alike; an exported CSV of each kind imports back to the same records.

mod common;

use serde_json::Value;

fn db() -> (tempfile::TempDir, String) {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap().to_string();
    let out = common::taskforce(&["--db", &db, "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    (dir, db)
}

fn cli(db: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    common::taskforce(&all)
}

fn data(name: &str) -> String {
    format!("{}/tests/data/sheets/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn exported(db: &str, kind: &str) -> Value {
    let out = cli(db, &["export", "--kind", kind]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let all: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    all[kind].clone()
}

fn record<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no record '{id}' in {list}"))
}

fn imports_the_workbook(file: &str) {
    let (_dir, db) = db();
    let out = cli(&db, &["import", &data(file)]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let said = common::stdout(&out);
    assert!(said.contains("imported 9 of 9 records"), "{said}");

    // Practices: the merged title row and the empty rows are passed over; the header names
    // fields by their labels ("Owner organisation", "Country (ISO code)", "Région"); choices by
    // their labels ("Identified", "2 training and human resources"); a date cell; a list.
    let practices = exported(&db, "practices");
    let p = record(&practices, "gp-si-export-coaching");
    assert_eq!(p["owner"], "Štajerska gospodarska zbornica");
    assert_eq!(p["region"], "Podravska");
    assert_eq!(p["sub_theme"], "training");
    assert_eq!(p["status"], "identified");
    assert_eq!(p["start"], "2017-03-01");
    assert_eq!(p["keywords"], serde_json::json!(["coaching", "export"]));
    let p = record(&practices, "gp-fr-region-vitrine");
    assert_eq!(p["owner"], "Région Nouvelle-Aquitaine");
    assert_eq!(p["sub_theme"], Value::Null);
    assert_eq!(p["start"], Value::Null);

    // Partners: headers in capitals and with accents, the role by its label.
    let partners = exported(&db, "partners");
    let p = record(&partners, "intra-cci-pecs");
    assert_eq!(p["organisation"], "Chambre de commerce de Pécs");
    assert_eq!(p["region"], "Dél-Dunántúl");
    assert_eq!(p["role"], "partner");

    // SMEs without an id column: ids made from the names, as the forms make them; a number
    // cell read as the text the field holds.
    let smes = exported(&db, "smes");
    let s = record(&smes, "kovacevic-d-o-o");
    assert_eq!(s["name"], "Kovačević d.o.o.");
    assert_eq!(s["size"], "small");
    assert_eq!(s["registration_number"], "5123456");
    record(&smes, "cafe-rsted-aps");

    // A scoring grid: one row per score, the id made from session, practice, evaluator and
    // criterion; an abstention with its reason; values as numbers.
    let scores = exported(&db, "scores");
    let base = "example-session:example-gp-3:example-evaluator-2";
    let s = record(&scores, &format!("{base}:sustainability"));
    assert_eq!(s["value"].as_f64(), Some(4.0));
    assert_eq!(s["comment"], "Funded beyond the project");
    let s = record(&scores, &format!("{base}:effectiveness"));
    assert_eq!(s["value"], Value::Null);
    assert_eq!(s["abstain_reason"], "conflict of interest");
}

#[test]
fn an_xlsx_made_by_a_spreadsheet_program_imports() {
    imports_the_workbook("records.xlsx");
}

#[test]
fn an_ods_made_by_a_spreadsheet_program_imports() {
    imports_the_workbook("records.ods");
}

#[test]
fn every_error_names_sheet_row_and_column() {
    let (_dir, db) = db();
    let before = exported(&db, "practices");
    let out = cli(&db, &["import", &data("mistakes.xlsx")]);
    assert_eq!(out.status.code(), Some(3), "{}", common::stdout(&out));
    let err = common::stderr(&out);
    for expected in [
        // a value that is not of its field's type
        "Practices!G4: start: '2018-02-30' is not a day of the calendar",
        // a choice that is not one
        "Practices!F5: status: 'proposed' is not one of: identified, presented",
        // a required cell left empty
        "Practices!C6: title: is required",
        // an id given twice (after an empty row: rows are counted as the sheet numbers them)
        "Practices!A8: id: 'gp-a' is also the id of the practice in Practices!3",
        // an unknown column, by its header cell
        "Partners!D1: unknown column 'Pays'",
        // a missing required column, by the header row
        "Partners!1: missing column 'country'",
        "SMEs!1: missing column 'size'",
        // a sheet whose name names no kind of record
        "Notes: the name does not say which records it holds",
    ] {
        assert!(err.contains(expected), "missing «{expected}» in:\n{err}");
    }
    assert_eq!(exported(&db, "practices"), before, "nothing was imported");

    // The store's rules (a reference to a missing record) are mapped back to the cell.
    let out = cli(&db, &["import", &data("rules.xlsx")]);
    assert_eq!(out.status.code(), Some(3));
    let err = common::stderr(&out);
    assert!(
        err.contains("Vouchers!D4: sme: refers to SME 'no-such-sme', which does not exist"),
        "{err}"
    );
    // …also in a dry run.
    let out = cli(&db, &["import", "--dry-run", &data("rules.xlsx")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(common::stderr(&out).contains("Vouchers!D4: sme: refers to SME"));

    // A CSV file is named by its file name; its rows by their line.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("practices.csv");
    std::fs::write(
        &csv,
        "id,project,title,owner,country,status\n\
         gp-x,intra,T,O,SI,identified\n\
         \n\
         gp-y,nowhere,T,O,SI,identified\n",
    )
    .unwrap();
    let out = cli(&db, &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = common::stderr(&out);
    assert!(
        err.contains("practices.csv!B4: project: refers to project 'nowhere'"),
        "{err}"
    );
    // …or by --kind.
    let other = dir.path().join("list.csv");
    std::fs::write(&other, "id,title\n").unwrap();
    let out = cli(&db, &["import", other.to_str().unwrap()]);
    assert!(common::stderr(&out).contains("list.csv: the name does not say"));
}

#[test]
fn a_dry_run_writes_nothing() {
    let (dir, db) = db();
    let log = |db: &str| common::stdout(&cli(db, &["log", "--limit", "5"]));
    let before = log(&db);
    let out = cli(&db, &["import", "--dry-run", &data("records.xlsx")]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let said = common::stdout(&out);
    assert!(said.contains("nothing was written"), "{said}");
    assert!(said.contains("practices         2  (2 new)"), "{said}");
    assert!(said.contains("scores            4  (4 new)"), "{said}");
    assert_eq!(log(&db), before);
    assert!(
        record_missing(&exported(&db, "practices"), "gp-si-export-coaching"),
        "the dry run imported"
    );

    // JSON too; the records that would be replaced are listed.
    let json = dir.path().join("smes.json");
    let out = cli(
        &db,
        &[
            "export",
            "--kind",
            "smes",
            "--output",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    // One record changed, three as stored (left out, as the import leaves them out).
    let text = std::fs::read_to_string(&json).unwrap();
    std::fs::write(
        &json,
        text.replace("\"Example SME 1\"", "\"Example SME One\""),
    )
    .unwrap();
    let out = cli(
        &db,
        &[
            "import",
            "--dry-run",
            "--on-conflict",
            "replace",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let said = common::stdout(&out);
    assert!(
        said.contains(
            "smes              4  (0 new, 1 replacing stored ones, 3 the same as stored, left out)"
        ),
        "{said}"
    );
    assert!(
        said.contains("would replace:\n  SME 'example-sme-1'"),
        "{said}"
    );
    // Without --on-conflict the import would be refused: the dry run says so.
    let out = cli(&db, &["import", "--dry-run", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(common::stderr(&out).contains("would be refused"));
    assert_eq!(log(&db), before);

    // A dry run on a database that does not exist creates none.
    let missing = dir.path().join("nothing-here");
    let out = cli(
        missing.to_str().unwrap(),
        &["import", "--dry-run", json.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("smes              4  (4 new)"));
    assert!(!missing.exists());
}

fn record_missing(list: &Value, id: &str) -> bool {
    !list.as_array().unwrap().iter().any(|r| r["id"] == id)
}

#[test]
fn an_exported_csv_of_each_kind_imports_back() {
    let (dir, db) = db();
    for kind in [
        "practices",
        "partners",
        "meetings",
        "smes",
        "vouchers",
        "scores",
    ] {
        let file = dir.path().join(format!("{kind}.csv"));
        let path = file.to_str().unwrap();
        let out = cli(
            &db,
            &[
                "export", "--format", "csv", "--kind", kind, "--output", path,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        let before = exported(&db, kind);
        let out = cli(&db, &["import", "--on-conflict", "replace", path]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{kind}: {}",
            common::stderr(&out)
        );
        assert_eq!(
            exported(&db, kind),
            before,
            "{kind} changed on the way back"
        );
    }
}

#[test]
fn csv_from_spreadsheet_programs_semicolons_and_a_byte_order_mark() {
    let (dir, db) = db();
    let file = dir.path().join("SMEs.csv");
    std::fs::write(
        &file,
        "\u{feff}Name;Size;Country;Région\n\
         Žalec Hmelj d.o.o.;Small;SI;Savinjska\n",
    )
    .unwrap();
    let out = cli(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let smes = exported(&db, "smes");
    let s = record(&smes, "zalec-hmelj-d-o-o");
    assert_eq!(s["region"], "Savinjska");

    // A value under no header is refused where it is, not dropped.
    let file = dir.path().join("smes.csv");
    std::fs::write(
        &file,
        "id,name,size,country,,\n\
         s-1,Name,micro,SI,,a note\n",
    )
    .unwrap();
    let out = cli(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = common::stderr(&out);
    assert!(
        err.contains("smes.csv!F2: 'a note' is in a column without a header"),
        "{err}"
    );
}

#[test]
fn an_exported_workbook_imports_back_exactly() {
    let (dir, db) = db();
    let book = dir.path().join("all.xlsx");
    let out = cli(
        &db,
        &[
            "export",
            "--format",
            "xlsx",
            "--output",
            book.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let before = common::stdout(&cli(&db, &["export"]));
    let out = cli(
        &db,
        &["import", "--on-conflict", "replace", book.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let after = common::stdout(&cli(&db, &["export"]));
    assert_eq!(
        before, after,
        "typed cells (dates, times, amounts, rates, yes/no) read back"
    );
}

#[test]
fn a_cell_merged_down_over_rows() {
    let (_dir, db) = db();
    // In .xlsx the merge is known: each row gets the value.
    let out = cli(&db, &["import", &data("merged-down.xlsx")]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let practices = exported(&db, "practices");
    assert_eq!(record(&practices, "gp-m1")["project"], "intra");
    assert_eq!(record(&practices, "gp-m2")["project"], "intra");
    // calamine does not say where .ods cells are merged: the empty cell is refused, with why.
    let (_dir, db) = self::db();
    let out = cli(&db, &["import", &data("merged-down.ods")]);
    assert_eq!(out.status.code(), Some(3));
    let err = common::stderr(&out);
    assert!(
        err.contains("Practices!B3: project: is required: the cell is empty (if it is merged with the cell above"),
        "{err}"
    );
}
