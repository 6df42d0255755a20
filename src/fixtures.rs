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
