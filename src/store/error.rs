//! What can go wrong when opening or changing a database, in words a user can act on.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{FieldError, Kind};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "the database {path} is in use by another taskforce process.\n\
         To work on it together, use the shared server: run `taskforce serve --db {path}` once \
         (the workbench starts one by itself), and every `taskforce --db {path}` connects to it."
    )]
    Locked { path: PathBuf },
    #[error(
        "the database {path} was written by a newer taskforce (schema version {found}; this one \
         reads up to {supported}). Install the newer taskforce to open it; nothing was changed."
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot open the database {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("{tree}/{key}: {message}")]
    Corrupt {
        tree: String,
        key: String,
        message: String,
    },
    #[error("database error: {0}")]
    Sled(#[from] sled::Error),
    /// Failed on the shared server (or the connection to it failed); `code` is the exit code
    /// it means for a one-shot command.
    #[error("{message}")]
    Remote { code: u8, message: String },
}

impl StoreError {
    /// The exit code this failure means for a one-shot command.
    pub fn exit_code(&self) -> u8 {
        match self {
            StoreError::Locked { .. } | StoreError::TooNew { .. } => crate::exit::UNAVAILABLE,
            StoreError::Remote { code, .. } => *code,
            _ => crate::exit::FAILED,
        }
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(e: sled::transaction::TransactionError<StoreError>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => StoreError::Sled(e),
        }
    }
}

/// Why a command was not applied. Nothing was written in any of these cases.
///
/// Sent as it is over the server's socket, so that a refusal reads and behaves the same locally
/// and shared (a form places field errors, a conflict shows both versions); a failure of the
/// store itself travels as its exit code and words ([`StoreError::Remote`]).
#[derive(Debug, Error, Serialize, Deserialize)]
pub enum CommandError {
    #[error("{}", list_errors(.0))]
    Invalid(Vec<FieldError>),
    #[error("{} '{id}' already exists", .kind.singular())]
    Exists { kind: Kind, id: String },
    #[error("there is no {} '{id}'", .kind.singular())]
    NotFound { kind: Kind, id: String },
    #[error(
        "{} '{id}' was changed by {by} at {at} since you opened it (revision {actual}, you had \
         {expected}); nothing was overwritten: reload it and make your change again",
        .kind.singular()
    )]
    Conflict {
        kind: Kind,
        id: String,
        expected: u64,
        actual: u64,
        by: String,
        at: String,
    },
    #[error("{} '{id}' cannot be deleted: {}", .kind.singular(), .referrers.join("; "))]
    InUse {
        kind: Kind,
        id: String,
        referrers: Vec<String>,
    },
    #[error("{}", .0)]
    ImportConflicts(String),
    #[error("cannot undo: {0}")]
    Undo(String),
    #[error("not allowed: {0}")]
    Denied(String),
    /// Based on something someone else changed since the user saw it ("bob decided this
    /// practice 2 s ago: validated at 4.2"); nothing was changed.
    #[error("{0}; nothing was changed")]
    Overtaken(String),
    #[error(transparent)]
    Store(
        #[from]
        #[serde(with = "store_error_as_words")]
        StoreError,
    ),
}

impl CommandError {
    /// The exit code this refusal or failure means for a one-shot command.
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Store(e) => e.exit_code(),
            _ => crate::exit::REFUSED,
        }
    }
}

/// A store failure crosses the socket as its exit code and its words.
mod store_error_as_words {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::StoreError;

    pub fn serialize<S: Serializer>(e: &StoreError, s: S) -> Result<S::Ok, S::Error> {
        (e.exit_code(), e.to_string()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<StoreError, D::Error> {
        let (code, message) = <(u8, String)>::deserialize(d)?;
        Ok(StoreError::Remote { code, message })
    }
}

fn list_errors(errors: &[FieldError]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if i == 20 {
            out.push_str(&format!("… and {} more", errors.len() - 20));
            break;
        }
        out.push_str(&e.to_string());
    }
    out
}

impl From<sled::Error> for CommandError {
    fn from(e: sled::Error) -> Self {
        CommandError::Store(StoreError::Sled(e))
    }
}
