//! The session's own rules bind what is decided in it, whichever way the decision comes: the
//! store's evaluation steps, the command line, or an import.

mod common;

use std::path::Path;

use common::*;
use taskforce::model::*;
use taskforce::store::{CommandError, Store};

fn me() -> String {
    taskforce::sys::current_user()
}

fn dec(v: f64) -> Decimal1 {
    Decimal1::from_f64(v).unwrap()
}

/// The sample with session itf-2: TRAM's two criteria (T eliminatory below 2), a pass mark of
/// 3, two practices, and the user running the tests (a facilitator) and bob as evaluators.
fn store(db: &Path) -> Store {
    let mut records = sample_records();
    let set = records
        .iter()
        .find_map(|r| match r {
            Record::CriteriaSet(s) if s.id.as_str() == "tram" => Some((**s).clone()),
            _ => None,
        })
        .unwrap();
    records.push(
        EvaluationSession {
            id: "itf-2".into(),
            meeting: "sv-maribor".into(),
            title: "Second round".into(),
            state: SessionState::Open,
            criteria_set: "tram".into(),
            criteria: set.criteria.clone(),
            pass_mark: Some(dec(3.0)),
            practices: vec!["gp-vouchers".into(), "gp-east".into()],
            evaluators: vec![me(), "bob".into()],
            max_spread: None,
            consensus: vec![],
        }
        .into(),
    );
    records.push(
        Member {
            id: MemberId::new(me()),
            name: String::new(),
            organisation: String::new(),
            partner: None,
            facilitator: true,
        }
        .into(),
    );
    let store = Store::open(db).unwrap();
    store
        .apply(
            &actor(),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "rules".into(),
            },
        )
        .unwrap();
    store
}

fn step(
    store: &Store,
    evaluate: Evaluate,
    on_behalf_of: Option<&str>,
) -> Result<Committed, CommandError> {
    store.apply(
        &Actor {
            user: me(),
            on_behalf_of: on_behalf_of.map(str::to_string),
        },
        Command::Evaluate(evaluate),
    )
}

fn score(store: &Store, evaluator: &str, practice: &str, criterion: &str, v: i64) {
    let proxy = (evaluator != me()).then_some(evaluator);
    step(
        store,
        Evaluate::Score {
            session: "itf-2".into(),
            practice: practice.into(),
            criterion: criterion.into(),
            mark: Mark::Value(Decimal1::from_units(v)),
            comment: None,
            seen: None,
        },
        proxy,
    )
    .unwrap();
}

fn move_to(
    store: &Store,
    from: SessionState,
    to: SessionState,
    reason: &str,
) -> Result<Committed, CommandError> {
    step(
        store,
        Evaluate::Move {
            session: "itf-2".into(),
            from,
            to,
            reason: reason.into(),
        },
        None,
    )
}

fn decide(
    store: &Store,
    practice: &str,
    decision: Decision,
    value: Option<f64>,
    comment: &str,
) -> Result<Committed, CommandError> {
    step(
        store,
        Evaluate::Decide {
            session: "itf-2".into(),
            practice: practice.into(),
            decision,
            value: value.map(dec),
            comment: comment.into(),
            seen: None,
        },
        None,
    )
}

fn status(store: &Store, practice: &str) -> PracticeStatus {
    match store.get(Kind::Practice, practice).unwrap().unwrap().record {
        Record::Practice(p) => p.status,
        _ => panic!(),
    }
}

