//! Changes the workbench asks for: the state queues them (no I/O in `update`), the event loop
//! sends each to the backend without waiting ([`exchange`]) and hands the result back when it
//! comes, and only then is anything shown as saved.

use super::app::App;
use crate::backend::{Backend, Update};
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

/// Sends the changes the state queued, then hands the state everything the backend has for
/// it, in commit order: its own results (by ticket) and everyone else's commits. Never waits
/// for the server; returns whether anything changed.
pub fn exchange<B: Backend + ?Sized>(app: &mut App, backend: &mut B) -> bool {
    let mut changed = false;
    for outgoing in app.take_outbox() {
        let ticket = backend.send(outgoing.command, outgoing.on_behalf_of);
        app.awaiting.insert(ticket, outgoing.purpose);
        changed = true;
    }
    for update in backend.poll() {
        match update {
            Update::Committed { ticket, committed } => {
                match ticket.and_then(|t| app.awaiting.remove(&t)) {
                    Some(purpose) => {
                        app.on_result(purpose, Ok(committed));
                        changed = true;
                    }
                    None => changed |= app.apply(&committed),
                }
            }
            Update::Refused { ticket, error } => {
                let result = Err(error);
                // A form refused for someone else's version that has not reached this
                // workbench (a local store written by another process): read it now, so the
                // form can show theirs beside the user's.
                if super::forms::stale_after(app, &result)
                    && let Ok((fresh, _)) = backend.snapshot()
                {
                    app.replace_records(fresh);
                }
                if let Some(purpose) = app.awaiting.remove(&ticket) {
                    app.on_result(purpose, result);
                }
                changed = true;
            }
            Update::Resync(fresh) => changed |= app.replace_records(fresh),
        }
    }
    changed
}

/// Whether changes this workbench sent are still waiting for their answer.
pub fn awaiting(app: &App) -> bool {
    !app.awaiting.is_empty()
}
