//! The command line: argument parsing and the one-shot subcommands. `main.rs` only calls [`main`].

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Prints a line for people on standard output: any control character or bidirectional
/// override in the record text it holds shows visibly, as everywhere else.
macro_rules! outln {
    ($($arg:tt)*) => {
        println!("{}", crate::model::text::sanitize(&format!($($arg)*), true))
    };
}

/// `outln!` for standard error.
macro_rules! errln {
    ($($arg:tt)*) => {
        eprintln!("{}", crate::model::text::sanitize(&format!($($arg)*), true))
    };
}

use clap::{Parser, Subcommand, ValueEnum};

use crate::backend::{Backend, Local, Remote};
use crate::fixtures::Bundle;
use crate::io::{
    delimited, import_file, import_plan, json, listing, markdown, results, sheets_in, xlsx,
};
use crate::model::*;
use crate::progress::Progress;
use crate::scoring::{self, Mark, SortBy};
use crate::server::{ConnectError, Connection, Reply, Request, ServeOptions};
use crate::store::{CommandError, Problem, Store, StoreError};

pub use crate::exit;

#[derive(Parser, Debug)]
#[command(
    name = "taskforce",
    version,
    about = "A terminal workbench for Interreg Europe projects on SME internationalisation: good \
             practices, meetings, action plans and voucher schemes, found in a few keystrokes.",
    after_help = "Without a subcommand, opens the workbench on the database.\n\n\
                  Exit codes: 0 done; 1 failed (I/O or database error); 2 wrong command line; \
                  3 input refused, nothing written; 4 database unavailable (in use, or newer); \
                  5 check found problems; 6 due found something overdue."
)]
pub struct Cli {
    /// The database directory [default: the user's data directory, e.g. ~/.local/share/taskforce/db]
    #[arg(long, global = true, env = "TASKFORCE_DB", value_name = "DIR")]
    pub db: Option<PathBuf>,

    /// Start a new database blank instead of with the bundled INTRA and InterVentures records
    #[arg(long)]
    pub empty: bool,

    /// Start a new database with the bundled INTRA and InterVentures records only, without the
    /// example project (its evaluation session, scores, voucher scheme, SMEs and vouchers)
    #[arg(long, conflicts_with = "empty")]
    pub no_examples: bool,

