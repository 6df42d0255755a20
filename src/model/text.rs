//! Text on its way in (NFC) and on its way out to a terminal (no control characters).

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Returns the text in Unicode NFC, so that "Klaipėda" typed two ways is one string.
pub fn nfc(text: &str) -> String {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text.to_string(),
        _ => text.nfc().collect(),
    }
}

/// Whether the text is certainly NFC already (the fast path for whole files).
pub fn is_nfc(text: &str) -> bool {
    matches!(is_nfc_quick(text.chars()), IsNormalized::Yes)
}

/// Makes record text safe to draw in a terminal: escape sequences and other control characters
/// become visible stand-ins (see [`visible`]), so a record can never move the cursor, change
/// colours or the window's title. Newlines are kept only when `multiline` is set.
pub fn sanitize(text: &str, multiline: bool) -> String {
    text.chars().map(|c| visible(c, multiline)).collect()
}

/// Bidirectional overrides and isolates, which can make text read other than it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// How one character of stored text shows on a terminal, the same everywhere (lists, details,
/// search, every command's output): itself; a C0 control as its Unicode control picture (ESC as
/// ␛, BEL as ␇); DEL as ␡; a C1 control or a bidirectional override as �. One character for
/// one, so that matched positions stay where they were. Tabs, and newlines unless `multiline`,
/// become spaces.
pub fn visible(c: char, multiline: bool) -> char {
    match c {
        '\n' if multiline => '\n',
        '\n' | '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        c if is_bidi_control(c) => '\u{fffd}',
        c => c,
    }
}

/// The first character that stored text may not hold, with its position (counted from 1):
/// control characters (tab, and newline where `multiline`, excepted) and bidirectional
/// overrides.
pub fn forbidden(text: &str, multiline: bool) -> Option<(usize, char)> {
    text.chars().enumerate().find_map(|(i, c)| {
        let allowed = match c {
            '\n' => multiline,
            '\t' => true,
            c => !c.is_control() && !is_bidi_control(c),
        };
        (!allowed).then_some((i + 1, c))
    })
}

/// A character's name for a message: "U+001B (escape)".
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\u{1b}' => " (escape)",
        '\u{7}' => " (bell)",
        '\r' => " (carriage return)",
        '\n' => " (line break)",
        '\u{0}' => " (null)",
        c if is_bidi_control(c) => " (bidirectional override)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// The indefinite article for a word in a message: "an approved", "a draft".
pub fn a(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// Folds text for matching: lower case, diacritics removed ("Pécs" → "pecs", "Rzeszów" → "rzeszow").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Returns the record with every text in NFC (see [`normalize`]).
pub fn normalize_record(record: crate::model::Record) -> crate::model::Record {
    // A damaged text would come back as its notice; validation refuses such a record.
    if record.damaged_text().is_some() {
        return record;
    }
    normalize(record)
}

/// Returns a value (a record, an evaluation step) with every text in NFC. Its JSON text is NFC
/// exactly when its strings are, so the common case costs one serialisation and no rebuild.
pub fn normalize<T: serde::Serialize + serde::de::DeserializeOwned>(value: T) -> T {
    let Ok(json) = serde_json::to_string(&value) else {
        return value;
    };
    // Line ends written on Windows are plain line breaks once stored.
    let crlf = json.contains("\\r\\n");
    if is_nfc(&json) && !crlf {
        return value;
    }
    let normalised: String = json.replace("\\r\\n", "\\n").nfc().collect();
    serde_json::from_str(&normalised).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_normalised_sanitised_and_folded() {
        let decomposed = "Klaipe\u{307}da";
        assert_eq!(nfc(decomposed), "Klaipėda");
        assert!(!is_nfc(decomposed));
        assert_eq!(sanitize("a\u{1b}[2Jb\tc\nd", false), "a␛[2Jb c d");
        assert_eq!(sanitize("a\nb\u{7}", true), "a\nb␇");
        assert_eq!(sanitize("x\u{202e}y\u{9b}z\r", false), "x�y�z␍");
        assert_eq!(forbidden("ok\ttab\nline", true), None);
        assert_eq!(forbidden("title\nline", false), Some((6, '\n')));
        assert_eq!(forbidden("a\u{1b}]0;x", true), Some((2, '\u{1b}')));
        assert_eq!(forbidden("evil\u{202e}", false), Some((5, '\u{202e}')));
        assert_eq!(
            fold("Pécs, Rzeszów, Klaipėda, Łódź"),
            "pecs, rzeszow, klaipeda, lodz"
        );
    }
}
