//! The index saved next to the database, so that a one-shot `taskforce search` need not read
//! and index every record each time.
//!
//! The file names the state of the store it was built from — a [`stamp`] of the sequence number,
//! the time of the last commit and the schema version — and the program that wrote it (its format,
//! its fields, and the executable itself: size and modification time, so that any rebuild, which
//! may fold or extract text differently, starts afresh). It is used only while all of these still
//! hold (any commit makes it stale) and only while its checksums hold. Anything else, a damaged
//! file included, means "no cache": the index is built from the store and the file written again.
//!
//! The file is used in place, memory-mapped, so that a search reads only what its query touches:
//! its layout and its checks are in [`super::mapped`].
//!
//! The caller holds the store open while it reads and writes the file: sled's lock on the
//! directory keeps every other process from committing meanwhile.

use std::path::Path;

use super::dict;
use super::fields;
use super::index::Index;
pub use super::mapped::Mapped;
use crate::model::Kind;

/// The file's name inside the database directory.
pub const FILE: &str = "search-index";

/// The layout of the file; bump when it changes.
const FORMAT: u32 = 7;

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

/// Why no saved index was used.
pub use super::mapped::Refused;

/// Writes the index of a store in state `stamp` to `path`, section by section (through a
/// temporary file renamed over it: nothing planted in the directory is followed or written
/// through), in the layout that [`open`] uses in place.
pub fn save(index: &Index, path: &Path, stamp: u64) -> std::io::Result<()> {
    let stamps = stamps(stamp)?;
    crate::sys::write_replacing_with(path, 0o660, |file| {
        let scratch = crate::sys::scratch_file_beside(path)?;
        super::mapped::write(index, &stamps, file, scratch)
    })
}

/// Builds the index of every record `each` streams (as [`Index::from_stream`] does, `each`
/// called twice) straight into the file at `path`, for a store in state `stamp` whose last
/// commit is `seq`, as [`save`] writes it: the entries' own texts, most of the file, are
/// written as they are folded and never held together (see [`super::mapped::Writer`]).
/// `Err` is what `each` failed with; `Ok(Err)` says why the file could not be written.
pub fn build_into<E>(
    each: impl FnMut(&mut dyn FnMut(crate::model::Record)) -> Result<(), E>,
    seq: u64,
    path: &Path,
    stamp: u64,
) -> Result<std::io::Result<()>, E> {
    let mut unread = None;
    let written = stamps(stamp).and_then(|stamps| {
        crate::sys::write_replacing_with(path, 0o660, |file| {
            let scratch = crate::sys::scratch_file_beside(path)?;
            let mut writer = super::mapped::Writer::new(file, scratch)?;
            match Index::from_stream_into(each, &mut writer) {
                Ok(mut index) => {
                    index.set_seq(seq);
                    writer.finish(&index, &stamps)
                }
                Err(e) => {
                    unread = Some(e);
                    Err(std::io::Error::other("the records could not be read"))
                }
            }
        })
    });
    match unread {
        Some(e) => Err(e),
        None => Ok(written),
    }
}

fn stamps(stamp: u64) -> std::io::Result<super::mapped::Stamps> {
    let fingerprint = fingerprint()
        .ok_or_else(|| std::io::Error::other("the running executable cannot be identified"))?;
    Ok(super::mapped::Stamps { fingerprint, stamp })
}

/// The index saved at `path`, used in place, if it was written for a store in state `stamp` by
/// this executable and its header and tables are intact (its long texts are checked as a search
/// reads them: see [`Mapped::damage`]).
pub fn open(path: &Path, stamp: u64) -> Result<Mapped, Refused> {
    let fingerprint = fingerprint().ok_or(Refused::Stale)?;
    Mapped::open(path, fingerprint, stamp)
}

