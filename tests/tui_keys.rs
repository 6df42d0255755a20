//! Key-behaviour tests on the state alone (no terminal): moving, opening, following links and
//! coming back to the same place, filters and sort, the project, help, the Esc twins, and live
//! updates that keep the selection on the same record.

mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use taskforce::model::*;
use taskforce::tui::app::{FacetChoice, nav_targets};
use taskforce::tui::detail::Link;
use taskforce::tui::keymap::KEYMAP;
use taskforce::tui::kinds::{Facet, SortBy};
use taskforce::tui::{
    Action, App, Context, Level, Overview, Pane, Popup, Target, handle_key, update,
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

fn selected_id(app: &mut App) -> String {
    app.selected().map(|(_, id)| id).unwrap_or_default()
}

/// Moves the detail selection down until the selected item's text contains `text`.
fn select_item(app: &mut App, text: &str) {
    for _ in 0..200 {
        if app.selected_item().is_some_and(|i| i.text().contains(text)) {
            return;
        }
        update(app, Action::Down);
    }
    panic!("no item with {text:?} in the detail");
}

#[test]
fn moving_through_panes_and_lists() {
    let mut app = app();
    assert_eq!(app.focus(), Pane::Nav);
    assert_eq!(app.kind(), Some(Kind::Practice));
    keys(&mut app, "j");
    assert_eq!(
        app.kind(),
        Some(Kind::Meeting),
        "moving in the navigation shows the next list"
    );
    keys(&mut app, "k");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Pane::List);
    // Sorted by title: Bootcamp, Rzeszów, clubs, vouchers, 東京.
    assert_eq!(selected_id(&mut app), "gp-bootcamp");
    keys(&mut app, "jj");
    assert_eq!(selected_id(&mut app), "gp-clubs");
    keys(&mut app, "G");
    assert_eq!(selected_id(&mut app), "gp-tokyo");
    keys(&mut app, "j");
    assert_eq!(
        selected_id(&mut app),
        "gp-tokyo",
        "the bottom stays the bottom"
    );
    keys(&mut app, "g");
    assert_eq!(selected_id(&mut app), "gp-bootcamp");
    press(&mut app, KeyCode::PageDown);
    assert_eq!(
        selected_id(&mut app),
        "gp-tokyo",
        "a page (10 rows) is more than the list"
    );
    press(&mut app, KeyCode::Up);
    assert_eq!(selected_id(&mut app), "gp-vouchers");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Pane::Detail);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Pane::Nav, "Tab cycles back to the navigation");
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus(), Pane::Detail);
    // Overviews have two panes.
    let funnel = nav_targets()
        .iter()
        .position(|t| *t == Target::Overview(Overview::Funnel))
        .unwrap();
    press(&mut app, KeyCode::Tab);
    for _ in 0..funnel {
        keys(&mut app, "j");
    }
    assert_eq!(app.target(), Target::Overview(Overview::Funnel));
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Pane::Detail);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Pane::Nav);
}

#[test]
fn following_a_link_and_coming_back_restores_the_place() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "jjj");
    assert_eq!(selected_id(&mut app), "gp-vouchers");
    press(&mut app, KeyCode::Enter);
    select_item(&mut app, "Study visit Varna");
    let item = app.selected_item().unwrap().clone();
    assert_eq!(
        item.link,
        Some(Link::Record(Kind::Meeting, "sv-varna".into()))
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Meeting));
    assert_eq!(selected_id(&mut app), "sv-varna");
    assert_eq!(app.focus(), Pane::Detail);
    assert_eq!(app.history_len(), 1);
    assert!(app.message().unwrap().text.contains("Backspace goes back"));

    // From the meeting, on to the other practice it presented.
    select_item(&mut app, "Slovenian business clubs");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Practice));
    assert_eq!(selected_id(&mut app), "gp-clubs");
    assert_eq!(app.history_len(), 2);

    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.kind(), Some(Kind::Meeting));
    assert_eq!(selected_id(&mut app), "sv-varna");
    assert!(
        app.selected_item()
            .unwrap()
            .text()
            .contains("Slovenian business clubs"),
        "the link followed is selected again"
    );

    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.kind(), Some(Kind::Practice));
    assert_eq!(
        selected_id(&mut app),
        "gp-vouchers",
        "the list selection survived"
    );
    assert_eq!(app.focus(), Pane::Detail);
    assert_eq!(app.selected_item().unwrap().link, item.link);
    assert_eq!(app.history_len(), 0);

    press(&mut app, KeyCode::Backspace);
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("Nothing to go back to")
    );
}

