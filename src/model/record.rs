//! `Kind` and `Record`: every record type behind one enum, and `Dataset`, the file format.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::PartnerId;
use super::prose::Prose;
use super::records::*;

macro_rules! kinds {
    ($($variant:ident($ty:ty) => $field:ident, $one:literal, $prefix:literal;)*) => {
        /// A kind of record. Its position is its stored tag: append, never reorder.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Kind { $($variant,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The plural key used for trees, file sections and `--kind` ("practices").
            pub fn key(self) -> &'static str {
                match self { $(Kind::$variant => stringify!($field),)* }
            }

            /// One record of the kind, for messages ("practice").
            pub fn singular(self) -> &'static str {
                match self { $(Kind::$variant => $one,)* }
            }

            /// The prefix that narrows a search to this kind ("p" for practices).
            pub fn search_prefix(self) -> &'static str {
                match self { $(Kind::$variant => $prefix,)* }
            }

            /// Accepts the key, the singular, or a unique start of either ("prac", "voucher").
            pub fn parse(text: &str) -> Result<Kind, String> {
                let t = text.trim().to_lowercase().replace(['-', ' '], "_");
                if let Some(k) = Kind::ALL.iter().find(|k| k.key() == t || k.singular().replace(' ', "_") == t) {
                    return Ok(*k);
                }
                let starts: Vec<Kind> = Kind::ALL.iter().copied().filter(|k| !t.is_empty() && k.key().starts_with(&t)).collect();
                match starts.as_slice() {
                    [k] => Ok(*k),
                    _ => Err(format!("'{}' is not a kind of record; the kinds are: {}", text.trim(),
                        Kind::ALL.iter().map(|k| k.key()).collect::<Vec<_>>().join(", "))),
                }
            }
        }

        /// Any record. Each is boxed, so that a record costs its own size and not the largest
        /// kind's (a practice is 432 bytes before its text, an SME a fraction of that): with
        /// 100k records in a replica that is tens of megabytes. Encodings are unchanged.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Record { $($variant(Box<$ty>),)* }

        impl Record {
            pub fn kind(&self) -> Kind {
                match self { $(Record::$variant(_) => Kind::$variant,)* }
            }

            pub fn id(&self) -> &str {
                match self { $(Record::$variant(r) => r.id.as_str(),)* }
            }

            /// Gives the record the id `id` (a form's, typed or made from the title).
            pub fn set_id(&mut self, id: &str) {
                match self { $(Record::$variant(r) => r.id = id.into(),)* }
            }
        }

        $(
            impl From<$ty> for Record {
                fn from(r: $ty) -> Record { Record::$variant(Box::new(r)) }
            }

            impl From<Box<$ty>> for Record {
                fn from(r: Box<$ty>) -> Record { Record::$variant(r) }
            }
        )*

        /// The import/export file: one section per kind, in an order where references point back.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Dataset {
            /// The file format's version; files name it so that later versions can read old files.
            #[serde(default = "Dataset::current_format")]
            pub taskforce_format: u32,
            $(#[serde(default)] pub $field: Vec<$ty>,)*
        }

        impl Dataset {
            pub const FORMAT: u32 = 1;

            fn current_format() -> u32 { Self::FORMAT }

            pub fn new() -> Dataset {
                Dataset { taskforce_format: Self::FORMAT, ..Default::default() }
            }

            pub fn push(&mut self, record: Record) {
                match record { $(Record::$variant(r) => self.$field.push(*r),)* }
            }

            /// All records, kind by kind, each with its position inside its section.
            pub fn into_records(self) -> Vec<(usize, Record)> {
                let mut out = Vec::new();
                $(out.extend(self.$field.into_iter().enumerate().map(|(i, r)| (i, Record::from(r))));)*
                out
            }

            pub fn len(&self) -> usize {
                0 $(+ self.$field.len())*
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
        }
    };
}

