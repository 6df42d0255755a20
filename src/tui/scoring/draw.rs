//! Drawing the scoring pane: the practice's card, its criteria with the marks given, the line
//! being typed, the board and the confirmations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::model::text::sanitize;
use crate::scoring as sc;

use super::*;

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn reversed() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

/// A statistic as the command line's board shows it (two decimals), or a dash.
pub(super) fn fmt(v: Option<f64>) -> String {
    v.map_or("–".to_string(), crate::io::results::two_places)
}

/// A criterion's mark in a few columns ("4", "abstained", "4 … saving", "·"), and the lines
/// shown under it: the abstention's reason, the comment, a refusal.
fn mark_of(
    app: &Here<'_>,
    pane: &ScoringPane,
    s: &EvaluationSession,
    c: &Criterion,
) -> (String, Vec<(String, Style)>) {
    let Some(p) = s.practices.get(pane.practice) else {
        return (String::new(), Vec::new());
    };
    let id = Score::key(&s.id, p, &pane.evaluator, &c.code).to_string();
    let saved = score_of(app.replica, s, p, &pane.evaluator, &c.code);
    let mut notes = Vec::new();
    if let Some(sc) = saved {
        if sc.value.is_none() {
            notes.push((
                format!("reason: {}", sanitize(&sc.abstain_reason, false)),
                Style::default(),
            ));
        }
        if !sc.comment.trim().is_empty() {
            notes.push((
                format!("comment: {}", sanitize(&sc.comment, false)),
                Style::default().add_modifier(Modifier::ITALIC),
            ));
        }
    }
    if let Some(why) = pane.refused.get(&id) {
        notes.push((
            format!("! not saved: {why}"),
            Style::default().add_modifier(Modifier::BOLD),
        ));
    }
    let mark = match (pane.pending.get(&id), saved) {
        (Some(mark), _) => {
            let what = match mark {
                PendingMark::Value(v) => v.to_string(),
                PendingMark::Abstain => "abstain".into(),
                PendingMark::Cleared => "clear".into(),
                PendingMark::Comment => "…".into(),
            };
            format!("{what} … saving")
        }
        (None, Some(sc)) => sc
            .value
            .map_or_else(|| "abstained".to_string(), |v| v.to_string()),
        (None, None) => "·".to_string(),
    };
    (mark, notes)
}

/// Draws the scoring pane (or the board) into `area`.
impl ScoringPane {
    /// Draws the pane (the card or the board) over `area`.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let mut copy = self.clone();
        let here = Here::new(cx, &mut copy);
        draw(frame, &here, area);
    }
}

fn draw(frame: &mut Frame, app: &Here<'_>, area: Rect) {
    let Some(pane) = app.scoring.as_deref().cloned() else {
        return;
    };
    let Some(s) = session_of(app) else {
        frame.render_widget(
            Paragraph::new("This session was deleted; q goes back."),
            area,
        );
        return;
    };
    let entry_lines = entry_lines(&pane, s.criteria.get(pane.criterion));
    let [head, body, entry] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(entry_lines.len() as u16),
    ])
    .areas(area);
    let done_here = scored(app.replica, &s, &pane.evaluator, pane.practice);
    let done_all = (0..s.practices.len())
        .filter(|i| scored(app.replica, &s, &pane.evaluator, *i) == s.criteria.len())
        .count();
    // The state and whose form is typed come first, so that no width cuts them off.
    let who = if pane.proxy(&app.user) {
        Span::styled(
            format!(
                "typing in for {0} (proxy): {0}'s paper form, entered by {1}",
                pane.evaluator, app.user
            ),
            reversed(),
        )
    } else {
        Span::raw(format!("evaluator {}", pane.evaluator))
    };
    let head_lines = vec![
        Line::from(vec![
            Span::styled(format!("[{}] ", s.state), bold()),
            Span::styled(sanitize(&s.title, false), bold()),
        ]),
        Line::from(who),
        Line::from(format!(
            "Practice {}/{}: {done_here}/{} criteria · session {done_all}/{} practices scored",
            pane.practice + 1,
            s.practices.len(),
            s.criteria.len(),
            s.practices.len()
        )),
    ];
    frame.render_widget(Paragraph::new(head_lines), head);
    frame.render_widget(Paragraph::new(entry_lines), entry);
    if pane.board {
        draw_board(frame, app, &pane, &s, body);
    } else {
        draw_scoring(frame, app, &pane, &s, body);
    }
    if let Some(confirm) = &pane.confirm {
        draw_confirm(frame, app, confirm, body);
    }
}

