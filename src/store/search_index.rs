//! The search index saved beside a store, kept usable as the store changes: the file is used in
//! place as it was written, with the records changed since then (read from the audit log)
//! indexed in memory beside it ([`Live`]). It is built again, and saved, only when there is
//! no file, it is damaged, it belongs to another history or program, or the changes since have
//! grown past what is worth carrying (or cannot be told: an import of many records lists none).
//!
//! Used by whoever holds the store: a one-shot `taskforce search` that opened it directly, and
//! the server, which answers its clients' searches with it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockWriteGuard};

use super::{Store, StoreError};
use crate::model::{Kind, Record};
use crate::search::live::{Changed, Records};
use crate::search::{Index, Live, Request, Results, cache};

/// Records changed since the file was written that are read from the audit log at most; past
/// them, building the index again is cheaper.
const MAX_CHANGES: usize = 20_000;

/// An index of the store as it is now.
pub enum Searchable {
    /// The saved file and the changes since.
    Saved(Box<Live>),
    /// Built in memory, when the file could not be written.
    Built(Box<Index>),
}

impl Searchable {
    pub fn search(&self, request: &Request) -> Results {
        match self {
            Searchable::Saved(live) => live.search(request),
            Searchable::Built(index) => index.search(request),
        }
    }

    /// The state of the store the index is current with.
    fn seq(&self) -> u64 {
        match self {
            Searchable::Saved(live) => live.seq(),
            Searchable::Built(index) => index.seq(),
        }
    }

    fn damage(&self) -> Option<&str> {
        match self {
            Searchable::Saved(live) => live.damage(),
            Searchable::Built(_) => None,
        }
    }
}

/// The index a server's searches share. Searches on the index while it is current run at once,
/// each on its own thread, without waiting for one another; bringing it up to date after a
/// commit (or building it) is one search's job at a time, and the searches that come meanwhile
/// wait for it — so a search never answers from an index older than the store it asked.
#[derive(Default)]
pub struct SharedIndex {
    current: RwLock<Option<Arc<Searchable>>>,
    updating: Mutex<()>,
}

impl SharedIndex {
    /// Runs a request on the index of `store` as it is now (see [`search`]).
    pub fn search(
        &self,
        store: &Store,
        request: &Request,
        said: &mut dyn FnMut(String),
    ) -> Result<Results, StoreError> {
        let index = self.current(store, said)?;
        let results = index.search(request);
        if let Some(why) = index.damage() {
            said(format!(
                "the saved search index {} is damaged ({why}); rebuilding it",
                path(store).display()
            ));
            let _turn = lock(&self.updating);
            let rebuilt = Arc::new(rebuild(store, said)?);
            *write(&self.current) = Some(Arc::clone(&rebuilt));
            return Ok(rebuilt.search(request));
        }
        Ok(results)
    }

    /// The index, current with the store as it is now.
    fn current(
        &self,
        store: &Store,
        said: &mut dyn FnMut(String),
    ) -> Result<Arc<Searchable>, StoreError> {
        let now = store.seq()?;
        if let Some(index) = self.current_at(now) {
            return Ok(index);
        }
        let _turn = lock(&self.updating);
        // Another search may have brought it up to date while this one waited.
        if let Some(index) = self.current_at(now) {
            return Ok(index);
        }
        // Taken in place when no search runs on it; otherwise the saved file is read afresh.
        let held = write(&self.current)
            .take()
            .and_then(|index| Arc::try_unwrap(index).ok());
        let (index, _) = current(store, held, said)?;
        let index = Arc::new(index);
        *write(&self.current) = Some(Arc::clone(&index));
        Ok(index)
    }

    fn current_at(&self, seq: u64) -> Option<Arc<Searchable>> {
        let held = self.current.read().unwrap_or_else(PoisonError::into_inner);
        held.as_ref()
            .filter(|index| index.seq() == seq && index.damage().is_none())
            .map(Arc::clone)
    }
}

fn lock(mutex: &Mutex<()>) -> MutexGuard<'_, ()> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// How the index was made current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// As it was (no change since), or with the changes since taken in: this many records.
    CaughtUp(usize),
    /// Built from every record (and saved unless said otherwise).
    Rebuilt,
}

