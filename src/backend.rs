//! The one interface the workbench talks to: a store in this process (`Local`), or the shared
//! server of the database (`Remote`). The workbench never touches sled.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::model::{Actor, Command, Committed, Kind, Replica};
use crate::server::{ConnectError, Connection, Incoming, Presence, Reply, Request, WireError};
use crate::store::{AuditEntry, CheckReport, CommandError, Problem, Store, StoreError};

pub trait Backend {
    /// Every record as of now, and the records that could not be read.
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError>;
    /// Applies a command as the user; returns only once it is durable.
    fn submit(&mut self, command: Command) -> Result<Committed, CommandError> {
        self.submit_for(command, None)
    }
    /// Applies a command typed in on behalf of another evaluator (proxy scoring).
    fn submit_for(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
    ) -> Result<Committed, CommandError>;
    /// Commits made since the last call that this backend did not return from `submit`
    /// (other users' changes in shared mode). Never blocks.
    fn poll_events(&mut self) -> Vec<Committed>;
    /// After the connection was lost and restored: everything afresh, to replace the replica.
    fn take_resync(&mut self) -> Option<Replica> {
        None
    }
    /// The audit entries that changed one record, newest first.
    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError>;
    /// The newest `limit` entries of the audit log.
    fn audit(&mut self, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
    /// Reads every record and reports what is damaged.
    fn check(&mut self) -> Result<CheckReport, StoreError>;
    /// Who is connected (shared mode); just the user otherwise.
    fn who(&self) -> Vec<String> {
        vec![self.user()]
    }
    /// The connection in words for the status bar, when it is worth saying.
    fn status(&self) -> Option<String> {
        None
    }
    /// Called once the first frame is on screen: work that need not delay it.
    fn settle(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// The user the backend acts as.
    fn user(&self) -> String;
    /// Where the data is, for the status bar.
    fn location(&self) -> String;
}

/// A store opened by this process.
pub struct Local {
    /// Always present, except after reopening it failed (which ends the workbench).
    store: Option<Store>,
    actor: Actor,
    /// Every record, read when the workbench opened the store (see [`Local::loaded`]).
    preloaded: Option<(Replica, Vec<Problem>)>,
    /// Whether the store is to be reopened once the first frame is drawn.
    reopen: bool,
    events: mpsc::Receiver<Committed>,
    sender: mpsc::Sender<Committed>,
}

impl Local {
    pub fn new(store: Store, actor: Actor) -> Local {
        let (sender, events) = mpsc::channel();
        Local {
            store: Some(store),
            actor,
            preloaded: None,
            reopen: false,
            events,
            sender,
        }
    }

    /// For the workbench: reads every record at once, for the first [`Backend::snapshot`], and
    /// reopens the store once the first frame is drawn ([`Backend::settle`]) so that sled lets go
    /// of what that read pulled into memory (see [`Store::reopen`]): at 100k records the process
    /// holds about 130 MB less, and the 130 ms that takes do not delay the first frame.
    pub fn loaded(store: Store, actor: Actor) -> Result<Local, StoreError> {
        let loaded = store.load()?;
        let mut local = Local::new(store, actor);
        local.preloaded = Some(loaded);
        local.reopen = true;
        Ok(local)
    }

    pub fn store(&self) -> &Store {
        self.store
            .as_ref()
            .expect("the store is present unless reopening it failed, which ends the workbench")
    }

    /// A sender whose commits show up in `poll_events` (tests use it to play another user).
    pub fn event_sender(&self) -> mpsc::Sender<Committed> {
        self.sender.clone()
    }
}

impl Backend for Local {
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError> {
        match self.preloaded.take() {
            Some(loaded) => Ok(loaded),
            None => self.store().load(),
        }
    }

    fn submit_for(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
    ) -> Result<Committed, CommandError> {
        let actor = Actor {
            user: self.actor.user.clone(),
            on_behalf_of,
        };
        self.store().apply(&actor, command)
    }

    fn poll_events(&mut self) -> Vec<Committed> {
        self.events.try_iter().collect()
    }

    fn settle(&mut self) -> Result<(), StoreError> {
        if std::mem::take(&mut self.reopen)
            && let Some(store) = self.store.take()
        {
            self.store = Some(store.reopen()?);
        }
        Ok(())
    }

    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.store().history(kind, id)
    }

    fn audit(&mut self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.store().audit(limit)
    }

    fn check(&mut self) -> Result<CheckReport, StoreError> {
        let total = Kind::ALL.iter().map(|k| self.store().count(*k)).sum();
        let mut progress = crate::progress::Progress::new("Checked", total);
        self.store().check(|n| progress.set(n))
    }

    fn user(&self) -> String {
        self.actor.user.clone()
    }

    fn location(&self) -> String {
        self.store().path().display().to_string()
    }
}

/// The shared server of a database. Reconnects by itself, starting a server when none runs.
pub struct Remote {
    db: PathBuf,
    conn: Option<Connection>,
    events: mpsc::Receiver<Incoming>,
    sender: mpsc::Sender<Incoming>,
    user: String,
    presence: Vec<Presence>,
    lost: Option<String>,
    last_attempt: Instant,
    resync: Option<Replica>,
    /// The last commit this client applied: events at or below it are already in.
    seen: u64,
}

/// How often a lost connection is tried again.
const RETRY: Duration = Duration::from_secs(1);

fn wire_to_command_error(e: WireError) -> CommandError {
    CommandError::Remote {
        code: e.code,
        message: e.message,
        fields: e.fields,
    }
}

fn wire_to_store_error(db: &Path, e: WireError) -> StoreError {
    StoreError::Open {
        path: db.to_path_buf(),
        message: e.message,
    }
}

impl Remote {
    /// Connects to the server of `db` as `program`, starting one first when `start` is set and
    /// none runs.
    pub fn connect(
        db: &Path,
        program: &str,
        start: bool,
        empty: bool,
    ) -> Result<Remote, ConnectError> {
        let (sender, events) = mpsc::channel();
        let conn = match Connection::connect(db, program, Some(sender.clone())) {
            Ok(c) => c,
            Err(ConnectError::NoServer) if start => {
                crate::server::spawn::start_server(db, empty).map_err(ConnectError::Failed)?;
                Connection::connect(db, program, Some(sender.clone()))?
            }
            Err(e) => return Err(e),
        };
        Ok(Remote {
            db: db.to_path_buf(),
            user: conn.user.clone(),
            conn: Some(conn),
            events,
            sender,
            presence: Vec::new(),
            lost: None,
            last_attempt: Instant::now(),
            resync: None,
            seen: 0,
        })
    }

