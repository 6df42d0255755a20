//! Records in and out of files: JSON import and export, CSV, Markdown, listings, and the
//! documents people hand out (Markdown and Word).

pub mod delimited;
pub mod diff;
pub mod documents;
pub mod docx;
pub mod due;
pub mod ics;
pub mod import_file;
pub mod import_plan;
pub mod json;
pub mod json_stream;
pub mod listing;
pub mod markdown;
pub mod papers;
pub mod results;
pub mod sheets_in;
pub mod xlsx;

use crate::model::{Kind, Record};

/// The labels the forms give each kind's fields (`(field, label)`), to name fields as people
/// see them: `model::kinds::form_labels`, or none in the tests of header matching.
pub type Labels = fn(Kind) -> Vec<(&'static str, &'static str)>;

/// A record's fields as a JSON object, in the order of its struct.
pub fn record_fields(record: &Record) -> serde_json::Value {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => {
            map.into_iter().next().map(|(_, v)| v).unwrap_or_default()
        }
        _ => serde_json::Value::Null,
    }
}
