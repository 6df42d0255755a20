//! The records people keep in taskforce, with their fields as DOMAIN.md describes them.
//!
//! Fields that may be left out of an import file carry `#[serde(default)]`; required ones do not,
//! so that a missing one is reported by name. The binary store encodes fields by position:
//! changing a struct needs a new envelope version (see `store::codec`).

use serde::{Deserialize, Serialize};

use super::choices::*;
use super::ids::*;
use super::prose::Prose;
use super::values::*;

/// A stage of a project (phase 1: exchange of experience; phase 2: monitoring).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub name: String,
    pub start: Date,
    pub end: Date,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: ProjectId,
    pub acronym: String,
    pub title: String,
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub start: Option<Date>,
    #[serde(default)]
    pub end: Option<Date>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub total_budget: Option<Money>,
    #[serde(default)]
    pub erdf_amount: Option<Money>,
    #[serde(default)]
    pub erdf_rate: Option<Percent>,
    #[serde(default)]
    pub lead_partner: Option<PartnerId>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub website: String,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub id: PartnerId,
    pub project: ProjectId,
    pub organisation: String,
    #[serde(default)]
    pub short_name: String,
    /// ISO 3166-1 alpha-2 code (`SI`, `UK` is accepted for the United Kingdom as the programme writes it).
    pub country: String,
    #[serde(default)]
    pub region: String,
    /// NUTS 2 code where known (`SI03`).
    #[serde(default)]
    pub nuts2: String,
    #[serde(default)]
    pub city: String,
    pub role: PartnerRole,
    #[serde(default)]
    pub policy_instrument: String,
    #[serde(default)]
    pub website: String,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

/// One step in a practice's status history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub at: Timestamp,
    pub by: String,
    #[serde(default)]
    pub from: Option<PracticeStatus>,
    pub to: PracticeStatus,
    #[serde(default)]
    pub reason: String,
    /// The evaluation session whose decision made the change, if any.
    #[serde(default)]
    pub session: Option<SessionId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub id: PracticeId,
    pub project: ProjectId,
    /// At most 100 characters.
    pub title: String,
    /// The organisation that runs the practice (not necessarily a partner); empty when unknown.
    #[serde(default)]
    pub owner: String,
    /// The partner that identified and presented it.
    #[serde(default)]
    pub partner: Option<PartnerId>,
    pub country: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub level: Option<ImplementationLevel>,
    #[serde(default)]
    pub sub_theme: Option<SubTheme>,
    #[serde(default)]
    pub summary: Prose,
    #[serde(default)]
    pub description: Prose,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub resources: Prose,
    #[serde(default)]
    pub evidence: Prose,
    #[serde(default)]
    pub transfer_potential: Prose,
    #[serde(default)]
    pub difficulties: Prose,
    #[serde(default)]
    pub start: Option<Date>,
    #[serde(default)]
    pub end: Option<Date>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub status: PracticeStatus,
    #[serde(default)]
    pub history: Vec<StatusChange>,
    #[serde(default)]
    pub web_status: Option<WebStatus>,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

