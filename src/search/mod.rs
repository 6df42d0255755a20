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
pub mod output;
mod index;
pub mod query;
pub mod rank;
mod searcher;

pub use engine::{Request, Results, filter};
pub use index::{Index, MemoryUse};
pub use query::{Kinds, PREFIXES, Query, Term};
pub use rank::{FieldHit, Hit};
pub use searcher::{Searcher, Waker};
