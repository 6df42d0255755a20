//! The few operating-system facts taskforce needs: who the user is, the groups people belong to,
//! and files that only the database directory's group may read and write.
//!
//! A shared database lives in a directory that belongs to a group (the README's `intra`, mode
//! 2770). Every file in it must stay readable and writable by that group whichever member
//! created it, and by nobody else, whatever their umask. Nothing here follows a symbolic link
//! inside the database directory, and nothing waits on a FIFO planted there.

use std::ffi::{CStr, CString};
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

use nix::unistd::{Gid, Group, Uid, User};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// The name of the user running this process, from the kernel's uid and the user database.
pub fn current_user() -> String {
    user_name(rustix::process::getuid().as_raw())
}

/// The login name for a uid from the system's user database (`getpwuid_r`, so /etc/passwd,
/// LDAP, SSSD or whatever NSS is configured with), or `uid:N` when it has no entry.
pub fn user_name(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => format!("uid:{uid}"),
    }
}

/// The gid of the group called `name`, when the group database has one.
pub fn group_id(name: &str) -> Option<u32> {
    Group::from_name(name)
        .ok()
        .flatten()
        .map(|g| g.gid.as_raw())
}

/// A group's name, or its number when the group database does not list it (`chgrp` takes both).
pub fn group_name(gid: u32) -> String {
    match Group::from_gid(Gid::from_raw(gid)) {
        Ok(Some(group)) => group.name,
        _ => gid.to_string(),
    }
}

/// Whether the user `uid` belongs to the group `gid`: as their primary group, or as a
/// supplementary one (`getgrouplist`, and the group's own member list as a fallback).
pub fn is_member(uid: u32, gid: u32) -> bool {
    let Ok(Some(user)) = User::from_uid(Uid::from_raw(uid)) else {
        return false;
    };
    if user.gid.as_raw() == gid {
        return true;
    }
    if let Ok(name) = CString::new(user.name.as_str())
        && let Ok(groups) = nix::unistd::getgrouplist(&name, user.gid)
        && groups.iter().any(|g| g.as_raw() == gid)
    {
        return true;
    }
    matches!(Group::from_gid(Gid::from_raw(gid)), Ok(Some(group)) if group.mem.contains(&user.name))
}

/// The umask of every process that holds a database open: what it creates is for its owner and
/// the directory's group, never for others. sled creates its files itself, at opening and later
/// (snapshots, blobs), so this is the process's umask for as long as it holds the database; it
/// also applies to anything else the process writes afterwards (an export, say).
pub const DATABASE_UMASK: u32 = 0o007;

/// Gets the database directory ready for sled: sets the process's umask to [`DATABASE_UMASK`]
/// and creates the directory when it is missing ([`create_private_dir`]).
pub fn prepare_database_dir(path: &Path) -> io::Result<()> {
    rustix::process::umask(Mode::from_raw_mode(DATABASE_UMASK));
    create_private_dir(path)
}

/// Creates the database directory (and missing parents) readable and writable by its owner and
/// group only, with the sticky bit: a member may then remove or replace only her own files in
/// it, so no one can put a socket of hers in the place of another member's server (the client
/// checks who answers: `server::client`). Created inside a setgid directory, it keeps the
/// setgid bit it inherits (3770), so that its files get the directory's group. An existing
/// directory keeps its permissions, which its owner chose.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    if path.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a directory", path.display()),
        ));
    }
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o770)
            .create(parent)?;
    }
    match std::fs::DirBuilder::new().mode(0o770).create(path) {
        // Another process created it meanwhile: it chose the permissions.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => return Ok(()),
        result => result?,
    }
    // The umask may have taken the group's bits, and mkdir never sets the sticky bit. A plain
    // chmod 1770 would also clear the setgid bit the directory inherited from a setgid parent,
    // so keep it.
    let dir = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mode = rustix::fs::fstat(&dir)?.st_mode & 0o7777;
    let wanted = 0o1770 | (mode & 0o2000);
    if mode != wanted {
        rustix::fs::fchmod(&dir, Mode::from_raw_mode(wanted))?;
    }
    Ok(())
}

