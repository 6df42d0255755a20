//! CSV export, one kind per file: one column per field, in the order of the record's fields.
//! Nested values (lists, agenda items, history) are written as compact JSON inside their cell.

use crate::model::{Kind, Record};

pub fn csv(kind: Kind, records: &[&Record]) -> Result<String, String> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let mut header: Option<Vec<String>> = None;
    for r in records {
        let fields = super::record_fields(r);
        let serde_json::Value::Object(map) = fields else {
            continue;
        };
        if header.is_none() {
            let names: Vec<String> = map.keys().cloned().collect();
            writer.write_record(&names).map_err(|e| e.to_string())?;
            header = Some(names);
        }
        let cells: Vec<String> = map.values().map(cell).collect();
        writer.write_record(&cells).map_err(|e| e.to_string())?;
    }
    if header.is_none() {
        writer
            .write_record(crate::model::kinds::listed(kind).iter().map(|c| c.header))
            .map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}
