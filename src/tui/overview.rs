//! The overviews people would otherwise build in a spreadsheet: the practice funnel, the
//! meetings on a time line, voucher totals with the budget used, and what is overdue. Each row
//! that stands for records links to them.

use std::collections::BTreeMap;

use crate::model::text::sanitize;
use crate::model::*;

use super::content::{
    Builder, Item, Link, MAX_LINKS, Seg, Totals, bar_cells, gauge, label_width, scheme_vouchers,
};
use super::feature::Cx;
use super::kinds::{self, Facet};
use super::nav::{Filter, Overview};
use super::text;

fn clean(t: &str) -> String {
    sanitize(t, false)
}

/// The projects an overview covers: the chosen one, or all (sorted by acronym).
fn projects(cx: &Cx) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = cx
        .replica
        .rows(Kind::Project)
        .filter(|r| cx.project().is_none_or(|p| p == r.record.id()))
        .map(|r| {
            (
                kinds::project_name(cx.replica, r.record.id()),
                r.record.id().to_string(),
            )
        })
        .collect();
    out.sort_by_key(|(name, id)| (kinds::sort_text(name), id.clone()));
    out
}

pub fn items(cx: &Cx, which: Overview, w: usize) -> Vec<Item> {
    let mut b = Builder::default();
    // Rows that link start with the link symbol: lay them out in what is left.
    let w = w.saturating_sub(text::width(cx.theme.symbols.link));
    let scope = cx.project().map_or("all projects".to_string(), |p| {
        kinds::project_name(cx.replica, p)
    });
    b.line(
        vec![(format!("{} — {scope}", which.label()), Seg::Strong)],
        None,
    );
    match which {
        Overview::Funnel => funnel(cx, &mut b, w),
        Overview::Timeline => timeline(cx, &mut b, w),
        Overview::Vouchers => vouchers(cx, &mut b, w),
        Overview::Overdue => overdue(cx, &mut b),
        Overview::Transfers => transfers(cx, &mut b, w),
    }
    b.items
}

fn funnel(cx: &Cx, b: &mut Builder, w: usize) {
    let projects = projects(cx);
    if projects.is_empty() {
        b.text("There are no projects yet.", Seg::Dim);
    }
    for (name, id) in &projects {
        let title = cx
            .replica
            .record(Kind::Project, id)
            .map_or_else(|| name.clone(), |r| clean(&r.title()));
        b.heading(title);
        funnel_rows(cx, b, Some(id), w);
    }
    if cx.project().is_none() && projects.len() > 1 {
        b.heading("All projects");
        funnel_rows(cx, b, None, w);
    }
    b.heading("Reading the funnel");
    b.text("Each bar counts the practices that reached the stage (or were rejected); \"now\" counts those at it today. Enter lists those now at the stage.", Seg::Dim);
}

/// The funnel bars of one project (or all): identified → … → in handbook, then rejected.
pub fn funnel_rows(cx: &Cx, b: &mut Builder, project: Option<&str>, w: usize) {
    let mut now: BTreeMap<PracticeStatus, usize> = BTreeMap::new();
    let mut total = 0;
    for row in cx.replica.rows(Kind::Practice) {
        if let Record::Practice(p) = &row.record
            && project.is_none_or(|id| p.project.as_str() == id)
        {
            total += 1;
            *now.entry(p.status).or_default() += 1;
        }
    }
    if total == 0 {
        b.text("No practices yet.", Seg::Dim);
        return;
    }
    let sym = &cx.theme.symbols;
    let label_w = label_width(PracticeStatus::FUNNEL.iter().map(|s| s.label())) + 1;
    let digits = total.to_string().len();
    let tail = 2 * digits + 14;
    let cells = bar_cells(w, label_w + tail + 1);
    for stage in PracticeStatus::FUNNEL {
        let reached: usize = now
            .iter()
            .filter(|(s, _)| s.reached(*stage))
            .map(|(_, n)| n)
            .sum();
        let at = now.get(stage).copied().unwrap_or(0);
        let filled = ((reached as f64 / total as f64) * cells as f64).round() as usize;
        let filled = if reached > 0 { filled.max(1) } else { 0 };
        let seg = if *stage == PracticeStatus::Rejected {
            Seg::BarRejected
        } else {
            Seg::Bar
        };
        let body = vec![
            (text::pad(stage.label(), label_w, sym.ellipsis), Seg::Label),
            (sym.bar_full.repeat(filled), seg),
            (" ".repeat(cells - filled.min(cells) + 1), Seg::Normal),
            (format!("{reached:>digits$}"), Seg::Strong),
            (format!(" · {at:>digits$} now"), Seg::Dim),
        ];
        let link = Link::List {
            kind: Kind::Practice,
            filters: vec![Filter {
                facet: Facet::PracticeStatus,
                value: stage.key().to_string(),
            }],
            project: project.map(String::from),
        };
        b.line(body, Some(link));
    }
}

