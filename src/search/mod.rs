//! Fuzzy search across every record: the index, the query language, ranking, and a worker that
//! keeps matching off the workbench's UI thread.
//!
//! - [`Index`]: built from a [`crate::model::Replica`] on every core, kept current with
//!   [`Index::apply`] (only the changed records are indexed again).
//! - [`Request`] / [`Results`] / [`Hit`]: what to search for and what comes back, with the kind
//!   of each hit and the matched characters of its title and fields.
//! - [`Searcher`]: `submit` a request per keystroke, `poll` without blocking; a newer request
//!   cancels an older one mid-match.
//! - [`Index::filter`] and [`filter`]: the same matcher over the rows of one list.
//!
//! The query language is described in [`query`], the ranking in [`rank`], what is searched in
//! [`fields`].

mod arena;
pub mod cache;
mod dict;
mod engine;
pub mod fields;
pub mod fold;
mod index;
pub mod live;
mod mapped;
pub mod output;
pub mod query;
pub mod rank;
mod searcher;
mod view;
pub mod wire;

pub use engine::{Request, Results, filter};
pub use index::{Index, MemoryUse};
pub use live::Live;
pub use query::{Kinds, PREFIXES, Query, Term};
pub use rank::{FieldHit, Hit};
pub use searcher::{Searcher, Source, Waker};

/// The index of the test corpus (`tests/data/search_corpus.json`), for the unit tests.
#[cfg(test)]
pub(crate) fn test_index() -> Index {
    let json = include_str!("../../tests/data/search_corpus.json");
    let records: Vec<crate::model::Record> = crate::io::json::parse(json, "corpus")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let refs: Vec<&crate::model::Record> = records.iter().collect();
    Index::from_records(&refs)
}

/// CPU time used by every thread of this process so far (Linux: from /proc, to the
/// nanosecond; zero elsewhere). For measurements: on a busy machine the wall clock also counts
/// the time spent waiting for a core.
pub fn cpu_time() -> std::time::Duration {
    let mut ns = 0u64;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
                ns += s
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    std::time::Duration::from_nanos(ns)
}
