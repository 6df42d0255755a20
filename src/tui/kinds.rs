//! What the workbench knows about each kind of record: its name in the navigation, the columns
//! of its list, its sort orders and filter facets, and the project it belongs to.

use std::borrow::Cow;

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

/// The project a record belongs to, directly or through the record it hangs from.
pub fn project_of<'a>(replica: &'a Replica, record: &'a Record) -> Option<&'a str> {
    match record {
        Record::Action(a) => replica
            .record(Kind::ActionPlan, a.plan.as_str())
            .and_then(|p| p.project()),
        Record::Voucher(v) => replica
            .record(Kind::Scheme, v.scheme.as_str())
            .and_then(|s| s.project()),
        Record::Session(s) => replica
            .record(Kind::Meeting, s.meeting.as_str())
            .and_then(|m| m.project()),
        Record::Score(s) => replica
            .record(Kind::Session, s.session.as_str())
            .and_then(|s| project_of(replica, s)),
        other => other.project(),
    }
}

/// Whether the record is shown when the workbench shows one project.
pub fn in_scope(replica: &Replica, record: &Record, scope: Option<&str>) -> bool {
    match scope {
        None => true,
        Some(_) if !scoped(record.kind()) => true,
        Some(p) => project_of(replica, record) == Some(p),
    }
}

/// The short name of a project ("INTRA"), or its id when it is missing.
pub fn project_name(replica: &Replica, id: &str) -> String {
    match replica.record(Kind::Project, id) {
        Some(Record::Project(p)) => sanitize(&p.acronym, false),
        _ => id.to_string(),
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

/// How a column shares the list's width.
#[derive(Clone, Copy, Debug)]
pub enum Width {
    /// Exactly this many columns.
    Fixed(u16),
    /// What is left, at least this many columns.
    Fill(u16),
}

/// One column of a kind's list.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub header: &'static str,
    pub width: Width,
    /// Columns with the highest number are dropped first when the list is narrow.
    pub drop_order: u8,
    pub right: bool,
}

const fn col(header: &'static str, width: Width, drop_order: u8) -> Column {
    Column {
        header,
        width,
        drop_order,
        right: false,
    }
}

const fn num(header: &'static str, width: u16, drop_order: u8) -> Column {
    Column {
        header,
        width: Width::Fixed(width),
        drop_order,
        right: true,
    }
}

use Width::*;

/// The columns of each kind's list.
pub fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Practice => {
            const C: &[Column] = &[
                col("Title", Fill(16), 0),
                col("Status", Fixed(11), 1),
                col("Sub-theme", Fixed(13), 4),
                col("Country", Fixed(7), 2),
                col("Project", Fixed(13), 3),
            ];
            C
        }
        Kind::Meeting => {
            const C: &[Column] = &[
                col("Date", Fixed(DATE_WIDTH), 1),
                col("Title", Fill(16), 0),
                col("Kind", Fixed(18), 3),
                col("Place", Fixed(14), 2),
                col("Project", Fixed(13), 4),
            ];
            C
        }
        Kind::ActionPlan => {
            const C: &[Column] = &[
                col("Title", Fill(16), 0),
                col("Partner", Fixed(18), 2),
                col("Validated", Fixed(DATE_WIDTH), 1),
                col("Project", Fixed(13), 3),
            ];
            C
        }
        Kind::Action => {
            const C: &[Column] = &[
                col("Title", Fill(16), 0),
                col("Status", Fixed(14), 1),
                col("Plan", Fixed(18), 3),
                col("Start", Fixed(DATE_WIDTH), 2),
                num("Costs", 14, 4),
            ];
            C
        }
        Kind::Scheme => {
            const C: &[Column] = &[
                col("Name", Fill(16), 0),
                col("Issuer", Fixed(18), 2),
                col("Country", Fixed(7), 3),
                num("Rate", 7, 1),
                num("Budget", 16, 4),
            ];
            C
        }
        Kind::Voucher => {
            const C: &[Column] = &[
                col("Service", Fill(14), 0),
                col("SME", Fixed(16), 2),
                col("Type", Fixed(10), 4),
                col("Status", Fixed(15), 1),
                num("Requested", 12, 3),
                num("Paid", 12, 5),
            ];
            C
        }
        Kind::Member => {
            const C: &[Column] = &[
                col("Name", Fill(16), 0),
                col("Login", Fixed(14), 1),
                col("Role", Fixed(11), 2),
                col("Organisation", Fixed(20), 3),
            ];
            C
        }
        Kind::Sme => {
            const C: &[Column] = &[
                col("Name", Fill(16), 0),
                col("Size", Fixed(6), 1),
                col("Country", Fixed(7), 2),
                col("Region", Fixed(16), 3),
            ];
            C
        }
        Kind::Partner => {
            const C: &[Column] = &[
                col("Organisation", Fill(16), 0),
                col("Short", Fixed(12), 3),
                col("Country", Fixed(7), 1),
                col("Role", Fixed(16), 2),
                col("Project", Fixed(13), 4),
            ];
            C
        }
        Kind::Project => {
            const C: &[Column] = &[
                col("Acronym", Fixed(14), 0),
                col("Title", Fill(16), 1),
                col("Start", Fixed(DATE_WIDTH), 2),
                col("End", Fixed(DATE_WIDTH), 3),
            ];
            C
        }
        Kind::Session => {
            const C: &[Column] = &[
                col("Title", Fill(16), 0),
                col("State", Fixed(9), 1),
                col("Meeting", Fixed(22), 3),
                num("Practices", 9, 2),
            ];
            C
        }
        Kind::Score => {
            const C: &[Column] = &[
                col("Practice", Fill(14), 0),
                col("Evaluator", Fixed(12), 1),
                col("Criterion", Fixed(10), 2),
                num("Value", 6, 1),
                col("Session", Fixed(16), 3),
            ];
            C
        }
        Kind::CriteriaSet => {
            const C: &[Column] = &[
                col("Name", Fill(16), 0),
                num("Criteria", 8, 1),
                num("Pass mark", 9, 2),
            ];
            C
        }
    }
}

