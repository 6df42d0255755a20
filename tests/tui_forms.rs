//! Forms in the workbench, over a real store: create, edit, delete and undo round-trips, the
//! voucher rules refused with their messages and nothing stored, and the form's keys.

mod tui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use taskforce::backend::{Backend, Local};
use taskforce::model::*;
use taskforce::store::Store;
use taskforce::tui::app::nav_targets;
use taskforce::tui::forms::Input;
use taskforce::tui::{Action, App, Context, Pane, Target, handle_event, handle_key, update};
use tui_support::*;

struct Bench {
    _dir: tempfile::TempDir,
    backend: Local,
    app: App,
}

fn bench() -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    store
        .apply(
            &Actor::user("ana"),
            Command::Import {
                records: records(),
                on_conflict: OnConflict::Fail,
                source: "test".into(),
            },
        )
        .unwrap();
    let mut backend = Local::new(store, Actor::user("ana"));
    let (replica, _) = backend.snapshot().unwrap();
    let mut app = App::new(replica, "ana", "db", options());
    app.today = d("2020-01-15");
    Bench {
        _dir: dir,
        backend,
        app,
    }
}

impl Bench {
    /// What the event loop does: sends the queued changes and hands the results back.
    fn pump(&mut self) {
        for o in self.app.take_outbox() {
            let r = self.backend.submit_for(o.command, o.on_behalf_of);
            self.app.on_result(o.purpose, r);
        }
        if let Some((kind, id)) = self.app.forms.take_history_request() {
            let entries = self.backend.history(kind, &id);
            taskforce::tui::forms::on_history(&mut self.app, kind, id, entries);
        }
    }

    fn stored(&mut self, kind: Kind, id: &str) -> Option<Record> {
        let (replica, _) = self.backend.snapshot().unwrap();
        replica.record(kind, id).cloned()
    }

