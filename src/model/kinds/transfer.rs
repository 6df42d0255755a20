//! The transfer of a good practice into the policy instrument of an adopting partner's region.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Transfers",
    words: Some("transfer of practice policy change"),
    in_a_project: true,
    new: Some(|| Transfer::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

/// The stage's position in the order a transfer goes through (none first).
fn stage_rank(t: &Transfer) -> i64 {
    t.stage().map_or(-1, |s| s as i64)
}

static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(id_text(false)),
    field("title", "Title")
        .form(text(true, slot!(Transfer.title)))
        .listed(6, "title", on!(Transfer, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Transfer, |_replica, t| t.title.clone()),
        ),
    field("practice", "Practice transferred")
        .shown_as(1, "Practice", link_to!(Transfer.practice))
        .form(reference(true, refers!(Transfer.practice)))
        .listed(1, "practice", on!(Transfer, |r| r.practice.to_string()))
        .column(
            2,
            "Practice",
            Fixed(18),
            2,
            seen!(Transfer, |replica, t| title_of(
                replica,
                Kind::Practice,
                t.practice.as_str()
            )),
        )
        .names(
            0,
            names!(Transfer, |r, out| out
                .push(RefTo::Record(Kind::Practice, r.practice.as_str()))),
        ),
    field("partner", "Adopting partner (region)")
        .shown(2, link_to!(Transfer.partner))
        .form(reference(true, refers!(Transfer.partner)))
        .listed(2, "partner", on!(Transfer, |r| r.partner.to_string()))
        .column(
            3,
            "Partner",
            Fixed(14),
            3,
            seen!(Transfer, |replica, t| title_of(
                replica,
                Kind::Partner,
                t.partner.as_str()
            )),
        )
        .names(
            1,
            names!(Transfer, |r, out| out
                .push(RefTo::Record(Kind::Partner, r.partner.as_str()))),
        ),
    field("instrument", "Policy instrument")
        .shown(
            3,
            Show::Text(seen!(Transfer, |_replica, t| t.instrument.clone())),
        )
        .form(text(true, slot!(Transfer.instrument)))
        .search_key(1, "instrument", read!(Transfer, |r| plain(&r.instrument))),
    field("action", "Action of the action plan")
        .shown_as(4, "Action", link_to!(Transfer.action))
        .form(reference(false, refers!(Transfer.action)))
        .listed(
            3,
            "action",
            on!(Transfer, |r| r
                .action
                .as_ref()
                .map_or(String::new(), |a| a.to_string())),
        )
        .names(
            2,
            names!(Transfer, |r, out| if let Some(a) = &r.action {
                out.push(RefTo::Record(Kind::Action, a.as_str()))
            }),
        ),
    field("stages", "Stage history")
        .shown_as(
            0,
            "Stage",
            Show::Strong(seen!(Transfer, |_replica, t| t
                .stage()
                .map_or("none recorded", |s| s.label())
                .to_string())),
        )
        .form(Spec::Nested(Nested::Stages(slot!(Transfer.stages))))
        .listed(
            4,
            "stage",
            on!(Transfer, |r| r
                .stage()
                .map_or(String::new(), |s| s.key().to_string())),
        )
        .column(
            1,
            "Stage",
            Fixed(9),
            1,
            seen!(Transfer, |_replica, t| t
                .stage()
                .map_or(String::new(), |s| s.label().to_string())),
        )
        .search_key(
            2,
            "stage",
            read!(Transfer, |r| r
                .stage()
                .map_or(Cow::Borrowed(""), |s| plain(s.label()))),
        )
        .search_long(
            1,
            "stage notes",
            read!(Transfer, |r| joined(
                r.stages.iter().map(|s| s.note.as_str()),
                "; "
            )),
        )
        .facet(
            0,
            Facet::TransferStage,
            pick!(Transfer, |t| t.stage().map(|s| Cow::Borrowed(s.key()))),
        )
        .sorts(
            SortBy::Stage,
            by!(Transfer, |t| SortKey(stage_rank(t), String::new())),
        ),
    field("evidence", "Evidence")
        .shown(
            0,
            Show::Block(read!(Transfer, |t| Cow::Borrowed(t.evidence.as_str()))),
        )
        .form(multi(slot!(Transfer.evidence)))
        .search_long(0, "evidence", read!(Transfer, |r| plain(&r.evidence))),
    field("links", "Evidence links (one a line)")
        .shown(
            1,
            Show::Lines(read!(Transfer, |t| Cow::Owned(t.links.join("\n")))),
        )
        .form(lines(slot!(Transfer.links))),
    field("result", "Programme result")
        .shown_as(
            5,
            "Result",
            Show::Text(seen!(Transfer, |_replica, t| label_of(
                t.result,
                TransferResult::label
            ))),
        )
        .form(choice(transfer_result, false, slot!(Transfer.result)))
        .listed(
            5,
            "result",
            on!(Transfer, |r| r
                .result
                .map_or(String::new(), |s| s.key().into())),
        )
        .column(
            4,
            "Result",
            Fixed(16),
            4,
            seen!(Transfer, |_replica, t| t
                .result
                .map_or(String::new(), |r| r.label().to_string())),
        )
        .search_key(
            3,
            "result",
            read!(Transfer, |r| r
                .result
                .map_or(Cow::Borrowed(""), |s| plain(s.label()))),
        )
        .facet(
            1,
            Facet::TransferResult,
            pick!(Transfer, |t| t.result.map(|r| Cow::Borrowed(r.key()))),
        ),
    field("source", "Sources (one a line)").form(multi(slot!(Transfer.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[SortBy::Title, SortBy::Stage, SortBy::Changed];
