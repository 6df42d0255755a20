//! `taskforce serve`: one process owns the database and serves everyone over a Unix socket in
//! the database directory (DESIGN.md, "Shared mode").
//!
//! Each connection has a reader thread (requests) and a writer thread fed by a bounded queue.
//! Commits and their broadcast happen under one lock, so every client sees events in commit
//! order; a client whose queue is full is disconnected (it reconnects and resynchronises) so
//! that a slow or stuck client never holds up the others.

use std::collections::HashMap;
use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::protocol::*;
use crate::model::{Actor, Timestamp};
use crate::store::{CommandError, Store, StoreError};

/// Messages waiting for one client; past this the client is too slow and is disconnected.
const QUEUE: usize = 4096;

/// The socket's name inside the database directory.
pub const SOCKET_NAME: &str = "taskforce.sock";

pub fn socket_path(db: &Path) -> PathBuf {
    db.join(SOCKET_NAME)
}

pub struct ServeOptions {
    /// Exit this long after the last client leaves (for servers the workbench starts).
    pub idle_exit: Option<Duration>,
    /// Fill a database this server creates with the bundled records.
    pub seed: bool,
    /// Admit only members of this group (supplementary groups included), root and the server's
    /// own user, whatever the socket's mode says (`serve --group`).
    pub group: Option<String>,
    /// The service deployment (`serve --service`): the server must run as the owner of the
    /// database's files, and `group` is required.
    pub service: bool,
}

struct Client {
    presence: Presence,
    /// Set once the client asked for a snapshot: it then receives every commit.
    subscriber: Option<SyncSender<Out>>,
    stream: UnixStream,
}

/// What a connection's writer sends: a message, or a broadcast already encoded (shared by every
/// client's queue).
enum Out {
    Message(ServerMsg),
    Frame(Arc<Vec<u8>>),
    /// A framed snapshot chunk, counted in the client's chunks in flight until written.
    SnapshotChunk(Vec<u8>),
}

/// A client's request for every record, for the snapshot thread.
struct SnapshotJob {
    client: u64,
    request_id: u64,
    tx: SyncSender<Out>,
    in_flight: Arc<AtomicU64>,
    done: std::sync::mpsc::Sender<Result<u64, SnapshotError>>,
}

enum SnapshotError {
    /// The client went away, or read nothing for `SNAPSHOT_STALL`.
    Gone,
    Store(StoreError),
    /// A chunk could not be framed.
    Frame(String),
}

/// A command waiting for the committer, and where its result goes.
struct Job {
    actor: Actor,
    command: crate::model::Command,
    done: std::sync::mpsc::Sender<Result<crate::model::Committed, CommandError>>,
}

/// The most commands written before one flush.
const GROUP_MAX: usize = 256;

/// Snapshot chunks queued for a client at most, and how long it may leave them unread.
const SNAPSHOT_IN_FLIGHT: u64 = 4;
/// Chunks in flight once the connection's writer has stopped: the snapshot stops at once.
const WRITER_GONE: u64 = u64::MAX;
const SNAPSHOT_STALL: Duration = Duration::from_secs(10);

