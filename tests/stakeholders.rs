//! Stakeholders of the regional stakeholder groups: a stakeholder and the attendance that
//! refers to it round-trip through JSON, CSV and XLSX; what a meeting refers to cannot be
//! deleted; an attendee on record keeps no copy of the person; a database written before
//! stakeholders existed (schema version 4, old attendance) opens and takes them; and an erasure
//! leaves the person's data nowhere taskforce keeps it — the record, every export, the saved
//! search index, the audit log's earlier values, commands and summaries — and cannot be undone.

mod common;

use std::path::Path;

use common::*;
use serde_json::{Value, json};
use taskforce::model::*;
use taskforce::store::{AuditEntry, CommandError, Store};

/// What the sample's stakeholder holds that is personal: name, email, phone and role.
/// (The role's words: the sample's practice gp-east is an "export desk" too.)
const PERSONAL: [&str; 4] = [
    "Vesna Horvat",
    "vesna@example.org",
    "555 010",
    "of the export desk",
];

/// The sample's stakeholder: a person of mra's group, with consent and contact details.
fn stakeholder() -> Stakeholder {
    serde_json::from_value(json!({
        "id": "sh-mra-1",
        "partner": "mra",
        "organisation": "Example Chamber of Commerce",
        "name": "Example: Vesna Horvat",
        "helix": "business",
        "role": "Head of the export desk",
        "email": "vesna@example.org",
        "phone": "+386 2 555 0101",
        "consent": "2018-03-01"
    }))
    .unwrap()
}

/// The sample without its stakeholder (and the meeting's attendee that refers to it), as a
/// version before stakeholders held it.
fn sample_without_stakeholders() -> Vec<Record> {
    sample_records()
        .into_iter()
        .filter(|r| r.kind() != Kind::Stakeholder)
        .map(|r| match r {
            Record::Meeting(mut m) => {
                m.attendance.retain(|a| a.stakeholder.is_none());
                Record::from(m)
            }
            r => r,
        })
        .collect()
}

fn import_into(db: &Path, records: Vec<Record>) -> Store {
    let store = Store::open(db).unwrap();
    store
        .apply(
            &actor(),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "sample".into(),
            },
        )
        .unwrap();
    store
}

/// The sample's study visit to Maribor, whose attendance names stakeholders, as stored now.
fn maribor_visit(store: &Store) -> Box<Meeting> {
    match store
        .get(Kind::Meeting, "sv-maribor")
        .unwrap()
        .unwrap()
        .record
    {
        Record::Meeting(m) => m,
        other => panic!("{other:?}"),
    }
}

