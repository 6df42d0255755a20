//! A record's history (`h`), a feature of its own: built from the audit log the loop reads
//! through the backend, it scrolls and closes with the keymap's History rows and draws itself.
//! It reads the workbench only through [`Cx`] and answers with [`Effect`]s.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::model::*;
use crate::store::{AuditEntry, StoreError};

use super::super::feature::{Cx, Effect, Level};
use super::super::keymap::Action;

/// A record of the audit log as the history view shows it.
#[derive(Clone, Debug)]
pub struct HistoryView {
    pub kind: Kind,
    pub id: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

impl HistoryView {
    /// The view of a record's history, from the audit log's entries (or what to say when
    /// they could not be read).
    pub fn from_audit(
        cx: &Cx,
        kind: Kind,
        id: String,
        entries: Result<Vec<AuditEntry>, StoreError>,
    ) -> Result<HistoryView, Effect> {
        let mut entries = entries
            .map_err(|e| Effect::Say(Level::Error, format!("Cannot read the history: {e}")))?;
        entries.sort_by_key(|e| e.seq);
        // Each entry's "after" is the next entry's "before" (or the record as it is now).
        let mut rows: Vec<(&AuditEntry, Option<Record>, Option<Record>)> = Vec::new();
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
                cx.replica.record(kind, &id).cloned()
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
        Ok(HistoryView {
            kind,
            id,
            lines,
            scroll: 0,
        })
    }

    /// The view's answer to an action (the keymap's History context).
    pub fn update(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        let page = cx.popup_rows.saturating_sub(1).max(1);
        let last = self.lines.len().saturating_sub(1);
        match action {
            Action::Down => self.scroll = (self.scroll + 1).min(last),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll = (self.scroll + page).min(last),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = last,
            Action::Close | Action::History => return vec![Effect::Close],
            _ => {}
        }
        Vec::new()
    }

    /// Draws the history over `area`.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let width = area.width.saturating_sub(4).min(100);
        let rect = Rect::new(
            area.x + (area.width - width) / 2,
            area.y,
            width,
            area.height,
        );
        frame.render_widget(Clear, rect);
        let block = Block::bordered()
            .border_set(theme.symbols.focus_border)
            .border_style(theme.focus_border)
            .title(Span::styled(
                format!(
                    " History of {} (q closes) ",
                    cx.name_of(self.kind, &self.id)
                ),
                theme.title,
            ));
        let lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.scroll)
            .map(|l| Line::from(l.as_str()))
            .collect();
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            rect,
        );
    }
}

impl super::FormState {
    /// `h`: asks the loop for the selected record's history.
    pub fn history(&mut self, selected: Option<(Kind, String)>) -> Vec<Effect> {
        match selected {
            Some((kind, id)) => vec![Effect::FetchHistory(kind, id)],
            None => vec![Effect::Say(
                Level::Warn,
                "Select a record to see its history".into(),
            )],
        }
    }

    /// The loop's answer to a history request: the history view opens over the panes.
    pub fn on_history(
        &mut self,
        cx: &Cx,
        kind: Kind,
        id: String,
        entries: Result<Vec<crate::store::AuditEntry>, crate::store::StoreError>,
    ) -> Vec<Effect> {
        match HistoryView::from_audit(cx, kind, id, entries) {
            Ok(view) => {
                self.history = Some(view);
                Vec::new()
            }
            Err(effect) => vec![effect],
        }
    }
}