/// The most a date column takes: a day takes 10, a span as people read it ("Jun 2018 – Feb
/// 2019") up to 19; a column takes only what its rows need.
const DATE_WIDTH: u16 = 19;

fn opt_date(d: Option<Date>) -> String {
    d.map_or(String::new(), Date::human)
}

fn opt_money(m: Option<Money>) -> String {
    m.map_or(String::new(), |m| group_thousands(&m.to_string()))
}

fn title_of(replica: &Replica, kind: Kind, id: &str) -> String {
    replica
        .record(kind, id)
        .map_or_else(|| id.to_string(), |r| r.title())
}

/// The text of one cell of a record's row (sanitised).
pub fn cell(replica: &Replica, record: &Record, column: usize) -> String {
    let project = |id: &str| project_name(replica, id);
    let text: String = match (record, column) {
        (Record::Practice(p), 0) => p.title.clone(),
        (Record::Practice(p), 1) => p.status.label().to_string(),
        (Record::Practice(p), 2) => p.sub_theme.map_or(String::new(), |t| t.label().to_string()),
        (Record::Practice(p), 3) => p.country.clone(),
        (Record::Practice(p), 4) => project(p.project.as_str()),
        (Record::Meeting(m), 0) => m.start.human(),
        (Record::Meeting(m), 1) => m.title.clone(),
        (Record::Meeting(m), 2) => m.kind.label().to_string(),
        (Record::Meeting(m), 3) => {
            if m.city.is_empty() {
                m.mode.label().to_string()
            } else {
                m.city.clone()
            }
        }
        (Record::Meeting(m), 4) => project(m.project.as_str()),
        (Record::ActionPlan(p), 0) => p.title.clone(),
        (Record::ActionPlan(p), 1) => match replica.record(Kind::Partner, p.partner.as_str()) {
            Some(Record::Partner(x)) if !x.short_name.is_empty() => x.short_name.clone(),
            Some(r) => r.title(),
            None => p.partner.to_string(),
        },
        (Record::ActionPlan(p), 2) => opt_date(p.validated_on),
        (Record::ActionPlan(p), 3) => project(p.project.as_str()),
        (Record::Action(a), 0) => a.title.clone(),
        (Record::Action(a), 1) => a.status.label().to_string(),
        (Record::Action(a), 2) => title_of(replica, Kind::ActionPlan, a.plan.as_str()),
        (Record::Action(a), 3) => opt_date(a.start),
        (Record::Action(a), 4) => opt_money(a.costs),
        (Record::Scheme(s), 0) => s.name.clone(),
        (Record::Scheme(s), 1) => s.issuer.clone(),
        (Record::Scheme(s), 2) => s.country.clone(),
        (Record::Scheme(s), 3) => format!("{}%", s.rate),
        (Record::Scheme(s), 4) => opt_money(s.budget),
        (Record::Voucher(v), 0) => v.service.clone(),
        (Record::Voucher(v), 1) => title_of(replica, Kind::Sme, v.sme.as_str()),
        // The type's name, from the scheme (its code when the scheme does not list it).
        (Record::Voucher(v), 2) => match replica.record(Kind::Scheme, v.scheme.as_str()) {
            Some(Record::Scheme(s)) => s
                .types
                .iter()
                .find(|t| t.code == v.voucher_type)
                .map_or_else(|| v.voucher_type.clone(), |t| t.name.clone()),
            _ => v.voucher_type.clone(),
        },
        (Record::Voucher(v), 3) => v.status.label().to_string(),
        (Record::Voucher(v), 4) => opt_money(Some(v.requested)),
        (Record::Voucher(v), 5) => opt_money(v.paid),
        (Record::Sme(s), 0) => s.name.clone(),
        (Record::Sme(s), 1) => s.size.label().to_string(),
        (Record::Sme(s), 2) => s.country.clone(),
        (Record::Sme(s), 3) => s.region.clone(),
        (Record::Partner(p), 0) => p.organisation.clone(),
        (Record::Partner(p), 1) => p.short_name.clone(),
        (Record::Partner(p), 2) => p.country.clone(),
        (Record::Partner(p), 3) => p.role.label().to_string(),
        (Record::Partner(p), 4) => project(p.project.as_str()),
        (Record::Project(p), 0) => p.acronym.clone(),
        (Record::Project(p), 1) => p.title.clone(),
        (Record::Project(p), 2) => opt_date(p.start),
        (Record::Project(p), 3) => opt_date(p.end),
        (Record::Session(s), 0) => s.title.clone(),
        (Record::Session(s), 1) => s.state.label().to_string(),
        (Record::Session(s), 2) => title_of(replica, Kind::Meeting, s.meeting.as_str()),
        (Record::Session(s), 3) => s.practices.len().to_string(),
        (Record::Score(s), 0) => title_of(replica, Kind::Practice, s.practice.as_str()),
        (Record::Score(s), 1) => s.evaluator.clone(),
        (Record::Score(s), 2) => s.criterion.clone(),
        (Record::Score(s), 3) => s
            .value
            .map_or_else(|| "abst.".to_string(), |v| v.to_string()),
        (Record::Score(s), 4) => title_of(replica, Kind::Session, s.session.as_str()),
        (Record::Member(m), 0) => {
            if m.name.is_empty() {
                m.id.to_string()
            } else {
                m.name.clone()
            }
        }
        (Record::Member(m), 1) => m.id.to_string(),
        (Record::Member(m), 2) => {
            if m.facilitator {
                "facilitator".into()
            } else {
                "member".into()
            }
        }
        (Record::Member(m), 3) => m.organisation.clone(),
        (Record::CriteriaSet(c), 0) => c.name.clone(),
        (Record::CriteriaSet(c), 1) => c.criteria.len().to_string(),
        (Record::CriteriaSet(c), 2) => c.pass_mark.map_or(String::new(), |m| m.to_string()),
        _ => String::new(),
    };
    sanitize(&text, false)
}
