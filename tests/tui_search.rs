//! The workbench's search popup (`/`) and a list's text filter (`F`), on the state alone and
//! rendered with `TestBackend`. Results come from the background searcher; the tests wait for
//! them with `App::wait_search`, which returns as soon as the awaited answer is taken.

mod tui_support;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use taskforce::model::*;
use taskforce::tui::keymap::hints;
use taskforce::tui::{
    Action, App, Context, Pane, Target, handle_key, render, ui::help_lines, update,
};
use tui_support::*;

const WAIT: Duration = Duration::from_secs(20);

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

/// Waits for the answer to the newest request; fails if it does not come.
fn settle(app: &mut App) {
    assert!(app.wait_search(WAIT), "the searcher did not answer");
    assert!(!app.search.pending());
}

fn hit_ids(app: &App) -> Vec<(Kind, String)> {
    app.search
        .hits()
        .iter()
        .map(|h| (h.kind, h.id.clone()))
        .collect()
}

#[test]
fn slash_searches_enter_opens_backspace_returns_and_slash_reopens_as_it_was() {
    let mut app = app();
    assert_eq!(app.context(), Context::Main);
    assert!(press(&mut app, KeyCode::Char('/')));
    assert_eq!(app.context(), Context::Search);
    // Typed without diacritics, found with them.
    keys(&mut app, "rzeszow");
    assert_eq!(app.search.line.text, "rzeszow");
    settle(&mut app);
    let hits = hit_ids(&app);
    let at = hits
        .iter()
        .position(|h| *h == (Kind::Partner, "rzeszow".to_string()))
        .unwrap_or_else(|| panic!("{hits:?}"));
    let hit = &app.search.hits()[at];
    assert_eq!(hit.title, "Rzeszów Regional Development Agency");
    assert_eq!(hit.title_marks, (0..7).collect::<Vec<_>>());
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.search.selected, at);

    // Enter opens the record in the workbench, like following a link.
    let before_nav = app.target();
    assert!(press(&mut app, KeyCode::Enter));
    assert!(!app.search.open);
    assert_eq!(app.context(), Context::Main);
    assert_eq!(app.target(), Target::Kind(Kind::Partner));
    assert_eq!(app.selected(), Some((Kind::Partner, "rzeszow".to_string())));
    assert_eq!(app.focus(), Pane::Detail);
    assert_eq!(app.history_len(), 1);
    assert!(app.message().unwrap().text.contains("Backspace goes back"));

    // Backspace goes back to where the search was opened.
    assert!(press(&mut app, KeyCode::Backspace));
    assert_eq!(app.target(), before_nav);
    assert_eq!(app.history_len(), 0);

    // `/` again: the same query, the same selection.
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.context(), Context::Search);
    assert_eq!(app.search.line.text, "rzeszow");
    assert_eq!(app.search.line.cursor, 7);
    settle(&mut app);
    assert_eq!(app.search.selected, at);
    assert_eq!(hit_ids(&app)[at], (Kind::Partner, "rzeszow".to_string()));
}

#[test]
fn moving_through_results_and_the_keys_that_type() {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    keys(&mut app, "intra");
    settle(&mut app);
    let n = app.search.hits().len();
    assert!(n >= 3, "{:?}", hit_ids(&app));
    // While typing: arrows and Ctrl-n/Ctrl-p move; j and q type.
    press(&mut app, KeyCode::Down);
    assert_eq!(app.search.selected, 1);
    ctrl(&mut app, 'n');
    assert_eq!(app.search.selected, 2);
    ctrl(&mut app, 'p');
    press(&mut app, KeyCode::Up);
    assert_eq!(app.search.selected, 0);
    // Tab: to the results, where j/k, g/G move and q closes.
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.context(), Context::SearchList);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.search.selected, 2);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.search.selected, 1);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.search.selected, n - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.search.selected, 0);
    assert_eq!(app.search.line.text, "intra", "moving typed nothing");
    // `/` types again; the usual editing keys work on the line.
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.context(), Context::Search);
    keys(&mut app, " q");
    assert_eq!(app.search.line.text, "intra q");
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Home);
    keys(&mut app, "p: ");
    assert_eq!(app.search.line.text, "p: intra");
    press(&mut app, KeyCode::End);
    ctrl(&mut app, 'w');
    assert_eq!(app.search.line.text, "p: ");
    ctrl(&mut app, 'u');
    assert_eq!(app.search.line.text, "");
    // Esc closes; q (in the results) closes too; Ctrl-g is Esc's twin.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Main);
    press(&mut app, KeyCode::Char('/'));
    ctrl(&mut app, 'g');
    assert_eq!(app.context(), Context::Main);
    assert!(!app.should_quit());
}

