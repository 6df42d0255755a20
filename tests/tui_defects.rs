//! The workbench's defects of issue 21, each reproduced on the state alone (and, where the
//! screen is the defect, drawn with `TestBackend`): nothing unsaved is discarded without asking,
//! every popup shows its own hints, messages are read in full and name records by title, a new
//! voucher saves with a blank id and picks its type from the scheme's, a saved new record is
//! selected, and a funnel drill-down leaves no filter behind.

mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use taskforce::backend::{Backend, Local};
use taskforce::model::*;
use taskforce::store::Store;
use taskforce::tui::app::nav_targets;
use taskforce::tui::forms::Input;
use taskforce::tui::keymap::hints;
use taskforce::tui::{
    Action, App, Context, Level, Overview, Pane, Target, handle_key, render, update,
};
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

fn screen(app: &mut App, w: u16, h: u16) -> String {
    drawn(app, w, h)
}

fn last_line(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

/// A new practice form with something typed in its title.
fn changed_form(app: &mut App) {
    open_kind(app, Kind::Practice);
    keys(app, "n");
    let form = app.forms.form.as_mut().expect("a form");
    form.focus = form.fields.iter().position(|f| f.key == "title").unwrap();
    keys(app, "Unsaved idea");
    assert!(app.forms.form.as_ref().unwrap().changed());
}

#[test]
fn shrinking_below_the_minimum_during_a_form_then_q_keeps_the_form() {
    let mut app = app();
    changed_form(&mut app);
    screen(&mut app, 20, 5);
    assert_eq!(app.context(), Context::TooSmall);
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Esc);
    ctrl(&mut app, 'g');
    assert!(
        !app.should_quit(),
        "q on the small screen quit a changed form"
    );
    assert!(app.forms.form.is_some());
    let small = screen(&mut app, 20, 5);
    assert!(!small.contains("q to quit"), "{small}");
    screen(&mut app, 120, 40);
    assert_eq!(app.context(), Context::Form);
    assert_eq!(
        app.forms
            .form
            .as_ref()
            .unwrap()
            .field("title")
            .unwrap()
            .text(),
        "Unsaved idea"
    );
}

#[test]
fn ctrl_c_in_a_changed_form_asks_before_throwing_it_away() {
    let mut app = app();
    changed_form(&mut app);
    ctrl(&mut app, 'c');
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::Quit);
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::Form);
    ctrl(&mut app, 'c');
    press(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit());
}

/// The question before quitting is asked, and answered, on a screen too small for the panes:
/// it says `y` quits, and `y` does; any other key stays with the form kept.
#[test]
fn the_quit_question_on_a_screen_too_small_is_answered_there() {
    let mut app = app();
    changed_form(&mut app);
    screen(&mut app, 20, 5);
    assert_eq!(app.context(), Context::TooSmall);
    ctrl(&mut app, 'c');
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::Quit);
    let s = screen(&mut app, 30, 8);
    assert!(s.contains("y quits"), "{s}");
    // Any other key stays.
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::TooSmall);
    assert!(app.forms.form.as_ref().unwrap().changed());
    ctrl(&mut app, 'c');
    press(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit(), "y on the small screen did not quit");
}

/// Esc on a screen too small asks before quitting, as at the top level (seen in tmux at
/// 20x5: it quit at once); `q` quits.
#[test]
fn esc_on_a_screen_too_small_asks_and_q_quits() {
    let mut app = app();
    screen(&mut app, 20, 5);
    press(&mut app, KeyCode::Esc);
    assert!(!app.should_quit(), "Esc quit at once on the small screen");
    assert_eq!(app.context(), Context::Quit);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.context(), Context::TooSmall);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

