//! The detail pane: a record shown whole, as items (fields, long texts, links) that the reader
//! moves through; links lead to the records it refers to and to those that refer to it.
//! Overviews use the same items, so their rows can be followed too.

use std::collections::BTreeSet;

use crate::model::kinds::{self as declared, Field, Show, Shown};
use crate::model::text::sanitize;
use crate::model::*;

pub use super::content::*;
use super::feature::Cx;
use super::kinds::{self, Facet};
use super::nav::Filter;
use super::overview;

/// Items for what the detail pane shows.
/// `filtered`: whether the list shown has filters (what an empty list says).
pub fn items(cx: &Cx, key: &ContentKey, width: u16, filtered: bool) -> Vec<Item> {
    let w = (width as usize).saturating_sub(MARKER_COLUMNS).max(4);
    match key {
        ContentKey::Overview(o, _) => overview::items(cx, *o, w),
        ContentKey::Empty(kind) => {
            let mut b = Builder::default();
            let what = kinds::plural(*kind).to_lowercase();
            if filtered {
                b.text(format!("No {what} match the filters."), Seg::Normal);
                b.text("x clears the filters; f changes them.", Seg::Dim);
            } else if cx.project().is_some() && kinds::scoped(*kind) {
                b.text(format!("This project has no {what}."), Seg::Normal);
                b.text("p shows the next project or all of them.", Seg::Dim);
            } else {
                b.text(format!("There are no {what} yet."), Seg::Normal);
            }
            b.items
        }
        ContentKey::Record(kind, id) => match cx.replica.row(*kind, id) {
            Some(row) => record_items(cx, row, w),
            None => {
                let mut b = Builder::default();
                b.text(
                    format!("{} '{id}' no longer exists.", kind.singular()),
                    Seg::Warn,
                );
                b.items
            }
        },
    }
}

fn date(d: Option<Date>) -> String {
    d.map_or(String::new(), Date::human)
}

fn period(start: Option<Date>, end: Option<Date>, dash: &str) -> String {
    match (start, end) {
        (None, None) => String::new(),
        (Some(s), None) => format!("from {}", s.human()),
        (None, Some(e)) => format!("until {}", e.human()),
        (Some(s), Some(e)) if s == e => s.human(),
        (Some(s), Some(e)) => format!("{} {dash} {}", s.human(), e.human()),
    }
}

fn join_nonempty(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| clean(p))
        .collect::<Vec<_>>()
        .join(sep)
}

/// Lists links to records under a heading, at most [`MAX_LINKS`], with a line for the rest.
fn link_list(
    cx: &Cx,
    b: &mut Builder,
    heading: &str,
    mut links: Vec<(Kind, String, String)>,
    more: Option<Link>,
) {
    b.heading(format!("{heading} ({})", links.len()));
    if links.is_empty() {
        b.text("none", Seg::Dim);
        return;
    }
    let total = links.len();
    links.truncate(MAX_LINKS);
    for (kind, id, extra) in links {
        let title = cx
            .replica
            .record(kind, &id)
            .map_or_else(|| id.clone(), |r| clean(&r.title()));
        let mut body = Vec::new();
        if !extra.is_empty() {
            body.push((format!("{} ", clean(&extra)), Seg::Dim));
        }
        body.push((title, Seg::Link));
        b.line(body, Some(Link::Record(kind, id)));
    }
    if total > MAX_LINKS {
        let text = format!("… and {} more", total - MAX_LINKS);
        match more {
            Some(link) => b.line(
                vec![(format!("{text}: open them in the list"), Seg::Link)],
                Some(link),
            ),
            None => b.text(text, Seg::Dim),
        }
    }
}

fn record_footer(b: &mut Builder, row: &Row) {
    b.heading("Record");
    b.field("Id", row.record.id());
    b.field("Kind", row.record.kind().singular());
    b.field(
        "Last changed",
        &format!("{} by {} (revision {})", row.at, clean(&row.by), row.rev),
    );
}

