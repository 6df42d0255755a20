//! Running a query over the index: in parallel, cancellable, optionally over the hits of an
//! earlier query only, with highlights computed for the results that are returned.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::index::Index;
use super::query::{Kinds, Query};
use super::rank::{self, Hit, Prepared};
use super::view::View;
use crate::model::{Kind, Record};

/// How many entries one worker matches between two looks at the cancellation flag.
const CHUNK: usize = 1024;

/// What to search for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The query as typed (see [`Query`]).
    pub query: String,
    /// Only these kinds (a list's filter, `--kind`); the query's prefix narrows further.
    /// `None`: what the prefix says, or everything but scores.
    pub kinds: Option<Kinds>,
    /// Only these records (a list's filter over the rows it shows).
    pub within: Option<Arc<Vec<(Kind, String)>>>,
    /// At most this many hits are returned (with highlights); `total` counts them all.
    pub limit: usize,
    /// Also return the id of every matching record (not voucher types) in
    /// [`Results::matched`], without highlights: a list's text filter.
    pub ids: bool,
}

impl Request {
    /// The default number of hits returned.
    pub const LIMIT: usize = 200;

    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            kinds: None,
            within: None,
            limit: Request::LIMIT,
            ids: false,
        }
    }

    /// Asks for the id of every matching record too (see [`Request::ids`]).
    pub fn with_ids(mut self) -> Request {
        self.ids = true;
        self
    }

    pub fn kinds(mut self, kinds: Kinds) -> Request {
        self.kinds = Some(kinds);
        self
    }

    pub fn within(mut self, records: Vec<(Kind, String)>) -> Request {
        self.within = Some(Arc::new(records));
        self
    }

    pub fn limit(mut self, limit: usize) -> Request {
        self.limit = limit;
        self
    }

    /// The kinds the request covers once the query's prefix is read.
    pub fn scope(&self, query: &Query) -> Kinds {
        match (self.kinds, query.kinds) {
            (Some(r), Some(q)) => r.intersect(q),
            (Some(r), None) => r,
            (None, Some(q)) => q,
            (None, None) => Kinds::everything(),
        }
    }
}

/// The answer to a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    /// The generation the request was submitted as (0 for a direct [`Index::search`]).
    pub generation: u64,
    pub request_query: String,
    /// How many entries match.
    pub total: usize,
    /// The best `limit` of them, best first.
    pub hits: Vec<Hit>,
    /// With [`Request::ids`]: every matching record (voucher types left out), in no order.
    pub matched: Vec<(Kind, String)>,
    /// Time spent matching and ranking.
    pub elapsed: Duration,
    /// The last commit the index had applied.
    pub seq: u64,
    /// The index's version (it changes with every change applied): results of the same
    /// generation with a newer version answer the same request after a commit.
    pub index_version: u64,
}

/// What a finished match leaves behind besides the results: every matching slot, so that a
/// narrower query can look at those only.
pub(crate) struct Matched {
    pub results: Results,
    /// Only where the matcher is proven monotone may they be used (the searcher no longer
    /// narrows: issue 21); kept for the engine's own test of `candidates`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub slots: Vec<u32>,
    /// Where each hit falls in the order of results (one for each of `results.hits`).
    pub places: Vec<Place>,
}

