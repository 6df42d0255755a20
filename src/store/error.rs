//! What can go wrong when opening or changing a database, in words a user can act on.

use std::path::PathBuf;

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
#[derive(Debug, Error)]
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
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Refused or failed on the shared server; `code` is the exit code it means.
    #[error("{message}")]
    Remote {
        code: u8,
        message: String,
        fields: Vec<FieldError>,
    },
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