/// The directory's group, from the directory itself (which may be reached through a symlink the
/// user gave: that one is theirs, not planted inside).
fn open_dir(dir: &Path) -> io::Result<(OwnedFd, u32)> {
    let fd = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let gid = rustix::fs::fstat(&fd)?.st_gid;
    Ok((fd, gid))
}

/// The names in a directory, without `.` and `..`.
fn entry_names(dir: &impl AsFd) -> io::Result<Vec<CString>> {
    let mut names = Vec::new();
    for entry in rustix::fs::Dir::read_from(dir)? {
        let name = entry?.file_name().to_owned();
        if name.as_bytes() != b"." && name.as_bytes() != b".." {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The mode a file or directory in the database directory should have: the group may read and
/// write it (and enter it, when a directory: setgid, so what is created inside gets the group
/// too), others nothing.
fn shared_mode(mode: u32, dir: bool) -> u32 {
    let mode = mode & 0o7777;
    if dir {
        (mode | 0o2070) & !0o007
    } else {
        (mode | 0o060) & !0o007
    }
}

/// Gives the directory's group read and write access to every file and directory in `dir`
/// (and in its subdirectories, such as sled's `blobs`) that this process owns, and takes all
/// access away from others: the files of a database whichever member created them, and under
/// whatever umask. Symbolic links are never followed, and anything that is not a regular file
/// or a directory is left alone, as are files owned by someone else (which this process could
/// not change: `taskforce check` reports them with the command that fixes them).
pub fn share_with_group(dir: &Path) -> io::Result<()> {
    let (fd, gid) = open_dir(dir)?;
    share_entries(&fd, gid, 1);
    Ok(())
}

fn share_entries(dir: &OwnedFd, gid: u32, depth: u32) {
    let me = rustix::process::geteuid().as_raw();
    let Ok(names) = entry_names(dir) else {
        return;
    };
    for name in names {
        let Ok(seen) = rustix::fs::statat(dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW) else {
            continue;
        };
        let kind = FileType::from_raw_mode(seen.st_mode);
        if seen.st_uid != me || !matches!(kind, FileType::RegularFile | FileType::Directory) {
            continue;
        }
        let is_dir = kind == FileType::Directory;
        let Ok(fd) = open_nofollow(dir, &name, is_dir) else {
            continue;
        };
        let Ok(now) = rustix::fs::fstat(&fd) else {
            continue;
        };
        // Replaced between the look and the opening: leave it.
        if (now.st_dev, now.st_ino, now.st_uid) != (seen.st_dev, seen.st_ino, me) {
            continue;
        }
        if now.st_gid != gid
            && rustix::fs::fchown(&fd, None, Some(rustix::fs::Gid::from_raw(gid))).is_err()
        {
            continue; // not a member of the directory's group: `check` reports it
        }
        let wanted = shared_mode(now.st_mode, is_dir);
        if now.st_mode & 0o7777 != wanted {
            let _ = rustix::fs::fchmod(&fd, Mode::from_raw_mode(wanted));
        }
        if is_dir && depth > 0 {
            share_entries(&fd, gid, depth - 1);
        }
    }
}

/// Opens an entry of `dir` to change it through the descriptor: never through a symlink, and
/// without waiting (O_NONBLOCK) should it have become a FIFO.
fn open_nofollow(dir: &OwnedFd, name: &CStr, is_dir: bool) -> io::Result<OwnedFd> {
    let mut flags =
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    if is_dir {
        flags |= OFlags::DIRECTORY;
    }
    Ok(rustix::fs::openat(dir, name, flags, Mode::empty())?)
}

/// A file in the database directory that the directory's group cannot use as it should, and
/// the command that puts it right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unshared {
    pub path: PathBuf,
    pub problem: String,
    /// A shell command, to be run by the file's owner or by root.
    pub fix: String,
}

/// Every file and directory in `dir` (and one level below) that the directory's group cannot
/// read and write, that others can use, that belongs to another group, or that is a symbolic
/// link or something else than a regular file or directory (the server's socket aside).
pub fn unshared_files(dir: &Path) -> io::Result<Vec<Unshared>> {
    let (fd, gid) = open_dir(dir)?;
    let mut found = Vec::new();
    unshared_entries(&fd, dir, gid, 1, &mut found);
    Ok(found)
}

fn unshared_entries(dir: &OwnedFd, path: &Path, gid: u32, depth: u32, found: &mut Vec<Unshared>) {
    let Ok(names) = entry_names(dir) else {
        return;
    };
    for name in names {
        let file = path.join(std::ffi::OsStr::from_bytes(name.as_bytes()));
        let Ok(st) = rustix::fs::statat(dir, name.as_c_str(), AtFlags::SYMLINK_NOFOLLOW) else {
            continue; // gone meanwhile
        };
        let quoted = shell_quote(&file);
        let owner = user_name(st.st_uid);
        let kind = FileType::from_raw_mode(st.st_mode);
        let is_dir = kind == FileType::Directory;
        let mut report = |problem: String, fix: String| {
            found.push(Unshared {
                path: file.clone(),
                problem,
                fix: format!("{fix}   (as {owner} or root)"),
            })
        };
        match kind {
            FileType::Symlink => {
                report(
                    "is a symbolic link, which taskforce never follows".into(),
                    format!("rm {quoted}"),
                );
                continue;
            }
            FileType::RegularFile | FileType::Directory => {}
            FileType::Socket if depth == 1 && name.as_bytes() == b"taskforce.sock" => {}
            _ => {
                report(
                    "is not a regular file or a directory".into(),
                    format!("rm {quoted}"),
                );
                continue;
            }
        }
        let mode = st.st_mode & 0o777;
        let group_needs = if is_dir { 0o070 } else { 0o060 };
        let mut problems = Vec::new();
        if st.st_gid != gid {
            problems.push(format!(
                "belongs to group {}, not to the directory's group {}",
                group_name(st.st_gid),
                group_name(gid)
            ));
        }
        if mode & group_needs != group_needs {
            problems.push("the group cannot read and write it".to_string());
        }
        if mode & 0o007 != 0 {
            problems.push("others can use it".to_string());
        }
        if !problems.is_empty() {
            let chmod = if is_dir { "g+rwx,o-rwx" } else { "g+rw,o-rwx" };
            report(
                problems.join("; "),
                format!(
                    "chgrp {} {quoted} && chmod {chmod} {quoted}",
                    shell_quote(Path::new(&group_name(gid)))
                ),
            );
        }
        if is_dir
            && depth > 0
            && let Ok(sub) = open_nofollow(dir, &name, true)
        {
            unshared_entries(&sub, &file, gid, depth - 1, found);
        }
    }
}

/// A path as a shell word.
fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@%=".contains(&b))
    {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Listens on a new Unix socket at `path` for the group of the directory it is in: mode 0660
/// from the moment it exists (the umask around `bind`), then the directory's group, given by a
/// chown that follows no symlink. The umask is the whole process's: a file another thread
/// creates during the bind gets at most 0660 too, and a directory would lack its x bits, so call
/// this before other threads create directories (sled creates its own at opening, before).
pub fn bind_group_socket(path: &Path) -> io::Result<UnixListener> {
    let (dir, name) = split(path)?;
    let (dirfd, gid) = open_dir(dir)?;
    let previous = rustix::process::umask(Mode::from_raw_mode(0o117));
    let bound = UnixListener::bind(path);
    rustix::process::umask(previous);
    let listener = bound?;
    let st = rustix::fs::statat(&dirfd, name, AtFlags::SYMLINK_NOFOLLOW)?;
    if st.st_gid != gid {
        rustix::fs::chownat(
            &dirfd,
            name,
            None,
            Some(rustix::fs::Gid::from_raw(gid)),
            AtFlags::SYMLINK_NOFOLLOW,
        )
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot give {} to the directory's group {}: {e}",
                    path.display(),
                    group_name(gid)
                ),
            )
        })?;
    }
    Ok(listener)
}