struct Shared {
    store: Store,
    /// Commands for the committer thread.
    jobs: SyncSender<Job>,
    /// Snapshot requests for the snapshot thread.
    snapshots: SyncSender<SnapshotJob>,
    socket: PathBuf,
    clients: Mutex<HashMap<u64, Client>>,
    /// Held while a command is applied and broadcast, and while a snapshot is taken.
    commit: Mutex<()>,
    next_id: AtomicU64,
    last_left: Mutex<Option<Instant>>,
    /// The socket file this server made (device, inode), removed when it stops; `None` when
    /// systemd made it (socket activation) or it could not be seen.
    own_socket: Option<(u64, u64)>,
    /// The group every peer must belong to (`--group`): its name and gid.
    group: Option<(String, u32)>,
    /// The uid this server runs as.
    uid: u32,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A failure of the server itself, as it travels to the client.
fn failed(message: String) -> CommandError {
    CommandError::Store(StoreError::Remote {
        code: crate::exit::FAILED,
        message,
    })
}

/// Runs the server until a signal or, with `idle_exit`, until it has been alone long enough.
pub fn serve(db: &Path, options: ServeOptions) -> Result<(), StoreError> {
    // Before any thread starts: the variables are removed from the environment.
    let activated = crate::sys::listener_from_systemd()
        .map_err(|e| open_error(db, format!("socket activation: {e}")))?;
    let uid = rustix::process::geteuid().as_raw();
    let group = match &options.group {
        None if options.service => {
            return Err(open_error(
                db,
                "a service (--service) admits one group: give it with --group GROUP".into(),
            ));
        }
        None => None,
        Some(name) => match crate::sys::group_id(name) {
            Some(gid) => Some((name.clone(), gid)),
            None => return Err(open_error(db, format!("there is no group '{name}'"))),
        },
    };
    if options.service {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = std::fs::symlink_metadata(db.join("db"))
            && meta.uid() != uid
        {
            return Err(open_error(
                db,
                format!(
                    "a service runs as the owner of the database's files, and {} belongs to {}, \
                     not to {}: set User= in the .service unit (taskforce service-files)",
                    db.join("db").display(),
                    crate::sys::user_name(meta.uid()),
                    crate::sys::user_name(uid)
                ),
            ));
        }
    }
    crate::sys::return_freed_memory_promptly();
    // Files this process creates are for the directory's group, never for everyone.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o007));
    let store = Store::open(db)?;
    if store.created() && options.seed {
        let actor = Actor::user(crate::sys::current_user());
        let n = crate::fixtures::seed(&store, &actor).map_err(|e| open_error(db, e.to_string()))?;
        eprintln!(
            "taskforce: new database {} filled with the {n} bundled records",
            db.display()
        );
    }
    let socket = socket_path(db);
    let (listener, own_socket) = match activated {
        // systemd made the socket (and keeps it when this server stops).
        Some(listener) => (listener, None),
        None => {
            // The store's lock is the single-instance lock: holding it, any socket left is
            // stale.
            if std::fs::symlink_metadata(&socket).is_ok() {
                std::fs::remove_file(&socket).map_err(|e| {
                    open_error(
                        db,
                        format!(
                            "cannot remove the stale socket {}: {e}{}",
                            socket.display(),
                            stale_owner(&socket)
                        ),
                    )
                })?;
            }
            // Mode 0660 from its creation and the directory's group, no symlink followed
            // (sys.rs). The umask around the bind is the process's; sled's threads create no
            // directory meanwhile.
            let listener = crate::sys::bind_group_socket(&socket).map_err(|e| {
                open_error(db, format!("cannot listen on {}: {e}", socket.display()))
            })?;
            (listener, crate::sys::file_identity(&socket).ok())
        }
    };
    // What the socket watch compares with: the file at the socket's path when serving began.
    let watched = crate::sys::file_identity(&socket).ok();
    let (jobs, waiting) = sync_channel::<Job>(QUEUE);
    let (snapshots, asked) = sync_channel::<SnapshotJob>(QUEUE);
    let shared = Arc::new(Shared {
        store,
        jobs,
        snapshots,
        socket: socket.clone(),
        clients: Mutex::new(HashMap::new()),
        commit: Mutex::new(()),
        next_id: AtomicU64::new(1),
        last_left: Mutex::new(Some(Instant::now())),
        own_socket,
        group,
        uid,
    });
    eprintln!(
        "taskforce: serving {} on {} (pid {})",
        db.display(),
        socket.display(),
        std::process::id()
    );
    {
        let shared = shared.clone();
        std::thread::spawn(move || commit_jobs(&shared, waiting));
    }
    {
        let shared = shared.clone();
        std::thread::spawn(move || send_snapshots(&shared, asked));
    }
    watch_signals(shared.clone());
    match watched {
        Some(identity) => watch_socket(shared.clone(), identity),
        None => eprintln!(
            "taskforce: {} is not there to watch; stop this server with `taskforce stop` or a signal",
            socket.display()
        ),
    }
    if let Some(idle) = options.idle_exit {
        watch_idle(shared.clone(), idle);
    }
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let shared = shared.clone();
                std::thread::spawn(move || connection(shared, stream));
            }
            Err(e) => eprintln!("taskforce: accept failed: {e}"),
        }
    }
    Ok(())
}

fn open_error(db: &Path, message: String) -> StoreError {
    StoreError::Open {
        path: db.to_path_buf(),
        message,
    }
}

