//! The saved index as a file that a search uses in place: memory-mapped, nothing decoded up
//! front, so that a one-shot search reads the parts of the file that its query touches.
//!
//! The file is a header and sections, each a flat table or a run of text, in this order:
//!
//! | section | what |
//! |---|---|
//! | `OWN_TEXT` | the entries' own folded texts: id, then long fields (first: see [`Writer`]) |
//! | `DICT_TEXT` | the dictionary's folded texts, back to back (UTF-8) |
//! | `DICT_PATCHES` | their patches, [`PATCH`] bytes each |
//! | `DICT_SLOTS` | per dictionary id, [`TEXT`] bytes: span, characters, present |
//! | `OWN_PATCHES` | the patches of `OWN_TEXT` |
//! | `OWN_BLOCKS` | a CRC-32 of every [`BLOCK`] bytes of `OWN_TEXT` |
//! | `IDS` | the entries' folded ids again, back to back (matching reads them for every entry) |
//! | `LISTS` | the entries' lists (key fields, names of related records, their slots), u32 each |
//! | `SLOTS` | per slot, [`SLOT`] bytes: kind, counts, title, where its lists, text and id are |
//! | `SUBS` | voucher type codes |
//!
//! Every number is little-endian. The header names the file's format, the program and the
//! state of the store it was written for (see [`super::cache`]) and where each section lies,
//! with a CRC-32 of each; the header has its own. Opening checks the header and the CRC of
//! every section but the largest, `OWN_TEXT` (the long texts, which a query of one or two
//! letters never reads): its blocks are checked the first time a search reads them. Nothing
//! in the file is trusted beyond that either: every offset and length is checked where it is
//! used, a text that does not decode or a patch that does not fit reads as nothing, and a
//! search that met any of it says so ([`Mapped::damage`]), so that the caller rebuilds the
//! index instead of printing what may be wrong.
//!
//! The file is written section by section through a buffer of fixed size, never as one buffer
//! of the whole index, into a temporary file renamed into place ([`crate::sys::write_replacing_with`]);
//! a build writes the entries' own texts as it goes ([`Writer`]).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use super::arena::{Arena, Span};
use super::fold::{self, Patch};
use super::index::{Entry, Index, OwnTexts};
use super::view::{Head, Ids, View, head_with_id};
use crate::model::Kind;

const MAGIC: &[u8; 8] = b"TFSRCHv7";

/// Bytes of one patch: where (u32), the original character (u32), folded bytes (u8), padding.
pub(crate) const PATCH: usize = 12;
/// Bytes of one dictionary slot: start, len, first patch, patches (u32 each), characters (u16),
/// present (u8), padding.
pub(crate) const TEXT: usize = 20;
/// Bytes of one entry slot (see [`encode_slot`]).
pub(crate) const SLOT: usize = 44;
/// Bytes of `OWN_TEXT` under one CRC of `OWN_BLOCKS`.
pub(crate) const BLOCK: usize = 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
enum Section {
    DictText,
    DictPatches,
    DictSlots,
    OwnText,
    OwnPatches,
    OwnBlocks,
    Ids,
    Lists,
    Slots,
    Subs,
}

const SECTIONS: [Section; 10] = [
    Section::DictText,
    Section::DictPatches,
    Section::DictSlots,
    Section::OwnText,
    Section::OwnPatches,
    Section::OwnBlocks,
    Section::Ids,
    Section::Lists,
    Section::Slots,
    Section::Subs,
];

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::DictText => "dictionary text",
            Section::DictPatches => "dictionary patches",
            Section::DictSlots => "dictionary table",
            Section::OwnText => "long texts",
            Section::OwnPatches => "long text patches",
            Section::OwnBlocks => "long text checksums",
            Section::Ids => "ids",
            Section::Lists => "lists",
            Section::Slots => "entries",
            Section::Subs => "voucher type codes",
        }
    }
}

/// Header: magic, fingerprint, stamp, seq, version (u64 each), slots, dictionary ids (u32
/// each), then per section offset and length (u64) and CRC (u32), then the header's CRC.
const HEADER: usize = 8 + 4 * 8 + 2 * 4 + SECTIONS.len() * 20 + 4;

/// Why a saved index is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// There is none.
    Missing,
    /// Written for another state of the store, or by another program: simply out of date.
    Stale,
    /// Not a saved index, cut short, or damaged: what is wrong, in words.
    Damaged(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Missing => write!(f, "there is none"),
            Refused::Stale => write!(f, "it was written for another state of the database"),
            Refused::Damaged(why) => write!(f, "it is damaged ({why})"),
        }
    }
}

