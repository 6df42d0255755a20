//! `taskforce serve`: one process owns the database and serves everyone over a Unix socket in
//! the database directory (DESIGN.md, "Shared mode").
//!
//! Each connection has a reader thread (requests) and a writer thread fed by a bounded queue.
//! Commits and their broadcast happen under one lock, so every client sees events in commit
//! order; a client whose queue is full is disconnected (it reconnects and resynchronises) so
//! that a slow or stuck client never holds up the others.
//!
//! Every resource a client can make the server hold is bounded ([`Limits`]): frames are read as
//! their bytes arrive, with a deadline once one has started; connections per user and in all;
//! reply bytes queued per connection (its requests are not read meanwhile); snapshot chunks in
//! flight per client, one chunk at a time for each client in turn so that a slow reader delays
//! nobody; one check at a time; presence broadcasts coalesced; log lines rate-limited.

use std::collections::HashMap;
use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::protocol::*;
use crate::model::{Actor, Kind, Timestamp};
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
    /// What a database this server creates is filled with.
    pub seed: crate::fixtures::Bundle,
    /// Admit only members of this group (supplementary groups included), root and the server's
    /// own user, whatever the socket's mode says (`serve --group`).
    pub group: Option<String>,
    /// The service deployment (`serve --service`): the server must run as the owner of the
    /// database's files, and `group` is required.
    pub service: bool,
}

/// What a client may make the server hold; the defaults can be changed through environment
/// variables (for a load test, or a server with many workbenches per member).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections of one user at once (`TASKFORCE_MAX_CONNECTIONS_PER_USER`).
    pub per_user: usize,
    /// Connections at once (`TASKFORCE_MAX_CONNECTIONS`).
    pub total: usize,
    /// Time to send the whole hello (`TASKFORCE_HELLO_TIMEOUT_SECS`).
    pub hello: Duration,
    /// Time to send the rest of a frame once its first byte came (`TASKFORCE_FRAME_TIMEOUT_SECS`).
    pub frame: Duration,
    /// Time a connection that takes no updates (no snapshot) may send nothing
    /// (`TASKFORCE_IDLE_TIMEOUT_SECS`). A workbench, which takes updates, may idle for ever.
    pub idle: Duration,
    /// Reply bytes queued for one connection past which its requests are not read.
    pub queued_bytes: u64,
    /// Reply bytes queued for all connections past which a connection with replies unread
    /// has its requests not read (one that reads its replies is served).
    pub queued_total: u64,
    /// Time a connection may leave that many replies unread before it is let go
    /// (`TASKFORCE_UNREAD_TIMEOUT_SECS`).
    pub unread: Duration,
    /// The largest import file the server takes, kept on disk as it arrives
    /// (`TASKFORCE_MAX_IMPORT_BYTES`).
    pub import_bytes: u64,
    /// Import files received at the same time at most, by all connections together.
    pub imports: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_user: 32,
            total: 256,
            hello: Duration::from_secs(10),
            frame: Duration::from_secs(30),
            idle: Duration::from_secs(600),
            queued_bytes: 1024 * 1024,
            queued_total: 32 * 1024 * 1024,
            unread: Duration::from_secs(60),
            import_bytes: 8 * 1024 * 1024 * 1024,
            imports: 2,
        }
    }
}

impl Limits {
    /// The defaults, changed by the environment variables named on each field.
    pub fn from_env() -> Limits {
        fn var(name: &str) -> Option<u64> {
            std::env::var(name).ok()?.trim().parse().ok()
        }
        let secs = |name: &str, default: Duration| {
            var(name).map_or(default, |s| Duration::from_secs(s.max(1)))
        };
        let d = Limits::default();
        Limits {
            per_user: var("TASKFORCE_MAX_CONNECTIONS_PER_USER").map_or(d.per_user, |n| n as usize),
            total: var("TASKFORCE_MAX_CONNECTIONS").map_or(d.total, |n| n as usize),
            hello: secs("TASKFORCE_HELLO_TIMEOUT_SECS", d.hello),
            frame: secs("TASKFORCE_FRAME_TIMEOUT_SECS", d.frame),
            idle: secs("TASKFORCE_IDLE_TIMEOUT_SECS", d.idle),
            queued_bytes: d.queued_bytes,
            queued_total: d.queued_total,
            unread: secs("TASKFORCE_UNREAD_TIMEOUT_SECS", d.unread),
            import_bytes: var("TASKFORCE_MAX_IMPORT_BYTES").unwrap_or(d.import_bytes),
            imports: d.imports,
        }
    }
}

