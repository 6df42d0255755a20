//! A client of `taskforce serve`: one connection whose reader thread passes on everything the
//! server sends — replies, everyone's commits, presence — on one channel, in the order the
//! server sent it, and whose writer thread sends requests so that sending never waits for a
//! busy or stopped server. One-shot commands wait for their reply ([`Connection::request`]);
//! the workbench sends and then polls ([`Connection::send`], [`Connection::poll`]).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::protocol::*;
use super::serve::socket_path;
use crate::io::import_file::{Failure, Outcome, Step};
use crate::model::{Committed, Kind, Replica, Row, Texts};
use crate::store::bulk::ImportOptions;
use crate::store::{CommandError, Problem, StoreError};

/// Why there is no connection.
#[derive(Debug)]
pub enum ConnectError {
    /// No server listens for this database.
    NoServer,
    /// The socket exists but this user may not use it (not in the database's group).
    Denied(String),
    /// The server answered but refused (another protocol version), or the exchange failed.
    Failed(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::NoServer => write!(f, "no taskforce server runs for this database"),
            ConnectError::Denied(m) | ConnectError::Failed(m) => f.write_str(m),
        }
    }
}

/// What the server sent, in the order it sent it.
#[derive(Debug)]
pub enum Incoming {
    /// The answer to request `id`.
    Reply {
        id: u64,
        reply: Result<Reply, CommandError>,
    },
    /// Rows of the snapshot that request `id` asked for, decoded, and the problems with those
    /// that did not decode.
    Chunk {
        id: u64,
        rows: Vec<Row>,
        problems: Vec<Problem>,
    },
    /// Someone's commit (this client's own too, once it has taken a snapshot).
    Event(Committed),
    Presence(Vec<Presence>),
    /// A very large commit happened: take a new snapshot.
    Reload,
    /// The connection ended; the text says why.
    Lost(String),
}

pub struct Connection {
    /// Framed requests for the writer thread.
    outgoing: Sender<Vec<u8>>,
    incoming: Receiver<Incoming>,
    /// What arrived while [`Connection::request`] waited for its reply, kept in order for
    /// [`Connection::poll`].
    waiting: VecDeque<Incoming>,
    stream: UnixStream,
    next_id: u64,
    /// The user the server saw at the other end of the socket.
    pub user: String,
    pub server_pid: u32,
}

/// How long a one-shot request may wait for its reply before the connection counts as lost.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

/// How long the server may take to import a file once it has it all.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(3600);

/// An import file over the server's limit, in words.
pub fn too_large(max_bytes: u64) -> CommandError {
    CommandError::Store(StoreError::Remote {
        code: crate::exit::REFUSED,
        message: format!(
            "the file is larger than the {} MB the server takes in one import \
             (TASKFORCE_MAX_IMPORT_BYTES); nothing was imported",
            max_bytes / 1_000_000
        ),
    })
}

/// Fills `buf` as far as the reader goes; 0 at its end.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A failure to talk to the server, as a command error with the exit code it means.
pub fn lost(message: impl std::fmt::Display) -> CommandError {
    CommandError::Store(StoreError::Remote {
        code: crate::exit::FAILED,
        message: format!("lost the server: {message}"),
    })
}

impl Connection {
    /// Connects to the server of `db` as `program`.
    pub fn connect(db: &Path, program: &str) -> Result<Connection, ConnectError> {
        Connection::connect_keeping(db, program, Texts::Whole)
    }

