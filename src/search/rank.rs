//! Matching and ranking: how well an entry matches a query, and what to highlight.
//!
//! Each term is scored on its own and the scores add up; every term must match somewhere, and
//! every term counts alike (a term's score is the matcher's score as a share of the best a term
//! of that length can get, times the weight of where it matched):
//! - fuzzily (`SkimMatcherV2`) in the title (weight 10), the key fields (7), the names of the
//!   records it refers to (5), or the words that name its kind (4);
//! - or, as a whole word or the start of one, in the long text (3; hyphens and apostrophes inside
//!   a word may be left out, so `ecommerce` finds "e-commerce");
//! - a quoted term only as one contiguous piece, with the same weights.
//!
//! Within a group the matcher rewards consecutive characters and the starts of words and charges
//! for gaps, so tight matches beat scattered ones; a match whose gaps cost more than its bonuses
//! earn is no match at all (see [`fuzzy_floor`]). A longer title costs a little (3 points a
//! character, at most 360, where a perfect title match is worth 10,000), so that of two equal
//! matches the shorter title comes first. Ties
//! go to the kind order (projects, partners, practices, meetings, …), then the id.

use std::cmp::{Ordering, Reverse};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::{SkimMatcherV2, SkimScoreConfig};
use memchr::{memchr, memchr2, memmem};

use super::fields;
use super::fold::{self, SEP};
use super::index::{CONTEXT, Entry, Index, KEYS, LONG, NONE, TITLE};
use super::query::{Kinds, Query, Term};
use crate::model::Kind;

pub(crate) const W_TITLE: i32 = 10;
pub(crate) const W_KEYS: i32 = 7;
pub(crate) const W_CONTEXT: i32 = 5;
pub(crate) const W_KIND: i32 = 4;
pub(crate) const W_LONG: i32 = 3;

/// The fuzzy groups in the order they are tried, with their weights.
const FUZZY: [(usize, i32); 3] = [(TITLE, W_TITLE), (KEYS, W_KEYS), (CONTEXT, W_CONTEXT)];
const EXACT: [(usize, i32); 4] = [
    (TITLE, W_TITLE),
    (KEYS, W_KEYS),
    (CONTEXT, W_CONTEXT),
    (LONG, W_LONG),
];

/// A pseudo-group: the words naming the entry's kind.
pub(crate) const KIND_WORDS: usize = 4;

/// The highest score `SkimMatcherV2` gives a pattern of `n` characters: each matched character
/// earns 16 and a bonus of at most 16.
pub(crate) fn fuzzy_bound(chars: usize) -> i32 {
    32 * chars as i32
}

/// The least score a fuzzy match must reach: 18 a character, a little more than the 16 the
/// matcher gives each matched character before bonuses and gap penalties. Letters strewn over
/// several words (`fair` in "3 financial resources", `alice` in "Small-scale incentives") are
/// not matches; consecutive letters, starts of words (`mdev`: Maribor Development), a skipped
/// letter (`maribr`) and word starts followed by a run (`svextrem`) are. A single letter matches
/// at the start of a word.
pub(crate) fn fuzzy_floor(chars: usize) -> i64 {
    18 * chars as i64
}

/// The score of a contiguous piece of `chars` characters, about what the matcher gives one.
pub(crate) fn exact_score(chars: usize, word_start: bool) -> i32 {
    let n = chars as i32;
    if word_start { 24 * n } else { 20 * n - 4 }
}

/// What a perfect match of a term is worth before its weight.
pub(crate) const UNIT: i64 = 1000;

/// A term's weighted score: the matcher's score as a share of the best it could give a term of
/// that length, times the weight of the group. Every term counts alike, however long it is:
/// in "fair vouchers" the short word matters as much as the long one.
pub(crate) fn weigh(weight: i32, raw: i64, chars: usize) -> i32 {
    (weight as i64 * raw * UNIT / fuzzy_bound(chars.max(1)) as i64) as i32
}

