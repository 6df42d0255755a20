//! The search popup (`/`) over every kind of record, and the text filter of one list (`F`).
//!
//! Both type into the one text input ([`super::input::TextInput`]) and send every change of the query to one
//! [`crate::search::Searcher`], which matches on its own thread and drops a request as soon as
//! a newer one arrives; the loop polls it without blocking ([`poll`]). The searcher's index is
//! built on its thread from a copy of the records the first time it is needed, and follows the
//! store from then on: the workbench hands it every committed change. Results for the picker and
//! the lists' filters are handed back ([`Delivery`]) to the part that asked.

use std::collections::HashSet;

use crate::model::text::sanitize;
use crate::model::{Kind, Replica};
use crate::search::{Hit, Kinds, Request, Results, Searcher};

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
    /// The first hit shown (the view keeps the selection in sight).
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
    /// The searcher, started (with its index built from the records, shared, not copied) if
    /// needed.
    fn searcher(&mut self, replica: &std::sync::Arc<Replica>) -> &mut Searcher {
        self.searcher
            .get_or_insert_with(|| Searcher::build(std::sync::Arc::clone(replica)))
    }

    /// Sends the popup's query.
    fn submit_popup(&mut self, replica: &std::sync::Arc<Replica>) {
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

/// How many records the picker shows.
pub const PICKER_LIMIT: usize = 200;

/// Results that belong to another part of the workbench, handed back for it.
#[derive(Debug)]
pub enum Delivery {
    /// The popup's hits changed (kept here).
    Popup,
    /// The picker's matches for `query`, of every kind asked (the picker keeps its own).
    Picker { query: String, hits: Vec<Hit> },
    /// The ids of the records of `kind` that match a list's text filter `query`.
    List {
        kind: Kind,
        query: String,
        ids: HashSet<String>,
    },
}

impl SearchState {
    /// Sends a list's text filter.
    pub fn submit_list(&mut self, replica: &std::sync::Arc<Replica>, kind: Kind, query: &str) {
        let request = Request::new(query)
            .kinds(Kinds::of(kind))
            .limit(0)
            .with_ids();
        let generation = self.searcher(replica).submit(request);
        self.waiting = Some((generation, Purpose::List(kind)));
    }

    /// A list's filter was cleared: its search, if running, is abandoned.
    pub fn cancel_list(&mut self, kind: Kind) {
        if matches!(self.waiting, Some((_, Purpose::List(k))) if k == kind) {
            if let Some(s) = self.searcher.as_mut() {
                s.cancel();
            }
            self.waiting = None;
        }
    }

    /// Asks for the picker's query: the picker searches with the search engine, off the
    /// screen's thread, diacritics folded.
    pub fn submit_picker(&mut self, replica: &std::sync::Arc<Replica>, kind: Kind, query: &str) {
        let request = Request::new(query)
            .kinds(Kinds::of(kind))
            .limit(PICKER_LIMIT);
        // A list's filter waiting for its answer is asked again later.
        if let Some((_, Purpose::List(kind))) = self.waiting
            && !self.stale_filters.contains(&kind)
        {
            self.stale_filters.push(kind);
        }
        let generation = self.searcher(replica).submit(request);
        self.waiting = Some((generation, Purpose::Picker));
    }

    /// Whether the picker's answer is awaited.
    pub fn picker_pending(&self) -> bool {
        matches!(self.waiting, Some((_, Purpose::Picker)))
    }

    /// Pasted text goes into the popup's line while it types.
    pub fn paste(&mut self, replica: &std::sync::Arc<Replica>, text: &str) -> bool {
        if !(self.open && self.typing) {
            return false;
        }
        self.line.insert(&text.replace(['\n', '\r'], " "));
        self.selected = 0;
        self.submit_popup(replica);
        true
    }

    /// After a commit: lists with a text filter over a changed kind are matched again.
    pub fn filters_stale(&mut self, kinds: impl IntoIterator<Item = Kind>) {
        for kind in kinds {
            if !self.stale_filters.contains(&kind) {
                self.stale_filters.push(kind);
            }
        }
    }

    /// The list whose filter is to be matched again now, if nothing else is awaited.
    pub fn next_stale_filter(&mut self) -> Option<Kind> {
        if self.waiting.is_none() && !self.open {
            self.stale_filters.pop()
        } else {
            None
        }
    }

    /// Takes finished results from the searcher (never blocks).
    pub fn poll(&mut self) -> Option<Delivery> {
        let results = self.searcher.as_mut().and_then(|s| s.poll())?;
        self.accept(results)
    }

    /// Waits up to `timeout` for the awaited results (tests and scripts); returns what came.
    pub fn wait(&mut self, timeout: std::time::Duration) -> Vec<Delivery> {
        let deadline = std::time::Instant::now() + timeout;
        let mut out = Vec::new();
        loop {
            let Some(results) = self.searcher.as_mut().and_then(|s| {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                s.wait(left)
            }) else {
                return out;
            };
            out.extend(self.accept(results));
            if self.waiting.is_none() {
                return out;
            }
        }
    }

    /// Whether results are awaited (the loop then polls more often).
    pub fn pending(&self) -> bool {
        self.waiting.is_some()
    }

    fn accept(&mut self, results: Results) -> Option<Delivery> {
        // Results of the newest generation only reach here (the searcher drops older ones); a
        // re-run after a commit comes under the same generation.
        let purpose = match self.waiting {
            Some((g, p)) if g == results.generation => {
                self.waiting = None;
                p
            }
            _ => match self.last {
                Some((g, p)) if g == results.generation => p,
                _ => return None,
            },
        };
        self.last = Some((results.generation, purpose));
        match purpose {
            Purpose::Popup => {
                // Keep the selection on the same record when the hits are re-ranked.
                let was = self
                    .hits()
                    .get(self.selected)
                    .map(|h| (h.kind, h.id.clone(), h.voucher_type.clone()));
                let same_query = self
                    .results
                    .as_ref()
                    .is_some_and(|r| r.request_query == results.request_query);
                let at = was.filter(|_| same_query).and_then(|(k, id, t)| {
                    results
                        .hits
                        .iter()
                        .position(|h| h.kind == k && h.id == id && h.voucher_type == t)
                });
                self.selected = at.unwrap_or(if same_query { self.selected } else { 0 });
                self.selected = self.selected.min(results.hits.len().saturating_sub(1));
                self.results = Some(results);
                Some(Delivery::Popup)
            }
            Purpose::Picker => Some(Delivery::Picker {
                query: results.request_query,
                hits: results.hits,
            }),
            Purpose::List(kind) => Some(Delivery::List {
                kind,
                query: results.request_query,
                ids: results
                    .matched
                    .into_iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, id)| id)
                    .collect(),
            }),
        }
    }
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