#[test]
fn reverse_links_lead_from_a_practice_to_its_action_and_from_a_scheme_to_its_vouchers() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "jjj");
    press(&mut app, KeyCode::Enter);
    select_item(&mut app, "Internationalisation vouchers");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Action));
    assert_eq!(selected_id(&mut app), "act-vouchers");
    // The action leads back to the practice that inspired it.
    select_item(&mut app, "Small-scale incentives");
    assert_eq!(
        app.selected_item().unwrap().link,
        Some(Link::Record(Kind::Practice, "gp-vouchers".into()))
    );

    open_kind(&mut app, Kind::Scheme);
    press(&mut app, KeyCode::Enter);
    select_item(&mut app, "All 3 applications");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Voucher));
    assert_eq!(app.focus(), Pane::List);
    assert_eq!(app.view(Kind::Voucher).ids.len(), 3);
    assert_eq!(app.filters(Kind::Voucher)[0].facet, Facet::Scheme);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.kind(), Some(Kind::Scheme));
    assert!(app.filters(Kind::Voucher).is_empty() || app.kind() != Some(Kind::Voucher));
}

#[test]
fn enter_on_a_line_that_is_not_a_link_says_so() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    press(&mut app, KeyCode::Enter);
    select_item(&mut app, "Owner");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Practice));
    assert!(app.message().unwrap().text.contains("not a link"));
}

#[test]
fn filters_are_chosen_from_the_keyboard_and_cleared() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "f");
    assert_eq!(app.context(), Context::Popup);
    let Some(Popup::Facets { choices, .. }) = app.popup().cloned() else {
        panic!("{:?}", app.popup())
    };
    assert_eq!(
        choices,
        vec![
            FacetChoice::Project,
            FacetChoice::Facet(Facet::PracticeStatus),
            FacetChoice::Facet(Facet::SubTheme),
            FacetChoice::Facet(Facet::Country)
        ]
    );
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    let Some(Popup::Values { choices, .. }) = app.popup().cloned() else {
        panic!("{:?}", app.popup())
    };
    let labels: Vec<(String, usize)> = choices.iter().map(|c| (c.label.clone(), c.count)).collect();
    assert_eq!(labels[0], ("any".to_string(), 5));
    assert!(
        labels.contains(&("validated".to_string(), 1))
            && labels.contains(&("evaluated".to_string(), 0)),
        "{labels:?}"
    );
    // Backspace goes back to the facets, Enter again to the values.
    press(&mut app, KeyCode::Backspace);
    assert!(matches!(
        app.popup(),
        Some(Popup::Facets { selected: 1, .. })
    ));
    press(&mut app, KeyCode::Enter);
    let validated = choices.iter().position(|c| c.label == "validated").unwrap();
    for _ in 0..validated {
        keys(&mut app, "j");
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.popup().is_none());
    assert_eq!(
        app.view(Kind::Practice).ids,
        vec!["gp-vouchers".to_string()]
    );
    assert_eq!(selected_id(&mut app), "gp-vouchers");

    // A second facet narrows further; country SI with status validated still leaves one.
    keys(&mut app, "f");
    keys(&mut app, "G");
    press(&mut app, KeyCode::Enter);
    let Some(Popup::Values { choices, .. }) = app.popup().cloned() else {
        panic!()
    };
    assert_eq!(
        choices.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        vec!["any", "SI"],
        "only countries with validated practices"
    );
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.filters(Kind::Practice).len(), 2);

    keys(&mut app, "x");
    assert!(app.filters(Kind::Practice).is_empty());
    assert_eq!(app.view(Kind::Practice).ids.len(), 5);
    assert_eq!(
        selected_id(&mut app),
        "gp-vouchers",
        "the selection stays on its record"
    );
    keys(&mut app, "x");
    assert_eq!(app.message().unwrap().text, "No filters to clear");
}

#[test]
fn meetings_filter_by_year_and_vouchers_by_status() {
    let mut app = app();
    open_kind(&mut app, Kind::Meeting);
    app.set_filter(
        Kind::Meeting,
        FacetChoice::Facet(Facet::Year),
        Some("2016".into()),
    );
    assert_eq!(
        app.view(Kind::Meeting).ids,
        vec!["ko-maribor".to_string(), "sv-varna".to_string()]
    );
    app.set_filter(
        Kind::Meeting,
        FacetChoice::Facet(Facet::MeetingKind),
        Some("study_visit".into()),
    );
    assert_eq!(app.view(Kind::Meeting).ids, vec!["sv-varna".to_string()]);
    open_kind(&mut app, Kind::Voucher);
    app.set_filter(
        Kind::Voucher,
        FacetChoice::Facet(Facet::VoucherStatus),
        Some("approved".into()),
    );
    assert_eq!(app.view(Kind::Voucher).ids, vec!["v2".to_string()]);
    app.set_filter(
        Kind::Voucher,
        FacetChoice::Facet(Facet::VoucherStatus),
        None,
    );
    app.set_filter(
        Kind::Voucher,
        FacetChoice::Facet(Facet::VoucherType),
        Some("fairs".into()),
    );
    assert_eq!(app.view(Kind::Voucher).ids.len(), 2);
    // Each list keeps its own filters.
    assert_eq!(app.filters(Kind::Meeting).len(), 2);
}

