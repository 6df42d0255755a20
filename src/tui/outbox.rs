//! Changes the workbench asks for: the state queues them (no I/O in `update`), the event loop
//! sends each to the backend and hands the result back, and only then is anything shown as saved.

use crate::model::{Command, Committed, Kind};
use crate::store::CommandError;

/// What a change is for, so that its result reaches the part of the workbench that asked.
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
    /// An undo of this workbench's last change (`what` it was).
    Undo { what: String },
}

/// A change waiting to be sent.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub command: Command,
    /// The evaluator a facilitator types in for (proxy scoring).
    pub on_behalf_of: Option<String>,
    pub purpose: Purpose,
}

/// The result of a sent change, as the loop hands it back.
pub type Outcome = Result<Committed, CommandError>;
