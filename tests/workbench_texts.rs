//! A workbench keeps its copy of the records without their long texts (a practice's summary,
//! description, evidence…, a meeting's minutes) and reads a record's texts when it shows it: the detail, the form,
//! a handbook written from it show every word; only the last few records read keep them; and a
//! change sent from the copy without its texts never loses or overwrites them — on a local
//! store and through the server.

mod common;
mod tui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use taskforce::backend::{Backend, Local, Remote};
use taskforce::model::*;
use taskforce::store::{CommandError, Store};
use taskforce::tui::{Action, App, Pane, step, update};
use tui_support::*;

/// Generated records: practices with long texts of their own.
fn generated() -> Vec<Record> {
    taskforce::generate::generate(400, 5)
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

fn filled_store(db: &std::path::Path) -> Store {
    let store = Store::open(db).unwrap();
    store
        .apply(
            &Actor::user("ana"),
            Command::Import {
                records: generated(),
                on_conflict: OnConflict::Fail,
                source: "test".into(),
            },
        )
        .unwrap();
    store
}

fn practice(store_record: Option<Row>) -> Practice {
    match store_record.map(|r| r.record) {
        Some(Record::Practice(p)) => *p,
        other => panic!("not a practice: {other:?}"),
    }
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The text on screen, rows joined.
fn screen(terminal: &Terminal<TestBackend>) -> String {
    screen_text(terminal.backend().buffer())
}

/// The list of `kind` open and focused, as the keys do it.
fn list_open<B: Backend + ?Sized>(app: &mut App, backend: &mut B, kind: Kind) {
    open_kind(app, kind);
    assert_eq!(app.focus(), Pane::List);
    taskforce::tui::apply_effects(app, backend);
}

fn practices_open<B: Backend + ?Sized>(app: &mut App, backend: &mut B) {
    list_open(app, backend, Kind::Practice);
}

/// The first words of a record's first long text (a practice's summary, a meeting's minutes),
/// as the detail wraps them.
fn first_words(record: &Record) -> String {
    let (_, text) = record.long_texts()[0];
    text.text()
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the workbench does, a key at a time, on any backend: each practice's summary and each
/// meeting's minutes are on screen when it is selected, though the copy was loaded without
/// them; afterwards only the last few read keep their texts.
fn walk_the_practices<B: Backend + ?Sized>(backend: &mut B) {
    let (replica, _) = backend.snapshot().unwrap();
    for kind in [Kind::Practice, Kind::Meeting] {
        let records = replica.rows(kind).count();
        assert!(records > 30, "{kind}: {records}");
        assert!(
            replica.rows(kind).all(|r| !r.record.holds_texts()),
            "the copy is loaded without the texts"
        );
    }
    let mut app = App::new(replica, backend.user(), "db", options());
    app.keep_texts(backend.texts());
    // Tall enough for a meeting's minutes below its agenda and attendance.
    let mut terminal = Terminal::new(TestBackend::new(120, 120)).unwrap();
    for kind in [Kind::Practice, Kind::Meeting] {
        list_open(&mut app, backend, kind);
        let walked = app.replica.rows(kind).count().min(41) - 1;
        let mut seen = 0;
        for _ in 0..walked {
            step(&mut app, backend, &mut terminal, [key('j')], true).unwrap();
            let (kind, id) = app.selected().unwrap();
            let whole = backend.get(kind, &id).unwrap().unwrap().record;
            let start = first_words(&whole);
            if start.is_empty() {
                continue;
            }
            assert!(
                screen(&terminal).contains(&start),
                "{id}: '{start}' not on screen:\n{}",
                screen(&terminal)
            );
            seen += 1;
        }
        assert!(seen > walked * 3 / 4, "{kind}: {seen} of {walked}");
    }
    let holding = [Kind::Practice, Kind::Meeting]
        .iter()
        .flat_map(|kind| app.replica.rows(*kind))
        .filter(|r| r.record.holds_texts())
        .count();
    assert!(
        (1..=17).contains(&holding),
        "{holding} records hold their texts after 75 were shown"
    );
}

#[test]
fn a_local_workbench_reads_the_texts_of_the_practice_it_shows_and_keeps_only_the_last_few() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(&dir.path().join("db"));
    let mut local = Local::loaded(store, Actor::user("ana")).unwrap();
    assert_eq!(local.texts(), Texts::Elided);
    walk_the_practices(&mut local);
}

#[test]
fn a_client_workbench_reads_the_texts_of_the_practice_it_shows_from_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(filled_store(&db));
    common::wait_released(&db);
    let _server = common::server::Server::start(&db, &[]);
    let mut remote = Remote::connect_filling(
        &db,
        "workbench",
        false,
        taskforce::fixtures::Bundle::Nothing,
        Texts::Elided,
    )
    .unwrap();
    walk_the_practices(&mut remote);
}

#[test]
fn a_form_opened_at_once_after_moving_edits_the_whole_record_and_keeps_its_texts() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(&dir.path().join("db"));
    let mut local = Local::loaded(store, Actor::user("ana")).unwrap();
    let (replica, _) = local.snapshot().unwrap();
    let mut app = App::new(replica, "ana", "db", options());
    app.keep_texts(local.texts());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    practices_open(&mut app, &mut local);
    // `j` and `e` in one batch, as typed ahead: the form opens on the next practice, whole.
    step(
        &mut app,
        &mut local,
        &mut terminal,
        [key('j'), key('e')],
        true,
    )
    .unwrap();
    let (kind, id) = app.selected().unwrap();
    let before = practice(local.get(kind, &id).unwrap());
    assert!(!before.description.is_empty());
    let form = app.forms.form.as_ref().expect("the form is open");
    let description = form
        .fields
        .iter()
        .find(|f| f.key == "description")
        .unwrap()
        .text();
    assert_eq!(description, before.description.text());
    // Saved with only the title changed: every text is still there.
    update(&mut app, Action::Top);
    let events = [Event::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    ))];
    // The title field is first after the id: type at its end.
    let form = app.forms.form.as_mut().unwrap();
    let title = form.fields.iter().position(|f| f.key == "title").unwrap();
    form.focus = title;
    let typed: Vec<Event> = " (v2)".chars().map(key).collect();
    step(&mut app, &mut local, &mut terminal, typed, true).unwrap();
    step(&mut app, &mut local, &mut terminal, events, true).unwrap();
    for _ in 0..50 {
        if app.forms.form.is_none() {
            break;
        }
        step(&mut app, &mut local, &mut terminal, [], false).unwrap();
    }
    assert!(app.forms.form.is_none(), "the form closed on saving");
    let after = practice(local.get(kind, &id).unwrap());
    assert_eq!(after.title, format!("{} (v2)", before.title));
    for ((field, a), (_, b)) in after.prose().iter().zip(before.prose()) {
        assert_eq!(a.text(), b.text(), "{field}");
    }
}

