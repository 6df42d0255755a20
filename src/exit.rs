//! Exit codes scripts can rely on (the server sends them with its refusals too).

/// Done.
pub const OK: u8 = 0;
/// Something failed: a file could not be read or written, the database reported an error.
pub const FAILED: u8 = 1;
/// The command line was wrong (clap uses 2 too).
pub const USAGE: u8 = 2;
/// The input was refused: an invalid file or record, a rule broken; nothing was written.
pub const REFUSED: u8 = 3;
/// The database could not be opened: held by another process, or written by a newer version.
pub const UNAVAILABLE: u8 = 4;
/// `check` found problems.
pub const PROBLEMS: u8 = 5;
/// `due` found something overdue (a follow-up, a monitoring report, a voucher claim).
pub const OVERDUE: u8 = 6;