fn damaged(why: impl Into<String>) -> Refused {
    Refused::Damaged(why.into())
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Counts and checksums what goes through it.
struct Counted<W: Write> {
    out: W,
    at: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Counted<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.crc.update(bytes);
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Pads to a multiple of 8 (outside any section's checksum) and starts a new checksum.
    fn start(&mut self) -> io::Result<u64> {
        let pad = (8 - self.at % 8) % 8;
        self.out.write_all(&[0u8; 8][..pad as usize])?;
        self.at += pad;
        self.crc = crc32fast::Hasher::new();
        Ok(self.at)
    }
}

fn patch_bytes(p: &Patch) -> [u8; PATCH] {
    let mut b = [0u8; PATCH];
    b[0..4].copy_from_slice(&p.at.to_le_bytes());
    b[4..8].copy_from_slice(&(p.orig as u32).to_le_bytes());
    b[8] = p.len;
    b
}

fn span_bytes(b: &mut [u8], s: Span) {
    b[0..4].copy_from_slice(&s.start.to_le_bytes());
    b[4..8].copy_from_slice(&s.len.to_le_bytes());
    b[8..12].copy_from_slice(&s.patches.to_le_bytes());
    b[12..16].copy_from_slice(&s.patch_count.to_le_bytes());
}

/// One entry slot: present (u8), kind (u8), id bytes (u16), keys (u16), names (u16), title
/// (u32), lists (u32), own text span (4 × u32), id in `IDS` (u32), code in `SUBS` (u32 start,
/// u16 length; 0xffff: none).
fn encode_slot(b: &mut [u8; SLOT], h: Option<(&Head, u32, u32)>) {
    *b = [0u8; SLOT];
    let Some((e, id_at, sub_at)) = h else {
        return;
    };
    b[0] = 1;
    b[1] = e.kind as u8;
    b[2..4].copy_from_slice(&e.id_len.to_le_bytes());
    b[4..6].copy_from_slice(&e.nkeys.to_le_bytes());
    b[6..8].copy_from_slice(&e.nctx.to_le_bytes());
    b[8..12].copy_from_slice(&e.title.to_le_bytes());
    b[12..16].copy_from_slice(&e.lists.to_le_bytes());
    span_bytes(&mut b[16..32], e.text);
    b[32..36].copy_from_slice(&id_at.to_le_bytes());
    b[36..40].copy_from_slice(&sub_at.to_le_bytes());
    let sub_len = e
        .sub
        .map_or(NO_SUB, |s| s.len().min(NO_SUB as usize - 1) as u16);
    b[40..42].copy_from_slice(&sub_len.to_le_bytes());
}

const NO_SUB: u16 = u16::MAX;

/// What the header says besides the sections.
pub(crate) struct Stamps {
    pub fingerprint: u64,
    pub stamp: u64,
}

/// Writes a file in this format as the index is built, so that its largest sections are never
/// held whole: the entries' own texts (`OWN_TEXT`, nine tenths of the file) go into the file
/// as they are folded, right after the header, with their block checksums; their patches go to
/// an unnamed scratch file ([`crate::sys::scratch_file_beside`]), copied in at the end. The rest
/// (the dictionary, the lists, the entries), which a build holds anyway, is written from the
/// index once it is built ([`Writer::finish`]). Memory: two buffers of fixed size, a checksum
/// per block, and the entries' folded ids (`IDS`, which go in slot order).
pub(crate) struct Writer<'f> {
    out: Counted<BufWriter<&'f mut File>>,
    /// Where `OWN_TEXT` starts.
    own_at: u64,
    /// The checksums of the blocks of `OWN_TEXT` written whole, and of the one being written.
    blocks: Vec<u32>,
    block: crc32fast::Hasher,
    in_block: usize,
    /// `OWN_PATCHES`, as it will be in the file, and how many.
    patches: BufWriter<File>,
    patch_count: u64,
    /// The entries' folded ids, in the order they came, and per slot where its id lies in them.
    ids: String,
    id_at: Vec<(u32, u16)>,
    /// What went wrong first (then nothing more is written).
    failed: Option<io::Error>,
}

/// Bytes buffered on the way to the file, and to the scratch file.
const BUFFER: usize = 1 << 20;

impl<'f> Writer<'f> {
    /// Starts writing to `file` (empty), with the patches in `scratch` (empty) meanwhile.
    pub fn new(file: &'f mut File, scratch: File) -> io::Result<Writer<'f>> {
        let mut out = Counted {
            out: BufWriter::with_capacity(BUFFER, file),
            at: 0,
            crc: crc32fast::Hasher::new(),
        };
        out.put(&[0u8; HEADER])?;
        let own_at = out.start()?;
        Ok(Writer {
            out,
            own_at,
            blocks: Vec::new(),
            block: crc32fast::Hasher::new(),
            in_block: 0,
            patches: BufWriter::with_capacity(BUFFER, scratch),
            patch_count: 0,
            ids: String::new(),
            id_at: Vec::new(),
            failed: None,
        })
    }

    /// Bytes of the entries' own texts held in memory: what is buffered on its way out.
    #[cfg(test)]
    pub fn own_bytes_held(&self) -> usize {
        self.out.out.buffer().len() + self.patches.buffer().len()
    }

    /// Appends folded text and its patches; returns where they start in `OWN_TEXT` and
    /// `OWN_PATCHES` (spans are 32-bit: a text past 4 GiB cannot be saved).
    fn put_own(&mut self, text: &[u8], patches: &[Patch]) -> io::Result<(u32, u32)> {
        let at = self.out.at - self.own_at;
        let patch_at = self.patch_count;
        let too_big = |n: u64| n > u64::from(u32::MAX);
        if too_big(at + text.len() as u64) || too_big(patch_at + patches.len() as u64) {
            return Err(io::Error::other(
                "the long texts are too large to save (4 GiB)",
            ));
        }
        self.out.put(text)?;
        let mut rest = text;
        while !rest.is_empty() {
            let (now, later) = rest.split_at(rest.len().min(BLOCK - self.in_block));
            self.block.update(now);
            self.in_block += now.len();
            if self.in_block == BLOCK {
                self.blocks.push(std::mem::take(&mut self.block).finalize());
                self.in_block = 0;
            }
            rest = later;
        }
        for p in patches {
            self.patches.write_all(&patch_bytes(p))?;
        }
        self.patch_count += patches.len() as u64;
        Ok((at as u32, patch_at as u32))
    }

    /// Writes the rest of the file: `index` is the index whose own texts came through this
    /// writer (its arena is not read). Returns the first failure of any write.
    pub fn finish(mut self, index: &Index, stamps: &Stamps) -> io::Result<()> {
        if let Some(failed) = self.failed.take() {
            return Err(failed);
        }
        if self.in_block > 0 {
            self.blocks.push(std::mem::take(&mut self.block).finalize());
        }
        let mut out = self.out;
        let mut table = [(0u64, 0u64, 0u32); SECTIONS.len()];
        table[Section::OwnText as usize] = (
            self.own_at,
            out.at - self.own_at,
            std::mem::take(&mut out.crc).finalize(),
        );
        let parts = index.parts();
        let ids = &self.ids;
        let id_of = |slot: usize| {
            let (at, len) = self.id_at.get(slot).copied().unwrap_or_default();
            &ids[at as usize..at as usize + len as usize]
        };
        let mut section = |out: &mut Counted<_>,
                           which: Section,
                           body: &mut dyn FnMut(&mut Counted<_>) -> io::Result<()>|
         -> io::Result<()> {
            let start = out.start()?;
            body(out)?;
            let crc = std::mem::take(&mut out.crc).finalize();
            table[which as usize] = (start, out.at - start, crc);
            Ok(())
        };
        section(&mut out, Section::DictText, &mut |o| {
            o.put(parts.dict.arena.text.as_bytes())
        })?;
        section(&mut out, Section::DictPatches, &mut |o| {
            parts
                .dict
                .arena
                .patches
                .iter()
                .try_for_each(|p| o.put(&patch_bytes(p)))
        })?;
        section(&mut out, Section::DictSlots, &mut |o| {
            for t in parts.dict.slots() {
                let mut b = [0u8; TEXT];
                if let Some(t) = t {
                    span_bytes(&mut b[0..16], t.span);
                    b[16..18].copy_from_slice(&t.chars.to_le_bytes());
                    b[18] = 1;
                }
                o.put(&b)?;
            }
            Ok(())
        })?;
        let mut scratch = self.patches.into_inner().map_err(|e| e.into_error())?;
        scratch.seek(SeekFrom::Start(0))?;
        let patch_bytes = self.patch_count * PATCH as u64;
        section(&mut out, Section::OwnPatches, &mut |o| {
            let mut from = (&mut scratch).take(patch_bytes);
            let mut buffer = vec![0u8; BUFFER];
            loop {
                match from.read(&mut buffer)? {
                    0 => break,
                    n => o.put(&buffer[..n])?,
                }
            }
            Ok(())
        })?;
        drop(scratch);
        section(&mut out, Section::OwnBlocks, &mut |o| {
            self.blocks.iter().try_for_each(|c| o.put(&c.to_le_bytes()))
        })?;
        section(&mut out, Section::Ids, &mut |o| {
            for (slot, e) in parts.slots.iter().enumerate() {
                if e.is_some() {
                    o.put(id_of(slot).as_bytes())?;
                }
            }
            Ok(())
        })?;
        section(&mut out, Section::Lists, &mut |o| {
            parts.lists.iter().try_for_each(|w| o.put(&w.to_le_bytes()))
        })?;
        section(&mut out, Section::Slots, &mut |o| {
            let (mut id_at, mut sub_at) = (0u32, 0u32);
            for (slot, e) in parts.slots.iter().enumerate() {
                let mut b = [0u8; SLOT];
                match e {
                    None => encode_slot(&mut b, None),
                    Some(e) => {
                        let head = head_with_id(e, id_of(slot));
                        encode_slot(&mut b, Some((&head, id_at, sub_at)));
                        id_at += head.id.len() as u32;
                        sub_at += e.sub.as_ref().map_or(0, |s| s.len() as u32);
                    }
                }
                o.put(&b)?;
            }
            Ok(())
        })?;
        section(&mut out, Section::Subs, &mut |o| {
            for e in parts.slots.iter().flatten() {
                if let Some(s) = &e.sub {
                    o.put(s.as_bytes())?;
                }
            }
            Ok(())
        })?;
        let file = out.out.into_inner().map_err(|e| e.into_error())?;

        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        for v in [stamps.fingerprint, stamps.stamp, parts.seq, parts.version] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        header.extend_from_slice(&(parts.slots.len() as u32).to_le_bytes());
        header.extend_from_slice(&(parts.dict.slots().len() as u32).to_le_bytes());
        for (start, len, crc) in table {
            header.extend_from_slice(&start.to_le_bytes());
            header.extend_from_slice(&len.to_le_bytes());
            header.extend_from_slice(&crc.to_le_bytes());
        }
        let crc = crc32fast::hash(&header);
        header.extend_from_slice(&crc.to_le_bytes());
        debug_assert_eq!(header.len(), HEADER);
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header)?;
        Ok(())
    }
}

impl OwnTexts for Writer<'_> {
    fn append(&mut self, piece: &Arena, entries: &[(u32, Entry)]) -> (u32, u32) {
        if self.failed.is_some() {
            return (0, 0);
        }
        match self.put_own(piece.text.as_bytes(), &piece.patches) {
            Ok(at) => {
                for (slot, e) in entries {
                    let id = piece.str(e.text).get(..e.id_len as usize).unwrap_or("");
                    let slot = *slot as usize;
                    if self.id_at.len() <= slot {
                        self.id_at.resize(slot + 1, (0, 0));
                    }
                    self.id_at[slot] = (self.ids.len() as u32, id.len() as u16);
                    self.ids.push_str(id);
                }
                at
            }
            Err(e) => {
                self.failed = Some(e);
                (0, 0)
            }
        }
    }
}