fn record_items(cx: &Cx, row: &Row, w: usize) -> Vec<Item> {
    let sym = &cx.theme.symbols;
    let dash = sym.dash;
    let mut b = Builder::default();
    let record = &row.record;
    b.line(vec![(clean(&record.title()), Seg::Strong)], None);
    // A record stored before a rule existed (an older version) is shown as it is, marked with
    // what it breaks, so that someone can mend it.
    for e in audit(record, &**cx.replica) {
        b.text(
            clean(&format!("! Breaks a rule: {}: {}", e.field, e.message)),
            Seg::Warn,
        );
    }
    let shown = declared::shown(record.kind());
    for (field, how) in &shown.rows {
        declared_row(cx, &mut b, record, field, how, dash);
    }
    // Each kind's own sections: those that belong above its long texts, then the others.
    match record {
        Record::Meeting(m) => meeting_agenda(cx, &mut b, m),
        Record::Transfer(t) => stage_history(&mut b, t),
        _ => {}
    }
    for (field, how) in &shown.texts {
        declared_row(cx, &mut b, record, field, how, dash);
    }
    match record {
        Record::Practice(p) => practice(cx, &mut b, p),
        Record::Meeting(m) => meeting(cx, &mut b, m),
        Record::ActionPlan(p) => action_plan(cx, &mut b, p),
        Record::Action(a) => action(cx, &mut b, a),
        Record::Scheme(s) => scheme(cx, &mut b, s, w),
        Record::Sme(s) => sme(cx, &mut b, s),
        Record::Stakeholder(s) => stakeholder(cx, &mut b, s),
        Record::Partner(p) => {
            partner(cx, &mut b, p);
            stakeholder_group(cx, &mut b, p);
        }
        Record::Project(p) => project(cx, &mut b, p, w),
        Record::Session(s) => session(cx, &mut b, s),
        Record::CriteriaSet(c) => criteria_set(cx, &mut b, c),
        Record::Transfer(_) | Record::Voucher(_) | Record::Member(_) | Record::Score(_) => {}
    }
    if let Some(source) = record.source() {
        b.block("Sources", source);
    }
    record_footer(&mut b, row);
    b.items
}

/// A field as its declaration shows it (`model::kinds`, `.shown`).
fn declared_row(
    cx: &Cx,
    b: &mut Builder,
    record: &Record,
    field: &Field,
    shown: &Shown,
    dash: &str,
) {
    let label = shown.label.unwrap_or(field.name());
    match shown.how {
        Show::Text(value) => b.field(label, &value(cx.replica, record)),
        Show::Strong(value) => b.field_segs(
            label,
            vec![(clean(&value(cx.replica, record)), Seg::Strong)],
        ),
        Show::Link(kind, id) => {
            if let Some(id) = id(record) {
                b.link(cx, label, kind, id, "");
            }
        }
        Show::Day(day) => {
            let (on, then) = day(record);
            b.field(label, &declared::day_and(on, &then, Date::human));
        }
        Show::Period(span) => {
            let (start, end) = span(record);
            b.field(label, &period(start, end, dash));
        }
        Show::Periods(spans) => {
            for (name, start, end) in spans(record) {
                b.field(&clean(&name), &period(Some(start), Some(end), dash));
            }
        }
        Show::Block(text) => b.block(label, &text(record)),
        Show::Lines(text) => {
            let text = text(record);
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            b.heading(format!("{label} ({})", lines.len()));
            if lines.is_empty() {
                b.text("none", Seg::Dim);
            }
            for l in lines {
                b.text(clean(l), Seg::Normal);
            }
        }
    }
}

