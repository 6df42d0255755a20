//! The long texts a workbench reads when it shows them. Its copy of the records may leave
//! them out ([`Texts::Elided`]: at a million records they were a third of its memory); the
//! records the screen shows — the detail's, the practice on the scoring card, those a
//! document is written from — have theirs read from the backend before the frame is drawn,
//! and only the last few read are kept.

use std::collections::VecDeque;

use super::*;

/// How many records keep the texts read for them, besides those on screen.
const KEPT: usize = 16;

/// What the workbench keeps of the long texts, and the records whose texts it read.
#[derive(Debug)]
pub struct TextsRead {
    pub(crate) keeping: Texts,
    /// Oldest first.
    read: VecDeque<(Kind, String)>,
}

impl Default for TextsRead {
    fn default() -> TextsRead {
        TextsRead {
            keeping: Texts::Whole,
            read: VecDeque::new(),
        }
    }
}

impl App {
    /// Says what the backend's copy keeps of the long texts (see [`Backend::texts`]).
    ///
    /// [`Backend::texts`]: crate::backend::Backend::texts
    pub fn keep_texts(&mut self, texts: Texts) {
        self.texts.keeping = texts;
    }

    /// The records on screen, whose texts are read before drawing if this copy left them out.
    pub fn texts_to_read(&mut self) -> Vec<(Kind, String)> {
        let mut out = Vec::new();
        if let ContentKey::Record(kind, id) = self.content_key() {
            out.push((kind, id));
        }
        if let Some(pane) = &self.scoring
            && let Some(Record::Session(s)) = self.replica.record(Kind::Session, &pane.session)
            && let Some(practice) = s.practices.get(pane.practice)
        {
            out.push((Kind::Practice, practice.to_string()));
        }
        out
    }

    /// Reads from `backend` the texts of a record whose copy left them out, and takes them in;
    /// whether it read any.
    pub fn read_texts_of<B: crate::backend::Backend + ?Sized>(
        &mut self,
        backend: &mut B,
        kind: Kind,
        id: &str,
    ) -> bool {
        let elided = self
            .replica
            .record(kind, id)
            .is_some_and(Record::has_elided_texts);
        if elided && let Ok(Some(row)) = backend.get(kind, id) {
            self.take_texts(row);
            return true;
        }
        false
    }

    /// Takes the texts of `row`, read from the backend, into the copy of the record (if it is
    /// still the revision held); kept until [`App::forget_texts`].
    pub fn take_texts(&mut self, row: Row) {
        let (kind, id) = (row.record.kind(), row.record.id().to_string());
        let held = self.replica.row(kind, &id);
        if !held.is_some_and(|h| h.rev == row.rev && h.record.has_elided_texts()) {
            return;
        }
        let replica = Arc::make_mut(&mut self.replica);
        if let Some(held) = replica.row_mut(kind, &id) {
            held.record.fill_texts_from(&row.record);
        }
        // The detail shows what it built from the record without its texts: built again.
        self.browse.detail.rebuild();
        self.texts.read.push_back((kind, id));
    }

    /// Leaves out again the texts read longest ago, beyond the last few (after a frame's
    /// reads, and after a document that read many).
    pub fn forget_texts(&mut self) {
        while self.texts.read.len() > KEPT {
            let (kind, id) = self.texts.read.pop_front().expect("longer than KEPT");
            self.leave_texts_out(kind, &id);
        }
    }

    /// Leaves the texts of the records `committed` brought out of the copy, when it keeps none.
    pub(super) fn leave_out_texts_of(&mut self, committed: &Committed) {
        if self.texts.keeping == Texts::Elided {
            for change in &committed.changes {
                self.leave_texts_out(change.kind, &change.id);
            }
        }
    }

    fn leave_texts_out(&mut self, kind: Kind, id: &str) {
        if self
            .replica
            .record(kind, id)
            .is_some_and(Record::holds_texts)
            && let Some(row) = Arc::make_mut(&mut self.replica).row_mut(kind, id)
        {
            row.record.elide_texts();
        }
    }
}
