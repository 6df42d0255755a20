//! The index: one entry per record (and per voucher type). Short texts (title, key fields, names
//! of related records) live once in the [`Dict`] and entries point at them; the id and the long
//! texts of each entry are folded into one [`Arena`], the entries' lists of text ids and slots
//! into one vector: an entry itself is a few numbers.
//!
//! Entries live in slots that keep their number while the record lives, so that an entry can
//! name the records it refers to by slot. [`Index::apply`] updates only the records a commit
//! changed, plus the entries that show the name of a renamed record.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::arena::{Arena, Span};
use super::dict::{Dict, EMPTY, FxBuild};
use super::fields::{self, RefTo, Source};
use super::fold::{self, Patch, SEP};
use crate::model::{Change, Committed, Kind, Record, Replica};

/// A slot that names no entry (a reference to a record that is not in the index).
pub(crate) const NONE: u32 = u32::MAX;

type Ids = Vec<HashMap<Box<str>, u32, FxBuild>>;

/// One searchable thing: a record, or a voucher type inside a scheme.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    /// Bytes of the id at the start of `text`.
    pub id_len: u16,
    /// How many key fields (after the id) and names of related records it has.
    pub nkeys: u16,
    pub nctx: u16,
    /// The title, in the dictionary.
    pub title: u32,
    /// Where its lists start in the index's list vector: the key fields (in the order of
    /// `key_labels(..)[1..]`, [`EMPTY`] for a blank one), the names of the records it refers
    /// to, then those records' slots ([`NONE`]: missing).
    pub lists: u32,
    /// Folded: the id, then the long fields, separated by [`SEP`].
    pub text: Span,
    /// For a voucher type: its code (the entry's kind is `Scheme`, its id the scheme's).
    pub sub: Option<Box<str>>,
}

impl Entry {
    pub fn is_type(&self) -> bool {
        self.sub.is_some()
    }

    fn list_len(&self) -> usize {
        self.nkeys as usize + 2 * self.nctx as usize
    }
}

/// How references are turned into slots and names while entries are built.
trait Resolve: Sync {
    fn slot(&self, kind: Kind, id: &str) -> Option<u32>;
    fn type_slot(&self, scheme: &str, code: &str) -> Option<u32>;
    fn name(&self, slot: u32) -> Option<Cow<'_, str>>;
}

/// An entry before its texts are in the dictionary.
struct Raw<'a> {
    kind: Kind,
    sub: Option<&'a str>,
    id: &'a str,
    title: Cow<'a, str>,
    keys: Vec<Cow<'a, str>>,
    ctx: Vec<Cow<'a, str>>,
    refs: Vec<u32>,
    long: Vec<Cow<'a, str>>,
}

impl<'a> Raw<'a> {
    fn new(source: Source<'a>, id: &'a str, resolve: &'a dyn Resolve) -> Raw<'a> {
        let refs: Vec<u32> = source
            .refs
            .iter()
            .map(|r| {
                match *r {
                    RefTo::Record(kind, id) => resolve.slot(kind, id),
                    RefTo::Type(scheme, code) => resolve.type_slot(scheme, code),
                }
                .unwrap_or(NONE)
            })
            .collect();
        let ctx = refs
            .iter()
            .map(|s| {
                (*s != NONE)
                    .then(|| resolve.name(*s))
                    .flatten()
                    .unwrap_or(Cow::Borrowed(""))
            })
            .collect();
        let mut keys = source.keys;
        keys.remove(0); // the id, kept in the entry's own text
        Raw {
            kind: source.kind,
            sub: source.sub,
            id,
            title: source.title,
            keys,
            ctx,
            refs,
            long: source.long,
        }
    }

    /// The texts that go into the dictionary, in order: title, keys, names.
    fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.title.as_ref())
            .chain(self.keys.iter().map(|k| k.as_ref()))
            .chain(self.ctx.iter().map(|k| k.as_ref()))
    }

    /// Puts the entry together, given the dictionary ids of [`Raw::texts`], folding its own
    /// text into `arena` and its lists into `lists`.
    fn entry(&self, ids: &[u32], arena: &mut Arena, lists: &mut Vec<u32>) -> Entry {
        let text = arena.push_joined(
            std::iter::once(self.id).chain(self.long.iter().map(|l| l.as_ref())),
            SEP,
        );
        let id_len = fold::fold(self.id).len().min(u16::MAX as usize) as u16;
        let start = lists.len() as u32;
        lists.extend_from_slice(&ids[1..]);
        lists.extend_from_slice(&self.refs);
        Entry {
            kind: self.kind,
            id_len,
            nkeys: self.keys.len() as u16,
            nctx: self.ctx.len() as u16,
            title: ids[0],
            lists: start,
            text,
            sub: self.sub.map(Box::from),
        }
    }
}

/// The memory an index uses, and the size of the text it indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryUse {
    /// Bytes of original text indexed: every searched field of every entry, as UTF-8.
    pub text_bytes: usize,
    /// Bytes the index holds: entries, dictionary, folded text, patches, id tables.
    pub index_bytes: usize,
    pub entries: usize,
    /// Distinct short texts in the dictionary.
    pub texts: usize,
}