/// The document of the record `pick` chooses, written from a workbench whose copy left the
/// texts out, and written from the whole records; with the workbench, to see what it kept.
fn written_from_the_workbench(
    kind: Kind,
    pick: impl Fn(&Replica) -> String,
) -> (String, String, App) {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(&dir.path().join("db"));
    let (whole, _) = store.load().unwrap();
    let mut local = Local::loaded(store, Actor::user("ana")).unwrap();
    let (replica, _) = local.snapshot().unwrap();
    let mut app = App::new(replica, "ana", "db", options());
    app.keep_texts(local.texts());
    let id = pick(&whole);
    assert!(
        Kind::ALL
            .iter()
            .all(|k| app.replica.rows(*k).all(|r| !r.record.holds_texts())),
        "the copy holds no long texts"
    );
    let request = |path: std::path::PathBuf| taskforce::tui::documents::WriteRequest {
        kind,
        id: id.clone(),
        path,
    };
    let expected = taskforce::tui::documents::write(
        &whole,
        &request(dir.path().join("expected.md")),
        app.today,
    )
    .unwrap();
    let path = dir.path().join("written.md");
    app.documents.queue(request(path.clone()));
    taskforce::tui::apply_effects(&mut app, &mut local);
    let written = std::fs::read_to_string(&path).expect("the document is written");
    (written, std::fs::read_to_string(expected).unwrap(), app)
}

#[test]
fn a_handbook_written_from_the_workbench_holds_every_practice_s_texts() {
    // The project with the most practices in its handbook.
    let (written, expected, app) = written_from_the_workbench(Kind::Project, |whole| {
        whole
            .rows(Kind::Project)
            .map(|r| r.record.id().to_string())
            .max_by_key(|id| taskforce::io::papers::texts_read(whole, Kind::Project, id).len())
            .unwrap()
    });
    assert_eq!(written, expected);
    assert!(written.len() > 10_000, "{}", written.len());
    let holding = app
        .replica
        .rows(Kind::Practice)
        .filter(|r| r.record.holds_texts())
        .count();
    assert!(
        holding <= 16,
        "{holding} practices kept their texts after the handbook"
    );
}

#[test]
fn minutes_written_from_the_workbench_hold_the_meeting_s_minutes() {
    let (written, expected, _) = written_from_the_workbench(Kind::Meeting, |whole| {
        whole
            .rows(Kind::Meeting)
            .find(|r| r.record.holds_texts())
            .map(|r| r.record.id().to_string())
            .unwrap()
    });
    assert_eq!(written, expected);
    assert!(written.contains("## Minutes"), "{written}");
}

