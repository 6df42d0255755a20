//! Forms in the workbench, over a real store: for every kind with a form, create, edit, delete
//! and undo round-trips; the rules refused beside their fields (or on the line of a nested list)
//! with nothing stored; a member change refused to someone who is not a facilitator; a conflict
//! shown with both versions and nothing overwritten; and the form's keys.

mod common;
mod tui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use taskforce::backend::{Backend, Local, Remote};
use taskforce::model::*;
use taskforce::store::Store;
use taskforce::tui::app::nav_targets;
use taskforce::tui::forms::Input;
use taskforce::tui::{Action, App, Context, Pane, Target, handle_event, handle_key, update};
use tui_support::*;

/// Whether the context is a form's (on a text, a choice, a reference or its Save button).
fn in_form(context: Context) -> bool {
    matches!(
        context,
        Context::Form | Context::FormChoice | Context::FormReference | Context::FormSave
    )
}

struct Bench<B: Backend = Local> {
    _dir: tempfile::TempDir,
    backend: B,
    app: App,
    _server: Option<common::server::Server>,
}

fn bench() -> Bench {
    bench_as("ana")
}

/// The corpus imported by ana (who so becomes the facilitator), then a workbench for `user`.
fn bench_as(user: &str) -> Bench {
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
    let mut backend = Local::loaded(store, Actor::user(user)).unwrap();
    let (replica, _) = backend.snapshot().unwrap();
    let mut app = App::new(replica, user, "db", options());
    app.today = d("2020-01-15");
    Bench {
        _dir: dir,
        backend,
        app,
        _server: None,
    }
}

/// The same corpus served by `taskforce serve`, and a workbench that is its client.
fn remote_bench() -> Bench<Remote> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = Store::open(&db).unwrap();
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
    drop(store);
    common::wait_released(&db);
    let server = common::server::Server::start(&db, &[]);
    let mut backend = Remote::connect(&db, "workbench", false, false).unwrap();
    let (replica, _) = backend.snapshot().unwrap();
    let mut app = App::new(replica, backend.user(), "db", options());
    app.today = d("2020-01-15");
    Bench {
        _dir: dir,
        backend,
        app,
        _server: Some(server),
    }
}

impl<B: Backend> Bench<B> {
    /// What the event loop does: sends the queued changes and hands the results back.
    fn pump(&mut self) {
        taskforce::tui::apply_effects(&mut self.app, &mut self.backend);
    }

    fn stored(&mut self, kind: Kind, id: &str) -> Option<Record> {
        self.backend.get(kind, id).unwrap().map(|row| row.record)
    }

