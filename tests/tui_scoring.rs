//! The scoring pane and the board: keys on the state, results from the outbox, live updates,
//! and what a person sees at 120×40, 80×24 and 40×12.

mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use taskforce::backend::{Backend, Local};
use taskforce::model::*;
use taskforce::store::{CommandError, Store};
use taskforce::tui::outbox::Outgoing;
use taskforce::tui::{App, handle_key, scoring};

fn dec(v: f64) -> Decimal1 {
    Decimal1::from_f64(v).unwrap()
}

fn criterion(code: &str, label: &str) -> Criterion {
    Criterion {
        code: code.into(),
        label: label.into(),
        description: String::new(),
        weight: Percent::from_f64(1.0).unwrap(),
        scale: Scale {
            min: dec(1.0),
            max: dec(5.0),
            step: dec(1.0),
            points: vec![
                ScalePoint {
                    value: dec(1.0),
                    meaning: "weak".into(),
                },
                ScalePoint {
                    value: dec(5.0),
                    meaning: "excellent".into(),
                },
            ],
        },
        pass_threshold: None,
        eliminatory: false,
    }
}

fn row(record: Record) -> Row {
    Row {
        rev: 1,
        at: Timestamp(0),
        by: "test".into(),
        record,
    }
}

/// The workbench over a real store: what a key sends goes through the store's own commands.
struct Scoring {
    _dir: tempfile::TempDir,
    backend: Local,
    app: App,
}

impl std::ops::Deref for Scoring {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for Scoring {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// Two practices, two criteria, evaluators ana (a facilitator) and bo, in a store.
fn app() -> Scoring {
    app_with(|_| {})
}

fn app_with(edit: impl FnOnce(&mut EvaluationSession)) -> Scoring {
    app_titled(["Export vouchers", "Trade mission club"], edit)
}

/// The same with the practices' titles given.
fn app_titled(titles: [&str; 2], edit: impl FnOnce(&mut EvaluationSession)) -> Scoring {
    let mut records = vec![tui_support::project(
        "proj",
        "PROJ",
        "A project",
        "2016-04-01",
        "2021-03-31",
    )];
    records.push(Record::from(tui_support::meeting(
        "m1",
        "proj",
        "2nd ITF meeting",
        MeetingKind::InterregionalMeeting,
        ("Maribor", "SI"),
        "2017-05-10",
        &["p1", "p2"],
    )));
    for (id, title) in [("p1", titles[0]), ("p2", titles[1])] {
        let mut p =
            tui_support::practice(id, "proj", title, "SI", PracticeStatus::Identified, None);
        p.evidence = "120 SMEs exported for the first time".into();
        p.transfer_potential = "High: needs only a regional fund".into();
        records.push(Record::from(p));
    }
    let criteria = vec![criterion("REL", "Relevance"), criterion("IMP", "Impact")];
    records.push(Record::from(CriteriaSet {
        id: "set".into(),
        name: "Merit".into(),
        description: String::new(),
        criteria: criteria.clone(),
        pass_mark: Some(dec(3.0)),
    }));
    let mut session = EvaluationSession {
        id: "sess".into(),
        meeting: "m1".into(),
        title: "ITF2 scoring".into(),
        state: SessionState::Open,
        criteria_set: "set".into(),
        criteria,
        pass_mark: Some(dec(3.0)),
        practices: vec!["p1".into(), "p2".into()],
        evaluators: vec!["ana".into(), "bo".into()],
        max_spread: None,
        consensus: vec![],
    };
    edit(&mut session);
    records.push(Record::from(session));
    for (id, facilitator) in [("ana", true), ("bo", false)] {
        records.push(Record::from(Member {
            id: id.into(),
            name: id.into(),
            organisation: String::new(),
            partner: None,
            facilitator,
        }));
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    store
        .apply(
            &Actor::user("ana"),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "test".into(),
            },
        )
        .unwrap();
    let mut backend = Local::new(store, Actor::user("ana"));
    let (replica, _) = backend.snapshot().unwrap();
    let mut app = App::new(replica, "ana", "memory", tui_support::options());
    app.open_scoring("sess");
    Scoring {
        _dir: dir,
        backend,
        app,
    }
}

fn press(app: &mut App, c: char) {
    handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn key(app: &mut App, code: KeyCode) {
    handle_key(app, KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, c);
    }
}

/// Acts as the event loop: sends each queued change to the store and hands the result back.
fn commit_all(t: &mut Scoring) -> Vec<Outgoing> {
    let out = t.app.take_outbox();
    for o in out.clone() {
        t.app.send(o.command, o.on_behalf_of, o.purpose);
    }
    t.app.exchange(&mut t.backend);
    out
}

fn value(app: &App, practice: &str, evaluator: &str, criterion: &str) -> Option<Option<f64>> {
    let id = Score::key(&"sess".into(), &practice.into(), evaluator, criterion);
    match app.replica.record(Kind::Score, id.as_str()) {
        Some(Record::Score(s)) => Some(s.value.map(|v| v.as_f64())),
        _ => None,
    }
}

fn pane(app: &App) -> &scoring::ScoringPane {
    app.scoring.as_ref().unwrap()
}

#[test]
fn a_digit_scores_and_advances_and_the_last_criterion_goes_to_the_next_practice() {
    let mut app = app();
    assert_eq!((pane(&app).practice, pane(&app).criterion), (0, 0));
    press(&mut app, '4');
    assert_eq!(pane(&app).criterion, 1, "moves to the next criterion");
    let sent = commit_all(&mut app);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].on_behalf_of, None);
    assert_eq!(value(&app, "p1", "ana", "REL"), Some(Some(4.0)));
    press(&mut app, '2');
    commit_all(&mut app);
    assert_eq!(
        (pane(&app).practice, pane(&app).criterion),
        (1, 0),
        "after the last criterion: the next practice missing scores"
    );
    // Out of the scale: refused on the spot, nothing sent.
    press(&mut app, '7');
    assert!(app.take_outbox().is_empty());
    assert!(app.message().unwrap().text.contains("outside"));
}