/// Per project, each adopting partner (its region) with its transfers counted by the stage
/// they are at; each row lists that partner's transfers.
fn transfers(cx: &Cx, b: &mut Builder, w: usize) {
    const STAGES: [TransferStage; 5] = [
        TransferStage::Interest,
        TransferStage::Studied,
        TransferStage::Adapted,
        TransferStage::Adopted,
        TransferStage::Dropped,
    ];
    let sym = &cx.theme.symbols;
    let projects = projects(cx);
    if projects.is_empty() {
        b.text("There are no projects yet.", Seg::Dim);
    }
    let cell = 9;
    for (name, id) in &projects {
        b.heading(name.clone());
        // Adopting partner → counts per stage (and those with no stage yet).
        let mut by_partner: BTreeMap<String, ([usize; 5], usize)> = BTreeMap::new();
        for row in cx.replica.rows(Kind::Transfer) {
            let Record::Transfer(t) = &row.record else {
                continue;
            };
            let Some(Record::Partner(p)) = cx.replica.record(Kind::Partner, t.partner.as_str())
            else {
                continue;
            };
            if p.project.as_str() != id {
                continue;
            }
            let counts = by_partner.entry(t.partner.to_string()).or_default();
            match t.stage().and_then(|s| STAGES.iter().position(|x| *x == s)) {
                Some(i) => counts.0[i] += 1,
                None => counts.1 += 1,
            }
        }
        if by_partner.is_empty() {
            b.text("No transfers yet.", Seg::Dim);
            continue;
        }
        let names: Vec<(String, String)> = by_partner
            .keys()
            .map(|pid| {
                let shown = match cx.replica.record(Kind::Partner, pid) {
                    Some(Record::Partner(p)) if !p.short_name.trim().is_empty() => {
                        clean(&p.short_name)
                    }
                    Some(r) => clean(&r.title()),
                    None => pid.clone(),
                };
                (pid.clone(), shown)
            })
            .collect();
        const ALL: &str = "All regions";
        // The rows that link start with the link symbol; the others line up with them.
        let indent = " ".repeat(text::width(sym.link));
        let label_w = (w.saturating_sub(cell * STAGES.len() + 1))
            .min(label_width(
                names.iter().map(|(_, n)| n.as_str()).chain([ALL]),
            ))
            .max(6);
        // A label cut short still leaves a space before the numbers.
        let label = |t: &str| text::pad(t, label_w, sym.ellipsis) + " ";
        let mut head = vec![(indent.clone() + &" ".repeat(label_w + 1), Seg::Normal)];
        for s in STAGES {
            head.push((text::pad(s.label(), cell, sym.ellipsis), Seg::Dim));
        }
        b.line(head, None);
        let mut totals = [0usize; 5];
        for (pid, shown) in &names {
            let (counts, _) = by_partner[pid];
            let mut body = vec![(label(shown), Seg::Label)];
            for (i, n) in counts.iter().enumerate() {
                totals[i] += n;
                let seg = match (STAGES[i], *n) {
                    (_, 0) => Seg::Dim,
                    (TransferStage::Adopted, _) => Seg::Strong,
                    _ => Seg::Normal,
                };
                body.push((text::pad(&n.to_string(), cell, sym.ellipsis), seg));
            }
            let link = Link::List {
                kind: Kind::Transfer,
                filters: Vec::new(),
                project: Some(id.clone()),
            };
            b.line(body, Some(link));
        }
        let mut total = vec![(indent + &label(ALL), Seg::Strong)];
        for n in totals {
            total.push((text::pad(&n.to_string(), cell, sym.ellipsis), Seg::Strong));
        }
        b.line(total, None);
    }
    b.heading("Reading the table");
    b.text("Each row counts a region's transfers by the stage they are at now; \"adopted\" is a policy instrument changed. Enter lists the project's transfers.", Seg::Dim);
}

