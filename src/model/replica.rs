//! `Replica`: every record in memory, with its revision; the copy the workbench and search read,
//! kept current by applying each `Committed` change.

use std::collections::{BTreeMap, HashMap};

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::command::{Change, Committed};
use super::record::{Kind, Record};
use super::records::Voucher;
use super::validate::Lookup;
use super::values::Timestamp;

/// A stored record with its revision (the sequence number of the commit that last wrote it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub rev: u64,
    pub at: Timestamp,
    /// Short (a login name): kept inline, without an allocation of its own.
    pub by: CompactString,
    pub record: Record,
}

/// What a copy of the records keeps of their long texts: all of them (commands that write
/// documents or exports), or none (a workbench, which reads a record's texts when it shows it;
/// see [`crate::model::Prose::elided`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texts {
    Whole,
    Elided,
}

impl Texts {
    /// Makes `row` what this copy keeps of it.
    pub fn keep(self, row: &mut Row) {
        if self == Texts::Elided {
            row.record.elide_texts();
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Replica {
    /// Keyed by id; an id of up to 24 bytes is kept inline in the key.
    kinds: HashMap<Kind, BTreeMap<CompactString, Row>>,
    /// The sequence number of the last commit applied.
    pub seq: u64,
}

impl Replica {
    pub fn new() -> Replica {
        Replica::default()
    }

    /// A replica of `rows` (in any order), its maps built at once with their nodes packed full.
    pub fn from_rows(rows: impl IntoIterator<Item = Row>) -> Replica {
        let mut by_kind: HashMap<Kind, Vec<(CompactString, Row)>> = HashMap::new();
        for row in rows {
            by_kind
                .entry(row.record.kind())
                .or_default()
                .push((row.record.id().into(), row));
        }
        Replica {
            kinds: by_kind
                .into_iter()
                .map(|(kind, rows)| (kind, rows.into_iter().collect()))
                .collect(),
            seq: 0,
        }
    }

    pub fn insert(&mut self, row: Row) {
        let kind = row.record.kind();
        self.kinds
            .entry(kind)
            .or_default()
            .insert(row.record.id().into(), row);
    }

    /// Adds the rows of one kind, keyed by id (a whole tree decoded at once: no re-insertion).
    pub fn extend_kind(&mut self, kind: Kind, rows: BTreeMap<CompactString, Row>) {
        let map = self.kinds.entry(kind).or_default();
        if map.is_empty() {
            *map = rows;
        } else {
            map.extend(rows);
        }
    }

    pub fn remove(&mut self, kind: Kind, id: &str) -> Option<Row> {
        self.kinds.get_mut(&kind)?.remove(id)
    }

    /// A row to change in place (a workbench taking in the texts it read for a record).
    pub fn row_mut(&mut self, kind: Kind, id: &str) -> Option<&mut Row> {
        self.kinds.get_mut(&kind)?.get_mut(id)
    }

    pub fn row(&self, kind: Kind, id: &str) -> Option<&Row> {
        self.kinds.get(&kind)?.get(id)
    }

    pub fn record(&self, kind: Kind, id: &str) -> Option<&Record> {
        self.row(kind, id).map(|r| &r.record)
    }

    /// The rows of one kind, ordered by id.
    pub fn rows(&self, kind: Kind) -> impl Iterator<Item = &Row> {
        self.kinds.get(&kind).into_iter().flat_map(|m| m.values())
    }

    /// The rows of a kind whose id starts with `prefix`, in id order, without a scan of the rest
    /// (a session's scores: `session:`).
    pub fn rows_with_prefix<'a>(
        &'a self,
        kind: Kind,
        prefix: &'a str,
    ) -> impl Iterator<Item = &'a Row> + 'a {
        self.kinds
            .get(&kind)
            .into_iter()
            .flat_map(move |m| {
                m.range::<str, _>((
                    std::ops::Bound::Included(prefix),
                    std::ops::Bound::Unbounded,
                ))
            })
            .take_while(move |(id, _)| id.starts_with(prefix))
            .map(|(_, row)| row)
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.kinds.get(&kind).map_or(0, |m| m.len())
    }

    pub fn len(&self) -> usize {
        self.kinds.values().map(|m| m.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies a commit's changes; returns false when it was already applied (or is older).
    /// Applies the changes of a commit that are newer than the rows held (a row's revision is
    /// the commit that wrote it), so that a commit seen twice, or after a later one, changes
    /// nothing it should not. Returns whether anything changed.
    pub fn apply(&mut self, committed: &Committed) -> bool {
        let mut changed = false;
        for change in &committed.changes {
            let newer = match self.row(change.kind, &change.id) {
                Some(held) => held.rev < committed.seq,
                None => change.row.is_some(),
            };
            if newer {
                self.apply_change(change);
                changed = true;
            }
        }
        self.seq = self.seq.max(committed.seq);
        changed
    }

    pub fn apply_change(&mut self, change: &Change) {
        match &change.row {
            Some(row) => self.insert(row.clone()),
            None => {
                self.remove(change.kind, &change.id);
            }
        }
    }
}

impl Lookup for Replica {
    fn get(&self, kind: Kind, id: &str) -> Option<Record> {
        self.record(kind, id).cloned()
    }

    fn scores_of(&self, session: &str) -> Vec<super::records::Score> {
        let prefix = format!("{session}:");
        self.rows_with_prefix(Kind::Score, &prefix)
            .filter_map(|r| match &r.record {
                Record::Score(s) => Some((**s).clone()),
                _ => None,
            })
            .collect()
    }

    fn meetings_of(&self, project: &str) -> Vec<super::Meeting> {
        self.rows(Kind::Meeting)
            .filter_map(|r| match &r.record {
                Record::Meeting(m) if m.project.as_str() == project => Some((**m).clone()),
                _ => None,
            })
            .collect()
    }

    fn vouchers_of(&self, sme: &str) -> Vec<Voucher> {
        self.rows(Kind::Voucher)
            .filter_map(|r| match &r.record {
                Record::Voucher(v) if v.sme.as_str() == sme => Some((**v).clone()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn sme(id: &str) -> Row {
        Row {
            rev: 1,
            at: Timestamp(0),
            by: "t".into(),
            record: Sme {
                id: SmeId::new(id),
                name: id.into(),
                registration_number: String::new(),
                size: SmeSize::Small,
                country: "LT".into(),
                region: String::new(),
                city: String::new(),
            }
            .into(),
        }
    }

    #[test]
    fn a_replica_built_at_once_is_the_one_built_row_by_row() {
        let mut rows: Vec<Row> = (0..500).map(|i| sme(&format!("s{i:03}"))).collect();
        rows.push(Row {
            record: Member {
                id: "ana".into(),
                name: String::new(),
                organisation: String::new(),
                partner: None,
                facilitator: true,
            }
            .into(),
            ..sme("x")
        });
        rows.reverse();
        let mut one_by_one = Replica::new();
        for row in rows.clone() {
            one_by_one.insert(row);
        }
        let at_once = Replica::from_rows(rows);
        for kind in Kind::ALL {
            assert!(at_once.rows(*kind).eq(one_by_one.rows(*kind)), "{kind}");
        }
        assert_eq!(at_once.len(), 501);
    }

    #[test]
    fn rows_with_a_prefix_are_exactly_those_whose_id_starts_with_it() {
        let mut r = Replica::new();
        for id in ["a", "a:1", "a:2", "a;0", "ab:1", "b:1", "A:1"] {
            r.insert(sme(id));
        }
        let ids = |p: &str| -> Vec<String> {
            r.rows_with_prefix(Kind::Sme, p)
                .map(|row| row.record.id().to_string())
                .collect()
        };
        assert_eq!(ids("a:"), ["a:1", "a:2"]);
        assert_eq!(ids("a"), ["a", "a:1", "a:2", "a;0", "ab:1"]);
        assert!(ids("c").is_empty());
        assert!(r.rows_with_prefix(Kind::Score, "a").next().is_none());
    }
}
