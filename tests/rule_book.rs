//! One rule book: each rule's violation sent through every path — an import into a new
//! database in each conflict mode, an import that replaces and its dry run, the workbench's
//! form, a save through the store, a raw message to the server —
//! gets the same refusal, and leaves the store as it was.

mod common;

use common::server::Server;
use common::*;
use serde_json::{Value, json};
use taskforce::model::*;
use taskforce::server::{Connection, Request};
use taskforce::store::Store;
use taskforce::tui::forms::Form;

/// A rule broken by changing one record of the sample's export; the refusal names this.
struct Case {
    rule: &'static str,
    kind: &'static str,
    id: &'static str,
    change: fn(&mut Value),
    refusal: &'static str,
}

const CASES: &[Case] = &[
    Case {
        rule: "approved at most what was requested",
        kind: "vouchers",
        id: "v-1",
        change: |v| v["requested"] = json!(5000),
        refusal: "EUR 6,000.00 is more than the requested EUR 5,000.00",
    },
    Case {
        rule: "the SME in the scheme's country",
        kind: "smes",
        id: "sme-1",
        change: |s| s["country"] = json!("PT"),
        refusal: "sme-1 is in PT; Internationalisation vouchers is for SMEs in SI",
    },
    Case {
        rule: "a plan's partner belongs to its project",
        kind: "action_plans",
        id: "ap-si",
        change: |p| p["project"] = json!("other"),
        refusal: "is a partner of intra, not of this plan's project other",
    },
    Case {
        rule: "progress on the plan's own actions",
        kind: "action_plans",
        id: "ap-si",
        change: |p| p["reports"][0]["indicators"][0]["indicator"] = json!("exports"),
        refusal: "'exports' is not an indicator of action 'ap-si-1'; its indicators are: users",
    },
    Case {
        rule: "nothing submitted in the future",
        kind: "action_plans",
        id: "ap-si",
        change: |p| p["reports"][0]["submitted_on"] = json!("2031-01-15"),
        refusal: "2031-01-15 is in the future",
    },
    Case {
        rule: "a meeting hosted by a partner of its project",
        kind: "meetings",
        id: "sv-maribor",
        change: |m| m["project"] = json!("other"),
        refusal: "'mra' is a partner of intra, not of this meeting's project other",
    },
    Case {
        rule: "a practice's partner is of its project",
        kind: "practices",
        id: "gp-vouchers",
        change: |p| p["project"] = json!("other"),
        refusal: "'mra' is a partner of intra, not of this practice's project other",
    },
    Case {
        rule: "a meeting presents practices of its project",
        kind: "meetings",
        id: "sv-maribor",
        change: |m| m["project"] = json!("other"),
        refusal: "'gp-vouchers' is a practice of intra, not of other",
    },
    Case {
        rule: "nothing submitted in the future, however approximate",
        kind: "action_plans",
        id: "ap-si",
        change: |p| p["reports"][0]["submitted_on"] = json!("2031"),
        refusal: "2031 is in the future",
    },
    Case {
        rule: "a meeting within its project's period",
        kind: "meetings",
        id: "sv-maribor",
        change: |m| {
            m["start"] = json!("2015-11");
            m["end"] = Value::Null;
        },
        refusal: "2015-11 is before INTRA began (2016-04-01)",
    },
    Case {
        rule: "a meeting within its project's period, whichever of its dates is outside",
        kind: "meetings",
        id: "sv-maribor",
        change: |m| {
            m["start"] = json!("2016");
            m["end"] = json!("2016-03-10");
        },
        refusal: "2016-03-10 is before INTRA began (2016-04-01)",
    },
    Case {
        rule: "a meeting within its project's period, at its end",
        kind: "meetings",
        id: "sv-maribor",
        change: |m| m["end"] = json!("2021-04-02"),
        refusal: "2021-04-02 is after INTRA ended (2021-03-31)",
    },
    Case {
        rule: "a project's period holds its meetings",
        kind: "projects",
        id: "intra",
        change: |p| p["end"] = json!("2017-01"),
        refusal: "the meeting 'sv-maribor': 2017-03-20 is after INTRA ended (2017-01)",
    },
    Case {
        rule: "an event voucher names at most the type's participants",
        kind: "vouchers",
        id: "v-2",
        change: |v| v["participants"] = json!(["Ana", "Bojan", "Cene"]),
        refusal: "3 participants named; the type forums (International forums) pays for at most 2",
    },
    Case {
        rule: "other vouchers pay for no participants",
        kind: "vouchers",
        id: "v-1",
        change: |v| v["participants"] = json!(["Ana"]),
        refusal: "pays for no participants",
    },
    Case {
        rule: "a transfer's stages run forward: no earlier stage after a later one",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["stages"][2]["stage"] = json!("interest"),
        refusal: "'interest' cannot follow 'studied': the stages run interest → studied → adapted → adopted",
    },
    Case {
        rule: "a transfer's stages run forward: the same stage twice",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["stages"][1]["stage"] = json!("interest"),
        refusal: "'interest' cannot follow 'interest'",
    },
    Case {
        rule: "a transfer's stage dates do not go back",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["stages"][1]["on"] = json!("2018-01-10"),
        refusal: "2018-01-10 is before the stage before it (interest, 2018-05)",
    },
    Case {
        rule: "nothing follows a transfer's adoption",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| {
            t["stages"][2]["stage"] = json!("adopted");
            t["stages"]
                .as_array_mut()
                .unwrap()
                .push(json!({"on": "2019-10", "stage": "dropped", "note": "budget cut"}));
        },
        refusal: "'dropped' comes after the transfer was adopted on 2019-06-12: nothing follows",
    },
    Case {
        rule: "nothing follows a transfer's drop",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| {
            t["stages"][2] = json!({"on": "2019-06-12", "stage": "dropped", "note": "no budget"});
            t["stages"]
                .as_array_mut()
                .unwrap()
                .push(json!({"on": "2019-10", "stage": "adopted"}));
        },
        refusal: "'adopted' comes after the transfer was dropped on 2019-06-12",
    },
    Case {
        rule: "a dropped transfer says why",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["stages"][2] = json!({"on": "2019-06-12", "stage": "dropped"}),
        refusal: "a dropped transfer needs the reason in the note",
    },
    Case {
        rule: "a transfer's stage is not reached in the future",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["stages"][2]["on"] = json!("2031-01-15"),
        refusal: "2031-01-15 is in the future: a stage is recorded once it is reached",
    },
    Case {
        rule: "a transfer has a stage",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["stages"] = json!([]),
        refusal: "needs at least the stage reached, with its date",
    },
    Case {
        rule: "a transfer's practice exists",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["practice"] = json!("gp-nowhere"),
        refusal: "refers to practice 'gp-nowhere', which does not exist",
    },
    Case {
        rule: "a transfer is carried by an action of the adopting partner's plan",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["partner"] = json!("kid"),
        refusal: "'ap-si-1' is an action of mra's plan 'ap-si', not of the adopting partner kid",
    },
    Case {
        rule: "a transfer's evidence links are web addresses",
        kind: "transfers",
        id: "tr-east-mra",
        change: |t| t["links"] = json!(["https://example.org/rsg-3", "the minutes of RSG 3"]),
        refusal: "'the minutes of RSG 3' is not a web address: a link starts with https://",
    },
    Case {
        rule: "a stakeholder's contact details are kept only with a consent date (email)",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| {
            s["consent"] = Value::Null;
            s["phone"] = json!("");
        },
        refusal: "contact details are kept only with the person's consent (GDPR): give the day \
                  they consented",
    },
    Case {
        rule: "a stakeholder's contact details are kept only with a consent date (phone)",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| {
            s["consent"] = Value::Null;
            s["email"] = json!("");
        },
        refusal: "contact details are kept only with the person's consent (GDPR)",
    },
    Case {
        rule: "a stakeholder's consent is not given in the future",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| s["consent"] = json!("2031-01-15"),
        refusal: "2031-01-15 is in the future: record the day the person consented",
    },
    Case {
        rule: "a stakeholder's email is an email address",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| s["email"] = json!("vesna at example.org"),
        refusal: "'vesna at example.org' is not an email address (name@example.org)",
    },
    Case {
        rule: "a stakeholder's phone is a phone number",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| s["phone"] = json!("ask the desk"),
        refusal: "'ask the desk' is not a phone number",
    },
    Case {
        rule: "a stakeholder is a person or an organisation",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| {
            s["name"] = json!("");
            s["organisation"] = json!(" ");
        },
        refusal: "a stakeholder is a person or an organisation: give the name, the organisation or both",
    },
    Case {
        rule: "a stakeholder belongs to an existing partner's group",
        kind: "stakeholders",
        id: "sh-mra-1",
        change: |s| s["partner"] = json!("nowhere"),
        refusal: "refers to partner 'nowhere', which does not exist",
    },
    Case {
        rule: "an attendee on record is a stakeholder that exists",
        kind: "meetings",
        id: "sv-maribor",
        change: |m| m["attendance"][1]["stakeholder"] = json!("sh-nowhere"),
        refusal: "refers to stakeholder 'sh-nowhere', which does not exist",
    },
    Case {
        rule: "text is text",
        kind: "practices",
        id: "gp-east",
        change: |p| p["title"] = json!("Evil\u{1b}[2J"),
        refusal: "holds U+001B (escape) at character 5",
    },
];