#[test]
fn a_prefix_narrows_to_a_kind_and_every_hit_is_tagged() {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    keys(&mut app, "p: vouchers");
    settle(&mut app);
    let hits = app.search.hits().to_vec();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.kind == Kind::Practice), "{hits:?}");
    assert!(hits.iter().all(|h| h.label == "practice"));
}

#[test]
fn a_new_keystroke_replaces_the_stale_search() {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    // Typed faster than any answer: only the last query's results are taken.
    keys(&mut app, "mar");
    keys(&mut app, "ibor");
    settle(&mut app);
    let r = app.search.results.as_ref().unwrap();
    assert_eq!(r.request_query, "maribor");
    assert_eq!(
        hit_ids(&app).first(),
        Some(&(Kind::Partner, "mra".to_string()))
    );
}

fn sme(id: &str, name: &str) -> Record {
    Record::from(Sme {
        id: id.into(),
        name: name.into(),
        registration_number: String::new(),
        size: SmeSize::Small,
        country: "SI".into(),
        region: String::new(),
        city: "Maribor".into(),
    })
}

fn commit(app: &App, record: Record) -> Committed {
    Committed {
        seq: app.replica.seq + 1,
        at: Timestamp::now(),
        actor: Actor::user("bo"),
        summary: "an SME".into(),
        changed: 1,
        changes: vec![Change {
            kind: record.kind(),
            id: record.id().to_string(),
            row: Some(Row {
                rev: app.replica.seq + 1,
                at: Timestamp::now(),
                by: "bo".into(),
                record,
            }),
        }],
    }
}

#[test]
fn the_index_follows_committed_changes() {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    keys(&mut app, "quokka");
    settle(&mut app);
    assert!(app.search.hits().is_empty());
    // Another user adds a record: the results on screen are matched again.
    let c = commit(&app, sme("sme-q", "Quokka Robotics"));
    assert!(app.apply(&c));
    settle_rerun(&mut app, |app| !app.search.hits().is_empty());
    assert_eq!(
        hit_ids(&app).first(),
        Some(&(Kind::Sme, "sme-q".to_string()))
    );
    // Renamed: the old name no longer finds it, the new one does.
    let c = commit(&app, sme("sme-q", "Wombat Robotics"));
    assert!(app.apply(&c));
    settle_rerun(&mut app, |app| app.search.hits().is_empty());
    ctrl(&mut app, 'u');
    keys(&mut app, "wombat");
    settle(&mut app);
    assert_eq!(
        hit_ids(&app).first(),
        Some(&(Kind::Sme, "sme-q".to_string()))
    );
}

/// After a commit the searcher runs the shown request again (same generation): polls until
/// `done` holds.
fn settle_rerun(app: &mut App, done: impl Fn(&App) -> bool) {
    let start = std::time::Instant::now();
    while !done(app) {
        assert!(
            start.elapsed() < WAIT,
            "the results never followed the commit"
        );
        app.poll_search();
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_text_filter_narrows_one_list_and_clears_with_the_other_filters() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    let all = app.view(Kind::Practice).ids.len();
    assert!(all >= 3);
    assert!(press(&mut app, KeyCode::Char('F')));
    assert_eq!(app.context(), Context::Narrow);
    keys(&mut app, "bootcamp");
    settle(&mut app);
    let ids = app.view(Kind::Practice).ids.clone();
    assert_eq!(ids, ["gp-bootcamp"]);
    assert!(ids.len() < all, "{ids:?}");
    // Enter keeps it; other lists are not narrowed.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::Main);
    assert!(app.message().unwrap().text.contains("bootcamp"));
    assert!(app.text_filter(Kind::Partner).is_none());
    assert_eq!(app.view(Kind::Practice).ids, ids);
    // It shows with the other filters.
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    let top: String = (0..120)
        .map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_string())
        .collect();
    assert!(top.contains("text ~ “bootcamp”"), "{top}");
    // x clears it with the others.
    press(&mut app, KeyCode::Char('x'));
    assert!(app.text_filter(Kind::Practice).is_none());
    assert_eq!(app.view(Kind::Practice).ids.len(), all);
    // Esc while typing goes back to the filter before.
    press(&mut app, KeyCode::Char('F'));
    keys(&mut app, "zzzz");
    settle(&mut app);
    assert!(app.view(Kind::Practice).ids.is_empty());
    press(&mut app, KeyCode::Esc);
    assert!(app.text_filter(Kind::Practice).is_none());
    assert_eq!(app.view(Kind::Practice).ids.len(), all);
}

