//! `import --dry-run`: what an import would do, worked out from the records held now and
//! nothing written — how many records of each kind are new, which would be replaced or kept,
//! which ids already exist (refused without `--on-conflict`), and the rules the records break.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::*;

/// What an import would do.
#[derive(Debug, Default)]
pub struct DryRun {
    /// Per kind: records new, replacing a stored one, and left out (`skip`).
    pub counts: BTreeMap<Kind, (usize, usize, usize)>,
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

/// Works out what importing `records` into `held` would do. The records are checked as they
/// are (every rule on their fields, their references and the rules that span records); who
/// may change what is left to the import itself.
pub fn dry_run(held: &Replica, records: &[Record], on_conflict: OnConflict) -> DryRun {
    let mut out = DryRun::default();
    let records: Vec<Record> = records
        .iter()
        .cloned()
        .map(text::normalize_record)
        .collect();
    let mut seen = HashSet::new();
    let mut kept: Vec<&Record> = Vec::new();
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
        let entry = out.counts.entry(r.kind()).or_default();
        let name = format!("{} '{}'", r.kind().singular(), r.id());
        match (held.record(r.kind(), r.id()).is_some(), on_conflict) {
            (false, _) => {
                entry.0 += 1;
                kept.push(r);
            }
            (true, OnConflict::Skip) => entry.2 += 1,
            (true, OnConflict::Replace) => {
                entry.1 += 1;
                out.replaced.push(name);
                kept.push(r);
            }
            (true, OnConflict::Fail) => {
                entry.1 += 1;
                out.conflicts.push(name);
                kept.push(r);
            }
        }
    }
    let overlay = Overlay {
        held,
        incoming: kept.iter().map(|r| ((r.kind(), r.id()), *r)).collect(),
    };
    for r in &kept {
        out.errors.extend(validate_restored(r, &overlay));
    }
    out
}

impl DryRun {
    /// The report: a line per kind, then the records replaced or in the way.
    pub fn report(&self, source: &str, on_conflict: OnConflict) -> String {
        let mut out = format!("dry run: nothing was written. {source} holds:\n");
        for (kind, (new, existing, skipped)) in &self.counts {
            let mut parts = vec![format!("{new} new")];
            match on_conflict {
                OnConflict::Replace if *existing > 0 => {
                    parts.push(format!("{existing} replacing stored ones"))
                }
                OnConflict::Fail if *existing > 0 => {
                    parts.push(format!("{existing} already stored"))
                }
                _ => {}
            }
            if *skipped > 0 {
                parts.push(format!("{skipped} already stored, kept as they are"));
            }
            out.push_str(&format!(
                "  {:<13} {:>5}  ({})\n",
                kind.key(),
                new + existing + skipped,
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