fn practice(cx: &Cx, b: &mut Builder, p: &Practice) {
    let mut meetings: Vec<&Meeting> = cx
        .referrers_of_kind(Kind::Practice, p.id.as_str(), Kind::Meeting)
        .filter_map(|r| match r {
            Record::Meeting(m) => Some(&**m),
            _ => None,
        })
        .collect();
    meetings.sort_by_key(|m| (m.start.sort_key(), m.id.clone()));
    let links = meetings
        .iter()
        .map(|m| {
            (
                Kind::Meeting,
                m.id.to_string(),
                format!("{} {}", m.start.human(), m.kind.label()),
            )
        })
        .collect();
    link_list(cx, b, "Presented at", links, None);

    let sessions: Vec<&EvaluationSession> = cx
        .referrers_of_kind(Kind::Practice, p.id.as_str(), Kind::Session)
        .filter_map(|r| match r {
            Record::Session(s) => Some(&**s),
            _ => None,
        })
        .collect();
    b.heading(format!("Evaluations ({})", sessions.len()));
    if sessions.is_empty() {
        b.text("not evaluated yet", Seg::Dim);
    }
    for s in &sessions {
        let mut extra = format!("({})", s.state.label());
        if let Some(c) = s.consensus.iter().find(|c| c.practice == p.id) {
            if let Some(d) = c.decision {
                extra.push_str(&format!(" decision: {}", d.label()));
            }
            if let Some(v) = c.value {
                extra.push_str(&format!(", consensus {v}"));
            }
        }
        b.link(cx, "Session", Kind::Session, s.id.as_str(), &extra);
    }
    let scores: Vec<&Score> = cx
        .referrers_of_kind(Kind::Practice, p.id.as_str(), Kind::Score)
        .filter_map(|r| match r {
            Record::Score(s) => Some(&**s),
            _ => None,
        })
        .collect();
    if !scores.is_empty() {
        let evaluators: BTreeSet<&str> = scores.iter().map(|s| s.evaluator.as_str()).collect();
        let abstained = scores.iter().filter(|s| s.value.is_none()).count();
        let mut text = format!("{} scores by {} evaluators", scores.len(), evaluators.len());
        if abstained > 0 {
            text.push_str(&format!(", {abstained} abstentions"));
        }
        b.field("Scores", &text);
    }

    b.heading(format!("Status history ({})", p.history.len()));
    if p.history.is_empty() {
        b.text("no changes recorded", Seg::Dim);
    }
    for h in &p.history {
        let from = h
            .from
            .map_or(String::new(), |f| format!("{} → ", f.label()));
        let mut body = vec![
            (format!("{} ", h.at.date()), Seg::Dim),
            (format!("{from}{}", h.to.label()), Seg::Strong),
            (format!(" by {}", clean(&h.by)), Seg::Normal),
        ];
        if !h.reason.trim().is_empty() {
            body.push((format!(": {}", clean(&h.reason)), Seg::Normal));
        }
        let link = h
            .session
            .as_ref()
            .map(|s| Link::Record(Kind::Session, s.to_string()));
        if link.is_some() {
            body.push((" (session)".to_string(), Seg::Link));
        }
        b.line(body, link);
    }

    let mut actions: Vec<(Kind, String, String)> = cx
        .referrers_of_kind(Kind::Practice, p.id.as_str(), Kind::Action)
        .filter_map(|r| match r {
            Record::Action(a) => Some((
                Kind::Action,
                a.id.to_string(),
                format!("[{}]", a.status.label()),
            )),
            _ => None,
        })
        .collect();
    actions.sort();
    link_list(cx, b, "Actions it inspired", actions, None);
    transfers_list(cx, b, "Transferred to", Kind::Practice, p.id.as_str());
}

/// The transfers that refer to the record `id` of `kind` (a practice: where it was transferred;
/// a partner: what its region took in; an action: what it carries), each with its stage and
/// the other side of it (the adopting partner of a practice's, the practice of the others').
fn transfers_list(cx: &Cx, b: &mut Builder, heading: &str, kind: Kind, id: &str) {
    let mut transfers = transfer_links(cx, kind, id);
    transfers.sort();
    link_list(cx, b, heading, transfers, None);
}

/// The links to the transfers that refer to the record `id` of `kind` (see [`transfers_list`]).
fn transfer_links(cx: &Cx, kind: Kind, id: &str) -> Vec<(Kind, String, String)> {
    cx.referrers_of_kind(kind, id, Kind::Transfer)
        .filter_map(|r| match r {
            Record::Transfer(t) => {
                let stage = t.stage().map_or("no stage", |s| s.label());
                let other = match kind {
                    Kind::Practice => cx
                        .replica
                        .record(Kind::Partner, t.partner.as_str())
                        .map_or_else(|| t.partner.to_string(), |r| r.title()),
                    _ => cx
                        .replica
                        .record(Kind::Practice, t.practice.as_str())
                        .map_or_else(|| t.practice.to_string(), |r| r.title()),
                };
                Some((
                    Kind::Transfer,
                    t.id.to_string(),
                    format!("[{stage}] {other}:"),
                ))
            }
            _ => None,
        })
        .collect()
}

/// A transfer's stages, oldest first.
fn stage_history(b: &mut Builder, t: &Transfer) {
    b.heading(format!("Stage history ({})", t.stages.len()));
    if t.stages.is_empty() {
        b.text("no stage recorded", Seg::Dim);
    }
    for s in &t.stages {
        let mut body = vec![
            (format!("{} ", s.on), Seg::Dim),
            (s.stage.label().to_string(), Seg::Strong),
        ];
        if !s.note.trim().is_empty() {
            body.push((format!(": {}", clean(&s.note)), Seg::Normal));
        }
        b.line(body, None);
    }
}