/// Flushes and leaves on SIGTERM, SIGHUP and SIGINT, after any commit under way.
fn watch_signals(shared: Arc<Shared>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        eprintln!(
            "taskforce: cannot watch signals; stop the server with SIGKILL only after clients leave"
        );
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            eprintln!("taskforce: signal {signal}: flushing and stopping");
            shutdown(&shared);
        }
    });
}

/// Why a stale socket could not be removed, when another user owns it in a sticky directory.
fn stale_owner(socket: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    match std::fs::symlink_metadata(socket) {
        Ok(meta) if meta.uid() != rustix::process::geteuid().as_raw() => format!(
            " (it is {}'s, in a directory with the sticky bit: {0} or root removes it)",
            crate::sys::user_name(meta.uid())
        ),
        _ => String::new(),
    }
}

/// Stops the server once its socket is gone or another file has taken its place (D8): nobody
/// can reach it any more, and it would only keep the database locked ("in use") for everyone.
/// Checked every second, a link not followed.
fn watch_socket(shared: Arc<Shared>, identity: (u64, u64)) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let why = match crate::sys::file_identity(&shared.socket) {
                Ok(now) if now == identity => continue,
                Ok(_) => "was replaced by another file",
                Err(e) if e.kind() == io::ErrorKind::NotFound => "was removed",
                // Cannot look (the directory's permissions changed?): keep serving.
                Err(_) => continue,
            };
            eprintln!(
                "taskforce: the socket {} {why}: nobody can reach this server any more; flushing and stopping",
                shared.socket.display()
            );
            shutdown(&shared);
        }
    });
}

fn watch_idle(shared: Arc<Shared>, idle: Duration) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(200).min(idle));
            let alone_since = *lock(&shared.last_left);
            if alone_since.is_some_and(|t| t.elapsed() >= idle) && lock(&shared.clients).is_empty()
            {
                eprintln!("taskforce: no clients for {} s: stopping", idle.as_secs());
                shutdown(&shared);
            }
        }
    });
}

fn shutdown(shared: &Shared) -> ! {
    let _commit = lock(&shared.commit);
    // Only the socket this server made: not systemd's, nor one another server put there since.
    if shared.own_socket.is_some()
        && crate::sys::file_identity(&shared.socket).ok() == shared.own_socket
    {
        let _ = std::fs::remove_file(&shared.socket);
    }
    let code = match shared.store.flush() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("taskforce: flush failed: {e}");
            1
        }
    };
    std::process::exit(code);
}

