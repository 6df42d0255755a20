//! The keymap walked over every context: each context can be reached as a person reaches it,
//! every key of every row of that context does something there (typing modes included: the
//! "letters" rows type), keys of no row do nothing (but where any key answers a question), the
//! status bar's hints and the help come from the same rows, and every action has a row.

mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use taskforce::model::*;
use taskforce::tui::keymap::{ANY_CHAR, KEYMAP, hints, hints_where};
use taskforce::tui::{Action, App, Context, handle_key, render, ui};

/// The bundled records, as the example session's first evaluator sees them.
fn app() -> App {
    let replica = Replica::from_rows(
        taskforce::fixtures::dataset()
            .into_records()
            .into_iter()
            .map(|(_, record)| Row {
                rev: 1,
                at: Timestamp(0),
                by: "test".into(),
                record,
            }),
    );
    let mut app = App::new(replica, "example-evaluator-1", "db", tui_support::options());
    app.today = tui_support::d("2020-01-15");
    app
}

fn press(app: &mut App, code: KeyCode) -> bool {
    handle_key(app, KeyEvent::new(code, KeyModifiers::NONE))
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn draw_at(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(f, app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A new practice form with the focus on the first field that is `input`'s kind.
fn form_on(app: &mut App, which: fn(&taskforce::tui::forms::Input) -> bool) {
    tui_support::open_kind(app, Kind::Practice);
    keys(app, "n");
    let form = app.forms.form.as_mut().expect("a form");
    form.focus = form
        .fields
        .iter()
        .position(|f| which(&f.input))
        .expect("such a field");
}

/// An app in `context`, reached with the keys a person presses (or, for what the event loop
/// brings, the loop's own calls).
fn enter(context: Context) -> App {
    use taskforce::tui::forms::Input;
    let mut app = app();
    draw_at(&mut app, 120, 40);
    match context {
        Context::Main => {}
        Context::Popup => {
            tui_support::open_kind(&mut app, Kind::Practice);
            keys(&mut app, "f");
        }
        Context::Help => keys(&mut app, "?"),
        Context::TooSmall => {
            draw_at(&mut app, 20, 5);
        }
        Context::Scoring => app.open_scoring("example-session"),
        Context::Board => {
            app.open_scoring("example-session");
            keys(&mut app, "b");
        }
        Context::Quit => {
            press(&mut app, KeyCode::Esc);
        }
        Context::Confirm => {
            tui_support::open_kind(&mut app, Kind::Practice);
            keys(&mut app, "d");
        }
        Context::Entry => {
            app.open_scoring("example-session");
            keys(&mut app, "=");
        }
        Context::Form => form_on(&mut app, |i| matches!(i, Input::Text { .. })),
        Context::FormChoice => form_on(&mut app, |i| matches!(i, Input::Choice { .. })),
        Context::FormReference => form_on(&mut app, |i| matches!(i, Input::Ref { .. })),
        Context::FormSave => {
            form_on(&mut app, |_| true);
            let form = app.forms.form.as_mut().unwrap();
            form.focus = form.fields.len();
        }
        Context::Picker => {
            form_on(&mut app, |i| matches!(i, Input::Ref { .. }));
            press(&mut app, KeyCode::Enter);
        }
        Context::Search => keys(&mut app, "/"),
        Context::SearchList => {
            keys(&mut app, "/mar");
            press(&mut app, KeyCode::Tab);
        }
        Context::Narrow => {
            tui_support::open_kind(&mut app, Kind::Practice);
            keys(&mut app, "F");
        }
        Context::Path => {
            tui_support::open_kind(&mut app, Kind::Meeting);
            keys(&mut app, "w");
        }
        Context::History => {
            tui_support::open_kind(&mut app, Kind::Practice);
            keys(&mut app, "h");
            let (kind, id) = app.forms.take_history_request().expect("asked");
            app.on_history(kind, id, Ok(Vec::new()));
        }
    }
    assert_eq!(app.context(), context, "could not reach {context:?}");
    app
}

fn event(k: &taskforce::tui::keymap::Key) -> KeyEvent {
    if k.code == KeyCode::Null {
        // "letters": a letter no row of these contexts takes.
        return KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    }
    KeyEvent::new(k.code, k.modifiers)
}

#[test]
fn every_key_of_every_context_does_something_there_and_others_do_nothing() {
    for &context in Context::ALL {
        let rows: Vec<_> = KEYMAP
            .iter()
            .filter(|b| b.contexts.contains(&context))
            .collect();
        assert!(!rows.is_empty(), "{context:?} has no keys");
        for b in &rows {
            for k in b.keys {
                if b.action == Action::Suspend {
                    continue; // it stops the process in a terminal
                }
                let mut app = enter(context);
                let key = event(k);
                assert!(
                    handle_key(&mut app, key),
                    "{context:?}: {k:?} ({:?}: {}) did nothing",
                    b.action,
                    b.help
                );
                // The screen can still be drawn after it, at every size.
                for (w, h) in [(120, 40), (80, 24), (40, 12)] {
                    draw_at(&mut app, w, h);
                }
            }
        }
        // A key of no row does nothing, except where any key answers a question.
        let mut app = enter(context);
        let stray = handle_key(&mut app, KeyEvent::new(KeyCode::F(9), KeyModifiers::NONE));
        assert_eq!(
            stray,
            matches!(context, Context::Confirm | Context::Quit),
            "{context:?}: F9"
        );
    }
}

#[test]
fn every_context_shows_its_hints_from_the_table_and_help_lists_every_row() {
    for &context in Context::ALL {
        let mut app = enter(context);
        let h = hints_where(context, false, |a| app.applicable(a));
        assert!(
            !hints(context, false).is_empty(),
            "{context:?} has no hints"
        );
        // What the status bar says comes from rows of this context only.
        for (keys, word) in &h {
            assert!(
                KEYMAP.iter().any(|b| b.contexts.contains(&context)
                    && b.hint == Some(*word)
                    && keys.split('/').next().is_some_and(|first| {
                        taskforce::tui::keymap::keys_label(b, false).starts_with(first)
                    })),
                "{context:?}: hint {keys} {word} is no row"
            );
        }
        if context != Context::TooSmall {
            let screen = draw_at(&mut app, 120, 40);
            let bar = screen.lines().last().unwrap();
            for (keys, word) in h.iter().take(3) {
                assert!(
                    bar.contains(&format!("{keys} {word}")),
                    "{context:?}: {keys} {word} not in {bar:?}"
                );
            }
            // A form's footer shows only where a form is.
            let form = matches!(
                context,
                Context::Form | Context::FormChoice | Context::FormReference | Context::FormSave
            );
            assert_eq!(
                bar.contains("save"),
                form || context == Context::Entry,
                "{bar}"
            );
        }
    }
    let app = app();
    let help = ui::help_lines(&app);
    for b in KEYMAP {
        assert!(
            help.iter().any(|(_, h)| h == b.help),
            "{:?} is not in the help",
            b.action
        );
    }
}

#[test]
fn every_action_has_a_row() {
    use Action::*;
    let all = [
        Down,
        Up,
        PageDown,
        PageUp,
        Top,
        Bottom,
        NextPane,
        PrevPane,
        Open,
        Back,
        Help,
        Close,
        Quit,
        Filter,
        Sort,
        ClearFilters,
        Project,
        Suspend,
        OpenScoring,
        ScoreDigit,
        ScoreNumber,
        ScoreClear,
        ScoreAbstain,
        ScoreComment,
        PracticeComment,
        ScoreProxy,
        ScoreBoard,
        NextPractice,
        PrevPractice,
        NextUnscored,
        SessionForward,
        SessionBack,
        ConsensusValue,
        DecideValidated,
        DecideRejected,
        DecideDeferred,
        Confirm,
        ClearLine,
        New,
        Edit,
        Delete,
        Undo,
        History,
        Save,
        Search,
        Narrow,
        Pick,
        Tick,
        WriteDocument,
        Messages,
        Type,
        CursorLeft,
        CursorRight,
        LineStart,
        LineEnd,
        DeleteBack,
        DeleteForward,
        DeleteWord,
        ClearToEnd,
        ChoicePrev,
        ChoiceNext,
        ClearRef,
    ];
    for a in all {
        assert!(KEYMAP.iter().any(|b| b.action == a), "{a:?} has no key");
    }
    // The "letters" rows are the typing contexts', and only theirs.
    for b in KEYMAP.iter().filter(|b| b.keys.contains(&ANY_CHAR)) {
        assert_eq!(b.action, Action::Type, "{b:?}");
    }
}

#[test]
fn the_same_editing_keys_work_wherever_a_line_is_typed() {
    for context in [
        Context::Search,
        Context::Narrow,
        Context::Path,
        Context::Picker,
        Context::Entry,
        Context::Form,
    ] {
        let mut app = enter(context);
        // Clear what is there, type, move, delete a word, go home, delete forward.
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL),
        );
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        keys(&mut app, "ab cd");
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
        );
        // Ctrl-a goes to the start as Home does (readline's key; screen users have Home).
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL),
        );
        press(&mut app, KeyCode::Delete);
        press(&mut app, KeyCode::End);
        keys(&mut app, "é");
        press(&mut app, KeyCode::Left);
        press(&mut app, KeyCode::Backspace);
        assert_eq!(line_of(&app, context), "bé", "{context:?}");
        press(&mut app, KeyCode::Home);
        keys(&mut app, "z");
        assert_eq!(line_of(&app, context), "zbé", "{context:?}");
    }
}