/// The line being typed, and for abstaining the usual reasons above it.
fn entry_lines(pane: &ScoringPane, criterion: Option<&Criterion>) -> Vec<Line<'static>> {
    let Some(e) = &pane.entry else {
        return Vec::new();
    };
    let code = criterion.map_or(String::new(), |c| c.code.clone());
    let mut out = Vec::new();
    let what = match e.purpose {
        EntryFor::Number => format!("Score for {code}"),
        EntryFor::Abstain => {
            out.push(Line::from(format!(
                "Abstain on {code}: a digit picks a reason (↑/↓ and Enter too), or type your own"
            )));
            for (i, reason) in ABSTAIN_REASONS.iter().enumerate() {
                let chosen = e.text.is_empty() && e.choice == i;
                let marker = if chosen { "▶" } else { " " };
                let style = if chosen { reversed() } else { Style::default() };
                out.push(Line::styled(format!("{marker} {} {reason}", i + 1), style));
            }
            "Your own reason".to_string()
        }
        EntryFor::Comment => format!("Comment on {code}"),
        EntryFor::PracticeComment => "Comment on the practice (blank removes it)".into(),
        EntryFor::ConsensusValue => "Consensus value (instead of the mean)".into(),
        EntryFor::ConsensusWhy(_) => "Why this value".into(),
        EntryFor::Reason => "Reason".into(),
    };
    let keys = match e.purpose {
        EntryFor::Reason => "Enter records it, Ctrl-g cancels",
        _ => "Enter saves, Ctrl-u clears, Ctrl-g cancels",
    };
    let at = e
        .text
        .char_indices()
        .nth(e.cursor)
        .map_or(e.text.len(), |(b, _)| b);
    out.push(Line::styled(
        format!("{what}: {}_{}  ({keys})", &e.text[..at], &e.text[at..]),
        reversed(),
    ));
    out
}

/// A confirmation over the pane: what will happen, and how to go on.
fn draw_confirm(frame: &mut Frame, app: &Here<'_>, confirm: &Confirm, area: Rect) {
    let width = area.width.saturating_sub(2).min(100);
    let inner = width.saturating_sub(2).max(1) as usize;
    let mut lines: Vec<Line> = confirm
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let text = sanitize(l, false);
            if i == 0 {
                Line::styled(text, bold())
            } else {
                Line::from(text)
            }
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(
        if confirm.needs_reason {
            "Type the reason on the line below: Enter records it, Ctrl-g cancels"
        } else {
            "y: do it · any other key cancels"
        },
        bold(),
    ));
    // Wrapped rows, with room for words moved whole.
    let rows: usize = lines
        .iter()
        .map(|l| {
            let w = l.width();
            w.div_ceil(inner).max(1) + usize::from(w > inner)
        })
        .sum();
    let height = (rows as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(ratatui::widgets::Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(app.theme.focus_border)
                .title(" Confirm "),
        ),
        rect,
    );
}

