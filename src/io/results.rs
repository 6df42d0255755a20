//! Evaluation results out: the board (table, TSV, CSV, JSON), every individual score (CSV), the
//! results for the minutes and the evaluation report of a session (Markdown), and the handbook
//! of validated practices.

use std::fmt::Write as _;

use crate::model::*;
use crate::scoring::{Board, Verdict};

/// A board statistic as every board shows it: two decimal places (4.125 → "4.12"). The
/// workbench's board uses it too, so the two never disagree.
pub fn two_places(v: f64) -> String {
    format!("{v:.2}")
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, two_places)
}

fn verdict(v: &Verdict) -> String {
    match v {
        Verdict::Pending => "pending".into(),
        Verdict::Unjudged => "no pass mark".into(),
        Verdict::Pass => "pass".into(),
        Verdict::Fail(reasons) => format!("fail: {}", reasons.join("; ")),
    }
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
                verdict(&p.verdict),
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
            verdict(&p.verdict),
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

/// The evaluation report of one session, for the minutes and the programme: the session and
/// its criteria, the results table, then each practice's card with every evaluator's scores,
/// the statistics and disagreements, the comments, and the consensus and decision with their
/// reasons (an override said as such).
pub fn report_md(replica: &Replica, session: &EvaluationSession) -> String {
    let mut board = crate::scoring::board_of(replica, session);
    board.sort(crate::scoring::SortBy::Rank);
    let mut out = format!("# Evaluation report: {}\n\n", md(&session.title));
    if let Some(Record::Meeting(m)) = replica.record(Kind::Meeting, session.meeting.as_str()) {
        let place = [m.city.as_str(), m.country.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "- Meeting: {}, {}{}",
            md(&m.title),
            m.start,
            if place.is_empty() {
                String::new()
            } else {
                format!(", {}", md(&place))
            }
        );
    }
    let _ = writeln!(out, "- Session: {} ({})", session.id, session.state);
    let _ = writeln!(out, "- Evaluators: {}", md(&session.evaluators.join(", ")));
    let _ = writeln!(
        out,
        "- Pass mark: {}",
        session
            .pass_mark
            .map_or("none (the ranking only)".to_string(), |m| m.to_string())
    );
    let _ = writeln!(
        out,
        "- {} of {} practices have every score in.\n",
        board.complete_practices,
        board.practices.len()
    );
    out.push_str("## Criteria\n\n| Criterion | Weight | Scale | Threshold |\n|---|---:|---|---|\n");
    let weights: f64 = session.criteria.iter().map(|c| c.weight.as_f64()).sum();
    for c in &session.criteria {
        let _ = writeln!(
            out,
            "| {} {} | {:.0}% | {}–{} | {} |",
            md(&c.code),
            md(&c.label),
            if weights > 0.0 {
                c.weight.as_f64() / weights * 100.0
            } else {
                0.0
            },
            c.scale.min,
            c.scale.max,
            match (c.pass_threshold, c.eliminatory) {
                (Some(t), true) => format!("{t} (eliminatory)"),
                (Some(t), false) => t.to_string(),
                (None, _) => String::new(),
            }
        );
    }
    out.push_str("\n## Results\n\n| Rank | Practice | Scored | Mean | Median | Min–max | SD | Disagreement | Verdict | Final | Decision |\n");
    out.push_str("|---:|---|---:|---:|---:|---|---:|---|---|---:|---|\n");
    for p in &board.practices {
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} | {} | {} | {}–{} | {} | {} | {} | {} | {}{} |",
            p.rank.map_or("–".into(), |r| r.to_string()),
            md(&p.title),
            p.complete,
            p.expected,
            num(p.stats.mean),
            num(p.stats.median),
            num(p.stats.min),
            num(p.stats.max),
            num(p.stats.std_dev),
            if p.disagreement { "**yes**" } else { "no" },
            md(&verdict(&p.verdict)),
            num(p.final_value),
            decision(p),
            if p.overridden().is_some() {
                " (override)"
            } else {
                ""
            }
        );
    }
    let prefix = format!("{}:", session.id);
    let scores: Vec<&Score> = replica
        .rows_with_prefix(Kind::Score, &prefix)
        .filter_map(|r| match &r.record {
            Record::Score(s) => Some(&**s),
            _ => None,
        })
        .collect();
    for (n, p) in board.practices.iter().enumerate() {
        let _ = writeln!(out, "\n## {}. {}\n", n + 1, md(&p.title));
        if let Some(Record::Practice(gp)) = replica.record(Kind::Practice, p.practice.as_str()) {
            let place = [gp.city.as_str(), gp.region.as_str(), gp.country.as_str()]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            for (label, value) in [("Owner", gp.owner.as_str()), ("Location", place.as_str())] {
                if !value.trim().is_empty() {
                    let _ = writeln!(out, "- {label}: {}", md(value));
                }
            }
            out.push('\n');
        }
        // Every evaluator's scores, a row each.
        let _ = write!(out, "| Evaluator |");
        for c in &session.criteria {
            let _ = write!(out, " {} |", md(&c.code));
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|".repeat(session.criteria.len()));
        out.push('\n');
        for e in &session.evaluators {
            let _ = write!(out, "| {} |", md(e));
            for c in &session.criteria {
                let cell = scores
                    .iter()
                    .find(|s| {
                        s.practice == p.practice && &s.evaluator == e && s.criterion == c.code
                    })
                    .map_or("–".to_string(), |s| match s.value {
                        Some(v) => v.to_string(),
                        None => "abstained".to_string(),
                    });
                let _ = write!(out, " {cell} |");
            }
            out.push('\n');
        }
        if !p.abstaining.is_empty() {
            let _ = writeln!(
                out,
                "\nAbstained (left out of the averages): {}.",
                md(&p.abstaining.join(", "))
            );
        }
        out.push_str("\n| Criterion | n | Mean | Min–max | Spread | Disagreement |\n|---|---:|---:|---|---|---|\n");
        for c in &p.criteria {
            let spread: Vec<String> = c
                .histogram
                .iter()
                .map(|(v, n)| format!("{v}×{n}"))
                .collect();
            let flags: Vec<&str> = c
                .disagreement
                .iter()
                .map(|d| match d {
                    crate::scoring::Disagreement::Spread => "spread",
                    crate::scoring::Disagreement::RandUcla => "RAND/UCLA",
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}–{} | {} | {} |",
                md(&c.code),
                c.stats.n,
                num(c.stats.mean),
                num(c.stats.min),
                num(c.stats.max),
                spread.join(" "),
                flags.join(", ")
            );
        }
        let comments: Vec<String> = p
            .comments
            .iter()
            .map(|(who, t)| format!("- on the practice ({}): {}", md(who), md(t)))
            .chain(p.criteria.iter().flat_map(|c| {
                c.comments
                    .iter()
                    .map(move |(who, t)| format!("- {} ({}): {}", md(&c.code), md(who), md(t)))
            }))
            .collect();
        if !comments.is_empty() {
            let _ = writeln!(out, "\nComments:\n\n{}", comments.join("\n"));
        }
        match &p.consensus {
            Some(c) => {
                let _ = writeln!(
                    out,
                    "\nConsensus: {}{}{}{}",
                    c.decision
                        .map_or("no decision yet".into(), |d| d.to_string()),
                    c.value
                        .map_or(String::new(), |v| format!(", agreed value {v}")),
                    match (c.by.is_empty(), c.at) {
                        (false, Some(at)) => format!(" (by {}, {})", md(&c.by), at.date()),
                        _ => String::new(),
                    },
                    if c.comment.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", md(&c.comment))
                    }
                );
                if let Some(why) = p.overridden() {
                    let _ = writeln!(out, "\n**Override**: {}", md(&why));
                }
            }
            None => out.push_str("\nNo decision yet.\n"),
        }
    }
    out
}

