//! The workbench's state and [`update`], which changes it for one [`Action`]. Nothing here
//! touches the terminal or the store, so every behaviour is testable without either.
//!
//! Lists keep, per kind, a vector of the ids that pass the filters, in sort order. It is built
//! once (O(n log n)) when a list is first shown or its filters change, and kept current by
//! inserting or removing single ids when a change is committed. Only the rows on screen are
//! ever turned into widgets.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::text::sanitize;
use crate::model::*;

use super::content::{Content, ContentKey, Item, Link};
use super::detail;
use super::documents::DocumentState;
use super::forms::FormState;
use super::keymap::{Action, Context};
use super::kinds::{self, Facet, SortBy, SortKey};
pub use super::nav::{Filter, Overview, Target, nav_index, nav_targets};
use super::refs::Refs;
use super::scoring::ScoringPane;
use super::search::SearchState;
use super::theme::{Options, Theme};

/// The panes of the main screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Nav,
    List,
    Detail,
}

/// The list of one kind: the ids that pass its filters, in its sort order, and the selection.
#[derive(Clone, Debug, Default)]
pub struct ListView {
    pub ids: Vec<String>,
    /// False when the ids must be rebuilt before use (filters, sort or project changed).
    fresh: bool,
    pub selected: usize,
    pub selected_id: Option<String>,
    pub offset: usize,
    pub filters: Vec<Filter>,
    pub sort: usize,
    pub descending: bool,
    /// The text filter (`F`), matched by the search engine.
    pub text: Option<super::search::TextFilter>,
    /// The columns fitted to the list's width, over a sample of its rows: kept while the list
    /// and the width stay, so that columns do not jump while scrolling.
    pub(crate) columns: Option<(u16, Vec<(usize, u16)>)>,
}

impl ListView {
    /// Whether a record passes the text filter (all do while its first matches are awaited).
    fn text_passes(&self, id: &str) -> bool {
        match &self.text {
            Some(super::search::TextFilter { ids: Some(ids), .. }) => ids.contains(id),
            _ => true,
        }
    }

    fn select(&mut self, index: usize) {
        self.selected = index.min(self.ids.len().saturating_sub(1));
        self.selected_id = self.ids.get(self.selected).cloned();
    }
}

pub use super::feature::{Cx, Effect, Level};

/// The message line: errors and confirmations, never printed to stdout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub level: Level,
    pub text: String,
}

/// A facet the filter menu offers: the project (which applies to every list) or a kind's facet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacetChoice {
    Project,
    Facet(Facet),
}

/// A value in the filter menu: its key (None: any), how it reads, and how many records have it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: Option<String>,
    pub label: String,
    pub count: usize,
}

/// A popup over the panes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Popup {
    Help {
        scroll: usize,
    },
    /// The last messages, newest first (`m`), read in full.
    Messages {
        scroll: usize,
    },
    Facets {
        choices: Vec<FacetChoice>,
        selected: usize,
    },
    Values {
        facet: FacetChoice,
        choices: Vec<Choice>,
        selected: usize,
    },
    Sort {
        selected: usize,
    },
}

/// Where the reader is in the detail or overview pane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DetailPos {
    /// The selected item.
    pub selected: usize,
    /// The first line shown.
    pub scroll: usize,
}

/// Everything needed to come back to a place after following a link.
#[derive(Clone, Debug)]
struct Location {
    nav: usize,
    focus: Pane,
    project: Option<String>,
    selected_id: Option<String>,
    selected: usize,
    filters: Vec<Filter>,
    text: Option<super::search::TextFilter>,
    sort: usize,
    descending: bool,
    detail: DetailPos,
    detail_key: Option<ContentKey>,
    /// The filters a followed link replaced on another kind's list (a drill-down from an
    /// overview), given back on the way back.
    replaced: Option<(Kind, Vec<Filter>, Option<super::search::TextFilter>)>,
}

/// The sizes the last frame had, so that paging moves by what is on screen.
#[derive(Clone, Copy, Debug)]
pub struct Viewport {
    pub list_rows: usize,
    pub detail_width: u16,
    pub detail_rows: usize,
    pub nav_rows: usize,
    pub popup_rows: usize,
    /// How many lines the help or messages popup had (wrapped) in the last frame.
    pub popup_len: usize,
    pub too_small: bool,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            list_rows: 10,
            detail_width: 78,
            detail_rows: 20,
            nav_rows: 20,
            popup_rows: 10,
            popup_len: 0,
            too_small: false,
        }
    }
}