/// What a meeting went through, above its minutes: the practices presented, the decisions,
/// follow-ups and agenda.
fn meeting_agenda(cx: &Cx, b: &mut Builder, m: &Meeting) {
    let practices = m
        .practices
        .iter()
        .map(|p| {
            let status = match cx.replica.record(Kind::Practice, p.as_str()) {
                Some(Record::Practice(x)) => format!("[{}]", x.status.label()),
                _ => String::new(),
            };
            (Kind::Practice, p.to_string(), status)
        })
        .collect();
    link_list(cx, b, "Practices presented", practices, None);

    b.heading(format!("Decisions ({})", m.decisions.len()));
    if m.decisions.is_empty() {
        b.text("none recorded", Seg::Dim);
    }
    for d in &m.decisions {
        b.line(
            vec![(
                format!("{} {}", cx.theme.symbols.dot, clean(d)),
                Seg::Normal,
            )],
            None,
        );
    }

    b.heading(format!("Follow-ups ({})", m.follow_ups.len()));
    if m.follow_ups.is_empty() {
        b.text("none recorded", Seg::Dim);
    }
    for f in &m.follow_ups {
        let mut body = vec![
            (
                if f.done { "[x] " } else { "[ ] " }.to_string(),
                Seg::Strong,
            ),
            (clean(&f.action), Seg::Normal),
        ];
        if !f.owner.is_empty() {
            body.push((format!(" · {}", clean(&f.owner)), Seg::Dim));
        }
        if let Some(due) = f.due {
            let late = cx.today.days() - due.last().days();
            let due = due.human();
            if !f.done && late > 0 {
                body.push((format!(" · due {due}, OVERDUE by {late} days"), Seg::Error));
            } else {
                body.push((format!(" · due {due}"), Seg::Dim));
            }
        }
        b.line(body, None);
    }

    b.heading(format!("Agenda ({})", m.agenda.len()));
    if m.agenda.is_empty() {
        b.text("none recorded", Seg::Dim);
    }
    for a in &m.agenda {
        let mut body = Vec::new();
        if !a.time.is_empty() {
            body.push((format!("{} ", clean(&a.time)), Seg::Dim));
        }
        body.push((clean(&a.title), Seg::Normal));
        if !a.presenter.is_empty() {
            body.push((format!(" ({})", clean(&a.presenter)), Seg::Dim));
        }
        b.line(body, None);
    }
}

/// Who attended a meeting and what it evaluated, below its minutes.
fn meeting(cx: &Cx, b: &mut Builder, m: &Meeting) {
    b.heading(format!("Attendance ({})", m.attendance.len()));
    if m.attendance.is_empty() {
        b.text("none recorded", Seg::Dim);
    }
    for a in &m.attendance {
        let seen = a.seen(|k, id| cx.replica.record(k, id));
        let mut body = vec![(clean(seen.name), Seg::Normal)];
        // (An organisation taking part as such is named once.)
        if !seen.organisation.is_empty() && seen.organisation != seen.name {
            body.push((format!(", {}", clean(seen.organisation)), Seg::Dim));
        }
        let link = match (seen.on_record, seen.partner) {
            (Some((kind, id)), _) => Some(Link::Record(kind, id.to_string())),
            (None, Some(p)) => Some(Link::Record(Kind::Partner, p.to_string())),
            (None, None) => None,
        };
        if link.is_some() {
            body[0].1 = Seg::Link;
        }
        b.line(body, link);
    }

    let sessions = cx
        .referrers_of_kind(Kind::Meeting, m.id.as_str(), Kind::Session)
        .map(|r| (Kind::Session, r.id().to_string(), String::new()))
        .collect();
    link_list(cx, b, "Evaluation sessions", sessions, None);
}