    /// Open the database in this process instead of through a shared server (one user only)
    #[arg(long)]
    pub local: bool,

    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create a new database with the bundled records (without the examples with
    /// --no-examples, blank with --empty) and exit.
    Init {
        /// Create it blank, without the bundled records
        #[arg(long)]
        empty: bool,
        /// Create it with the bundled records only, without the example project
        #[arg(long, conflicts_with = "empty")]
        no_examples: bool,
    },
    /// Load records from a JSON file (the export format) or a spreadsheet (.xlsx, .ods, .csv),
    /// all or nothing.
    ///
    /// The whole file is checked before anything is written, then applied in one transaction:
    /// a malformed or invalid file is refused with its position and reason, and the database
    /// stays exactly as it was. A new database created by import holds only what was imported.
    ///
    /// A spreadsheet holds a kind of record a sheet (practices, partners, meetings, smes,
    /// vouchers, scores …), named after it (a CSV file by its file name, or --kind); its header
    /// row names the fields (their names or the forms' labels, any case, accents optional).
    /// Errors name the sheet, row and column (practices!C14).
    ///
    /// Examples:
    ///   taskforce import all.json
    ///   taskforce import --dry-run practices.xlsx
    ///   taskforce import --kind scores grid.csv
    ///   taskforce import --on-conflict replace vouchers.ods
    #[command(verbatim_doc_comment)]
    Import {
        /// The JSON file or spreadsheet (.xlsx, .ods, .csv), or - for JSON on standard input
        file: PathBuf,
        /// What to do with records whose id already exists: fail (refuse the whole import and
        /// list them), skip (keep the stored ones), replace (overwrite them; each is in the audit log)
        #[arg(long, value_enum, default_value = "fail")]
        on_conflict: ConflictArg,
        /// The kind of the records in every sheet of a spreadsheet (otherwise each sheet's name,
        /// or a CSV file's name, says it)
        #[arg(long)]
        kind: Option<String>,
        /// Check the file and print what would be imported (kinds and counts, the records that
        /// would be replaced); write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Write records out: JSON (the import format), CSV (one kind), Markdown, or an Excel
    /// workbook (one sheet per kind; typed cells, the header row frozen).
    ///
    /// Examples:
    ///   taskforce export --output all.json
    ///   taskforce export --format csv --kind practices
    ///   taskforce export --format xlsx --output records.xlsx
    ///   taskforce export --format xlsx --kind scores --output scores.xlsx
    ///   taskforce export --format ics --kind meetings --output meetings.ics
    #[command(verbatim_doc_comment)]
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Only this kind (practices, meetings, vouchers, …); CSV needs one
        #[arg(long)]
        kind: Option<String>,
        /// Write to this file (atomically) instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// List the records of one kind, id first.
    List {
        /// projects, partners, practices, meetings, criteria_sets, sessions, scores,
        /// action_plans, actions, schemes, smes, vouchers (a unique start is enough)
        kind: String,
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
        /// Only records of this project (intra, interventures, …)
        #[arg(long)]
        project: Option<String>,
    },
    /// Read every record and report any that cannot be decoded or refer to missing records.
    Check,
    /// Show the database: where it is, its schema version and how many records of each kind.
    Info,
    /// Show the audit log: who changed what, and when (newest first).
    Log {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Undo a change from the audit log (by its number in `taskforce log`), if nothing has
    /// changed the same records since.
    Undo { seq: u64 },
    /// Erase one person's personal data: a stakeholder's name, role, email, phone and consent.
    ///
    /// The record stays (its organisation, helix type and partner, and the meetings that refer
    /// to it) with its name read "(erased)"; the store records who erased it and when. Every
    /// earlier value of the person's data in the audit log is scrubbed in the same commit, the
    /// saved search index is removed (and built again by the next search), and the erasure
    /// cannot be undone. A stakeholder deleted earlier can be erased too (from the audit log).
    /// sled may keep the old bytes in its log files on disk until it reuses that space: see
    /// README, "Stakeholders".
    Erase {
        /// The kind of record: stakeholders
        kind: String,
        id: String,
    },
    /// Serve the database to everyone in its directory's group, over a socket inside it.
    ///
    /// Runs until SIGTERM, SIGHUP or SIGINT (which flush and stop cleanly). The workbench starts
    /// one by itself when none runs; every taskforce command on the database then connects to it.
    Serve {
        /// Stop this many seconds after the last client leaves (default: run until stopped)
        #[arg(long, value_name = "SECS")]
        idle_exit: Option<u64>,
        /// Admit only members of this group (supplementary groups too), root and the server's
        /// own user: checked for every connection, whatever the socket's mode
        #[arg(long, value_name = "GROUP")]
        group: Option<String>,
        /// Run as the service deployment's server: it must run as the owner of the database's
        /// files, and --group is required (see `taskforce service-files`)
        #[arg(long)]
        service: bool,
        /// A database it creates starts blank, without the bundled records
        #[arg(long)]
        empty: bool,
        /// A database it creates holds the bundled records only, without the example project
        #[arg(long, conflicts_with = "empty")]
        no_examples: bool,
    },
    /// Stop the database's server after it flushes (facilitators, and the user it runs as).
    ///
    /// Every client is disconnected; a workbench reconnects and starts a new server when it
    /// needs one, and systemd starts the service again on the next connection.
    Stop,
    /// Print the systemd units that run the database's server as a service account, started on
    /// demand (socket activation); nothing is installed. See README, "Sharing a database".
    ServiceFiles {
        /// The group whose members may use the database
        #[arg(long, value_name = "GROUP")]
        group: String,
        /// The system account that owns the database's files and runs the server
        #[arg(long, value_name = "ACCOUNT", default_value = "taskforce")]
        user: String,
    },
    /// Show who is connected to the database's server.
    Who,
    /// Print a deterministic, realistic import file of N records across all kinds (varied
    /// titles, places with diacritics, long descriptions), for trying taskforce at scale.
    Generate {
        #[arg(long)]
        records: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write to this file (atomically) instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Show one record's history: every change, who made it and when, field by field.
    History {
        /// The kind of record (practices, vouchers, …)
        kind: String,
        id: String,
    },
    /// Record one score durably (for typing in paper forms, and for scripts).
    ///
    /// VALUE is a number on the criterion's scale; `--abstain REASON` records an abstention
    /// (conflict of interest) instead. A facilitator types in an evaluator's paper form with
    /// `--on-behalf-of NAME`; the audit log records both names. `--criterion '*' --comment TEXT`
    /// (no value) comments on the practice as a whole.
    Score {
        /// The evaluation session's id (`taskforce list sessions`)
        #[arg(long)]
        session: String,
        /// The practice's id, one the session evaluates
        #[arg(long)]
        practice: String,
        /// The criterion's key in the session's criteria set, or '*' for the practice as a whole
        #[arg(long)]
        criterion: String,
        /// The score, e.g. 4 or 3.5 (none with `--abstain`, or for criterion '*')
        #[arg(conflicts_with = "abstain")]
        value: Option<String>,
        /// Abstain, with the reason (e.g. "conflict of interest: my own organisation")
        #[arg(long, value_name = "REASON")]
        abstain: Option<String>,
        /// A comment with the score (or alone, on the criterion '*')
        #[arg(long)]
        comment: Option<String>,
        /// The evaluator whose paper form this is (facilitators only)
        #[arg(long, value_name = "NAME")]
        on_behalf_of: Option<String>,
    },
    /// Print a session's board: per practice the scores, spread, disagreement, verdict and rank
    /// (CSV: a row per practice and criterion, then the practice's overall row).
    Board {
        #[arg(long)]
        session: String,
        #[arg(long, value_enum, default_value = "table")]
        format: BoardFormat,
        /// rank (best first), disagreement (most first) or session (the session's order)
        #[arg(long, default_value = "rank")]
        sort: String,
        /// Write to this file (atomically) instead of standard output; needed for xlsx
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a session's evaluation report (Markdown): its criteria, the results, and each
    /// practice's scores per evaluator, statistics, comments, consensus and decision.
    Report {
        #[arg(long)]
        session: String,
        /// Write to this file (atomically) instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Write a document people hand out, as Markdown or as a Word file (.docx): the Good
    /// Practice Handbook of a project, the minutes of a meeting, the semester monitoring report
    /// of an action plan, the evaluation report of a session.
    ///
    /// Examples:
    ///   taskforce doc handbook --project intra --format docx --output handbook.docx
    ///   taskforce doc minutes --meeting intra-rsg-coventry-2018 --output minutes.md
    ///   taskforce doc monitoring --plan ap-si-intra --period 2019-04-01..2019-09-30
    ///   taskforce doc evaluation --session itf-2 --output report.docx
    /// A Word file is always written to --output; the format follows its extension unless
    /// --format says otherwise.
    #[command(visible_alias = "document", verbatim_doc_comment)]
    Doc {
        #[command(subcommand)]
        document: DocCmd,
    },
    /// List what is overdue or due soon: meeting follow-ups, semester monitoring reports, the
    /// claims of approved vouchers (by the end of their contract) and voucher schemes closing.
    ///
    /// Exits with 0 when nothing is overdue and 6 when something is, so that a cron job can
    /// mail it: `taskforce due --within 14 || mail -s "taskforce: overdue" team@example.org`
    Due {
        /// Also list what falls due within this many days
        #[arg(long, default_value_t = 30, value_name = "DAYS")]
        within: u32,
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
        /// Count from this day instead of today (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Move a session (facilitators): open (freezes the criteria), consensus (locks individual
    /// scores), reopen (back to scoring), close.
    Session {
        session: String,
        #[arg(value_parser = ["open", "consensus", "reopen", "close"])]
        action: String,
        /// Close although practices are undecided or not fully scored, for this reason (kept in
        /// the audit log)
        #[arg(long, value_name = "REASON")]
        force: Option<String>,
    },
    /// Record the consensus and decision on a practice (facilitators, consensus stage). The
    /// practice's status moves (validated, rejected; deferred keeps it) with an entry in its history.
    Decide {
        #[arg(long)]
        session: String,
        #[arg(long)]
        practice: String,
        /// validated, rejected or deferred
        decision: String,
        /// Override the mean with this consensus value (needs --comment)
        #[arg(long)]
        value: Option<String>,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Find records of every kind by a few letters of their title, name, place or text.
    ///
    /// Every word must match, fuzzily and in any order: `vouch fair`, `coventry ecomm`.
    /// Diacritics do not matter (`pecs` finds Pécs); a capital letter makes that word
    /// case-sensitive. "Quoted words" match exactly as one piece; !word leaves out records that
    /// contain it. A prefix narrows to some kinds: proj: org: p: m: crit: ses: score: plan: a:
    /// s: (schemes and voucher types) vt: (voucher types) sme: v: (vouchers and voucher types),
    /// or a kind's name (practices:), several joined by commas (p,m:). A voucher type is listed
    /// under its scheme's id with its code. Hits in titles and names rank above hits in
    /// descriptions. Scores are searched only when asked for (score: or --kind scores).
    Search {
        /// The words to look for (several arguments are joined by spaces)
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this kind (or kinds, comma-separated): practices, meetings, vouchers, voucher_types, …
        #[arg(long)]
        kind: Option<String>,
        /// Show at most this many results, best first
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
        /// Read and index every record instead of using the index saved in the database
        /// directory (which is used only while no change has been made since it was saved)
        #[arg(long)]
        no_cache: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum DocCmd {
    /// The Good Practice Handbook of a project: title page, contents, the validated practices
    /// grouped by ITF sub-theme and numbered, each with how and when it was validated.
    Handbook {
        /// The project (intra, interventures, …)
        #[arg(long)]
        project: String,
        /// Every practice of the project, not only the validated and in-handbook ones
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        out: DocOut,
    },
    /// The minutes of one meeting: date, place, host, attendance, agenda, minutes, decisions,
    /// follow-ups and the practices presented.
    Minutes {
        #[arg(long)]
        meeting: String,
        #[command(flatten)]
        out: DocOut,
    },
    /// The semester monitoring report of an action plan for a period: the semester reports and
    /// those overdue, each action's status, progress and indicators (target against value).
    Monitoring {
        #[arg(long)]
        plan: String,
        /// START..END, e.g. 2019-04-01..2019-09-30
        #[arg(long)]
        period: String,
        /// The day that decides what is overdue [default: today]
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        #[command(flatten)]
        out: DocOut,
    },
    /// The evaluation report of a session (the same as `taskforce report`).
    Evaluation {
        #[arg(long)]
        session: String,
        #[command(flatten)]
        out: DocOut,
    },
}

#[derive(clap::Args, Debug)]
pub struct DocOut {
    /// md (Markdown) or docx (Word) [default: from the --output extension, else md]
    #[arg(long, value_enum)]
    format: Option<DocFormat>,
    /// Write to this file (atomically) instead of standard output; needed for docx
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Md,
    Docx,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ConflictArg {
    Fail,
    Skip,
    Replace,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Md,
    Xlsx,
    Ics,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BoardFormat {
    Table,
    Tsv,
    Csv,
    Json,
    Xlsx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Tsv,
    Json,
}

/// An error to report on standard error, with the exit code it means.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::new(e.exit_code(), e.to_string())
    }
}

impl From<CommandError> for Failure {
    fn from(e: CommandError) -> Failure {
        Failure::new(e.exit_code(), e.to_string())
    }
}

type Outcome = Result<(), Failure>;

/// The default database directory, in the user's data directory.
pub fn default_db() -> PathBuf {
    directories::ProjectDirs::from("", "", "taskforce")
        .map(|d| d.data_dir().join("db"))
        .unwrap_or_else(|| PathBuf::from(".taskforce-db"))
}

/// Whether a database exists at `path` (sled keeps its data in a file named `db`).
pub fn exists(path: &Path) -> bool {
    path.join("db").is_file()
}

fn actor() -> Actor {
    Actor::user(crate::sys::current_user())
}

/// How long a one-shot command keeps trying when the database is held by another process that
/// runs no server (another one-shot command, usually, which lets go within a moment).
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// How a one-shot command reaches the database: its server, or the store opened here.
enum Reached {
    Server(Box<Remote>),
    Direct(Store),
}

/// The database as a one-shot command reaches it: through its server when one runs (whose lock
/// would otherwise refuse us), or opened directly. While another process holds it without a
/// server (one-shot commands running at the same time, which open the database directly), it
/// tries again — the server first, since one may have started meanwhile — with a short,
/// growing, jittered pause, for [`BUSY_WAIT`] at most, so that ordinary concurrent use never
/// fails "in use". `create`: also when it does not exist yet.
fn reach(db: &Path, program: &str, create: bool) -> Result<Reached, Failure> {
    let deadline = Instant::now() + BUSY_WAIT;
    let mut pause = std::time::Duration::from_millis(5);
    loop {
        match Remote::connect(db, program, false, false) {
            Ok(remote) => return Ok(Reached::Server(Box::new(remote))),
            Err(ConnectError::NoServer) => {}
            Err(e) => return Err(Failure::new(exit::UNAVAILABLE, e.to_string())),
        }
        if !create && !exists(db) {
            return open_existing(db).map(Reached::Direct);
        }
        match Store::open(db) {
            Ok(store) => return Ok(Reached::Direct(store)),
            Err(StoreError::Locked { .. }) if Instant::now() < deadline => {
                // Jittered, so that commands waiting together do not retry in step.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let jitter = pause.mul_f64(f64::from(nanos % 1000) / 1000.0);
                std::thread::sleep(pause + jitter);
                pause = (pause * 2).min(std::time::Duration::from_millis(100));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn open_backend(db: &Path, program: &str, create: bool) -> Result<Box<dyn Backend>, Failure> {
    Ok(match reach(db, program, create)? {
        Reached::Server(remote) => remote,
        Reached::Direct(store) => Box::new(Local::new(store, actor())),
    })
}

/// Opens an existing database directly.
fn open_existing(path: &Path) -> Result<Store, Failure> {
    if !exists(path) {
        return Err(Failure::new(
            exit::FAILED,
            format!(
                "there is no database at {}.\nRun `taskforce --db {0}` to create one with the bundled \
                 records, or `taskforce --db {0} import FILE` to start from a file.",
                path.display()
            ),
        ));
    }
    Ok(Store::open(path)?)
}

/// Runs the program; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(default_db);
    // --empty and --no-examples: before the subcommand (the workbench's), or after `init` and
    // `serve` (not global, so that other commands' help does not list them).
    let bundle = |empty: bool, no_examples: bool| {
        Bundle::from_flags(cli.empty || empty, cli.no_examples || no_examples)
    };
    let result = match cli.command {
        None => workbench(&db, bundle(false, false), cli.local),
        Some(Cmd::Init { empty, no_examples }) => init(&db, bundle(empty, no_examples)),
        Some(Cmd::Import {
            file,
            on_conflict,
            kind,
            dry_run,
        }) => import(&db, &file, on_conflict, kind.as_deref(), dry_run),
        Some(Cmd::Export {
            format,
            kind,
            output,
        }) => export(&db, format, kind.as_deref(), output.as_deref()),
        Some(Cmd::List {
            kind,
            format,
            project,
        }) => list(&db, &kind, format, project.as_deref()),
        Some(Cmd::Check) => check(&db),
        Some(Cmd::Info) => info(&db),
        Some(Cmd::Log { limit }) => log(&db, limit),
        Some(Cmd::Undo { seq }) => undo(&db, seq),
        Some(Cmd::Erase { kind, id }) => erase(&db, &kind, &id),
        Some(Cmd::Serve {
            idle_exit,
            group,
            service,
            empty,
            no_examples,
        }) => serve(&db, idle_exit, bundle(empty, no_examples), group, service),
        Some(Cmd::Stop) => stop(&db),
        Some(Cmd::ServiceFiles { group, user }) => service_files(&db, &group, &user),
        Some(Cmd::Who) => who(&db),
        Some(Cmd::History { kind, id }) => history(&db, &kind, &id),
        Some(Cmd::Generate {
            records,
            seed,
            output,
        }) => generate(records, seed, output.as_deref()),
        Some(Cmd::Score {
            session,
            practice,
            criterion,
            value,
            abstain,
            comment,
            on_behalf_of,
        }) => {
            let practice_comment = criterion == Score::PRACTICE_COMMENT;
            let mark = match (value, abstain, practice_comment) {
                (None, None, true) => None,
                (_, _, true) => {
                    return finish(Err(Failure::new(
                        exit::USAGE,
                        "criterion '*' is a comment on the practice as a whole: give --comment TEXT and no value or --abstain",
                    )));
                }
                (_, Some(reason), false) => Some(Mark::Abstain(reason)),
                (Some(v), None, false) => match Decimal1::parse(&v) {
                    Ok(v) => Some(Mark::Value(v)),
                    Err(e) => return finish(Err(Failure::new(exit::USAGE, e))),
                },
                (None, None, false) => {
                    return finish(Err(Failure::new(
                        exit::USAGE,
                        "give the score (e.g. 4), or --abstain REASON",
                    )));
                }
            };
            score(
                &db,
                &session,
                &practice,
                &criterion,
                mark,
                comment,
                on_behalf_of,
            )
        }
        Some(Cmd::Board {
            session,
            format,
            sort,
            output,
        }) => board(&db, &session, format, &sort, output.as_deref()),
        Some(Cmd::Report { session, output }) => report(&db, &session, output.as_deref()),
        Some(Cmd::Doc { document }) => doc(&db, document),
        Some(Cmd::Due {
            within,
            format,
            today,
        }) => due(&db, within, format, today.as_deref()),
        Some(Cmd::Session {
            session,
            action,
            force,
        }) => move_session(&db, &session, &action, force.unwrap_or_default()),
        Some(Cmd::Decide {
            session,
            practice,
            decision,
            value,
            comment,
        }) => decide(
            &db,
            &session,
            &practice,
            &decision,
            value.as_deref(),
            &comment,
        ),
        Some(Cmd::Search {
            query,
            kind,
            limit,
            format,
            no_cache,
        }) => search(
            &db,
            &query.join(" "),
            kind.as_deref(),
            limit,
            format,
            !no_cache,
        ),
    };
    finish(result)
}

fn finish(result: Outcome) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let _ = writeln!(
                std::io::stderr(),
                "taskforce: {}",
                text::sanitize(&f.message, true)
            );
            ExitCode::from(f.code)
        }
    }
}

fn workbench(db: &Path, bundle: Bundle, local: bool) -> Outcome {
    let new = !exists(db);
    let backend: Box<dyn Backend> = if local {
        let store = Store::open(db)?;
        if store.created() {
            crate::fixtures::seed(&store, &actor(), bundle)?;
        }
        Box::new(Local::loaded(store, actor())?)
    } else {
        let remote = Remote::connect_filling(db, "workbench", true, bundle, Texts::Elided)
            .map_err(|e| Failure::new(exit::UNAVAILABLE, e.to_string()))?;
        Box::new(remote)
    };
    let notice = new.then(|| match bundle {
        Bundle::Nothing => format!("New empty database at {}", db.display()),
        Bundle::Real => format!(
            "New database at {} with the bundled INTRA and InterVentures records",
            db.display()
        ),
        Bundle::WithExamples => format!(
            "New database at {} with the bundled INTRA and InterVentures records and an example project (its records are labelled \"Example\")",
            db.display()
        ),
    });
    crate::tui::run(backend, crate::tui::Options::from_env(), notice)
        .map_err(|e| Failure::new(exit::FAILED, format!("{e:#}")))
}

fn overview(seq: u64, counts: &[(Kind, u64)], location: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "database        {location}");
    // Opening a database upgrades it (or refuses a newer one): it is at this version now.
    let _ = writeln!(out, "schema version  {}", crate::store::SCHEMA_VERSION);
    let _ = writeln!(out, "last change     #{seq}");
    for (k, n) in counts {
        let _ = writeln!(out, "{:<15} {n}", k.key());
    }
    out
}

fn parse_kind(text: &str) -> Result<Kind, Failure> {
    Kind::parse(text).map_err(|e| {
        // A start shared by several kinds names them ("p": projects, practices, partners).
        let t = text.trim().to_lowercase().replace(['-', ' '], "_");
        let could: Vec<&str> = Kind::ALL
            .iter()
            .map(|k| k.key())
            .filter(|k| !t.is_empty() && k.starts_with(&t))
            .collect();
        match could.as_slice() {
            [_, .., last] => Failure::new(
                exit::USAGE,
                format!(
                    "'{}' could be {} or {last}: type a few more letters",
                    text.trim(),
                    could[..could.len() - 1].join(", ")
                ),
            ),
            _ => Failure::new(exit::USAGE, e),
        }
    })
}

/// Names the place of a broken rule: the sheet, row and column of a spreadsheet, or the line
/// and JSON path of an import file.
fn locate_problem(
    source: &str,
    sheets: Option<&sheets_in::SheetImport>,
    (e, place): &crate::store::bulk::Located,
) -> String {
    if let Some(sheets) = sheets {
        return sheets.locate(e).to_string();
    }
    let path = match place {
        Some(p) => format!("{}[{}].{}", e.kind.key(), p.index, e.field),
        None => format!("{} '{}'.{}", e.kind.key(), e.id, e.field),
    };
    json::FileError {
        source: source.to_string(),
        line: place.filter(|p| p.line > 0).map(|p| p.line as usize),
        column: None,
        path,
        message: format!("{} '{}': {}", e.kind.singular(), e.id, e.message),
    }
    .to_string()
}

fn import(
    db: &Path,
    file: &Path,
    on_conflict: ConflictArg,
    kind: Option<&str>,
    dry_run: bool,
) -> Outcome {
    let started = Instant::now();
    let stdin = file == Path::new("-");
    let source = if stdin {
        "standard input".to_string()
    } else {
        file.display().to_string()
    };
    let mut progress = Progress::new("Importing", 0);
    progress.stage(&format!("Reading {source}…"));
    let kind = kind.map(parse_kind).transpose()?;
    let (input, sheets) = if !stdin && sheets_in::is_spreadsheet(file) {
        let mut read = sheets_in::read(file, kind, crate::model::kinds::form_labels)
            .map_err(|errors| refused(errors.iter().map(|e| e.to_string()).collect()))?;
        let records = std::mem::take(&mut read.records);
        (import_file::Input::Records(records), Some(read))
    } else {
        if kind.is_some() {
            return Err(Failure::new(
                exit::USAGE,
                "--kind is for spreadsheets (.xlsx, .ods, .csv); a JSON file names its kinds",
            ));
        }
        let reader: Box<dyn Read + Send> =
            if stdin {
                Box::new(std::io::stdin())
            } else {
                Box::new(std::fs::File::open(file).map_err(|e| {
                    Failure::new(exit::FAILED, format!("cannot read {source}: {e}"))
                })?)
            };
        (import_file::Input::Json(reader), None)
    };
    let options = crate::store::bulk::ImportOptions {
        on_conflict: match on_conflict {
            ConflictArg::Fail => OnConflict::Fail,
            ConflictArg::Skip => OnConflict::Skip,
            ConflictArg::Replace => OnConflict::Replace,
        },
        source: source.clone(),
        dry_run,
    };
    let mut show = |step: import_file::Step| match step {
        import_file::Step::Reading { records, bytes } => progress.reading(records, bytes),
        import_file::Step::Stage { what, done, total } => progress.step(what, done, total),
    };
    // A dry run against a database that does not exist yet is one against an empty one.
    let scratch = (dry_run && !exists(db)).then(ScratchDb::new).transpose()?;
    let result = match scratch.as_ref() {
        Some(scratch) => import_file::run(&scratch.store, &actor(), input, options, &mut show),
        None => match reach(db, "import", true)? {
            Reached::Direct(store) => import_file::run(&store, &actor(), input, options, &mut show),
            Reached::Server(mut remote) => remote.import(input, options, &mut show),
        },
    };
    progress.finish();
    let lines = |errors: &[crate::store::bulk::Located]| -> Vec<String> {
        errors
            .iter()
            .map(|e| locate_problem(&source, sheets.as_ref(), e))
            .collect()
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(import_file::Failure::Syntax(message)) => {
            return Err(Failure::new(exit::REFUSED, message));
        }
        Err(import_file::Failure::Rules(errors)) => return Err(refused(lines(&errors))),
        Err(import_file::Failure::Command(e)) => return Err(e.into()),
    };
    match outcome {
        import_file::Outcome::DryRun {
            forecast,
            errors,
            more,
            ..
        } => {
            let plan = import_plan::DryRun::from(forecast);
            outln!("{}", plan.report(&source).trim_end());
            if !errors.is_empty() {
                let mut shown = lines(&errors);
                if more > 0 {
                    shown.push(format!("… and {more} more problems not listed"));
                }
                let mut failure = refused(shown);
                failure.message = failure.message.replacen(
                    "nothing was imported",
                    "the import would be refused",
                    1,
                );
                return Err(failure);
            }
            let in_the_way = plan.forecast.total(|c| c.in_the_way);
            if in_the_way > 0 {
                return Err(Failure::new(
                    exit::REFUSED,
                    format!(
                        "the import would be refused: {in_the_way} record(s) already exist; \
                         --on-conflict skip keeps them, --on-conflict replace overwrites them"
                    ),
                ));
            }
            Ok(())
        }
        import_file::Outcome::Committed {
            committed,
            forecast,
            read,
        } => {
            let written: Vec<(Kind, usize)> = forecast
                .counts
                .iter()
                .map(|(k, c)| (*k, c.new + c.replaced))
                .filter(|(_, n)| *n > 0)
                .collect();
            let imported: usize = written.iter().map(|(_, n)| n).sum();
            let mut detail: Vec<String> = written
                .iter()
                .map(|(k, n)| format!("{n} {}", k.key()))
                .collect();
            // What the store adds besides the file's records: the importer, made the first
            // facilitator of a database without one.
            let besides = committed.changed.saturating_sub(imported);
            if besides > 0 {
                detail.push(format!("and {besides} members the database added"));
            }
            let seconds = started.elapsed().as_secs_f64();
            outln!(
                "imported {imported} of {read} records from {source} into {} in {seconds:.2} s ({}), change #{}",
                db.display(),
                if detail.is_empty() {
                    "nothing new".to_string()
                } else {
                    detail.join(", ")
                },
                committed.seq
            );
            Ok(())
        }
    }
}

/// An empty database in a new private directory, removed when dropped: what a dry run checks
/// against when the database does not exist yet.
struct ScratchDb {
    dir: PathBuf,
    store: Store,
}

impl ScratchDb {
    fn new() -> Result<ScratchDb, Failure> {
        let dir = std::env::temp_dir().join(format!(
            "taskforce-dry-run-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        // A new directory of our own (never one found there), for this user alone.
        std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&dir)
            .map_err(|e| {
                Failure::new(
                    exit::FAILED,
                    format!("cannot make a scratch database {}: {e}", dir.display()),
                )
            })?;
        let store = Store::open(&dir)?;
        Ok(ScratchDb { dir, store })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn refused(mut lines: Vec<String>) -> Failure {
    let n = lines.len();
    if n > 20 {
        lines.truncate(20);
        lines.push(format!("… and {} more", n - 20));
    }
    Failure::new(
        exit::REFUSED,
        format!(
            "nothing was imported; {n} problem(s):\n{}",
            lines.join("\n")
        ),
    )
}

fn load(db: &Path) -> Result<Replica, Failure> {
    let (replica, problems) = open_backend(db, "read", false)?.snapshot()?;
    for p in problems.iter().take(5) {
        errln!(
            "taskforce: left out {}/{}: {} (run `taskforce check`)",
            p.tree,
            p.key,
            p.message
        );
    }
    Ok(replica)
}

/// Writes `text` to a file atomically (a temporary file renamed over it) or to standard output.
fn write_out(output: Option<&Path>, text: &str) -> Outcome {
    write_bytes(output, text.as_bytes())
}

/// Writes a binary file (a workbook, a Word document): only to a file, never to a terminal.
fn write_binary(output: Option<&Path>, bytes: &[u8], what: &str) -> Outcome {
    let Some(path) = output else {
        return Err(Failure::new(
            exit::USAGE,
            format!("{what} is a binary file: give --output FILE"),
        ));
    };
    write_bytes(Some(path), bytes)?;
    errln!("taskforce: wrote {}", path.display());
    Ok(())
}

/// Writes bytes to a file atomically or to standard output.
fn write_bytes(output: Option<&Path>, text: &[u8]) -> Outcome {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            // On a terminal nothing stored may act on it (a CSV or JSON export, a list): control
            // characters show visibly. Piped or written to a file, the data is kept as it is.
            let shown = match std::io::IsTerminal::is_terminal(&out) {
                true => std::borrow::Cow::Owned(
                    text::sanitize(&String::from_utf8_lossy(text), true).into_bytes(),
                ),
                false => std::borrow::Cow::Borrowed(text),
            };
            match out.write_all(&shown).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::new(
                    exit::FAILED,
                    format!("cannot write to standard output: {e}"),
                )),
            }
        }
        // A temporary file with an unpredictable name beside it, renamed over it: a symbolic
        // link at either path is never followed (sys::write_replacing).
        Some(path) => crate::sys::write_replacing(path, text, 0o666).map_err(|e| {
            Failure::new(
                exit::FAILED,
                format!("cannot write {}: {e}", path.display()),
            )
        }),
    }
}

fn export(db: &Path, format: ExportFormat, kind: Option<&str>, output: Option<&Path>) -> Outcome {
    if kind == Some("handbook") {
        return Err(Failure::new(
            exit::USAGE,
            "the handbook is a document, not a kind of record: write it with \
             `taskforce doc handbook --project ID [--all] [--format md|docx] [--output FILE]`",
        ));
    }
    if format == ExportFormat::Ics {
        if kind.map(parse_kind).transpose()? != Some(Kind::Meeting) {
            return Err(Failure::new(
                exit::USAGE,
                "a calendar holds meetings: add --kind meetings",
            ));
        }
        let (calendar, approximate) = crate::io::ics::meetings(&load(db)?);
        write_out(output, &calendar)?;
        if !approximate.is_empty() {
            errln!(
                "{} meeting(s) left out of the calendar: their dates are known only approximately: {}",
                approximate.len(),
                approximate.join(", ")
            );
        }
        return Ok(());
    }
    if format == ExportFormat::Xlsx {
        if output.is_none() {
            return Err(Failure::new(
                exit::USAGE,
                "an Excel workbook is a binary file: give --output FILE.xlsx",
            ));
        }
        let kind = kind.map(parse_kind).transpose()?;
        let replica = load(db)?;
        let bytes = match kind {
            // Every individual score with readable columns, as in CSV.
            Some(Kind::Score) => xlsx::workbook(&[xlsx::scores_sheet(&replica)]),
            kind => xlsx::records(&replica, kind),
        }
        .map_err(|e| Failure::new(exit::FAILED, e))?;
        return write_binary(output, &bytes, "an Excel workbook");
    }
    if kind.is_some_and(|k| Kind::parse(k) == Ok(Kind::Score)) && format != ExportFormat::Json {
        // Every individual score (CSV), or every session's evaluation report (Markdown).
        let replica = load(db)?;
        let text = match format {
            ExportFormat::Csv => {
                results::scores_csv(&replica).map_err(|e| Failure::new(exit::FAILED, e))?
            }
            _ => replica
                .rows(Kind::Session)
                .filter_map(|r| match &r.record {
                    Record::Session(s) => Some(results::report_md(&replica, s)),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        return write_out(output, &text);
    }
    let kind = kind.map(parse_kind).transpose()?;
    if format == ExportFormat::Csv && kind.is_none() {
        return Err(Failure::new(
            exit::USAGE,
            "a CSV file holds one kind of record: add --kind (e.g. --kind practices)",
        ));
    }
    let replica = load(db)?;
    let text = match (format, kind) {
        (ExportFormat::Json, kind) => json::export(&replica, kind),
        (ExportFormat::Md, kind) => markdown::markdown(&replica, kind),
        (ExportFormat::Csv, Some(kind)) => {
            let records: Vec<&Record> = replica.rows(kind).map(|r| &r.record).collect();
            delimited::csv(kind, &records).map_err(|e| Failure::new(exit::FAILED, e))?
        }
        (ExportFormat::Csv, None) | (ExportFormat::Xlsx | ExportFormat::Ics, _) => {
            unreachable!("checked above")
        }
    };
    write_out(output, &text)
}

/// Lists one kind: reads that kind's records (and the project asked for), not the others.
fn list(db: &Path, kind: &str, format: ListFormat, project: Option<&str>) -> Outcome {
    let kind = parse_kind(kind)?;
    let mut backend = open_backend(db, "list", false)?;
    if let Some(p) = project
        && backend.get(Kind::Project, p)?.is_none()
    {
        let (projects, _) = backend.rows(Kind::Project)?;
        let known: Vec<&str> = projects.iter().map(|r| r.record.id()).collect();
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "there is no project '{p}'; the projects are: {}",
                known.join(", ")
            ),
        ));
    }
    let (rows, problems) = backend.rows(kind)?;
    report_problems(&problems);
    let mut records: Vec<&Record> = rows
        .iter()
        .map(|r| &r.record)
        .filter(|r| project.is_none_or(|p| r.project() == Some(p)))
        .collect();
    // Meetings in the order of their dates ("Dec 2016" among the days of December), the rest by
    // id; the sort is stable, so meetings of the same date stay in id order.
    records.sort_by(|a, b| match (a, b) {
        (Record::Meeting(x), Record::Meeting(y)) => x.start.chrono(&y.start),
        _ => std::cmp::Ordering::Equal,
    });
    let text = match format {
        ListFormat::Table => listing::table(kind, &records),
        ListFormat::Tsv => listing::tsv(kind, &records),
        ListFormat::Json => listing::json(&records),
    };
    write_out(None, &text)
}

fn check(db: &Path) -> Outcome {
    let report = open_backend(db, "check", false)?.check()?;
    outln!(
        "{} records and {} audit entries read from {}",
        report.records,
        report.audit_entries,
        db.display()
    );
    // Files the directory's group cannot use (a member's server could not open them).
    let unshared = crate::sys::unshared_files(db).unwrap_or_default();
    if report.problems.is_empty() && unshared.is_empty() {
        outln!("no problems found");
        return Ok(());
    }
    for p in &report.problems {
        outln!("{}/{}: {}", p.tree, p.key, p.message);
    }
    for u in &unshared {
        outln!("{}: {}\n  fix: {}", u.path.display(), u.problem, u.fix);
    }
    Err(Failure::new(
        exit::PROBLEMS,
        format!(
            "{} problem(s) found; the other records are readable",
            report.problems.len() + unshared.len()
        ),
    ))
}

fn info(db: &Path) -> Outcome {
    let mut backend = open_backend(db, "info", false)?;
    let (seq, counts) = backend.info()?;
    // The full path, whatever was typed (`--db ./db`, `--db ~/x`).
    let full = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let location =
        backend
            .location()
            .replacen(&db.display().to_string(), &full.display().to_string(), 1);
    write_out(None, &overview(seq, &counts, &location))
}

fn log(db: &Path, limit: usize) -> Outcome {
    let entries = open_backend(db, "log", false)?.audit(limit)?;
    let mut out = String::new();
    for e in entries {
        let who = match &e.actor.on_behalf_of {
            Some(o) => format!("{} for {o}", e.actor.user),
            None => e.actor.user.clone(),
        };
        let _ = writeln!(
            out,
            "#{:<6} {}  {:<12} {}",
            e.seq,
            e.at,
            who,
            text::sanitize(&e.summary, false)
        );
    }
    write_out(None, &out)
}

fn undo(db: &Path, seq: u64) -> Outcome {
    let committed = open_backend(db, "undo", false)?.submit(Command::Undo { seq })?;
    outln!(
        "undid change #{seq} as change #{} ({} record(s) restored)",
        committed.seq,
        committed.changes.len()
    );
    Ok(())
}

fn erase(db: &Path, kind: &str, id: &str) -> Outcome {
    let kind = Kind::parse(kind).map_err(|e| Failure::new(exit::USAGE, e))?;
    let mut backend = open_backend(db, "erase", false)?;
    // The person's name, email and phone as the record holds them now, to find the free text
    // that still names them once the erasure is done (it changes no other record).
    let personal: Vec<String> = match backend.get(kind, id)? {
        Some(Row {
            record: Record::Stakeholder(s),
            ..
        }) => [&s.name, &s.email, &s.phone]
            .into_iter()
            .filter(|p| p.trim().chars().count() >= 3 && p.as_str() != Stakeholder::ERASED)
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let committed = backend.submit(Command::Erase {
        kind,
        id: id.to_string(),
    })?;
    let what = format!("the personal data of {} '{id}'", kind.singular());
    if committed.changed == 0 {
        outln!(
            "erased {what} (deleted earlier) from the audit log as change #{}; the search index \
             is built again at the next search",
            committed.seq
        );
    } else {
        outln!(
            "erased {what} as change #{}: neither the record nor the audit log holds it now; the \
             search index is built again at the next search",
            committed.seq
        );
    }
    // Free text typed in other records (a guest line, minutes, a description) is theirs: it is
    // named here, without the person's data, to be edited by hand.
    let mut naming = Vec::new();
    if !personal.is_empty() {
        for other in Kind::ALL.iter().filter(|k| **k != Kind::Stakeholder) {
            let (rows, _) = backend.rows(*other)?;
            for row in rows {
                let text = serde_json::to_string(&row.record).unwrap_or_default();
                if personal.iter().any(|p| text.contains(p.as_str())) {
                    naming.push(format!("{} '{}'", other.singular(), row.record.id()));
                }
            }
        }
    }
    if !naming.is_empty() {
        outln!(
            "the free text of {} still names the person (the erasure changes no other record): \
             edit it by hand",
            naming.join(", ")
        );
    }
    Ok(())
}

fn serve(
    db: &Path,
    idle_exit: Option<u64>,
    seed: Bundle,
    group: Option<String>,
    service: bool,
) -> Outcome {
    let options = ServeOptions {
        idle_exit: idle_exit.map(std::time::Duration::from_secs),
        seed,
        group,
        service,
    };
    crate::server::serve(db, options).map_err(|e| match e {
        StoreError::Locked { path } => Failure::new(
            exit::UNAVAILABLE,
            format!(
                "the database {} is already served or open in another taskforce process; \
                     `taskforce --db {0} who` shows who is connected",
                path.display()
            ),
        ),
        other => other.into(),
    })
}

/// Asks the server to flush and stop, and waits until it has closed the connection.
fn stop(db: &Path) -> Outcome {
    let mut conn = match Connection::connect(db, "stop") {
        Err(ConnectError::NoServer) => {
            outln!("no server runs for {}", db.display());
            return Ok(());
        }
        Err(e) => return Err(Failure::new(exit::UNAVAILABLE, e.to_string())),
        Ok(conn) => conn,
    };
    let pid = conn.server_pid;
    match conn.request(Request::Stop)? {
        Reply::Stopping => {}
        _ => {
            return Err(Failure::new(
                exit::FAILED,
                "the server answered out of turn",
            ));
        }
    }
    if conn.closed_within(std::time::Duration::from_secs(10)) {
        outln!(
            "the server of {} (pid {pid}) flushed and stopped",
            db.display()
        );
        Ok(())
    } else {
        Err(Failure::new(
            exit::FAILED,
            format!("the server (pid {pid}) agreed to stop but is still running after 10 s"),
        ))
    }
}

/// The systemd units of the service deployment, printed (README, "Sharing a database").
fn service_files(db: &Path, group: &str, user: &str) -> Outcome {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new(exit::FAILED, format!("cannot find this program: {e}")))?;
    let db = if db.is_absolute() {
        db.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Failure::new(exit::FAILED, e.to_string()))?
            .join(db)
    };
    let text = crate::server::spawn::service_units(&exe, &db, group, user);
    write_out(None, &text)
}

fn who(db: &Path) -> Outcome {
    match Connection::connect(db, "who") {
        Err(ConnectError::NoServer) => {
            outln!("no server runs for {}: nobody is connected", db.display());
            Ok(())
        }
        Err(e) => Err(Failure::new(exit::UNAVAILABLE, e.to_string())),
        Ok(mut conn) => match conn
            .request(Request::Who)
            .map_err(|e| Failure::new(e.exit_code(), e.to_string()))?
        {
            Reply::Who(list) => {
                // Every connection but this one, whatever it calls itself; names neutralised.
                let me = std::process::id();
                let mut out = String::new();
                if list.iter().all(|p| p.pid == me) {
                    out.push_str("nobody else is connected\n");
                }
                for p in list.iter().filter(|p| p.pid != me) {
                    let _ = writeln!(
                        out,
                        "{:<16} {:<10} pid {:<8} since {}",
                        text::sanitize(&p.user, false),
                        text::sanitize(&p.program, false),
                        p.pid,
                        p.since
                    );
                }
                write_out(None, &out)
            }
            _ => Err(Failure::new(
                exit::FAILED,
                "the server answered out of turn",
            )),
        },
    }
}

/// One session, read alone (the other sessions only to list them when it is not there).
fn session_in(access: &mut dyn Backend, id: &str) -> Result<EvaluationSession, Failure> {
    match access.get(Kind::Session, id)? {
        Some(Row {
            record: Record::Session(s),
            ..
        }) => Ok(*s),
        _ => {
            let (sessions, _) = access.rows(Kind::Session)?;
            let known: Vec<&str> = sessions.iter().map(|r| r.record.id()).collect();
            Err(Failure::new(
                exit::USAGE,
                format!(
                    "there is no session '{id}'; the sessions are: {}",
                    known.join(", ")
                ),
            ))
        }
    }
}

fn session_of(replica: &Replica, id: &str) -> Result<EvaluationSession, Failure> {
    match replica.record(Kind::Session, id) {
        Some(Record::Session(s)) => Ok((**s).clone()),
        _ => {
            let known: Vec<&str> = replica.rows(Kind::Session).map(|r| r.record.id()).collect();
            Err(Failure::new(
                exit::USAGE,
                format!(
                    "there is no session '{id}'; the sessions are: {}",
                    known.join(", ")
                ),
            ))
        }
    }
}

/// Records a score, an abstention or a comment: the store builds the record from what it holds
/// now, with the evaluator taken from the connection (or `on_behalf_of`, for a facilitator).
fn score(
    db: &Path,
    session: &str,
    practice: &str,
    criterion: &str,
    mark: Option<Mark>,
    comment: Option<String>,
    on_behalf_of: Option<String>,
) -> Outcome {
    let mut access = open_backend(db, "score", false)?;
    let session = SessionId::new(session);
    let practice = PracticeId::new(practice);
    let evaluate = match mark {
        Some(mark) => Evaluate::Score {
            session: session.clone(),
            practice: practice.clone(),
            criterion: criterion.to_string(),
            mark,
            comment,
            seen: None,
        },
        None => Evaluate::Comment {
            session: session.clone(),
            practice: practice.clone(),
            criterion: criterion.to_string(),
            comment: comment.unwrap_or_default(),
        },
    };
    let committed = access.submit_for(Command::Evaluate(evaluate), on_behalf_of)?;
    let evaluator = committed
        .changes
        .iter()
        .find_map(|c| match c.row.as_ref().map(|r| &r.record) {
            Some(Record::Score(s)) => Some(s.evaluator.clone()),
            _ => None,
        })
        .unwrap_or_else(|| access.user());
    outln!(
        "saved: {}'s score of {practice} on {criterion} in {session} (change #{})",
        text::sanitize(&evaluator, false),
        committed.seq
    );
    Ok(())
}

fn board(
    db: &Path,
    session: &str,
    format: BoardFormat,
    sort: &str,
    output: Option<&Path>,
) -> Outcome {
    let replica = load(db)?;
    let session = session_of(&replica, session)?;
    let mut board = scoring::board_of(&replica, &session);
    board.sort(match sort {
        "rank" => SortBy::Rank,
        "disagreement" => SortBy::Disagreement,
        "session" => SortBy::Session,
        other => {
            return Err(Failure::new(
                exit::USAGE,
                format!("'{other}' is not a sort order: use rank, disagreement or session"),
            ));
        }
    });
    let text = match format {
        BoardFormat::Table => results::board_table(&board),
        BoardFormat::Tsv => results::board_tsv(&board),
        BoardFormat::Csv => {
            results::board_csv(&board).map_err(|e| Failure::new(exit::FAILED, e))?
        }
        BoardFormat::Json => results::board_json(&board),
        BoardFormat::Xlsx => {
            let bytes = xlsx::workbook(&[xlsx::board_sheet(&board)])
                .map_err(|e| Failure::new(exit::FAILED, e))?;
            return write_binary(output, &bytes, "an Excel workbook");
        }
    };
    write_out(output, &text)
}

fn report(db: &Path, session: &str, output: Option<&Path>) -> Outcome {
    let replica = load(db)?;
    let session = session_of(&replica, session)?;
    write_out(output, &results::report_md(&replica, &session))
}

/// Lists what is overdue or due soon; exit code 6 when something is overdue.
fn due(db: &Path, within: u32, format: ListFormat, today: Option<&str>) -> Outcome {
    use crate::io::due;
    let today = match today {
        Some(t) => Date::parse_day(t).map_err(|e| Failure::new(exit::USAGE, e))?,
        None => Date::today(),
    };
    let replica = load(db)?;
    let items = due::due(&replica, today, within.min(36_500) as i32);
    write_out(
        None,
        &match format {
            ListFormat::Table => due::table(&items),
            ListFormat::Tsv => due::tsv(&items),
            ListFormat::Json => due::json(&items),
        },
    )?;
    let overdue = items.iter().filter(|i| i.state == "overdue").count();
    if overdue > 0 {
        return Err(Failure::new(
            exit::OVERDUE,
            format!("{overdue} overdue as of {today}"),
        ));
    }
    Ok(())
}

/// Writes one document (`taskforce doc …`).
fn doc(db: &Path, which: DocCmd) -> Outcome {
    use crate::io::{docx, papers};
    let replica = load(db)?;
    let missing = |kind: Kind, id: &str| {
        let known: Vec<&str> = replica.rows(kind).map(|r| r.record.id()).collect();
        Failure::new(
            exit::USAGE,
            format!(
                "there is no {} '{id}'; the {} are: {}",
                kind.singular(),
                kind.key().replace('_', " "),
                known.join(", ")
            ),
        )
    };
    let (document, out) = match which {
        DocCmd::Handbook { project, all, out } => match replica.record(Kind::Project, &project) {
            Some(Record::Project(p)) => (papers::handbook(&replica, p, all, Date::today()), out),
            _ => return Err(missing(Kind::Project, &project)),
        },
        DocCmd::Minutes { meeting, out } => match replica.record(Kind::Meeting, &meeting) {
            Some(Record::Meeting(m)) => (papers::minutes(&replica, m), out),
            _ => return Err(missing(Kind::Meeting, &meeting)),
        },
        DocCmd::Monitoring {
            plan,
            period,
            today,
            out,
        } => {
            let usage = |e: String| Failure::new(exit::USAGE, e);
            let (from, to) = period.split_once("..").ok_or_else(|| {
                usage(format!(
                    "'{period}' is not a period: write START..END, e.g. 2019-04-01..2019-09-30"
                ))
            })?;
            let (from, to) = (
                Date::parse(from).map_err(usage)?,
                Date::parse(to).map_err(usage)?,
            );
            if to.before(from) {
                return Err(usage(format!("the period {period} ends before it starts")));
            }
            let today = today
                .map(|t| Date::parse_day(&t))
                .transpose()
                .map_err(usage)?;
            match replica.record(Kind::ActionPlan, &plan) {
                Some(Record::ActionPlan(p)) => (
                    papers::monitoring(&replica, p, from, to, today.unwrap_or_else(Date::today)),
                    out,
                ),
                _ => return Err(missing(Kind::ActionPlan, &plan)),
            }
        }
        DocCmd::Evaluation { session, out } => {
            let session = session_of(&replica, &session)?;
            (papers::evaluation(&replica, &session), out)
        }
    };
    let output = out.output.as_deref();
    let format = out.format.unwrap_or(
        if output.is_some_and(|o| {
            o.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
        }) {
            DocFormat::Docx
        } else {
            DocFormat::Md
        },
    );
    match format {
        DocFormat::Md => write_out(output, &document.markdown()),
        DocFormat::Docx => {
            if output.is_none() {
                return Err(Failure::new(
                    exit::USAGE,
                    "a Word document is a binary file: give --output FILE.docx",
                ));
            }
            let bytes = docx::docx(&document).map_err(|e| Failure::new(exit::FAILED, e))?;
            write_binary(output, &bytes, "a Word document")
        }
    }
}

/// Moves a session, from the state it is in now: two facilitators moving it at once do not
/// move it twice (the second is told who moved it).
fn move_session(db: &Path, session: &str, action: &str, reason: String) -> Outcome {
    let mut access = open_backend(db, "session", false)?;
    let current = session_in(access.as_mut(), session)?;
    let to = match action {
        "open" | "reopen" => SessionState::Open,
        "consensus" => SessionState::Consensus,
        _ => SessionState::Closed,
    };
    let committed = access.submit(Command::Evaluate(Evaluate::Move {
        session: current.id.clone(),
        from: current.state,
        to,
        reason,
    }))?;
    outln!("session {session} is now {to} (change #{})", committed.seq);
    Ok(())
}

fn decide(
    db: &Path,
    session: &str,
    practice: &str,
    decision: &str,
    value: Option<&str>,
    comment: &str,
) -> Outcome {
    let decision = Decision::parse(decision).map_err(|e| Failure::new(exit::USAGE, e))?;
    let value = value
        .map(Decimal1::parse)
        .transpose()
        .map_err(|e| Failure::new(exit::USAGE, e))?;
    let mut access = open_backend(db, "decide", false)?;
    let current = session_in(access.as_mut(), session)?;
    let practice = PracticeId::new(practice);
    let seen = current
        .consensus
        .iter()
        .find(|c| c.practice == practice)
        .cloned();
    let committed = access.submit(Command::Evaluate(Evaluate::Decide {
        session: current.id.clone(),
        practice: practice.clone(),
        decision,
        value,
        comment: comment.to_string(),
        seen,
    }))?;
    outln!("{practice}: {decision} (change #{})", committed.seq);
    Ok(())
}

fn history(db: &Path, kind: &str, id: &str) -> Outcome {
    let kind = parse_kind(kind)?;
    let mut backend = open_backend(db, "history", false)?;
    let (replica, _) = backend.snapshot()?;
    let entries = backend.history(kind, id)?;
    let mut after = replica.record(kind, id).cloned();
    if entries.is_empty() && after.is_none() {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "there is no {} '{id}' and none was ever recorded",
                kind.singular()
            ),
        ));
    }
    let mut out = String::new();
    for e in &entries {
        let before = e
            .changes
            .iter()
            .find(|c| c.kind == kind && c.id == id)
            .and_then(|c| c.before.as_ref())
            .map(|r| r.record.clone());
        let who = match &e.actor.on_behalf_of {
            Some(o) => format!("{} for {o}", e.actor.user),
            None => e.actor.user.clone(),
        };
        let _ = writeln!(
            out,
            "#{} {} {}: {}",
            e.seq,
            e.at,
            who,
            text::sanitize(&e.summary, false)
        );
        for c in crate::io::diff::changes(before.as_ref(), after.as_ref()) {
            let _ = writeln!(
                out,
                "    {}: {} → {}",
                c.field,
                if c.before.is_empty() {
                    "(empty)"
                } else {
                    &c.before
                },
                if c.after.is_empty() {
                    "(empty)"
                } else {
                    &c.after
                }
            );
        }
        after = before;
    }
    if entries.is_empty() {
        out.push_str("no recorded changes (it came with a bulk import)\n");
    }
    write_out(None, &out)
}

fn generate(records: usize, seed: u64, output: Option<&Path>) -> Outcome {
    let mut progress = Progress::new("Generating", records);
    let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut writer = json::RecordWriter::new(std::io::BufWriter::with_capacity(1 << 20, out))?;
        let mut failed = None;
        let mut done = 0usize;
        crate::generate::stream(records, seed, &mut |record| {
            if failed.is_none()
                && let Err(e) = writer.write(&record)
            {
                failed = Some(e);
            }
            done += 1;
            if done.is_multiple_of(1000) {
                progress.set(done);
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        writer.finish()?;
        Ok(())
    };
    let written = match output {
        None => match write(&mut std::io::stdout().lock()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        },
        Some(path) => crate::sys::write_replacing_with(path, 0o666, |file| write(file)),
    };
    progress.finish();
    written.map_err(|e| {
        Failure::new(
            exit::FAILED,
            format!(
                "cannot write {}: {e}",
                output.map_or("to standard output".into(), |p| p.display().to_string())
            ),
        )
    })
}

fn init(db: &Path, bundle: Bundle) -> Outcome {
    if exists(db) {
        return Err(Failure::new(
            exit::REFUSED,
            format!(
                "there is a database at {} already; nothing was changed",
                db.display()
            ),
        ));
    }
    let store = Store::open(db)?;
    let n = crate::fixtures::seed(&store, &actor(), bundle)?;
    outln!(
        "created {} with {n} bundled records; {} is its facilitator",
        db.display(),
        crate::sys::current_user()
    );
    Ok(())
}
fn report_problems(problems: &[Problem]) {
    for p in problems.iter().take(5) {
        errln!(
            "taskforce: left out {}/{}: {} (run `taskforce check`)",
            p.tree,
            p.key,
            p.message
        );
    }
}

/// The results of a search on the saved index at `saved`, unless the search found the file
/// damaged: then that is said and nothing is returned (the records are read instead).
fn unless_damaged(
    results: crate::search::Results,
    damage: Option<&str>,
    saved: &Path,
) -> Option<crate::search::Results> {
    match damage {
        None => Some(results),
        Some(why) => {
            errln!(
                "taskforce: the saved search index {} is damaged ({why}); rebuilding it",
                saved.display()
            );
            None
        }
    }
}

fn search(
    db: &Path,
    query: &str,
    kind: Option<&str>,
    limit: usize,
    format: ListFormat,
    use_cache: bool,
) -> Outcome {
    use crate::search::{Query, Request, cache, output, query::parse_prefix};
    let kinds = match kind {
        None => None,
        Some(k) => Some(parse_prefix(k).ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                format!(
                    "'{k}' is not a kind of record; the kinds are: {}, voucher_types",
                    Kind::ALL
                        .iter()
                        .map(|k| k.key())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?),
    };
    let parsed = Query::parse(query);
    if parsed.is_empty() && parsed.kinds.is_none() {
        return Err(Failure::new(
            exit::USAGE,
            "the query is empty: give a few letters to look for (e.g. `taskforce search vouch fair`)",
        ));
    }
    // TASKFORCE_TIMING=1 shows where the time goes.
    let timing = std::env::var_os("TASKFORCE_TIMING").is_some();
    let started = Instant::now();
    let lap = |what: &str| {
        if timing {
            errln!(
                "taskforce: {what} at {:.1} ms (CPU {:.1} ms)",
                started.elapsed().as_secs_f64() * 1e3,
                crate::search::cpu_time().as_secs_f64() * 1e3
            );
        }
    };
    let saved = db.join(cache::FILE);
    let mut request = Request::new(query).limit(limit);
    if let Some(k) = kinds {
        request = request.kinds(k);
    }
    // The saved index is searched in place while the store opens (which takes as long at 100k
    // records); its results are used only if it turns out to have been written for the store's
    // state as it is now, read under the store's lock.
    // A running server searches itself: nothing is read here then.
    let server = match Remote::connect(db, "search", false, false) {
        Ok(remote) => Some(Box::new(remote)),
        Err(ConnectError::NoServer) => None,
        Err(e) => return Err(Failure::new(exit::UNAVAILABLE, e.to_string())),
    };
    let ahead = (use_cache && server.is_none()).then(|| {
        let (saved, request) = (saved.clone(), request.clone());
        std::thread::spawn(move || {
            cache::open_any(&saved).map(|mapped| {
                let results = mapped.search(&request);
                let damage = mapped.damage().map(str::to_string);
                (mapped.written_for(), damage, results)
            })
        })
    });
    // With a server running, the records come from it (its lock keeps us out of the store) and
    // no saved index is used: only a process holding the store can know that it is current.
    // With a server running, it searches (its lock keeps us out of the store): only a process
    // holding the store can know that an index is current.
    let reached = match server {
        Some(remote) => Reached::Server(remote),
        None => reach(db, "search", false)?,
    };
    let store = match reached {
        Reached::Server(mut remote) => {
            let results = remote.search(&request)?;
            lap("the server searched");
            Err(results)
        }
        Reached::Direct(store) => Ok(store),
    };
    let (results, rebuilt) = match store {
        Err(results) => (results, None),
        Ok(store) => {
            let stamp = crate::store::search_index::stamp(&store)?;
            lap("opened");
            // The saved index, searched in place; a damaged one is said and rebuilt.
            let found = match ahead.map(|search| search.join()) {
                None => None,
                Some(Ok(Ok((written_for, damage, results)))) if written_for == stamp => {
                    lap("searched the saved index in place");
                    unless_damaged(results, damage.as_deref(), &saved)
                }
                Some(Ok(Ok(_)) | Ok(Err(cache::Refused::Stale | cache::Refused::Missing))) => None,
                Some(Ok(Err(refused @ cache::Refused::Damaged(_)))) => {
                    errln!(
                        "taskforce: the saved search index {} is not usable ({refused}); \
                         rebuilding it",
                        saved.display()
                    );
                    None
                }
                Some(Err(_)) => {
                    errln!(
                        "taskforce: searching the saved index {} failed; rebuilding it",
                        saved.display()
                    );
                    None
                }
            };
            match found {
                Some(results) => {
                    // Nothing was written: sled's closing flush (tens of ms at 100k records)
                    // has nothing to do, and the process ends in a moment, letting go of the lock.
                    std::mem::forget(store);
                    (results, None)
                }
                None => {
                    // A file written before the last commits, with the records they changed
                    // indexed beside it: used unless the changes are too many to carry.
                    let mut say = |m: String| errln!("taskforce: {m}");
                    let caught = match use_cache {
                        true => crate::store::search_index::saved(&store, &mut say)?,
                        false => None,
                    };
                    let answered = caught.and_then(|(live, changed)| {
                        let results = live.search(&request);
                        lap(&format!(
                            "searched the saved index and {changed} records changed since"
                        ));
                        unless_damaged(results, live.damage(), &saved)
                    });
                    match answered {
                        Some(results) => {
                            std::mem::forget(store);
                            (results, None)
                        }
                        // Built into the file for the next search, a few thousand records at a
                        // time (never all of them, nor all their texts, at once), and searched
                        // there; kept in memory if it cannot be written.
                        None if use_cache => {
                            let index = crate::store::search_index::rebuild(&store, &mut say)?;
                            lap("read and indexed the records into the saved index");
                            (index.search(&request), Some((index, store)))
                        }
                        None => {
                            let index = crate::store::search_index::build(&store)?;
                            lap("read and indexed the records");
                            (index.search(&request), None)
                        }
                    }
                }
            }
        }
    };
    lap("matched");
    let text = match format {
        ListFormat::Table => {
            use std::io::IsTerminal;
            let marks = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            if results.total == 0 {
                errln!("taskforce: no records match '{query}'");
            } else if results.total > results.hits.len() {
                errln!(
                    "taskforce: {} of {} matches shown, best first (--limit shows more)",
                    results.hits.len(),
                    results.total
                );
            }
            output::table(&results.hits, marks)
        }
        ListFormat::Tsv => output::tsv(&results.hits),
        ListFormat::Json => output::json(&results.hits),
    };
    write_out(None, &text)?;
    lap("written");
    if let Some((index, store)) = rebuilt {
        // The index was saved while the store was held: its close flushes what was written.
        drop(store);
        std::mem::forget(index);
    }
    Ok(())
}