/// Runs a request on the index of `store` as it is now, made current from `held` (which keeps
/// it for the next search); a file found damaged as it is read is built again, and the request
/// run on that.
pub fn search(
    store: &Store,
    held: &mut Option<Searchable>,
    request: &Request,
    said: &mut dyn FnMut(String),
) -> Result<Results, StoreError> {
    let (index, _) = current(store, held.take(), said)?;
    let results = index.search(request);
    if let Searchable::Saved(live) = &index
        && let Some(why) = live.damage()
    {
        said(format!(
            "the saved search index {} is damaged ({why}); rebuilding it",
            path(store).display()
        ));
        let rebuilt = rebuild(store, said)?;
        let results = rebuilt.search(request);
        *held = Some(rebuilt);
        return Ok(results);
    }
    *held = Some(index);
    Ok(results)
}

/// Where the index of a store is saved.
pub fn path(store: &Store) -> PathBuf {
    store.path().join(cache::FILE)
}

/// The state of the store as the saved file names it (see [`cache::stamp`]).
pub fn stamp(store: &Store) -> Result<u64, StoreError> {
    stamp_at(store, store.seq()?)
}

fn stamp_at(store: &Store, seq: u64) -> Result<u64, StoreError> {
    let at = store.audit_entry(seq)?.map(|e| e.at.to_string());
    Ok(cache::stamp(seq, at.as_deref(), store.schema_version()?))
}

/// The index of `store` as it is now: `held` (an index made earlier by this process) or the
/// saved file brought up to date, else built from every record and saved. `said` hears what
/// went wrong with the file (it is then built again).
pub fn current(
    store: &Store,
    held: Option<Searchable>,
    said: &mut dyn FnMut(String),
) -> Result<(Searchable, Freshness), StoreError> {
    match held {
        Some(Searchable::Saved(mut live)) => {
            if let Some(n) = catch_up(&mut live, store)? {
                return Ok((Searchable::Saved(live), Freshness::CaughtUp(n)));
            }
        }
        // Kept in memory (the file could not be written): good while nothing changed.
        Some(Searchable::Built(index)) if index.seq() == store.seq()? => {
            return Ok((Searchable::Built(index), Freshness::CaughtUp(0)));
        }
        _ => {}
    }
    if let Some((live, n)) = saved(store, said)? {
        return Ok((Searchable::Saved(Box::new(live)), Freshness::CaughtUp(n)));
    }
    rebuild(store, said).map(|s| (s, Freshness::Rebuilt))
}

/// The saved file brought up to the store's state, with how many records changed since it was
/// written; `None` when there is no usable file or the changes are not worth carrying.
pub fn saved(
    store: &Store,
    said: &mut dyn FnMut(String),
) -> Result<Option<(Live, usize)>, StoreError> {
    let file = path(store);
    match cache::open_any(&file) {
        Ok(mapped) if mapped.written_for() == stamp_at(store, mapped.seq())? => {
            let mut live = Live::new(mapped);
            Ok(catch_up(&mut live, store)?.map(|n| (live, n)))
        }
        Ok(_) | Err(cache::Refused::Stale | cache::Refused::Missing) => Ok(None),
        Err(refused) => {
            said(format!(
                "the saved search index {} is not usable ({refused}); rebuilding it",
                file.display()
            ));
            Ok(None)
        }
    }
}

/// Builds the index from every record into its file, and uses the file; when the file cannot
/// be written, the index is built again in memory and kept there (and `said` hears why).
pub fn rebuild(store: &Store, said: &mut dyn FnMut(String)) -> Result<Searchable, StoreError> {
    let seq = store.seq()?;
    let stamp = stamp_at(store, seq)?;
    let file = path(store);
    // This process holds the database, so no other is writing the file now: what an earlier
    // build that was killed left behind goes.
    let _ = crate::sys::remove_leftovers_of(&file);
    let saved = cache::build_into(|sink| store.each_record(sink), seq, &file, stamp)?
        .map_err(|e| e.to_string())
        .and_then(|()| cache::open(&file, stamp).map_err(|e| e.to_string()));
    crate::sys::release_free_memory();
    match saved {
        Ok(mapped) => Ok(Searchable::Saved(Box::new(Live::new(mapped)))),
        Err(why) => {
            said(format!(
                "could not save the search index at {}: {why}",
                file.display()
            ));
            let index = build(store)?;
            Ok(Searchable::Built(Box::new(index)))
        }
    }
}

/// The index of every record, built in memory from the store a few thousand records at a time
/// (never every record in memory at once). Commits made while it is built are taken in later,
/// from the audit log, like any after it.
pub fn build(store: &Store) -> Result<Index, StoreError> {
    let seq = store.seq()?;
    let mut index = Index::from_stream(|sink| store.each_record(sink))?;
    index.set_seq(seq);
    Ok(index)
}