/// The most audit entries one request returns.
pub const MAX_AUDIT: usize = 1000;

/// Presence is broadcast at most this often, with the latest list.
const PRESENCE_EVERY: Duration = Duration::from_millis(200);

struct Client {
    presence: Presence,
    /// Set once the client asked for a snapshot: it then receives every commit.
    subscriber: Option<SyncSender<Out>>,
    stream: Arc<UnixStream>,
}

/// What is queued for one connection's writer, counted so that the reader and the snapshot
/// thread can wait for it to drain.
#[derive(Default)]
struct Outbox {
    /// Snapshot chunks queued and not yet written (`WRITER_GONE` once the writer stopped).
    in_flight: AtomicU64,
    /// Bytes of replies queued and not yet written.
    queued: AtomicU64,
}

/// What a connection's writer sends: a message, or a broadcast already encoded (shared by every
/// client's queue).
///
/// Small (a pointer or a vector): every connection's queue holds [`QUEUE`] of these from the
/// start, so a message is boxed rather than kept inline (about 170 bytes a slot, 0.7 MB a
/// connection, when it was).
enum Out {
    Message(Box<ServerMsg>),
    Frame(Arc<Vec<u8>>),
    /// A framed reply, counted in the client's queued bytes until written.
    Reply(Vec<u8>),
    /// A framed snapshot chunk, counted in the client's chunks in flight until written.
    SnapshotChunk(Vec<u8>),
}

/// A client's request for every record, for the snapshot thread.
struct SnapshotJob {
    client: u64,
    request_id: u64,
    /// Only the records of this kind, and no subscription to commits (`Request::Records`).
    only: Option<Kind>,
    tx: SyncSender<Out>,
    outbox: Arc<Outbox>,
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
const SNAPSHOT_IN_FLIGHT: u64 = 2;
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
    limits: Limits,
    /// Connections open, in all and per uid (hello or not).
    open: Mutex<Open>,
    /// Reply bytes queued for every connection.
    queued: Arc<AtomicU64>,
    /// Held while a check runs: one at a time.
    checking: Mutex<()>,
    /// Tells the presence thread that someone came or went.
    presence_changed: SyncSender<()>,
    /// Import files being received.
    uploads: std::sync::atomic::AtomicUsize,
    /// The index searches run on, made current as each search comes (see `SharedIndex`).
    search: crate::store::search_index::SharedIndex,
}

#[derive(Default)]
struct Open {
    total: usize,
    per_uid: HashMap<u32, usize>,
}

/// Runs a client's search on the saved index, brought up to the store's state first (built
/// again when it cannot be). Searches on a current index run at once.
fn search(shared: &Shared, asked: &crate::search::wire::Asked) -> Result<Reply, CommandError> {
    let results = shared
        .search
        .search(&shared.store, &asked.to_request(), &mut |m| {
            eprintln!("taskforce: {m}")
        })?;
    Ok(Reply::Search(crate::search::wire::Found::from_results(
        results,
    )))
}

