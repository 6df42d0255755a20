//! The links back: who refers to a record. Built once over the records and kept current by
//! adding and removing one record's references as changes are committed.

use std::collections::HashMap;
use std::sync::Arc;

use compact_str::CompactString;

use crate::model::{Kind, Record, Replica};

/// Who refers to a record: (kind, id) → the records that hold a reference to it. With 100k
/// records there are about 260k references; each referring record's id is kept once, shared by
/// all its entries, and an id of up to 24 bytes is kept inline in the key.
type Reverse = HashMap<(Kind, CompactString), Vec<(Kind, Arc<str>)>>;

/// The records `record` refers to, each once (a record may name one from several fields).
fn targets(record: &Record) -> Vec<(Kind, &str)> {
    let mut targets = Vec::new();
    record.each_reference(&mut |_, kind, id| targets.push((kind, id)));
    targets.sort_unstable();
    targets.dedup();
    targets
}

fn add_refs(reverse: &mut Reverse, record: &Record) {
    let source: (Kind, Arc<str>) = (record.kind(), Arc::from(record.id()));
    for (kind, id) in targets(record) {
        reverse
            .entry((kind, CompactString::from(id)))
            .or_default()
            .push(source.clone());
    }
}

fn remove_refs(reverse: &mut Reverse, record: &Record) {
    let (kind, id) = (record.kind(), record.id());
    for target in targets(record) {
        let target = (target.0, CompactString::from(target.1));
        if let Some(list) = reverse.get_mut(&target) {
            list.retain(|(k, i)| !(*k == kind && &**i == id));
            if list.is_empty() {
                reverse.remove(&target);
            }
        }
    }
}

/// Who refers to a record: (kind, id) → the records that hold a reference to it.
#[derive(Clone, Debug, Default)]
pub struct Refs(Reverse);

impl Refs {
    /// The index over every record (one pass).
    pub fn build(replica: &Replica) -> Refs {
        let mut reverse = Reverse::new();
        for kind in Kind::ALL {
            for row in replica.rows(*kind) {
                add_refs(&mut reverse, &row.record);
            }
        }
        reverse.values_mut().for_each(Vec::shrink_to_fit);
        Refs(reverse)
    }

    /// A record's references, added.
    pub fn add(&mut self, record: &Record) {
        add_refs(&mut self.0, record);
    }

    /// A record's references, removed.
    pub fn remove(&mut self, record: &Record) {
        remove_refs(&mut self.0, record);
    }

    /// The records that refer to a record.
    pub fn referrers(&self, kind: Kind, id: &str) -> &[(Kind, Arc<str>)] {
        self.0
            .get(&(kind, CompactString::from(id)))
            .map_or(&[], |v| v.as_slice())
    }
}
