//! `taskforce due`: what is overdue or due soon — meeting follow-ups, semester monitoring
//! reports, voucher claims and voucher-scheme windows closing — as a table, TSV or JSON.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::model::*;

/// One thing to do by a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueItem {
    /// "overdue" or "upcoming".
    pub state: &'static str,
    pub due: Date,
    /// Days from today to the due date (negative when overdue).
    pub days: i32,
    /// "follow-up", "monitoring report", "voucher claim", "scheme closes".
    pub what: &'static str,
    pub kind: &'static str,
    pub id: String,
    pub owner: String,
    pub title: String,
}

/// Everything overdue as of `today` or due within `within` days of it, overdue first, each by date.
pub fn due(replica: &Replica, today: Date, within: i32) -> Vec<DueItem> {
    let horizon = today.add_days(within);
    let mut items = Vec::new();
    let mut push =
        |due: Date, what: &'static str, kind: Kind, id: &str, owner: String, title: String| {
            // An approximate deadline ("Dec 2026") is due by its last possible day.
            if due.first().after(horizon) {
                return;
            }
            items.push(DueItem {
                state: if due.before(today) {
                    "overdue"
                } else {
                    "upcoming"
                },
                due,
                days: due.last().days() - today.days(),
                what,
                kind: kind.key(),
                id: id.to_string(),
                owner,
                title,
            });
        };
    for row in replica.rows(Kind::Meeting) {
        let Record::Meeting(m) = &row.record else {
            continue;
        };
        for f in m.follow_ups.iter().filter(|f| !f.done) {
            if let Some(d) = f.due {
                push(
                    d,
                    "follow-up",
                    Kind::Meeting,
                    m.id.as_str(),
                    f.owner.clone(),
                    format!("{} ({})", f.action, m.title),
                );
            }
        }
    }
    for row in replica.rows(Kind::ActionPlan) {
        let Record::ActionPlan(p) = &row.record else {
            continue;
        };
        for r in p.reports.iter().filter(|r| r.submitted_on.is_none()) {
            let owner = match replica.record(Kind::Partner, p.partner.as_str()) {
                Some(Record::Partner(partner)) => partner.organisation.clone(),
                _ => p.partner.to_string(),
            };
            push(
                r.due,
                "monitoring report",
                Kind::ActionPlan,
                p.id.as_str(),
                owner,
                format!(
                    "semester {} – {} of {}",
                    r.period_start, r.period_end, p.title
                ),
            );
        }
    }
    for row in replica.rows(Kind::Voucher) {
        let Record::Voucher(v) = &row.record else {
            continue;
        };
        // An approved voucher's claim is due by the end of its contract.
        if v.status == VoucherStatus::Approved
            && v.claim_on.is_none()
            && let Some(end) = v.contract_end
        {
            let sme = match replica.record(Kind::Sme, v.sme.as_str()) {
                Some(Record::Sme(s)) => s.name.clone(),
                _ => v.sme.to_string(),
            };
            push(
                end,
                "voucher claim",
                Kind::Voucher,
                v.id.as_str(),
                sme,
                format!("claim for {}", v.service),
            );
        }
    }
    for row in replica.rows(Kind::Scheme) {
        let Record::Scheme(s) = &row.record else {
            continue;
        };
        // A window closing is a deadline to apply by, never something overdue.
        if let Some(closes) = s.closes
            && !closes.before(today)
        {
            push(
                closes,
                "scheme closes",
                Kind::Scheme,
                s.id.as_str(),
                s.issuer.clone(),
                format!("last day to apply: {}", s.name),
            );
        }
    }
    items.sort_by(|a, b| {
        (a.state != "overdue")
            .cmp(&(b.state != "overdue"))
            .then(a.due.last().chrono(&b.due.last()))
            .then(a.due.chrono(&b.due))
            .then(a.id.cmp(&b.id))
    });
    items
}

const HEADER: [&str; 7] = ["state", "due", "days", "what", "id", "owner", "title"];

fn cells(i: &DueItem) -> [String; 7] {
    [
        i.state.to_string(),
        i.due.to_string(),
        i.days.to_string(),
        i.what.to_string(),
        i.id.clone(),
        text::sanitize(&i.owner, false),
        text::sanitize(&i.title, false),
    ]
}

pub fn table(items: &[DueItem]) -> String {
    if items.is_empty() {
        return "nothing is overdue or due soon\n".into();
    }
    let head: Vec<String> = HEADER.iter().map(|h| h.to_uppercase()).collect();
    let rows: Vec<Vec<String>> = std::iter::once(head)
        .chain(items.iter().map(|i| {
            cells(i)
                .into_iter()
                .map(|c| super::listing::truncate(&c, 60))
                .collect()
        }))
        .collect();
    let widths: Vec<usize> = (0..HEADER.len())
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        for (c, cell) in r.iter().enumerate() {
            out.push_str(cell);
            if c + 1 < r.len() {
                out.push_str(&" ".repeat(widths[c] - cell.width() + 2));
            }
        }
        out.push('\n');
    }
    out
}

pub fn tsv(items: &[DueItem]) -> String {
    let mut out = HEADER.join("\t");
    out.push('\n');
    for i in items {
        let row: Vec<String> = cells(i)
            .into_iter()
            .map(|c| c.replace(['\t', '\n'], " "))
            .collect();
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
    out
}

pub fn json(items: &[DueItem]) -> String {
    let mut out = serde_json::to_string_pretty(items).expect("items serialise");
    out.push('\n');
    out
}
