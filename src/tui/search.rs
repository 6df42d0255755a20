//! The search popup (`/`) over every kind of record, and the text filter of one list (`F`).
//!
//! Both type into the one text input ([`super::input::TextInput`]) and send every change of the query to one
//! [`crate::search::Searcher`], which matches on its own thread and drops a request as soon as
//! a newer one arrives; the loop polls it without blocking ([`poll`]). The searcher's index is
//! built on its thread from a copy of the records the first time it is needed, and follows the
//! store from then on: [`App::apply`] hands it every committed change.

use std::collections::HashSet;

use crate::model::text::sanitize;
use crate::model::{Kind, Replica};
use crate::search::{Hit, Kinds, Request, Results, Searcher};

use super::app::App;
use super::feature::{Cx, Effect, Level};
use super::keymap::Action;
use super::kinds;
use super::text::width;

/// How many hits the popup asks for (and can scroll through).
pub const LIMIT: usize = 500;

/// The line typed: the workbench's one text input.
pub use super::input::TextInput as LineEdit;

/// Who the searcher's newest request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Popup,
    List(Kind),
    /// A form's picker, searching the records of one kind.
    Picker,
}

/// The search popup and the list filters' share of the searcher.
#[derive(Default)]
pub struct SearchState {
    /// Started the first time search or a text filter is used.
    pub searcher: Option<Searcher>,
    /// Whether the popup is showing.
    pub open: bool,
    /// In the popup: typing (true) or moving through the results (false).
    pub typing: bool,
    pub line: LineEdit,
    /// The newest results shown (they stay while newer ones are being found).
    pub results: Option<Results>,
    pub selected: usize,
    pub offset: usize,
    /// The newest request's generation and who it is for, while its results are awaited.
    pub waiting: Option<(u64, Purpose)>,
    /// The text filter being typed for a list: its kind, the line, and the filter it had.
    pub narrowing: Option<(Kind, LineEdit, Option<TextFilter>)>,
    /// Lists whose text filter must be matched again (a commit touched their kind).
    pub stale_filters: Vec<Kind>,
    /// The generation and purpose of the newest results taken: a commit makes the searcher
    /// run that request again under the same generation.
    last: Option<(u64, Purpose)>,
}

/// A list's text filter: the query and the ids of the records that match it (None while the
/// first answer is awaited).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextFilter {
    pub query: String,
    pub ids: Option<HashSet<String>>,
}

impl SearchState {
    /// The hits shown.
    pub fn hits(&self) -> &[Hit] {
        self.results.as_ref().map_or(&[], |r| r.hits.as_slice())
    }

    /// Whether results are awaited.
    pub fn busy(&self) -> bool {
        self.waiting.is_some()
    }
}

impl SearchState {
    /// The searcher, started (with its index built from a copy of the records) if needed.
    fn searcher(&mut self, replica: &Replica) -> &mut Searcher {
        self.searcher
            .get_or_insert_with(|| Searcher::build(replica.clone()))
    }

    /// Sends the popup's query.
    fn submit_popup(&mut self, replica: &Replica) {
        let query = self.line.text.clone();
        let generation = self
            .searcher(replica)
            .submit(Request::new(query).limit(LIMIT));
        self.waiting = Some((generation, Purpose::Popup));
    }

    /// `/`: opens the popup where it was left (query and selection kept) and matches the
    /// query again, since the records may have changed meanwhile.
    pub fn open(&mut self, cx: &Cx) {
        self.open = true;
        self.typing = true;
        self.submit_popup(cx.replica);
    }

    /// Closes the popup; its search, if running, is abandoned.
    pub fn close(&mut self) {
        self.open = false;
        if matches!(self.waiting, Some((_, Purpose::Popup))) {
            if let Some(s) = self.searcher.as_mut() {
                s.cancel();
            }
            self.waiting = None;
        }
    }