/// An in-memory fuzzy index over every record.
#[derive(Debug, Default)]
pub struct Index {
    pub(crate) slots: Vec<Option<Entry>>,
    pub(crate) dict: Dict,
    /// The entries' own folded texts.
    pub(crate) arena: Arena,
    /// The entries' lists (see [`Entry::lists`]).
    pub(crate) lists: Vec<u32>,
    lists_garbage: usize,
    free: Vec<u32>,
    /// Per kind (by `Kind as usize`): id → slot of the record's entry. Built when first needed
    /// (a saved index that is only searched never needs it).
    ids: OnceLock<Ids>,
    /// A voucher scheme's slot → the slots of its voucher types.
    children: HashMap<u32, Vec<u32>>,
    live: usize,
    seq: u64,
    /// Changes whenever the entries change (results of an earlier version may be stale).
    version: u64,
}

/// The parts of an index, for saving it.
pub(crate) struct Parts<'a> {
    pub dict: &'a Dict,
    pub lists: &'a [u32],
    pub slots: &'a [Option<Entry>],
    pub seq: u64,
    pub version: u64,
}

/// References resolved while building from a list of records.
struct Planned<'a> {
    records: &'a [&'a Record],
    /// The first slot of each record (its types follow it).
    starts: Vec<u32>,
    /// For each slot: the record and, for a voucher type, the type's position.
    owners: Vec<(u32, Option<u16>)>,
    ids: &'a Ids,
}

impl Resolve for Planned<'_> {
    fn slot(&self, kind: Kind, id: &str) -> Option<u32> {
        self.ids[kind as usize].get(id).copied()
    }

    fn type_slot(&self, scheme: &str, code: &str) -> Option<u32> {
        let slot = self.slot(Kind::Scheme, scheme)?;
        let (record, _) = self.owners[slot as usize];
        match self.records[record as usize] {
            Record::Scheme(s) => {
                let pos = s.types.iter().position(|t| t.code == code)?;
                Some(self.starts[record as usize] + 1 + pos as u32)
            }
            _ => None,
        }
    }

    fn name(&self, slot: u32) -> Option<Cow<'_, str>> {
        let (record, sub) = *self.owners.get(slot as usize)?;
        let record = self.records[record as usize];
        match (record, sub) {
            (Record::Scheme(s), Some(t)) => Some(Cow::Borrowed(s.types[t as usize].name.as_str())),
            (r, _) => Some(fields::name_of(r)),
        }
    }
}

impl Resolve for Index {
    fn slot(&self, kind: Kind, id: &str) -> Option<u32> {
        self.ids().get(kind as usize)?.get(id).copied()
    }

    fn type_slot(&self, scheme: &str, code: &str) -> Option<u32> {
        let slot = Resolve::slot(self, Kind::Scheme, scheme)?;
        self.children.get(&slot)?.iter().copied().find(|c| {
            self.entry(*c)
                .and_then(|e| e.sub.as_deref())
                .is_some_and(|s| s == code)
        })
    }

    fn name(&self, slot: u32) -> Option<Cow<'_, str>> {
        self.name_of(slot).map(Cow::Owned)
    }
}

/// Entries folded on one core: their own texts, their lists, and each with its slot.
type Piece = (Arena, Vec<u32>, Vec<(u32, Entry)>);

/// Where a build puts the entries' own folded texts (the bulk of an index): kept with the
/// index, in its [`Arena`], or written out as they are folded ([`super::mapped::Writer`]).
pub(crate) trait OwnTexts {
    /// Takes the texts and patches of a piece of entries (`entries`: each with its slot, its
    /// span relative to `piece`); returns where in the whole the piece's text and its patches
    /// start.
    fn append(&mut self, piece: &Arena, entries: &[(u32, Entry)]) -> (u32, u32);
}

impl OwnTexts for Arena {
    fn append(&mut self, piece: &Arena, _: &[(u32, Entry)]) -> (u32, u32) {
        let at = (self.text.len() as u32, self.patches.len() as u32);
        self.text.push_str(&piece.text);
        self.patches.extend_from_slice(&piece.patches);
        at
    }
}

/// Records indexed by [`Index::from_stream`] at a time.
const STREAM_CHUNK: usize = 8192;

/// What a streamed build learns of every record before it indexes any: its slot (a scheme's
/// voucher types in the slots after it) and the name the records that refer to it show.
#[derive(Default)]
struct Names {
    ids: Ids,
    /// Per slot: the name shown of it.
    names: Vec<Box<str>>,
    /// Per voucher scheme's slot: its types' codes, in slot order.
    codes: HashMap<u32, Vec<Box<str>>>,
    children: HashMap<u32, Vec<u32>>,
}

impl Names {
    fn add(&mut self, r: &Record) {
        if self.ids.is_empty() {
            self.ids = empty_ids();
        }
        let slot = self.names.len() as u32;
        if self.ids[r.kind() as usize]
            .insert(Box::from(r.id()), slot)
            .is_some()
        {
            // Streamed twice under one id: the first slot stays (it is found by id).
            return;
        }
        self.names.push(Box::from(fields::name_of(r).as_ref()));
        if let Record::Scheme(s) = r
            && !s.types.is_empty()
        {
            let mut types = Vec::with_capacity(s.types.len());
            let mut codes = Vec::with_capacity(s.types.len());
            for t in &s.types {
                types.push(self.names.len() as u32);
                codes.push(Box::from(t.code.as_str()));
                self.names.push(Box::from(t.name.as_str()));
            }
            self.children.insert(slot, types);
            self.codes.insert(slot, codes);
        }
    }
}

