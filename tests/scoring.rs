//! The board's arithmetic and the session's rules.

mod common;

use std::collections::HashMap;

use proptest::prelude::*;
use taskforce::model::*;
use taskforce::scoring::{self, Disagreement, Mark, Verdict, board};

fn criterion(code: &str, weight: i64, min: i64, max: i64) -> Criterion {
    Criterion {
        code: code.into(),
        label: code.into(),
        description: String::new(),
        weight: Percent::from_units(weight),
        scale: Scale {
            min: Decimal1::from_units(min),
            max: Decimal1::from_units(max),
            step: Decimal1(1),
            points: vec![],
        },
        pass_threshold: None,
        eliminatory: false,
    }
}

fn session(criteria: Vec<Criterion>, evaluators: usize, practices: usize) -> EvaluationSession {
    EvaluationSession {
        id: SessionId::new("s"),
        meeting: MeetingId::new("m"),
        title: "S".into(),
        state: SessionState::Open,
        criteria_set: CriteriaSetId::new("c"),
        criteria,
        pass_mark: None,
        practices: (0..practices)
            .map(|i| PracticeId::new(format!("p{i}")))
            .collect(),
        evaluators: (0..evaluators).map(|i| format!("e{i}")).collect(),
        max_spread: None,
        consensus: vec![],
    }
}

fn scores(session: &EvaluationSession, grid: &[(usize, usize, usize, Option<i64>)]) -> Vec<Score> {
    grid.iter()
        .map(|(p, e, c, v)| {
            let mark = match v {
                Some(v) => Mark::Value(Decimal1::from_units(*v)),
                None => Mark::Abstain("conflict of interest".into()),
            };
            scoring::score(
                session,
                &session.practices[*p],
                &session.evaluators[*e],
                &session.criteria[*c].code,
                mark,
                "",
                Timestamp::now(),
            )
        })
        .collect()
}

fn compute(session: &EvaluationSession, scores: &[Score]) -> scoring::Board {
    board::compute(session, &HashMap::new(), scores.iter())
}

proptest! {
    /// The weighted mean lies within min..max, abstentions never count, and weights are
    /// normalised (scaling every weight changes nothing).
    #[test]
    fn aggregates_hold_their_properties(
        weights in proptest::collection::vec(1i64..10, 1..5),
        values in proptest::collection::vec(proptest::option::weighted(0.8, 1i64..=9), 1..60),
        scale in 1i64..5,
    ) {
        let criteria: Vec<Criterion> = weights.iter().enumerate().map(|(i, w)| criterion(&format!("c{i}"), *w, 1, 9)).collect();
        let s = session(criteria.clone(), 6, 1);
        let grid: Vec<(usize, usize, usize, Option<i64>)> = values.iter().enumerate()
            .map(|(i, v)| (0, i % 6, (i / 6) % criteria.len(), *v)).collect();
        // Later duplicates of a cell replace earlier ones, as in the store.
        let mut cells: HashMap<(usize, usize), Option<i64>> = HashMap::new();
        for (_, e, c, v) in &grid { cells.insert((*e, *c), *v); }
        let board = compute(&s, &scores(&s, &grid));
        let p = &board.practices[0];
        if let (Some(mean), Some(min), Some(max)) = (p.stats.mean, p.stats.min, p.stats.max) {
            prop_assert!(min - 1e-9 <= mean && mean <= max + 1e-9);
        }
        for (ci, c) in p.criteria.iter().enumerate() {
            let present: Vec<f64> = cells.iter().filter(|((_, cc), v)| *cc == ci && v.is_some()).map(|(_, v)| v.unwrap() as f64).collect();
            let abstained = cells.iter().filter(|((_, cc), v)| *cc == ci && v.is_none()).count();
            prop_assert_eq!(c.stats.n, present.len());
            prop_assert_eq!(c.abstained, abstained);
            if !present.is_empty() {
                let mean = present.iter().sum::<f64>() / present.len() as f64;
                prop_assert!((c.stats.mean.unwrap() - mean).abs() < 1e-9);
            }
        }
        let total_weight: f64 = p.criteria.iter().map(|c| c.weight).sum();
        prop_assert!((total_weight - 1.0).abs() < 1e-9);
        let scaled: Vec<Criterion> = criteria.iter().map(|c| Criterion { weight: Percent(c.weight.0 * scale), ..c.clone() }).collect();
        let s2 = session(scaled, 6, 1);
        let board2 = compute(&s2, &scores(&s2, &grid));
        prop_assert_eq!(board2.practices[0].stats.mean.map(|m| (m * 1e9).round()), p.stats.mean.map(|m| (m * 1e9).round()));
    }
}

