//! The workbench's state and [`update`], which changes it for one [`Action`]: what every
//! feature reads (the records, the links back, the theme, the user, today) and the features
//! themselves (browsing, search, forms, scoring, documents, undo, the quit question), each with
//! its own state. Nothing here touches the terminal or the store, so every behaviour is
//! testable without either. `layout` fits the features to the frame before it is drawn
//! (drawing, in `ui`, only reads).

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::*;

pub use super::browse::{Browse, ListView, Pane};
use super::content::{Content, ContentKey, Item, Link};
pub use super::detail_pane::DetailPos;
use super::documents::DocumentState;
use super::forms::FormState;
use super::keymap::{Action, Context};
use super::kinds::{self, Facet, SortBy};
pub use super::nav::{Filter, Overview, Target, nav_index, nav_targets};
use super::quitting::QuitQuestion;
use super::refs::Refs;
use super::scoring::ScoringPane;
use super::search::SearchState;
use super::theme::{Options, Theme};
use super::undo::UndoState;

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

/// The sizes the last layout gave what is over the panes, so that paging moves by what is on
/// screen (the panes keep their own: [`Browse`]).
#[derive(Clone, Copy, Debug)]
pub struct Viewport {
    /// The rows of the popup open (a page).
    pub popup_rows: usize,
    /// How many lines the help or messages popup has (wrapped).
    pub popup_len: usize,
    pub too_small: bool,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            popup_rows: 10,
            popup_len: 0,
            too_small: false,
        }
    }
}

use super::feature::cx;

mod commits;
mod effects;
mod lists;
mod menus;
mod texts;
mod update;

