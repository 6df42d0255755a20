//! A good practice.

use super::Width::*;
use super::*;

pub static DECLARATION: Declaration = Declaration {
    plural: "Practices",
    words: Some("good practice"),
    in_a_project: true,
    new: Some(|| Practice::default().into()),
    sorts: SORTS,
    fields: FIELDS,
};

static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(id_text(false)),
    field("project", "Project")
        .shown(2, link_to!(Practice.project))
        .form(reference(true, refers!(Practice.project)))
        .listed(1, "project", on!(Practice, |r| r.project.to_string()))
        .column(
            4,
            "Project",
            Fixed(13),
            3,
            seen!(Practice, |replica, p| project_name(
                replica,
                p.project.as_str()
            )),
        )
        .names(
            1,
            names!(Practice, |r, out| out
                .push(RefTo::Record(Kind::Project, r.project.as_str()))),
        ),
    field("title", "Title")
        .form(text(true, slot!(Practice.title)))
        .listed(6, "title", on!(Practice, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Practice, |_replica, p| p.title.clone()),
        ),
    field("owner", "Owner organisation")
        .shown_as(
            4,
            "Owner",
            Show::Text(seen!(Practice, |_replica, p| p.owner.clone())),
        )
        .form(text(false, slot!(Practice.owner)))
        .listed(5, "owner", on!(Practice, |r| r.owner.clone()))
        .search_key(1, "owner", read!(Practice, |r| plain(&r.owner))),
    field("partner", "Presented by partner")
        .shown_as(3, "Partner", link_to!(Practice.partner))
        .form(reference(false, refers!(Practice.partner)))
        .names(
            0,
            names!(Practice, |r, out| if let Some(p) = &r.partner {
                out.push(RefTo::Record(Kind::Partner, p.as_str()))
            }),
        ),
    field("country", "Country (ISO code)")
        .shown_as(
            5,
            "Place",
            Show::Text(seen!(Practice, |_replica, p| joined_nonblank(
                &[&p.city, &p.region, &p.country],
                ", "
            ))),
        )
        .form(text(true, slot!(Practice.country)))
        .listed(3, "country", on!(Practice, |r| r.country.clone()))
        .column(
            3,
            "Country",
            Fixed(7),
            2,
            seen!(Practice, |_replica, p| p.country.clone()),
        )
        .search_key(4, "country", read!(Practice, |r| country(&r.country)))
        .facet(
            2,
            Facet::Country,
            pick!(Practice, |p| Some(Cow::Borrowed(p.country.as_str()))),
        )
        .sorts(
            SortBy::Country,
            by!(Practice, |p| SortKey(0, sort_text(&p.country))),
        ),
    field("region", "Region")
        .form(text(false, slot!(Practice.region)))
        .search_key(3, "region", read!(Practice, |r| plain(&r.region))),
    field("city", "City")
        .form(text(false, slot!(Practice.city)))
        .search_key(2, "city", read!(Practice, |r| plain(&r.city))),
    field("level", "Level")
        .shown(
            6,
            Show::Text(seen!(Practice, |_replica, p| label_of(
                p.level,
                ImplementationLevel::label
            ))),
        )
        .form(choice(level, false, slot!(Practice.level)))
        .search_key(
            5,
            "level",
            read!(Practice, |r| r
                .level
                .map_or(Cow::Borrowed(""), |l| plain(l.label()))),
        ),
    field("sub_theme", "Sub-theme")
        .shown_as(
            7,
            "ITF sub-theme",
            Show::Text(seen!(Practice, |_replica, p| label_of(
                p.sub_theme,
                SubTheme::label
            ))),
        )
        .form(choice(sub_theme, false, slot!(Practice.sub_theme)))
        .listed(
            4,
            "sub_theme",
            on!(Practice, |r| r
                .sub_theme
                .map_or(String::new(), |s| s.key().into())),
        )
        .column(
            2,
            "Sub-theme",
            Fixed(13),
            4,
            seen!(Practice, |_replica, p| p
                .sub_theme
                .map_or(String::new(), |t| t.label().to_string())),
        )
        .search_key(
            6,
            "sub-theme",
            read!(Practice, |r| r
                .sub_theme
                .map_or(Cow::Borrowed(""), |s| plain(s.label()))),
        )
        .facet(
            1,
            Facet::SubTheme,
            pick!(Practice, |p| p.sub_theme.map(|t| Cow::Borrowed(t.key()))),
        ),
    field("summary", "Summary")
        .shown(0, Show::Block(read!(Practice, |p| p.summary.text())))
        .form(multi(slot!(Practice.summary)))
        .search_long(0, "summary", read!(Practice, |r| r.summary.text())),
    field("description", "Description")
        .shown(1, Show::Block(read!(Practice, |p| p.description.text())))
        .form(multi(slot!(Practice.description)))
        .search_long(1, "description", read!(Practice, |r| r.description.text())),
    field("website", "Website")
        .shown(
            9,
            Show::Text(seen!(Practice, |_replica, p| p.website.clone())),
        )
        .form(text(false, slot!(Practice.website))),
    field("resources", "Resources needed")
        .shown(2, Show::Block(read!(Practice, |p| p.resources.text())))
        .form(multi(slot!(Practice.resources)))
        .search_long(2, "resources", read!(Practice, |r| r.resources.text())),
    field("evidence", "Evidence of success")
        .shown(3, Show::Block(read!(Practice, |p| p.evidence.text())))
        .form(multi(slot!(Practice.evidence)))
        .search_long(3, "evidence", read!(Practice, |r| r.evidence.text())),
    field("transfer_potential", "Potential for transfer")
        .shown_as(
            5,
            "Potential for learning or transfer",
            Show::Block(read!(Practice, |p| p.transfer_potential.text())),
        )
        .form(multi(slot!(Practice.transfer_potential)))
        .search_long(
            4,
            "transfer potential",
            read!(Practice, |r| r.transfer_potential.text()),
        ),
    field("difficulties", "Difficulties, lessons")
        .shown_as(
            4,
            "Difficulties and lessons learned",
            Show::Block(read!(Practice, |p| p.difficulties.text())),
        )
        .form(multi(slot!(Practice.difficulties)))
        .search_long(
            5,
            "difficulties",
            read!(Practice, |r| r.difficulties.text()),
        ),
    field("start", "Start")
        .shown_as(
            8,
            "Timescale",
            Show::Period(with!(Practice, (None, None), |p| (p.start, p.end))),
        )
        .form(date(false, slot!(Practice.start))),
    field("end", "End").form(date(false, slot!(Practice.end))),
    field("keywords", "Keywords (commas)")
        .shown(
            10,
            Show::Text(seen!(Practice, |_replica, p| p.keywords.join(", "))),
        )
        .form(words(slot!(Practice.keywords)))
        .search_key(
            8,
            "keywords",
            read!(Practice, |r| joined(
                r.keywords.iter().map(|k| k.as_str()),
                ", "
            )),
        ),
    field("status", "Status")
        .shown(
            0,
            Show::Strong(seen!(Practice, |_replica, p| p.status.label().to_string())),
        )
        .form(choice(practice_status, true, slot!(Practice.status)))
        .asks_reason()
        .listed(2, "status", on!(Practice, |r| r.status.key().into()))
        .column(
            1,
            "Status",
            Fixed(11),
            1,
            seen!(Practice, |_replica, p| p.status.label().to_string()),
        )
        .search_key(7, "status", read!(Practice, |r| plain(r.status.label())))
        .facet(
            0,
            Facet::PracticeStatus,
            pick!(Practice, |p| Some(Cow::Borrowed(p.status.key()))),
        )
        .sorts(
            SortBy::Status,
            by!(Practice, |p| SortKey(p.status as i64, String::new())),
        ),
    field("history", "History").search_long(
        6,
        "status history",
        read!(Practice, |r| joined(
            r.history.iter().map(|h| h.reason.as_str()),
            "; "
        )),
    ),
    field("web_status", "Programme website")
        .shown(
            1,
            Show::Text(seen!(Practice, |_replica, p| label_of(
                p.web_status,
                WebStatus::label
            ))),
        )
        .form(choice(web_status, false, slot!(Practice.web_status))),
    field("source", "Sources (one a line)").form(multi(slot!(Practice.source))),
];

/// The orders a list of the kind offers; the first is the default.
static SORTS: &[SortBy] = &[
    SortBy::Title,
    SortBy::Status,
    SortBy::Country,
    SortBy::Project,
    SortBy::Changed,
];