#[test]
fn disagreement_rules_on_hand_checked_cases() {
    // 1–9 panel of six: two low (1, 2), two middle, two high (8, 9): a third in each extreme
    // third → RAND/UCLA disagreement; spread 8 > 30 % of 8 → spread too.
    let s = session(vec![criterion("c", 1, 1, 9)], 6, 1);
    let b = compute(
        &s,
        &scores(
            &s,
            &[
                (0, 0, 0, Some(1)),
                (0, 1, 0, Some(2)),
                (0, 2, 0, Some(5)),
                (0, 3, 0, Some(5)),
                (0, 4, 0, Some(8)),
                (0, 5, 0, Some(9)),
            ],
        ),
    );
    assert_eq!(
        b.practices[0].criteria[0].disagreement,
        vec![Disagreement::Spread, Disagreement::RandUcla]
    );
    // One low, four high: spread but fewer than a third low → no RAND/UCLA.
    let b = compute(
        &s,
        &scores(
            &s,
            &[
                (0, 0, 0, Some(1)),
                (0, 1, 0, Some(8)),
                (0, 2, 0, Some(8)),
                (0, 3, 0, Some(9)),
                (0, 4, 0, Some(9)),
                (0, 5, 0, Some(7)),
            ],
        ),
    );
    assert_eq!(
        b.practices[0].criteria[0].disagreement,
        vec![Disagreement::Spread]
    );
    // 4 and 6 on 1–9: spread 2 ≤ 2.4 → agreement.
    let b = compute(&s, &scores(&s, &[(0, 0, 0, Some(4)), (0, 1, 0, Some(6))]));
    assert!(b.practices[0].criteria[0].disagreement.is_empty());
    assert!(!b.practices[0].disagreement);
    // The session's own spread rule: more than 1 apart is disagreement.
    let mut tight = s.clone();
    tight.max_spread = Some(Decimal1::from_units(1));
    let b = compute(
        &tight,
        &scores(&tight, &[(0, 0, 0, Some(4)), (0, 1, 0, Some(6))]),
    );
    assert_eq!(
        b.practices[0].criteria[0].disagreement,
        vec![Disagreement::Spread]
    );
}

#[test]
fn edge_cases_no_scores_all_abstained_one_evaluator_removed_practice() {
    let s = session(vec![criterion("a", 1, 1, 5), criterion("b", 3, 1, 5)], 3, 2);
    let b = compute(&s, &[]);
    assert!(
        b.practices
            .iter()
            .all(|p| p.verdict == Verdict::Pending && p.rank.is_none() && p.stats.n == 0)
    );
    // All abstained: nothing averages, the abstainers are named.
    let b = compute(
        &s,
        &scores(
            &s,
            &[
                (0, 0, 0, None),
                (0, 0, 1, None),
                (0, 1, 0, None),
                (0, 1, 1, None),
            ],
        ),
    );
    assert_eq!(b.practices[0].stats.mean, None);
    assert_eq!(
        b.practices[0].abstaining,
        vec!["e0".to_string(), "e1".to_string()]
    );
    assert_eq!(b.practices[0].criteria[0].abstained, 2);
    // One evaluator: weights 1 and 3 → (2·1 + 4·3) / 4 = 3.5.
    let b = compute(&s, &scores(&s, &[(1, 2, 0, Some(2)), (1, 2, 1, Some(4))]));
    assert_eq!(b.practices[1].stats.mean, Some(3.5));
    assert_eq!((b.practices[1].complete, b.practices[1].expected), (1, 3));
    assert_eq!(b.practices[1].rank, Some(1));
    // A practice removed from the session drops off the board with its scores.
    let mut fewer = s.clone();
    fewer.practices.remove(0);
    let b = compute(
        &fewer,
        &scores(&s, &[(0, 0, 0, Some(5)), (1, 0, 0, Some(1))]),
    );
    assert_eq!(b.practices.len(), 1);
    assert_eq!(b.practices[0].stats.mean, Some(1.0));
}