use super::feature::cx;

mod effects;
mod links;
mod lists;
mod menus;

pub use effects::Part;

const MAX_HISTORY: usize = 200;
/// How many messages `m` can show again.
const MAX_MESSAGES: usize = 50;

/// The workbench's state.
pub struct App {
    /// Every record, kept current by [`App::apply`].
    /// Shared with the searcher while it builds its index from it (no copy of every record);
    /// a commit that comes meanwhile copies it first (`Arc::make_mut`).
    pub replica: std::sync::Arc<Replica>,
    pub user: String,
    pub location: String,
    /// The shared connection in words ("shared: 3 connected", "reconnecting: …"), if any.
    pub connection: Option<String>,
    pub options: Options,
    pub theme: Theme,
    /// The day overdue items are counted against (today; tests set it).
    pub today: Date,
    pub(crate) nav: usize,
    pub(crate) nav_offset: usize,
    pub(crate) focus: Pane,
    pub(crate) project: Option<String>,
    pub(crate) views: Vec<ListView>,
    /// Who refers to a record (the links back).
    pub(crate) refs: Refs,
    pub detail: DetailPos,
    detail_key: Option<ContentKey>,
    pub(crate) content: Option<Content>,
    history: Vec<Location>,
    pub(crate) popup: Option<Popup>,
    pub(crate) message: Option<Message>,
    /// Changes waiting for the event loop to send them (see `outbox`).
    outbox: Vec<super::outbox::Outgoing>,
    /// Changes sent and not answered yet: the backend's ticket → what each was for.
    pub(crate) awaiting: HashMap<crate::backend::Ticket, super::outbox::Purpose>,
    /// Forms, delete confirmations, undo and history (see `forms`).
    pub forms: FormState,
    quit: bool,
    /// Quitting waits for `y` (Esc at the top level, or Ctrl-c over a changed form).
    pub(crate) confirm_quit: bool,
    /// The last messages said, oldest first (`m` shows them in full).
    pub(crate) messages: Vec<Message>,
    suspend: bool,
    pub viewport: Viewport,
    counts: Option<(u64, Option<String>, Vec<usize>)>,
    /// The scoring pane of an evaluation session, when open (over the panes).
    pub scoring: Option<ScoringPane>,
    /// The search popup and the lists' text filters (see `search`).
    pub search: SearchState,
    /// The path line of `w` and the document waiting for the loop to write it.
    pub documents: DocumentState,
}

impl App {
    /// Builds the state over a snapshot. Costs one pass over the records (the reverse-link
    /// index) and one sort of the first list shown; other lists are sorted when first opened.
    pub fn new(
        replica: Replica,
        user: impl Into<String>,
        location: impl Into<String>,
        options: Options,
    ) -> App {
        let mut views = Vec::with_capacity(Kind::ALL.len());
        views.resize_with(Kind::ALL.len(), ListView::default);
        let mut app = App {
            theme: Theme::new(&options),
            replica: std::sync::Arc::new(replica),
            user: user.into(),
            location: location.into(),
            connection: None,
            options,
            today: Date::today(),
            nav: 0,
            nav_offset: 0,
            focus: Pane::Nav,
            project: None,
            views,
            refs: Refs::default(),
            detail: DetailPos::default(),
            detail_key: None,
            content: None,
            history: Vec::new(),
            popup: None,
            message: None,
            outbox: Vec::new(),
            awaiting: HashMap::new(),
            forms: Default::default(),
            quit: false,
            confirm_quit: false,
            messages: Vec::new(),
            suspend: false,
            viewport: Viewport::default(),
            counts: None,
            scoring: None,
            search: Default::default(),
            documents: Default::default(),
        };
        app.build_reverse();
        app
    }

    fn build_reverse(&mut self) {
        self.refs = Refs::build(&self.replica);
    }

    // ----- what the screen shows -----

    /// Whether the workbench asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether the user asked to suspend to the shell; reading it clears it.
    /// Whether Ctrl-z asked to suspend (the loop takes it with `take_suspend`).
    pub fn suspend_pending(&self) -> bool {
        self.suspend
    }

    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// The pane with the keyboard focus.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// What the navigation has selected.
    pub fn target(&self) -> Target {
        nav_targets()[self.nav]
    }

