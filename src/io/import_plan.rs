//! `import --dry-run`: what an import would do, worked out by the import itself with nothing
//! written (`store::bulk`) — how many records of each kind are new, which would be replaced or
//! kept, which ids already exist (refused without `--on-conflict`) — and its report.

use crate::store::bulk::Forecast;

pub use crate::store::bulk::Counts;

/// What an import would do.
#[derive(Debug, Default)]
pub struct DryRun {
    pub forecast: Forecast,
}

impl From<Forecast> for DryRun {
    fn from(forecast: Forecast) -> DryRun {
        DryRun { forecast }
    }
}

impl DryRun {
    /// The report: a line per kind, then the records replaced or in the way.
    pub fn report(&self, source: &str) -> String {
        let mut out = format!("dry run: nothing was written. {source} holds:\n");
        for (kind, c) in &self.forecast.counts {
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
        let list = |out: &mut String, title: &str, names: &[String], total: usize| {
            if names.is_empty() {
                return;
            }
            out.push_str(title);
            for n in names.iter().take(50) {
                out.push_str(&format!("  {n}\n"));
            }
            let shown = names.len().min(50);
            if total > shown {
                out.push_str(&format!("  … and {} more\n", total - shown));
            }
        };
        let f = &self.forecast;
        list(
            &mut out,
            "would replace:\n",
            &f.replaced,
            f.total(|c| c.replaced),
        );
        list(
            &mut out,
            "already stored (the import would be refused; --on-conflict skip or replace):\n",
            &f.conflicts,
            f.total(|c| c.in_the_way),
        );
        out
    }
}
