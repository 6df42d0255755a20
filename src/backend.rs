//! The one interface the workbench talks to: a store in this process (`Local`), or a shared
//! server over a socket. The workbench never touches sled.

use std::sync::mpsc;

use crate::model::{Actor, Command, Committed, Kind, Replica};
use crate::store::{AuditEntry, CommandError, Problem, Store, StoreError};

pub trait Backend {
    /// Every record as of now, and the records that could not be read.
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError>;
    /// Applies a command; returns only once it is durable.
    fn submit(&mut self, command: Command) -> Result<Committed, CommandError>;
    /// Commits made since the last call that this backend did not return from `submit`
    /// (other users' changes in shared mode). Never blocks.
    fn poll_events(&mut self) -> Vec<Committed>;
    /// The audit entries that changed one record, newest first.
    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError>;
    /// The user the backend acts as.
    fn user(&self) -> String;
    /// Where the data is, for the status bar ("~/…/taskforce/db").
    fn location(&self) -> String;
}

/// A store opened by this process.
pub struct Local {
    store: Store,
    actor: Actor,
    events: mpsc::Receiver<Committed>,
    sender: mpsc::Sender<Committed>,
}

impl Local {
    pub fn new(store: Store, actor: Actor) -> Local {
        let (sender, events) = mpsc::channel();
        Local {
            store,
            actor,
            events,
            sender,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A sender whose commits show up in `poll_events` (tests use it to play another user).
    pub fn event_sender(&self) -> mpsc::Sender<Committed> {
        self.sender.clone()
    }
}

impl Backend for Local {
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError> {
        self.store.load()
    }

    fn submit(&mut self, command: Command) -> Result<Committed, CommandError> {
        self.store.apply(&self.actor, command)
    }

    fn poll_events(&mut self) -> Vec<Committed> {
        self.events.try_iter().collect()
    }

    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.store.history(kind, id)
    }

    fn user(&self) -> String {
        self.actor.user.clone()
    }

    fn location(&self) -> String {
        self.store.path().display().to_string()
    }
}
