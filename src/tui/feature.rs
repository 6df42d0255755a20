//! What a feature of the workbench is made of, without the workbench: the context it reads
//! ([`Cx`]: the records, the theme, the user, today, the popup's size) and the effects it asks
//! for ([`Effect`]). A feature keeps its own state and answers
//! `update(&mut self, cx, Action) -> Vec<Effect>`, and draws with `view(&self, cx, frame, area)`;
//! it never takes the whole `App`. The effects are applied in one place, `App::apply_effects`.
//!
//! This module imports nothing of the workbench but the keymap's actions and the theme, so
//! that a feature built on it sits below `app` in the imports (no circle).

use crate::model::text::sanitize;
use crate::model::{Date, Kind, Replica};

use super::theme::Theme;

/// How a message reads: information, a note, or an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// What a feature reads, and nothing it could change.
pub struct Cx<'a> {
    pub replica: &'a Replica,
    pub theme: &'a Theme,
    pub user: &'a str,
    pub today: Date,
    /// The rows the last frame gave the popup (a page for PgUp/PgDn).
    pub popup_rows: usize,
}

impl Cx<'_> {
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
}