/// A connection counted in `Shared::open`, uncounted when dropped.
struct Slot {
    shared: Arc<Shared>,
    uid: u32,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = lock(&self.shared.open);
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.per_uid.get_mut(&self.uid) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.per_uid.remove(&self.uid);
            }
        }
    }
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
    if store.created() && options.seed != crate::fixtures::Bundle::Nothing {
        let actor = Actor::user(crate::sys::current_user());
        let n = crate::fixtures::seed(&store, &actor, options.seed)
            .map_err(|e| open_error(db, e.to_string()))?;
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
    let (presence_changed, changes) = sync_channel::<()>(1);
    raise_descriptor_limit();
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
        limits: Limits::from_env(),
        open: Mutex::new(Open::default()),
        queued: Arc::new(AtomicU64::new(0)),
        checking: Mutex::new(()),
        presence_changed,
        uploads: std::sync::atomic::AtomicUsize::new(0),
        search: Default::default(),
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
    {
        let shared = shared.clone();
        std::thread::spawn(move || coalesce_presence(&shared, changes));
    }
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(LOG_WINDOW);
            log_summaries(false);
        }
    });
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
    loop {
        match listener.accept() {
            Ok((stream, _)) => admit(&shared, stream),
            Err(e) => {
                // Out of descriptors (EMFILE) or memory: wait for connections to close rather
                // than spin; the ones open go on being served.
                log("accept", format!("accept failed: {e}"));
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Lets the server use as many descriptors as the system allows it (one per connection).
fn raise_descriptor_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        let _ = setrlimit(
            Resource::Nofile,
            rustix::process::Rlimit {
                current: limit.maximum,
                maximum: limit.maximum,
            },
        );
    }
}

/// Counts a new connection against its user's and the server's caps, and serves it on a
/// thread of its own, or refuses it in words.
fn admit(shared: &Arc<Shared>, stream: UnixStream) {
    // The user is whoever the kernel says is at the other end, never what the client claims.
    let (uid, pid) = match rustix::net::sockopt::socket_peercred(&stream) {
        Ok(cred) => (cred.uid.as_raw(), cred.pid.as_raw_nonzero().get() as u32),
        Err(e) => {
            log(
                "refused",
                format!("refused a connection without peer credentials: {e}"),
            );
            return;
        }
    };
    let refusal = {
        let mut open = lock(&shared.open);
        let mine = open.per_uid.get(&uid).copied().unwrap_or(0);
        if mine >= shared.limits.per_user {
            Some(format!(
                "too many connections for {}: {mine}; close some workbenches",
                crate::sys::user_name(uid)
            ))
        } else if open.total >= shared.limits.total {
            Some(format!(
                "the server has {} connections, as many as it takes; try again later",
                open.total
            ))
        } else {
            open.total += 1;
            *open.per_uid.entry(uid).or_default() += 1;
            None
        }
    };
    if let Some(reason) = refusal {
        log("refused", format!("refused pid {pid}: {reason}"));
        // A new socket's buffer is empty: this small frame is written without waiting.
        let _ = stream.set_nonblocking(true);
        let _ = write_handshake(&mut &stream, &ServerMsg::Refused { reason });
        return;
    }
    let slot = Slot {
        shared: Arc::clone(shared),
        uid,
    };
    let spawned = std::thread::Builder::new()
        .name("connection".into())
        .spawn(move || connection(slot, stream, uid, pid));
    if let Err(e) = spawned {
        log("accept", format!("cannot serve a connection: {e}"));
    }
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
    log_summaries(true);
    let code = match shared.store.flush() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("taskforce: flush failed: {e}");
            1
        }
    };
    std::process::exit(code);
}