#[test]
fn a_saved_or_refused_score_names_the_practice_by_its_title() {
    let mut t = app();
    press(&mut t.app, '3');
    commit_all(&mut t);
    let said = t.app.message().unwrap().text.clone();
    let title = match t.app.replica.record(Kind::Practice, "p1") {
        Some(r) => r.title(),
        None => panic!("p1"),
    };
    assert!(said.starts_with("Saved: score 3 for REL of "), "{said}");
    assert!(said.contains(&format!("\u{201c}{title}\u{201d}")), "{said}");
    assert!(!said.contains("'p1'"), "{said}");
    press(&mut t.app, '4');
    let out = t.app.take_outbox();
    t.app.on_result(
        out[0].purpose.clone(),
        Err(CommandError::Denied("no".into())),
    );
    let said = &t.app.message().unwrap().text;
    assert!(
        said.contains(&format!("\u{201c}{title}\u{201d}: no")),
        "{said}"
    );
}

#[test]
fn nothing_shows_as_saved_until_the_result_and_a_refusal_shows_the_message() {
    let mut app = app();
    press(&mut app, '3');
    let out = app.take_outbox();
    assert_eq!(out.len(), 1);
    assert_eq!(
        value(&app, "p1", "ana", "REL"),
        None,
        "not in the replica yet"
    );
    assert_eq!(pane(&app).pending.len(), 1, "a pending mark is shown");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("3 … saving"), "{screen}");
    app.on_result(
        out[0].purpose.clone(),
        Err(CommandError::Denied(
            "evaluators write only their own scores".into(),
        )),
    );
    assert!(pane(&app).pending.is_empty());
    assert_eq!(value(&app, "p1", "ana", "REL"), None);
    let m = app.message().unwrap();
    assert!(
        m.text.contains("evaluators write only their own scores"),
        "{m:?}"
    );
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("saving"));
    let rel = line_of(&screen, "REL");
    assert!(
        rel.contains("REL ·") && rel.contains("Relevance (1–5)"),
        "{screen}"
    );
}

#[test]
fn clear_abstain_with_a_reason_comment_and_undo() {
    let mut app = app();
    press(&mut app, '5');
    commit_all(&mut app);
    key(&mut app, KeyCode::Up);
    press(&mut app, 'd');
    let out = commit_all(&mut app);
    assert!(matches!(
        out[0].command,
        Command::Evaluate(Evaluate::Clear { .. })
    ));
    assert_eq!(value(&app, "p1", "ana", "REL"), None);
    // Abstain: a reason is asked (prefilled), Enter saves.
    press(&mut app, 'a');
    assert!(pane(&app).entry.is_some());
    key(&mut app, KeyCode::Enter);
    commit_all(&mut app);
    assert_eq!(value(&app, "p1", "ana", "REL"), Some(None));
    // Comment on the criterion.
    key(&mut app, KeyCode::Up);
    press(&mut app, 'c');
    typed(&mut app, "I work with the owner");
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(matches!(
        &out[0].command,
        Command::Evaluate(Evaluate::Comment { comment, .. }) if comment == "I work with the owner"
    ));
    let id = Score::key(&"sess".into(), &"p1".into(), "ana", "REL");
    let Some(Record::Score(s)) = app.replica.record(Kind::Score, id.as_str()) else {
        panic!("the score is in the replica")
    };
    assert_eq!(s.comment, "I work with the owner");
    assert!(s.abstain_reason.contains("conflict of interest"));
    // Undo sends Command::Undo with the seq of the last saved change.
    let last = app.replica.seq;
    press(&mut app, 'u');
    let out = app.take_outbox();
    assert!(matches!(out[0].command, Command::Undo { seq } if seq == last));
}

