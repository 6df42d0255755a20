//! The documents taskforce hands out, rendered from the bundled records: the Markdown compared
//! with an approved copy under tests/data/documents/ and checked for its structure; the Word file
//! opened and its XML parts read back for the headings, tables and page breaks.
//!
//! To approve a changed document, run with TASKFORCE_APPROVE=1 and read the diff before
//! committing it.

mod common;

use std::io::Read;

use taskforce::io::{documents::Document, docx, papers};
use taskforce::model::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The bundled records, as a replica (no database: the same records `taskforce init` writes).
fn fixtures() -> Replica {
    Replica::from_rows(
        taskforce::fixtures::dataset()
            .into_records()
            .into_iter()
            .map(|(_, record)| Row {
                rev: 1,
                at: Timestamp(0),
                by: "fixtures".into(),
                record,
            }),
    )
}

/// The bundled records after the example session validated four example practices (as a
/// decision would record them: a status change naming the session) and the Slovenian plan got
/// two example semester reports.
fn evaluated() -> Replica {
    let mut r = fixtures();
    let at = Timestamp::parse("2019-10-15T16:30:00Z").unwrap();
    for (id, to) in [
        ("example-gp-3", PracticeStatus::Validated),
        ("example-gp-2", PracticeStatus::InHandbook),
        ("example-gp-4", PracticeStatus::Validated),
        ("example-gp-1", PracticeStatus::Validated),
    ] {
        let Some(Record::Practice(p)) = r.record(Kind::Practice, id).cloned() else {
            panic!("{id}")
        };
        let mut p = *p;
        p.history.push(StatusChange {
            at,
            by: "facilitator".into(),
            from: Some(p.status),
            to,
            reason: String::new(),
            session: Some(SessionId::new("example-session")),
        });
        p.status = to;
        r.insert(Row {
            rev: 2,
            at,
            by: "facilitator".into(),
            record: Record::Practice(Box::new(p)),
        });
    }
    let Some(Record::ActionPlan(plan)) = r.record(Kind::ActionPlan, "ap-si-intra").cloned() else {
        panic!("plan")
    };
    let mut plan = *plan;
    let action = ActionId::new("a-si-voucher-scheme");
    plan.reports = vec![
        MonitoringReport {
            period_start: d("2019-04-01"),
            period_end: d("2019-09-30"),
            due: d("2019-12-30"),
            submitted_on: Some(d("2019-12-16")),
            summary: "Example: the first semester of monitoring.".into(),
            progress: vec![ActionProgress {
                action: action.clone(),
                status: ActionStatus::InProgress,
                note: "Example: the first call for vouchers is open.".into(),
            }],
            indicators: vec![IndicatorValue {
                action: action.clone(),
                indicator: "Vouchers awarded (example)".into(),
                value: "120".into(),
            }],
        },
        MonitoringReport {
            period_start: d("2019-10-01"),
            period_end: d("2020-03-31"),
            due: d("2020-06-30"),
            submitted_on: None,
            summary: String::new(),
            progress: vec![],
            indicators: vec![],
        },
    ];
    r.insert(Row {
        rev: 2,
        at,
        by: "facilitator".into(),
        record: Record::ActionPlan(Box::new(plan)),
    });
    let Some(Record::Action(a)) = r.record(Kind::Action, "a-si-voucher-scheme").cloned() else {
        panic!("action")
    };
    let mut a = *a;
    a.indicators = vec![Indicator {
        name: "Vouchers awarded (example)".into(),
        target: "400".into(),
    }];
    r.insert(Row {
        rev: 2,
        at,
        by: "facilitator".into(),
        record: Record::Action(Box::new(a)),
    });
    r
}

fn project(r: &Replica, id: &str) -> Project {
    match r.record(Kind::Project, id) {
        Some(Record::Project(p)) => (**p).clone(),
        _ => panic!("{id}"),
    }
}