fn exported(db: &Path, kind: &str) -> Value {
    let out = cli(db, &["export", "--kind", kind]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
    all[kind].clone()
}

#[test]
fn a_stakeholder_and_the_attendance_that_names_it_round_trip_through_json_csv_and_xlsx() {
    let (dir, db) = temp_db();
    sample_db(&db);
    let before = exported(&db, "stakeholders");
    assert_eq!(
        serde_json::from_value::<Vec<Stakeholder>>(before.clone()).unwrap(),
        vec![stakeholder()]
    );
    let meetings = exported(&db, "meetings");
    assert_eq!(
        meetings[0]["attendance"][1],
        json!({"name": "", "organisation": "", "partner": null, "stakeholder": "sh-mra-1", "member": null})
    );
    for format in ["json", "csv", "xlsx"] {
        let path = |kind: &str| dir.path().join(format!("{kind}.{format}"));
        for kind in ["stakeholders", "meetings"] {
            let file = path(kind);
            let out = cli(
                &db,
                &[
                    "export",
                    "--format",
                    format,
                    "--kind",
                    kind,
                    "--output",
                    file.to_str().unwrap(),
                ],
            );
            assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        }
        // Into a database without the stakeholder: it comes back the same, and so does the
        // meeting that names it.
        let (_fresh_dir, fresh) = temp_db();
        drop(import_into(&fresh, sample_without_stakeholders()));
        wait_released(&fresh);
        let stakeholders = path("stakeholders");
        let out = cli(&fresh, &["import", stakeholders.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(exported(&fresh, "stakeholders"), before, "{format}");
        let meetings_file = path("meetings");
        let out = cli(
            &fresh,
            &[
                "import",
                "--on-conflict",
                "replace",
                meetings_file.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(exported(&fresh, "meetings"), meetings, "{format}");
        // Over itself, replacing: nothing changes.
        let out = cli(
            &db,
            &[
                "import",
                "--on-conflict",
                "replace",
                stakeholders.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(exported(&db, "stakeholders"), before, "{format}");
    }
}

#[test]
fn a_stakeholder_or_member_a_meeting_names_cannot_be_deleted() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let mut m = maribor_visit(&store);
    m.attendance.push(Attendee {
        member: Some(MemberId("alice".into())),
        ..Attendee::guest("", "", None)
    });
    put(&store, *m).unwrap();
    for (kind, id, field) in [
        (Kind::Stakeholder, "sh-mra-1", "attendance[1].stakeholder"),
        (Kind::Member, "alice", "attendance[2].member"),
    ] {
        let err = store
            .apply(
                &actor(),
                Command::Delete {
                    kind,
                    id: id.into(),
                    expected_rev: None,
                },
            )
            .unwrap_err();
        assert!(matches!(err, CommandError::InUse { .. }), "{err}");
        assert!(
            err.to_string()
                .contains(&format!("meeting 'sv-maribor' refers to it in {field}")),
            "{err}"
        );
    }
    // The partner a stakeholder belongs to stays while it does.
    let err = store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Partner,
                id: "mra".into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("stakeholder 'sh-mra-1' refers to it in partner"),
        "{err}"
    );
}

#[test]
fn an_attendee_on_record_keeps_no_copy_of_the_person_on_any_path() {
    let (dir, db) = temp_db();
    let store = sample_store(&db);
    let m = maribor_visit(&store);
    let refusals = [
        (
            Attendee {
                stakeholder: Some(StakeholderId("sh-mra-1".into())),
                ..Attendee::guest("Vesna Horvat", "", None)
            },
            "attendance[1].name",
            "comes from the record of stakeholder 'sh-mra-1' (a meeting keeps no copy of it): \
             leave it empty",
        ),
        (
            Attendee {
                stakeholder: Some(StakeholderId("sh-mra-1".into())),
                ..Attendee::guest("", "Chamber", Some(PartnerId("mra".into())))
            },
            "attendance[1].organisation",
            "comes from the record of stakeholder 'sh-mra-1'",
        ),
        (
            Attendee {
                stakeholder: Some(StakeholderId("sh-mra-1".into())),
                member: Some(MemberId("alice".into())),
                ..Attendee::guest("", "", None)
            },
            "attendance[1]",
            "names both stakeholder 'sh-mra-1' and member 'alice'",
        ),
        (
            Attendee::guest(" ", "Chamber", None),
            "attendance[1].name",
            "is required",
        ),
    ];
    let before = store.seq().unwrap();
    for (attendee, field, message) in &refusals {
        let refusal = format!("{field}: {message}");
        let mut changed = (*m).clone();
        changed.attendance[1] = attendee.clone();
        let err = put(&store, changed.clone()).unwrap_err();
        assert!(err.to_string().contains(&refusal), "{err}");
        // The same in a batch (and below, in an import that replaces).
        let err = store
            .apply(
                &actor(),
                Command::Batch {
                    records: vec![(changed.clone().into(), None)],
                    summary: String::new(),
                },
            )
            .unwrap_err();
        assert!(err.to_string().contains(&refusal), "{err}");
    }
    assert_eq!(store.seq().unwrap(), before);
    drop(store);
    wait_released(&db);
    for (attendee, field, message) in &refusals {
        let mut changed = (*m).clone();
        changed.attendance[1] = attendee.clone();
        let mut file = Dataset::new();
        file.push(changed.into());
        let path = dir.path().join("meeting.json");
        std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
        let out = cli(
            &db,
            &["import", "--on-conflict", "replace", path.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        let said = stderr(&out);
        assert!(
            said.contains(&format!("at meetings[0].{field}")) && said.contains(message),
            "{said}"
        );
    }
}

#[test]
fn an_id_that_names_the_person_is_refused_for_it_outlives_an_erasure() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let mut s = stakeholder();
    s.id = StakeholderId("sh-horvat".into());
    let err = put(&store, s.clone()).unwrap_err();
    assert!(
        err.to_string().contains(
            "id: 'sh-horvat' holds 'horvat' from the person's name: an id outlives an erasure"
        ),
        "{err}"
    );
    // Without diacritics too; an organisation taking part as such may be named in its id.
    s.name = "Vesna Horvát".into();
    assert!(put(&store, s.clone()).is_err());
    s.name = String::new();
    s.id = StakeholderId("sh-chamber".into());
    s.email = String::new();
    s.phone = String::new();
    s.consent = None;
    s.role = String::new();
    put(&store, s).unwrap();
}

#[test]
fn undo_refuses_to_bring_back_contact_details_without_consent() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    // The meeting goes first, then the stakeholder; its value before, as an older version
    // might have kept it, has contact details and no consent.
    let mut m = maribor_visit(&store);
    m.attendance.truncate(1);
    put(&store, *m).unwrap();
    let delete = store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Stakeholder,
                id: "sh-mra-1".into(),
                expected_rev: None,
            },
        )
        .unwrap();
    drop(store);
    wait_released(&db);
    {
        let raw = sled::open(&db).unwrap();
        let audit = raw.open_tree("audit").unwrap();
        let key = delete.seq.to_be_bytes();
        let mut entry: AuditEntry =
            taskforce::store::codec::decode(&audit.get(key).unwrap().unwrap()).unwrap();
        let Some(Row {
            record: Record::Stakeholder(s),
            ..
        }) = &mut entry.changes[0].before
        else {
            panic!()
        };
        s.consent = None;
        audit
            .insert(key, taskforce::store::codec::encode(&entry))
            .unwrap();
        raw.flush().unwrap();
    }
    wait_released(&db);
    let store = Store::open(&db).unwrap();
    let err = store
        .apply(&actor(), Command::Undo { seq: delete.seq })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("email: contact details are kept only with the person's consent"),
        "{err}"
    );
    assert!(store.get(Kind::Stakeholder, "sh-mra-1").unwrap().is_none());
}

/// A database as schema version 4 wrote it: no stakeholders tree, meetings in the version-2
/// envelope with attendees of three fields, and the counts every commit keeps one number per
/// kind it knew.
#[test]
fn a_version_4_database_without_stakeholders_opens_and_takes_them() {
    /// A meeting's attendee as version 4 stored it.
    #[derive(serde::Serialize)]
    struct OldAttendee {
        name: String,
        organisation: String,
        partner: Option<PartnerId>,
    }
    /// The meeting as version 4 stored it (its fields in their order).
    #[derive(serde::Serialize)]
    struct OldMeeting {
        id: MeetingId,
        project: ProjectId,
        title: String,
        kind: MeetingKind,
        mode: MeetingMode,
        host: Option<PartnerId>,
        city: String,
        country: String,
        start: Date,
        end: Option<Date>,
        agenda: Vec<AgendaItem>,
        attendance: Vec<OldAttendee>,
        minutes: String,
        practices: Vec<PracticeId>,
        decisions: Vec<String>,
        follow_ups: Vec<FollowUp>,
        source: String,
    }
    /// `Record` up to its meeting variant (the fourth), as bincode tags it.
    #[derive(serde::Serialize)]
    enum OldRecord {
        _Project(()),
        _Partner(()),
        _Practice(()),
        Meeting(Box<OldMeeting>),
    }
    #[derive(serde::Serialize)]
    struct OldRow {
        rev: u64,
        at: Timestamp,
        by: String,
        record: OldRecord,
    }

    let (_d, db) = temp_db();
    let store = import_into(&db, sample_without_stakeholders());
    store.counts().unwrap();
    let row = store.get(Kind::Meeting, "sv-maribor").unwrap().unwrap();
    drop(store);
    wait_released(&db);
    let Record::Meeting(m) = row.record else {
        panic!()
    };
    {
        let old = OldRow {
            rev: row.rev,
            at: row.at,
            by: row.by.to_string(),
            record: OldRecord::Meeting(Box::new(OldMeeting {
                id: m.id.clone(),
                project: m.project.clone(),
                title: m.title.clone(),
                kind: m.kind,
                mode: m.mode,
                host: m.host.clone(),
                city: m.city.clone(),
                country: m.country.clone(),
                start: m.start,
                end: m.end,
                agenda: m.agenda.clone(),
                attendance: vec![
                    OldAttendee {
                        name: "Amna Potočnik".into(),
                        organisation: "MRA".into(),
                        partner: Some(PartnerId("mra".into())),
                    },
                    OldAttendee {
                        name: "Jo Guest".into(),
                        organisation: String::new(),
                        partner: None,
                    },
                ],
                minutes: m.minutes.text().into_owned(),
                practices: m.practices.clone(),
                decisions: m.decisions.clone(),
                follow_ups: m.follow_ups.clone(),
                source: m.source.clone(),
            })),
        };
        let raw = sled::open(&db).unwrap();
        assert!(raw.drop_tree("stakeholders").unwrap());
        raw.open_tree("meetings")
            .unwrap()
            .insert("sv-maribor", taskforce::store::codec::encode_v2(&old))
            .unwrap();
        let meta = raw.open_tree("meta").unwrap();
        meta.insert("schema_version", &4u32.to_be_bytes()).unwrap();
        let counts = meta.get("counts").unwrap().unwrap().to_vec();
        meta.insert("counts", &counts[..counts.len() - 8]).unwrap();
        raw.flush().unwrap();
    }
    wait_released(&db);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        taskforce::store::SCHEMA_VERSION
    );
    assert_eq!(taskforce::store::SCHEMA_VERSION, 5);
    let (replica, problems) = store.load().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(store.check(|_| {}).unwrap().problems.is_empty());
    let Some(Record::Meeting(old)) = replica.record(Kind::Meeting, "sv-maribor") else {
        panic!()
    };
    assert_eq!(
        old.attendance,
        [
            Attendee::guest("Amna Potočnik", "MRA", Some(PartnerId("mra".into()))),
            Attendee::guest("Jo Guest", "", None)
        ]
    );
    let counts = store.counts().unwrap();
    assert!(counts.contains(&(Kind::Stakeholder, 0)), "{counts:?}");
    assert!(counts.contains(&(Kind::Meeting, 1)), "{counts:?}");
    // It takes a stakeholder, and a meeting that names it, which keeps it from deletion.
    put(&store, stakeholder()).unwrap();
    let mut m = (**old).clone();
    m.attendance.push(Attendee {
        stakeholder: Some(StakeholderId("sh-mra-1".into())),
        ..Attendee::guest("", "", None)
    });
    put(&store, m).unwrap();
    assert!(store.counts().unwrap().contains(&(Kind::Stakeholder, 1)));
    let err = store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Stakeholder,
                id: "sh-mra-1".into(),
                expected_rev: None,
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::InUse { .. }), "{err}");
    drop(store);
    wait_released(&db);
    let store = Store::open(&db).unwrap();
    let m = maribor_visit(&store);
    assert_eq!(m.attendance.len(), 3);
}

