//! `Command`: every change to the database is one of these values. The store applies each one
//! atomically and durably; the shared server sends them as they are over its socket.
//!
//! Stored in the audit log by position: append new variants, never reorder.

use serde::{Deserialize, Serialize};

use super::evaluation::Evaluate;
use super::record::{Kind, Record};
use super::replica::Row;
use super::values::Timestamp;

/// A commit that changes more records than this returns counts instead of the rows (a bulk
/// import); whoever holds a replica takes a new snapshot instead.
pub const BULK_CHANGES: usize = 2000;

/// What an import does with a record whose id already exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnConflict {
    /// Refuse the whole import and list the ids (the default: nothing is overwritten by surprise).
    Fail,
    /// Keep the stored record and leave the imported one out.
    Skip,
    /// Replace the stored record with the imported one (each replacement is in the audit log).
    Replace,
}

/// Commands are short-lived values on their way to the store, so a large `Put` is not boxed.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// Create or replace one record. `expected_rev`: `Some(0)` means "must not exist yet",
    /// `Some(n)` means "must still be at revision n" (someone else's edit is never overwritten),
    /// `None` means "whatever is stored".
    Put {
        record: Record,
        expected_rev: Option<u64>,
    },
    /// Delete one record; refused while other records refer to it.
    Delete {
        kind: Kind,
        id: String,
        expected_rev: Option<u64>,
    },
    /// Load many records at once: validated as a whole, applied in one transaction or not at all.
    Import {
        records: Vec<Record>,
        on_conflict: OnConflict,
        source: String,
    },
    /// Put back what an earlier command changed, if nothing has changed those records since.
    Undo { seq: u64 },
    /// Several records saved together or not at all; each with its expected revision as in
    /// `Put`. `summary` is ignored: the audit log describes the records themselves.
    Batch {
        records: Vec<(Record, Option<u64>)>,
        summary: String,
    },
    /// What people do in an evaluation session, applied by the store against the records it
    /// holds (see [`Evaluate`]).
    Evaluate(Evaluate),
    /// Erase one person's personal data (a stakeholder's): the record keeps what it is and
    /// where it belongs, the store records who erased it and when, and every earlier value the
    /// audit log keeps of the person's data is scrubbed in the same commit. It cannot be undone.
    Erase { kind: Kind, id: String },
}

impl Command {
    /// A short description for the audit log and messages.
    pub fn describe(&self) -> String {
        match self {
            Command::Put {
                record,
                expected_rev: Some(0),
            } => {
                format!("create {} '{}'", record.kind().singular(), record.id())
            }
            Command::Put { record, .. } => {
                format!("save {} '{}'", record.kind().singular(), record.id())
            }
            Command::Delete { kind, id, .. } => format!("delete {} '{id}'", kind.singular()),
            Command::Import {
                records, source, ..
            } => format!("import {} records from {source}", records.len()),
            Command::Undo { seq } => format!("undo change #{seq}"),
            // The summary a client sends is not trusted: the log says what the batch holds.
            Command::Batch { records, .. } => {
                let names: Vec<String> = records
                    .iter()
                    .take(5)
                    .map(|(r, _)| format!("{} '{}'", r.kind().singular(), r.id()))
                    .collect();
                let more = records.len().saturating_sub(names.len());
                match more {
                    0 => format!("save {}", names.join(", ")),
                    n => format!("save {} and {n} more", names.join(", ")),
                }
            }
            Command::Evaluate(e) => e.describe(),
            Command::Erase { kind, id } => {
                format!("erase the personal data of {} '{id}'", kind.singular())
            }
        }
    }
}

/// Who made a change: the operating-system user, and the evaluator they typed it in for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: String,
    pub on_behalf_of: Option<String>,
}

impl Actor {
    pub fn user(name: impl Into<String>) -> Actor {
        Actor {
            user: name.into(),
            on_behalf_of: None,
        }
    }

    /// How a row records its author: the user, or "user for evaluator" for a proxy entry.
    pub fn signature(&self) -> String {
        match &self.on_behalf_of {
            Some(who) => format!("{} for {who}", self.user),
            None => self.user.clone(),
        }
    }
}

/// One record after a commit: its new row, or `None` when it was deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: Kind,
    pub id: String,
    pub row: Option<Row>,
}

/// The acknowledgement of a durable commit: sent only after the data reached the disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committed {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: Actor,
    pub summary: String,
    /// How many records changed; `changes` may be left empty for a very large commit, whose
    /// receivers reload instead.
    pub changed: usize,
    pub changes: Vec<Change>,
}