#[test]
fn deciding_needs_complete_scores_or_a_reason_and_deferring_is_always_allowed() {
    let (_d, db) = temp_db();
    let store = store(&db);
    score(&store, &me(), "gp-vouchers", "S", 4);
    score(&store, &me(), "gp-vouchers", "T", 4);
    move_to(&store, SessionState::Open, SessionState::Consensus, "").unwrap();
    // bob has not scored: not complete.
    let err = decide(&store, "gp-vouchers", Decision::Validated, None, "").unwrap_err();
    assert!(
        err.to_string().contains("has 1 of 2 complete evaluations"),
        "{err}"
    );
    let err = decide(&store, "gp-vouchers", Decision::Rejected, None, "").unwrap_err();
    assert!(err.to_string().contains("without full scores"), "{err}");
    assert_eq!(status(&store, "gp-vouchers"), PracticeStatus::Evaluated);
    decide(&store, "gp-vouchers", Decision::Deferred, None, "").unwrap();
    decide(
        &store,
        "gp-vouchers",
        Decision::Validated,
        None,
        "bob left before scoring; the room agreed",
    )
    .unwrap();
    assert_eq!(status(&store, "gp-vouchers"), PracticeStatus::Validated);
    drop(store);
    wait_released(&db);
    // The same rule from the command line.
    let out = cli(
        &db,
        &[
            "decide",
            "--session",
            "itf-2",
            "--practice",
            "gp-vouchers",
            "rejected",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("without full scores"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn validating_a_practice_that_fails_its_criteria_needs_the_reason_for_the_override() {
    let (_d, db) = temp_db();
    let store = store(&db);
    // T is eliminatory below 2: both give it 1.
    for e in [me(), "bob".into()] {
        score(&store, &e, "gp-vouchers", "S", 5);
        score(&store, &e, "gp-vouchers", "T", 1);
    }
    move_to(&store, SessionState::Open, SessionState::Consensus, "").unwrap();
    let err = decide(&store, "gp-vouchers", Decision::Validated, None, "").unwrap_err();
    assert!(matches!(err, CommandError::Invalid(_)), "{err}");
    assert!(
        err.to_string()
            .contains("T 1.00 is below its eliminatory threshold 2"),
        "{err}"
    );
    assert!(err.to_string().contains("reason for the override"), "{err}");
    // Rejecting it needs no reason.
    decide(&store, "gp-vouchers", Decision::Rejected, None, "").unwrap();
    assert_eq!(status(&store, "gp-vouchers"), PracticeStatus::Rejected);
    drop(store);
    wait_released(&db);
    // From the command line: refused without a reason, recorded with one.
    let args = [
        "decide",
        "--session",
        "itf-2",
        "--practice",
        "gp-vouchers",
        "validated",
    ];
    let out = cli(&db, &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("eliminatory"), "{}", stderr(&out));
    let mut with = args.to_vec();
    with.extend([
        "--comment",
        "the eliminatory criterion does not apply to national schemes",
    ]);
    let out = cli(&db, &with);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The board and the report say that it was overridden, and why.
    let board = stdout(&cli(
        &db,
        &["board", "--session", "itf-2", "--format", "tsv"],
    ));
    assert!(
        board.lines().next().unwrap().contains("decision\toverride"),
        "{board}"
    );
    assert!(
        board.contains(
            "validated\tvalidated although T 1.00 is below its eliminatory threshold 2: the \
             eliminatory criterion does not apply to national schemes"
        ),
        "{board}"
    );
    let report = stdout(&cli(&db, &["report", "--session", "itf-2"]));
    assert!(
        report.contains(
            "**Override**: validated although T 1.00 is below its eliminatory threshold 2"
        ),
        "{report}"
    );
}

#[test]
fn an_agreed_value_lies_on_the_scale_through_the_cli_and_import_alike() {
    let (_d, db) = temp_db();
    let store = store(&db);
    for e in [me(), "bob".into()] {
        score(&store, &e, "gp-vouchers", "S", 4);
        score(&store, &e, "gp-vouchers", "T", 4);
    }
    move_to(&store, SessionState::Open, SessionState::Consensus, "").unwrap();
    let err = decide(
        &store,
        "gp-vouchers",
        Decision::Validated,
        Some(9.0),
        "it was great",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("9 is outside the criteria's scale, 1 to 5"),
        "{err}"
    );
    drop(store);
    wait_released(&db);
    let out = cli(
        &db,
        &[
            "decide",
            "--session",
            "itf-2",
            "--practice",
            "gp-vouchers",
            "validated",
            "--value",
            "9",
            "--comment",
            "it was great",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the criteria's scale"),
        "{}",
        stderr(&out)
    );
    // An import that replaces the session with such a decision is refused, and writes nothing.
    let out = cli(&db, &["export", "--kind", "sessions"]);
    let mut export: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sessions = export["sessions"].as_array_mut().unwrap();
    let itf2 = sessions.iter_mut().find(|s| s["id"] == "itf-2").unwrap();
    itf2["consensus"] = serde_json::json!([{
        "practice": "gp-vouchers", "value": 9, "comment": "it was great", "decision": "validated"
    }]);
    let file = db.parent().unwrap().join("session.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let out = cli(
        &db,
        &["import", file.to_str().unwrap(), "--on-conflict", "replace"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the criteria's scale"),
        "{}",
        stderr(&out)
    );
    // Nor, on import, a validation without the scores it needs.
    itf2_without_scores(&db, &file);
}

fn itf2_without_scores(db: &Path, file: &Path) {
    let out = cli(db, &["export", "--kind", "sessions"]);
    let mut export: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sessions = export["sessions"].as_array_mut().unwrap();
    let itf2 = sessions.iter_mut().find(|s| s["id"] == "itf-2").unwrap();
    itf2["consensus"] = serde_json::json!([{ "practice": "gp-east", "decision": "validated" }]);
    std::fs::write(file, export.to_string()).unwrap();
    let out = cli(
        db,
        &["import", file.to_str().unwrap(), "--on-conflict", "replace"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("without full scores"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn moving_to_consensus_marks_the_scored_practices_evaluated_and_undo_puts_them_back() {
    let (_d, db) = temp_db();
    let store = store(&db);
    score(&store, &me(), "gp-vouchers", "S", 4);
    assert_eq!(status(&store, "gp-vouchers"), PracticeStatus::Presented);
    let moved = move_to(&store, SessionState::Open, SessionState::Consensus, "").unwrap();
    assert_eq!(status(&store, "gp-vouchers"), PracticeStatus::Evaluated);
    // gp-east has no score: it stays as it was.
    assert_eq!(status(&store, "gp-east"), PracticeStatus::Identified);
    let Record::Practice(p) = store
        .get(Kind::Practice, "gp-vouchers")
        .unwrap()
        .unwrap()
        .record
    else {
        panic!()
    };
    let entry = p.history.last().unwrap();
    assert_eq!(entry.session.as_ref().map(|s| s.as_str()), Some("itf-2"));
    assert_eq!(entry.by, me());
    store
        .apply(&Actor::user(me()), Command::Undo { seq: moved.seq })
        .unwrap();
    assert_eq!(status(&store, "gp-vouchers"), PracticeStatus::Presented);
}

#[test]
fn closing_with_undecided_practices_needs_a_reason_which_the_log_keeps() {
    let (_d, db) = temp_db();
    let store = store(&db);
    move_to(&store, SessionState::Open, SessionState::Consensus, "").unwrap();
    let err = move_to(&store, SessionState::Consensus, SessionState::Closed, "").unwrap_err();
    assert!(
        err.to_string()
            .contains("2 practice(s) are undecided or not fully scored (gp-vouchers, gp-east)"),
        "{err}"
    );
    drop(store);
    wait_released(&db);
    let out = cli(&db, &["session", "itf-2", "close"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = cli(
        &db,
        &[
            "session",
            "itf-2",
            "close",
            "--force",
            "time ran out; next meeting",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = cli(&db, &["log", "--limit", "1"]);
    assert!(
        stdout(&out).contains("time ran out; next meeting"),
        "{}",
        stdout(&out)
    );
}