/// The four documents, by the name of their approved copy.
fn documents() -> Vec<(&'static str, Document)> {
    let r = evaluated();
    let example = project(&r, "example-project");
    let Some(Record::Meeting(minutes)) = r.record(Kind::Meeting, "intra-rsg-coventry") else {
        panic!()
    };
    let Some(Record::ActionPlan(plan)) = r.record(Kind::ActionPlan, "ap-si-intra") else {
        panic!()
    };
    let Some(Record::Session(session)) = r.record(Kind::Session, "example-session") else {
        panic!()
    };
    vec![
        (
            "handbook-example-project.md",
            papers::handbook(&r, &example, false, d("2021-12-31")),
        ),
        (
            "minutes-intra-rsg-coventry.md",
            papers::minutes(&r, minutes),
        ),
        (
            "monitoring-ap-si-intra.md",
            papers::monitoring(&r, plan, d("2019-04-01"), d("2020-03-31"), d("2020-09-01")),
        ),
        (
            "evaluation-example-session.md",
            papers::evaluation(&r, session),
        ),
    ]
}

fn approved(name: &str, text: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/documents")
        .join(name);
    if std::env::var_os("TASKFORCE_APPROVE").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (TASKFORCE_APPROVE=1 writes it)", path.display()));
    if want != text {
        let new = path.with_extension("md.new");
        std::fs::write(&new, text).unwrap();
        panic!(
            "{name} differs from its approved copy; the new one is {} (diff them; \
             TASKFORCE_APPROVE=1 approves)",
            new.display()
        );
    }
}

/// What no document may hold: placeholders, internal file names, labels without a value.
fn clean(name: &str, md: &str) {
    for bad in ["Not given", "seed 0", "DOMAIN", "TODO", "null", "None"] {
        assert!(!md.contains(bad), "{name} holds {bad:?}:\n{md}");
    }
    for l in md.lines() {
        let l = l.trim_end();
        assert!(
            !(l.ends_with("**:") || l.ends_with("**: ") || l == "-" || l == "#"),
            "{name}: an empty label or item: {l:?}"
        );
        assert!(!l.starts_with("#") || l.contains("# "), "{name}: {l:?}");
    }
}

fn headings(md: &str) -> Vec<(usize, &str)> {
    md.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            let n = l.chars().take_while(|c| *c == '#').count();
            (n, l[n..].trim())
        })
        .collect()
}

#[test]
fn every_document_matches_its_approved_copy_and_holds_no_placeholder() {
    for (name, doc) in documents() {
        let md = doc.markdown();
        clean(name, &md);
        approved(name, &md);
    }
}

#[test]
fn the_handbook_is_numbered_and_grouped_by_sub_theme_with_its_validation() {
    let docs = documents();
    let md = docs[0].1.markdown();
    let h = headings(&md);
    assert_eq!(h[0], (1, "Good Practice Handbook"));
    assert_eq!(h[1], (2, "Contents"));
    let groups: Vec<&str> = h.iter().filter(|(l, _)| *l == 2).map(|(_, t)| *t).collect();
    assert_eq!(
        groups,
        [
            "Contents",
            "1. Leadership, organisation and management of internationalisation policies",
            "2. Training, human resources needed for internationalisation",
            "3. Financial resources for internationalisation",
            "4. Other good practices",
        ]
    );
    let practices: Vec<&str> = h.iter().filter(|(l, _)| *l == 3).map(|(_, t)| *t).collect();
    assert_eq!(
        practices,
        [
            "1.1 Example: shared export department for small firms",
            "2.1 Example: regional export training programme",
            "3.1 Example: small vouchers for foreign market research",
            "4.1 Example: e-commerce coaching for first-time exporters",
        ],
        "{md}"
    );
    // Only validated and in-handbook practices: the others are left out.
    assert!(!md.contains("Example: internationalisation bootcamp"));
    // The contents list every group and practice, in order.
    let contents = md.split("## Contents").nth(1).unwrap();
    assert!(contents.contains("\n  - 3.1 Example: small vouchers for foreign market research\n"));
    // Each practice says how and when it was validated: the session and its meeting.
    assert_eq!(
        md.matches("**Validation**: Validated on 15 October 2019, in the evaluation session")
            .count(),
        3,
        "{md}"
    );
    assert!(md.contains("**Validation**: In handbook on 15 October 2019"));
    assert!(
        md.contains("at the Example: ITF meeting (15 October 2019)"),
        "{md}"
    );
    // An empty owner is left out, a given one shown.
    let bootcamp = md
        .split("### 2.1")
        .nth(1)
        .unwrap()
        .split("###")
        .next()
        .unwrap();
    assert!(!bootcamp.contains("**Owner**"), "{bootcamp}");
    assert!(md.contains("- **Owner**: Example organisation"));
    assert!(md.contains("- **Partner**: Example development agency A"));
    // --all holds every practice of the project, each with its status.
    let r = evaluated();
    let all = papers::handbook(&r, &project(&r, "intra"), true, d("2021-03-31")).markdown();
    assert!(all.contains("Abruzzo4Export") && all.contains("- **Status**: identified"));
    clean("handbook --all", &all);
}

