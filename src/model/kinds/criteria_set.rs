//! A set of criteria practices are scored against (kept by the scoring pane and the command
//! line; no form).

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Criteria sets",
    words: None,
    in_a_project: false,
    new: None,
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id"),
    field("name", "Name")
        .listed(3, "name", on!(CriteriaSet, |r| r.name.clone()))
        .column(
            0,
            "Name",
            Fill(16),
            0,
            seen!(CriteriaSet, |_replica, c| c.name.clone()),
        ),
    field("description", "Description")
        .shown(
            0,
            Show::Block(read!(CriteriaSet, |c| Cow::Borrowed(
                c.description.as_str()
            ))),
        )
        .search_long(
            0,
            "description",
            read!(CriteriaSet, |r| plain(&r.description)),
        ),
    field("criteria", "Criteria")
        .listed(
            1,
            "criteria",
            on!(CriteriaSet, |r| r
                .criteria
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(",")),
        )
        .column(
            1,
            "Criteria",
            Fixed(8),
            1,
            seen!(CriteriaSet, |_replica, c| c.criteria.len().to_string()),
        )
        .right()
        .search_key(
            1,
            "criteria",
            read!(CriteriaSet, |r| joined(
                r.criteria
                    .iter()
                    .flat_map(|c| [c.code.as_str(), c.label.as_str()]),
                " "
            )),
        )
        .search_long(
            1,
            "criteria",
            read!(CriteriaSet, |r| joined(
                r.criteria.iter().map(|c| c.description.as_str()),
                "; "
            )),
        ),
    field("pass_mark", "Pass mark")
        .shown(
            0,
            Show::Text(seen!(CriteriaSet, |_replica, c| c
                .pass_mark
                .map_or(String::new(), |m| m.to_string()))),
        )
        .listed(2, "pass_mark", on!(CriteriaSet, |r| opt(&r.pass_mark)))
        .column(
            2,
            "Pass mark",
            Fixed(9),
            2,
            seen!(CriteriaSet, |_replica, c| opt(&c.pass_mark)),
        )
        .right(),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title];