#[test]
fn number_entry_for_decimal_scales() {
    let mut app = app_with(|s| {
        s.criteria[0].scale = Scale {
            min: dec(0.0),
            max: dec(10.0),
            step: dec(0.1),
            points: vec![],
        };
    });
    press(&mut app, '7');
    assert!(app.take_outbox().is_empty(), "a digit starts the number");
    typed(&mut app, ".5");
    key(&mut app, KeyCode::Enter);
    commit_all(&mut app);
    assert_eq!(value(&app, "p1", "ana", "REL"), Some(Some(7.5)));
}

#[test]
fn a_facilitator_types_in_for_another_evaluator() {
    let mut app = app();
    press(&mut app, 'e');
    assert_eq!(pane(&app).evaluator, "bo");
    press(&mut app, '2');
    let out = commit_all(&mut app);
    assert_eq!(out[0].on_behalf_of.as_deref(), Some("bo"));
    assert_eq!(value(&app, "p1", "bo", "REL"), Some(Some(2.0)));
    assert_eq!(value(&app, "p1", "ana", "REL"), None);
    assert!(render(&mut app, 120, 40).contains("typing in for bo (proxy)"));
}

#[test]
fn scores_from_others_arrive_live_and_keep_the_place() {
    let mut app = app();
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Down);
    let place = (pane(&app).practice, pane(&app).criterion);
    let Some(Record::Session(s)) = app.replica.record(Kind::Session, "sess").cloned() else {
        panic!()
    };
    let score = taskforce::scoring::score(
        &s,
        &"p1".into(),
        "bo",
        "REL",
        taskforce::scoring::Mark::Value(dec(1.0)),
        "",
        Timestamp(0),
    );
    app.apply(&Committed {
        seq: 5,
        at: Timestamp(0),
        actor: Actor::user("bo".to_string()),
        summary: "bo scored".into(),
        changed: 1,
        changes: vec![Change {
            kind: Kind::Score,
            id: score.id.to_string(),
            row: Some(row(Record::from(score))),
        }],
    });
    assert_eq!((pane(&app).practice, pane(&app).criterion), place);
    press(&mut app, 'b');
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains(" 0/2"),
        "bo's partial score shows: {screen}"
    );
}

#[test]
fn the_board_shows_stats_and_the_disagreement_flag() {
    let mut app = app();
    press(&mut app, '1');
    press(&mut app, '1');
    commit_all(&mut app);
    press(&mut app, 'e');
    key(&mut app, KeyCode::Left);
    press(&mut app, '5');
    press(&mut app, '5');
    commit_all(&mut app);
    press(&mut app, 'b');
    press(&mut app, 'o');
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = render(&mut app, w, h);
        assert!(screen.contains("DISAGREE"), "{w}x{h}: {screen}");
        assert!(screen.contains("Board (by score)"), "{screen}");
        assert!(screen.contains("3.00"), "mean of 1 and 5: {screen}");
        assert!(screen.contains("1:# 2: 3: 4: 5:#"), "histogram: {screen}");
    }
    let small = render(&mut app, 40, 12);
    assert!(small.contains("Board"), "{small}");
}

fn render(app: &mut App, width: u16, height: u16) -> String {
    tui_support::drawn(app, width, height)
}

#[test]
fn the_pane_shows_the_card_the_criteria_with_hints_and_progress() {
    let mut app = app();
    press(&mut app, '4');
    commit_all(&mut app);
    let big = render(&mut app, 120, 40);
    for text in [
        "Export vouchers",
        "Slovene Enterprise Fund",
        "Evidence of success",
        "120 SMEs exported",
        "Transfer potential",
        "Relevance (1–5)",
        "Impact (1–5)",
        "1 weak · 5 excellent",
        "Practice 1/2: 1/2 criteria",
        "session 0/2 practices",
    ] {
        assert!(big.contains(text), "120x40 lacks {text}: {big}");
    }
    let mid = render(&mut app, 80, 24);
    assert!(
        line_of(&mid, "IMP").contains("Impact") && mid.contains("1 weak"),
        "{mid}"
    );
    let small = render(&mut app, 40, 12);
    assert!(small.contains("Export vouchers"), "{small}");
    assert!(small.contains("IMP"), "{small}");
    assert!(small.contains("score"), "hints: {small}");
}

