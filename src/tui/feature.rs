//! What a feature of the workbench is made of, without the workbench: the context it reads
//! ([`Cx`]: the records, the theme, the user, today, the popup's size) and the effects it asks
//! for ([`Effect`]). A feature keeps its own state and answers
//! `update(&mut self, cx, Action) -> Vec<Effect>`, and draws with `view(&self, cx, frame, area)`;
//! it never takes the whole `App`. The effects are carried out in one place, `App::carry_out`
//! (`app/effects.rs`).
//!
//! This module imports nothing of the workbench but the theme and the links back, so that a
//! feature built on it sits below `app` in the imports (no circle; `tests/tui_imports.rs`).

use crate::model::text::sanitize;
use crate::model::{Command, Date, Kind, Record, Replica};

use super::refs::Refs;
use super::theme::Theme;

/// The context features read ([`Cx`]), borrowed field by field from the app so that a feature
/// held inside it can be updated at the same time.
macro_rules! cx {
    ($app:expr) => {
        $crate::tui::feature::cx!($app, $app.browse.project.as_deref())
    };
    ($app:expr, $project:expr) => {
        $crate::tui::feature::Cx {
            replica: &$app.replica,
            theme: &$app.theme,
            user: &$app.user,
            today: $app.today,
            popup_rows: $app.viewport.popup_rows,
            project: $project,
            refs: &$app.refs,
        }
    };
}
pub(crate) use cx;

/// How a message reads: information, a note, or an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// What a feature reads, and nothing it could change.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    pub replica: &'a std::sync::Arc<Replica>,
    pub theme: &'a Theme,
    pub user: &'a str,
    pub today: Date,
    /// The rows the last frame gave the popup (a page for PgUp/PgDn).
    pub popup_rows: usize,
    /// The project shown (None: all projects).
    pub project: Option<&'a str>,
    /// Who refers to a record.
    pub refs: &'a Refs,
}

impl<'a> Cx<'a> {
    /// The project shown (None: all projects).
    pub fn project(&self) -> Option<&'a str> {
        self.project
    }

    /// The records of one kind that refer to a record.
    pub fn referrers_of_kind(
        &self,
        kind: Kind,
        id: &str,
        of: Kind,
    ) -> impl Iterator<Item = &'a Record> + use<'a> {
        let replica: &'a Replica = self.replica;
        self.refs
            .referrers(kind, id)
            .iter()
            .filter(move |(k, _)| *k == of)
            .filter_map(move |(k, i)| replica.record(*k, i))
    }

    /// A record named for a message: its kind and title ("voucher “Stand at the fair”"), or
    /// its id when it has no title or is not there.
    pub fn name_of(&self, kind: Kind, id: &str) -> String {
        let title = self
            .replica
            .record(kind, id)
            .map(|r| sanitize(&r.title(), false))
            .filter(|t| !t.trim().is_empty());
        match title {
            Some(t) => format!("{} \u{201c}{t}\u{201d}", kind.singular()),
            None => format!("{} '{id}'", kind.singular()),
        }
    }
}

/// What a change sent is for, so that its answer reaches the part of the workbench that asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A plain change whose result only needs a message ("Saved", or the refusal).
    Plain(String),
    /// A score change of the scoring pane, by the score's id (or "undo #seq").
    Score(String),
    /// A form's save: the form stays open until the answer.
    Form { kind: Kind, id: String },
    /// A confirmed delete.
    Delete { kind: Kind, id: String },
    /// An undo of a change this workbench made.
    Undo(Done),
}

/// A change this workbench made, that `u` can undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    /// The change's sequence number in the store.
    pub seq: u64,
    /// What it was, in words ("the save of practice “…”").
    pub what: String,
    /// The evaluator it was made for (a facilitator typing in scores), who undoes it too.
    pub on_behalf_of: Option<String>,
    /// Where it was made, when only there `u` should undo it (the scoring pane's session and
    /// evaluator); None: anywhere.
    pub scope: Option<String>,
}

/// What a feature asks of the workbench.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A line in the message line (and the messages `m` shows).
    Say(Level, String),
    /// The feature is done: whoever holds it lets it go.
    Close,
    /// Open a record, as following a link does (Backspace comes back).
    Open(Kind, String),
    /// A picker chose this record (its id) for the field it was opened on.
    Picked(String),
    /// Send a change (for the evaluator typed in for, if any); nothing shows as saved until
    /// its answer comes back to whoever `Purpose` names.
    /// (Boxed: a command is large and most effects are small.)
    Send(Box<Command>, Option<String>, Purpose),
    /// Select a record in its list (after it was saved), and say `said`; `if_hidden` is added
    /// when the list's filters leave it out.
    Select {
        kind: Kind,
        id: String,
        said: String,
        if_hidden: String,
    },
    /// Fetch a record's history (the history view opens with it).
    FetchHistory(Kind, String),
    /// Write a record's document to a path (the loop's writer).
    Write(Kind, String, std::path::PathBuf),
    /// Match a list's text filter (an empty query clears it).
    TextFilter(Kind, String),
    /// Open the scoring pane of a session.
    Score(String),
    /// Forget the message line (something is typed over it).
    Hush,
    /// Show the help of every key.
    Help,
    /// A change was made (the store confirmed it): `u` can undo it.
    Done(Done),
    /// Quit the workbench.
    Quit,
    /// Suspend to the shell.
    Suspend,
}