/// The listening socket systemd passes to a service it starts on demand (socket activation:
/// `sd_listen_fds`), when this process is the one meant: `LISTEN_PID` is this process's pid and
/// `LISTEN_FDS` is 1, the socket being descriptor 3. The variables are removed either way, so
/// that no process this one starts takes them for its own. More than one socket, or a
/// descriptor 3 that is not a listening Unix stream socket, is an error (a wrong unit).
pub fn listener_from_systemd() -> io::Result<Option<UnixListener>> {
    use std::os::fd::{FromRawFd, RawFd};
    let pid = std::env::var("LISTEN_PID").ok();
    let fds = std::env::var("LISTEN_FDS").ok();
    // SAFETY: called by `serve` before it starts any thread that reads the environment.
    unsafe {
        std::env::remove_var("LISTEN_PID");
        std::env::remove_var("LISTEN_FDS");
        std::env::remove_var("LISTEN_FDNAMES");
    }
    let ours = pid.and_then(|p| p.trim().parse::<u32>().ok()) == Some(std::process::id());
    let Some(fds) = fds.filter(|_| ours) else {
        return Ok(None);
    };
    if fds.trim() != "1" {
        return Err(io::Error::other(format!(
            "systemd passed {fds} sockets (LISTEN_FDS); taskforce serves one: give the .socket \
             unit a single ListenStream"
        )));
    }
    const FIRST: RawFd = 3;
    let not_a_listener = || {
        io::Error::other(
            "descriptor 3 (LISTEN_FDS) is not a listening Unix stream socket: the .socket unit \
             needs ListenStream=DIR/taskforce.sock and Accept=no",
        )
    };
    {
        // SAFETY: only looked at while this function runs; descriptor 3 is not closed meanwhile
        // (and a closed one makes these calls fail, nothing worse).
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(FIRST) };
        let unix = rustix::net::sockopt::socket_domain(fd).map_err(|_| not_a_listener())?
            == rustix::net::AddressFamily::UNIX;
        let stream = rustix::net::sockopt::socket_type(fd).map_err(|_| not_a_listener())?
            == rustix::net::SocketType::STREAM;
        if !unix || !stream || !rustix::net::sockopt::socket_acceptconn(fd)? {
            return Err(not_a_listener());
        }
    }
    // SAFETY: LISTEN_FDS says descriptor 3 was passed to this process for it to own, and it is
    // an open listening socket (above).
    let fd = unsafe { OwnedFd::from_raw_fd(FIRST) };
    rustix::io::fcntl_setfd(&fd, rustix::io::FdFlags::CLOEXEC)?;
    Ok(Some(UnixListener::from(fd)))
}