#[test]
fn decisions_are_recorded_from_the_board_in_the_consensus_stage() {
    let mut app = app();
    // Both evaluators score p1 (ana, then ana typing in bo's paper form).
    press(&mut app, '4');
    press(&mut app, '4');
    press(&mut app, 'e');
    press(&mut app, 'h');
    press(&mut app, '4');
    press(&mut app, '5');
    commit_all(&mut app);
    press(&mut app, 'b');
    press(&mut app, 'V');
    assert!(
        app.take_outbox().is_empty(),
        "not in consensus: nothing sent"
    );
    assert!(app.message().unwrap().text.contains("consensus stage"));
    press(&mut app, 'm');
    press(&mut app, 'y');
    let out = commit_all(&mut app);
    assert!(matches!(
        &out[0].command,
        Command::Evaluate(Evaluate::Move {
            from: SessionState::Open,
            to: SessionState::Consensus,
            ..
        })
    ));
    assert_eq!(session(&app).state, SessionState::Consensus);
    // The board opens on the practice last scored; p1 is the one fully scored.
    press(&mut app, 'k');
    press(&mut app, 'k');
    press(&mut app, 'V');
    press(&mut app, 'y');
    let out = commit_all(&mut app);
    assert!(matches!(
        &out[0].command,
        Command::Evaluate(Evaluate::Decide {
            decision: Decision::Validated,
            seen: None,
            ..
        })
    ));
    let Some(Record::Practice(p)) = app.replica.record(Kind::Practice, "p1") else {
        panic!()
    };
    assert_eq!(p.status, PracticeStatus::Validated, "{:?}", app.message());
    let change = p.history.last().unwrap();
    assert_eq!(change.by, "ana");
    assert_eq!(change.session.as_ref().map(|s| s.as_str()), Some("sess"));
}

#[test]
fn a_comment_on_the_practice_as_a_whole_is_saved_shown_and_removed() {
    let mut app = app();
    press(&mut app, 'C');
    typed(&mut app, "Strong regional ownership");
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(matches!(
        &out[0].command,
        Command::Evaluate(Evaluate::Comment { criterion, .. }) if criterion == Score::PRACTICE_COMMENT
    ));
    let id = Score::key(&"sess".into(), &"p1".into(), "ana", Score::PRACTICE_COMMENT);
    let Some(Record::Score(s)) = app.replica.record(Kind::Score, id.as_str()) else {
        panic!("the comment is in the replica")
    };
    assert_eq!(s.value, None);
    assert_eq!(s.comment, "Strong regional ownership");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Your comment: Strong regional ownership"),
        "{screen}"
    );
    // The practice's progress does not count the comment as a criterion.
    assert_eq!(scoring::scored(&app.replica, &session(&app), "ana", 0), 0);
    // The board lists it under the practice.
    press(&mut app, 'b');
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("ana on the practice: Strong regional ownership"),
        "{screen}"
    );
    press(&mut app, 'b');
    // Reopened with the saved text; emptied, it is removed.
    press(&mut app, 'C');
    assert_eq!(
        pane(&app).entry.as_ref().unwrap().text,
        "Strong regional ownership"
    );
    for _ in 0.."Strong regional ownership".len() {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Comment { comment, .. }) if comment.is_empty()),
        "{out:?}"
    );
    assert!(app.replica.record(Kind::Score, id.as_str()).is_none());
    assert!(!render(&mut app, 120, 40).contains("Your comment"));
}

fn session(app: &App) -> EvaluationSession {
    match app.replica.record(Kind::Session, "sess") {
        Some(Record::Session(s)) => (**s).clone(),
        _ => panic!("no session"),
    }
}

