//! How a form edits a field: part of the field's declaration, so that the forms list the
//! fields the declarations give them. The editing itself (inputs, parsing) is the workbench's
//! (`tui::forms::specs`, `tui::forms::lines`).
//!
//! Each spec holds a [`Slot`]: typed access to the record's field, written once with
//! `slot!` (`text(true, slot!(Practice.title))`), or with `refers!` for a reference, which
//! also gives the kind of record referred to, read from the type of the field's ids. The slot reads and writes the field itself,
//! in the form's own terms (a text, a list of lines, an optional date, a chosen key, the id of
//! a record referred to…), so a form never looks a field up by its name: a field renamed or
//! removed, or given a type its spec cannot edit, fails to compile, and so does a spec whose
//! slot is not the field it is declared on (see [`Field::form`](super::Field::form)).

use std::fmt;

use crate::model::*;

/// Typed access to one field of one kind's record, in the terms of the form that edits it
/// (`T`): made by `slot!`.
pub struct Slot<T> {
    /// The field's name, as the record spells it (checked against the field's key when the
    /// declarations are compiled).
    pub name: &'static str,
    /// The field's value as the form edits it (a default for a record of another kind).
    pub get: fn(&Record) -> T,
    /// Writes the form's value back into the field.
    pub set: fn(&mut Record, T),
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Slot<T> {}

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Slot({})", self.name)
    }
}

/// Typed access to a field of one kind's record: `slot!(Practice.title)`. The field's type
/// must be editable as the spec's value (see [`Edit`]); otherwise it does not compile.
macro_rules! slot {
    ($variant:ident . $field:ident) => {
        $crate::model::kinds::Slot {
            name: stringify!($field),
            get: |record| match record {
                $crate::model::Record::$variant(r) => $crate::model::kinds::Edit::get(&r.$field),
                _ => ::std::default::Default::default(),
            },
            set: |record, value| {
                if let $crate::model::Record::$variant(r) = record {
                    $crate::model::kinds::Edit::set(&mut r.$field, value)
                }
            },
        }
    };
}

/// Typed access to a field that refers to records, with the kind it refers to, read from the
/// type of its ids: `refers!(Practice.partner)` (a partner, as the field holds a `PartnerId`).
macro_rules! refers {
    ($variant:ident . $field:ident) => {
        $crate::model::kinds::Refers {
            kind: $crate::model::kinds::referred(|record| match record {
                $crate::model::Record::$variant(r) => &r.$field,
                _ => unreachable!("only read for its type"),
            }),
            at: $crate::model::kinds::slot!($variant.$field),
        }
    };
}

pub(crate) use {refers, slot};

/// A field that refers to records of `kind`, with its typed access.
#[derive(Clone, Copy, Debug)]
pub struct Refers<T> {
    pub kind: Kind,
    pub at: Slot<T>,
}

/// The kind of record an id (or an optional id, or a list of them) names.
pub trait Referent {
    const KIND: Kind;
}

impl<T: Referent> Referent for Option<T> {
    const KIND: Kind = T::KIND;
}

impl<T: Referent> Referent for Vec<T> {
    const KIND: Kind = T::KIND;
}

/// The kind of record the field `field` reads refers to (the function is never called: its
/// type says it all).
pub const fn referred<T: Referent>(_field: for<'a> fn(&'a Record) -> &'a T) -> Kind {
    T::KIND
}

/// A field's type as a form edits it as `T`: a long text ([`Prose`]) as a `String`, a required
/// date as an optional one (the form refuses it empty), an id as a [`RefId`], a choice as its
/// [`ChoiceKey`]. A field whose type has no way to be edited as its spec's value does not
/// compile.
pub trait Edit<T> {
    fn get(&self) -> T;
    fn set(&mut self, value: T);
}

/// A field edited as what it is (a text, a list of lines, an optional date, a flag, a nested
/// list…).
impl<T: Clone> Edit<T> for T {
    fn get(&self) -> T {
        self.clone()
    }
    fn set(&mut self, value: T) {
        *self = value;
    }
}

impl Edit<String> for Prose {
    fn get(&self) -> String {
        self.text().into_owned()
    }
    fn set(&mut self, value: String) {
        *self = Prose::new(&value);
    }
}

/// A required value edited as an optional one: the form refuses it empty, so an empty value
/// never reaches the record (and would leave it as it was).
macro_rules! required {
    ($($ty:ty),*) => {$(
        impl Edit<Option<$ty>> for $ty {
            fn get(&self) -> Option<$ty> {
                Some(*self)
            }
            fn set(&mut self, value: Option<$ty>) {
                if let Some(v) = value {
                    *self = v;
                }
            }
        }
    )*};
}

required!(Date, Money, Percent);

/// A reference as a form holds it: the id of the record referred to, if one is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefId(pub Option<String>);

/// References as a form holds them: the ids, in their order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefIds(pub Vec<String>);

/// A choice as a form holds it: the key of the choice made, if one is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChoiceKey(pub Option<String>);