fn action_plan(cx: &Cx, b: &mut Builder, p: &ActionPlan) {
    let mut actions: Vec<(Kind, String, String)> = cx
        .referrers_of_kind(Kind::ActionPlan, p.id.as_str(), Kind::Action)
        .filter_map(|r| match r {
            Record::Action(a) => Some((
                Kind::Action,
                a.id.to_string(),
                format!("[{}]", a.status.label()),
            )),
            _ => None,
        })
        .collect();
    actions.sort();
    // What the plan takes in: the transfers its actions carry.
    let mut carried: Vec<(Kind, String, String)> = actions
        .iter()
        .flat_map(|(_, action, _)| transfer_links(cx, Kind::Action, action))
        .collect();
    carried.sort();
    link_list(cx, b, "Actions", actions, None);
    link_list(cx, b, "Transfers its actions carry", carried, None);

    b.heading(format!("Monitoring reports ({})", p.reports.len()));
    if p.reports.is_empty() {
        b.text("none yet", Seg::Dim);
    }
    for r in &p.reports {
        let mut body = vec![
            (
                format!("{} – {}", r.period_start.human(), r.period_end.human()),
                Seg::Strong,
            ),
            (format!(" · due {}", r.due.human()), Seg::Dim),
        ];
        match r.submitted_on {
            Some(d) => body.push((format!(" · submitted {}", d.human()), Seg::Normal)),
            None if r.due.before(cx.today) => body.push((
                format!(
                    " · OVERDUE by {} days",
                    cx.today.days() - r.due.last().days()
                ),
                Seg::Error,
            )),
            None => body.push((" · not submitted yet".to_string(), Seg::Warn)),
        }
        b.line(body, None);
        if !r.summary.trim().is_empty() {
            b.line(
                vec![
                    ("  ".into(), Seg::Normal),
                    (sanitize(&r.summary, true), Seg::Normal),
                ],
                None,
            );
        }
        for pr in &r.progress {
            let title = cx
                .replica
                .record(Kind::Action, pr.action.as_str())
                .map_or_else(|| pr.action.to_string(), |a| clean(&a.title()));
            let mut body = vec![
                ("  ".into(), Seg::Normal),
                (title, Seg::Link),
                (format!(": {}", pr.status.label()), Seg::Strong),
            ];
            if !pr.note.is_empty() {
                body.push((format!(" — {}", clean(&pr.note)), Seg::Normal));
            }
            b.line(
                body,
                Some(Link::Record(Kind::Action, pr.action.to_string())),
            );
        }
        for v in &r.indicators {
            b.line(
                vec![
                    ("  ".into(), Seg::Normal),
                    (
                        format!("{}: {}", clean(&v.indicator), clean(&v.value)),
                        Seg::Normal,
                    ),
                ],
                Some(Link::Record(Kind::Action, v.action.to_string())),
            );
        }
    }
}

fn action(cx: &Cx, b: &mut Builder, a: &Action) {
    let practices = a
        .inspired_by
        .iter()
        .map(|p| (Kind::Practice, p.to_string(), String::new()))
        .collect();
    link_list(cx, b, "Inspired by", practices, None);
    transfers_list(cx, b, "Transfers it carries", Kind::Action, a.id.as_str());
    b.heading(format!("Indicators ({})", a.indicators.len()));
    if a.indicators.is_empty() {
        b.text("none", Seg::Dim);
    }
    for i in &a.indicators {
        let target = if i.target.is_empty() {
            String::new()
        } else {
            format!(" (target: {})", clean(&i.target))
        };
        b.line(
            vec![(clean(&i.name), Seg::Normal), (target, Seg::Dim)],
            None,
        );
    }
    if let Some(Record::ActionPlan(plan)) = cx.replica.record(Kind::ActionPlan, a.plan.as_str()) {
        let reported: Vec<_> = plan
            .reports
            .iter()
            .flat_map(|r| {
                r.progress
                    .iter()
                    .filter(|p| p.action == a.id)
                    .map(move |p| (r, p))
            })
            .collect();
        if !reported.is_empty() {
            b.heading(format!("Monitoring ({})", reported.len()));
            for (r, p) in reported {
                let mut body = vec![
                    (
                        format!("{} – {}: ", r.period_start.human(), r.period_end.human()),
                        Seg::Dim,
                    ),
                    (p.status.label().to_string(), Seg::Strong),
                ];
                if !p.note.is_empty() {
                    body.push((format!(" — {}", clean(&p.note)), Seg::Normal));
                }
                b.line(
                    body,
                    Some(Link::Record(Kind::ActionPlan, plan.id.to_string())),
                );
            }
        }
    }
}