/// The Good Practice Handbook: every validated practice (or already in the handbook), by project.
pub fn handbook_md(replica: &Replica) -> String {
    let mut out = String::from("# Good Practice Handbook\n");
    for project in replica.rows(Kind::Project) {
        let practices: Vec<&Practice> = replica
            .rows(Kind::Practice)
            .filter_map(|r| match &r.record {
                Record::Practice(p)
                    if p.project.as_str() == project.record.id()
                        && matches!(
                            p.status,
                            PracticeStatus::Validated | PracticeStatus::InHandbook
                        ) =>
                {
                    Some(&**p)
                }
                _ => None,
            })
            .collect();
        let _ = writeln!(out, "\n## {}\n", md(&project.record.title()));
        if practices.is_empty() {
            out.push_str("No practice of this project is validated yet.\n");
            continue;
        }
        for p in practices {
            let _ = writeln!(out, "\n### {}\n", md(&p.title));
            let place: Vec<&str> = [p.city.as_str(), p.region.as_str(), p.country.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            let _ = writeln!(out, "- **Owner**: {}", md(&p.owner));
            let _ = writeln!(out, "- **Where**: {}", md(&place.join(", ")));
            if let Some(t) = p.sub_theme {
                let _ = writeln!(out, "- **ITF sub-theme**: {}", t.label());
            }
            if let Some(l) = p.level {
                let _ = writeln!(out, "- **Level**: {}", l.label());
            }
            if !p.website.is_empty() {
                let _ = writeln!(out, "- **Website**: {}", p.website);
            }
            for (label, body) in [
                ("Summary", &p.summary),
                ("Description", &p.description),
                ("Resources needed", &p.resources),
                ("Evidence of success", &p.evidence),
                ("Potential for learning or transfer", &p.transfer_potential),
                ("Difficulties and lessons learned", &p.difficulties),
            ] {
                let body = body.text();
                if !body.trim().is_empty() {
                    let _ = writeln!(out, "\n**{label}**\n\n{}", md(&text::sanitize(&body, true)));
                }
            }
            if let Some(h) =
                p.history.iter().rev().find(|h| {
                    matches!(h.to, PracticeStatus::Validated | PracticeStatus::InHandbook)
                })
            {
                let _ = writeln!(
                    out,
                    "\n*{} on {} by {}: {}*",
                    h.to,
                    h.at.date(),
                    h.by,
                    md(&h.reason)
                );
            }
        }
    }
    out
}

fn md(text: &str) -> String {
    super::markdown::escape(&text::sanitize(text, true))
}
