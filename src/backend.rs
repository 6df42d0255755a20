//! The one interface the workbench talks to: a store in this process (`Local`), or the shared
//! server of the database (`Remote`). The workbench never touches sled.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::model::{Actor, Command, Committed, Kind, Replica, Row, Texts};
use crate::server::{ConnectError, Connection, Incoming, Presence, Reply, Request};
use crate::store::{AuditEntry, CheckReport, CommandError, Problem, Store, StoreError};

/// What the workbench is handed for a change it sent ([`Backend::send`]).
pub type Ticket = u64;

/// What the workbench receives from its backend: one stream, in the order the store committed.
#[derive(Debug)]
pub enum Update {
    /// A durable commit: this workbench's own (with the ticket it was sent with) or anyone
    /// else's.
    Committed {
        ticket: Option<Ticket>,
        committed: Committed,
    },
    /// A change this workbench sent was refused, or may not have arrived; nothing was written
    /// by it as far as this workbench knows.
    Refused { ticket: Ticket, error: CommandError },
    /// Every record afresh, to replace the replica (after a reconnection or a bulk commit).
    Resync(Replica),
}

pub trait Backend {
    /// Every record as of now, and the records that could not be read.
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError>;
    /// Sends a change as the user (or, with `on_behalf_of`, typed in for another evaluator by a
    /// facilitator) and returns at once: its outcome arrives through [`Backend::poll`] with the
    /// ticket returned here. Never waits for a busy or stopped server.
    fn send(&mut self, command: Command, on_behalf_of: Option<String>) -> Ticket;
    /// Everything that happened since the last call, in commit order: this workbench's changes
    /// and everyone else's, refusals, and a resynchronisation after a reconnection.
    fn poll(&mut self) -> Vec<Update>;
    /// Applies a command as the user and waits until it is durable (one-shot commands).
    fn submit(&mut self, command: Command) -> Result<Committed, CommandError> {
        self.submit_for(command, None)
    }
    /// `submit` for a command typed in on behalf of another evaluator (proxy scoring).
    fn submit_for(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
    ) -> Result<Committed, CommandError>;
    /// The audit entries that changed one record, newest first.
    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError>;
    /// The newest `limit` entries of the audit log.
    fn audit(&mut self, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
    /// Reads every record and reports what is damaged.
    fn check(&mut self) -> Result<CheckReport, StoreError>;
    /// One record as it is now, without reading the others.
    fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Row>, StoreError>;
    /// The last change and the number of records of each kind, without reading them.
    fn info(&mut self) -> Result<(u64, Vec<(Kind, u64)>), StoreError>;
    /// Every record of one kind, without reading the others, and those that did not decode.
    fn rows(&mut self, kind: Kind) -> Result<(Vec<Row>, Vec<Problem>), StoreError>;
    /// Who is connected (shared mode); just the user otherwise.
    fn who(&self) -> Vec<String> {
        vec![self.user()]
    }
    /// The connection in words for the status bar, when it is worth saying.
    fn status(&self) -> Option<String> {
        None
    }
    /// Where searches run when not on an index of the workbench's own: the store's saved index
    /// in this process, or the server. `None`: the workbench indexes its records itself.
    fn search_source(&self) -> Option<Box<dyn crate::search::Source>> {
        None
    }
    /// What [`Backend::snapshot`] keeps of the records' long texts; [`Backend::get`] reads a
    /// record whole.
    fn texts(&self) -> Texts {
        Texts::Whole
    }
    /// The user the backend acts as.
    fn user(&self) -> String;
    /// Where the data is, for the status bar.
    fn location(&self) -> String;
}

/// A store opened by this process.
pub struct Local {
    /// Shared with the workbench's searches (see [`Backend::search_source`]).
    store: std::sync::Arc<Store>,
    actor: Actor,
    /// Every record, read when the workbench opened the store (see [`Local::loaded`]).
    preloaded: Option<(Replica, Vec<Problem>)>,
    /// What snapshots keep of the long texts (a workbench's: none; see [`Texts`]).
    texts: Texts,
    events: mpsc::Receiver<Committed>,
    sender: mpsc::Sender<Committed>,
    /// Outcomes and commits not yet polled, in order.
    updates: Vec<Update>,
    next_ticket: Ticket,
}

impl Local {
    pub fn new(store: Store, actor: Actor) -> Local {
        let (sender, events) = mpsc::channel();
        Local {
            store: std::sync::Arc::new(store),
            actor,
            preloaded: None,
            texts: Texts::Whole,
            events,
            sender,
            updates: Vec::new(),
            next_ticket: 1,
        }
    }