    /// The popup's answer to an action (the keymap's Search and SearchList contexts).
    pub fn update(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        let n = self.hits().len();
        let page = cx.popup_rows.saturating_sub(1).max(1);
        match action {
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::PageDown => self.selected = (self.selected + page).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::NextPane | Action::Search => {
                self.typing = !self.typing || action == Action::Search
            }
            Action::Close => return vec![Effect::Close],
            // Enter: opens the selected hit the way following a link does (Backspace comes
            // back).
            Action::Open => {
                return match self.hits().get(self.selected) {
                    Some(hit) => vec![Effect::Close, Effect::Open(hit.kind, hit.id.clone())],
                    None => vec![Effect::Say(
                        Level::Info,
                        "Nothing to open: type a few letters first".into(),
                    )],
                };
            }
            _ if self.typing && self.line.apply(action) == Some(true) => {
                self.selected = 0;
                self.offset = 0;
                self.submit_popup(cx.replica);
            }
            _ => {}
        }
        Vec::new()
    }
}

/// The searcher, started (with its index built from a copy of the records) if needed.
fn searcher(app: &mut App) -> &mut Searcher {
    app.search.searcher(&app.replica)
}

/// Sends the popup's query.
fn submit_popup(app: &mut App) {
    app.search.submit_popup(&app.replica);
}

/// Sends a list's text filter.
fn submit_list(app: &mut App, kind: Kind, query: &str) {
    let request = Request::new(query)
        .kinds(Kinds::of(kind))
        .limit(0)
        .with_ids();
    let generation = searcher(app).submit(request);
    app.search.waiting = Some((generation, Purpose::List(kind)));
}

/// How many records the picker shows.
pub const PICKER_LIMIT: usize = 200;

/// Asks the searcher for the picker's query, if it changed since last asked: the picker
/// searches with the search engine, off the screen's thread, diacritics folded.
pub fn ask_picker(app: &mut App) {
    let Some(p) = app.forms.form.as_mut().and_then(|f| f.picker.as_mut()) else {
        return;
    };
    if p.asked.as_deref() == Some(p.query.text.as_str()) {
        return;
    }
    let query = p.query.text.clone();
    p.asked = Some(query.clone());
    let request = Request::new(query)
        .kinds(Kinds::of(p.kind))
        .limit(PICKER_LIMIT);
    // A list's filter waiting for its answer is asked again later.
    if let Some((_, Purpose::List(kind))) = app.search.waiting
        && !app.search.stale_filters.contains(&kind)
    {
        app.search.stale_filters.push(kind);
    }
    let generation = searcher(app).submit(request);
    app.search.waiting = Some((generation, Purpose::Picker));
}

/// Whether the picker's matches do not answer what is typed yet.
pub fn picker_waiting(app: &App) -> bool {
    match app.forms.form.as_ref().and_then(|f| f.picker.as_ref()) {
        Some(p) => {
            p.asked.as_deref() != Some(p.query.text.as_str())
                || matches!(app.search.waiting, Some((_, Purpose::Picker)))
        }
        None => false,
    }
}

/// `/`: opens the popup where it was left.
pub fn open(app: &mut App) {
    app.search.open(&cx!(app));
}

/// The popup's answer to an action: its own, and what it asks of the workbench.
pub fn update(app: &mut App, action: Action) {
    let effects = app.search.update(&cx!(app), action);
    app.carry_out(super::app::Part::Search, effects);
}

/// An editing action on the line of a list's text filter being typed.
pub fn edit_narrowing(app: &mut App, action: Action) {
    if let Some((kind, line, _)) = app.search.narrowing.as_mut() {
        let kind = *kind;
        if line.apply(action) == Some(true) {
            let query = line.text.clone();
            set_text_filter(app, kind, &query);
        }
    }
}

/// Pasted text goes into the line being typed, if any.
pub fn paste(app: &mut App, text: &str) -> bool {
    let text = text.replace(['\n', '\r'], " ");
    if let Some((kind, line, _)) = app.search.narrowing.as_mut() {
        let kind = *kind;
        line.insert(&text);
        let query = line.text.clone();
        set_text_filter(app, kind, &query);
        return true;
    }
    if app.search.open && app.search.typing {
        app.search.line.insert(&text);
        app.search.selected = 0;
        submit_popup(app);
        return true;
    }
    false
}

// ----- a list's text filter -----

