//! The durable store: sled, one tree per kind of record plus `meta`, `audit` and `refs`.
//!
//! Every change goes through [`Store::apply`]: validated, written in one transaction together
//! with its audit entry, flushed to disk, and only then acknowledged (DESIGN.md, "One write path").

pub mod bulk;
pub mod codec;
mod error;
mod migrate;
pub mod search_index;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionResult, TransactionalTree};

pub use error::{CommandError, StoreError};

use crate::model::*;

/// The schema version this build writes; older databases are migrated on open.
pub const SCHEMA_VERSION: u32 = 5;

/// sled's page cache. The default is 1 GiB; a shared server keeps many databases' worth of
/// records in its clients' replicas already, and a workbench holds every record decoded, so the
/// store's cache stays small. It holds only while whole trees are read through [`scan`].
pub const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Every entry of `tree` in key order, read so that sled's cache keeps to [`CACHE_BYTES`].
///
/// sled 0.34.7 counts accesses to its pages in batches of 64 for each of 256 shards (by page
/// id) and evicts only when a shard's batch is full. A plain read of a whole tree touches each
/// leaf once, so few batches fill and nothing is evicted whatever the capacity: reading 100k
/// records kept about 110 MB of nodes until the database was closed. Reading each entry a
/// second time by its key touches its leaf again, batches fill, and the cache keeps to its
/// size: the workbench's load of 100k records peaked at 211 MB instead of 318 MB (a
/// microsecond an entry).
fn scan(tree: &sled::Tree) -> impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>> + '_ {
    tree.iter().inspect(move |item| {
        if let Ok((key, _)) = item {
            let _ = tree.get(key);
        }
    })
}

const META_SCHEMA: &[u8] = b"schema_version";
/// The largest import whose records are listed one by one in its audit entry.
const MAX_AUDITED_IMPORT: usize = 1000;
const META_SEQ: &[u8] = b"seq";
/// The number of records of each kind (`Kind::ALL` order, u64 big-endian each) after the commit
/// whose sequence number comes first: kept by every commit, so that counting reads one value
/// (sled counts a tree by reading all of it). Counts written at another sequence number are not
/// used (something wrote records another way): the trees are counted again.
const META_COUNTS: &[u8] = b"counts";

/// One entry of the audit log: who did what, when, and the values before, for undo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: Actor,
    pub summary: String,
    /// The command as given; left out for imports, which can be large.
    pub command: Option<Command>,
    /// Each record changed, with its row before and its revision after (`None`: deleted).
    /// Empty for imports of more than a thousand records, which cannot be undone one by one.
    pub changes: Vec<AuditChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    pub kind: Kind,
    pub id: String,
    pub before: Option<Row>,
    pub after_rev: Option<u64>,
}

/// A problem found while reading the database: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub tree: String,
    pub key: String,
    pub message: String,
}

/// What `taskforce check` found.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CheckReport {
    pub records: usize,
    pub audit_entries: usize,
    pub problems: Vec<Problem>,
}

/// The rows of one tree that decoded, and the problems with those that did not.
type Decoded = (
    Kind,
    std::collections::BTreeMap<compact_str::CompactString, Row>,
    Vec<Problem>,
);

/// An earlier audit entry written again (by its sequence number): an erasure's scrubbed ones.
type Rewrite = (u64, AuditEntry);

/// A change the store is about to make.
struct Planned {
    kind: Kind,
    id: String,
    before: Option<Row>,
    after: Option<Record>,
}

/// Who an actor is to a database, for [`Store::authorize`] and imports.
struct Roles {
    /// The database has no facilitator yet: the actor becomes its first.
    bootstrap: bool,
    facilitator: bool,
}