fn card_lines(app: &Here<'_>, s: &EvaluationSession, pane: &ScoringPane) -> Vec<Line<'static>> {
    let Some(pid) = s.practices.get(pane.practice) else {
        return vec![Line::from("No practices in this session")];
    };
    let Some(Record::Practice(p)) = app.replica.record(Kind::Practice, pid.as_str()) else {
        return vec![Line::from(format!("{pid} (not found)"))];
    };
    let t = |x: &str| sanitize(x, false);
    let place: Vec<&str> = [p.city.as_str(), p.region.as_str(), p.country.as_str()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    let mut out = vec![
        Line::from(Span::styled(t(&p.title), bold())),
        Line::from(format!("Owner: {}", t(&p.owner))),
        Line::from(format!("Place: {}", t(&place.join(", ")))),
        Line::from(format!(
            "Sub-theme: {}",
            p.sub_theme.map_or("–".to_string(), |x| x.to_string())
        )),
    ];
    let comment_id = Score::key(&s.id, pid, &pane.evaluator, Score::PRACTICE_COMMENT).to_string();
    let comment = if pane.pending.contains_key(&comment_id) {
        Some("… saving".to_string())
    } else {
        score_of(
            app.replica,
            s,
            pid,
            &pane.evaluator,
            Score::PRACTICE_COMMENT,
        )
        .map(|c| t(&c.comment))
    };
    if let Some(comment) = comment {
        out.push(Line::from(vec![
            Span::styled("Your comment: ", bold()),
            Span::raw(comment),
        ]));
    }
    for (label, text) in [
        ("Summary", &p.summary),
        ("Evidence of success", &p.evidence),
        ("Transfer potential", &p.transfer_potential),
    ] {
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(label.to_string(), bold())));
        out.push(Line::from(t(&text.text())));
    }
    out
}

fn draw_scoring(
    frame: &mut Frame,
    app: &Here<'_>,
    pane: &ScoringPane,
    s: &EvaluationSession,
    area: Rect,
) {
    let (card_area, crit_area) = if area.width >= 70 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
            .areas(area);
        (Some(a), b)
    } else {
        (None, area)
    };
    if let Some(a) = card_area {
        frame.render_widget(
            Paragraph::new(card_lines(app, s, pane))
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Practice ")),
            a,
        );
    }
    let ell = app.theme.symbols.ellipsis;
    let inner = crit_area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if card_area.is_none()
        && let Some(pid) = s.practices.get(pane.practice)
    {
        lines.push(Line::from(Span::styled(practice_title(app, pid), bold())));
    }
    // Code, mark and label in columns: the mark never wraps away from its criterion.
    let marks: Vec<(String, Vec<(String, Style)>)> = s
        .criteria
        .iter()
        .map(|c| mark_of(app, pane, s, c))
        .collect();
    let code_w = s
        .criteria
        .iter()
        .map(|c| crate::tui::text::width(&c.code))
        .max()
        .unwrap_or(0)
        .min(16);
    let mark_w = marks
        .iter()
        .map(|(m, _)| crate::tui::text::width(m))
        .max()
        .unwrap_or(1)
        .clamp(1, 14);
    let indent = " ".repeat(2 + code_w + 1);
    for (i, (c, (mark, notes))) in s.criteria.iter().zip(marks).enumerate() {
        let current = i == pane.criterion;
        let marker = if current { "▶ " } else { "  " };
        let style = if current {
            reversed()
        } else {
            Style::default()
        };
        let head = format!(
            "{marker}{} {}  ",
            crate::tui::text::pad(&c.code, code_w, ell),
            crate::tui::text::pad(&mark, mark_w, ell)
        );
        let label = format!(
            "{} ({}–{})",
            sanitize(&c.label, false),
            c.scale.min,
            c.scale.max
        );
        let label = crate::tui::text::truncate(
            &label,
            inner.saturating_sub(crate::tui::text::width(&head)),
            ell,
        );
        lines.push(Line::styled(format!("{head}{label}"), style));
        // Notes wrap under the mark, clear of the codes.
        let room = inner.saturating_sub(indent.len()).max(10);
        for (note, note_style) in notes {
            for row in crate::tui::text::wrap(&[(note, note_style)], room) {
                let mut spans = vec![Span::raw(indent.clone())];
                spans.extend(row.into_iter().map(|(t, st)| Span::styled(t, st)));
                lines.push(Line::from(spans));
            }
        }
        if current || area.height as usize > s.criteria.len() * 3 {
            let hints: Vec<String> = c
                .scale
                .points
                .iter()
                .map(|p| format!("{} {}", p.value, sanitize(&p.meaning, false)))
                .collect();
            if !hints.is_empty() {
                // Wrapped under the mark like the notes, never back to the left edge.
                let text = hints.join(" · ");
                for row in crate::tui::text::wrap(&[(text, Style::default())], room) {
                    let mut spans = vec![Span::raw(indent.clone())];
                    spans.extend(row.into_iter().map(|(t, st)| Span::styled(t, st)));
                    lines.push(Line::from(spans));
                }
            }
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(" Criteria ")),
        crit_area,
    );
}

