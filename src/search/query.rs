//! The query language: terms, a kind prefix, quoted phrases, exclusions, smart case.
//!
//! ```text
//! vouch fair              every term must match (fuzzy), in any order
//! p: coventry ecomm       a kind prefix narrows the search (here: practices)
//! p,m: maribor            several kinds
//! "study visit" maribor   a quoted phrase matches exactly, as one piece
//! fair !milan             a term starting with ! excludes records that contain it
//! Maribor                 a capital letter (A–Z, also É, Ł…) makes that term case-sensitive
//! ```
//! Diacritics never matter: `pecs` and `Pecs` find Pécs. The prefixes are listed in [`PREFIXES`].

use super::fold::fold;
use crate::model::Kind;

/// A set of things a search may return: the kinds of record, and voucher types (which live
/// inside a voucher scheme and are found on their own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Kinds(u16);

/// The bit of voucher types in [`Kinds`].
const TYPES: u16 = 1 << 15;

// Every kind has a bit below the voucher types' one (bits 0 to 14).
const _: () = assert!(
    Kind::ALL.len() <= 15,
    "Kinds holds at most 15 kinds: widen it"
);

impl Kinds {
    /// Nothing.
    pub const NONE: Kinds = Kinds(0);

    /// What a search without a prefix covers: every kind except scores, which are numbers
    /// filed under a practice (`score:` searches them).
    pub fn everything() -> Kinds {
        Kinds::all().without(Kind::Score)
    }

    /// Every kind and voucher types.
    pub fn all() -> Kinds {
        Kind::ALL.iter().fold(Kinds(TYPES), |set, k| set.with(*k))
    }

    /// Voucher types only.
    pub fn voucher_types() -> Kinds {
        Kinds(TYPES)
    }

    /// One kind. Voucher schemes and vouchers bring voucher types along: a voucher type is
    /// both a part of a scheme and what a voucher is for.
    pub fn of(kind: Kind) -> Kinds {
        let set = Kinds(1 << kind as u16);
        match kind {
            Kind::Scheme | Kind::Voucher => set.union(Kinds(TYPES)),
            _ => set,
        }
    }

    pub fn with(self, kind: Kind) -> Kinds {
        Kinds(self.0 | 1 << kind as u16)
    }

    pub fn without(self, kind: Kind) -> Kinds {
        Kinds(self.0 & !(1 << kind as u16))
    }

