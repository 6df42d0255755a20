//! `import --dry-run`: what an import would do, worked out from the records held now and
//! nothing written — how many records of each kind are new, which would be replaced or kept,
//! which ids already exist (refused without `--on-conflict`), and the rules the records break.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::*;

/// How many records of a kind an import would add, replace, leave as they are or find in its way.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    /// Stored records the file changes (`--on-conflict replace`).
    pub replaced: usize,
    /// Stored records the file holds unchanged (left out, as the import leaves them out).
    pub unchanged: usize,
    /// Stored records kept as they are (`--on-conflict skip`).
    pub skipped: usize,
    /// Stored records that refuse the import (`--on-conflict fail`, the default).
    pub in_the_way: usize,
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct DryRun {
    pub counts: BTreeMap<Kind, Counts>,
    /// The stored records that would be replaced (`replace`), as "kind 'id'".
    pub replaced: Vec<String>,
    /// The stored records that refuse the import (`fail`), as "kind 'id'".
    pub conflicts: Vec<String>,
    /// The rules the records would break.
    pub errors: Vec<FieldError>,
}

/// The records held now with the imported ones on top, for the rules that span records.
struct Overlay<'a> {
    held: &'a Replica,
    incoming: HashMap<(Kind, &'a str), &'a Record>,
}

impl Lookup for Overlay<'_> {
    fn get(&self, kind: Kind, id: &str) -> Option<Record> {
        match self.incoming.get(&(kind, id)) {
            Some(r) => Some((*r).clone()),
            None => self.held.get(kind, id),
        }
    }

    fn meetings_of(&self, project: &str) -> Vec<Meeting> {
        let mut out: Vec<Meeting> = self
            .held
            .meetings_of(project)
            .into_iter()
            .filter(|m| !self.incoming.contains_key(&(Kind::Meeting, m.id.as_str())))
            .collect();
        for r in self.incoming.values() {
            if let Record::Meeting(m) = r
                && m.project.as_str() == project
            {
                out.push((**m).clone());
            }
        }
        out
    }

    fn vouchers_of(&self, sme: &str) -> Vec<Voucher> {
        let mut out: Vec<Voucher> = self
            .held
            .vouchers_of(sme)
            .into_iter()
            .filter(|v| !self.incoming.contains_key(&(Kind::Voucher, v.id.as_str())))
            .collect();
        for r in self.incoming.values() {
            if let Record::Voucher(v) = r
                && v.sme.as_str() == sme
            {
                out.push((**v).clone());
            }
        }
        out
    }

    fn scores_of(&self, session: &str) -> Vec<Score> {
        let mut out: Vec<Score> = self
            .held
            .scores_of(session)
            .into_iter()
            .filter(|s| !self.incoming.contains_key(&(Kind::Score, s.id.as_str())))
            .collect();
        for r in self.incoming.values() {
            if let Record::Score(s) = r
                && s.session.as_str() == session
            {
                out.push((**s).clone());
            }
        }
        out
    }
}

/// Works out what importing `records` into `held` would do, by the import's rules: a new
/// record is checked as it is (every rule on its fields, its references and the rules that
/// span records), a replacement as the edit it makes (lifecycles and locks included, the
/// stored status history kept); a replacement identical to the stored record is left out. Who
/// may change what (a practice's status by someone not a facilitator) is left to the import.
pub fn dry_run(held: &Replica, records: &[Record], on_conflict: OnConflict) -> DryRun {
    let mut out = DryRun::default();
    let records: Vec<Record> = records
        .iter()
        .cloned()
        .map(text::normalize_record)
        .collect();
    let mut seen = HashSet::new();
    let mut kept: Vec<(&Record, Option<&Record>)> = Vec::new();
    for r in &records {
        if !seen.insert((r.kind(), r.id())) {
            out.errors.push(FieldError {
                kind: r.kind(),
                id: r.id().to_string(),
                field: "id".into(),
                message: "appears twice in the file".into(),
            });
            continue;
        }
        let counts = out.counts.entry(r.kind()).or_default();
        let name = format!("{} '{}'", r.kind().singular(), r.id());
        match (held.record(r.kind(), r.id()), on_conflict) {
            (None, _) => {
                counts.new += 1;
                kept.push((r, None));
            }
            (Some(_), OnConflict::Skip) => counts.skipped += 1,
            (Some(before), OnConflict::Replace) if before == r => counts.unchanged += 1,
            (Some(before), OnConflict::Replace) => {
                counts.replaced += 1;
                out.replaced.push(name);
                kept.push((r, Some(before)));
            }
            (Some(_), OnConflict::Fail) => {
                counts.in_the_way += 1;
                out.conflicts.push(name);
            }
        }
    }
    for (r, before) in &kept {
        if let Some(before) = before {
            out.errors.extend(replacement_rules(r, before));
        }
    }
    let overlay = Overlay {
        held,
        incoming: kept.iter().map(|(r, _)| ((r.kind(), r.id()), *r)).collect(),
    };
    for (r, before) in &kept {
        out.errors.extend(match before {
            Some(b) => validate(r, Some(b), &overlay),
            None => validate_restored(r, &overlay),
        });
    }
    out
}

impl DryRun {
    /// The report: a line per kind, then the records replaced or in the way.
    pub fn report(&self, source: &str) -> String {
        let mut out = format!("dry run: nothing was written. {source} holds:\n");
        for (kind, c) in &self.counts {
            let mut parts = vec![format!("{} new", c.new)];
            for (n, what) in [
                (c.replaced, "replacing stored ones"),
                (c.unchanged, "the same as stored, left out"),
                (c.skipped, "already stored, kept as they are"),
                (c.in_the_way, "already stored"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            let total = c.new + c.replaced + c.unchanged + c.skipped + c.in_the_way;
            out.push_str(&format!(
                "  {:<13} {:>5}  ({})\n",
                kind.key(),
                total,
                parts.join(", ")
            ));
        }
        let list = |out: &mut String, title: &str, names: &[String]| {
            if names.is_empty() {
                return;
            }
            out.push_str(title);
            for n in names.iter().take(50) {
                out.push_str(&format!("  {n}\n"));
            }
            if names.len() > 50 {
                out.push_str(&format!("  … and {} more\n", names.len() - 50));
            }
        };
        list(&mut out, "would replace:\n", &self.replaced);
        list(
            &mut out,
            "already stored (the import would be refused; --on-conflict skip or replace):\n",
            &self.conflicts,
        );
        out
    }
}
