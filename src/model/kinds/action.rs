//! An action of an action plan.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").edited(),
    field("plan", "Action plan")
        .edited()
        .listed(1, "plan", on!(Action, |r| r.plan.to_string()))
        .column(
            2,
            "Plan",
            Fixed(18),
            3,
            seen!(Action, |replica, a| title_of(
                replica,
                Kind::ActionPlan,
                a.plan.as_str()
            )),
        ),
    field("title", "Title")
        .edited()
        .listed(3, "title", on!(Action, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Action, |_replica, a| a.title.clone()),
        ),
    field("background", "Background").edited(),
    field("inspired_by", "Inspired by (Ctrl-o adds)").edited(),
    field("activities", "Activities").edited(),
    field("players", "Players").edited(),
    field("start", "Start").edited().column(
        3,
        "Start",
        Fixed(DATE_WIDTH),
        2,
        seen!(Action, |_replica, a| opt_date(a.start)),
    ),
    field("end", "End").edited(),
    field("costs", "Costs (EUR)")
        .edited()
        .column(
            4,
            "Costs",
            Fixed(14),
            4,
            seen!(Action, |_replica, a| opt_money(a.costs)),
        )
        .right(),
    field("funding", "Funding sources").edited(),
    field("indicators", "Indicators").edited(),
    field("status", "Status")
        .edited()
        .listed(2, "status", on!(Action, |r| r.status.key().into()))
        .column(
            1,
            "Status",
            Fixed(14),
            1,
            seen!(Action, |_replica, a| a.status.label().to_string()),
        ),
    field("status_reason", "Reason (if not implemented)").edited(),
    field("source", "Sources (one a line)").edited(),
];
