//! What the workbench knows about each kind of record: its name in the navigation, its sort
//! orders and filter facets, and the project it belongs to; the columns of its list come from
//! the kind's declaration (`model::kinds`).

use std::borrow::Cow;

pub use crate::model::kinds::{Column, Width, project_name, project_of};
use crate::model::text::{fold, sanitize};
use crate::model::*;

/// The kinds in the order the navigation lists them: the ones people work with first.
pub const NAV_KINDS: &[Kind] = &[
    Kind::Practice,
    Kind::Meeting,
    Kind::ActionPlan,
    Kind::Action,
    Kind::Scheme,
    Kind::Voucher,
    Kind::Sme,
    Kind::Partner,
    Kind::Project,
    Kind::Session,
    Kind::Score,
    Kind::CriteriaSet,
    Kind::Member,
];

/// The plural a person reads ("Voucher schemes").
pub fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Project => "Projects",
        Kind::Partner => "Partners",
        Kind::Practice => "Practices",
        Kind::Meeting => "Meetings",
        Kind::CriteriaSet => "Criteria sets",
        Kind::Session => "Evaluation sessions",
        Kind::Score => "Scores",
        Kind::ActionPlan => "Action plans",
        Kind::Action => "Actions",
        Kind::Scheme => "Voucher schemes",
        Kind::Sme => "SMEs",
        Kind::Voucher => "Vouchers",
        Kind::Member => "Members",
    }
}

/// Whether the project scope applies to the kind (SMEs and criteria sets belong to none).
pub fn scoped(kind: Kind) -> bool {
    !matches!(kind, Kind::Sme | Kind::CriteriaSet | Kind::Member)
}

/// Whether the record is shown when the workbench shows one project.
pub fn in_scope(replica: &Replica, record: &Record, scope: Option<&str>) -> bool {
    match scope {
        None => true,
        Some(_) if !scoped(record.kind()) => true,
        Some(p) => project_of(replica, record) == Some(p),
    }
}

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
        }
    }
}

/// The facets of each kind, in the order the filter menu offers them.
pub fn facets(kind: Kind) -> &'static [Facet] {
    match kind {
        Kind::Practice => &[Facet::PracticeStatus, Facet::SubTheme, Facet::Country],
        Kind::Meeting => &[Facet::MeetingKind, Facet::Year, Facet::Country],
        Kind::Voucher => &[Facet::Scheme, Facet::VoucherType, Facet::VoucherStatus],
        Kind::Action => &[Facet::ActionStatus],
        Kind::Partner => &[Facet::Country, Facet::Role],
        Kind::Session => &[Facet::SessionState],
        Kind::Sme => &[Facet::Size, Facet::Country],
        Kind::Scheme => &[Facet::Country],
        _ => &[],
    }
}

/// The value a record has for a facet, as the key the filter stores ("validated", "SI", "2016").
pub fn facet_value(record: &Record, facet: Facet) -> Option<Cow<'_, str>> {
    let s = |v: &'static str| Some(Cow::Borrowed(v));
    match (facet, record) {
        (Facet::PracticeStatus, Record::Practice(p)) => s(p.status.key()),
        (Facet::SubTheme, Record::Practice(p)) => p.sub_theme.map(|t| Cow::Borrowed(t.key())),
        (Facet::Country, Record::Practice(p)) => Some(Cow::Borrowed(p.country.as_str())),
        (Facet::Country, Record::Meeting(m)) => {
            (!m.country.is_empty()).then_some(Cow::Borrowed(m.country.as_str()))
        }
        (Facet::Country, Record::Partner(p)) => Some(Cow::Borrowed(p.country.as_str())),
        (Facet::Country, Record::Sme(p)) => Some(Cow::Borrowed(p.country.as_str())),
        (Facet::Country, Record::Scheme(p)) => Some(Cow::Borrowed(p.country.as_str())),
        (Facet::MeetingKind, Record::Meeting(m)) => s(m.kind.key()),
        (Facet::Year, Record::Meeting(m)) => Some(Cow::Owned(m.start.year().to_string())),
        (Facet::Scheme, Record::Voucher(v)) => Some(Cow::Borrowed(v.scheme.as_str())),
        (Facet::VoucherType, Record::Voucher(v)) => Some(Cow::Borrowed(v.voucher_type.as_str())),
        (Facet::VoucherStatus, Record::Voucher(v)) => s(v.status.key()),
        (Facet::ActionStatus, Record::Action(a)) => s(a.status.key()),
        (Facet::Role, Record::Partner(p)) => s(p.role.key()),
        (Facet::SessionState, Record::Session(x)) => s(x.state.key()),
        (Facet::Size, Record::Sme(x)) => s(x.size.key()),
        _ => None,
    }
}