fn timeline(cx: &Cx, b: &mut Builder, w: usize) {
    let sym = &cx.theme.symbols;
    let projects = projects(cx);
    if projects.is_empty() {
        b.text("There are no projects yet.", Seg::Dim);
    }
    for (name, id) in &projects {
        let mut meetings: Vec<&Meeting> = cx
            .referrers_of_kind(Kind::Project, id, Kind::Meeting)
            .filter_map(|r| match r {
                Record::Meeting(m) => Some(&**m),
                _ => None,
            })
            .collect();
        meetings.sort_by_key(|m| (m.start.sort_key(), m.id.clone()));
        let project = match cx.replica.record(Kind::Project, id) {
            Some(Record::Project(p)) => Some(p),
            _ => None,
        };
        b.heading(format!("{name} ({} meetings)", meetings.len()));
        if meetings.is_empty() {
            b.text("No meetings yet.", Seg::Dim);
            continue;
        }
        let first = Date::from_days(
            project
                .and_then(|p| p.start)
                .map_or(i32::MAX, Date::days)
                .min(meetings[0].start.days()),
        );
        let latest = meetings.iter().map(|m| m.last_day().days()).max();
        let last = Date::from_days(
            project
                .and_then(|p| p.end)
                .map_or(i32::MIN, |e| e.last().days())
                .max(latest.unwrap_or(i32::MIN)),
        );
        let track = (w / 3).clamp(8, 40);
        let span = (last.days() - first.days()).max(1) as f64;
        let pos = |d: Date| {
            (((d.days() - first.days()) as f64 / span) * (track - 1) as f64).round() as usize
        };
        // The years along the track.
        let mut ruler: Vec<char> = vec![' '; track + 2];
        let mut y = first.year();
        while y <= last.year() {
            if let Some(d) = Date::from_ymd(y, 1, 1).filter(|d| !d.before(first)) {
                let label = format!("{:02}", y % 100);
                let at = pos(d) + 1;
                if at + 2 <= ruler.len()
                    && ruler[at.saturating_sub(1)..(at + 2).min(ruler.len())]
                        .iter()
                        .all(|c| *c == ' ')
                {
                    for (i, c) in label.chars().enumerate() {
                        ruler[at + i] = c;
                    }
                }
            }
            y += 1;
        }
        let ruler: String = ruler.into_iter().collect();
        let pad = " ".repeat(text::width(sym.link));
        b.line(
            vec![
                (format!("{pad}{ruler}"), Seg::Dim),
                (
                    format!(
                        " years ('{:02}-'{:02})",
                        first.year() % 100,
                        last.year() % 100
                    ),
                    Seg::Dim,
                ),
            ],
            None,
        );
        let shown = meetings.len().min(MAX_LINKS * 5);
        for m in &meetings[..shown] {
            let (s, e) = (pos(m.start), pos(m.last_day()));
            let mut bar = String::new();
            bar.push_str(sym.axis_start);
            for i in 0..track {
                bar.push_str(if i >= s && i <= e { sym.dot } else { sym.axis });
            }
            bar.push_str(sym.axis_end);
            let place = if m.city.is_empty() {
                m.mode.label().to_string()
            } else {
                clean(&m.city)
            };
            // One line per meeting: the title gives way when the pane is narrow.
            let when = format!("{:<10}", m.start.human());
            let room = w.saturating_sub(track + 2 + 2 + text::width(&when));
            let tail = text::truncate(
                &format!("{} · {} · {place}", clean(&m.title), m.kind.label()),
                room,
                sym.ellipsis,
            );
            let body = vec![
                (bar, Seg::Bar),
                (format!(" {when} "), Seg::Strong),
                (tail, Seg::Link),
            ];
            b.line(body, Some(Link::Record(Kind::Meeting, m.id.to_string())));
        }
        if meetings.len() > shown {
            b.line(
                vec![(
                    format!(
                        "… and {} more: open them in the Meetings list",
                        meetings.len() - shown
                    ),
                    Seg::Link,
                )],
                Some(Link::List {
                    kind: Kind::Meeting,
                    filters: Vec::new(),
                    project: Some(id.clone()),
                }),
            );
        }
    }
}

