//! The index: one entry per record (and per voucher type), holding only folded text.
//!
//! Entries live in slots that keep their number while the record lives, so that an entry can
//! name the records it refers to by slot. [`Index::apply`] updates only the records a commit
//! changed, plus the entries that show the name of a renamed record.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::fields::{self, RefTo, Source};
use super::fold::{self, Patch, SEP};
use crate::model::{Change, Committed, Kind, Record, Replica};

/// A slot that names no entry (a reference to a record that is not in the index).
pub(crate) const NONE: u32 = u32::MAX;

/// The groups of an entry's text, in order.
pub(crate) const TITLE: usize = 0;
pub(crate) const KEYS: usize = 1;
pub(crate) const CONTEXT: usize = 2;
pub(crate) const LONG: usize = 3;

/// One searchable thing: a record, or a voucher type inside a scheme.
#[derive(Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    /// Characters in the original title (for ranking shorter titles first).
    pub title_chars: u16,
    /// Where the title, key and context groups end in `text`; each end is followed by [`SEP`],
    /// and the long group runs to the end of the text.
    pub ends: [u32; 3],
    /// The folded groups, fields separated by [`SEP`]. The key group starts with the id.
    pub text: Box<str>,
    /// How to get the original text back (see [`fold`]).
    pub patches: Box<[Patch]>,
    /// The slots whose names make up the context group, in its order ([`NONE`]: missing).
    pub refs: Box<[u32]>,
    /// For a voucher type: its code (the entry's kind is `Scheme`, its id the scheme's).
    pub sub: Option<Box<str>>,
}

impl Entry {
    pub fn is_type(&self) -> bool {
        self.sub.is_some()
    }

    /// The byte range of group `g` in `text`.
    pub fn range(&self, g: usize) -> (usize, usize) {
        let start = if g == 0 {
            0
        } else {
            self.ends[g - 1] as usize + 1
        };
        let end = if g < 3 {
            self.ends[g] as usize
        } else {
            self.text.len()
        };
        (start, end)
    }

    pub fn group(&self, g: usize) -> &str {
        let (s, e) = self.range(g);
        &self.text[s..e]
    }

    /// The id as folded (ids are plain ASCII, so it is the id itself).
    pub fn folded_id(&self) -> &str {
        let keys = self.group(KEYS);
        keys.split(SEP).next().unwrap_or("")
    }

    /// The record's id as stored.
    pub fn id(&self) -> String {
        let (s, _) = self.range(KEYS);
        let id = self.folded_id();
        fold::original(&self.text, &self.patches, s, s + id.len())
    }

    /// The original text of the title.
    pub fn title(&self) -> String {
        let (s, e) = self.range(TITLE);
        fold::original(&self.text, &self.patches, s, e)
    }

    /// The name other records show for this one (a project's acronym, otherwise the title).
    pub fn name(&self) -> String {
        let title = self.title();
        if self.kind == Kind::Project && !self.is_type() {
            if let Some((acronym, _)) = title.split_once(" — ") {
                return acronym.to_string();
            }
        }
        title
    }

    /// The length in bytes of the original text this entry indexes (separators left out).
    pub fn source_len(&self) -> usize {
        let separators = self.text.bytes().filter(|b| *b == SEP as u8).count();
        let changed: isize = self
            .patches
            .iter()
            .map(|p| p.orig.len_utf8() as isize - p.len as isize)
            .sum();
        (self.text.len() - separators).saturating_add_signed(changed)
    }

    /// Heap bytes held by this entry.
    fn heap_bytes(&self) -> usize {
        self.text.len()
            + self.patches.len() * std::mem::size_of::<Patch>()
            + self.refs.len() * 4
            + self.sub.as_ref().map_or(0, |s| s.len())
    }
}

/// How references are turned into slots and names while entries are built.
trait Resolve: Sync {
    fn slot(&self, kind: Kind, id: &str) -> Option<u32>;
    fn type_slot(&self, scheme: &str, code: &str) -> Option<u32>;
    fn name(&self, slot: u32) -> Option<Cow<'_, str>>;
}