macro_rules! ids {
    ($($ty:ty => $kind:ident),*) => {$(
        impl Referent for $ty {
            const KIND: Kind = Kind::$kind;
        }

        impl super::Linked for $ty {
            fn linked(&self) -> Option<&str> {
                Some(self.as_str()).filter(|id| !id.is_empty())
            }
        }

        impl super::Linked for Option<$ty> {
            fn linked(&self) -> Option<&str> {
                self.as_ref().and_then(super::Linked::linked)
            }
        }

        impl Edit<RefId> for $ty {
            fn get(&self) -> RefId {
                RefId(Some(self.to_string()).filter(|s| !s.is_empty()))
            }
            fn set(&mut self, value: RefId) {
                if let Some(id) = value.0 {
                    *self = <$ty>::from(id.as_str());
                }
            }
        }

        impl Edit<RefId> for Option<$ty> {
            fn get(&self) -> RefId {
                RefId(self.as_ref().map(|id| id.to_string()))
            }
            fn set(&mut self, value: RefId) {
                *self = value.0.map(|id| <$ty>::from(id.as_str()));
            }
        }

        impl Edit<RefIds> for Vec<$ty> {
            fn get(&self) -> RefIds {
                RefIds(self.iter().map(|id| id.to_string()).collect())
            }
            fn set(&mut self, value: RefIds) {
                *self = value.0.iter().map(|id| <$ty>::from(id.as_str())).collect();
            }
        }
    )*};
}

ids!(
    ProjectId => Project,
    PartnerId => Partner,
    PracticeId => Practice,
    MeetingId => Meeting,
    CriteriaSetId => CriteriaSet,
    SessionId => Session,
    ActionPlanId => ActionPlan,
    ActionId => Action,
    SchemeId => Scheme,
    SmeId => Sme,
    MemberId => Member,
    TransferId => Transfer,
    StakeholderId => Stakeholder
);

macro_rules! choices {
    ($($ty:ty),*) => {$(
        impl Edit<ChoiceKey> for $ty {
            fn get(&self) -> ChoiceKey {
                ChoiceKey(Some(self.key().to_string()))
            }
            fn set(&mut self, value: ChoiceKey) {
                if let Some(Ok(v)) = value.0.map(|k| <$ty>::parse(&k)) {
                    *self = v;
                }
            }
        }

        impl Edit<ChoiceKey> for Option<$ty> {
            fn get(&self) -> ChoiceKey {
                ChoiceKey(self.map(|v| v.key().to_string()))
            }
            fn set(&mut self, value: ChoiceKey) {
                *self = value.0.and_then(|k| <$ty>::parse(&k).ok());
            }
        }
    )*};
}

choices!(
    PracticeStatus,
    ImplementationLevel,
    SubTheme,
    MeetingKind,
    MeetingMode,
    VoucherStatus,
    PartnerRole,
    InstrumentKind,
    ActionStatus,
    SmeSize,
    WebStatus,
    TransferResult,
    Helix
);

/// What a field holds, as the form edits it, and where in the record it is.
#[derive(Clone, Copy, Debug)]
pub enum Spec {
    /// The record's id (required: may not be blank; otherwise made from the title). A form
    /// shows it for a new record only.
    Id { required: bool },
    /// One line of text (required: may not be blank).
    Text { required: bool, at: Slot<String> },
    /// Several lines of text.
    Multi(Slot<String>),
    /// A list of texts, one a line.
    Lines(Slot<Vec<String>>),
    /// A list of words separated by commas.
    Words(Slot<Vec<String>>),
    Date {
        required: bool,
        at: Slot<Option<Date>>,
    },
    Money {
        required: bool,
        at: Slot<Option<Money>>,
    },
    /// One of the choices (optional: "—" first).
    Choice {
        options: fn() -> Vec<(String, String)>,
        required: bool,
        at: Slot<ChoiceKey>,
    },
    Ref {
        kind: Kind,
        required: bool,
        at: Slot<RefId>,
    },
    /// A percentage ("60" or "83.67").
    Percent {
        required: bool,
        at: Slot<Option<Percent>>,
    },
    /// An optional whole number (a yearly cap).
    Count(Slot<Option<u32>>),
    /// Yes or no.
    Flag(Slot<bool>),
    /// A voucher's type: one of the codes of the scheme chosen in the form (the choices follow
    /// the scheme field; see `Form::check`).
    VoucherType(Slot<String>),
    /// References to records of `kind`, one id a line (Ctrl-o picks one to add).
    Refs { kind: Kind, at: Slot<RefIds> },
    /// A nested list, one item a line in the list's format.
    Nested(Nested),
    /// A form-only line (the reason for a status move).
    Reason,
}

impl Spec {
    /// The name of the field the spec reads and writes (none for the id and the reason).
    pub const fn edits(&self) -> Option<&'static str> {
        Some(match self {
            Spec::Id { .. } | Spec::Reason => return None,
            Spec::Text { at, .. } | Spec::Multi(at) | Spec::VoucherType(at) => at.name,
            Spec::Lines(at) | Spec::Words(at) => at.name,
            Spec::Date { at, .. } => at.name,
            Spec::Money { at, .. } => at.name,
            Spec::Percent { at, .. } => at.name,
            Spec::Choice { at, .. } => at.name,
            Spec::Ref { at, .. } => at.name,
            Spec::Refs { at, .. } => at.name,
            Spec::Count(at) => at.name,
            Spec::Flag(at) => at.name,
            Spec::Nested(n) => n.edits(),
        })
    }
}