    /// A key, as the loop hands it over: after reading the texts of the record on screen.
    fn press(&mut self, code: KeyCode) {
        taskforce::tui::read_texts(&mut self.app, &mut self.backend);
        handle_key(&mut self.app, KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn ctrl(&mut self, c: char) {
        taskforce::tui::read_texts(&mut self.app, &mut self.backend);
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

    /// Empties a field and types `text` into it (a newline is Enter).
    fn set(&mut self, key: &str, text: &str) {
        self.focus(key);
        // Empty every line and join it to its neighbours, staying in the field.
        let lines = self
            .app
            .forms
            .form
            .as_ref()
            .unwrap()
            .field(key)
            .unwrap()
            .text()
            .lines()
            .count();
        for _ in 0..=lines {
            self.ctrl('k');
            self.ctrl('u');
            self.press(KeyCode::Backspace);
            self.press(KeyCode::Delete);
        }
        assert_eq!(
            self.app
                .forms
                .form
                .as_ref()
                .unwrap()
                .field(key)
                .unwrap()
                .text(),
            "",
            "{key} was not emptied"
        );
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.press(KeyCode::Enter);
            }
            self.typed(line);
        }
    }

    /// Picks a reference with the fuzzy search.
    fn pick(&mut self, key: &str, query: &str) {
        self.focus(key);
        self.press(KeyCode::Enter);
        assert!(self.app.forms.form.as_ref().unwrap().picker.is_some());
        self.typed(query);
        // The picker searches off the screen's thread; Enter waits for the answer.
        self.press(KeyCode::Enter);
    }

    /// Adds a reference to a list of references (Ctrl-o, search, Enter).
    fn add(&mut self, key: &str, query: &str) {
        self.focus(key);
        self.ctrl('o');
        assert!(
            self.app.forms.form.as_ref().unwrap().picker.is_some(),
            "Ctrl-o opens the search in {key}"
        );
        self.typed(query);
        self.press(KeyCode::Enter);
    }

    /// Turns a choice until it shows `label`.
    fn choose(&mut self, key: &str, label: &str) {
        self.focus(key);
        for _ in 0..20 {
            if self
                .app
                .forms
                .form
                .as_ref()
                .unwrap()
                .field(key)
                .unwrap()
                .text()
                == label
            {
                return;
            }
            self.press(KeyCode::Right);
        }
        panic!("{key} never shows {label:?}");
    }

    fn step(&mut self, step: &Step) {
        match *step {
            Step::Set(k, v) => self.set(k, v),
            Step::Pick(k, q) => self.pick(k, q),
            Step::Add(k, q) => self.add(k, q),
            Step::Choose(k, l) => self.choose(k, l),
        }
    }

    /// Every error the open form shows, for failure messages.
    fn errors(&self) -> String {
        let Some(form) = self.app.forms.form.as_ref() else {
            return format!("no form; message: {}", self.message());
        };
        let mut out: Vec<String> = form
            .fields
            .iter()
            .filter_map(|f| f.error.as_ref().map(|e| format!("{}: {e}", f.key)))
            .collect();
        out.extend(form.general.iter().cloned());
        format!("{out:?}; message: {}", self.message())
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

/// One thing done in a form.
enum Step<'a> {
    /// Type this into the field (emptied first).
    Set(&'a str, &'a str),
    /// Pick a reference by searching for this.
    Pick(&'a str, &'a str),
    /// Add a reference to a list (Ctrl-o) by searching for this.
    Add(&'a str, &'a str),
    /// Turn a choice to this label.
    Choose(&'a str, &'a str),
}

use Step::*;

/// Creates a record with `n`, edits it with `e`, deletes it with `d` `y` and undoes the delete
/// with `u`, each through the store; `created` and `edited` check what was stored.
fn round_trip(
    kind: Kind,
    id: &str,
    create: &[Step],
    edit: &[Step],
    created: impl Fn(&Record),
    edited: impl Fn(&Record),
) {
    let mut b = bench();
    b.open_kind(kind);
    b.press(KeyCode::Char('n'));
    assert!(in_form(b.app.context()), "{}", b.message());
    for s in create {
        b.step(s);
    }
    b.ctrl('s');
    assert!(
        b.app.forms.form.as_ref().is_some_and(|f| f.saving),
        "not sent: {}",
        b.errors()
    );
    assert!(
        b.app.replica.record(kind, id).is_none(),
        "nothing shows as saved before the store answers"
    );
    b.pump();
    assert!(b.app.forms.form.is_none(), "{}", b.errors());
    assert!(b.message().starts_with("Saved"), "{}", b.message());
    let first = b
        .stored(kind, id)
        .unwrap_or_else(|| panic!("{} {id} not stored: {}", kind.singular(), b.message()));
    created(&first);
    assert_eq!(b.app.replica.record(kind, id), Some(&first));

    b.select(id);
    b.press(KeyCode::Char('e'));
    assert!(in_form(b.app.context()), "{}", b.message());
    for s in edit {
        b.step(s);
    }
    b.ctrl('s');
    b.pump();
    assert!(b.app.forms.form.is_none(), "{}", b.errors());
    let second = b.stored(kind, id).unwrap();
    assert_ne!(first, second, "the edit changed nothing");
    edited(&second);

    b.select(id);
    b.press(KeyCode::Char('d'));
    b.press(KeyCode::Char('y'));
    b.pump();
    assert!(b.message().starts_with("Deleted"), "{}", b.message());
    assert!(b.stored(kind, id).is_none());
    assert!(b.app.replica.record(kind, id).is_none());
    b.press(KeyCode::Char('u'));
    b.pump();
    assert!(b.message().starts_with("Undone"), "{}", b.message());
    assert_eq!(b.stored(kind, id), Some(second.clone()), "undo restores it");
    assert_eq!(b.app.replica.record(kind, id), Some(&second));
}

#[test]
fn practice_create_edit_delete_undo() {
    let mut b = bench();
    b.open_kind(Kind::Practice);
    b.press(KeyCode::Char('n'));
    assert!(in_form(b.app.context()));
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
    // Ctrl-t ticks the line under the cursor: the second one, done, becomes not done.
    let second_done = b.app.replica.record(Kind::Meeting, &id).map(|r| match r {
        Record::Meeting(m) => m.follow_ups[1].done,
        _ => unreachable!(),
    });
    b.press(KeyCode::Down);
    b.ctrl('t');
    let text = b
        .app
        .forms
        .form
        .as_ref()
        .unwrap()
        .field("follow_ups")
        .unwrap()
        .text();
    assert!(text.lines().next().unwrap().starts_with("[x] "), "{text}");
    // Ctrl-t elsewhere says what it is for.
    b.focus("minutes");
    b.ctrl('t');
    assert!(
        b.message().contains("Ctrl-t ticks a follow-up"),
        "{}",
        b.message()
    );
    b.ctrl('s');
    b.pump();
    let Some(Record::Meeting(m)) = b.stored(Kind::Meeting, &id) else {
        panic!()
    };
    assert!(m.follow_ups[0].done, "{}", b.message());
    assert_eq!(
        Some(!m.follow_ups[1].done),
        second_done,
        "Ctrl-t turned the second"
    );
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
        "Café club\u{2407} ",
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
fn kinds_without_a_form_do_not_offer_n_and_e_and_say_where_they_are_kept() {
    let mut b = bench();
    b.open_kind(Kind::Score);
    assert!(!b.app.applicable(Action::New));
    assert!(!b.app.applicable(Action::Edit));
    b.press(KeyCode::Char('n'));
    assert!(b.app.forms.form.is_none());
    assert!(
        b.message().contains("scores have no form") && b.message().contains("scoring pane"),
        "{}",
        b.message()
    );
    b.open_kind(Kind::CriteriaSet);
    b.press(KeyCode::Char('n'));
    assert!(b.app.forms.form.is_none());
    assert!(b.message().contains("taskforce import"), "{}", b.message());
    // Every other kind has a form.
    for kind in Kind::ALL {
        let expected = !matches!(kind, Kind::Score | Kind::CriteriaSet);
        assert_eq!(taskforce::tui::forms::editable(*kind), expected, "{kind:?}");
    }
}

/// The TRAM-like criteria set the session tests use.
fn put_criteria_set(b: &mut Bench) {
    let set = Record::from(CriteriaSet {
        id: "tram".into(),
        name: "TRAM".into(),
        description: String::new(),
        criteria: vec![Criterion {
            code: "S".into(),
            label: "Sustainability".into(),
            description: String::new(),
            weight: Percent(10_000),
            scale: Scale {
                min: Decimal1(0),
                max: Decimal1(50),
                step: Decimal1(10),
                points: vec![],
            },
            pass_threshold: None,
            eliminatory: false,
        }],
        pass_mark: None,
    });
    b.backend
        .submit(Command::Put {
            record: set,
            expected_rev: Some(0),
        })
        .unwrap();
    let (fresh, _) = b.backend.snapshot().unwrap();
    b.app.replace_records(fresh);
}

#[test]
fn a_facilitator_creates_an_evaluation_session_in_a_form() {
    let mut b = bench();
    put_criteria_set(&mut b);
    b.open_kind(Kind::Session);
    b.press(KeyCode::Char('n'));
    assert!(in_form(b.app.context()), "{}", b.message());
    for s in [
        Pick("meeting", "varna"),
        Set("title", "ITF scoring after Varna"),
        Pick("criteria_set", "tram"),
        Add("practices", "vouchers"),
        Set("evaluators", "ana\nbo"),
    ] {
        b.step(&s);
    }
    b.ctrl('s');
    b.pump();
    assert!(b.app.forms.form.is_none(), "{}", b.errors());
    let Some(Record::Session(s)) = b.stored(Kind::Session, "itf-scoring-after-varna") else {
        panic!("not stored: {}", b.message());
    };
    assert_eq!(s.state, SessionState::Draft);
    assert_eq!(s.meeting.as_str(), "sv-varna");
    assert_eq!(s.criteria_set.as_str(), "tram");
    assert_eq!(s.practices, vec![PracticeId::from("gp-vouchers")]);
    assert_eq!(s.evaluators, ["ana", "bo"]);
    assert!(
        s.criteria.is_empty(),
        "criteria are frozen only when it opens"
    );
}

#[test]
fn d_on_a_kind_without_a_form_still_asks_first() {
    let mut b = bench();
    put_criteria_set(&mut b);
    b.open_kind(Kind::CriteriaSet);
    b.select("tram");
    b.press(KeyCode::Char('e'));
    assert!(b.message().contains("taskforce import"), "{}", b.message());
    b.press(KeyCode::Char('d'));
    assert!(
        b.app.forms.confirm_delete.is_some(),
        "d asks, as everywhere"
    );
    b.press(KeyCode::Char('n'));
    assert_eq!(b.message(), "Not deleted");
    assert!(b.stored(Kind::CriteriaSet, "tram").is_some());
}

// ----- every kind with a form: create → edit → delete → undo -----

#[test]
fn project_create_edit_delete_undo() {
    round_trip(
        Kind::Project,
        "boost",
        &[
            Set("acronym", "BOOST"),
            Set("title", "Boosting SME exports"),
            Set("start", "2022-03-01"),
            Set("end", "2025-02-28"),
            Set(
                "phases",
                "Phase 1 | 2022-03-01 | 2024-02-29\nPhase 2 | 2024-03-01 | 2025-02-28",
            ),
        ],
        &[
            Set("total_budget", "1,376,708"),
            Set("erdf_amount", "1151955.30"),
            Set("erdf_rate", "83.67"),
        ],
        |r| {
            let Record::Project(p) = r else { panic!() };
            assert_eq!(p.acronym, "BOOST");
            assert_eq!(p.programme, "Interreg Europe");
            assert_eq!(p.phases.len(), 2);
            assert_eq!(p.phases[1].start, d("2024-03-01"));
        },
        |r| {
            let Record::Project(p) = r else { panic!() };
            assert_eq!(p.erdf_rate, Some(Percent(8367)));
            assert_eq!(p.erdf_amount, Some(Money(115_195_530)));
            assert_eq!(p.phases.len(), 2, "kept");
        },
    );
}

#[test]
fn partner_create_edit_delete_undo() {
    round_trip(
        Kind::Partner,
        "gzs",
        &[
            Set("id", "gzs"),
            Pick("project", "intra"),
            Set("organisation", "Chamber of Commerce of Štajerska"),
            Set("short_name", "GZS"),
            Set("country", "SI"),
            Choose("role", "partner"),
        ],
        &[Set("nuts2", "SI03"), Choose("role", "advisory partner")],
        |r| {
            let Record::Partner(p) = r else { panic!() };
            assert_eq!(p.project.as_str(), "intra");
            assert_eq!(p.role, PartnerRole::Partner);
            assert_eq!(p.organisation, "Chamber of Commerce of Štajerska");
        },
        |r| {
            let Record::Partner(p) = r else { panic!() };
            assert_eq!(p.nuts2, "SI03");
            assert_eq!(p.role, PartnerRole::Advisory);
        },
    );
}

#[test]
fn action_plan_with_monitoring_reports_create_edit_delete_undo() {
    round_trip(
        Kind::ActionPlan,
        "ap-bg",
        &[
            Set("id", "ap-bg"),
            Pick("project", "intra"),
            Pick("partner", "varna"),
            Set("title", "Bulgarian action plan"),
            Set("instrument", "OP Innovation and Competitiveness"),
            // The due date left blank: three months after the period ends.
            Set("reports", "2019-04-01 | 2019-09-30"),
        ],
        &[
            Choose("instrument_kind", "other"),
            Set(
                "reports",
                // Progress lines name the plan's own actions, which a new plan has none of yet
                // (`a_plans_report_speaks_only_of_its_own_actions` has them).
                "2019-04-01 | 2019-09-30 | 2019-12-31 | 2019-12-20 | first semester\n2019-10-01 | 2020-03-31",
            ),
        ],
        |r| {
            let Record::ActionPlan(p) = r else { panic!() };
            assert_eq!(p.partner.as_str(), "varna");
            assert_eq!(p.reports.len(), 1);
            assert_eq!(p.reports[0].due, d("2019-12-30"));
            assert_eq!(p.reports[0].submitted_on, None);
        },
        |r| {
            let Record::ActionPlan(p) = r else { panic!() };
            assert_eq!(p.instrument_kind, InstrumentKind::Other);
            assert_eq!(p.reports.len(), 2);
            let first = &p.reports[0];
            assert_eq!(first.due, d("2019-12-31"));
            assert_eq!(first.submitted_on, Some(d("2019-12-20")));
            assert_eq!(first.summary, "first semester");
            assert_eq!(p.reports[1].due, d("2020-06-30"));
        },
    );
}

#[test]
fn a_plans_report_speaks_only_of_its_own_actions() {
    let mut b = editing(Kind::ActionPlan, "ap-si");
    b.set(
        "reports",
        "2019-04-01 | 2019-09-30 | 2019-12-31 | | first semester\n  > act-vouchers | in progress | calls open\n  # act-vouchers | SMEs supported | 12",
    );
    b.ctrl('s');
    b.pump();
    // act-vouchers defines no indicator: the value is refused on its line, nothing is stored.
    assert!(b.app.forms.form.is_some(), "{}", b.message());
    assert!(
        b.errors()
            .contains("'SMEs supported' is not an indicator of action 'act-vouchers'"),
        "{}",
        b.errors()
    );
    b.set(
        "reports",
        "2019-04-01 | 2019-09-30 | 2019-12-31 | | first semester\n  > act-vouchers | in progress | calls open",
    );
    b.ctrl('s');
    b.pump();
    assert!(b.app.forms.form.is_none(), "{}", b.errors());
    let Some(Record::ActionPlan(p)) = b.stored(Kind::ActionPlan, "ap-si") else {
        panic!()
    };
    assert_eq!(p.reports[0].progress[0].status, ActionStatus::InProgress);
    assert_eq!(p.reports[0].progress[0].note, "calls open");
}

#[test]
fn action_create_edit_delete_undo() {
    round_trip(
        Kind::Action,
        "act-clubs",
        &[
            Set("id", "act-clubs"),
            Pick("plan", "slovenian"),
            Set("title", "Business clubs abroad"),
            Add("inspired_by", "business clubs"),
            Set("indicators", "Clubs founded | 3\nMembers | 60"),
        ],
        &[
            Add("inspired_by", "bootcamp"),
            Choose("status", "partly implemented"),
            Set("costs", "25000"),
        ],
        |r| {
            let Record::Action(a) = r else { panic!() };
            assert_eq!(a.plan.as_str(), "ap-si");
            assert_eq!(a.inspired_by, vec![PracticeId::from("gp-clubs")]);
            assert_eq!(a.status, ActionStatus::Planned);
            assert_eq!(a.indicators.len(), 2);
            assert_eq!(a.indicators[1].target, "60");
        },
        |r| {
            let Record::Action(a) = r else { panic!() };
            assert_eq!(
                a.inspired_by,
                vec![
                    PracticeId::from("gp-clubs"),
                    PracticeId::from("gp-bootcamp")
                ]
            );
            assert_eq!(a.status, ActionStatus::PartlyImplemented);
            assert_eq!(a.costs, Some(eur(25_000)));
        },
    );
}

#[test]
fn voucher_scheme_with_types_create_edit_delete_undo() {
    round_trip(
        Kind::Scheme,
        "pt-vouchers",
        &[
            Set("id", "pt-vouchers"),
            Set("name", "Portuguese internationalisation voucher"),
            Set("issuer", "IAPMEI"),
            Set("country", "PT"),
            Set("rate", "75"),
            Set("min_amount", "1000"),
            Set("max_amount", "15000"),
            Set(
                "types",
                "market | Market research | 1000 | 15,000\nforums | International forums | | 3000 | 2 | up to two people",
            ),
        ],
        &[
            Choose("vat_eligible", "yes"),
            Set("max_vouchers_per_year", "2"),
        ],
        |r| {
            let Record::Scheme(s) = r else { panic!() };
            assert_eq!(s.rate, Percent(7500));
            assert_eq!(s.types.len(), 2);
            assert_eq!(s.types[0].max_amount, Some(eur(15_000)));
            assert_eq!(s.types[1].min_amount, None);
            assert_eq!(s.types[1].max_participants, Some(2));
            assert_eq!(s.types[1].description, "up to two people");
            assert!(!s.vat_eligible);
        },
        |r| {
            let Record::Scheme(s) = r else { panic!() };
            assert!(s.vat_eligible);
            assert_eq!(s.max_vouchers_per_year, Some(2));
            assert_eq!(s.types.len(), 2, "kept");
        },
    );
}

#[test]
fn sme_create_edit_delete_undo() {
    round_trip(
        Kind::Sme,
        "sme-cork",
        &[
            Set("id", "sme-cork"),
            Set("name", "Cortiça do Algarve, Lda."),
            Choose("size", "micro"),
            Set("country", "PT"),
        ],
        &[Set("city", "Loulé"), Choose("size", "small")],
        |r| {
            let Record::Sme(s) = r else { panic!() };
            assert_eq!(s.name, "Cortiça do Algarve, Lda.");
            assert_eq!(s.size, SmeSize::Micro);
        },
        |r| {
            let Record::Sme(s) = r else { panic!() };
            assert_eq!(s.city, "Loulé");
            assert_eq!(s.size, SmeSize::Small);
        },
    );
}

#[test]
fn member_create_edit_delete_undo() {
    round_trip(
        Kind::Member,
        "bo",
        &[
            Set("id", "bo"),
            Set("name", "Bo Novak"),
            Pick("partner", "maribor"),
        ],
        &[
            Set("organisation", "Maribor Development Agency"),
            Choose("facilitator", "yes"),
        ],
        |r| {
            let Record::Member(m) = r else { panic!() };
            assert_eq!(m.partner, Some(PartnerId::from("mra")));
            assert!(!m.facilitator);
        },
        |r| {
            let Record::Member(m) = r else { panic!() };
            assert!(m.facilitator);
            assert_eq!(m.organisation, "Maribor Development Agency");
        },
    );
}

// ----- the rules, beside their fields -----

/// Opens `id` of `kind` for editing.
fn editing(kind: Kind, id: &str) -> Bench {
    let mut b = bench();
    b.open_kind(kind);
    b.select(id);
    b.press(KeyCode::Char('e'));
    assert!(b.app.forms.form.is_some(), "{}", b.message());
    b
}

/// Saves and expects the refusal beside `field`, with every word, and nothing sent or stored.
fn refused(b: &mut Bench, kind: Kind, id: &str, field: &str, words: &[&str]) {
    let before = b.stored(kind, id);
    b.ctrl('s');
    let e = b.error(field).unwrap_or_default();
    for w in words {
        assert!(e.contains(w), "{field}: {e:?} lacks {w:?}; {}", b.errors());
    }
    assert!(b.message().starts_with("Not saved"), "{}", b.message());
    assert!(b.app.take_outbox().is_empty(), "nothing sent");
    assert_eq!(b.stored(kind, id), before, "nothing stored");
}

#[test]
fn an_action_not_implemented_needs_a_reason() {
    let mut b = editing(Kind::Action, "act-vouchers");
    b.choose("status", "not implemented");
    refused(
        &mut b,
        Kind::Action,
        "act-vouchers",
        "status_reason",
        &["not implemented needs the reason"],
    );
    b.set("status_reason", "the fund was cut in 2020");
    b.ctrl('s');
    b.pump();
    let Some(Record::Action(a)) = b.stored(Kind::Action, "act-vouchers") else {
        panic!()
    };
    assert_eq!(a.status, ActionStatus::NotImplemented, "{}", b.message());
    assert_eq!(a.status_reason, "the fund was cut in 2020");
}

#[test]
fn monitoring_report_dates_are_refused_on_their_line() {
    let mut b = editing(Kind::ActionPlan, "ap-si");
    // Due before the period ends: the model's rule, placed on the report's line.
    b.set(
        "reports",
        "2019-04-01 | 2019-09-30 | 2019-12-31\n  > act-vouchers | in progress\n2019-10-01 | 2020-03-31 | 2020-02-01",
    );
    refused(
        &mut b,
        Kind::ActionPlan,
        "ap-si",
        "reports",
        &[
            "line 3 (due)",
            "2020-02-01 is before the period ends on 2020-03-31",
        ],
    );
    // Submitted before the period ends.
    b.set(
        "reports",
        "2019-04-01 | 2019-09-30 | 2019-12-31 | 2019-09-01",
    );
    refused(
        &mut b,
        Kind::ActionPlan,
        "ap-si",
        "reports",
        &[
            "line 1 (submitted_on)",
            "before the period it reports on ends",
        ],
    );
    // Two reports on the same semester.
    b.set(
        "reports",
        "2019-04-01 | 2019-09-30\n2019-07-01 | 2019-12-31",
    );
    refused(
        &mut b,
        Kind::ActionPlan,
        "ap-si",
        "reports",
        &["line 2 (period_start)", "overlaps report 1"],
    );
    // A line that does not parse: its number and the parser's words.
    b.set(
        "reports",
        "2019-04-01 | 2019-09-30\n2019-10-01 | 2020-13-31",
    );
    refused(
        &mut b,
        Kind::ActionPlan,
        "ap-si",
        "reports",
        &["line 2: the period's end"],
    );
    b.set("reports", "  > act-vouchers | done");
    refused(
        &mut b,
        Kind::ActionPlan,
        "ap-si",
        "reports",
        &["line 1: a progress line"],
    );
}

#[test]
fn scheme_minimum_above_maximum_is_refused() {
    let mut b = editing(Kind::Scheme, "si-vouchers");
    b.set("min_amount", "5000");
    b.set("max_amount", "1000");
    refused(
        &mut b,
        Kind::Scheme,
        "si-vouchers",
        "max_amount",
        &["EUR 1,000.00 is below the minimum EUR 5,000.00"],
    );
}

#[test]
fn voucher_type_lines_are_refused_with_their_number() {
    let mut b = editing(Kind::Scheme, "si-vouchers");
    b.set(
        "types",
        "fairs | Joint presentations at fairs\nresearch | Foreign market research\nforums | Forums | 300 | 3000 | two",
    );
    refused(
        &mut b,
        Kind::Scheme,
        "si-vouchers",
        "types",
        &["line 3: the max participants: 'two' is not a whole number"],
    );
    // A type whose bounds leave the scheme's: the model's rule, on the type's line.
    b.set(
        "types",
        "fairs | Joint presentations at fairs\nresearch | Foreign market research | 100",
    );
    refused(
        &mut b,
        Kind::Scheme,
        "si-vouchers",
        "types",
        &["line 2", "lies outside the scheme's EUR 300.00"],
    );
}

#[test]
fn project_rules_show_beside_their_fields() {
    let mut b = editing(Kind::Project, "intra");
    b.set("total_budget", "1000");
    b.set("erdf_amount", "2000");
    refused(
        &mut b,
        Kind::Project,
        "intra",
        "erdf_amount",
        &["more than the total budget"],
    );
    b.set("erdf_amount", "");
    b.set(
        "phases",
        "Phase 1 | 2016-04-01 | 2019-03-31\nPhase 2 | 2019-04-01",
    );
    refused(
        &mut b,
        Kind::Project,
        "intra",
        "phases",
        &["line 2: the end is missing"],
    );
    b.set("phases", "Phase 1 | 2015-04-01 | 2019-03-31");
    refused(
        &mut b,
        Kind::Project,
        "intra",
        "phases",
        &["line 1", "outside the project's dates"],
    );
}

#[test]
fn partner_and_sme_country_codes_are_checked() {
    let mut b = editing(Kind::Partner, "mra");
    b.set("country", "Slovenia");
    refused(
        &mut b,
        Kind::Partner,
        "mra",
        "country",
        &["'Slovenia' is not a two-letter country code"],
    );
    let mut b = editing(Kind::Sme, "sme-zito");
    b.set("name", "");
    refused(&mut b, Kind::Sme, "sme-zito", "name", &["is required"]);
}

#[test]
fn a_member_change_by_someone_who_is_not_a_facilitator_is_refused_clearly() {
    let mut b = bench_as("bo");
    b.open_kind(Kind::Member);
    b.press(KeyCode::Char('n'));
    b.set("id", "cy");
    b.choose("facilitator", "yes");
    b.ctrl('s');
    b.pump();
    let m = b.message();
    assert!(
        m.contains("Not saved") && m.contains("only a facilitator can manage members"),
        "{m}"
    );
    let form = b.app.forms.form.as_ref().expect("the form stays open");
    assert!(!form.saving);
    assert!(
        form.general
            .iter()
            .any(|g| g.contains("only a facilitator can manage members")),
        "{:?}",
        form.general
    );
    assert!(b.stored(Kind::Member, "cy").is_none());
    // Deleting the facilitator is refused the same way.
    b.ctrl('g');
    b.press(KeyCode::Char('y'));
    b.select("ana");
    b.press(KeyCode::Char('d'));
    b.press(KeyCode::Char('y'));
    b.pump();
    assert!(
        b.message().contains("Not deleted")
            && b.message()
                .contains("only a facilitator can manage members"),
        "{}",
        b.message()
    );
    assert!(b.stored(Kind::Member, "ana").is_some());
}

#[test]
fn a_conflicting_change_is_shown_and_nothing_is_overwritten() {
    let mut b = editing(Kind::Practice, "gp-clubs");
    b.set("region", "Podravje");
    // Meanwhile someone else changes the practice through the store.
    let Some(Record::Practice(mut theirs)) = b.stored(Kind::Practice, "gp-clubs") else {
        panic!()
    };
    let rev = b
        .backend
        .store()
        .get(Kind::Practice, "gp-clubs")
        .unwrap()
        .unwrap()
        .rev;
    theirs.region = "Savinjska".into();
    theirs.city = "Celje".into();
    b.backend
        .store()
        .apply(
            &Actor::user("bo"),
            Command::Put {
                record: Record::Practice(theirs.clone()),
                expected_rev: Some(rev),
            },
        )
        .unwrap();
    b.ctrl('s');
    b.pump();
    let m = b.message();
    assert!(
        m.contains("Not saved")
            && m.contains("changed by bo")
            && m.contains("nothing was overwritten"),
        "{m}"
    );
    let form = b.app.forms.form.as_ref().expect("the form stays open");
    let conflict = form.conflict.as_ref().expect("the form shows the conflict");
    assert!(
        conflict
            .iter()
            .any(|(f, t, y)| f == "region" && t.contains("Savinjska") && y.contains("Podravje")),
        "theirs and yours side by side: {conflict:?}"
    );
    assert!(
        conflict
            .iter()
            .any(|(f, t, _)| f == "city" && t.contains("Celje")),
        "{conflict:?}"
    );
    assert_eq!(
        form.field("region").unwrap().text(),
        "Podravje",
        "the user's typing is kept"
    );
    assert_eq!(
        b.stored(Kind::Practice, "gp-clubs"),
        Some(Record::Practice(theirs)),
        "nothing was overwritten"
    );
}

/// Opens gp-clubs, types a region, lets `theirs` save another version (given the stored one and
/// its revision) meanwhile, and saves: the conflict the form shows, and the form on screen.
fn conflicting_save<B: Backend>(
    mut b: Bench<B>,
    theirs: impl FnOnce(&mut Bench<B>, Practice, u64),
) -> (Vec<(String, String, String)>, String) {
    b.open_kind(Kind::Practice);
    b.select("gp-clubs");
    b.press(KeyCode::Char('e'));
    b.set("region", "Podravje");
    let row = b
        .app
        .replica
        .row(Kind::Practice, "gp-clubs")
        .unwrap()
        .clone();
    let Record::Practice(mut other) = row.record else {
        panic!()
    };
    other.region = "Savinjska".into();
    other.city = "Celje".into();
    theirs(&mut b, *other, row.rev);
    b.ctrl('s');
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while b.app.forms.form.as_ref().is_some_and(|f| f.saving) {
        b.pump();
        assert!(std::time::Instant::now() < deadline, "no answer");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let m = b.message();
    assert!(
        m.contains("Not saved") && m.contains("nothing was overwritten"),
        "{m}"
    );
    let form = b.app.forms.form.as_ref().expect("the form stays open");
    let conflict = form.conflict.clone().expect("the form shows the conflict");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 50)).unwrap();
    terminal
        .draw(|f| taskforce::tui::render(f, &mut b.app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut screen = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        // The form's conflict view (the status bar differs: shared or not).
        if line.contains("→") || line.contains("Someone else changed") {
            screen.push_str(line.trim_end());
            screen.push('\n');
        }
    }
    (conflict, screen)
}

#[test]
fn a_conflict_through_the_server_shows_the_same_view_as_in_a_local_store() {
    let me = taskforce::sys::current_user();
    let (local_conflict, local_screen) = conflicting_save(bench_as(&me), |b, p, rev| {
        b.backend
            .store()
            .apply(
                &Actor::user(&me),
                Command::Put {
                    record: p.into(),
                    expected_rev: Some(rev),
                },
            )
            .unwrap();
    });
    let (remote_conflict, remote_screen) = conflicting_save(remote_bench(), |b, p, rev| {
        let db = b._dir.path().join("db");
        let mut other = taskforce::server::Connection::connect(&db, "other").unwrap();
        let reply = other.request(taskforce::server::Request::Submit {
            command: Command::Put {
                record: p.into(),
                expected_rev: Some(rev),
            },
            on_behalf_of: None,
        });
        assert!(reply.is_ok(), "{reply:?}");
    });
    assert!(
        remote_conflict
            .iter()
            .any(|(f, t, y)| f == "region" && t.contains("Savinjska") && y.contains("Podravje")),
        "{remote_conflict:?}"
    );
    assert_eq!(remote_conflict, local_conflict);
    assert!(
        remote_screen.contains("Someone else changed"),
        "{remote_screen}"
    );
    assert_eq!(remote_screen, local_screen);
}

#[test]
fn a_new_form_starts_in_the_chosen_project_and_kinds_without_one_still_build() {
    let mut b = bench();
    // The project key cycles: all, then each project.
    for _ in 0..5 {
        if b.app.project() == Some("intra") {
            break;
        }
        update(&mut b.app, Action::Project);
    }
    assert_eq!(b.app.project(), Some("intra"));
    b.open_kind(Kind::Partner);
    b.press(KeyCode::Char('n'));
    let form = b.app.forms.form.as_ref().unwrap();
    assert_eq!(form.field("project").unwrap().text(), "intra");
    b.ctrl('g');
    // Vouchers, SMEs and members have no project field: their forms open and build (a form
    // writes typed fields, so a project cannot leak into a record that has none).
    for kind in [Kind::Voucher, Kind::Member, Kind::Sme] {
        b.open_kind(kind);
        b.press(KeyCode::Char('n'));
        let form = b.app.forms.form.as_ref().unwrap();
        assert!(form.field("project").is_none(), "{kind:?}");
        b.ctrl('g');
    }
    b.press(KeyCode::Char('n'));
    b.set("id", "sme-mlinotest");
    b.set("name", "Mlinotest d.d.");
    b.set("country", "SI");
    b.ctrl('s');
    b.pump();
    assert!(
        b.stored(Kind::Sme, "sme-mlinotest").is_some(),
        "{}",
        b.errors()
    );
}

#[test]
fn meeting_agenda_and_attendance_are_edited_as_lines() {
    let mut b = editing(Kind::Meeting, "sv-varna");
    b.set(
        "attendance",
        "Ana Novak | Maribor Development Agency | mra\nIvan Petrov | RAPIV | rapiv",
    );
    // The model's reference rule, on the attendee's line.
    refused(
        &mut b,
        Kind::Meeting,
        "sv-varna",
        "attendance",
        &[
            "line 2 (partner)",
            "refers to partner 'rapiv', which does not exist",
        ],
    );
    b.set(
        "attendance",
        "Ana Novak | Maribor Development Agency | mra\nIvan Petrov | RAPIV | varna",
    );
    b.set("agenda", "09:00 | Welcome | MRA\n10:00 | Visit to the fund");
    b.ctrl('s');
    b.pump();
    assert!(b.app.forms.form.is_none(), "{}", b.errors());
    let Some(Record::Meeting(m)) = b.stored(Kind::Meeting, "sv-varna") else {
        panic!()
    };
    assert_eq!(m.attendance.len(), 2);
    assert_eq!(m.attendance[1].partner, Some(PartnerId::from("varna")));
    assert_eq!(m.agenda[1].title, "Visit to the fund");
    assert_eq!(m.agenda[0].presenter, "MRA");
    assert_eq!(m.follow_ups.len(), 2, "the follow-ups are kept");
}

#[test]
fn practice_form_edits_the_template_s_long_texts() {
    let mut b = editing(Kind::Practice, "gp-clubs");
    b.set("evidence", "120 clubs founded");
    b.set("difficulties", "Clubs need a paid coordinator");
    b.choose("web_status", "approved by web admin");
    b.ctrl('s');
    b.pump();
    let Some(Record::Practice(p)) = b.stored(Kind::Practice, "gp-clubs") else {
        panic!()
    };
    assert_eq!(p.evidence, "120 clubs founded", "{}", b.errors());
    assert_eq!(p.difficulties, "Clubs need a paid coordinator");
    assert_eq!(p.web_status, Some(WebStatus::ApprovedByAdmin));
}

#[test]
fn transfer_create_edit_delete_undo() {
    round_trip(
        Kind::Transfer,
        "tr-bootcamp",
        &[
            Set("id", "tr-bootcamp"),
            Set("title", "Bootcamp into the Slovene programme"),
            Pick("practice", "bootcamp"),
            Pick("partner", "maribor"),
            Set("instrument", "Operational Programme, priority 3"),
            Set("stages", "2019-03 | interest | seen at the study visit"),
        ],
        &[
            Set(
                "stages",
                "2019-03 | interest | seen at the study visit\n2019-10-02 | adapted | two cohorts a year",
            ),
            Pick("action", "internationalisation vouchers"),
            Choose("result", "new projects"),
            Set("links", "https://example.org/call"),
        ],
        |r| {
            let Record::Transfer(t) = r else { panic!() };
            assert_eq!(t.practice.as_str(), "gp-bootcamp");
            assert_eq!(t.partner.as_str(), "mra");
            assert_eq!(t.stage(), Some(TransferStage::Interest));
            assert_eq!(t.stages[0].note, "seen at the study visit");
            assert_eq!(t.action, None);
            assert_eq!(t.result, None);
        },
        |r| {
            let Record::Transfer(t) = r else { panic!() };
            assert_eq!(t.stage(), Some(TransferStage::Adapted));
            assert_eq!(t.stage_on(), Some(d("2019-10-02")));
            assert_eq!(t.action, Some(ActionId::from("act-vouchers")));
            assert_eq!(t.result, Some(TransferResult::NewProjects));
            assert_eq!(t.links, ["https://example.org/call"]);
        },
    );
}

/// A transfer's stage history is refused out of order in the form, on the line at fault: an
/// earlier stage after a later one, a date going back, a stage after adoption; a line that
/// does not parse names its number and what is wrong.
#[test]
fn transfer_stage_lines_are_refused_on_their_line() {
    let mut b = bench();
    b.open_kind(Kind::Transfer);
    b.press(KeyCode::Char('n'));
    b.set("title", "Bootcamp into the Slovene programme");
    b.pick("practice", "bootcamp");
    b.pick("partner", "maribor");
    b.set("instrument", "Operational Programme, priority 3");
    let cases: &[(&str, &[&str])] = &[
        (
            "2019-03 | studied\n2019-10 | interest",
            &["line 2 (stage)", "'interest' cannot follow 'studied'"],
        ),
        (
            "2019-03 | interest\n2018-10 | studied",
            &["line 2 (on)", "2018-10 is before the stage before it"],
        ),
        (
            "2019-03 | adopted\n2019-10 | dropped | money",
            &["line 2 (stage)", "nothing follows adoption or a drop"],
        ),
        (
            "2019-03 | interest\n2019-10 | dropped",
            &["line 2 (note)", "a dropped transfer needs the reason"],
        ),
        (
            "2019-03 | interest\n2019-13 | studied",
            &["line 2: the date"],
        ),
        (
            "2019-03 | interest\n2019-10 | approved",
            &["line 2: the stage: 'approved' is not one of: interest, studied"],
        ),
        ("", &["needs at least the stage reached"]),
    ];
    for (lines, words) in cases {
        b.set("stages", lines);
        b.ctrl('s');
        let e = b.error("stages").unwrap_or_default();
        for w in *words {
            assert!(
                e.contains(w),
                "{lines:?}: {e:?} lacks {w:?}; {}",
                b.errors()
            );
        }
        assert!(b.message().starts_with("Not saved"), "{}", b.message());
        assert!(b.app.take_outbox().is_empty(), "nothing sent");
    }
    assert!(
        b.stored(Kind::Transfer, "bootcamp-into-the-slovene-programme")
            .is_none()
    );
}

#[test]
fn stakeholder_create_edit_delete_undo() {
    round_trip(
        Kind::Stakeholder,
        "sh-mra-7",
        &[
            Set("id", "sh-mra-7"),
            Pick("partner", "maribor"),
            Set("organisation", "Chamber of Commerce of Podravje"),
            Set("name", "Vesna Horvat"),
            Choose("helix", "business"),
            Set("role", "export adviser"),
        ],
        &[
            Set("email", "vesna@example.org"),
            Set("phone", "+386 2 555 0101"),
            Set("consent", "2019-03-04"),
            Choose("helix", "civil society"),
        ],
        |r| {
            let Record::Stakeholder(s) = r else { panic!() };
            assert_eq!(s.partner.as_str(), "mra");
            assert_eq!(s.name, "Vesna Horvat");
            assert_eq!(s.helix, Helix::Business);
            assert_eq!(s.contact(), None, "no consent, no contact");
            assert_eq!(s.erased, None);
        },
        |r| {
            let Record::Stakeholder(s) = r else { panic!() };
            assert_eq!(s.consent, Some(d("2019-03-04")));
            assert_eq!(s.contact(), Some(("vesna@example.org", "+386 2 555 0101")));
            assert_eq!(s.helix, Helix::CivilSociety);
        },
    );
}

/// Contact details without the date of consent are refused in the form, on the field, and
/// nothing is sent; an id that names the person too. Blank, the id comes from the organisation.
#[test]
fn stakeholder_contact_without_consent_is_refused_in_the_form() {
    let mut b = bench();
    b.open_kind(Kind::Stakeholder);
    b.press(KeyCode::Char('n'));
    b.pick("partner", "maribor");
    b.set("organisation", "Chamber of Commerce of Podravje");
    b.set("name", "Vesna Horvat");
    b.choose("helix", "business");
    b.set("email", "vesna@example.org");
    b.ctrl('s');
    let e = b.error("email").unwrap_or_default();
    assert!(
        e.contains("contact details are kept only with the person's consent (GDPR)"),
        "{}",
        b.errors()
    );
    assert!(b.message().starts_with("Not saved"), "{}", b.message());
    assert!(b.app.take_outbox().is_empty(), "nothing sent");
    b.set("id", "sh-horvat");
    b.ctrl('s');
    assert!(
        b.error("id")
            .unwrap_or_default()
            .contains("holds 'horvat' from the person's name"),
        "{}",
        b.errors()
    );
    assert!(b.app.take_outbox().is_empty(), "nothing sent");
    b.set("id", "");
    b.set("consent", "2019-03-04");
    b.ctrl('s');
    b.pump();
    assert!(b.message().starts_with("Saved"), "{}", b.message());
    let Some(Record::Stakeholder(s)) =
        b.stored(Kind::Stakeholder, "chamber-of-commerce-of-podravje")
    else {
        panic!("not stored: {}", b.message())
    };
    assert_eq!(s.email, "vesna@example.org");
}

/// A meeting's attendance names a stakeholder on record as `stakeholder: ID`; the meeting keeps
/// the reference, not the name, and shows the name from the record.
#[test]
fn attendance_lines_refer_to_a_stakeholder_on_record() {
    let mut b = bench();
    b.backend
        .submit(Command::Put {
            record: Stakeholder {
                id: "sh-mra-1".into(),
                partner: "mra".into(),
                organisation: "Chamber of Commerce of Podravje".into(),
                name: "Vesna Horvat".into(),
                helix: Helix::Business,
                role: String::new(),
                email: String::new(),
                phone: String::new(),
                consent: None,
                erased: None,
            }
            .into(),
            expected_rev: Some(0),
        })
        .unwrap();
    let (replica, _) = b.backend.snapshot().unwrap();
    b.app.replica = std::sync::Arc::new(replica);
    b.open_kind(Kind::Meeting);
    b.press(KeyCode::Char('n'));
    b.pick("project", "intra");
    b.set("title", "RSG meeting 3 in Podravje");
    b.choose("kind", "RSG meeting");
    b.set("start", "2019-05-14");
    b.set(
        "attendance",
        "stakeholder: sh-nobody\nJanez Kranjc | Managing authority",
    );
    b.ctrl('s');
    let e = b.error("attendance").unwrap_or_default();
    assert!(
        e.contains("line 1")
            && e.contains("refers to stakeholder 'sh-nobody', which does not exist"),
        "{}",
        b.errors()
    );
    b.set(
        "attendance",
        "stakeholder: sh-mra-1\nJanez Kranjc | Managing authority",
    );
    b.ctrl('s');
    b.pump();
    assert!(b.message().starts_with("Saved"), "{}", b.errors());
    let Some(Record::Meeting(m)) = b.stored(Kind::Meeting, "rsg-meeting-3-in-podravje") else {
        panic!("not stored: {}", b.message())
    };
    assert_eq!(m.attendance[0].stakeholder, Some("sh-mra-1".into()));
    assert_eq!(m.attendance[0].name, "");
    assert_eq!(m.attendance[1].name, "Janez Kranjc");
}

/// After an erasure the workbench's history of the stakeholder shows that it was erased, by
/// whom and when, and none of the person's data that earlier changes held.
#[test]
fn the_history_of_an_erased_stakeholder_shows_none_of_the_person() {
    let mut b = bench();
    let mut s = Stakeholder {
        id: "sh-mra-1".into(),
        partner: "mra".into(),
        organisation: "Chamber of Commerce of Podravje".into(),
        name: "Vesna Horvat".into(),
        helix: Helix::Business,
        role: "export adviser".into(),
        email: "vesna@example.org".into(),
        phone: String::new(),
        consent: Some(d("2019-03-04")),
        erased: None,
    };
    for phone in ["+386 2 555 0101", "+386 2 555 0102"] {
        s.phone = phone.into();
        b.backend
            .submit(Command::Put {
                record: s.clone().into(),
                expected_rev: None,
            })
            .unwrap();
    }
    b.backend
        .submit(Command::Erase {
            kind: Kind::Stakeholder,
            id: "sh-mra-1".into(),
        })
        .unwrap();
    let (replica, _) = b.backend.snapshot().unwrap();
    b.app.replica = std::sync::Arc::new(replica);
    b.open_kind(Kind::Stakeholder);
    b.select("sh-mra-1");
    b.press(KeyCode::Char('h'));
    b.pump();
    let h = b.app.forms.history.as_ref().expect("history view");
    assert!(
        h.lines
            .iter()
            .any(|l| l.contains("ana: erase the personal data of stakeholder 'sh-mra-1'")),
        "{:?}",
        h.lines
    );
    for l in &h.lines {
        for personal in ["Vesna", "vesna@", "555 010", "export adviser"] {
            assert!(!l.contains(personal), "{l}");
        }
    }
}

/// `X` on a stakeholder asks first, saying what goes and that it cannot be undone (drawn at
/// three sizes); any other key keeps the data, `y` erases it through the store.
#[test]
fn x_erases_a_stakeholders_personal_data_after_asking() {
    use ratatui::{Terminal, backend::TestBackend};
    let mut b = bench();
    b.backend
        .submit(Command::Put {
            record: Stakeholder {
                id: "sh-mra-1".into(),
                partner: "mra".into(),
                organisation: "Chamber of Commerce of Podravje".into(),
                name: "Vesna Horvat".into(),
                helix: Helix::Business,
                role: "export adviser".into(),
                email: "vesna@example.org".into(),
                phone: String::new(),
                consent: Some(d("2019-03-04")),
                erased: None,
            }
            .into(),
            expected_rev: Some(0),
        })
        .unwrap();
    let (replica, _) = b.backend.snapshot().unwrap();
    b.app.replica = std::sync::Arc::new(replica);
    // Elsewhere X says what it is for.
    b.open_kind(Kind::Practice);
    b.press(KeyCode::Char('X'));
    assert!(
        b.message()
            .contains("Only a stakeholder's personal data is erased"),
        "{}",
        b.message()
    );
    b.open_kind(Kind::Stakeholder);
    b.select("sh-mra-1");
    b.press(KeyCode::Char('X'));
    assert_eq!(b.app.context(), Context::Confirm);
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| taskforce::tui::render(f, &mut b.app))
            .unwrap();
        let text: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(text.contains("Erase personal data"), "{w}x{h}: {text}");
        if w >= 80 {
            assert!(text.contains("Vesna Horvat") && text.contains("cannot be undone"));
        }
    }
    b.press(KeyCode::Char('n'));
    assert_eq!(b.message(), "Not erased");
    assert!(b.app.take_outbox().is_empty());
    b.press(KeyCode::Char('X'));
    b.press(KeyCode::Char('y'));
    b.pump();
    assert!(
        b.message()
            .starts_with("Erasure of the personal data of stakeholder 'sh-mra-1': saved"),
        "{}",
        b.message()
    );
    let Some(Record::Stakeholder(s)) = b.stored(Kind::Stakeholder, "sh-mra-1") else {
        panic!()
    };
    assert_eq!(s.name, "(erased)");
    assert_eq!(s.erased.as_ref().map(|e| e.by.as_str()), Some("ana"));
    assert_eq!(
        b.app.replica.record(Kind::Stakeholder, "sh-mra-1"),
        Some(&Record::from(s))
    );
    b.press(KeyCode::Char('X'));
    assert!(
        b.message().contains("was erased already"),
        "{}",
        b.message()
    );
}