/// `F`: types a text filter for the shown list.
pub fn start_narrowing(app: &mut App) {
    let Some(kind) = app.kind() else {
        app.say(
            Level::Info,
            "Overviews have no list to narrow: / searches everything",
        );
        return;
    };
    let before = app.views[kind as usize].text.clone();
    let line = LineEdit::new(before.as_ref().map_or("", |t| t.query.as_str()));
    app.search.narrowing = Some((kind, line, before));
}

/// Sets (or with an empty query clears) a list's text filter and asks for its matches.
fn set_text_filter(app: &mut App, kind: Kind, query: &str) {
    if query.trim().is_empty() {
        app.views[kind as usize].text = None;
        app.mark_stale(kind);
        if matches!(app.search.waiting, Some((_, Purpose::List(k))) if k == kind) {
            if let Some(s) = app.search.searcher.as_mut() {
                s.cancel();
            }
            app.search.waiting = None;
        }
        return;
    }
    let keep = app.views[kind as usize]
        .text
        .as_ref()
        .and_then(|t| t.ids.clone());
    app.views[kind as usize].text = Some(TextFilter {
        query: query.to_string(),
        // The earlier matches stay until the new ones arrive.
        ids: keep,
    });
    app.mark_stale(kind);
    submit_list(app, kind, query);
}

/// Enter or Esc in the filter line: keep the filter, or go back to the one before.
pub fn finish_narrowing(app: &mut App, keep: bool) {
    let Some((kind, line, before)) = app.search.narrowing.take() else {
        return;
    };
    if keep {
        let n = app.view(kind).ids.len();
        let what = kinds::plural(kind).to_lowercase();
        let text = if line.text.trim().is_empty() {
            format!("Text filter cleared: {n} {what}")
        } else {
            format!(
                "{n} {what} match \u{201c}{}\u{201d} · x clears the filters",
                line.text
            )
        };
        app.say(Level::Info, text);
    } else {
        match before {
            Some(b) => set_text_filter(app, kind, &b.query),
            None => set_text_filter(app, kind, ""),
        }
    }
}

/// After a commit: lists with a text filter over a changed kind are matched again.
pub fn on_commit(app: &mut App, kinds_changed: &[Kind]) {
    for kind in kinds_changed {
        if app.views[*kind as usize].text.is_some() && !app.search.stale_filters.contains(kind) {
            app.search.stale_filters.push(*kind);
        }
    }
}

// ----- the loop's side -----

/// Takes finished results from the searcher (never blocks); returns whether the screen
/// changed. Also sends the refresh of a stale list filter when nothing else is awaited.
pub fn poll(app: &mut App) -> bool {
    let mut changed = false;
    if let Some(results) = app.search.searcher.as_mut().and_then(|s| s.poll()) {
        changed = accept(app, results);
    }
    if app.search.waiting.is_none()
        && !app.search.open
        && let Some(kind) = app.search.stale_filters.pop()
        && let Some(query) = app.views[kind as usize]
            .text
            .as_ref()
            .map(|t| t.query.clone())
    {
        submit_list(app, kind, &query);
    }
    changed
}

/// Waits up to `timeout` for the awaited results (tests and scripts); returns whether any came.
pub fn wait(app: &mut App, timeout: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let Some(results) = app.search.searcher.as_mut().and_then(|s| {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            s.wait(left)
        }) else {
            return false;
        };
        accept(app, results);
        if app.search.waiting.is_none() {
            return true;
        }
    }
}

/// Whether results are awaited (the loop then polls more often).
pub fn pending(app: &App) -> bool {
    app.search.waiting.is_some()
}

