//! Evaluation results out: the board as a table, the scores for the minutes (CSV, Markdown) and
//! the handbook of validated practices.

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
        "final", "decision", "title",
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

/// Every session's results as CSV: one row per practice and criterion, then an overall row.
pub fn scores_csv(boards: &[Board]) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "session",
        "rank",
        "practice",
        "title",
        "criterion",
        "weight",
        "n",
        "abstained",
        "mean",
        "median",
        "min",
        "max",
        "std_dev",
        "disagreement",
        "verdict",
        "consensus",
        "decision",
        "comments",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    for b in boards {
        for p in &b.practices {
            let rank = p.rank.map_or(String::new(), |r| r.to_string());
            for c in &p.criteria {
                let comments: Vec<String> = c
                    .comments
                    .iter()
                    .map(|(who, text)| format!("{who}: {text}"))
                    .collect();
                let disagreement: Vec<&str> = c
                    .disagreement
                    .iter()
                    .map(|d| {
                        if *d == crate::scoring::Disagreement::Spread {
                            "spread"
                        } else {
                            "rand_ucla"
                        }
                    })
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
                    disagreement.join(" "),
                    c.passes.map_or(
                        String::new(),
                        |p| if p { "pass".into() } else { "fail".into() },
                    ),
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
                if p.disagreement {
                    "yes".into()
                } else {
                    String::new()
                },
                verdict(&p.verdict),
                num(p.final_value),
                decision(p),
                consensus,
            ])
            .map_err(|e| e.to_string())?;
        }
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// Every session's results for the minutes.
pub fn scores_md(boards: &[Board]) -> String {
    let mut out = String::from("# Evaluation results\n");
    for b in boards {
        let _ = writeln!(out, "\n## {} ({})\n", md(&b.title), b.state);
        let _ = writeln!(
            out,
            "{} of {} practices have every score in.\n",
            b.complete_practices,
            b.practices.len()
        );
        out.push_str("| Rank | Practice | Scored | Mean | Median | Min–max | SD | Disagreement | Verdict | Final | Decision |\n");
        out.push_str("|---:|---|---:|---:|---:|---|---:|---|---|---:|---|\n");
        for p in &b.practices {
            let _ = writeln!(
                out,
                "| {} | {} | {}/{} | {} | {} | {}–{} | {} | {} | {} | {} | {} |",
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
                decision(p)
            );
        }
        for p in &b.practices {
            let _ = writeln!(out, "\n### {}\n", md(&p.title));
            if !p.abstaining.is_empty() {
                let _ = writeln!(
                    out,
                    "Abstained (excluded from the averages): {}.\n",
                    p.abstaining.join(", ")
                );
            }
            out.push_str("| Criterion | Weight | n | Mean | Min–max | Spread | Disagreement |\n|---|---:|---:|---:|---|---|---|\n");
            for c in &p.criteria {
                let spread: Vec<String> = c
                    .histogram
                    .iter()
                    .map(|(v, n)| format!("{v}×{n}"))
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} {} | {:.0}% | {} | {} | {}–{} | {} | {} |",
                    md(&c.code),
                    md(&c.label),
                    c.weight * 100.0,
                    c.stats.n,
                    num(c.stats.mean),
                    num(c.stats.min),
                    num(c.stats.max),
                    spread.join(" "),
                    if c.disagreement.is_empty() {
                        "".to_string()
                    } else {
                        format!("{:?}", c.disagreement)
                    }
                );
            }
            let comments: Vec<String> = p
                .comments
                .iter()
                .map(|(who, t)| format!("- the practice ({who}): {}", md(t)))
                .chain(p.criteria.iter().flat_map(|c| {
                    c.comments
                        .iter()
                        .map(move |(who, t)| format!("- {} ({who}): {}", c.code, md(t)))
                }))
                .collect();
            if !comments.is_empty() {
                let _ = writeln!(out, "\nComments:\n\n{}", comments.join("\n"));
            }
            if let Some(c) = &p.consensus {
                let _ = writeln!(
                    out,
                    "\nConsensus: {}{}{}",
                    c.decision
                        .map_or("no decision yet".into(), |d| d.to_string()),
                    c.value.map_or(String::new(), |v| format!(", value {v}")),
                    if c.comment.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", md(&c.comment))
                    }
                );
            }
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