/// Takes the commits since `live` was current into it: `Some(records changed since its file was
/// written)`, or `None` when that cannot be told or is more than is worth carrying.
fn catch_up(live: &mut Live, store: &Store) -> Result<Option<usize>, StoreError> {
    let now = store.seq()?;
    if now < live.seq() || live.damage().is_some() {
        return Ok(None);
    }
    if now > live.seq() {
        let Some(changes) = store.changed_since(live.seq(), MAX_CHANGES)? else {
            return Ok(None);
        };
        live.update(changes, now, &Current(store));
        if live.worth_rebuilding() {
            return Ok(None);
        }
    }
    Ok(Some(live.changes()))
}

/// The store's records as they are now, for the index.
struct Current<'a>(&'a Store);

impl Records for Current<'_> {
    fn record(&self, kind: Kind, id: &str) -> Option<Record> {
        // A record that cannot be read is left out of the index, as a load leaves it out.
        self.0.get(kind, id).ok().flatten().map(|row| row.record)
    }

    fn referrers(&self, kind: Kind, id: &str) -> Vec<(Kind, String)> {
        self.0
            .referrers(kind, id)
            .unwrap_or_default()
            .into_iter()
            .map(|(kind, id, _)| (kind, id))
            .collect()
    }
}

impl Store {
    /// Every stored record that decodes, kind by kind in key order, one at a time (those that
    /// do not are left out, as a load leaves them out).
    pub fn each_record(&self, sink: &mut dyn FnMut(Record)) -> Result<(), StoreError> {
        for kind in Kind::ALL {
            for item in super::scan(self.tree(*kind)) {
                let (key, value) = item?;
                if let Ok(row) = super::decode_stored(*kind, &key, &value) {
                    sink(row.record);
                }
            }
        }
        Ok(())
    }