    /// [`Connection::connect`], keeping of the long texts of the records it receives in
    /// snapshots what `texts` says (a workbench reads them with [`Connection::get`]).
    pub fn connect_keeping(
        db: &Path,
        program: &str,
        texts: Texts,
    ) -> Result<Connection, ConnectError> {
        let path = socket_path(db);
        let stream = match UnixStream::connect(&path) {
            Ok(s) => s,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
                ) =>
            {
                return Err(ConnectError::NoServer);
            }
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(ConnectError::Denied(format!(
                    "you may not use the shared database {}: its socket admits the directory's group only; \
                     ask its owner to add you to that group",
                    db.display()
                )));
            }
            Err(e) => {
                return Err(ConnectError::Failed(format!(
                    "cannot connect to {}: {e}",
                    path.display()
                )));
            }
        };
        // Nothing is sent before the client knows who answers (a score sent to an impostor
        // is a score lost, and what it answers is believed).
        check_server(db, &stream)?;
        let clone = || {
            stream
                .try_clone()
                .map_err(|e| ConnectError::Failed(format!("cannot use the connection: {e}")))
        };
        let mut writer = clone()?;
        let mut reader = clone()?;
        let hello = write_handshake(
            &mut writer,
            &ClientMsg::Hello {
                protocol: PROTOCOL_VERSION,
                program: program.to_string(),
            },
        );
        if let Err(e) = hello {
            // A server that refuses this user says why at once and closes: read that first.
            let _ = reader.set_read_timeout(Some(Duration::from_secs(2)));
            return Err(ConnectError::Failed(
                match read_frame::<ServerMsg>(&mut reader) {
                    Ok(ServerMsg::Refused { reason }) => reason,
                    _ => format!("the server went away: {e}"),
                },
            ));
        }
        let _ = reader.set_read_timeout(Some(Duration::from_secs(10)));
        let (user, server_pid) = match read_frame::<ServerMsg>(&mut reader) {
            Ok(ServerMsg::Welcome {
                user, server_pid, ..
            }) => (user, server_pid),
            Ok(ServerMsg::Refused { reason }) => return Err(ConnectError::Failed(reason)),
            Ok(_) => {
                return Err(ConnectError::Failed(
                    "the server answered out of turn".into(),
                ));
            }
            Err(e) => {
                return Err(ConnectError::Failed(format!(
                    "the server did not answer: {e}"
                )));
            }
        };
        let _ = reader.set_read_timeout(None);
        let (incoming_tx, incoming) = mpsc::channel();
        std::thread::spawn(move || read_loop(reader, incoming_tx, texts));
        let (outgoing, requests) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            for frame in requests {
                if writer
                    .write_all(&frame)
                    .and_then(|()| writer.flush())
                    .is_err()
                {
                    // The reader sees the connection end and says why.
                    let _ = writer.shutdown(std::net::Shutdown::Both);
                    break;
                }
            }
        });
        Ok(Connection {
            outgoing,
            incoming,
            waiting: VecDeque::new(),
            stream: clone()?,
            next_id: 1,
            user,
            server_pid,
        })
    }

    /// Sends a request without waiting: its reply comes through [`Connection::poll`] as
    /// `Incoming::Reply` with the id returned here. Never blocks on the server.
    pub fn send(&mut self, request: Request) -> Result<u64, CommandError> {
        let id = self.next_id;
        self.next_id += 1;
        let bytes = frame(&ClientMsg::Request { id, request }).map_err(|e| {
            CommandError::Store(StoreError::Remote {
                code: crate::exit::FAILED,
                message: e.to_string(),
            })
        })?;
        self.outgoing
            .send(bytes)
            .map_err(|_| lost("the connection closed"))?;
        Ok(id)
    }

    /// Everything that arrived since the last call, in the order the server sent it.
    pub fn poll(&mut self) -> Vec<Incoming> {
        let mut out: Vec<Incoming> = self.waiting.drain(..).collect();
        out.extend(self.incoming.try_iter());
        out
    }

    /// Sends one request and waits for its reply; what else arrives meanwhile is kept for
    /// [`Connection::poll`].
    pub fn request(&mut self, request: Request) -> Result<Reply, CommandError> {
        let id = self.send(request)?;
        self.wait(id).map(|(reply, _)| reply)
    }

    /// Waits for the reply to `id`, gathering a snapshot's rows (and the problems with those
    /// that did not decode) on the way.
    fn wait(&mut self, id: u64) -> Result<(Reply, Gathered), CommandError> {
        self.wait_within(id, REPLY_TIMEOUT)
    }

    fn wait_within(
        &mut self,
        id: u64,
        timeout: Duration,
    ) -> Result<(Reply, Gathered), CommandError> {
        let mut gathered = Gathered::default();
        loop {
            match self.incoming.recv_timeout(timeout) {
                Ok(Incoming::Reply { id: rid, reply }) if rid == id => {
                    return reply.map(|r| (r, gathered));
                }
                Ok(Incoming::Chunk {
                    id: rid,
                    mut rows,
                    mut problems,
                }) if rid == id => {
                    gathered.rows.append(&mut rows);
                    gathered.problems.append(&mut problems);
                }
                Ok(Incoming::Lost(m)) => {
                    let error = lost(&m);
                    self.waiting.push_back(Incoming::Lost(m));
                    return Err(error);
                }
                Ok(other) => self.waiting.push_back(other),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(lost(format!("no reply in {} s", timeout.as_secs())));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(lost("the connection closed"));
                }
            }
        }
    }

    /// Sends an import file in pieces ([`IMPORT_CHUNK`] bytes each, each acknowledged) and
    /// waits for the server to import it: files of any size, within the server's limit.
    pub fn import(
        &mut self,
        mut reader: impl Read,
        options: ImportOptions,
        step: &mut dyn FnMut(Step),
    ) -> Result<Outcome, Failure> {
        let unexpected = |reply: Reply| {
            Failure::Command(lost(format!(
                "an unexpected answer to an import: {reply:?}"
            )))
        };
        let max_bytes = match self.request(Request::ImportBegin {
            on_conflict: options.on_conflict,
            source: options.source.clone(),
            dry_run: options.dry_run,
        })? {
            Reply::ImportReady { max_bytes } => max_bytes,
            other => return Err(unexpected(other)),
        };
        let mut buf = vec![0u8; IMPORT_CHUNK];
        let mut sent = 0u64;
        loop {
            let n = read_full(&mut reader, &mut buf).map_err(|e| {
                Failure::Command(CommandError::Store(StoreError::Remote {
                    code: crate::exit::FAILED,
                    message: format!("cannot read {}: {e}", options.source),
                }))
            })?;
            if n == 0 {
                break;
            }
            sent += n as u64;
            if sent > max_bytes {
                return Err(Failure::Command(too_large(max_bytes)));
            }
            match self.request(Request::ImportChunk {
                bytes: buf[..n].to_vec(),
            })? {
                Reply::ImportReceived { .. } => {}
                other => return Err(unexpected(other)),
            }
            step(Step::Reading {
                records: 0,
                bytes: sent,
            });
        }
        step(Step::Stage {
            what: "The server is checking and writing",
            done: 0,
            total: 0,
        });
        let id = self.send(Request::ImportEnd)?;
        match self.wait_within(id, IMPORT_TIMEOUT)?.0 {
            Reply::Imported(result) => result,
            other => Err(unexpected(other)),
        }
    }

    /// Waits until the server closes the connection (after `Request::Stop`), `timeout` at most;
    /// whether it did.
    pub fn closed_within(&mut self, timeout: Duration) -> bool {
        if self.waiting.iter().any(|i| matches!(i, Incoming::Lost(_))) {
            return true;
        }
        // Nothing more to send: the server sees the end and goes at once.
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(Incoming::Lost(_)) | Err(RecvTimeoutError::Disconnected) => return true,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => return false,
            }
        }
    }

    /// One record as the server has it now, without a snapshot.
    pub fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Row>, CommandError> {
        match self.request(Request::Get {
            kind,
            id: id.to_string(),
        })? {
            Reply::Record(None) => Ok(None),
            Reply::Record(Some(StoredRow { kind, key, value })) => {
                crate::store::decode_stored(kind, &key, &value)
                    .map(Some)
                    .map_err(|p| {
                        CommandError::Store(StoreError::Corrupt {
                            tree: p.tree,
                            key: p.key,
                            message: p.message,
                        })
                    })
            }
            _ => Err(lost("the server answered out of turn")),
        }
    }

    /// The number of records of each kind and the last change, without a snapshot.
    pub fn info(&mut self) -> Result<(u64, Vec<(Kind, u64)>), CommandError> {
        match self.request(Request::Info)? {
            Reply::Info { seq, counts } => Ok((seq, counts)),
            _ => Err(lost("the server answered out of turn")),
        }
    }

    /// A search, run by the server on its index: no record is read here.
    pub fn search(
        &mut self,
        request: &crate::search::Request,
    ) -> Result<crate::search::Results, CommandError> {
        let asked = crate::search::wire::Asked::from_request(request);
        match self.request(Request::Search(asked))? {
            Reply::Search(found) => Ok(found.into_results(&request.query)),
            _ => Err(lost("the server answered out of turn")),
        }
    }

    /// Every record, and from now on every commit as an event; records that did not decode are
    /// left out and returned as problems.
    pub fn snapshot(&mut self) -> Result<(Replica, Vec<Problem>), CommandError> {
        let id = self.send(Request::Snapshot)?;
        let (reply, gathered) = self.wait(id)?;
        let Reply::Snapshot { seq } = reply else {
            return Err(lost("the server answered out of turn"));
        };
        let mut replica = Replica::from_rows(gathered.rows);
        replica.seq = seq;
        Ok((replica, gathered.problems))
    }
}

