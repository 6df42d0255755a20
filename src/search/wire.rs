//! A search as it travels between a client and the server that holds the index: the request
//! without what only a process of its own can hold, and the results with their labels as text.
//! What comes back is read as hostile: every text made safe to draw again, every mark inside
//! its text, labels only those the search itself uses.

use serde::{Deserialize, Serialize};

use super::engine::{Request, Results};
use super::fields;
use super::query::Kinds;
use super::rank::{FieldHit, Hit};
use crate::model::Kind;
use crate::model::text::sanitize;

/// Hits a server returns for one search at most.
pub const MAX_HITS: usize = 10_000;

/// What a client asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked {
    pub query: String,
    pub kinds: Option<Kinds>,
    pub limit: u32,
    pub ids: bool,
}

impl Asked {
    /// The request as a client would run it (a list's `within` is not sent: it is applied by
    /// the client, to the ids of every match).
    pub fn from_request(request: &Request) -> Asked {
        Asked {
            query: request.query.clone(),
            kinds: request.kinds,
            limit: request.limit.min(MAX_HITS) as u32,
            ids: request.ids,
        }
    }

    pub fn to_request(&self) -> Request {
        let mut request =
            Request::new(self.query.clone()).limit((self.limit as usize).min(MAX_HITS));
        request.kinds = self.kinds;
        request.ids = self.ids;
        request
    }
}

/// One field where a term matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentField {
    pub label: String,
    pub text: String,
    pub marks: Vec<u32>,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentHit {
    pub kind: Kind,
    pub id: String,
    pub voucher_type: Option<String>,
    pub label: String,
    pub score: i32,
    pub title: String,
    pub title_marks: Vec<u32>,
    pub fields: Vec<SentField>,
}

/// The answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub total: u64,
    pub hits: Vec<SentHit>,
    pub matched: Vec<(Kind, String)>,
    /// The last commit the index held.
    pub seq: u64,
}

impl Found {
    pub fn from_results(results: Results) -> Found {
        let marks = |m: Vec<usize>| m.into_iter().map(|i| i as u32).collect();
        Found {
            total: results.total as u64,
            seq: results.seq,
            matched: results.matched,
            hits: results
                .hits
                .into_iter()
                .map(|h| SentHit {
                    kind: h.kind,
                    id: h.id,
                    voucher_type: h.voucher_type,
                    label: h.label.to_string(),
                    score: h.score,
                    title: h.title,
                    title_marks: marks(h.title_marks),
                    fields: h
                        .fields
                        .into_iter()
                        .map(|f| SentField {
                            label: f.label.to_string(),
                            text: f.text,
                            marks: marks(f.marks),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The results, made safe: texts as everywhere else, marks inside their texts, labels of
    /// the search's own.
    pub fn into_results(self, query: &str) -> Results {
        let marks = |m: Vec<u32>, text: &str| {
            let n = text.chars().count();
            let mut m: Vec<usize> = m
                .into_iter()
                .map(|i| i as usize)
                .filter(|i| *i < n)
                .collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        let hits: Vec<Hit> = self
            .hits
            .into_iter()
            .take(MAX_HITS)
            .map(|h| {
                let title = sanitize(&h.title, false);
                Hit {
                    kind: h.kind,
                    id: sanitize(&h.id, false),
                    voucher_type: h.voucher_type.map(|v| sanitize(&v, false)),
                    label: known_label(&h.label),
                    score: h.score,
                    title_marks: marks(h.title_marks, &title),
                    title,
                    fields: h
                        .fields
                        .into_iter()
                        .map(|f| {
                            let text = sanitize(&f.text, false);
                            FieldHit {
                                label: known_label(&f.label),
                                marks: marks(f.marks, &text),
                                text,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        Results {
            request_query: query.to_string(),
            total: (self.total as usize).max(hits.len()),
            hits,
            matched: self.matched,
            seq: self.seq,
            ..Results::default()
        }
    }
}

/// The label as the search names it, or "" for one it does not use.
fn known_label(label: &str) -> &'static str {
    for kind in Kind::ALL {
        for is_type in [false, true] {
            let own = fields::label(*kind, is_type);
            if own == label {
                return own;
            }
            if let Some(l) = fields::key_labels(*kind, is_type)
                .iter()
                .chain(fields::long_labels(*kind, is_type))
                .find(|l| **l == label)
            {
                return l;
            }
        }
    }
    match label {
        "id" => "id",
        "kind" => "kind",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_cross_the_wire_unchanged_and_hostile_ones_come_back_safe() {
        let index = crate::search::test_index();
        for q in ["vouch fair", "pecs", "m: badajoz", "a"] {
            let results = index.search(&Request::new(q).limit(20).with_ids());
            let back = Found::from_results(results.clone()).into_results(q);
            assert_eq!(
                (back.total, &back.hits),
                (results.total, &results.hits),
                "{q}"
            );
            assert_eq!(back.matched, results.matched);
        }
        let hostile = Found {
            total: 0,
            hits: vec![SentHit {
                kind: Kind::Practice,
                id: "x\u{1b}[2J".into(),
                voucher_type: None,
                label: "whatever it likes".into(),
                score: 1,
                title: "ab\u{1b}]52;c;ZXZpbA==\u{7}".into(),
                title_marks: vec![0, 1, 999, 1],
                fields: vec![SentField {
                    label: "owner".into(),
                    text: "\u{202e}ok".into(),
                    marks: vec![5, 0],
                }],
            }],
            matched: vec![],
            seq: 0,
        }
        .into_results("x");
        let h = &hostile.hits[0];
        assert!(!h.title.chars().any(|c| c.is_control()), "{:?}", h.title);
        assert!(!h.id.chars().any(|c| c.is_control()));
        assert_eq!(h.title_marks, vec![0, 1]);
        assert_eq!(h.label, "");
        assert_eq!(h.fields[0].label, "owner");
        assert_eq!(h.fields[0].marks, vec![0]);
        assert!(!h.fields[0].text.contains('\u{202e}'));
        assert_eq!(hostile.total, 1, "the total counts at least the hits sent");
    }
}