impl Resolve for Names {
    fn slot(&self, kind: Kind, id: &str) -> Option<u32> {
        self.ids.get(kind as usize)?.get(id).copied()
    }

    fn type_slot(&self, scheme: &str, code: &str) -> Option<u32> {
        let slot = self.slot(Kind::Scheme, scheme)?;
        let pos = self.codes.get(&slot)?.iter().position(|c| &**c == code)?;
        Some(slot + 1 + pos as u32)
    }

    fn name(&self, slot: u32) -> Option<Cow<'_, str>> {
        self.names.get(slot as usize).map(|n| Cow::Borrowed(&**n))
    }
}

fn empty_ids() -> Ids {
    vec![HashMap::default(); Kind::ALL.len()]
}

impl Index {
    pub fn new() -> Index {
        Index {
            ids: OnceLock::from(empty_ids()),
            ..Default::default()
        }
    }

    /// Indexes every record of a replica, using every core.
    pub fn build(replica: &Replica) -> Index {
        let records: Vec<&Record> = Kind::ALL
            .iter()
            .flat_map(|k| replica.rows(*k).map(|r| &r.record))
            .collect();
        let mut index = Index::from_records(&records);
        index.seq = replica.seq;
        index
    }

    /// Indexes a list of records (a later record with the same kind and id replaces an earlier
    /// one), using every core.
    pub fn from_records(records: &[&Record]) -> Index {
        Index::from_records_in_chunks(records, 8192)
    }

    /// [`Index::from_records`], gathering the texts of `chunk` records at a time.
    fn from_records_in_chunks(records: &[&Record], chunk: usize) -> Index {
        let mut index = Index::new();
        let mut ids = empty_ids();
        let mut slots = 0u32;
        let mut starts = Vec::with_capacity(records.len());
        let mut owners = Vec::with_capacity(records.len());
        let mut kept: Vec<&Record> = Vec::with_capacity(records.len());
        for r in records {
            let map = &mut ids[r.kind() as usize];
            if map.contains_key(r.id()) {
                // A duplicate: start over keeping the last copy of each (rare; files are checked).
                let mut last: HashMap<(Kind, &str), usize> = HashMap::new();
                for (i, r) in records.iter().enumerate() {
                    last.insert((r.kind(), r.id()), i);
                }
                let unique: Vec<&Record> = records
                    .iter()
                    .enumerate()
                    .filter(|(i, r)| last[&(r.kind(), r.id())] == *i)
                    .map(|(_, r)| *r)
                    .collect();
                return Index::from_records_in_chunks(&unique, chunk);
            }
            map.insert(Box::from(r.id()), slots);
            starts.push(slots);
            owners.push((kept.len() as u32, None));
            slots += 1;
            if let Record::Scheme(s) = r {
                let types: Vec<u32> = (0..s.types.len())
                    .map(|t| {
                        owners.push((kept.len() as u32, Some(t as u16)));
                        slots += 1;
                        slots - 1
                    })
                    .collect();
                if !types.is_empty() {
                    index.children.insert(slots - 1 - types.len() as u32, types);
                }
            }
            kept.push(r);
        }
        let planned = Planned {
            records: &kept,
            starts,
            owners,
            ids: &ids,
        };
        let resolve: &dyn Resolve = &planned;
        index.slots.resize(slots as usize, None);
        // In chunks of records, so that the texts gathered to build the entries (a practice's
        // long texts inflated, every field folded) are held for one chunk at a time and not for
        // the whole corpus: the peak stays near the index's own size (interning is incremental
        // and in order, so the dictionary's ids are those of a build in one piece).
        let size = chunk.max(1);
        let mut arena = Arena::default();
        for (n, part) in kept.chunks(size).enumerate() {
            let starts = &planned.starts[n * size..n * size + part.len()];
            index.add_chunk(part, starts, resolve, &mut arena);
        }
        index.arena = arena;
        drop(planned);
        debug_assert_eq!(index.slots.len(), slots as usize);
        index.ids = OnceLock::from(ids);
        index.live = index.slots.len();
        index.version = 1;
        index
    }

