//! Following links between records and coming back (Backspace): where the reader was, and the
//! filters a drill-down replaced.

use crate::model::text::sanitize;
use crate::model::*;

use super::super::content::Link;
use super::super::feature::{Cx, Level};
use super::super::kinds;
use super::super::nav::{Target, nav_index};
use super::{Browse, Location, MAX_HISTORY, Pane};

impl Browse {
    fn here(&mut self, cx: &Cx) -> Location {
        let key = self.content_key(cx);
        let view = self
            .kind()
            .map(|k| self.views[k as usize].clone())
            .unwrap_or_default();
        Location {
            nav: self.nav,
            focus: self.focus,
            project: self.project.clone(),
            selected_id: view.selected_id,
            selected: view.selected,
            filters: view.filters,
            text: view.text,
            sort: view.sort,
            descending: view.descending,
            detail: self.detail.position_in(&key).map(|pos| (key, pos)),
            replaced: None,
        }
    }

    /// Notes, in the place just remembered, the filters of `kind`'s list that a link is about
    /// to replace.
    fn remember_filters(&mut self, kind: Kind) {
        let view = &self.views[kind as usize];
        let saved = (kind, view.filters.clone(), view.text.clone());
        if let Some(last) = self.history.last_mut() {
            last.replaced = Some(saved);
        }
    }

    fn remember(&mut self, cx: &Cx) {
        let here = self.here(cx);
        self.history.push(here);
        if self.history.len() > MAX_HISTORY {
            self.history.remove(0);
        }
    }

    /// Follows a link, remembering where it was followed from.
    pub fn follow(&mut self, cx: &Cx, link: &Link) {
        match link {
            Link::Record(kind, id) => {
                let Some(record) = cx.replica.record(*kind, id) else {
                    self.say(
                        Level::Error,
                        format!(
                            "There is no {} '{id}' (it was deleted, or the reference is broken)",
                            kind.singular()
                        ),
                    );
                    return;
                };
                let title = sanitize(&record.title(), false);
                let mut notes = Vec::new();
                if !kinds::in_scope(cx.replica, record, self.project.as_deref()) {
                    notes.push("showing all projects".to_string());
                }
                let view = &self.views[*kind as usize];
                let filtered_out = !view.text_passes(id)
                    || !view.filters.iter().all(|f| {
                        kinds::facet_value(record, f.facet).is_some_and(|v| v == f.value.as_str())
                    });
                self.remember(cx);
                if !notes.is_empty() {
                    self.set_project(None);
                }
                if filtered_out {
                    self.remember_filters(*kind);
                    notes.push(format!(
                        "the filters on {} were cleared",
                        kinds::plural(*kind).to_lowercase()
                    ));
                    self.views[*kind as usize].filters.clear();
                    self.views[*kind as usize].text = None;
                    self.mark_stale(*kind);
                }
                self.nav = nav_index(Target::Kind(*kind));
                self.views[*kind as usize].selected_id = Some(id.clone());
                self.ensure_view(cx, *kind);
                self.resync(*kind);
                self.focus = Pane::Detail;
                let mut text = format!("{}: {title}", kind.singular());
                if !notes.is_empty() {
                    text.push_str(&format!(" ({})", notes.join("; ")));
                }
                text.push_str(" · Backspace goes back");
                self.say(Level::Info, text);
            }
            Link::List {
                kind,
                filters,
                project,
            } => {
                self.remember(cx);
                self.remember_filters(*kind);
                self.set_project(project.clone());
                let view = &mut self.views[*kind as usize];
                view.filters = filters.clone();
                view.selected = 0;
                view.selected_id = None;
                view.offset = 0;
                self.mark_stale(*kind);
                self.nav = nav_index(Target::Kind(*kind));
                self.focus = Pane::List;
                let n = self.list(cx, *kind).ids.len();
                self.say(
                    Level::Info,
                    format!(
                        "{n} {} · Backspace goes back",
                        kinds::plural(*kind).to_lowercase()
                    ),
                );
            }
        }
    }

    /// Backspace: back to where the last link was followed from, with the filters it replaced.
    pub(super) fn back(&mut self, cx: &Cx) {
        let Some(loc) = self.history.pop() else {
            self.say(
                Level::Info,
                "Nothing to go back to: Backspace returns after following a link",
            );
            return;
        };
        self.set_project(loc.project.clone());
        if let Some((kind, filters, text)) = loc.replaced {
            let view = &mut self.views[kind as usize];
            if view.filters != filters || view.text != text {
                view.filters = filters;
                view.text = text;
                self.mark_stale(kind);
            }
        }
        self.nav = loc.nav;
        if let Target::Kind(kind) = self.target() {
            let view = &mut self.views[kind as usize];
            if view.filters != loc.filters
                || view.text != loc.text
                || view.sort != loc.sort
                || view.descending != loc.descending
            {
                view.filters = loc.filters;
                view.text = loc.text;
                view.sort = loc.sort;
                view.descending = loc.descending;
                view.fresh = false;
            }
            view.selected_id = loc.selected_id;
            view.selected = loc.selected;
            self.ensure_view(cx, kind);
            self.resync(kind);
        }
        self.focus = loc.focus;
        let key = self.content_key(cx);
        if let Some((at, pos)) = loc.detail
            && at == key
        {
            self.detail.restore(key, pos);
        }
    }
}