fn vouchers(cx: &Cx, b: &mut Builder, w: usize) {
    let sym = &cx.theme.symbols;
    let mut schemes: Vec<&VoucherScheme> = cx
        .replica
        .rows(Kind::Scheme)
        .filter(|r| kinds::in_scope(cx.replica, &r.record, cx.project()))
        .filter_map(|r| match &r.record {
            Record::Scheme(s) => Some(&**s),
            _ => None,
        })
        .collect();
    schemes.sort_by(|a, b| a.name.cmp(&b.name));
    if schemes.is_empty() {
        b.text(
            match cx.project() {
                Some(p) => format!(
                    "{} has no voucher schemes.",
                    kinds::project_name(cx.replica, p)
                ),
                None => "No voucher schemes yet.".to_string(),
            },
            Seg::Dim,
        );
    }
    // Columns: name, then as many amounts as fit.
    let num_w = 15;
    let amounts = ((w.saturating_sub(16 + 7)) / num_w).min(3);
    for s in schemes {
        let vs = scheme_vouchers(cx, s.id.as_str());
        let mut by_type: BTreeMap<&str, Totals> = BTreeMap::new();
        let mut total = Totals::default();
        for v in &vs {
            by_type.entry(v.voucher_type.as_str()).or_default().add(v);
            total.add(v);
        }
        b.heading(clean(&s.name));
        if let Some(budget) = s.budget.filter(|b| b.0 > 0) {
            let cells = bar_cells(w, 18 + 6).min(40);
            b.field_segs(
                "Budget used",
                gauge(total.used.0 as f64 / budget.0 as f64, cells, sym),
            );
            b.field("", &format!("{} of {}", total.used.eur(), budget.eur()));
        } else {
            b.field(
                "Budget used",
                &format!("{} (no budget recorded)", total.used.eur()),
            );
        }
        let name_w = w.saturating_sub(7 + amounts * num_w).max(8);
        let header = ["Requested", "Approved", "Paid"];
        let mut head = format!(
            "{}{}{:>7}",
            " ".repeat(text::width(sym.link)),
            text::pad("Type", name_w, sym.ellipsis),
            "Count"
        );
        for h in header.iter().take(amounts) {
            head.push_str(&format!("{h:>num_w$}"));
        }
        b.line(vec![(head, Seg::Label)], None);
        let row = |label: &str, t: &Totals, strong: bool| {
            let mut line = format!("{}{:>7}", text::pad(label, name_w, sym.ellipsis), t.count);
            let values = [t.requested, t.approved, t.paid];
            for v in values.iter().take(amounts) {
                line.push_str(&format!("{:>num_w$}", group_thousands(&v.to_string())));
            }
            vec![(line, if strong { Seg::Strong } else { Seg::Normal })]
        };
        let mut codes: Vec<&str> = s.types.iter().map(|t| t.code.as_str()).collect();
        codes.extend(by_type.keys().filter(|c| s.voucher_type(c).is_none()));
        for code in codes {
            let t = by_type.get(code).copied().unwrap_or_default();
            let name = s
                .voucher_type(code)
                .map_or_else(|| clean(code), |t| clean(&t.name));
            let link = Link::List {
                kind: Kind::Voucher,
                filters: vec![
                    Filter {
                        facet: Facet::Scheme,
                        value: s.id.to_string(),
                    },
                    Filter {
                        facet: Facet::VoucherType,
                        value: code.to_string(),
                    },
                ],
                project: None,
            };
            b.line(row(&name, &t, false), Some(link));
        }
        let link = Link::List {
            kind: Kind::Voucher,
            filters: vec![Filter {
                facet: Facet::Scheme,
                value: s.id.to_string(),
            }],
            project: None,
        };
        b.line(row("Total", &total, true), Some(link));
        if amounts < 3 {
            b.text(
                format!(
                    "Requested {} · approved {} · paid {}",
                    total.requested.eur(),
                    total.approved.eur(),
                    total.paid.eur()
                ),
                Seg::Dim,
            );
        }
    }
}

