//! A project of the programme.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Projects",
    words: None,
    in_a_project: true,
    new: Some(|| {
        Project {
            programme: "Interreg Europe".into(),
            ..Default::default()
        }
        .into()
    }),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the acronym)").form(id_text(false)),
    field("acronym", "Acronym")
        .form(text(true, slot!(Project.acronym)))
        .listed(1, "acronym", on!(Project, |r| r.acronym.clone()))
        .column(
            0,
            "Acronym",
            Fixed(14),
            0,
            seen!(Project, |_replica, p| p.acronym.clone()),
        ),
    field("title", "Title")
        .form(text(true, slot!(Project.title)))
        .listed(5, "title", on!(Project, |r| r.title.clone()))
        .column(
            1,
            "Title",
            Fill(16),
            1,
            seen!(Project, |_replica, p| p.title.clone()),
        ),
    field("programme", "Programme")
        .shown(
            0,
            Show::Text(seen!(Project, |_replica, p| p.programme.clone())),
        )
        .form(text(false, slot!(Project.programme)))
        .search_key(1, "programme", read!(Project, |r| plain(&r.programme))),
    field("start", "Start")
        .shown_as(
            1,
            "Dates",
            Show::Period(with!(Project, (None, None), |p| (p.start, p.end))),
        )
        .form(date(false, slot!(Project.start)))
        .listed(2, "start", on!(Project, |r| opt(&r.start)))
        .column(
            2,
            "Start",
            Fixed(DATE_WIDTH),
            2,
            seen!(Project, |_replica, p| opt_date(p.start)),
        )
        .search_key(2, "period", read!(Project, |r| period(&r.start, &r.end)))
        .sorts(
            SortBy::Date,
            by!(Project, |p| SortKey(date_num(p.start), String::new())),
        ),
    field("end", "End")
        .form(date(false, slot!(Project.end)))
        .listed(3, "end", on!(Project, |r| opt(&r.end)))
        .column(
            3,
            "End",
            Fixed(DATE_WIDTH),
            3,
            seen!(Project, |_replica, p| opt_date(p.end)),
        ),
    field("phases", "Phases")
        .shown(
            2,
            Show::Periods(with!(Project, Vec::new(), |p| p
                .phases
                .iter()
                .map(|ph| (ph.name.clone(), ph.start, ph.end))
                .collect())),
        )
        .form(Spec::Nested(Nested::Phases(slot!(Project.phases)))),
    field("total_budget", "Total budget (EUR)")
        .shown_as(
            3,
            "Total budget",
            Show::Text(seen!(Project, |_replica, p| euros(p.total_budget))),
        )
        .form(money(false, slot!(Project.total_budget))),
    field("erdf_amount", "ERDF amount (EUR)")
        .shown_as(4, "ERDF", Show::Text(seen!(Project, |_replica, p| erdf(p))))
        .form(money(false, slot!(Project.erdf_amount))),
    field("erdf_rate", "ERDF rate (%)").form(percent(false, slot!(Project.erdf_rate))),
    field("lead_partner", "Lead partner")
        .shown(5, link_to!(Project.lead_partner))
        .form(reference(false, refers!(Project.lead_partner)))
        .listed(4, "lead_partner", on!(Project, |r| opt(&r.lead_partner)))
        .names(
            0,
            names!(Project, |r, out| if let Some(p) = &r.lead_partner {
                out.push(RefTo::Record(Kind::Partner, p.as_str()))
            }),
        ),
    field("summary", "Summary")
        .shown(
            0,
            Show::Block(read!(Project, |p| Cow::Borrowed(p.summary.as_str()))),
        )
        .form(multi(slot!(Project.summary)))
        .search_long(0, "summary", read!(Project, |r| plain(&r.summary))),
    field("website", "Website")
        .shown(
            6,
            Show::Text(seen!(Project, |_replica, p| p.website.clone())),
        )
        .form(text(false, slot!(Project.website))),
    field("source", "Sources (one a line)").form(multi(slot!(Project.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Date];

/// The ERDF amount with its rate, as far as they are known.
fn erdf(p: &Project) -> String {
    match (p.erdf_amount, p.erdf_rate) {
        (Some(a), Some(r)) => format!("{} ({r}%)", a.eur()),
        (Some(a), None) => a.eur(),
        (None, Some(r)) => format!("{r}%"),
        (None, None) => String::new(),
    }
}