    /// Moves commits that arrived on the event channel (tests playing another user) into the
    /// stream, before whatever this workbench does next.
    fn take_events(&mut self) {
        for committed in self.events.try_iter() {
            self.updates.push(Update::Committed {
                ticket: None,
                committed,
            });
        }
    }

    /// For the workbench: reads every record at once, without their long texts, for the first
    /// [`Backend::snapshot`].
    pub fn loaded(store: Store, actor: Actor) -> Result<Local, StoreError> {
        let loaded = store.load_keeping(Texts::Elided)?;
        let mut local = Local::new(store, actor);
        local.texts = Texts::Elided;
        local.preloaded = Some(loaded);
        Ok(local)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A sender whose commits show up in `poll` (tests use it to play another user).
    pub fn event_sender(&self) -> mpsc::Sender<Committed> {
        self.sender.clone()
    }
}

impl Backend for Local {
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError> {
        match self.preloaded.take() {
            Some(loaded) => Ok(loaded),
            None => self.store().load_keeping(self.texts),
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

    fn send(&mut self, command: Command, on_behalf_of: Option<String>) -> Ticket {
        self.take_events();
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        let update = match self.submit_for(command, on_behalf_of) {
            Ok(committed) => Update::Committed {
                ticket: Some(ticket),
                committed,
            },
            Err(error) => Update::Refused { ticket, error },
        };
        self.updates.push(update);
        ticket
    }

    fn poll(&mut self) -> Vec<Update> {
        self.take_events();
        std::mem::take(&mut self.updates)
    }

    fn search_source(&self) -> Option<Box<dyn crate::search::Source>> {
        let store = std::sync::Arc::clone(&self.store);
        Some(Box::new(crate::store::search_index::StoreSource::new(
            store,
        )))
    }

    fn history(&mut self, kind: Kind, id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.store().history(kind, id)
    }

    fn audit(&mut self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.store().audit(limit)
    }

    fn check(&mut self) -> Result<CheckReport, StoreError> {
        let total = self
            .store()
            .counts()?
            .iter()
            .map(|(_, n)| *n as usize)
            .sum();
        let mut progress = crate::progress::Progress::new("Checked", total);
        self.store().check(|n| progress.set(n))
    }

    fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Row>, StoreError> {
        self.store().get(kind, id)
    }

    fn info(&mut self) -> Result<(u64, Vec<(Kind, u64)>), StoreError> {
        let store = self.store();
        let counts = store.counts()?;
        Ok((store.seq()?, counts))
    }

    fn rows(&mut self, kind: Kind) -> Result<(Vec<Row>, Vec<Problem>), StoreError> {
        self.store().rows(kind)
    }

    fn texts(&self) -> Texts {
        self.texts
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
    user: String,
    presence: Vec<Presence>,
    lost: Option<String>,
    last_attempt: Instant,
    /// Updates ready for the next `poll` (refusals of changes sent while disconnected, a
    /// resynchronisation after reconnecting).
    updates: Vec<Update>,
    /// The changes sent on the current connection and not answered yet: request id → ticket.
    in_flight: HashMap<u64, Ticket>,
    next_ticket: Ticket,
    /// A new snapshot being received on the connection (after a commit too large to
    /// broadcast), without waiting for it.
    reloading: Option<Reloading>,
    /// A reconnection under way on a thread of its own: a connection and its first snapshot.
    reconnecting: Option<mpsc::Receiver<Result<(Connection, Replica), String>>>,
    /// What snapshots keep of the long texts (a workbench's: none; see [`Texts`]).
    texts: Texts,
}

/// A snapshot arriving chunk by chunk while the workbench goes on. What is committed meanwhile
/// waits until it is in, and is then applied after it in order (a row the snapshot read may
/// already be newer; applying is record by record, so nothing goes back).
struct Reloading {
    id: u64,
    rows: Vec<crate::model::Row>,
    after: Vec<Update>,
}

/// How often a lost connection is tried again.
const RETRY: Duration = Duration::from_secs(1);

fn as_store_error(db: &Path, e: CommandError) -> StoreError {
    match e {
        CommandError::Store(e) => e,
        other => StoreError::Open {
            path: db.to_path_buf(),
            message: other.to_string(),
        },
    }
}

impl Remote {
    /// Connects to the server of `db` as `program`, starting one first when `start` is set and
    /// none runs (one that fills a database it creates with the bundled records, or nothing
    /// when `empty`).
    pub fn connect(
        db: &Path,
        program: &str,
        start: bool,
        empty: bool,
    ) -> Result<Remote, ConnectError> {
        let bundle = crate::fixtures::Bundle::from_flags(empty, false);
        Remote::connect_filling(db, program, start, bundle, Texts::Whole)
    }

    /// As [`Remote::connect`], saying what a server it starts fills a new database with, and
    /// what snapshots keep of the long texts.
    pub fn connect_filling(
        db: &Path,
        program: &str,
        start: bool,
        bundle: crate::fixtures::Bundle,
        texts: Texts,
    ) -> Result<Remote, ConnectError> {
        let conn = match Connection::connect_keeping(db, program, texts) {
            Ok(c) => c,
            Err(ConnectError::NoServer) if start => {
                crate::server::spawn::start_server(db, bundle).map_err(ConnectError::Failed)?;
                Connection::connect_keeping(db, program, texts)?
            }
            Err(e) => return Err(e),
        };
        Ok(Remote {
            db: db.to_path_buf(),
            user: conn.user.clone(),
            conn: Some(conn),
            presence: Vec::new(),
            lost: None,
            last_attempt: Instant::now(),
            updates: Vec::new(),
            in_flight: HashMap::new(),
            next_ticket: 1,
            reloading: None,
            reconnecting: None,
            texts,
        })
    }

    /// Tries to reconnect (starting a server when none runs) on a thread of its own, once a
    /// second at most, and takes the connection once it has its snapshot: a server that is
    /// slow to answer or to start never holds up the screen.
    fn reconnect(&mut self) {
        if let Some(attempt) = &self.reconnecting {
            match attempt.try_recv() {
                Err(mpsc::TryRecvError::Empty) => return,
                Ok(Ok((conn, replica))) => {
                    self.updates.push(Update::Resync(replica));
                    self.conn = Some(conn);
                    self.lost = None;
                }
                Ok(Err(e)) => self.lost = Some(e),
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.lost = Some("the reconnection stopped".into())
                }
            }
            self.reconnecting = None;
            return;
        }
        if self.last_attempt.elapsed() < RETRY {
            return;
        }
        self.last_attempt = Instant::now();
        let (tx, rx) = mpsc::channel();
        let db = self.db.clone();
        let texts = self.texts;
        std::thread::spawn(move || {
            let attempt = match Connection::connect_keeping(&db, "workbench", texts) {
                Err(ConnectError::NoServer) => {
                    crate::server::spawn::start_server(&db, crate::fixtures::Bundle::WithExamples)
                        .and_then(|_| {
                            Connection::connect_keeping(&db, "workbench", texts)
                                .map_err(|e| e.to_string())
                        })
                }
                other => other.map_err(|e| e.to_string()),
            };
            let _ = tx.send(attempt.and_then(|mut conn| {
                let (replica, _) = conn.snapshot().map_err(|e| e.to_string())?;
                Ok((conn, replica))
            }));
        });
        self.reconnecting = Some(rx);
    }

    fn request(&mut self, request: Request) -> Result<Reply, StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| as_store_error(&db, e))?;
        conn.request(request).map_err(|e| as_store_error(&db, e))
    }