#[test]
fn the_project_narrows_every_list_and_its_counts() {
    let mut app = app();
    assert_eq!(app.scope_count(Kind::Practice), 5);
    keys(&mut app, "p");
    assert_eq!(
        app.project(),
        Some("interventures"),
        "projects in order of their acronym, ignoring case"
    );
    keys(&mut app, "p");
    assert_eq!(app.project(), Some("intra"));
    assert_eq!(app.scope_count(Kind::Practice), 3);
    assert_eq!(
        app.scope_count(Kind::Voucher),
        3,
        "vouchers belong to the project of their scheme"
    );
    assert_eq!(
        app.scope_count(Kind::Action),
        1,
        "actions to that of their plan"
    );
    assert_eq!(
        app.scope_count(Kind::Sme),
        2,
        "SMEs belong to no project and always show"
    );
    assert_eq!(app.view(Kind::Practice).ids.len(), 3);
    keys(&mut app, "p");
    assert_eq!(app.project(), None);
    assert_eq!(app.view(Kind::Practice).ids.len(), 5);
}

#[test]
fn following_a_link_out_of_the_filters_clears_them_and_back_restores_them() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    app.set_filter(
        Kind::Practice,
        FacetChoice::Facet(Facet::PracticeStatus),
        Some("rejected".into()),
    );
    assert_eq!(app.view(Kind::Practice).ids, vec!["gp-rzeszow".to_string()]);
    open_kind(&mut app, Kind::Meeting);
    keys(&mut app, "j");
    assert_eq!(selected_id(&mut app), "sv-varna");
    press(&mut app, KeyCode::Enter);
    select_item(&mut app, "Small-scale incentives");
    press(&mut app, KeyCode::Enter);
    assert_eq!(selected_id(&mut app), "gp-vouchers");
    assert!(app.filters(Kind::Practice).is_empty());
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("filters on practices were cleared")
    );
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::BackTab);
    open_kind(&mut app, Kind::Practice);
    // The filters were the list's own state before the link: Back undoes what the link did,
    // the meeting shown again and the practices' filter given back.
    assert_eq!(app.filters(Kind::Practice).len(), 1);
    assert_eq!(app.view(Kind::Practice).ids, vec!["gp-rzeszow".to_string()]);
}

#[test]
fn sort_orders_are_chosen_and_reversed() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "o");
    assert!(matches!(app.popup(), Some(Popup::Sort { selected: 0 })));
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.sort(Kind::Practice), (SortBy::Status, false));
    let ids = app.view(Kind::Practice).ids.clone();
    assert_eq!(
        ids.first().map(String::as_str),
        Some("gp-tokyo"),
        "identified first: {ids:?}"
    );
    assert_eq!(
        ids.last().map(String::as_str),
        Some("gp-rzeszow"),
        "rejected last: {ids:?}"
    );
    keys(&mut app, "o");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.sort(Kind::Practice), (SortBy::Status, true));
    assert_eq!(
        app.view(Kind::Practice).ids.first().map(String::as_str),
        Some("gp-rzeszow")
    );
}

#[test]
fn help_opens_closes_and_every_esc_has_twins() {
    let mut app = app();
    keys(&mut app, "?");
    assert_eq!(app.context(), Context::Help);
    keys(&mut app, "q");
    assert!(
        app.popup().is_none() && !app.should_quit(),
        "q closes the popup first"
    );
    keys(&mut app, "?");
    press(&mut app, KeyCode::Esc);
    assert!(app.popup().is_none());
    keys(&mut app, "f");
    ctrl(&mut app, 'g');
    assert!(app.popup().is_none(), "Ctrl-g closes like Esc");
    keys(&mut app, "?");
    keys(&mut app, "?");
    assert!(app.popup().is_none(), "? toggles the help");
    // Releases and repeats are ignored.
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(!handle_key(&mut app, release));
    assert!(!app.should_quit());
    // Unbound keys do nothing.
    assert!(!press(&mut app, KeyCode::Char('~')), "~ is bound");
    ctrl(&mut app, 'g');
    assert!(
        !app.should_quit(),
        "with no popup, Ctrl-g asks first (Esc's twin)"
    );
    assert_eq!(app.context(), Context::Quit);
    keys(&mut app, "y");
    assert!(app.should_quit(), "y quits");
}