/// The quit question has its own state, hints and help rows, like the other confirmations.
#[test]
fn the_quit_question_shows_its_own_hints_and_help() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    assert!(app.quitting.is_some());
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let s = screen(&mut app, w, h);
        assert!(s.contains("Quit taskforce?"), "{w}x{h}:\n{s}");
        let bar = last_line(&s);
        assert!(bar.contains("y yes"), "{w}x{h}: {bar}");
        assert!(!bar.contains("save"), "{w}x{h}: {bar}");
    }
    let help = taskforce::tui::ui::help_lines(&app);
    assert!(
        help.iter()
            .any(|(_, h)| h.contains("asked to confirm (quit")),
        "{help:?}"
    );
}

#[test]
fn the_question_before_discarding_a_form_is_seen_whatever_the_forms_scroll() {
    // An edit of a long record, its focus on a field near the top: the form's Save line (where
    // the question used to be) is below the screen at 80x24.
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let mut app = app();
        open_kind(&mut app, Kind::Practice);
        keys(&mut app, "e");
        let title = app
            .forms
            .form
            .as_ref()
            .unwrap()
            .field("title")
            .unwrap()
            .text();
        let form = app.forms.form.as_mut().unwrap();
        form.focus = form.fields.iter().position(|f| f.key == "title").unwrap();
        keys(&mut app, "x");
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.context(), Context::Confirm);
        let s = screen(&mut app, w, h);
        assert!(s.contains("Discard"), "{w}x{h}:\n{s}");
        assert!(s.contains("y discards"), "{w}x{h}:\n{s}");
        // The form names the record by its title, not its id.
        let shown = taskforce::model::text::sanitize(&title, false);
        let head: String = shown.chars().take(8).collect();
        assert!(s.contains(&head), "{w}x{h}: {head:?} not in\n{s}");
        press(&mut app, KeyCode::Char('n'));
        assert_eq!(app.context(), Context::Form);
        assert!(!screen(&mut app, w, h).contains("y discards"));
    }
}

#[test]
fn esc_at_the_top_level_asks_before_quitting_and_q_quits() {
    let mut app = app();
    press(&mut app, KeyCode::Esc);
    assert!(!app.should_quit(), "Esc quit at once");
    assert_eq!(app.context(), Context::Quit);
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::Main);
    ctrl(&mut app, 'g');
    press(&mut app, KeyCode::Char('y'));
    assert!(app.should_quit());
    let mut app = tui_support::app();
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn history_and_delete_confirmation_show_their_own_hints() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "d");
    assert_eq!(app.context(), Context::Confirm);
    let s = screen(&mut app, 80, 24);
    let hints = last_line(&s);
    assert!(!hints.contains("save"), "{hints}");
    assert!(hints.contains("y"), "{hints}");
    press(&mut app, KeyCode::Char('n'));
    keys(&mut app, "h");
    let selected = app.selected().unwrap();
    let request = app.forms.take_history_request().expect("asked for history");
    assert_eq!(request, selected);
    app.on_history(request.0, request.1, Ok(Vec::new()));
    assert_eq!(app.context(), Context::History);
    let s = screen(&mut app, 80, 24);
    let hints = last_line(&s);
    assert!(!hints.contains("save"), "{hints}");
    assert!(hints.contains("close"), "{hints}");
    press(&mut app, KeyCode::Char('q'));
    assert_eq!(app.context(), Context::Main);
    assert!(!app.should_quit());
}

#[test]
fn a_long_message_is_read_in_full_and_the_last_ones_can_be_shown_again() {
    let mut app = app();
    let long = "Not saved: the store refused the value: session 'example-session-intra-2020' \
                cannot be moved to consensus because two evaluators have not scored yet — \
                the reason is at the very end";
    app.say(Level::Error, long);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("very end"), "{s}");
    app.say(Level::Info, "Another message");
    update(&mut app, Action::Messages);
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("very end") && s.contains("Another message"),
        "{s}"
    );
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::Main);
}

#[test]
fn the_first_run_notice_fits_at_80_columns() {
    let mut app = app();
    app.say(
        Level::Info,
        "New database at /home/someone/.local/share/taskforce/db with the bundled INTRA and \
         InterVentures records; what the sources do not give is labelled \"Example\"",
    );
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("\"Example\""), "{s}");
}