#[test]
fn the_consensus_value_overrides_the_mean_only_with_a_comment_and_goes_with_the_decision() {
    let mut app = app();
    press(&mut app, '4');
    press(&mut app, '2');
    commit_all(&mut app);
    press(&mut app, 'b');
    press(&mut app, 'k');
    // Not before the consensus stage.
    press(&mut app, 'v');
    assert!(pane(&app).entry.is_none());
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("moves it to consensus")
    );
    press(&mut app, 'm');
    press(&mut app, 'y');
    commit_all(&mut app);
    // Off the scale: refused with the scale.
    press(&mut app, 'v');
    typed(&mut app, "7");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("outside the criteria's scales, 1 to 5"),
        "{:?}",
        app.message()
    );
    // A value without a reason is refused.
    press(&mut app, 'v');
    typed(&mut app, "4,5");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(pane(&app).agreed.is_none());
    assert!(app.message().unwrap().text.contains("needs a comment"));
    // With one, it is shown on the board and sent with the decision.
    press(&mut app, 'v');
    typed(&mut app, "4.5");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "the site visit showed more impact");
    key(&mut app, KeyCode::Enter);
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Agreed 4.5 instead of the mean 3.00"),
        "{screen}"
    );
    // bo has not scored: the reason for deciding without full scores is asked, the agreed
    // value's comment offered.
    press(&mut app, 'V');
    assert_eq!(
        entry_text(&app).as_deref(),
        Some("the site visit showed more impact")
    );
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Decide { value: Some(v), .. }) if *v == dec(4.5)),
        "{out:?}"
    );
    let s = session(&app);
    let entry = s
        .consensus
        .iter()
        .find(|e| e.practice.as_str() == "p1")
        .unwrap();
    assert_eq!(entry.value, Some(dec(4.5)));
    assert_eq!(entry.comment, "the site visit showed more impact");
    assert_eq!(entry.decision, Some(Decision::Validated));
    assert!(pane(&app).agreed.is_none());
}

fn ctrl(app: &mut App, c: char) {
    handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn entry_text(app: &App) -> Option<String> {
    pane(app).entry.as_ref().map(|e| e.text.clone())
}

/// The screen's line that holds `text` (the first one).
fn line_of(screen: &str, text: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{screen}"))
        .to_string()
}

#[test]
fn a_typed_score_off_the_scale_keeps_the_cursor_and_the_entry() {
    let mut app = app();
    // Enter, 4.5, Enter on a 1–5 integer scale.
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "4.5");
    key(&mut app, KeyCode::Enter);
    assert!(app.take_outbox().is_empty(), "nothing is sent");
    assert_eq!(pane(&app).criterion, 0, "the cursor stays on REL");
    assert_eq!(entry_text(&app).as_deref(), Some("4.5"), "the entry stays");
    let m = app.message().unwrap();
    assert!(m.text.contains("steps of 1"), "{m:?}");
    // Ctrl-u clears the line; 6 is off the scale.
    ctrl(&mut app, 'u');
    assert_eq!(entry_text(&app).as_deref(), Some(""));
    typed(&mut app, "6");
    key(&mut app, KeyCode::Enter);
    assert!(app.take_outbox().is_empty());
    assert_eq!(pane(&app).criterion, 0);
    assert_eq!(entry_text(&app).as_deref(), Some("6"));
    assert!(app.message().unwrap().text.contains("1 to 5"));
    // Cancelled, the next digit scores the criterion the cursor stayed on.
    key(&mut app, KeyCode::Esc);
    press(&mut app, '3');
    commit_all(&mut app);
    assert_eq!(value(&app, "p1", "ana", "REL"), Some(Some(3.0)));
    assert_eq!(value(&app, "p1", "ana", "IMP"), None);
}

#[test]
fn a_score_the_store_refuses_brings_the_cursor_back_and_shows_on_its_criterion() {
    let mut app = app();
    // Someone moves the session on behind this workbench's back.
    app.backend
        .submit_for(
            Command::Evaluate(Evaluate::Move {
                session: "sess".into(),
                from: SessionState::Open,
                to: SessionState::Consensus,
                reason: String::new(),
            }),
            None,
        )
        .unwrap();
    press(&mut app, '3');
    assert_eq!(pane(&app).criterion, 1, "moved on at once");
    commit_all(&mut app);
    assert_eq!(value(&app, "p1", "ana", "REL"), None);
    assert_eq!(
        (pane(&app).practice, pane(&app).criterion),
        (0, 0),
        "back on the criterion the store refused"
    );
    let m = app.message().unwrap();
    assert!(
        m.text.contains("Not saved") && m.text.contains("REL"),
        "{m:?}"
    );
    let screen = render(&mut app, 120, 40);
    let rel = line_of(&screen, "REL");
    let below = screen
        .lines()
        .skip_while(|l| !l.contains("REL"))
        .take(3)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        below.contains("not saved") && below.contains("only while it is open"),
        "{rel}\n{below}"
    );
}

