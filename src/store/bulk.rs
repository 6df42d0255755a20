//! Imports of any size, in bounded memory and all or nothing.
//!
//! An import is fed one record at a time ([`BulkImport::add`]) and never held whole: each record
//! is normalised, compared with the stored one (`--on-conflict`), stamped and checked for who may
//! write it, and appended to a staging file in the database directory; what stays in memory is
//! a compact id table (kind and id → where the record sits in the file and in the import file)
//! and two small indexes (the vouchers of each SME, the scores of each session) for the rules
//! that span records. [`BulkImport::finish`] then reads the staging file once to check every
//! record against the store and the file's own records together, and writes it:
//!
//! - an import of at most [`TRANSACTION_LIMIT`] records in one sled transaction, with a full
//!   audit entry (its changes can be undone one by one), as every other change;
//! - a larger one under a pending-import marker: the staging file is synced, the marker
//!   (`meta/pending_import`, naming the file, its size and the change's number) is written and
//!   flushed, the records are written in batches, flushed, and the marker is removed. Opening the
//!   store completes an import whose marker it finds ([`recover`]) and deletes staging files
//!   without one, so a crash or `kill -9` at any moment leaves the database without the import
//!   or with all of it. sled transactions are not used there: over hundreds of thousands of
//!   records they are what ran out of memory. Its audit entry is a summary (who, when, how many,
//!   from where); it cannot be undone record by record, and `undo` says so.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::{
    AuditEntry, CommandError, META_COUNTS, META_SEQ, Planned, Roles, Store, StoreError, codec,
    decode_counts, decode_row, encode_counts, ref_key, stamp,
};
use crate::model::*;

/// Imports of up to this many records are written in one transaction with a full audit entry
/// (undoable record by record); larger ones through the staging file and its marker.
pub const TRANSACTION_LIMIT: usize = super::MAX_AUDITED_IMPORT;

/// Broken rules kept at most (the rest are counted): a file of a million bad records is refused
/// without a million messages in memory.
pub const MAX_ERRORS: usize = 10_000;

/// Names kept at most in each list of a dry run's forecast (the counts are exact).
const MAX_NAMES: usize = 50;

/// The records written between two flushes while a large import is applied.
const FLUSH_EVERY: u64 = 50_000;

/// Decoded staged records kept for the cross-record rules (schemes, sessions and projects are
/// looked up again and again).
const CACHE_RECORDS: usize = 4096;

const NOT_STAGED: u64 = u64::MAX;
const META_PENDING: &[u8] = b"pending_import";
const STAGING_PREFIX: &str = "import-";
const STAGING_SUFFIX: &str = ".staging";

/// Where a record sits in the import file: its position in its section, and its first line
/// (0 when unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub index: u32,
    pub line: u32,
}

/// How many records of a kind an import adds, replaces, leaves as they are or finds in its way.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub new: usize,
    /// Stored records the file changes (`--on-conflict replace`).
    pub replaced: usize,
    /// Stored records the file holds unchanged (left out, as the import leaves them out).
    pub unchanged: usize,
    /// Stored records kept as they are (`--on-conflict skip`).
    pub skipped: usize,
    /// Stored records that refuse the import (`--on-conflict fail`, the default).
    pub in_the_way: usize,
}

/// What an import does (or, in a dry run, would do), kind by kind.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Forecast {
    pub counts: BTreeMap<Kind, Counts>,
    /// The first stored records replaced, as "kind 'id'" (the counts say how many in all).
    pub replaced: Vec<String>,
    /// The first stored records in the way (`--on-conflict fail`).
    pub conflicts: Vec<String>,
}

impl Forecast {
    pub fn total(&self, field: fn(&Counts) -> usize) -> usize {
        self.counts.values().map(field).sum()
    }
}

/// How an import goes.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub on_conflict: OnConflict,
    /// Where the records come from, for the audit log ("all.json").
    pub source: String,
    /// Check everything, write nothing, and say what would happen.
    pub dry_run: bool,
}

/// A broken rule and the place of the record that breaks it, when known.
pub type Located = (FieldError, Option<Place>);

/// Why an import was refused (nothing was written), with the place of each record named in
/// an `Invalid` error (in the same order).
#[derive(Debug)]
pub struct Refusal {
    pub error: CommandError,
    pub places: Vec<Option<Place>>,
}

