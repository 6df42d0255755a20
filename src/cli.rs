//! The command line: argument parsing and the one-shot subcommands. `main.rs` only calls [`main`].

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::io::{delimited, json, listing, markdown};
use crate::model::*;
use crate::progress::Progress;
use crate::store::{CommandError, Store, StoreError};

/// Exit codes scripts can rely on.
pub mod exit {
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
}

#[derive(Parser, Debug)]
#[command(
    name = "taskforce",
    version,
    about = "A terminal workbench for Interreg Europe projects on SME internationalisation: good \
             practices, meetings, action plans and voucher schemes, found in a few keystrokes.",
    after_help = "Without a subcommand, opens the workbench on the database.\n\n\
                  Exit codes: 0 done; 1 failed (I/O or database error); 2 wrong command line; \
                  3 input refused, nothing written; 4 database unavailable (in use, or newer); \
                  5 check found problems."
)]
pub struct Cli {
    /// The database directory [default: the user's data directory, e.g. ~/.local/share/taskforce/db]
    #[arg(long, global = true, env = "TASKFORCE_DB", value_name = "DIR")]
    pub db: Option<PathBuf>,

    /// Start a new database blank instead of with the bundled INTRA and InterVentures records
    #[arg(long)]
    pub empty: bool,

    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Load records from a JSON file (the export format), all or nothing.
    ///
    /// The whole file is checked before anything is written, then applied in one transaction:
    /// a malformed or invalid file is refused with its position and reason, and the database
    /// stays exactly as it was. A new database created by import holds only what was imported.
    Import {
        /// The JSON file, or - for standard input
        file: PathBuf,
        /// What to do with records whose id already exists: fail (refuse the whole import and
        /// list them), skip (keep the stored ones), replace (overwrite them; each is in the audit log)
        #[arg(long, value_enum, default_value = "fail")]
        on_conflict: ConflictArg,
    },
    /// Write records out: JSON (the import format), CSV (one kind) or Markdown.
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
        let code = match e {
            StoreError::Locked { .. } | StoreError::TooNew { .. } => exit::UNAVAILABLE,
            _ => exit::FAILED,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<CommandError> for Failure {
    fn from(e: CommandError) -> Failure {
        match e {
            CommandError::Store(e) => e.into(),
            other => Failure::new(exit::REFUSED, other.to_string()),
        }
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

/// Opens an existing database for a one-shot command.
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

/// Opens the workbench's database, creating it with the bundled records unless `empty`.
/// Returns the store and, for a new database, what was done (to show in the message line).
pub fn open_for_workbench(path: &Path, empty: bool) -> Result<(Store, Option<String>), Failure> {
    let store = Store::open(path)?;
    if !store.created() {
        return Ok((store, None));
    }
    if empty {
        return Ok((
            store,
            Some(format!("New empty database at {}", path.display())),
        ));
    }
    let records: Vec<Record> = crate::fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let n = records.len();
    store.apply(
        &actor(),
        Command::Import {
            records,
            on_conflict: OnConflict::Fail,
            source: "the bundled records".into(),
        },
    )?;
    Ok((
        store,
        Some(format!(
            "New database at {} with the {n} bundled INTRA and InterVentures records (examples are labelled \"Example\")",
            path.display()
        )),
    ))
}

/// Runs the program; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(default_db);
    let result = match cli.command {
        None => workbench(&db, cli.empty),
        Some(Cmd::Import { file, on_conflict }) => import(&db, &file, on_conflict),
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
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let _ = writeln!(std::io::stderr(), "taskforce: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn workbench(db: &Path, empty: bool) -> Outcome {
    let (store, message) = open_for_workbench(db, empty)?;
    if let Some(m) = message {
        eprintln!("{m}");
    }
    drop(store);
    info(db)
}

fn parse_kind(text: &str) -> Result<Kind, Failure> {
    Kind::parse(text).map_err(|e| Failure::new(exit::USAGE, e))
}

fn import(db: &Path, file: &Path, on_conflict: ConflictArg) -> Outcome {
    let started = Instant::now();
    let source = if file == Path::new("-") {
        "standard input".to_string()
    } else {
        file.display().to_string()
    };
    let mut progress = Progress::new("Importing", 0);
    progress.stage(&format!("Reading {source}…"));
    let mut text = String::new();
    let read = if file == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(file).map(|t| text = t)
    };
    read.map_err(|e| Failure::new(exit::FAILED, format!("cannot read {source}: {e}")))?;
    let dataset =
        json::parse(&text, &source).map_err(|e| Failure::new(exit::REFUSED, e.to_string()))?;
    let records = dataset.into_records();
    let duplicates = json::duplicates(&records, &source);
    if !duplicates.is_empty() {
        return Err(refused(duplicates.iter().map(|e| e.to_string()).collect()));
    }
    let positions = json::Positions::new(&records, &text);
    drop(text);
    let store = Store::open(db)?;
    let n = records.len();
    progress.stage(&format!("Checking and writing {n} records…"));
    let on_conflict = match on_conflict {
        ConflictArg::Fail => OnConflict::Fail,
        ConflictArg::Skip => OnConflict::Skip,
        ConflictArg::Replace => OnConflict::Replace,
    };
    let command = Command::Import {
        records: records.into_iter().map(|(_, r)| r).collect(),
        on_conflict,
        source: source.clone(),
    };
    let committed = match store.apply(&actor(), command) {
        Ok(c) => c,
        Err(CommandError::Invalid(errors)) => {
            return Err(refused(
                errors
                    .iter()
                    .map(|e| positions.locate(&source, e).to_string())
                    .collect(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    progress.finish();
    let mut per_kind = std::collections::BTreeMap::new();
    for c in &committed.changes {
        *per_kind.entry(c.kind).or_insert(0usize) += 1;
    }
    let detail: Vec<String> = per_kind
        .iter()
        .map(|(k, n)| format!("{n} {}", k.key()))
        .collect();
    println!(
        "imported {} of {n} records from {source} into {} in {:.2} s ({}), change #{}",
        committed.changes.len(),
        db.display(),
        started.elapsed().as_secs_f64(),
        if detail.is_empty() {
            "nothing new".to_string()
        } else {
            detail.join(", ")
        },
        committed.seq
    );
    Ok(())
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
    let store = open_existing(db)?;
    let (replica, problems) = store.load()?;
    for p in problems.iter().take(5) {
        eprintln!(
            "taskforce: left out {}/{}: {} (run `taskforce check`)",
            p.tree, p.key, p.message
        );
    }
    Ok(replica)
}

/// Writes `text` to a file atomically (a temporary file renamed over it) or to standard output.
fn write_out(output: Option<&Path>, text: &str) -> Outcome {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::new(
                    exit::FAILED,
                    format!("cannot write to standard output: {e}"),
                )),
            }
        }
        Some(path) => {
            let tmp = path.with_extension("taskforce-tmp");
            let written = std::fs::File::create(&tmp)
                .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|_| f.sync_all()))
                .and_then(|_| std::fs::rename(&tmp, path));
            written.map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Failure::new(
                    exit::FAILED,
                    format!("cannot write {}: {e}", path.display()),
                )
            })
        }
    }
}

fn export(db: &Path, format: ExportFormat, kind: Option<&str>, output: Option<&Path>) -> Outcome {
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
        (ExportFormat::Csv, None) => unreachable!("checked above"),
    };
    write_out(output, &text)
}

