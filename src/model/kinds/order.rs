//! How a list of a kind is narrowed and ordered, as part of the declaration: the fields that
//! are facets of the filter menu (with the value a record has), and the fields a list sorts by
//! (with the key). The kind's file lists its sort orders ([`sorts`](super::sorts)); the orders
//! that belong to no field (title, id, last changed, project) are the workbench's.

use std::borrow::Cow;

use crate::model::text::fold;
use crate::model::*;

/// A facet a list can be filtered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    PracticeStatus,
    SubTheme,
    Country,
    MeetingKind,
    Year,
    Scheme,
    VoucherType,
    VoucherStatus,
    ActionStatus,
    Role,
    SessionState,
    Size,
    TransferStage,
    TransferResult,
    Helix,
}

impl Facet {
    pub fn label(self) -> &'static str {
        match self {
            Facet::PracticeStatus | Facet::VoucherStatus | Facet::ActionStatus => "status",
            Facet::SubTheme => "sub-theme",
            Facet::Country => "country",
            Facet::MeetingKind => "kind",
            Facet::Year => "year",
            Facet::Scheme => "scheme",
            Facet::VoucherType => "type",
            Facet::Role => "role",
            Facet::SessionState => "state",
            Facet::Size => "size",
            Facet::TransferStage => "stage",
            Facet::TransferResult => "result",
            Facet::Helix => "helix",
        }
    }
}

/// A field that is a facet of its kind's filter menu.
#[derive(Clone, Copy, Debug)]
pub struct Faceted {
    /// Its place in the filter menu.
    pub at: u8,
    pub facet: Facet,
    /// The value a record has, as the key the filter stores ("validated", "SI", "2016").
    pub value: for<'a> fn(&'a Record) -> Option<Cow<'a, str>>,
}

/// A sort order a list offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Title,
    Status,
    Country,
    Project,
    Date,
    MeetingKind,
    Amount,
    Changed,
    Id,
    Stage,
}

impl SortBy {
    pub fn label(self) -> &'static str {
        match self {
            SortBy::Title => "title",
            SortBy::Status => "status",
            SortBy::Country => "country",
            SortBy::Project => "project",
            SortBy::Date => "date",
            SortBy::MeetingKind => "kind",
            SortBy::Amount => "amount",
            SortBy::Changed => "last changed",
            SortBy::Id => "id",
            SortBy::Stage => "stage",
        }
    }

    /// Whether a field of the kind gives the key (otherwise the workbench computes it).
    pub fn by_field(self) -> bool {
        !matches!(
            self,
            SortBy::Title | SortBy::Project | SortBy::Changed | SortBy::Id
        )
    }
}

/// A field a list of its kind sorts by.
#[derive(Clone, Copy, Debug)]
pub struct Sorted {
    pub by: SortBy,
    pub key: fn(&Record) -> SortKey,
}

/// A sort key: a number (dates, amounts, positions in a lifecycle) then folded text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey(pub i64, pub String);

/// Text as it sorts: folded (case and accents ignored), with a fast path for plain ASCII.
pub fn sort_text(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        fold(text)
    }
}

/// A date as one number in the order of `Date::chrono` (first day, then the more precise).
pub fn date_num(d: Option<Date>) -> i64 {
    d.map_or(i64::MIN, |d| {
        let (first, span) = d.sort_key();
        (i64::from(first) << 32) | i64::from(span)
    })
}

/// The facet value of one kind's record: `pick!(Practice, |p| Some(Cow::Borrowed(p.status.key())))`.
macro_rules! pick {
    ($variant:ident, |$r:ident| $body:expr) => {
        |record| match record {
            $crate::model::Record::$variant($r) => $body,
            _ => None,
        }
    };
}

/// The sort key of one kind's record: `by!(Voucher, |v| SortKey(v.requested.0, String::new()))`.
macro_rules! by {
    ($variant:ident, |$r:ident| $body:expr) => {
        |record: &$crate::model::Record| -> SortKey {
            match record {
                $crate::model::Record::$variant($r) => $body,
                _ => SortKey(0, String::new()),
            }
        }
    };
}

pub(crate) use {by, pick};
