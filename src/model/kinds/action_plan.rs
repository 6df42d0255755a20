//! A partner's action plan: how it will improve its region's policy instrument.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Action plans",
    words: None,
    in_a_project: true,
    new: Some(|| ActionPlan::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(id_text(false)),
    field("project", "Project")
        .shown(0, link_to!(ActionPlan.project))
        .form(reference(true, refers!(ActionPlan.project)))
        .listed(1, "project", on!(ActionPlan, |r| r.project.to_string()))
        .column(
            3,
            "Project",
            Fixed(13),
            3,
            seen!(ActionPlan, |replica, p| project_name(
                replica,
                p.project.as_str()
            )),
        )
        .names(
            1,
            names!(ActionPlan, |r, out| out
                .push(RefTo::Record(Kind::Project, r.project.as_str()))),
        ),
    // The partner by its short name where it has one.
    field("partner", "Partner")
        .shown(1, link_to!(ActionPlan.partner))
        .form(reference(true, refers!(ActionPlan.partner)))
        .listed(2, "partner", on!(ActionPlan, |r| r.partner.to_string()))
        .column(
            1,
            "Partner",
            Fixed(18),
            2,
            seen!(
                ActionPlan,
                |replica, p| match replica.record(Kind::Partner, p.partner.as_str()) {
                    Some(Record::Partner(x)) if !x.short_name.is_empty() => x.short_name.clone(),
                    Some(r) => r.title(),
                    None => p.partner.to_string(),
                }
            ),
        )
        .names(
            0,
            names!(ActionPlan, |r, out| out
                .push(RefTo::Record(Kind::Partner, r.partner.as_str()))),
        ),
    field("title", "Title")
        .form(text(true, slot!(ActionPlan.title)))
        .listed(4, "title", on!(ActionPlan, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(ActionPlan, |_replica, p| p.title.clone()),
        ),
    field("instrument", "Policy instrument")
        .shown(
            2,
            Show::Text(seen!(ActionPlan, |_replica, p| p.instrument.clone())),
        )
        .form(text(true, slot!(ActionPlan.instrument)))
        .search_long(0, "instrument", read!(ActionPlan, |r| plain(&r.instrument))),
    field("instrument_kind", "Instrument kind")
        .shown(
            3,
            Show::Text(seen!(ActionPlan, |_replica, p| p
                .instrument_kind
                .label()
                .to_string())),
        )
        .form(choice(
            instrument_kind,
            true,
            slot!(ActionPlan.instrument_kind),
        ))
        .search_key(
            1,
            "instrument kind",
            read!(ActionPlan, |r| plain(r.instrument_kind.label())),
        ),
    field("validated_on", "Validated on")
        .shown_as(
            4,
            "Validated",
            Show::Day(with!(ActionPlan, (None, String::new()), |p| (
                p.validated_on,
                validated_by(p)
            ))),
        )
        .form(date(false, slot!(ActionPlan.validated_on)))
        .listed(3, "validated_on", on!(ActionPlan, |r| opt(&r.validated_on)))
        .column(
            2,
            "Validated",
            Fixed(DATE_WIDTH),
            1,
            seen!(ActionPlan, |_replica, p| opt_date(p.validated_on)),
        )
        .search_key(
            3,
            "validated on",
            read!(ActionPlan, |r| opt_text(&r.validated_on)),
        )
        .sorts(
            SortBy::Date,
            by!(ActionPlan, |p| SortKey(
                date_num(p.validated_on),
                String::new()
            )),
        ),
    field("validated_by", "Validated by")
        .form(text(false, slot!(ActionPlan.validated_by)))
        .search_key(
            2,
            "validated by",
            read!(ActionPlan, |r| plain(&r.validated_by)),
        ),
    field("summary", "Summary")
        .shown(
            0,
            Show::Block(read!(ActionPlan, |p| Cow::Borrowed(p.summary.as_str()))),
        )
        .form(multi(slot!(ActionPlan.summary)))
        .search_long(1, "summary", read!(ActionPlan, |r| plain(&r.summary))),
    field("reports", "Monitoring reports")
        .form(Spec::Nested(Nested::Reports(slot!(ActionPlan.reports))))
        .search_long(
            2,
            "monitoring reports",
            read!(ActionPlan, |r| joined(
                r.reports.iter().map(|m| m.summary.as_str()),
                "; "
            )),
        ),
    field("source", "Sources (one a line)").form(multi(slot!(ActionPlan.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Date, SortBy::Project];

/// Who validated the plan ("by the Regional Stakeholder Group"), when it is known.
fn validated_by(p: &ActionPlan) -> String {
    match p.validated_by.trim() {
        "" => String::new(),
        by => format!("by {by}"),
    }
}