    pub fn union(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    pub fn intersect(self, other: Kinds) -> Kinds {
        Kinds(self.0 & other.0)
    }

    pub fn contains(self, kind: Kind) -> bool {
        self.0 & 1 << kind as u16 != 0
    }

    pub fn contains_types(self) -> bool {
        self.0 & TYPES != 0
    }

    /// Whether an entry of `kind` (a voucher type when `is_type`) is in the set.
    pub fn admits(self, kind: Kind, is_type: bool) -> bool {
        if is_type {
            self.contains_types()
        } else {
            self.contains(kind)
        }
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The kind prefixes a query may start with (`p:`), as (prefix, what it covers, description).
/// Besides these, a kind's name or a unique start of it works too (`practices:`, `meet:`).
pub const PREFIXES: &[(&str, &str)] = &[
    ("proj", "projects"),
    ("org, pa", "partners"),
    ("p, gp", "practices"),
    ("m", "meetings"),
    ("crit", "criteria sets"),
    ("ses", "evaluation sessions"),
    ("score", "scores (left out of a search without a prefix)"),
    ("plan, ap", "action plans"),
    ("a", "actions"),
    ("s", "voucher schemes and their voucher types"),
    ("vt, type", "voucher types"),
    ("sme", "SMEs"),
    ("v", "vouchers (applications) and voucher types"),
    ("tr", "transfers of practices"),
];

/// Reads one word before ':' as a set of kinds ("p", "p,m", "practices"), or `None`.
pub fn parse_prefix(word: &str) -> Option<Kinds> {
    let mut set = Kinds::NONE;
    for part in word.split(',') {
        let part = part.trim().to_lowercase();
        let found = match part.as_str() {
            "" => return None,
            "vt" | "type" | "types" | "voucher_type" | "voucher_types" => Kinds::voucher_types(),
            "gp" => Kinds::of(Kind::Practice),
            "pa" => Kinds::of(Kind::Partner),
            "ap" => Kinds::of(Kind::ActionPlan),
            p => match Kind::ALL.iter().find(|k| k.search_prefix() == p) {
                Some(k) => Kinds::of(*k),
                None => Kinds::of(Kind::parse(p).ok()?),
            },
        };
        set = set.union(found);
    }
    Some(set)
}

/// One term of a query, folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The folded text (case of A–Z kept).
    pub text: String,
    /// Quoted: matches as one contiguous piece instead of fuzzily.
    pub exact: bool,
    /// Holds a capital letter: matches case-sensitively (smart case).
    pub case_sensitive: bool,
}

impl Term {
    fn new(raw: &str, exact: bool) -> Option<Term> {
        let text = fold(raw);
        let text = if exact {
            text
        } else {
            text.split_whitespace().collect::<String>()
        };
        if text.trim().is_empty() {
            return None;
        }
        let case_sensitive = text.bytes().any(|b| b.is_ascii_uppercase());
        Some(Term {
            text,
            exact,
            case_sensitive,
        })
    }

    /// Whether every record matching `other` also matches `self` (so that a search for `other`
    /// may look only at the hits of a search for `self`).
    pub fn is_implied_by(&self, other: &Term) -> bool {
        self.exact == other.exact
            && self.case_sensitive == other.case_sensitive
            && if self.exact {
                other.text.contains(self.text.as_str())
            } else {
                other.text.starts_with(self.text.as_str())
            }
    }
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// What the kind prefix allows (`None`: no prefix).
    pub kinds: Option<Kinds>,
    /// Every one must match.
    pub terms: Vec<Term>,
    /// None may occur (as exact pieces).
    pub excluded: Vec<Term>,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut rest = text.trim_start();
        let mut kinds = None;
        if let Some(colon) = rest.find(':') {
            let word = &rest[..colon];
            if !word.is_empty()
                && !word.contains(|c: char| c.is_whitespace() || c == '"' || c == '!')
                && let Some(set) = parse_prefix(word)
            {
                kinds = Some(set);
                rest = &rest[colon + 1..];
            }
        }
        let mut terms = Vec::new();
        let mut excluded = Vec::new();
        let mut chars = rest.char_indices().peekable();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
                continue;
            }
            let negated = c == '!';
            if negated {
                chars.next();
            }
            let quoted = chars.peek().is_some_and(|&(_, c)| c == '"');
            let term = if quoted {
                let (open, _) = chars.next().expect("peeked");
                let mut end = rest.len();
                for (i, c) in chars.by_ref() {
                    if c == '"' {
                        end = i;
                        break;
                    }
                }
                Term::new(&rest[open + 1..end], true)
            } else {
                let from = chars.peek().map_or(rest.len(), |&(i, _)| i);
                let mut end = rest.len();
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_whitespace() {
                        end = i;
                        break;
                    }
                    chars.next();
                }
                Term::new(&rest[from..end], false)
            };
            match (term, negated) {
                (Some(t), false) => terms.push(t),
                (Some(t), true) => excluded.push(Term { exact: true, ..t }),
                (None, _) => {}
            }
        }
        Query {
            kinds,
            terms,
            excluded,
        }
    }

    /// Whether the query asks for nothing but (possibly) a kind: it then lists every record.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.excluded.is_empty()
    }

    /// Whether every hit of `self` is among the hits of `earlier`, so that `self` need only be
    /// matched against those (the usual case while typing: a term grows or a term is added).
    pub fn narrows(&self, earlier: &Query) -> bool {
        self.kinds == earlier.kinds
            && self.excluded == earlier.excluded
            && !earlier.is_empty()
            && earlier
                .terms
                .iter()
                .all(|old| self.terms.iter().any(|new| old.is_implied_by(new)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Term {
        Term::new(text, false).unwrap()
    }

    #[test]
    fn terms_are_split_folded_and_smart_cased() {
        let q = Query::parse("  vouch  Fair pécs ");
        assert_eq!(q.kinds, None);
        let texts: Vec<&str> = q.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["vouch", "Fair", "pecs"]);
        assert_eq!(
            q.terms.iter().map(|t| t.case_sensitive).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert!(q.terms.iter().all(|t| !t.exact));
        // An accented capital is a capital.
        assert!(Query::parse("Łódź").terms[0].case_sensitive);
        assert!(Query::parse("").is_empty());
        assert!(Query::parse("   ").terms.is_empty());
    }

    #[test]
    fn a_kind_prefix_narrows() {
        let q = Query::parse("p: coventry ecomm");
        assert_eq!(q.kinds, Some(Kinds::of(Kind::Practice)));
        assert_eq!(q.terms.len(), 2);
        let q = Query::parse("m:badajoz");
        assert_eq!(q.kinds, Some(Kinds::of(Kind::Meeting)));
        assert_eq!(q.terms[0].text, "badajoz");
        let q = Query::parse("V: fair");
        assert!(q.kinds.unwrap().contains(Kind::Voucher));
        assert!(q.kinds.unwrap().contains_types());
        assert!(!q.kinds.unwrap().contains(Kind::Scheme));
        let q = Query::parse("p,m: maribor");
        let k = q.kinds.unwrap();
        assert!(
            k.contains(Kind::Practice) && k.contains(Kind::Meeting) && !k.contains(Kind::Action)
        );
        assert_eq!(
            Query::parse("meetings: x").kinds,
            Some(Kinds::of(Kind::Meeting))
        );
        assert_eq!(Query::parse("vt: fair").kinds, Some(Kinds::voucher_types()));
        assert_eq!(
            Query::parse("score: alice").kinds,
            Some(Kinds::of(Kind::Score))
        );
        // Not a prefix: the word stays a term.
        let q = Query::parse("http://example fair");
        assert_eq!(q.kinds, None);
        assert_eq!(q.terms[0].text, "http://example");
        assert_eq!(Query::parse("zz: x").terms[0].text, "zz:");
        assert_eq!(Query::parse("\"p: x\"").kinds, None);
        // A prefix alone lists the kind.
        let q = Query::parse("s:");
        assert!(q.is_empty());
        assert_eq!(q.kinds, Some(Kinds::of(Kind::Scheme)));
        assert!(!Kinds::everything().contains(Kind::Score));
        assert!(Kinds::everything().contains(Kind::Voucher));
    }

    #[test]
    fn quotes_make_exact_phrases_and_bang_excludes() {
        let q = Query::parse("\"Study visit\" maribor !\"kick off\" !webinar");
        assert_eq!(q.terms.len(), 2);
        assert_eq!(q.terms[0].text, "Study visit");
        assert!(q.terms[0].exact && q.terms[0].case_sensitive);
        assert!(!q.terms[1].exact);
        let ex: Vec<&str> = q.excluded.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(ex, ["kick off", "webinar"]);
        assert!(q.excluded.iter().all(|t| t.exact));
        // An unclosed quote runs to the end; empty quotes and a lone ! are nothing.
        let q = Query::parse("\"e-commerce sup");
        assert_eq!(q.terms[0].text, "e-commerce sup");
        assert!(Query::parse("\"\" !").is_empty());
        // Quoted text is folded too.
        assert_eq!(Query::parse("\"Pécs\"").terms[0].text, "Pecs");
    }

    #[test]
    fn a_query_narrows_an_earlier_one_when_typing_extends_it() {
        let q = |s| Query::parse(s);
        assert!(q("vouc").narrows(&q("vou")));
        assert!(q("vouch f").narrows(&q("vouch")));
        assert!(q("f vouch").narrows(&q("vouch")));
        assert!(!q("vou").narrows(&q("vouc")));
        assert!(!q("vouch").narrows(&q("vouch f")));
        assert!(!q("p:vouch").narrows(&q("vou")));
        assert!(!q("Vouch").narrows(&q("vou")));
        assert!(!q("vouch").narrows(&q("")));
        assert!(t("ab").is_implied_by(&t("abc")));
        assert!(!t("ac").is_implied_by(&t("abc")));
    }
}