fn scheme(cx: &Cx, b: &mut Builder, s: &VoucherScheme, w: usize) {
    let sym = &cx.theme.symbols;
    b.heading(format!("Voucher types ({})", s.types.len()));
    for t in &s.types {
        let (lo, hi) = s.bounds(&t.code);
        let mut body = vec![
            (clean(&t.name), Seg::Strong),
            (format!(" ({}) ", clean(&t.code)), Seg::Dim),
            (format!("{} to {}", lo.eur(), hi.eur()), Seg::Normal),
        ];
        if let Some(n) = t.max_participants {
            body.push((format!(", up to {n} participants"), Seg::Normal));
        }
        b.line(body, None);
        if !t.description.trim().is_empty() {
            b.line(
                vec![
                    ("  ".into(), Seg::Normal),
                    (clean(&t.description), Seg::Dim),
                ],
                None,
            );
        }
    }

    let vouchers = scheme_vouchers(cx, s.id.as_str());
    let mut total = Totals::default();
    for v in &vouchers {
        total.add(v);
    }
    b.heading(format!("Applications ({})", vouchers.len()));
    b.field("Requested", &total.requested.eur());
    b.field("Approved", &total.approved.eur());
    b.field("Paid", &total.paid.eur());
    if let Some(budget) = s.budget.filter(|b| b.0 > 0) {
        let cells = bar_cells(w, 18 + 6).min(40);
        b.field_segs(
            "Budget used",
            gauge(total.used.0 as f64 / budget.0 as f64, cells, sym),
        );
        b.field("", &format!("{} of {}", total.used.eur(), budget.eur()));
    }
    for t in &s.types {
        let mut tt = Totals::default();
        vouchers
            .iter()
            .filter(|v| v.voucher_type == t.code)
            .for_each(|v| tt.add(v));
        let link = Link::List {
            kind: Kind::Voucher,
            filters: vec![
                Filter {
                    facet: Facet::Scheme,
                    value: s.id.to_string(),
                },
                Filter {
                    facet: Facet::VoucherType,
                    value: t.code.clone(),
                },
            ],
            project: None,
        };
        b.line(
            vec![
                (clean(&t.name), Seg::Link),
                (
                    format!(
                        ": {} applications, {} approved, {} paid",
                        tt.count,
                        tt.approved.eur(),
                        tt.paid.eur()
                    ),
                    Seg::Normal,
                ),
            ],
            Some(link),
        );
    }
    let all = Link::List {
        kind: Kind::Voucher,
        filters: vec![Filter {
            facet: Facet::Scheme,
            value: s.id.to_string(),
        }],
        project: None,
    };
    let links = vouchers
        .iter()
        .map(|v| {
            (
                Kind::Voucher,
                v.id.to_string(),
                format!(
                    "{} [{}] {}",
                    date(v.submitted_on),
                    v.status.label(),
                    v.requested.eur()
                ),
            )
        })
        .collect();
    b.line(
        vec![(
            format!("All {} applications in the Vouchers list", vouchers.len()),
            Seg::Link,
        )],
        Some(all.clone()),
    );
    link_list(cx, b, "Applications, by date", links, Some(all));
}

/// A stakeholder's bespoke sections (what they are and whose group are declared rows): their
/// contact details only with a recorded consent (and never once erased), and the meetings
/// they attended.
fn stakeholder(cx: &Cx, b: &mut Builder, s: &Stakeholder) {
    match (&s.erased, s.contact()) {
        (Some(e), _) => b.field(
            "Personal data",
            &format!("erased on {} by {}", e.at.date(), e.by),
        ),
        (None, Some((email, phone))) => {
            b.field("Email", email);
            b.field("Phone", phone);
            b.field("Consent", &date(s.consent));
        }
        (None, None) => b.field("Contact", "none kept: no consent recorded"),
    }
    let mut meetings: Vec<&Meeting> = cx
        .referrers_of_kind(Kind::Stakeholder, s.id.as_str(), Kind::Meeting)
        .filter_map(|r| match r {
            Record::Meeting(m) => Some(&**m),
            _ => None,
        })
        .collect();
    meetings.sort_by_key(|m| (m.start.sort_key(), m.id.clone()));
    let attended = meetings
        .iter()
        .map(|m| (Kind::Meeting, m.id.to_string(), m.start.human()))
        .collect();
    link_list(cx, b, "Meetings attended", attended, None);
}

