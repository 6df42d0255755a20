//! The index saved next to the database, so that a one-shot `taskforce search` need not read
//! and index every record each time.
//!
//! The file names the state of the store it was built from — a [`stamp`] of the sequence number,
//! the time of the last commit and the schema version — and the program that wrote it (its format,
//! its fields, and the executable itself: size and modification time, so that any rebuild, which
//! may fold or extract text differently, starts afresh). It is used only while all of these still
//! hold (any commit makes it stale) and only when its checksum holds. Anything else, a damaged
//! file included, means "no cache": the index is built from the store and the file written again.
//!
//! The caller holds the store open while it reads and writes the file: sled's lock on the
//! directory keeps every other process from committing meanwhile.

use std::collections::HashMap;
use std::path::Path;

use super::arena::{Arena, Span};
use super::dict::{self, Dict, Text};
use super::fields;
use super::fold::Patch;
use super::index::{Entry, Index};
use crate::model::Kind;

/// The file's name inside the database directory.
pub const FILE: &str = "search-index";

const MAGIC: &[u8; 8] = b"TFSEARCH";

/// A checksum of the file (two running sums of its 64-bit words, Fletcher-style): it catches
/// a file cut short or damaged, at memory speed. The file is written whole and renamed into
/// place, so a half-written file is not expected; a damaged disk or a copy gone wrong is.
fn checksum(bytes: &[u8]) -> u64 {
    let (mut a, mut b) = (0x9e37_79b9_7f4a_7c15u64, bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        a = a.wrapping_add(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        b = b.wrapping_add(a);
    }
    for (i, byte) in words.remainder().iter().enumerate() {
        a = a.wrapping_add(u64::from(*byte) << (8 * i));
        b = b.wrapping_add(a);
    }
    a ^ b.rotate_left(32)
}
/// The layout of the file; bump when it changes.
const FORMAT: u32 = 5;

/// The state of a store: its sequence number, the time of its last commit (so that two
/// histories that reached the same number differ) and its schema version.
pub fn stamp(seq: u64, last_commit: Option<&str>, schema: u32) -> u64 {
    dict::hash(&format!("{seq}|{}|{schema}", last_commit.unwrap_or("-")))
}

/// The running executable: its size and modification time.
fn executable() -> Option<String> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{}|{}", meta.len(), modified.as_nanos()))
}

/// What a file must have been written by: this format, this executable, these fields. `None`
/// when the executable cannot be identified (then nothing is saved or read).
fn fingerprint() -> Option<u64> {
    let mut labels = String::from(env!("CARGO_PKG_VERSION"));
    labels.push('|');
    labels.push_str(&executable()?);
    for kind in Kind::ALL {
        for is_type in [false, true] {
            labels.push_str(fields::label(*kind, is_type));
            labels.push_str(fields::kind_words(*kind, is_type));
            for l in fields::key_labels(*kind, is_type)
                .iter()
                .chain(fields::long_labels(*kind, is_type))
            {
                labels.push('|');
                labels.push_str(l);
            }
        }
    }
    Some(dict::hash(&labels) ^ u64::from(FORMAT))
}

struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn ids(&mut self, ids: &[u32]) {
        self.u32(ids.len() as u32);
        for i in ids {
            self.u32(*i);
        }
    }
}

