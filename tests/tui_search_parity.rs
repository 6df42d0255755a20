//! The workbench's search finds what `taskforce search` finds: the same query gives the same
//! results in the same order, however it was typed (letter by letter, pasted, or typed after a
//! longer query was shortened). Over the bundled records, loaded from a real store as both do.

mod tui_support;

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use taskforce::model::*;
use taskforce::search::{Index, Request};
use taskforce::store::Store;
use taskforce::tui::{App, handle_event, handle_key, search};

const WAIT: Duration = Duration::from_secs(30);

const QUERIES: &[&str] = &[
    "maribor",
    "jurisic",
    "amna",
    "potocnik",
    "digital",
    "maribor export",
    "vouch fair",
    "ma",
    "p: maribor",
    "slovenia export",
];

fn bundled() -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    taskforce::fixtures::seed(
        &store,
        &Actor::user("ana"),
        taskforce::fixtures::Bundle::WithExamples,
    )
    .unwrap();
    let (replica, problems) = store.load().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    replica
}

fn hits(app: &App) -> (Vec<(Kind, String, Option<String>)>, usize) {
    let results = app.search.results.as_ref().expect("results");
    (
        results
            .hits
            .iter()
            .map(|h| (h.kind, h.id.clone(), h.voucher_type.clone()))
            .collect(),
        results.total,
    )
}

fn settle(app: &mut App) {
    assert!(app.wait_search(WAIT), "the searcher did not answer");
}

fn press(app: &mut App, code: KeyCode) {
    handle_key(app, KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn typed_pasted_and_cli_searches_find_the_same_records_in_the_same_order() {
    let replica = bundled();
    let index = Index::build(&replica);
    let mut app = App::new(replica, "ana", "memory", tui_support::options());
    for query in QUERIES {
        let cli = index.search(&Request::new(*query).limit(search::LIMIT));
        let expected: Vec<_> = cli
            .hits
            .iter()
            .map(|h| (h.kind, h.id.clone(), h.voucher_type.clone()))
            .collect();
        assert!(
            cli.total > 0 || ["amna", "jurisic", "potocnik"].contains(query),
            "{query}: the corpus has hits"
        );

        // Typed letter by letter, waiting for the results after each key as a slow typist.
        press(&mut app, KeyCode::Char('/'));
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        for c in query.chars() {
            press(&mut app, KeyCode::Char(c));
            settle(&mut app);
        }
        assert_eq!(app.search.line.text, *query);
        assert_eq!(hits(&app), (expected.clone(), cli.total), "{query}: typed");

        // Pasted at once.
        handle_key(
            &mut app,
            KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
        );
        handle_event(&mut app, Event::Paste(query.to_string()));
        settle(&mut app);
        assert_eq!(hits(&app), (expected.clone(), cli.total), "{query}: pasted");

        // Typed longer, then shortened back.
        press(&mut app, KeyCode::Char('x'));
        settle(&mut app);
        press(&mut app, KeyCode::Backspace);
        settle(&mut app);
        assert_eq!(
            hits(&app),
            (expected, cli.total),
            "{query}: after Backspace"
        );
        press(&mut app, KeyCode::Esc);
    }
    // The Slovenian action plan names its contacts in its summary; the CLI finds them.
    for query in ["jurisic", "amna", "potocnik"] {
        let cli = index.search(&Request::new(query).limit(search::LIMIT));
        assert!(
            cli.hits.iter().any(|h| h.kind == Kind::ActionPlan),
            "{query}: {:?}",
            cli.hits
        );
    }
}
