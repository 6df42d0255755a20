//! Deleting a record (`d`, confirmed with `y`) and undoing the last change made here (`u`):
//! the question, the command sent, and the store's answer in words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::model::*;

use super::super::feature::Cx;

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

/// Draws the question "Delete …?" over `area`.
pub fn view_delete(cx: &Cx, frame: &mut Frame, area: Rect, kind: Kind, id: &str) {
    let theme = cx.theme;
    let (w, h) = (area.width.saturating_sub(4).min(72), 6.min(area.height));
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(" Delete ", theme.title));
    let text = vec![
        Line::from(format!("Delete {}?", cx.name_of(kind, id))),
        Line::from(vec![
            Span::styled("y", theme.key),
            Span::raw(" delete · any other key keeps it"),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}