impl Practice {
    /// The long texts, by field name.
    pub fn prose(&self) -> [(&'static str, &Prose); 6] {
        [
            ("summary", &self.summary),
            ("description", &self.description),
            ("resources", &self.resources),
            ("evidence", &self.evidence),
            ("transfer_potential", &self.transfer_potential),
            ("difficulties", &self.difficulties),
        ]
    }

    /// The long texts, to change them in place.
    pub fn prose_mut(&mut self) -> [&mut Prose; 6] {
        [
            &mut self.summary,
            &mut self.description,
            &mut self.resources,
            &mut self.evidence,
            &mut self.transfer_potential,
            &mut self.difficulties,
        ]
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    #[serde(default)]
    pub time: String,
    pub title: String,
    #[serde(default)]
    pub presenter: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// Someone at a meeting: a stakeholder or a member on record (whose name, organisation and
/// partner come from their record, so that the meeting keeps no copy of them), or a guest
/// named as free text.
pub struct Attendee {
    /// A guest's name; empty for a stakeholder or member on record.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub partner: Option<PartnerId>,
    #[serde(default, deserialize_with = "crate::store::codec::since_v3")]
    pub stakeholder: Option<StakeholderId>,
    #[serde(default, deserialize_with = "crate::store::codec::since_v3")]
    pub member: Option<MemberId>,
}

impl Attendee {
    /// A guest, named as free text.
    pub fn guest(name: &str, organisation: &str, partner: Option<PartnerId>) -> Attendee {
        Attendee {
            name: name.into(),
            organisation: organisation.into(),
            partner,
            stakeholder: None,
            member: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub action: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub done: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: MeetingId,
    pub project: ProjectId,
    pub title: String,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    #[serde(default)]
    pub host: Option<PartnerId>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    pub start: Date,
    #[serde(default)]
    pub end: Option<Date>,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub attendance: Vec<Attendee>,
    #[serde(default)]
    pub minutes: Prose,
    /// The practices presented at this meeting.
    #[serde(default)]
    pub practices: Vec<PracticeId>,
    #[serde(default)]
    pub decisions: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

impl Meeting {
    /// The last day the meeting may have lasted to.
    pub fn last_day(&self) -> Date {
        self.end.unwrap_or(self.start).last()
    }
}

/// What one point of a scale means ("0: fails to address the criterion").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    pub value: Decimal1,
    pub meaning: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub min: Decimal1,
    pub max: Decimal1,
    /// The smallest step between two scores (1 or 0.1).
    pub step: Decimal1,
    #[serde(default)]
    pub points: Vec<ScalePoint>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub code: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// Relative weight; weights are normalised over a set, so 1-1-1-1 and 0.25×4 mean the same.
    pub weight: Percent,
    pub scale: Scale,
    /// A score below this fails the criterion.
    #[serde(default)]
    pub pass_threshold: Option<Decimal1>,
    /// Failing an eliminatory criterion fails the practice whatever its total.
    #[serde(default)]
    pub eliminatory: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    pub id: CriteriaSetId,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub criteria: Vec<Criterion>,
    /// The weighted mean a practice needs to pass (e.g. 3.00 for the weighted merit set).
    #[serde(default)]
    pub pass_mark: Option<Decimal1>,
}

/// The agreed value and decision for one practice in a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsensusEntry {
    pub practice: PracticeId,
    /// Overrides the mean when set; the comment says why.
    #[serde(default)]
    pub value: Option<Decimal1>,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub decision: Option<Decision>,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: Option<Timestamp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSession {
    pub id: SessionId,
    pub meeting: MeetingId,
    pub title: String,
    pub state: SessionState,
    pub criteria_set: CriteriaSetId,
    /// The criteria frozen when the session opened; empty while it is a draft.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// The set's pass mark, frozen with the criteria.
    #[serde(default)]
    pub pass_mark: Option<Decimal1>,
    pub practices: Vec<PracticeId>,
    /// The evaluators' user names.
    pub evaluators: Vec<String>,
    /// Flag a criterion when scores differ by more than this (e.g. 3 on a 10-point scale).
    #[serde(default)]
    pub max_spread: Option<Decimal1>,
    #[serde(default)]
    pub consensus: Vec<ConsensusEntry>,
}

/// One evaluator's score of one criterion of one practice; `value` is empty when abstaining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub id: ScoreId,
    pub session: SessionId,
    pub practice: PracticeId,
    pub evaluator: String,
    pub criterion: String,
    #[serde(default)]
    pub value: Option<Decimal1>,
    /// Set when the evaluator abstains (conflict of interest): the reason.
    #[serde(default)]
    pub abstain_reason: String,
    #[serde(default)]
    pub comment: String,
    /// Who typed it in, when not the evaluator (proxy scoring from a paper form).
    #[serde(default)]
    pub entered_by: String,
    pub at: Timestamp,
}

impl Score {
    /// The `criterion` of an evaluator's comment on a practice as a whole (no value, a comment):
    /// kept as a score record so it has the same owner, lifecycle, audit and undo as scores.
    pub const PRACTICE_COMMENT: &'static str = "*";

    pub fn is_practice_comment(&self) -> bool {
        self.criterion == Score::PRACTICE_COMMENT
    }

    /// The id a score must have: one score per session, practice, evaluator and criterion.
    pub fn key(
        session: &SessionId,
        practice: &PracticeId,
        evaluator: &str,
        criterion: &str,
    ) -> ScoreId {
        ScoreId(compact_str::format_compact!(
            "{session}:{practice}:{evaluator}:{criterion}"
        ))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionProgress {
    pub action: ActionId,
    pub status: ActionStatus,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    pub action: ActionId,
    pub indicator: String,
    pub value: String,
}

/// A phase-2 report on one semester; due three months after the period ends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringReport {
    pub period_start: Date,
    pub period_end: Date,
    pub due: Date,
    #[serde(default)]
    pub submitted_on: Option<Date>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub progress: Vec<ActionProgress>,
    #[serde(default)]
    pub indicators: Vec<IndicatorValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionPlan {
    pub id: ActionPlanId,
    pub project: ProjectId,
    pub partner: PartnerId,
    pub title: String,
    pub instrument: String,
    pub instrument_kind: InstrumentKind,
    #[serde(default)]
    pub validated_on: Option<Date>,
    #[serde(default)]
    pub validated_by: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub reports: Vec<MonitoringReport>,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: String,
    #[serde(default)]
    pub target: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: ActionId,
    pub plan: ActionPlanId,
    pub title: String,
    #[serde(default)]
    pub background: String,
    /// The good practices that inspired the action.
    #[serde(default)]
    pub inspired_by: Vec<PracticeId>,
    #[serde(default)]
    pub activities: String,
    #[serde(default)]
    pub players: String,
    #[serde(default)]
    pub start: Option<Date>,
    #[serde(default)]
    pub end: Option<Date>,
    #[serde(default)]
    pub costs: Option<Money>,
    #[serde(default)]
    pub funding: String,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    pub status: ActionStatus,
    /// Required when the status is "not implemented".
    #[serde(default)]
    pub status_reason: String,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoucherType {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Narrower bounds than the scheme's, where the type has them.
    #[serde(default)]
    pub min_amount: Option<Money>,
    #[serde(default)]
    pub max_amount: Option<Money>,
    #[serde(default)]
    pub max_participants: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoucherScheme {
    pub id: SchemeId,
    #[serde(default)]
    pub project: Option<ProjectId>,
    pub name: String,
    /// Empty when unknown.
    #[serde(default)]
    pub issuer: String,
    pub country: String,
    #[serde(default)]
    pub opens: Option<Date>,
    #[serde(default)]
    pub closes: Option<Date>,
    /// The highest co-financing rate.
    pub rate: Percent,
    pub min_amount: Money,
    pub max_amount: Money,
    #[serde(default)]
    pub max_vouchers_per_year: Option<u32>,
    #[serde(default)]
    pub max_total_per_year: Option<Money>,
    #[serde(default)]
    pub budget: Option<Money>,
    #[serde(default)]
    pub eligible_costs: String,
    #[serde(default)]
    pub vat_eligible: bool,
    #[serde(default)]
    pub aid_regime: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub types: Vec<VoucherType>,
    /// Where the record's facts come from (a website, a news item, the minutes of a meeting),
    /// one a line; shown in the detail, not searched.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub source: String,
}

impl VoucherScheme {
    pub fn voucher_type(&self, code: &str) -> Option<&VoucherType> {
        self.types.iter().find(|t| t.code == code)
    }

    /// The (min, max) amounts that apply to a voucher of this type.
    pub fn bounds(&self, type_code: &str) -> (Money, Money) {
        let t = self.voucher_type(type_code);
        (
            t.and_then(|t| t.min_amount).unwrap_or(self.min_amount),
            t.and_then(|t| t.max_amount).unwrap_or(self.max_amount),
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sme {
    pub id: SmeId,
    pub name: String,
    #[serde(default)]
    pub registration_number: String,
    pub size: SmeSize,
    pub country: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub city: String,
}

/// An SME's application for a voucher.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voucher {
    pub id: VoucherId,
    pub scheme: SchemeId,
    pub voucher_type: String,
    pub sme: SmeId,
    /// The event or service the voucher pays for.
    pub service: String,
    pub eligible_cost: Money,
    pub requested: Money,
    #[serde(default)]
    pub approved: Option<Money>,
    #[serde(default)]
    pub paid: Option<Money>,
    #[serde(default)]
    pub submitted_on: Option<Date>,
    #[serde(default)]
    pub contract_start: Option<Date>,
    #[serde(default)]
    pub contract_end: Option<Date>,
    #[serde(default)]
    pub costs_from: Option<Date>,
    #[serde(default)]
    pub costs_to: Option<Date>,
    #[serde(default)]
    pub claim_on: Option<Date>,
    #[serde(default)]
    pub paid_on: Option<Date>,
    pub status: VoucherStatus,
    /// Why it was rejected or withdrawn.
    #[serde(default)]
    pub status_reason: String,
    /// The people who travel on an event voucher (forums, delegations), one a line.
    #[serde(default, deserialize_with = "crate::store::codec::since_v2")]
    pub participants: Vec<String>,
}

impl Voucher {
    /// The year whose caps the application counts against: that of its contract, else its
    /// submission; none while that date may fall in either of two years (it cannot be counted
    /// against one without guessing).
    pub fn cap_year(&self) -> Option<i32> {
        self.contract_start
            .or(self.submitted_on)
            .filter(|d| d.first().year() == d.last().year())
            .map(Date::year)
    }

    /// The amount that counts against the SME's yearly total.
    pub fn committed_amount(&self) -> Money {
        self.paid.or(self.approved).unwrap_or(self.requested)
    }
}

/// Someone who works in the database: a login name, and whether they facilitate sessions.
/// Facilitators open and close sessions, set consensus and decisions, score on behalf of others
/// and manage who is a facilitator; the first user of a new database becomes one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The login name on the server (what the kernel reports for the connection).
    pub id: MemberId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub partner: Option<PartnerId>,
    #[serde(default)]
    pub facilitator: bool,
}

/// That a stakeholder's personal data was erased: when (the store's clock) and by whom (the
/// connection's user), never what a client says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    pub at: Timestamp,
    pub by: String,
}

/// A person or an organisation of a partner's regional stakeholder group (RSG). Contact
/// details are kept only with the date the person consented (GDPR); an erasure blanks the
/// personal fields for good and records that it was done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    pub id: StakeholderId,
    /// The partner whose stakeholder group they belong to.
    pub partner: PartnerId,
    /// The organisation they come from (or that takes part as such).
    #[serde(default)]
    pub organisation: String,
    /// The person's name; empty for an organisation taking part as such.
    #[serde(default)]
    pub name: String,
    pub helix: Helix,
    /// Their role in the organisation or the group ("head of the SME unit").
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// The day the person consented to their contact details being kept.
    #[serde(default)]
    pub consent: Option<Date>,
    /// Set by the store alone, when the person's data is erased.
    #[serde(default)]
    pub erased: Option<Erasure>,
}

impl Stakeholder {
    /// What an erased stakeholder's name reads.
    pub const ERASED: &'static str = "(erased)";

    /// The email and phone to show: none without a recorded consent (or once erased).
    pub fn contact(&self) -> Option<(&str, &str)> {
        (self.consent.is_some() && self.erased.is_none())
            .then_some((self.email.as_str(), self.phone.as_str()))
    }

    /// The person's data that an erasure takes away, as it reads now (non-empty values only):
    /// name, role, email and phone.
    pub fn personal(&self) -> Vec<&str> {
        [&self.name, &self.role, &self.email, &self.phone]
            .into_iter()
            .map(|s| s.as_str())
            .filter(|s| !s.trim().is_empty() && *s != Self::ERASED)
            .collect()
    }

    /// The record without the person's data: the name replaced by the marker, role, contact
    /// and consent blank; what it is, where it belongs and `erased` as they were.
    pub fn without_personal_data(&self) -> Stakeholder {
        Stakeholder {
            name: Self::ERASED.into(),
            role: String::new(),
            email: String::new(),
            phone: String::new(),
            consent: None,
            ..self.clone()
        }
    }

    /// A one-line name: the person, else the organisation.
    pub fn display_name(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.organisation
        } else {
            &self.name
        }
    }
}

/// One step of a transfer's stage history: the stage reached, on which day (a month or a year
/// where that is all that is known), and a note (for a drop, the reason).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageStep {
    pub on: Date,
    pub stage: TransferStage,
    #[serde(default)]
    pub note: String,
}

/// The transfer of a good practice into the policy instrument of an adopting partner's region:
/// what the programme judges a project by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub id: TransferId,
    pub title: String,
    /// The practice transferred (of any project: learning from others is the point).
    pub practice: PracticeId,
    /// The adopting partner, whose region takes the practice in.
    pub partner: PartnerId,
    /// The policy instrument the practice is transferred into.
    pub instrument: String,
    /// The action of the partner's action plan that carries the transfer, once there is one.
    #[serde(default)]
    pub action: Option<ActionId>,
    /// The stage history, oldest first: the current stage is the last.
    #[serde(default)]
    pub stages: Vec<StageStep>,
    #[serde(default)]
    pub evidence: String,
    /// Web addresses of the evidence, one a line.
    #[serde(default)]
    pub links: Vec<String>,
    /// The programme's result it counts towards, once known.
    #[serde(default)]
    pub result: Option<TransferResult>,
    /// Where the record's facts come from, one a line; shown in the detail, not searched.
    #[serde(default)]
    pub source: String,
}

impl Transfer {
    /// The stage reached: the last of the history.
    pub fn stage(&self) -> Option<TransferStage> {
        self.stages.last().map(|s| s.stage)
    }

    /// The day the current stage was reached.
    pub fn stage_on(&self) -> Option<Date> {
        self.stages.last().map(|s| s.on)
    }
}

impl MonitoringReport {
    /// A semester's report is due three months after the period ends.
    pub fn due_for(period_end: Date) -> Date {
        period_end.add_months(3)
    }

    pub fn overdue(&self, today: Date) -> bool {
        self.submitted_on.is_none() && self.due.before(today)
    }
}

impl FollowUp {
    pub fn overdue(&self, today: Date) -> bool {
        !self.done && self.due.is_some_and(|d| d.before(today))
    }
}
