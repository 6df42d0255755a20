//! An evaluation session: practices scored by evaluators against a criteria set.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Evaluation sessions",
    words: Some("evaluation session"),
    in_a_project: true,
    // A new session starts as a draft.
    new: Some(|| {
        EvaluationSession {
            state: SessionState::Draft,
            ..Default::default()
        }
        .into()
    }),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(id_text(false)),
    field("meeting", "Meeting evaluated")
        .shown_as(1, "Meeting", link_to!(Session.meeting))
        .form(reference(true, refers!(Session.meeting)))
        .listed(1, "meeting", on!(Session, |r| r.meeting.to_string()))
        .column(
            2,
            "Meeting",
            Fixed(22),
            3,
            seen!(Session, |replica, s| title_of(
                replica,
                Kind::Meeting,
                s.meeting.as_str()
            )),
        )
        .names(
            0,
            names!(Session, |r, out| out
                .push(RefTo::Record(Kind::Meeting, r.meeting.as_str()))),
        ),
    field("title", "Title")
        .form(text(true, slot!(Session.title)))
        .listed(5, "title", on!(Session, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Session, |_replica, s| s.title.clone()),
        ),
    field("state", "State")
        .shown(
            0,
            Show::Strong(seen!(Session, |_replica, s| s.state.label().to_string())),
        )
        .listed(2, "state", on!(Session, |r| r.state.key().into()))
        .column(
            1,
            "State",
            Fixed(9),
            1,
            seen!(Session, |_replica, s| s.state.label().to_string()),
        )
        .search_key(1, "state", read!(Session, |r| plain(r.state.label())))
        .facet(
            0,
            Facet::SessionState,
            pick!(Session, |s| Some(Cow::Borrowed(s.state.key()))),
        )
        .sorts(
            SortBy::Status,
            by!(Session, |s| SortKey(s.state as i64, String::new())),
        ),
    field(
        "criteria_set",
        "Criteria set (frozen when the session opens)",
    )
    .shown(2, link_to!(Session.criteria_set))
    .form(reference(true, refers!(Session.criteria_set)))
    .names(
        1,
        names!(Session, |r, out| out.push(RefTo::Record(
            Kind::CriteriaSet,
            r.criteria_set.as_str()
        ))),
    ),
    field("criteria", "Criteria"),
    field("pass_mark", "Pass mark"),
    field("practices", "Practices under evaluation (Ctrl-o adds)")
        .form(references(refers!(Session.practices)))
        .listed(
            3,
            "practices",
            on!(Session, |r| r.practices.len().to_string()),
        )
        .column(
            3,
            "Practices",
            Fixed(9),
            2,
            seen!(Session, |_replica, s| s.practices.len().to_string()),
        )
        .right(),
    field("evaluators", "Evaluators (user names, one a line)")
        .shown(
            3,
            Show::Text(seen!(Session, |_replica, s| s.evaluators.join(", "))),
        )
        .form(lines(slot!(Session.evaluators)))
        .listed(
            4,
            "evaluators",
            on!(Session, |r| r.evaluators.len().to_string()),
        )
        .search_key(
            2,
            "evaluators",
            read!(Session, |r| joined(
                r.evaluators.iter().map(|e| e.as_str()),
                ", "
            )),
        ),
    field("max_spread", "Max spread").shown(
        4,
        Show::Text(seen!(Session, |_replica, s| s
            .max_spread
            .map_or(String::new(), |m| m.to_string()))),
    ),
    field("consensus", "Consensus").search_long(
        0,
        "consensus comments",
        read!(Session, |r| joined(
            r.consensus.iter().map(|c| c.comment.as_str()),
            "; "
        )),
    ),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Status];
