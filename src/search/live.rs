//! A saved index kept current without building it again: the file as it was written (used in
//! place) plus a small in-memory index of the records changed since, searched together.
//!
//! Every entry of the file whose record changed since it was written is hidden, and so is every
//! entry that shows the name of a record renamed, created or deleted since (its context words
//! changed with it). The current versions of those records are indexed in memory, with the
//! records they name beside them only to lend their names (those are never matched: the file
//! still answers for them). A search runs on both and merges the two lists in the order one
//! index would have given: the same results as an index built afresh from the store as it is
//! now, at a cost that grows with the changes, not with the records.
//!
//! What changed is told by whoever holds the store ([`Changed`], from its audit log or its
//! commits); the records are read through [`Records`]. Once the changes grow past
//! [`Live::worth_rebuilding`], building the index again is cheaper than carrying them.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::engine::{Matched, Request, Results, Slots};
use super::fields::{self, RefTo};
use super::index::Index;
use super::mapped::Mapped;
use super::view::View;
use crate::model::{Kind, Record};

/// One record changed since the saved index was written: its kind, its id and the version the
/// file holds (`None`: the record did not exist then).
#[derive(Clone, Debug)]
pub struct Changed {
    pub kind: Kind,
    pub id: String,
    pub before: Option<Record>,
}

/// What the index reads of the store as it is now.
pub trait Records {
    /// The record as it is now (`None`: there is none).
    fn record(&self, kind: Kind, id: &str) -> Option<Record>;
    /// The records that refer to this one (whose entries show its name).
    fn referrers(&self, kind: Kind, id: &str) -> Vec<(Kind, String)>;
}

/// The saved index and what changed since it was written.
pub struct Live {
    base: Mapped,
    /// The version the base holds of each record changed since (`None`: none then).
    changed: HashMap<(Kind, String), Option<Record>>,
    /// Entries of the base that are out of date.
    hidden: Slots,
    /// The current versions of those entries' records, and the records they name.
    overlay: Index,
    /// Entries of the overlay that are there only to lend their names.
    lent: Slots,
    /// How many entries the overlay matches (those it does not only lend).
    overlaid: usize,
    seq: u64,
    version: u64,
}

impl Live {
    /// The saved index, with no change since it was written.
    pub fn new(base: Mapped) -> Live {
        let seq = base.seq();
        Live {
            base,
            changed: HashMap::new(),
            hidden: Slots::default(),
            overlay: Index::new(),
            lent: Slots::default(),
            overlaid: 0,
            seq,
            version: 0,
        }
    }

    /// The commit the index answers for.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// How many records changed since the file was written.
    pub fn changes(&self) -> usize {
        self.changed.len()
    }

    /// Whether carrying the changes costs more than building the index again: more entries
    /// indexed in memory than a tenth of the file's (and at least a few thousand).
    pub fn worth_rebuilding(&self) -> bool {
        self.overlaid > (self.base.len() / 10).max(4096)
    }

    /// Takes in the changes of the commits up to `seq`, reading the records as they are now.
    pub fn update(&mut self, changes: Vec<Changed>, seq: u64, records: &dyn Records) {
        self.seq = self.seq.max(seq);
        if changes.is_empty() {
            return;
        }
        for c in changes {
            // The first change after the file was written says what the file holds.
            self.changed.entry((c.kind, c.id)).or_insert(c.before);
        }
        self.rebuild_overlay(records);
    }

