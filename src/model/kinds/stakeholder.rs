//! A person or organisation of a partner's regional stakeholder group. Contact details are
//! neither listed, shown without consent, nor searched.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Stakeholders",
    words: Some("regional stakeholder group RSG member"),
    in_a_project: true,
    new: Some(|| Stakeholder::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (never the person's name)").form(id_text(false)),
    field("partner", "Partner (whose group)")
        .shown_as(1, "Partner", link_to!(Stakeholder.partner))
        .form(reference(true, refers!(Stakeholder.partner)))
        .listed(1, "partner", on!(Stakeholder, |r| r.partner.to_string()))
        .column(
            3,
            "Partner",
            Fixed(14),
            3,
            seen!(Stakeholder, |replica, s| title_of(
                replica,
                Kind::Partner,
                s.partner.as_str()
            )),
        )
        .names(
            0,
            names!(Stakeholder, |r, out| out
                .push(RefTo::Record(Kind::Partner, r.partner.as_str()))),
        ),
    field("organisation", "Organisation")
        // The title already names an organisation taking part as such.
        .shown(
            2,
            Show::Text(seen!(
                Stakeholder,
                |_replica, s| if s.name.trim().is_empty() {
                    String::new()
                } else {
                    s.organisation.clone()
                }
            )),
        )
        .form(text(false, slot!(Stakeholder.organisation)))
        .listed(
            3,
            "organisation",
            on!(Stakeholder, |r| r.organisation.clone()),
        )
        .column(
            1,
            "Organisation",
            Fixed(22),
            1,
            seen!(Stakeholder, |_replica, s| s.organisation.clone()),
        )
        .search_key(
            1,
            "organisation",
            read!(Stakeholder, |r| plain(&r.organisation)),
        ),
    field("name", "Name (blank: an organisation)")
        .form(text(false, slot!(Stakeholder.name)))
        .listed(2, "name", on!(Stakeholder, |r| r.name.clone()))
        .column(
            0,
            "Name",
            Fill(16),
            0,
            seen!(Stakeholder, |_replica, s| s.display_name().to_string()),
        ),
    field("helix", "Helix (quadruple-helix type)")
        .shown_as(
            0,
            "Helix",
            Show::Text(seen!(Stakeholder, |_replica, s| s
                .helix
                .label()
                .to_string())),
        )
        .form(choice(helix, true, slot!(Stakeholder.helix)))
        .listed(4, "helix", on!(Stakeholder, |r| r.helix.key().into()))
        .column(
            2,
            "Helix",
            Fixed(22),
            2,
            seen!(Stakeholder, |_replica, s| s.helix.label().to_string()),
        )
        .search_key(3, "helix", read!(Stakeholder, |r| plain(r.helix.label())))
        .facet(
            0,
            Facet::Helix,
            pick!(Stakeholder, |s| Some(Cow::Borrowed(s.helix.key()))),
        ),
    field("role", "Role")
        .shown(
            3,
            Show::Text(seen!(Stakeholder, |_replica, s| s.role.clone())),
        )
        .form(text(false, slot!(Stakeholder.role)))
        .listed(5, "role", on!(Stakeholder, |r| r.role.clone()))
        .search_key(2, "role", read!(Stakeholder, |r| plain(&r.role))),
    field("email", "Email (needs consent)").form(text(false, slot!(Stakeholder.email))),
    field("phone", "Phone (needs consent)").form(text(false, slot!(Stakeholder.phone))),
    field("consent", "Consent given on (date)")
        .form(date(false, slot!(Stakeholder.consent)))
        .listed(6, "consent", on!(Stakeholder, |r| opt(&r.consent))),
    // Set by the store when the person's data is erased; never edited.
    field("erased", "Erased").listed(
        7,
        "erased",
        on!(Stakeholder, |r| r
            .erased
            .as_ref()
            .map_or(String::new(), |e| e.at.date().to_string())),
    ),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Changed];
