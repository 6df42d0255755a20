//! A meeting of the partnership or of a regional stakeholder group.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Meetings",
    words: None,
    in_a_project: true,
    new: Some(|| Meeting::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(id_text(false)),
    field("project", "Project")
        .shown(4, link_to!(Meeting.project))
        .form(reference(true, refers!(Meeting.project)))
        .listed(1, "project", on!(Meeting, |r| r.project.to_string()))
        .column(
            4,
            "Project",
            Fixed(13),
            4,
            seen!(Meeting, |replica, m| project_name(
                replica,
                m.project.as_str()
            )),
        )
        .names(
            1,
            names!(Meeting, |r, out| out
                .push(RefTo::Record(Kind::Project, r.project.as_str()))),
        ),
    field("title", "Title")
        .form(text(true, slot!(Meeting.title)))
        .listed(5, "title", on!(Meeting, |r| r.title.clone()))
        .column(
            1,
            "Title",
            Fill(16),
            0,
            seen!(Meeting, |_replica, m| m.title.clone()),
        ),
    field("kind", "Kind")
        .shown_as(
            0,
            "Meeting",
            Show::Text(seen!(Meeting, |_replica, m| capitalised(m.kind.label()))),
        )
        .form(choice(meeting_kind, true, slot!(Meeting.kind)))
        .listed(3, "kind", on!(Meeting, |r| r.kind.key().into()))
        .column(
            2,
            "Kind",
            Fixed(18),
            3,
            seen!(Meeting, |_replica, m| m.kind.label().to_string()),
        )
        .search_key(1, "kind", read!(Meeting, |r| plain(r.kind.label())))
        .facet(
            0,
            Facet::MeetingKind,
            pick!(Meeting, |m| Some(Cow::Borrowed(m.kind.key()))),
        )
        .sorts(
            SortBy::MeetingKind,
            by!(Meeting, |m| SortKey(m.kind as i64, String::new())),
        ),
    field("mode", "Mode")
        .shown(
            1,
            Show::Text(seen!(Meeting, |_replica, m| m.mode.label().to_string())),
        )
        .form(choice(meeting_mode, true, slot!(Meeting.mode)))
        .search_key(2, "mode", read!(Meeting, |r| plain(r.mode.label()))),
    field("host", "Host partner")
        .shown_as(5, "Host", link_to!(Meeting.host))
        .form(reference(false, refers!(Meeting.host)))
        .names(
            0,
            names!(Meeting, |r, out| if let Some(h) = &r.host {
                out.push(RefTo::Record(Kind::Partner, h.as_str()))
            }),
        ),
    // The place: the city, or how the meeting is held when it has none (online).
    field("city", "City")
        .form(text(false, slot!(Meeting.city)))
        .listed(4, "city", on!(Meeting, |r| r.city.clone()))
        .column(
            3,
            "Place",
            Fixed(14),
            2,
            seen!(Meeting, |_replica, m| if m.city.is_empty() {
                m.mode.label().to_string()
            } else {
                m.city.clone()
            }),
        )
        .search_key(3, "city", read!(Meeting, |r| plain(&r.city))),
    field("country", "Country (ISO code)")
        .shown_as(
            3,
            "Place",
            Show::Text(seen!(Meeting, |_replica, m| joined_nonblank(
                &[&m.city, &m.country],
                ", "
            ))),
        )
        .form(text(false, slot!(Meeting.country)))
        .search_key(4, "country", read!(Meeting, |r| country(&r.country)))
        .facet(
            2,
            Facet::Country,
            pick!(Meeting, |m| (!m.country.is_empty())
                .then_some(Cow::Borrowed(m.country.as_str()))),
        )
        .sorts(
            SortBy::Country,
            by!(Meeting, |m| SortKey(
                0,
                format!("{} {}", m.country, sort_text(&m.city))
            )),
        ),
    field("start", "Start")
        .shown_as(
            2,
            "Dates",
            Show::Period(with!(Meeting, (None, None), |m| (
                Some(m.start),
                Some(m.end.unwrap_or(m.start))
            ))),
        )
        .form(date(true, slot!(Meeting.start)))
        .listed(2, "start", on!(Meeting, |r| r.start.to_string()))
        .column(
            0,
            "Date",
            Fixed(DATE_WIDTH),
            1,
            seen!(Meeting, |_replica, m| m.start.human()),
        )
        .search_key(
            5,
            "dates",
            read!(Meeting, |r| period(&Some(r.start), &r.end)),
        )
        .facet(
            1,
            Facet::Year,
            pick!(Meeting, |m| Some(Cow::Owned(m.start.year().to_string()))),
        )
        .sorts(
            SortBy::Date,
            by!(Meeting, |m| SortKey(date_num(Some(m.start)), String::new())),
        ),
    field("end", "End").form(date(false, slot!(Meeting.end))),
    field("practices", "Practices (Ctrl-o adds)").form(references(refers!(Meeting.practices))),
    field("agenda", "Agenda")
        .form(Spec::Nested(Nested::Agenda(slot!(Meeting.agenda))))
        .search_long(
            0,
            "agenda",
            read!(Meeting, |r| joined(
                r.agenda
                    .iter()
                    .flat_map(|a| [a.title.as_str(), a.presenter.as_str()]),
                "; "
            )),
        ),
    field("attendance", "Attendance")
        .form(Spec::Nested(Nested::Attendance(slot!(Meeting.attendance))))
        .search_long(
            1,
            "attendance",
            read!(Meeting, |r| joined(
                r.attendance
                    .iter()
                    .flat_map(|a| [a.name.as_str(), a.organisation.as_str()]),
                "; "
            )),
        ),
    field("decisions", "Decisions (one a line)")
        .form(lines(slot!(Meeting.decisions)))
        .search_long(
            3,
            "decisions",
            read!(Meeting, |r| joined(
                r.decisions.iter().map(|d| d.as_str()),
                "; "
            )),
        ),
    field("follow_ups", "Follow-ups (Ctrl-t ticks)")
        .form(Spec::Nested(Nested::FollowUps(slot!(Meeting.follow_ups))))
        .search_long(
            4,
            "follow-ups",
            read!(Meeting, |r| joined(
                r.follow_ups
                    .iter()
                    .flat_map(|f| [f.action.as_str(), f.owner.as_str()]),
                "; "
            )),
        ),
    field("minutes", "Minutes")
        .shown(0, Show::Block(read!(Meeting, |m| m.minutes.text())))
        .form(multi(slot!(Meeting.minutes)))
        .search_long(
            2,
            "minutes",
            read!(Meeting, |r| Cow::Owned(
                plain(&r.minutes.text()).into_owned()
            )),
        ),
    field("source", "Sources (one a line)").form(multi(slot!(Meeting.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[
    SortBy::Date,
    SortBy::Title,
    SortBy::MeetingKind,
    SortBy::Country,
    SortBy::Project,
];

/// "Study visit" for "study visit".
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