impl Roles {
    /// Whether the actor may change one record from `before` to `after`.
    fn check(
        &self,
        actor: &Actor,
        kind: Kind,
        before: Option<&Record>,
        after: Option<&Record>,
        via_import: bool,
    ) -> Result<(), CommandError> {
        let facilitator = self.facilitator;
        let evaluator = actor.on_behalf_of.as_deref().unwrap_or(&actor.user);
        let mut records = before.into_iter().chain(after);
        match kind {
            Kind::Session if !facilitator => Err(CommandError::Denied(format!(
                "only a facilitator can create, open, close or decide evaluation sessions; {} is not one",
                actor.user
            ))),
            Kind::Member if !facilitator => {
                let id = after.or(before).map(|r| r.id());
                let own_without_role = id == Some(actor.user.as_str())
                    && records.all(|r| matches!(r, Record::Member(m) if !m.facilitator));
                if own_without_role {
                    Ok(())
                } else {
                    Err(CommandError::Denied(format!(
                        "only a facilitator can manage members and facilitators; {} is not one",
                        actor.user
                    )))
                }
            }
            Kind::Score if !(facilitator && via_import) => {
                for r in records {
                    if let Record::Score(s) = r
                        && s.evaluator != evaluator
                    {
                        return Err(CommandError::Denied(format!(
                            "a score is recorded by its evaluator: this one is {}'s, and you are acting as {evaluator}",
                            s.evaluator
                        )));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

pub struct Store {
    db: sled::Db,
    path: PathBuf,
    /// One tree per kind (indexed by `Kind as usize`), then meta, audit, refs.
    trees: Vec<sled::Tree>,
    created: bool,
    write: Mutex<()>,
}

fn meta_index() -> usize {
    Kind::ALL.len()
}
fn audit_index() -> usize {
    Kind::ALL.len() + 1
}
fn refs_index() -> usize {
    Kind::ALL.len() + 2
}

/// The refs tree's key: the referenced record, then the record that refers to it, then the field.
fn ref_key(target: Kind, target_id: &str, source: Kind, source_id: &str, field: &str) -> Vec<u8> {
    let mut k = ref_prefix(target, target_id);
    k.push(source as u8);
    k.extend_from_slice(source_id.as_bytes());
    k.push(0);
    k.extend_from_slice(field.as_bytes());
    k
}

fn ref_prefix(target: Kind, target_id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(target_id.len() + 2);
    k.push(target as u8);
    k.extend_from_slice(target_id.as_bytes());
    k.push(0);
    k
}

/// Splits a refs key's tail into (source kind, source id, field).
fn parse_ref_tail(tail: &[u8]) -> Option<(Kind, String, String)> {
    let (&kind, rest) = tail.split_first()?;
    let kind = *Kind::ALL.get(kind as usize)?;
    let zero = rest.iter().position(|b| *b == 0)?;
    Some((
        kind,
        String::from_utf8_lossy(&rest[..zero]).into_owned(),
        String::from_utf8_lossy(&rest[zero + 1..]).into_owned(),
    ))
}

impl Store {
    /// Opens (or creates) the database in `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // Whoever opens it, under whatever umask: the files are for the directory's group.
        crate::sys::prepare_database_dir(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| open_error(path, e))?;
        crate::sys::share_with_group(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut trees = Vec::new();
        for kind in Kind::ALL {
            trees.push(db.open_tree(kind.key())?);
        }
        for name in ["meta", "audit", "refs"] {
            trees.push(db.open_tree(name)?);
        }
        let mut store = Store {
            db,
            path: path.to_path_buf(),
            trees,
            created: false,
            write: Mutex::new(()),
        };
        store.check_schema()?;
        // An import cut short while it was being written is completed before anything reads.
        bulk::recover(&store)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this open created the database (it had no schema version yet).
    pub fn created(&self) -> bool {
        self.created
    }

    fn tree(&self, kind: Kind) -> &sled::Tree {
        &self.trees[kind as usize]
    }

    fn meta(&self) -> &sled::Tree {
        &self.trees[meta_index()]
    }

    fn audit_tree(&self) -> &sled::Tree {
        &self.trees[audit_index()]
    }

    fn refs(&self) -> &sled::Tree {
        &self.trees[refs_index()]
    }

    fn check_schema(&mut self) -> Result<(), StoreError> {
        match self.meta().get(META_SCHEMA)? {
            None => {
                self.created = Kind::ALL.iter().all(|k| self.tree(*k).is_empty());
                self.meta()
                    .insert(META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
                self.db.flush()?;
                Ok(())
            }
            Some(v) => {
                let found = <[u8; 4]>::try_from(v.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| StoreError::Corrupt {
                        tree: "meta".into(),
                        key: "schema_version".into(),
                        message: "is not a version number".into(),
                    })?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::TooNew {
                        path: self.path.clone(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    migrate::run(self, found)?;
                    self.meta()
                        .insert(META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
                    self.db.flush()?;
                }
                Ok(())
            }
        }
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self
            .meta()
            .get(META_SCHEMA)?
            .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
            .map_or(0, u32::from_be_bytes))
    }

    /// The sequence number of the last commit.
    pub fn seq(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta()
            .get(META_SEQ)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes))
    }

    /// Flushes everything to disk (also done by every commit).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    pub fn get(&self, kind: Kind, id: &str) -> Result<Option<Row>, StoreError> {
        match self.tree(kind).get(id.as_bytes())? {
            None => Ok(None),
            Some(bytes) => decode_row(kind, id.as_bytes(), &bytes).map(Some),
        }
    }

    pub fn is_empty(&self) -> bool {
        Kind::ALL.iter().all(|k| self.tree(*k).is_empty())
    }

    /// The number of records of one kind (see [`Store::counts`]).
    pub fn count(&self, kind: Kind) -> usize {
        self.counts()
            .ok()
            .and_then(|c| c.get(kind as usize).map(|(_, n)| *n as usize))
            .unwrap_or_else(|| self.tree(kind).len())
    }

    /// The number of records of each kind, in `Kind::ALL` order: read from one value kept by
    /// every commit; when that is missing or was written at another sequence number (a database
    /// written before it was kept), the trees are counted once and the value written.
    pub fn counts(&self) -> Result<Vec<(Kind, u64)>, StoreError> {
        let seq = self.seq()?;
        if let Some(counts) = self
            .meta()
            .get(META_COUNTS)?
            .and_then(|v| decode_counts(&v))
            && counts.0 == seq
        {
            return Ok(Kind::ALL.iter().copied().zip(counts.1).collect());
        }
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let seq = self.seq()?;
        let counts: Vec<u64> = Kind::ALL
            .iter()
            .map(|k| self.tree(*k).len() as u64)
            .collect();
        // Under the write lock no commit runs meanwhile; a failure to write only means counting
        // again next time.
        if self
            .meta()
            .insert(META_COUNTS, encode_counts(seq, &counts))
            .is_ok()
        {
            let _ = self.db.flush();
        }
        Ok(Kind::ALL.iter().copied().zip(counts).collect())
    }

    /// Every record of one kind, in id order, and those that did not decode (read from that
    /// kind's tree alone).
    pub fn rows(&self, kind: Kind) -> Result<(Vec<Row>, Vec<Problem>), StoreError> {
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for item in scan(self.tree(kind)) {
            let (key, value) = item?;
            match decode_row(kind, &key, &value) {
                Ok(row) => rows.push(row),
                Err(StoreError::Corrupt { tree, key, message }) => {
                    problems.push(Problem { tree, key, message })
                }
                Err(e) => return Err(e),
            }
        }
        Ok((rows, problems))
    }

    /// Loads every record into memory. Records that fail to decode are left out and reported,
    /// so that one damaged value never hides the rest.
    pub fn load(&self) -> Result<(Replica, Vec<Problem>), StoreError> {
        self.load_keeping(Texts::Whole)
    }

    /// [`Store::load`], keeping of the long texts what `texts` says (each record is made so as
    /// it is decoded, so a copy without them never holds them all at once).
    pub fn load_keeping(&self, texts: Texts) -> Result<(Replica, Vec<Problem>), StoreError> {
        // Each tree decodes on its own thread: decoding is most of the cost of a start-up.
        let decoded: Vec<Result<Decoded, StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = Kind::ALL
                .iter()
                .map(|kind| scope.spawn(move || self.decode_tree(*kind, texts)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a decoding thread panicked"))
                .collect()
        });
        let mut replica = Replica::new();
        let mut problems = Vec::new();
        for part in decoded {
            let (kind, rows, mut bad) = part?;
            replica.extend_kind(kind, rows);
            problems.append(&mut bad);
        }
        replica.seq = self.seq()?;
        Ok((replica, problems))
    }

    /// Every stored record as its bytes, kind by kind in key order, handed to `each` (which
    /// returns false to stop): a snapshot streamed without decoding, so that the server copies
    /// bytes instead of building (and dropping) every record's strings. The reader decodes each
    /// with [`decode_stored`].
    pub fn each_stored(
        &self,
        mut each: impl FnMut(Kind, &[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        for kind in Kind::ALL {
            for item in scan(self.tree(*kind)) {
                let (key, value) = item?;
                if !each(*kind, &key, &value) {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Up to `rows` stored records of one kind (at most about `bytes` of them), in key order
    /// after `after` (from the first when `None`), as their bytes: a snapshot read a piece at a
    /// time, each piece resuming where the last one stopped.
    pub fn stored_after(
        &self,
        kind: Kind,
        after: Option<&[u8]>,
        rows: usize,
        bytes: usize,
        mut each: impl FnMut(&[u8], &[u8]),
    ) -> Result<usize, StoreError> {
        use std::ops::Bound;
        let start = match after {
            Some(key) => Bound::Excluded(key.to_vec()),
            None => Bound::Unbounded,
        };
        let (mut n, mut size) = (0, 0);
        for item in self
            .tree(kind)
            .range::<Vec<u8>, _>((start, Bound::Unbounded))
        {
            let (key, value) = item?;
            each(&key, &value);
            n += 1;
            size += key.len() + value.len();
            if n >= rows || size >= bytes {
                break;
            }
        }
        Ok(n)
    }

    /// One record as stored, undecoded.
    pub fn get_stored(&self, kind: Kind, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.tree(kind).get(id.as_bytes())?.map(|v| v.to_vec()))
    }

    fn decode_tree(&self, kind: Kind, texts: Texts) -> Result<Decoded, StoreError> {
        let tree = self.tree(kind);
        // In key order into a vector (not `tree.len()` first: sled counts by reading the whole
        // tree), then built into the replica's map at once, which packs its nodes full (inserted
        // one by one in order, they stay about half full).
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for item in scan(tree) {
            let (key, value) = item?;
            match decode_row(kind, &key, &value) {
                Ok(mut row) => {
                    texts.keep(&mut row);
                    rows.push((row.record.id().into(), row));
                }
                Err(StoreError::Corrupt { tree, key, message }) => {
                    problems.push(Problem { tree, key, message })
                }
                Err(e) => return Err(e),
            }
        }
        Ok((kind, rows.into_iter().collect(), problems))
    }

    /// Reads every value of every tree and checks that it decodes, sits under its own id, and
    /// that its references resolve.
    pub fn check(&self, mut progress: impl FnMut(usize)) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let (replica, problems) = self.load()?;
        report.problems = problems;
        report.records = replica.len();
        // Every rule a record written by an older version (or before a rule existed) may
        // break, references included: listed with the rule, so that people can mend them.
        for e in rule_breakers(&replica, &mut progress) {
            report.problems.push(Problem {
                tree: e.kind.key().into(),
                key: e.id,
                message: format!("{}: {}", e.field, e.message),
            });
        }
        for item in scan(self.audit_tree()) {
            let (key, value) = item?;
            report.audit_entries += 1;
            if let Err(message) = codec::decode::<AuditEntry>(&value) {
                report.problems.push(Problem {
                    tree: "audit".into(),
                    key: seq_of(&key).to_string(),
                    message,
                });
            }
        }
        Ok(report)
    }

    /// The audit log, newest first, up to `limit` entries.
    pub fn audit(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.audit_tree().iter().rev().take(limit) {
            let (key, value) = item?;
            out.push(codec::decode::<AuditEntry>(&value).map_err(|message| {
                StoreError::Corrupt {
                    tree: "audit".into(),
                    key: seq_of(&key).to_string(),
                    message,
                }
            })?);
        }
        Ok(out)
    }

    /// The audit entries that changed one record, newest first.
    pub fn history(&self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.audit_tree().iter().rev() {
            let (_, value) = item?;
            let Ok(entry) = codec::decode::<AuditEntry>(&value) else {
                continue;
            };
            let touches = entry.changes.iter().any(|c| c.kind == kind && c.id == id)
                || matches!(&entry.command, Some(Command::Put { record, .. }) if record.kind() == kind && record.id() == id);
            if touches {
                out.push(entry);
            }
        }
        Ok(out)
    }

    fn audit_entry(&self, seq: u64) -> Result<Option<AuditEntry>, StoreError> {
        match self.audit_tree().get(seq.to_be_bytes())? {
            None => Ok(None),
            Some(v) => codec::decode(&v)
                .map(Some)
                .map_err(|message| StoreError::Corrupt {
                    tree: "audit".into(),
                    key: seq.to_string(),
                    message,
                }),
        }
    }

    /// The records that refer to `kind`/`id`, as (kind, id, field).
    pub fn referrers(
        &self,
        kind: Kind,
        id: &str,
    ) -> Result<Vec<(Kind, String, String)>, StoreError> {
        let prefix = ref_prefix(kind, id);
        let mut out = Vec::new();
        for item in self.refs().scan_prefix(&prefix) {
            let (key, _) = item?;
            if let Some(r) = parse_ref_tail(&key[prefix.len()..]) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Applies one command: validates it, writes it and its audit entry in one transaction,
    /// flushes, and returns the acknowledgement. On any error nothing was written.
    pub fn apply(&self, actor: &Actor, command: Command) -> Result<Committed, CommandError> {
        let committed = self.apply_unflushed(actor, command)?;
        self.db.flush()?;
        Ok(committed)
    }

    /// `apply` without the flush: the change is written but not yet durable, and must not be
    /// acknowledged before a later `flush` returns. A server applies every command waiting and
    /// then flushes once for all of them (group commit).
    pub fn apply_unflushed(
        &self,
        actor: &Actor,
        command: Command,
    ) -> Result<Committed, CommandError> {
        let _guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        // Every time and author the store writes comes from here and from `actor` (the
        // connection's identity), never from what the client sent.
        let at = Timestamp::now();
        let summary = command.describe();
        let (mut plan, audited) = match command {
            Command::Put {
                record,
                expected_rev,
            } => {
                let mut record = text::normalize_record(record);
                let before = self.get(record.kind(), record.id())?;
                keep_stored_texts(&mut record, before.as_ref());
                stamp(&mut record, before.as_ref().map(|r| &r.record), actor, at);
                let plan = self.plan_put(record.clone(), expected_rev)?;
                (
                    vec![plan],
                    Some(Command::Put {
                        record,
                        expected_rev,
                    }),
                )
            }
            Command::Delete {
                kind,
                id,
                expected_rev,
            } => {
                let plan = self.plan_delete(kind, &id, expected_rev)?;
                (
                    vec![plan],
                    Some(Command::Delete {
                        kind,
                        id,
                        expected_rev,
                    }),
                )
            }
            Command::Import {
                records,
                on_conflict,
                source,
            } => {
                let options = bulk::ImportOptions {
                    on_conflict,
                    source,
                    dry_run: false,
                };
                let mut import = bulk::BulkImport::new(self, None, actor, at, options)?;
                for record in records {
                    import.add(record, bulk::Place::default())?;
                }
                return match import.finish(&mut |_, _, _| {}) {
                    Ok(bulk::Imported::Committed(committed, _)) => Ok(committed),
                    Ok(bulk::Imported::DryRun(..)) => unreachable!("not a dry run"),
                    Err(refusal) => Err(refusal.error),
                };
            }
            Command::Undo { seq } => (self.plan_undo(seq)?, Some(Command::Undo { seq })),
            Command::Batch { records, .. } => {
                let mut stamped = Vec::with_capacity(records.len());
                for (record, rev) in records {
                    let mut record = text::normalize_record(record);
                    let before = self.get(record.kind(), record.id())?;
                    keep_stored_texts(&mut record, before.as_ref());
                    stamp(&mut record, before.as_ref().map(|r| &r.record), actor, at);
                    stamped.push((record, rev));
                }
                let plan = self.plan_batch(&stamped)?;
                (
                    plan,
                    Some(Command::Batch {
                        records: stamped,
                        summary: String::new(),
                    }),
                )
            }
            Command::Erase { kind, id } => {
                let (mut plan, rewrites) = self.plan_erase(kind, &id, actor, at)?;
                self.authorize(actor, &mut plan, false)?;
                let command = Some(Command::Erase { kind, id });
                let committed =
                    self.commit_rewriting(actor, at, summary, command, plan, rewrites)?;
                // The saved search index may hold the person's name: it goes now, and is built
                // again by the next search (which also never carries a file written before an
                // erasure: see `search_index::catch_up`). A file that cannot be removed here is
                // replaced then.
                let _ = std::fs::remove_file(search_index::path(self));
                return Ok(committed);
            }
            Command::Evaluate(evaluate) => {
                // Who may do it is said before whether it fits the rules.
                let evaluate = text::normalize(evaluate);
                let mut plan = self.plan_evaluate(actor, &evaluate, at)?;
                self.authorize(actor, &mut plan, false)?;
                let plan = self.validated(plan)?;
                let command = Some(Command::Evaluate(evaluate));
                return self.commit(actor, at, summary, command, plan);
            }
        };
        self.authorize(actor, &mut plan, false)?;
        self.commit(actor, at, summary, audited, plan)
    }

    /// Builds the records of an evaluation step from the records stored now (see
    /// [`Evaluate`]): the evaluator is the actor (or the evaluator a facilitator types in for),
    /// and a step based on what someone else has changed since is refused with who and when.
    /// The plan is authorised and then validated by the caller.
    fn plan_evaluate(
        &self,
        actor: &Actor,
        evaluate: &Evaluate,
        at: Timestamp,
    ) -> Result<Vec<Planned>, CommandError> {
        if matches!(evaluate, Evaluate::Move { .. } | Evaluate::Decide { .. }) {
            let facilitators = self.facilitators()?;
            if !facilitators.is_empty() && !facilitators.contains(&actor.user) {
                return Err(CommandError::Denied(format!(
                    "only a facilitator can move evaluation sessions and record decisions; {} is not one",
                    actor.user
                )));
            }
        }
        let session_id = evaluate.session();
        let not_found = || CommandError::NotFound {
            kind: Kind::Session,
            id: session_id.to_string(),
        };
        let session_row = self
            .get(Kind::Session, session_id.as_str())?
            .ok_or_else(not_found)?;
        let Record::Session(session) = &session_row.record else {
            return Err(not_found());
        };
        let evaluator = actor.on_behalf_of.as_deref().unwrap_or(&actor.user);
        let entered_by = match actor.on_behalf_of {
            Some(_) => actor.user.clone(),
            None => String::new(),
        };
        let refused = |field: &str, message: String| {
            CommandError::Invalid(vec![FieldError {
                kind: Kind::Session,
                id: session_id.to_string(),
                field: field.into(),
                message,
            }])
        };
        let plan = match evaluate {
            Evaluate::Score {
                practice,
                criterion,
                mark,
                comment,
                seen,
                session: _,
            } => {
                let id = Score::key(&session.id, practice, evaluator, criterion);
                let before = self.get(Kind::Score, id.as_str())?;
                if let (Some(seen), Some(row)) = (seen, &before)
                    && row.rev != *seen
                    && row.by != actor.signature()
                {
                    return Err(CommandError::Overtaken(format!(
                        "{} changed this score {} ({})",
                        row.by,
                        evaluation::ago(row.at, at),
                        describe_mark(&row.record)
                    )));
                }
                let comment = match (comment, &before) {
                    (Some(c), _) => c.clone(),
                    (
                        None,
                        Some(Row {
                            record: Record::Score(old),
                            ..
                        }),
                    ) => old.comment.clone(),
                    (None, _) => String::new(),
                };
                let mut score = evaluation::score(
                    session,
                    practice,
                    evaluator,
                    criterion,
                    mark.clone(),
                    &comment,
                    at,
                );
                score.entered_by = entered_by;
                vec![Planned {
                    kind: Kind::Score,
                    id: id.to_string(),
                    before,
                    after: Some(score.into()),
                }]
            }
            Evaluate::Clear {
                practice,
                criterion,
                session: _,
            } => {
                let id = Score::key(&session.id, practice, evaluator, criterion);
                vec![self.plan_delete(Kind::Score, id.as_str(), None)?]
            }
            Evaluate::Comment {
                practice,
                criterion,
                comment,
                ..
            } => {
                let id = Score::key(&session.id, practice, evaluator, criterion);
                let before = self.get(Kind::Score, id.as_str())?;
                let whole = criterion == Score::PRACTICE_COMMENT;
                let after = match (&before, whole) {
                    (Some(_), true) if comment.trim().is_empty() => {
                        return Ok(vec![self.plan_delete(Kind::Score, id.as_str(), None)?]);
                    }
                    (_, true) => {
                        evaluation::practice_comment(session, practice, evaluator, comment, at)
                    }
                    (
                        Some(Row {
                            record: Record::Score(old),
                            ..
                        }),
                        false,
                    ) => {
                        let mut s = (**old).clone();
                        s.comment = comment.clone();
                        s.at = at;
                        s
                    }
                    _ => {
                        return Err(CommandError::Invalid(vec![FieldError {
                            kind: Kind::Score,
                            id: id.to_string(),
                            field: "comment".into(),
                            message: format!("score {criterion} first, then comment on it"),
                        }]));
                    }
                };
                let mut after = after;
                after.entered_by = entered_by;
                vec![Planned {
                    kind: Kind::Score,
                    id: id.to_string(),
                    before,
                    after: Some(after.into()),
                }]
            }
            Evaluate::Move {
                from, to, reason, ..
            } => {
                if session.state != *from {
                    return Err(CommandError::Overtaken(format!(
                        "{} moved session '{}' to {} {}",
                        session_row.by,
                        session.id,
                        session.state,
                        evaluation::ago(session_row.at, at)
                    )));
                }
                let set = match self.get(Kind::CriteriaSet, session.criteria_set.as_str())? {
                    Some(Row {
                        record: Record::CriteriaSet(set),
                        ..
                    }) => Some(*set),
                    _ => None,
                };
                let next = evaluation::move_session(session, *to, set.as_ref())
                    .map_err(|m| refused("state", m))?;
                let view = View::new(self, &[]);
                let board = board::compute(
                    session,
                    &HashMap::new(),
                    view.scores_of(session.id.as_str()).iter(),
                );
                if *to == SessionState::Closed && reason.trim().is_empty() {
                    let open: Vec<String> = board
                        .practices
                        .iter()
                        .filter(|p| {
                            !p.is_complete()
                                || p.consensus.as_ref().is_none_or(|c| c.decision.is_none())
                        })
                        .map(|p| p.practice.to_string())
                        .collect();
                    if !open.is_empty() {
                        return Err(refused(
                            "state",
                            format!(
                                "{} practice(s) are undecided or not fully scored ({}): closing \
                                 all the same needs a reason (taskforce session {} close --force \
                                 REASON)",
                                open.len(),
                                open.join(", "),
                                session.id
                            ),
                        ));
                    }
                }
                let mut plan = vec![Planned {
                    kind: Kind::Session,
                    id: session.id.to_string(),
                    before: Some(session_row.clone()),
                    after: Some(next.into()),
                }];
                if *to == SessionState::Consensus {
                    plan.extend(self.plan_evaluated(session, &board, actor, at)?);
                }
                plan
            }
            Evaluate::Decide {
                practice,
                decision,
                value,
                comment,
                seen,
                ..
            } => {
                let current = session.consensus.iter().find(|c| c.practice == *practice);
                if let Some(now) = current
                    && current != seen.as_ref()
                    && now.by != actor.user
                {
                    let what = match (now.decision, now.value) {
                        (Some(d), Some(v)) => format!("{d} at {v}"),
                        (Some(d), None) => format!("{d} at the mean"),
                        (None, Some(v)) => format!("agreed {v}"),
                        (None, None) => "no decision".to_string(),
                    };
                    return Err(CommandError::Overtaken(format!(
                        "{} decided this practice {}: {what}",
                        now.by,
                        now.at.map_or("earlier".into(), |t| evaluation::ago(t, at)),
                    )));
                }
                let practice_row =
                    self.get(Kind::Practice, practice.as_str())?
                        .ok_or_else(|| CommandError::NotFound {
                            kind: Kind::Practice,
                            id: practice.to_string(),
                        })?;
                let Record::Practice(p) = &practice_row.record else {
                    return Err(CommandError::NotFound {
                        kind: Kind::Practice,
                        id: practice.to_string(),
                    });
                };
                let (next, p) =
                    evaluation::decide(session, p, *decision, *value, comment, &actor.user, at)
                        .map_err(|m| refused("consensus", m))?;
                vec![
                    Planned {
                        kind: Kind::Session,
                        id: session.id.to_string(),
                        before: Some(session_row.clone()),
                        after: Some(next.into()),
                    },
                    Planned {
                        kind: Kind::Practice,
                        id: practice.to_string(),
                        before: Some(practice_row),
                        after: Some(p.into()),
                    },
                ]
            }
        };
        Ok(plan)
    }

    /// A session moving to consensus: every practice scored in it that has not reached
    /// "evaluated" moves there, with an entry in its history naming the session.
    fn plan_evaluated(
        &self,
        session: &EvaluationSession,
        board: &board::Board,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Vec<Planned>, CommandError> {
        let mut plan = Vec::new();
        for result in board
            .practices
            .iter()
            .filter(|p| p.complete > 0 || p.stats.n > 0)
        {
            let Some(row) = self.get(Kind::Practice, result.practice.as_str())? else {
                continue;
            };
            let Record::Practice(p) = &row.record else {
                continue;
            };
            if p.status.reached(PracticeStatus::Evaluated) || p.status == PracticeStatus::Rejected {
                continue;
            }
            let mut next = (**p).clone();
            next.history.push(StatusChange {
                at,
                by: actor.user.clone(),
                from: Some(p.status),
                to: PracticeStatus::Evaluated,
                reason: format!("scored in session '{}'", session.title),
                session: Some(session.id.clone()),
            });
            next.status = PracticeStatus::Evaluated;
            plan.push(Planned {
                kind: Kind::Practice,
                id: p.id.to_string(),
                before: Some(row.clone()),
                after: Some(next.into()),
            });
        }
        Ok(plan)
    }

    /// The plan, once every record it writes passes the rules against the store and the rest
    /// of the plan.
    fn validated(&self, plan: Vec<Planned>) -> Result<Vec<Planned>, CommandError> {
        let incoming: Vec<&Record> = plan.iter().filter_map(|p| p.after.as_ref()).collect();
        let view = View::new(self, &incoming);
        let mut errors = Vec::new();
        for p in &plan {
            if let Some(after) = &p.after {
                errors.extend(validate(after, p.before.as_ref().map(|r| &r.record), &view));
            }
        }
        if errors.is_empty() {
            Ok(plan)
        } else {
            Err(CommandError::Invalid(errors))
        }
    }

    /// The facilitators' login names.
    pub fn facilitators(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(Kind::Member).iter() {
            let (key, value) = item?;
            if let Row {
                record: Record::Member(m),
                ..
            } = decode_row(Kind::Member, &key, &value)?
                && m.facilitator
            {
                out.push(m.id.0.into_string());
            }
        }
        Ok(out)
    }

    /// Who the actor is to this database: its facilitators (the actor among them while there
    /// are none), and whom the actor scores as.
    fn roles(&self, actor: &Actor) -> Result<Roles, CommandError> {
        let mut facilitators = self.facilitators()?;
        let bootstrap = facilitators.is_empty();
        if bootstrap {
            // Whoever sets up a database acts as its facilitator until it has one.
            facilitators.push(actor.user.clone());
        }
        let facilitator = facilitators.contains(&actor.user);
        if actor.on_behalf_of.is_some() && !facilitator {
            return Err(CommandError::Denied(format!(
                "only a facilitator can enter scores on behalf of another evaluator; {} is not one",
                actor.user
            )));
        }
        Ok(Roles {
            bootstrap,
            facilitator,
        })
    }

    /// The member record that makes the actor a facilitator (the first to change a database
    /// without facilitators), and whether it replaces a stored one.
    fn bootstrap_member(&self, actor: &Actor) -> Result<(Member, bool), StoreError> {
        let before = self.get(Kind::Member, &actor.user)?;
        let mut me = match before.as_ref().map(|r| &r.record) {
            Some(Record::Member(m)) => (**m).clone(),
            _ => Member {
                id: MemberId::new(actor.user.clone()),
                name: String::new(),
                organisation: String::new(),
                partner: None,
                facilitator: true,
            },
        };
        me.facilitator = true;
        Ok((me, before.is_some()))
    }

    /// The roles (DESIGN.md, "Shared mode"): everyone browses, edits records and records their
    /// own scores; facilitators also manage sessions and members and score on behalf of others.
    /// The first user to change a database without facilitators becomes its facilitator.
    fn authorize(
        &self,
        actor: &Actor,
        plan: &mut Vec<Planned>,
        via_import: bool,
    ) -> Result<(), CommandError> {
        let roles = self.roles(actor)?;
        let names_one = plan
            .iter()
            .any(|p| matches!(&p.after, Some(Record::Member(m)) if m.facilitator));
        if roles.bootstrap && !names_one {
            let before = self.get(Kind::Member, &actor.user)?;
            let (me, _) = self.bootstrap_member(actor)?;
            plan.retain(|p| !(p.kind == Kind::Member && p.id == actor.user));
            plan.push(Planned {
                kind: Kind::Member,
                id: actor.user.clone(),
                before,
                after: Some(me.into()),
            });
        }
        for p in plan.iter() {
            let before = p.before.as_ref().map(|r| &r.record);
            roles.check(actor, p.kind, before, p.after.as_ref(), via_import)?;
        }
        let mut after: HashSet<String> = self.facilitators()?.into_iter().collect();
        for p in plan.iter().filter(|p| p.kind == Kind::Member) {
            match &p.after {
                Some(Record::Member(m)) if m.facilitator => after.insert(p.id.clone()),
                _ => after.remove(&p.id),
            };
        }
        if after.is_empty() {
            return Err(CommandError::Denied(
                "at least one facilitator must remain".into(),
            ));
        }
        Ok(())
    }

    fn check_rev(
        &self,
        kind: Kind,
        id: &str,
        before: Option<&Row>,
        expected: Option<u64>,
    ) -> Result<(), CommandError> {
        match (expected, before) {
            (None, _) => Ok(()),
            (Some(0), Some(_)) => Err(CommandError::Exists {
                kind,
                id: id.to_string(),
            }),
            (Some(0), None) => Ok(()),
            (Some(_), None) => Err(CommandError::NotFound {
                kind,
                id: id.to_string(),
            }),
            (Some(n), Some(row)) if row.rev != n => Err(CommandError::Conflict {
                kind,
                id: id.to_string(),
                expected: n,
                actual: row.rev,
                by: row.by.to_string(),
                at: row.at.to_string(),
            }),
            _ => Ok(()),
        }
    }

    fn plan_put(&self, record: Record, expected_rev: Option<u64>) -> Result<Planned, CommandError> {
        let (kind, id) = (record.kind(), record.id().to_string());
        let before = self.get(kind, &id)?;
        self.check_rev(kind, &id, before.as_ref(), expected_rev)?;
        let view = View::new(self, &[]);
        let errors = validate(&record, before.as_ref().map(|r| &r.record), &view);
        if !errors.is_empty() {
            return Err(CommandError::Invalid(errors));
        }
        Ok(Planned {
            kind,
            id,
            before,
            after: Some(record),
        })
    }

    fn plan_batch(&self, records: &[(Record, Option<u64>)]) -> Result<Vec<Planned>, CommandError> {
        let mut plan = Vec::new();
        let mut seen = HashSet::new();
        for (record, expected) in records {
            let (kind, id) = (record.kind(), record.id().to_string());
            if !seen.insert((kind, id.clone())) {
                return Err(CommandError::Invalid(vec![FieldError {
                    kind,
                    id,
                    field: "id".into(),
                    message: "appears twice in one change".into(),
                }]));
            }
            let before = self.get(kind, &id)?;
            self.check_rev(kind, &id, before.as_ref(), *expected)?;
            plan.push(Planned {
                kind,
                id,
                before,
                after: Some(record.clone()),
            });
        }
        self.validated(plan)
    }

    fn plan_delete(
        &self,
        kind: Kind,
        id: &str,
        expected_rev: Option<u64>,
    ) -> Result<Planned, CommandError> {
        let before = self.get(kind, id)?.ok_or_else(|| CommandError::NotFound {
            kind,
            id: id.to_string(),
        })?;
        self.check_rev(kind, id, Some(&before), expected_rev)?;
        if let Record::Score(score) = &before.record
            && let Some(Row {
                record: Record::Session(session),
                ..
            }) = self.get(Kind::Session, score.session.as_str())?
            && session.state != SessionState::Open
        {
            return Err(CommandError::Invalid(vec![FieldError {
                kind,
                id: id.to_string(),
                field: "value".into(),
                message: format!(
                    "session '{}' is {}: individual scores can change only while it is open",
                    session.id, session.state
                ),
            }]));
        }
        self.ensure_unreferenced(kind, id, &HashSet::new())?;
        Ok(Planned {
            kind,
            id: id.to_string(),
            before: Some(before),
            after: None,
        })
    }

    /// Refuses to delete a record others still refer to (except those being deleted with it).
    fn ensure_unreferenced(
        &self,
        kind: Kind,
        id: &str,
        going: &HashSet<(Kind, String)>,
    ) -> Result<(), CommandError> {
        let referrers: Vec<String> = self
            .referrers(kind, id)?
            .into_iter()
            .filter(|(k, i, _)| {
                let itself = *k == kind && i == id;
                !itself && !going.contains(&(*k, i.clone()))
            })
            .map(|(k, i, field)| format!("{} '{i}' refers to it in {field}", k.singular()))
            .collect();
        if referrers.is_empty() {
            Ok(())
        } else {
            let mut shown: Vec<String> = referrers.iter().take(10).cloned().collect();
            if referrers.len() > 10 {
                shown.push(format!("and {} more", referrers.len() - 10));
            }
            Err(CommandError::InUse {
                kind,
                id: id.to_string(),
                referrers: shown,
            })
        }
    }

    /// An erasure of one stakeholder's personal data: the record without it (if it still
    /// exists), stamped with who erased it and when, and every audit entry that holds the
    /// person's data as it reads without it (see [`scrub_entry`]). Refused for other kinds,
    /// for a stakeholder erased already, and for one the database never held.
    fn plan_erase(
        &self,
        kind: Kind,
        id: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<(Vec<Planned>, Vec<Rewrite>), CommandError> {
        let refused = |field: &str, message: String| {
            CommandError::Invalid(vec![FieldError {
                kind,
                id: id.to_string(),
                field: field.into(),
                message,
            }])
        };
        if kind != Kind::Stakeholder {
            return Err(refused(
                "id",
                format!(
                    "only a stakeholder's personal data is erased; a {} is edited or deleted instead",
                    kind.singular()
                ),
            ));
        }
        let current = self.get(kind, id)?;
        let erasure = Erasure {
            at,
            by: actor.user.clone(),
        };
        // The person's data as every version of the record held it, the current one and those
        // the audit log keeps (a name changed since, a record deleted since).
        let mut personal: Vec<String> = Vec::new();
        let mut logged = false;
        let mut take = |s: &Stakeholder| {
            for p in [&s.name, &s.email, &s.phone] {
                if p.trim().chars().count() >= 3
                    && p.as_str() != Stakeholder::ERASED
                    && !personal.contains(p)
                {
                    personal.push(p.clone());
                }
            }
        };
        if let Some(Row {
            record: Record::Stakeholder(s),
            ..
        }) = &current
        {
            if let Some(e) = &s.erased {
                return Err(refused(
                    "erased",
                    format!(
                        "the personal data was erased on {} by {} already",
                        e.at.date(),
                        e.by
                    ),
                ));
            }
            take(s);
        }
        let mut entries = Vec::new();
        for item in scan(self.audit_tree()) {
            let (key, value) = item?;
            if !contains(&value, id.as_bytes()) {
                continue;
            }
            let entry: AuditEntry =
                codec::decode(&value).map_err(|message| StoreError::Corrupt {
                    tree: "audit".into(),
                    key: seq_of(&key).to_string(),
                    message,
                })?;
            for r in entry_records(&entry) {
                if let Record::Stakeholder(s) = r
                    && s.id.as_str() == id
                {
                    logged = true;
                    take(s);
                }
            }
            entries.push(seq_of(&key));
        }
        if current.is_none() && !logged {
            return Err(CommandError::NotFound {
                kind,
                id: id.to_string(),
            });
        }
        // Every entry that names the person: those of the record (above) and any whose
        // summary holds the name, email or phone.
        let mut rewrites = Vec::new();
        for item in scan(self.audit_tree()) {
            let (key, value) = item?;
            let seq = seq_of(&key);
            let named = personal.iter().any(|p| contains(&value, p.as_bytes()));
            if !named && !entries.contains(&seq) {
                continue;
            }
            // A damaged entry that holds the person's data cannot be scrubbed: said, not skipped.
            let mut entry: AuditEntry =
                codec::decode(&value).map_err(|message| StoreError::Corrupt {
                    tree: "audit".into(),
                    key: seq.to_string(),
                    message,
                })?;
            if scrub_entry(&mut entry, id, &personal, &erasure) {
                rewrites.push((seq, entry));
            }
        }
        let plan = match current {
            Some(mut row) => {
                let Record::Stakeholder(s) = &row.record else {
                    unreachable!("a stakeholder's tree holds stakeholders")
                };
                let mut after = s.without_personal_data();
                after.erased = Some(erasure);
                row.record = after.clone().into();
                vec![Planned {
                    kind,
                    id: id.to_string(),
                    before: Some(row),
                    after: Some(after.into()),
                }]
            }
            None => Vec::new(),
        };
        Ok((plan, rewrites))
    }

    fn plan_undo(&self, seq: u64) -> Result<Vec<Planned>, CommandError> {
        let entry = self
            .audit_entry(seq)?
            .ok_or_else(|| CommandError::Undo(format!("there is no change #{seq}")))?;
        if matches!(entry.command, Some(Command::Erase { .. })) {
            return Err(CommandError::Undo(format!(
                "change #{seq} ({}) cannot be undone: the data it erased is kept nowhere",
                entry.summary
            )));
        }
        if entry.changes.is_empty() {
            return Err(CommandError::Undo(format!(
                "change #{seq} ({}) cannot be undone record by record",
                entry.summary
            )));
        }
        let mut plan = Vec::new();
        for c in &entry.changes {
            let current = self.get(c.kind, &c.id)?;
            if current.as_ref().map(|r| r.rev) != c.after_rev {
                let by = current
                    .as_ref()
                    .map_or("someone".to_string(), |r| format!("{} at {}", r.by, r.at));
                return Err(CommandError::Undo(format!(
                    "{} '{}' was changed again since change #{seq} (by {by}); undo the later change first",
                    c.kind.singular(),
                    c.id
                )));
            }
            plan.push(Planned {
                kind: c.kind,
                id: c.id.clone(),
                before: current,
                after: c.before.as_ref().map(|r| r.record.clone()),
            });
        }
        let restored: Vec<&Record> = plan.iter().filter_map(|p| p.after.as_ref()).collect();
        let view = View::new(self, &restored);
        let mut errors = Vec::new();
        for r in &restored {
            errors.extend(validate(r, None, &view));
        }
        if !errors.is_empty() {
            return Err(CommandError::Undo(format!(
                "the earlier values no longer fit: {}",
                CommandError::Invalid(errors)
            )));
        }
        let going: HashSet<(Kind, String)> = plan
            .iter()
            .filter(|p| p.after.is_none())
            .map(|p| (p.kind, p.id.clone()))
            .collect();
        for p in plan.iter().filter(|p| p.after.is_none()) {
            self.ensure_unreferenced(p.kind, &p.id, &going)?;
        }
        Ok(plan)
    }

    fn commit(
        &self,
        actor: &Actor,
        at: Timestamp,
        summary: String,
        command: Option<Command>,
        plan: Vec<Planned>,
    ) -> Result<Committed, CommandError> {
        self.commit_rewriting(actor, at, summary, command, plan, Vec::new())
    }

    /// [`Store::commit`], rewriting earlier audit entries (by their sequence number) in the
    /// same transaction: an erasure's scrubbed entries.
    fn commit_rewriting(
        &self,
        actor: &Actor,
        at: Timestamp,
        summary: String,
        command: Option<Command>,
        plan: Vec<Planned>,
        rewrites: Vec<Rewrite>,
    ) -> Result<Committed, CommandError> {
        let by = actor.signature();
        // Imports keep their changes (for history and undo) while they are small enough that
        // the audit value stays small; a bulk load is summarised.
        let audited = command.is_some() || plan.len() <= MAX_AUDITED_IMPORT;
        let result = self.trees.as_slice().transaction(|tx: &Vec<TransactionalTree>| -> ConflictableTransactionResult<Committed, CommandError> {
            let seq = tx[meta_index()]
                .get(META_SEQ)?
                .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
                .map_or(0, u64::from_be_bytes)
                + 1;
            let mut changes = Vec::with_capacity(plan.len());
            let mut audit_changes = Vec::new();
            for p in &plan {
                let tree = &tx[p.kind as usize];
                if let Some(before) = &p.before {
                    for r in before.record.references() {
                        tx[refs_index()].remove(ref_key(r.kind, &r.id, p.kind, &p.id, &r.field))?;
                    }
                }
                let row = p.after.as_ref().map(|record| Row { rev: seq, at, by: by.as_str().into(), record: record.clone() });
                match &row {
                    Some(row) => {
                        tree.insert(p.id.as_bytes(), codec::encode(row))?;
                        for r in row.record.references() {
                            tx[refs_index()].insert(ref_key(r.kind, &r.id, p.kind, &p.id, &r.field), &[])?;
                        }
                    }
                    None => {
                        tree.remove(p.id.as_bytes())?;
                    }
                }
                if audited {
                    audit_changes.push(AuditChange { kind: p.kind, id: p.id.clone(), before: p.before.clone(), after_rev: row.as_ref().map(|r| r.rev) });
                }
                if plan.len() <= BULK_CHANGES {
                    changes.push(Change { kind: p.kind, id: p.id.clone(), row });
                }
            }
            for (earlier, entry) in &rewrites {
                tx[audit_index()].insert(&earlier.to_be_bytes(), codec::encode(entry))?;
            }
            let entry = AuditEntry { seq, at, actor: actor.clone(), summary: summary.clone(), command: command.clone(), changes: audit_changes };
            tx[audit_index()].insert(&seq.to_be_bytes(), codec::encode(&entry))?;
            tx[meta_index()].insert(META_SEQ, &seq.to_be_bytes())?;
            // The counts follow the commit when they held before it; otherwise they are counted
            // afresh when next asked for.
            let counts = tx[meta_index()].get(META_COUNTS)?.and_then(|v| decode_counts(&v));
            if let Some((at, mut counts)) = counts && at + 1 == seq {
                for p in &plan {
                    let n = &mut counts[p.kind as usize];
                    match (p.before.is_some(), p.after.is_some()) {
                        (false, true) => *n += 1,
                        (true, false) => *n = n.saturating_sub(1),
                        _ => {}
                    }
                }
                tx[meta_index()].insert(META_COUNTS, encode_counts(seq, &counts))?;
            }
            Ok(Committed { seq, at, actor: actor.clone(), summary: summary.clone(), changed: plan.len(), changes })
        });
        let committed = result.map_err(|e| match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => CommandError::from(e),
        })?;
        Ok(committed)
    }
}

fn encode_counts(seq: u64, counts: &[u64]) -> Vec<u8> {
    let mut out = seq.to_be_bytes().to_vec();
    for c in counts {
        out.extend_from_slice(&c.to_be_bytes());
    }
    out
}

/// The sequence number and the counts of a stored [`META_COUNTS`]; `None` when it does not hold
/// one number per kind.
fn decode_counts(bytes: &[u8]) -> Option<(u64, Vec<u64>)> {
    if bytes.len() != 8 * (1 + Kind::ALL.len()) {
        return None;
    }
    let mut words = bytes
        .chunks_exact(8)
        .map(|w| u64::from_be_bytes(w.try_into().expect("8 bytes")));
    let seq = words.next()?;
    Some((seq, words.collect()))
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The records an audit entry holds: the values before each change and those of its command.
fn entry_records(entry: &AuditEntry) -> impl Iterator<Item = &Record> {
    let befores = entry
        .changes
        .iter()
        .filter_map(|c| c.before.as_ref().map(|r| &r.record));
    let given: Vec<&Record> = match &entry.command {
        Some(Command::Put { record, .. }) => vec![record],
        Some(Command::Batch { records, .. }) => records.iter().map(|(r, _)| r).collect(),
        Some(Command::Import { records, .. }) => records.iter().collect(),
        _ => Vec::new(),
    };
    befores.chain(given)
}

/// Takes stakeholder `id`'s personal data out of an audit entry: every value of the record it
/// keeps (before a change, or in its command) reads as erased, and `personal` (names, emails,
/// phones the record held) is replaced in its summary. Whether anything changed.
fn scrub_entry(entry: &mut AuditEntry, id: &str, personal: &[String], erasure: &Erasure) -> bool {
    let scrub = |record: &mut Record| -> bool {
        match record {
            Record::Stakeholder(s) if s.id.as_str() == id => {
                let mut clean = s.without_personal_data();
                clean.erased = Some(erasure.clone());
                let changed = **s != clean;
                **s = clean;
                changed
            }
            _ => false,
        }
    };
    let mut changed = false;
    for c in &mut entry.changes {
        if let Some(row) = &mut c.before {
            changed |= scrub(&mut row.record);
        }
    }
    match &mut entry.command {
        Some(Command::Put { record, .. }) => changed |= scrub(record),
        Some(Command::Batch { records, .. }) => {
            for (r, _) in records {
                changed |= scrub(r);
            }
        }
        Some(Command::Import { records, .. }) => {
            for r in records {
                changed |= scrub(r);
            }
        }
        _ => {}
    }
    for p in personal {
        if entry.summary.contains(p.as_str()) {
            entry.summary = entry.summary.replace(p.as_str(), Stakeholder::ERASED);
            changed = true;
        }
    }
    changed
}

/// Sets the author and time of what a plain save adds to a record (a score, a session's
/// consensus entries, a practice's status history) from the actor and the store's clock: what
/// the client sent about who and when is never kept.
/// A change sent from a workbench's copy of the records may leave a long text out
/// ([`crate::model::Prose::elided`]): it is the text stored now. The revision the change is
/// based on is checked as for any change, so a text someone changed since is never kept over
/// theirs silently; a text that cannot be taken (a new record) stays elided, and validation
/// refuses it, naming the field.
fn keep_stored_texts(record: &mut Record, before: Option<&Row>) {
    if record.has_elided_texts()
        && let Some(stored) = before
    {
        record.fill_texts_from(&stored.record);
    }
}

fn stamp(record: &mut Record, before: Option<&Record>, actor: &Actor, at: Timestamp) {
    match record {
        Record::Score(score) => {
            score.entered_by = match actor.on_behalf_of {
                Some(_) => actor.user.clone(),
                None => String::new(),
            };
            score.at = at;
        }
        Record::Session(session) => {
            let old = match before {
                Some(Record::Session(s)) => s.consensus.as_slice(),
                _ => &[],
            };
            for entry in &mut session.consensus {
                if !old.contains(entry) {
                    entry.by = actor.user.clone();
                    entry.at = Some(at);
                }
            }
        }
        Record::Practice(practice) => {
            let kept = match before {
                Some(Record::Practice(p)) => p.history.len(),
                _ => 0,
            };
            for change in practice.history.iter_mut().skip(kept) {
                change.by = actor.user.clone();
                change.at = at;
            }
        }
        // Only an erasure marks a stakeholder erased, and nothing unmarks one.
        Record::Stakeholder(s) => {
            s.erased = match before {
                Some(Record::Stakeholder(old)) => old.erased.clone(),
                _ => None,
            };
        }
        _ => {}
    }
}

/// A score's mark in words, for a refusal.
fn describe_mark(record: &Record) -> String {
    match record {
        Record::Score(s) => match s.value {
            Some(v) => format!("now {v}"),
            None if !s.abstain_reason.is_empty() => "now an abstention".into(),
            None => "now a comment".into(),
        },
        _ => String::new(),
    }
}

fn seq_of(key: &[u8]) -> u64 {
    <[u8; 8]>::try_from(key).map_or(0, u64::from_be_bytes)
}

/// Decodes a record as [`Store::each_stored`] gives it, checking that it belongs under its tree
/// and key; what is wrong is a [`Problem`] that names both.
pub fn decode_stored(kind: Kind, key: &[u8], bytes: &[u8]) -> Result<Row, Problem> {
    decode_row(kind, key, bytes).map_err(|e| match e {
        StoreError::Corrupt { tree, key, message } => Problem { tree, key, message },
        other => Problem {
            tree: kind.key().to_string(),
            key: String::from_utf8_lossy(key).into_owned(),
            message: other.to_string(),
        },
    })
}

fn decode_row(kind: Kind, key: &[u8], bytes: &[u8]) -> Result<Row, StoreError> {
    let corrupt = |message: String| StoreError::Corrupt {
        tree: kind.key().to_string(),
        key: String::from_utf8_lossy(key).into_owned(),
        message,
    };
    let row: Row = codec::decode(bytes).map_err(corrupt)?;
    if row.record.kind() != kind {
        return Err(corrupt(format!(
            "holds a {} in the {} tree",
            row.record.kind().singular(),
            kind.key()
        )));
    }
    if row.record.id().as_bytes() != key {
        return Err(corrupt(format!(
            "holds record '{}' under another key",
            row.record.id()
        )));
    }
    Ok(row)
}

fn open_error(path: &Path, e: sled::Error) -> StoreError {
    let text = e.to_string();
    if text.contains("could not acquire lock") || text.contains("WouldBlock") {
        StoreError::Locked {
            path: path.to_path_buf(),
        }
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            message: text,
        }
    }
}

/// The store's records seen together with records about to be written (an import, an undo).
struct View<'a> {
    store: &'a Store,
    overlay: HashMap<(Kind, &'a str), &'a Record>,
    vouchers_by_sme: HashMap<&'a str, Vec<&'a Voucher>>,
}

impl<'a> View<'a> {
    /// The stored records of kind `of` that refer to `target`/`id`, except those this change
    /// replaces (the overlay holds its own version of them).
    fn stored_referrers(&self, target: Kind, id: &str, of: Kind) -> impl Iterator<Item = Record> {
        self.store
            .referrers(target, id)
            .unwrap_or_default()
            .into_iter()
            .filter(move |(kind, rid, _)| {
                *kind == of && !self.overlay.contains_key(&(of, rid.as_str()))
            })
            .filter_map(move |(_, rid, _)| self.store.get(of, &rid).ok().flatten())
            .map(|row| row.record)
    }

    fn new(store: &'a Store, incoming: &[&'a Record]) -> View<'a> {
        let mut overlay = HashMap::new();
        let mut vouchers_by_sme: HashMap<&str, Vec<&Voucher>> = HashMap::new();
        for r in incoming {
            overlay.insert((r.kind(), r.id()), *r);
            if let Record::Voucher(v) = r {
                vouchers_by_sme.entry(v.sme.as_str()).or_default().push(v);
            }
        }
        View {
            store,
            overlay,
            vouchers_by_sme,
        }
    }
}

impl Lookup for View<'_> {
    fn scores_of(&self, session: &str) -> Vec<Score> {
        let prefix = format!("{session}:");
        let mut out: Vec<Score> = self
            .store
            .tree(Kind::Score)
            .scan_prefix(prefix.as_bytes())
            .filter_map(|item| item.ok())
            .filter(|(key, _)| {
                let id = String::from_utf8_lossy(key);
                !self.overlay.contains_key(&(Kind::Score, id.as_ref()))
            })
            .filter_map(|(key, value)| match decode_row(Kind::Score, &key, &value) {
                Ok(Row {
                    record: Record::Score(s),
                    ..
                }) => Some(*s),
                _ => None,
            })
            .collect();
        out.extend(self.overlay.values().filter_map(|r| match r {
            Record::Score(s) if s.session.as_str() == session => Some((**s).clone()),
            _ => None,
        }));
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    fn get(&self, kind: Kind, id: &str) -> Option<Record> {
        if let Some(r) = self.overlay.get(&(kind, id)) {
            return Some((*r).clone());
        }
        self.store
            .get(kind, id)
            .ok()
            .flatten()
            .map(|row| row.record)
    }

    fn meetings_of(&self, project: &str) -> Vec<Meeting> {
        let mut out: Vec<Meeting> = self
            .overlay
            .values()
            .filter_map(|r| match r {
                Record::Meeting(m) if m.project.as_str() == project => Some((**m).clone()),
                _ => None,
            })
            .collect();
        out.extend(
            self.stored_referrers(Kind::Project, project, Kind::Meeting)
                .filter_map(|r| match r {
                    Record::Meeting(m) => Some(*m),
                    _ => None,
                }),
        );
        out
    }

    fn vouchers_of(&self, sme: &str) -> Vec<Voucher> {
        let mut out: Vec<Voucher> = self
            .vouchers_by_sme
            .get(sme)
            .map(|v| v.iter().map(|v| (*v).clone()).collect())
            .unwrap_or_default();
        out.extend(
            self.stored_referrers(Kind::Sme, sme, Kind::Voucher)
                .filter_map(|r| match r {
                    Record::Voucher(v) => Some(*v),
                    _ => None,
                }),
        );
        out
    }
}