#[test]
fn help_is_as_wide_as_the_screen_and_lists_each_key_once_a_section() {
    let mut app = app();
    press(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 120, 40);
    assert!(
        !s.lines().any(|l| l.contains("…┃")),
        "help cut at 120 columns:\n{s}"
    );
    let lines = taskforce::tui::ui::help_lines(&app);
    let mut sections = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (keys, help) in &lines {
        if help.is_empty() && !keys.is_empty() {
            assert!(!sections.contains(keys), "section {keys} twice");
            sections.push(keys.clone());
            seen.clear();
        } else if !keys.is_empty() {
            assert!(!seen.contains(keys), "{keys} twice in one section");
            seen.push(keys.clone());
        }
    }
}

#[test]
fn popups_show_the_hints_of_their_own_context() {
    for context in [Context::History, Context::Confirm, Context::Picker] {
        let h = hints(context, false);
        assert!(!h.iter().any(|(_, w)| *w == "save"), "{context:?}: {h:?}");
        assert!(!h.is_empty(), "{context:?} has no hints");
    }
}

// ----- forms over a store -----

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
    let mut backend = Local::loaded(store, Actor::user("ana")).unwrap();
    let (replica, _) = backend.snapshot().unwrap();
    let mut app = App::new(replica, "ana", "db", options());
    app.today = d("2020-01-15");
    Bench {
        _dir: dir,
        backend,
        app,
    }
}

fn set_text(app: &mut App, key: &str, text: &str) {
    let form = app.forms.form.as_mut().unwrap();
    let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
    f.input = Input::Text {
        value: text.into(),
        cursor: text.chars().count(),
        multiline: false,
    };
}

fn set_ref(app: &mut App, key: &str, id: &str) {
    let form = app.forms.form.as_mut().unwrap();
    let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
    let Input::Ref { kind, .. } = f.input.clone() else {
        panic!("{key} is not a reference")
    };
    f.input = Input::Ref {
        kind,
        value: Some(id.into()),
    };
}

#[test]
fn a_new_voucher_saves_with_a_blank_id_picks_its_type_and_is_selected() {
    let mut b = bench();
    open_kind(&mut b.app, Kind::Voucher);
    keys(&mut b.app, "n");
    set_ref(&mut b.app, "scheme", "si-vouchers");
    set_ref(&mut b.app, "sme", "sme-lesnina");
    set_text(&mut b.app, "service", "Stand at the Munich fair");
    set_text(&mut b.app, "eligible_cost", "2000");
    set_text(&mut b.app, "requested", "1000");
    // Moving between fields checks the form: the type's choices come from the scheme.
    press(&mut b.app, KeyCode::Tab);
    let form = b.app.forms.form.as_ref().unwrap();
    let Input::Choice { options, .. } = &form.field("voucher_type").unwrap().input else {
        panic!(
            "the voucher type is typed: {:?}",
            form.field("voucher_type")
        )
    };
    let codes: Vec<&str> = options.iter().map(|o| o.0.as_str()).collect();
    assert!(
        codes.contains(&"fairs") && codes.contains(&"research"),
        "{codes:?}"
    );
    let at = form
        .fields
        .iter()
        .position(|f| f.key == "voucher_type")
        .unwrap();
    b.app.forms.form.as_mut().unwrap().focus = at;
    while b
        .app
        .forms
        .form
        .as_ref()
        .unwrap()
        .field("voucher_type")
        .unwrap()
        .text()
        != "fairs – Joint presentations at fairs"
    {
        press(&mut b.app, KeyCode::Right);
    }
    let form = b.app.forms.form.as_ref().unwrap();
    assert!(
        form.fields.iter().all(|f| f.error.is_none()) && form.general.is_empty(),
        "{:?} {:?}",
        form.fields
            .iter()
            .filter_map(|f| f.error.clone())
            .collect::<Vec<_>>(),
        form.general
    );
    let id = form.id();
    assert!(!id.is_empty());
    // Through the loop's body, as the terminal runs it: the key, the save sent and answered,
    // the frame drawn.
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let save =
        crossterm::event::Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let drawn = taskforce::tui::step(&mut b.app, &mut b.backend, &mut terminal, [save], false);
    assert!(drawn.unwrap());
    let shown = format!("{:?}", terminal.backend().buffer());
    assert!(shown.contains("Saved voucher"), "{shown}");
    assert!(
        b.app.forms.form.is_none(),
        "not saved: {:?}",
        b.app.message()
    );
    assert_eq!(b.app.selected(), Some((Kind::Voucher, id.clone())));
    let text = &b.app.message().unwrap().text;
    assert!(text.contains("Stand at the Munich fair"), "{text}");
    assert!(!text.contains(&format!("'{id}'")), "{text}");
}

