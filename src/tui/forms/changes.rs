//! Deleting a record (`d`, confirmed with `y`) and undoing the last change made here (`u`):
//! the question, the command sent, and the store's answer in words.

use crate::model::*;

use super::super::app::{App, Level};
use super::super::keymap::Action;
use super::super::outbox::{Outcome, Purpose};

/// `d`: asks to delete the selected record.
pub fn delete_record(app: &mut App) {
    let Some((kind, id)) = app.selected() else {
        app.say(Level::Warn, "Select a record to delete first");
        return;
    };
    let Some(rev) = app.replica.row(kind, &id).map(|r| r.rev) else {
        app.say(
            Level::Warn,
            format!("{} '{id}' is no longer there", kind.singular()),
        );
        return;
    };
    app.forms.confirm_delete = Some((kind, id, rev));
}

/// `u`: undoes the last change made here.
pub fn undo(app: &mut App) {
    match app.forms.last.clone() {
        Some((seq, what)) => app.send(Command::Undo { seq }, None, Purpose::Undo { what }),
        None => app.say(Level::Warn, "Nothing to undo: no change was made here yet"),
    }
}

/// The answer to "Delete …?": `y` sends the delete, anything else keeps the record.
pub fn answer_delete(app: &mut App, action: Action) {
    let Some((kind, id, rev)) = app.forms.confirm_delete.take() else {
        return;
    };
    if action == Action::Confirm {
        app.forms.deleting = Some(app.name_of(kind, &id));
        app.send(
            Command::Delete {
                kind,
                id: id.clone(),
                expected_rev: Some(rev),
            },
            None,
            Purpose::Delete { kind, id },
        );
    } else {
        app.say(Level::Info, "Not deleted");
    }
}

/// The store's answer to a delete.
pub fn on_deleted(app: &mut App, kind: Kind, id: &str, result: Outcome) {
    match result {
        Ok(committed) => {
            let what = app
                .forms
                .deleting
                .take()
                .unwrap_or_else(|| app.name_of(kind, id));
            app.apply(&committed);
            app.say(
                Level::Info,
                format!("Deleted {what} (change #{}; u undoes)", committed.seq),
            );
            app.forms.last = Some((committed.seq, format!("the delete of {what}")));
        }
        Err(e) => app.say(Level::Error, format!("Not deleted: {e}")),
    }
}

/// The store's answer to an undo.
pub fn on_undone(app: &mut App, what: &str, result: Outcome) {
    match result {
        Ok(committed) => {
            app.apply(&committed);
            app.forms.last = None;
            app.say(
                Level::Info,
                format!("Undone: {what} (change #{})", committed.seq),
            );
        }
        Err(e) => app.say(Level::Error, format!("Cannot undo {what}: {e}")),
    }
}