    /// Asks for a new snapshot to replace the replica (after a commit too large to broadcast);
    /// it arrives through `poll` while the workbench goes on.
    fn reload(&mut self) {
        if self.reloading.is_some() {
            return;
        }
        if let Some(conn) = self.conn.as_mut()
            && let Ok(id) = conn.send(Request::Snapshot)
        {
            self.reloading = Some(Reloading {
                id,
                rows: Vec::new(),
                after: Vec::new(),
            });
        }
    }

    fn out_of_turn(&self) -> StoreError {
        StoreError::Open {
            path: self.db.clone(),
            message: "the server answered out of turn".into(),
        }
    }

    /// Imports a file through the server, in pieces (see [`Connection::import`]); the records
    /// of a spreadsheet are sent as the import file they make.
    pub fn import<R: std::io::Read>(
        &mut self,
        input: crate::io::import_file::Input<R>,
        options: crate::store::bulk::ImportOptions,
        step: &mut dyn FnMut(crate::io::import_file::Step),
    ) -> Result<crate::io::import_file::Outcome, crate::io::import_file::Failure> {
        use crate::io::import_file::Input;
        let conn = self.connection()?;
        match input {
            Input::Json(reader) => conn.import(reader, options, step),
            Input::Records(records) => {
                let mut data = crate::model::Dataset::new();
                for r in records {
                    data.push(r);
                }
                let bytes = serde_json::to_vec(&data).expect("records serialise");
                conn.import(bytes.as_slice(), options, step)
            }
        }
    }

