//! Folding for matching: diacritics removed and typographic variants made plain, with the case of
//! A–Z kept so that smart case works ("Pécs" → "Pecs", "Łódź" → "Lodz", "e‑commerce" with a
//! non-breaking hyphen → "e-commerce").
//!
//! The index stores only the folded text. Every character whose folded form differs from the
//! original is recorded as a [`Patch`], so that the original text (shown to people) and the
//! position of each matched character in it can be recovered exactly, at the cost of a few bytes
//! for the rare characters that change.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The byte the index puts between two fields; folding turns a `|` inside a field into `/`, so a
/// separator is never part of a field. Both are separators to the matcher, so the first letter
/// of a field counts as the start of a word.
pub const SEP: char = '|';

/// One original character whose folded form differs: `len` folded bytes at byte `at` stand for
/// `orig`. `len` is 0 for characters folding drops (zero-width and direction marks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Patch {
    pub at: u32,
    pub len: u8,
    pub orig: char,
}

/// Appends the folded form of one character. Returns true when it differs from `c` itself.
fn fold_char(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        return match c {
            SEP => {
                out.push('/');
                true
            }
            // The matcher treats only ' ' as a space; a line break must end a word too.
            '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' => {
                out.push(' ');
                true
            }
            c if c.is_ascii_control() => {
                out.push(' ');
                true
            }
            c => {
                out.push(c);
                false
            }
        };
    }
    let start = out.len();
    match c {
        // Dashes and minus signs.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => {
            out.push('-')
        }
        // Quotation marks.
        '\u{2018}'..='\u{201b}' | '\u{2032}' | '\u{00b4}' => out.push('\''),
        '\u{201c}'..='\u{201f}' | '\u{2033}' | '\u{00ab}' | '\u{00bb}' => out.push('"'),
        // Spaces.
        '\u{00a0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}' => out.push(' '),
        // Invisible: zero-width characters, direction marks and overrides.
        '\u{00ad}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => {}
        '\u{2026}' => out.push_str("..."),
        // Letters without a canonical decomposition.
        'ł' => out.push('l'),
        'Ł' => out.push('L'),
        'ø' => out.push('o'),
        'Ø' => out.push('O'),
        'đ' | 'ð' => out.push('d'),
        'Đ' | 'Ð' => out.push('D'),
        'ħ' => out.push('h'),
        'Ħ' => out.push('H'),
        'ı' => out.push('i'),
        'ß' => out.push_str("ss"),
        'ẞ' => out.push_str("SS"),
        'æ' => out.push_str("ae"),
        'Æ' => out.push_str("AE"),
        'œ' => out.push_str("oe"),
        'Œ' => out.push_str("OE"),
        'þ' => out.push_str("th"),
        'Þ' => out.push_str("TH"),
        _ => {
            decompose_canonical(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                if d.is_ascii() {
                    out.push(d);
                } else {
                    // Letters outside A–Z match without regard to case.
                    let mut lower = d.to_lowercase();
                    match (lower.next(), lower.next()) {
                        (Some(l), None) => out.push(l),
                        _ => out.push(d),
                    }
                }
            });
        }
    }
    !(out.len() - start == c.len_utf8() && out[start..].starts_with(c))
}

/// Appends the folded `text` to `out`, recording a patch for every character that changed.
pub fn fold_into(text: &str, out: &mut String, patches: &mut Vec<Patch>) {
    if text.is_ascii() && !text.bytes().any(|b| b == SEP as u8 || b.is_ascii_control()) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        let at = out.len();
        if fold_char(c, out) {
            patches.push(Patch {
                at: at as u32,
                len: (out.len() - at) as u8,
                orig: c,
            });
        }
    }
}

/// The folded form of a query or a short text (no patches kept).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() && !text.bytes().any(|b| b == SEP as u8 || b.is_ascii_control()) {
        out.push_str(text);
        return out;
    }
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// The patches that fall inside the folded bytes `range` (sorted by position).
fn patches_in(patches: &[Patch], start: usize, end: usize) -> &[Patch] {
    let from = patches.partition_point(|p| (p.at as usize) < start);
    let to = patches.partition_point(|p| (p.at as usize) < end);
    &patches[from..to.max(from)]
}

/// The original text of the folded bytes `start..end` of `folded`.
pub fn original(folded: &str, patches: &[Patch], start: usize, end: usize) -> String {
    let mut out = String::with_capacity(end - start);
    let mut pos = start;
    for p in patches_in(patches, start, end) {
        let at = p.at as usize;
        out.push_str(&folded[pos..at]);
        out.push(p.orig);
        pos = at + p.len as usize;
    }
    out.push_str(&folded[pos.min(end)..end]);
    out
}

