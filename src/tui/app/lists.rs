//! The lists: which records each kind's list shows (project, filters, text filter), in which
//! order, kept current by commits with the selection on the same record.

use super::*;

impl App {
    // ----- lists -----

    pub(super) fn passes(&self, record: &Record, filters: &[Filter]) -> bool {
        kinds::in_scope(&self.replica, record, self.project.as_deref())
            && filters
                .iter()
                .all(|f| kinds::facet_value(record, f.facet).is_some_and(|v| v == f.value.as_str()))
    }

    pub(super) fn ensure_view(&mut self, kind: Kind) {
        if self.views[kind as usize].fresh {
            return;
        }
        let view = &self.views[kind as usize];
        let by = kinds::sorts(kind)[view.sort];
        let mut keyed: Vec<(SortKey, &str)> = self
            .replica
            .rows(kind)
            .filter(|row| view.text_passes(row.record.id()))
            .filter(|row| self.passes(&row.record, &view.filters))
            .map(|row| (kinds::sort_key(&self.replica, row, by), row.record.id()))
            .collect();
        keyed.sort_unstable();
        if view.descending {
            keyed.reverse();
        }
        let ids: Vec<String> = keyed.into_iter().map(|(_, id)| id.to_string()).collect();
        let view = &mut self.views[kind as usize];
        view.ids = ids;
        view.fresh = true;
        view.columns = None;
        let index = view
            .selected_id
            .as_ref()
            .and_then(|id| view.ids.iter().position(|i| i == id));
        view.select(index.unwrap_or(view.selected));
    }

    pub(crate) fn mark_stale(&mut self, kind: Kind) {
        self.views[kind as usize].fresh = false;
    }

    pub(super) fn mark_all_stale(&mut self) {
        for v in &mut self.views {
            v.fresh = false;
        }
    }

    pub(super) fn key_of(&self, kind: Kind, id: &str, by: SortBy) -> Option<(SortKey, String)> {
        self.replica
            .row(kind, id)
            .map(|row| (kinds::sort_key(&self.replica, row, by), id.to_string()))
    }

    /// Puts one changed record in its place in a built list (or takes it out).
    pub(super) fn update_view(&mut self, kind: Kind, id: &str) {
        if !self.views[kind as usize].fresh {
            return;
        }
        self.views[kind as usize].columns = None;
        let view = &self.views[kind as usize];
        let (by, descending) = (kinds::sorts(kind)[view.sort], view.descending);
        let old = view.ids.iter().position(|i| i == id);
        let keep = view.text_passes(id)
            && self
                .replica
                .record(kind, id)
                .is_some_and(|r| self.passes(r, &view.filters));
        let view = &mut self.views[kind as usize];
        if let Some(pos) = old {
            view.ids.remove(pos);
        }
        if keep {
            let Some(new_key) = self.key_of(kind, id, by) else {
                return;
            };
            let view = &self.views[kind as usize];
            let pos = view.ids.partition_point(|other| {
                let other_key = self.key_of(kind, other, by);
                match other_key {
                    Some(k) if descending => k > new_key,
                    Some(k) => k < new_key,
                    None => true,
                }
            });
            self.views[kind as usize].ids.insert(pos, id.to_string());
        }
    }

    /// Keeps the selection on the same record after the list changed; when that record is
    /// gone, the selection stays at the same position.
    pub(super) fn resync(&mut self, kind: Kind) -> bool {
        let view = &mut self.views[kind as usize];
        if !view.fresh {
            return true;
        }
        let Some(id) = view.selected_id.clone() else {
            view.select(view.selected);
            return true;
        };
        if view.ids.get(view.selected) == Some(&id) {
            return true;
        }
        match view.ids.iter().position(|i| *i == id) {
            Some(pos) => {
                view.selected = pos;
                true
            }
            None => {
                view.select(view.selected);
                false
            }
        }
    }

    // ----- a list's text filter (`F`), typed on the message line -----

    /// `F`: types a text filter for the shown list.
    pub(super) fn start_narrowing(&mut self) {
        let Some(kind) = self.kind() else {
            self.say(
                Level::Info,
                "Overviews have no list to narrow: / searches everything",
            );
            return;
        };
        let before = self.views[kind as usize].text.clone();
        let line =
            super::super::input::TextInput::new(before.as_ref().map_or("", |t| t.query.as_str()));
        self.search.narrowing = Some((kind, line, before));
    }

    /// An action while the filter line is typed: Enter keeps the filter, Esc goes back to the
    /// one before, the editing keys edit (and the list follows as it is typed).
    pub(super) fn narrowing_update(&mut self, action: Action) {
        match action {
            Action::Open => self.finish_narrowing(true),
            Action::Close => self.finish_narrowing(false),
            _ => {
                if let Some((kind, line, _)) = self.search.narrowing.as_mut() {
                    let kind = *kind;
                    if line.apply(action) == Some(true) {
                        let query = line.text.clone();
                        self.set_text_filter(kind, &query);
                    }
                }
            }
        }
    }

    /// Pasted text goes into the filter line, if it is typed.
    pub(crate) fn narrowing_paste(&mut self, text: &str) -> bool {
        let Some((kind, line, _)) = self.search.narrowing.as_mut() else {
            return false;
        };
        let kind = *kind;
        line.insert(&text.replace(['\n', '\r'], " "));
        let query = line.text.clone();
        self.set_text_filter(kind, &query);
        true
    }

    /// Sets (or with an empty query clears) a list's text filter and asks for its matches.
    pub(crate) fn set_text_filter(&mut self, kind: Kind, query: &str) {
        if query.trim().is_empty() {
            self.views[kind as usize].text = None;
            self.mark_stale(kind);
            self.search.cancel_list(kind);
            return;
        }
        let keep = self.views[kind as usize]
            .text
            .as_ref()
            .and_then(|t| t.ids.clone());
        self.views[kind as usize].text = Some(super::super::search::TextFilter {
            query: query.to_string(),
            // The earlier matches stay until the new ones arrive.
            ids: keep,
        });
        self.mark_stale(kind);
        self.search.submit_list(&self.replica, kind, query);
    }

    /// Enter or Esc in the filter line: keep the filter, or go back to the one before.
    fn finish_narrowing(&mut self, keep: bool) {
        let Some((kind, line, before)) = self.search.narrowing.take() else {
            return;
        };
        if keep {
            let n = self.view(kind).ids.len();
            let what = kinds::plural(kind).to_lowercase();
            let text = if line.text.trim().is_empty() {
                format!("Text filter cleared: {n} {what}")
            } else {
                format!(
                    "{n} {what} match \u{201c}{}\u{201d} · x clears the filters",
                    line.text
                )
            };
            self.say(Level::Info, text);
        } else {
            match before {
                Some(b) => self.set_text_filter(kind, &b.query),
                None => self.set_text_filter(kind, ""),
            }
        }
    }
}
