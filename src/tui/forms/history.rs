//! A record's history (`h`): asked of the loop (which reads the audit log through the
//! backend), shown over the panes, scrolled, closed. Its keys are the keymap's History rows.

use crate::model::*;

use super::super::app::{App, Level};
use super::super::keymap::Action;

/// A record of the audit log as the history view shows it.
#[derive(Clone, Debug)]
pub struct HistoryView {
    pub kind: Kind,
    pub id: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

/// `h`: asks the loop for the selected record's history.
pub fn history(app: &mut App) {
    match app.selected() {
        Some(sel) => app.forms.history_request = Some(sel),
        None => app.say(Level::Warn, "Select a record to see its history"),
    }
}

/// The loop's answer to a history request.
pub fn on_history(
    app: &mut App,
    kind: Kind,
    id: String,
    entries: Result<Vec<crate::store::AuditEntry>, crate::store::StoreError>,
) {
    match entries {
        Err(e) => app.say(Level::Error, format!("Cannot read the history: {e}")),
        Ok(mut entries) => {
            entries.sort_by_key(|e| e.seq);
            // Each entry's "after" is the next entry's "before" (or the record as it is now).
            let mut rows: Vec<(&crate::store::AuditEntry, Option<Record>, Option<Record>)> =
                Vec::new();
            for e in &entries {
                for c in e.changes.iter().filter(|c| c.kind == kind && c.id == id) {
                    rows.push((e, c.before.as_ref().map(|r| r.record.clone()), None));
                }
            }
            for i in 0..rows.len() {
                let deleted = rows[i]
                    .0
                    .changes
                    .iter()
                    .any(|c| c.kind == kind && c.id == id && c.after_rev.is_none());
                rows[i].2 = if deleted {
                    None
                } else if i + 1 < rows.len() {
                    rows[i + 1].1.clone()
                } else {
                    app.replica.record(kind, &id).cloned()
                };
            }
            let mut lines = Vec::new();
            for (e, before, after) in rows.iter().rev() {
                let who = match &e.actor.on_behalf_of {
                    Some(o) => format!("{} for {o}", e.actor.user),
                    None => e.actor.user.clone(),
                };
                lines.push(format!("#{} {} {who}: {}", e.seq, e.at, e.summary));
                match (before, after) {
                    (None, Some(_)) => lines.push("    created".into()),
                    (Some(_), None) => lines.push("    deleted".into()),
                    _ => {
                        for c in crate::io::diff::changes(before.as_ref(), after.as_ref()) {
                            lines.push(format!("    {}: {} → {}", c.field, c.before, c.after));
                        }
                    }
                }
            }
            if lines.is_empty() {
                lines.push("No recorded changes.".into());
            }
            app.forms.history = Some(HistoryView {
                kind,
                id,
                lines,
                scroll: 0,
            });
        }
    }
}

/// The history view's answer to an action (the keymap's History context).
pub fn update(app: &mut App, action: Action) {
    let page = app.viewport.popup_rows.saturating_sub(1).max(1);
    let Some(h) = app.forms.history.as_mut() else {
        return;
    };
    let last = h.lines.len().saturating_sub(1);
    match action {
        Action::Down => h.scroll = (h.scroll + 1).min(last),
        Action::Up => h.scroll = h.scroll.saturating_sub(1),
        Action::PageDown => h.scroll = (h.scroll + page).min(last),
        Action::PageUp => h.scroll = h.scroll.saturating_sub(page),
        Action::Top => h.scroll = 0,
        Action::Bottom => h.scroll = last,
        Action::Close | Action::History => app.forms.history = None,
        _ => {}
    }
}