/// A nested list a form edits as lines, with its typed access.
#[derive(Clone, Copy, Debug)]
pub enum Nested {
    /// A meeting's follow-ups: `[ ] action | owner | due`, `[x]` when done.
    FollowUps(Slot<Vec<FollowUp>>),
    /// A meeting's agenda: `time | title | presenter`.
    Agenda(Slot<Vec<AgendaItem>>),
    /// A meeting's attendance: `name | organisation | partner id` for a guest,
    /// `stakeholder: ID` or `member: ID` for someone on record.
    Attendance(Slot<Vec<Attendee>>),
    /// A project's phases: `name | start | end`.
    Phases(Slot<Vec<Phase>>),
    /// An action plan's monitoring reports: `start | end | due | submitted | summary`, then
    /// `  > action | status | note` (progress) and `  # action | indicator | value` lines.
    Reports(Slot<Vec<MonitoringReport>>),
    /// An action's indicators: `name | target`.
    Indicators(Slot<Vec<Indicator>>),
    /// A scheme's voucher types: `code | name | min | max | participants | description`.
    VoucherTypes(Slot<Vec<VoucherType>>),
    /// A transfer's stage history: `date | stage | note`, oldest first.
    Stages(Slot<Vec<StageStep>>),
}

impl Nested {
    /// The name of the list's field.
    pub const fn edits(&self) -> &'static str {
        match self {
            Nested::FollowUps(at) => at.name,
            Nested::Agenda(at) => at.name,
            Nested::Attendance(at) => at.name,
            Nested::Phases(at) => at.name,
            Nested::Reports(at) => at.name,
            Nested::Indicators(at) => at.name,
            Nested::VoucherTypes(at) => at.name,
            Nested::Stages(at) => at.name,
        }
    }
}

/// Whether two names are the same (for the check, at compile time, that a field's form edits
/// that field).
pub(super) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The record's id, typed for a new record (required: may not be blank; otherwise made from
/// the title).
pub const fn id_text(required: bool) -> Spec {
    Spec::Id { required }
}

/// One line of text.
pub const fn text(required: bool, at: Slot<String>) -> Spec {
    Spec::Text { required, at }
}

/// Several lines of text.
pub const fn multi(at: Slot<String>) -> Spec {
    Spec::Multi(at)
}

/// A list of texts, one a line.
pub const fn lines(at: Slot<Vec<String>>) -> Spec {
    Spec::Lines(at)
}

/// A list of words separated by commas.
pub const fn words(at: Slot<Vec<String>>) -> Spec {
    Spec::Words(at)
}

/// A date (a day, a month, a year or a span).
pub const fn date(required: bool, at: Slot<Option<Date>>) -> Spec {
    Spec::Date { required, at }
}

/// An amount in euro.
pub const fn money(required: bool, at: Slot<Option<Money>>) -> Spec {
    Spec::Money { required, at }
}

/// A percentage.
pub const fn percent(required: bool, at: Slot<Option<Percent>>) -> Spec {
    Spec::Percent { required, at }
}

/// An optional whole number.
pub const fn count(at: Slot<Option<u32>>) -> Spec {
    Spec::Count(at)
}

/// Yes or no.
pub const fn flag(at: Slot<bool>) -> Spec {
    Spec::Flag(at)
}

/// A reference to a record of the kind the field's ids name, chosen by searching:
/// `reference(true, refers!(Transfer.practice))`.
pub const fn reference(required: bool, field: Refers<RefId>) -> Spec {
    Spec::Ref {
        kind: field.kind,
        required,
        at: field.at,
    }
}

/// References to records of the kind the field's ids name, one id a line.
pub const fn references(field: Refers<RefIds>) -> Spec {
    Spec::Refs {
        kind: field.kind,
        at: field.at,
    }
}

/// One of `options` (key, label).
pub const fn choice(
    options: fn() -> Vec<(String, String)>,
    required: bool,
    at: Slot<ChoiceKey>,
) -> Spec {
    Spec::Choice {
        options,
        required,
        at,
    }
}

macro_rules! options {
    ($name:ident, $ty:ty) => {
        /// The choices' keys and labels, in their order.
        pub fn $name() -> Vec<(String, String)> {
            <$ty>::ALL
                .iter()
                .map(|c| (c.key().to_string(), c.label().to_string()))
                .collect()
        }
    };
}

options!(practice_status, PracticeStatus);
options!(level, ImplementationLevel);
options!(sub_theme, SubTheme);
options!(meeting_kind, MeetingKind);
options!(meeting_mode, MeetingMode);
options!(voucher_status, VoucherStatus);
options!(partner_role, PartnerRole);
options!(instrument_kind, InstrumentKind);
options!(action_status, ActionStatus);
options!(sme_size, SmeSize);
options!(web_status, WebStatus);
options!(transfer_result, TransferResult);
options!(helix, Helix);
