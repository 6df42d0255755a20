//! What matching and ranking read from an index, whichever way it is held: the in-memory
//! [`Index`] that the workbench keeps current, or the saved index used in place from its file
//! ([`super::mapped::Mapped`]). The engine ([`super::engine`]) and the ranking ([`super::rank`])
//! are written once against [`View`], so both give the same results for every query.

use std::borrow::Cow;

use super::arena::Span;
use super::fold::{self, Patch};
use super::index::{Entry, Index};
use crate::model::Kind;

/// One entry as the engine sees it: a few numbers, copied out of wherever the entry lives.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Head<'a> {
    pub kind: Kind,
    /// Bytes of the id at the start of the entry's own text.
    pub id_len: u16,
    pub nkeys: u16,
    pub nctx: u16,
    /// The title, in the dictionary.
    pub title: u32,
    /// Where its lists start (key fields, names of referenced records, their slots).
    pub lists: u32,
    /// The entry's own folded text: the id, then the long fields.
    pub text: Span,
    /// For a voucher type: its code.
    pub sub: Option<&'a str>,
    /// The id as folded (ids are plain ASCII, so it is the id itself): matching reads it for
    /// every entry.
    pub id: &'a str,
}

impl Head<'_> {
    pub fn is_type(&self) -> bool {
        self.sub.is_some()
    }
}

/// An in-memory entry as the engine sees it.
pub(crate) fn head_of<'a>(index: &'a Index, e: &'a Entry) -> Head<'a> {
    let id = index
        .arena
        .str(e.text)
        .get(..e.id_len as usize)
        .unwrap_or("");
    head_with_id(e, id)
}

/// An entry as the engine sees it, given its folded id.
pub(crate) fn head_with_id<'a>(e: &'a Entry, id: &'a str) -> Head<'a> {
    Head {
        kind: e.kind,
        id_len: e.id_len,
        nkeys: e.nkeys,
        nctx: e.nctx,
        title: e.title,
        lists: e.lists,
        text: e.text,
        sub: e.sub.as_deref(),
        id,
    }
}

