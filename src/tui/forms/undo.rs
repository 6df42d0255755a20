//! Undoing the last change made here (`u`: a form's save or a delete): the command sent and the
//! store's answer in words. (The scoring pane undoes its own score changes: `scoring::marks`.)

use crate::model::Command;

use super::super::feature::{Effect, Level, Purpose};
use super::super::outbox::Outcome;
use super::FormState;

fn say(level: Level, text: impl Into<String>) -> Effect {
    Effect::Say(level, text.into())
}

impl FormState {
    /// `u`: undoes the last change made here.
    pub fn undo(&mut self) -> Vec<Effect> {
        match self.last.clone() {
            Some((seq, what)) => vec![Effect::Send(
                Box::new(Command::Undo { seq }),
                None,
                Purpose::Undo { what },
            )],
            None => vec![say(
                Level::Warn,
                "Nothing to undo: no change was made here yet",
            )],
        }
    }

    /// The store's answer to an undo (applied already).
    pub(super) fn on_undone(&mut self, what: &str, result: Outcome) -> Vec<Effect> {
        match result {
            Ok(committed) => {
                self.last = None;
                vec![say(
                    Level::Info,
                    format!("Undone: {what} (change #{})", committed.seq),
                )]
            }
            Err(e) => vec![say(Level::Error, format!("Cannot undo {what}: {e}"))],
        }
    }
}
