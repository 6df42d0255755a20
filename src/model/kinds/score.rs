//! One evaluator's score of one criterion of one practice (kept by the scoring pane; no form).

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Scores",
    words: None,
    in_a_project: true,
    new: None,
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id"),
    field("session", "Session")
        .shown(0, link_to!(Score.session))
        .listed(1, "session", on!(Score, |r| r.session.to_string()))
        .column(
            4,
            "Session",
            Fixed(16),
            3,
            seen!(Score, |replica, s| title_of(
                replica,
                Kind::Session,
                s.session.as_str()
            )),
        )
        .names(
            1,
            names!(Score, |r, out| out
                .push(RefTo::Record(Kind::Session, r.session.as_str()))),
        ),
    field("practice", "Practice")
        .shown(1, link_to!(Score.practice))
        .listed(2, "practice", on!(Score, |r| r.practice.to_string()))
        .column(
            0,
            "Practice",
            Fill(14),
            0,
            seen!(Score, |replica, s| title_of(
                replica,
                Kind::Practice,
                s.practice.as_str()
            )),
        )
        .names(
            0,
            names!(Score, |r, out| out
                .push(RefTo::Record(Kind::Practice, r.practice.as_str()))),
        ),
    field("evaluator", "Evaluator")
        .shown(
            2,
            Show::Text(seen!(Score, |_replica, s| s.evaluator.clone())),
        )
        .listed(3, "evaluator", on!(Score, |r| r.evaluator.clone()))
        .column(
            1,
            "Evaluator",
            Fixed(12),
            1,
            seen!(Score, |_replica, s| s.evaluator.clone()),
        )
        .search_key(1, "evaluator", read!(Score, |r| plain(&r.evaluator))),
    field("criterion", "Criterion")
        .shown(
            3,
            Show::Text(seen!(Score, |_replica, s| s.criterion.clone())),
        )
        .listed(4, "criterion", on!(Score, |r| r.criterion.clone()))
        .column(
            2,
            "Criterion",
            Fixed(10),
            2,
            seen!(Score, |_replica, s| s.criterion.clone()),
        )
        .search_key(2, "criterion", read!(Score, |r| plain(&r.criterion))),
    field("value", "Value")
        .shown_as(
            4,
            "Score",
            Show::Strong(seen!(Score, |_replica, s| match s.value {
                Some(v) => v.to_string(),
                None => format!("abstained: {}", s.abstain_reason),
            })),
        )
        .listed(
            5,
            "value",
            on!(Score, |r| r
                .value
                .map_or_else(|| "abstain".into(), |v| v.to_string())),
        )
        .column(
            3,
            "Value",
            Fixed(6),
            1,
            seen!(Score, |_replica, s| s
                .value
                .map_or_else(|| "abst.".to_string(), |v| v.to_string())),
        )
        .right()
        .search_key(3, "value", read!(Score, |r| opt_text(&r.value))),
    field("abstain_reason", "Abstain reason").search_long(
        1,
        "abstention",
        read!(Score, |r| plain(&r.abstain_reason)),
    ),
    field("comment", "Comment")
        .shown(
            0,
            Show::Block(read!(Score, |s| Cow::Borrowed(s.comment.as_str()))),
        )
        .search_long(0, "comment", read!(Score, |r| plain(&r.comment))),
    field("entered_by", "Entered by").shown(
        5,
        Show::Text(seen!(Score, |_replica, s| s.entered_by.clone())),
    ),
    field("at", "At").shown(6, Show::Text(seen!(Score, |_replica, s| s.at.to_string()))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Id, SortBy::Changed];