fn connection(shared: Arc<Shared>, stream: UnixStream) {
    // The user is whoever the kernel says is at the other end, never what the client claims.
    let (user, pid) = match rustix::net::sockopt::socket_peercred(&stream) {
        Ok(cred) => {
            // The service's own check of the group, whatever the socket's mode lets through.
            if let Some((group, gid)) = &shared.group {
                let uid = cred.uid.as_raw();
                if uid != 0 && uid != shared.uid && !crate::sys::is_member(uid, *gid) {
                    let name = crate::sys::user_name(uid);
                    eprintln!("taskforce: refused {name} (uid {uid}): not a member of {group}");
                    let reason = format!(
                        "{name} is not a member of the group {group}, which this database is for; \
                         ask its administrator to add you (usermod -aG {group} {name})"
                    );
                    let _ = write_frame(&mut &stream, &ServerMsg::Refused { reason });
                    return;
                }
            }
            (
                crate::sys::user_name(cred.uid.as_raw()),
                cred.pid.as_raw_nonzero().get() as u32,
            )
        }
        Err(e) => {
            eprintln!("taskforce: refused a connection without peer credentials: {e}");
            return;
        }
    };
    let mut reader = match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    };
    let _ = reader.set_read_timeout(Some(Duration::from_secs(10)));
    let program = match read_frame::<ClientMsg>(&mut reader) {
        Ok(ClientMsg::Hello { protocol, program }) if protocol == PROTOCOL_VERSION => program,
        Ok(ClientMsg::Hello { protocol, .. }) => {
            let reason = format!(
                "this server speaks protocol {PROTOCOL_VERSION} and the client {protocol}: use the same taskforce version on both sides"
            );
            let _ = write_frame(&mut &stream, &ServerMsg::Refused { reason });
            return;
        }
        Ok(_) | Err(_) => return,
    };
    let _ = reader.set_read_timeout(None);
    let (tx, rx) = sync_channel::<Out>(QUEUE);
    let mut writer = match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    };
    let in_flight = Arc::new(AtomicU64::new(0));
    let written = Arc::clone(&in_flight);
    std::thread::spawn(move || {
        for out in rx {
            let sent = match &out {
                Out::Message(message) => write_frame(&mut writer, message),
                Out::Frame(bytes) => io::Write::write_all(&mut writer, bytes),
                Out::SnapshotChunk(bytes) => io::Write::write_all(&mut writer, bytes),
            };
            if sent.is_err() {
                break;
            }
            if matches!(out, Out::SnapshotChunk(_)) {
                written.fetch_sub(1, Ordering::Relaxed);
            }
        }
        written.store(WRITER_GONE, Ordering::Relaxed);
        let _ = writer.shutdown(std::net::Shutdown::Both);
    });
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let presence = Presence {
        user: user.clone(),
        pid,
        program,
        since: Timestamp::now(),
    };
    let _ = tx.send(Out::Message(ServerMsg::Welcome {
        protocol: PROTOCOL_VERSION,
        user: user.clone(),
        server_pid: std::process::id(),
    }));
    {
        let mut clients = lock(&shared.clients);
        clients.insert(
            id,
            Client {
                presence,
                subscriber: None,
                stream: stream.try_clone().expect("clone"),
            },
        );
        *lock(&shared.last_left) = None;
    }
    broadcast_presence(&shared);
    let reason = serve_requests(&shared, id, &user, &mut reader, &tx, &in_flight);
    if let Some(reason) = reason {
        eprintln!("taskforce: closed the connection of {user} (pid {pid}): {reason}");
    }
    leave(&shared, id);
}

/// Serves one client's requests until it leaves; returns why, when it was not a clean goodbye.
fn serve_requests(
    shared: &Shared,
    id: u64,
    user: &str,
    reader: &mut UnixStream,
    tx: &SyncSender<Out>,
    in_flight: &Arc<AtomicU64>,
) -> Option<String> {
    loop {
        let message = match read_frame::<ClientMsg>(reader) {
            Ok(m) => m,
            Err(FrameError::Closed) => return None,
            Err(e) => return Some(e.to_string()),
        };
        let ClientMsg::Request {
            id: request_id,
            request,
        } = message
        else {
            return Some("a second hello".into());
        };
        let reply = match request {
            Request::Snapshot => {
                let (done, result) = std::sync::mpsc::channel();
                let job = SnapshotJob {
                    client: id,
                    request_id,
                    tx: tx.clone(),
                    in_flight: Arc::clone(in_flight),
                    done,
                };
                let sent = shared.snapshots.send(job);
                match sent.ok().and_then(|()| result.recv().ok()) {
                    Some(Ok(seq)) => Ok(Reply::Snapshot { seq }),
                    Some(Err(SnapshotError::Gone)) => {
                        return Some(
                            "went away, or read nothing for 10 s, during the snapshot".into(),
                        );
                    }
                    Some(Err(SnapshotError::Store(e))) => Err(e.into()),
                    Some(Err(SnapshotError::Frame(message))) => {
                        Err(failed(format!("the snapshot could not be sent: {message}")))
                    }
                    None => return Some("the server is stopping".into()),
                }
            }
            Request::Submit {
                command,
                on_behalf_of,
            } => {
                let actor = Actor {
                    user: user.to_string(),
                    on_behalf_of,
                };
                let (done, result) = std::sync::mpsc::channel();
                let job = Job {
                    actor,
                    command,
                    done,
                };
                let sent = shared.jobs.send(job);
                match sent.ok().and_then(|()| result.recv().ok()) {
                    Some(Ok(committed)) => Ok(Reply::Committed(committed)),
                    Some(Err(e)) => Err(e),
                    None => return Some("the server is stopping".into()),
                }
            }
            Request::History { kind, id } => shared
                .store
                .history(kind, &id)
                .map(Reply::History)
                .map_err(CommandError::from),
            Request::Audit { limit } => shared
                .store
                .audit(limit)
                .map(Reply::Audit)
                .map_err(CommandError::from),
            Request::Who => Ok(Reply::Who(presences(shared))),
            Request::Check => shared
                .store
                .check(|_| {})
                .map(Reply::Check)
                .map_err(CommandError::from),
            Request::Stop => match may_stop(shared, user) {
                Err(e) => Err(e),
                Ok(()) => {
                    eprintln!("taskforce: {user} asked the server to stop: flushing and stopping");
                    let _ = tx.send(Out::Message(ServerMsg::Reply {
                        id: request_id,
                        reply: Ok(Reply::Stopping),
                    }));
                    // The answer goes out before the process does: the client closes the
                    // connection once it has it (2 s at most).
                    let _ = reader.set_read_timeout(Some(Duration::from_secs(2)));
                    let _ = read_frame::<ClientMsg>(reader);
                    shutdown(shared);
                }
            },
        };
        if tx
            .send(Out::Message(ServerMsg::Reply {
                id: request_id,
                reply,
            }))
            .is_err()
        {
            return Some("went away".into());
        }
    }
}