#[test]
fn minutes_monitoring_and_evaluation_have_their_sections() {
    let docs = documents();
    let sections = |i: usize| -> Vec<String> {
        headings(&docs[i].1.markdown())
            .into_iter()
            .map(|(l, t)| format!("{} {t}", "#".repeat(l)))
            .collect()
    };
    assert_eq!(
        sections(1),
        [
            "# Minutes: Coventry Regional Stakeholder Group meeting",
            "## Attendance (2)",
            "## Agenda",
            "## Minutes",
            "## Decisions",
            "## Follow-ups",
        ]
    );
    let minutes = docs[1].1.markdown();
    for part in [
        "- **Meeting**: RSG meeting",
        "- **Place**: Coventry, UK",
        "- **Host**: Coventry University Enterprises Ltd",
        "| Action | Owner | Due | Done |",
    ] {
        assert!(minutes.contains(part), "{part}: {minutes}");
    }
    assert!(!minutes.contains("rsg_meeting") && !minutes.contains("intra-cue"));
    let monitoring = docs[2].1.markdown();
    assert_eq!(
        sections(2)[..4],
        [
            "# Monitoring report: Action Plan for Slovenia (INTRA)",
            "## Semester reports",
            "## Reports overdue",
            "## Actions",
        ]
    );
    for part in [
        "| Vouchers awarded (example) | 400 | 120 | 1 April 2019 – 30 September 2019 |",
        "**overdue by 63 days**",
        "- **1 October 2019 – 31 March 2020**: due 30 June 2020, not submitted as of 1 September 2020",
        "- **Status**: in progress",
    ] {
        assert!(monitoring.contains(part), "{part}: {monitoring}");
    }
    let evaluation = docs[3].1.markdown();
    assert!(evaluation.starts_with("# Evaluation report: "));
    assert!(sections(3).contains(&"## Criteria".to_string()));
    assert!(sections(3).contains(&"## Results".to_string()));
    assert!(evaluation.contains("| example-evaluator-1 | 5 | 4 | 5 | 3 |"));
}

/// The parts of a .docx file: document.xml and styles.xml.
fn parts(bytes: &[u8]) -> (String, String) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    (read("word/document.xml"), read("word/styles.xml"))
}

