//! The dictionary: every distinct short text of the index (titles, names, places, labels,
//! keywords) stored once, folded, with a count of the entries that use it.
//!
//! Many records share their short texts (a city, a country, a status, the name of the partner
//! or scheme they belong to), so a query matches each distinct text once instead of once per
//! record, and the index stores each once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::arena::{Arena, Span};
use super::fold::{self, Patch};

/// No text (an empty field).
pub(crate) const EMPTY: u32 = u32::MAX;

/// One distinct text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Text {
    pub span: Span,
    /// Characters in the original text.
    pub chars: u16,
    pub hash: u64,
    /// How many references the index holds to it.
    pub uses: u32,
}

/// A hasher for keys that already are hashes.
#[derive(Default)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type ByHash = HashMap<u64, u32, BuildHasherDefault<Identity>>;

/// A hasher for text keys: [`hash`] instead of SipHash (the keys are ids and texts of our own
/// records, not input from a network).
#[derive(Default)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(5) ^ hash_bytes(bytes);
    }
}

pub(crate) type FxBuild = BuildHasherDefault<Fx>;

/// A fast hash of a text (Fx, then a finaliser): good enough with a check of the text on
/// every hit.
pub(crate) fn hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

pub(crate) fn hash_bytes(mut bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    while bytes.len() >= 8 {
        let word = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
        bytes = &bytes[8..];
    }
    for b in bytes {
        h = (h.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
    }
    // Mix the high bits into the low ones (hash tables index by the low bits; a product alone
    // leaves them depending on the low bytes only, so "gp-1001" and "gp-2001" would collide).
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// How texts are found by their original: built when first needed (a saved index that is only
/// searched never needs it).
#[derive(Debug, Default)]
struct Maps {
    by_hash: ByHash,
    /// Texts whose hash another text already has (rare): by their original text.
    collided: HashMap<Box<str>, u32, FxBuild>,
}

impl Maps {
    /// Files `id` under its hash, or by its text when another text has the hash already.
    fn remember(&mut self, h: u64, text: impl FnOnce() -> Box<str>, id: u32) {
        match self.by_hash.entry(h) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(text(), id);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Dict {
    pub arena: Arena,
    texts: Vec<Option<Text>>,
    free: Vec<u32>,
    maps: Option<Maps>,
}

impl Dict {
    pub fn get(&self, id: u32) -> Option<&Text> {
        self.texts.get(id as usize)?.as_ref()
    }

    /// The folded text of an id ("" for none).
    pub fn folded(&self, id: u32) -> &str {
        self.get(id).map_or("", |t| self.arena.str(t.span))
    }

    pub fn patches(&self, id: u32) -> &[Patch] {
        self.get(id).map_or(&[], |t| self.arena.patches(t.span))
    }

    pub fn original(&self, id: u32) -> String {
        self.get(id)
            .map_or(String::new(), |t| self.arena.original(t.span))
    }

    /// The number of ids in use or free (the size of per-query tables).
    pub fn capacity(&self) -> usize {
        self.texts.len()
    }

    pub fn len(&self) -> usize {
        self.texts.len() - self.free.len()
    }

    fn maps(&mut self) -> &mut Maps {
        if self.maps.is_none() {
            let mut maps = Maps::default();
            maps.by_hash.reserve(self.texts.len());
            for (id, t) in self.texts.iter().enumerate() {
                if let Some(t) = t {
                    maps.remember(
                        t.hash,
                        || self.arena.original(t.span).into_boxed_str(),
                        id as u32,
                    );
                }
            }
            self.maps = Some(maps);
        }
        self.maps.as_mut().expect("just built")
    }

    fn find(&mut self, text: &str, h: u64) -> Option<u32> {
        let id = *self.maps().by_hash.get(&h)?;
        let t = self.get(id)?;
        if fold::equals_original(self.arena.str(t.span), self.arena.patches(t.span), text) {
            return Some(id);
        }
        self.maps().collided.get(text).copied()
    }

    /// The id of `text`, adding it if new; counts one more use. Empty text has no id.
    pub fn intern(&mut self, text: &str) -> u32 {
        if text.is_empty() {
            return EMPTY;
        }
        let h = hash(text);
        self.intern_hashed(text, h)
    }

    fn intern_hashed(&mut self, text: &str, h: u64) -> u32 {
        if let Some(id) = self.find(text, h) {
            if let Some(Some(t)) = self.texts.get_mut(id as usize) {
                t.uses += 1;
            }
            return id;
        }
        let span = self.arena.push(text);
        let entry = Text {
            span,
            chars: text.chars().count().min(u16::MAX as usize) as u16,
            hash: h,
            uses: 1,
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.texts[id as usize] = Some(entry);
                id
            }
            None => {
                self.texts.push(Some(entry));
                self.texts.len() as u32 - 1
            }
        };
        let maps = self.maps();
        maps.remember(h, || Box::from(text), id);
        id
    }

    /// Counts one use less; a text nobody uses is removed.
    pub fn release(&mut self, id: u32) {
        let Some(Some(t)) = self.texts.get_mut(id as usize) else {
            return;
        };
        t.uses -= 1;
        if t.uses > 0 {
            return;
        }
        let t = *t;
        let original = self.arena.original(t.span);
        self.maps();
        let Dict {
            texts, maps, arena, ..
        } = self;
        let maps = maps.as_mut().expect("built above");
        if maps.by_hash.get(&t.hash) == Some(&id) {
            maps.by_hash.remove(&t.hash);
            // A text that collided with this one takes its place.
            let heir = maps
                .collided
                .iter()
                .find(|(_, other)| {
                    texts
                        .get(**other as usize)
                        .and_then(|t| t.as_ref())
                        .is_some_and(|o| o.hash == t.hash)
                })
                .map(|(text, other)| (text.clone(), *other));
            if let Some((text, other)) = heir {
                maps.collided.remove(&text);
                maps.by_hash.insert(t.hash, other);
            }
        } else {
            maps.collided.remove(original.as_str());
        }
        arena.garbage += t.span.len as usize;
        texts[id as usize] = None;
        self.free.push(id);
        self.compact_if_wasteful();
    }

    /// Rebuilds the arena without the texts nobody uses when they take more than half of it.
    fn compact_if_wasteful(&mut self) {
        if self.arena.garbage < 1 << 16 || self.arena.garbage * 2 < self.arena.text.len() {
            return;
        }
        let mut fresh = Arena::default();
        fresh
            .text
            .reserve(self.arena.text.len() - self.arena.garbage);
        for t in self.texts.iter_mut().flatten() {
            t.span = fresh.copy(&self.arena, t.span);
        }
        self.arena = fresh;
    }

    /// Adds many texts at once (a fresh build): hashing and folding run on every core.
    /// Returns the id of each text, in order.
    pub fn intern_all(&mut self, texts: &[&str]) -> Vec<u32> {
        use rayon::prelude::*;
        let hashes: Vec<u64> = texts
            .par_iter()
            .with_min_len(4096)
            .map(|t| hash(t))
            .collect();
        // Which texts are new: decided in order, folded in parallel afterwards.
        let mut ids = Vec::with_capacity(texts.len());
        let mut new: Vec<usize> = Vec::new();
        let mut pending: HashMap<u64, Vec<(usize, u32)>, BuildHasherDefault<Identity>> =
            HashMap::default();
        let first_new = self.texts.len() as u32;
        let mut next = first_new;
        for (i, (text, h)) in texts.iter().zip(&hashes).enumerate() {
            if text.is_empty() {
                ids.push(EMPTY);
                continue;
            }
            if let Some(id) = self.find(text, *h) {
                if let Some(Some(t)) = self.texts.get_mut(id as usize) {
                    t.uses += 1;
                }
                ids.push(id);
                continue;
            }
            let same = pending.get(h).and_then(|v| {
                v.iter()
                    .find(|(j, _)| texts[*j] == *text)
                    .map(|(_, id)| *id)
            });
            match same {
                Some(id) => ids.push(id),
                None => {
                    pending.entry(*h).or_default().push((i, next));
                    new.push(i);
                    ids.push(next);
                    next += 1;
                }
            }
        }
        drop(pending);
        // Fold the new texts on every core, in pieces, then append the pieces in order.
        let pieces: Vec<(Arena, Vec<Span>)> = new
            .par_chunks(4096)
            .map(|chunk| {
                let mut a = Arena::default();
                let spans = chunk.iter().map(|i| a.push(texts[*i])).collect();
                (a, spans)
            })
            .collect();
        self.texts.reserve(new.len());
        let mut k = 0;
        for (piece, spans) in pieces {
            let base = self.arena.text.len() as u32;
            let pbase = self.arena.patches.len() as u32;
            self.arena.text.push_str(&piece.text);
            self.arena.patches.extend_from_slice(&piece.patches);
            for span in spans {
                let i = new[k];
                k += 1;
                let text = texts[i];
                let h = hashes[i];
                let id = self.texts.len() as u32;
                self.texts.push(Some(Text {
                    span: Span {
                        start: span.start + base,
                        patches: span.patches + pbase,
                        ..span
                    },
                    chars: text.chars().count().min(u16::MAX as usize) as u16,
                    hash: h,
                    uses: 0,
                }));
                let maps = self.maps();
                maps.remember(h, || Box::from(text), id);
            }
        }
        // Count the uses of the new texts (those found already were counted above).
        for id in &ids {
            if *id != EMPTY
                && *id >= first_new
                && let Some(Some(t)) = self.texts.get_mut(*id as usize)
            {
                t.uses += 1;
            }
        }
        ids
    }

    pub fn heap_bytes(&self) -> usize {
        let maps = self.maps.as_ref().map_or(0, |m| {
            m.by_hash.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
                + m.collided
                    .keys()
                    .map(|k| k.len() + std::mem::size_of::<(Box<str>, u32)>())
                    .sum::<usize>()
        });
        self.arena.heap_bytes()
            + self.texts.capacity() * std::mem::size_of::<Option<Text>>()
            + self.free.capacity() * 4
            + maps
    }

    /// Every slot of the dictionary, in id order (for saving it).
    pub fn slots(&self) -> &[Option<Text>] {
        &self.texts
    }

    /// Uses of each text, for checks in tests.
    #[cfg(test)]
    pub fn uses(&self, id: u32) -> u32 {
        self.get(id).map_or(0, |t| t.uses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_stored_once_and_counted() {
        let mut d = Dict::default();
        let a = d.intern("Klaipėda");
        let b = d.intern("Klaipėda");
        let c = d.intern("Klaipeda");
        assert_eq!(a, b);
        assert_ne!(a, c, "the original differs, so the text differs");
        assert_eq!(d.folded(a), "Klaipeda");
        assert_eq!(d.original(a), "Klaipėda");
        assert_eq!(d.get(a).unwrap().chars, 8);
        assert_eq!(d.intern(""), EMPTY);
        assert_eq!(d.uses(a), 2);
        d.release(a);
        assert!(d.get(a).is_some());
        d.release(a);
        assert!(d.get(a).is_none());
        assert_eq!(d.len(), 1);
        // The freed id is reused.
        let e = d.intern("Pécs");
        assert_eq!(e, a);
        let ids = d.intern_all(&["Pécs", "Maribor", "", "Maribor", "Klaipeda"]);
        assert_eq!(ids[0], e);
        assert_eq!(ids[2], EMPTY);
        assert_eq!(ids[1], ids[3]);
        assert_eq!(ids[4], c);
        assert_eq!(d.uses(ids[1]), 2);
        assert_eq!(d.uses(e), 2);
        assert_eq!(d.original(ids[1]), "Maribor");
    }

    #[test]
    fn similar_ids_spread_over_the_low_bits() {
        let mut low: std::collections::HashSet<u64> = std::collections::HashSet::new();
        for i in 0..4096 {
            low.insert(hash(&format!("gp-{i:05}")) & 0xfff);
        }
        // 4096 keys into 4096 buckets: about 63% distinct when spread at random.
        assert!(low.len() > 2300, "{}", low.len());
    }

    #[test]
    fn colliding_hashes_are_told_apart() {
        let mut d = Dict::default();
        let a = d.intern_hashed("one", 42);
        let b = d.intern_hashed("two", 42);
        assert_ne!(a, b);
        assert_eq!(d.find("one", 42), Some(a));
        assert_eq!(d.find("two", 42), Some(b));
        assert_eq!(d.find("three", 42), None);
        d.release(a);
        assert_eq!(d.find("two", 42), Some(b));
        d.release(b);
        assert_eq!(d.len(), 0);
    }
}