fn accept(app: &mut App, results: Results) -> bool {
    // Results of the newest generation only reach here (the searcher drops older ones); a
    // re-run after a commit comes under the same generation.
    let purpose = match app.search.waiting {
        Some((g, p)) if g == results.generation => {
            app.search.waiting = None;
            p
        }
        _ => match app.search.last {
            Some((g, p)) if g == results.generation => p,
            _ => return false,
        },
    };
    app.search.last = Some((results.generation, purpose));
    match purpose {
        Purpose::Popup => {
            // Keep the selection on the same record when the hits are re-ranked.
            let was = app
                .search
                .hits()
                .get(app.search.selected)
                .map(|h| (h.kind, h.id.clone(), h.voucher_type.clone()));
            let same_query = app
                .search
                .results
                .as_ref()
                .is_some_and(|r| r.request_query == results.request_query);
            let at = was.filter(|_| same_query).and_then(|(k, id, t)| {
                results
                    .hits
                    .iter()
                    .position(|h| h.kind == k && h.id == id && h.voucher_type == t)
            });
            app.search.selected = at.unwrap_or(if same_query { app.search.selected } else { 0 });
            app.search.selected = app
                .search
                .selected
                .min(results.hits.len().saturating_sub(1));
            app.search.results = Some(results);
        }
        Purpose::Picker => {
            let Some(p) = app.forms.form.as_mut().and_then(|f| f.picker.as_mut()) else {
                return false;
            };
            if p.asked.as_deref() != Some(results.request_query.as_str()) {
                return false;
            }
            let kind = p.kind;
            p.matches = results
                .hits
                .into_iter()
                .filter(|h| h.kind == kind && h.voucher_type.is_none())
                .map(|h| (h.id, h.title))
                .collect();
            p.selected = p.selected.min(p.matches.len().saturating_sub(1));
        }
        Purpose::List(kind) => {
            let Some(filter) = app.views[kind as usize].text.as_mut() else {
                return false;
            };
            if filter.query != results.request_query {
                return false;
            }
            filter.ids = Some(
                results
                    .matched
                    .into_iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, id)| id)
                    .collect(),
            );
            app.mark_stale(kind);
        }
    }
    true
}

// ----- drawing -----

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// How matched characters are drawn: bold and underlined (readable without colour too).
pub fn mark_style(base: Style) -> Style {
    base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// `text` cut to `columns` cells, as spans with the characters at `marks` (char indices,
/// ascending) in the mark style. Returns the spans and the cells used.
fn marked_spans(
    text: &str,
    marks: &[usize],
    columns: usize,
    base: Style,
    ellipsis: &str,
) -> (Vec<Span<'static>>, usize) {
    let cut = super::text::truncate(text, columns, ellipsis);
    let cut_off = cut != text;
    let keep = cut.chars().count() - usize::from(cut_off && !ellipsis.is_empty());
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut on = false;
    for (i, c) in cut.chars().enumerate() {
        let m = i < keep && marks.binary_search(&i).is_ok();
        if m != on && !run.is_empty() {
            let style = if on { mark_style(base) } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        on = m;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if on { mark_style(base) } else { base }));
    }
    (spans, width(&cut))
}