/// Who may stop the server (`taskforce stop`): facilitators, root, and the user it runs as.
fn may_stop(shared: &Shared, user: &str) -> Result<(), CommandError> {
    let own = crate::sys::user_name(shared.uid);
    if user == own || user == "root" || shared.store.facilitators()?.iter().any(|f| f == user) {
        return Ok(());
    }
    Err(CommandError::Denied(format!(
        "only a facilitator, {own} (who runs it) or root can stop the server; {user} is none of them"
    )))
}

/// The snapshot thread: streams every record to each client that asks, one client at a time, a
/// chunk at a time. One thread does it for everyone so that what reading the store leaves
/// behind (sled's cache, the freed rows) stays in one place instead of in every connection's
/// thread, where it added up to gigabytes with twenty clients.
fn send_snapshots(shared: &Shared, asked: std::sync::mpsc::Receiver<SnapshotJob>) {
    while let Ok(job) = asked.recv() {
        crate::sys::release_free_memory();
        let result = send_snapshot(shared, &job);
        let _ = job.done.send(result);
    }
}

fn send_snapshot(shared: &Shared, job: &SnapshotJob) -> Result<u64, SnapshotError> {
    // The client is subscribed at a seq, under the commit lock, and the store is read after
    // that without it, so that commits go on meanwhile: a row read may already be newer than
    // the seq, and the client then applies every commit after the seq in order (each one
    // whole), which brings every row to where the store is.
    let seq = {
        let _commit = lock(&shared.commit);
        let seq = shared.store.seq().map_err(SnapshotError::Store)?;
        if let Some(c) = lock(&shared.clients).get_mut(&job.client) {
            c.subscriber = Some(job.tx.clone());
        }
        seq
    };
    let mut rows = Vec::with_capacity(SNAPSHOT_CHUNK);
    let mut failed = None;
    // Each chunk is framed here, on this thread, so that the copies of the stored bytes are
    // freed where they were made and the connection's writer only writes.
    let send = |rows: Vec<StoredRow>| -> Result<(), SnapshotError> {
        let frame = frame(&ServerMsg::SnapshotChunk {
            id: job.request_id,
            rows,
        })
        .map_err(|e| SnapshotError::Frame(e.to_string()))?;
        // Paced by the client's reading: a few chunks queued at a time, so that memory stays
        // small; a client that reads nothing for long, or whose connection ended, is let go.
        let since = Instant::now();
        loop {
            match job.in_flight.load(Ordering::Relaxed) {
                WRITER_GONE => return Err(SnapshotError::Gone),
                n if n < SNAPSHOT_IN_FLIGHT => break,
                _ if since.elapsed() > SNAPSHOT_STALL => return Err(SnapshotError::Gone),
                _ => std::thread::sleep(Duration::from_millis(1)),
            }
        }
        job.in_flight.fetch_add(1, Ordering::Relaxed);
        job.tx
            .send(Out::SnapshotChunk(frame))
            .map_err(|_| SnapshotError::Gone)
    };
    let mut bytes = 0;
    shared
        .store
        .each_stored(|kind, key, value| {
            bytes += key.len() + value.len();
            rows.push(StoredRow {
                kind,
                key: key.to_vec(),
                value: value.to_vec(),
            });
            if rows.len() == SNAPSHOT_CHUNK || bytes >= SNAPSHOT_CHUNK_BYTES {
                let chunk = std::mem::replace(&mut rows, Vec::with_capacity(SNAPSHOT_CHUNK));
                bytes = 0;
                failed = send(chunk).err();
            }
            failed.is_none()
        })
        .map_err(SnapshotError::Store)?;
    if let Some(e) = failed {
        return Err(e);
    }
    if !rows.is_empty() {
        send(rows)?;
    }
    Ok(seq)
}

