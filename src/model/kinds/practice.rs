//! A good practice.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").form(text(false)),
    field("project", "Project")
        .form(reference(Kind::Project, true))
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
        ),
    field("title", "Title")
        .form(text(true))
        .listed(6, "title", on!(Practice, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Practice, |_replica, p| p.title.clone()),
        ),
    field("owner", "Owner organisation")
        .form(text(false))
        .listed(5, "owner", on!(Practice, |r| r.owner.clone())),
    field("partner", "Presented by partner").form(reference(Kind::Partner, false)),
    field("country", "Country (ISO code)")
        .form(text(true))
        .listed(3, "country", on!(Practice, |r| r.country.clone()))
        .column(
            3,
            "Country",
            Fixed(7),
            2,
            seen!(Practice, |_replica, p| p.country.clone()),
        ),
    field("region", "Region").form(text(false)),
    field("city", "City").form(text(false)),
    field("level", "Level").form(choice(level, false)),
    field("sub_theme", "Sub-theme")
        .form(choice(sub_theme, false))
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
        ),
    field("summary", "Summary").form(Spec::Multi),
    field("description", "Description").form(Spec::Multi),
    field("website", "Website").form(text(false)),
    field("resources", "Resources needed").form(Spec::Multi),
    field("evidence", "Evidence of success").form(Spec::Multi),
    field("transfer_potential", "Potential for transfer").form(Spec::Multi),
    field("difficulties", "Difficulties, lessons").form(Spec::Multi),
    field("start", "Start").form(Spec::Date { required: false }),
    field("end", "End").form(Spec::Date { required: false }),
    field("keywords", "Keywords (commas)").form(Spec::Words),
    field("status", "Status")
        .form(choice(practice_status, true))
        .asks_reason()
        .listed(2, "status", on!(Practice, |r| r.status.key().into()))
        .column(
            1,
            "Status",
            Fixed(11),
            1,
            seen!(Practice, |_replica, p| p.status.label().to_string()),
        ),
    field("history", "History"),
    field("web_status", "Programme website").form(choice(web_status, false)),
    field("source", "Sources (one a line)").form(Spec::Multi),
];