    /// The kind whose list is shown, if a list is shown.
    pub fn kind(&self) -> Option<Kind> {
        match self.target() {
            Target::Kind(k) => Some(k),
            Target::Overview(_) => None,
        }
    }

    /// The project shown (None: all projects).
    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    /// How many places Backspace can go back to.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// The context the keymap is read in.
    pub fn context(&self) -> Context {
        if self.viewport.too_small {
            Context::TooSmall
        } else if self.confirm_quit
            || self.forms.confirm_delete.is_some()
            || self.forms.form.as_ref().is_some_and(|f| f.confirm_cancel)
        {
            Context::Confirm
        } else if self.forms.history.is_some() {
            Context::History
        } else if let Some(form) = &self.forms.form {
            match form.fields.get(form.focus) {
                _ if form.picker.is_some() => Context::Picker,
                None => Context::FormSave,
                Some(f) => match f.input {
                    super::forms::Input::Choice { .. } => Context::FormChoice,
                    super::forms::Input::Ref { .. } => Context::FormReference,
                    super::forms::Input::Text { .. } => Context::Form,
                },
            }
        } else if matches!(
            self.popup,
            Some(Popup::Help { .. } | Popup::Messages { .. })
        ) {
            Context::Help
        } else if self.documents.prompt.is_some() {
            Context::Path
        } else if self.search.narrowing.is_some() {
            Context::Narrow
        } else if self.search.open {
            if self.search.typing {
                Context::Search
            } else {
                Context::SearchList
            }
        } else {
            match self.popup {
                Some(Popup::Help { .. } | Popup::Messages { .. }) => Context::Help,
                Some(_) => Context::Popup,
                None => match &self.scoring {
                    Some(p) if p.entry.is_some() => Context::Entry,
                    Some(p) if p.confirm.is_some() => Context::Confirm,
                    Some(p) if p.board => Context::Board,
                    Some(_) => Context::Scoring,
                    None => Context::Main,
                },
            }
        }
    }

    /// Whether an action does something where the user is now (the status bar hints only
    /// those; the others still answer with a message when pressed).
    pub fn applicable(&self, action: Action) -> bool {
        match (self.context(), action) {
            (
                Context::Main,
                Action::Filter | Action::Sort | Action::ClearFilters | Action::Narrow,
            ) => self.kind().is_some(),
            (Context::Main, Action::Back) => !self.history.is_empty(),
            (Context::Main, Action::New | Action::Edit) => {
                self.kind().is_some_and(super::forms::editable)
            }
            (Context::Main, Action::Delete | Action::History) => self.kind().is_some(),
            (Context::Main, Action::WriteDocument) => self
                .kind()
                .is_some_and(|k| super::documents::document_of(k).is_some()),
            (Context::Main, Action::Undo) => self.forms.last.is_some(),
            (Context::Scoring | Context::Board, action) => self
                .scoring
                .as_ref()
                .is_none_or(|p| p.applicable(&self.cx(), action)),
            _ => true,
        }
    }

    /// Shows a message in the message line.
    pub fn say(&mut self, level: Level, text: impl Into<String>) {
        let message = Message {
            level,
            text: text.into(),
        };
        if self.messages.last() != Some(&message) {
            self.messages.push(message.clone());
            if self.messages.len() > MAX_MESSAGES {
                self.messages.remove(0);
            }
        }
        self.message = Some(message);
    }

    /// The last messages said, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Whether something typed would be lost by quitting now (a changed form).
    pub fn unsaved(&self) -> bool {
        self.forms.form.as_ref().is_some_and(|f| f.changed())
    }

    /// Ctrl-c: quits at once, unless a changed form would be lost: then asks first.
    fn quit_or_ask(&mut self) {
        if self.unsaved() {
            self.confirm_quit = true;
        } else {
            self.quit = true;
        }
    }

    /// The list of a kind, built or rebuilt if needed.
    pub fn view(&mut self, kind: Kind) -> &ListView {
        self.ensure_view(kind);
        &self.views[kind as usize]
    }

    /// The selected record of the shown list.
    pub fn selected(&mut self) -> Option<(Kind, String)> {
        let kind = self.kind()?;
        let view = self.view(kind);
        view.selected_id.clone().map(|id| (kind, id))
    }

    /// The filters of a kind's list.
    pub fn filters(&self, kind: Kind) -> &[Filter] {
        &self.views[kind as usize].filters
    }