fn list(db: &Path, kind: &str, format: ListFormat, project: Option<&str>) -> Outcome {
    let kind = parse_kind(kind)?;
    let replica = load(db)?;
    if let Some(p) = project
        && replica.record(Kind::Project, p).is_none()
    {
        let known: Vec<&str> = replica.rows(Kind::Project).map(|r| r.record.id()).collect();
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "there is no project '{p}'; the projects are: {}",
                known.join(", ")
            ),
        ));
    }
    let records: Vec<&Record> = replica
        .rows(kind)
        .map(|r| &r.record)
        .filter(|r| project.is_none_or(|p| r.project() == Some(p)))
        .collect();
    let text = match format {
        ListFormat::Table => listing::table(kind, &records),
        ListFormat::Tsv => listing::tsv(kind, &records),
        ListFormat::Json => listing::json(&records),
    };
    write_out(None, &text)
}

fn check(db: &Path) -> Outcome {
    let store = open_existing(db)?;
    let mut progress = Progress::new("Checked", store_len(&store));
    let report = store.check(|n| progress.set(n))?;
    progress.finish();
    println!(
        "{} records and {} audit entries read from {}",
        report.records,
        report.audit_entries,
        db.display()
    );
    if report.problems.is_empty() {
        println!("no problems found");
        return Ok(());
    }
    for p in &report.problems {
        println!("{}/{}: {}", p.tree, p.key, p.message);
    }
    Err(Failure::new(
        exit::PROBLEMS,
        format!(
            "{} problem(s) found; the other records are readable",
            report.problems.len()
        ),
    ))
}