#[test]
fn every_action_has_a_key_and_every_hint_comes_from_the_table() {
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
    ];
    for action in all {
        assert!(
            KEYMAP.iter().any(|b| b.action == action),
            "{action:?} has no key"
        );
    }
    for context in [Context::Main, Context::Popup, Context::Help] {
        let hints = taskforce::tui::ui::hint_text(context, false);
        for b in KEYMAP
            .iter()
            .filter(|b| b.contexts.contains(&context) && b.hint.is_some())
        {
            let key = taskforce::tui::keymap::key_label(&b.keys[0], false);
            assert!(
                hints.contains(key.as_str()) && hints.contains(b.hint.unwrap()),
                "{hints} lacks {key}"
            );
        }
    }
}

#[test]
fn detail_reads_through_long_text_line_by_line() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    press(&mut app, KeyCode::Enter);
    app.browse.detail.set_size(40, 4);
    select_item(&mut app, "Description");
    let sel = app.detail().selected;
    let (start, end) = app.content().ranges[sel];
    assert!(end - start > 4, "the description is taller than the pane");
    let scroll = app.detail().scroll;
    update(&mut app, Action::Down);
    assert!(
        app.selected_item().unwrap().text().contains("Description"),
        "still reading the description"
    );
    assert_eq!(app.detail().scroll, scroll + 1);
    for _ in 0..(end - start) {
        update(&mut app, Action::Down);
    }
    assert!(
        !app.selected_item().unwrap().text().contains("Description"),
        "moved on after its end"
    );
    update(&mut app, Action::Bottom);
    assert!(app.selected_item().unwrap().text().contains("Last changed"));
    update(&mut app, Action::Top);
    assert!(
        app.selected_item()
            .unwrap()
            .text()
            .contains("Internationalisation Business Bootcamp")
    );
}

#[test]
fn overview_rows_open_the_records_they_count() {
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
    // Projects in order of acronym: InterVentures, then INTRA; take INTRA's "validated" bar.
    select_item(&mut app, "validated");
    update(&mut app, Action::Down);
    select_item(&mut app, "validated");
    assert!(
        app.selected_item().unwrap().text().contains("2 · 1 now"),
        "{}",
        app.selected_item().unwrap().text()
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.kind(), Some(Kind::Practice));
    assert_eq!(app.project(), Some("intra"));
    assert_eq!(
        app.view(Kind::Practice).ids,
        vec!["gp-vouchers".to_string()]
    );
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.target(), Target::Overview(Overview::Funnel));
    assert_eq!(app.project(), None, "back restores the project too");
    assert!(app.selected_item().unwrap().text().contains("validated"));
}

fn commit(seq: u64, user: &str, changes: Vec<Change>) -> Committed {
    Committed {
        seq,
        at: Timestamp(seq as i64),
        actor: Actor::user(user),
        summary: format!("change #{seq}"),
        changed: changes.len(),
        changes,
    }
}

fn put(record: Record, rev: u64) -> Change {
    Change {
        kind: record.kind(),
        id: record.id().to_string(),
        row: Some(Row {
            rev,
            at: Timestamp(0),
            by: "bo".into(),
            record,
        }),
    }
}

