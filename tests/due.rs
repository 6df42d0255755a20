//! `taskforce due` on the bundled records with a fixed today: what is overdue and upcoming, the
//! formats, and the exit code a cron job relies on (0 nothing overdue, 6 something is).

mod common;

use serde_json::{Value, json};

fn cli(db: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    common::taskforce(&all)
}

#[test]
fn due_lists_overdue_and_upcoming_with_its_exit_code() {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap();
    assert_eq!(cli(db, &["init"]).status.code(), Some(0));
    // Nothing is due around the start of 2019 in the fixtures.
    let out = cli(db, &["due", "--today", "2019-01-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert_eq!(common::stdout(&out), "nothing is overdue or due soon\n");
    // The example approved voucher's claim is due at the end of its contract (30 Sep 2019).
    let out = cli(db, &["due", "--today", "2019-09-15", "--format", "tsv"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert_eq!(
        common::stdout(&out).lines().collect::<Vec<_>>(),
        [
            "state\tdue\tdays\twhat\tid\towner\ttitle",
            "upcoming\t2019-09-30\t15\tvoucher claim\texample-v3\tExample SME 2\tclaim for Example: \
             joint presentation of Slovenian economy at an example trade fair",
        ]
    );
    let out = cli(db, &["due", "--today", "2019-09-15", "--within", "7"]);
    assert_eq!(common::stdout(&out), "nothing is overdue or due soon\n");
    // A follow-up with a due date and an unsubmitted semester report, added by an import.
    let exported: Value = serde_json::from_str(&common::stdout(&cli(db, &["export"]))).unwrap();
    let mut meeting = exported["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "intra-rsg-coventry")
        .unwrap()
        .clone();
    meeting["follow_ups"][2]["due"] = json!("2019-10-01");
    meeting["follow_ups"][2]["owner"] = json!("SL");
    let mut plan = exported["action_plans"][0].clone();
    assert_eq!(plan["id"], "ap-si-intra");
    plan["reports"] = json!([{
        "period_start": "2019-04-01", "period_end": "2019-09-30", "due": "2019-12-30"
    }]);
    let file = dir.path().join("changes.json");
    std::fs::write(
        &file,
        json!({"meetings": [meeting], "action_plans": [plan]}).to_string(),
    )
    .unwrap();
    let out = cli(
        db,
        &["import", file.to_str().unwrap(), "--on-conflict", "replace"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let out = cli(
        db,
        &[
            "due",
            "--today",
            "2019-10-15",
            "--format",
            "json",
            "--within",
            "90",
        ],
    );
    assert_eq!(out.status.code(), Some(6), "{}", common::stderr(&out));
    assert!(common::stderr(&out).contains("2 overdue as of 2019-10-15"));
    let items: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let summary: Vec<(String, String, String, i64)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["state"].as_str().unwrap().to_string(),
                i["what"].as_str().unwrap().to_string(),
                i["id"].as_str().unwrap().to_string(),
                i["days"].as_i64().unwrap(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str, d: i64| (a.to_string(), b.to_string(), c.to_string(), d);
    assert_eq!(
        summary,
        [
            s("overdue", "voucher claim", "example-v3", -15),
            s("overdue", "follow-up", "intra-rsg-coventry", -14),
            s("upcoming", "monitoring report", "ap-si-intra", 76),
        ]
    );
    assert_eq!(items[1]["owner"], "SL");
    // The table for people.
    let out = cli(db, &["due", "--today", "2019-10-15", "--within", "90"]);
    assert_eq!(out.status.code(), Some(6));
    let table = common::stdout(&out);
    assert!(
        table.starts_with("STATE     DUE         DAYS  WHAT"),
        "{table}"
    );
    assert!(table.contains("Maribor Development Agency"), "{table}");
    // A bad date is a usage error.
    assert_eq!(
        cli(db, &["due", "--today", "15/10/2019"]).status.code(),
        Some(2)
    );
}

/// A deadline known only as a month is due by the month's last day: upcoming inside the month,
/// overdue after it, and never overdue by accident on its first day.
#[test]
fn an_approximate_deadline_is_overdue_only_once_it_has_certainly_passed() {
    let (dir, db) = common::temp_db();
    let mut sample: Value = serde_json::from_str(common::SAMPLE).unwrap();
    let meeting = sample["meetings"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|m| m["id"] == "sv-maribor")
        .unwrap();
    meeting["follow_ups"] =
        json!([{ "action": "Send the study-visit report", "owner": "MRA", "due": "2020-01" }]);
    // The sample's own semester report is sent, so that the exit code speaks of this deadline.
    sample["action_plans"][0]["reports"][0]["submitted_on"] = json!("2019-12-20");
    let file = dir.path().join("sample.json");
    std::fs::write(&file, sample.to_string()).unwrap();
    let db = db.to_str().unwrap();
    let out = cli(db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    for (today, state, days) in [
        ("2020-01-01", "upcoming", "30"),
        ("2020-01-31", "upcoming", "0"),
        ("2020-02-01", "overdue", "-1"),
    ] {
        let out = cli(db, &["due", "--today", today, "--format", "tsv"]);
        let lines: Vec<String> = common::stdout(&out).lines().map(String::from).collect();
        let row = lines
            .iter()
            .find(|l| l.contains("Send the study-visit report"))
            .unwrap_or_else(|| panic!("{today}: {lines:?}"));
        let cells: Vec<&str> = row.split('\t').collect();
        assert_eq!(cells[..3], [state, "2020-01", days], "{today}: {row}");
        assert_eq!(
            out.status.code(),
            Some(if state == "overdue" { 6 } else { 0 }),
            "{today}"
        );
    }
    // An exact day is not accepted for --today as a month.
    let out = cli(db, &["due", "--today", "2020-01"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
}
