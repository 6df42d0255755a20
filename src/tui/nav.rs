//! What the navigation offers — every kind of record, then the overviews — and a list's filter:
//! the places a reader can be, shared by the lists, the detail pane and the overviews.

use crate::model::Kind;

use super::kinds::{Facet, NAV_KINDS};

/// The pictures the workbench draws of many records at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Overview {
    /// Practices through the funnel, per project.
    Funnel,
    /// Meetings on a time line, per project.
    Timeline,
    /// Voucher totals per scheme and type, with the budget used.
    Vouchers,
    /// Follow-ups and monitoring reports past their due date (and those due soon).
    Overdue,
    /// Transfers of practices per adopting region, by stage: the project's result at a glance.
    Transfers,
}

impl Overview {
    pub const ALL: [Overview; 5] = [
        Overview::Funnel,
        Overview::Timeline,
        Overview::Vouchers,
        Overview::Overdue,
        Overview::Transfers,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Overview::Funnel => "Practice funnel",
            Overview::Timeline => "Meeting timeline",
            Overview::Vouchers => "Voucher totals",
            Overview::Overdue => "Overdue & due soon",
            Overview::Transfers => "Transfers by region",
        }
    }
}

/// What an entry of the navigation shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Kind(Kind),
    Overview(Overview),
}

/// The navigation's entries: every kind, then the overviews.
pub fn nav_targets() -> Vec<Target> {
    NAV_KINDS
        .iter()
        .map(|k| Target::Kind(*k))
        .chain(Overview::ALL.iter().map(|o| Target::Overview(*o)))
        .collect()
}

pub fn nav_index(target: Target) -> usize {
    nav_targets().iter().position(|t| *t == target).unwrap_or(0)
}

/// One active filter: a facet and the value (its key) a record must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub facet: Facet,
    pub value: String,
}
