//! The dictionary: every distinct short text of the index (titles, names, places, labels,
//! keywords) stored once, folded, with a count of the entries that use it.
//!
//! Many records share their short texts (a city, a country, a status, the name of the partner
//! or scheme they belong to), so a query matches each distinct text once instead of once per
//! record, and the index stores each once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::fold::{self, Patch};

/// No text (an empty field).
pub(crate) const EMPTY: u32 = u32::MAX;

/// One distinct text.
#[derive(Debug)]
pub(crate) struct Text {
    pub folded: Box<str>,
    pub patches: Box<[Patch]>,
    /// Characters in the original text.
    pub chars: u16,
    pub hash: u64,
    /// How many references the index holds to it.
    pub uses: u32,
}

impl Text {
    pub fn original(&self) -> String {
        fold::original(&self.folded, &self.patches, 0, self.folded.len())
    }

    fn heap_bytes(&self) -> usize {
        self.folded.len() + self.patches.len() * std::mem::size_of::<Patch>()
    }

    /// The length of the original text in bytes.
    pub fn original_len(&self) -> usize {
        let changed: isize = self
            .patches
            .iter()
            .map(|p| p.orig.len_utf8() as isize - p.len as isize)
            .sum();
        self.folded.len().saturating_add_signed(changed)
    }
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

/// FxHash of a text: fast, and good enough with a check of the text on every hit.
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

#[derive(Debug, Default)]
pub(crate) struct Dict {
    texts: Vec<Option<Text>>,
    free: Vec<u32>,
    by_hash: ByHash,
    /// Texts whose hash another text already has (rare): by their original text.
    collided: HashMap<Box<str>, u32, FxBuild>,
}

impl Dict {
    pub fn get(&self, id: u32) -> Option<&Text> {
        self.texts.get(id as usize)?.as_ref()
    }

    /// The number of ids in use or free (the size of per-query tables).
    pub fn capacity(&self) -> usize {
        self.texts.len()
    }

    pub fn len(&self) -> usize {
        self.texts.len() - self.free.len()
    }

    fn find(&self, text: &str, h: u64) -> Option<u32> {
        let id = *self.by_hash.get(&h)?;
        let t = self.get(id)?;
        if fold::equals_original(&t.folded, &t.patches, text) {
            return Some(id);
        }
        self.collided.get(text).copied()
    }

    /// The id of `text`, adding it if new; counts one more use. Empty text has no id.
    pub fn intern(&mut self, text: &str) -> u32 {
        if text.is_empty() {
            return EMPTY;
        }
        let h = hash(text);
        self.intern_hashed(text, h, None)
    }

