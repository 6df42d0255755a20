//! How a form edits a field: part of the field's declaration, so that the forms list the
//! fields the declarations give them. The editing itself (inputs, parsing) is the workbench's
//! (`tui::forms::specs`, `tui::forms::lines`).

use crate::model::*;

/// What a field holds, as the form edits it.
#[derive(Clone, Debug)]
pub enum Spec {
    /// One line of text (required: may not be blank).
    Text {
        required: bool,
    },
    /// Several lines of text.
    Multi,
    /// A list of texts, one a line.
    Lines,
    /// A list of words separated by commas.
    Words,
    Date {
        required: bool,
    },
    Money {
        required: bool,
    },
    /// One of the choices (optional: "—" first).
    Choice {
        options: fn() -> Vec<(String, String)>,
        required: bool,
    },
    Ref {
        kind: Kind,
        required: bool,
    },
    /// A percentage ("60" or "83.67").
    Percent {
        required: bool,
    },
    /// An optional whole number (a yearly cap).
    Count,
    /// Yes or no.
    Flag,
    /// A voucher's type: one of the codes of the scheme chosen in the form (the choices follow
    /// the scheme field; see `Form::check`).
    VoucherType,
    /// References to records of `kind`, one id a line (Ctrl-o picks one to add).
    Refs {
        kind: Kind,
    },
    /// A nested list, one item a line in the list's format.
    Nested(Nested),
    /// A form-only line (the reason for a status move).
    Reason,
}

/// A nested list a form edits as lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nested {
    /// A meeting's follow-ups: `[ ] action | owner | due`, `[x]` when done.
    FollowUps,
    /// A meeting's agenda: `time | title | presenter`.
    Agenda,
    /// A meeting's attendance: `name | organisation | partner id` for a guest,
    /// `stakeholder: ID` or `member: ID` for someone on record.
    Attendance,
    /// A project's phases: `name | start | end`.
    Phases,
    /// An action plan's monitoring reports: `start | end | due | submitted | summary`, then
    /// `  > action | status | note` (progress) and `  # action | indicator | value` lines.
    Reports,
    /// An action's indicators: `name | target`.
    Indicators,
    /// A scheme's voucher types: `code | name | min | max | participants | description`.
    VoucherTypes,
    /// A transfer's stage history: `date | stage | note`, oldest first.
    Stages,
}

/// One line of text.
pub const fn text(required: bool) -> Spec {
    Spec::Text { required }
}

/// A reference to a record of `kind`, chosen by searching.
pub const fn reference(kind: Kind, required: bool) -> Spec {
    Spec::Ref { kind, required }
}

/// One of `options` (key, label).
pub const fn choice(options: fn() -> Vec<(String, String)>, required: bool) -> Spec {
    Spec::Choice { options, required }
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