/// The identity (device, inode) of the file at `path` itself, a link not followed.
pub fn file_identity(path: &Path) -> io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path)?;
    Ok((meta.dev(), meta.ino()))
}

fn split(path: &Path) -> io::Result<(&Path, &std::ffi::OsStr)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other(format!("{} names no file", path.display())))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok((dir, name))
}

/// Opens a log in the database directory for appending, creating it for the directory's group
/// (0660 whatever the umask, the directory's group). A symbolic link is refused rather than
/// followed, and so is anything but a regular file: a FIFO is opened without waiting
/// (O_NONBLOCK, cleared once it is known to be a regular file).
pub fn open_group_log(path: &Path) -> io::Result<File> {
    let (dir, _) = split(path)?;
    let opened = rustix::fs::open(
        path,
        OFlags::WRONLY
            | OFlags::APPEND
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::NOCTTY
            | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o660),
    );
    let not_regular = || {
        io::Error::other(format!(
            "{} is not a regular file; taskforce neither follows a symbolic link nor writes \
             into anything else there: remove it (rm {})",
            path.display(),
            shell_quote(path)
        ))
    };
    let fd = match opened {
        Ok(fd) => fd,
        Err(e) => {
            return Err(match std::fs::symlink_metadata(path) {
                Ok(meta) if !meta.file_type().is_file() => not_regular(),
                _ => e.into(),
            });
        }
    };
    let st = rustix::fs::fstat(&fd)?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(not_regular());
    }
    let flags = rustix::fs::fcntl_getfl(&fd)?;
    rustix::fs::fcntl_setfl(&fd, flags - OFlags::NONBLOCK)?;
    if st.st_uid == rustix::process::geteuid().as_raw() {
        // Created under this process's umask, or left by an earlier version.
        if let Ok((_, gid)) = open_dir(dir)
            && gid != st.st_gid
        {
            let _ = rustix::fs::fchown(&fd, None, Some(rustix::fs::Gid::from_raw(gid)));
        }
        let wanted = shared_mode(st.st_mode, false);
        if st.st_mode & 0o7777 != wanted {
            let _ = rustix::fs::fchmod(&fd, Mode::from_raw_mode(wanted));
        }
    }
    Ok(File::from(fd))
}

