//! What of a field is searched, as part of its declaration: its text in the key group or the
//! long group, or the records it names (whose names are searched with it). How the groups are
//! weighted and matched is the search's (`search::fields`, `search::rank`).

use std::borrow::Cow;

use crate::model::*;

/// The searched text of one field of a record.
#[derive(Clone, Copy, Debug)]
pub struct Searched {
    /// Its place in its group (the id is the first key).
    pub at: u8,
    /// What results call the field ("sub-theme").
    pub label: &'static str,
    pub text: for<'a> fn(&'a Record) -> Cow<'a, str>,
}

/// A reference whose name is searched with the record (the context group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefTo<'a> {
    Record(Kind, &'a str),
    /// A voucher type: its scheme's id and its code.
    Type(&'a str, &'a str),
}

/// The records a field names, searched by their names with the record.
#[derive(Clone, Copy, Debug)]
pub struct Names {
    /// Its place among the kind's references.
    pub at: u8,
    pub refs: for<'a> fn(&'a Record, &mut Vec<RefTo<'a>>),
}

/// At most this many practices that inspired an action are searched with it.
pub const MAX_INSPIRED: usize = 8;

/// Searched text read from one kind's record: `read!(Practice, |p| plain(&p.owner))`.
macro_rules! read {
    ($variant:ident, |$r:ident| $body:expr) => {
        |record| match record {
            $crate::model::Record::$variant($r) => $body,
            _ => ::std::borrow::Cow::Borrowed(""),
        }
    };
}

/// The references a field of one kind's record names:
/// `names!(Practice, |p, out| out.push(RefTo::Record(Kind::Project, p.project.as_str())))`.
macro_rules! names {
    ($variant:ident, |$r:ident, $out:ident| $body:expr) => {
        |record, $out| {
            if let $crate::model::Record::$variant($r) = record {
                $body
            }
        }
    };
}

pub(crate) use {names, read};

/// A text as it is.
pub fn plain(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// An optional value as text (empty when unset).
pub fn opt_text<T: ToString>(v: &Option<T>) -> Cow<'static, str> {
    v.as_ref()
        .map_or(Cow::Borrowed(""), |v| Cow::Owned(v.to_string()))
}

/// Joins pieces of text with `sep`, leaving out empty ones.
pub fn joined<'a, I: IntoIterator<Item = &'a str>>(items: I, sep: &str) -> Cow<'static, str> {
    let mut out = String::new();
    for item in items {
        if item.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    Cow::Owned(out)
}

/// A period as searched: "START END", "START", "until END".
pub fn period(start: &Option<Date>, end: &Option<Date>) -> Cow<'static, str> {
    match (start, end) {
        (None, None) => Cow::Borrowed(""),
        (Some(s), None) => Cow::Owned(s.to_string()),
        (None, Some(e)) => Cow::Owned(format!("until {e}")),
        (Some(s), Some(e)) => Cow::Owned(format!("{s} {e}")),
    }
}

/// A country code with its English name, so that "slovenia" finds `SI`.
pub fn country(code: &str) -> Cow<'_, str> {
    match country_name(code) {
        Some(name) => Cow::Owned(format!("{code} {name}")),
        None => Cow::Borrowed(code),
    }
}

/// English names of the countries the programme covers.
pub fn country_name(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "AT" => "Austria",
        "BE" => "Belgium",
        "BG" => "Bulgaria",
        "CH" => "Switzerland",
        "CY" => "Cyprus",
        "CZ" => "Czechia",
        "DE" => "Germany",
        "DK" => "Denmark",
        "EE" => "Estonia",
        "EL" | "GR" => "Greece",
        "ES" => "Spain",
        "FI" => "Finland",
        "FR" => "France",
        "HR" => "Croatia",
        "HU" => "Hungary",
        "IE" => "Ireland",
        "IS" => "Iceland",
        "IT" => "Italy",
        "LI" => "Liechtenstein",
        "LT" => "Lithuania",
        "LU" => "Luxembourg",
        "LV" => "Latvia",
        "MT" => "Malta",
        "NL" => "Netherlands",
        "NO" => "Norway",
        "PL" => "Poland",
        "PT" => "Portugal",
        "RO" => "Romania",
        "SE" => "Sweden",
        "SI" => "Slovenia",
        "SK" => "Slovakia",
        "UK" | "GB" => "United Kingdom",
        _ => return None,
    })
}