    /// Indexes `part` (records whose first entries go in the slots `starts`, their voucher
    /// types in the slots after), resolving what they name through `resolve`; their own texts
    /// go to `own`.
    fn add_chunk(
        &mut self,
        part: &[&Record],
        starts: &[u32],
        resolve: &dyn Resolve,
        own: &mut dyn OwnTexts,
    ) {
        let raws: Vec<(u32, Raw<'_>)> = part
            .par_iter()
            .zip(starts.par_iter())
            .with_min_len(256)
            .flat_map_iter(|(r, start)| {
                let id = r.id();
                fields::sources(r)
                    .into_iter()
                    .enumerate()
                    .map(move |(i, s)| (start + i as u32, Raw::new(s, id, resolve)))
                    .collect::<Vec<_>>()
            })
            .collect();
        let texts: Vec<&str> = raws.iter().flat_map(|(_, r)| r.texts()).collect();
        let text_ids = self.dict.intern_all(&texts);
        drop(texts);
        let mut offsets = Vec::with_capacity(raws.len());
        let mut at = 0;
        for (_, r) in &raws {
            offsets.push(at);
            at += 1 + r.keys.len() + r.ctx.len();
        }
        // Fold the entries' own texts on every core, in pieces; then append the pieces.
        const PIECE: usize = 2048;
        let pieces: Vec<Piece> = raws
            .par_chunks(PIECE)
            .zip(offsets.par_chunks(PIECE))
            .map(|(chunk, offs)| {
                let mut arena = Arena::default();
                let mut lists = Vec::new();
                let entries = chunk
                    .iter()
                    .zip(offs)
                    .map(|((slot, r), at)| {
                        let n = 1 + r.keys.len() + r.ctx.len();
                        (
                            *slot,
                            r.entry(&text_ids[*at..*at + n], &mut arena, &mut lists),
                        )
                    })
                    .collect();
                (arena, lists, entries)
            })
            .collect();
        drop(raws);
        for (arena, lists, entries) in pieces {
            let (base, pbase) = own.append(&arena, &entries);
            drop(arena);
            let lbase = self.lists.len() as u32;
            self.lists.extend_from_slice(&lists);
            for (slot, mut e) in entries {
                e.text.start += base;
                e.text.patches += pbase;
                e.lists += lbase;
                if let Some(place) = self.slots.get_mut(slot as usize) {
                    *place = Some(e);
                }
            }
        }
    }

    /// Indexes every record `each` streams, holding only [`STREAM_CHUNK`] of them at a time
    /// besides the index: `each` is called twice and must stream the same records, first to
    /// learn every record's slot and the name others show of it, then to index them. A record
    /// the second pass meets that the first did not (a commit in between) is left out; so is
    /// one the first met and the second did not. Returns what `each` fails with.
    pub fn from_stream<E>(
        each: impl FnMut(&mut dyn FnMut(Record)) -> Result<(), E>,
    ) -> Result<Index, E> {
        let mut arena = Arena::default();
        let mut index = Index::from_stream_into(each, &mut arena)?;
        index.arena = arena;
        Ok(index)
    }

    /// [`Index::from_stream`] with the entries' own texts put in `own` as they are folded, not
    /// in the index: the index returned holds everything else (its entries' spans point into
    /// what `own` was given), for writing the file with them ([`super::mapped::Writer`]).
    pub(crate) fn from_stream_into<E>(
        mut each: impl FnMut(&mut dyn FnMut(Record)) -> Result<(), E>,
        own: &mut dyn OwnTexts,
    ) -> Result<Index, E> {
        let mut names = Names::default();
        each(&mut |r: Record| names.add(&r))?;
        let mut index = Index::new();
        index.slots.resize(names.names.len(), None);
        let mut chunk: Vec<Record> = Vec::with_capacity(STREAM_CHUNK);
        let flush = |index: &mut Index, chunk: &mut Vec<Record>, own: &mut dyn OwnTexts| {
            let (part, starts): (Vec<&Record>, Vec<u32>) = chunk
                .iter()
                .filter_map(|r| Some((r, names.slot(r.kind(), r.id())?)))
                .unzip();
            index.add_chunk(&part, &starts, &names, own);
            chunk.clear();
        };
        each(&mut |r: Record| {
            chunk.push(r);
            if chunk.len() == STREAM_CHUNK {
                flush(&mut index, &mut chunk, &mut *own);
            }
        })?;
        flush(&mut index, &mut chunk, own);
        index.live = index.slots.iter().filter(|s| s.is_some()).count();
        index.children = std::mem::take(&mut names.children);
        index.ids = OnceLock::from(std::mem::take(&mut names.ids));
        index.version = 1;
        Ok(index)
    }

    pub(crate) fn parts(&self) -> Parts<'_> {
        Parts {
            dict: &self.dict,
            lists: &self.lists,
            slots: &self.slots,
            seq: self.seq,
            version: self.version,
        }
    }

    /// The id → slot tables, built from the entries when first needed.
    fn ids(&self) -> &Ids {
        self.ids.get_or_init(|| {
            let mut ids = empty_ids();
            for (slot, e) in self.slots.iter().enumerate() {
                if let Some(e) = e
                    && !e.is_type()
                {
                    ids[e.kind as usize].insert(self.id_of(e).into_boxed_str(), slot as u32);
                }
            }
            ids
        })
    }

    fn ids_mut(&mut self) -> &mut Ids {
        self.ids();
        self.ids.get_mut().expect("built just now")
    }