/// A partner's regional stakeholder group by helix type, and who of it attended which RSG
/// meeting (those it hosted, and those its stakeholders attended).
fn stakeholder_group(cx: &Cx, b: &mut Builder, p: &Partner) {
    let mut group: Vec<&Stakeholder> = cx
        .referrers_of_kind(Kind::Partner, p.id.as_str(), Kind::Stakeholder)
        .filter_map(|r| match r {
            Record::Stakeholder(s) => Some(&**s),
            _ => None,
        })
        .collect();
    group.sort_by_key(|s| (s.helix, kinds::sort_text(s.display_name()), s.id.clone()));
    b.heading(format!("Regional stakeholder group ({})", group.len()));
    if group.is_empty() {
        b.text("none recorded", Seg::Dim);
    }
    for helix in Helix::ALL {
        let of: Vec<&&Stakeholder> = group.iter().filter(|s| s.helix == *helix).collect();
        if of.is_empty() {
            continue;
        }
        b.text(format!("{} ({})", helix.label(), of.len()), Seg::Strong);
        for s in of {
            let organisation = if s.name.trim().is_empty() {
                ""
            } else {
                s.organisation.as_str()
            };
            let mut body = vec![(clean(s.display_name()), Seg::Link)];
            let extra = join_nonempty(&[&s.role, organisation], ", ");
            if !extra.is_empty() {
                body.push((format!(" · {extra}"), Seg::Dim));
            }
            b.line(
                body,
                Some(Link::Record(Kind::Stakeholder, s.id.to_string())),
            );
        }
    }
    // Each RSG meeting with the names of the group's stakeholders who attended it.
    let mut meetings: Vec<(&Meeting, Vec<&str>, usize)> = Vec::new();
    let hosted =
        cx.referrers_of_kind(Kind::Partner, p.id.as_str(), Kind::Meeting)
            .chain(group.iter().flat_map(|s| {
                cx.referrers_of_kind(Kind::Stakeholder, s.id.as_str(), Kind::Meeting)
            }));
    for r in hosted {
        let Record::Meeting(m) = r else { continue };
        if m.kind != MeetingKind::RsgMeeting || meetings.iter().any(|(x, _, _)| x.id == m.id) {
            continue;
        }
        let ours: Vec<&str> = m
            .attendance
            .iter()
            .filter(|a| {
                a.stakeholder
                    .as_ref()
                    .is_some_and(|id| group.iter().any(|s| s.id == *id))
            })
            .map(|a| a.seen(|k, id| cx.replica.record(k, id)).name)
            .collect();
        let others = m.attendance.len() - ours.len();
        if ours.is_empty() && m.host.as_ref() != Some(&p.id) {
            continue;
        }
        meetings.push((m, ours, others));
    }
    meetings.sort_by_key(|(m, _, _)| (m.start.sort_key(), m.id.clone()));
    b.heading(format!("RSG meetings ({})", meetings.len()));
    if meetings.is_empty() {
        b.text("none recorded", Seg::Dim);
    }
    for (m, ours, others) in meetings {
        b.line(
            vec![
                (format!("{} ", m.start.human()), Seg::Dim),
                (clean(&m.title), Seg::Link),
            ],
            Some(Link::Record(Kind::Meeting, m.id.to_string())),
        );
        let mut who = if ours.is_empty() {
            "none of the group on record".to_string()
        } else {
            ours.iter().map(|n| clean(n)).collect::<Vec<_>>().join(", ")
        };
        if others > 0 {
            who.push_str(&format!(
                " (and {others} other{})",
                if others == 1 { "" } else { "s" }
            ));
        }
        b.text(format!("  attended: {who}"), Seg::Normal);
    }
}

fn sme(cx: &Cx, b: &mut Builder, s: &Sme) {
    let mut vouchers: Vec<&Voucher> = cx
        .referrers_of_kind(Kind::Sme, s.id.as_str(), Kind::Voucher)
        .filter_map(|r| match r {
            Record::Voucher(v) => Some(&**v),
            _ => None,
        })
        .collect();
    vouchers.sort_by_key(|a| (a.submitted_on.map(Date::sort_key), a.id.clone()));
    let mut by_year: std::collections::BTreeMap<i32, Totals> = Default::default();
    for v in &vouchers {
        if let Some(y) = v.cap_year() {
            by_year.entry(y).or_default().add(v);
        }
    }
    if !by_year.is_empty() {
        b.heading("Vouchers per year");
        for (y, t) in by_year {
            b.line(
                vec![
                    (format!("{y}: "), Seg::Strong),
                    (
                        format!(
                            "{} applications, {} approved, {} paid",
                            t.count,
                            t.approved.eur(),
                            t.paid.eur()
                        ),
                        Seg::Normal,
                    ),
                ],
                None,
            );
        }
    }
    let links = vouchers
        .iter()
        .map(|v| {
            (
                Kind::Voucher,
                v.id.to_string(),
                format!("{} [{}]", date(v.submitted_on), v.status.label()),
            )
        })
        .collect();
    link_list(cx, b, "Vouchers", links, None);
}

