//! The bundled records: INTRA and InterVentures as the public sources describe them, so that a
//! first run shows real records. Facts only from DOMAIN.md and the seed documents; what the
//! sources do not give (applications, scores) is labelled as an example where it appears.

use crate::model::{Actor, Command, Dataset, OnConflict, Record};
use crate::store::{CommandError, Store};

/// The fixture file, compiled into the binary.
pub const FIXTURES_JSON: &str = include_str!("../fixtures/fixtures.json");

/// The bundled records.
pub fn dataset() -> Dataset {
    serde_json::from_str(FIXTURES_JSON).expect("the bundled fixtures are checked by the tests")
}

/// Fills a database that was just created with the bundled records; returns how many.
pub fn seed(store: &Store, actor: &Actor) -> Result<usize, CommandError> {
    let mut records: Vec<Record> = dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    // The example session lists whoever creates the database as an evaluator, so that a new
    // user can try the scoring pane at once.
    for r in &mut records {
        if let Record::Session(s) = r
            && s.id.as_str().starts_with("example-")
            && !s.evaluators.contains(&actor.user)
        {
            s.evaluators.push(actor.user.clone());
        }
    }
    let n = records.len();
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
