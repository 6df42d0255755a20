//! Someone who works in the database.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Members",
    words: None,
    in_a_project: false,
    new: Some(|| Member::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Login name")
        .shown_as(
            0,
            "Login",
            Show::Text(seen!(Member, |_replica, m| m.id.to_string())),
        )
        .form(id_text(true))
        .column(
            1,
            "Login",
            Fixed(14),
            1,
            seen!(Member, |_replica, m| m.id.to_string()),
        ),
    // The name, or the login name of a member who has none.
    field("name", "Name")
        .form(text(false, slot!(Member.name)))
        .listed(3, "name", on!(Member, |r| r.name.clone()))
        .column(
            0,
            "Name",
            Fill(16),
            0,
            seen!(Member, |_replica, m| if m.name.is_empty() {
                m.id.to_string()
            } else {
                m.name.clone()
            }),
        ),
    field("organisation", "Organisation")
        .shown(
            2,
            Show::Text(seen!(Member, |_replica, m| m.organisation.clone())),
        )
        .form(text(false, slot!(Member.organisation)))
        .listed(2, "organisation", on!(Member, |r| r.organisation.clone()))
        .column(
            3,
            "Organisation",
            Fixed(20),
            3,
            seen!(Member, |_replica, m| m.organisation.clone()),
        )
        .search_key(1, "organisation", read!(Member, |r| plain(&r.organisation))),
    field("partner", "Partner")
        .shown(3, link_to!(Member.partner))
        .form(reference(false, refers!(Member.partner))),
    field("facilitator", "Facilitator")
        .shown_as(
            1,
            "Role",
            Show::Text(seen!(Member, |_replica, m| if m.facilitator {
                "facilitator"
            } else {
                "member"
            }
            .to_string())),
        )
        .form(flag(slot!(Member.facilitator)))
        .listed(
            1,
            "facilitator",
            on!(Member, |r| if r.facilitator {
                "yes".into()
            } else {
                "no".into()
            }),
        )
        .column(
            2,
            "Role",
            Fixed(11),
            2,
            seen!(Member, |_replica, m| if m.facilitator {
                "facilitator".into()
            } else {
                "member".into()
            }),
        )
        .search_key(
            2,
            "role",
            read!(Member, |r| plain(if r.facilitator {
                "facilitator"
            } else {
                "member"
            })),
        ),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title];
