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
/// become visible placeholders or spaces, so a record can never move the cursor or change colours.
/// Newlines are kept only when `multiline` is set; tabs become spaces.
pub fn sanitize(text: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if multiline => out.push('\n'),
            '\n' | '\r' | '\t' => out.push(' '),
            '\u{1b}' => out.push('␛'),
            c if c.is_control() => out.push('�'),
            // Bidirectional overrides and zero-width formatting can disguise text.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
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
    if is_nfc(&json) {
        return value;
    }
    let normalised: String = json.nfc().collect();
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
        assert_eq!(sanitize("a\nb\u{7}", true), "a\nb�");
        assert_eq!(
            fold("Pécs, Rzeszów, Klaipėda, Łódź"),
            "pecs, rzeszow, klaipeda, lodz"
        );
    }
}