    /// Like [`Dict::intern`] with the hash known, and optionally the folded form ready.
    fn intern_hashed(&mut self, text: &str, h: u64, folded: Option<(Box<str>, Box<[Patch]>)>) -> u32 {
        if let Some(id) = self.find(text, h) {
            if let Some(Some(t)) = self.texts.get_mut(id as usize) {
                t.uses += 1;
            }
            return id;
        }
        let (folded, patches) = folded.unwrap_or_else(|| fold_text(text));
        let entry = Text {
            folded,
            patches,
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
        if self.by_hash.contains_key(&h) {
            self.collided.insert(Box::from(text), id);
        } else {
            self.by_hash.insert(h, id);
        }
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
        let h = t.hash;
        let original = t.original();
        if self.by_hash.get(&h) == Some(&id) {
            self.by_hash.remove(&h);
            // A text that collided with this one takes its place.
            let texts = &self.texts;
            let heir = self
                .collided
                .iter()
                .find(|(_, other)| {
                    texts
                        .get(**other as usize)
                        .and_then(|t| t.as_ref())
                        .is_some_and(|t| t.hash == h)
                })
                .map(|(text, other)| (text.clone(), *other));
            if let Some((text, other)) = heir {
                self.collided.remove(&text);
                self.by_hash.insert(h, other);
            }
        } else {
            self.collided.remove(original.as_str());
        }
        self.texts[id as usize] = None;
        self.free.push(id);
    }

    /// Adds many texts at once (a fresh build): hashing and folding run on every core.
    /// Returns the id of each text, in order.
    pub fn intern_all(&mut self, texts: &[&str]) -> Vec<u32> {
        use rayon::prelude::*;
        let hashes: Vec<u64> = texts.par_iter().with_min_len(4096).map(|t| hash(t)).collect();
        // Which texts are new: decided in order, folded in parallel afterwards.
        let mut ids = Vec::with_capacity(texts.len());
        let mut new: Vec<(usize, u32)> = Vec::new();
        let mut pending: HashMap<u64, Vec<(usize, u32)>, BuildHasherDefault<Identity>> =
            HashMap::default();
        let mut next = self.texts.len() as u32;
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
            let same = pending
                .get(h)
                .and_then(|v| v.iter().find(|(j, _)| texts[*j] == *text).map(|(_, id)| *id));
            match same {
                Some(id) => ids.push(id),
                None => {
                    pending.entry(*h).or_default().push((i, next));
                    new.push((i, next));
                    ids.push(next);
                    next += 1;
                }
            }
        }
        let folded: Vec<(Box<str>, Box<[Patch]>)> = new
            .par_iter()
            .with_min_len(1024)
            .map(|(i, _)| fold_text(texts[*i]))
            .collect();
        self.texts.reserve(new.len());
        for ((i, id), (f, p)) in new.iter().zip(folded) {
            let text = texts[*i];
            let h = hashes[*i];
            debug_assert_eq!(*id as usize, self.texts.len());
            self.texts.push(Some(Text {
                folded: f,
                patches: p,
                chars: text.chars().count().min(u16::MAX as usize) as u16,
                hash: h,
                uses: 0,
            }));
            if self.by_hash.contains_key(&h) {
                self.collided.insert(Box::from(text), *id);
            } else {
                self.by_hash.insert(h, *id);
            }
        }
        // Count the uses of the new texts (those found already were counted above).
        let first_new = next - new.len() as u32;
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

    /// Every slot of the dictionary, in id order (for saving it).
    pub fn slots(&self) -> &[Option<Text>] {
        &self.texts
    }

    /// A dictionary from its slots, as saved.
    pub fn from_slots(texts: Vec<Option<Text>>) -> Dict {
        let mut d = Dict {
            free: texts
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, t)| t.is_none())
                .map(|(i, _)| i as u32)
                .collect(),
            ..Dict::default()
        };
        d.by_hash.reserve(texts.len());
        for (id, t) in texts.iter().enumerate() {
            if let Some(t) = t {
                if d.by_hash.contains_key(&t.hash) {
                    d.collided.insert(t.original().into_boxed_str(), id as u32);
                } else {
                    d.by_hash.insert(t.hash, id as u32);
                }
            }
        }
        d.texts = texts;
        d
    }

    pub fn heap_bytes(&self) -> usize {
        let texts: usize = self.texts.iter().flatten().map(Text::heap_bytes).sum();
        texts
            + self.texts.capacity() * std::mem::size_of::<Option<Text>>()
            + self.free.capacity() * 4
            + self.by_hash.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
            + self
                .collided
                .keys()
                .map(|k| k.len() + std::mem::size_of::<(Box<str>, u32)>())
                .sum::<usize>()
    }

    /// Uses of each text, for checks in tests.
    #[cfg(test)]
    pub fn uses(&self, id: u32) -> u32 {
        self.get(id).map_or(0, |t| t.uses)
    }
}

fn fold_text(text: &str) -> (Box<str>, Box<[Patch]>) {
    let mut folded = String::with_capacity(text.len());
    let mut patches = Vec::new();
    fold::fold_into(text, &mut folded, &mut patches);
    (folded.into_boxed_str(), patches.into_boxed_slice())
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
        assert_eq!(d.get(a).unwrap().folded.as_ref(), "Klaipeda");
        assert_eq!(d.get(a).unwrap().original(), "Klaipėda");
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
        assert_eq!(d.get(ids[1]).unwrap().original(), "Maribor");
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
        let a = d.intern_hashed("one", 42, None);
        let b = d.intern_hashed("two", 42, None);
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
