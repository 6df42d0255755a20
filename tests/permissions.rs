//! Shared use by a group (README, "Sharing a database"): whoever creates a file in the database
//! directory, under whatever umask, the directory's group can read and write it and nobody else
//! can; the socket is the group's from its creation; nothing inside the directory is followed
//! through a symbolic link or waited on as a FIFO.
//!
//! Most of these act as several users and need root: they create the users `alice` and `bob`
//! and the group `tfintra` (when missing, and leave them: they are harmless) and are skipped
//! otherwise.

mod common;

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use taskforce::server::{Connection, Request, socket_path};

const BIN: &str = env!("CARGO_BIN_EXE_taskforce");
const GROUP: &str = "tfintra";

/// Whether the test may act as other users; says why not when it may not.
fn root(test: &str) -> bool {
    if rustix::process::getuid().is_root() {
        true
    } else {
        eprintln!("skipped {test}: it needs root to act as the users alice and bob");
        false
    }
}

fn system(program: &str, args: &[&str]) -> Output {
    Process::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

/// The users alice and bob, both supplementary members of the group (created once per run).
fn members() -> u32 {
    static GID: OnceLock<u32> = OnceLock::new();
    *GID.get_or_init(|| {
        // Exit code 9: the name exists already.
        let ok = |o: Output, what: &str| {
            assert!(
                o.status.success() || o.status.code() == Some(9),
                "{what}: {}",
                stderr(&o)
            )
        };
        ok(system("groupadd", &[GROUP]), "groupadd");
        for user in ["alice", "bob"] {
            ok(
                system("useradd", &["-M", "-N", "-s", "/usr/sbin/nologin", user]),
                "useradd",
            );
            let o = system("usermod", &["-aG", GROUP, user]);
            assert!(o.status.success(), "usermod: {}", stderr(&o));
        }
        taskforce::sys::group_id(GROUP).expect("the group was just created")
    })
}

fn uid_of(user: &str) -> u32 {
    let o = system("id", &["-u", user]);
    stdout(&o).trim().parse().unwrap()
}

/// A temporary directory under /tmp that everyone may traverse, holding the README's group
/// directory (`chgrp tfintra; chmod 3770`).
fn group_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("taskforce-perm")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("intra");
    std::fs::create_dir(&dir).unwrap();
    rustix::fs::chown(&dir, None, Some(rustix::fs::Gid::from_raw(members()))).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o3770)).unwrap();
    (tmp, dir)
}

/// Runs taskforce on `db` as `user` under `umask`, with no terminal.
fn as_user(user: &str, umask: &str, db: &Path, args: &[&str]) -> Output {
    Process::new("runuser")
        .args(["-u", user, "--", "sh", "-c"])
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TASKFORCE_DB")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn succeeds(o: &Output, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{what}: {}{}",
        stdout(o),
        stderr(o)
    );
}

/// Every file under `dir` belongs to its group, which may read and write it (and enter it, when
/// a directory), and others may do nothing with it.
fn assert_shared(dir: &Path) {
    let gid = std::fs::metadata(dir).unwrap().gid();
    let mut pending = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let mode = meta.mode() & 0o777;
            let kind = meta.file_type();
            assert!(
                kind.is_file() || kind.is_dir() || kind.is_socket(),
                "{} is a {kind:?}",
                path.display()
            );
            assert_eq!(meta.gid(), gid, "{} is not the group's", path.display());
            assert_eq!(
                mode & 0o007,
                0,
                "others may use {} ({mode:o})",
                path.display()
            );
            let needs = if kind.is_dir() { 0o070 } else { 0o060 };
            assert_eq!(
                mode & needs,
                needs,
                "the group cannot use {} ({mode:o})",
                path.display()
            );
            if kind.is_dir() {
                pending.push(path);
            }
            seen += 1;
        }
    }
    assert!(seen >= 2, "no database in {}", dir.display());
}

