//! Meetings as a calendar: one event per meeting, with its dates, place and agenda.

mod common;

#[test]
fn meetings_export_as_one_all_day_event_each() {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap();
    assert_eq!(
        common::taskforce(&["--db", db, "init"]).status.code(),
        Some(0)
    );
    let file = dir.path().join("meetings.ics");
    let out = common::taskforce(&[
        "--db",
        db,
        "export",
        "--format",
        "ics",
        "--kind",
        "meetings",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let raw = std::fs::read_to_string(&file).unwrap();
    assert!(raw.starts_with("BEGIN:VCALENDAR\r\n"), "{raw}");
    assert!(raw.trim_end().ends_with("END:VCALENDAR"));
    assert!(
        raw.split("\r\n").all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    // Unfold (RFC 5545 3.1) and split into events.
    let text = raw.replace("\r\n ", "");
    let events: Vec<Vec<&str>> = text
        .split("BEGIN:VEVENT\r\n")
        .skip(1)
        .map(|e| {
            e.split("END:VEVENT")
                .next()
                .unwrap()
                .split("\r\n")
                .collect()
        })
        .collect();
    // One event per meeting whose dates are known to the day; the others are named, not shown
    // as a month- or year-long event.
    let meetings = taskforce::fixtures::dataset().meetings;
    let (exact, approximate): (Vec<_>, Vec<_>) = meetings
        .iter()
        .partition(|m| m.start.is_exact() && m.end.is_none_or(|e| e.is_exact()));
    assert_eq!(events.len(), exact.len(), "one event per meeting");
    assert!(
        !approximate.is_empty(),
        "the bundled records have meetings known as a month"
    );
    let said = common::stderr(&out);
    for m in &approximate {
        assert!(said.contains(m.id.as_str()), "{} not named: {said}", m.id);
        assert!(!text.contains(&format!("UID:{}@", m.id)), "{}", m.id);
    }
    let event = |uid: &str| {
        events
            .iter()
            .find(|e| e.contains(&format!("UID:{uid}").as_str()))
            .unwrap_or_else(|| panic!("{uid}: {text}"))
    };
    let kickoff = event("intra-kickoff-maribor@intra.taskforce");
    for line in [
        "SUMMARY:INTRA kick-off meeting",
        "DTSTART;VALUE=DATE:20160518",
        "DTEND;VALUE=DATE:20160520",
        "LOCATION:Maribor\\, SI",
    ] {
        assert!(kickoff.contains(&line), "{line}: {kickoff:?}");
    }
    let faro = event("intra-pm-faro-2018@intra.taskforce");
    let description = faro.iter().find(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert!(
        description.contains("\\nAgenda:\\n1. Presentation of the Joint State of Affairs\\n2. "),
        "{description}"
    );
    // Known only to the month (Dec 2016): named, not a month-long event.
    assert!(said.contains("intra-itf2-extremadura (Dec 2016)"), "{said}");
    // Only meetings make a calendar.
    let out = common::taskforce(&[
        "--db",
        db,
        "export",
        "--format",
        "ics",
        "--kind",
        "practices",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("--kind meetings"));
}