#[test]
fn the_word_files_have_real_headings_tables_and_page_breaks() {
    for (name, doc) in documents() {
        let md = doc.markdown();
        let bytes = docx::docx(&doc).unwrap();
        assert!(bytes.starts_with(b"PK"), "{name}: not a zip");
        let (xml, styles) = parts(&bytes);
        // Every heading of the Markdown is a paragraph in Word's heading style of its level
        // (the title page's title in the Title style).
        for (level, text) in headings(&md) {
            if text == "Contents" {
                continue;
            }
            let style = if level == 1 && doc.title_page.is_some() {
                "Title".to_string()
            } else {
                format!("Heading{level}")
            };
            let text = text
                .replace('\\', "")
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                xml.contains(&format!("<w:pStyle w:val=\"{style}\" />"))
                    || xml.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
                "{name}: no paragraph in {style}"
            );
            assert!(
                xml.contains(&text),
                "{name}: heading {text:?} not in the XML"
            );
            assert!(
                styles.contains(&format!("w:styleId=\"{style}\"")),
                "{name}: {style}"
            );
        }
        // As many Word tables as Markdown tables.
        let md_tables = md.lines().filter(|l| l.starts_with("|---")).count();
        assert_eq!(xml.matches("<w:tbl>").count(), md_tables, "{name}");
        assert!(
            !xml.contains("Not given") && !xml.contains("seed 0"),
            "{name}"
        );
    }
    // The handbook: a page break after the title page and the contents, and before each group;
    // a contents field over headings 2–3.
    let docs = documents();
    let (xml, _) = parts(&docx::docx(&docs[0].1).unwrap());
    assert_eq!(xml.matches("w:type=\"page\"").count(), 2 + 3, "{xml}");
    assert!(
        xml.contains("TOC \\o &quot;2-3&quot;") || xml.contains("TOC \\o \"2-3\""),
        "no contents field"
    );
}

