//! An import of a file into a store, the same for the command line and for the server: a JSON
//! file is read record by record ([`json_stream`]) into the store's bounded import
//! ([`crate::store::bulk`]); the records of a spreadsheet, read whole by `sheets_in`, take the
//! same way. What comes back names the place of every broken rule.

use std::io::Read;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::json_stream::{self, Position};
use crate::model::{Actor, Committed, Record};
use crate::store::bulk::{Forecast, ImportOptions, Imported, Located, Place, Refusal};
use crate::store::{CommandError, Store, StoreError};

/// Where the records come from.
pub enum Input<R> {
    /// An import file (JSON), read as it streams.
    Json(R),
    /// Records already read (a spreadsheet), each with its place.
    Records(Vec<Record>),
}

/// How far an import has gone, for a progress line.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    /// Records and bytes read from the file so far.
    Reading { records: usize, bytes: u64 },
    /// A later stage ("Checking", "Writing"): records done of the total.
    Stage {
        what: &'a str,
        done: usize,
        total: usize,
    },
}

/// What an import did.
#[derive(Debug, Serialize, Deserialize)]
pub enum Outcome {
    Committed {
        committed: Committed,
        forecast: Forecast,
        /// Records in the file.
        read: usize,
    },
    /// A dry run: what would happen, and the rules the records would break (and how many more
    /// were found than are listed).
    DryRun {
        forecast: Forecast,
        errors: Vec<Located>,
        more: usize,
        read: usize,
    },
}

/// Why nothing was imported.
#[derive(Debug, Serialize, Deserialize)]
pub enum Failure {
    /// The file is not an import file; where and why, in words.
    Syntax(String),
    /// Records break rules: each with its place in the file.
    Rules(Vec<Located>),
    /// The store refused (records in the way, not allowed) or failed.
    Command(CommandError),
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        match r.error {
            CommandError::Invalid(errors) if !errors.is_empty() => {
                let mut places = r.places.into_iter();
                Failure::Rules(
                    errors
                        .into_iter()
                        .map(|e| (e, places.next().flatten()))
                        .collect(),
                )
            }
            other => Failure::Command(other),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Command(CommandError::Store(e))
    }
}

impl From<CommandError> for Failure {
    fn from(e: CommandError) -> Failure {
        Failure::Command(e)
    }
}

/// Imports `input` into `store` as `actor`; `step` hears how far it has gone.
pub fn run<R: Read>(
    store: &Store,
    actor: &Actor,
    input: Input<R>,
    options: ImportOptions,
    step: &mut dyn FnMut(Step),
) -> Result<Outcome, Failure> {
    let source = options.source.clone();
    let mut import = store.begin_import(actor, options)?;
    match input {
        Input::Json(reader) => {
            let position = Position::default();
            let mut shown = Instant::now();
            let read = json_stream::read(reader, &source, &position, |record, place| {
                import.add(record, place)?;
                if shown.elapsed().as_millis() >= 100 {
                    shown = Instant::now();
                    step(Step::Reading {
                        records: import.read(),
                        bytes: position.bytes(),
                    });
                }
                Ok::<(), StoreError>(())
            });
            match read {
                Ok(_) => {}
                Err(Ok(e)) => return Err(e.into()),
                Err(Err(e)) => return Err(Failure::Syntax(e.to_string())),
            }
        }
        Input::Records(records) => {
            let mut index = vec![0u32; crate::model::Kind::ALL.len()];
            for record in records {
                let i = &mut index[record.kind() as usize];
                let place = Place { index: *i, line: 0 };
                *i += 1;
                import.add(record, place)?;
            }
        }
    }
    let read = import.read();
    let done = import.finish(&mut |what, done, total| step(Step::Stage { what, done, total }))?;
    Ok(match done {
        Imported::Committed(committed, forecast) => Outcome::Committed {
            committed,
            forecast,
            read,
        },
        Imported::DryRun(forecast, errors, more) => Outcome::DryRun {
            forecast,
            errors,
            more,
            read,
        },
    })
}