/// The cost of a long title: 3 a character, at most 360 (a perfect title match of one term is
/// worth 10,000).
fn length_penalty(e: &Entry) -> i32 {
    3 * i32::from(e.title_chars.min(120))
}

/// The matcher every worker uses: smart case, and no penalty for matching `a` with `A` (the
/// query is case-insensitive unless it holds a capital).
pub fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default()
        .score_config(SkimScoreConfig {
            penalty_case_mismatch: 0,
            ..SkimScoreConfig::default()
        })
        .smart_case()
}

/// Position of an entry's target in [`Kinds`]-like tables: the kinds, then voucher types.
fn target(kind: Kind, is_type: bool) -> usize {
    if is_type {
        Kind::ALL.len()
    } else {
        kind as usize
    }
}

/// The order of kinds in ties: a voucher type comes right after its scheme.
fn kind_rank(e: &Entry) -> u8 {
    2 * e.kind as u8 + u8::from(e.is_type())
}

/// A query made ready for matching.
pub(crate) struct Prepared {
    pub query: Query,
    pub kinds: Kinds,
    /// Per target, per term: the weighted score of the kind words (0: no match).
    kind_scores: Vec<Vec<i32>>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn eq(h: u8, n: u8, case_sensitive: bool) -> bool {
    h == n || (!case_sensitive && h.to_ascii_lowercase() == n)
}

/// Positions in `hay` where the first byte of `t` occurs (either case unless case-sensitive).
fn first_byte_candidates<'h>(hay: &'h [u8], t: &Term) -> impl Iterator<Item = usize> + 'h {
    let first = t.text.as_bytes()[0];
    let other = if !t.case_sensitive && first.is_ascii_lowercase() {
        first.to_ascii_uppercase()
    } else {
        first
    };
    memchr::memchr2_iter(first, other, hay)
}

