//! The terminal workbench: browse every kind of record with the keyboard alone, follow links
//! between records and come back, filter and sort lists, and read the overviews (practice
//! funnel, meeting timeline, voucher totals, overdue items).
//!
//! The state ([`App`]) changes only through [`update`] with an [`Action`]; keys become actions
//! through the one keymap table ([`keymap::KEYMAP`]), which also draws the help and the hints.
//! [`layout::layout`] fits the state to a frame's size and [`draw`] renders it into any ratatui
//! frame, reading only (`&App`); [`render`] does both. All of it works without a terminal.
//! [`run`] owns the terminal and the loop: it waits for input (or another user's change), drains
//! every pending event, and redraws only when something changed.
//!
//! Without a terminal (tests, benchmarks) the same loop body runs: [`step`] hands the state
//! the events, applies its effects ([`apply_effects`]) and draws. Or by hand:
//! ```
//! use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
//! use ratatui::{Terminal, backend::TestBackend};
//! use taskforce::model::Replica;
//! use taskforce::tui::{Action, App, Options, handle_key, render, update};
//!
//! let mut app = App::new(Replica::new(), "ana", "memory", Options::default());
//! let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
//! terminal.draw(|f| render(f, &mut app)).unwrap();
//! update(&mut app, Action::Down);
//! handle_key(&mut app, KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE));
//! terminal.draw(|f| render(f, &mut app)).unwrap();
//! assert!(!app.should_quit());
//! ```

