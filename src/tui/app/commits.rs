//! Live updates: a committed change (this workbench's own or another user's) applied to the
//! records, the links back, the search index and every list, keeping each selection; and the
//! changes queued for the loop to send.

use super::*;

impl App {
    // ----- live updates -----

    /// Applies a committed change (this workbench's own or another user's) to the replica and
    /// every list, keeping each list's selection on the same record. Returns whether anything
    /// changed.
    /// Replaces the records with a fresh snapshot (after a reconnection) as one change, so that
    /// every list keeps its place.
    pub fn replace_records(&mut self, fresh: Replica) -> bool {
        let mut changes = Vec::new();
        for kind in Kind::ALL {
            for row in self.replica.rows(*kind) {
                if fresh.row(*kind, row.record.id()).is_none() {
                    changes.push(Change {
                        kind: *kind,
                        id: row.record.id().to_string(),
                        row: None,
                    });
                }
            }
            for row in fresh.rows(*kind) {
                if self.replica.row(*kind, row.record.id()) != Some(row) {
                    changes.push(Change {
                        kind: *kind,
                        id: row.record.id().to_string(),
                        row: Some(row.clone()),
                    });
                }
            }
        }
        if changes.is_empty() {
            return false;
        }
        let committed = Committed {
            seq: fresh.seq.max(self.replica.seq + 1),
            at: Timestamp::now(),
            actor: Actor::user(self.user.clone()),
            summary: "resynchronised with the server".into(),
            changed: changes.len(),
            changes,
        };
        self.apply(&committed)
    }

    /// Queues a change for the event loop; nothing is shown as saved until `on_result`.
    pub fn send(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
        purpose: super::super::outbox::Purpose,
    ) {
        self.outbox.push(super::super::outbox::Outgoing {
            command,
            on_behalf_of,
            purpose,
        });
    }

    /// The changes queued since the last call, for the loop to send.
    pub fn take_outbox(&mut self) -> Vec<super::super::outbox::Outgoing> {
        std::mem::take(&mut self.outbox)
    }

    /// Applies a commit to the replica and every view. Record by record, only what is newer
    /// than the row held: a change already here (a reply applied before its broadcast, a
    /// replay after a resynchronisation) is skipped without dropping the rest, so another
    /// user's commit is never lost because this workbench's own overtook it.
    pub fn apply(&mut self, committed: &Committed) -> bool {
        let newer = |c: &&Change| match self.replica.row(c.kind, &c.id) {
            Some(held) => held.rev < committed.seq,
            None => c.row.is_some(),
        };
        let fresh: Vec<Change> = committed.changes.iter().filter(newer).cloned().collect();
        if fresh.is_empty() {
            let seq = self.replica.seq.max(committed.seq);
            std::sync::Arc::make_mut(&mut self.replica).seq = seq;
            return false;
        }
        let committed = &Committed {
            seq: committed.seq,
            at: committed.at,
            actor: committed.actor.clone(),
            summary: committed.summary.clone(),
            changed: fresh.len(),
            changes: fresh,
        };
        for change in &committed.changes {
            if let Some(old) = self.replica.record(change.kind, &change.id).cloned() {
                self.refs.remove(&old);
            }
            if let Some(row) = &change.row {
                self.refs.add(&row.record);
            }
        }
        std::sync::Arc::make_mut(&mut self.replica).apply(committed);
        self.leave_out_texts_of(committed);
        // The search index follows: the worker indexes the changed records again.
        if let Some(searcher) = &self.search.searcher {
            searcher.apply(committed.clone());
        }
        let touched: Vec<Kind> = Kind::ALL
            .iter()
            .copied()
            .filter(|k| committed.changes.iter().any(|c| c.kind == *k))
            .collect();
        // Lists with a text filter over a changed kind are matched again.
        let filtered: Vec<Kind> = touched
            .iter()
            .copied()
            .filter(|k| self.browse.views[*k as usize].text.is_some())
            .collect();
        self.search.filters_stale(filtered);
        let shown = self.kind();
        let lost = self.with_browse(|b, cx| b.on_commit(cx, committed));
        let who = &committed.actor.user;
        let level = if lost.is_some() {
            Level::Warn
        } else {
            Level::Info
        };
        let text = match lost {
            Some(id) => format!(
                "{} '{id}' you had selected was deleted or filtered out by a change from {who}",
                shown.map_or("record", |k| k.singular())
            ),
            None if *who != self.user => format!("Updated: {} (by {who})", committed.summary),
            None => format!("Saved: {}", committed.summary),
        };
        self.say(level, crate::model::text::sanitize(&text, false));
        true
    }
}
