//! Meetings as a calendar (iCalendar, RFC 5545, with the icalendar crate): one all-day event per
//! meeting, with its place, its agenda and how it is held, for people's calendar programs.

use icalendar::{Calendar, Component, Event, EventLike};

use crate::model::*;

fn naive(d: Date) -> Option<chrono::NaiveDate> {
    let (y, m, day) = d.ymd();
    chrono::NaiveDate::from_ymd_opt(y, m, day)
}

/// The meetings as an .ics calendar, and the meetings left out because their dates are known
/// only approximately (a calendar has no "some day in December 2016": such a meeting would show
/// as a month-long event).
pub fn meetings(replica: &Replica) -> (String, Vec<String>) {
    let mut cal = Calendar::new();
    cal.name("taskforce meetings");
    let mut approximate = Vec::new();
    for row in replica.rows(Kind::Meeting) {
        let Record::Meeting(m) = &row.record else {
            continue;
        };
        if !m.start.is_exact() || m.end.is_some_and(|e| !e.is_exact()) {
            approximate.push(format!("{} ({})", m.id, m.start.human()));
            continue;
        }
        let (Some(start), Some(after)) = (naive(m.start), naive(m.last_day().add_days(1))) else {
            continue;
        };
        let mut description = vec![format!("{} ({})", m.kind.label(), m.mode.label())];
        if let Some(Record::Partner(p)) = m
            .host
            .as_ref()
            .and_then(|h| replica.record(Kind::Partner, h.as_str()))
        {
            description.push(format!("Host: {}", p.organisation));
        }
        if !m.agenda.is_empty() {
            description.push("Agenda:".into());
            for (i, a) in m.agenda.iter().enumerate() {
                let mut item = format!("{}. ", i + 1);
                if !a.time.trim().is_empty() {
                    item.push_str(&format!("{} ", a.time.trim()));
                }
                item.push_str(&a.title);
                if !a.presenter.trim().is_empty() {
                    item.push_str(&format!(" ({})", a.presenter.trim()));
                }
                description.push(item);
            }
        }
        let place = [m.city.as_str(), m.country.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let mut event = Event::new();
        event
            .uid(&format!("{}@{}.taskforce", m.id, m.project))
            .summary(&text::sanitize(&m.title, false))
            .starts(start)
            .ends(after)
            .description(&text::sanitize(&description.join("\n"), true));
        if !place.is_empty() {
            event.location(&text::sanitize(&place, false));
        }
        cal.push(event.done());
    }
    (cal.done().to_string(), approximate)
}