fn store_len(store: &Store) -> usize {
    Kind::ALL.iter().map(|k| store.count(*k)).sum()
}

fn info(db: &Path) -> Outcome {
    let store = open_existing(db)?;
    let mut out = String::new();
    let _ = writeln!(out, "database        {}", db.display());
    let _ = writeln!(out, "schema version  {}", store.schema_version()?);
    let _ = writeln!(out, "last change     #{}", store.seq()?);
    for k in Kind::ALL {
        let _ = writeln!(out, "{:<15} {}", k.key(), store.count(*k));
    }
    write_out(None, &out)
}

fn log(db: &Path, limit: usize) -> Outcome {
    let store = open_existing(db)?;
    let mut out = String::new();
    for e in store.audit(limit)? {
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
    let store = open_existing(db)?;
    let committed = store.apply(&actor(), Command::Undo { seq })?;
    println!(
        "undid change #{seq} as change #{} ({} record(s) restored)",
        committed.seq,
        committed.changes.len()
    );
    Ok(())
}

fn search(
    db: &Path,
    query: &str,
    kind: Option<&str>,
    limit: usize,
    format: ListFormat,
    use_cache: bool,
) -> Outcome {
    use crate::search::{Index, Query, Request, cache, output, query::parse_prefix};
    let kinds = match kind {
        None => None,
        Some(k) => Some(parse_prefix(k).ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                format!(
                    "'{k}' is not a kind of record; the kinds are: {}, voucher_types",
                    Kind::ALL.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ")
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
            eprintln!(
                "taskforce: {what} at {:.1} ms (CPU {:.1} ms)",
                started.elapsed().as_secs_f64() * 1e3,
                crate::search::cpu_time().as_secs_f64() * 1e3
            );
        }
    };
    let store = open_existing(db)?;
    let seq = store.seq()?;
    lap("opened");
    let saved = db.join(cache::FILE);
    let (index, built) = match use_cache.then(|| cache::load(&saved, seq)).flatten() {
        Some(index) => {
            lap("read the saved index");
            (index, false)
        }
        None => {
            let (replica, problems) = store.load()?;
            for p in problems.iter().take(5) {
                eprintln!(
                    "taskforce: left out {}/{}: {} (run `taskforce check`)",
                    p.tree, p.key, p.message
                );
            }
            lap("loaded the records");
            let index = Index::build(&replica);
            // The process ends soon: freeing every record one by one would only cost time.
            std::mem::forget(replica);
            lap("indexed");
            (index, true)
        }
    };
    let mut request = Request::new(query).limit(limit);
    if let Some(k) = kinds {
        request = request.kinds(k);
    }
    let results = index.search(&request);
    lap("matched");
    let text = match format {
        ListFormat::Table => {
            use std::io::IsTerminal;
            let marks = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            if results.total == 0 {
                eprintln!("taskforce: no records match '{query}'");
            } else if results.total > results.hits.len() {
                eprintln!(
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
    if built && use_cache {
        // For the next search; a failure only means the next one reads the records again.
        if let Err(e) = cache::save(&index, &saved) {
            if timing {
                eprintln!("taskforce: could not save the index at {}: {e}", saved.display());
            }
        }
        lap("saved the index");
    }
    std::mem::forget(index);
    Ok(())
}