/// Folds a source into an entry.
fn assemble(source: &Source<'_>, resolve: &dyn Resolve) -> Entry {
    let capacity = source.title.len()
        + source.keys.iter().map(|k| k.len() + 1).sum::<usize>()
        + source.long.iter().map(|k| k.len() + 1).sum::<usize>()
        + 16 * source.refs.len()
        + 4;
    let mut text = String::with_capacity(capacity);
    let mut patches = Vec::new();
    fold::fold_into(&source.title, &mut text, &mut patches);
    let mut ends = [0u32; 3];
    ends[0] = text.len() as u32;
    text.push(SEP);
    for (i, k) in source.keys.iter().enumerate() {
        if i > 0 {
            text.push(SEP);
        }
        fold::fold_into(k, &mut text, &mut patches);
    }
    ends[1] = text.len() as u32;
    text.push(SEP);
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
    for (i, slot) in refs.iter().enumerate() {
        if i > 0 {
            text.push(SEP);
        }
        if let Some(name) = (*slot != NONE).then(|| resolve.name(*slot)).flatten() {
            fold::fold_into(&name, &mut text, &mut patches);
        }
    }
    ends[2] = text.len() as u32;
    text.push(SEP);
    for (i, l) in source.long.iter().enumerate() {
        if i > 0 {
            text.push(SEP);
        }
        fold::fold_into(l, &mut text, &mut patches);
    }
    Entry {
        kind: source.kind,
        title_chars: source.title.chars().count().min(u16::MAX as usize) as u16,
        ends,
        text: text.into_boxed_str(),
        patches: patches.into_boxed_slice(),
        refs: refs.into_boxed_slice(),
        sub: source.sub.map(Box::from),
    }
}

/// The memory an index uses, and the size of the text it indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryUse {
    /// Bytes of original text indexed (every searched field, as UTF-8).
    pub text_bytes: usize,
    /// Bytes the index holds: entries, folded text, patches, id tables.
    pub index_bytes: usize,
    pub entries: usize,
}

/// An in-memory fuzzy index over every record.
#[derive(Debug, Default)]
pub struct Index {
    pub(crate) slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// Per kind (by `Kind as usize`): id → slot of the record's entry.
    ids: Vec<HashMap<Box<str>, u32>>,
    /// A voucher scheme's slot → the slots of its voucher types.
    children: HashMap<u32, Vec<u32>>,
    live: usize,
    seq: u64,
    /// Changes whenever the entries change (results of an earlier version may be stale).
    version: u64,
}

/// References resolved while building from a list of records.
struct Planned<'a> {
    records: &'a [&'a Record],
    /// The first slot of each record (its types follow it).
    starts: Vec<u32>,
    /// For each slot: the record and, for a voucher type, the type's position.
    owners: Vec<(u32, Option<u16>)>,
    ids: &'a [HashMap<Box<str>, u32>],
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
        self.ids.get(kind as usize)?.get(id).copied()
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
        self.entry(slot).map(|e| Cow::Owned(e.name()))
    }
}