#[test]
fn abstaining_offers_the_usual_reasons_and_a_free_one() {
    let mut app = app();
    press(&mut app, 'a');
    assert_eq!(
        entry_text(&app).as_deref(),
        Some(""),
        "nothing typed for you"
    );
    let screen = render(&mut app, 120, 40);
    for reason in [
        "1 conflict of interest",
        "2 not present when it was presented",
        "3 outside my expertise",
    ] {
        assert!(screen.contains(reason), "{screen}");
    }
    // A digit picks a reason and saves.
    press(&mut app, '2');
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Score { mark: taskforce::scoring::Mark::Abstain(r), .. }) if r == "not present when it was presented"),
        "{out:?}"
    );
    assert_eq!(value(&app, "p1", "ana", "REL"), Some(None));
    assert_eq!(pane(&app).criterion, 1);
    // A free reason is typed into the empty line; Ctrl-u clears it.
    press(&mut app, 'a');
    typed(&mut app, "my sister");
    ctrl(&mut app, 'u');
    assert_eq!(entry_text(&app).as_deref(), Some(""));
    typed(&mut app, "I advised the owner");
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Score { mark: taskforce::scoring::Mark::Abstain(r), .. }) if r == "I advised the owner"),
        "{out:?}"
    );
    // Arrows choose among the usual reasons, Enter saves the one chosen.
    assert_eq!(pane(&app).practice, 1);
    press(&mut app, 'a');
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Score { mark: taskforce::scoring::Mark::Abstain(r), .. }) if r == "outside my expertise"),
        "{out:?}"
    );
}

#[test]
fn the_board_shows_mean_median_final_and_decision_rounded_as_the_cli() {
    // REL weighs 3, IMP 1: ana's total is 4.00, bo's 4.25; the mean and the median are 4.125.
    let mut app = app_with(|s| s.criteria[0].weight = Percent::from_f64(3.0).unwrap());
    press(&mut app, '4');
    press(&mut app, '4');
    press(&mut app, 'e');
    press(&mut app, 'h');
    press(&mut app, '4');
    press(&mut app, '5');
    commit_all(&mut app);
    press(&mut app, 'b');
    press(&mut app, 'm');
    press(&mut app, 'y');
    commit_all(&mut app);
    assert_eq!(session(&app).state, SessionState::Consensus);
    press(&mut app, 'g');
    press(&mut app, 'v');
    typed(&mut app, "4.5");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "the site visit");
    key(&mut app, KeyCode::Enter);
    press(&mut app, 'V');
    press(&mut app, 'y');
    commit_all(&mut app);
    let board = taskforce::scoring::board_of(&app.replica, &session(&app));
    let cli = taskforce::io::results::board_table(&board);
    let cli_row = line_of(&cli, "p1");
    for cell in ["4.12", "4.50", "validated"] {
        assert!(cli_row.contains(cell), "the CLI: {cli}");
    }
    let screen = render(&mut app, 120, 40);
    let header = line_of(&screen, "Median");
    for column in ["Rk", "Practice", "Mean", "Median", "Final", "Decision"] {
        assert!(header.contains(column), "{header}");
    }
    let row = line_of(&screen, "Export vouchers");
    assert_eq!(row.matches("4.12").count(), 2, "mean and median: {row}");
    assert!(row.contains("4.50") && row.contains("validated"), "{row}");
    assert!(!row.contains("4.1 "), "{row}");
}

#[test]
fn the_header_says_whose_paper_form_and_the_state_and_a_score_stays_on_its_line_at_80_columns() {
    let mut app = app_with(|s| {
        s.title = "Example session: TRAM evaluation at the 2nd ITF meeting (example scores, not real ones)".into();
        s.criteria[0].label = "Relevance to the regional policy instrument addressed".into();
    });
    press(&mut app, 'e');
    press(&mut app, '4');
    commit_all(&mut app);
    key(&mut app, KeyCode::Up);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&mut app, w, h);
        assert!(screen.contains("typing in for bo"), "{w}x{h}: {screen}");
        assert!(screen.contains("[open]"), "{w}x{h}: {screen}");
        let rel = line_of(&screen, "REL");
        let after = &rel[rel.find("REL").unwrap()..];
        assert!(
            after.contains(" 4 "),
            "{w}x{h}: the score on REL's line: {screen}"
        );
    }
}

#[test]
fn a_criterion_comment_is_readable_under_its_criterion() {
    let mut app = app();
    press(&mut app, '4');
    commit_all(&mut app);
    key(&mut app, KeyCode::Up);
    press(&mut app, 'c');
    typed(&mut app, "the owner was my employer");
    key(&mut app, KeyCode::Enter);
    commit_all(&mut app);
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = render(&mut app, w, h);
        assert!(screen.contains("the owner was my"), "{w}x{h}: {screen}");
        assert!(!screen.contains("[c]"), "{w}x{h}: {screen}");
    }
}