/// The database's export (the sample and a second project "other", for the cross-project
/// rules), changed by `case`.
fn broken(case: &Case, export: &Value) -> Value {
    let mut export = export.clone();
    let record = export[case.kind]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == case.id)
        .unwrap_or_else(|| panic!("{}: no {} {}", case.rule, case.kind, case.id));
    (case.change)(record);
    export
}

fn the_record(case: &Case, export: &Value) -> Record {
    let text = export.to_string();
    json_records(&text)
        .into_iter()
        .find(|r| r.kind().key() == case.kind && r.id() == case.id)
        .unwrap()
}

fn json_records(text: &str) -> Vec<Record> {
    taskforce::io::json::parse(text, "case.json")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

#[test]
fn every_rule_is_refused_the_same_way_on_every_path_and_nothing_is_written() {
    let (dir, db) = temp_db();
    drop(sample_store(&db));
    wait_released(&db);
    // The project "other" exists in the database too, for the saves below.
    let mut base: Value = serde_json::from_str(&stdout(&cli(&db, &["export"]))).unwrap();
    let mut other = base["projects"][0].clone();
    other["id"] = json!("other");
    other["acronym"] = json!("OTHER");
    other["lead_partner"] = Value::Null;
    base["projects"] = json!([other]);
    for kind in [
        "partners",
        "practices",
        "meetings",
        "criteria_sets",
        "sessions",
        "scores",
        "action_plans",
        "actions",
        "schemes",
        "smes",
        "vouchers",
        "members",
        "transfers",
        "stakeholders",
    ] {
        base[kind] = json!([]);
    }
    let file = dir.path().join("other.json");
    std::fs::write(&file, base.to_string()).unwrap();
    let out = cli(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let export: Value = serde_json::from_str(&stdout(&cli(&db, &["export"]))).unwrap();
    let seq = || {
        let store = Store::open(&db).unwrap();
        let seq = store.seq().unwrap();
        drop(store);
        wait_released(&db);
        seq
    };
    let before = seq();
    for case in CASES {
        let changed = broken(case, &export);
        let file = dir.path().join("case.json");
        std::fs::write(&file, changed.to_string()).unwrap();
        // An import that replaces, and an import into a new database.
        let out = cli(
            &db,
            &["import", file.to_str().unwrap(), "--on-conflict", "replace"],
        );
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}: {}",
            case.rule,
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(case.refusal),
            "{}: {}",
            case.rule,
            stderr(&out)
        );
        // Into a new database, in every conflict mode (there is nothing to conflict with).
        let (_fresh_dir, fresh) = temp_db();
        for mode in ["fail", "skip", "replace"] {
            let out = cli(
                &fresh,
                &["import", file.to_str().unwrap(), "--on-conflict", mode],
            );
            assert_eq!(
                out.status.code(),
                Some(3),
                "{} ({mode}): {}",
                case.rule,
                stderr(&out)
            );
            assert!(
                stderr(&out).contains(case.refusal),
                "{} ({mode}): {}",
                case.rule,
                stderr(&out)
            );
        }
        // A dry run says the same, and writes nothing either.
        let out = cli(
            &db,
            &[
                "import",
                file.to_str().unwrap(),
                "--on-conflict",
                "replace",
                "--dry-run",
            ],
        );
        assert_ne!(
            out.status.code(),
            Some(0),
            "{}: {}",
            case.rule,
            stdout(&out)
        );
        assert!(
            format!("{}{}", stdout(&out), stderr(&out)).contains(case.refusal),
            "{} (dry run): {}{}",
            case.rule,
            stdout(&out),
            stderr(&out)
        );
        // A save through the store, as the sample's facilitator.
        let record = the_record(case, &changed);
        let store = Store::open(&db).unwrap();
        // The workbench's form holding the record as if it were typed in: its check, run
        // before anything is sent, shows the same refusal.
        let (replica, _) = store.load().unwrap();
        let stored = replica.row(record.kind(), record.id()).unwrap();
        let row = Row {
            rev: stored.rev,
            at: stored.at,
            by: stored.by.clone(),
            record: record.clone(),
        };
        let mut form = Form::open(record.kind(), Some(&row), None);
        form.check("alice", &replica);
        let said: Vec<String> = form
            .fields
            .iter()
            .filter_map(|f| f.error.clone())
            .chain(form.general.iter().cloned())
            .collect();
        assert!(
            said.iter().any(|e| e.contains(case.refusal)),
            "{} (form): {said:?}",
            case.rule
        );
        let err = store
            .apply(
                &Actor::user("alice"),
                Command::Put {
                    record: record.clone(),
                    expected_rev: None,
                },
            )
            .unwrap_err();
        assert!(
            err.to_string().contains(case.refusal),
            "{}: {err}",
            case.rule
        );
        drop(store);
        wait_released(&db);
    }
    // A raw message to the server.
    let _server = Server::start(&db, &[]);
    let mut conn = Connection::connect(&db, "test").unwrap();
    for case in CASES {
        let record = the_record(case, &broken(case, &export));
        let err = conn
            .request(Request::Submit {
                command: Command::Put {
                    record,
                    expected_rev: None,
                },
                on_behalf_of: None,
            })
            .unwrap_err();
        assert!(
            err.to_string().contains(case.refusal),
            "{}: {err}",
            case.rule
        );
    }
    drop(conn);
    drop(_server);
    wait_released(&db);
    assert_eq!(seq(), before, "a refused change wrote something");
}