/// The prefixes the query understands, in words (for the empty popup).
fn prefix_help() -> String {
    crate::search::PREFIXES
        .iter()
        .filter(|(_, what)| !what.starts_with("scores"))
        .map(|(p, what)| format!("{}: {what}", p.split(", ").next().unwrap_or(p)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Draws the search popup over `area` (the panes). Builds only the rows in view.
pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    if !app.search.open || area.width < 8 || area.height < 3 {
        return;
    }
    let theme = app.theme;
    let ell = theme.symbols.ellipsis;
    let w = if area.width >= 60 {
        (area.width - 4).min(110)
    } else {
        area.width
    };
    let h = if area.height >= 16 {
        area.height - 2
    } else {
        area.height
    };
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    let s = &app.search;
    let total = s.results.as_ref().map_or(0, |r| r.total);
    let hits = s.hits();
    let mut block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(" Search ", theme.title));
    if s.results.is_some() && !s.line.text.trim().is_empty() {
        let count = if total > hits.len() {
            format!(" {} of {total} ", hits.len())
        } else {
            format!(" {total} ")
        };
        block = block.title_bottom(Line::from(count).right_aligned());
    }
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.height == 0 || inner.width < 3 {
        return;
    }
    // The query line.
    let prompt = "/ ";
    let room = (inner.width as usize).saturating_sub(prompt.len());
    let (shown, col) = s.line.view(room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, theme.key),
            Span::raw(shown),
        ])),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let typing = s.typing;
    if typing {
        frame.set_cursor_position(Position::new(
            inner.x + (prompt.len() + col).min(inner.width as usize - 1) as u16,
            inner.y,
        ));
    }
    if inner.height < 2 {
        return;
    }
    // The status line, when there is room for it and results.
    let mut top = inner.y + 1;
    let mut rows = (inner.height - 1) as usize;
    let status = if s.line.text.trim().is_empty() {
        Some(format!("Type to search every record. {}", prefix_help()))
    } else if s.busy() && s.results.is_none() {
        Some("searching…".to_string())
    } else if total == 0 && !s.busy() {
        Some("No record matches: fewer letters, or another prefix".to_string())
    } else if s.busy() {
        Some("searching…".to_string())
    } else {
        None
    };
    if rows >= 3 || hits.is_empty() {
        let text = status.unwrap_or_default();
        frame.render_widget(
            Paragraph::new(Line::styled(
                super::text::truncate(&text, inner.width as usize, ell),
                theme.dim,
            )),
            Rect::new(inner.x, top, inner.width, 1),
        );
        top += 1;
        rows -= 1;
    }
    app.viewport.popup_rows = rows.max(1);
    let s = &mut app.search;
    let n = s.results.as_ref().map_or(0, |r| r.hits.len());
    if rows == 0 || n == 0 || s.line.text.trim().is_empty() {
        return;
    }
    if s.selected >= n {
        s.selected = n - 1;
    }
    if s.selected < s.offset {
        s.offset = s.selected;
    } else if s.selected >= s.offset + rows {
        s.offset = s.selected + 1 - rows;
    }
    if s.offset + rows > n {
        s.offset = n.saturating_sub(rows);
    }
    let (offset, selected) = (s.offset, s.selected);
    let hits = &s.results.as_ref().expect("checked above").hits[offset..(offset + rows).min(n)];
    let marker = theme.symbols.marker;
    let marker_w = width(marker);
    let full = inner.width as usize;
    let tag_w = hits
        .iter()
        .map(|h| width(h.label))
        .max()
        .unwrap_or(0)
        .min(full / 4);
    let lines: Vec<Line> = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| {
            let chosen = offset + i == selected;
            let base = if chosen {
                theme.selected
            } else {
                Style::default()
            };
            let mut spans = vec![Span::styled(
                if chosen {
                    marker.to_string()
                } else {
                    " ".repeat(marker_w)
                },
                base,
            )];
            let mut used = marker_w;
            if tag_w > 0 {
                let tag = super::text::pad(hit.label, tag_w, ell);
                spans.push(Span::styled(
                    format!("{tag} "),
                    if chosen { base } else { theme.label },
                ));
                used += tag_w + 1;
            }
            let title = match &hit.voucher_type {
                Some(code) if hit.title.is_empty() => code.clone(),
                _ => sanitize(&hit.title, false),
            };
            let (title_spans, tw) = marked_spans(
                &title,
                &hit.title_marks,
                full.saturating_sub(used),
                base,
                ell,
            );
            spans.extend(title_spans);
            used += tw;
            // Where else it matched, as room allows.
            if let Some(f) = hit.fields.first() {
                let lead = format!("  {}: ", f.label);
                if full > used + width(&lead) + 3 {
                    let dim = if chosen { base } else { theme.dim };
                    spans.push(Span::styled(lead.clone(), dim));
                    used += width(&lead);
                    let (more, mw) =
                        marked_spans(&sanitize(&f.text, false), &f.marks, full - used, dim, ell);
                    spans.extend(more);
                    used += mw;
                }
            }
            if chosen && used < full {
                spans.push(Span::styled(" ".repeat(full - used), base));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, top, inner.width, rows as u16),
    );
}

/// Draws the text filter being typed in `area` (the message line).
pub fn draw_narrowing(frame: &mut Frame, app: &App, area: Rect) -> bool {
    let Some((kind, line, _)) = &app.search.narrowing else {
        return false;
    };
    let theme = &app.theme;
    let prompt = format!(" Narrow {}: ", kinds::plural(*kind).to_lowercase());
    let room = (area.width as usize).saturating_sub(width(&prompt));
    let (shown, col) = line.view(room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt.clone(), theme.key),
            Span::raw(shown),
        ])),
        area,
    );
    let x = (width(&prompt) + col).min(area.width.saturating_sub(1) as usize) as u16;
    frame.set_cursor_position(Position::new(area.x + x, area.y));
    true
}