    /// The number of entries (records and voucher types).
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The sequence number of the last commit applied.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Names the commit the index holds (one built from a stream of the store's records).
    pub fn set_seq(&mut self, seq: u64) {
        self.seq = seq;
    }

    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    pub(crate) fn entry(&self, slot: u32) -> Option<&Entry> {
        self.slots.get(slot as usize)?.as_ref()
    }

    /// An entry's key fields (dictionary ids).
    pub(crate) fn keys(&self, e: &Entry) -> &[u32] {
        let s = e.lists as usize;
        &self.lists[s..s + e.nkeys as usize]
    }

    /// The names of the records an entry refers to (dictionary ids).
    pub(crate) fn ctx(&self, e: &Entry) -> &[u32] {
        let s = e.lists as usize + e.nkeys as usize;
        &self.lists[s..s + e.nctx as usize]
    }

    /// The slots of the records an entry refers to.
    pub(crate) fn refs(&self, e: &Entry) -> &[u32] {
        let s = e.lists as usize + e.nkeys as usize + e.nctx as usize;
        &self.lists[s..s + e.nctx as usize]
    }

    /// An entry's own folded text (its id, then its long fields) and its patches.
    pub(crate) fn own_text(&self, e: &Entry) -> (&str, &[Patch]) {
        (self.arena.str(e.text), self.arena.patches(e.text))
    }

    /// The record's id as stored.
    pub(crate) fn id_of(&self, e: &Entry) -> String {
        let (text, patches) = self.own_text(e);
        fold::original(text, patches, 0, e.id_len as usize)
    }

    /// The original title of an entry.
    pub(crate) fn title_of(&self, e: &Entry) -> String {
        self.dict.original(e.title)
    }

    /// Every dictionary text an entry uses.
    fn texts_of(&self, e: &Entry) -> Vec<u32> {
        std::iter::once(e.title)
            .chain(self.keys(e).iter().copied())
            .chain(self.ctx(e).iter().copied())
            .filter(|t| *t != EMPTY)
            .collect()
    }

    /// The name other records show for this one: a project's acronym, otherwise its title.
    fn name_of(&self, slot: u32) -> Option<String> {
        let e = self.entry(slot)?;
        let title = self.title_of(e);
        if e.kind == Kind::Project
            && !e.is_type()
            && let Some((acronym, _)) = title.split_once(" — ")
        {
            return Some(acronym.to_string());
        }
        Some(title)
    }

    /// The slot of a record's entry.
    pub(crate) fn slot_of(&self, kind: Kind, id: &str) -> Option<u32> {
        Resolve::slot(self, kind, id)
    }

    /// The slots of a scheme's voucher types.
    pub(crate) fn children_of(&self, slot: u32) -> &[u32] {
        self.children.get(&slot).map_or(&[], |c| c.as_slice())
    }

    /// Whether the record is in the index.
    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        self.slot_of(kind, id).is_some()
    }

    /// Applies a commit: only the records it changed are indexed again, and the entries that
    /// show the name of a record it renamed. Returns false for a commit already applied.
    pub fn apply(&mut self, committed: &Committed) -> bool {
        if committed.seq <= self.seq && self.seq != 0 {
            return false;
        }
        self.apply_changes(&committed.changes);
        self.seq = committed.seq;
        true
    }

