//! A good practice.

use super::Width::*;
use super::*;

pub static FIELDS: &[Field] = &[
    id("Id (blank: from the title)").edited(),
    field("project", "Project")
        .edited()
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
        .edited()
        .listed(6, "title", on!(Practice, |r| r.title.clone()))
        .column(
            0,
            "Title",
            Fill(16),
            0,
            seen!(Practice, |_replica, p| p.title.clone()),
        ),
    field("owner", "Owner organisation").edited().listed(
        5,
        "owner",
        on!(Practice, |r| r.owner.clone()),
    ),
    field("partner", "Presented by partner").edited(),
    field("country", "Country (ISO code)")
        .edited()
        .listed(3, "country", on!(Practice, |r| r.country.clone()))
        .column(
            3,
            "Country",
            Fixed(7),
            2,
            seen!(Practice, |_replica, p| p.country.clone()),
        ),
    field("region", "Region").edited(),
    field("city", "City").edited(),
    field("level", "Level").edited(),
    field("sub_theme", "Sub-theme")
        .edited()
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
    field("summary", "Summary").edited(),
    field("description", "Description").edited(),
    field("website", "Website").edited(),
    field("resources", "Resources needed").edited(),
    field("evidence", "Evidence of success").edited(),
    field("transfer_potential", "Potential for transfer").edited(),
    field("difficulties", "Difficulties, lessons").edited(),
    field("start", "Start").edited(),
    field("end", "End").edited(),
    field("keywords", "Keywords (commas)").edited(),
    field("status", "Status")
        .edited()
        .listed(2, "status", on!(Practice, |r| r.status.key().into()))
        .column(
            1,
            "Status",
            Fixed(11),
            1,
            seen!(Practice, |_replica, p| p.status.label().to_string()),
        ),
    field("history", "History"),
    field("web_status", "Programme website").edited(),
    field("source", "Sources (one a line)").edited(),
];