impl From<CommandError> for Refusal {
    fn from(error: CommandError) -> Refusal {
        Refusal {
            error,
            places: Vec::new(),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        CommandError::Store(e).into()
    }
}

/// What an import did.
#[derive(Debug)]
pub enum Imported {
    Committed(Committed, Forecast),
    /// A dry run: what would happen, and the rules the records would break.
    DryRun(Forecast, Vec<Located>, usize),
}

/// The marker of an import being written: what [`recover`] needs to complete it.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    /// The staging file's name inside the database directory.
    file: String,
    bytes: u64,
    records: u64,
    seq: u64,
    at: Timestamp,
    actor: Actor,
    summary: String,
}

/// One staged record: whether it replaces a stored one, and the record as it will be stored.
#[derive(Serialize, Deserialize)]
struct Staged {
    replaces: bool,
    record: Record,
}

/// Where each record of the file went: its place in the file and its offset in the staging
/// file (`NOT_STAGED`: left out — kept as stored, the same as stored, or in the way).
struct Entry {
    place: Place,
    at: u64,
}

/// The compact id table, one map per kind, and the indexes the cross-record rules need.
#[derive(Default)]
struct Tables {
    ids: Vec<HashMap<CompactString, Entry>>,
    vouchers_by_sme: HashMap<CompactString, Vec<u64>>,
    scores_by_session: HashMap<CompactString, Vec<u64>>,
    meetings_by_project: HashMap<CompactString, Vec<u64>>,
}

impl Tables {
    fn new() -> Tables {
        Tables {
            ids: Kind::ALL.iter().map(|_| HashMap::new()).collect(),
            ..Default::default()
        }
    }

    fn entry(&self, kind: Kind, id: &str) -> Option<&Entry> {
        self.ids[kind as usize].get(id)
    }

    fn staged_at(&self, kind: Kind, id: &str) -> Option<u64> {
        self.entry(kind, id)
            .map(|e| e.at)
            .filter(|at| *at != NOT_STAGED)
    }
}

/// A new file in the database directory, of an unpredictable name that the next open of the
/// store deletes if it is still there (also an import file a server receives): readable and
/// writable by the owner and the directory's group, never opened through a link planted there.
pub fn spool_file(dir: &Path) -> Result<(PathBuf, File), StoreError> {
    let mut tries = 0;
    loop {
        let name = format!("{STAGING_PREFIX}{:016x}{STAGING_SUFFIX}", random());
        let path = dir.join(name);
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o660)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&path)
        {
            Ok(file) => {
                // For the directory's group whatever the umask (DESIGN.md, "Shared mode").
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o660))
                    .map_err(|e| StoreError::Open {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                return Ok((path, file));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 8 => tries += 1,
            Err(e) => {
                return Err(StoreError::Open {
                    path: dir.to_path_buf(),
                    message: format!("cannot create a file for an import: {e}"),
                });
            }
        }
    }
}

/// The staging file: records appended as frames (a 4-byte length, then the encoded record).
struct Staging {
    path: PathBuf,
    file: File,
    writer: BufWriter<File>,
    len: u64,
    /// Set once the marker names the file: it is then the store's to complete and delete.
    handed_over: bool,
}