    fn connection(&mut self) -> Result<&mut Connection, CommandError> {
        let lost = self.lost.clone();
        self.conn.as_mut().ok_or_else(|| {
            CommandError::Store(StoreError::Remote {
                code: crate::exit::FAILED,
                message: format!(
                    "not connected to the server ({}); trying again",
                    lost.unwrap_or_default()
                ),
            })
        })
    }

    /// The connection ended: every change sent on it and not answered is reported, since it
    /// may or may not have been saved.
    fn lose(&mut self, reason: String, out: &mut Vec<Update>) {
        self.conn = None;
        let mut unanswered: Vec<Ticket> = self.in_flight.drain().map(|(_, t)| t).collect();
        unanswered.sort_unstable();
        for ticket in unanswered {
            out.push(Update::Refused {
                ticket,
                error: CommandError::Store(StoreError::Remote {
                    code: crate::exit::FAILED,
                    message: format!(
                        "the connection to the server ended before it confirmed this change \
                         ({reason}); once reconnected, check whether it is there"
                    ),
                }),
            });
        }
        self.lost = Some(reason);
    }
}

impl Backend for Remote {
    fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| as_store_error(&db, e))?;
        conn.snapshot().map_err(|e| as_store_error(&db, e))
    }

    fn send(&mut self, command: Command, on_behalf_of: Option<String>) -> Ticket {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        let sent = self.connection().and_then(|conn| {
            conn.send(Request::Submit {
                command,
                on_behalf_of,
            })
        });
        match sent {
            Ok(id) => {
                self.in_flight.insert(id, ticket);
            }
            Err(error) => self.updates.push(Update::Refused { ticket, error }),
        }
        ticket
    }

    fn submit_for(
        &mut self,
        command: Command,
        on_behalf_of: Option<String>,
    ) -> Result<Committed, CommandError> {
        let conn = self.connection()?;
        match conn.request(Request::Submit {
            command,
            on_behalf_of,
        })? {
            Reply::Committed(c) => Ok(c),
            _ => Err(crate::server::client::lost(
                "the server answered out of turn",
            )),
        }
    }

