//! A voucher scheme: the rules and types of the vouchers an issuer grants SMEs.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Voucher schemes",
    words: None,
    in_a_project: true,
    new: Some(|| VoucherScheme::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the name)").form(id_text(false)),
    field("project", "Project")
        .shown(0, link_to!(Scheme.project))
        .form(reference(false, refers!(Scheme.project)))
        .names(
            0,
            names!(Scheme, |r, out| if let Some(p) = &r.project {
                out.push(RefTo::Record(Kind::Project, p.as_str()))
            }),
        ),
    field("name", "Name")
        .form(text(true, slot!(Scheme.name)))
        .listed(6, "name", on!(Scheme, |r| r.name.clone()))
        .column(
            0,
            "Name",
            Fill(16),
            0,
            seen!(Scheme, |_replica, s| s.name.clone()),
        ),
    field("issuer", "Issuer")
        .shown(1, Show::Text(seen!(Scheme, |_replica, s| s.issuer.clone())))
        .form(text(false, slot!(Scheme.issuer)))
        .column(
            1,
            "Issuer",
            Fixed(18),
            2,
            seen!(Scheme, |_replica, s| s.issuer.clone()),
        )
        .search_key(1, "issuer", read!(Scheme, |r| plain(&r.issuer))),
    field("country", "Country (ISO code)")
        .shown(
            2,
            Show::Text(seen!(Scheme, |_replica, s| s.country.clone())),
        )
        .form(text(true, slot!(Scheme.country)))
        .listed(1, "country", on!(Scheme, |r| r.country.clone()))
        .column(
            2,
            "Country",
            Fixed(7),
            3,
            seen!(Scheme, |_replica, s| s.country.clone()),
        )
        .search_key(2, "country", read!(Scheme, |r| country(&r.country)))
        .facet(
            0,
            Facet::Country,
            pick!(Scheme, |s| Some(Cow::Borrowed(s.country.as_str()))),
        )
        .sorts(
            SortBy::Country,
            by!(Scheme, |s| SortKey(0, sort_text(&s.country))),
        ),
    field("opens", "Opens")
        .shown_as(
            3,
            "Window",
            Show::Period(with!(Scheme, (None, None), |s| (s.opens, s.closes))),
        )
        .form(date(false, slot!(Scheme.opens)))
        .sorts(
            SortBy::Date,
            by!(Scheme, |s| SortKey(date_num(s.opens), String::new())),
        ),
    field("closes", "Closes").form(date(false, slot!(Scheme.closes))),
    field("rate", "Co-financing rate (%)")
        .shown_as(
            4,
            "Co-financing",
            Show::Text(seen!(Scheme, |_replica, s| format!("up to {}%", s.rate))),
        )
        .form(percent(true, slot!(Scheme.rate)))
        .listed(2, "rate", on!(Scheme, |r| format!("{}%", r.rate)))
        .column(
            3,
            "Rate",
            Fixed(7),
            1,
            seen!(Scheme, |_replica, s| format!("{}%", s.rate)),
        )
        .right(),
    field("min_amount", "Minimum a voucher (EUR)")
        .shown_as(
            5,
            "Per voucher",
            Show::Text(seen!(Scheme, |_replica, s| format!(
                "{} to {}",
                s.min_amount.eur(),
                s.max_amount.eur()
            ))),
        )
        .form(money(true, slot!(Scheme.min_amount)))
        .listed(3, "min", on!(Scheme, |r| r.min_amount.to_string())),
    field("max_amount", "Maximum a voucher (EUR)")
        .form(money(true, slot!(Scheme.max_amount)))
        .listed(4, "max", on!(Scheme, |r| r.max_amount.to_string())),
    field("max_vouchers_per_year", "Vouchers a year per SME")
        .shown_as(
            6,
            "Per SME a year",
            Show::Text(seen!(Scheme, |_replica, s| yearly_caps(s))),
        )
        .form(count(slot!(Scheme.max_vouchers_per_year))),
    field("max_total_per_year", "Total a year per SME (EUR)")
        .form(money(false, slot!(Scheme.max_total_per_year))),
    field("budget", "Budget (EUR)")
        .shown(7, Show::Text(seen!(Scheme, |_replica, s| euros(s.budget))))
        .form(money(false, slot!(Scheme.budget)))
        .column(
            4,
            "Budget",
            Fixed(16),
            4,
            seen!(Scheme, |_replica, s| opt_money(s.budget)),
        )
        .right(),
    field("eligible_costs", "Eligible costs")
        .shown(
            0,
            Show::Block(read!(Scheme, |s| Cow::Borrowed(s.eligible_costs.as_str()))),
        )
        .form(multi(slot!(Scheme.eligible_costs)))
        .search_long(
            0,
            "eligible costs",
            read!(Scheme, |r| plain(&r.eligible_costs)),
        ),
    field("vat_eligible", "VAT eligible")
        .shown(
            8,
            Show::Text(seen!(Scheme, |_replica, s| if s.vat_eligible {
                "yes"
            } else {
                "no"
            }
            .to_string())),
        )
        .form(flag(slot!(Scheme.vat_eligible))),
    field("aid_regime", "Aid regime")
        .shown(
            9,
            Show::Text(seen!(Scheme, |_replica, s| s.aid_regime.clone())),
        )
        .form(text(false, slot!(Scheme.aid_regime)))
        .search_key(3, "aid regime", read!(Scheme, |r| plain(&r.aid_regime))),
    field("notes", "Notes")
        .shown(
            1,
            Show::Block(read!(Scheme, |s| Cow::Borrowed(s.notes.as_str()))),
        )
        .form(multi(slot!(Scheme.notes)))
        .search_long(1, "notes", read!(Scheme, |r| plain(&r.notes))),
    field("types", "Voucher types")
        .form(Spec::Nested(Nested::VoucherTypes(slot!(Scheme.types))))
        .listed(5, "types", on!(Scheme, |r| r.types.len().to_string())),
    field("source", "Sources (one a line)").form(multi(slot!(Scheme.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Country, SortBy::Date];

/// What an SME may get in a year: a number of vouchers, an amount, or both.
fn yearly_caps(s: &VoucherScheme) -> String {
    let mut caps = Vec::new();
    if let Some(n) = s.max_vouchers_per_year {
        caps.push(format!("{n} vouchers"));
    }
    if let Some(m) = s.max_total_per_year {
        caps.push(m.eur());
    }
    caps.join(", at most ")
}