#[test]
fn thresholds_and_eliminatory_criteria_decide_the_verdict() {
    let mut elim = criterion("t", 1, 1, 5);
    elim.pass_threshold = Some(Decimal1::from_units(3));
    elim.eliminatory = true;
    let mut s = session(vec![criterion("a", 1, 1, 5), elim], 1, 1);
    s.pass_mark = Some(Decimal1::from_units(3));
    let b = compute(&s, &scores(&s, &[(0, 0, 0, Some(5)), (0, 0, 1, Some(2))]));
    let Verdict::Fail(reasons) = &b.practices[0].verdict else {
        panic!("{:?}", b.practices[0].verdict)
    };
    assert_eq!(
        reasons,
        &vec!["t 2.00 is below its eliminatory threshold 3".to_string()]
    );
    let b = compute(&s, &scores(&s, &[(0, 0, 0, Some(1)), (0, 0, 1, Some(4))]));
    assert_eq!(
        b.practices[0].verdict,
        Verdict::Fail(vec!["2.50 is below the pass mark 3.00".into()])
    );
    let b = compute(&s, &scores(&s, &[(0, 0, 0, Some(3)), (0, 0, 1, Some(3))]));
    assert_eq!(b.practices[0].verdict, Verdict::Pass);
}

#[test]
fn ranks_share_ties_and_consensus_overrides_the_mean() {
    let mut s = session(vec![criterion("a", 1, 1, 5)], 1, 3);
    let grid = [(0, 0, 0, Some(4)), (1, 0, 0, Some(4)), (2, 0, 0, Some(2))];
    let b = compute(&s, &scores(&s, &grid));
    assert_eq!(
        b.practices.iter().map(|p| p.rank).collect::<Vec<_>>(),
        vec![Some(1), Some(1), Some(3)]
    );
    s.consensus.push(ConsensusEntry {
        practice: PracticeId::new("p2"),
        value: Some(Decimal1::from_units(5)),
        comment: "site visit settled it".into(),
        decision: Some(Decision::Validated),
        by: "f".into(),
        at: None,
    });
    let b = compute(&s, &scores(&s, &grid));
    assert_eq!(b.practices[2].final_value, Some(5.0));
    assert_eq!(b.practices[2].rank, Some(1));
}

#[test]
fn verdicts_say_only_what_the_set_says_and_ranks_put_complete_and_passing_first() {
    // No pass mark and no thresholds: only the ranking.
    let s = session(vec![criterion("a", 1, 1, 5)], 2, 1);
    let b = compute(&s, &scores(&s, &[(0, 0, 0, Some(2)), (0, 1, 0, Some(3))]));
    assert_eq!(b.practices[0].verdict, Verdict::Unjudged);
    assert_eq!(b.practices[0].rank, Some(1));
    // With a pass mark: an incomplete practice has no verdict, and ranks below the complete
    // ones, which rank passing before failing whatever their values.
    let mut elim = criterion("t", 1, 1, 5);
    elim.pass_threshold = Some(Decimal1::from_units(3));
    elim.eliminatory = true;
    let mut s = session(vec![criterion("a", 1, 1, 5), elim], 2, 3);
    s.pass_mark = Some(Decimal1::from_units(3));
    let grid = [
        // p0: complete, high mean, but fails the eliminatory criterion.
        (0, 0, 0, Some(5)),
        (0, 0, 1, Some(2)),
        (0, 1, 0, Some(5)),
        (0, 1, 1, Some(2)),
        // p1: complete and passing, lower mean.
        (1, 0, 0, Some(3)),
        (1, 0, 1, Some(3)),
        (1, 1, 0, Some(3)),
        (1, 1, 1, Some(3)),
        // p2: the highest value, but one evaluator has not scored.
        (2, 0, 0, Some(5)),
        (2, 0, 1, Some(5)),
    ];
    let b = compute(&s, &scores(&s, &grid));
    let verdicts: Vec<&Verdict> = b.practices.iter().map(|p| &p.verdict).collect();
    assert!(verdicts[0].fails());
    assert_eq!(verdicts[1], &Verdict::Pass);
    assert_eq!(verdicts[2], &Verdict::Pending);
    assert_eq!(
        b.practices.iter().map(|p| p.rank).collect::<Vec<_>>(),
        vec![Some(2), Some(1), Some(3)]
    );
}