#[test]
fn a_funnel_drill_down_and_backspace_leave_no_filter_on_the_list() {
    let mut app = app();
    let funnel = nav_targets()
        .iter()
        .position(|t| *t == Target::Overview(Overview::Funnel))
        .unwrap();
    for _ in 0..funnel {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Pane::Detail);
    for _ in 0..200 {
        if app
            .selected_item()
            .is_some_and(|i| i.text().contains("validated"))
        {
            break;
        }
        update(&mut app, Action::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Practice));
    assert!(!app.filters(Kind::Practice).is_empty());
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.target(), Target::Overview(Overview::Funnel));
    open_kind(&mut app, Kind::Practice);
    assert!(
        app.filters(Kind::Practice).is_empty(),
        "{:?}",
        app.filters(Kind::Practice)
    );
}

// ----- lists at 80×24, over the bundled records -----

fn bundled_app() -> App {
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
    App::new(replica, "ana", "db", options())
}

/// The list pane's rows (between its header and its bottom border), at 80×24.
fn list_rows(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| l.contains('┃'))
        .map(|l| {
            let start = l.find('┃').unwrap() + '┃'.len_utf8();
            let end = l.rfind('┃').unwrap();
            l[start..end].to_string()
        })
        .collect()
}

#[test]
fn lists_at_80x24_tell_rows_apart_say_where_they_are_and_hide_the_cursor() {
    let mut app = bundled_app();
    open_kind(&mut app, Kind::Practice);
    let n = app.view(Kind::Practice).ids.len();
    assert!(n > 10, "the bundled practices fill more than a screen");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    let s = format!("{:?}", terminal.backend());
    assert!(
        s.contains("cursor: false"),
        "the cursor shows while browsing"
    );
    for _ in 0..n {
        press(&mut app, KeyCode::Char('j'));
        let s = screen(&mut app, 80, 24);
        let rows: Vec<String> = list_rows(&s)
            .into_iter()
            .filter(|r| r.contains("identified") || r.contains("evaluated"))
            .map(|r| r.trim_start_matches(['▶', ' ']).to_string())
            .collect();
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[i + 1..] {
                assert_ne!(a, b, "two rows read alike:\n{s}");
            }
        }
        // Where the list is: "x-y of n" on its border once it scrolls.
        assert!(s.contains(&format!(" of {n} ")), "{s}");
    }
    // Columns are fitted over the whole list, not the rows on screen: they do not jump while
    // scrolling.
    let first = list_rows(&screen(&mut app, 80, 24))[0].clone();
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(list_rows(&screen(&mut app, 80, 24))[0], first);
}

#[test]
fn voucher_types_show_by_name() {
    let mut app = bundled_app();
    open_kind(&mut app, Kind::Voucher);
    let s = screen(&mut app, 120, 40);
    let codes: Vec<String> = app
        .replica
        .rows(Kind::Scheme)
        .flat_map(|r| match &r.record {
            Record::Scheme(s) => s.types.iter().map(|t| t.code.clone()).collect(),
            _ => Vec::new(),
        })
        .collect();
    assert!(!codes.is_empty());
    for row in list_rows(&s) {
        for cell in row.split("  ") {
            assert!(
                !codes.contains(&cell.trim().to_string()),
                "a raw code: {row}"
            );
        }
    }
    assert!(s.contains("Vouche"), "{s}");
}