kinds! {
    Project(Project) => projects, "project", "proj";
    Partner(Partner) => partners, "partner", "org";
    Practice(Practice) => practices, "practice", "p";
    Meeting(Meeting) => meetings, "meeting", "m";
    CriteriaSet(CriteriaSet) => criteria_sets, "criteria set", "crit";
    Session(EvaluationSession) => sessions, "session", "ses";
    Score(Score) => scores, "score", "score";
    ActionPlan(ActionPlan) => action_plans, "action plan", "plan";
    Action(Action) => actions, "action", "a";
    Scheme(VoucherScheme) => schemes, "voucher scheme", "s";
    Sme(Sme) => smes, "SME", "sme";
    Voucher(Voucher) => vouchers, "voucher", "v";
    Member(Member) => members, "member", "who";
    Transfer(Transfer) => transfers, "transfer", "tr";
    Stakeholder(Stakeholder) => stakeholders, "stakeholder", "sh";
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A reference from one record to another, with the field that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub field: String,
    pub kind: Kind,
    pub id: String,
}

/// Where in a record a reference is held: a field (`project`), a list's entry (`practices[2]`,
/// `attendance[0].partner`) or an entry of a list within one (`reports[0].progress[1].action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Field(&'static str),
    /// The list, the entry, and the entry's field (empty: the entry itself).
    Item(&'static str, usize, &'static str),
    Nested(&'static str, usize, &'static str, usize, &'static str),
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            At::Field(name) => f.write_str(name),
            At::Item(list, i, "") => write!(f, "{list}[{i}]"),
            At::Item(list, i, field) => write!(f, "{list}[{i}].{field}"),
            At::Nested(list, i, inner, j, field) => write!(f, "{list}[{i}].{inner}[{j}].{field}"),
        }
    }
}

impl Record {
    /// The record's long texts ([`Prose`]), each with its field: a practice's six, a meeting's
    /// minutes. The one list that says which texts are kept deflated, checked as running text,
    /// and left out of a workbench's copy.
    pub fn long_texts(&self) -> Vec<(&'static str, &Prose)> {
        match self {
            Record::Practice(p) => p.prose().to_vec(),
            Record::Meeting(m) => vec![("minutes", &m.minutes)],
            _ => Vec::new(),
        }
    }

    /// [`Record::long_texts`], to change them in place (in the same order).
    pub fn long_texts_mut(&mut self) -> Vec<&mut Prose> {
        match self {
            Record::Practice(p) => p.prose_mut().into(),
            Record::Meeting(m) => vec![&mut m.minutes],
            _ => Vec::new(),
        }
    }

    /// The first long text of the record that does not inflate (damaged in the database), as
    /// "field: what is wrong".
    pub fn damaged_text(&self) -> Option<String> {
        self.long_texts()
            .into_iter()
            .filter(|(_, text)| !text.is_elided())
            .find_map(|(field, text)| text.try_text().err().map(|e| format!("{field}: {e}")))
    }

    /// Leaves the record's long texts out (see [`Prose::elided`]): what a workbench keeps of
    /// every record it does not show.
    pub fn elide_texts(&mut self) {
        for text in self.long_texts_mut() {
            if !text.is_empty() {
                *text = Prose::elided();
            }
        }
    }

    /// Whether the record holds a long text that [`Record::elide_texts`] would leave out.
    pub fn holds_texts(&self) -> bool {
        self.long_texts()
            .iter()
            .any(|(_, t)| !t.is_empty() && !t.is_elided())
    }

    /// Whether some long text of the record was left out of this copy.
    pub fn has_elided_texts(&self) -> bool {
        self.long_texts().iter().any(|(_, t)| t.is_elided())
    }

    /// Takes each text left out of this copy from `whole`, the same record as stored (what
    /// `whole` lacks too, or another record's, stays left out).
    pub fn fill_texts_from(&mut self, whole: &Record) {
        if self.kind() != whole.kind() || self.id() != whole.id() {
            return;
        }
        for (text, (_, stored)) in self.long_texts_mut().into_iter().zip(whole.long_texts()) {
            if text.is_elided() {
                *text = stored.clone();
            }
        }
    }

    /// Where the record's facts come from, for the kinds that name it.
    pub fn source(&self) -> Option<&str> {
        match self {
            Record::Project(r) => Some(&r.source),
            Record::Partner(r) => Some(&r.source),
            Record::Practice(r) => Some(&r.source),
            Record::Meeting(r) => Some(&r.source),
            Record::ActionPlan(r) => Some(&r.source),
            Record::Action(r) => Some(&r.source),
            Record::Scheme(r) => Some(&r.source),
            Record::Transfer(r) => Some(&r.source),
            _ => None,
        }
    }

