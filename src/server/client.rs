//! A client of `taskforce serve`: one connection, a reader thread that sorts replies from
//! events, and blocking requests for one-shot commands and the workbench's backend.

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::protocol::*;
use super::serve::socket_path;
use crate::model::{Committed, Replica};

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

/// What the reader thread passes on besides replies.
#[derive(Debug)]
pub enum Incoming {
    Event(Committed),
    Presence(Vec<Presence>),
    /// A very large commit happened: take a new snapshot.
    Reload,
    /// The connection ended; the text says why.
    Lost(String),
}

enum ReplyPart {
    /// Snapshot rows decoded, and the problems with those that did not decode.
    Chunk(Vec<crate::model::Row>, Vec<crate::store::Problem>),
    Done(Result<Reply, WireError>),
    Lost(String),
}

pub struct Connection {
    stream: UnixStream,
    replies: Receiver<(u64, ReplyPart)>,
    next_id: u64,
    /// The user the server saw at the other end of the socket.
    pub user: String,
    pub server_pid: u32,
}

/// How long a request may wait for its reply before the connection counts as lost.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

impl Connection {
    /// Connects to the server of `db`; events go to `events` when given.
    pub fn connect(
        db: &Path,
        program: &str,
        events: Option<Sender<Incoming>>,
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
        let mut writer = stream
            .try_clone()
            .map_err(|e| ConnectError::Failed(e.to_string()))?;
        write_frame(
            &mut writer,
            &ClientMsg::Hello {
                protocol: PROTOCOL_VERSION,
                program: program.to_string(),
            },
        )
        .map_err(|e| ConnectError::Failed(format!("the server went away: {e}")))?;
        let mut reader = stream
            .try_clone()
            .map_err(|e| ConnectError::Failed(e.to_string()))?;
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
        let (reply_tx, replies) = mpsc::channel();
        std::thread::spawn(move || read_loop(reader, reply_tx, events));
        Ok(Connection {
            stream: writer,
            replies,
            next_id: 1,
            user,
            server_pid,
        })
    }

    /// Sends one request and waits for its reply.
    pub fn request(&mut self, request: Request) -> Result<Reply, WireError> {
        self.exchange(request).map(|(reply, _)| reply)
    }

    /// Sends one request and waits for its reply, gathering a snapshot's rows (and the problems
    /// with those that did not decode) on the way.
    fn exchange(&mut self, request: Request) -> Result<(Reply, Gathered), WireError> {
        let id = self.next_id;
        self.next_id += 1;
        let lost = |m: String| WireError {
            code: crate::exit::FAILED,
            message: format!("lost the server: {m}"),
            fields: Vec::new(),
        };
        write_frame(&mut self.stream, &ClientMsg::Request { id, request })
            .map_err(|e| lost(e.to_string()))?;
        let mut gathered = Gathered::default();
        loop {
            match self.replies.recv_timeout(REPLY_TIMEOUT) {
                Ok((_, ReplyPart::Lost(m))) => return Err(lost(m)),
                Ok((rid, _)) if rid != id => continue,
                Ok((_, ReplyPart::Chunk(mut rows, mut problems))) => {
                    gathered.rows.append(&mut rows);
                    gathered.problems.append(&mut problems);
                }
                Ok((_, ReplyPart::Done(result))) => return result.map(|r| (r, gathered)),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(lost("no reply in two minutes".into()));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(lost("the connection closed".into()));
                }
            }
        }
    }

    /// Every record, and from now on every commit as an event; records that did not decode are
    /// left out and returned as problems.
    pub fn snapshot(&mut self) -> Result<(Replica, Vec<crate::store::Problem>), WireError> {
        let (reply, gathered) = self.exchange(Request::Snapshot)?;
        let Reply::Snapshot { seq } = reply else {
            return Err(WireError {
                code: crate::exit::FAILED,
                message: "the server answered out of turn".into(),
                fields: Vec::new(),
            });
        };
        let mut replica = Replica::from_rows(gathered.rows);
        replica.seq = seq;
        Ok((replica, gathered.problems))
    }
}

#[derive(Default)]
struct Gathered {
    rows: Vec<crate::model::Row>,
    problems: Vec<crate::store::Problem>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

fn read_loop(
    mut reader: UnixStream,
    replies: Sender<(u64, ReplyPart)>,
    events: Option<Sender<Incoming>>,
) {
    let reason = loop {
        match read_frame::<ServerMsg>(&mut reader) {
            Ok(ServerMsg::Reply { id, reply }) => {
                let _ = replies.send((id, ReplyPart::Done(reply)));
            }
            Ok(ServerMsg::SnapshotChunk { id, rows }) => {
                let mut decoded = Vec::with_capacity(rows.len());
                let mut problems = Vec::new();
                for StoredRow { kind, key, value } in rows {
                    match crate::store::decode_stored(kind, &key, &value) {
                        Ok(row) => decoded.push(row),
                        Err(problem) => problems.push(problem),
                    }
                }
                let _ = replies.send((id, ReplyPart::Chunk(decoded, problems)));
            }
            Ok(ServerMsg::Event(c)) => {
                if let Some(tx) = &events {
                    let _ = tx.send(Incoming::Event(c));
                }
            }
            Ok(ServerMsg::Presence(p)) => {
                if let Some(tx) = &events {
                    let _ = tx.send(Incoming::Presence(p));
                }
            }
            Ok(ServerMsg::Reload) => {
                if let Some(tx) = &events {
                    let _ = tx.send(Incoming::Reload);
                }
            }
            Ok(ServerMsg::Welcome { .. } | ServerMsg::Refused { .. }) => {}
            Err(FrameError::Closed) => break "the server closed the connection".to_string(),
            Err(e) => break e.to_string(),
        }
    };
    let _ = replies.send((0, ReplyPart::Lost(reason.clone())));
    if let Some(tx) = &events {
        let _ = tx.send(Incoming::Lost(reason));
    }
}