/// Writes an index built in memory to `file` in this format (its patches through `scratch`).
pub(crate) fn write(
    index: &Index,
    stamps: &Stamps,
    file: &mut File,
    scratch: File,
) -> io::Result<()> {
    let mut writer = Writer::new(file, scratch)?;
    let entries: Vec<(u32, Entry)> = (index.slots.iter().enumerate())
        .filter_map(|(slot, e)| Some((slot as u32, e.clone()?)))
        .collect();
    writer.append(&index.arena, &entries);
    writer.finish(index, stamps)
}

// ---------------------------------------------------------------------------------------------
// Reading

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn span_at(b: &[u8]) -> Span {
    Span {
        start: u32_at(b, 0),
        len: u32_at(b, 4),
        patches: u32_at(b, 8),
        patch_count: u32_at(b, 12),
    }
}

/// The state of one block of `OWN_TEXT`.
const UNCHECKED: u8 = 0;
const GOOD: u8 = 1;
const BAD: u8 = 2;

/// A saved index, used in place.
pub struct Mapped {
    map: memmap2::Mmap,
    /// The state of the store the file was written for (see [`super::cache::stamp`]).
    stamp: u64,
    /// Where each section lies in `map` (checked to lie inside it).
    sections: [(usize, usize); SECTIONS.len()],
    seq: u64,
    version: u64,
    slots: usize,
    dict_ids: usize,
    /// Per block of `OWN_TEXT`: unchecked, good or bad.
    blocks: Vec<AtomicU8>,
    /// What a search found wrong (the first thing), if anything.
    damage: OnceLock<String>,
    /// Serialises nothing but the first report of damage.
    _report: Mutex<()>,
}