/// The spread of a criterion's scores as characters over the scale: one column per point with
/// the count in `#` ("1:# 2:### 3:"), plus abstentions.
pub fn histogram(r: &sc::CriterionResult, c: &Criterion) -> String {
    let step = c.scale.step.as_f64().max(0.1);
    let (lo, hi) = (c.scale.min.as_f64(), c.scale.max.as_f64());
    let points = ((hi - lo) / step).round() as usize + 1;
    let mut parts = Vec::new();
    if points <= 11 {
        for k in 0..points {
            let v = lo + k as f64 * step;
            let n = r
                .histogram
                .iter()
                .filter(|(x, _)| (x - v).abs() < 1e-6)
                .map(|(_, n)| *n)
                .sum::<usize>();
            parts.push(format!("{}:{}", trim_num(v), "#".repeat(n)));
        }
    } else {
        for (v, n) in &r.histogram {
            parts.push(format!("{}:{}", trim_num(*v), "#".repeat(*n)));
        }
    }
    if r.abstained > 0 {
        parts.push(format!("abstained:{}", r.abstained));
    }
    parts.join(" ")
}

fn trim_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// The decision as the board's column shows it: "validated", or "validated*" for an override.
fn decision_cell(p: &sc::PracticeResult) -> String {
    let Some(d) = p.consensus.as_ref().and_then(|c| c.decision) else {
        return String::new();
    };
    let star = if p.overridden().is_some() { "*" } else { "" };
    format!("{d}{star}")
}

fn verdict_cell(v: &sc::Verdict) -> &'static str {
    match v {
        // Incomplete: no verdict yet.
        sc::Verdict::Pending => "",
        // No pass mark or thresholds: only the ranking.
        sc::Verdict::Unjudged => "–",
        sc::Verdict::Pass => "pass",
        sc::Verdict::Fail(_) => "FAIL",
    }
}

/// The board's columns: (header, right-aligned).
const BOARD_COLUMNS: [(&str, bool); 11] = [
    ("Rk", true),
    ("Practice", false),
    ("Done", true),
    ("Mean", true),
    ("Median", true),
    ("Min–Max", true),
    ("SD", true),
    ("Verdict", false),
    ("Final", true),
    ("Decision", false),
    ("", false),
];

fn board_cells(p: &sc::PracticeResult) -> [String; 11] {
    let title = sanitize(&p.title, false);
    [
        p.rank.map_or("–".to_string(), |r| r.to_string()),
        title,
        format!("{}/{}", p.complete, p.expected),
        fmt(p.stats.mean),
        fmt(p.stats.median),
        match (p.stats.min, p.stats.max) {
            (Some(lo), Some(hi)) => format!("{}–{}", fmt(Some(lo)), fmt(Some(hi))),
            _ => "–".into(),
        },
        fmt(p.stats.std_dev),
        verdict_cell(&p.verdict).to_string(),
        fmt(p.final_value),
        decision_cell(p),
        if p.disagreement { "DISAGREE" } else { "" }.to_string(),
    ]
}