impl Staging {
    fn create(dir: &Path) -> Result<Staging, StoreError> {
        let (path, file) = spool_file(dir)?;
        let io = |e: std::io::Error| StoreError::Open {
            path: path.clone(),
            message: format!("cannot write an import's staging file: {e}"),
        };
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone().map_err(io)?);
        Ok(Staging {
            path,
            file,
            writer,
            len: 0,
            handed_over: false,
        })
    }

    fn append(&mut self, staged: &Staged) -> Result<u64, StoreError> {
        let bytes = codec::encode(staged);
        let at = self.len;
        let len = u32::try_from(bytes.len()).map_err(|_| self.failed("a record too large"))?;
        self.writer
            .write_all(&len.to_le_bytes())
            .and_then(|()| self.writer.write_all(&bytes))
            .map_err(|e| self.failed(&e.to_string()))?;
        self.len += 4 + bytes.len() as u64;
        Ok(at)
    }

    fn failed(&self, message: &str) -> StoreError {
        StoreError::Open {
            path: self.path.clone(),
            message: format!("cannot write the import's staging file: {message}"),
        }
    }

    fn finish_writing(&mut self) -> Result<(), StoreError> {
        self.writer.flush().map_err(|e| self.failed(&e.to_string()))
    }

    /// Every staged record in order, with its offset.
    fn each(
        &self,
        mut each: impl FnMut(u64, Staged) -> Result<(), Refusal>,
    ) -> Result<(), Refusal> {
        let file = self
            .file
            .try_clone()
            .map_err(|e| self.failed(&e.to_string()))?;
        let mut reader = Frames::new(file, self.len, &self.path);
        while let Some((at, staged)) = reader.next_frame()? {
            each(at, staged)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.handed_over {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Reads a staging file's frames in order.
struct Frames<'a> {
    reader: BufReader<File>,
    at: u64,
    len: u64,
    path: &'a Path,
}

impl<'a> Frames<'a> {
    fn new(mut file: File, len: u64, path: &'a Path) -> Frames<'a> {
        use std::io::Seek;
        let _ = file.seek(std::io::SeekFrom::Start(0));
        Frames {
            reader: BufReader::with_capacity(1 << 20, file),
            at: 0,
            len,
            path,
        }
    }

    fn next_frame(&mut self) -> Result<Option<(u64, Staged)>, StoreError> {
        if self.at >= self.len {
            return Ok(None);
        }
        let damaged = |message: String| StoreError::Corrupt {
            tree: self.path.display().to_string(),
            key: self.at.to_string(),
            message,
        };
        let mut len = [0u8; 4];
        self.reader
            .read_exact(&mut len)
            .map_err(|e| damaged(e.to_string()))?;
        let len = u32::from_le_bytes(len) as usize;
        let mut bytes = vec![0u8; len];
        self.reader
            .read_exact(&mut bytes)
            .map_err(|e| damaged(e.to_string()))?;
        let staged: Staged = codec::decode(&bytes).map_err(damaged)?;
        let at = self.at;
        self.at += 4 + len as u64;
        Ok(Some((at, staged)))
    }
}

fn read_at(file: &File, at: u64) -> Option<Staged> {
    let mut len = [0u8; 4];
    file.read_exact_at(&mut len, at).ok()?;
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    file.read_exact_at(&mut bytes, at + 4).ok()?;
    codec::decode(&bytes).ok()
}

/// 64 unpredictable bits (the standard library's per-process random hash keys).
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    h.finish()
}

/// An import being read: see the module's documentation.
pub struct BulkImport<'s> {
    store: &'s Store,
    /// The store's write lock, held from the first record to the last write; `None` when the
    /// caller holds it (a `Command::Import` applied by [`Store::apply`]).
    guard: Option<MutexGuard<'s, ()>>,
    actor: Actor,
    at: Timestamp,
    options: ImportOptions,
    /// A facilitator's import (or one into a database without facilitators) restores records
    /// as they are; anyone else's is a batch of their own changes (see `Store::plan_import`).
    restores: bool,
    /// Who may write what; `None` in a dry run.
    roles: Option<Roles>,
    staging: Staging,
    tables: Tables,
    errors: Vec<Located>,
    /// Broken rules past [`MAX_ERRORS`], counted.
    more_errors: usize,
    duplicates: Vec<Located>,
    conflicts: usize,
    denied: Option<CommandError>,
    /// Members the import writes, in order, and whether each is a facilitator.
    members: Vec<(String, bool)>,
    forecast: Forecast,
    /// Records read from the file, and staged to be written.
    read: usize,
    staged: usize,
}

impl Store {
    /// Starts an import: takes the store's write lock until the import is written or dropped.
    pub fn begin_import(
        &self,
        actor: &Actor,
        options: ImportOptions,
    ) -> Result<BulkImport<'_>, CommandError> {
        let guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        BulkImport::new(self, Some(guard), actor, Timestamp::now(), options)
    }
}