fn partner(cx: &Cx, b: &mut Builder, p: &Partner) {
    let mut practices: Vec<(Kind, String, String)> = cx
        .referrers_of_kind(Kind::Partner, p.id.as_str(), Kind::Practice)
        .filter_map(|r| match r {
            Record::Practice(x) => Some((
                Kind::Practice,
                x.id.to_string(),
                format!("[{}]", x.status.label()),
            )),
            _ => None,
        })
        .collect();
    practices.sort();
    link_list(cx, b, "Practices identified", practices, None);
    transfers_list(cx, b, "Practices it took in", Kind::Partner, p.id.as_str());
    let mut meetings: Vec<&Meeting> = cx
        .referrers_of_kind(Kind::Partner, p.id.as_str(), Kind::Meeting)
        .filter_map(|r| match r {
            Record::Meeting(m) => Some(&**m),
            _ => None,
        })
        .collect();
    meetings.sort_by_key(|m| (m.start.sort_key(), m.id.clone()));
    let hosted: Vec<_> = meetings
        .iter()
        .map(|m| {
            let role = if m.host.as_ref() == Some(&p.id) {
                "host"
            } else {
                "attended"
            };
            (
                Kind::Meeting,
                m.id.to_string(),
                format!("{} ({role})", m.start.human()),
            )
        })
        .collect();
    link_list(cx, b, "Meetings", hosted, None);
    let plans = cx
        .referrers_of_kind(Kind::Partner, p.id.as_str(), Kind::ActionPlan)
        .map(|r| (Kind::ActionPlan, r.id().to_string(), String::new()))
        .collect();
    link_list(cx, b, "Action plans", plans, None);
}

fn project(cx: &Cx, b: &mut Builder, p: &Project, w: usize) {
    let mut partners: Vec<(Kind, String, String)> = cx
        .referrers_of_kind(Kind::Project, p.id.as_str(), Kind::Partner)
        .filter_map(|r| match r {
            Record::Partner(x) => Some((
                Kind::Partner,
                x.id.to_string(),
                format!("{} {}", x.country, x.role.label()),
            )),
            _ => None,
        })
        .collect();
    partners.sort_by(|a, b| a.2.cmp(&b.2));
    link_list(cx, b, "Partners", partners, None);
    b.heading("Lists of this project");
    for kind in [
        Kind::Practice,
        Kind::Meeting,
        Kind::ActionPlan,
        Kind::Scheme,
    ] {
        let n = cx
            .referrers_of_kind(Kind::Project, p.id.as_str(), kind)
            .count();
        b.line(
            vec![
                (format!("{} ", kinds::plural(kind)), Seg::Link),
                (format!("({n})"), Seg::Dim),
            ],
            Some(Link::List {
                kind,
                filters: Vec::new(),
                project: Some(p.id.to_string()),
            }),
        );
    }
    overview::funnel_rows(cx, b, Some(p.id.as_str()), w);
}

fn session(cx: &Cx, b: &mut Builder, s: &EvaluationSession) {
    let practices = s
        .practices
        .iter()
        .map(|p| {
            let extra = s
                .consensus
                .iter()
                .find(|c| &c.practice == p)
                .map(|c| {
                    let mut t = String::from("[");
                    t.push_str(c.decision.map_or("no decision", |d| d.label()));
                    if let Some(v) = c.value {
                        t.push_str(&format!(", {v}"));
                    }
                    t.push(']');
                    t
                })
                .unwrap_or_default();
            (Kind::Practice, p.to_string(), extra)
        })
        .collect();
    link_list(cx, b, "Practices evaluated", practices, None);
    criteria(b, &s.criteria);
    let scores = cx
        .referrers_of_kind(Kind::Session, s.id.as_str(), Kind::Score)
        .count();
    b.field("Scores recorded", &scores.to_string());
}

fn criteria(b: &mut Builder, criteria: &[Criterion]) {
    b.heading(format!("Criteria ({})", criteria.len()));
    if criteria.is_empty() {
        b.text("frozen when the session opens", Seg::Dim);
    }
    for c in criteria {
        let mut body = vec![
            (format!("{} ", clean(&c.code)), Seg::Strong),
            (clean(&c.label), Seg::Normal),
            (
                format!(
                    " · weight {} · scale {}–{} step {}",
                    c.weight, c.scale.min, c.scale.max, c.scale.step
                ),
                Seg::Dim,
            ),
        ];
        if let Some(t) = c.pass_threshold {
            body.push((format!(" · pass at {t}"), Seg::Dim));
        }
        if c.eliminatory {
            body.push((" · eliminatory".to_string(), Seg::Warn));
        }
        b.line(body, None);
    }
}

fn criteria_set(cx: &Cx, b: &mut Builder, c: &CriteriaSet) {
    criteria(b, &c.criteria);
    let sessions = cx
        .referrers_of_kind(Kind::CriteriaSet, c.id.as_str(), Kind::Session)
        .map(|r| (Kind::Session, r.id().to_string(), String::new()))
        .collect();
    link_list(cx, b, "Used by sessions", sessions, None);
}
