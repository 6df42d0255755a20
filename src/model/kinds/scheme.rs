//! A voucher scheme: the rules and types of the vouchers an issuer grants SMEs.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the name)").edited(),
    field("project", "Project").edited(),
    field("name", "Name")
        .edited()
        .listed(6, "name", on!(Scheme, |r| r.name.clone()))
        .column(
            0,
            "Name",
            Fill(16),
            0,
            seen!(Scheme, |_replica, s| s.name.clone()),
        ),
    field("issuer", "Issuer").edited().column(
        1,
        "Issuer",
        Fixed(18),
        2,
        seen!(Scheme, |_replica, s| s.issuer.clone()),
    ),
    field("country", "Country (ISO code)")
        .edited()
        .listed(1, "country", on!(Scheme, |r| r.country.clone()))
        .column(
            2,
            "Country",
            Fixed(7),
            3,
            seen!(Scheme, |_replica, s| s.country.clone()),
        ),
    field("opens", "Opens").edited(),
    field("closes", "Closes").edited(),
    field("rate", "Co-financing rate (%)")
        .edited()
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
        .edited()
        .listed(3, "min", on!(Scheme, |r| r.min_amount.to_string())),
    field("max_amount", "Maximum a voucher (EUR)")
        .edited()
        .listed(4, "max", on!(Scheme, |r| r.max_amount.to_string())),
    field("max_vouchers_per_year", "Vouchers a year per SME").edited(),
    field("max_total_per_year", "Total a year per SME (EUR)").edited(),
    field("budget", "Budget (EUR)")
        .edited()
        .column(
            4,
            "Budget",
            Fixed(16),
            4,
            seen!(Scheme, |_replica, s| opt_money(s.budget)),
        )
        .right(),
    field("eligible_costs", "Eligible costs").edited(),
    field("vat_eligible", "VAT eligible").edited(),
    field("aid_regime", "Aid regime").edited(),
    field("notes", "Notes").edited(),
    field("types", "Voucher types").edited().listed(
        5,
        "types",
        on!(Scheme, |r| r.types.len().to_string()),
    ),
    field("source", "Sources (one a line)").edited(),
];