#[test]
fn the_picker_searches_with_the_search_engine_off_the_screens_thread() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "n");
    let form = app.forms.form.as_mut().unwrap();
    form.focus = form.fields.iter().position(|f| f.key == "partner").unwrap();
    assert_eq!(app.context(), Context::FormReference);
    // A letter starts the search with it; the rest are typed into its query.
    keys(&mut app, "rzeszow");
    assert_eq!(app.context(), Context::Picker);
    // The key returned before any matching: the answer comes from the searcher.
    assert!(app.picker_waiting());
    assert!(app.wait_search(std::time::Duration::from_secs(20)));
    let p = app.forms.form.as_ref().unwrap().picker.as_ref().unwrap();
    assert_eq!(p.query.text, "rzeszow");
    // Diacritics folded, as the search popup does.
    assert_eq!(
        p.matches.first().map(|m| m.0.as_str()),
        Some("rzeszow"),
        "{:?}",
        p.matches
    );
    press(&mut app, KeyCode::Enter);
    let form = app.forms.form.as_ref().unwrap();
    assert_eq!(form.field("partner").unwrap().text(), "rzeszow");
}

#[test]
fn features_answer_with_effects_and_need_no_app() {
    use taskforce::tui::feature::{Cx, Effect};
    use taskforce::tui::forms::HistoryView;
    use taskforce::tui::search::SearchState;
    use taskforce::tui::theme::Theme;
    let replica = std::sync::Arc::new(replica());
    let theme = Theme::new(&options());
    let refs = taskforce::tui::refs::Refs::build(&replica);
    let cx = Cx {
        replica: &replica,
        theme: &theme,
        user: "ana",
        today: d("2020-01-15"),
        popup_rows: 10,
        project: None,
        refs: &refs,
    };
    let mut history =
        HistoryView::from_audit(&cx, Kind::Practice, "gp-vouchers".into(), Ok(Vec::new())).unwrap();
    assert_eq!(history.lines, vec!["No recorded changes.".to_string()]);
    assert!(history.update(&cx, Action::Down).is_empty());
    assert_eq!(history.update(&cx, Action::Close), vec![Effect::Close]);
    let mut search = SearchState::default();
    search.open(&cx);
    assert_eq!(
        search.update(&cx, Action::Open),
        vec![Effect::Say(
            Level::Info,
            "Nothing to open: type a few letters first".into()
        )]
    );
    assert_eq!(search.update(&cx, Action::Close), vec![Effect::Close]);
    // Browsing and the detail pane: their own state, moved by actions, without the workbench.
    use taskforce::tui::browse::Browse;
    let mut browse = Browse::default();
    assert!(browse.update(&cx, Action::Open).is_empty());
    assert_eq!(browse.focus(), Pane::List);
    browse.update(&cx, Action::Down);
    let second = browse.selected(&cx).expect("a practice");
    assert_eq!(browse.update(&cx, Action::Open), vec![]);
    assert_eq!(browse.focus(), Pane::Detail);
    browse.detail.set_size(60, 10);
    browse.show_detail(&cx);
    let first_item = browse.detail.pos.selected;
    browse.update(&cx, Action::Down);
    assert!(
        browse.detail.pos.selected > first_item,
        "j moves in the detail"
    );
    assert_eq!(browse.selected(&cx), Some(second));
    let said = browse.update(&cx, Action::Back);
    assert!(
        matches!(said.as_slice(), [Effect::Say(_, t)] if t.starts_with("Nothing to go back to")),
        "{said:?}"
    );
    // The question before quitting: y quits, anything else stays.
    use taskforce::tui::quitting::QuitQuestion;
    let mut question = QuitQuestion { unsaved: true };
    assert_eq!(question.update(&cx, Action::Confirm), vec![Effect::Quit]);
    assert_eq!(
        question.update(&cx, Action::Down),
        vec![
            Effect::Close,
            Effect::Say(Level::Info, "Not quitting".into())
        ]
    );
}