    /// A one-line name for lists and messages.
    pub fn title(&self) -> String {
        match self {
            Record::Project(r) => format!("{} — {}", r.acronym, r.title),
            Record::Partner(r) => r.organisation.clone(),
            Record::Practice(r) => r.title.clone(),
            Record::Meeting(r) => r.title.clone(),
            Record::CriteriaSet(r) => r.name.clone(),
            Record::Session(r) => r.title.clone(),
            Record::Score(r) => format!("{} · {} · {}", r.practice, r.evaluator, r.criterion),
            Record::ActionPlan(r) => r.title.clone(),
            Record::Action(r) => r.title.clone(),
            Record::Scheme(r) => r.name.clone(),
            Record::Sme(r) => r.name.clone(),
            Record::Voucher(r) => format!("{} — {}", r.service, r.sme),
            Record::Member(r) if r.name.is_empty() => r.id.to_string(),
            Record::Member(r) => format!("{} ({})", r.name, r.id),
            Record::Transfer(r) => r.title.clone(),
            Record::Stakeholder(r) => r.display_name().to_string(),
        }
    }

    /// The project a record belongs to, where it belongs to one directly.
    pub fn project(&self) -> Option<&str> {
        match self {
            Record::Project(r) => Some(r.id.as_str()),
            Record::Partner(r) => Some(r.project.as_str()),
            Record::Practice(r) => Some(r.project.as_str()),
            Record::Meeting(r) => Some(r.project.as_str()),
            Record::ActionPlan(r) => Some(r.project.as_str()),
            Record::Scheme(r) => r.project.as_ref().map(|p| p.as_str()),
            _ => None,
        }
    }

    /// Every reference this record holds to another.
    pub fn references(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        self.each_reference(&mut |at, kind, id| {
            out.push(Ref {
                field: at.to_string(),
                kind,
                id: id.to_string(),
            })
        });
        out
    }

    /// Hands `add` every reference this record holds to another, without building anything:
    /// the links back of a million records are built from it.
    pub fn each_reference<'a>(&'a self, add: &mut dyn FnMut(At, Kind, &'a str)) {
        use At::{Field, Item, Nested};
        match self {
            Record::Project(r) => {
                if let Some(p) = &r.lead_partner {
                    add(Field("lead_partner"), Kind::Partner, p.as_str());
                }
            }
            Record::Partner(r) => add(Field("project"), Kind::Project, r.project.as_str()),
            Record::Practice(r) => {
                add(Field("project"), Kind::Project, r.project.as_str());
                if let Some(p) = &r.partner {
                    add(Field("partner"), Kind::Partner, p.as_str());
                }
                for (i, h) in r.history.iter().enumerate() {
                    if let Some(s) = &h.session {
                        add(Item("history", i, "session"), Kind::Session, s.as_str());
                    }
                }
            }
            Record::Meeting(r) => {
                add(Field("project"), Kind::Project, r.project.as_str());
                if let Some(h) = &r.host {
                    add(Field("host"), Kind::Partner, h.as_str());
                }
                for (i, a) in r.attendance.iter().enumerate() {
                    if let Some(p) = &a.partner {
                        add(Item("attendance", i, "partner"), Kind::Partner, p.as_str());
                    }
                    if let Some(s) = &a.stakeholder {
                        add(
                            Item("attendance", i, "stakeholder"),
                            Kind::Stakeholder,
                            s.as_str(),
                        );
                    }
                    if let Some(m) = &a.member {
                        add(Item("attendance", i, "member"), Kind::Member, m.as_str());
                    }
                }
                for (i, p) in r.practices.iter().enumerate() {
                    add(Item("practices", i, ""), Kind::Practice, p.as_str());
                }
            }
            Record::CriteriaSet(_) => {}
            Record::Session(r) => {
                add(Field("meeting"), Kind::Meeting, r.meeting.as_str());
                add(
                    Field("criteria_set"),
                    Kind::CriteriaSet,
                    r.criteria_set.as_str(),
                );
                for (i, p) in r.practices.iter().enumerate() {
                    add(Item("practices", i, ""), Kind::Practice, p.as_str());
                }
                for (i, c) in r.consensus.iter().enumerate() {
                    add(
                        Item("consensus", i, "practice"),
                        Kind::Practice,
                        c.practice.as_str(),
                    );
                }
            }
            Record::Score(r) => {
                add(Field("session"), Kind::Session, r.session.as_str());
                add(Field("practice"), Kind::Practice, r.practice.as_str());
            }
            Record::ActionPlan(r) => {
                add(Field("project"), Kind::Project, r.project.as_str());
                add(Field("partner"), Kind::Partner, r.partner.as_str());
                for (i, rep) in r.reports.iter().enumerate() {
                    for (j, p) in rep.progress.iter().enumerate() {
                        add(
                            Nested("reports", i, "progress", j, "action"),
                            Kind::Action,
                            p.action.as_str(),
                        );
                    }
                    for (j, v) in rep.indicators.iter().enumerate() {
                        add(
                            Nested("reports", i, "indicators", j, "action"),
                            Kind::Action,
                            v.action.as_str(),
                        );
                    }
                }
            }
            Record::Action(r) => {
                add(Field("plan"), Kind::ActionPlan, r.plan.as_str());
                for (i, p) in r.inspired_by.iter().enumerate() {
                    add(Item("inspired_by", i, ""), Kind::Practice, p.as_str());
                }
            }
            Record::Scheme(r) => {
                if let Some(p) = &r.project {
                    add(Field("project"), Kind::Project, p.as_str());
                }
            }
            Record::Sme(_) => {}
            Record::Member(r) => {
                if let Some(p) = &r.partner {
                    add(Field("partner"), Kind::Partner, p.as_str());
                }
            }
            Record::Voucher(r) => {
                add(Field("scheme"), Kind::Scheme, r.scheme.as_str());
                add(Field("sme"), Kind::Sme, r.sme.as_str());
            }
            Record::Transfer(r) => {
                add(Field("practice"), Kind::Practice, r.practice.as_str());
                add(Field("partner"), Kind::Partner, r.partner.as_str());
                if let Some(a) = &r.action {
                    add(Field("action"), Kind::Action, a.as_str());
                }
            }
            Record::Stakeholder(r) => add(Field("partner"), Kind::Partner, r.partner.as_str()),
        }
    }
}