/// A run of dictionary ids or slots: a slice in memory, or little-endian words in a file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ids<'a> {
    Words(&'a [u32]),
    Le(&'a [u8]),
}

impl<'a> Ids<'a> {
    pub const EMPTY: Ids<'static> = Ids::Words(&[]);

    pub fn len(&self) -> usize {
        match self {
            Ids::Words(w) => w.len(),
            Ids::Le(b) => b.len() / 4,
        }
    }

    pub fn get(&self, i: usize) -> Option<u32> {
        match self {
            Ids::Words(w) => w.get(i).copied(),
            Ids::Le(b) => {
                let at = i.checked_mul(4)?;
                let w = b.get(at..at.checked_add(4)?)?;
                Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            }
        }
    }

    pub fn iter(self) -> impl Iterator<Item = u32> + 'a {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// Read access to an index, for matching and ranking. Every method answers for any slot and
/// any id, out of range included (with `None`, nothing or an empty text), so that a damaged
/// saved index can never make the engine panic.
pub(crate) trait View: Sync {
    /// Slots in use or free: entries are looked up in `0..slot_count()`.
    fn slot_count(&self) -> usize;
    /// The entry in a slot.
    fn head(&self, slot: u32) -> Option<Head<'_>>;
    /// The number of dictionary ids (the size of per-query tables).
    fn dict_capacity(&self) -> usize;
    /// The folded text of a dictionary id ("" for none).
    fn text(&self, id: u32) -> &str;
    /// The patches that turn a dictionary text back into its original.
    fn text_patches(&self, id: u32) -> Cow<'_, [Patch]>;
    /// Characters of the original text of a dictionary id.
    fn text_chars(&self, id: u32) -> u16;
    /// An entry's lists: key fields, names of referenced records, their slots.
    fn lists(&self, e: &Head) -> Ids<'_>;
    /// The entry's own folded text (id, then long fields), as bytes: matching needs no more,
    /// and a saved index is not checked as UTF-8 where nobody reads it as text.
    fn own_text(&self, e: &Head) -> &[u8];
    fn own_patches(&self, e: &Head) -> Cow<'_, [Patch]>;
    /// The sequence number of the last commit the index holds.
    fn seq(&self) -> u64;
    /// Changes whenever the entries change.
    fn version(&self) -> u64;

    fn keys(&self, e: &Head) -> Ids<'_> {
        part(self.lists(e), 0, e.nkeys as usize)
    }

    fn ctx(&self, e: &Head) -> Ids<'_> {
        part(self.lists(e), e.nkeys as usize, e.nctx as usize)
    }

    fn refs(&self, e: &Head) -> Ids<'_> {
        part(
            self.lists(e),
            e.nkeys as usize + e.nctx as usize,
            e.nctx as usize,
        )
    }

    /// Where the long fields start in the entry's own text (they run to its end).
    fn long_start(&self, e: &Head) -> usize {
        (e.id_len as usize + 1).min(self.own_text(e).len())
    }

    fn long(&self, e: &Head) -> &[u8] {
        self.own_text(e).get(self.long_start(e)..).unwrap_or(&[])
    }

    /// The record's id as stored.
    fn id_of(&self, e: &Head) -> String {
        let text = self.own_text(e);
        let id = text.get(..e.id_len as usize).unwrap_or(&[]);
        let Ok(id) = std::str::from_utf8(id) else {
            return String::new();
        };
        let patches: Vec<Patch> = self
            .own_patches(e)
            .iter()
            .filter(|p| (p.at as usize) < id.len())
            .copied()
            .collect();
        original(id, &patches)
    }

    /// The original title of an entry.
    fn title_of(&self, e: &Head) -> String {
        original(self.text(e.title), &self.text_patches(e.title))
    }

    fn title_chars(&self, e: &Head) -> u16 {
        self.text_chars(e.title)
    }
}

/// The original of a folded text with its patches (patches that do not fit leave it folded).
pub(crate) fn original(folded: &str, patches: &[Patch]) -> String {
    if fold::patches_fit(folded, patches) {
        fold::original(folded, patches, 0, folded.len())
    } else {
        folded.to_string()
    }
}

fn part(ids: Ids<'_>, start: usize, len: usize) -> Ids<'_> {
    match ids {
        Ids::Words(w) => Ids::Words(w.get(start..start + len).unwrap_or(&[])),
        Ids::Le(b) => Ids::Le(b.get(start * 4..(start + len) * 4).unwrap_or(&[])),
    }
}

impl View for Index {
    fn slot_count(&self) -> usize {
        self.slots.len()
    }

    fn head(&self, slot: u32) -> Option<Head<'_>> {
        self.entry(slot).map(|e| head_of(self, e))
    }

    fn dict_capacity(&self) -> usize {
        self.dict.capacity()
    }

    fn text(&self, id: u32) -> &str {
        self.dict.folded(id)
    }

    fn text_patches(&self, id: u32) -> Cow<'_, [Patch]> {
        Cow::Borrowed(self.dict.patches(id))
    }

    fn text_chars(&self, id: u32) -> u16 {
        self.dict.get(id).map_or(0, |t| t.chars)
    }

    fn lists(&self, e: &Head) -> Ids<'_> {
        let s = e.lists as usize;
        let n = e.nkeys as usize + 2 * e.nctx as usize;
        Ids::Words(self.lists.get(s..s + n).unwrap_or(&[]))
    }

    fn own_text(&self, e: &Head) -> &[u8] {
        self.arena.str(e.text).as_bytes()
    }

    fn own_patches(&self, e: &Head) -> Cow<'_, [Patch]> {
        Cow::Borrowed(self.arena.patches(e.text))
    }

    fn seq(&self) -> u64 {
        Index::seq(self)
    }

    fn version(&self) -> u64 {
        Index::version(self)
    }
}
