//! Undo, in one place: every change this workbench made (a form's save, a delete, a score
//! changed in the scoring pane) is noted here as it is confirmed ([`Effect::Done`]), and `u`
//! sends the undo of the last one — in the scoring pane, the last one made in that pane for the
//! evaluator typed for. The store's answer comes back here and is said in words.

use crate::model::Command;

use super::feature::{Done, Effect, Level, Purpose};
use super::outbox::Outcome;

/// How many changes `u` can go back through.
const MAX_DONE: usize = 100;

/// The changes made here, newest last.
#[derive(Clone, Debug, Default)]
pub struct UndoState {
    done: Vec<Done>,
}

impl UndoState {
    /// Notes a change made here (confirmed by the store).
    pub fn note(&mut self, done: Done) {
        self.done.push(done);
        if self.done.len() > MAX_DONE {
            self.done.remove(0);
        }
    }

    /// The last change `u` would undo where the user is (`scope`: the scoring pane's; None:
    /// anywhere).
    fn last_in(&self, scope: Option<&str>) -> Option<usize> {
        self.done
            .iter()
            .rposition(|d| scope.is_none_or(|s| d.scope.as_deref() == Some(s)))
    }

    /// Whether `u` has something to undo where the user is.
    pub fn can_undo(&self, scope: Option<&str>) -> bool {
        self.last_in(scope).is_some()
    }

    /// `u`: sends the undo of the last change made here (in `scope`, if given).
    pub fn undo(&mut self, scope: Option<&str>) -> Vec<Effect> {
        match self.last_in(scope) {
            Some(i) => {
                let done = self.done.remove(i);
                vec![Effect::Send(
                    Box::new(Command::Undo { seq: done.seq }),
                    done.on_behalf_of.clone(),
                    Purpose::Undo(done),
                )]
            }
            None if scope.is_some() => vec![Effect::Say(
                Level::Info,
                "Nothing to undo in this pane".into(),
            )],
            None => vec![Effect::Say(
                Level::Warn,
                "Nothing to undo: no change was made here yet".into(),
            )],
        }
    }

    /// The store's answer to an undo (applied to the records already). A refused undo can be
    /// tried again.
    pub fn on_result(&mut self, done: Done, result: Outcome) -> Vec<Effect> {
        match result {
            Ok(committed) => vec![Effect::Say(
                Level::Info,
                format!("Undone: {} (change #{})", done.what, committed.seq),
            )],
            Err(e) => {
                let said = Effect::Say(Level::Error, format!("Cannot undo {}: {e}", done.what));
                self.note(done);
                vec![said]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(seq: u64, scope: Option<&str>) -> Done {
        Done {
            seq,
            what: format!("change {seq}"),
            on_behalf_of: None,
            scope: scope.map(str::to_string),
        }
    }

    fn undone(effects: &[Effect]) -> Option<u64> {
        effects.iter().find_map(|e| match e {
            Effect::Send(command, _, _) => match **command {
                Command::Undo { seq } => Some(seq),
                _ => None,
            },
            _ => None,
        })
    }

    #[test]
    fn u_undoes_the_last_change_or_the_last_of_the_pane() {
        let mut undo = UndoState::default();
        undo.note(done(1, Some("s1\u{1f}ana")));
        undo.note(done(2, None));
        assert!(undo.can_undo(Some("s1\u{1f}ana")));
        assert!(!undo.can_undo(Some("s1\u{1f}bob")));
        assert_eq!(undone(&undo.undo(Some("s1\u{1f}ana"))), Some(1));
        assert_eq!(undone(&undo.undo(Some("s1\u{1f}ana"))), None);
        assert_eq!(undone(&undo.undo(None)), Some(2));
        assert_eq!(undone(&undo.undo(None)), None);
    }
}