    /// Indexes again, in memory, every record whose entry in the file is out of date.
    fn rebuild_overlay(&mut self, records: &dyn Records) {
        // Out of date: the changed records, and those that show the name of a record whose name
        // changed (created and deleted ones included).
        let mut stale: HashSet<(Kind, String)> = HashSet::new();
        let mut current: HashMap<(Kind, String), Record> = HashMap::new();
        for ((kind, id), before) in &self.changed {
            let now = records.record(*kind, id);
            let renamed = match (before, &now) {
                (Some(b), Some(n)) => names(b) != names(n),
                _ => true,
            };
            if renamed {
                stale.extend(records.referrers(*kind, id));
            }
            stale.insert((*kind, id.clone()));
            if let Some(n) = now {
                current.insert((*kind, id.clone()), n);
            }
        }
        for key in &stale {
            if !current.contains_key(key)
                && !self.changed.contains_key(key)
                && let Some(r) = records.record(key.0, &key.1)
            {
                current.insert(key.clone(), r);
            }
        }
        // The records the out-of-date ones name, for their names only.
        let mut lenders: Vec<(Kind, String)> = Vec::new();
        for r in current.values() {
            for source in fields::sources(r) {
                for to in source.refs {
                    let key = match to {
                        RefTo::Record(kind, id) => (kind, id.to_string()),
                        RefTo::Type(scheme, _) => (Kind::Scheme, scheme.to_string()),
                    };
                    if !current.contains_key(&key) {
                        lenders.push(key);
                    }
                }
            }
        }
        lenders.sort();
        lenders.dedup();
        let lent: Vec<Record> = lenders
            .iter()
            .filter_map(|(k, id)| records.record(*k, id))
            .collect();
        // Matched records first, lenders after: a record is indexed once.
        let list: Vec<&Record> = current.values().chain(lent.iter()).collect();
        let overlay = Index::from_records(&list);
        let mut hide_lent = Slots::default();
        let mut lent_entries = 0;
        for r in &lent {
            if let Some(slot) = overlay.slot_of(r.kind(), r.id()) {
                for s in std::iter::once(slot).chain(overlay.children_of(slot).iter().copied()) {
                    hide_lent.insert(s);
                    lent_entries += 1;
                }
            }
        }
        // One pass over the file's entries (no table of every id is kept: at a million
        // records it would cost more memory than the changes ever do). Entries hold their ids
        // folded.
        let folded: Vec<(Kind, String)> = stale
            .iter()
            .map(|(kind, id)| (*kind, super::fold::fold(id)))
            .collect();
        let wanted: HashSet<(Kind, &str)> = folded
            .iter()
            .map(|(kind, id)| (*kind, id.as_str()))
            .collect();
        let mut hidden = Slots::default();
        for slot in 0..self.base.slot_count() as u32 {
            if let Some(e) = self.base.head(slot)
                && wanted.contains(&(e.kind, e.id))
            {
                hidden.insert(slot);
            }
        }
        self.overlaid = overlay.len().saturating_sub(lent_entries);
        self.hidden = hidden;
        self.lent = hide_lent;
        self.overlay = overlay;
        self.version += 1;
    }

    /// Runs a request: the same results as an index built afresh from the store as it is now.
    pub fn search(&self, request: &Request) -> Results {
        if self.changed.is_empty() {
            let mut results = self.base.search(request);
            results.seq = self.seq;
            return results;
        }
        let base = self.base.search_hiding(request, Some(&self.hidden));
        let overlay = self.overlay.search_hiding(request, &self.lent);
        let mut results = merge(base, overlay, request.limit);
        results.seq = self.seq;
        results.index_version = self.base.version().wrapping_add(self.version);
        results
    }

    /// What a search found wrong in the saved file, if anything (see [`Mapped::damage`]).
    pub fn damage(&self) -> Option<&str> {
        self.base.damage()
    }
}

/// The names a record lends to the entries that refer to it: its own and, for a voucher
/// scheme, its voucher types' codes and names.
fn names(record: &Record) -> Vec<Cow<'_, str>> {
    let mut out = vec![fields::name_of(record)];
    if let Record::Scheme(s) = record {
        for t in &s.types {
            out.push(Cow::Borrowed(t.code.as_str()));
            out.push(Cow::Borrowed(t.name.as_str()));
        }
    }
    out
}

