//! The enumerations of the domain: each has a label for people, a snake_case name for files and
//! scripts, and `ALL` so that forms, filters and help can list the choices.
//!
//! The binary store encodes a variant by its position: append new variants, never reorder.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! choice_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $key:literal, $label:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $key)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The readable label ("study visit").
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }

            /// The name used in files and on the command line ("study_visit").
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }

            /// Accepts the key or the label, in any case, with '-' or ' ' for '_'.
            pub fn parse(text: &str) -> Result<$name, String> {
                let wanted = text.trim().to_lowercase().replace(['-', ' '], "_");
                Self::ALL.iter().copied()
                    .find(|v| v.key() == wanted || v.label().to_lowercase().replace(['-', ' '], "_") == wanted)
                    .ok_or_else(|| format!(
                        "'{}' is not one of: {}", text.trim(),
                        Self::ALL.iter().map(|v| v.key()).collect::<Vec<_>>().join(", ")
                    ))
            }
        }

        /// The first choice: what a new record starts with until a form sets it.
        impl Default for $name {
            fn default() -> $name {
                $name::ALL[0]
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

choice_enum!(
    /// A partner's role in the project.
    PartnerRole {
        Lead => "lead", "lead partner";
        Partner => "partner", "partner";
        Advisory => "advisory", "advisory partner";
    }
);

choice_enum!(
    /// The level at which a practice is implemented.
    ImplementationLevel {
        National => "national", "national";
        Regional => "regional", "regional";
        Local => "local", "local";
    }
);

choice_enum!(
    /// INTRA's three Interregional Task Force sub-themes.
    SubTheme {
        Leadership => "leadership", "1 leadership, organisation and management";
        Training => "training", "2 training and human resources";
        Finance => "finance", "3 financial resources";
    }
);

choice_enum!(
    /// A good practice's status in the partnership's funnel.
    PracticeStatus {
        Identified => "identified", "identified";
        Presented => "presented", "presented";
        Evaluated => "evaluated", "evaluated";
        Validated => "validated", "validated";
        InHandbook => "in_handbook", "in handbook";
        Rejected => "rejected", "rejected";
    }
);

impl PracticeStatus {
    /// The funnel stages in order, rejected last.
    pub const FUNNEL: &'static [PracticeStatus] = PracticeStatus::ALL;

    /// Whether a practice at this status has reached `stage` of the funnel.
    pub fn reached(self, stage: PracticeStatus) -> bool {
        match (self, stage) {
            (_, PracticeStatus::Rejected) => self == PracticeStatus::Rejected,
            (PracticeStatus::Rejected, _) => false,
            _ => self as u8 >= stage as u8,
        }
    }
}

choice_enum!(
    /// The practice's track on the programme website, separate from the partnership's status.
    WebStatus {
        Submitted => "submitted", "submitted";
        ApprovedByAdmin => "approved_by_admin", "approved by web admin";
        ValidatedBySecretariat => "validated_by_secretariat", "validated by the joint secretariat";
        ValidatedByPlatform => "validated_by_platform", "validated by Policy Learning Platform experts";
    }
);

choice_enum!(
    /// The kinds of project meetings.
    MeetingKind {
        KickOff => "kick_off", "kick-off";
        ThematicWorkshop => "thematic_workshop", "interregional thematic workshop";
        StudyVisit => "study_visit", "study visit";
        ItfMeeting => "itf_meeting", "ITF meeting";
        SteeringCommittee => "steering_committee", "steering committee";
        RsgMeeting => "rsg_meeting", "RSG meeting";
        InHouseLearning => "in_house_learning", "in-house learning meeting";
        Webinar => "webinar", "webinar";
        ThematicVisit => "thematic_visit", "thematic visit";
        InterregionalMeeting => "interregional_meeting", "interregional meeting";
        PartnerMeeting => "partner_meeting", "partner meeting";
        PeerReview => "peer_review", "peer review";
        FinalConference => "final_conference", "final conference";
    }
);

choice_enum!(
    /// How a meeting is held.
    MeetingMode {
        InPerson => "in_person", "in person";
        Online => "online", "online";
        Hybrid => "hybrid", "hybrid";
    }
);

choice_enum!(
    /// The lifecycle of an evaluation session.
    SessionState {
        Draft => "draft", "draft";
        Open => "open", "open";
        Consensus => "consensus", "consensus";
        Closed => "closed", "closed";
    }
);

impl SessionState {
    /// The states a session may move to next: consensus may go back to open for a second round.
    pub fn next(self) -> &'static [SessionState] {
        use SessionState::*;
        match self {
            Draft => &[Open],
            Open => &[Consensus],
            Consensus => &[Open, Closed],
            Closed => &[],
        }
    }
}

choice_enum!(
    /// The decision on a practice at the end of an evaluation.
    Decision {
        Validated => "validated", "validated";
        Rejected => "rejected", "rejected";
        Deferred => "deferred", "deferred";
    }
);

choice_enum!(
    /// The kind of policy instrument an action plan addresses.
    InstrumentKind {
        GrowthAndJobs => "growth_and_jobs", "Investment for Growth and Jobs programme";
        TerritorialCooperation => "territorial_cooperation", "European Territorial Cooperation programme";
        Other => "other", "other";
    }
);

choice_enum!(
    /// The implementation status of an action.
    ActionStatus {
        Planned => "planned", "planned";
        InProgress => "in_progress", "in progress";
        Implemented => "implemented", "implemented";
        PartlyImplemented => "partly_implemented", "partly implemented";
        NotImplemented => "not_implemented", "not implemented";
    }
);

choice_enum!(
    /// EU SME size classes.
    SmeSize {
        Micro => "micro", "micro";
        Small => "small", "small";
        Medium => "medium", "medium";
    }
);

choice_enum!(
    /// The lifecycle of a voucher application.
    VoucherStatus {
        Draft => "draft", "draft";
        Submitted => "submitted", "submitted";
        Approved => "approved", "approved (contract)";
        ClaimSubmitted => "claim_submitted", "claim submitted";
        Paid => "paid", "paid";
        Closed => "closed", "closed";
        Rejected => "rejected", "rejected";
        Withdrawn => "withdrawn", "withdrawn";
    }
);

impl VoucherStatus {
    /// The statuses an application may move to next from this one.
    pub fn next(self) -> &'static [VoucherStatus] {
        use VoucherStatus::*;
        match self {
            Draft => &[Submitted, Withdrawn],
            Submitted => &[Approved, Rejected, Withdrawn],
            Approved => &[ClaimSubmitted, Withdrawn],
            ClaimSubmitted => &[Paid, Rejected],
            Paid => &[Closed],
            Closed | Rejected | Withdrawn => &[],
        }
    }

    /// Whether the application counts against the SME's yearly caps.
    pub fn counts_against_caps(self) -> bool {
        !matches!(
            self,
            VoucherStatus::Draft | VoucherStatus::Rejected | VoucherStatus::Withdrawn
        )
    }
}