/// [`open`] for whatever state of the store the file was written for, so that a search can
/// start before the store is open: its results may be used only once
/// [`Mapped::written_for`] is found to be the store's [`stamp`].
pub fn open_any(path: &Path) -> Result<Mapped, Refused> {
    let fingerprint = fingerprint().ok_or(Refused::Stale)?;
    Mapped::open_any(path, fingerprint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Request;

    fn index() -> Index {
        crate::search::test_index()
    }

    #[test]
    fn a_saved_index_is_used_while_the_store_has_not_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let index = index();
        let at = stamp(index.seq(), Some("2025-01-01T00:00:00Z"), 1);
        save(&index, &path, at).unwrap();
        let back = open(&path, at).expect("the saved index opens");
        assert_eq!(back.len(), index.len());
        for q in ["vouch fair", "pecs", "m: badajoz", "\"study visit\"", "s:"] {
            let (a, b) = (
                back.search(&Request::new(q)),
                index.search(&Request::new(q)),
            );
            assert_eq!((a.total, a.hits), (b.total, b.hits), "{q}");
        }
        // Another sequence number, another history that reached the same number, another
        // schema: stale.
        let stale = |at| matches!(open(&path, at), Err(Refused::Stale));
        assert!(stale(stamp(
            index.seq() + 1,
            Some("2025-01-01T00:00:00Z"),
            1
        )));
        assert!(stale(stamp(index.seq(), Some("2025-01-01T00:00:01Z"), 1)));
        assert!(stale(stamp(index.seq(), Some("2025-01-01T00:00:00Z"), 2)));
        assert!(matches!(
            open(&dir.path().join("missing"), at),
            Err(Refused::Missing)
        ));
    }

    fn generated(n: usize) -> Vec<crate::model::Record> {
        crate::generate::generate(n, 1)
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    }

    /// The file built as the records stream (own texts written as they are folded) is, byte
    /// for byte, the file written from the index built whole in memory; and nothing else is
    /// left in the directory (the scratch file of patches has no name).
    #[test]
    fn a_file_built_from_a_stream_is_the_file_of_the_index_built_in_memory() {
        let records = generated(20_000);
        let stream = |sink: &mut dyn FnMut(crate::model::Record)| {
            records.iter().cloned().for_each(&mut *sink);
            Ok::<(), ()>(())
        };
        let dir = tempfile::tempdir().unwrap();
        let (streamed, whole) = (dir.path().join(FILE), dir.path().join("whole"));
        build_into(stream, 9, &streamed, 5).unwrap().unwrap();
        let mut index = Index::from_stream(stream).unwrap();
        index.set_seq(9);
        save(&index, &whole, 5).unwrap();
        let (a, b) = (
            std::fs::read(&streamed).unwrap(),
            std::fs::read(&whole).unwrap(),
        );
        assert!(a.len() > 20 << 20, "{} bytes", a.len());
        assert!(
            a == b,
            "the files differ ({} and {} bytes)",
            a.len(),
            b.len()
        );
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["search-index", "whole"]);
        let mapped = open(&streamed, 5).unwrap();
        assert_eq!(mapped.seq(), 9);
        for q in ["a", "xq", "\"trade fair\"", "maribor"] {
            let request = Request::new(q).limit(50).with_ids();
            let (a, b) = (mapped.search(&request), index.search(&request));
            assert_eq!((a.total, a.hits), (b.total, b.hits), "{q}");
        }
        // A stream that fails leaves no file (and says so).
        let failing = |sink: &mut dyn FnMut(crate::model::Record)| {
            records.iter().take(10).cloned().for_each(&mut *sink);
            Err::<(), &str>("unreadable")
        };
        let gone = dir.path().join("gone");
        assert_eq!(build_into(failing, 9, &gone, 5).unwrap_err(), "unreadable");
        assert!(!gone.exists());
    }

    /// What a build holds of the entries' own texts does not grow with them: what is buffered
    /// on its way to the file stays under two buffers while tens of megabytes go through.
    #[test]
    fn a_streamed_build_holds_no_more_own_text_than_its_buffers() {
        use super::super::arena::Arena;
        use super::super::index::{Entry, OwnTexts};
        use super::super::mapped::Writer;

        struct Watched<'w, 'f> {
            writer: &'w mut Writer<'f>,
            given: usize,
            most_held: usize,
        }
        impl OwnTexts for Watched<'_, '_> {
            fn append(&mut self, piece: &Arena, entries: &[(u32, Entry)]) -> (u32, u32) {
                let at = self.writer.append(piece, entries);
                self.given += piece.text.len();
                self.most_held = self.most_held.max(self.writer.own_bytes_held());
                at
            }
        }
        let records = generated(20_000);
        let mut file = tempfile::tempfile().unwrap();
        let mut writer = Writer::new(&mut file, tempfile::tempfile().unwrap()).unwrap();
        let mut watched = Watched {
            writer: &mut writer,
            given: 0,
            most_held: 0,
        };
        Index::from_stream_into(
            |sink: &mut dyn FnMut(crate::model::Record)| {
                records.iter().cloned().for_each(&mut *sink);
                Ok::<(), ()>(())
            },
            &mut watched,
        )
        .unwrap();
        let (given, most_held) = (watched.given, watched.most_held);
        assert!(given > 20 << 20, "{given} bytes of own text");
        assert!(most_held <= 2 << 20, "{most_held} bytes held of {given}");
    }

    #[test]
    fn a_damaged_file_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let index = index();
        save(&index, &path, 0).unwrap();
        let good = std::fs::read(&path).unwrap();
        for at in [0, 9, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x40;
            std::fs::write(&path, &bad).unwrap();
            assert!(
                matches!(open(&path, 0), Err(Refused::Damaged(_))),
                "byte {at} changed"
            );
        }
        std::fs::write(&path, &good[..good.len() - 100]).unwrap();
        assert!(
            matches!(open(&path, 0), Err(Refused::Damaged(_))),
            "cut short"
        );
        std::fs::write(&path, b"").unwrap();
        assert!(matches!(open(&path, 0), Err(Refused::Damaged(_))), "empty");
        std::fs::write(&path, &good).unwrap();
        assert!(open(&path, 0).is_ok());
    }
}