#[test]
fn a_batch_over_the_yearly_count_names_the_voucher_that_crosses_it() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    // The scheme allows 3 vouchers a year; v-1 and v-2 are there, two more come at once.
    let mut vouchers = Vec::new();
    for (id, day) in [("v-3", "2019-07-01"), ("v-4", "2019-08-01")] {
        let Record::Voucher(mut v) = store.get(Kind::Voucher, "v-2").unwrap().unwrap().record
        else {
            panic!()
        };
        v.id = VoucherId::new(id);
        v.submitted_on = Some(Date::parse(day).unwrap());
        vouchers.push(Record::from(*v));
    }
    let err = store
        .apply(
            &actor(),
            Command::Import {
                records: vouchers,
                on_conflict: OnConflict::Fail,
                source: "batch".into(),
            },
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("voucher 'v-4'"), "{err}");
    assert!(
        !err.contains("voucher 'v-3'"),
        "only the one that crosses: {err}"
    );
    assert!(err.contains("at most 3 a year"), "{err}");
}

#[test]
fn messages_use_the_right_article() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let Record::Voucher(mut v) = store.get(Kind::Voucher, "v-2").unwrap().unwrap().record else {
        panic!()
    };
    v.status = VoucherStatus::Approved;
    let err = store
        .apply(
            &actor(),
            Command::Put {
                record: Record::from(*v),
                expected_rev: None,
            },
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("an approved"), "{err}");
    assert!(!err.contains("a approved"), "{err}");
}