/// Whether `bytes` hold any of the person's data.
fn holds_personal(bytes: &[u8]) -> Option<&'static str> {
    PERSONAL
        .into_iter()
        .find(|p| bytes.windows(p.len()).any(|w| w == p.as_bytes()))
}

/// The text of every file in an XLSX (a zip of XML parts).
fn xlsx_text(bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        std::io::copy(&mut zip.by_index(i).unwrap(), &mut out).unwrap();
    }
    out
}

#[test]
fn an_erasure_leaves_the_persons_data_nowhere_and_cannot_be_undone() {
    let (dir, db) = temp_db();
    let store = sample_store(&db);
    // Earlier values for the audit log to keep: a save, a batch, and (below) an import that
    // replaces it from a file whose name holds the person's name.
    let mut s = stakeholder();
    s.role = "Director of the export desk".into();
    put(&store, s.clone()).unwrap();
    s.phone = "+386 2 555 0102".into();
    store
        .apply(
            &actor(),
            Command::Batch {
                records: vec![(s.clone().into(), None)],
                summary: String::new(),
            },
        )
        .unwrap();
    drop(store);
    wait_released(&db);
    let mut file = Dataset::new();
    file.push(stakeholder().into());
    let named = dir.path().join("Example: Vesna Horvat.json");
    std::fs::write(&named, serde_json::to_string(&file).unwrap()).unwrap();
    let out = cli(
        &db,
        &[
            "import",
            "--on-conflict",
            "replace",
            named.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(holds_personal(stdout(&cli(&db, &["log"])).as_bytes()).is_some());
    // The saved search index holds the name.
    let out = cli(&db, &["search", "Horvat"]);
    assert!(stdout(&out).contains("sh-mra-1"), "{}", stdout(&out));
    let index = db.join("search-index");
    let old_index = std::fs::read(&index).unwrap();
    assert!(holds_personal(&old_index).is_some());

    let out = cli(&db, &["erase", "stakeholder", "sh-mra-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("erased the personal data of stakeholder 'sh-mra-1' as change #"),
        "{}",
        stdout(&out)
    );
    assert!(
        !index.exists(),
        "the saved search index outlived the erasure"
    );

    // The record: what it is and whose group stay; the person does not; who erased it and
    // when are the store's.
    let erased: Stakeholder =
        serde_json::from_value(exported(&db, "stakeholders")[0].clone()).unwrap();
    assert_eq!(erased.name, "(erased)");
    assert_eq!(
        (
            erased.role.as_str(),
            erased.email.as_str(),
            erased.phone.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(erased.consent, None);
    assert_eq!(erased.organisation, "Example Chamber of Commerce");
    assert_eq!(erased.helix, Helix::Business);
    let log = stdout(&cli(&db, &["log", "--limit", "1"]));
    let e = erased.erased.clone().expect("the erasure is recorded");
    assert!(
        log.contains(&e.by) && log.contains("erase the personal data of stakeholder 'sh-mra-1'"),
        "{log}"
    );
    assert!(e.at.date().days() >= Date::today().days() - 1);

    // Every export, of the whole database.
    for (format, kind) in [
        ("json", None),
        ("csv", Some("stakeholders")),
        ("csv", Some("meetings")),
        ("md", None),
        ("ics", Some("meetings")),
        ("xlsx", None),
    ] {
        let path = dir.path().join(format!("all.{format}"));
        let mut args = vec![
            "export",
            "--format",
            format,
            "--output",
            path.to_str().unwrap(),
        ];
        if let Some(kind) = kind {
            args.extend(["--kind", kind]);
        }
        let out = cli(&db, &args);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let mut bytes = std::fs::read(&path).unwrap();
        if format == "xlsx" {
            bytes = xlsx_text(&bytes);
            assert!(
                bytes.windows(8).any(|w| w == b"(erased)"),
                "the xlsx export has no stakeholder"
            );
        }
        assert_eq!(holds_personal(&bytes), None, "{format} export ({kind:?})");
    }
    // The minutes name the attendee as erased, under the organisation.
    let out = cli(&db, &["doc", "minutes", "--meeting", "sv-maribor"]);
    let minutes = stdout(&out);
    assert!(
        minutes.contains("- Example Chamber of Commerce: (erased)"),
        "{}{minutes}",
        stderr(&out)
    );
    assert_eq!(holds_personal(minutes.as_bytes()), None);

    // The search finds the stakeholder by its organisation, no longer by the name, and the
    // index saved again holds none of the person's data.
    let out = cli(&db, &["search", "Horvat"]);
    assert!(!stdout(&out).contains("sh-mra-1"), "{}", stdout(&out));
    let out = cli(&db, &["search", "sh:", "chamber"]);
    assert!(stdout(&out).contains("sh-mra-1"), "{}", stdout(&out));
    assert_eq!(holds_personal(&std::fs::read(&index).unwrap()), None);
    // An index saved before the erasure (a search that was building it as the erasure came)
    // is not used after it: it is built again.
    std::fs::write(&index, &old_index).unwrap();
    let out = cli(&db, &["search", "Horvat"]);
    assert!(!stdout(&out).contains("sh-mra-1"), "{}", stdout(&out));
    assert_eq!(holds_personal(&std::fs::read(&index).unwrap()), None);

    // The audit log: no entry holds it — in the values before a change, the commands, the
    // summaries — and neither the log nor the record's history shows it.
    let store = Store::open(&db).unwrap();
    let entries = store.audit(usize::MAX).unwrap();
    let touching: Vec<u64> = store
        .history(Kind::Stakeholder, "sh-mra-1")
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert!(touching.len() >= 5, "{touching:?}");
    drop(store);
    wait_released(&db);
    for e in &entries {
        let json = serde_json::to_string(e).unwrap();
        assert_eq!(holds_personal(json.as_bytes()), None, "change #{}", e.seq);
    }
    {
        let raw = sled::open(&db).unwrap();
        for item in raw.open_tree("audit").unwrap().iter() {
            let (_, value) = item.unwrap();
            assert_eq!(holds_personal(&value), None);
        }
    }
    wait_released(&db);
    assert!(stdout(&cli(&db, &["log", "--limit", "100"])).contains("(erased).json"));
    for args in [
        &["log", "--limit", "100"][..],
        &["history", "stakeholders", "sh-mra-1"],
    ] {
        let out = cli(&db, args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(holds_personal(stdout(&out).as_bytes()), None, "{args:?}");
    }

    // Nothing brings it back: no undo of the erasure or of any change before it, no save.
    for seq in &touching {
        let out = cli(&db, &["undo", &seq.to_string()]);
        assert_ne!(out.status.code(), Some(0), "undo #{seq}: {}", stdout(&out));
    }
    let out = cli(&db, &["undo", &touching[0].to_string()]);
    assert!(
        stderr(&out).contains("cannot be undone: the data it erased is kept nowhere"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        holds_personal(
            serde_json::to_string(&exported(&db, "stakeholders"))
                .unwrap()
                .as_bytes()
        ),
        None
    );
    let store = Store::open(&db).unwrap();
    let err = put(&store, stakeholder()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the stakeholder's personal data was erased on"),
        "{err}"
    );
    let err = store
        .apply(
            &actor(),
            Command::Erase {
                kind: Kind::Stakeholder,
                id: "sh-mra-1".into(),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("erased on"), "{err}");
    let err = store
        .apply(
            &actor(),
            Command::Erase {
                kind: Kind::Partner,
                id: "mra".into(),
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("only a stakeholder's personal data is erased"),
        "{err}"
    );
    // Its organisation and group can still change, without the person.
    let mut kept = erased.clone();
    kept.helix = Helix::CivilSociety;
    put(&store, kept).unwrap();
}

#[test]
fn a_stakeholder_deleted_earlier_is_erased_from_the_audit_log() {
    let (_d, db) = temp_db();
    let store = import_into(&db, sample_without_stakeholders());
    let mut s = stakeholder();
    s.id = StakeholderId("sh-mra-9".into());
    put(&store, s.clone()).unwrap();
    s.phone = "+386 2 555 0109".into();
    put(&store, s).unwrap();
    store
        .apply(
            &actor(),
            Command::Delete {
                kind: Kind::Stakeholder,
                id: "sh-mra-9".into(),
                expected_rev: None,
            },
        )
        .unwrap();
    let held = |store: &Store| {
        store
            .audit(usize::MAX)
            .unwrap()
            .iter()
            .filter(|e| holds_personal(serde_json::to_string(e).unwrap().as_bytes()).is_some())
            .count()
    };
    // The two saves' commands and values before, and the deletion's value before.
    assert_eq!(held(&store), 3);
    let erased = store
        .apply(
            &actor(),
            Command::Erase {
                kind: Kind::Stakeholder,
                id: "sh-mra-9".into(),
            },
        )
        .unwrap();
    assert_eq!(erased.changed, 0);
    assert_eq!(held(&store), 0);
    // Undoing the deletion brings back a record without the person.
    let delete = erased.seq - 1;
    store
        .apply(&actor(), Command::Undo { seq: delete })
        .unwrap();
    let Record::Stakeholder(back) = store
        .get(Kind::Stakeholder, "sh-mra-9")
        .unwrap()
        .unwrap()
        .record
    else {
        panic!()
    };
    assert_eq!(back.name, "(erased)");
    assert!(back.erased.is_some() && back.email.is_empty());
    // One the database never held is not found.
    let err = store
        .apply(
            &actor(),
            Command::Erase {
                kind: Kind::Stakeholder,
                id: "sh-nobody".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::NotFound { .. }), "{err}");
}

/// An erasure sent to the server as a raw message: the server erases, stamps it with the
/// connection's user and its own clock, and removes the search index it saved.
#[test]
fn an_erasure_sent_to_the_server_is_stamped_by_the_server() {
    use taskforce::server::{Connection, Request};
    let (_d, db) = temp_db();
    sample_db(&db);
    let _server = common::server::Server::start(&db, &[]);
    // The server saves its index for a search.
    let out = cli(&db, &["search", "Horvat"]);
    assert!(stdout(&out).contains("sh-mra-1"), "{}", stdout(&out));
    assert!(db.join("search-index").exists());
    let before = Timestamp::now();
    let mut conn = Connection::connect(&db, "test").unwrap();
    conn.request(Request::Submit {
        command: Command::Erase {
            kind: Kind::Stakeholder,
            id: "sh-mra-1".into(),
        },
        on_behalf_of: None,
    })
    .unwrap();
    assert!(!db.join("search-index").exists());
    let erased: Stakeholder =
        serde_json::from_value(exported(&db, "stakeholders")[0].clone()).unwrap();
    let e = erased.erased.expect("erased");
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(e.by, me);
    assert!(e.at >= before && e.at <= Timestamp::now());
    let out = cli(&db, &["search", "Horvat"]);
    assert!(!stdout(&out).contains("sh-mra-1"), "{}", stdout(&out));
    assert_eq!(
        holds_personal(&std::fs::read(db.join("search-index")).unwrap()),
        None
    );
}

/// The search finds a stakeholder by name, organisation, role, helix side and partner, never by
/// contact details; `list` shows no contact details either.
#[test]
fn a_stakeholder_is_found_by_what_it_is_never_by_its_contact_details() {
    let (_d, db) = temp_db();
    sample_db(&db);
    for (query, field) in [
        ("sh: horvat", None),
        ("sh: chamber commerce", Some("organisation")),
        ("sh: head export", Some("role")),
        ("sh: business", Some("helix")),
        ("sh: maribor development", None),
    ] {
        let out = cli(&db, &["search", "--format", "json", query]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let found: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let hit = found
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "sh-mra-1")
            .unwrap_or_else(|| panic!("{query}: {found}"));
        if let Some(field) = field {
            assert!(hit.to_string().contains(field), "{query}: {hit}");
        }
    }
    for query in ["vesna@example.org", "555 0101", "+386"] {
        let out = cli(&db, &["search", "--format", "json", query]);
        assert!(
            !stdout(&out).contains("sh-mra-1"),
            "{query}: {}",
            stdout(&out)
        );
    }
    // (As JSON, `list` gives whole records, as an export does: contact details with consent.)
    for format in ["table", "tsv"] {
        let out = cli(&db, &["list", "stakeholders", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let listed = stdout(&out);
        assert!(
            listed.contains("sh-mra-1") && listed.contains("Vesna Horvat"),
            "{listed}"
        );
        assert!(
            !listed.contains("vesna@example.org") && !listed.contains("555"),
            "{format}: {listed}"
        );
    }
}

/// An erased stakeholder round-trips through JSON, CSV and XLSX as it is — erased, with who
/// and when, and without the person — into a database whose facilitator imports it (an import
/// by anyone else keeps the record but not the store's word on the erasure); an import cannot
/// put the person back over it.
#[test]
fn an_erased_stakeholder_round_trips_and_no_import_brings_the_person_back() {
    let (dir, db) = temp_db();
    sample_db(&db);
    let out = cli(&db, &["erase", "stakeholder", "sh-mra-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = exported(&db, "stakeholders");
    assert!(before[0]["erased"]["by"].is_string(), "{before}");
    for format in ["json", "csv", "xlsx"] {
        let file = dir.path().join(format!("stakeholders.{format}"));
        let path = file.to_str().unwrap();
        let args = [
            "export",
            "--format",
            format,
            "--kind",
            "stakeholders",
            "--output",
            path,
        ];
        let out = cli(&db, &args);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        // A database whose facilitator is the user running the import.
        let (_fresh_dir, fresh) = temp_db();
        let me = nix::unistd::User::from_uid(nix::unistd::getuid())
            .unwrap()
            .unwrap()
            .name;
        let store = Store::open(&fresh).unwrap();
        store
            .apply(
                &Actor::user(me),
                Command::Import {
                    records: sample_without_stakeholders()
                        .into_iter()
                        .filter(|r| r.kind() != Kind::Member)
                        .collect(),
                    on_conflict: OnConflict::Fail,
                    source: "sample".into(),
                },
            )
            .unwrap();
        drop(store);
        wait_released(&fresh);
        let out = cli(&fresh, &["import", path]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_eq!(exported(&fresh, "stakeholders"), before, "{format}");
    }
    // Imported by someone who is not a facilitator, the record comes without the marker.
    let (_fresh_dir, fresh) = temp_db();
    drop(import_into(&fresh, sample_without_stakeholders()));
    wait_released(&fresh);
    let out = cli(
        &fresh,
        &[
            "import",
            dir.path().join("stakeholders.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let imported = exported(&fresh, "stakeholders");
    assert_eq!(imported[0]["name"], "(erased)");
    assert!(imported[0]["erased"].is_null(), "{imported}");
    // The sample's stakeholder, with the person, over the erased one: refused whole.
    let mut file = Dataset::new();
    file.push(stakeholder().into());
    let path = dir.path().join("person.json");
    std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
    let out = cli(
        &db,
        &["import", "--on-conflict", "replace", path.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("the stakeholder's personal data was erased on"),
        "{}",
        stderr(&out)
    );
    assert_eq!(exported(&db, "stakeholders"), before);
}

/// Free text typed in another record is not the erasure's to change: `erase` names the records
/// whose text still names the person (without saying the name again), to be edited by hand.
#[test]
fn erase_names_the_records_whose_free_text_still_names_the_person() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let mut m = maribor_visit(&store);
    // Long enough to be kept deflated: it is still read as the words it holds.
    m.minutes = format!(
        "Example: Vesna Horvat presented the export desk. {}",
        "The partners discussed the next study visit and the voucher calls. ".repeat(5)
    )
    .into();
    assert!(m.minutes.is_deflated());
    put(&store, *m).unwrap();
    drop(store);
    wait_released(&db);
    let out = cli(&db, &["erase", "stakeholder", "sh-mra-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(
            "the free text of meeting 'sv-maribor' still names the person (the erasure changes \
             no other record): edit it by hand"
        ),
        "{said}"
    );
    assert!(!said.contains("Horvat"), "{said}");
    // Without such text, nothing more is said.
    let (_d2, db2) = temp_db();
    sample_db(&db2);
    let said = stdout(&cli(&db2, &["erase", "stakeholder", "sh-mra-1"]));
    assert!(!said.contains("free text"), "{said}");
}

/// An audit entry that names the person but cannot be read (damaged) cannot be scrubbed: the
/// erasure is refused with where it is, and nothing is written.
#[test]
fn a_damaged_audit_entry_that_names_the_person_stops_the_erasure() {
    let (dir, db) = temp_db();
    sample_db(&db);
    // An import whose file is named after the person: its entry's summary names them.
    let mut file = Dataset::new();
    let Some(Record::Sme(mut sme)) = sample_records().into_iter().find(|r| r.kind() == Kind::Sme)
    else {
        panic!()
    };
    sme.id = "sme-2".into();
    file.push(sme.into());
    let named = dir.path().join("Example: Vesna Horvat.json");
    std::fs::write(&named, serde_json::to_string(&file).unwrap()).unwrap();
    let out = cli(&db, &["import", named.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    wait_released(&db);
    let key = 2u64.to_be_bytes();
    {
        let raw = sled::open(&db).unwrap();
        let audit = raw.open_tree("audit").unwrap();
        let mut bytes = audit.get(key).unwrap().unwrap().to_vec();
        assert!(holds_personal(&bytes).is_some());
        bytes.push(0);
        audit.insert(key, bytes).unwrap();
        raw.flush().unwrap();
    }
    wait_released(&db);
    let out = cli(&db, &["erase", "stakeholder", "sh-mra-1"]);
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stderr(&out).contains("audit"), "{}", stderr(&out));
    assert!(stderr(&out).contains('2'), "{}", stderr(&out));
    let kept: Stakeholder =
        serde_json::from_value(exported(&db, "stakeholders")[0].clone()).unwrap();
    assert_eq!(kept, stakeholder());
}