fn connection(slot: Slot, stream: UnixStream, uid: u32, pid: u32) {
    let shared = Arc::clone(&slot.shared);
    let user = crate::sys::user_name(uid);
    // One descriptor per connection, shared by its reader, its writer and the client list.
    let stream = Arc::new(stream);
    let mut reader = Timed::new(&stream, shared.limits.hello);
    // The service's own check of the group, whatever the socket's mode lets through.
    if let Some((group, gid)) = &shared.group
        && uid != 0
        && uid != shared.uid
        && !crate::sys::is_member(uid, *gid)
    {
        log(
            "refused",
            format!("refused {user} (uid {uid}): not a member of {group}"),
        );
        let reason = format!(
            "{user} is not a member of the group {group}, which this database is for; \
             ask its administrator to add you (usermod -aG {group} {user})"
        );
        let _ = write_handshake(&mut &*stream, &ServerMsg::Refused { reason });
        return;
    }
    let program = match read_frame::<ClientMsg>(&mut reader) {
        Ok(ClientMsg::Hello { protocol, program }) if protocol == PROTOCOL_VERSION => {
            neutral_program(&program)
        }
        Ok(ClientMsg::Hello { protocol, .. }) => {
            let reason = format!(
                "this server speaks protocol {PROTOCOL_VERSION} and the client {protocol}: use the same taskforce version on both sides"
            );
            let _ = write_handshake(&mut &*stream, &ServerMsg::Refused { reason });
            return;
        }
        Ok(_) => return,
        Err(e) => {
            if !matches!(e, FrameError::Closed) {
                log(
                    "closed",
                    format!("closed the connection of {user} (pid {pid}) before its hello: {e}"),
                );
            }
            return;
        }
    };
    let (tx, rx) = sync_channel::<Out>(QUEUE);
    let outbox = Arc::new(Outbox::default());
    let written = Arc::clone(&outbox);
    let all_queued = Arc::clone(&shared.queued);
    let writer = Arc::clone(&stream);
    let spawned = std::thread::Builder::new()
        .name("writer".into())
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut w = &*writer;
            for out in rx {
                let sent = match &out {
                    Out::Message(message) => write_frame(&mut w, message),
                    Out::Frame(bytes) => io::Write::write_all(&mut w, bytes),
                    Out::Reply(bytes) | Out::SnapshotChunk(bytes) => {
                        io::Write::write_all(&mut w, bytes)
                    }
                };
                if sent.is_err() {
                    break;
                }
                match &out {
                    Out::SnapshotChunk(_) => {
                        written.in_flight.fetch_sub(1, Ordering::Relaxed);
                    }
                    Out::Reply(bytes) => {
                        written
                            .queued
                            .fetch_sub(bytes.len() as u64, Ordering::Relaxed);
                        all_queued.fetch_sub(bytes.len() as u64, Ordering::Relaxed);
                    }
                    _ => {}
                }
            }
            written.in_flight.store(WRITER_GONE, Ordering::Relaxed);
            // What was never written no longer counts (the queue is dropped with the thread).
            all_queued.fetch_sub(written.queued.swap(0, Ordering::Relaxed), Ordering::Relaxed);
            let _ = writer.shutdown(std::net::Shutdown::Both);
        });
    if let Err(e) = spawned {
        log("accept", format!("cannot serve {user} (pid {pid}): {e}"));
        return;
    }
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let presence = Presence {
        user: user.clone(),
        pid,
        program,
        since: Timestamp::now(),
    };
    let _ = tx.send(Out::Frame(Arc::new(handshake_frame(&ServerMsg::Welcome {
        protocol: PROTOCOL_VERSION,
        user: user.clone(),
        server_pid: std::process::id(),
    }))));
    {
        let mut clients = lock(&shared.clients);
        clients.insert(
            id,
            Client {
                presence,
                subscriber: None,
                stream: Arc::clone(&stream),
            },
        );
        *lock(&shared.last_left) = None;
    }
    let _ = shared.presence_changed.try_send(());
    let reason = serve_requests(&shared, id, &user, &mut reader, &tx, &outbox);
    if let Some(reason) = reason {
        log(
            "closed",
            format!("closed the connection of {user} (pid {pid}): {reason}"),
        );
    }
    leave(&shared, id);
    drop(slot);
}

/// A program name as a client gives it, safe to print and short.
fn neutral_program(program: &str) -> String {
    let clean = crate::model::text::sanitize(program, false);
    match clean.char_indices().nth(MAX_PROGRAM) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
    }
}

/// A connection's reading side with deadlines, kept with the socket's read timeout: the whole
/// hello within `Limits::hello`; then, for each frame, its first byte within the idle time (none
/// for a client that takes updates) and the rest within `Limits::frame`, however the bytes
/// trickle in.
struct Timed<'a> {
    stream: &'a UnixStream,
    /// When the current frame (or the wait for it) must be over.
    deadline: Option<Instant>,
    /// Time for a frame once its first byte came; `None` for a deadline already whole.
    frame: Option<Duration>,
    started: bool,
}

impl<'a> Timed<'a> {
    /// A reader whose next frame must arrive whole within `whole`.
    fn new(stream: &'a UnixStream, whole: Duration) -> Timed<'a> {
        Timed {
            stream,
            deadline: Some(Instant::now() + whole),
            frame: None,
            started: true,
        }
    }

    /// Starts waiting for the next frame.
    fn next_frame(&mut self, idle: Option<Duration>, frame: Duration) {
        self.deadline = idle.map(|d| Instant::now() + d);
        self.frame = Some(frame);
        self.started = false;
    }

    fn late(&self) -> io::Error {
        let what = if self.started {
            "sent only part of a message in the time allowed"
        } else {
            "sent nothing in the time allowed"
        };
        io::Error::new(io::ErrorKind::TimedOut, what)
    }
}

impl io::Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let timeout = match self.deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(self.late());
                }
                Some(left)
            }
            None => None,
        };
        self.stream.set_read_timeout(timeout)?;
        let n = match (&mut &*self.stream).read(buf) {
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(self.late());
            }
            other => other?,
        };
        if n > 0 && !self.started {
            self.started = true;
            if let Some(frame) = self.frame {
                self.deadline = Some(Instant::now() + frame);
            }
        }
        Ok(n)
    }
}