/// How a facet value reads ("in handbook", "Slovene internationalisation vouchers", "SI").
pub fn facet_value_label(replica: &Replica, facet: Facet, value: &str) -> String {
    fn label<T: Copy>(
        all: &[T],
        key: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
        value: &str,
    ) -> Option<String> {
        all.iter()
            .find(|v| key(**v) == value)
            .map(|v| label(*v).to_string())
    }
    let found = match facet {
        Facet::PracticeStatus => label(
            PracticeStatus::ALL,
            PracticeStatus::key,
            PracticeStatus::label,
            value,
        ),
        Facet::SubTheme => label(SubTheme::ALL, SubTheme::key, SubTheme::label, value),
        Facet::MeetingKind => label(
            MeetingKind::ALL,
            MeetingKind::key,
            MeetingKind::label,
            value,
        ),
        Facet::VoucherStatus => label(
            VoucherStatus::ALL,
            VoucherStatus::key,
            VoucherStatus::label,
            value,
        ),
        Facet::ActionStatus => label(
            ActionStatus::ALL,
            ActionStatus::key,
            ActionStatus::label,
            value,
        ),
        Facet::Role => label(
            PartnerRole::ALL,
            PartnerRole::key,
            PartnerRole::label,
            value,
        ),
        Facet::SessionState => label(
            SessionState::ALL,
            SessionState::key,
            SessionState::label,
            value,
        ),
        Facet::Size => label(SmeSize::ALL, SmeSize::key, SmeSize::label, value),
        Facet::Scheme => replica
            .record(Kind::Scheme, value)
            .map(|r| sanitize(&r.title(), false)),
        Facet::VoucherType => replica
            .rows(Kind::Scheme)
            .find_map(|row| match &row.record {
                Record::Scheme(s) => s.voucher_type(value).map(|t| {
                    format!(
                        "{} ({})",
                        sanitize(&t.name, false),
                        sanitize(&t.code, false)
                    )
                }),
                _ => None,
            }),
        Facet::Country | Facet::Year => None,
    };
    found.unwrap_or_else(|| sanitize(value, false))
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
        }
    }
}

/// The sort orders of each kind; the first is the default.
pub fn sorts(kind: Kind) -> &'static [SortBy] {
    use SortBy::*;
    match kind {
        Kind::Practice => &[Title, Status, Country, Project, Changed],
        Kind::Meeting => &[Date, Title, MeetingKind, Country, Project],
        Kind::Voucher => &[Date, Amount, Status, Title, Changed],
        Kind::Action => &[Title, Status, Date, Amount],
        Kind::ActionPlan => &[Title, Date, Project],
        Kind::Partner => &[Title, Country, Project],
        Kind::Project => &[Title, Date],
        Kind::Scheme => &[Title, Country, Date],
        Kind::Session => &[Title, Status],
        Kind::Sme => &[Title, Country],
        Kind::Score => &[Id, Changed],
        Kind::CriteriaSet => &[Title],
        Kind::Member => &[Title],
    }
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
fn date_num(d: Option<Date>) -> i64 {
    d.map_or(i64::MIN, |d| {
        let (first, span) = d.sort_key();
        (i64::from(first) << 32) | i64::from(span)
    })
}

/// The key a record sorts by.
pub fn sort_key(replica: &Replica, row: &Row, by: SortBy) -> SortKey {
    let record = &row.record;
    let text = |t: &str| SortKey(0, sort_text(t));
    match by {
        SortBy::Title => match record {
            Record::Project(p) => text(&p.acronym),
            r => text(&r.title()),
        },
        SortBy::Id => SortKey(0, record.id().to_string()),
        SortBy::Changed => SortKey(-(row.rev as i64), String::new()),
        SortBy::Status => match record {
            Record::Practice(p) => SortKey(p.status as i64, String::new()),
            Record::Voucher(v) => SortKey(v.status as i64, String::new()),
            Record::Action(a) => SortKey(a.status as i64, String::new()),
            Record::Session(s) => SortKey(s.state as i64, String::new()),
            _ => SortKey(0, String::new()),
        },
        SortBy::Country => match record {
            Record::Practice(p) => text(&p.country),
            Record::Meeting(m) => SortKey(0, format!("{} {}", m.country, sort_text(&m.city))),
            Record::Partner(p) => text(&p.country),
            Record::Sme(s) => text(&s.country),
            Record::Scheme(s) => text(&s.country),
            _ => SortKey(0, String::new()),
        },
        SortBy::Project => SortKey(
            0,
            project_of(replica, record)
                .map(|p| sort_text(&project_name(replica, p)))
                .unwrap_or_default(),
        ),
        SortBy::MeetingKind => match record {
            Record::Meeting(m) => SortKey(m.kind as i64, String::new()),
            _ => SortKey(0, String::new()),
        },
        SortBy::Date => SortKey(
            match record {
                Record::Meeting(m) => date_num(Some(m.start)),
                Record::Voucher(v) => date_num(v.submitted_on),
                Record::Action(a) => date_num(a.start),
                Record::ActionPlan(p) => date_num(p.validated_on),
                Record::Project(p) => date_num(p.start),
                Record::Scheme(s) => date_num(s.opens),
                Record::Practice(p) => date_num(p.start),
                _ => 0,
            },
            String::new(),
        ),
        SortBy::Amount => SortKey(
            match record {
                Record::Voucher(v) => v.requested.0,
                Record::Action(a) => a.costs.map_or(-1, |m| m.0),
                _ => 0,
            },
            String::new(),
        ),
    }
}

/// The columns of each kind's list, as the kind's declaration states them.
pub fn columns(kind: Kind) -> &'static [Column] {
    crate::model::kinds::columns(kind)
}

/// The text of one cell of a record's row (sanitised).
pub fn cell(replica: &Replica, record: &Record, column: usize) -> String {
    columns(record.kind())
        .get(column)
        .map_or_else(String::new, |c| sanitize(&(c.cell)(replica, record), false))
}