#[test]
fn the_keys_are_in_the_one_keymap() {
    let app = app();
    assert!(
        hints(Context::Main, false)
            .iter()
            .any(|(k, w)| k == "/" && *w == "search")
    );
    assert!(
        hints(Context::Main, false)
            .iter()
            .any(|(k, w)| k == "F" && *w == "narrow")
    );
    let help = help_lines(&app);
    assert!(
        help.iter()
            .any(|(k, h)| k == "/" && h.starts_with("search every kind"))
    );
    assert!(
        hints(Context::Search, false)
            .iter()
            .any(|(_, w)| *w == "open")
    );
    assert!(
        hints(Context::Narrow, false)
            .iter()
            .any(|(_, w)| *w == "keep")
    );
}

// ----- rendering -----

fn screen(terminal: &Terminal<TestBackend>) -> String {
    screen_text(terminal.backend().buffer())
}

fn searched(query: &str) -> App {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    keys(&mut app, query);
    settle(&mut app);
    app
}

#[test]
fn the_popup_renders_at_every_size_with_highlights() {
    for (w, h) in [(120, 40), (80, 24), (40, 12), (20, 5)] {
        for query in ["klaipeda", "", "zzzz"] {
            let mut app = app();
            press(&mut app, KeyCode::Char('/'));
            if !query.is_empty() {
                keys(&mut app, query);
                settle(&mut app);
            }
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| render(f, &mut app)).unwrap();
            // Moving and drawing again (the popup's rows follow the selection).
            update(&mut app, Action::Bottom);
            terminal.draw(|f| render(f, &mut app)).unwrap();
        }
    }
    let mut app = searched("klaipeda");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    let text = screen(&terminal);
    assert!(text.contains(" Search "), "{text}");
    assert!(text.contains("/ klaipeda"), "{text}");
    assert!(text.contains("Klaipėda ID"), "{text}");
    assert!(text.contains("partner"), "the kind tag shows: {text}");
    // The matched characters of "Klaipėda" are bold and underlined.
    let pos = terminal.get_cursor_position().unwrap();
    let buffer = terminal.backend().buffer();
    let marked: String = buffer
        .content
        .iter()
        .filter(|c| c.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED))
        .map(|c| c.symbol().to_string())
        .collect();
    assert!(marked.contains("Klaipėda"), "marked: {marked:?}");
    // The cursor stands after the query, by display width.
    let row: String = (0..120)
        .map(|x| buffer[(x, pos.y)].symbol().to_string())
        .collect();
    assert!(row.contains("/ klaipeda"), "{row}");
    let start = row.find("/ klaipeda").unwrap();
    let col = row[..start].chars().count() as u16;
    assert_eq!(pos.x, col + 2 + 8);
}

#[test]
fn a_wide_query_keeps_the_cursor_by_display_width() {
    let mut app = app();
    press(&mut app, KeyCode::Char('/'));
    keys(&mut app, "海外");
    settle(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| render(f, &mut app)).unwrap();
    let pos = terminal.get_cursor_position().unwrap();
    let buffer = terminal.backend().buffer().clone();
    let row: String = (0..80)
        .map(|x| buffer[(x, pos.y)].symbol().to_string())
        .collect();
    let start = row.find("/ ").unwrap();
    let col = row[..start].chars().count() as u16;
    // Two characters two cells wide each.
    assert_eq!(pos.x, col + 2 + 4);
    press(&mut app, KeyCode::Left);
    terminal.draw(|f| render(f, &mut app)).unwrap();
    assert_eq!(terminal.get_cursor_position().unwrap().x, col + 2 + 2);
}
