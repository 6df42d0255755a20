//! A project of the programme.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the acronym)").edited(),
    field("acronym", "Acronym")
        .edited()
        .listed(1, "acronym", on!(Project, |r| r.acronym.clone()))
        .column(
            0,
            "Acronym",
            Fixed(14),
            0,
            seen!(Project, |_replica, p| p.acronym.clone()),
        ),
    field("title", "Title")
        .edited()
        .listed(5, "title", on!(Project, |r| r.title.clone()))
        .column(
            1,
            "Title",
            Fill(16),
            1,
            seen!(Project, |_replica, p| p.title.clone()),
        ),
    field("programme", "Programme").edited(),
    field("start", "Start")
        .edited()
        .listed(2, "start", on!(Project, |r| opt(&r.start)))
        .column(
            2,
            "Start",
            Fixed(DATE_WIDTH),
            2,
            seen!(Project, |_replica, p| opt_date(p.start)),
        ),
    field("end", "End")
        .edited()
        .listed(3, "end", on!(Project, |r| opt(&r.end)))
        .column(
            3,
            "End",
            Fixed(DATE_WIDTH),
            3,
            seen!(Project, |_replica, p| opt_date(p.end)),
        ),
    field("phases", "Phases").edited(),
    field("total_budget", "Total budget (EUR)").edited(),
    field("erdf_amount", "ERDF amount (EUR)").edited(),
    field("erdf_rate", "ERDF rate (%)").edited(),
    field("lead_partner", "Lead partner").edited().listed(
        4,
        "lead_partner",
        on!(Project, |r| opt(&r.lead_partner)),
    ),
    field("summary", "Summary").edited(),
    field("website", "Website").edited(),
    field("source", "Sources (one a line)").edited(),
];