/// Serves one client's requests until it leaves; returns why, when it was not a clean goodbye.
fn serve_requests(
    shared: &Shared,
    id: u64,
    user: &str,
    reader: &mut Timed,
    tx: &SyncSender<Out>,
    outbox: &Arc<Outbox>,
) -> Option<String> {
    let limits = &shared.limits;
    // A client that takes updates (a workbench) may sit idle for hours.
    let mut subscribed = false;
    // The import file this connection is sending, if any.
    let mut upload: Option<Upload> = None;
    loop {
        // Replies it does not read hold the next request back, and in the end the client.
        let since = Instant::now();
        let held_back = || {
            let mine = outbox.queued.load(Ordering::Relaxed);
            mine > limits.queued_bytes
                || (mine > 0 && shared.queued.load(Ordering::Relaxed) > limits.queued_total)
        };
        while held_back() {
            if outbox.in_flight.load(Ordering::Relaxed) == WRITER_GONE {
                return Some("went away".into());
            }
            if since.elapsed() > limits.unread {
                return Some(format!(
                    "left {} MB of replies unread for {} s",
                    outbox.queued.load(Ordering::Relaxed) / 1_000_000,
                    limits.unread.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        reader.next_frame((!subscribed).then_some(limits.idle), limits.frame);
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
                    only: None,
                    tx: tx.clone(),
                    outbox: Arc::clone(outbox),
                    done,
                };
                let sent = shared.snapshots.send(job);
                subscribed = true;
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
            Request::Records { kind } => {
                let (done, result) = std::sync::mpsc::channel();
                let job = SnapshotJob {
                    client: id,
                    request_id,
                    only: Some(kind),
                    tx: tx.clone(),
                    outbox: Arc::clone(outbox),
                    done,
                };
                let sent = shared.snapshots.send(job);
                match sent.ok().and_then(|()| result.recv().ok()) {
                    Some(Ok(seq)) => Ok(Reply::Records { seq }),
                    Some(Err(SnapshotError::Gone)) => {
                        return Some(
                            "went away, or read nothing for 10 s, while records were sent".into(),
                        );
                    }
                    Some(Err(SnapshotError::Store(e))) => Err(e.into()),
                    Some(Err(SnapshotError::Frame(message))) => {
                        Err(failed(format!("the records could not be sent: {message}")))
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
                .audit(limit.min(MAX_AUDIT))
                .map(Reply::Audit)
                .map_err(CommandError::from),
            Request::Who => Ok(Reply::Who(presences(shared))),
            Request::Check => match shared.checking.try_lock() {
                // Reading every record costs memory: one check at a time.
                Err(std::sync::TryLockError::WouldBlock) => {
                    Err(CommandError::Store(StoreError::Remote {
                        code: crate::exit::UNAVAILABLE,
                        message:
                            "a check is already running on this database; try again when it is done"
                                .into(),
                    }))
                }
                Ok(_) | Err(std::sync::TryLockError::Poisoned(_)) => {
                    let report = shared.store.check(|_| {});
                    crate::sys::release_free_memory();
                    report.map(Reply::Check).map_err(CommandError::from)
                }
            },
            Request::Get { kind, id } => shared
                .store
                .get_stored(kind, &id)
                .map(|value| {
                    Reply::Record(value.map(|value| StoredRow {
                        kind,
                        key: id.into_bytes(),
                        value,
                    }))
                })
                .map_err(CommandError::from),
            Request::Info => shared
                .store
                .counts()
                .and_then(|counts| {
                    Ok(Reply::Info {
                        seq: shared.store.seq()?,
                        counts,
                    })
                })
                .map_err(CommandError::from),
            Request::ImportBegin {
                on_conflict,
                source,
                dry_run,
            } => Upload::begin(shared, &mut upload, on_conflict, source, dry_run),
            Request::ImportChunk { bytes } => match upload.as_mut() {
                None => Err(failed(
                    "a piece of an import file came before its start".into(),
                )),
                Some(u) => {
                    let received = u.write(&bytes, limits.import_bytes);
                    if received.is_err() {
                        upload = None;
                    }
                    received
                }
            },
            Request::Search(asked) => search(shared, &asked),
            Request::ImportEnd => match upload.take() {
                None => Err(failed("an import file ended before it began".into())),
                Some(u) => u.import(shared, user),
            },
            Request::Stop => match may_stop(shared, user) {
                Err(e) => Err(e),
                Ok(()) => {
                    eprintln!("taskforce: {user} asked the server to stop: flushing and stopping");
                    let _ = tx.send(Out::Message(Box::new(ServerMsg::Reply {
                        id: request_id,
                        reply: Ok(Reply::Stopping),
                    })));
                    // The answer goes out before the process does: the client closes the
                    // connection once it has it (2 s at most).
                    let _ = reader.stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let _ = read_frame::<ClientMsg>(reader);
                    shutdown(shared);
                }
            },
        };
        let message = ServerMsg::Reply {
            id: request_id,
            reply,
        };
        let bytes = match frame(&message) {
            Ok(bytes) => bytes,
            Err(e) => {
                let reply = Err(failed(format!("the answer could not be sent: {e}")));
                match frame(&ServerMsg::Reply {
                    id: request_id,
                    reply,
                }) {
                    Ok(bytes) => bytes,
                    Err(_) => return Some("an answer could not be framed".into()),
                }
            }
        };
        drop(message);
        outbox
            .queued
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        shared
            .queued
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let len = bytes.len() as u64;
        if tx.send(Out::Reply(bytes)).is_err() {
            outbox.queued.fetch_sub(len, Ordering::Relaxed);
            shared.queued.fetch_sub(len, Ordering::Relaxed);
            return Some("went away".into());
        }
    }
}

/// An import file a connection is sending, kept on disk in the database directory as it
/// arrives (never more than `Limits::import_bytes`), deleted once imported or when the
/// connection goes; one the server never deleted (it was killed) goes at its next start.
struct Upload<'a> {
    shared: &'a Shared,
    path: PathBuf,
    file: std::fs::File,
    bytes: u64,
    options: crate::store::bulk::ImportOptions,
}

impl<'a> Upload<'a> {
    fn begin(
        shared: &'a Shared,
        upload: &mut Option<Upload<'a>>,
        on_conflict: crate::model::OnConflict,
        source: String,
        dry_run: bool,
    ) -> Result<Reply, CommandError> {
        // Any earlier one of this connection is abandoned (and deleted) first.
        *upload = None;
        let limit = shared.limits.imports;
        if shared.uploads.fetch_add(1, Ordering::SeqCst) >= limit {
            shared.uploads.fetch_sub(1, Ordering::SeqCst);
            return Err(CommandError::Store(StoreError::Remote {
                code: crate::exit::UNAVAILABLE,
                message: format!(
                    "{limit} import files are being received already; try again when one is done"
                ),
            }));
        }
        let created = crate::store::bulk::spool_file(shared.store.path());
        let (path, file) = match created {
            Ok(made) => made,
            Err(e) => {
                shared.uploads.fetch_sub(1, Ordering::SeqCst);
                return Err(e.into());
            }
        };
        *upload = Some(Upload {
            shared,
            path,
            file,
            bytes: 0,
            options: crate::store::bulk::ImportOptions {
                on_conflict,
                source: crate::model::text::sanitize(&source, false),
                dry_run,
            },
        });
        Ok(Reply::ImportReady {
            max_bytes: shared.limits.import_bytes,
        })
    }

    fn write(&mut self, bytes: &[u8], limit: u64) -> Result<Reply, CommandError> {
        self.bytes += bytes.len() as u64;
        if self.bytes > limit {
            return Err(crate::server::client::too_large(limit));
        }
        use std::io::Write as _;
        self.file
            .write_all(bytes)
            .map_err(|e| failed(format!("the import file could not be kept: {e}")))?;
        Ok(Reply::ImportReceived { bytes: self.bytes })
    }

    /// Imports the file received, as `user`, while no other change is made.
    fn import(self, shared: &Shared, user: &str) -> Result<Reply, CommandError> {
        use std::io::Seek as _;
        let mut file = self
            .file
            .try_clone()
            .map_err(|e| failed(format!("the import file could not be read: {e}")))?;
        file.seek(std::io::SeekFrom::Start(0))
            .map_err(|e| failed(format!("the import file could not be read: {e}")))?;
        let actor = Actor {
            user: user.to_string(),
            on_behalf_of: None,
        };
        let _commit = lock(&shared.commit);
        let result = crate::io::import_file::run(
            &shared.store,
            &actor,
            crate::io::import_file::Input::Json(file),
            self.options.clone(),
            &mut |_| {},
        );
        if let Ok(crate::io::import_file::Outcome::Committed { committed, .. }) = &result {
            if committed.changes.len() < committed.changed {
                broadcast(shared, ServerMsg::Reload);
            } else {
                broadcast(shared, ServerMsg::Event(committed.clone()));
            }
        }
        crate::sys::release_free_memory();
        Ok(Reply::Imported(result))
    }
}

impl Drop for Upload<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        self.shared.uploads.fetch_sub(1, Ordering::SeqCst);
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

/// A snapshot under way: where it stopped, and when its client last took a chunk.
struct Streaming {
    job: SnapshotJob,
    seq: u64,
    /// The kind being read (an index into `Kind::ALL`) and the last key sent of it.
    kind: usize,
    after: Option<Vec<u8>>,
    progress: Instant,
}

/// The snapshot thread: streams every record to each client that asks, a chunk at a time, to
/// each client in turn whose previous chunks are written, so that a client that reads slowly
/// (or not at all) holds a couple of chunks and delays nobody. One thread does it for everyone
/// so that what reading the store leaves behind (sled's cache, the freed rows) stays in one
/// place instead of in every connection's thread, where it added up to gigabytes with twenty
/// clients.
fn send_snapshots(shared: &Shared, asked: std::sync::mpsc::Receiver<SnapshotJob>) {
    let mut streaming: Vec<Streaming> = Vec::new();
    loop {
        let next = if streaming.is_empty() {
            asked.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            asked.try_recv().map_err(|e| match e {
                std::sync::mpsc::TryRecvError::Empty => RecvTimeoutError::Timeout,
                std::sync::mpsc::TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
            })
        };
        match next {
            Ok(job) => {
                if streaming.is_empty() {
                    crate::sys::release_free_memory();
                }
                start_snapshot(shared, job, &mut streaming);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) if streaming.is_empty() => return,
            Err(_) => {}
        }
        let mut sent = false;
        streaming.retain_mut(|s| {
            let outcome = match s.job.outbox.in_flight.load(Ordering::Relaxed) {
                WRITER_GONE => Some(Err(SnapshotError::Gone)),
                n if n < SNAPSHOT_IN_FLIGHT => match send_chunk(shared, s) {
                    Ok(true) => Some(Ok(s.seq)),
                    Ok(false) => {
                        sent = true;
                        s.progress = Instant::now();
                        None
                    }
                    Err(e) => Some(Err(e)),
                },
                // Paced by the client's reading: one that reads nothing for long is let go.
                _ if s.progress.elapsed() > SNAPSHOT_STALL => Some(Err(SnapshotError::Gone)),
                _ => None,
            };
            match outcome {
                Some(result) => {
                    let _ = s.job.done.send(result);
                    false
                }
                None => true,
            }
        });
        // Every client is behind: wait a moment for one to read, or for a new request.
        if !sent
            && !streaming.is_empty()
            && let Ok(job) = asked.recv_timeout(Duration::from_millis(1))
        {
            start_snapshot(shared, job, &mut streaming);
        }
    }
}

fn start_snapshot(shared: &Shared, job: SnapshotJob, streaming: &mut Vec<Streaming>) {
    match subscribe(shared, &job) {
        Ok(seq) => streaming.push(Streaming {
            seq,
            kind: job.only.map_or(0, |k| k as usize),
            job,
            after: None,
            progress: Instant::now(),
        }),
        Err(e) => {
            let _ = job.done.send(Err(e));
        }
    }
}

/// The client is subscribed at a seq, under the commit lock, and the store is read after
/// that without it, so that commits go on meanwhile: a row read may already be newer than the
/// seq, and the client then applies every commit after the seq in order (each one whole),
/// which brings every row to where the store is.
fn subscribe(shared: &Shared, job: &SnapshotJob) -> Result<u64, SnapshotError> {
    let _commit = lock(&shared.commit);
    let seq = shared.store.seq().map_err(SnapshotError::Store)?;
    if job.only.is_none()
        && let Some(c) = lock(&shared.clients).get_mut(&job.client)
    {
        c.subscriber = Some(job.tx.clone());
    }
    Ok(seq)
}

/// Queues the next chunk of a snapshot; true when there was nothing left to send.
fn send_chunk(shared: &Shared, s: &mut Streaming) -> Result<bool, SnapshotError> {
    let mut rows = Vec::new();
    let mut bytes = 0;
    // One kind only (`Request::Records`): it ends after that kind.
    let end = s.job.only.map_or(Kind::ALL.len(), |k| k as usize + 1);
    while s.kind < end && rows.len() < SNAPSHOT_CHUNK && bytes < SNAPSHOT_CHUNK_BYTES {
        let kind = Kind::ALL[s.kind];
        let (want_rows, want_bytes) = (SNAPSHOT_CHUNK - rows.len(), SNAPSHOT_CHUNK_BYTES - bytes);
        let read = shared
            .store
            .stored_after(
                kind,
                s.after.as_deref(),
                want_rows,
                want_bytes,
                |key, value| {
                    bytes += key.len() + value.len();
                    rows.push(StoredRow {
                        kind,
                        key: key.to_vec(),
                        value: value.to_vec(),
                    });
                },
            )
            .map_err(SnapshotError::Store)?;
        if read == 0 {
            s.kind += 1;
            s.after = None;
        } else {
            s.after = rows.last().map(|r| r.key.clone());
        }
    }
    if rows.is_empty() {
        return Ok(true);
    }
    // Framed here, on this thread, so that the copies of the stored bytes are freed where they
    // were made and the connection's writer only writes.
    let frame = frame(&ServerMsg::SnapshotChunk {
        id: s.job.request_id,
        rows,
    })
    .map_err(|e| SnapshotError::Frame(e.to_string()))?;
    s.job.outbox.in_flight.fetch_add(1, Ordering::Relaxed);
    // Never waits: a client whose queue is full of broadcasts is too slow and is let go.
    s.job
        .tx
        .try_send(Out::SnapshotChunk(frame))
        .map_err(|_| SnapshotError::Gone)?;
    Ok(false)
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
            log(
                "slow",
                format!(
                    "{} (pid {}) fell {QUEUE} messages behind: disconnecting it to resynchronise",
                    client.presence.user, client.presence.pid
                ),
            );
            client.subscriber = None;
            let _ = client.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Broadcasts who is connected when someone came or went, at most every `PRESENCE_EVERY`
/// and with the latest list: a storm of connections costs a few broadcasts, not two each.
fn coalesce_presence(shared: &Shared, changes: std::sync::mpsc::Receiver<()>) {
    let mut last = Instant::now();
    while changes.recv().is_ok() {
        std::thread::sleep(PRESENCE_EVERY.saturating_sub(last.elapsed()));
        while changes.try_recv().is_ok() {}
        let list = presences(shared);
        broadcast(shared, ServerMsg::Presence(list));
        last = Instant::now();
    }
}

/// Lines of one kind written per `LOG_WINDOW` at most; the rest are counted and summed up.
const LOG_BURST: u32 = 5;
const LOG_WINDOW: Duration = Duration::from_secs(1);

struct LogKind {
    window: Instant,
    written: u32,
    held: u64,
}

static LOG: Mutex<Vec<(&'static str, LogKind)>> = Mutex::new(Vec::new());

/// Writes a line to the server's log, neutralised (it may carry what a client sent) and
/// rate-limited per kind: a storm of bad connections costs a few lines and a count.
fn log(kind: &'static str, line: String) {
    let line = crate::model::text::sanitize(&line, false);
    let mut kinds = lock(&LOG);
    let i = match kinds.iter().position(|(k, _)| *k == kind) {
        Some(i) => i,
        None => {
            kinds.push((
                kind,
                LogKind {
                    window: Instant::now(),
                    written: 0,
                    held: 0,
                },
            ));
            kinds.len() - 1
        }
    };
    let state = &mut kinds[i].1;
    if state.window.elapsed() >= LOG_WINDOW {
        summarise(kind, state);
    }
    if state.written < LOG_BURST {
        state.written += 1;
        eprintln!("taskforce: {line}");
    } else {
        state.held += 1;
    }
}

fn summarise(kind: &str, state: &mut LogKind) {
    if state.held > 0 {
        eprintln!(
            "taskforce: … and {} more like that ({kind}) in {:.0} s",
            state.held,
            state.window.elapsed().as_secs_f64()
        );
    }
    state.window = Instant::now();
    state.written = 0;
    state.held = 0;
}

/// Writes the counts of lines held back once their window is over (`now`: at once).
fn log_summaries(now: bool) {
    for (kind, state) in lock(&LOG).iter_mut() {
        if state.held > 0 && (now || state.window.elapsed() >= LOG_WINDOW) {
            summarise(kind, state);
        }
    }
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
    let _ = shared.presence_changed.try_send(());
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