impl<'s> BulkImport<'s> {
    pub(super) fn new(
        store: &'s Store,
        guard: Option<MutexGuard<'s, ()>>,
        actor: &Actor,
        at: Timestamp,
        options: ImportOptions,
    ) -> Result<BulkImport<'s>, CommandError> {
        let facilitators = store.facilitators()?;
        // Whoever sets up a database acts as its facilitator until it has one.
        let restores = facilitators.is_empty() || facilitators.contains(&actor.user);
        let (roles, denied) = if options.dry_run {
            (None, None)
        } else {
            match store.roles(actor) {
                Ok(roles) => (Some(roles), None),
                Err(e) => (None, Some(e)),
            }
        };
        Ok(BulkImport {
            store,
            guard,
            actor: actor.clone(),
            at,
            restores,
            roles,
            staging: Staging::create(store.path())?,
            tables: Tables::new(),
            errors: Vec::new(),
            more_errors: 0,
            duplicates: Vec::new(),
            conflicts: 0,
            denied,
            members: Vec::new(),
            forecast: Forecast::default(),
            read: 0,
            staged: 0,
            options,
        })
    }

    /// Records read so far.
    pub fn read(&self) -> usize {
        self.read
    }

    fn error(&mut self, e: FieldError, place: Option<Place>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push((e, place));
        } else {
            self.more_errors += 1;
        }
    }

    /// Takes the next record of the file: its own rules and its place against the stored
    /// records are settled now, the rules that span records in [`BulkImport::finish`].
    pub fn add(&mut self, record: Record, place: Place) -> Result<(), StoreError> {
        self.read += 1;
        let mut record = text::normalize_record(record);
        let kind = record.kind();
        if let Some(first) = self.tables.entry(kind, record.id()) {
            let e = FieldError {
                kind,
                id: record.id().to_string(),
                field: "id".into(),
                message: format!(
                    "appears twice in the file: '{}' is also the id of {}[{}]",
                    record.id(),
                    kind.key(),
                    first.place.index
                ),
            };
            if self.duplicates.len() < MAX_ERRORS {
                self.duplicates.push((e, Some(place)));
            }
            return Ok(());
        }
        let before = self.store.get(kind, record.id())?;
        let counts = self.forecast.counts.entry(kind).or_default();
        let name = || format!("{} '{}'", kind.singular(), record.id());
        let keep = match (&before, self.options.on_conflict) {
            (None, _) => {
                counts.new += 1;
                true
            }
            (Some(_), OnConflict::Skip) => {
                counts.skipped += 1;
                false
            }
            (Some(b), OnConflict::Replace) if b.record == record => {
                counts.unchanged += 1;
                false
            }
            (Some(_), OnConflict::Replace) => {
                counts.replaced += 1;
                if self.forecast.replaced.len() < MAX_NAMES {
                    self.forecast.replaced.push(name());
                }
                true
            }
            (Some(_), OnConflict::Fail) => {
                counts.in_the_way += 1;
                self.conflicts += 1;
                if self.forecast.conflicts.len() < MAX_NAMES {
                    self.forecast.conflicts.push(name());
                }
                false
            }
        };
        if !keep {
            self.tables.ids[kind as usize].insert(
                record.id().into(),
                Entry {
                    place,
                    at: NOT_STAGED,
                },
            );
            return Ok(());
        }
        let before = before.map(|b| b.record);
        if let Some(b) = &before {
            for e in replacement_rules(&record, b) {
                self.error(e, Some(place));
            }
        }
        if !self.options.dry_run {
            // A replacement is an edit, whoever imports it; see `Store::plan_import`.
            if !self.restores {
                if let Some(e) = history_kept(&record, before.as_ref(), &self.actor) {
                    self.error(e, Some(place));
                }
                stamp(&mut record, before.as_ref(), &self.actor, self.at);
            } else if before.is_some() {
                stamp(&mut record, before.as_ref(), &self.actor, self.at);
            }
            if self.denied.is_none()
                && let Some(roles) = &self.roles
                && let Err(e) = roles.check(&self.actor, kind, before.as_ref(), Some(&record), true)
            {
                self.denied = Some(e);
            }
        }
        self.stage(record, before.is_some(), place)
    }

    fn stage(&mut self, record: Record, replaces: bool, place: Place) -> Result<(), StoreError> {
        let kind = record.kind();
        if let Record::Member(m) = &record {
            self.members.push((m.id.to_string(), m.facilitator));
        }
        let staged = Staged { replaces, record };
        let at = self.staging.append(&staged)?;
        match &staged.record {
            Record::Voucher(v) => self
                .tables
                .vouchers_by_sme
                .entry(v.sme.as_str().into())
                .or_default()
                .push(at),
            Record::Score(s) => self
                .tables
                .scores_by_session
                .entry(s.session.as_str().into())
                .or_default()
                .push(at),
            Record::Meeting(m) => self
                .tables
                .meetings_by_project
                .entry(m.project.as_str().into())
                .or_default()
                .push(at),
            _ => {}
        }
        self.tables.ids[kind as usize].insert(staged.record.id().into(), Entry { place, at });
        self.staged += 1;
        Ok(())
    }

    fn located(&self, errors: Vec<FieldError>) -> impl Iterator<Item = Located> + '_ {
        errors.into_iter().map(|e| {
            let place = self.tables.entry(e.kind, &e.id).map(|x| x.place);
            (e, place)
        })
    }

    fn refused(mut errors: Vec<Located>, more: usize) -> Refusal {
        if more > 0
            && let Some((last, _)) = errors.last()
        {
            let e = FieldError {
                kind: last.kind,
                id: last.id.clone(),
                field: "import".into(),
                message: format!("… and {more} more problems not listed"),
            };
            errors.push((e, None));
        }
        let (errors, places) = errors.into_iter().unzip();
        Refusal {
            error: CommandError::Invalid(errors),
            places,
        }
    }

    /// Checks every rule that spans records and writes the import (or, in a dry run, says what
    /// it would do). `progress` is told the stage, the records done and the total.
    pub fn finish(
        mut self,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<Imported, Refusal> {
        self.staging.finish_writing()?;
        let dry = self.options.dry_run;
        if dry {
            // A dry run lists them with every other problem.
            for (e, place) in std::mem::take(&mut self.duplicates) {
                self.error(e, place);
            }
        }
        if !self.duplicates.is_empty() {
            return Err(Self::refused(std::mem::take(&mut self.duplicates), 0));
        }
        if !dry && self.conflicts > 0 {
            let n = self.conflicts;
            let shown: Vec<String> = self.forecast.conflicts.iter().take(10).cloned().collect();
            return Err(CommandError::ImportConflicts(format!(
                "{n} record(s) in the file already exist in the database ({}{}); nothing was imported. \
                 Import with --on-conflict skip to keep the stored ones, or --on-conflict replace to overwrite them",
                shown.join(", "),
                if n > 10 { ", …" } else { "" }
            ))
            .into());
        }
        if !dry && !self.errors.is_empty() {
            return Err(Self::refused(
                std::mem::take(&mut self.errors),
                self.more_errors,
            ));
        }
        if let Some(roles) = &self.roles
            && roles.bootstrap
            && !self.members.iter().any(|(_, f)| *f)
        {
            // The first to change a database without facilitators becomes its facilitator.
            let (me, replaces) = self.store.bootstrap_member(&self.actor)?;
            let place = self
                .tables
                .entry(Kind::Member, &self.actor.user)
                .map_or_else(Place::default, |e| e.place);
            self.stage(me.into(), replaces, place)?;
            self.staging.finish_writing()?;
        }
        self.check_all(progress)?;
        if dry {
            let errors = std::mem::take(&mut self.errors);
            return Ok(Imported::DryRun(
                std::mem::take(&mut self.forecast),
                errors,
                self.more_errors,
            ));
        }
        if !self.errors.is_empty() {
            return Err(Self::refused(
                std::mem::take(&mut self.errors),
                self.more_errors,
            ));
        }
        if let Some(denied) = self.denied.take() {
            return Err(denied.into());
        }
        let mut facilitators: HashSet<String> = self.store.facilitators()?.into_iter().collect();
        for (id, facilitator) in &self.members {
            if *facilitator {
                facilitators.insert(id.clone());
            } else {
                facilitators.remove(id);
            }
        }
        if facilitators.is_empty() {
            return Err(CommandError::Denied("at least one facilitator must remain".into()).into());
        }
        progress("Writing", 0, self.staged);
        let summary = format!("import {} records from {}", self.read, self.options.source);
        let committed = if self.staged <= TRANSACTION_LIMIT {
            self.commit_in_transaction(summary)?
        } else {
            self.commit_staged(summary, progress)?
        };
        if self.guard.is_some() {
            self.store.flush()?;
        }
        Ok(Imported::Committed(
            committed,
            std::mem::take(&mut self.forecast),
        ))
    }

    /// Every staged record against the store and the file's other records.
    fn check_all(&mut self, progress: &mut dyn FnMut(&str, usize, usize)) -> Result<(), Refusal> {
        let total = self.staged;
        let mut found = Vec::new();
        {
            let view = StagedView {
                store: self.store,
                tables: &self.tables,
                file: &self.staging.file,
                cache: RefCell::new(HashMap::new()),
            };
            let (dry, restores) = (self.options.dry_run, self.restores);
            let mut done = 0usize;
            self.staging.each(|at, staged| {
                let record = &staged.record;
                done += 1;
                if done.is_multiple_of(1000) {
                    progress("Checking", done, total);
                }
                // A record staged twice (the bootstrap facilitator over the file's own entry)
                // is written as its last version.
                if self.tables.staged_at(record.kind(), record.id()) != Some(at) {
                    return Ok(());
                }
                let before = if staged.replaces {
                    self.store
                        .get(record.kind(), record.id())?
                        .map(|row| row.record)
                } else {
                    None
                };
                // A facilitator's import restores new records as they are (lifecycle moves
                // are not checked, every other rule is); a replacement, and anyone else's
                // import, is checked as the changes it makes. A dry run judges as a
                // facilitator's import.
                let errors = match &before {
                    Some(b) => validate(record, Some(b), &view),
                    None if restores || dry => validate_restored(record, &view),
                    None => validate(record, None, &view),
                };
                if !errors.is_empty() && found.len() < MAX_ERRORS {
                    found.extend(errors);
                }
                Ok(())
            })?;
        }
        let located: Vec<Located> = self.located(found).collect();
        for (e, place) in located {
            self.error(e, place);
        }
        Ok(())
    }

    /// The records staged to be written, each with the stored row it replaces.
    fn plan(&self) -> Result<Vec<Planned>, Refusal> {
        let mut plan = Vec::with_capacity(self.staged);
        self.staging.each(|at, staged| {
            let record = staged.record;
            if self.tables.staged_at(record.kind(), record.id()) != Some(at) {
                return Ok(());
            }
            let before = self.store.get(record.kind(), record.id())?;
            plan.push(Planned {
                kind: record.kind(),
                id: record.id().to_string(),
                before,
                after: Some(record),
            });
            Ok(())
        })?;
        Ok(plan)
    }

    fn commit_in_transaction(&self, summary: String) -> Result<Committed, Refusal> {
        let plan = self.plan()?;
        Ok(self
            .store
            .commit(&self.actor, self.at, summary, None, plan)?)
    }

    /// Hands the staging file to the store under a marker, then writes it (see [`recover`]).
    fn commit_staged(
        &mut self,
        summary: String,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<Committed, Refusal> {
        let synced = self
            .staging
            .file
            .sync_all()
            .and_then(|()| sync_dir(self.store.path()));
        synced.map_err(|e| self.staging.failed(&e.to_string()))?;
        let pending = Pending {
            file: self
                .staging
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: self.staging.len,
            records: count_frames(&self.staging)?,
            seq: self.store.seq()? + 1,
            at: self.at,
            actor: self.actor.clone(),
            summary: summary.clone(),
        };
        self.store
            .meta()
            .insert(META_PENDING, codec::encode(&pending))
            .map_err(StoreError::from)?;
        self.store.flush()?;
        // From here on the import is the store's: a crash completes it on the next open.
        self.staging.handed_over = true;
        complete(self.store, &pending, true, progress)?;
        Ok(Committed {
            seq: pending.seq,
            at: self.at,
            actor: self.actor.clone(),
            summary,
            changed: self.staged,
            changes: Vec::new(),
        })
    }
}

/// Records in a staging file, the ones written over by a later one included.
fn count_frames(staging: &Staging) -> Result<u64, Refusal> {
    let mut n = 0;
    staging.each(|_, _| {
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Someone who is not a facilitator imports a practice's status and history as stored.
fn history_kept(record: &Record, before: Option<&Record>, actor: &Actor) -> Option<FieldError> {
    let Record::Practice(p) = record else {
        return None;
    };
    let (status, history) = match before {
        Some(Record::Practice(old)) => (Some(old.status), old.history.as_slice()),
        _ => (None, &[][..]),
    };
    (p.history != history || status.is_some_and(|s| s != p.status)).then(|| FieldError {
        kind: Kind::Practice,
        id: p.id.to_string(),
        field: "history".into(),
        message: format!(
            "only a facilitator's import can change a practice's status or status history, and {} \
             is not a facilitator: keep the stored ones (a new practice comes without history)",
            actor.user
        ),
    })
}

/// Writes a pending import's staged records, its audit entry and its change number, flushes,
/// and removes the marker and the file. Writing a record again is harmless, so an import cut
/// short here is completed by running this again. `first`: the first time it runs for this
/// import, when the records it finds stored were stored before the import (so the stored
/// counts of records per kind can follow it; after a crash they are counted afresh).
fn complete(
    store: &Store,
    pending: &Pending,
    first: bool,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<(), StoreError> {
    let path = store.path().join(&pending.file);
    let missing = |message: String| StoreError::Open {
        path: store.path().to_path_buf(),
        message: format!(
            "change #{} ({}) was being written when taskforce stopped, and {message}; \
             the database cannot be opened until it is back",
            pending.seq, pending.summary
        ),
    };
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(&path)
        .map_err(|e| {
            missing(format!(
                "its staged records {} cannot be read: {e}",
                path.display()
            ))
        })?;
    let len = file.metadata().map_err(|e| missing(e.to_string()))?.len();
    if len != pending.bytes {
        return Err(missing(format!(
            "its staged records {} hold {len} bytes instead of {}",
            path.display(),
            pending.bytes
        )));
    }
    let by: CompactString = pending.actor.signature().into();
    let mut frames = Frames::new(file, len, &path);
    let mut n = 0u64;
    let mut added = vec![0u64; Kind::ALL.len()];
    while let Some((_, staged)) = frames.next_frame()? {
        let kind = staged.record.kind();
        if write_row(store, pending, &by, staged.record)? {
            added[kind as usize] += 1;
        }
        n += 1;
        if n.is_multiple_of(FLUSH_EVERY) {
            store.flush()?;
        }
        if n.is_multiple_of(1000) {
            progress("Writing", n as usize, pending.records as usize);
        }
    }
    if n != pending.records {
        return Err(missing(format!(
            "its staged records hold {n} records instead of {}",
            pending.records
        )));
    }
    let entry = AuditEntry {
        seq: pending.seq,
        at: pending.at,
        actor: pending.actor.clone(),
        summary: pending.summary.clone(),
        command: None,
        changes: Vec::new(),
    };
    store
        .audit_tree()
        .insert(pending.seq.to_be_bytes(), codec::encode(&entry))?;
    store.meta().insert(META_SEQ, &pending.seq.to_be_bytes())?;
    // The counts follow the import when they held before it (see `Store::counts`).
    if first
        && let Some((at, mut counts)) = store
            .meta()
            .get(META_COUNTS)?
            .and_then(|v| decode_counts(&v))
        && at + 1 == pending.seq
    {
        for (n, more) in counts.iter_mut().zip(&added) {
            *n += more;
        }
        store
            .meta()
            .insert(META_COUNTS, encode_counts(pending.seq, &counts))?;
    }
    store.flush()?;
    store.meta().remove(META_PENDING)?;
    store.flush()?;
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// Writes one staged record as the import's revision, keeping the refs tree in step; whether
/// it is a record the store did not hold.
fn write_row(
    store: &Store,
    pending: &Pending,
    by: &CompactString,
    record: Record,
) -> Result<bool, StoreError> {
    let (kind, id) = (record.kind(), record.id().to_string());
    let tree = store.tree(kind);
    let stored = tree.get(id.as_bytes())?;
    let new = stored.is_none();
    if let Some(bytes) = stored
        && let Ok(old) = decode_row(kind, id.as_bytes(), &bytes)
    {
        for r in old.record.references() {
            store
                .refs()
                .remove(ref_key(r.kind, &r.id, kind, &id, &r.field))?;
        }
    }
    let row = Row {
        rev: pending.seq,
        at: pending.at,
        by: by.clone(),
        record,
    };
    tree.insert(id.as_bytes(), codec::encode(&row))?;
    for r in row.record.references() {
        store
            .refs()
            .insert(ref_key(r.kind, &r.id, kind, &id, &r.field), &[])?;
    }
    Ok(new)
}

/// On open: completes an import that was being written, and deletes the staging files of
/// imports that never got so far.
pub(super) fn recover(store: &Store) -> Result<(), StoreError> {
    if let Some(bytes) = store.meta().get(META_PENDING)? {
        let pending: Pending = codec::decode(&bytes).map_err(|message| StoreError::Corrupt {
            tree: "meta".into(),
            key: "pending_import".into(),
            message,
        })?;
        complete(store, &pending, false, &mut |_, _, _| {})?;
    }
    if let Ok(entries) = std::fs::read_dir(store.path()) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(STAGING_PREFIX) && name.ends_with(STAGING_SUFFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// The store's records seen together with the staged ones, for the rules that span records.
struct StagedView<'a> {
    store: &'a Store,
    tables: &'a Tables,
    file: &'a File,
    cache: RefCell<HashMap<u64, Record>>,
}

impl StagedView<'_> {
    fn staged(&self, at: u64) -> Option<Record> {
        if let Some(r) = self.cache.borrow().get(&at) {
            return Some(r.clone());
        }
        let record = read_at(self.file, at)?.record;
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= CACHE_RECORDS {
            cache.clear();
        }
        cache.insert(at, record.clone());
        Some(record)
    }
}

impl Lookup for StagedView<'_> {
    fn get(&self, kind: Kind, id: &str) -> Option<Record> {
        if let Some(at) = self.tables.staged_at(kind, id) {
            return self.staged(at);
        }
        self.store
            .get(kind, id)
            .ok()
            .flatten()
            .map(|row| row.record)
    }

    fn vouchers_of(&self, sme: &str) -> Vec<Voucher> {
        let mut out: Vec<Voucher> = Vec::new();
        for at in self.tables.vouchers_by_sme.get(sme).into_iter().flatten() {
            if let Some(Record::Voucher(v)) = self.staged(*at) {
                out.push(*v);
            }
        }
        let stored = self.store.referrers(Kind::Sme, sme).unwrap_or_default();
        for (kind, id, _) in stored {
            if kind != Kind::Voucher || self.tables.staged_at(Kind::Voucher, &id).is_some() {
                continue;
            }
            if let Ok(Some(Row {
                record: Record::Voucher(v),
                ..
            })) = self.store.get(Kind::Voucher, &id)
            {
                out.push(*v);
            }
        }
        out
    }

    fn meetings_of(&self, project: &str) -> Vec<Meeting> {
        let mut out: Vec<Meeting> = Vec::new();
        for at in self
            .tables
            .meetings_by_project
            .get(project)
            .into_iter()
            .flatten()
        {
            if let Some(Record::Meeting(m)) = self.staged(*at) {
                out.push(*m);
            }
        }
        let stored = self
            .store
            .referrers(Kind::Project, project)
            .unwrap_or_default();
        for (kind, id, _) in stored {
            if kind != Kind::Meeting || self.tables.staged_at(Kind::Meeting, &id).is_some() {
                continue;
            }
            if let Ok(Some(Row {
                record: Record::Meeting(m),
                ..
            })) = self.store.get(Kind::Meeting, &id)
            {
                out.push(*m);
            }
        }
        out
    }

    fn scores_of(&self, session: &str) -> Vec<Score> {
        let prefix = format!("{session}:");
        let mut out: Vec<Score> = self
            .store
            .tree(Kind::Score)
            .scan_prefix(prefix.as_bytes())
            .filter_map(|item| item.ok())
            .filter(|(key, _)| {
                let id = String::from_utf8_lossy(key);
                self.tables.staged_at(Kind::Score, &id).is_none()
            })
            .filter_map(|(key, value)| match decode_row(Kind::Score, &key, &value) {
                Ok(Row {
                    record: Record::Score(s),
                    ..
                }) => Some(*s),
                _ => None,
            })
            .collect();
        for at in self
            .tables
            .scores_by_session
            .get(session)
            .into_iter()
            .flatten()
        {
            if let Some(Record::Score(s)) = self.staged(*at) {
                out.push(*s);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}
