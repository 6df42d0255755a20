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
    assert_eq!(events.len(), 21, "one event per meeting");
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
    let itf = event("intra-itf2-extremadura@intra.taskforce");
    let description = itf.iter().find(|l| l.starts_with("DESCRIPTION:")).unwrap();
    assert!(
        description.contains("\\nAgenda:\\n1. 1st report on the good practices from Varna\\n2. "),
        "{description}"
    );
    // Known to the month (Dec 2016): the event spans the month.
    assert!(itf.contains(&"DTSTART;VALUE=DATE:20161201"));
    assert!(itf.contains(&"DTEND;VALUE=DATE:20170101"));
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