/// Reads a regular file, following no symbolic link and never waiting on a FIFO planted in its
/// place (O_NOFOLLOW, O_NONBLOCK, then a check that it is a regular file).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = open_regular(path)?;
    let size = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens a regular file for reading, neither through a symbolic link nor a FIFO or device
/// planted in its place.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let st = rustix::fs::fstat(&fd)?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    Ok(File::from(fd))
}

/// Writes `bytes` to `path` whole or not at all, following no symbolic link: into a new file
/// with an unpredictable name in the same directory, created with O_CREAT|O_EXCL (so neither a
/// link nor anything else planted there is opened) and `mode` (less the umask), then renamed
/// over `path` — which replaces whatever is at `path`, a symbolic link included, and never
/// writes through it.
pub fn write_replacing(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    use std::io::Write;
    write_replacing_with(path, mode, |file| file.write_all(bytes))
}

/// [`write_replacing`] for a file written piece by piece: `write` fills the new file (it may
/// seek), which is then synced and renamed over `path`; on an error nothing is replaced and the
/// temporary file is removed.
pub fn write_replacing_with(
    path: &Path,
    mode: u32,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let (dir, name) = split(path)?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut file = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)?;
    write(file.as_file_mut())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the temporary files that [`write_replacing_with`] left beside `path` because the
/// process writing them was killed (a search index of a million records is 1.6 GB, and a search
/// interrupted with Ctrl-C while it builds one is common): for a caller that knows no other
/// process is writing `path` now, because it holds the database. Returns how many it removed.
/// A planted link is removed, never followed.
pub fn remove_leftovers_of(path: &Path) -> io::Result<usize> {
    let (dir, name) = split(path)?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let file = entry.file_name();
        let bytes = file.as_encoded_bytes();
        if bytes.starts_with(prefix.as_encoded_bytes())
            && bytes.ends_with(b".tmp")
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    Ok(removed)
}

/// An unnamed scratch file in the directory of `path` (to hold a part of a file written there
/// meanwhile): on Linux made with O_TMPFILE, elsewhere under a fresh random name created with
/// O_EXCL and removed at once. Nothing planted in the directory is followed or written through,
/// and nothing is left behind, whatever happens.
pub fn scratch_file_beside(path: &Path) -> io::Result<File> {
    let (dir, _) = split(path)?;
    tempfile::tempfile_in(dir)
}

// The library that defines the functions below, linked into every program that calls them
// (a test need not have mimalloc as its allocator).
use libmimalloc_sys as _;

