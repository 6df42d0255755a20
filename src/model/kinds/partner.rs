//! A partner of a project: an organisation of a region.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Partners",
    words: None,
    in_a_project: true,
    new: Some(|| Partner::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from organisation)").form(id_text(false)),
    field("project", "Project")
        .shown(2, link_to!(Partner.project))
        .form(reference(true, refers!(Partner.project)))
        .listed(1, "project", on!(Partner, |r| r.project.to_string()))
        .column(
            4,
            "Project",
            Fixed(13),
            4,
            seen!(Partner, |replica, p| project_name(
                replica,
                p.project.as_str()
            )),
        )
        .names(
            0,
            names!(Partner, |r, out| out
                .push(RefTo::Record(Kind::Project, r.project.as_str()))),
        ),
    field("organisation", "Organisation")
        .form(text(true, slot!(Partner.organisation)))
        .listed(5, "organisation", on!(Partner, |r| r.organisation.clone()))
        .column(
            0,
            "Organisation",
            Fill(16),
            0,
            seen!(Partner, |_replica, p| p.organisation.clone()),
        ),
    field("short_name", "Short name")
        .shown(
            0,
            Show::Text(seen!(Partner, |_replica, p| p.short_name.clone())),
        )
        .form(text(false, slot!(Partner.short_name)))
        .listed(4, "short_name", on!(Partner, |r| r.short_name.clone()))
        .column(
            1,
            "Short",
            Fixed(12),
            3,
            seen!(Partner, |_replica, p| p.short_name.clone()),
        )
        .search_key(1, "short name", read!(Partner, |r| plain(&r.short_name))),
    field("country", "Country (ISO code)")
        .shown(
            3,
            Show::Text(seen!(Partner, |_replica, p| p.country.clone())),
        )
        .form(text(true, slot!(Partner.country)))
        .listed(2, "country", on!(Partner, |r| r.country.clone()))
        .column(
            2,
            "Country",
            Fixed(7),
            1,
            seen!(Partner, |_replica, p| p.country.clone()),
        )
        .search_key(5, "country", read!(Partner, |r| country(&r.country)))
        .facet(
            0,
            Facet::Country,
            pick!(Partner, |p| Some(Cow::Borrowed(p.country.as_str()))),
        )
        .sorts(
            SortBy::Country,
            by!(Partner, |p| SortKey(0, sort_text(&p.country))),
        ),
    field("region", "Region")
        .shown(
            4,
            Show::Text(seen!(Partner, |_replica, p| joined_nonblank(
                &[&p.region, &p.nuts2],
                " · NUTS 2 "
            ))),
        )
        .form(text(false, slot!(Partner.region)))
        .search_key(3, "region", read!(Partner, |r| plain(&r.region))),
    field("nuts2", "NUTS 2 code")
        .form(text(false, slot!(Partner.nuts2)))
        .search_key(4, "NUTS 2", read!(Partner, |r| plain(&r.nuts2))),
    field("city", "City")
        .shown(5, Show::Text(seen!(Partner, |_replica, p| p.city.clone())))
        .form(text(false, slot!(Partner.city)))
        .search_key(2, "city", read!(Partner, |r| plain(&r.city))),
    field("role", "Role")
        .shown(
            1,
            Show::Text(seen!(Partner, |_replica, p| p.role.label().to_string())),
        )
        .form(choice(partner_role, true, slot!(Partner.role)))
        .listed(3, "role", on!(Partner, |r| r.role.key().into()))
        .column(
            3,
            "Role",
            Fixed(16),
            2,
            seen!(Partner, |_replica, p| p.role.label().to_string()),
        )
        .search_key(6, "role", read!(Partner, |r| plain(r.role.label())))
        .facet(
            1,
            Facet::Role,
            pick!(Partner, |p| Some(Cow::Borrowed(p.role.key()))),
        ),
    field("policy_instrument", "Policy instrument")
        .shown(
            6,
            Show::Text(seen!(Partner, |_replica, p| p.policy_instrument.clone())),
        )
        .form(text(false, slot!(Partner.policy_instrument)))
        .search_long(
            0,
            "policy instrument",
            read!(Partner, |r| plain(&r.policy_instrument)),
        ),
    field("website", "Website")
        .shown(
            7,
            Show::Text(seen!(Partner, |_replica, p| p.website.clone())),
        )
        .form(text(false, slot!(Partner.website))),
    field("source", "Sources (one a line)").form(multi(slot!(Partner.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Country, SortBy::Project];