/// A meeting's attendee as the records say who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub partner: Option<&'a PartnerId>,
    /// The stakeholder or member they are, when they are on record.
    pub on_record: Option<(Kind, &'a str)>,
}

impl Attendee {
    /// Who the attendee is: a stakeholder's or member's name, organisation and partner from
    /// their record (found with `get`; the id where it is missing), a guest's as typed.
    pub fn seen<'a>(&'a self, get: impl Fn(Kind, &str) -> Option<&'a Record>) -> Seen<'a> {
        let (kind, id) = match (&self.stakeholder, &self.member) {
            (Some(s), _) => (Kind::Stakeholder, s.as_str()),
            (None, Some(m)) => (Kind::Member, m.as_str()),
            (None, None) => {
                return Seen {
                    name: &self.name,
                    organisation: &self.organisation,
                    partner: self.partner.as_ref(),
                    on_record: None,
                };
            }
        };
        let (name, organisation, partner) = match get(kind, id) {
            Some(Record::Stakeholder(s)) => {
                (s.display_name(), s.organisation.as_str(), Some(&s.partner))
            }
            Some(Record::Member(m)) if !m.name.is_empty() => {
                (m.name.as_str(), m.organisation.as_str(), m.partner.as_ref())
            }
            Some(Record::Member(m)) => (m.id.as_str(), m.organisation.as_str(), m.partner.as_ref()),
            _ => (id, "", None),
        };
        Seen {
            name,
            organisation,
            partner,
            on_record: Some((kind, id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field a reference is held in is named as an error message or the refs tree spells
    /// it (stored keys hold it: it may not change).
    #[test]
    fn where_a_reference_is_held_is_spelled_as_stored() {
        assert_eq!(At::Field("project").to_string(), "project");
        assert_eq!(At::Item("practices", 2, "").to_string(), "practices[2]");
        assert_eq!(
            At::Item("attendance", 0, "partner").to_string(),
            "attendance[0].partner"
        );
        assert_eq!(
            At::Nested("reports", 0, "progress", 1, "action").to_string(),
            "reports[0].progress[1].action"
        );
        let meeting = Record::Meeting(Box::new(Meeting {
            id: "m".into(),
            project: "p".into(),
            practices: vec!["a".into(), "b".into()],
            ..Default::default()
        }));
        let fields: Vec<String> = meeting.references().into_iter().map(|r| r.field).collect();
        assert_eq!(fields, ["project", "practices[0]", "practices[1]"]);
    }
}