impl std::fmt::Debug for Mapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mapped")
            .field("bytes", &self.map.len())
            .field("slots", &self.slots)
            .field("seq", &self.seq)
            .finish()
    }
}

impl Mapped {
    /// Maps the file at `path` (never through a symbolic link, only a regular file) and checks
    /// it: written by this program (`fingerprint`) for the store in state `stamp`, every section
    /// inside the file and intact (the long texts block by block as they are read).
    pub(crate) fn open(path: &Path, fingerprint: u64, stamp: u64) -> Result<Mapped, Refused> {
        let mapped = Mapped::open_any(path, fingerprint)?;
        match mapped.stamp == stamp {
            true => Ok(mapped),
            false => Err(Refused::Stale),
        }
    }

    /// [`Mapped::open`] whatever state of the store the file was written for: the caller
    /// compares [`Mapped::written_for`] with the store's state before it uses any result.
    pub(crate) fn open_any(path: &Path, fingerprint: u64) -> Result<Mapped, Refused> {
        let file = crate::sys::open_regular(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Refused::Missing,
            _ => damaged(e.to_string()),
        })?;
        // SAFETY: the map is read-only and private to this process. The file is replaced only by
        // renaming a new file over it (so this inode is never rewritten by taskforce); someone
        // who can write the database's files could still change it underneath, which can give
        // wrong results (every read below is bounds-checked and every text checked as UTF-8 or
        // handled as bytes) or, if they cut it short meanwhile, stop the process with SIGBUS.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| damaged(e.to_string()))?;
        Mapped::check(map, fingerprint)
    }

    fn check(map: memmap2::Mmap, fingerprint: u64) -> Result<Mapped, Refused> {
        let bytes: &[u8] = &map;
        if bytes.len() >= MAGIC.len()
            && bytes[..7] == MAGIC[..7]
            && bytes[7].is_ascii_digit()
            && bytes[7] != MAGIC[7]
        {
            // Written by another version of taskforce: out of date, not damaged.
            return Err(Refused::Stale);
        }
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(damaged("not a saved search index"));
        }
        let header = &bytes[..HEADER];
        if crc32fast::hash(&header[..HEADER - 4]) != u32_at(header, HEADER - 4) {
            return Err(damaged("its header's checksum does not match"));
        }
        if u64_at(header, 8) != fingerprint {
            return Err(Refused::Stale);
        }
        let stamp = u64_at(header, 16);
        let seq = u64_at(header, 24);
        let version = u64_at(header, 32);
        let slots = u32_at(header, 40) as usize;
        let dict_ids = u32_at(header, 44) as usize;
        let mut sections = [(0usize, 0usize); SECTIONS.len()];
        let mut crcs = [0u32; SECTIONS.len()];
        for (i, s) in SECTIONS.iter().enumerate() {
            let at = 48 + i * 20;
            let (start, len) = (u64_at(header, at), u64_at(header, at + 8));
            let end = start.checked_add(len);
            if start < HEADER as u64 || end.is_none_or(|e| e > bytes.len() as u64) {
                return Err(damaged(format!(
                    "its {} lie outside the file ({} bytes; cut short?)",
                    s.name(),
                    bytes.len()
                )));
            }
            sections[i] = (start as usize, len as usize);
            crcs[i] = u32_at(header, at + 16);
        }
        let section = |s: Section| {
            let (start, len) = sections[s as usize];
            &bytes[start..start + len]
        };
        let sizes = [
            (Section::DictPatches, PATCH, None),
            (Section::DictSlots, TEXT, Some(dict_ids)),
            (Section::OwnPatches, PATCH, None),
            (Section::Lists, 4, None),
            (Section::Slots, SLOT, Some(slots)),
            (
                Section::OwnBlocks,
                4,
                Some(section(Section::OwnText).len().div_ceil(BLOCK)),
            ),
        ];
        for (s, size, count) in sizes {
            let len = section(s).len();
            if len % size != 0 || count.is_some_and(|n| Some(len) != n.checked_mul(size)) {
                return Err(damaged(format!("its {} have the wrong size", s.name())));
            }
        }
        // Everything but the long texts is read by nearly every query: checked now.
        for s in SECTIONS {
            if s != Section::OwnText && crc32fast::hash(section(s)) != crcs[s as usize] {
                return Err(damaged(format!(
                    "the checksum of its {} does not match",
                    s.name()
                )));
            }
        }
        for s in [Section::DictText, Section::Ids, Section::Subs] {
            if std::str::from_utf8(section(s)).is_err() {
                return Err(damaged(format!("its {} are not UTF-8", s.name())));
            }
        }
        let blocks = (0..section(Section::OwnBlocks).len() / 4)
            .map(|_| AtomicU8::new(UNCHECKED))
            .collect();
        Ok(Mapped {
            map,
            stamp,
            sections,
            seq,
            version,
            slots,
            dict_ids,
            blocks,
            damage: OnceLock::new(),
            _report: Mutex::new(()),
        })
    }

    fn section(&self, s: Section) -> &[u8] {
        let (start, len) = self.sections[s as usize];
        &self.map[start..start + len]
    }

    /// A piece of a section of text, when it lies inside it and is UTF-8.
    fn str_in(&self, s: Section, start: usize, len: usize) -> Option<&str> {
        let end = start.checked_add(len)?;
        std::str::from_utf8(self.section(s).get(start..end)?).ok()
    }

    /// Notes what a search found wrong; the first note is kept.
    fn hurt(&self, why: impl FnOnce() -> String) {
        if self.damage.get().is_none() {
            let _ = self.damage.set(why());
        }
    }

    /// The last commit the saved index holds.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The state of the store the file was written for.
    pub fn written_for(&self) -> u64 {
        self.stamp
    }

    /// What a search met that is wrong with the file, if anything: then its results may be
    /// wrong, and the index should be rebuilt.
    pub fn damage(&self) -> Option<&str> {
        self.damage.get().map(String::as_str)
    }

    /// The number of entries (slots in use).
    pub fn len(&self) -> usize {
        (0..self.slots)
            .filter(|s| self.head(*s as u32).is_some())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the blocks of `OWN_TEXT` under `start..end` are intact (checked once each).
    fn blocks_good(&self, start: usize, end: usize) -> bool {
        if start >= end {
            return true;
        }
        let text = self.section(Section::OwnText);
        let crcs = self.section(Section::OwnBlocks);
        for b in start / BLOCK..=(end - 1) / BLOCK {
            let Some(state) = self.blocks.get(b) else {
                return false;
            };
            match state.load(Ordering::Relaxed) {
                GOOD => continue,
                BAD => return false,
                _ => {
                    let block = &text[b * BLOCK..((b + 1) * BLOCK).min(text.len())];
                    let good = crc32fast::hash(block) == u32_at(crcs, b * 4);
                    state.store(if good { GOOD } else { BAD }, Ordering::Relaxed);
                    if !good {
                        self.hurt(|| format!("the checksum of its long texts at block {b}"));
                        return false;
                    }
                }
            }
        }
        true
    }

    fn patches(&self, s: Section, first: u32, count: u32) -> Vec<Patch> {
        let table = self.section(s);
        let start = first as usize * PATCH;
        let Some(raw) = start
            .checked_add(count as usize * PATCH)
            .and_then(|end| table.get(start..end))
        else {
            self.hurt(|| format!("a patch outside its {}", s.name()));
            return Vec::new();
        };
        let mut out = Vec::with_capacity(count as usize);
        for p in raw.chunks_exact(PATCH) {
            let Some(orig) = char::from_u32(u32_at(p, 4)) else {
                self.hurt(|| format!("a patch that is no character in its {}", s.name()));
                return Vec::new();
            };
            out.push(Patch {
                at: u32_at(p, 0),
                orig,
                len: p[8],
            });
        }
        out
    }

    /// A dictionary slot's span, characters: `None` for a free or unknown id.
    fn dict_slot(&self, id: u32) -> Option<(Span, u16)> {
        let at = (id as usize).checked_mul(TEXT)?;
        let b = self.section(Section::DictSlots).get(at..at + TEXT)?;
        (b[18] == 1).then(|| (span_at(&b[0..16]), u16_at(b, 16)))
    }
}