/// A cheap necessary condition for a fuzzy match: the term's bytes occur in order.
pub(crate) fn precheck(hay: &[u8], t: &Term) -> bool {
    let mut rest = hay;
    for &b in t.text.as_bytes() {
        let found = if !t.case_sensitive && b.is_ascii_lowercase() {
            memchr2(b, b.to_ascii_uppercase(), rest)
        } else {
            memchr(b, rest)
        };
        match found {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// The first occurrence of the term as one contiguous piece: its byte range.
pub(crate) fn find_exact(hay: &str, t: &Term) -> Option<(usize, usize)> {
    let h = hay.as_bytes();
    let n = t.text.as_bytes();
    if n.len() > h.len() {
        return None;
    }
    if t.case_sensitive {
        return memmem::find(h, n).map(|i| (i, i + n.len()));
    }
    first_byte_candidates(h, t)
        .find(|&i| h.len() - i >= n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
        .map(|i| (i, i + n.len()))
}

/// The first occurrence of the term at the start of a word, where `-`, `'` and `.` inside the
/// text may be skipped: its byte range and the matched bytes.
pub(crate) fn find_word(hay: &str, t: &Term) -> Option<(usize, usize)> {
    let h = hay.as_bytes();
    let n = t.text.as_bytes();
    if n.len() > h.len() {
        return None;
    }
    'candidates: for i in first_byte_candidates(h, t) {
        if i > 0 && is_word_byte(h[i - 1]) {
            continue;
        }
        let (mut j, mut k) = (0, i);
        while j < n.len() {
            if k >= h.len() {
                return None;
            }
            if eq(h[k], n[j], t.case_sensitive) {
                j += 1;
                k += 1;
            } else if matches!(h[k], b'-' | b'\'' | b'.') && n[j].is_ascii_alphanumeric() {
                k += 1;
            } else {
                continue 'candidates;
            }
        }
        return Some((i, k));
    }
    None
}

fn word_start(hay: &str, at: usize) -> bool {
    at == 0 || !is_word_byte(hay.as_bytes()[at - 1])
}

impl Prepared {
    pub fn new(query: Query, kinds: Kinds) -> Prepared {
        let m = matcher();
        let targets = Kind::ALL.len() + 1;
        let kind_scores = (0..targets)
            .map(|t| {
                let (kind, is_type) = if t == Kind::ALL.len() {
                    (Kind::Scheme, true)
                } else {
                    (Kind::ALL[t], false)
                };
                let words = fields::kind_words(kind, is_type);
                query
                    .terms
                    .iter()
                    .map(|term| {
                        if term.exact {
                            let n = term.text.chars().count();
                            find_exact(words, term).map_or(0, |(s, _)| {
                                weigh(W_KIND, exact_score(n, word_start(words, s)).into(), n)
                            })
                        } else {
                            let n = term.text.chars().count();
                            m.fuzzy_match(words, &term.text)
                                .filter(|s| *s >= fuzzy_floor(n))
                                .map_or(0, |s| weigh(W_KIND, s, n))
                        }
                    })
                    .collect()
            })
            .collect();
        Prepared {
            query,
            kinds,
            kind_scores,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.query.is_empty()
    }

    /// The entry's score, or `None` when it does not match.
    pub fn score(&self, e: &Entry, m: &SkimMatcherV2) -> Option<i32> {
        if !self.kinds.admits(e.kind, e.is_type()) {
            return None;
        }
        for x in &self.query.excluded {
            if find_exact(&e.text, x).is_some() {
                return None;
            }
        }
        if self.query.terms.is_empty() {
            return Some(0);
        }
        let mut total = 0;
        for (i, t) in self.query.terms.iter().enumerate() {
            total += self.score_term(e, i, t, m)?.0;
        }
        Some(total - length_penalty(e))
    }

    /// The best weighted score of one term and the group it came from.
    pub fn score_term(
        &self,
        e: &Entry,
        i: usize,
        t: &Term,
        m: &SkimMatcherV2,
    ) -> Option<(i32, usize)> {
        let chars = t.text.chars().count();
        let mut best = (0, NONE as usize);
        if t.exact {
            for (g, w) in EXACT {
                if best.0 >= weigh(w, exact_score(chars, true).into(), chars) {
                    break;
                }
                let hay = e.group(g);
                if let Some((s, _)) = find_exact(hay, t) {
                    let score = weigh(w, exact_score(chars, word_start(hay, s)).into(), chars);
                    if score > best.0 {
                        best = (score, g);
                    }
                }
            }
        } else {
            for (g, w) in FUZZY {
                if best.0 >= w * UNIT as i32 {
                    break;
                }
                let hay = e.group(g);
                if hay.len() < t.text.len() || !precheck(hay.as_bytes(), t) {
                    continue;
                }
                if let Some(s) = m.fuzzy_match(hay, &t.text)
                    && s >= fuzzy_floor(chars)
                {
                    let score = weigh(w, s, chars);
                    if score > best.0 {
                        best = (score, g);
                    }
                }
            }
            let kind = self.kind_scores[target(e.kind, e.is_type())][i];
            if kind > best.0 {
                best = (kind, KIND_WORDS);
            }
            let long = weigh(W_LONG, exact_score(chars, true).into(), chars);
            if best.0 < long && find_word(e.group(LONG), t).is_some() {
                best = (long, LONG);
            }
        }
        (best.0 > 0).then_some(best)
    }
}

/// The order of results: higher score, then shorter title, then kind, then id.
pub(crate) fn by_rank(index: &Index, a: &(i32, u32), b: &(i32, u32)) -> Ordering {
    let (ea, eb) = (index.entry(a.1), index.entry(b.1));
    let key = |s: i32, e: Option<&Entry>| {
        (
            Reverse(s),
            e.map_or(u16::MAX, |e| e.title_chars),
            e.map_or(u8::MAX, kind_rank),
        )
    };
    key(a.0, ea)
        .cmp(&key(b.0, eb))
        .then_with(|| {
            let id = |e: Option<&Entry>| e.map(|e| e.folded_id().to_string());
            id(ea).cmp(&id(eb))
        })
        .then(a.1.cmp(&b.1))
}

/// The order of an empty query's list: kind, then title (without regard to case), then id.
pub(crate) fn by_title(index: &Index, a: &(i32, u32), b: &(i32, u32)) -> Ordering {
    let (ea, eb) = (index.entry(a.1), index.entry(b.1));
    let rank = |e: Option<&Entry>| e.map_or(u8::MAX, kind_rank);
    rank(ea)
        .cmp(&rank(eb))
        .then_with(|| {
            let t = |e: Option<&Entry>| {
                e.map(|e| e.group(TITLE).to_lowercase())
                    .unwrap_or_default()
            };
            t(ea).cmp(&t(eb))
        })
        .then_with(|| {
            let id = |e: Option<&Entry>| e.map(|e| e.folded_id().to_string());
            id(ea).cmp(&id(eb))
        })
        .then(a.1.cmp(&b.1))
}

/// Puts the best `limit` hits first, in order, and drops the rest.
pub(crate) fn top(index: &Index, hits: &mut Vec<(i32, u32)>, limit: usize, empty_query: bool) {
    let cmp = |a: &(i32, u32), b: &(i32, u32)| {
        if empty_query {
            by_title(index, a, b)
        } else {
            by_rank(index, a, b)
        }
    };
    if limit == 0 {
        hits.clear();
        return;
    }
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit - 1, cmp);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(cmp);
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The record to open: for a voucher type, its scheme.
    pub kind: Kind,
    pub id: String,
    /// The voucher type's code, when the hit is a voucher type inside the scheme `id`.
    pub voucher_type: Option<String>,
    /// What the hit is, for people ("practice", "voucher type").
    pub label: &'static str,
    pub score: i32,
    /// The title as stored, made safe to draw (control characters and direction overrides are
    /// replaced one for one, so `title_marks` still index it).
    pub title: String,
    /// The matched characters of the title, as char indices, ascending.
    pub title_marks: Vec<usize>,
    /// Other fields where a term matched, in the order title-keys-context-kind-long.
    pub fields: Vec<FieldHit>,
}

/// A field other than the title where a term matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldHit {
    /// The field ("owner", "city", "partner", "description").
    pub label: &'static str,
    /// The field's text, or for long text an excerpt around the match with "…" where cut;
    /// safe to draw like [`Hit::title`].
    pub text: String,
    /// Matched characters of `text`, as char indices, ascending.
    pub marks: Vec<usize>,
}

/// Replaces characters that could disturb a terminal, one for one.
fn safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{1b}' => '␛',
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Characters either side of a match kept in an excerpt of long text.
const EXCERPT_BEFORE: usize = 30;
const EXCERPT_LEN: usize = 100;

/// Where one term matched: byte offsets into the entry's text with their group, or char indices
/// into the kind words.
enum Marks {
    Text(usize, Vec<usize>),
    Kind(Vec<usize>),
}

fn term_marks(p: &Prepared, e: &Entry, i: usize, t: &Term, m: &SkimMatcherV2) -> Option<Marks> {
    let (_, g) = p.score_term(e, i, t, m)?;
    if g == KIND_WORDS {
        let words = fields::kind_words(e.kind, e.is_type());
        let chars = if t.exact {
            let (s, end) = find_exact(words, t)?;
            let first = words[..s].chars().count();
            (first..first + words[s..end].chars().count()).collect()
        } else {
            m.fuzzy_indices(words, &t.text)?.1
        };
        return Some(Marks::Kind(chars));
    }
    let (start, _) = e.range(g);
    let hay = e.group(g);
    let bytes: Vec<usize> = if t.exact {
        let (s, end) = find_exact(hay, t)?;
        hay[s..end].char_indices().map(|(b, _)| start + s + b).collect()
    } else if g == LONG {
        let (s, end) = find_word(hay, t)?;
        hay[s..end]
            .char_indices()
            .filter(|(_, c)| !matches!(c, '-' | '\'' | '.') || t.text.contains(*c))
            .map(|(b, _)| start + s + b)
            .collect()
    } else {
        let (_, chars) = m.fuzzy_indices(hay, &t.text)?;
        let offsets: Vec<usize> = hay.char_indices().map(|(b, _)| b).collect();
        chars
            .into_iter()
            .filter_map(|c| offsets.get(c).map(|b| start + b))
            .collect()
    };
    Some(Marks::Text(g, bytes))
}

/// Builds the hit for one entry: original text, labels, marks.
pub(crate) fn hit(
    p: &Prepared,
    index: &Index,
    slot: u32,
    score: i32,
    m: &SkimMatcherV2,
) -> Option<Hit> {
    let e = index.entry(slot)?;
    let is_type = e.is_type();
    let mut marks: Vec<(usize, usize)> = Vec::new(); // (group, byte offset in text)
    let mut kind_marks: Option<Vec<usize>> = None;
    for (i, t) in p.query.terms.iter().enumerate() {
        match term_marks(p, e, i, t, m) {
            Some(Marks::Text(g, bytes)) => marks.extend(bytes.into_iter().map(|b| (g, b))),
            Some(Marks::Kind(chars)) => kind_marks.get_or_insert_with(Vec::new).extend(chars),
            None => {}
        }
    }
    marks.sort_unstable();
    marks.dedup();

    // Split every group into its fields and give each field its marks.
    let mut title = String::new();
    let mut title_marks = Vec::new();
    let mut out_fields = Vec::new();
    for g in [TITLE, KEYS, CONTEXT, KIND_WORDS, LONG] {
        if g == KIND_WORDS {
            if let Some(mut chars) = kind_marks.take() {
                chars.sort_unstable();
                chars.dedup();
                out_fields.push(FieldHit {
                    label: "kind",
                    text: fields::kind_words(e.kind, is_type).to_string(),
                    marks: chars,
                });
            }
            continue;
        }
        let (gs, ge) = e.range(g);
        let in_group: Vec<usize> = marks
            .iter()
            .filter(|(mg, _)| *mg == g)
            .map(|(_, b)| *b)
            .collect();
        if g != TITLE && in_group.is_empty() {
            continue;
        }
        let mut seg_start = gs;
        for (n, seg) in e.text[gs..ge].split(SEP).enumerate() {
            let seg_end = seg_start + seg.len();
            let here: Vec<usize> = in_group
                .iter()
                .copied()
                .filter(|b| *b >= seg_start && *b < seg_end)
                .collect();
            if g == TITLE || !here.is_empty() {
                let (orig, map) =
                    fold::original_with_map(&e.text, &e.patches, seg_start, seg_end);
                let folded_offsets: Vec<usize> = e.text[seg_start..seg_end]
                    .char_indices()
                    .map(|(b, _)| seg_start + b)
                    .collect();
                let mut chars: Vec<usize> = here
                    .iter()
                    .filter_map(|b| folded_offsets.binary_search(b).ok())
                    .filter_map(|c| map.get(c).copied())
                    .collect();
                chars.dedup();
                if g == TITLE {
                    title = safe(&orig);
                    title_marks = chars;
                } else {
                    let label = match g {
                        KEYS => fields::key_labels(e.kind, is_type)
                            .get(n)
                            .copied()
                            .unwrap_or(""),
                        CONTEXT => e
                            .refs
                            .get(n)
                            .and_then(|r| (*r != NONE).then(|| index.entry(*r)).flatten())
                            .map_or("", |r| fields::label(r.kind, r.is_type())),
                        _ => fields::long_labels(e.kind, is_type)
                            .get(n)
                            .copied()
                            .unwrap_or(""),
                    };
                    let (text, chars) = if g == LONG {
                        excerpt(&orig, &chars)
                    } else {
                        (safe(&orig), chars)
                    };
                    out_fields.push(FieldHit {
                        label,
                        text,
                        marks: chars,
                    });
                }
            }
            seg_start = seg_end + 1;
        }
    }
    Some(Hit {
        kind: e.kind,
        id: e.id(),
        voucher_type: e.sub.as_deref().map(str::to_string),
        label: fields::label(e.kind, is_type),
        score,
        title,
        title_marks,
        fields: out_fields,
    })
}

/// A window of long text around its first mark, with the marks moved into it.
fn excerpt(text: &str, marks: &[usize]) -> (String, Vec<usize>) {
    let chars: Vec<char> = text.chars().collect();
    let first = marks.first().copied().unwrap_or(0);
    let start = first.saturating_sub(EXCERPT_BEFORE);
    let end = (start + EXCERPT_LEN).min(chars.len());
    let mut out = String::new();
    let lead = usize::from(start > 0);
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    let marks = marks
        .iter()
        .filter(|c| **c >= start && **c < end)
        .map(|c| c - start + lead)
        .collect();
    (safe(&out), marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(s: &str) -> Term {
        Query::parse(s).terms.remove(0)
    }

    #[test]
    fn the_bound_holds_for_the_matcher() {
        let m = matcher();
        let texts = [
            "a",
            "ab",
            "Maribor",
            "Joint presentations of Slovenian economy at fairs",
            "aaaa aaaa aaaa",
            "E-commerce support for SMEs",
            "ABC abc AbC",
        ];
        for text in texts {
            for pattern in ["a", "ab", "aaa", "mar", "fair", "ecomm", "abc", "s", "Ab"] {
                if let Some(s) = m.fuzzy_match(text, pattern) {
                    assert!(
                        (s as i32) <= fuzzy_bound(pattern.chars().count()),
                        "{pattern} in {text}: {s}"
                    );
                }
                // The pre-check never refuses what the matcher would take.
                if m.fuzzy_match(text, pattern).is_some() {
                    assert!(precheck(text.as_bytes(), &term(pattern)), "{pattern} in {text}");
                }
            }
        }
    }

    #[test]
    fn precheck_and_finds() {
        assert!(precheck(b"Maribor Development", &term("mdev")));
        assert!(!precheck(b"Maribor Development", &term("vedm")));
        assert!(!precheck(b"maribor", &term("Mar")));
        assert!(precheck(b"Maribor", &term("Mar")));
        assert_eq!(find_exact("Study visit Maribor", &term("\"visit\"")), Some((6, 11)));
        assert_eq!(find_exact("Study VISIT", &term("\"visit\"")), Some((6, 11)));
        assert_eq!(find_exact("Study visit", &term("\"Visit\"")), None);
        // Whole words or their starts, with hyphens skipped.
        assert_eq!(find_word("the e-commerce support", &term("ecomm")), Some((4, 10)));
        assert_eq!(find_word("the e-commerce support", &term("commerce")), Some((6, 14)));
        assert_eq!(find_word("ecommerce", &term("comm")), None);
        assert_eq!(find_word("a fairs b", &term("fair")), Some((2, 6)));
        assert_eq!(find_word("affair", &term("fair")), None);
        assert_eq!(find_word("x", &term("xyz")), None);
    }

    #[test]
    fn excerpts_keep_marks_in_place() {
        let text = format!("{}needle{}", "a".repeat(50), "b".repeat(200));
        let (ex, marks) = excerpt(&text, &[50, 51]);
        assert!(ex.starts_with('…') && ex.ends_with('…'));
        let chars: Vec<char> = ex.chars().collect();
        assert_eq!(chars[marks[0]], 'n');
        assert_eq!(chars[marks[1]], 'e');
        let (ex, marks) = excerpt("short text", &[6]);
        assert_eq!(ex, "short text");
        assert_eq!(marks, [6]);
        assert_eq!(safe("a\u{1b}[2J\nb\u{202e}"), "a␛[2J b\u{fffd}");
    }
}