pub mod app;
pub mod browse;
pub mod content;
pub mod detail;
pub mod detail_pane;
pub mod documents;
pub mod feature;
pub mod forms;
pub mod input;
pub mod keymap;
pub mod kinds;
pub mod layout;
pub mod nav;
pub mod outbox;
pub mod overview;
pub mod quitting;
pub mod refs;
pub mod scoring;
pub mod screen_writer;
pub mod search;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;
pub mod undo;
pub mod widgets;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use crossterm::event::{self, Event, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::backend::Backend;

pub use app::{App, Level, Message, Overview, Pane, Popup, Target, update};
pub use keymap::{Action, Context, KEYMAP, action_for};
pub use theme::Options;
pub use ui::draw;

/// Maps a key to its action through the keymap (in the app's current context) and applies it;
/// where keys type (a form, the search, a list's text filter, the picker, a path, a score), a key
/// that is no action types. Returns whether the key meant anything (and so whether to redraw).
pub fn handle_key(app: &mut App, key: KeyEvent) -> bool {
    if key.kind != KeyEventKind::Press {
        return false;
    }
    let context = app.context();
    // The scoring pane's own keys (digits, the line it types, its confirmations).
    if matches!(
        context,
        Context::Scoring | Context::Board | Context::Entry | Context::Confirm
    ) && app.quitting.is_none()
        && !app.forms.active()
        && app.popup.is_none()
    {
        let cx = feature::cx!(app);
        if let Some((done, effects)) = app
            .scoring
            .as_mut()
            .and_then(|pane| pane.key(&cx, &key, context))
        {
            app.carry_out(app::Part::Scoring, effects);
            return done;
        }
    }
    let done = match action_for(context, &key) {
        Some(action) => {
            update(app, action);
            true
        }
        // A confirmation: any other key answers no.
        None if matches!(context, Context::Confirm | Context::Quit) => {
            update(app, Action::Close);
            true
        }
        // Where a line is typed, a character no row takes is typed (the keymap's "letters").
        None => match typed(&key) {
            Some(c) => type_char(app, context, c),
            None => false,
        },
    };
    // A picker whose query changed asks the searcher (never waiting for it).
    app.ask_picker();
    done
}

/// The character a key types, if it types one (no Ctrl or Alt held).
fn typed(key: &KeyEvent) -> Option<char> {
    match key.code {
        crossterm::event::KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// Types a character where the context types one (the keymap's Type rows); returns whether
/// it went somewhere.
pub fn type_char(app: &mut App, context: Context, c: char) -> bool {
    if !keymap::KEYMAP
        .iter()
        .any(|b| b.action == Action::Type && b.contexts.contains(&context))
    {
        return false;
    }
    app.message = None;
    let text = c.to_string();
    match context {
        Context::Form | Context::Picker | Context::FormReference => {
            app.forms.type_char(&feature::cx!(app), c)
        }
        Context::Path => app.documents.paste(&text),
        Context::Narrow => app.narrowing_paste(&text),
        Context::Search => app.search.paste(&app.replica, &text),
        _ => false,
    }
}

/// Handles one terminal event; returns whether the screen must be redrawn.
pub fn handle_event(app: &mut App, event: Event) -> bool {
    let changed = handle_one(app, event);
    // A picker whose query changed asks the searcher (never waiting for it).
    app.ask_picker();
    changed
}

fn handle_one(app: &mut App, event: Event) -> bool {
    match event {
        Event::Key(key) => handle_key(app, key),
        // The next draw takes the new size; many resizes in a row make one redraw.
        Event::Resize(_, _) => true,
        Event::Mouse(m) if app.options.mouse => match m.kind {
            MouseEventKind::ScrollDown => {
                update(app, Action::Down);
                true
            }
            MouseEventKind::ScrollUp => {
                update(app, Action::Up);
                true
            }
            _ => false,
        },
        Event::Paste(text) => {
            app.documents.paste(&text)
                || app.narrowing_paste(&text)
                || app.search.paste(&app.replica, &text)
                || app.forms.form.is_some() && app.forms.paste(&feature::cx!(app), &text)
                || app.scoring.as_mut().is_some_and(|p| p.paste(&text))
        }
        Event::FocusGained | Event::FocusLost | Event::Mouse(_) => false,
    }
}

/// Whether input is waiting (within `timeout`). A signal interrupting the wait is no input: the
/// loop then looks at what the signal asked for.
fn wait_for_input(timeout: Duration) -> std::io::Result<bool> {
    match event::poll(timeout) {
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(false),
        other => other,
    }
}

/// How long the loop waits for input before it looks for other users' changes.
const POLL: Duration = Duration::from_millis(200);
/// How long it waits while search results are awaited.
const SEARCH_POLL: Duration = Duration::from_millis(8);

/// The most input events handled between two frames (a paste arrives as one event).
const MAX_DRAIN: usize = 512;

/// What the state asked of the outside world, carried out in one place, then what the outside
/// world has for the state: the changes queued are sent and the backend's answers and everyone's
/// commits handed back (`App::exchange`), a record's history fetched, a document written,
/// finished search results taken, and the connection's state noted. Never waits. Returns
/// whether the screen must be redrawn.
pub fn apply_effects<B: Backend + ?Sized>(app: &mut App, backend: &mut B) -> bool {
    let mut dirty = app.exchange(backend);
    dirty |= read_texts(app, backend);
    if let Some((kind, id)) = app.forms.take_history_request() {
        let entries = backend.history(kind, &id);
        app.on_history(kind, id, entries);
        dirty = true;
    }
    if let Some(request) = app.documents.take_request() {
        // The document's records are read whole first (a handbook prints its practices' texts).
        for (kind, id) in crate::io::papers::texts_read(&app.replica, request.kind, &request.id) {
            app.read_texts_of(backend, kind, &id);
        }
        let written = documents::write(&app.replica, &request, app.today);
        app.forget_texts();
        app.on_written(&request, written);
        dirty = true;
    }
    dirty |= app.poll_search();
    let connection = backend.status();
    if connection != app.connection {
        match (&app.connection, &connection) {
            (_, Some(c)) if c.starts_with("reconnecting") => app.say(
                Level::Warn,
                format!("Lost the server; {c}. Your screen stays as it was."),
            ),
            (Some(c), _) if c.starts_with("reconnecting") => app.say(
                Level::Info,
                "Reconnected to the server; the records are current again.",
            ),
            _ => {}
        }
        app.connection = connection;
        dirty = true;
    }
    dirty
}

/// Reads the long texts of the records on screen that the replica left out (see
/// `app::texts`): one record each, from the store or the server. A record that cannot be read
/// now shows "…" for its texts and is tried again at the next frame.
pub fn read_texts<B: Backend + ?Sized>(app: &mut App, backend: &mut B) -> bool {
    let mut read = false;
    for (kind, id) in app.texts_to_read() {
        read |= app.read_texts_of(backend, kind, &id);
    }
    app.forget_texts();
    read
}

/// The loop's body, the same for the terminal, the tests and the benchmarks: hands the state
/// the events that came (keys through the keymap), applies what it asked for
/// ([`apply_effects`]), and draws a frame when anything changed (or `dirty` says the screen
/// needs one, e.g. the first). Returns whether a frame was drawn.
pub fn step<B, T>(
    app: &mut App,
    backend: &mut B,
    terminal: &mut ratatui::Terminal<T>,
    events: impl IntoIterator<Item = Event>,
    dirty: bool,
) -> Result<bool, T::Error>
where
    B: Backend + ?Sized,
    T: ratatui::backend::Backend,
{
    let mut dirty = dirty;
    for event in events {
        // What comes after a quit or a suspension waits for none of it.
        if app.should_quit() || app.suspend_pending() {
            break;
        }
        // A key typed ahead (`je`) acts on the record the one before it selected: with its texts.
        dirty |= read_texts(app, backend);
        dirty |= handle_event(app, event);
    }
    dirty |= apply_effects(app, backend);
    if dirty {
        terminal.draw(|frame| render(frame, app))?;
    }
    Ok(dirty)
}

/// Lays the state out for the frame's size ([`layout::layout`]: viewport sizes, lists built,
/// offsets clamped), then draws it ([`draw`], which only reads).
pub fn render(frame: &mut ratatui::Frame, app: &mut App) {
    layout::layout(app, frame.area());
    draw(frame, app);
}

/// Runs the workbench on a backend until the user quits. The terminal is restored on every
/// exit path; errors are returned (for the caller to print after the terminal is back).
/// `notice` opens the message line (e.g. "New database…").
pub fn run(
    mut backend: Box<dyn Backend>,
    options: Options,
    notice: Option<String>,
) -> anyhow::Result<()> {
    let (replica, problems) = backend.snapshot().context("cannot read the database")?;
    let mut app = App::new(replica, backend.user(), backend.location(), options);
    app.keep_texts(backend.texts());
    if let Some(notice) = notice {
        app.say(Level::Info, notice);
    }
    if !problems.is_empty() {
        let first = &problems[0];
        app.say(
            Level::Warn,
            format!(
                "{} record(s) could not be read and are not shown (first: {}/{}: {})",
                problems.len(),
                first.tree,
                first.key,
                first.message
            ),
        );
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot watch for signals")?;
    }
    let mut guard = terminal::Guard::enter(options.mouse).context("cannot prepare the terminal")?;
    let _watch = terminal::HangupWatch::start(Arc::clone(&stop));
    // The first frame, before anything else.
    step(&mut app, backend.as_mut(), &mut guard.terminal, [], true)?;
    // Searches run where the records are held (the saved index of the store this process
    // opened, or the server), so that the workbench builds no index of its own.
    if let Some(source) = backend.search_source() {
        app.search.searcher = Some(crate::search::Searcher::with_source(source));
    }
    let mut events = Vec::new();
    loop {
        if app.should_quit() || stop.load(Ordering::Relaxed) {
            break;
        }
        // While the searcher works, or a change waits for its answer, look for results often;
        // otherwise wait for input.
        let timeout = if app.search.pending() || app.awaiting_answers() {
            SEARCH_POLL
        } else {
            POLL
        };
        if wait_for_input(timeout)? {
            // Take what is already waiting, then draw once. Bounded, and watching for signals:
            // a terminal that hung up (the SSH connection dropped) reads as always ready.
            for _ in 0..MAX_DRAIN {
                events.push(event::read()?);
                if stop.load(Ordering::Relaxed) || !wait_for_input(Duration::ZERO)? {
                    break;
                }
            }
        }
        step(
            &mut app,
            backend.as_mut(),
            &mut guard.terminal,
            events.drain(..),
            false,
        )?;
        if app.take_suspend() {
            guard.suspend()?;
            // Back from the shell: the screen was cleared, draw it whole.
            step(&mut app, backend.as_mut(), &mut guard.terminal, [], true)?;
        }
    }
    drop(guard);
    Ok(())
}
