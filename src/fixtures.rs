//! The bundled records: INTRA and InterVentures as the public sources describe them, so that a
//! first run shows real records. Facts only from DOMAIN.md and the seed documents; what the
//! sources do not give (applications, scores) is labelled as an example where it appears.

use crate::model::Dataset;

/// The fixture file, compiled into the binary.
pub const FIXTURES_JSON: &str = include_str!("../fixtures/fixtures.json");

/// The bundled records.
pub fn dataset() -> Dataset {
    serde_json::from_str(FIXTURES_JSON).expect("the bundled fixtures are checked by the tests")
}

/// Fills a database that was just created with the bundled records; returns how many.
pub fn seed(
    store: &crate::store::Store,
    actor: &crate::model::Actor,
) -> Result<usize, crate::store::CommandError> {
    use crate::model::{Command, OnConflict};
    let records: Vec<_> = dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let n = records.len();
    store.apply(
        actor,
        Command::Import {
            records,
            on_conflict: OnConflict::Fail,
            source: "the bundled records".into(),
        },
    )?;
    Ok(n)
}