#[test]
fn sessions_move_in_order_and_freeze_their_criteria() {
    let s = EvaluationSession {
        state: SessionState::Draft,
        criteria: vec![],
        ..session(vec![], 1, 1)
    };
    let set = CriteriaSet {
        id: CriteriaSetId::new("c"),
        name: "C".into(),
        description: String::new(),
        criteria: vec![criterion("a", 1, 1, 5)],
        pass_mark: Some(Decimal1::from_units(3)),
    };
    assert!(scoring::move_session(&s, SessionState::Closed, Some(&set)).is_err());
    let open = scoring::move_session(&s, SessionState::Open, Some(&set)).unwrap();
    assert_eq!(
        (open.criteria.clone(), open.pass_mark),
        (set.criteria.clone(), set.pass_mark)
    );
    let consensus = scoring::move_session(&open, SessionState::Consensus, None).unwrap();
    let closed = scoring::move_session(&consensus, SessionState::Closed, None).unwrap();
    assert!(scoring::move_session(&closed, SessionState::Open, None).is_err());
}

#[test]
fn the_command_line_scores_shows_the_board_and_exports_for_the_minutes() {
    let (_d, db) = common::temp_db();
    let db = db.to_str().unwrap();
    let out = common::taskforce(&["--db", db, "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let me = taskforce::sys::current_user();
    let s = "example-session";
    for (criterion, value) in [
        ("sustainability", "2"),
        ("transferability", "3"),
        ("effectiveness", "4"),
        ("innovation", "5"),
    ] {
        let out = common::taskforce(&[
            "--db",
            db,
            "score",
            "--session",
            s,
            "--practice",
            "example-gp-4",
            "--criterion",
            criterion,
            value,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    }
    let board = common::stdout(&common::taskforce(&[
        "--db",
        db,
        "board",
        "--session",
        s,
        "--format",
        "tsv",
    ]));
    let row = board.lines().find(|l| l.contains("example-gp-4")).unwrap();
    let cells: Vec<&str> = row.split('\t').collect();
    assert_eq!((cells[2], cells[3]), ("1/4", "3.50"), "{board}");
    // The board with its statistics as CSV, with column names a reader understands.
    let csv = common::stdout(&common::taskforce(&[
        "--db",
        db,
        "board",
        "--session",
        s,
        "--format",
        "csv",
    ]));
    assert!(
        csv.lines().next().unwrap().contains(
            "standard deviation,disagreement (spread),disagreement (RAND/UCLA),verdict,final value,decision,override"
        ),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.contains("example-gp-4") && l.contains(",overall,") && l.contains(",3.50,")),
        "{csv}"
    );
    // Every individual score, a row each.
    let csv = common::stdout(&common::taskforce(&[
        "--db", db, "export", "--kind", "scores", "--format", "csv",
    ]));
    assert_eq!(
        csv.lines().next().unwrap(),
        "session,practice,evaluator,entered by,criterion,value,abstained (reason),comment,time"
    );
    let mine: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains(&format!("example-gp-4,{me},")))
        .collect();
    assert_eq!(mine.len(), 4, "{csv}");
    assert!(mine.iter().any(|l| l.contains(",innovation,5,")), "{csv}");
    // The session's evaluation report.
    let report = common::stdout(&common::taskforce(&["--db", db, "report", "--session", s]));
    assert!(report.starts_with("# Evaluation report: "), "{report}");
    for part in [
        "## Criteria",
        "## Results",
        "Example: regional export training programme",
        "| innovation |",
    ] {
        assert!(report.contains(part), "{part}: {report}");
    }
    assert!(
        report.contains(&format!("| {me} | 2 | 3 | 4 | 5 |")),
        "the user's scores in the practice's card: {report}"
    );
    // Values off the scale are refused with the scale; someone else's score needs a facilitator.
    let out = common::taskforce(&[
        "--db",
        db,
        "score",
        "--session",
        s,
        "--practice",
        "example-gp-4",
        "--criterion",
        "innovation",
        "6",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        common::stderr(&out).contains("6 is outside the scale of innovation, 1 to 5"),
        "{}",
        common::stderr(&out)
    );
    let out = common::taskforce(&[
        "--db",
        db,
        "score",
        "--session",
        s,
        "--practice",
        "example-gp-4",
        "--criterion",
        "innovation",
        "1",
        "--on-behalf-of",
        "example-evaluator-2",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the creator is the facilitator: {}",
        common::stderr(&out)
    );
    let log = common::stdout(&common::taskforce(&["--db", db, "log", "--limit", "1"]));
    assert!(
        log.contains(&format!("{me} for example-evaluator-2")),
        "{log}"
    );
}

#[test]
fn an_evaluator_comments_on_a_practice_as_a_whole_from_the_command_line() {
    let (_d, db) = common::temp_db();
    let db = db.to_str().unwrap();
    let out = common::taskforce(&["--db", db, "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let me = taskforce::sys::current_user();
    let s = "example-session";
    let p = "example-gp-4";
    let score = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            db,
            "score",
            "--session",
            s,
            "--practice",
            p,
            "--criterion",
            "*",
        ];
        args.extend_from_slice(extra);
        common::taskforce(&args)
    };
    // A value, or no comment, is refused and nothing is stored.
    let out = score(&["4", "--comment", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(common::stderr(&out).contains("criterion '*' is a comment on the practice"));
    let out = score(&[]);
    assert_eq!(out.status.code(), Some(3), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("comment"),
        "{}",
        common::stderr(&out)
    );
    let out = score(&["--comment", "Ready to transfer; the fund exists"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let board = common::stdout(&common::taskforce(&[
        "--db",
        db,
        "board",
        "--session",
        s,
        "--format",
        "json",
    ]));
    let board: serde_json::Value = serde_json::from_str(&board).unwrap();
    let row = board["practices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["practice"] == p)
        .unwrap();
    assert_eq!(
        row["comments"],
        serde_json::json!([[me, "Ready to transfer; the fund exists"]]),
        "{row}"
    );
    let csv = common::stdout(&common::taskforce(&[
        "--db",
        db,
        "board",
        "--session",
        s,
        "--format",
        "csv",
    ]));
    assert!(
        csv.lines().any(|l| l.contains(p)
            && l.contains(",overall,")
            && l.contains(&format!("{me}: Ready to transfer; the fund exists"))),
        "{csv}"
    );
    let csv = common::stdout(&common::taskforce(&[
        "--db", db, "export", "--kind", "scores", "--format", "csv",
    ]));
    assert!(
        csv.lines().any(|l| l.contains(&format!(
            "{p},{me},,(the practice),,,Ready to transfer; the fund exists,"
        ))),
        "{csv}"
    );
    let md = common::stdout(&common::taskforce(&[
        "--db", db, "export", "--kind", "scores", "--format", "md",
    ]));
    assert!(
        md.contains(&format!(
            "- on the practice ({me}): Ready to transfer; the fund exists"
        )),
        "{md}"
    );
}
