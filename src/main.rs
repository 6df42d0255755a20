//! A minimal launcher for the workbench (the full command line lives on main): opens the
//! database given by `--db DIR` or `TASKFORCE_DB`, fills a new one with the bundled fixtures,
//! and runs the workbench. Errors go to stderr, after the terminal is restored, with exit code 1.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use taskforce::model::{Actor, Command, OnConflict};
use taskforce::store::Store;
use taskforce::tui::{self, Options};

fn database() -> anyhow::Result<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    let mut db = std::env::var_os("TASKFORCE_DB").map(PathBuf::from);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "--db" {
            let Some(dir) = args.next() else {
                bail!("--db needs a directory")
            };
            db = Some(PathBuf::from(dir));
        } else if let Some(dir) = text.strip_prefix("--db=") {
            db = Some(PathBuf::from(dir));
        } else {
            bail!("unknown argument '{text}': use `taskforce [--db DIR]`");
        }
    }
    match db {
        Some(db) => Ok(db),
        None => directories::ProjectDirs::from("", "", "taskforce")
            .map(|d| d.data_dir().join("db"))
            .context("cannot find a data directory: give one with --db DIR"),
    }
}

fn start() -> anyhow::Result<()> {
    let path = database()?;
    let store = Store::open(&path)?;
    if store.created() {
        let records = taskforce::fixtures::dataset()
            .into_records()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let command = Command::Import {
            records,
            on_conflict: OnConflict::Fail,
            source: "bundled fixtures".into(),
        };
        store
            .apply(&Actor::user("taskforce"), command)
            .context("cannot load the bundled fixtures")?;
    }
    let backend =
        taskforce::backend::Local::new(store, Actor::user(taskforce::sys::current_user()));
    tui::run(Box::new(backend), Options::from_env())
}

fn main() -> ExitCode {
    match start() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("taskforce: {e:#}");
            ExitCode::FAILURE
        }
    }
}