    fn press(&mut self, code: KeyCode) {
        handle_key(&mut self.app, KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn ctrl(&mut self, c: char) {
        handle_key(
            &mut self.app,
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
        );
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    fn open_kind(&mut self, kind: Kind) {
        let i = nav_targets()
            .iter()
            .position(|t| *t == Target::Kind(kind))
            .unwrap();
        while self.app.focus() != Pane::Nav {
            update(&mut self.app, Action::NextPane);
        }
        update(&mut self.app, Action::Top);
        for _ in 0..i {
            update(&mut self.app, Action::Down);
        }
        update(&mut self.app, Action::Open);
    }

    fn select(&mut self, id: &str) {
        update(&mut self.app, Action::Top);
        for _ in 0..100 {
            if self.app.selected().is_some_and(|(_, s)| s == id) {
                return;
            }
            update(&mut self.app, Action::Down);
        }
        panic!("{id} not in the list");
    }

    /// Moves the form's focus to a field.
    fn focus(&mut self, key: &str) {
        let form = self.app.forms.form.as_ref().expect("a form is open");
        let i = form.fields.iter().position(|f| f.key == key).unwrap();
        for _ in 0..200 {
            if self.app.forms.form.as_ref().unwrap().focus == i {
                return;
            }
            self.press(KeyCode::Tab);
        }
        panic!("cannot reach {key}");
    }

    fn set(&mut self, key: &str, text: &str) {
        self.focus(key);
        self.press(KeyCode::End);
        self.ctrl('u');
        self.typed(text);
    }

    fn error(&self, key: &str) -> Option<String> {
        self.app.forms.form.as_ref()?.field(key)?.error.clone()
    }

    fn message(&self) -> String {
        self.app
            .message()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }
}

#[test]
fn practice_create_edit_delete_undo() {
    let mut b = bench();
    b.open_kind(Kind::Practice);
    b.press(KeyCode::Char('n'));
    assert_eq!(b.app.context(), Context::Form);
    // The project is required: picked with a fuzzy search over titles.
    b.focus("project");
    b.press(KeyCode::Enter);
    b.typed("intra");
    b.press(KeyCode::Enter);
    b.set("title", "Export coaching for café owners");
    b.set("owner", "Chamber of Commerce");
    b.set("country", "SI");
    b.set("id", "gp-coaching");
    b.ctrl('s');
    assert!(
        b.app.forms.form.as_ref().is_some_and(|f| f.saving),
        "nothing is saved before the store answers"
    );
    assert!(
        b.app
            .replica
            .record(Kind::Practice, "gp-coaching")
            .is_none()
    );
    b.pump();
    assert!(b.app.forms.form.is_none(), "{}", b.message());
    let Some(Record::Practice(p)) = b.stored(Kind::Practice, "gp-coaching") else {
        panic!("not stored: {}", b.message());
    };
    assert_eq!(p.title, "Export coaching for café owners");
    assert_eq!(p.project.as_str(), "intra");

    // Edit: the region, and a status move that needs a reason.
    b.select("gp-coaching");
    b.press(KeyCode::Char('e'));
    b.set("region", "Gorenjska");
    b.focus("status");
    b.press(KeyCode::Right);
    b.ctrl('s');
    assert!(
        b.error("reason")
            .is_some_and(|e| e.contains("needs a reason")),
        "{:?}",
        b.error("reason")
    );
    assert!(b.app.take_outbox().is_empty(), "nothing sent with errors");
    b.set("reason", "presented at the Ljubljana workshop");
    b.ctrl('s');
    b.pump();
    let Some(Record::Practice(p)) = b.stored(Kind::Practice, "gp-coaching") else {
        panic!()
    };
    assert_eq!(p.region, "Gorenjska");
    assert_eq!(p.status, PracticeStatus::Presented);
    let last = p.history.last().unwrap();
    assert_eq!(last.reason, "presented at the Ljubljana workshop");
    assert_eq!(last.by, "ana");

    // Delete, confirmed, then undo.
    b.select("gp-coaching");
    b.press(KeyCode::Char('d'));
    b.press(KeyCode::Char('n'));
    b.pump();
    assert!(
        b.stored(Kind::Practice, "gp-coaching").is_some(),
        "n keeps it"
    );
    b.press(KeyCode::Char('d'));
    b.press(KeyCode::Char('y'));
    b.pump();
    assert!(b.stored(Kind::Practice, "gp-coaching").is_none());
    assert!(
        b.app
            .replica
            .record(Kind::Practice, "gp-coaching")
            .is_none()
    );
    b.press(KeyCode::Char('u'));
    b.pump();
    assert!(b.message().starts_with("Undone"), "{}", b.message());
    assert!(b.stored(Kind::Practice, "gp-coaching").is_some());
    assert!(
        b.app
            .replica
            .record(Kind::Practice, "gp-coaching")
            .is_some()
    );

    // History: who changed what, when.
    b.select("gp-coaching");
    b.press(KeyCode::Char('h'));
    b.pump();
    let h = b.app.forms.history.as_ref().expect("history view");
    assert!(
        h.lines.iter().any(|l| l.contains("delete")),
        "{:?}",
        h.lines
    );
    assert!(h.lines.iter().any(|l| l.contains("ana")), "{:?}", h.lines);
    assert!(
        h.lines.iter().any(|l| l.contains("region")),
        "{:?}",
        h.lines
    );
    b.ctrl('g');
    assert!(b.app.forms.history.is_none());
}

#[test]
fn refused_delete_names_the_referrers() {
    let mut b = bench();
    b.open_kind(Kind::Sme);
    b.select("sme-zito");
    b.press(KeyCode::Char('d'));
    b.press(KeyCode::Char('y'));
    b.pump();
    assert!(b.message().contains("cannot be deleted"), "{}", b.message());
    assert!(b.message().contains("v2"), "{}", b.message());
    assert!(b.stored(Kind::Sme, "sme-zito").is_some());
}

#[test]
fn meeting_edit_ticks_a_follow_up_and_undo_puts_it_back() {
    let mut b = bench();
    let id = b
        .app
        .replica
        .rows(Kind::Meeting)
        .find_map(|r| match &r.record {
            Record::Meeting(m) if !m.follow_ups.is_empty() => Some(m.id.as_str().to_string()),
            _ => None,
        })
        .expect("a meeting with follow-ups");
    b.open_kind(Kind::Meeting);
    b.select(&id);
    b.press(KeyCode::Char('e'));
    b.focus("follow_ups");
    let text = b
        .app
        .forms
        .form
        .as_ref()
        .unwrap()
        .field("follow_ups")
        .unwrap()
        .text();
    assert!(text.starts_with("[ ] "), "{text}");
    // Tick the first follow-up: Home of the last line, up to the first, "[ ]" becomes "[x]".
    let lines = text.lines().count();
    b.press(KeyCode::Home);
    for _ in 1..lines {
        b.press(KeyCode::Up);
    }
    b.press(KeyCode::Right);
    b.press(KeyCode::Delete);
    b.typed("x");
    b.ctrl('s');
    b.pump();
    let Some(Record::Meeting(m)) = b.stored(Kind::Meeting, &id) else {
        panic!()
    };
    assert!(m.follow_ups[0].done, "{}", b.message());
    b.press(KeyCode::Char('u'));
    b.pump();
    let Some(Record::Meeting(m)) = b.stored(Kind::Meeting, &id) else {
        panic!()
    };
    assert!(!m.follow_ups[0].done);
}

/// Opens v3 (submitted, fairs… research, 3000 of 6000 eligible) and sets fields.
fn voucher_refused(fields: &[(&str, &str)], status_steps: usize, field: &str, words: &[&str]) {
    let mut b = bench();
    b.open_kind(Kind::Voucher);
    b.select("v3");
    b.press(KeyCode::Char('e'));
    for (k, v) in fields {
        b.set(k, v);
    }
    if status_steps > 0 {
        b.focus("status");
        for _ in 0..status_steps {
            b.press(KeyCode::Right);
        }
    }
    let before = b.stored(Kind::Voucher, "v3");
    b.ctrl('s');
    let e = b.error(field).unwrap_or_default();
    for w in words {
        assert!(e.contains(w), "{field}: {e:?} lacks {w:?}");
    }
    assert!(b.app.take_outbox().is_empty());
    assert_eq!(b.stored(Kind::Voucher, "v3"), before, "nothing stored");
}

#[test]
fn voucher_amount_outside_min_max_is_refused() {
    voucher_refused(
        &[("requested", "12000"), ("eligible_cost", "30000")],
        0,
        "requested",
        &["outside the amount allowed", "300", "9,999.99"],
    );
}

#[test]
fn voucher_amount_over_rate_is_refused() {
    voucher_refused(
        &[("requested", "5000")],
        0,
        "requested",
        &["60.00%", "6,000", "3,600"],
    );
}

#[test]
fn voucher_paid_over_the_ceiling_is_refused() {
    voucher_refused(
        &[
            ("approved", "3000"),
            ("paid", "3700"),
            ("contract_start", "2020-04-01"),
        ],
        0,
        "paid",
        &["min(maximum", "60.00%", "3,600"],
    );
}

#[test]
fn voucher_dates_parse_with_the_parsers_message() {
    let mut b = bench();
    b.open_kind(Kind::Voucher);
    b.select("v3");
    b.press(KeyCode::Char('e'));
    b.set("submitted_on", "2020-02-31");
    assert!(b.error("submitted_on").is_some());
    b.set("eligible_cost", "12,34.5x");
    assert!(b.error("eligible_cost").is_some());
}

#[test]
fn voucher_moves_submitted_to_approved() {
    let mut b = bench();
    b.open_kind(Kind::Voucher);
    b.select("v3");
    b.press(KeyCode::Char('e'));
    b.set("approved", "3000");
    b.set("contract_start", "2020-04-01");
    b.set("contract_end", "2020-12-31");
    b.focus("status");
    b.press(KeyCode::Right); // submitted → approved
    b.ctrl('s');
    b.pump();
    let Some(Record::Voucher(v)) = b.stored(Kind::Voucher, "v3") else {
        panic!()
    };
    assert_eq!(v.status, VoucherStatus::Approved, "{}", b.message());
}

#[test]
fn form_keys_edit_text_by_cursor() {
    let mut b = bench();
    b.open_kind(Kind::Practice);
    b.press(KeyCode::Char('n'));
    b.focus("title");
    b.typed("東京 fair");
    b.press(KeyCode::Home);
    b.press(KeyCode::Right);
    b.press(KeyCode::Right);
    let form = b.app.forms.form.as_ref().unwrap();
    assert_eq!(form.cursor_cell(), Some((4, 0)), "two wide characters");
    b.press(KeyCode::Backspace);
    b.ctrl('k');
    b.typed("q");
    let form = b.app.forms.form.as_ref().unwrap();
    assert_eq!(
        form.field("title").unwrap().text(),
        "東q",
        "q types in a field"
    );
    b.press(KeyCode::End);
    b.ctrl('u');
    assert_eq!(
        b.app
            .forms
            .form
            .as_ref()
            .unwrap()
            .field("title")
            .unwrap()
            .text(),
        ""
    );
    // Pasting is sanitised and normalised.
    handle_event(&mut b.app, Event::Paste("Cafe\u{301}\tclub\u{7}\n".into()));
    assert_eq!(
        b.app
            .forms
            .form
            .as_ref()
            .unwrap()
            .field("title")
            .unwrap()
            .text(),
        "Café club\u{FFFD} ",
        "NFC; the tab and the newline of a one-line field become spaces, the bell a placeholder"
    );
    // Choices cycle.
    b.focus("status");
    b.press(KeyCode::Left);
    let f = b
        .app
        .forms
        .form
        .as_ref()
        .unwrap()
        .field("status")
        .unwrap()
        .clone();
    assert!(matches!(f.input, Input::Choice { .. }));
    assert_eq!(f.text(), "rejected");
    // Cancelling a changed form asks first; anything but y goes back.
    b.ctrl('g');
    assert!(b.app.forms.form.as_ref().unwrap().confirm_cancel);
    b.press(KeyCode::Char('n'));
    assert!(b.app.forms.form.is_some());
    b.press(KeyCode::Esc);
    b.press(KeyCode::Char('y'));
    assert!(b.app.forms.form.is_none());
    assert_eq!(b.app.context(), Context::Main);
    // An unchanged form closes at once.
    b.press(KeyCode::Char('n'));
    b.ctrl('g');
    assert!(b.app.forms.form.is_none());
}

#[test]
fn kinds_without_a_form_do_not_offer_n_and_e() {
    let mut b = bench();
    b.open_kind(Kind::Score);
    assert!(!b.app.applicable(Action::New));
    assert!(!b.app.applicable(Action::Edit));
    b.press(KeyCode::Char('n'));
    assert!(b.app.forms.form.is_none());
}