#[test]
fn moving_the_session_and_deciding_ask_first_and_act_on_y() {
    let mut app = app();
    press(&mut app, '4');
    press(&mut app, '4');
    commit_all(&mut app);
    press(&mut app, 'b');
    assert_eq!(app.context(), taskforce::tui::Context::Board);
    press(&mut app, 'm');
    assert!(app.take_outbox().is_empty(), "nothing before y");
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("move to consensus: scores lock; 2 of 2 practices incomplete"),
        "{screen}"
    );
    // Any other key cancels.
    press(&mut app, 'x');
    assert!(app.take_outbox().is_empty());
    assert!(!render(&mut app, 120, 40).contains("scores lock"));
    assert_eq!(session(&app).state, SessionState::Open);
    press(&mut app, 'm');
    press(&mut app, 'y');
    commit_all(&mut app);
    assert_eq!(session(&app).state, SessionState::Consensus);
    // Validating without complete scores asks for the reason in the same confirmation.
    press(&mut app, 'g');
    press(&mut app, 'V');
    assert!(app.take_outbox().is_empty());
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("validate 'Export vouchers'")
            && screen.contains("1 of 2 evaluations complete"),
        "{screen}"
    );
    assert!(screen.contains("give the reason"), "{screen}");
    key(&mut app, KeyCode::Enter);
    assert!(app.take_outbox().is_empty(), "not without a reason");
    typed(&mut app, "bo was absent; the room agreed");
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Decide { decision: Decision::Validated, comment, .. }) if comment == "bo was absent; the room agreed"),
        "{out:?}"
    );
    let Some(Record::Practice(p)) = app.replica.record(Kind::Practice, "p1") else {
        panic!()
    };
    assert_eq!(p.status, PracticeStatus::Validated, "{:?}", app.message());
    // Deferring asks too, and acts on y.
    press(&mut app, 'j');
    press(&mut app, 'D');
    assert!(app.take_outbox().is_empty());
    assert!(render(&mut app, 120, 40).contains("defer 'Trade mission club'"));
    press(&mut app, 'y');
    let out = commit_all(&mut app);
    assert!(matches!(
        &out[0].command,
        Command::Evaluate(Evaluate::Decide {
            decision: Decision::Deferred,
            ..
        })
    ));
    // Closing with undecided or incomplete practices lists them and needs a reason.
    press(&mut app, 'm');
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("Trade mission club") && screen.contains("undecided"),
        "{screen}"
    );
    assert!(app.take_outbox().is_empty());
    typed(&mut app, "p2 goes to the next meeting");
    key(&mut app, KeyCode::Enter);
    let out = commit_all(&mut app);
    assert!(
        matches!(&out[0].command, Command::Evaluate(Evaluate::Move { to: SessionState::Closed, reason, .. }) if reason == "p2 goes to the next meeting"),
        "{out:?}"
    );
    assert_eq!(session(&app).state, SessionState::Closed);
}

/// Both practices fully scored; p1 fails the pass mark and is validated all the same.
fn decided_board() -> Scoring {
    let mut app = app_titled(
        [
            "Small-scale incentives for SMEs: export vouchers",
            "Trade mission club of the Podravje chamber of commerce",
        ],
        |_| {},
    );
    for d in ['1', '2', '5', '4'] {
        press(&mut app, d);
    }
    press(&mut app, 'e');
    press(&mut app, 'h');
    for d in ['2', '1', '4', '4'] {
        press(&mut app, d);
    }
    commit_all(&mut app);
    press(&mut app, 'b');
    press(&mut app, 'm');
    press(&mut app, 'y');
    commit_all(&mut app);
    press(&mut app, 'g');
    press(&mut app, 'V');
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("is below the pass mark")
            && screen.contains("give the reason for the override"),
        "{screen}"
    );
    typed(&mut app, "the jury saw the 2019 results");
    key(&mut app, KeyCode::Enter);
    commit_all(&mut app);
    press(&mut app, 'j');
    press(&mut app, 'V');
    press(&mut app, 'y');
    commit_all(&mut app);
    press(&mut app, 'g');
    app
}

#[test]
fn the_board_uses_the_width_and_shows_decisions_and_overrides_at_120x40() {
    let mut app = decided_board();
    let screen = render(&mut app, 120, 40);
    let p1 = line_of(&screen, "Small-scale incentives for SMEs: export vouchers");
    assert!(p1.contains("validated*") && p1.contains("FAIL"), "{p1}");
    let p2 = line_of(
        &screen,
        "Trade mission club of the Podravje chamber of commerce",
    );
    assert!(
        p2.contains("validated") && !p2.contains("validated*"),
        "{p2}"
    );
    assert!(p2.contains("pass"), "{p2}");
    assert!(
        p2.trim_start().starts_with('1') || p2.contains(" 1 "),
        "p2 ranks first: {p2}"
    );
    // The override and its reason, under the board.
    assert!(screen.contains("the jury saw the 2019 results"), "{screen}");
    assert!(screen.contains("override"), "{screen}");
    // The board's keys in the footer, not the scoring keys.
    let hints = screen.lines().nth(39).unwrap();
    assert!(
        hints.contains("decide") && !hints.contains("score"),
        "{hints}"
    );
}

