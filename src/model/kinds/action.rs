//! An action of an action plan.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Actions",
    words: None,
    in_a_project: true,
    new: Some(|| Action::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(id_text(false)),
    field("plan", "Action plan")
        .shown(0, link_to!(Action.plan))
        .form(reference(true, refers!(Action.plan)))
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
        )
        .names(
            0,
            names!(Action, |r, out| out
                .push(RefTo::Record(Kind::ActionPlan, r.plan.as_str()))),
        ),
    field("title", "Title")
        .form(text(true, slot!(Action.title)))
        .listed(3, "title", on!(Action, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Action, |_replica, a| a.title.clone()),
        ),
    field("background", "Background")
        .shown(
            0,
            Show::Block(read!(Action, |a| Cow::Borrowed(a.background.as_str()))),
        )
        .form(multi(slot!(Action.background)))
        .search_long(0, "background", read!(Action, |r| plain(&r.background))),
    field("inspired_by", "Inspired by (Ctrl-o adds)")
        .form(references(refers!(Action.inspired_by)))
        .names(
            1,
            names!(
                Action,
                |r, out| for p in r.inspired_by.iter().take(MAX_INSPIRED) {
                    out.push(RefTo::Record(Kind::Practice, p.as_str()))
                }
            ),
        ),
    field("activities", "Activities")
        .shown(
            1,
            Show::Block(read!(Action, |a| Cow::Borrowed(a.activities.as_str()))),
        )
        .form(multi(slot!(Action.activities)))
        .search_long(1, "activities", read!(Action, |r| plain(&r.activities))),
    field("players", "Players")
        .shown(
            2,
            Show::Block(read!(Action, |a| Cow::Borrowed(a.players.as_str()))),
        )
        .form(multi(slot!(Action.players)))
        .search_long(2, "players", read!(Action, |r| plain(&r.players))),
    field("start", "Start")
        .shown_as(
            3,
            "Timeframe",
            Show::Period(with!(Action, (None, None), |a| (a.start, a.end))),
        )
        .form(date(false, slot!(Action.start)))
        .column(
            3,
            "Start",
            Fixed(DATE_WIDTH),
            2,
            seen!(Action, |_replica, a| opt_date(a.start)),
        )
        .search_key(2, "period", read!(Action, |r| period(&r.start, &r.end)))
        .sorts(
            SortBy::Date,
            by!(Action, |a| SortKey(date_num(a.start), String::new())),
        ),
    field("end", "End").form(date(false, slot!(Action.end))),
    field("costs", "Costs (EUR)")
        .shown(4, Show::Text(seen!(Action, |_replica, a| euros(a.costs))))
        .form(money(false, slot!(Action.costs)))
        .column(
            4,
            "Costs",
            Fixed(14),
            4,
            seen!(Action, |_replica, a| opt_money(a.costs)),
        )
        .right()
        .sorts(
            SortBy::Amount,
            by!(Action, |a| SortKey(
                a.costs.map_or(-1, |m| m.0),
                String::new()
            )),
        ),
    field("funding", "Funding sources")
        .shown_as(
            5,
            "Funding",
            Show::Text(seen!(Action, |_replica, a| a.funding.clone())),
        )
        .form(text(false, slot!(Action.funding)))
        .search_long(3, "funding", read!(Action, |r| plain(&r.funding))),
    field("indicators", "Indicators")
        .form(Spec::Nested(Nested::Indicators(slot!(Action.indicators))))
        .search_long(
            4,
            "indicators",
            read!(Action, |r| joined(
                r.indicators.iter().map(|i| i.name.as_str()),
                "; "
            )),
        ),
    field("status", "Status")
        .shown(
            1,
            Show::Strong(seen!(Action, |_replica, a| a.status.label().to_string())),
        )
        .form(choice(action_status, true, slot!(Action.status)))
        .listed(2, "status", on!(Action, |r| r.status.key().into()))
        .column(
            1,
            "Status",
            Fixed(14),
            1,
            seen!(Action, |_replica, a| a.status.label().to_string()),
        )
        .search_key(1, "status", read!(Action, |r| plain(r.status.label())))
        .facet(
            0,
            Facet::ActionStatus,
            pick!(Action, |a| Some(Cow::Borrowed(a.status.key()))),
        )
        .sorts(
            SortBy::Status,
            by!(Action, |a| SortKey(a.status as i64, String::new())),
        ),
    field("status_reason", "Reason (if not implemented)")
        .shown_as(
            2,
            "Why",
            Show::Text(seen!(Action, |_replica, a| a.status_reason.clone())),
        )
        .form(multi(slot!(Action.status_reason)))
        .search_long(
            5,
            "status reason",
            read!(Action, |r| plain(&r.status_reason)),
        ),
    field("source", "Sources (one a line)").form(multi(slot!(Action.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Status, SortBy::Date, SortBy::Amount];