    /// The text filter of a kind's list (`F`), if any.
    pub fn text_filter(&self, kind: Kind) -> Option<&super::search::TextFilter> {
        self.views[kind as usize].text.as_ref()
    }

    /// The sort of a kind's list and whether it is descending.
    pub fn sort(&self, kind: Kind) -> (SortBy, bool) {
        let v = &self.views[kind as usize];
        (kinds::sorts(kind)[v.sort], v.descending)
    }

    /// How many records of a kind the chosen project has (all of them when no project is chosen).
    pub fn scope_count(&mut self, kind: Kind) -> usize {
        let Some(project) = self.project.clone() else {
            return self.replica.count(kind);
        };
        let stale = !matches!(&self.counts, Some((seq, p, _)) if *seq == self.replica.seq && p.as_deref() == Some(project.as_str()));
        if stale {
            let counts = Kind::ALL
                .iter()
                .map(|k| {
                    self.replica
                        .rows(*k)
                        .filter(|r| kinds::in_scope(&self.replica, &r.record, Some(&project)))
                        .count()
                })
                .collect();
            self.counts = Some((self.replica.seq, Some(project), counts));
        }
        self.counts.as_ref().map_or(0, |(_, _, c)| c[kind as usize])
    }

    /// The records that refer to a record.
    pub fn referrers(&self, kind: Kind, id: &str) -> &[(Kind, Arc<str>)] {
        self.refs.referrers(kind, id)
    }

    // ----- the detail / overview pane -----

    /// What the detail pane shows now.
    pub fn content_key(&mut self) -> ContentKey {
        match self.target() {
            Target::Overview(o) => ContentKey::Overview(o, self.project.clone()),
            Target::Kind(kind) => match self.selected() {
                Some((k, id)) => ContentKey::Record(k, id),
                None => ContentKey::Empty(kind),
            },
        }
    }

    /// The detail pane's items and their layout at the current width, rebuilt only when the
    /// record, the data or the width changed.
    pub fn content(&mut self) -> &Content {
        let key = self.content_key();
        let width = self.viewport.detail_width;
        let seq = self.replica.seq;
        let fresh =
            matches!(&self.content, Some(c) if c.key == key && c.seq == seq && c.width == width);
        if !fresh {
            let filtered = match &key {
                ContentKey::Empty(kind) => !self.views[*kind as usize].filters.is_empty(),
                _ => false,
            };
            let items = detail::items(&super::feature::cx!(self), &key, width, filtered);
            self.content = Some(Content::new(
                key.clone(),
                seq,
                width,
                items,
                &self.theme.symbols,
            ));
        }
        if self.detail_key.as_ref() != Some(&key) {
            self.detail_key = Some(key);
            self.detail = DetailPos::default();
            let first = self
                .content
                .as_ref()
                .and_then(|c| c.next_selectable(0, true));
            self.detail.selected = first.unwrap_or(0);
        }
        let content = self.content.as_ref().expect("built above");
        // The record may have changed under the reader: keep the position inside it.
        if self.detail.selected >= content.items.len() {
            self.detail.selected = content.items.len().saturating_sub(1);
        }
        if self.detail.scroll >= content.lines.len() {
            self.detail.scroll = content.lines.len().saturating_sub(1);
        }
        self.content.as_ref().expect("built above")
    }

    /// The item selected in the detail pane.
    pub fn selected_item(&mut self) -> Option<&Item> {
        let i = self.detail.selected;
        self.content().items.get(i)
    }

    /// Scrolls so that the selected item shows; an item taller than the pane shows its start
    /// (moving down) or its end (moving up).
    fn reveal(&mut self, upward: bool) {
        let rows = self.viewport.detail_rows.max(1);
        let sel = self.detail.selected;
        let Some(&(start, end)) = self.content().ranges.get(sel) else {
            return;
        };
        let height = end - start;
        let scroll = &mut self.detail.scroll;
        if height > rows {
            if upward {
                if end <= *scroll || start >= *scroll + rows || *scroll + rows > end {
                    *scroll = end - rows;
                }
            } else if start >= *scroll + rows || end <= *scroll || *scroll < start {
                *scroll = start;
            }
        } else if start < *scroll {
            *scroll = start;
        } else if end > *scroll + rows {
            *scroll = end - rows;
        }
    }

