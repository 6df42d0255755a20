//! The lists: which records each kind's list shows (project, filters, text filter), in which
//! order, kept current by commits with the selection on the same record.

use crate::model::*;

use super::super::feature::Cx;
use super::super::kinds::{self, SortBy, SortKey};
use super::super::nav::Filter;
use super::{Browse, ListView};

impl Browse {
    fn passes(&self, replica: &Replica, record: &Record, filters: &[Filter]) -> bool {
        kinds::in_scope(replica, record, self.project.as_deref())
            && filters
                .iter()
                .all(|f| kinds::facet_value(record, f.facet).is_some_and(|v| v == f.value.as_str()))
    }

    /// Whether a record passes the other filters of a list (all but one facet's), for the
    /// counts of the filter menu.
    pub fn passes_filters(&self, replica: &Replica, record: &Record, filters: &[Filter]) -> bool {
        self.passes(replica, record, filters)
    }

    /// Builds a kind's list again if its filters, sort or project changed.
    pub(crate) fn ensure_view(&mut self, cx: &Cx, kind: Kind) {
        if self.views[kind as usize].fresh {
            return;
        }
        let replica: &Replica = cx.replica;
        let view = &self.views[kind as usize];
        let by = kinds::sorts(kind)[view.sort];
        let mut keyed: Vec<(SortKey, &str)> = replica
            .rows(kind)
            .filter(|row| view.text_passes(row.record.id()))
            .filter(|row| self.passes(replica, &row.record, &view.filters))
            .map(|row| (kinds::sort_key(replica, row, by), row.record.id()))
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

    /// The list of a kind, built or rebuilt if needed.
    pub fn list(&mut self, cx: &Cx, kind: Kind) -> &ListView {
        self.ensure_view(cx, kind);
        &self.views[kind as usize]
    }

    pub(crate) fn mark_stale(&mut self, kind: Kind) {
        self.views[kind as usize].fresh = false;
    }

    pub(crate) fn mark_all_stale(&mut self) {
        for v in &mut self.views {
            v.fresh = false;
        }
    }

    fn key_of(replica: &Replica, kind: Kind, id: &str, by: SortBy) -> Option<(SortKey, String)> {
        replica
            .row(kind, id)
            .map(|row| (kinds::sort_key(replica, row, by), id.to_string()))
    }

    /// Puts one changed record in its place in a built list (or takes it out).
    fn update_view(&mut self, replica: &Replica, kind: Kind, id: &str) {
        if !self.views[kind as usize].fresh {
            return;
        }
        self.views[kind as usize].columns = None;
        let view = &self.views[kind as usize];
        let (by, descending) = (kinds::sorts(kind)[view.sort], view.descending);
        let old = view.ids.iter().position(|i| i == id);
        let keep = view.text_passes(id)
            && replica
                .record(kind, id)
                .is_some_and(|r| self.passes(replica, r, &view.filters));
        let view = &mut self.views[kind as usize];
        if let Some(pos) = old {
            view.ids.remove(pos);
        }
        if keep {
            let Some(new_key) = Self::key_of(replica, kind, id, by) else {
                return;
            };
            let view = &self.views[kind as usize];
            let pos =
                view.ids
                    .partition_point(|other| match Self::key_of(replica, kind, other, by) {
                        Some(k) if descending => k > new_key,
                        Some(k) => k < new_key,
                        None => true,
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

    /// Selects a record in its kind's list, when the list shows its kind (after a new record
    /// is saved). Returns whether the list shows it (its filters may leave it out).
    pub fn select_record(&mut self, cx: &Cx, kind: Kind, id: &str) -> bool {
        if self.kind() != Some(kind) {
            return false;
        }
        self.views[kind as usize].selected_id = Some(id.to_string());
        self.ensure_view(cx, kind);
        self.resync(kind);
        self.views[kind as usize].selected_id.as_deref() == Some(id)
    }

    /// A committed change (already applied to `cx.replica`) put into every list, keeping each
    /// selection on its record. Returns the id of the shown list's selection when the change
    /// took it away.
    pub fn on_commit(&mut self, cx: &Cx, committed: &Committed) -> Option<String> {
        let many = committed.changes.len() > 2_000;
        // A project, plan, scheme, meeting or session moving can move records that hang from it.
        let parents = committed.changes.iter().any(|c| {
            matches!(
                c.kind,
                Kind::Project
                    | Kind::ActionPlan
                    | Kind::Scheme
                    | Kind::Meeting
                    | Kind::Session
                    | Kind::Sme
            )
        });
        if many || (parents && self.project.is_some()) {
            self.mark_all_stale();
        } else {
            for change in &committed.changes {
                self.update_view(cx.replica, change.kind, &change.id);
            }
            if parents {
                // Lists that show a parent's name in a column may have moved in their sort.
                for kind in [
                    Kind::Practice,
                    Kind::Meeting,
                    Kind::ActionPlan,
                    Kind::Partner,
                    Kind::Action,
                    Kind::Voucher,
                    Kind::Score,
                ] {
                    if matches!(
                        kinds::sorts(kind)[self.views[kind as usize].sort],
                        SortBy::Project
                    ) {
                        self.mark_stale(kind);
                    }
                }
            }
        }
        let shown = self.kind();
        let had = shown.and_then(|k| self.views[k as usize].selected_id.clone());
        for kind in Kind::ALL {
            self.resync(*kind);
        }
        let k = shown?;
        // A list marked stale above is rebuilt here and finds its selection by id.
        self.ensure_view(cx, k);
        let now = &self.views[k as usize].selected_id;
        had.filter(|h| now.as_ref() != Some(h))
    }

    /// Sets (or with None clears) one facet of a list.
    pub fn set_facet(&mut self, kind: Kind, facet: kinds::Facet, value: Option<String>) {
        let view = &mut self.views[kind as usize];
        view.filters.retain(|x| x.facet != facet);
        if let Some(value) = value {
            view.filters.push(Filter { facet, value });
        }
        self.mark_stale(kind);
    }

    /// Sorts a list by its `index`th sort; the same one again turns the order round.
    pub fn set_sort(&mut self, kind: Kind, index: usize) {
        let view = &mut self.views[kind as usize];
        if view.sort == index {
            view.descending = !view.descending;
        } else {
            view.sort = index;
            view.descending = false;
        }
        self.mark_stale(kind);
    }

    /// Sets (None: clears) a list's text filter; its matches are awaited (until then, the
    /// earlier matches stay).
    pub fn set_text(&mut self, kind: Kind, query: Option<&str>) {
        let view = &mut self.views[kind as usize];
        view.text = query.map(|q| super::TextFilter {
            query: q.to_string(),
            ids: view.text.as_ref().and_then(|t| t.ids.clone()),
        });
        self.mark_stale(kind);
    }

    /// The matches of a list's text filter came: kept if they answer its query now.
    pub fn text_matches(
        &mut self,
        kind: Kind,
        query: &str,
        ids: std::collections::HashSet<String>,
    ) -> bool {
        let Some(filter) = self.views[kind as usize].text.as_mut() else {
            return false;
        };
        if filter.query != query {
            return false;
        }
        filter.ids = Some(ids);
        self.mark_stale(kind);
        true
    }
}
