//! Migrations from older schema versions, run on open before anything else reads the data.
//!
//! Version 1 is the first; there is nothing to migrate yet. When a stored type changes, its old
//! shape stays in the codec as `V1`, the new one becomes `V2`, and a step here rewrites every
//! value of the affected trees (`tests/data/` keeps a database of each released version).

use super::{Store, StoreError};

pub(super) fn run(store: &Store, from: u32) -> Result<(), StoreError> {
    match from {
        0 => {
            // A schema key of 0 was never written by a release; treat it as an empty start.
            let _ = store;
            Ok(())
        }
        _ => Ok(()),
    }
}