#[test]
fn live_updates_keep_the_selection_on_the_same_record() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    keys(&mut app, "jj");
    assert_eq!(selected_id(&mut app), "gp-clubs");
    let index = app.view(Kind::Practice).selected;

    // Another user adds a practice that sorts first: the selection moves with its record.
    let first = practice(
        "gp-aa",
        "intra",
        "Aardvark export guide",
        "SI",
        PracticeStatus::Identified,
        None,
    );
    assert!(app.apply(&commit(2, "bo", vec![put(Record::from(first), 2)])));
    assert_eq!(selected_id(&mut app), "gp-clubs");
    assert_eq!(app.view(Kind::Practice).selected, index + 1);
    assert_eq!(app.view(Kind::Practice).ids[0], "gp-aa");
    assert!(app.message().unwrap().text.contains("by bo"));

    // A change already applied is ignored.
    assert!(!app.apply(&commit(2, "bo", vec![])));

    // A new meeting presents the vouchers practice: its detail shows the new link.
    let meeting = Meeting {
        source: String::new(),
        id: "itf-2".into(),
        project: "intra".into(),
        title: "2nd ITF meeting".into(),
        kind: MeetingKind::ItfMeeting,
        mode: MeetingMode::Hybrid,
        host: None,
        city: "Badajoz".into(),
        country: "ES".into(),
        start: d("2016-12-06"),
        end: None,
        agenda: vec![],
        attendance: vec![],
        minutes: Default::default(),
        practices: vec!["gp-vouchers".into()],
        decisions: vec![],
        follow_ups: vec![],
    };
    app.apply(&commit(3, "bo", vec![put(Record::from(meeting), 3)]));
    keys(&mut app, "j");
    assert_eq!(selected_id(&mut app), "gp-vouchers");
    press(&mut app, KeyCode::Enter);
    select_item(&mut app, "2nd ITF meeting");
    assert!(
        app.content()
            .items
            .iter()
            .any(|i| i.text().starts_with("Presented at (2)"))
    );

    // The practice is renamed so that it sorts elsewhere: still selected, detail still on it.
    let Some(Record::Practice(mut p)) = app.replica.record(Kind::Practice, "gp-vouchers").cloned()
    else {
        panic!()
    };
    p.title = "Zzz vouchers".into();
    app.apply(&commit(4, "bo", vec![put(Record::Practice(p), 4)]));
    assert_eq!(selected_id(&mut app), "gp-vouchers");
    let ids = app.view(Kind::Practice).ids.clone();
    assert_eq!(
        ids[ids.len() - 2],
        "gp-vouchers",
        "Zzz sorts after the Latin titles, before the CJK one: {ids:?}"
    );
    assert!(
        app.selected_item()
            .unwrap()
            .text()
            .contains("2nd ITF meeting"),
        "the reader's place in the detail is kept"
    );

    // The selected record is deleted: the selection stays at its position, and the user is told.
    let pos = app.view(Kind::Practice).selected;
    app.apply(&commit(
        5,
        "bo",
        vec![Change {
            kind: Kind::Practice,
            id: "gp-vouchers".into(),
            row: None,
        }],
    ));
    let m = app.message().unwrap();
    assert_eq!(m.level, Level::Warn);
    assert!(m.text.contains("gp-vouchers"), "{}", m.text);
    assert_eq!(
        app.view(Kind::Practice).selected,
        pos,
        "the selection keeps its position"
    );
    assert_eq!(selected_id(&mut app), "gp-tokyo");
    assert!(!app.content().items.iter().any(|i| i.text().contains("Zzz")));
}

#[test]
fn live_updates_respect_filters_and_the_project() {
    let mut app = app();
    open_kind(&mut app, Kind::Practice);
    app.set_filter(
        Kind::Practice,
        FacetChoice::Facet(Facet::PracticeStatus),
        Some("identified".into()),
    );
    assert_eq!(app.view(Kind::Practice).ids, vec!["gp-tokyo".to_string()]);
    let new = practice(
        "gp-new",
        "intra",
        "A new one",
        "SI",
        PracticeStatus::Identified,
        None,
    );
    let other = practice(
        "gp-other",
        "intra",
        "Another",
        "SI",
        PracticeStatus::Validated,
        None,
    );
    app.apply(&commit(
        2,
        "bo",
        vec![put(Record::from(new), 2), put(Record::from(other), 2)],
    ));
    assert_eq!(
        app.view(Kind::Practice).ids,
        vec!["gp-new".to_string(), "gp-tokyo".to_string()],
        "only the identified one joins"
    );
    assert_eq!(selected_id(&mut app), "gp-tokyo");
    assert_eq!(app.scope_count(Kind::Practice), 7);
}

#[test]
fn options_follow_the_locale_and_no_color() {
    use taskforce::tui::Options;
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(
        Options::from_vars(env(&[("LANG", "en_GB.UTF-8")])),
        Options {
            ascii: false,
            color: true,
            mouse: false
        }
    );
    assert!(Options::from_vars(env(&[("LANG", "C")])).ascii);
    assert!(
        Options::from_vars(env(&[])).ascii,
        "no locale at all is the C locale"
    );
    assert!(
        Options::from_vars(env(&[("LC_ALL", "C"), ("LANG", "sl_SI.UTF-8")])).ascii,
        "LC_ALL wins"
    );
    assert!(
        !Options::from_vars(env(&[
            ("LC_ALL", ""),
            ("LC_CTYPE", "sl_SI.utf8"),
            ("LANG", "C")
        ]))
        .ascii,
        "empty ones are skipped"
    );
    assert!(
        !Options::from_vars(env(&[("LANG", "C.UTF-8"), ("NO_COLOR", "")])).color,
        "NO_COLOR set, even empty"
    );
}
