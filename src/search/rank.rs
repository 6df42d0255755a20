//! Matching and ranking: how well an entry matches a query, and what to highlight.
//!
//! Each term is scored on its own and the scores add up; every term must match somewhere, and
//! every term counts alike (a term's score is the matcher's score as a share of the best a term
//! of that length can get, times the weight of where it matched):
//! - fuzzily (`SkimMatcherV2`) in the title (weight 10), the key fields (7), the names of the
//!   records it refers to (5), or the words that name its kind (4);
//! - or, as a whole word or the start of one, in the long text (3; hyphens and apostrophes inside
//!   a word may be left out, so `ecommerce` finds "e-commerce"), for terms of three letters or
//!   more;
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

use std::sync::atomic::{AtomicI32, AtomicU8, Ordering as Atomic};

use super::dict::EMPTY;
use super::fields;
use super::fold::{self, SEP};
use super::index::NONE;
use super::query::{Kinds, Query, Term};
use super::view::{Head, View};
use crate::model::Kind;

pub(crate) const W_TITLE: i32 = 10;
pub(crate) const W_KEYS: i32 = 7;
pub(crate) const W_CONTEXT: i32 = 5;
pub(crate) const W_KIND: i32 = 4;
pub(crate) const W_LONG: i32 = 3;

/// The highest score `SkimMatcherV2` (with the settings of [`matcher`]) gives a pattern of `n`
/// characters: 16 a character, plus at most 6 for every character after the first (a run of
/// camelCase humps; a run of consecutive letters earns 4) and 15 for the first (a match at the
/// very start of the text). A whole word at the start of a text scores `20n + 11`.
pub(crate) fn fuzzy_bound(chars: usize) -> i32 {
    22 * chars as i32 + 10
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

/// The score the matcher gives a contiguous piece of `chars` characters inside a text: `20n + 3`
/// at the start of a word, `20n - 5` inside one.
pub(crate) fn exact_score(chars: usize, word_start: bool) -> i32 {
    let n = chars as i32;
    if word_start { 20 * n + 3 } else { 20 * n - 5 }
}

/// What a perfect match of a term is worth before its weight.
pub(crate) const UNIT: i32 = 1000;

/// A raw score as a share of the best a term of `chars` characters can get, in [`UNIT`]s:
/// every term counts alike, however long it is (in "fair vouchers" the short word matters as
/// much as the long one).
pub(crate) fn share(raw: i64, chars: usize) -> i32 {
    ((raw * UNIT as i64 / fuzzy_bound(chars.max(1)) as i64) as i32).clamp(1, UNIT)
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

/// Position of an entry's target in per-kind tables: the kinds, then voucher types.
fn target(kind: Kind, is_type: bool) -> usize {
    if is_type {
        Kind::ALL.len()
    } else {
        kind as usize
    }
}

/// The order of kinds in ties: a voucher type comes right after its scheme.
fn kind_rank(e: &Head) -> u8 {
    2 * e.kind as u8 + u8::from(e.is_type())
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
pub(crate) fn find_exact<H: AsRef<[u8]> + ?Sized>(hay: &H, t: &Term) -> Option<(usize, usize)> {
    let h = hay.as_ref();
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
pub(crate) fn find_word<H: AsRef<[u8]> + ?Sized>(hay: &H, t: &Term) -> Option<(usize, usize)> {
    let h = hay.as_ref();
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

fn word_start(hay: &[u8], at: usize) -> bool {
    at == 0 || !is_word_byte(hay[at - 1])
}

/// How well one term matches one short text, as a share of a perfect match (0: not at all).
fn text_share(hay: &str, t: &Term, chars: usize, m: &SkimMatcherV2) -> i32 {
    if t.exact {
        return find_exact(hay, t).map_or(0, |(s, _)| {
            share(
                exact_score(chars, word_start(hay.as_bytes(), s)).into(),
                chars,
            )
        });
    }
    if hay.len() < t.text.len() || !precheck(hay.as_bytes(), t) {
        return 0;
    }
    match m.fuzzy_match(hay, &t.text) {
        Some(raw) if raw >= fuzzy_floor(chars) => share(raw, chars),
        _ => 0,
    }
}

/// How well one term matches an id or long text: whole words (or their starts) for a plain
/// term, the piece itself for a quoted one. Returns the share and the byte range.
fn word_share(hay: &[u8], t: &Term, chars: usize) -> Option<(i32, (usize, usize))> {
    if t.exact {
        let (s, e) = find_exact(hay, t)?;
        Some((
            share(exact_score(chars, word_start(hay, s)).into(), chars),
            (s, e),
        ))
    } else {
        let range = find_word(hay, t)?;
        Some((share(exact_score(chars, true).into(), chars), range))
    }
}

/// Where in an entry a term matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    Title,
    /// A key field, by its position after the id.
    Key(usize),
    Id,
    /// The name of the n-th referenced record.
    Context(usize),
    KindWords,
    Long,
}

const UNKNOWN: i32 = i32::MIN;

/// Long text is searched for terms of at least this many characters (or quoted ones): one or
/// two letters begin a word in almost every description, which says nothing.
pub(crate) const MIN_LONG: usize = 3;

/// A query made ready for matching against one index.
pub(crate) struct Prepared {
    pub query: Query,
    pub kinds: Kinds,
    /// Characters of each term.
    chars: Vec<usize>,
    /// Per target, per term: the weighted score of the kind words (0: no match).
    kind_scores: Vec<Vec<i32>>,
    /// Per term, per dictionary text: its share, computed the first time it is needed.
    memo: Vec<Vec<AtomicI32>>,
    /// Per excluded term, per dictionary text: 0 not known yet, 1 absent, 2 present.
    excluded_memo: Vec<Vec<AtomicU8>>,
}

impl Prepared {
    pub fn new<V: View>(query: Query, kinds: Kinds, index: &V) -> Prepared {
        let m = matcher();
        let chars: Vec<usize> = query.terms.iter().map(|t| t.text.chars().count()).collect();
        let kind_scores = (0..=Kind::ALL.len())
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
                    .zip(&chars)
                    .map(|(term, n)| W_KIND * text_share(words, term, *n, &m))
                    .collect()
            })
            .collect();
        let size = index.dict_capacity();
        let table = |v| (0..size).map(|_| AtomicI32::new(v)).collect::<Vec<_>>();
        Prepared {
            memo: query.terms.iter().map(|_| table(UNKNOWN)).collect(),
            excluded_memo: query
                .excluded
                .iter()
                .map(|_| (0..size).map(|_| AtomicU8::new(0)).collect())
                .collect(),
            query,
            kinds,
            chars,
            kind_scores,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.query.is_empty()
    }

    /// The share of term `i` in dictionary text `id`, memoised for the query.
    fn text<V: View>(&self, index: &V, i: usize, id: u32, m: &SkimMatcherV2) -> i32 {
        if id == EMPTY {
            return 0;
        }
        let Some(cell) = self.memo[i].get(id as usize) else {
            return text_share(index.text(id), &self.query.terms[i], self.chars[i], m);
        };
        let known = cell.load(Atomic::Relaxed);
        if known != UNKNOWN {
            return known;
        }
        let v = text_share(index.text(id), &self.query.terms[i], self.chars[i], m);
        cell.store(v, Atomic::Relaxed);
        v
    }

    fn excluded_in<V: View>(&self, index: &V, x: usize, id: u32) -> bool {
        if id == EMPTY {
            return false;
        }
        let term = &self.query.excluded[x];
        let Some(cell) = self.excluded_memo[x].get(id as usize) else {
            return find_exact(index.text(id), term).is_some();
        };
        match cell.load(Atomic::Relaxed) {
            1 => false,
            2 => true,
            _ => {
                let found = find_exact(index.text(id), term).is_some();
                cell.store(if found { 2 } else { 1 }, Atomic::Relaxed);
                found
            }
        }
    }

    /// The entry's score, or `None` when it does not match.
    pub fn score<V: View>(&self, index: &V, e: &Head, m: &SkimMatcherV2) -> Option<i32> {
        if !self.kinds.admits(e.kind, e.is_type()) {
            return None;
        }
        for (x, term) in self.query.excluded.iter().enumerate() {
            let in_texts = std::iter::once(e.title)
                .chain(index.keys(e).iter())
                .chain(index.ctx(e).iter())
                .any(|id| self.excluded_in(index, x, id));
            if in_texts || find_exact(index.own_text(e), term).is_some() {
                return None;
            }
        }
        if self.query.terms.is_empty() {
            return Some(0);
        }
        let mut total = 0;
        for i in 0..self.query.terms.len() {
            total += self.score_term(index, e, i, m)?.0;
        }
        Some(total - length_penalty(index.title_chars(e)))
    }

    /// The best weighted score of term `i` in the entry and where it came from.
    pub fn score_term<V: View>(
        &self,
        index: &V,
        e: &Head,
        i: usize,
        m: &SkimMatcherV2,
    ) -> Option<(i32, Place)> {
        let t = &self.query.terms[i];
        let n = self.chars[i];
        let mut best = (0, Place::Title);
        let consider = |score: i32, place: Place, best: &mut (i32, Place)| {
            if score > best.0 {
                *best = (score, place);
            }
        };
        consider(
            W_TITLE * self.text(index, i, e.title, m),
            Place::Title,
            &mut best,
        );
        if best.0 < W_KEYS * UNIT {
            for (k, id) in index.keys(e).iter().enumerate() {
                consider(
                    W_KEYS * self.text(index, i, id, m),
                    Place::Key(k),
                    &mut best,
                );
            }
            if let Some((s, _)) = word_share(e.id.as_bytes(), t, n) {
                consider(W_KEYS * s, Place::Id, &mut best);
            }
        }
        if best.0 < W_CONTEXT * UNIT {
            for (k, id) in index.ctx(e).iter().enumerate() {
                consider(
                    W_CONTEXT * self.text(index, i, id, m),
                    Place::Context(k),
                    &mut best,
                );
            }
        }
        consider(
            self.kind_scores[target(e.kind, e.is_type())][i],
            Place::KindWords,
            &mut best,
        );
        let long_best = W_LONG * share(exact_score(n, true).into(), n);
        if best.0 < long_best
            && (n >= MIN_LONG || t.exact)
            && let Some((s, _)) = word_share(index.long(e), t, n)
        {
            consider(W_LONG * s, Place::Long, &mut best);
        }
        (best.0 > 0).then_some(best)
    }
}

/// The cost of a long title: 3 a character, at most 360 (a perfect title match of one term is
/// worth 10,000).
fn length_penalty(title_chars: u16) -> i32 {
    3 * i32::from(title_chars.min(120))
}

/// The order of results: higher score, then shorter title, then kind, then id.
pub(crate) fn by_rank<V: View>(index: &V, a: &(i32, u32), b: &(i32, u32)) -> Ordering {
    let (ea, eb) = (index.head(a.1), index.head(b.1));
    let key = |s: i32, e: Option<&Head>| {
        (
            Reverse(s),
            e.map_or(u16::MAX, |e| index.title_chars(e)),
            e.map_or(u8::MAX, kind_rank),
        )
    };
    key(a.0, ea.as_ref())
        .cmp(&key(b.0, eb.as_ref()))
        .then_with(|| ea.as_ref().map(|e| e.id).cmp(&eb.as_ref().map(|e| e.id)))
        .then(a.1.cmp(&b.1))
}

/// The order of an empty query's list: kind, then title (without regard to case), then id.
pub(crate) fn by_title<V: View>(index: &V, a: &(i32, u32), b: &(i32, u32)) -> Ordering {
    let (ea, eb) = (index.head(a.1), index.head(b.1));
    let rank = |e: Option<&Head>| e.map_or(u8::MAX, kind_rank);
    let title = |e: Option<&Head>| {
        e.map_or("", |e| index.text(e.title))
            .bytes()
            .map(|b| b.to_ascii_lowercase())
    };
    rank(ea.as_ref())
        .cmp(&rank(eb.as_ref()))
        .then_with(|| title(ea.as_ref()).cmp(title(eb.as_ref())))
        .then_with(|| ea.as_ref().map(|e| e.id).cmp(&eb.as_ref().map(|e| e.id)))
        .then(a.1.cmp(&b.1))
}

/// The leading part of [`by_rank`]'s order as one number: score (higher first), title length,
/// kind. Equal numbers are told apart by the rest of the order (the id, the slot).
fn rank_key<V: View>(index: &V, score: i32, slot: u32) -> u64 {
    let e = index.head(slot);
    let (chars, kind) = e.as_ref().map_or((u16::MAX, u8::MAX), |e| {
        (index.title_chars(e), kind_rank(e))
    });
    let score = !((score as u32) ^ 0x8000_0000);
    (u64::from(score) << 32) | (u64::from(chars) << 8) | u64::from(kind)
}

/// The leading part of [`by_title`]'s order as one number: kind, then the first seven bytes of
/// the title without regard to case.
fn title_key<V: View>(index: &V, slot: u32) -> u64 {
    let Some(e) = index.head(slot) else {
        return u64::from(u8::MAX) << 56;
    };
    let mut key = u64::from(kind_rank(&e)) << 56;
    for (i, b) in index.text(e.title).bytes().take(7).enumerate() {
        key |= u64::from(b.to_ascii_lowercase()) << (48 - 8 * i);
    }
    key
}

/// Where a hit falls in the order of [`top`]: the leading number and, for an empty query, the
/// whole title without regard to case (the rest of the order is the id and the slot).
pub(crate) fn place<V: View>(
    index: &V,
    score: i32,
    slot: u32,
    empty_query: bool,
) -> (u64, Vec<u8>) {
    if empty_query {
        let title = index.head(slot).map_or_else(Vec::new, |e| {
            index
                .text(e.title)
                .bytes()
                .map(|b| b.to_ascii_lowercase())
                .collect()
        });
        (title_key(index, slot), title)
    } else {
        (rank_key(index, score, slot), Vec::new())
    }
}

/// Puts the best `limit` hits first, in order, and drops the rest. Each hit's entry is looked
/// up once, for a number that orders it ahead of most others (see [`rank_key`], [`title_key`]);
/// only hits whose numbers tie are compared in full.
pub(crate) fn top<V: View>(index: &V, hits: &mut Vec<(i32, u32)>, limit: usize, empty_query: bool) {
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
    let mut keyed: Vec<(u64, (i32, u32))> = hits
        .iter()
        .map(|&(score, slot)| {
            let key = if empty_query {
                title_key(index, slot)
            } else {
                rank_key(index, score, slot)
            };
            (key, (score, slot))
        })
        .collect();
    if keyed.len() > limit {
        keyed.select_nth_unstable_by_key(limit - 1, |k| k.0);
        let cut = keyed[limit - 1].0;
        // Every hit that ties with the last one kept stays until the full order decides.
        keyed.retain(|k| k.0 <= cut);
    }
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| cmp(&a.1, &b.1)));
    keyed.truncate(limit);
    hits.clear();
    hits.extend(keyed.into_iter().map(|(_, hit)| hit));
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

/// Replaces characters that could disturb a terminal, one for one, as everywhere else.
fn safe(text: &str) -> String {
    crate::model::text::sanitize(text, false)
}

/// Characters either side of a match kept in an excerpt of long text.
const EXCERPT_BEFORE: usize = 30;
const EXCERPT_LEN: usize = 100;

/// Char indices (into the original text) of the folded characters at `bytes` (offsets into
/// `folded[start..end]`, relative to `start`), with the original text.
fn original_marks(
    folded: &str,
    patches: &[fold::Patch],
    start: usize,
    end: usize,
    bytes: &[usize],
) -> (String, Vec<usize>) {
    let (orig, map) = fold::original_with_map(folded, patches, start, end);
    let offsets: Vec<usize> = folded[start..end].char_indices().map(|(b, _)| b).collect();
    let mut chars: Vec<usize> = bytes
        .iter()
        .filter_map(|b| offsets.binary_search(b).ok())
        .filter_map(|c| map.get(c).copied())
        .collect();
    chars.sort_unstable();
    chars.dedup();
    (orig, chars)
}

/// Byte offsets of the characters a term matched in a short folded text.
fn marks_in(hay: &str, t: &Term, m: &SkimMatcherV2) -> Vec<usize> {
    if t.exact {
        return find_exact(hay, t).map_or(Vec::new(), |(s, e)| {
            hay[s..e].char_indices().map(|(b, _)| s + b).collect()
        });
    }
    let Some((_, chars)) = m.fuzzy_indices(hay, &t.text) else {
        return Vec::new();
    };
    let offsets: Vec<usize> = hay.char_indices().map(|(b, _)| b).collect();
    chars
        .into_iter()
        .filter_map(|c| offsets.get(c).copied())
        .collect()
}

/// Builds the hit for one entry: original text, labels, marks.
pub(crate) fn hit<V: View>(
    p: &Prepared,
    index: &V,
    slot: u32,
    score: i32,
    m: &SkimMatcherV2,
) -> Option<Hit> {
    let e = index.head(slot)?;
    let e = &e;
    let is_type = e.is_type();
    let key = |k: usize| index.keys(e).get(k).unwrap_or(EMPTY);
    let ctx = |k: usize| index.ctx(e).get(k).unwrap_or(EMPTY);
    // Byte offsets of matched characters, by place.
    let mut places: Vec<(Place, Vec<usize>)> = Vec::new();
    let mut add =
        |place: Place, bytes: Vec<usize>| match places.iter_mut().find(|(p, _)| *p == place) {
            Some((_, b)) => b.extend(bytes),
            None => places.push((place, bytes)),
        };
    for (i, t) in p.query.terms.iter().enumerate() {
        let Some((_, place)) = p.score_term(index, e, i, m) else {
            continue;
        };
        let n = p.chars[i];
        let bytes = match place {
            Place::Title => marks_in(index.text(e.title), t, m),
            Place::Key(k) => marks_in(index.text(key(k)), t, m),
            Place::Context(k) => marks_in(index.text(ctx(k)), t, m),
            Place::KindWords => marks_in(fields::kind_words(e.kind, is_type), t, m),
            Place::Id => word_share(e.id.as_bytes(), t, n)
                .map_or(Vec::new(), |(_, (s, end))| (s..end).collect()),
            Place::Long => word_share(index.long(e), t, n).map_or(Vec::new(), |(_, (s, end))| {
                let Some(long) = std::str::from_utf8(index.long(e)).ok() else {
                    return Vec::new();
                };
                long.get(s..end)
                    .unwrap_or("")
                    .char_indices()
                    .filter(|(_, c)| !matches!(c, '-' | '\'' | '.') || t.text.contains(*c))
                    .map(|(b, _)| index.long_start(e) + s + b)
                    .collect()
            }),
        };
        add(place, bytes);
    }
    places.sort_by_key(|(p, _)| *p);

    let dict_text = |id: u32, bytes: &[usize]| {
        let folded = index.text(id);
        let patches = index.text_patches(id);
        if !fold::patches_fit(folded, &patches) {
            return (folded.to_string(), Vec::new());
        }
        original_marks(folded, &patches, 0, folded.len(), bytes)
    };
    let own = std::str::from_utf8(index.own_text(e)).unwrap_or("");
    let own_patches = index.own_patches(e);
    let own_patches: &[fold::Patch] = if fold::patches_fit(own, &own_patches) {
        &own_patches
    } else {
        &[]
    };
    let (title, mut title_marks) = (index.title_of(e), Vec::new());
    let mut out = Vec::new();
    for (place, mut bytes) in places {
        bytes.sort_unstable();
        bytes.dedup();
        match place {
            Place::Title => title_marks = dict_text(e.title, &bytes).1,
            Place::Key(k) => {
                let (text, marks) = dict_text(key(k), &bytes);
                let label = fields::key_labels(e.kind, is_type)
                    .get(k + 1)
                    .copied()
                    .unwrap_or("");
                out.push(FieldHit {
                    label,
                    text: safe(&text),
                    marks,
                });
            }
            Place::Context(k) => {
                let (text, marks) = dict_text(ctx(k), &bytes);
                let label = index
                    .refs(e)
                    .get(k)
                    .and_then(|r| (r != NONE).then(|| index.head(r)).flatten())
                    .map_or("", |r| fields::label(r.kind, r.is_type()));
                out.push(FieldHit {
                    label,
                    text: safe(&text),
                    marks,
                });
            }
            Place::Id => {
                let end = (e.id_len as usize).min(own.len());
                if !own.is_char_boundary(end) {
                    continue;
                }
                let (text, marks) = original_marks(own, own_patches, 0, end, &bytes);
                out.push(FieldHit {
                    label: "id",
                    text: safe(&text),
                    marks,
                });
            }
            Place::KindWords => {
                let words = fields::kind_words(e.kind, is_type);
                let marks = bytes.iter().map(|b| words[..*b].chars().count()).collect();
                out.push(FieldHit {
                    label: "kind",
                    text: words.to_string(),
                    marks,
                });
            }
            Place::Long => {
                // Each long field on its own, cut to an excerpt around its first mark.
                let mut seg_start = index.long_start(e);
                let long = own.get(seg_start..).unwrap_or("");
                for (n, seg) in long.split(SEP).enumerate() {
                    let seg_end = seg_start + seg.len();
                    let here: Vec<usize> = bytes
                        .iter()
                        .filter(|b| **b >= seg_start && **b < seg_end)
                        .map(|b| b - seg_start)
                        .collect();
                    if !here.is_empty() {
                        let (orig, marks) =
                            original_marks(own, own_patches, seg_start, seg_end, &here);
                        let (text, marks) = excerpt(&orig, &marks);
                        let label = fields::long_labels(e.kind, is_type)
                            .get(n)
                            .copied()
                            .unwrap_or("");
                        out.push(FieldHit { label, text, marks });
                    }
                    seg_start = seg_end + 1;
                }
            }
        }
    }
    Some(Hit {
        kind: e.kind,
        id: index.id_of(e),
        voucher_type: e.sub.map(str::to_string),
        label: fields::label(e.kind, is_type),
        score,
        title: safe(&title),
        title_marks,
        fields: out,
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
    use crate::search::view::View;

    fn term(s: &str) -> Term {
        Query::parse(s).terms.remove(0)
    }

    /// fuzzy-matcher 0.3.7 reuses its score matrix between calls and, in its two-row mode
    /// (`fuzzy_match`), leaves cells of an earlier call in it (skim-rs/skim#1071): a text's
    /// score then depended on what the same thread matched before it. A text scores the same
    /// whatever came before.
    #[test]
    fn a_text_scores_the_same_whatever_was_matched_before() {
        let alphabet: Vec<char> = "aAbBcC dD-e.E1/fFz".chars().collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let shared = matcher();
        for _ in 0..20_000 {
            let len = 1 + (next() % 60) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let plen = 1 + (next() % 6) as usize;
            let pattern: String = (0..plen)
                .map(|_| "abcdefz"[(next() % 7) as usize..].chars().next().unwrap())
                .collect();
            assert_eq!(
                shared.fuzzy_match(&text, &pattern),
                matcher().fuzzy_match(&text, &pattern),
                "{pattern} in {text}"
            );
            assert_eq!(
                shared.fuzzy_indices(&text, &pattern),
                matcher().fuzzy_indices(&text, &pattern),
                "{pattern} in {text}"
            );
        }
    }

    #[test]
    fn the_bound_and_the_exact_scores_agree_with_the_matcher() {
        let m = matcher();
        // Contiguous pieces score what exact_score says.
        assert_eq!(
            m.fuzzy_match("x Pecs", "pecs"),
            Some(exact_score(4, true) as i64)
        );
        assert_eq!(
            m.fuzzy_match("Thematic", "mati"),
            Some(exact_score(4, false) as i64)
        );
        assert_eq!(m.fuzzy_match("Pecs", "pecs"), Some(20 * 4 + 11));
        // No text scores above the bound: random texts of mixed case, digits and separators.
        let alphabet: Vec<char> = "aAbBcC dD-e.E1/fF".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = 1 + (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let plen = 1 + (next() % 6) as usize;
            let pattern: String = (0..plen)
                .map(|_| "abcdef1"[(next() % 7) as usize..].chars().next().unwrap())
                .collect();
            if let Some(s) = m.fuzzy_match(&text, &pattern) {
                assert!(
                    s <= fuzzy_bound(plen) as i64,
                    "{pattern} in {text}: {s} > {}",
                    fuzzy_bound(plen)
                );
            }
        }
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
                    assert!(
                        precheck(text.as_bytes(), &term(pattern)),
                        "{pattern} in {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_best_hits_come_in_the_full_order_whatever_ties_the_keys_hold() {
        let index = crate::search::test_index();
        let n = index.slot_count() as u32;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..200 {
            // Few distinct scores, so that many hits tie; slots out of range too.
            let mut hits: Vec<(i32, u32)> = Vec::new();
            for slot in 0..n + 3 {
                let r = next();
                if r % 3 != 0 {
                    hits.push(((r >> 8) as i32 % 4 * 1000 - 500, slot));
                }
            }
            let empty = round % 2 == 0;
            let limit = [0, 1, 2, 5, 17, usize::MAX][round % 6];
            let mut expected = hits.clone();
            expected.sort_by(|a, b| {
                if empty {
                    by_title(&index, a, b)
                } else {
                    by_rank(&index, a, b)
                }
            });
            expected.truncate(limit);
            let mut got = hits;
            top(&index, &mut got, limit, empty);
            assert_eq!(got, expected, "round {round}");
        }
    }

    #[test]
    fn precheck_and_finds() {
        assert!(precheck(b"Maribor Development", &term("mdev")));
        assert!(!precheck(b"Maribor Development", &term("vedm")));
        assert!(!precheck(b"maribor", &term("Mar")));
        assert!(precheck(b"Maribor", &term("Mar")));
        assert_eq!(
            find_exact("Study visit Maribor", &term("\"visit\"")),
            Some((6, 11))
        );
        assert_eq!(find_exact("Study VISIT", &term("\"visit\"")), Some((6, 11)));
        assert_eq!(find_exact("Study visit", &term("\"Visit\"")), None);
        // Whole words or their starts, with hyphens skipped.
        assert_eq!(
            find_word("the e-commerce support", &term("ecomm")),
            Some((4, 10))
        );
        assert_eq!(
            find_word("the e-commerce support", &term("commerce")),
            Some((6, 14))
        );
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