impl Connection {
    /// Every record of one kind, as of the sequence number returned, and those that did not
    /// decode.
    pub fn records(&mut self, kind: Kind) -> Result<(Vec<Row>, Vec<Problem>, u64), CommandError> {
        let id = self.send(Request::Records { kind })?;
        let (reply, gathered) = self.wait(id)?;
        let Reply::Records { seq } = reply else {
            return Err(lost("the server answered out of turn"));
        };
        if gathered.rows.iter().any(|r| r.record.kind() != kind) {
            return Err(lost("the server sent records of another kind"));
        }
        Ok((gathered.rows, gathered.problems, seq))
    }
}

#[derive(Default)]
struct Gathered {
    rows: Vec<Row>,
    problems: Vec<Problem>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// Passes on everything the server sends, in order, until the connection ends.
fn read_loop(mut reader: UnixStream, incoming: Sender<Incoming>, texts: Texts) {
    let reason = loop {
        let message = match read_frame::<ServerMsg>(&mut reader) {
            Ok(ServerMsg::Reply { id, reply }) => Incoming::Reply { id, reply },
            Ok(ServerMsg::SnapshotChunk { id, rows }) => {
                let mut decoded = Vec::with_capacity(rows.len());
                let mut problems = Vec::new();
                for StoredRow { kind, key, value } in rows {
                    match crate::store::decode_stored(kind, &key, &value) {
                        Ok(mut row) => {
                            texts.keep(&mut row);
                            decoded.push(row)
                        }
                        Err(problem) => problems.push(problem),
                    }
                }
                Incoming::Chunk {
                    id,
                    rows: decoded,
                    problems,
                }
            }
            Ok(ServerMsg::Event(c)) => Incoming::Event(c),
            Ok(ServerMsg::Presence(p)) => Incoming::Presence(p),
            Ok(ServerMsg::Reload) => Incoming::Reload,
            Ok(ServerMsg::Welcome { .. } | ServerMsg::Refused { .. }) => continue,
            Err(FrameError::Closed) => break "the server closed the connection".to_string(),
            Err(e) => break e.to_string(),
        };
        if incoming.send(message).is_err() {
            return;
        }
    };
    let _ = incoming.send(Incoming::Lost(reason));
}

/// Checks who answers on the database's socket before anything is sent: the process at the
/// other end (its uid from the kernel, `SO_PEERCRED`, which no one can forge) must be one the
/// database trusts to serve it. It is accepted when it runs as
///
/// 1. the owner of the database's files — the uid owning `DIR/db`, sled's data file, or `DIR`
///    itself before there is one: the service account in the service deployment, the member who
///    created the database in a trusted group;
/// 2. root (who could be anyone anyway), which is also who a client sees when systemd holds the
///    listening socket for a service started on demand (socket activation);
/// 3. this client's own user (a server one started oneself);
/// 4. in a trusted group, where any member may start the server: the owner of the socket file
///    (`lstat`, which must be a socket), provided the directory has the sticky bit — so that no
///    member can remove, or rename anything over, a socket that another member's server made —
///    and that owner is a member of the directory's group.
///
/// Anything else is refused with the user who answered: a member who renamed her own socket
/// over `taskforce.sock` in a directory without the sticky bit is not the server. What this
/// cannot tell apart, in a trusted group, is a member who started a server of her own while
/// none ran: such a member can change the files directly anyway (README, "trusted group").
fn check_server(db: &Path, stream: &UnixStream) -> Result<(), ConnectError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let peer = rustix::net::sockopt::socket_peercred(stream)
        .map_err(|e| {
            ConnectError::Failed(format!(
                "cannot tell who answers on {}: {e}",
                socket_path(db).display()
            ))
        })?
        .uid
        .as_raw();
    let me = rustix::process::geteuid().as_raw();
    let owner = std::fs::symlink_metadata(db.join("db"))
        .or_else(|_| std::fs::metadata(db))
        .map(|m| m.uid())
        .ok();
    if peer == 0 || peer == me || owner == Some(peer) {
        return Ok(());
    }
    let dir = std::fs::metadata(db).ok();
    let sticky = dir.as_ref().is_some_and(|m| m.mode() & 0o1000 != 0);
    let socket = std::fs::symlink_metadata(socket_path(db)).ok();
    let socket_owner = socket
        .as_ref()
        .filter(|m| m.file_type().is_socket())
        .map(|m| m.uid());
    if sticky
        && socket_owner == Some(peer)
        && dir
            .as_ref()
            .is_some_and(|d| crate::sys::is_member(peer, d.gid()))
    {
        return Ok(());
    }
    let name = |uid: u32| format!("{} (uid {uid})", crate::sys::user_name(uid));
    let owner = owner.map_or("nobody known".to_string(), name);
    let why = if sticky {
        "nor the owner of its socket"
    } else {
        "and the directory has no sticky bit, so its socket may have been replaced"
    };
    Err(ConnectError::Failed(format!(
        "refused to talk to the server of {}: it runs as {}, who does not own the database          (its owner is {owner}) {why}; someone may be impersonating the server, so nothing was          sent. Tell the database's owner or an administrator (a group sharing the directory          sets the sticky bit once: chmod +t {})",
        db.display(),
        name(peer),
        db.display()
    )))
}
