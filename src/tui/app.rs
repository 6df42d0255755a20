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

mod commits;
mod detail_pane;
mod effects;
mod links;
mod lists;
mod menus;
mod moving;
mod texts;
mod update;

pub use effects::Part;
pub use update::update;

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
    /// What the copy of the records keeps of their long texts, and those read (see `texts`).
    texts: texts::TextsRead,
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
            texts: Default::default(),
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
            || self.forms.confirming()
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
            (Context::Main, Action::Erase) => self.kind() == Some(Kind::Stakeholder),
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
}