    fn detail_down(&mut self, steps: usize) {
        let rows = self.viewport.detail_rows.max(1);
        for _ in 0..steps {
            let sel = self.detail.selected;
            let content = self.content();
            let Some(&(_, end)) = content.ranges.get(sel) else {
                return;
            };
            let next = content.next_selectable(sel + 1, true);
            if end > self.detail.scroll + rows {
                // Read on through a long item first.
                self.detail.scroll += 1;
                continue;
            }
            match next {
                Some(n) => {
                    self.detail.selected = n;
                    self.reveal(false);
                }
                None => break,
            }
        }
    }

    fn detail_up(&mut self, steps: usize) {
        for _ in 0..steps {
            let sel = self.detail.selected;
            let content = self.content();
            let Some(&(start, _)) = content.ranges.get(sel) else {
                return;
            };
            let prev = if sel == 0 {
                None
            } else {
                content.next_selectable(sel - 1, false)
            };
            if start < self.detail.scroll {
                self.detail.scroll -= 1;
                continue;
            }
            match prev {
                Some(p) => {
                    self.detail.selected = p;
                    self.reveal(true);
                }
                None => {
                    self.detail.scroll = 0;
                    break;
                }
            }
        }
    }

    // ----- moving -----

    fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::Nav => {
                let n = nav_targets().len();
                self.nav = (self.nav as isize + delta).clamp(0, n as isize - 1) as usize;
            }
            Pane::List => {
                let Some(kind) = self.kind() else { return };
                self.ensure_view(kind);
                let view = &mut self.views[kind as usize];
                let to = (view.selected as isize + delta).max(0) as usize;
                view.select(to);
            }
            Pane::Detail => {
                if delta > 0 {
                    self.detail_down(delta as usize);
                } else {
                    self.detail_up(delta.unsigned_abs());
                }
            }
        }
    }

    fn move_to_end(&mut self, bottom: bool) {
        match self.focus {
            Pane::Nav => self.nav = if bottom { nav_targets().len() - 1 } else { 0 },
            Pane::List => {
                let Some(kind) = self.kind() else { return };
                self.ensure_view(kind);
                let view = &mut self.views[kind as usize];
                view.select(if bottom { usize::MAX } else { 0 });
            }
            Pane::Detail => {
                let content = self.content();
                let target = if bottom {
                    content
                        .items
                        .len()
                        .checked_sub(1)
                        .and_then(|last| content.next_selectable(last, false))
                } else {
                    content.next_selectable(0, true)
                };
                let lines = content.lines.len();
                if let Some(t) = target {
                    self.detail.selected = t;
                }
                let rows = self.viewport.detail_rows.max(1);
                self.detail.scroll = if bottom {
                    lines.saturating_sub(rows)
                } else {
                    0
                };
            }
        }
    }

    fn page(&self) -> usize {
        match self.focus {
            Pane::Nav => self.viewport.nav_rows,
            Pane::List => self.viewport.list_rows,
            Pane::Detail => self.viewport.detail_rows,
        }
        .saturating_sub(1)
        .max(1)
    }

    fn panes(&self) -> &'static [Pane] {
        match self.target() {
            Target::Kind(_) => &[Pane::Nav, Pane::List, Pane::Detail],
            Target::Overview(_) => &[Pane::Nav, Pane::Detail],
        }
    }

    fn cycle_pane(&mut self, forward: bool) {
        let panes = self.panes();
        let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = panes.len();
        self.focus = panes[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    // ----- live updates -----

    /// Applies a committed change (this workbench's own or another user's) to the replica and
    /// every list, keeping each list's selection on the same record. Returns whether anything
    /// changed.
    /// Replaces the records with a fresh snapshot (after a reconnection) as one change, so that
    /// every list keeps its place.
    pub fn replace_records(&mut self, fresh: Replica) -> bool {
        let mut changes = Vec::new();
        for kind in Kind::ALL {
            for row in self.replica.rows(*kind) {
                if fresh.row(*kind, row.record.id()).is_none() {
                    changes.push(Change {
                        kind: *kind,
                        id: row.record.id().to_string(),
                        row: None,
                    });
                }
            }
            for row in fresh.rows(*kind) {
                if self.replica.row(*kind, row.record.id()) != Some(row) {
                    changes.push(Change {
                        kind: *kind,
                        id: row.record.id().to_string(),
                        row: Some(row.clone()),
                    });
                }
            }
        }
        if changes.is_empty() {
            return false;
        }
        let committed = Committed {
            seq: fresh.seq.max(self.replica.seq + 1),
            at: Timestamp::now(),
            actor: Actor::user(self.user.clone()),
            summary: "resynchronised with the server".into(),
            changed: changes.len(),
            changes,
        };
        self.apply(&committed)
    }

    /// Queues a change for the event loop; nothing is shown as saved until `on_result`.
    pub fn send(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
        purpose: super::outbox::Purpose,
    ) {
        self.outbox.push(super::outbox::Outgoing {
            command,
            on_behalf_of,
            purpose,
        });
    }

    /// The changes queued since the last call, for the loop to send.
    pub fn take_outbox(&mut self) -> Vec<super::outbox::Outgoing> {
        std::mem::take(&mut self.outbox)
    }

    /// Applies a commit to the replica and every view. Record by record, only what is newer
    /// than the row held: a change already here (a reply applied before its broadcast, a
    /// replay after a resynchronisation) is skipped without dropping the rest, so another
    /// user's commit is never lost because this workbench's own overtook it.
    pub fn apply(&mut self, committed: &Committed) -> bool {
        let newer = |c: &&Change| match self.replica.row(c.kind, &c.id) {
            Some(held) => held.rev < committed.seq,
            None => c.row.is_some(),
        };
        let fresh: Vec<Change> = committed.changes.iter().filter(newer).cloned().collect();
        if fresh.is_empty() {
            let seq = self.replica.seq.max(committed.seq);
            std::sync::Arc::make_mut(&mut self.replica).seq = seq;
            return false;
        }
        let committed = &Committed {
            seq: committed.seq,
            at: committed.at,
            actor: committed.actor.clone(),
            summary: committed.summary.clone(),
            changed: fresh.len(),
            changes: fresh,
        };
        for change in &committed.changes {
            if let Some(old) = self.replica.record(change.kind, &change.id).cloned() {
                self.refs.remove(&old);
            }
            if let Some(row) = &change.row {
                self.refs.add(&row.record);
            }
        }
        std::sync::Arc::make_mut(&mut self.replica).apply(committed);
        // The search index follows: the worker indexes the changed records again.
        if let Some(searcher) = &self.search.searcher {
            searcher.apply(committed.clone());
        }
        let touched: Vec<Kind> = Kind::ALL
            .iter()
            .copied()
            .filter(|k| committed.changes.iter().any(|c| c.kind == *k))
            .collect();
        // Lists with a text filter over a changed kind are matched again.
        let filtered: Vec<Kind> = touched
            .iter()
            .copied()
            .filter(|k| self.views[*k as usize].text.is_some())
            .collect();
        self.search.filters_stale(filtered);
        let many = committed.changes.len() > 2_000;
        // A project, plan, scheme, meeting or session moving can move records that hang from it.
        let parents = committed.changes.iter().any(|c| {
            matches!(
                c.kind,
                Kind::Project
                    | Kind::ActionPlan
                    | Kind::Scheme
                    | Kind::Meeting
                    | Kind::Session
                    | Kind::Sme
            )
        });
        if many || (parents && self.project.is_some()) {
            self.mark_all_stale();
        } else {
            for change in &committed.changes {
                self.update_view(change.kind, &change.id);
            }
            if parents {
                // Lists that show a parent's name in a column may have moved in their sort.
                for kind in [
                    Kind::Practice,
                    Kind::Meeting,
                    Kind::ActionPlan,
                    Kind::Partner,
                    Kind::Action,
                    Kind::Voucher,
                    Kind::Score,
                ] {
                    if matches!(
                        kinds::sorts(kind)[self.views[kind as usize].sort],
                        SortBy::Project
                    ) {
                        self.mark_stale(kind);
                    }
                }
            }
        }
        let shown = self.kind();
        let had = shown.and_then(|k| self.views[k as usize].selected_id.clone());
        for kind in Kind::ALL {
            self.resync(*kind);
        }
        let mut lost = None;
        if let Some(k) = shown {
            // A list marked stale above is rebuilt here and finds its selection by id.
            self.ensure_view(k);
            if had.is_some() && self.views[k as usize].selected_id != had {
                lost = had;
            }
        }
        let who = &committed.actor.user;
        let level = if lost.is_some() {
            Level::Warn
        } else {
            Level::Info
        };
        let text = match lost {
            Some(id) => format!(
                "{} '{id}' you had selected was deleted or filtered out by a change from {who}",
                shown.map_or("record", |k| k.singular())
            ),
            None if *who != self.user => format!("Updated: {} (by {who})", committed.summary),
            None => format!("Saved: {}", committed.summary),
        };
        self.say(level, sanitize(&text, false));
        true
    }
}

/// Changes the state for one action. The loop calls it for each key; tests call it directly.
pub fn update(app: &mut App, action: Action) {
    app.message = None;
    if app.confirm_quit {
        // Asked "quit?": y quits, anything else stays (even on the small screen).
        app.confirm_quit = false;
        match action {
            Action::Confirm | Action::Quit => app.quit = true,
            Action::Suspend => app.suspend = true,
            _ => app.say(Level::Info, "Not quitting"),
        }
        return;
    }
    if app.viewport.too_small {
        match action {
            // A form stays open until the screen is large enough to save or cancel it.
            Action::Close if app.forms.active() => {}
            Action::Close => app.quit = true,
            Action::Quit => app.quit_or_ask(),
            Action::Suspend => app.suspend = true,
            _ => {}
        }
        return;
    }
    match action {
        Action::Quit => {
            app.quit_or_ask();
            return;
        }
        Action::Suspend => {
            app.suspend = true;
            return;
        }
        _ => {}
    }
    if app.forms.active() {
        // Enter in the picker before the answer to what is typed: wait for it (briefly), so
        // that what is picked is what the query finds.
        if action == Action::Open && app.picker_waiting() {
            app.ask_picker();
            app.wait_search(std::time::Duration::from_secs(2));
        }
        let effects = app.forms.update(&cx!(app), action);
        app.carry_out(Part::Forms, effects);
        return;
    }
    if app.popup.is_none() && app.documents.prompt.is_some() {
        let effects = app.documents.update(&cx!(app), action);
        app.carry_out(Part::Documents, effects);
        return;
    }
    if app.popup.is_none() && app.search.narrowing.is_some() {
        app.narrowing_update(action);
        return;
    }
    if app.popup.is_none() && app.search.open {
        match action {
            Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
            _ => {
                let effects = app.search.update(&cx!(app), action);
                app.carry_out(Part::Search, effects);
            }
        }
        return;
    }
    if app.popup.is_some() {
        let page = app.viewport.popup_rows.saturating_sub(1).max(1) as isize;
        let is_help = matches!(app.popup, Some(Popup::Help { .. } | Popup::Messages { .. }));
        match action {
            Action::Down => app.popup_move(1, true),
            Action::Up => app.popup_move(-1, true),
            Action::PageDown => app.popup_move(page, true),
            Action::PageUp => app.popup_move(-page, true),
            Action::Top => app.popup_move(0, false),
            Action::Bottom => app.popup_move(isize::MAX / 2, false),
            Action::Close => app.popup = None,
            Action::Help if is_help => app.popup = None,
            Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
            Action::Open if !is_help => app.choose(),
            Action::Back if !is_help => {
                if let Some(Popup::Values { facet, .. }) = &app.popup {
                    let facet = *facet;
                    app.open_filters();
                    if let Some(Popup::Facets { choices, selected }) = &mut app.popup {
                        *selected = choices.iter().position(|c| *c == facet).unwrap_or(0);
                    }
                } else {
                    app.popup = None;
                }
            }
            _ => {}
        }
        return;
    }
    if let Some(pane) = app.scoring.as_mut() {
        let effects = pane.update(&cx!(app), action);
        app.carry_out(Part::Scoring, effects);
        return;
    }
    let shown = app.kind();
    let effects = match action {
        Action::New => app.forms.new_record(&cx!(app), shown),
        Action::Edit => {
            let selected = app.selected();
            app.forms.edit_record(&cx!(app), shown, selected)
        }
        Action::Delete => {
            let selected = app.selected();
            app.forms.delete_record(&cx!(app), selected)
        }
        Action::Undo => app.forms.undo(),
        Action::History => {
            let selected = app.selected();
            app.forms.history(selected)
        }
        Action::OpenScoring => {
            let selected = app.selected();
            let (pane, effects) = ScoringPane::open_selected(&cx!(app), selected);
            if pane.is_some() {
                app.scoring = pane;
            }
            app.carry_out(Part::Scoring, effects);
            return;
        }
        Action::WriteDocument => {
            let selected = app.selected();
            app.documents.start(selected)
        }
        Action::Search => {
            app.search.open(&cx!(app));
            Vec::new()
        }
        _ => Vec::new(),
    };
    if !effects.is_empty() {
        app.carry_out(Part::Main, effects);
        return;
    }
    match action {
        Action::New
        | Action::Edit
        | Action::Delete
        | Action::Undo
        | Action::History
        | Action::WriteDocument
        | Action::Search => {}
        // Only in a form, whose keys go to `forms::handle_key`.
        Action::Save | Action::Pick | Action::Tick => {}
        Action::Down => app.move_by(1),
        Action::Up => app.move_by(-1),
        Action::PageDown => {
            let p = app.page() as isize;
            app.move_by(p)
        }
        Action::PageUp => {
            let p = app.page() as isize;
            app.move_by(-p)
        }
        Action::Top => app.move_to_end(false),
        Action::Bottom => app.move_to_end(true),
        Action::NextPane => app.cycle_pane(true),
        Action::PrevPane => app.cycle_pane(false),
        Action::Open => {
            match app.focus {
                Pane::Nav => {
                    app.focus = match app.target() {
                        Target::Kind(_) => Pane::List,
                        Target::Overview(_) => Pane::Detail,
                    }
                }
                Pane::List => {
                    if app.selected().is_some() {
                        app.focus = Pane::Detail;
                    } else {
                        let kind = app.kind().map_or("records", kinds::plural);
                        app.say(
                            Level::Info,
                            format!("No {} to open here", kind.to_lowercase()),
                        );
                    }
                }
                Pane::Detail => {
                    let link = app.selected_item().and_then(|i| i.link.clone());
                    match link {
                        Some(link) => app.follow(&link),
                        None => {
                            let arrow = app.theme.symbols.link.trim();
                            app.say(Level::Info, format!("This line is not a link: lines marked {arrow} open another record"))
                        }
                    }
                }
            }
        }
        Action::Back => app.back(),
        Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
        Action::Messages => app.popup = Some(Popup::Messages { scroll: 0 }),
        // Esc (tmux delays it, so it is easily pressed by mistake) asks; q quits.
        Action::Close => app.confirm_quit = true,
        Action::Filter => app.open_filters(),
        Action::Sort => match app.kind() {
            Some(kind) => {
                let selected = app.views[kind as usize].sort;
                app.popup = Some(Popup::Sort { selected });
            }
            None => app.say(
                Level::Info,
                "Overviews have a fixed order; choose a list to sort it",
            ),
        },
        Action::ClearFilters => match app.kind() {
            Some(kind)
                if !app.views[kind as usize].filters.is_empty()
                    || app.views[kind as usize].text.is_some() =>
            {
                app.views[kind as usize].filters.clear();
                app.views[kind as usize].text = None;
                app.mark_stale(kind);
                let n = app.view(kind).ids.len();
                let scope = match app.project.clone() {
                    Some(p) => format!(
                        " in {} (p changes the project)",
                        kinds::project_name(&app.replica, &p)
                    ),
                    None => String::new(),
                };
                app.say(
                    Level::Info,
                    format!(
                        "Filters cleared: {n} {}{scope}",
                        kinds::plural(kind).to_lowercase()
                    ),
                );
            }
            _ => app.say(Level::Info, "No filters to clear"),
        },
        Action::Project => {
            let mut projects: Vec<(String, String)> = app
                .replica
                .rows(Kind::Project)
                .map(|r| {
                    (
                        kinds::sort_text(&kinds::project_name(&app.replica, r.record.id())),
                        r.record.id().to_string(),
                    )
                })
                .collect();
            projects.sort();
            let next = match &app.project {
                None => projects.first().map(|p| p.1.clone()),
                Some(cur) => {
                    let i = projects.iter().position(|p| &p.1 == cur);
                    i.and_then(|i| projects.get(i + 1)).map(|p| p.1.clone())
                }
            };
            if projects.is_empty() {
                app.say(Level::Info, "There are no projects yet");
                return;
            }
            app.set_project(next);
            let name = app.project.clone().map_or("all projects".to_string(), |p| {
                kinds::project_name(&app.replica, &p)
            });
            app.say(Level::Info, format!("Showing {name}"));
        }
        Action::Narrow => app.start_narrowing(),
        Action::Quit | Action::Suspend => {}
        _ => {}
    }
}
