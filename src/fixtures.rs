//! The bundled records: INTRA and InterVentures as their public sources describe them (each
//! record names its sources in its `source` field), so that a first run shows real records; and,
//! apart from them, an example project whose records are invented to try the workbench (an
//! evaluation session with scores, a voucher scheme with SMEs and vouchers). Example records
//! have ids that start with `example-` and titles or names that start with "Example"; no real
//! record refers to one.

use crate::model::{Actor, Command, Dataset, OnConflict, Record};
use crate::store::{CommandError, Store};

/// The fixture file, compiled into the binary.
pub const FIXTURES_JSON: &str = include_str!("../fixtures/fixtures.json");

/// What a new database is filled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// Nothing (`--empty`).
    Nothing,
    /// The real records only (`--no-examples`).
    Real,
    /// The real records and the example project.
    WithExamples,
}

impl Bundle {
    /// From the command line's `--empty` and `--no-examples`.
    pub fn from_flags(empty: bool, no_examples: bool) -> Bundle {
        if empty {
            Bundle::Nothing
        } else if no_examples {
            Bundle::Real
        } else {
            Bundle::WithExamples
        }
    }
}

/// Whether a bundled record is an example, invented to try the workbench, rather than a record
/// from the sources.
pub fn is_example(id: &str) -> bool {
    id.starts_with("example-")
}

/// The bundled records.
pub fn dataset() -> Dataset {
    serde_json::from_str(FIXTURES_JSON).expect("the bundled fixtures are checked by the tests")
}

/// The bundled records of `bundle`, as a new database gets them: the example session lists
/// `actor` as an evaluator, so that a new user can try the scoring pane at once.
pub fn records(bundle: Bundle, actor: &Actor) -> Vec<Record> {
    if bundle == Bundle::Nothing {
        return Vec::new();
    }
    let mut records: Vec<Record> = dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| bundle == Bundle::WithExamples || !is_example(r.id()))
        .collect();
    for r in &mut records {
        if let Record::Session(s) = r
            && is_example(s.id.as_str())
            && !s.evaluators.contains(&actor.user)
        {
            s.evaluators.push(actor.user.clone());
        }
    }
    records
}

/// Fills a database that was just created with the bundled records of `bundle`; returns how
/// many.
pub fn seed(store: &Store, actor: &Actor, bundle: Bundle) -> Result<usize, CommandError> {
    let records = records(bundle, actor);
    let n = records.len();
    if n == 0 {
        return Ok(0);
    }
    let source = "the bundled records".to_string();
    store.apply(
        actor,
        Command::Import {
            records,
            on_conflict: OnConflict::Fail,
            source,
        },
    )?;
    Ok(n)
}
