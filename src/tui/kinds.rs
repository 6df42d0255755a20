//! What the workbench knows about each kind of record beyond its declaration (`model::kinds`,
//! which gives its plural, the columns of its list, its facets and sort orders): its place in
//! the navigation, whether the project scope applies, how a facet's values read, and the keys
//! of the orders every kind has (title, id, last changed, project).

use std::borrow::Cow;

use crate::model::kinds;
pub use crate::model::kinds::{
    Column, Facet, SortBy, SortKey, Width, project_name, project_of, sort_text,
};
use crate::model::text::sanitize;
use crate::model::*;

/// The kinds in the order the navigation lists them: the ones people work with first.
pub const NAV_KINDS: &[Kind] = &[
    Kind::Practice,
    Kind::Meeting,
    Kind::ActionPlan,
    Kind::Action,
    Kind::Transfer,
    Kind::Scheme,
    Kind::Voucher,
    Kind::Sme,
    Kind::Partner,
    Kind::Stakeholder,
    Kind::Project,
    Kind::Session,
    Kind::Score,
    Kind::CriteriaSet,
    Kind::Member,
];

/// The plural a person reads ("Voucher schemes").
pub fn plural(kind: Kind) -> &'static str {
    kinds::declaration(kind).plural
}

/// Whether the project scope applies to the kind (as its declaration says).
pub fn scoped(kind: Kind) -> bool {
    kinds::declaration(kind).in_a_project
}

/// Whether the record is shown when the workbench shows one project.
pub fn in_scope(replica: &Replica, record: &Record, scope: Option<&str>) -> bool {
    match scope {
        None => true,
        Some(_) if !scoped(record.kind()) => true,
        Some(p) => project_of(replica, record) == Some(p),
    }
}

/// The facets of each kind, in the order the filter menu offers them (from its declaration).
pub fn facets(kind: Kind) -> Vec<Facet> {
    kinds::facets(kind).iter().map(|f| f.facet).collect()
}

/// The value a record has for a facet, as the key the filter stores ("validated", "SI", "2016").
pub fn facet_value(record: &Record, facet: Facet) -> Option<Cow<'_, str>> {
    kinds::facets(record.kind())
        .iter()
        .find(|f| f.facet == facet)
        .and_then(|f| (f.value)(record))
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
        Facet::TransferStage => label(
            TransferStage::ALL,
            TransferStage::key,
            TransferStage::label,
            value,
        ),
        Facet::TransferResult => label(
            TransferResult::ALL,
            TransferResult::key,
            TransferResult::label,
            value,
        ),
        Facet::Helix => label(Helix::ALL, Helix::key, Helix::label, value),
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

/// The sort orders of each kind; the first is the default.
pub fn sorts(kind: Kind) -> &'static [SortBy] {
    kinds::sorts(kind)
}

/// The key a record sorts by: the title, id, last change and project for every kind, the
/// other orders as the field of the kind's declaration that sorts by it says.
pub fn sort_key(replica: &Replica, row: &Row, by: SortBy) -> SortKey {
    let record = &row.record;
    match by {
        SortBy::Title => match record {
            Record::Project(p) => SortKey(0, sort_text(&p.acronym)),
            r => SortKey(0, sort_text(&r.title())),
        },
        SortBy::Id => SortKey(0, record.id().to_string()),
        SortBy::Changed => SortKey(-(row.rev as i64), String::new()),
        SortBy::Project => SortKey(
            0,
            project_of(replica, record)
                .map(|p| sort_text(&project_name(replica, p)))
                .unwrap_or_default(),
        ),
        by => kinds::fields(record.kind())
            .iter()
            .filter_map(|f| f.sort)
            .find(|s| s.by == by)
            .map_or(SortKey(0, String::new()), |s| (s.key)(record)),
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