#[test]
fn the_board_at_80x24_keeps_titles_readable_and_the_decision_column() {
    let mut app = decided_board();
    let screen = render(&mut app, 80, 24);
    let p1 = line_of(&screen, "Small-scale incentives for");
    assert!(p1.contains("validated*"), "{screen}");
    let p2 = line_of(&screen, "Trade mission club of the");
    assert!(p2.contains("validated"), "{screen}");
    assert!(screen.contains("the jury saw"), "{screen}");
    for l in screen.lines() {
        assert!(l.chars().count() <= 80);
    }
}

#[test]
fn an_incomplete_practice_ranks_after_complete_ones_and_has_no_verdict() {
    let mut app = app();
    // ana scores p1 high; bo never does. Both score p2.
    press(&mut app, '5');
    press(&mut app, '5');
    press(&mut app, '3');
    press(&mut app, '3');
    press(&mut app, 'e');
    press(&mut app, '3');
    press(&mut app, '4');
    commit_all(&mut app);
    press(&mut app, 'b');
    press(&mut app, 'o');
    let screen = render(&mut app, 120, 40);
    let p1 = line_of(&screen, "Export vouchers");
    let p2 = line_of(&screen, "Trade mission club");
    assert!(
        screen.find("Trade mission club").unwrap() < screen.find("Export vouchers").unwrap(),
        "{screen}"
    );
    assert!(p2.contains("pass"), "{p2}");
    assert!(!p1.contains("pass") && !p1.contains("FAIL"), "{p1}");
}

#[test]
fn the_board_has_its_own_keys_in_the_hints_and_the_help() {
    let board = taskforce::tui::ui::hint_text(taskforce::tui::Context::Board, true);
    assert!(
        board.contains("V/R/D decide") && !board.contains("score"),
        "{board}"
    );
    let scoring = taskforce::tui::ui::hint_text(taskforce::tui::Context::Scoring, true);
    assert!(
        !scoring.contains("decide") && scoring.contains("score"),
        "{scoring}"
    );
}

#[test]
fn scores_still_saving_count_as_in_when_moving_to_the_next_practice() {
    let mut app = app();
    // Typed faster than the store answers: p1's scores are still pending when p2 is done.
    for d in ['1', '2', '5', '4'] {
        press(&mut app, d);
    }
    assert_eq!(pane(&app).pending.len(), 4);
    assert_eq!(
        pane(&app).practice,
        1,
        "not back to p1, whose scores are saving"
    );
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("Every practice is scored"),
        "{:?}",
        app.message()
    );
}

/// One undo for every change made here: a score saved in the pane is undone with `u` from the
/// lists too (once the pane is closed), and in the pane `u` undoes only the pane's own changes
/// for the evaluator typed for.
#[test]
fn one_undo_for_scores_and_the_lists() {
    let mut app = app();
    press(&mut app, '4');
    commit_all(&mut app);
    let scored = app.replica.seq;
    assert_eq!(value(&app, "p1", "ana", "REL"), Some(Some(4.0)));
    // Typing in for bo: none of bo's scores was changed here.
    press(&mut app, 'e');
    assert_eq!(pane(&app).evaluator, "bo");
    press(&mut app, 'u');
    assert!(
        app.take_outbox().is_empty(),
        "undid ana's score while typing for bo"
    );
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("Nothing to undo in this pane"),
        "{:?}",
        app.message()
    );
    press(&mut app, 'e');
    // The pane closed, u in the lists undoes the score.
    press(&mut app, 'q');
    assert!(app.scoring.is_none());
    assert_eq!(app.context(), taskforce::tui::Context::Main);
    assert!(app.applicable(taskforce::tui::Action::Undo));
    press(&mut app, 'u');
    let out = commit_all(&mut app);
    assert!(
        matches!(out.as_slice(), [o] if matches!(o.command, Command::Undo { seq } if seq == scored)),
        "{out:?}"
    );
    assert_eq!(value(&app, "p1", "ana", "REL"), None);
    assert!(
        app.message().unwrap().text.starts_with("Undone"),
        "{:?}",
        app.message()
    );
    // Nothing left to undo.
    assert!(!app.applicable(taskforce::tui::Action::Undo));
}