impl Index {
    pub fn new() -> Index {
        Index {
            ids: vec![HashMap::new(); Kind::ALL.len()],
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
        let mut index = Index::new();
        // Keep the last of each (kind, id).
        let mut last: HashMap<(Kind, &str), usize> = HashMap::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            last.insert((r.kind(), r.id()), i);
        }
        let kept: Vec<&Record> = if last.len() == records.len() {
            records.to_vec()
        } else {
            records
                .iter()
                .enumerate()
                .filter(|(i, r)| last[&(r.kind(), r.id())] == *i)
                .map(|(_, r)| *r)
                .collect()
        };
        drop(last);
        let mut starts = Vec::with_capacity(kept.len());
        let mut owners = Vec::with_capacity(kept.len());
        for (i, r) in kept.iter().enumerate() {
            let slot = owners.len() as u32;
            starts.push(slot);
            index.ids[r.kind() as usize].insert(Box::from(r.id()), slot);
            owners.push((i as u32, None));
            if let Record::Scheme(s) = r {
                let types: Vec<u32> = (0..s.types.len())
                    .map(|t| {
                        owners.push((i as u32, Some(t as u16)));
                        owners.len() as u32 - 1
                    })
                    .collect();
                if !types.is_empty() {
                    index.children.insert(slot, types);
                }
            }
        }
        let planned = Planned {
            records: &kept,
            starts,
            owners,
            ids: &index.ids,
        };
        let entries: Vec<Option<Entry>> = kept
            .par_iter()
            .with_min_len(256)
            .flat_map_iter(|r| {
                fields::sources(r)
                    .iter()
                    .map(|s| Some(assemble(s, &planned)))
                    .collect::<Vec<_>>()
            })
            .collect();
        debug_assert_eq!(entries.len(), planned.owners.len());
        drop(planned);
        index.live = entries.len();
        index.slots = entries;
        index.version = 1;
        index
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

    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    pub(crate) fn entry(&self, slot: u32) -> Option<&Entry> {
        self.slots.get(slot as usize)?.as_ref()
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
                    .is_some_and(|e| e.refs.contains(&NONE))
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
                    e.refs
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

    fn set(&mut self, slot: u32, entry: Entry) {
        let cell = &mut self.slots[slot as usize];
        if cell.is_none() {
            self.live += 1;
        }
        *cell = Some(entry);
    }

    fn clear(&mut self, slot: u32, freed: &mut Vec<u32>) {
        if self.slots[slot as usize].take().is_some() {
            self.live -= 1;
        }
        freed.push(slot);
    }

    fn remove(&mut self, kind: Kind, id: &str, renamed: &mut HashSet<u32>, freed: &mut Vec<u32>) {
        let Some(slot) = self.ids[kind as usize].remove(id) else {
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
        let sources = fields::sources(record);
        let existing = self.slot_of(kind, record.id());
        let primary = assemble(&sources[0], self);
        let slot = match existing {
            Some(slot) => {
                if self.entry(slot).map(|e| e.name()) != Some(fields::name_of(record).into_owned())
                {
                    renamed.insert(slot);
                }
                slot
            }
            None => {
                let slot = self.alloc();
                self.ids[kind as usize].insert(Box::from(record.id()), slot);
                slot
            }
        };
        self.set(slot, primary);
        // Voucher types keep their slots by code, so that vouchers keep naming them.
        let old: Vec<u32> = self.children.remove(&slot).unwrap_or_default();
        let mut by_code: HashMap<String, u32> = old
            .iter()
            .filter_map(|c| Some((self.entry(*c)?.sub.as_deref()?.to_string(), *c)))
            .collect();
        let mut children = Vec::new();
        for source in &sources[1..] {
            let code = source.sub.unwrap_or_default();
            let entry = assemble(source, self);
            let child = match by_code.remove(code) {
                Some(c) => {
                    if self.entry(c).map(|e| e.title()) != Some(source.title.to_string()) {
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

    /// Rebuilds the context group of one entry from the current names of its references.
    fn refresh_context(&mut self, slot: u32, freed: &HashSet<u32>) {
        let Some(entry) = self.slots[slot as usize].take() else {
            return;
        };
        let refs: Vec<u32> = entry
            .refs
            .iter()
            .map(|r| {
                if freed.contains(r) || self.entry(*r).is_none() {
                    NONE
                } else {
                    *r
                }
            })
            .collect();
        let (cs, ce) = entry.range(CONTEXT);
        let mut text = String::with_capacity(entry.text.len() + 32);
        text.push_str(&entry.text[..cs]);
        let mut patches: Vec<Patch> = entry
            .patches
            .iter()
            .copied()
            .filter(|p| (p.at as usize) < cs)
            .collect();
        for (i, r) in refs.iter().enumerate() {
            if i > 0 {
                text.push(SEP);
            }
            if *r != NONE
                && let Some(name) = self.entry(*r).map(|e| e.name())
            {
                fold::fold_into(&name, &mut text, &mut patches);
            }
        }
        let new_end = text.len();
        let shift = new_end as i64 - ce as i64;
        text.push_str(&entry.text[ce..]);
        patches.extend(
            entry
                .patches
                .iter()
                .filter(|p| (p.at as usize) >= ce)
                .map(|p| Patch {
                    at: (p.at as i64 + shift) as u32,
                    ..*p
                }),
        );
        let updated = Entry {
            ends: [entry.ends[0], entry.ends[1], new_end as u32],
            text: text.into_boxed_str(),
            patches: patches.into_boxed_slice(),
            refs: refs.into_boxed_slice(),
            ..entry
        };
        self.slots[slot as usize] = Some(updated);
    }

    /// The memory the index uses, next to the size of the text it indexes.
    pub fn memory(&self) -> MemoryUse {
        let mut text_bytes = 0;
        let mut heap = 0;
        for e in self.slots.iter().flatten() {
            text_bytes += e.source_len();
            heap += e.heap_bytes();
        }
        let table = |m: &HashMap<Box<str>, u32>| {
            m.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 1)
                + m.keys().map(|k| k.len()).sum::<usize>()
        };
        let ids: usize = self.ids.iter().map(table).sum();
        let children: usize = self
            .children
            .values()
            .map(|c| c.capacity() * 4 + std::mem::size_of::<(u32, Vec<u32>)>() + 1)
            .sum();
        MemoryUse {
            text_bytes,
            index_bytes: self.slots.capacity() * std::mem::size_of::<Option<Entry>>()
                + heap
                + ids
                + children
                + self.free.capacity() * 4,
            entries: self.live,
        }
    }

    /// Every entry as (kind, id, voucher type, folded text), sorted: two indexes that hold the
    /// same records give the same list (for tests of incremental updates).
    pub fn dump(&self) -> Vec<(Kind, String, Option<String>, String)> {
        let mut out: Vec<_> = self
            .slots
            .iter()
            .flatten()
            .map(|e| {
                (
                    e.kind,
                    e.id(),
                    e.sub.as_deref().map(str::to_string),
                    fold::original(&e.text, &e.patches, 0, e.text.len()),
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

    /// Where each entry's text lives: unchanged addresses mean untouched entries.
    fn addresses(index: &Index) -> HashMap<(Kind, String, Option<String>), usize> {
        index
            .slots
            .iter()
            .flatten()
            .map(|e| {
                (
                    (e.kind, e.id(), e.sub.as_deref().map(str::to_string)),
                    e.text.as_ptr() as usize,
                )
            })
            .collect()
    }

    #[test]
    fn a_commit_touches_only_the_changed_records_and_those_that_name_them() {
        let records = records();
        let refs: Vec<&Record> = records.iter().collect();
        let mut index = Index::from_records(&refs);
        let before = addresses(&index);
        let mut sme = records.iter().find(|r| r.id() == "sme-1").unwrap().clone();
        if let Record::Sme(s) = &mut sme {
            s.name = "Drava Metal".into();
        }
        let committed = Committed {
            seq: 7,
            at: Timestamp::now(),
            actor: Actor::user("test"),
            summary: "rename".into(),
            changes: vec![change(sme)],
        };
        assert!(index.apply(&committed));
        let after = addresses(&index);
        let changed: Vec<String> = before
            .iter()
            .filter(|(k, addr)| after.get(*k) != Some(*addr))
            .map(|(k, _)| k.1.clone())
            .collect();
        let mut changed = changed;
        changed.sort();
        // The SME itself and the two vouchers that show its name; nothing else was rebuilt.
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
        assert_eq!(index.dump(), Index::from_records(&refs).dump());
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
    fn memory_counts_text_and_entries() {
        let records = records();
        let refs: Vec<&Record> = records.iter().collect();
        let index = Index::from_records(&refs);
        let m = index.memory();
        assert_eq!(m.entries, index.len());
        assert!(m.text_bytes > 1000);
        assert!(m.index_bytes > m.text_bytes);
        let name = index.entry(index.slot_of(Kind::Partner, "kid").unwrap()).unwrap();
        assert_eq!(name.title(), "Klaipėda ID");
        assert_eq!(name.source_len(), "Klaipėda ID".len() + "kid".len() + "LT Lithuania".len()
            + "Klaipėda".len() + "partner".len() + "InterVentures".len());
    }
}