/// The committer: applies every command waiting, flushes once for all of them, then broadcasts
/// and acknowledges each in order (group commit). Under load one flush serves many commands;
/// nothing is acknowledged or broadcast before the flush that made it durable has returned.
fn commit_jobs(shared: &Shared, waiting: std::sync::mpsc::Receiver<Job>) {
    let mut collected = Instant::now();
    while let Ok(first) = waiting.recv() {
        // Memory freed by the committer's work goes back to the system now and then, not only
        // when the allocator gets round to it.
        if collected.elapsed() > Duration::from_secs(1) {
            crate::sys::release_free_memory();
            collected = Instant::now();
        }
        let mut batch = vec![first];
        while batch.len() < GROUP_MAX {
            match waiting.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let _commit = lock(&shared.commit);
        let results: Vec<_> = batch
            .into_iter()
            .map(|job| {
                let result = shared.store.apply_unflushed(&job.actor, job.command);
                (job.done, result)
            })
            .collect();
        let flushed = shared.store.flush();
        for (done, result) in results {
            let result = match (result, &flushed) {
                (Ok(committed), Ok(())) => {
                    if committed.changes.len() < committed.changed {
                        broadcast(shared, ServerMsg::Reload);
                    } else {
                        broadcast(shared, ServerMsg::Event(committed.clone()));
                    }
                    Ok(committed)
                }
                (Ok(_), Err(e)) => Err(failed(format!(
                    "the change could not be written to disk, so it is not saved: {e}"
                ))),
                (Err(e), _) => Err(e),
            };
            let _ = done.send(result);
        }
    }
}

fn presences(shared: &Shared) -> Vec<Presence> {
    let mut list: Vec<Presence> = lock(&shared.clients)
        .values()
        .map(|c| c.presence.clone())
        .collect();
    list.sort_by(|a, b| (a.since, &a.user).cmp(&(b.since, &b.user)));
    list
}

/// Sends a message to every subscriber; one whose queue is full is cut off to resynchronise.
fn broadcast(shared: &Shared, message: ServerMsg) {
    // Encoded once; every client gets the same bytes.
    let bytes = match frame(&message) {
        Ok(bytes) => Arc::new(bytes),
        Err(e) => {
            eprintln!("taskforce: a change too large to broadcast ({e}): clients reload");
            match frame(&ServerMsg::Reload) {
                Ok(bytes) => Arc::new(bytes),
                Err(_) => return,
            }
        }
    };
    let mut clients = lock(&shared.clients);
    let mut slow = Vec::new();
    for (id, client) in clients.iter() {
        if let Some(tx) = &client.subscriber {
            match tx.try_send(Out::Frame(Arc::clone(&bytes))) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => slow.push(*id),
                Err(TrySendError::Disconnected(_)) => {}
            }
        }
    }
    for id in slow {
        if let Some(client) = clients.get_mut(&id) {
            eprintln!(
                "taskforce: {} (pid {}) fell {QUEUE} messages behind: disconnecting it to resynchronise",
                client.presence.user, client.presence.pid
            );
            client.subscriber = None;
            let _ = client.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn broadcast_presence(shared: &Shared) {
    let list = presences(shared);
    broadcast(shared, ServerMsg::Presence(list));
}

fn leave(shared: &Shared, id: u64) {
    {
        let mut clients = lock(&shared.clients);
        if let Some(c) = clients.remove(&id) {
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
        }
        if clients.is_empty() {
            *lock(&shared.last_left) = Some(Instant::now());
        }
    }
    broadcast_presence(shared);
}

/// Whether a server answers on the database's socket.
pub fn running(db: &Path) -> bool {
    UnixStream::connect(socket_path(db)).is_ok()
}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        FrameError::Io(e)
    }
}
