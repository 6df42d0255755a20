//! Deleting a record (`d`, confirmed with `y`): the question, the command sent, and the store's
//! answer in words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::model::*;

use super::super::feature::{Cx, Done, Effect, Level, Purpose};
use super::super::keymap::Action;
use super::super::outbox::Outcome;
use super::super::widgets::question;
use super::FormState;

fn say(level: Level, text: impl Into<String>) -> Effect {
    Effect::Say(level, text.into())
}

impl FormState {
    /// `d`: asks to delete the selected record.
    pub fn delete_record(&mut self, cx: &Cx, selected: Option<(Kind, String)>) -> Vec<Effect> {
        let Some((kind, id)) = selected else {
            return vec![say(Level::Warn, "Select a record to delete first")];
        };
        let Some(rev) = cx.replica.row(kind, &id).map(|r| r.rev) else {
            return vec![say(
                Level::Warn,
                format!("{} '{id}' is no longer there", kind.singular()),
            )];
        };
        self.confirm_delete = Some((kind, id, rev));
        Vec::new()
    }

    /// The answer to "Delete …?": `y` sends the delete, anything else keeps the record.
    pub(super) fn answer_delete(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        let Some((kind, id, rev)) = self.confirm_delete.take() else {
            return Vec::new();
        };
        if action != Action::Confirm {
            return vec![say(Level::Info, "Not deleted")];
        }
        self.deleting = Some(cx.name_of(kind, &id));
        vec![Effect::Send(
            Box::new(Command::Delete {
                kind,
                id: id.clone(),
                expected_rev: Some(rev),
            }),
            None,
            Purpose::Delete { kind, id },
        )]
    }

    /// The store's answer to a delete (applied already).
    pub(super) fn on_deleted(
        &mut self,
        cx: &Cx,
        kind: Kind,
        id: &str,
        result: Outcome,
    ) -> Vec<Effect> {
        let what = self.deleting.take().unwrap_or_else(|| cx.name_of(kind, id));
        match result {
            Ok(committed) => {
                let done = Effect::Done(Done {
                    seq: committed.seq,
                    what: format!("the delete of {what}"),
                    on_behalf_of: None,
                    scope: None,
                });
                vec![
                    done,
                    say(
                        Level::Info,
                        format!("Deleted {what} (change #{}; u undoes)", committed.seq),
                    ),
                ]
            }
            Err(e) => vec![say(Level::Error, format!("Not deleted: {e}"))],
        }
    }
}

/// Draws the question "Delete …?" over `area`.
pub fn view_delete(cx: &Cx, frame: &mut Frame, area: Rect, kind: Kind, id: &str) {
    let lines = vec![Line::from(format!("Delete {}?", cx.name_of(kind, id)))];
    let size = (area.width.saturating_sub(4).min(72), 6);
    let answer = " delete · any other key keeps it";
    question(cx.theme, frame, area, size, "Delete", lines, answer);
}
