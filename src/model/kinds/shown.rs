//! How the detail pane shows a field, as part of its declaration: a row ("Label  value"),
//! emphasised or as a link to the record it names, a span of two dates, or a long text or list
//! of lines under a heading. The pane (`tui::detail`) draws these in their places and adds
//! each kind's bespoke sections (a practice's funnel and status history, a scheme's totals…).

use std::borrow::Cow;

use crate::model::*;

/// A field's place and look in the detail pane.
#[derive(Clone, Copy, Debug)]
pub struct Shown {
    /// Its place among the kind's rows (or among its texts, for a block or lines), from the top.
    pub at: u8,
    /// What the row is called when not the field's name (a row that shows several fields:
    /// "Place", "Timescale").
    pub label: Option<&'static str>,
    pub how: Show,
}

/// How a field is shown.
#[derive(Clone, Copy)]
pub enum Show {
    /// A row, left out when empty.
    Text(fn(&Replica, &Record) -> String),
    /// A row that stands out (a status), shown even when empty.
    Strong(fn(&Replica, &Record) -> String),
    /// A row that leads to the record of `Kind` it names, shown by its title.
    Link(Kind, for<'a> fn(&'a Record) -> Option<&'a str>),
    /// A row with a day and what goes with it ("28 Feb 2019 by the RSG"), left out when
    /// both are missing.
    Day(fn(&Record) -> (Option<Date>, String)),
    /// A row with the span between two dates ("Jun 2018 – Feb 2019"), left out when neither
    /// is known.
    Period(fn(&Record) -> (Option<Date>, Option<Date>)),
    /// A row for each named span (a project's phases).
    Periods(fn(&Record) -> Vec<(String, Date, Date)>),
    /// A long text under its name, left out when empty; shown below the rows.
    Block(for<'a> fn(&'a Record) -> Cow<'a, str>),
    /// The lines of a list under its name and their count ("none" when empty); shown below
    /// the rows.
    Lines(for<'a> fn(&'a Record) -> Cow<'a, str>),
}

impl Show {
    /// Whether it is shown below the rows, with the long texts.
    pub fn is_text(&self) -> bool {
        matches!(self, Show::Block(_) | Show::Lines(_))
    }
}

impl std::fmt::Debug for Show {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            Show::Text(_) => "Text",
            Show::Strong(_) => "Strong",
            Show::Link(..) => "Link",
            Show::Day(_) => "Day",
            Show::Period(_) => "Period",
            Show::Periods(_) => "Periods",
            Show::Block(_) => "Block",
            Show::Lines(_) => "Lines",
        };
        f.write_str(what)
    }
}

/// A value read from one kind's record, `default` for another kind's:
/// `with!(Practice, (None, None), |p| (p.start, p.end))`.
macro_rules! with {
    ($variant:ident, $default:expr, |$r:ident| $body:expr) => {
        |record| match record {
            $crate::model::Record::$variant($r) => $body,
            _ => $default,
        }
    };
}

/// A row that leads to the record the field names, of the kind its ids name:
/// `link_to!(Practice.partner)`.
macro_rules! link_to {
    ($variant:ident . $field:ident) => {
        $crate::model::kinds::Show::Link(
            $crate::model::kinds::referred(|record| match record {
                $crate::model::Record::$variant(r) => &r.$field,
                _ => unreachable!("only read for its type"),
            }),
            |record| match record {
                $crate::model::Record::$variant(r) => {
                    $crate::model::kinds::Linked::linked(&r.$field)
                }
                _ => None,
            },
        )
    };
}

pub(crate) use {link_to, with};

/// The id a field holds, if it holds one (a row that links to it).
pub trait Linked {
    fn linked(&self) -> Option<&str>;
}

/// The parts that are not blank, joined by `separator` ("Maribor, Podravje, SI").
pub fn joined_nonblank(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// An optional amount as people read it ("EUR 1,200.00"), empty when unset.
pub fn euros(m: Option<Money>) -> String {
    m.map_or(String::new(), Money::eur)
}

/// A day and what goes with it, the day as `spelled` writes it ("28 Feb 2019 by the RSG").
pub fn day_and(day: Option<Date>, then: &str, spelled: impl Fn(Date) -> String) -> String {
    match (day, then.trim()) {
        (Some(d), "") => spelled(d),
        (Some(d), then) => format!("{} {then}", spelled(d)),
        (None, then) => then.to_string(),
    }
}

/// An optional choice's label, empty when unset.
pub fn label_of<T: Copy>(value: Option<T>, label: fn(T) -> &'static str) -> String {
    value.map_or(String::new(), |v| label(v).to_string())
}