fn draw_board(
    frame: &mut Frame,
    app: &Here<'_>,
    pane: &ScoringPane,
    s: &EvaluationSession,
    area: Rect,
) {
    let ell = app.theme.symbols.ellipsis;
    let mut board = sc::board_of(app.replica, s);
    board.sort(pane.board_sort);
    let sort = match pane.board_sort {
        SortBy::Session => "session order",
        SortBy::Rank => "by score",
        SortBy::Disagreement => "by disagreement",
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Board ({sort}) · {}/{} practices complete",
            board.complete_practices,
            board.practices.len()
        ),
        bold(),
    ))];
    // Every column as wide as its widest cell; the title takes the rest of the width.
    // The spread columns where there is room (they are in the practice's detail below too).
    let room_for = |i: usize| match i {
        5 => area.width >= 130,
        6 => area.width >= 100,
        _ => true,
    };
    let rows: Vec<[String; 11]> = board.practices.iter().map(board_cells).collect();
    let shown: Vec<usize> = (0..BOARD_COLUMNS.len())
        .filter(|&i| room_for(i))
        .filter(|&i| i != 10 || rows.iter().any(|r| !r[10].is_empty()))
        .collect();
    let mut widths = [0usize; 11];
    for &i in &shown {
        widths[i] = rows
            .iter()
            .map(|r| crate::tui::text::width(&r[i]))
            .chain(std::iter::once(crate::tui::text::width(BOARD_COLUMNS[i].0)))
            .max()
            .unwrap_or(0);
    }
    let others: usize = shown.iter().filter(|&&i| i != 1).map(|&i| widths[i]).sum();
    let room = (area.width as usize).saturating_sub(2 + others + shown.len() - 1);
    widths[1] = rows
        .iter()
        .map(|r| crate::tui::text::width(&r[1]))
        .max()
        .unwrap_or(0)
        .max(8)
        .min(room.max(8));
    let line_of = |cells: &[String]| -> String {
        let mut out = String::new();
        for (k, &i) in shown.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let cell = crate::tui::text::truncate(&cells[i], widths[i], ell);
            let pad = " ".repeat(widths[i].saturating_sub(crate::tui::text::width(&cell)));
            if BOARD_COLUMNS[i].1 {
                out.push_str(&pad);
                out.push_str(&cell);
            } else {
                out.push_str(&cell);
                out.push_str(&pad);
            }
        }
        out.trim_end().to_string()
    };
    let header: Vec<String> = BOARD_COLUMNS.iter().map(|c| c.0.to_string()).collect();
    lines.push(Line::styled(format!("  {}", line_of(&header)), bold()));
    for (i, cells) in rows.iter().enumerate() {
        let selected = i == pane.board_selected;
        let (marker, style) = if selected {
            ("▶ ", reversed())
        } else {
            ("  ", Style::default())
        };
        lines.push(Line::styled(format!("{marker}{}", line_of(cells)), style));
    }
    if let Some(p) = board.practices.get(pane.board_selected) {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(sanitize(&p.title, false), bold())));
        if let Some(c) = &p.consensus
            && let Some(d) = c.decision
        {
            let at = c.value.map_or_else(
                || format!("at the mean {}", fmt(p.stats.mean)),
                |v| format!("at {v} (the mean is {})", fmt(p.stats.mean)),
            );
            let by = if c.by.is_empty() {
                String::new()
            } else {
                format!(" by {}", c.by)
            };
            lines.push(Line::from(format!("Decision: {d} {at}{by}")));
            // The override and its reason, as the exports say it.
            if let Some(how) = p.overridden() {
                lines.push(Line::styled(
                    format!("* override: {}", sanitize(&how, false)),
                    bold(),
                ));
            } else if !c.comment.trim().is_empty() {
                lines.push(Line::from(format!(
                    "  comment: {}",
                    sanitize(&c.comment, false)
                )));
            }
        } else if let sc::Verdict::Fail(reasons) = &p.verdict {
            lines.push(Line::from(format!("Fails: {}", reasons.join("; "))));
        }
        if let Some(a) = pane.agreed.as_ref().filter(|a| a.practice == p.practice) {
            lines.push(Line::from(format!(
                "Agreed {} instead of the mean {} ({}): V/R/D records it with the decision",
                a.value,
                fmt(p.stats.mean),
                sanitize(&a.why, false)
            )));
        }
        for (who, text) in &p.comments {
            lines.push(Line::from(format!(
                "  {who} on the practice: {}",
                sanitize(text, false)
            )));
        }
        for (r, c) in p.criteria.iter().zip(&s.criteria) {
            let flag = if r.disagreement.is_empty() {
                String::new()
            } else {
                " DISAGREE".to_string()
            };
            lines.push(Line::from(format!(
                "{} mean {} sd {}{flag}  {}",
                r.code,
                fmt(r.stats.mean),
                fmt(r.stats.std_dev),
                histogram(r, c)
            )));
            for (who, text) in &r.comments {
                lines.push(Line::from(format!("    {who}: {}", sanitize(text, false))));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