/// Runs a request. `candidates`: only these slots (the hits of an earlier query the new one
/// narrows); `cancelled` is asked between chunks and stops the work when it says so.
pub(crate) fn run(
    index: &Index,
    request: &Request,
    candidates: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Matched> {
    match index.within_slots(request) {
        Some(w) => run_view(index, request, Some(&w), false, None, cancelled),
        None => run_view(index, request, candidates, true, None, cancelled),
    }
}

/// A set of slots (those a search leaves out), one bit each.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slots(Vec<u64>);

impl Slots {
    pub fn insert(&mut self, slot: u32) {
        let (word, bit) = (slot as usize / 64, slot % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << bit;
    }

    pub fn contains(&self, slot: u32) -> bool {
        self.0
            .get(slot as usize / 64)
            .is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }
}

/// Where a hit falls in the order of results, as [`rank::top`] orders them: compared in this
/// order, so that hits of two indexes can be merged into one list (see [`super::live`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Place {
    /// The leading part of the order as one number (score, title length, kind; or kind and
    /// the title's first bytes for an empty query).
    key: u64,
    /// For an empty query, the whole title without regard to case (empty otherwise).
    title: Vec<u8>,
    id: String,
    slot: u32,
}

/// Runs a request over any [`View`] of an index. `candidates`: only these slots; `narrowable`:
/// whether to keep every matching slot for a narrower query (not for a list's filter);
/// `hidden`: slots never matched.
pub(crate) fn run_view<V: View>(
    index: &V,
    request: &Request,
    candidates: Option<&[u32]>,
    narrowable: bool,
    hidden: Option<&Slots>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Matched> {
    let visible = |s: u32| hidden.is_none_or(|h| !h.contains(s));
    let started = Instant::now();
    let query = Query::parse(&request.query);
    let kinds = request.scope(&query);
    let prepared = Prepared::new(query, kinds, index);
    let empty = prepared.is_empty();

    let chunks: Option<Vec<Vec<(i32, u32)>>> = match candidates {
        None => (0..index.slot_count().div_ceil(CHUNK))
            .into_par_iter()
            .map_init(rank::matcher, |m, c| {
                if cancelled() {
                    return None;
                }
                let slots = c * CHUNK..((c + 1) * CHUNK).min(index.slot_count());
                Some(
                    slots
                        .filter_map(|s| {
                            let s = s as u32;
                            if !visible(s) {
                                return None;
                            }
                            Some((prepared.score(index, &index.head(s)?, m)?, s))
                        })
                        .collect(),
                )
            })
            .collect(),
        Some(slots) => slots
            .par_chunks(CHUNK)
            .map_init(rank::matcher, |m, chunk| {
                if cancelled() {
                    return None;
                }
                Some(
                    chunk
                        .iter()
                        .filter(|&&s| visible(s))
                        .filter_map(|&s| Some((prepared.score(index, &index.head(s)?, m)?, s)))
                        .collect(),
                )
            })
            .collect(),
    };
    let mut hits: Vec<(i32, u32)> = chunks?.concat();
    let total = hits.len();
    let slots: Vec<u32> = if narrowable && !empty {
        let mut s: Vec<u32> = hits.iter().map(|h| h.1).collect();
        s.sort_unstable();
        s
    } else {
        Vec::new()
    };
    if cancelled() {
        return None;
    }
    let matched = if request.ids {
        hits.iter()
            .filter_map(|&(_, s)| index.head(s))
            .filter(|e| !e.is_type())
            .map(|e| (e.kind, index.id_of(&e)))
            .collect()
    } else {
        Vec::new()
    };
    rank::top(index, &mut hits, request.limit, empty);
    let places = hits
        .iter()
        .map(|&(score, slot)| {
            let (key, title) = rank::place(index, score, slot, empty);
            let id = index
                .head(slot)
                .map(|e| e.id.to_string())
                .unwrap_or_default();
            Place {
                key,
                title,
                id,
                slot,
            }
        })
        .collect();
    let hits: Vec<Hit> = hits
        .par_iter()
        .map_init(rank::matcher, |m, &(score, slot)| {
            rank::hit(&prepared, index, slot, score, m)
        })
        .flatten()
        .collect();
    Some(Matched {
        results: Results {
            generation: 0,
            request_query: request.query.clone(),
            total,
            hits,
            matched,
            elapsed: started.elapsed(),
            seq: index.seq(),
            index_version: index.version(),
        },
        slots,
        places,
    })
}

impl super::mapped::Mapped {
    /// Runs a request on the saved index in place, on every core. Results are those of
    /// [`Index::search`] on the index that was saved, unless the file turns out to be damaged
    /// as it is read: then [`super::mapped::Mapped::damage`] says what, and the results are not
    /// to be used.
    pub fn search(&self, request: &Request) -> Results {
        self.search_hiding(request, None).results
    }

    /// [`Self::search`] leaving out the `hidden` slots.
    pub(crate) fn search_hiding(&self, request: &Request, hidden: Option<&Slots>) -> Matched {
        // A list's filter names its records; the file has no table of ids, so they are found by
        // one pass over the entries (a voucher type goes with its scheme, as in the index).
        let within: Option<Vec<u32>> = request.within.as_ref().map(|list| {
            let wanted: std::collections::HashSet<(Kind, &str)> =
                list.iter().map(|(k, id)| (*k, id.as_str())).collect();
            (0..self.slot_count() as u32)
                .filter(|s| {
                    self.head(*s)
                        .is_some_and(|e| wanted.contains(&(e.kind, self.id_of(&e).as_str())))
                })
                .collect()
        });
        run_view(
            self,
            request,
            within.as_deref(),
            within.is_none(),
            hidden,
            &|| false,
        )
        .expect("a search that is never cancelled finishes")
    }
}

impl Index {
    /// Runs a request here and now, on every core (the workbench uses a [`super::Searcher`]).
    pub fn search(&self, request: &Request) -> Results {
        run(self, request, None, &|| false)
            .expect("a search that is never cancelled finishes")
            .results
    }

    /// [`Self::search`] leaving out the `hidden` slots.
    pub(crate) fn search_hiding(&self, request: &Request, hidden: &Slots) -> Matched {
        let within = self.within_slots(request);
        run_view(
            self,
            request,
            within.as_deref(),
            false,
            Some(hidden),
            &|| false,
        )
        .expect("a search that is never cancelled finishes")
    }

    /// The slots of a request's [`Request::within`] (a voucher type goes with its scheme).
    fn within_slots(&self, request: &Request) -> Option<Vec<u32>> {
        request.within.as_ref().map(|list| {
            let mut slots: Vec<u32> = list
                .iter()
                .filter_map(|(k, id)| self.slot_of(*k, id))
                .flat_map(|s| std::iter::once(s).chain(self.children_of(s).iter().copied()))
                .collect();
            slots.sort_unstable();
            slots.dedup();
            slots
        })
    }

    /// Narrows a list: the positions in `items` of the records that match `query`, best first.
    /// The workbench's filter key over one list (use a [`super::Searcher`] with
    /// [`Request::within`] for lists of many thousands).
    pub fn filter<'a>(
        &self,
        items: impl IntoIterator<Item = (Kind, &'a str)>,
        query: &str,
    ) -> Vec<usize> {
        let items: Vec<(Kind, &str)> = items.into_iter().collect();
        let request = Request {
            query: query.to_string(),
            kinds: Some(Kinds::all()),
            within: Some(Arc::new(
                items.iter().map(|(k, id)| (*k, id.to_string())).collect(),
            )),
            limit: usize::MAX,
            ids: false,
        };
        let results = self.search(&request);
        let position: std::collections::HashMap<(Kind, &str), usize> = items
            .iter()
            .enumerate()
            .map(|(i, (k, id))| ((*k, *id), i))
            .collect();
        let mut seen = std::collections::HashSet::new();
        results
            .hits
            .iter()
            .filter_map(|h| position.get(&(h.kind, h.id.as_str())).copied())
            .filter(|i| seen.insert(*i))
            .collect()
    }
}

/// Narrows a list of records that are not in an index: the positions of the matching ones,
/// best first. Names of other records are not searched (they are not at hand).
pub fn filter(records: &[&Record], query: &str) -> Vec<usize> {
    let index = Index::from_records(records);
    index.filter(records.iter().map(|r| (r.kind(), r.id())), query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn index() -> Index {
        crate::search::test_index()
    }

    #[test]
    fn a_cancelled_run_returns_nothing() {
        let index = index();
        let request = Request::new("vouch");
        assert!(run(&index, &request, None, &|| true).is_none());
        // Cancelled after the matching: still nothing.
        let asked = AtomicUsize::new(0);
        let late = || asked.fetch_add(1, Ordering::SeqCst) > 0;
        assert!(run(&index, &request, None, &late).is_none());
        let done = run(&index, &request, None, &|| false).unwrap();
        assert!(done.results.total > 0);
        assert_eq!(done.slots.len(), done.results.total);
    }

    #[test]
    fn a_narrower_query_over_earlier_hits_finds_the_same() {
        let index = index();
        let wide = run(&index, &Request::new("vou"), None, &|| false).unwrap();
        for q in ["vouc", "vouch", "vouch fair", "fair vou"] {
            let narrow = run(&index, &Request::new(q), Some(&wide.slots), &|| false).unwrap();
            let full = run(&index, &Request::new(q), None, &|| false).unwrap();
            assert_eq!(narrow.results.hits, full.results.hits, "{q}");
            assert_eq!(narrow.results.total, full.results.total, "{q}");
        }
    }
}
