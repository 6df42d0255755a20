//! An action of an action plan.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(text(false)),
    field("plan", "Action plan")
        .form(reference(Kind::ActionPlan, true))
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
        .form(text(true))
        .listed(3, "title", on!(Action, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Action, |_replica, a| a.title.clone()),
        ),
    field("background", "Background").form(Spec::Multi),
    field("inspired_by", "Inspired by (Ctrl-o adds)").form(Spec::Refs {
        kind: Kind::Practice,
    }),
    field("activities", "Activities").form(Spec::Multi),
    field("players", "Players").form(Spec::Multi),
    field("start", "Start")
        .form(Spec::Date { required: false })
        .column(
            3,
            "Start",
            Fixed(DATE_WIDTH),
            2,
            seen!(Action, |_replica, a| opt_date(a.start)),
        ),
    field("end", "End").form(Spec::Date { required: false }),
    field("costs", "Costs (EUR)")
        .form(Spec::Money { required: false })
        .column(
            4,
            "Costs",
            Fixed(14),
            4,
            seen!(Action, |_replica, a| opt_money(a.costs)),
        )
        .right(),
    field("funding", "Funding sources").form(text(false)),
    field("indicators", "Indicators").form(Spec::Nested(Nested::Indicators)),
    field("status", "Status")
        .form(choice(action_status, true))
        .listed(2, "status", on!(Action, |r| r.status.key().into()))
        .column(
            1,
            "Status",
            Fixed(14),
            1,
            seen!(Action, |_replica, a| a.status.label().to_string()),
        ),
    field("status_reason", "Reason (if not implemented)").form(Spec::Multi),
    field("source", "Sources (one a line)").form(Spec::Multi),
];