/// A small import file anyone may read.
fn sme_file(dir: &Path, id: &str) -> PathBuf {
    let file = dir.join(format!("{id}.json"));
    std::fs::write(
        &file,
        format!(
            r#"{{"taskforce_format": 1, "smes": [{{"id": "{id}", "name": "Shared SME {id}", "size": "small", "country": "SI", "region": "Podravje"}}]}}"#
        ),
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    file
}

/// The pid a server wrote into its log ("… (pid N)").
fn logged_pid(db: &Path) -> i32 {
    let log = std::fs::read_to_string(db.join("server.log")).unwrap();
    let at = log.rfind("(pid ").expect("the server logged no pid") + 5;
    log[at..].split(')').next().unwrap().parse().unwrap()
}

/// Stops a process that is not our child (SIGTERM) and waits until it is gone.
fn stop(pid: i32) {
    let pid = rustix::process::Pid::from_raw(pid).unwrap();
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    let deadline = Instant::now() + Duration::from_secs(10);
    while rustix::process::test_kill_process(pid).is_ok() {
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The README's set-up with two people: alice creates the database under umask 022 and her
/// server goes away; bob, under the same umask, can then read it and change it, and so can
/// alice after him. `check` reports a file bob made for himself alone, with the fix.
#[test]
fn a_database_one_member_creates_is_usable_by_another_whatever_the_umask() {
    if !root("a_database_one_member_creates_is_usable_by_another_whatever_the_umask") {
        return;
    }
    members();
    let (tmp, db) = group_dir();

    succeeds(&as_user("alice", "022", &db, &["init"]), "alice's init");
    assert_shared(&db);
    succeeds(
        &as_user("bob", "022", &db, &["list", "practices"]),
        "bob's list",
    );
    let file = sme_file(tmp.path(), "sme-bob");
    succeeds(
        &as_user("bob", "022", &db, &["import", file.to_str().unwrap()]),
        "bob's import",
    );
    assert_shared(&db);
    let out = as_user("alice", "022", &db, &["list", "smes", "--format", "tsv"]);
    succeeds(&out, "alice's list after bob");
    assert!(stdout(&out).contains("sme-bob"), "{}", stdout(&out));
    // alice (the facilitator: she set the database up) opens a session with bob as an
    // evaluator, and bob scores in it.
    let out = as_user("alice", "022", &db, &["export", "--kind", "sessions"]);
    succeeds(&out, "alice's export of the sessions");
    let mut export: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let session = &mut export["sessions"][0];
    session["id"] = "perm-itf".into();
    session["state"] = "open".into();
    session["consensus"] = serde_json::json!([]);
    session["evaluators"] = serde_json::json!(["alice", "bob"]);
    let practice = session["practices"][0].as_str().unwrap().to_string();
    let criterion = session["criteria"][0]["code"].as_str().unwrap().to_string();
    let file = tmp.path().join("session.json");
    std::fs::write(&file, export.to_string()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    succeeds(
        &as_user("alice", "022", &db, &["import", file.to_str().unwrap()]),
        "alice's new session",
    );
    let score = [
        "score",
        "--session",
        "perm-itf",
        "--practice",
        &practice,
        "--criterion",
        &criterion,
        "4",
    ];
    let out = as_user("bob", "022", &db, &score);
    succeeds(&out, "bob's score");
    assert!(
        stdout(&out).contains("saved: bob's score"),
        "{}",
        stdout(&out)
    );
    assert_shared(&db);

    // alice's workbench starts a server (logging into server.log); there is no terminal, so
    // the workbench itself stops at once, and the server waits for clients.
    let out = as_user("alice", "022", &db, &[]);
    assert!(
        stderr(&out).contains("terminal"),
        "the workbench did not get as far as the terminal: {}",
        stderr(&out)
    );
    let pid = logged_pid(&db);
    let socket = std::fs::symlink_metadata(socket_path(&db)).unwrap();
    assert_eq!(socket.mode() & 0o777, 0o660);
    let out = as_user("bob", "022", &db, &["who"]);
    succeeds(&out, "bob's who, through alice's server");
    let out = as_user("bob", "022", &db, &["list", "smes", "--format", "tsv"]);
    succeeds(&out, "bob's list, through alice's server");
    stop(pid);
    assert_shared(&db);

    // Once alice's server has gone, bob opens the database himself.
    let file = sme_file(tmp.path(), "sme-bob-2");
    succeeds(
        &as_user("bob", "077", &db, &["import", file.to_str().unwrap()]),
        "bob's import after alice's server",
    );
    assert_shared(&db);
    succeeds(&as_user("alice", "022", &db, &["check"]), "alice's check");

    // A file bob keeps to himself: check names it and the command that fixes it.
    let stray = db.join("notes");
    let o = system(
        "runuser",
        &[
            "-u",
            "bob",
            "--",
            "sh",
            "-c",
            &format!("umask 077; echo mine > '{}'", stray.display()),
        ],
    );
    succeeds(&o, "bob's stray file");
    let out = as_user("alice", "022", &db, &["check"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let report = stdout(&out);
    let fix = format!("chgrp {GROUP} {0} && chmod g+rw,o-rwx {0}", stray.display());
    assert!(
        report.contains("the group cannot read and write it") && report.contains(&fix),
        "{report}"
    );
    let o = system("runuser", &["-u", "bob", "--", "sh", "-c", &fix]);
    succeeds(&o, "the fix check gave");
    succeeds(
        &as_user("alice", "022", &db, &["check"]),
        "check after the fix",
    );
}

/// A database root creates inside the group's setgid directory stays the group's: the new
/// directory keeps setgid, the files and the server's socket get the group (0660), and a
/// member can use the server root runs.
#[test]
fn a_database_root_creates_in_a_group_directory_admits_the_group() {
    if !root("a_database_root_creates_in_a_group_directory_admits_the_group") {
        return;
    }
    let gid = members();
    let (_tmp, dir) = group_dir();
    let db = dir.join("db");
    let out = Process::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(BIN)
        .arg("--db")
        .arg(&db)
        .arg("init")
        .env_remove("TASKFORCE_DB")
        .output()
        .unwrap();
    succeeds(&out, "root's init");
    let meta = std::fs::metadata(&db).unwrap();
    assert_eq!(
        meta.mode() & 0o7777,
        0o3770,
        "the setgid or sticky bit was lost"
    );
    assert_eq!(meta.gid(), gid);
    assert_shared(&dir);

    let server = Server::start(&db);
    let socket = std::fs::symlink_metadata(socket_path(&db)).unwrap();
    assert!(socket.file_type().is_socket());
    assert_eq!(socket.mode() & 0o7777, 0o660, "srw-rw---- expected");
    assert_eq!(socket.gid(), gid, "the socket is not the group's");
    succeeds(&as_user("bob", "022", &db, &["who"]), "bob's who");
    let out = as_user("bob", "022", &db, &["list", "practices", "--format", "tsv"]);
    succeeds(&out, "bob's list");
    assert!(!stdout(&out).is_empty());
    let (code, err) = server.stop();
    assert_eq!(code, Some(0), "{err}");
    assert_shared(&dir);
}

/// The socket gets the directory's group even when the directory is not setgid (a chown that
/// follows no link), and root's server admits the members.
#[test]
fn the_socket_gets_the_directorys_group_without_setgid() {
    if !root("the_socket_gets_the_directorys_group_without_setgid") {
        return;
    }
    let gid = members();
    let (_tmp, dir) = group_dir();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o770)).unwrap();
    let server = Server::start(&dir);
    let socket = std::fs::symlink_metadata(socket_path(&dir)).unwrap();
    assert_eq!(socket.gid(), gid, "the socket is not the group's");
    assert_eq!(socket.mode() & 0o7777, 0o660);
    succeeds(&as_user("alice", "022", &dir, &["who"]), "alice's who");
    drop(server);
    assert_shared(&dir);
}

/// `serve` run by hand (as root here), stopped with SIGTERM when dropped.
struct Server {
    child: Child,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = Process::new(BIN)
            .arg("--db")
            .arg(db)
            .arg("serve")
            .env_remove("TASKFORCE_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                panic!("the server stopped at once ({status}): {err}");
            }
            if let Ok(mut conn) = Connection::connect(db, "test")
                && conn.request(Request::Who).is_ok()
            {
                return Server { child };
            }
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn stop(mut self) -> (Option<i32>, String) {
        self.term();
        let status = self.child.wait().unwrap();
        let mut err = String::new();
        let _ = self.child.stderr.take().unwrap().read_to_string(&mut err);
        (status.code(), err)
    }

    fn term(&self) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.term();
            let _ = self.child.wait();
        }
    }
}

/// Runs the workbench on `db` with no terminal and waits for it, 10 s at most (a start that
/// hangs fails the test instead of hanging it).
fn workbench_without_terminal(db: &Path) -> Output {
    let mut child = Process::new(BIN)
        .arg("--db")
        .arg(db)
        .env_remove("TASKFORCE_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the workbench hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A symlink planted as `server.log` is not followed: its target (another user's file, when
/// run as root) is left as it was and the server is not started; a FIFO there does not hang the
/// start. Needs no root.
#[test]
fn a_planted_server_log_is_neither_followed_nor_waited_on() {
    let (tmp, db) = temp_db();
    let out = taskforce(&["--db", db.to_str().unwrap(), "init", "--empty"]);
    succeeds(&out, "init");
    let target = tmp.path().join("someone-elses-file");
    std::fs::write(&target, "untouched\n").unwrap();
    if rustix::process::getuid().is_root() {
        members();
        let alice = rustix::fs::Uid::from_raw(uid_of("alice"));
        rustix::fs::chown(&target, Some(alice), None).unwrap();
    }
    let log = db.join("server.log");
    std::os::unix::fs::symlink(&target, &log).unwrap();
    let out = workbench_without_terminal(&db);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a regular file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");
    assert!(!socket_path(&db).exists(), "a server started all the same");

    std::fs::remove_file(&log).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &log,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o660),
        0,
    )
    .unwrap();
    let out = workbench_without_terminal(&db);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(!socket_path(&db).exists(), "a server started all the same");

    // check reports both kinds of planted file.
    let out = taskforce(&["--db", db.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("server.log: is not a regular file or a directory"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_file(&log).unwrap();
    std::os::unix::fs::symlink(&target, &log).unwrap();
    let out = taskforce(&["--db", db.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("server.log: is a symbolic link"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");
}

/// Not a test: run by [`impersonation`] as bob, it plays a member who puts a socket of her own
/// in the place of the server's (D5): binds one beside it, renames it over `taskforce.sock`,
/// says whether that worked, and then counts the bytes a client sends it.
#[test]
fn fake_server_helper() {
    let Some(db) = std::env::var_os("TASKFORCE_FAKE_SERVER") else {
        return;
    };
    let db = PathBuf::from(db);
    let mine = db.join(".mine.sock");
    let listener = std::os::unix::net::UnixListener::bind(&mine).unwrap();
    std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o666)).unwrap();
    if let Err(e) = std::fs::rename(&mine, socket_path(&db)) {
        println!("FAKE: rename refused: {e}");
        let _ = std::fs::remove_file(&mine);
        return;
    }
    println!("FAKE: renamed");
    use std::io::Write;
    std::io::stdout().flush().unwrap();
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("nobody came: {e}"),
        }
    };
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    println!("FAKE: received {} bytes", got.len());
}

/// Runs [`fake_server_helper`] as bob (primary group the members' group) on `db`.
fn fake_server(db: &Path) -> Child {
    use std::os::unix::process::CommandExt;
    Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "fake_server_helper",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TASKFORCE_FAKE_SERVER", db)
        .uid(uid_of("bob"))
        .gid(members())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The first line the fake server prints.
fn fake_says(child: &mut Child) -> String {
    let mut out = child.stdout.take().unwrap();
    let mut said = Vec::new();
    let mut byte = [0u8];
    while out.read(&mut byte).unwrap_or(0) == 1 {
        said.push(byte[0]);
        if String::from_utf8_lossy(&said).contains("FAKE: ") && byte[0] == b'\n' {
            break;
        }
    }
    child.stdout = Some(out);
    String::from_utf8_lossy(&said).into_owned()
}

/// D5: in the old set-up (2770, no sticky bit) bob renames a socket of his over the server's
/// that alice's workbench started; alice's client sees that bob answers, not the owner of the
/// database, and refuses before it sends anything — her score never reaches him.
#[test]
fn a_members_socket_renamed_over_the_servers_is_refused_by_the_client() {
    if !root("a_members_socket_renamed_over_the_servers_is_refused_by_the_client") {
        return;
    }
    members();
    let (_tmp, db) = group_dir();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o2770)).unwrap();
    succeeds(&as_user("alice", "022", &db, &["init"]), "alice's init");
    let _ = as_user("alice", "022", &db, &[]);
    let pid = logged_pid(&db);
    succeeds(&as_user("alice", "022", &db, &["who"]), "alice's who");

    let mut fake = fake_server(&db);
    let said = fake_says(&mut fake);
    assert!(said.contains("FAKE: renamed"), "{said}");
    let out = as_user(
        "alice",
        "022",
        &db,
        &[
            "score",
            "--session",
            "itf-1",
            "--practice",
            "gp-vouchers",
            "--criterion",
            "S",
            "4",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("refused to talk to the server") && err.contains("bob (uid"),
        "{err}"
    );
    let rest = fake.wait_with_output().unwrap();
    let rest = String::from_utf8_lossy(&rest.stdout).into_owned();
    assert!(rest.contains("FAKE: received 0 bytes"), "{rest}");
    stop(pid);
}

/// D5 in the README's set-up (3770): bob cannot rename anything over the socket of alice's
/// server, and alice keeps talking to it; once it has stopped, a server bob starts is trusted
/// by alice (it owns its socket, in a sticky directory of the group), so two members share the
/// database in the trusted-group mode as before.
#[test]
fn in_a_sticky_directory_no_member_replaces_anothers_socket() {
    if !root("in_a_sticky_directory_no_member_replaces_anothers_socket") {
        return;
    }
    members();
    let (tmp, db) = group_dir();
    succeeds(&as_user("alice", "022", &db, &["init"]), "alice's init");
    let _ = as_user("alice", "022", &db, &[]);
    let pid = logged_pid(&db);
    let mut fake = fake_server(&db);
    let said = fake_says(&mut fake);
    assert!(said.contains("FAKE: rename refused"), "{said}");
    let _ = fake.wait();
    succeeds(&as_user("alice", "022", &db, &["who"]), "alice's who");
    succeeds(&as_user("bob", "022", &db, &["who"]), "bob's who");
    stop(pid);

    // bob's server, alice's commands.
    let _ = as_user("bob", "077", &db, &[]);
    let pid = logged_pid(&db);
    let socket = std::fs::symlink_metadata(socket_path(&db)).unwrap();
    assert_eq!(socket.uid(), uid_of("bob"));
    let file = sme_file(tmp.path(), "sme-alice");
    succeeds(
        &as_user("alice", "022", &db, &["import", file.to_str().unwrap()]),
        "alice's import through bob's server",
    );
    let out = as_user("alice", "022", &db, &["list", "smes", "--format", "tsv"]);
    succeeds(&out, "alice's list through bob's server");
    assert!(stdout(&out).contains("sme-alice"));
    stop(pid);
    assert_shared(&db);
    succeeds(&as_user("bob", "022", &db, &["check"]), "bob's check");
}

/// The service deployment (README): a system account owns the files (members cannot write
/// them), the server runs as that account with the socket systemd would pass (here made 0666
/// on purpose, so that only the server's own check keeps carol out), members are served, a
/// user outside the group is refused by name, and `serve --service` refuses to run as anyone
/// but the files' owner.
#[test]
fn the_service_deployment_admits_the_group_only() {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    if !root("the_service_deployment_admits_the_group_only") {
        return;
    }
    members();
    // A service account with a group of its own, and carol, who is in no group of ours.
    for args in [
        &[
            "--system",
            "-U",
            "-M",
            "-s",
            "/usr/sbin/nologin",
            "tfservice",
        ][..],
        &["-N", "-M", "-s", "/usr/sbin/nologin", "carol"][..],
    ] {
        let o = system("useradd", args);
        assert!(
            o.status.success() || o.status.code() == Some(9),
            "{}",
            stderr(&o)
        );
    }
    let svc = uid_of("tfservice");
    let svc_gid: u32 = stdout(&system("id", &["-g", "tfservice"]))
        .trim()
        .parse()
        .unwrap();
    let tmp = tempfile::Builder::new()
        .prefix("taskforce-svc")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = tmp.path().join("intra");
    std::fs::create_dir(&db).unwrap();
    rustix::fs::chown(
        &db,
        Some(rustix::fs::Uid::from_raw(svc)),
        Some(rustix::fs::Gid::from_raw(svc_gid)),
    )
    .unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o711)).unwrap();
    succeeds(
        &as_user("tfservice", "022", &db, &["init"]),
        "the account's init",
    );

    let socket = socket_path(&db);
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let fd = listener.as_raw_fd();
    let script = if fd == 3 {
        "export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$0\" \"$@\"".to_string()
    } else {
        format!("export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$0\" \"$@\" 3<&{fd} {fd}<&-")
    };
    let mut command = Process::new("sh");
    command
        .args(["-c", &script, BIN, "--db", db.to_str().unwrap()])
        .args(["serve", "--service", "--group", GROUP])
        .env_remove("TASKFORCE_DB")
        .uid(svc)
        .gid(svc_gid)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: fcntl is async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            let fd = std::os::fd::BorrowedFd::borrow_raw(fd);
            rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty())?;
            Ok(())
        });
    }
    let mut server = command.spawn().unwrap();

    let out = as_user(
        "alice",
        "022",
        &db,
        &["list", "practices", "--format", "tsv"],
    );
    if out.status.code() != Some(0) {
        let _ = server.kill();
        let mut err = String::new();
        let _ = server.stderr.take().unwrap().read_to_string(&mut err);
        panic!("alice's list: {}\nthe server: {err}", stderr(&out));
    }
    let out = as_user("carol", "022", &db, &["who"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("carol is not a member of the group tfintra"),
        "{}",
        stderr(&out)
    );
    // alice cannot write the files, and cannot stop the server (she is no facilitator).
    let o = system(
        "runuser",
        &[
            "-u",
            "alice",
            "--",
            "sh",
            "-c",
            &format!("echo x >> '{}'", db.join("db").display()),
        ],
    );
    assert!(!o.status.success(), "alice wrote the database's file");
    let out = as_user("alice", "022", &db, &["stop"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // root may stop it; systemd's socket stays.
    let out = Process::new(BIN)
        .args(["--db", db.to_str().unwrap(), "stop"])
        .output()
        .unwrap();
    succeeds(&out, "root's stop");
    let status = server.wait().unwrap();
    let mut err = String::new();
    let _ = server.stderr.take().unwrap().read_to_string(&mut err);
    assert!(status.success(), "{err}");
    assert!(err.contains("refused carol"), "{err}");
    assert!(socket.exists(), "systemd's socket was removed");
    drop(listener);

    // As anyone but the owner of the files, --service refuses to start.
    let out = Process::new(BIN)
        .args([
            "--db",
            db.to_str().unwrap(),
            "serve",
            "--service",
            "--group",
            GROUP,
        ])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("runs as the owner"),
        "{}",
        stderr(&out)
    );
}