/// Whether patches lie inside `folded`, in order, on character boundaries: what [`original`]
/// and [`original_with_map`] need (for patches read from a file).
pub fn patches_fit(folded: &str, patches: &[Patch]) -> bool {
    let mut pos = 0;
    for p in patches {
        let (at, end) = (p.at as usize, p.at as usize + p.len as usize);
        if at < pos
            || end > folded.len()
            || !folded.is_char_boundary(at)
            || !folded.is_char_boundary(end)
        {
            return false;
        }
        pos = end;
    }
    true
}

/// Whether `text` is the original of the whole of `folded`.
pub fn equals_original(folded: &str, patches: &[Patch], text: &str) -> bool {
    let mut pos = 0;
    let mut rest = text;
    for p in patches {
        let at = p.at as usize;
        let Some(r) = rest.strip_prefix(&folded[pos..at]) else {
            return false;
        };
        let mut buf = [0u8; 4];
        let Some(r) = r.strip_prefix(&*p.orig.encode_utf8(&mut buf)) else {
            return false;
        };
        rest = r;
        pos = at + p.len as usize;
    }
    rest == &folded[pos..]
}

/// The original text of `start..end` and, for each folded character in it, the index of the
/// original character it came from.
pub fn original_with_map(
    folded: &str,
    patches: &[Patch],
    start: usize,
    end: usize,
) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(end - start);
    let mut map = Vec::with_capacity(end - start);
    let mut orig_chars = 0;
    let mut pos = start;
    let copy = |from: usize, to: usize, out: &mut String, map: &mut Vec<usize>, n: &mut usize| {
        for c in folded[from..to].chars() {
            out.push(c);
            map.push(*n);
            *n += 1;
        }
    };
    for p in patches_in(patches, start, end) {
        let at = p.at as usize;
        copy(pos, at, &mut out, &mut map, &mut orig_chars);
        out.push(p.orig);
        for _ in folded[at..at + p.len as usize].chars() {
            map.push(orig_chars);
        }
        orig_chars += 1;
        pos = at + p.len as usize;
    }
    copy(pos.min(end), end, &mut out, &mut map, &mut orig_chars);
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> (String, Vec<Patch>) {
        let mut out = String::new();
        let mut patches = Vec::new();
        fold_into(text, &mut out, &mut patches);
        assert_eq!(
            original(&out, &patches, 0, out.len()),
            text,
            "round trip of {text:?}"
        );
        (out, patches)
    }

    #[test]
    fn diacritics_go_and_case_of_a_to_z_stays() {
        assert_eq!(fold("Pécs"), "Pecs");
        assert_eq!(fold("Klaipėda"), "Klaipeda");
        assert_eq!(fold("Rzeszów, Łódź"), "Rzeszow, Lodz");
        assert_eq!(fold("Straße"), "Strasse");
        assert_eq!(fold("Ærøskøbing"), "AEroskobing");
        assert_eq!(fold("e\u{2011}commerce – “fair”"), "e-commerce - \"fair\"");
        assert_eq!(fold("ЖИВОТ"), "живот");
        assert_eq!(fold("a|b\nc"), "a/b c");
        assert_eq!(fold("zero\u{200b}width"), "zerowidth");
        // Folding for matching agrees with the model's fold once case is set aside.
        for t in ["Pécs", "Klaipėda ID", "Rzeszów", "Łódź", "Straße"] {
            assert_eq!(fold(t).to_lowercase(), crate::model::text::fold(t));
        }
    }

    #[test]
    fn the_original_comes_back_with_a_map_of_positions() {
        let (folded, patches) = round_trip("Klaipėda ID");
        assert_eq!(folded, "Klaipeda ID");
        assert_eq!(patches.len(), 1);
        let (folded, patches) = round_trip("Straße · Łódź\u{200b}!");
        assert_eq!(folded, "Strasse · Lodz!");
        let (orig, map) = original_with_map(&folded, &patches, 0, folded.len());
        assert_eq!(orig, "Straße · Łódź\u{200b}!");
        // "ss" both point at ß (char 4); "L" at Ł; "!" at the last char after the zero-width one.
        assert_eq!(map.len(), folded.chars().count());
        assert_eq!(map[4], 4);
        assert_eq!(map[5], 4);
        assert_eq!(map[6], 5);
        assert_eq!(map[9], 8);
        assert_eq!(*map.last().unwrap(), orig.chars().count() - 1);
        // A slice in the middle.
        let start = folded.find("Lodz").unwrap();
        assert_eq!(original(&folded, &patches, start, start + 4), "Łódź");
        assert_eq!(original(&folded, &patches, 0, 3), "Str");
        assert!(equals_original(&folded, &patches, "Straße · Łódź\u{200b}!"));
        assert!(!equals_original(
            &folded,
            &patches,
            "Strasse · Łódź\u{200b}!"
        ));
        assert!(!equals_original(
            &folded,
            &patches,
            "Straße · Łódź\u{200b}!!"
        ));
        assert!(equals_original("plain", &[], "plain"));
        round_trip("plain ascii");
        round_trip("");
        round_trip("東京 export desk in Rzeszów");
    }
}