struct In<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<Box<str>> {
        let n = self.u32()? as usize;
        Some(Box::from(std::str::from_utf8(self.take(n)?).ok()?))
    }
    fn ids(&mut self) -> Option<Box<[u32]>> {
        let n = self.u32()? as usize;
        let raw = self.take(n.checked_mul(4)?)?;
        Some(
            raw.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

fn span(o: &mut Out, s: Span) {
    o.u32(s.start);
    o.u32(s.len);
    o.u32(s.patches);
    o.u32(s.patch_count);
}

fn arena(o: &mut Out, a: &Arena) {
    o.str(&a.text);
    arena_patches(o, a);
}

fn arena_patches(o: &mut Out, a: &Arena) {
    o.u32(a.patches.len() as u32);
    for p in &a.patches {
        o.u32(p.at);
        o.u8(p.len);
        o.u32(p.orig as u32);
    }
}

impl In<'_> {
    fn span(&mut self) -> Option<Span> {
        Some(Span {
            start: self.u32()?,
            len: self.u32()?,
            patches: self.u32()?,
            patch_count: self.u32()?,
        })
    }

    fn arena(&mut self) -> Option<Arena> {
        let n = self.u32()? as usize;
        let text = String::from_utf8(self.take(n)?.to_vec()).ok()?;
        let mut arena = self.arena_patches()?;
        arena.text = text;
        Some(arena)
    }

    fn arena_patches(&mut self) -> Option<Arena> {
        let n = self.u32()? as usize;
        let raw = self.take(n.checked_mul(9)?)?;
        let patches = raw
            .chunks_exact(9)
            .map(|c| {
                Some(Patch {
                    at: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    len: c[4],
                    orig: char::from_u32(u32::from_le_bytes([c[5], c[6], c[7], c[8]]))?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Arena {
            text: String::new(),
            patches,
            garbage: 0,
        })
    }
}

/// Writes the index of a store in state `stamp` to `path` (through a temporary file renamed
/// over it).
pub fn save(index: &Index, path: &Path, stamp: u64) -> std::io::Result<()> {
    let fingerprint = fingerprint()
        .ok_or_else(|| std::io::Error::other("the running executable cannot be identified"))?;
    let parts = index.parts();
    let mut o = Out(Vec::with_capacity(
        parts.arena.text.len() + parts.dict.arena.text.len() + parts.lists.len() * 4 + (1 << 20),
    ));
    o.0.extend_from_slice(MAGIC);
    o.u64(fingerprint);
    o.u64(stamp);
    o.u64(parts.seq);
    o.u64(parts.version);
    arena(&mut o, &parts.dict.arena);
    let texts = parts.dict.slots();
    o.u32(texts.len() as u32);
    for t in texts {
        match t {
            None => o.u8(0),
            Some(t) => {
                o.u8(1);
                span(&mut o, t.span);
                o.u16(t.chars);
                o.u64(t.hash);
                o.u32(t.uses);
            }
        }
    }
    // The entries' text, the largest part, comes last (see `load`).
    arena_patches(&mut o, parts.arena);
    o.ids(parts.lists);
    o.u32(parts.slots.len() as u32);
    for e in parts.slots {
        match e {
            None => o.u8(0),
            Some(e) => {
                o.u8(1);
                o.u8(e.kind as u8);
                o.u16(e.id_len);
                o.u16(e.nkeys);
                o.u16(e.nctx);
                o.u32(e.title);
                o.u32(e.lists);
                span(&mut o, e.text);
                match &e.sub {
                    None => o.u8(0),
                    Some(s) => {
                        o.u8(1);
                        o.str(s);
                    }
                }
            }
        }
    }
    o.ids(parts.free);
    o.u32(parts.children.len() as u32);
    for (slot, kids) in parts.children {
        o.u32(*slot);
        o.ids(kids);
    }
    o.str(&parts.arena.text);
    let sum = checksum(&o.0);
    o.u64(sum);
    // An unpredictable temporary name, created O_EXCL and renamed over the index: nothing
    // planted in the directory is followed or written through.
    crate::sys::write_replacing(path, &o.0, 0o660)
}

/// Reads the index saved at `path` if it was written for a store in state `stamp` by this
/// executable and is intact.
pub fn load(path: &Path, stamp: u64) -> Option<Index> {
    let fingerprint = fingerprint()?;
    // Neither through a link nor from a FIFO planted in its place.
    let bytes = crate::sys::read_regular(path).ok()?;
    if bytes.len() < 8 + 8 * 4 || &bytes[..8] != MAGIC {
        return None;
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if checksum(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut r = In { bytes: body, at: 8 };
    if r.u64()? != fingerprint || r.u64()? != stamp {
        return None;
    }
    let seq = r.u64()?;
    let version = r.u64()?;
    let dict_arena = r.arena()?;
    let n = r.u32()? as usize;
    if n > body.len() {
        return None;
    }
    let mut texts = Vec::with_capacity(n);
    for _ in 0..n {
        texts.push(match r.u8()? {
            0 => None,
            _ => Some(Text {
                span: r.span()?,
                chars: r.u16()?,
                hash: r.u64()?,
                uses: r.u32()?,
            }),
        });
    }
    let dict = Dict::from_parts(dict_arena, texts)?;
    let mut entry_arena = r.arena_patches()?;
    let lists = r.ids()?.into_vec();
    let n = r.u32()? as usize;
    if n > body.len() {
        return None;
    }
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        slots.push(match r.u8()? {
            0 => None,
            _ => Some(Entry {
                kind: *Kind::ALL.get(r.u8()? as usize)?,
                id_len: r.u16()?,
                nkeys: r.u16()?,
                nctx: r.u16()?,
                title: r.u32()?,
                lists: r.u32()?,
                text: r.span()?,
                sub: match r.u8()? {
                    0 => None,
                    _ => Some(r.str()?),
                },
            }),
        });
    }
    let free = r.ids()?.into_vec();
    let n = r.u32()? as usize;
    let mut children = HashMap::with_capacity(n.min(body.len()));
    for _ in 0..n {
        let slot = r.u32()?;
        children.insert(slot, r.ids()?.into_vec());
    }
    // The entries' text fills the rest: the file's own buffer becomes it, without a copy.
    let n = r.u32()? as usize;
    if r.at + n != body.len() {
        return None;
    }
    let (start, end) = (r.at, body.len());
    let mut bytes = bytes;
    bytes.truncate(end);
    bytes.drain(..start);
    entry_arena.text = String::from_utf8(bytes).ok()?;
    Index::from_parts(
        dict,
        entry_arena,
        lists,
        slots,
        free,
        children,
        seq,
        version,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Request;

    fn index() -> Index {
        crate::search::test_index()
    }

    #[test]
    fn a_saved_index_comes_back_whole_while_the_store_has_not_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let index = index();
        let at = stamp(index.seq(), Some("2025-01-01T00:00:00Z"), 1);
        save(&index, &path, at).unwrap();
        let back = load(&path, at).expect("the saved index loads");
        assert_eq!(back.dump(), index.dump());
        assert_eq!(back.len(), index.len());
        assert_eq!(back.memory().texts, index.memory().texts);
        for q in ["vouch fair", "pecs", "m: badajoz", "\"study visit\"", "s:"] {
            let (a, b) = (
                back.search(&Request::new(q)),
                index.search(&Request::new(q)),
            );
            assert_eq!((a.total, a.hits), (b.total, b.hits), "{q}");
        }
        // Another sequence number, another history that reached the same number, another
        // schema: stale.
        assert!(
            load(
                &path,
                stamp(index.seq() + 1, Some("2025-01-01T00:00:00Z"), 1)
            )
            .is_none()
        );
        assert!(load(&path, stamp(index.seq(), Some("2025-01-01T00:00:01Z"), 1)).is_none());
        assert!(load(&path, stamp(index.seq(), Some("2025-01-01T00:00:00Z"), 2)).is_none());
        assert!(load(&dir.path().join("missing"), at).is_none());
    }

    #[test]
    fn a_damaged_file_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let index = index();
        save(&index, &path, 0).unwrap();
        let good = std::fs::read(&path).unwrap();
        for at in [0, 9, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x40;
            std::fs::write(&path, &bad).unwrap();
            assert!(load(&path, 0).is_none(), "byte {at} changed");
        }
        std::fs::write(&path, &good[..good.len() - 100]).unwrap();
        assert!(load(&path, 0).is_none(), "cut short");
        std::fs::write(&path, b"").unwrap();
        assert!(load(&path, 0).is_none(), "empty");
        std::fs::write(&path, &good).unwrap();
        assert!(load(&path, 0).is_some());
    }
}