    /// Applies changes (new rows, or deletions) without checking a sequence number.
    pub fn apply_changes(&mut self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        self.version += 1;
        self.ids_mut();
        // Deletions first, then records in kind order, so that a record is indexed after the
        // records it names (a partner before its practices, an SME before its vouchers).
        let mut order: Vec<&Change> = changes.iter().collect();
        order.sort_by_key(|c| (c.row.is_some(), c.kind));
        let mut renamed: HashSet<u32> = HashSet::new();
        let mut freed: Vec<u32> = Vec::new();
        for change in &order {
            match &change.row {
                None => self.remove(change.kind, &change.id, &mut renamed, &mut freed),
                Some(row) => self.put(&row.record, &mut renamed, &mut freed),
            }
        }
        // A record that names one created later in the same commit (a project and its lead
        // partner) is indexed again now that both exist.
        for change in &order {
            if let Some(row) = &change.row
                && let Some(slot) = self.slot_of(row.record.kind(), row.record.id())
                && self
                    .entry(slot)
                    .is_some_and(|e| self.refs(e).contains(&NONE))
            {
                self.put(&row.record, &mut renamed, &mut freed);
            }
        }
        if !renamed.is_empty() {
            let freed_set: HashSet<u32> = freed.iter().copied().collect();
            let dependents: Vec<u32> = self
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let e = e.as_ref()?;
                    self.refs(e)
                        .iter()
                        .any(|r| renamed.contains(r))
                        .then_some(i as u32)
                })
                .collect();
            for slot in dependents {
                self.refresh_context(slot, &freed_set);
            }
        }
        // Freed slots are reused only from the next commit on, so that no reference of this
        // one can land on a new record.
        self.free.extend(freed);
        self.compact_if_wasteful();
    }

    fn alloc(&mut self) -> u32 {
        match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.slots.len() as u32 - 1
            }
        }
    }

    /// Forgets an entry: its texts are released, its own text and lists become garbage.
    fn discard(&mut self, e: &Entry) {
        for t in self.texts_of(e) {
            self.dict.release(t);
        }
        self.arena.garbage += e.text.len as usize;
        self.lists_garbage += e.list_len();
    }

    /// Puts an entry in a slot, in place of the one there.
    fn set(&mut self, slot: u32, entry: Entry) {
        match self.slots[slot as usize].replace(entry) {
            Some(old) => self.discard(&old),
            None => self.live += 1,
        }
    }

    fn clear(&mut self, slot: u32, freed: &mut Vec<u32>) {
        if let Some(old) = self.slots[slot as usize].take() {
            self.discard(&old);
            self.live -= 1;
        }
        freed.push(slot);
    }

    /// Builds an entry for one source, adding its texts to the dictionary.
    fn assemble(&mut self, source: Source<'_>, id: &str) -> Entry {
        let (texts, refs, keys, kind, sub, long) = {
            let raw = Raw::new(source, id, self);
            let texts: Vec<String> = raw.texts().map(str::to_string).collect();
            let long: Vec<String> = raw.long.iter().map(|l| l.to_string()).collect();
            (
                texts,
                raw.refs.clone(),
                raw.keys.len(),
                raw.kind,
                raw.sub.map(str::to_string),
                long,
            )
        };
        let ids: Vec<u32> = texts.iter().map(|t| self.dict.intern(t)).collect();
        let raw = Raw {
            kind,
            sub: sub.as_deref(),
            id,
            title: Cow::Borrowed(""),
            keys: vec![Cow::Borrowed(""); keys],
            ctx: vec![Cow::Borrowed(""); refs.len()],
            refs,
            long: long.iter().map(|l| Cow::Borrowed(l.as_str())).collect(),
        };
        raw.entry(&ids, &mut self.arena, &mut self.lists)
    }

    fn remove(&mut self, kind: Kind, id: &str, renamed: &mut HashSet<u32>, freed: &mut Vec<u32>) {
        let Some(slot) = self.ids_mut()[kind as usize].remove(id) else {
            return;
        };
        for child in self.children.remove(&slot).unwrap_or_default() {
            self.clear(child, freed);
            renamed.insert(child);
        }
        self.clear(slot, freed);
        renamed.insert(slot);
    }

    fn put(&mut self, record: &Record, renamed: &mut HashSet<u32>, freed: &mut Vec<u32>) {
        let kind = record.kind();
        let mut sources = fields::sources(record).into_iter();
        let primary = sources.next().expect("every record has an entry");
        let existing = self.slot_of(kind, record.id());
        let entry = self.assemble(primary, record.id());
        let slot = match existing {
            Some(slot) => {
                if self.name_of(slot).as_deref() != Some(fields::name_of(record).as_ref()) {
                    renamed.insert(slot);
                }
                slot
            }
            None => {
                let slot = self.alloc();
                self.ids_mut()[kind as usize].insert(Box::from(record.id()), slot);
                slot
            }
        };
        self.set(slot, entry);
        // Voucher types keep their slots by code, so that vouchers keep naming them.
        let old: Vec<u32> = self.children.remove(&slot).unwrap_or_default();
        let mut by_code: HashMap<String, u32> = old
            .iter()
            .filter_map(|c| Some((self.entry(*c)?.sub.as_deref()?.to_string(), *c)))
            .collect();
        let mut children = Vec::new();
        for source in sources {
            let code = source.sub.unwrap_or_default().to_string();
            let title = source.title.to_string();
            let entry = self.assemble(source, record.id());
            let child = match by_code.remove(&code) {
                Some(c) => {
                    if self.name_of(c).as_deref() != Some(title.as_str()) {
                        renamed.insert(c);
                    }
                    c
                }
                None => self.alloc(),
            };
            self.set(child, entry);
            children.push(child);
        }
        for (_, gone) in by_code {
            self.clear(gone, freed);
            renamed.insert(gone);
        }
        if !children.is_empty() {
            self.children.insert(slot, children);
        }
    }

    /// Points an entry's context at the current names of its references.
    fn refresh_context(&mut self, slot: u32, freed: &HashSet<u32>) {
        let Some(entry) = self.slots[slot as usize].clone() else {
            return;
        };
        let refs: Vec<u32> = self
            .refs(&entry)
            .iter()
            .map(|r| {
                if freed.contains(r) || self.entry(*r).is_none() {
                    NONE
                } else {
                    *r
                }
            })
            .collect();
        let names: Vec<String> = refs
            .iter()
            .map(|r| self.name_of(*r).unwrap_or_default())
            .collect();
        let old_ctx: Vec<u32> = self.ctx(&entry).to_vec();
        let ctx: Vec<u32> = names.iter().map(|n| self.dict.intern(n)).collect();
        let start = entry.lists as usize + entry.nkeys as usize;
        let n = entry.nctx as usize;
        self.lists[start..start + n].copy_from_slice(&ctx);
        self.lists[start + n..start + 2 * n].copy_from_slice(&refs);
        for t in old_ctx {
            if t != EMPTY {
                self.dict.release(t);
            }
        }
    }

    /// Rebuilds the entries' text and lists without what no entry uses any more, once that
    /// waste is more than half of them.
    fn compact_if_wasteful(&mut self) {
        let text_waste =
            self.arena.garbage >= 1 << 16 && self.arena.garbage * 2 > self.arena.text.len();
        let list_waste = self.lists_garbage >= 1 << 14 && self.lists_garbage * 2 > self.lists.len();
        if !text_waste && !list_waste {
            return;
        }
        let mut arena = Arena::default();
        arena
            .text
            .reserve(self.arena.text.len() - self.arena.garbage.min(self.arena.text.len()));
        let mut lists =
            Vec::with_capacity(self.lists.len() - self.lists_garbage.min(self.lists.len()));
        for e in self.slots.iter_mut().flatten() {
            e.text = arena.copy(&self.arena, e.text);
            let s = e.lists as usize;
            e.lists = lists.len() as u32;
            lists.extend_from_slice(&self.lists[s..s + e.list_len()]);
        }
        self.arena = arena;
        self.lists = lists;
        self.lists_garbage = 0;
    }

    /// The memory the index uses, next to the size of the text it indexes.
    pub fn memory(&self) -> MemoryUse {
        let mut text_bytes = 0;
        let dict_len = |t: u32| {
            self.dict
                .get(t)
                .map_or(0, |t| self.dict.arena.original_len(t.span))
        };
        for e in self.slots.iter().flatten() {
            let separators = self
                .arena
                .str(e.text)
                .bytes()
                .filter(|b| *b == SEP as u8)
                .count();
            text_bytes += self.arena.original_len(e.text) - separators;
            text_bytes += self.texts_of(e).into_iter().map(dict_len).sum::<usize>();
        }
        let ids: usize = self.ids.get().map_or(0, |ids| {
            ids.iter()
                .map(|m| {
                    m.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 1)
                        + m.keys().map(|k| k.len()).sum::<usize>()
                })
                .sum()
        });
        let children: usize = self
            .children
            .values()
            .map(|c| c.capacity() * 4 + std::mem::size_of::<(u32, Vec<u32>)>() + 1)
            .sum();
        let subs: usize = self
            .slots
            .iter()
            .flatten()
            .filter_map(|e| e.sub.as_ref().map(|s| s.len()))
            .sum();
        MemoryUse {
            text_bytes,
            index_bytes: self.slots.capacity() * std::mem::size_of::<Option<Entry>>()
                + self.arena.heap_bytes()
                + self.lists.capacity() * 4
                + self.dict.heap_bytes()
                + ids
                + children
                + subs
                + self.free.capacity() * 4,
            entries: self.live,
            texts: self.dict.len(),
        }
    }

    /// Every entry as (kind, id, voucher type, every text it holds, original): two indexes
    /// that hold the same records give the same list (for tests of incremental updates).
    pub fn dump(&self) -> Vec<(Kind, String, Option<String>, Vec<String>)> {
        let mut out: Vec<_> = self
            .slots
            .iter()
            .flatten()
            .map(|e| {
                let mut texts: Vec<String> = std::iter::once(e.title)
                    .chain(self.keys(e).iter().copied())
                    .chain(self.ctx(e).iter().copied())
                    .map(|t| self.dict.original(t))
                    .collect();
                texts.push(self.arena.original(e.text));
                (
                    e.kind,
                    self.id_of(e),
                    e.sub.as_deref().map(str::to_string),
                    texts,
                )
            })
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Row, Timestamp};

    /// An index built a few records at a time finds the same records, in the same order, with
    /// the same marks, as one built in one piece.
    #[test]
    fn an_index_built_in_chunks_is_the_index_built_whole() {
        let generated: Vec<Record> = crate::generate::generate(3000, 7)
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let refs: Vec<&Record> = generated.iter().collect();
        let whole = Index::from_records_in_chunks(&refs, usize::MAX);
        let chunked = Index::from_records_in_chunks(&refs, 97);
        for query in [
            "a",
            "maribor",
            "exp vouch",
            "p: fair",
            "\"trade fair\"",
            "xq",
            "ma -export",
        ] {
            let request = crate::search::Request::new(query).limit(50);
            let (a, b) = (whole.search(&request), chunked.search(&request));
            assert_eq!(a.total, b.total, "{query}");
            assert_eq!(format!("{:?}", a.hits), format!("{:?}", b.hits), "{query}");
        }
    }

    /// An index built from records streamed twice (a slot and a name for each first, then
    /// the entries 8192 records at a time) is the index built from all of them at once.
    #[test]
    fn an_index_built_from_a_stream_is_the_index_built_whole() {
        let generated: Vec<Record> = crate::generate::generate(20_000, 3)
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let refs: Vec<&Record> = generated.iter().collect();
        let whole = Index::from_records(&refs);
        let streamed = Index::from_stream(|sink: &mut dyn FnMut(Record)| {
            generated.iter().cloned().for_each(&mut *sink);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(streamed.len(), whole.len());
        assert_eq!(streamed.dump(), whole.dump());
        for query in [
            "a",
            "maribor",
            "exp vouch",
            "v: fair",
            "vt: fair",
            "xq",
            "ma -export",
        ] {
            let request = crate::search::Request::new(query).limit(50).with_ids();
            let (a, b) = (whole.search(&request), streamed.search(&request));
            assert_eq!((a.total, &a.hits), (b.total, &b.hits), "{query}");
        }
        // A record the second pass meets that the first did not is left out, not misplaced.
        let mut first = true;
        let partial = Index::from_stream(|sink: &mut dyn FnMut(Record)| {
            let n = if first { 100 } else { 101 };
            first = false;
            generated.iter().take(n).cloned().for_each(&mut *sink);
            Ok::<(), ()>(())
        })
        .unwrap();
        let hundred: Vec<&Record> = generated.iter().take(100).collect();
        assert_eq!(partial.dump(), Index::from_records(&hundred).dump());
    }

    fn records() -> Vec<Record> {
        let json = include_str!("../../tests/data/search_corpus.json");
        crate::io::json::parse(json, "corpus")
            .unwrap()
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    fn change(record: Record) -> Change {
        Change {
            kind: record.kind(),
            id: record.id().to_string(),
            row: Some(Row {
                rev: 2,
                at: Timestamp::now(),
                by: "test".into(),
                record,
            }),
        }
    }

    /// Where each entry's own text lives and what its context is: unchanged means untouched.
    #[allow(clippy::type_complexity)]
    fn state(index: &Index) -> HashMap<(Kind, String, Option<String>), (usize, Vec<u32>)> {
        index
            .slots
            .iter()
            .flatten()
            .map(|e| {
                (
                    (e.kind, index.id_of(e), e.sub.as_deref().map(str::to_string)),
                    (e.text.start as usize, index.ctx(e).to_vec()),
                )
            })
            .collect()
    }

    #[test]
    fn a_commit_touches_only_the_changed_records_and_those_that_name_them() {
        let records = records();
        let refs: Vec<&Record> = records.iter().collect();
        let mut index = Index::from_records(&refs);
        let before = state(&index);
        let mut sme = records.iter().find(|r| r.id() == "sme-1").unwrap().clone();
        if let Record::Sme(s) = &mut sme {
            s.name = "Drava Metal".into();
        }
        let committed = Committed {
            seq: 7,
            at: Timestamp::now(),
            actor: Actor::user("test"),
            summary: "rename".into(),
            changed: 1,
            changes: vec![change(sme)],
        };
        assert!(index.apply(&committed));
        let after = state(&index);
        let mut changed: Vec<String> = before
            .iter()
            .filter(|(k, v)| after.get(*k) != Some(*v))
            .map(|(k, _)| k.1.clone())
            .collect();
        changed.sort();
        // The SME itself and the two vouchers that show its name; nothing else was touched.
        assert_eq!(changed, ["sme-1", "v-1", "v-2"]);
        assert_eq!(index.seq(), 7);
        // Everything still agrees with a fresh build of the same records.
        let mut now = records.clone();
        for r in &mut now {
            if let Record::Sme(s) = r
                && s.id.as_str() == "sme-1"
            {
                s.name = "Drava Metal".into();
            }
        }
        let refs: Vec<&Record> = now.iter().collect();
        let fresh = Index::from_records(&refs);
        assert_eq!(index.dump(), fresh.dump());
        // The old name is gone from the dictionary: nothing uses it.
        assert_eq!(index.dict.len(), fresh.dict.len());
    }

    #[test]
    fn slots_are_reused_only_after_the_commit_that_freed_them() {
        let records = records();
        let refs: Vec<&Record> = records.iter().collect();
        let mut index = Index::from_records(&refs);
        let n = index.slots.len();
        let delete = Change {
            kind: Kind::Voucher,
            id: "v-2".into(),
            row: None,
        };
        let mut practice = records
            .iter()
            .find(|r| r.kind() == Kind::Practice)
            .unwrap()
            .clone();
        if let Record::Practice(p) = &mut practice {
            p.id = "gp-new".into();
        }
        index.apply_changes(&[delete, change(practice.clone())]);
        assert_eq!(index.slots.len(), n + 1, "the freed slot waits");
        assert!(!index.contains(Kind::Voucher, "v-2"));
        if let Record::Practice(p) = &mut practice {
            p.id = "gp-newer".into();
        }
        index.apply_changes(&[change(practice)]);
        assert_eq!(index.slots.len(), n + 1, "now it is reused");
        assert_eq!(index.len(), records.len() + 6 + 1);
    }

    #[test]
    fn short_texts_are_shared_and_memory_is_counted() {
        let records = records();
        let refs: Vec<&Record> = records.iter().collect();
        let index = Index::from_records(&refs);
        let m = index.memory();
        assert_eq!(m.entries, index.len());
        assert!(m.texts < m.entries * 4, "{m:?}");
        assert!(m.text_bytes > 1000);
        let kid = index
            .entry(index.slot_of(Kind::Partner, "kid").unwrap())
            .unwrap();
        assert_eq!(index.title_of(kid), "Klaipėda ID");
        assert_eq!(index.id_of(kid), "kid");
        // The city is shared with the meeting in Klaipėda and the SME there.
        let meeting = index
            .entry(index.slot_of(Kind::Meeting, "iv-klaipeda").unwrap())
            .unwrap();
        assert!(
            index
                .keys(kid)
                .iter()
                .any(|k| *k != EMPTY && index.keys(meeting).contains(k))
        );
        assert_eq!(
            index
                .name_of(index.slot_of(Kind::Project, "intra").unwrap())
                .unwrap(),
            "INTRA"
        );
    }
}
