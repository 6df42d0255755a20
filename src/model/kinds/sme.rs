//! A small or medium-sized enterprise that applies for vouchers.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "SMEs",
    words: None,
    in_a_project: false,
    new: Some(|| Sme::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the name)").form(id_text(false)),
    field("name", "Name")
        .form(text(true, slot!(Sme.name)))
        .listed(4, "name", on!(Sme, |r| r.name.clone()))
        .column(
            0,
            "Name",
            Fill(16),
            0,
            seen!(Sme, |_replica, s| s.name.clone()),
        ),
    field("registration_number", "Registration number")
        .shown_as(
            0,
            "Registration no.",
            Show::Text(seen!(Sme, |_replica, s| s.registration_number.clone())),
        )
        .form(text(false, slot!(Sme.registration_number)))
        .search_key(
            1,
            "registration number",
            read!(Sme, |r| plain(&r.registration_number)),
        ),
    field("size", "Size")
        .shown(
            1,
            Show::Text(seen!(Sme, |_replica, s| s.size.label().to_string())),
        )
        .form(choice(sme_size, true, slot!(Sme.size)))
        .listed(1, "size", on!(Sme, |r| r.size.key().into()))
        .column(
            1,
            "Size",
            Fixed(6),
            1,
            seen!(Sme, |_replica, s| s.size.label().to_string()),
        )
        .search_key(2, "size", read!(Sme, |r| plain(r.size.label())))
        .facet(
            0,
            Facet::Size,
            pick!(Sme, |s| Some(Cow::Borrowed(s.size.key()))),
        ),
    field("country", "Country (ISO code)")
        .shown_as(
            2,
            "Place",
            Show::Text(seen!(Sme, |_replica, s| joined_nonblank(
                &[&s.city, &s.region, &s.country],
                ", "
            ))),
        )
        .form(text(true, slot!(Sme.country)))
        .listed(2, "country", on!(Sme, |r| r.country.clone()))
        .column(
            2,
            "Country",
            Fixed(7),
            2,
            seen!(Sme, |_replica, s| s.country.clone()),
        )
        .search_key(3, "country", read!(Sme, |r| country(&r.country)))
        .facet(
            1,
            Facet::Country,
            pick!(Sme, |s| Some(Cow::Borrowed(s.country.as_str()))),
        )
        .sorts(
            SortBy::Country,
            by!(Sme, |s| SortKey(0, sort_text(&s.country))),
        ),
    field("region", "Region")
        .form(text(false, slot!(Sme.region)))
        .listed(3, "region", on!(Sme, |r| r.region.clone()))
        .column(
            3,
            "Region",
            Fixed(16),
            3,
            seen!(Sme, |_replica, s| s.region.clone()),
        )
        .search_key(4, "region", read!(Sme, |r| plain(&r.region))),
    field("city", "City")
        .form(text(false, slot!(Sme.city)))
        .search_key(5, "city", read!(Sme, |r| plain(&r.city))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Country];