pub use effects::Part;
pub use update::update;

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
    /// Who refers to a record (the links back).
    pub(crate) refs: Refs,
    /// The navigation, the lists, the detail pane and the way back (see `browse`).
    pub browse: Browse,
    pub(crate) popup: Option<Popup>,
    pub(crate) message: Option<Message>,
    /// Changes waiting for the event loop to send them (see `outbox`).
    outbox: Vec<super::outbox::Outgoing>,
    /// Changes sent and not answered yet: the backend's ticket → what each was for.
    pub(crate) awaiting: HashMap<crate::backend::Ticket, super::outbox::Purpose>,
    /// Forms, delete confirmations and history (see `forms`).
    pub forms: FormState,
    /// The changes made here, for `u` (see `undo`).
    pub undo: UndoState,
    quit: bool,
    /// Quitting waits for `y` (Esc at the top level, or Ctrl-c over a changed form).
    pub quitting: Option<QuitQuestion>,
    /// The last messages said, oldest first (`m` shows them in full).
    pub(crate) messages: Vec<Message>,
    suspend: bool,
    pub viewport: Viewport,
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
        let mut app = App {
            theme: Theme::new(&options),
            replica: std::sync::Arc::new(replica),
            user: user.into(),
            location: location.into(),
            connection: None,
            options,
            today: Date::today(),
            refs: Refs::default(),
            browse: Browse::default(),
            popup: None,
            message: None,
            outbox: Vec::new(),
            awaiting: HashMap::new(),
            forms: Default::default(),
            undo: UndoState::default(),
            quit: false,
            quitting: None,
            messages: Vec::new(),
            suspend: false,
            viewport: Viewport::default(),
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
        self.browse.focus()
    }

    /// What the navigation has selected.
    pub fn target(&self) -> Target {
        self.browse.target()
    }

    /// The kind whose list is shown, if a list is shown.
    pub fn kind(&self) -> Option<Kind> {
        self.browse.kind()
    }

    /// The project shown (None: all projects).
    pub fn project(&self) -> Option<&str> {
        self.browse.project.as_deref()
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    /// How many places Backspace can go back to.
    pub fn history_len(&self) -> usize {
        self.browse.history_len()
    }

    /// The context the keymap is read in.
    pub fn context(&self) -> Context {
        if self.quitting.is_some() {
            Context::Quit
        } else if self.viewport.too_small {
            Context::TooSmall
        } else if self.forms.confirming()
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
            (Context::Main, Action::Back) => self.browse.history_len() > 0,
            (Context::Main, Action::New | Action::Edit) => {
                self.kind().is_some_and(super::forms::editable)
            }
            (Context::Main, Action::Delete | Action::History) => self.kind().is_some(),
            (Context::Main, Action::Erase) => self.kind() == Some(Kind::Stakeholder),
            (Context::Main, Action::WriteDocument) => self
                .kind()
                .is_some_and(|k| super::documents::document_of(k).is_some()),
            (Context::Main | Context::Scoring, Action::Undo) => {
                self.undo.can_undo(self.undo_scope().as_deref())
            }
            (Context::Scoring | Context::Board, action) => self
                .scoring
                .as_ref()
                .is_none_or(|p| p.applicable(&self.cx(), action)),
            _ => true,
        }
    }

    /// Where `u` undoes: in the scoring pane, its own score changes; else anything made here.
    pub(crate) fn undo_scope(&self) -> Option<String> {
        self.scoring.as_ref().map(|p| p.undo_scope())
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

    /// Ctrl-c (or `q`): quits at once, unless a changed form would be lost: then asks first.
    fn quit_or_ask(&mut self) {
        if self.unsaved() {
            self.ask_to_quit();
        } else {
            self.quit = true;
        }
    }

    /// Opens the question before quitting.
    fn ask_to_quit(&mut self) {
        self.quitting = Some(QuitQuestion {
            unsaved: self.unsaved(),
        });
    }

    /// Hands the browser an action with what it reads, and carries out what it asks.
    pub(crate) fn browse_update(&mut self, action: Action) {
        let project = self.browse.project.clone();
        let cx = cx!(self, project.as_deref());
        let effects = self.browse.update(&cx, action);
        self.carry_out(Part::Main, effects);
    }

    /// Runs `f` on the browser with what it reads, then carries out what it said.
    pub(crate) fn with_browse<R>(&mut self, f: impl FnOnce(&mut Browse, &Cx) -> R) -> R {
        let project = self.browse.project.clone();
        let cx = cx!(self, project.as_deref());
        let r = f(&mut self.browse, &cx);
        let effects = self.browse.take_effects();
        self.carry_out(Part::Main, effects);
        r
    }

    /// The list of a kind, built or rebuilt if needed.
    pub fn view(&mut self, kind: Kind) -> &ListView {
        self.with_browse(|b, cx| {
            b.ensure_view(cx, kind);
        });
        &self.browse.views[kind as usize]
    }

    /// The selected record of the shown list.
    pub fn selected(&mut self) -> Option<(Kind, String)> {
        self.with_browse(|b, cx| b.selected(cx))
    }

    /// What the detail pane shows, built for what is selected now.
    pub fn content(&mut self) -> &Content {
        self.with_browse(|b, cx| b.show_detail(cx));
        self.browse.detail.content().expect("built by show_detail")
    }

    /// What the detail pane shows now.
    pub fn content_key(&mut self) -> ContentKey {
        self.with_browse(|b, cx| b.content_key(cx))
    }

    /// The item selected in the detail pane.
    pub fn selected_item(&mut self) -> Option<&Item> {
        self.with_browse(|b, cx| b.show_detail(cx));
        self.browse.detail.selected_item()
    }

    /// Where the reader is in the detail pane.
    pub fn detail(&self) -> DetailPos {
        self.browse.detail.pos
    }

    /// Follows a link, remembering where it was followed from.
    pub fn follow(&mut self, link: &Link) {
        self.with_browse(|b, cx| b.follow(cx, link));
    }

    /// Selects a record in its kind's list, when the list shows its kind (after a new record
    /// is saved). Returns whether the list shows it (its filters may leave it out).
    pub fn select_record(&mut self, kind: Kind, id: &str) -> bool {
        self.with_browse(|b, cx| b.select_record(cx, kind, id))
    }

    /// The filters of a kind's list.
    pub fn filters(&self, kind: Kind) -> &[Filter] {
        &self.browse.views[kind as usize].filters
    }

    /// The text filter of a kind's list (`F`), if any.
    pub fn text_filter(&self, kind: Kind) -> Option<&super::search::TextFilter> {
        self.browse.views[kind as usize].text.as_ref()
    }

    /// The sort of a kind's list and whether it is descending.
    pub fn sort(&self, kind: Kind) -> (SortBy, bool) {
        let v = &self.browse.views[kind as usize];
        (kinds::sorts(kind)[v.sort], v.descending)
    }

    /// How many records of a kind the chosen project has (all of them when no project is chosen).
    pub fn scope_count(&self, kind: Kind) -> usize {
        self.browse.scope_count(&self.cx(), kind)
    }

    /// The records that refer to a record.
    pub fn referrers(&self, kind: Kind, id: &str) -> &[(Kind, Arc<str>)] {
        self.refs.referrers(kind, id)
    }

    /// A record named for a message: its kind and title ("voucher “Stand at the fair”"), or
    /// its id when it has no title or is not there.
    pub fn name_of(&self, kind: Kind, id: &str) -> String {
        self.cx().name_of(kind, id)
    }
}