#[test]
fn the_command_line_writes_documents_and_refuses_binary_to_a_terminal() {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap();
    let cli = |args: &[&str]| {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        common::taskforce(&all)
    };
    assert_eq!(cli(&["init"]).status.code(), Some(0));
    let out = cli(&["doc", "minutes", "--meeting", "intra-rsg-coventry"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.starts_with("# Minutes: Coventry Regional Stakeholder Group meeting\n"));
    // A .docx needs --output; its format follows the extension.
    let out = cli(&["doc", "handbook", "--project", "intra", "--format", "docx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("--output"));
    let file = dir.path().join("handbook.docx");
    let out = cli(&[
        "document",
        "handbook",
        "--project",
        "intra",
        "--all",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let (xml, _) = parts(&std::fs::read(&file).unwrap());
    assert!(xml.contains("Abruzzo4Export") && xml.contains("Heading3"));
    // The report is the evaluation document.
    let report = common::stdout(&cli(&["report", "--session", "example-session"]));
    let doc = common::stdout(&cli(&["doc", "evaluation", "--session", "example-session"]));
    assert_eq!(report, doc);
    let out = cli(&[
        "doc",
        "monitoring",
        "--plan",
        "ap-si-intra",
        "--period",
        "2019-04-01..2019-09-30",
        "--today",
        "2020-01-01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("No semester report of this plan falls in the period."));
    for bad in [
        vec![
            "doc",
            "monitoring",
            "--plan",
            "ap-si-intra",
            "--period",
            "2019",
        ],
        vec!["doc", "minutes", "--meeting", "nope"],
    ] {
        let out = cli(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    // The handbook is no longer an export kind; the Markdown export of meetings is minutes.
    let out = cli(&["export", "--kind", "handbook"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("taskforce doc handbook"));
    let out = cli(&["export", "--format", "md", "--kind", "meetings"]);
    let text = common::stdout(&out);
    assert!(text.contains("Minutes: Coventry Regional Stakeholder Group meeting"));
    for raw in ["rsg\\_meeting", "intra-cue", "done: false", "kind:"] {
        assert!(!text.contains(raw), "{raw}: {text}");
    }
}

#[test]
fn the_markdown_export_of_other_kinds_reads_as_labels_not_keys() {
    let (dir, db) = common::temp_db();
    let db = db.to_str().unwrap().to_string();
    let _keep = dir;
    let out = common::taskforce(&["--db", &db, "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let md = |kind: &str| {
        let out = common::taskforce(&["--db", &db, "export", "--format", "md", "--kind", kind]);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        common::stdout(&out)
    };
    let practices = md("practices");
    for want in [
        // the form's labels, without their typing hints
        "- **Presented by partner**: Foundation FUNDECYT",
        "- **Country**: ES",
        "- **Potential for transfer**:",
        // references by the record's name, choices by their labels, status changes as sentences
        "- **Project**: INTRA — ",
        "- **Status**: evaluated",
        ": presented, by Example A: Example: presented at the example ITF meeting.",
    ] {
        assert!(practices.contains(want), "missing «{want}»:\n{practices}");
    }
    let vouchers = md("vouchers");
    assert!(
        vouchers.contains("- **Requested (EUR)**: EUR 3,000.00"),
        "{vouchers}"
    );
    assert!(
        vouchers.contains("- **SME**: Example SME 1 (example-sme-1)"),
        "{vouchers}"
    );
    let projects = md("projects");
    assert!(
        projects.contains("- **ERDF rate (%)**: 83.67 %"),
        "{projects}"
    );
    let sessions = md("sessions");
    assert!(
        sessions.contains("  - Sustainability (sustainability), weight 25 %, scale 1–5"),
        "{sessions}"
    );
    for text in [&practices, &vouchers, &projects, &sessions] {
        for raw in [
            "**status**",
            "**sub\\_theme**",
            "**project**",
            "Not given in the sources",
            "transfer\\_potential",
            "\"at\"",
            "at: 20",
        ] {
            assert!(!text.contains(raw), "{raw} in:\n{text}");
        }
    }
}

#[test]
fn the_monitoring_report_gives_each_actions_transfers_with_the_stage_reached_by_the_periods_end() {
    let mut r = evaluated();
    let Some(Record::ActionPlan(plan)) = r.record(Kind::ActionPlan, "ap-si-intra").cloned() else {
        panic!("the Slovenian plan")
    };
    let action = r
        .rows(Kind::Action)
        .find_map(|row| match &row.record {
            Record::Action(a) if a.plan == plan.id => Some(a.id.clone()),
            _ => None,
        })
        .expect("the plan has an action");
    let practice = r
        .rows(Kind::Practice)
        .find_map(|row| match &row.record {
            Record::Practice(p) => Some((p.id.clone(), p.title.clone())),
            _ => None,
        })
        .unwrap();
    let step = |on: &str, stage| StageStep {
        on: d(on),
        stage,
        note: String::new(),
    };
    r.insert(Row {
        rev: 1,
        at: Timestamp(0),
        by: "test".into(),
        record: Record::Transfer(Box::new(Transfer {
            id: TransferId::new("tr-test"),
            title: "Example transfer".into(),
            practice: practice.0.clone(),
            partner: plan.partner.clone(),
            instrument: "Example instrument".into(),
            action: Some(action),
            stages: vec![
                step("2019-05-10", TransferStage::Interest),
                step("2020-02", TransferStage::Studied),
                step("2020", TransferStage::Adapted),
            ],
            evidence: String::new(),
            links: Vec::new(),
            result: Some(TransferResult::InstrumentImproved),
            source: String::new(),
        })),
    });
    let text =
        papers::monitoring(&r, &plan, d("2019-04-01"), d("2020-03-31"), d("2020-09-01")).markdown();
    assert!(text.contains("#### Transfers"), "{text}");
    // "2020" is not certainly over by the end of March 2020: the stage reached is "studied".
    let row = format!(
        "| {} | studied | February 2020 | policy instrument improved |",
        practice.1
    );
    assert!(text.contains(&row), "{row}\n{text}");
}

/// The minutes list attendance by organisation: stakeholders named from their records under
/// their organisation, an organisation taking part as such on a line of its own, a guest
/// under the organisation typed for them; no contact details.
#[test]
fn the_minutes_list_attendance_by_organisation() {
    let r = evaluated();
    let Some(Record::Meeting(m)) = r.record(Kind::Meeting, "example-rsg-a-1") else {
        panic!()
    };
    let md = papers::minutes(&r, m).markdown();
    let attendance: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("## Attendance"))
        .skip(1)
        .take_while(|l| !l.starts_with("##"))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        attendance,
        [
            "- Example chamber of commerce A: Example: Mira Kos",
            "- Example managing authority A: Example: a guest of the managing authority",
            "- Example regional ministry A: Example: Tomaž Zupan",
            "- Example university A",
        ],
        "{md}"
    );
    assert!(!md.contains("mira.kos@example.org"));
}
