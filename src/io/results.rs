//! Evaluation results out: the board (table, TSV, CSV, JSON), every individual score (CSV) and
//! the evaluation report of a session (Markdown; the document itself is built in `papers`).

use crate::model::*;
use crate::scoring::Board;

/// A board statistic as every board shows it: two decimal places (4.125 → "4.12"). The
/// workbench's board uses it too, so the two never disagree.
pub fn two_places(v: f64) -> String {
    format!("{v:.2}")
}

/// A statistic with two decimals, or nothing when there is none.
pub(crate) fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, two_places)
}

fn decision(p: &crate::scoring::PracticeResult) -> String {
    p.consensus
        .as_ref()
        .and_then(|c| c.decision)
        .map_or_else(String::new, |d| d.key().to_string())
}

/// The board's header line and one row per practice, for `table` and `tsv`.
fn board_rows(board: &Board) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "rank", "practice", "scored", "mean", "median", "min", "max", "sd", "disagree", "verdict",
        "final", "decision", "override", "title",
    ];
    let rows = board
        .practices
        .iter()
        .map(|p| {
            vec![
                p.rank.map_or("-".into(), |r| r.to_string()),
                p.practice.to_string(),
                format!("{}/{}", p.complete, p.expected),
                num(p.stats.mean),
                num(p.stats.median),
                num(p.stats.min),
                num(p.stats.max),
                num(p.stats.std_dev),
                if p.disagreement {
                    "yes".into()
                } else {
                    "no".into()
                },
                p.verdict.to_string(),
                num(p.final_value),
                decision(p),
                text::sanitize(&p.overridden().unwrap_or_default(), false),
                text::sanitize(&p.title, false),
            ]
        })
        .collect();
    (header, rows)
}

pub fn board_table(board: &Board) -> String {
    let (header, rows) = board_rows(board);
    let mut out = format!(
        "{} — {} ({}), {}/{} practices complete\n",
        board.session,
        text::sanitize(&board.title, false),
        board.state,
        board.complete_practices,
        board.practices.len()
    );
    let head: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    let all: Vec<Vec<String>> = std::iter::once(head).chain(rows).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            all.iter()
                .map(|r| unicode_width::UnicodeWidthStr::width(r[i].as_str()).min(40))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &all {
        let last = row.len() - 1;
        for (i, cell) in row.iter().enumerate() {
            let cell = super::listing::truncate(cell, 40);
            out.push_str(&cell);
            if i < last {
                out.push_str(
                    &" ".repeat(
                        widths[i] - unicode_width::UnicodeWidthStr::width(cell.as_str()) + 2,
                    ),
                );
            }
        }
        out.push('\n');
    }
    out
}

pub fn board_tsv(board: &Board) -> String {
    let (header, rows) = board_rows(board);
    let mut out = header.join("\t");
    out.push('\n');
    for r in rows {
        out.push_str(&r.join("\t"));
        out.push('\n');
    }
    out
}

pub fn board_json(board: &Board) -> String {
    let mut out = serde_json::to_string_pretty(board).expect("boards serialise");
    out.push('\n');
    out
}

/// The names of the disagreement rules, for people.
fn disagreements(
    flags: &[crate::scoring::Disagreement],
    which: crate::scoring::Disagreement,
) -> &'static str {
    if flags.contains(&which) { "yes" } else { "" }
}

/// One session's board as CSV: a row per practice and criterion with its statistics, then the
/// practice's overall row with the verdict, the final value and the decision.
pub fn board_csv(b: &Board) -> Result<String, String> {
    use crate::scoring::Disagreement;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "session",
        "rank",
        "practice",
        "title",
        "criterion",
        "weight",
        "scores",
        "abstentions",
        "mean",
        "median",
        "min",
        "max",
        "standard deviation",
        "disagreement (spread)",
        "disagreement (RAND/UCLA)",
        "verdict",
        "final value",
        "decision",
        "override",
        "comments",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    for p in &b.practices {
        let rank = p.rank.map_or(String::new(), |r| r.to_string());
        for c in &p.criteria {
            let comments: Vec<String> = c
                .comments
                .iter()
                .map(|(who, text)| format!("{who}: {text}"))
                .collect();
            w.write_record([
                b.session.to_string(),
                rank.clone(),
                p.practice.to_string(),
                p.title.clone(),
                c.code.clone(),
                format!("{:.3}", c.weight),
                c.stats.n.to_string(),
                c.abstained.to_string(),
                num(c.stats.mean),
                num(c.stats.median),
                num(c.stats.min),
                num(c.stats.max),
                num(c.stats.std_dev),
                disagreements(&c.disagreement, Disagreement::Spread).into(),
                disagreements(&c.disagreement, Disagreement::RandUcla).into(),
                c.passes.map_or(
                    String::new(),
                    |p| if p { "pass".into() } else { "fail".into() },
                ),
                String::new(),
                String::new(),
                String::new(),
                comments.join(" | "),
            ])
            .map_err(|e| e.to_string())?;
        }
        // The overall row's comments: the consensus comment, then the comments on the
        // practice as a whole.
        let consensus = p
            .consensus
            .as_ref()
            .map(|c| c.comment.clone())
            .filter(|c| !c.trim().is_empty())
            .map(|c| format!("consensus: {c}"))
            .into_iter()
            .chain(
                p.comments
                    .iter()
                    .map(|(who, text)| format!("{who}: {text}")),
            )
            .collect::<Vec<_>>()
            .join(" | ");
        let flagged = |which: Disagreement| {
            let codes: Vec<&str> = p
                .criteria
                .iter()
                .filter(|c| c.disagreement.contains(&which))
                .map(|c| c.code.as_str())
                .collect();
            codes.join(" ")
        };
        w.write_record([
            b.session.to_string(),
            rank,
            p.practice.to_string(),
            p.title.clone(),
            "overall".into(),
            "1.000".into(),
            p.stats.n.to_string(),
            p.abstaining.len().to_string(),
            num(p.stats.mean),
            num(p.stats.median),
            num(p.stats.min),
            num(p.stats.max),
            num(p.stats.std_dev),
            flagged(Disagreement::Spread),
            flagged(Disagreement::RandUcla),
            p.verdict.to_string(),
            num(p.final_value),
            decision(p),
            p.overridden().unwrap_or_default(),
            consensus,
        ])
        .map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// Every individual score as CSV, a row each: who gave what to which criterion of which
/// practice in which session, who typed it in, the abstention's reason, the comment and when.
/// A comment on a practice as a whole has the criterion "(the practice)".
pub fn scores_csv(replica: &Replica) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "session",
        "practice",
        "evaluator",
        "entered by",
        "criterion",
        "value",
        "abstained (reason)",
        "comment",
        "time",
    ])
    .map_err(|e| e.to_string())?;
    for row in replica.rows(Kind::Score) {
        let Record::Score(s) = &row.record else {
            continue;
        };
        w.write_record([
            s.session.to_string(),
            s.practice.to_string(),
            s.evaluator.clone(),
            s.entered_by.clone(),
            if s.is_practice_comment() {
                "(the practice)".to_string()
            } else {
                s.criterion.clone()
            },
            s.value.map_or(String::new(), |v| v.to_string()),
            s.abstain_reason.clone(),
            s.comment.clone(),
            s.at.to_string(),
        ])
        .map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// The evaluation report of one session as Markdown (see [`super::papers::evaluation`]).
pub fn report_md(replica: &Replica, session: &EvaluationSession) -> String {
    super::papers::evaluation(replica, session).markdown()
}
