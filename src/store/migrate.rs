//! Migrations from older schema versions, run on open before anything else reads the data.
//!
//! When a stored type changes shape, its old shape stays in the codec as `V1`, the new one
//! becomes `V2`, and a step here rewrites every value of the affected trees (`tests/data/`
//! keeps a database of each released version). Each step may be run again after an
//! interruption: the schema version is written only once it has finished.

use super::{Store, StoreError, codec};
use crate::model::{Kind, Record, Row};

pub(super) fn run(store: &Store, from: u32) -> Result<(), StoreError> {
    // A schema key of 0 was never written by a release; treat it as an empty start.
    if from < 2 {
        deflate_practice_texts(store)?;
    }
    // Version 3 writes values in envelope version 2 (dates as spans; records' `source`,
    // vouchers' `participants`). Values of envelope version 1 keep decoding as they are
    // (`codec::decoding_version`), so nothing is rewritten: a large database opens at once, and
    // the version is raised so that an older build refuses it with a message instead of failing
    // on the first new value.
    //
    // Version 4 adds transfers: their tree is opened (empty) with the others, and the counts a
    // commit keeps, one per kind, are counted again once (`decode_counts` refuses a value with a
    // number fewer). The version is raised so that an older build, which would neither show the
    // transfers nor keep a practice, partner or action they refer to from being deleted, refuses
    // the database with a message.
    //
    // Version 5 adds stakeholders (their tree opened empty, the counts counted again once, as
    // for version 4) and lets a meeting's attendee refer to a stakeholder or a member: values
    // written from then on are in envelope 3 (`codec::since_v3`), and older ones decode as they
    // are, their attendees guests. An older build would neither read those values nor keep a
    // stakeholder from being deleted while meetings refer to it, so it refuses the database.
    Ok(())
}

/// Version 2 keeps a practice's long texts deflated (`model::prose`). Version 1 stored them as
/// strings, which version 2 reads as they are (a byte string is encoded like a string); they
/// are rewritten deflated so that the database and every replica of it shrink.
fn deflate_practice_texts(store: &Store) -> Result<(), StoreError> {
    let tree = store.tree(Kind::Practice);
    for item in tree.iter() {
        let (key, value) = item?;
        // A value that does not decode is left for `taskforce check` to report.
        let Ok(mut row) = codec::decode::<Row>(&value) else {
            continue;
        };
        let Record::Practice(p) = &mut row.record else {
            continue;
        };
        let mut changed = false;
        for text in p.prose_mut() {
            let compact = text.compacted();
            if compact.is_deflated() && !text.is_deflated() {
                *text = compact;
                changed = true;
            }
        }
        if changed {
            tree.insert(key, codec::encode(&row))?;
        }
    }
    Ok(())
}