choice_enum!(
    /// How far the transfer of a practice into a region's policy instrument has come: interest,
    /// then studied, adapted and adopted in this order (a stage may be skipped), or dropped.
    TransferStage {
        Interest => "interest", "interest";
        Studied => "studied", "studied";
        Adapted => "adapted", "adapted";
        Adopted => "adopted", "adopted";
        Dropped => "dropped", "dropped";
    }
);

impl TransferStage {
    /// Whether nothing may follow the stage: the transfer was adopted or dropped.
    pub fn is_final(self) -> bool {
        matches!(self, TransferStage::Adopted | TransferStage::Dropped)
    }

    /// The stages in the order a transfer goes through them, as messages name them.
    pub fn order_text() -> &'static str {
        "interest → studied → adapted → adopted, or dropped at any point before adoption"
    }
}

choice_enum!(
    /// The programme's result a transfer counts towards.
    TransferResult {
        InstrumentImproved => "instrument_improved", "policy instrument improved";
        NewProjects => "new_projects", "new projects";
        Budget => "budget", "budget";
    }
);

choice_enum!(
    /// Which of the quadruple helix a stakeholder comes from: the four sides a regional
    /// stakeholder group brings together.
    Helix {
        PublicAuthority => "public_authority", "public authority";
        Business => "business", "business";
        Research => "research_education", "research and education";
        CivilSociety => "civil_society", "civil society";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_by_key_or_label() {
        assert_eq!(
            MeetingKind::parse("study visit"),
            Ok(MeetingKind::StudyVisit)
        );
        assert_eq!(
            MeetingKind::parse("ITF-meeting"),
            Ok(MeetingKind::ItfMeeting)
        );
        assert_eq!(
            VoucherStatus::parse("claim_submitted"),
            Ok(VoucherStatus::ClaimSubmitted)
        );
        let err = PracticeStatus::parse("approved").unwrap_err();
        assert!(err.contains("identified, presented"), "{err}");
    }

    #[test]
    fn funnel_stages_are_cumulative() {
        assert!(PracticeStatus::InHandbook.reached(PracticeStatus::Validated));
        assert!(!PracticeStatus::Presented.reached(PracticeStatus::Evaluated));
        assert!(!PracticeStatus::Rejected.reached(PracticeStatus::Identified));
        assert!(PracticeStatus::Rejected.reached(PracticeStatus::Rejected));
    }
}