/// A change sent from a copy without texts, on every path that writes a record.
fn a_change_without_its_texts<B: Backend + ?Sized>(backend: &mut B) {
    let row = backend.get(Kind::Practice, "gp-000001").unwrap().unwrap();
    let mut copy = row.clone();
    copy.record.elide_texts();
    assert!(copy.record.has_elided_texts());
    let Record::Practice(mut p) = copy.record.clone() else {
        panic!()
    };
    p.title = "Renamed from a copy without texts".into();
    // At the revision it was read at: the texts stored are kept.
    let committed = backend
        .submit(Command::Put {
            record: p.clone().into(),
            expected_rev: Some(row.rev),
        })
        .unwrap();
    let now = practice(backend.get(Kind::Practice, "gp-000001").unwrap());
    assert_eq!(now.title, "Renamed from a copy without texts");
    let Record::Practice(was) = &row.record else {
        panic!()
    };
    for ((field, a), (_, b)) in now.prose().iter().zip(was.prose()) {
        assert!(!a.is_elided(), "{field}");
        assert_eq!(a.text(), b.text(), "{field}");
    }
    // The audit log keeps the change as written, texts and all (undo and history read it).
    let history = backend.history(Kind::Practice, "gp-000001").unwrap();
    let Some(Command::Put { record, .. }) = &history[0].command else {
        panic!("{:?}", history[0].command)
    };
    assert!(!record.has_elided_texts());
    // Based on an older revision: refused as a conflict, nothing taken from the newer one.
    p.title = "From a stale copy".into();
    let stale = backend.submit(Command::Put {
        record: p.clone().into(),
        expected_rev: Some(row.rev),
    });
    assert!(
        matches!(stale, Err(CommandError::Conflict { .. })),
        "{stale:?}"
    );
    // A new record without its texts: refused, naming the field.
    p.id = "gp-from-nowhere".into();
    let new = backend.submit(Command::Put {
        record: p.clone().into(),
        expected_rev: Some(0),
    });
    match new {
        Err(CommandError::Invalid(errors)) => {
            assert!(
                errors
                    .iter()
                    .any(|e| e.field == "summary" && e.message.contains("not been read")),
                "{errors:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    // In a batch and in an import: the same.
    let batch = backend.submit(Command::Batch {
        records: vec![(p.clone().into(), Some(0))],
        summary: String::new(),
    });
    assert!(matches!(batch, Err(CommandError::Invalid(_))), "{batch:?}");
    let import = backend.submit(Command::Import {
        records: vec![p.into()],
        on_conflict: OnConflict::Fail,
        source: "a copy".into(),
    });
    assert!(import.is_err(), "{import:?}");
    assert!(
        backend
            .get(Kind::Practice, "gp-from-nowhere")
            .unwrap()
            .is_none()
    );
    assert!(committed.seq > 0);

    // A meeting's minutes: the same.
    let (meetings, _) = backend.rows(Kind::Meeting).unwrap();
    let row = meetings
        .into_iter()
        .find(|r| r.record.holds_texts())
        .expect("a meeting with minutes");
    let id = row.record.id().to_string();
    let mut copy = row.record.clone();
    copy.elide_texts();
    let Record::Meeting(mut m) = copy else {
        panic!()
    };
    m.title = "Renamed from a copy without minutes".into();
    backend
        .submit(Command::Put {
            record: m.clone().into(),
            expected_rev: Some(row.rev),
        })
        .unwrap();
    let now = backend.get(Kind::Meeting, &id).unwrap().unwrap().record;
    let Record::Meeting(now) = now else { panic!() };
    let Record::Meeting(was) = &row.record else {
        panic!()
    };
    assert_eq!(now.title, "Renamed from a copy without minutes");
    assert!(!now.minutes.is_elided());
    assert_eq!(now.minutes.text(), was.minutes.text());
    m.id = "mt-from-nowhere".into();
    match backend.submit(Command::Put {
        record: m.into(),
        expected_rev: Some(0),
    }) {
        Err(CommandError::Invalid(errors)) => assert!(
            errors
                .iter()
                .any(|e| e.field == "minutes" && e.message.contains("not been read")),
            "{errors:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_change_sent_without_its_texts_keeps_the_stored_ones_in_a_local_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(&dir.path().join("db"));
    let mut local = Local::new(store, Actor::user("ana"));
    a_change_without_its_texts(&mut local);
}

#[test]
fn a_change_sent_without_its_texts_keeps_the_stored_ones_through_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    drop(filled_store(&db));
    common::wait_released(&db);
    let _server = common::server::Server::start(&db, &[]);
    let mut remote = Remote::connect(&db, "test", false, false).unwrap();
    a_change_without_its_texts(&mut remote);
}
