//! `w` on a record writes its document: the key asks where (a path line prefilled with
//! `minutes-<id>.docx`), Enter queues the request on the state (no I/O in `update`), Esc
//! cancels; the event loop's writer builds the document and writes it, Markdown or Word by the
//! extension, atomically and without following a symbolic link.

mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use taskforce::model::*;
use taskforce::tui::documents::{self, WriteRequest};
use taskforce::tui::keymap::KEYMAP;
use taskforce::tui::{Action, App, Context, handle_key};
use tui_support::*;

fn press(app: &mut App, code: KeyCode) -> bool {
    handle_key(app, KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(app: &mut App, c: char) -> bool {
    handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn w_is_in_the_keymap_and_free_in_the_panes() {
    let main: Vec<_> = KEYMAP
        .iter()
        .filter(|b| b.contexts.contains(&Context::Main))
        .filter(|b| {
            b.keys
                .iter()
                .any(|k| k.code == KeyCode::Char('w') && k.modifiers == KeyModifiers::NONE)
        })
        .collect();
    assert_eq!(main.len(), 1);
    assert_eq!(main[0].action, Action::WriteDocument);
    assert_eq!(main[0].hint, Some("document"));
}

#[test]
fn w_on_a_meeting_asks_where_and_queues_the_minutes() {
    let mut app = app();
    open_kind(&mut app, Kind::Meeting);
    let (kind, id) = app.selected().expect("a meeting is selected");
    assert_eq!(kind, Kind::Meeting);
    assert!(app.applicable(Action::WriteDocument));
    keys(&mut app, "w");
    assert_eq!(app.context(), Context::Path);
    let prompt = app.documents.prompt.as_ref().unwrap();
    assert_eq!(prompt.line.text, format!("minutes-{id}.docx"));
    // Keys type into the line (q too); Enter queues the request, and nothing is written yet.
    ctrl(&mut app, 'u');
    keys(&mut app, "/tmp/nowhere/q.md");
    assert!(app.documents.request().is_none());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Main);
    assert_eq!(
        app.documents.take_request(),
        Some(WriteRequest {
            kind: Kind::Meeting,
            id: id.clone(),
            path: "/tmp/nowhere/q.md".into(),
        })
    );
    assert!(!std::path::Path::new("/tmp/nowhere/q.md").exists());
    assert_eq!(app.documents.take_request(), None, "taken once");

    // Esc (and Ctrl-g) cancel: nothing is queued.
    keys(&mut app, "w");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Main);
    assert_eq!(app.documents.take_request(), None);
    keys(&mut app, "w");
    ctrl(&mut app, 'g');
    assert_eq!(app.documents.take_request(), None);
}

#[test]
fn w_on_a_kind_without_a_document_says_so() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    assert!(!app.applicable(Action::WriteDocument));
    keys(&mut app, "w");
    assert_eq!(app.context(), Context::Main);
    assert!(app.documents.prompt.is_none());
    let said = app.message().map(|m| m.text.clone()).unwrap_or_default();
    assert!(said.contains("meeting (minutes)"), "{said}");
}

#[test]
fn the_loops_writer_writes_markdown_or_word_and_says_where() {
    let mut app = app();
    open_kind(&mut app, Kind::Meeting);
    let (_, id) = app.selected().unwrap();
    let dir = tempfile::tempdir().unwrap();

    let md = dir.path().join("minutes.md");
    let request = WriteRequest {
        kind: Kind::Meeting,
        id: id.clone(),
        path: md.clone(),
    };
    let written = documents::write(&app.replica, &request, app.today);
    assert_eq!(written.as_deref().ok(), Some(md.as_path()));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# "), "{text}");
    app.on_written(&request, written);
    let said = app.message().unwrap().text.clone();
    assert!(said.contains(&md.display().to_string()), "{said}");

    // Word by the extension; a symbolic link at the path is replaced, never written through.
    let target = dir.path().join("elsewhere.txt");
    std::fs::write(&target, "keep me").unwrap();
    let docx = dir.path().join("minutes.docx");
    std::os::unix::fs::symlink(&target, &docx).unwrap();
    let request = WriteRequest {
        kind: Kind::Meeting,
        id,
        path: docx.clone(),
    };
    documents::write(&app.replica, &request, app.today).unwrap();
    let bytes = std::fs::read(&docx).unwrap();
    assert!(bytes.starts_with(b"PK"), "a .docx is a zip");
    assert!(!std::fs::symlink_metadata(&docx).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    // A failure is said, not written.
    let request = WriteRequest {
        kind: Kind::Meeting,
        id: "no-such-meeting".into(),
        path: dir.path().join("x.md"),
    };
    let written = documents::write(&app.replica, &request, app.today);
    assert!(written.is_err());
    app.on_written(&request, written);
    assert!(app.message().unwrap().text.starts_with("Nothing written"));
    assert!(!dir.path().join("x.md").exists());
}

#[test]
fn every_kind_with_a_document_writes_one() {
    // The bundled records, and the plan of the test corpus (it has monitoring reports).
    let plan = tui_support::records()
        .into_iter()
        .find(|r| matches!(r, Record::ActionPlan(p) if !p.reports.is_empty()))
        .expect("a plan with reports");
    let mut records: Vec<Record> = taskforce::fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    // A plan without reports has no period to report on: `w` says so.
    let bare = records
        .iter()
        .find_map(|r| match r {
            Record::ActionPlan(p) if p.reports.is_empty() => Some(p.id.to_string()),
            _ => None,
        })
        .expect("a bundled plan without reports");
    records.retain(|r| r.kind() != Kind::ActionPlan || r.id() == bare);
    if let Record::ActionPlan(mut p) = plan {
        p.id = ActionPlanId("with-reports".into());
        records.push(Record::ActionPlan(p));
    }
    let replica = Replica::from_rows(records.into_iter().map(|record| Row {
        rev: 1,
        at: Timestamp(0),
        by: "test".into(),
        record,
    }));
    let dir = tempfile::tempdir().unwrap();
    let request = WriteRequest {
        kind: Kind::ActionPlan,
        id: bare,
        path: dir.path().join("bare.md"),
    };
    let e = documents::write(&replica, &request, Date::from_ymd(2020, 1, 15).unwrap()).unwrap_err();
    assert!(e.contains("no monitoring periods yet"), "{e}");
    for (kind, heading) in [
        (Kind::Meeting, "# "),
        (Kind::Project, "# "),
        (Kind::ActionPlan, "# Monitoring report"),
        (Kind::Session, "# "),
    ] {
        let id = replica
            .rows(kind)
            .map(|r| r.record.id().to_string())
            .find(|id| {
                kind != Kind::ActionPlan
                    || matches!(replica.record(kind, id), Some(Record::ActionPlan(p)) if !p.reports.is_empty())
            })
            .unwrap_or_else(|| panic!("no {kind} in the fixtures"));
        let path = dir.path().join(format!("{}.md", kind.key()));
        let request = WriteRequest {
            kind,
            id,
            path: path.clone(),
        };
        documents::write(&replica, &request, Date::from_ymd(2020, 1, 15).unwrap())
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(heading), "{kind}: {text}");
    }
}