    fn poll(&mut self) -> Vec<Update> {
        let mut out = std::mem::take(&mut self.updates);
        let incoming = self.conn.as_mut().map(|c| c.poll()).unwrap_or_default();
        for message in incoming {
            let update = match message {
                Incoming::Event(committed) => Update::Committed {
                    ticket: None,
                    committed,
                },
                Incoming::Chunk { id, mut rows, .. } => {
                    if let Some(r) = self.reloading.as_mut().filter(|r| r.id == id) {
                        r.rows.append(&mut rows);
                    }
                    continue;
                }
                Incoming::Reply { id, reply }
                    if self.reloading.as_ref().is_some_and(|r| r.id == id) =>
                {
                    let reloading = self.reloading.take().expect("checked");
                    match reply {
                        Ok(Reply::Snapshot { seq }) => {
                            let mut replica = Replica::from_rows(reloading.rows);
                            replica.seq = seq;
                            out.push(Update::Resync(replica));
                        }
                        _ => self.lost = Some("a new snapshot could not be read".into()),
                    }
                    out.extend(reloading.after);
                    continue;
                }
                Incoming::Reply { id, reply } => {
                    let Some(ticket) = self.in_flight.remove(&id) else {
                        continue;
                    };
                    match reply {
                        Ok(Reply::Committed(committed)) => {
                            if committed.changes.len() < committed.changed {
                                self.reload();
                            }
                            Update::Committed {
                                ticket: Some(ticket),
                                committed,
                            }
                        }
                        Ok(_) => Update::Refused {
                            ticket,
                            error: crate::server::client::lost("the server answered out of turn"),
                        },
                        Err(error) => Update::Refused { ticket, error },
                    }
                }
                Incoming::Presence(p) => {
                    self.presence = p;
                    continue;
                }
                Incoming::Reload => {
                    self.reload();
                    continue;
                }
                Incoming::Lost(reason) => {
                    if let Some(r) = self.reloading.take() {
                        out.extend(r.after);
                    }
                    self.lose(reason, &mut out);
                    break;
                }
            };
            match self.reloading.as_mut() {
                Some(r) => r.after.push(update),
                None => out.push(update),
            }
        }
        if self.conn.is_none() {
            self.reconnect();
            out.append(&mut self.updates);
        }
        out
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

    fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Row>, StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| as_store_error(&db, e))?;
        conn.get(kind, id).map_err(|e| as_store_error(&db, e))
    }

    fn info(&mut self) -> Result<(u64, Vec<(Kind, u64)>), StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| as_store_error(&db, e))?;
        conn.info().map_err(|e| as_store_error(&db, e))
    }

    fn rows(&mut self, kind: Kind) -> Result<(Vec<Row>, Vec<Problem>), StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| as_store_error(&db, e))?;
        let (rows, problems, _) = conn.records(kind).map_err(|e| as_store_error(&db, e))?;
        Ok((rows, problems))
    }

    fn who(&self) -> Vec<String> {
        let mut users: Vec<String> = self.presence.iter().map(|p| p.user.clone()).collect();
        users.dedup();
        if users.is_empty() {
            users.push(self.user.clone());
        }
        users
    }

    fn search_source(&self) -> Option<Box<dyn crate::search::Source>> {
        Some(Box::new(ServerSource {
            db: self.db.clone(),
            conn: None,
        }))
    }

    fn status(&self) -> Option<String> {
        match &self.lost {
            Some(reason) => Some(format!("reconnecting: {reason}")),
            None => {
                // A workbench's search connection is the same person in the same process.
                let mut people: Vec<(&str, u32)> = self
                    .presence
                    .iter()
                    .map(|p| (p.user.as_str(), p.pid))
                    .collect();
                people.sort_unstable();
                people.dedup();
                let n = people.len();
                (n > 1).then(|| format!("shared: {n} connected"))
            }
        }
    }

    fn texts(&self) -> Texts {
        self.texts
    }

    fn user(&self) -> String {
        self.user.clone()
    }

    fn location(&self) -> String {
        format!("{} (shared)", self.db.display())
    }
}

impl Remote {
    /// A search, run by the server on its index (a one-shot `taskforce search`): no record is
    /// read here.
    pub fn search(
        &mut self,
        request: &crate::search::Request,
    ) -> Result<crate::search::Results, StoreError> {
        let db = self.db.clone();
        let conn = self.connection().map_err(|e| as_store_error(&db, e))?;
        conn.search(request).map_err(|e| as_store_error(&db, e))
    }
}

/// A client workbench's searches, run by the server on a connection of their own (the
/// workbench's connection carries its changes and everyone's commits, and never waits).
struct ServerSource {
    db: PathBuf,
    conn: Option<Connection>,
}

impl crate::search::Source for ServerSource {
    fn search(
        &mut self,
        request: &crate::search::Request,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<crate::search::Results> {
        for _ in 0..2 {
            if cancelled() {
                return None;
            }
            if self.conn.is_none() {
                self.conn = Connection::connect(&self.db, "workbench search").ok();
            }
            let Some(conn) = self.conn.as_mut() else {
                break;
            };
            match conn.search(request) {
                Ok(mut results) => {
                    // Results of a newer state replace those of an older one.
                    results.index_version = results.seq;
                    return (!cancelled()).then_some(results);
                }
                // Once more on a new connection (the server may have restarted).
                Err(_) => self.conn = None,
            }
        }
        // No server to ask (the workbench says it is reconnecting): nothing found, so that
        // nothing waits for an answer.
        Some(crate::search::Results {
            request_query: request.query.clone(),
            ..Default::default()
        })
    }

    fn apply(&mut self, _: &Committed) -> bool {
        true
    }
}