    /// The records changed by the commits after `seq`, each with its version as of `seq`:
    /// `None` when a commit does not list them (an import of many records), when one is an
    /// erasure (an index written before it may hold the erased data) or when there are more
    /// than `limit`.
    pub fn changed_since(
        &self,
        seq: u64,
        limit: usize,
    ) -> Result<Option<Vec<Changed>>, StoreError> {
        let mut out = Vec::new();
        for item in self.audit_tree().range((seq + 1).to_be_bytes()..) {
            let (key, value) = item?;
            let entry = super::codec::decode::<super::AuditEntry>(&value).map_err(|message| {
                StoreError::Corrupt {
                    tree: "audit".into(),
                    key: super::seq_of(&key).to_string(),
                    message,
                }
            })?;
            // An erasure: the file may hold the person's data, and is built again.
            if entry.changes.is_empty()
                || matches!(entry.command, Some(crate::model::Command::Erase { .. }))
            {
                return Ok(None);
            }
            for c in entry.changes {
                out.push(Changed {
                    kind: c.kind,
                    id: c.id,
                    before: c.before.map(|row| row.record),
                });
            }
            if out.len() > limit {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }
}

/// The workbench's searches on a store it holds: the saved index and the changes since, made
/// current before each search (a commit costs nothing until then).
pub struct StoreSource {
    store: std::sync::Arc<Store>,
    held: Option<Searchable>,
}

impl StoreSource {
    pub fn new(store: std::sync::Arc<Store>) -> StoreSource {
        StoreSource { store, held: None }
    }
}

impl crate::search::Source for StoreSource {
    fn search(
        &mut self,
        request: &Request,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results> {
        if cancelled() {
            return None;
        }
        // A store that cannot be read finds nothing (the workbench says what is wrong when it
        // next reads it), so that nothing waits for an answer that will not come.
        let mut results =
            search(&self.store, &mut self.held, request, &mut |_| {}).unwrap_or_else(|_| Results {
                request_query: request.query.clone(),
                ..Results::default()
            });
        // Results of a newer state of the store replace those of an older one.
        results.index_version = results.seq;
        (!cancelled()).then_some(results)
    }

    fn apply(&mut self, _: &crate::model::Committed) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::fixtures::Bundle;
    use crate::model::{Actor, Command};

    fn seeded() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        crate::fixtures::seed(&store, &Actor::user("ana"), Bundle::Real).unwrap();
        (dir, store)
    }

    /// The index is built into its file and searched there; where the file cannot be written,
    /// it is built in memory instead, says why, and answers the same.
    #[test]
    fn an_index_that_cannot_be_saved_is_kept_in_memory() {
        let (_dir, store) = seeded();
        let request = Request::new("maribor").limit(10).with_ids();
        let mut heard = Vec::new();
        let saved = rebuild(&store, &mut |m| heard.push(m)).unwrap();
        assert!(matches!(saved, Searchable::Saved(_)), "{heard:?}");
        assert!(heard.is_empty(), "{heard:?}");
        let expected = saved.search(&request);
        assert!(expected.total > 0);
        // Something that is not a file stands where the index goes: it cannot be replaced.
        std::fs::remove_file(path(&store)).unwrap();
        std::fs::create_dir(path(&store)).unwrap();
        std::fs::write(path(&store).join("planted"), b"x").unwrap();
        let before: Vec<_> = std::fs::read_dir(store.path()).unwrap().collect();
        let built = rebuild(&store, &mut |m| heard.push(m)).unwrap();
        assert!(matches!(built, Searchable::Built(_)));
        assert_eq!(heard.len(), 1, "{heard:?}");
        assert!(heard[0].contains("could not save"), "{heard:?}");
        let found = built.search(&request);
        assert_eq!((found.total, found.hits), (expected.total, expected.hits));
        // Nothing was left behind (no temporary file, no scratch file).
        let after: Vec<_> = std::fs::read_dir(store.path()).unwrap().collect();
        assert_eq!(after.len(), before.len());
    }

    /// A build killed halfway (a search interrupted with Ctrl-C) leaves its temporary file; the
    /// next build removes it, and nothing else: not a link planted under such a name's target,
    /// nor other files.
    #[test]
    fn what_a_killed_build_left_behind_goes_with_the_next_build() {
        let (dir, store) = seeded();
        let leftover = store.path().join(format!(".{}.Ab12Cd.tmp", cache::FILE));
        std::fs::write(&leftover, vec![7u8; 4096]).unwrap();
        let target = dir.path().join("someone-elses");
        std::fs::write(&target, b"kept").unwrap();
        let link = store.path().join(format!(".{}.Zz99Yy.tmp", cache::FILE));
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let other = store.path().join(format!(".{}.notes", cache::FILE));
        std::fs::write(&other, b"kept").unwrap();
        let saved = rebuild(&store, &mut |_| {}).unwrap();
        assert!(matches!(saved, Searchable::Saved(_)));
        assert!(!leftover.exists());
        assert!(link.symlink_metadata().is_err(), "the link itself goes");
        assert_eq!(std::fs::read(&target).unwrap(), b"kept");
        assert_eq!(std::fs::read(&other).unwrap(), b"kept");
        assert!(path(&store).exists());
    }

    #[test]
    fn a_search_on_the_current_index_does_not_wait_for_one_bringing_it_up_to_date() {
        let (_dir, store) = seeded();
        let shared = SharedIndex::default();
        let request = Request::new("maribor").limit(10);
        let first = shared.search(&store, &request, &mut |_| {}).unwrap();
        assert!(first.total > 0);
        // Another search holds the turn to bring the index up to date (or to build it).
        let turn = lock(&shared.updating);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let answer = shared.search(&store, &request, &mut |_| {});
                tx.send(answer.map(|r| r.total)).unwrap();
            });
            let answered = rx.recv_timeout(Duration::from_secs(30));
            drop(turn);
            assert_eq!(answered.expect("answered at once").unwrap(), first.total);
        });
    }

    #[test]
    fn searches_at_once_after_commits_answer_from_the_store_as_it_is() {
        let (_dir, store) = seeded();
        let shared = SharedIndex::default();
        let word = |n: usize| format!("zqxword{n}");
        for n in 0..4 {
            // A practice renamed: every search after the commit finds it by its new name.
            let mut row = store
                .load()
                .unwrap()
                .0
                .rows(Kind::Practice)
                .nth(n)
                .unwrap()
                .clone();
            if let Record::Practice(p) = &mut row.record {
                p.title = format!("{} {}", p.title, word(n));
            }
            store
                .apply(
                    &Actor::user("ana"),
                    Command::Put {
                        record: row.record,
                        expected_rev: Some(row.rev),
                    },
                )
                .unwrap();
            let request = Request::new(word(n)).limit(5);
            let expected = Index::build(&store.load().unwrap().0).search(&request);
            assert!(expected.total > 0);
            std::thread::scope(|scope| {
                let searches: Vec<_> = (0..4)
                    .map(|_| {
                        scope.spawn(|| {
                            let found = shared.search(&store, &request, &mut |_| {}).unwrap();
                            (found.total, found.hits)
                        })
                    })
                    .collect();
                for s in searches {
                    assert_eq!(
                        s.join().unwrap(),
                        (expected.total, expected.hits.clone()),
                        "{}",
                        word(n)
                    );
                }
            });
        }
    }
}