fn line_of(app: &App, context: Context) -> String {
    use taskforce::tui::forms::Input;
    match context {
        Context::Search => app.search.line.text.clone(),
        Context::Narrow => app
            .search
            .narrowing
            .as_ref()
            .map(|n| n.1.text.clone())
            .unwrap(),
        Context::Path => app.documents.prompt.as_ref().unwrap().line.text.clone(),
        Context::Picker => app
            .forms
            .form
            .as_ref()
            .unwrap()
            .picker
            .as_ref()
            .unwrap()
            .query
            .text
            .clone(),
        Context::Entry => app
            .scoring
            .as_ref()
            .unwrap()
            .entry
            .as_ref()
            .unwrap()
            .text
            .clone(),
        Context::Form => {
            let form = app.forms.form.as_ref().unwrap();
            match &form.fields[form.focus].input {
                Input::Text { value, .. } => value.clone(),
                other => panic!("{other:?}"),
            }
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_popup_and_mode_draws_with_its_hints_at_three_sizes() {
    for &context in Context::ALL {
        if context == Context::TooSmall {
            continue;
        }
        for (w, h) in [(120, 40), (80, 24), (40, 12)] {
            let mut app = enter(context);
            let screen = draw_at(&mut app, w, h);
            assert_eq!(app.context(), context, "{context:?} at {w}x{h}");
            let bar = screen.lines().last().unwrap();
            let hints = hints_where(context, false, |a| app.applicable(a));
            assert!(
                hints
                    .iter()
                    .any(|(keys, word)| bar.contains(&format!("{keys} {word}"))),
                "{context:?} at {w}x{h}: no hint of its own in {bar:?}\n{screen}"
            );
            // Nothing of another context's: a form's save only where a form (or a line) is.
            let saves = hints.iter().any(|(_, word)| *word == "save");
            assert!(saves || !bar.contains(" save"), "{context:?}: {bar:?}");
        }
    }
}