/// The hits of two indexes that hold different records, as one list in the order of results.
fn merge(a: Matched, b: Matched, limit: usize) -> Results {
    let mut results = a.results;
    let total = results.total + b.results.total;
    let mut hits: Vec<_> = a
        .places
        .into_iter()
        .zip(std::mem::take(&mut results.hits))
        .map(|(place, hit)| ((place, 0u8), hit))
        .chain(
            b.places
                .into_iter()
                .zip(b.results.hits)
                .map(|(place, hit)| ((place, 1u8), hit)),
        )
        .collect();
    hits.sort_by(|x, y| x.0.cmp(&y.0));
    hits.truncate(limit);
    results.hits = hits.into_iter().map(|(_, hit)| hit).collect();
    results.total = total;
    results.matched.extend(b.results.matched);
    results.elapsed += b.results.elapsed;
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::cache;
    use serde_json::Value;

    const CORPUS: &str = include_str!("../../tests/data/search_corpus.json");
    const KINDS: [&str; 9] = [
        "projects",
        "partners",
        "practices",
        "meetings",
        "action_plans",
        "actions",
        "schemes",
        "smes",
        "vouchers",
    ];
    const NAMES: [&str; 5] = ["title", "acronym", "organisation", "short_name", "name"];
    const WORDS: [&str; 6] = ["Badajoz", "vouch", "fair", "Maribor", "Pécs", "zzq"];

    fn records(doc: &Value) -> HashMap<(Kind, String), Record> {
        crate::io::json::parse(&doc.to_string(), "corpus")
            .unwrap()
            .into_records()
            .into_iter()
            .map(|(_, r)| ((r.kind(), r.id().to_string()), r))
            .collect()
    }

    struct Now(HashMap<(Kind, String), Record>);

    impl Records for Now {
        fn record(&self, kind: Kind, id: &str) -> Option<Record> {
            self.0.get(&(kind, id.to_string())).cloned()
        }
        fn referrers(&self, kind: Kind, id: &str) -> Vec<(Kind, String)> {
            self.0
                .values()
                .filter(|r| {
                    fields::sources(r).iter().any(|s| {
                        s.refs.iter().any(|t| match *t {
                            RefTo::Record(k, i) => k == kind && i == id,
                            RefTo::Type(scheme, _) => kind == Kind::Scheme && scheme == id,
                        })
                    })
                })
                .map(|r| (r.kind(), r.id().to_string()))
                .collect()
        }
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// One random change to the document: a name or text changed, a record deleted, or a copy
    /// of one added under a new id.
    fn change(doc: &mut Value, rng: &mut Rng, n: usize) {
        let kind = KINDS[rng.below(KINDS.len())];
        let list = doc[kind].as_array_mut().unwrap();
        if list.is_empty() {
            return;
        }
        let at = rng.below(list.len());
        match rng.below(5) {
            0 => {
                list.remove(at);
            }
            1 => {
                let mut copy = list[at].clone();
                copy["id"] = Value::from(format!("{}-copy{n}", copy["id"].as_str().unwrap()));
                list.push(copy);
            }
            2 if kind == "schemes" => {
                for t in list[at]["types"].as_array_mut().into_iter().flatten() {
                    t["name"] = Value::from(format!("{} {}", WORDS[n % WORDS.len()], n));
                }
            }
            _ => {
                let word = WORDS[rng.below(WORDS.len())];
                for f in NAMES {
                    if let Some(Value::String(s)) = list[at].get_mut(f) {
                        *s = format!("{word} {s}");
                        break;
                    }
                }
            }
        }
    }

    fn same(live: &Live, fresh: &Index, what: &str) {
        let requests = [
            Request::new("badajoz"),
            Request::new("vouch fair").limit(3),
            Request::new("ma").limit(5),
            Request::new("p:"),
            Request::new("m:").limit(2),
            Request::new("pecs"),
            Request::new("zzq"),
            Request::new("a").limit(7).with_ids(),
            Request::new("s:"),
        ];
        for r in requests {
            let (a, b) = (live.search(&r), fresh.search(&r));
            assert_eq!(
                (a.total, &a.hits),
                (b.total, &b.hits),
                "{what}: query {:?}",
                r.query
            );
            let mut ma = a.matched.clone();
            let mut mb = b.matched.clone();
            ma.sort();
            mb.sort();
            assert_eq!(ma, mb, "{what}: ids of {:?}", r.query);
        }
    }

    #[test]
    fn a_saved_index_with_its_changes_answers_as_one_built_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(cache::FILE);
        for seed in 1..=12u64 {
            let mut doc: Value = serde_json::from_str(CORPUS).unwrap();
            let before = records(&doc);
            let list: Vec<&Record> = before.values().collect();
            cache::save(&Index::from_records(&list), &path, seed).unwrap();
            let mut live = Live::new(cache::open(&path, seed).unwrap());
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut held = before.clone();
            for step in 0..12 {
                // One commit of one to three changes.
                for n in 0..=rng.below(3) {
                    change(&mut doc, &mut rng, step * 10 + n);
                }
                let now = records(&doc);
                let keys: HashSet<&(Kind, String)> = held.keys().chain(now.keys()).collect();
                let changes: Vec<Changed> = keys
                    .into_iter()
                    .filter(|k| held.get(*k) != now.get(*k))
                    .map(|k| Changed {
                        kind: k.0,
                        id: k.1.clone(),
                        before: held.get(k).cloned(),
                    })
                    .collect();
                held = now.clone();
                live.update(changes, step as u64 + 1, &Now(now.clone()));
                let list: Vec<&Record> = now.values().collect();
                same(
                    &live,
                    &Index::from_records(&list),
                    &format!("seed {seed}, step {step}"),
                );
            }
            assert!(live.changes() > 0);
        }
    }
}
