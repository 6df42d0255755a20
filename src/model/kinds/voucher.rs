//! An SME's application for a voucher of a scheme.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Vouchers",
    words: Some("voucher application"),
    in_a_project: true,
    // A new application starts as a draft.
    new: Some(|| {
        Voucher {
            status: VoucherStatus::Draft,
            ..Default::default()
        }
        .into()
    }),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the service)").form(id_text(false)),
    field("scheme", "Scheme")
        .shown(2, link_to!(Voucher.scheme))
        .form(reference(true, refers!(Voucher.scheme)))
        .listed(1, "scheme", on!(Voucher, |r| r.scheme.to_string()))
        .names(
            0,
            names!(Voucher, |r, out| out
                .push(RefTo::Record(Kind::Scheme, r.scheme.as_str()))),
        )
        .facet(
            0,
            Facet::Scheme,
            pick!(Voucher, |v| Some(Cow::Borrowed(v.scheme.as_str()))),
        ),
    // The type's name, from the scheme (its code when the scheme does not list it).
    field("voucher_type", "Voucher type (code)")
        .shown_as(
            3,
            "Type",
            Show::Text(seen!(Voucher, |replica, v| type_name(replica, v))),
        )
        .form(Spec::VoucherType(slot!(Voucher.voucher_type)))
        .listed(2, "type", on!(Voucher, |r| r.voucher_type.clone()))
        .column(
            2,
            "Type",
            Fixed(10),
            4,
            seen!(
                Voucher,
                |replica, v| match replica.record(Kind::Scheme, v.scheme.as_str()) {
                    Some(Record::Scheme(s)) => s
                        .types
                        .iter()
                        .find(|t| t.code == v.voucher_type)
                        .map_or_else(|| v.voucher_type.clone(), |t| t.name.clone()),
                    _ => v.voucher_type.clone(),
                }
            ),
        )
        .search_key(
            1,
            "voucher type",
            read!(Voucher, |r| plain(&r.voucher_type)),
        )
        .names(
            1,
            names!(Voucher, |r, out| out
                .push(RefTo::Type(r.scheme.as_str(), r.voucher_type.as_str()))),
        )
        .facet(
            1,
            Facet::VoucherType,
            pick!(Voucher, |v| Some(Cow::Borrowed(v.voucher_type.as_str()))),
        ),
    field("sme", "SME")
        .shown(4, link_to!(Voucher.sme))
        .form(reference(true, refers!(Voucher.sme)))
        .listed(3, "sme", on!(Voucher, |r| r.sme.to_string()))
        .column(
            1,
            "SME",
            Fixed(16),
            2,
            seen!(Voucher, |replica, v| title_of(
                replica,
                Kind::Sme,
                v.sme.as_str()
            )),
        )
        .names(
            2,
            names!(Voucher, |r, out| out
                .push(RefTo::Record(Kind::Sme, r.sme.as_str()))),
        ),
    field("service", "Service")
        .form(text(true, slot!(Voucher.service)))
        .listed(8, "service", on!(Voucher, |r| r.service.clone()))
        .column(
            0,
            "Service",
            Fill(14),
            0,
            seen!(Voucher, |_replica, v| v.service.clone()),
        ),
    field("participants", "Participants (one a line)")
        .shown(
            5,
            Show::Text(seen!(Voucher, |_replica, v| v.participants.join(", "))),
        )
        .form(lines(slot!(Voucher.participants)))
        .search_long(
            1,
            "participants",
            read!(Voucher, |r| joined(
                r.participants.iter().map(String::as_str),
                ", "
            )),
        ),
    field("eligible_cost", "Eligible cost (EUR)")
        .shown(
            6,
            Show::Text(seen!(Voucher, |_replica, v| v.eligible_cost.eur())),
        )
        .form(money(true, slot!(Voucher.eligible_cost))),
    field("requested", "Requested (EUR)")
        .shown(
            7,
            Show::Text(seen!(Voucher, |_replica, v| v.requested.eur())),
        )
        .form(money(true, slot!(Voucher.requested)))
        .listed(5, "requested", on!(Voucher, |r| r.requested.to_string()))
        .column(
            4,
            "Requested",
            Fixed(12),
            3,
            seen!(Voucher, |_replica, v| opt_money(Some(v.requested))),
        )
        .right()
        .sorts(
            SortBy::Amount,
            by!(Voucher, |v| SortKey(v.requested.0, String::new())),
        ),
    field("approved", "Approved (EUR)")
        .shown(
            8,
            Show::Text(seen!(Voucher, |_replica, v| euros(v.approved))),
        )
        .form(money(false, slot!(Voucher.approved)))
        .listed(6, "approved", on!(Voucher, |r| opt(&r.approved))),
    field("paid", "Paid (EUR)")
        .shown(9, Show::Text(seen!(Voucher, |_replica, v| euros(v.paid))))
        .form(money(false, slot!(Voucher.paid)))
        .listed(7, "paid", on!(Voucher, |r| opt(&r.paid)))
        .column(
            5,
            "Paid",
            Fixed(12),
            5,
            seen!(Voucher, |_replica, v| opt_money(v.paid)),
        )
        .right(),
    field("submitted_on", "Submitted on")
        .shown_as(
            10,
            "Submitted",
            Show::Day(with!(Voucher, (None, String::new()), |v| (
                v.submitted_on,
                String::new()
            ))),
        )
        .form(date(false, slot!(Voucher.submitted_on)))
        .search_key(
            3,
            "submitted on",
            read!(Voucher, |r| opt_text(&r.submitted_on)),
        )
        .sorts(
            SortBy::Date,
            by!(Voucher, |v| SortKey(
                date_num(v.submitted_on),
                String::new()
            )),
        ),
    field("contract_start", "Contract start")
        .shown_as(
            11,
            "Contract",
            Show::Period(with!(Voucher, (None, None), |v| (
                v.contract_start,
                v.contract_end
            ))),
        )
        .form(date(false, slot!(Voucher.contract_start))),
    field("contract_end", "Contract end").form(date(false, slot!(Voucher.contract_end))),
    field("costs_from", "Costs from")
        .shown_as(
            12,
            "Costs",
            Show::Period(with!(Voucher, (None, None), |v| (v.costs_from, v.costs_to))),
        )
        .form(date(false, slot!(Voucher.costs_from))),
    field("costs_to", "Costs to").form(date(false, slot!(Voucher.costs_to))),
    field("claim_on", "Claim on")
        .shown_as(
            13,
            "Claim",
            Show::Day(with!(Voucher, (None, String::new()), |v| (
                v.claim_on,
                String::new()
            ))),
        )
        .form(date(false, slot!(Voucher.claim_on))),
    field("paid_on", "Paid on")
        .shown(
            14,
            Show::Day(with!(Voucher, (None, String::new()), |v| (
                v.paid_on,
                String::new()
            ))),
        )
        .form(date(false, slot!(Voucher.paid_on))),
    field("status", "Status")
        .shown(
            0,
            Show::Strong(seen!(Voucher, |_replica, v| v.status.label().to_string())),
        )
        .form(choice(voucher_status, true, slot!(Voucher.status)))
        .listed(4, "status", on!(Voucher, |r| r.status.key().into()))
        .column(
            3,
            "Status",
            Fixed(15),
            1,
            seen!(Voucher, |_replica, v| v.status.label().to_string()),
        )
        .search_key(2, "status", read!(Voucher, |r| plain(r.status.label())))
        .facet(
            2,
            Facet::VoucherStatus,
            pick!(Voucher, |v| Some(Cow::Borrowed(v.status.key()))),
        )
        .sorts(
            SortBy::Status,
            by!(Voucher, |v| SortKey(v.status as i64, String::new())),
        ),
    field("status_reason", "Reason (rejected/withdrawn)")
        .shown_as(
            1,
            "Why",
            Show::Text(seen!(Voucher, |_replica, v| v.status_reason.clone())),
        )
        .form(multi(slot!(Voucher.status_reason)))
        .search_long(
            0,
            "status reason",
            read!(Voucher, |r| plain(&r.status_reason)),
        ),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[
    SortBy::Date,
    SortBy::Amount,
    SortBy::Status,
    SortBy::Title,
    SortBy::Changed,
];

/// The voucher's type by its name in the scheme ("Fairs (fairs)"), or its code.
fn type_name(replica: &Replica, v: &Voucher) -> String {
    match replica.record(Kind::Scheme, v.scheme.as_str()) {
        Some(Record::Scheme(s)) => s
            .voucher_type(&v.voucher_type)
            .map(|t| format!("{} ({})", t.name, t.code)),
        _ => None,
    }
    .unwrap_or_else(|| v.voucher_type.clone())
}