unsafe extern "C" {
    fn mi_collect(force: bool);
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (include/mimalloc.h).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Makes mimalloc give freed memory back to the system at once rather than after its default
/// 10 ms (100 ms for arenas). For a long-running server whose work is bursts of allocation
/// spread over many threads: under the load test it keeps resident memory near what is live
/// (peaks of 460 MB down to about 310 MB) at no cost to commit latency.
pub fn return_freed_memory_promptly() {
    // SAFETY: mi_option_set takes plain integers and may be called at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// Gives the memory this thread freed back to the operating system. mimalloc keeps freed pages
/// for reuse a while; after a burst such as streaming a snapshot of every record, that is
/// hundreds of megabytes a long-running server would otherwise hold.
pub fn release_free_memory() {
    // SAFETY: mi_collect takes no pointers and may be called from any thread at any time.
    unsafe { mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn names_come_from_the_user_database() {
        assert_eq!(user_name(0), "root");
        assert_eq!(user_name(4_000_000_000), "uid:4000000000");
        assert_eq!(group_id("root"), Some(0));
        assert_eq!(group_name(0), "root");
        assert_eq!(group_name(4_000_000_000), "4000000000");
        assert!(group_id("no such group, surely").is_none());
        assert!(is_member(0, 0), "root's primary group");
        assert!(!is_member(4_000_000_000, 0), "nobody listed");
    }

    #[test]
    fn the_current_user_is_the_kernels() {
        let uid = rustix::process::getuid().as_raw();
        assert_eq!(current_user(), user_name(uid));
        let gid = rustix::process::getgid().as_raw();
        assert!(is_member(uid, gid) || user_name(uid).starts_with("uid:"));
    }

    /// A database directory made inside a setgid directory stays setgid (2770), so that its
    /// files get the group; an existing directory is left as it is. Needs no privilege: anyone
    /// may set setgid on their own directory of their own group.
    #[test]
    fn a_new_database_directory_keeps_the_setgid_bit_it_inherits() {
        let tmp = tempfile::tempdir().unwrap();
        let parent = tmp.path().join("shared");
        std::fs::create_dir(&parent).unwrap();
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o2770)).unwrap();
        assert_eq!(
            std::fs::metadata(&parent).unwrap().mode() & 0o7777,
            0o2770,
            "could not set up a setgid directory"
        );
        // A strict umask does not matter.
        let previous = rustix::process::umask(Mode::from_raw_mode(0o077));
        let db = parent.join("db");
        let created = create_private_dir(&db);
        rustix::process::umask(previous);
        created.unwrap();
        assert_eq!(std::fs::metadata(&db).unwrap().mode() & 0o7777, 0o3770);

        let plain = tmp.path().join("plain");
        create_private_dir(&plain).unwrap();
        assert_eq!(std::fs::metadata(&plain).unwrap().mode() & 0o7777, 0o1770);

        // An existing setgid directory keeps its bit.
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o2750)).unwrap();
        create_private_dir(&plain).unwrap();
        assert_eq!(std::fs::metadata(&plain).unwrap().mode() & 0o7777, 0o2750);
    }

    #[test]
    fn own_files_are_shared_with_the_group_and_links_are_reported_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("db");
        create_private_dir(&dir).unwrap();
        let outside = tmp.path().join("outside");
        std::fs::write(&outside, "x").unwrap();
        std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o600)).unwrap();
        let file = dir.join("conf");
        std::fs::write(&file, "x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();
        std::fs::create_dir(dir.join("blobs")).unwrap();
        std::fs::set_permissions(dir.join("blobs"), std::fs::Permissions::from_mode(0o755))
            .unwrap();

        let before: Vec<_> = unshared_files(&dir)
            .unwrap()
            .into_iter()
            .map(|u| u.path)
            .collect();
        assert_eq!(
            before,
            [dir.join("blobs"), dir.join("conf"), dir.join("link")]
        );

        share_with_group(&dir).unwrap();
        let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().mode() & 0o7777;
        assert_eq!(mode(&file), 0o660);
        assert_eq!(mode(&dir.join("blobs")), 0o2770);
        assert_eq!(mode(&outside), 0o600, "the link was followed");
        let after = unshared_files(&dir).unwrap();
        assert_eq!(after.len(), 1, "{after:?}");
        assert_eq!(after[0].path, dir.join("link"));
        assert!(after[0].fix.starts_with("rm "), "{after:?}");
    }

    #[test]
    fn a_log_is_neither_a_link_nor_a_fifo() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        std::fs::write(&target, "before").unwrap();
        let log = tmp.path().join("server.log");
        std::os::unix::fs::symlink(&target, &log).unwrap();
        let e = open_group_log(&log).unwrap_err();
        assert!(e.to_string().contains("is not a regular file"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "before");

        std::fs::remove_file(&log).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &log,
            FileType::Fifo,
            Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let e = open_group_log(&log).unwrap_err();
        assert!(e.to_string().contains("is not a regular file"), "{e}");

        std::fs::remove_file(&log).unwrap();
        let previous = rustix::process::umask(Mode::from_raw_mode(0o077));
        let opened = open_group_log(&log);
        rustix::process::umask(previous);
        opened.unwrap();
        assert_eq!(std::fs::metadata(&log).unwrap().mode() & 0o7777, 0o660);
    }
}