/// Naming who travels is asked of a change — a voucher moved past draft, or edited there, in a
/// form, through the store, a raw message or a replacing import — and not of a voucher restored
/// as an older version exported it (it had no participants to name): that imports, and `check`
/// lists it to mend.
#[test]
fn an_event_voucher_past_draft_names_its_participants_when_it_changes() {
    let (dir, db) = temp_db();
    drop(sample_store(&db));
    wait_released(&db);
    let mut export: Value = serde_json::from_str(&stdout(&cli(&db, &["export"]))).unwrap();
    let v2 = export["vouchers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["id"] == "v-2")
        .unwrap();
    assert_eq!(v2["status"], "submitted");
    v2["participants"] = json!([]);
    v2["service"] = json!("Example: forum, edited");
    let file = dir.path().join("v2.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let refusal = "pays for up to 2 named participants: name at least one";
    // An edit through a replacing import, the store and a raw message: refused.
    let out = cli(
        &db,
        &["import", file.to_str().unwrap(), "--on-conflict", "replace"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(refusal), "{}", stderr(&out));
    let Record::Voucher(v) = json_records(&export.to_string())
        .into_iter()
        .find(|r| r.id() == "v-2")
        .unwrap()
    else {
        panic!()
    };
    let put = || Command::Put {
        record: Record::from(v.clone()),
        expected_rev: None,
    };
    let store = Store::open(&db).unwrap();
    let err = store.apply(&Actor::user("alice"), put()).unwrap_err();
    assert!(err.to_string().contains(refusal), "{err}");
    // The workbench's form says so beside the field before sending anything.
    let (replica, _) = store.load().unwrap();
    let stored = replica.row(Kind::Voucher, "v-2").unwrap().clone();
    let row = Row {
        record: Record::from(v.clone()),
        ..stored
    };
    let mut form = Form::open(Kind::Voucher, Some(&row), None);
    form.check("alice", &replica);
    let error = form.field("participants").and_then(|f| f.error.clone());
    assert!(
        error.as_deref().is_some_and(|e| e.contains(refusal)),
        "{error:?} {:?}",
        form.general
    );
    drop(store);
    wait_released(&db);
    {
        let _server = Server::start(&db, &[]);
        let mut conn = Connection::connect(&db, "test").unwrap();
        let err = conn
            .request(Request::Submit {
                command: put(),
                on_behalf_of: None,
            })
            .unwrap_err();
        assert!(err.to_string().contains(refusal), "{err}");
    }
    wait_released(&db);
    // Restored into a new database as it was exported: accepted, and listed by `check`.
    let (_fresh_dir, fresh) = temp_db();
    let out = cli(&fresh, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = cli(&fresh, &["check"]);
    assert_eq!(out.status.code(), Some(5), "{}", stdout(&out));
    assert!(stdout(&out).contains(refusal), "{}", stdout(&out));
}