/// Something due: the date, its text, and the record it belongs to.
type Dated = (Date, Vec<(String, Seg)>, Link);

fn overdue(cx: &Cx, b: &mut Builder) {
    let today = cx.today;
    let soon = today.add_days(30);
    // (due, what, where it leads)
    let mut rows: Vec<Dated> = Vec::new();
    for row in cx.replica.rows(Kind::Meeting) {
        let Record::Meeting(m) = &row.record else {
            continue;
        };
        if !kinds::in_scope(cx.replica, &row.record, cx.project()) {
            continue;
        }
        for f in m.follow_ups.iter().filter(|f| !f.done) {
            let Some(due) = f.due else { continue };
            if due.first().after(soon) {
                continue;
            }
            let mut body = vec![(format!("Follow-up: {}", clean(&f.action)), Seg::Normal)];
            if !f.owner.is_empty() {
                body.push((format!(" · {}", clean(&f.owner)), Seg::Dim));
            }
            body.push((format!(" · from {}", clean(&m.title)), Seg::Link));
            rows.push((due, body, Link::Record(Kind::Meeting, m.id.to_string())));
        }
    }
    for row in cx.replica.rows(Kind::ActionPlan) {
        let Record::ActionPlan(p) = &row.record else {
            continue;
        };
        if !kinds::in_scope(cx.replica, &row.record, cx.project()) {
            continue;
        }
        for r in p
            .reports
            .iter()
            .filter(|r| r.submitted_on.is_none() && !r.due.first().after(soon))
        {
            let body = vec![
                (
                    format!("Monitoring report {} – {}", r.period_start, r.period_end),
                    Seg::Normal,
                ),
                (format!(" · {}", clean(&p.title)), Seg::Link),
            ];
            rows.push((
                r.due,
                body,
                Link::Record(Kind::ActionPlan, p.id.to_string()),
            ));
        }
    }
    rows.sort_by_key(|r| (r.0.last().days(), r.0.sort_key()));
    let (late, coming): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.0.before(today));
    b.heading(format!("Overdue ({})", late.len()));
    if late.is_empty() {
        b.text("Nothing is overdue.", Seg::Dim);
    }
    for (due, mut body, link) in late {
        let days = today.days() - due.last().days();
        body.insert(
            0,
            (format!("{} {days:>4} days late ", due.human()), Seg::Error),
        );
        b.line(body, Some(link));
    }
    b.heading(format!("Due in the next 30 days ({})", coming.len()));
    if coming.is_empty() {
        b.text("Nothing is due in the next 30 days.", Seg::Dim);
    }
    for (due, mut body, link) in coming {
        let days = due.last().days() - today.days();
        let when = if days == 0 {
            "today".to_string()
        } else {
            format!("in {days} days")
        };
        body.insert(0, (format!("{} {when:>12} ", due.human()), Seg::Warn));
        b.line(body, Some(link));
    }
}
