//! A meeting of the partnership or of a regional stakeholder group.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(text(false)),
    field("project", "Project")
        .form(reference(Kind::Project, true))
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
        ),
    field("title", "Title")
        .form(text(true))
        .listed(5, "title", on!(Meeting, |r| r.title.clone()))
        .column(
            1,
            "Title",
            Fill(16),
            0,
            seen!(Meeting, |_replica, m| m.title.clone()),
        ),
    field("kind", "Kind")
        .form(choice(meeting_kind, true))
        .listed(3, "kind", on!(Meeting, |r| r.kind.key().into()))
        .column(
            2,
            "Kind",
            Fixed(18),
            3,
            seen!(Meeting, |_replica, m| m.kind.label().to_string()),
        ),
    field("mode", "Mode").form(choice(meeting_mode, true)),
    field("host", "Host partner").form(reference(Kind::Partner, false)),
    // The place: the city, or how the meeting is held when it has none (online).
    field("city", "City")
        .form(text(false))
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
        ),
    field("country", "Country (ISO code)").form(text(false)),
    field("start", "Start")
        .form(Spec::Date { required: true })
        .listed(2, "start", on!(Meeting, |r| r.start.to_string()))
        .column(
            0,
            "Date",
            Fixed(DATE_WIDTH),
            1,
            seen!(Meeting, |_replica, m| m.start.human()),
        ),
    field("end", "End").form(Spec::Date { required: false }),
    field("practices", "Practices (Ctrl-o adds)").form(Spec::Refs {
        kind: Kind::Practice,
    }),
    field("agenda", "Agenda").form(Spec::Nested(Nested::Agenda)),
    field("attendance", "Attendance").form(Spec::Nested(Nested::Attendance)),
    field("decisions", "Decisions (one a line)").form(Spec::Lines),
    field("follow_ups", "Follow-ups (Ctrl-t ticks)").form(Spec::Nested(Nested::FollowUps)),
    field("minutes", "Minutes").form(Spec::Multi),
    field("source", "Sources (one a line)").form(Spec::Multi),
];