impl View for Mapped {
    fn slot_count(&self) -> usize {
        self.slots
    }

    fn head(&self, slot: u32) -> Option<Head<'_>> {
        let at = (slot as usize).checked_mul(SLOT)?;
        let b = self.section(Section::Slots).get(at..at + SLOT)?;
        if b[0] != 1 {
            return None;
        }
        let Some(kind) = Kind::ALL.get(b[1] as usize).copied() else {
            self.hurt(|| format!("entry {slot} has no kind"));
            return None;
        };
        let sub_len = u16_at(b, 40);
        let sub = if sub_len == NO_SUB {
            None
        } else {
            match self.str_in(Section::Subs, u32_at(b, 36) as usize, sub_len as usize) {
                Some(s) => Some(s),
                None => {
                    self.hurt(|| format!("entry {slot}'s voucher type code"));
                    return None;
                }
            }
        };
        let id_len = u16_at(b, 2);
        let id_at = u32_at(b, 32) as usize;
        let Some(id) = self.str_in(Section::Ids, id_at, id_len as usize) else {
            self.hurt(|| format!("entry {slot}'s id lies outside the ids"));
            return None;
        };
        Some(Head {
            kind,
            id,
            id_len,
            nkeys: u16_at(b, 4),
            nctx: u16_at(b, 6),
            title: u32_at(b, 8),
            lists: u32_at(b, 12),
            text: span_at(&b[16..32]),
            sub,
        })
    }

    fn dict_capacity(&self) -> usize {
        self.dict_ids
    }

    fn text(&self, id: u32) -> &str {
        let Some((span, _)) = self.dict_slot(id) else {
            return "";
        };
        let s = span.start as usize;
        match self
            .section(Section::DictText)
            .get(s..s + span.len as usize)
            .and_then(|t| std::str::from_utf8(t).ok())
        {
            Some(t) => t,
            None => {
                self.hurt(|| format!("dictionary text {id} lies outside its text"));
                ""
            }
        }
    }

    fn text_patches(&self, id: u32) -> Cow<'_, [Patch]> {
        let Some((span, _)) = self.dict_slot(id) else {
            return Cow::Borrowed(&[]);
        };
        let patches = self.patches(Section::DictPatches, span.patches, span.patch_count);
        if !fold::patches_fit(self.text(id), &patches) {
            self.hurt(|| format!("the patches of dictionary text {id} do not fit it"));
            return Cow::Borrowed(&[]);
        }
        Cow::Owned(patches)
    }

    fn text_chars(&self, id: u32) -> u16 {
        self.dict_slot(id).map_or(0, |(_, chars)| chars)
    }

    fn lists(&self, e: &Head) -> Ids<'_> {
        let s = e.lists as usize * 4;
        let n = (e.nkeys as usize + 2 * e.nctx as usize) * 4;
        match self.section(Section::Lists).get(s..s + n) {
            Some(b) => Ids::Le(b),
            None => {
                self.hurt(|| "an entry's lists lie outside them".into());
                Ids::EMPTY
            }
        }
    }

    fn own_text(&self, e: &Head) -> &[u8] {
        let (s, n) = (e.text.start as usize, e.text.len as usize);
        let Some(bytes) = self.section(Section::OwnText).get(s..s + n) else {
            self.hurt(|| "an entry's text lies outside the long texts".into());
            return &[];
        };
        if !self.blocks_good(s, s + n) {
            return &[];
        }
        bytes
    }

    fn own_patches(&self, e: &Head) -> Cow<'_, [Patch]> {
        Cow::Owned(self.patches(Section::OwnPatches, e.text.patches, e.text.patch_count))
    }

    fn seq(&self) -> u64 {
        self.seq
    }

    fn version(&self) -> u64 {
        self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Request;

    const FINGERPRINT: u64 = 0x1234_5678;
    const STAMP: u64 = 42;

    fn saved() -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search-index");
        let index = crate::search::test_index();
        let stamps = Stamps {
            fingerprint: FINGERPRINT,
            stamp: STAMP,
        };
        crate::sys::write_replacing_with(&path, 0o600, |f| {
            write(&index, &stamps, f, tempfile::tempfile()?)
        })
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        (dir, path, bytes)
    }

    fn open_bytes(path: &Path, bytes: &[u8]) -> Result<Mapped, Refused> {
        std::fs::write(path, bytes).unwrap();
        Mapped::open(path, FINGERPRINT, STAMP)
    }

    const QUERIES: &[&str] = &[
        "a",
        "xq",
        "vouch fair",
        "pecs",
        "m: badajoz",
        "\"study visit\"",
        "s:",
        "digital !online",
        "Mar",
        "ecomm",
    ];

    /// Every query, all results: must not panic whatever the file holds.
    fn search_all(m: &Mapped) -> Vec<crate::search::Results> {
        QUERIES
            .iter()
            .map(|q| m.search(&Request::new(*q).limit(usize::MAX).with_ids()))
            .collect()
    }

    fn section_range(bytes: &[u8], s: Section) -> (usize, usize) {
        let at = 48 + s as usize * 20;
        (u64_at(bytes, at) as usize, u64_at(bytes, at + 8) as usize)
    }

    /// Writes every checksum of a file anew, as a forger would: the checks that are left are
    /// the bounds, the UTF-8 and the patches.
    fn reseal(bytes: &mut [u8]) {
        let (text_at, text_len) = section_range(bytes, Section::OwnText);
        let (blocks_at, _) = section_range(bytes, Section::OwnBlocks);
        let crcs: Vec<u32> = bytes[text_at..text_at + text_len]
            .chunks(BLOCK)
            .map(crc32fast::hash)
            .collect();
        for (i, c) in crcs.iter().enumerate() {
            bytes[blocks_at + 4 * i..blocks_at + 4 * i + 4].copy_from_slice(&c.to_le_bytes());
        }
        for s in SECTIONS {
            let (at, len) = section_range(bytes, s);
            let crc = crc32fast::hash(&bytes[at..at + len]);
            let place = 48 + s as usize * 20 + 16;
            bytes[place..place + 4].copy_from_slice(&crc.to_le_bytes());
        }
        let crc = crc32fast::hash(&bytes[..HEADER - 4]);
        bytes[HEADER - 4..HEADER].copy_from_slice(&crc.to_le_bytes());
    }

    #[test]
    fn a_saved_index_answers_as_the_index_it_was_written_from() {
        let (_dir, path, _) = saved();
        let index = crate::search::test_index();
        let mapped = Mapped::open(&path, FINGERPRINT, STAMP).unwrap();
        assert_eq!(mapped.len(), index.len());
        for q in QUERIES {
            let request = Request::new(*q).with_ids();
            let (a, b) = (mapped.search(&request), index.search(&request));
            assert_eq!((a.total, &a.hits), (b.total, &b.hits), "{q}");
            assert_eq!(a.matched.len(), b.matched.len(), "{q}");
        }
        assert_eq!(mapped.damage(), None);
        assert_eq!(
            Mapped::open(&path, FINGERPRINT, STAMP + 1).unwrap_err(),
            Refused::Stale
        );
        assert_eq!(
            Mapped::open(&path, FINGERPRINT + 1, STAMP).unwrap_err(),
            Refused::Stale
        );
        assert_eq!(
            Mapped::open(&path.with_extension("missing"), FINGERPRINT, STAMP).unwrap_err(),
            Refused::Missing
        );
    }

    #[test]
    fn an_index_written_by_another_version_is_out_of_date_not_damaged() {
        let (_dir, path, good) = saved();
        let mut older = good.clone();
        older[7] = b'6';
        assert_eq!(open_bytes(&path, &older).unwrap_err(), Refused::Stale);
        older[..8].copy_from_slice(b"SOMETHIN");
        assert!(matches!(
            open_bytes(&path, &older).unwrap_err(),
            Refused::Damaged(_)
        ));
    }

    #[test]
    fn a_file_cut_short_is_refused_at_any_length() {
        let (_dir, path, good) = saved();
        let mut cuts: Vec<usize> = vec![0, 1, 7, 8, HEADER - 1, HEADER, good.len() - 1];
        for s in SECTIONS {
            let (at, len) = section_range(&good, s);
            cuts.extend([at, at + 1, at + len / 2, (at + len).saturating_sub(1)]);
        }
        for cut in cuts.into_iter().filter(|c| *c < good.len()) {
            match open_bytes(&path, &good[..cut]) {
                Err(Refused::Damaged(_)) => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_changed_byte_anywhere_is_caught() {
        let (_dir, path, good) = saved();
        let (text_at, text_len) = section_range(&good, Section::OwnText);
        let step = (good.len() / 1500).max(1);
        for at in (0..HEADER).chain((HEADER..good.len()).step_by(step)) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            match open_bytes(&path, &bad) {
                Err(Refused::Damaged(_)) => {}
                // The header's stamps are under its checksum too.
                Err(other) => panic!("byte {at}: {other:?}"),
                Ok(m) => {
                    // Only the long texts are checked as they are read (or padding, unused).
                    let in_text = (text_at..text_at + text_len).contains(&at);
                    let results = search_all(&m);
                    if in_text {
                        assert!(m.damage().is_some(), "byte {at} of the long texts");
                    } else {
                        assert_eq!(m.damage(), None, "byte {at}");
                        assert!(!results.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn a_forged_file_with_good_checksums_cannot_make_a_search_panic() {
        let (_dir, path, good) = saved();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let targets = [
            Section::Slots,
            Section::Lists,
            Section::DictSlots,
            Section::DictPatches,
            Section::OwnPatches,
            Section::DictText,
            Section::OwnText,
            Section::Ids,
        ];
        let mut opened = 0;
        for round in 0..300 {
            let mut bad = good.clone();
            let s = targets[round % targets.len()];
            let (at, len) = section_range(&bad, s);
            if len == 0 {
                continue;
            }
            for _ in 0..1 + next() % 4 {
                let i = at + (next() as usize) % len;
                bad[i] = match next() % 4 {
                    0 => 0xff,
                    1 => 0,
                    2 => 0x80,
                    _ => next() as u8,
                };
            }
            reseal(&mut bad);
            if let Ok(m) = open_bytes(&path, &bad) {
                opened += 1;
                search_all(&m);
                for slot in 0..m.slot_count() as u32 + 2 {
                    if let Some(e) = m.head(slot) {
                        m.id_of(&e);
                        m.title_of(&e);
                    }
                }
            }
        }
        assert!(opened > 150, "only {opened} forged files opened");
    }

    #[test]
    fn a_link_or_a_fifo_is_not_opened() {
        let (dir, path, _) = saved();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert!(matches!(
            Mapped::open(&link, FINGERPRINT, STAMP),
            Err(Refused::Damaged(_))
        ));
        let fifo = dir.path().join("fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        assert!(matches!(
            Mapped::open(&fifo, FINGERPRINT, STAMP),
            Err(Refused::Damaged(_))
        ));
    }
}