/// The first row shown of `n`, `rows` at a time, so that `selected` is in view.
fn scrolled(offset: usize, selected: usize, rows: usize, n: usize) -> usize {
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    if offset + rows > n {
        offset = n.saturating_sub(rows);
    }
    offset
}

impl SearchState {
    /// Fits the popup to `area` before a frame (the rows of hits it shows, its offset keeping
    /// the selection in view); returns those rows (a page for PgUp/PgDn), if it is open.
    pub fn prepare(&mut self, area: Rect) -> Option<usize> {
        if !self.open || area.width < 8 || area.height < 3 {
            return None;
        }
        let h = if area.height >= 16 {
            area.height - 2
        } else {
            area.height
        };
        let w = if area.width >= 60 {
            (area.width - 4).min(110)
        } else {
            area.width
        };
        // Inside the frame: the query line, then the status line when there is room.
        let (inner_w, inner_h) = (w.saturating_sub(2), h.saturating_sub(2));
        if inner_h < 2 || inner_w < 3 {
            return None;
        }
        let mut rows = (inner_h - 1) as usize;
        if rows >= 3 || self.hits().is_empty() {
            rows -= 1;
        }
        let n = self.hits().len();
        if rows > 0 && n > 0 {
            self.offset = scrolled(self.offset, self.selected.min(n - 1), rows, n);
        }
        Some(rows.max(1))
    }

    /// Draws the search popup over `area` (the panes), as [`SearchState::prepare`] fitted it.
    /// Builds only the rows in view.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        if !self.open || area.width < 8 || area.height < 3 {
            return;
        }
        let theme = *cx.theme;
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
        let s = self;
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
        let n = s.results.as_ref().map_or(0, |r| r.hits.len());
        if rows == 0 || n == 0 || s.line.text.trim().is_empty() {
            return;
        }
        let selected = s.selected.min(n - 1);
        let offset = scrolled(s.offset, selected, rows, n);
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
                        let (more, mw) = marked_spans(
                            &sanitize(&f.text, false),
                            &f.marks,
                            full - used,
                            dim,
                            ell,
                        );
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
    pub fn view_narrowing(&self, cx: &Cx, frame: &mut Frame, area: Rect) -> bool {
        let Some((kind, line, _)) = &self.narrowing else {
            return false;
        };
        let theme = cx.theme;
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
}