    fn reconnect(&mut self) {
        if self.last_attempt.elapsed() < RETRY {
            return;
        }
        self.last_attempt = Instant::now();
        let attempt = match Connection::connect(&self.db, "workbench", Some(self.sender.clone())) {
            Err(ConnectError::NoServer) => crate::server::spawn::start_server(&self.db, false)
                .and_then(|_| {
                    Connection::connect(&self.db, "workbench", Some(self.sender.clone()))
                        .map_err(|e| e.to_string())
                }),
            other => other.map_err(|e| e.to_string()),
        };
        match attempt {
            Ok(mut conn) => match conn.snapshot() {
                Ok((replica, _)) => {
                    self.seen = replica.seq;
                    self.resync = Some(replica);
                    self.conn = Some(conn);
                    self.lost = None;
                }
                Err(e) => self.lost = Some(e.message),
            },
            Err(e) => self.lost = Some(e),
        }
    }

    fn request(&mut self, request: Request) -> Result<Reply, StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| wire_to_store_error(&db, e))?;
        conn.request(request)
            .map_err(|e| wire_to_store_error(&db, e))
    }

    /// Takes a new snapshot to replace the replica (after a commit too large to broadcast).
    fn reload(&mut self) {
        match self.snapshot() {
            Ok((replica, _)) => self.resync = Some(replica),
            Err(e) => self.lost = Some(e.to_string()),
        }
    }

    fn out_of_turn(&self) -> StoreError {
        StoreError::Open {
            path: self.db.clone(),
            message: "the server answered out of turn".into(),
        }
    }

    fn connection(&mut self) -> Result<&mut Connection, WireError> {
        let lost = self.lost.clone();
        self.conn.as_mut().ok_or_else(|| WireError {
            code: crate::exit::FAILED,
            message: format!(
                "not connected to the server ({}); trying again",
                lost.unwrap_or_default()
            ),
            fields: Vec::new(),
        })
    }
}

impl Backend for Remote {
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| wire_to_store_error(&db, e))?;
        let (replica, problems) = conn.snapshot().map_err(|e| wire_to_store_error(&db, e))?;
        self.seen = replica.seq;
        Ok((replica, problems))
    }

    fn submit_for(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
    ) -> Result<Committed, CommandError> {
        let conn = self.connection().map_err(wire_to_command_error)?;
        match conn.request(Request::Submit {
            command,
            on_behalf_of,
        }) {
            Ok(Reply::Committed(c)) => {
                if c.changes.len() < c.changed {
                    self.reload();
                }
                Ok(c)
            }
            Ok(_) => Err(CommandError::Remote {
                code: crate::exit::FAILED,
                message: "the server answered out of turn".into(),
                fields: Vec::new(),
            }),
            Err(e) => Err(wire_to_command_error(e)),
        }
    }

    fn poll_events(&mut self) -> Vec<Committed> {
        let mut out = Vec::new();
        for incoming in self.events.try_iter().collect::<Vec<_>>() {
            match incoming {
                Incoming::Event(c) if c.seq > self.seen => {
                    self.seen = c.seq;
                    out.push(c);
                }
                Incoming::Event(_) => {}
                Incoming::Presence(p) => self.presence = p,
                Incoming::Reload => self.reload(),
                Incoming::Lost(reason) => {
                    self.conn = None;
                    self.lost = Some(reason);
                }
            }
        }
        if self.conn.is_none() {
            self.reconnect();
        }
        out
    }

    fn take_resync(&mut self) -> Option<Replica> {
        self.resync.take()
    }

    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        match self.request(Request::History {
            kind,
            id: id.to_string(),
        })? {
            Reply::History(h) => Ok(h),
            _ => Err(self.out_of_turn()),
        }
    }

    fn audit(&mut self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        match self.request(Request::Audit { limit })? {
            Reply::Audit(entries) => Ok(entries),
            _ => Err(self.out_of_turn()),
        }
    }

    fn check(&mut self) -> Result<CheckReport, StoreError> {
        match self.request(Request::Check)? {
            Reply::Check(report) => Ok(report),
            _ => Err(self.out_of_turn()),
        }
    }

    fn who(&self) -> Vec<String> {
        let mut users: Vec<String> = self.presence.iter().map(|p| p.user.clone()).collect();
        users.dedup();
        if users.is_empty() {
            users.push(self.user.clone());
        }
        users
    }

    fn status(&self) -> Option<String> {
        match &self.lost {
            Some(reason) => Some(format!("reconnecting: {reason}")),
            None => {
                let n = self.presence.len();
                (n > 1).then(|| format!("shared: {n} connected"))
            }
        }
    }

    fn user(&self) -> String {
        self.user.clone()
    }

    fn location(&self) -> String {
        format!("{} (shared)", self.db.display())
    }
}
