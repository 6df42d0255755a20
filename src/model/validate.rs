//! The rules a record must keep before it is stored. Every error names the record and the field
//! and says what is wrong in words, with the numbers involved.

use std::collections::HashSet;
use std::fmt;

use super::choices::*;
use super::ids::{ActionId, PracticeId, ProjectId, check_id};
use super::record::{Kind, Record};
use super::records::*;
use super::text;
use super::values::*;

/// The longest practice title, in characters (INTRA's template).
pub const MAX_PRACTICE_TITLE: usize = 100;
/// The longest title or name of any other record, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest text field, in bytes: keeps every stored value far below sled's blob threshold.
pub const MAX_TEXT_BYTES: usize = 32 * 1024;

/// One broken rule: which record, which field, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    pub kind: Kind,
    pub id: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} '{}': {}: {}",
            self.kind.singular(),
            self.id,
            self.field,
            self.message
        )
    }
}

/// Read access to the other records, for rules that span records.
pub trait Lookup {
    fn get(&self, kind: Kind, id: &str) -> Option<Record>;
    /// Every voucher application of one SME.
    fn vouchers_of(&self, sme: &str) -> Vec<Voucher>;
    /// Every meeting of one project.
    fn meetings_of(&self, project: &str) -> Vec<Meeting>;
    /// Every score (and practice comment) of one evaluation session.
    fn scores_of(&self, session: &str) -> Vec<Score>;
}

struct Check {
    kind: Kind,
    id: String,
    errors: Vec<FieldError>,
}

impl Check {
    fn err(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            kind: self.kind,
            id: self.id.clone(),
            field: field.into(),
            message: message.into(),
        });
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.err(field, "is required");
        }
    }

    fn title(&mut self, field: &str, value: &str, max: usize) {
        self.required(field, value);
        self.line(field, value, max);
    }

    /// A single line of at most `max` characters, which may be left empty (a value the sources
    /// do not give).
    fn line(&mut self, field: &str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.err(
                field,
                format!("is {n} characters long; at most {max} are allowed"),
            );
        }
        if value.contains('\n') {
            self.err(field, "must be a single line");
        }
    }

    fn dates(&mut self, field: &str, start: Option<Date>, end: Option<Date>) {
        if let (Some(s), Some(e)) = (start, end)
            && e.before(s)
        {
            self.err(field, format!("ends on {e}, before it starts on {s}"));
        }
    }

    fn country(&mut self, field: &str, value: &str) {
        let ok = value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase());
        if !ok {
            self.err(
                field,
                format!("'{value}' is not a two-letter country code such as SI, ES or LT"),
            );
        }
    }

    fn money(&mut self, field: &str, value: Option<Money>) {
        if let Some(v) = value
            && v.0 < 0
        {
            self.err(field, format!("{} is negative", v.eur()));
        }
    }

    fn percent(&mut self, field: &str, value: Option<Percent>) {
        if let Some(p) = value
            && !(0..=10_000).contains(&p.0)
        {
            self.err(field, format!("{p}% is not between 0 and 100"));
        }
    }

    fn unique<'a>(&mut self, field: &str, values: impl IntoIterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for v in values {
            if !seen.insert(v) {
                self.err(field, format!("'{v}' is listed twice"));
            }
        }
    }
}

/// The fields that hold running text, where a line break (and a tab) may stand.
const LONG_TEXT: &[&str] = &[
    "summary",
    "description",
    "transfer_potential",
    "resources",
    "evidence",
    "difficulties",
    "minutes",
    "comment",
    "status_reason",
    "reason",
    "notes",
    "note",
    "background",
    "activities",
    "players",
    "eligible_costs",
    "funding",
    "source",
];

/// Stored text is text: no control characters (a tab anywhere, a line break in running text)
/// and no bidirectional overrides, whichever way a record arrives. The common case is one
/// serialisation and a scan; the field and the position are found only for a record that fails.
fn text_is_text(check: &mut Check, record: &Record) {
    // The long texts are kept deflated: they are checked as the words they hold where
    // `text_sizes` inflates them anyway, and left out here rather than inflated again.
    let mut stripped;
    let record = if record.long_texts().is_empty() {
        record
    } else {
        stripped = record.clone();
        for text in stripped.long_texts_mut() {
            *text = super::Prose::default();
        }
        &stripped
    };
    let Ok(json) = serde_json::to_string(record) else {
        return;
    };
    // JSON writes every control character escaped, as \uXXXX or \n, \t, \r, \b, \f, and
    // writes bidirectional overrides and C1 controls as they are.
    let suspicious = json.contains("\\u00")
        || json.contains("\\n")
        || json.contains("\\r")
        || json.contains("\\b")
        || json.contains("\\f")
        || json
            .chars()
            .any(|c| c.is_control() || text::is_bidi_control(c));
    if !suspicious {
        return;
    }
    let Ok(value) = serde_json::to_value(record) else {
        return;
    };
    fn walk(check: &mut Check, path: &str, leaf: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::String(text) => {
                let multiline = LONG_TEXT.contains(&leaf);
                if let Some((at, c)) = text::forbidden(text, multiline) {
                    check.err(
                        path.to_string(),
                        format!(
                            "holds {} at character {at}: text may hold no control characters{}",
                            text::describe_char(c),
                            if multiline {
                                " (line breaks and tabs excepted)"
                            } else {
                                " and must be a single line"
                            }
                        ),
                    );
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(check, &format!("{path}[{i}]"), leaf, item);
                }
            }
            serde_json::Value::Object(fields) => {
                for (name, v) in fields {
                    let inner = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    walk(check, &inner, name, v);
                }
            }
            _ => {}
        }
    }
    // A record is `{"Kind": {fields}}`: its fields are named from the inner object.
    if let serde_json::Value::Object(outer) = value {
        for (_, inner) in outer {
            walk(check, "", "", &inner);
        }
    }
}

/// Checks text sizes, so that no stored value becomes a sled blob. Encoding is cheap; the
/// field-by-field pass that names the culprit runs only for an oversized record.
fn text_sizes(check: &mut Check, record: &Record) {
    // Deflated texts are measured as the words they hold, and one that does not inflate (a
    // damaged or forged value) is refused rather than stored.
    for (field, text) in record.long_texts() {
        match text.try_text() {
            Err(message) => check.err(field, message),
            Ok(t) if t.len() > MAX_TEXT_BYTES => check.err(
                field,
                format!(
                    "is {} bytes long; at most {MAX_TEXT_BYTES} are allowed",
                    t.len()
                ),
            ),
            Ok(t) => {
                // Running text: line breaks and tabs allowed (see `text_is_text`).
                if let Some((at, c)) = text::forbidden(&t, true) {
                    check.err(
                        field,
                        format!(
                            "holds {} at character {at}: text may hold no control \
                             characters (line breaks and tabs excepted)",
                            text::describe_char(c)
                        ),
                    );
                }
            }
        }
    }
    let size =
        bincode::serde::encode_to_vec(record, bincode::config::standard()).map_or(0, |b| b.len());
    if size <= MAX_TEXT_BYTES {
        return;
    }
    let mut named = false;
    if let Ok(serde_json::Value::Object(outer)) = serde_json::to_value(record) {
        for (_, inner) in outer {
            let serde_json::Value::Object(fields) = inner else {
                continue;
            };
            for (name, value) in fields {
                let len = value.to_string().len();
                if len > MAX_TEXT_BYTES {
                    check.err(
                        name,
                        format!("is {len} bytes long; at most {MAX_TEXT_BYTES} are allowed"),
                    );
                    named = true;
                }
            }
        }
    }
    if !named && size > 4 * MAX_TEXT_BYTES {
        check.err(
            "record",
            format!(
                "is {size} bytes long in all; at most {} are allowed",
                4 * MAX_TEXT_BYTES
            ),
        );
    }
}

/// The rules that need nothing but the record itself.
pub fn check_record(record: &Record) -> Vec<FieldError> {
    let mut c = Check {
        kind: record.kind(),
        id: record.id().to_string(),
        errors: Vec::new(),
    };
    if record.kind() == Kind::Score {
        if record.id().is_empty() || record.id().len() > 4 * 65 {
            c.err("id", "is empty or too long");
        }
    } else if let Err(e) = check_id(record.id()) {
        c.err("id", e);
    }
    text_sizes(&mut c, record);
    text_is_text(&mut c, record);
    match record {
        Record::Project(r) => {
            c.title("acronym", &r.acronym, 30);
            c.title("title", &r.title, MAX_TITLE);
            c.dates("end", r.start, r.end);
            for (i, p) in r.phases.iter().enumerate() {
                c.required(&format!("phases[{i}].name"), &p.name);
                c.dates(&format!("phases[{i}].end"), Some(p.start), Some(p.end));
                if outside(&[p.start, p.end], r.start, r.end) {
                    c.err(
                        format!("phases[{i}]"),
                        format!("{} – {} lies outside the project's dates", p.start, p.end),
                    );
                }
            }
            c.money("total_budget", r.total_budget);
            c.money("erdf_amount", r.erdf_amount);
            c.percent("erdf_rate", r.erdf_rate);
            if let (Some(total), Some(erdf)) = (r.total_budget, r.erdf_amount)
                && erdf > total
            {
                c.err(
                    "erdf_amount",
                    format!(
                        "{} is more than the total budget {}",
                        erdf.eur(),
                        total.eur()
                    ),
                );
            }
        }
        Record::Partner(r) => {
            c.title("organisation", &r.organisation, MAX_TITLE);
            c.country("country", &r.country);
        }
        Record::Practice(r) => {
            c.title("title", &r.title, MAX_PRACTICE_TITLE);
            c.line("owner", &r.owner, MAX_TITLE);
            c.country("country", &r.country);
            c.dates("end", r.start, r.end);
            for (i, k) in r.keywords.iter().enumerate() {
                if k.trim().is_empty() {
                    c.err(format!("keywords[{i}]"), "is empty");
                }
            }
            c.unique("keywords", r.keywords.iter().map(|k| k.as_str()));
            for (i, h) in r.history.iter().enumerate() {
                c.required(&format!("history[{i}].by"), &h.by);
                if i > 0 && h.at < r.history[i - 1].at {
                    c.err(
                        format!("history[{i}].at"),
                        "is earlier than the change before it",
                    );
                }
            }
            if let Some(last) = r.history.last()
                && last.to != r.status
            {
                c.err(
                    "status",
                    format!(
                        "is '{}' but the last entry of the history moved it to '{}'",
                        r.status, last.to
                    ),
                );
            }
        }
        Record::Meeting(r) => {
            c.title("title", &r.title, MAX_TITLE);
            c.dates("end", Some(r.start), r.end);
            if !r.country.is_empty() {
                c.country("country", &r.country);
            }
            c.unique("practices", r.practices.iter().map(|p| p.as_str()));
            for (i, a) in r.agenda.iter().enumerate() {
                c.required(&format!("agenda[{i}].title"), &a.title);
            }
            attendance_fields(&mut c, &r.attendance);
            for (i, f) in r.follow_ups.iter().enumerate() {
                c.required(&format!("follow_ups[{i}].action"), &f.action);
            }
        }
        Record::CriteriaSet(r) => {
            c.title("name", &r.name, MAX_TITLE);
            check_criteria(&mut c, "criteria", &r.criteria);
        }
        Record::Session(r) => {
            c.title("title", &r.title, MAX_TITLE);
            c.unique("practices", r.practices.iter().map(|p| p.as_str()));
            c.unique("evaluators", r.evaluators.iter().map(|e| e.as_str()));
            for (i, e) in r.evaluators.iter().enumerate() {
                c.required(&format!("evaluators[{i}]"), e);
            }
            if r.state != SessionState::Draft {
                if r.criteria.is_empty() {
                    c.err(
                        "criteria",
                        format!(
                            "{} {} session needs the criteria frozen when it opened",
                            text::a(r.state.label()),
                            r.state
                        ),
                    );
                }
                check_criteria(&mut c, "criteria", &r.criteria);
            }
            c.unique("consensus", r.consensus.iter().map(|e| e.practice.as_str()));
            for (i, e) in r.consensus.iter().enumerate() {
                if !r.practices.contains(&e.practice) {
                    c.err(
                        format!("consensus[{i}].practice"),
                        format!("'{}' is not evaluated in this session", e.practice),
                    );
                }
            }
        }
        Record::Score(r) => {
            let key = Score::key(&r.session, &r.practice, &r.evaluator, &r.criterion);
            if r.id != key {
                c.err(
                    "id",
                    format!("must be '{key}' (session:practice:evaluator:criterion)"),
                );
            }
            c.required("evaluator", &r.evaluator);
            c.required("criterion", &r.criterion);
            if r.is_practice_comment() {
                if r.value.is_some() || !r.abstain_reason.trim().is_empty() {
                    c.err(
                        "value",
                        "a comment on the practice as a whole (criterion '*') has no value or abstention",
                    );
                }
                c.required("comment", &r.comment);
            } else {
                match (&r.value, r.abstain_reason.trim().is_empty()) {
                    (Some(_), false) => c.err("value", "an abstention has no value"),
                    (None, true) => c.err(
                        "value",
                        "is required unless the evaluator abstains with a reason",
                    ),
                    _ => {}
                }
            }
        }
        Record::ActionPlan(r) => {
            c.title("title", &r.title, MAX_TITLE);
            c.required("instrument", &r.instrument);
            for (i, rep) in r.reports.iter().enumerate() {
                c.dates(
                    &format!("reports[{i}].period_end"),
                    Some(rep.period_start),
                    Some(rep.period_end),
                );
                if rep.due.before(rep.period_end) {
                    c.err(
                        format!("reports[{i}].due"),
                        format!(
                            "{} is before the period ends on {}",
                            rep.due, rep.period_end
                        ),
                    );
                }
                if let Some(on) = rep.submitted_on
                    && on.after(Date::today())
                {
                    c.err(
                        format!("reports[{i}].submitted_on"),
                        format!("{on} is in the future: a report is submitted when it is sent"),
                    );
                }
                if let Some(on) = rep.submitted_on
                    && on.before(rep.period_end)
                {
                    c.err(
                        format!("reports[{i}].submitted_on"),
                        format!(
                            "{on} is before the period it reports on ends ({})",
                            rep.period_end
                        ),
                    );
                }
                // Each semester is reported once: periods may not overlap.
                if let Some((j, other)) = r.reports[..i].iter().enumerate().find(|(_, o)| {
                    // Refused only when they certainly overlap: each begins at the latest before
                    // the other ends at the earliest.
                    !o.period_start.last().after(rep.period_end.first())
                        && !rep.period_start.last().after(o.period_end.first())
                }) {
                    c.err(
                        format!("reports[{i}].period_start"),
                        format!(
                            "{} – {} overlaps report {} ({} – {})",
                            rep.period_start,
                            rep.period_end,
                            j + 1,
                            other.period_start,
                            other.period_end
                        ),
                    );
                }
            }
        }
        Record::Action(r) => {
            c.title("title", &r.title, MAX_TITLE);
            c.dates("end", r.start, r.end);
            c.money("costs", r.costs);
            c.unique("inspired_by", r.inspired_by.iter().map(|p| p.as_str()));
            if r.status == ActionStatus::NotImplemented && r.status_reason.trim().is_empty() {
                c.err(
                    "status_reason",
                    "an action that was not implemented needs the reason",
                );
            }
        }
        Record::Scheme(r) => {
            c.title("name", &r.name, MAX_TITLE);
            c.line("issuer", &r.issuer, MAX_TITLE);
            c.country("country", &r.country);
            c.dates("closes", r.opens, r.closes);
            c.percent("rate", Some(r.rate));
            c.money("min_amount", Some(r.min_amount));
            c.money("budget", r.budget);
            if r.max_amount < r.min_amount {
                c.err(
                    "max_amount",
                    format!(
                        "{} is below the minimum {}",
                        r.max_amount.eur(),
                        r.min_amount.eur()
                    ),
                );
            }
            c.unique("types", r.types.iter().map(|t| t.code.as_str()));
            for (i, t) in r.types.iter().enumerate() {
                c.required(&format!("types[{i}].code"), &t.code);
                c.required(&format!("types[{i}].name"), &t.name);
                let (lo, hi) = (
                    t.min_amount.unwrap_or(r.min_amount),
                    t.max_amount.unwrap_or(r.max_amount),
                );
                if hi < lo {
                    c.err(
                        format!("types[{i}].max_amount"),
                        format!("{} is below the minimum {}", hi.eur(), lo.eur()),
                    );
                }
                if hi > r.max_amount || lo < r.min_amount {
                    c.err(
                        format!("types[{i}]"),
                        format!(
                            "{} – {} lies outside the scheme's {} – {}",
                            lo.eur(),
                            hi.eur(),
                            r.min_amount.eur(),
                            r.max_amount.eur()
                        ),
                    );
                }
            }
        }
        Record::Sme(r) => {
            c.title("name", &r.name, MAX_TITLE);
            c.country("country", &r.country);
        }
        Record::Member(_) => {}
        Record::Transfer(r) => transfer_fields(&mut c, r),
        Record::Stakeholder(r) => stakeholder_fields(&mut c, r),
        Record::Voucher(r) => {
            c.required("voucher_type", &r.voucher_type);
            c.title("service", &r.service, MAX_TITLE);
            for (f, v) in [
                ("eligible_cost", Some(r.eligible_cost)),
                ("requested", Some(r.requested)),
                ("approved", r.approved),
                ("paid", r.paid),
            ] {
                c.money(f, v);
            }
            c.dates("contract_end", r.contract_start, r.contract_end);
            c.dates("costs_to", r.costs_from, r.costs_to);
            voucher_status_fields(&mut c, r);
        }
    }
    c.errors
}

/// A meeting's attendees: each a stakeholder or a member on record — whose name, organisation
/// and partner the meeting takes from their record and keeps no copy of — or a named guest;
/// nobody on record listed twice.
fn attendance_fields(c: &mut Check, attendance: &[Attendee]) {
    for (i, a) in attendance.iter().enumerate() {
        let on_record = match (&a.stakeholder, &a.member) {
            (Some(s), Some(m)) => {
                c.err(
                    format!("attendance[{i}]"),
                    format!(
                        "names both stakeholder '{s}' and member '{m}': an attendee is one of \
                         them, or a guest named as text"
                    ),
                );
                continue;
            }
            (Some(s), None) => format!("stakeholder '{s}'"),
            (None, Some(m)) => format!("member '{m}'"),
            (None, None) => {
                c.required(&format!("attendance[{i}].name"), &a.name);
                continue;
            }
        };
        for (field, given) in [
            ("name", !a.name.trim().is_empty()),
            ("organisation", !a.organisation.trim().is_empty()),
            ("partner", a.partner.is_some()),
        ] {
            if given {
                c.err(
                    format!("attendance[{i}].{field}"),
                    format!(
                        "comes from the record of {on_record} (a meeting keeps no copy of it): \
                         leave it empty"
                    ),
                );
            }
        }
    }
    c.unique(
        "attendance",
        attendance
            .iter()
            .filter_map(|a| a.stakeholder.as_ref().map(|s| s.as_str())),
    );
    c.unique(
        "attendance",
        attendance
            .iter()
            .filter_map(|a| a.member.as_ref().map(|m| m.as_str())),
    );
}

/// A stakeholder's own fields: a person or an organisation (at least one of them named);
/// contact details only with the date the person consented (GDPR), which is not in the
/// future; an email and a phone that look like one; an id that does not name the person (it
/// outlives an erasure, in every reference and in the audit log); and once erased, no
/// personal data again.
fn stakeholder_fields(c: &mut Check, s: &Stakeholder) {
    c.line("organisation", &s.organisation, MAX_TITLE);
    c.line("name", &s.name, MAX_TITLE);
    c.line("role", &s.role, MAX_TITLE);
    c.line("email", &s.email, MAX_TITLE);
    c.line("phone", &s.phone, 40);
    if s.name.trim().is_empty() && s.organisation.trim().is_empty() {
        c.err(
            "name",
            "a stakeholder is a person or an organisation: give the name, the organisation or both",
        );
    }
    if let Some(e) = &s.erased {
        let erased = [
            ("name", s.name != Stakeholder::ERASED),
            ("role", !s.role.is_empty()),
            ("email", !s.email.is_empty()),
            ("phone", !s.phone.is_empty()),
            ("consent", s.consent.is_some()),
        ];
        for (field, _) in erased.iter().filter(|(_, holds)| *holds) {
            c.err(
                *field,
                format!(
                    "the stakeholder's personal data was erased on {} by {}: it is not recorded \
                     again (someone who consents anew is a new stakeholder)",
                    e.at.date(),
                    e.by
                ),
            );
        }
        return;
    }
    if s.consent.is_none() {
        for (field, value) in [("email", &s.email), ("phone", &s.phone)] {
            if !value.trim().is_empty() {
                c.err(
                    field,
                    "contact details are kept only with the person's consent (GDPR): give the day \
                     they consented, or leave email and phone empty",
                );
            }
        }
    }
    if let Some(d) = s.consent
        && d.after(Date::today())
    {
        c.err(
            "consent",
            format!("{d} is in the future: record the day the person consented"),
        );
    }
    let email = s.email.trim();
    if !email.is_empty() {
        let parts: Vec<&str> = email.split('@').collect();
        let looks = parts.len() == 2
            && !parts[0].is_empty()
            && parts[1].contains('.')
            && !parts[1].starts_with('.')
            && !parts[1].ends_with('.')
            && !email.chars().any(char::is_whitespace);
        if !looks {
            c.err(
                "email",
                format!("'{email}' is not an email address (name@example.org)"),
            );
        }
    }
    let phone = s.phone.trim();
    if !phone.is_empty() {
        let allowed = phone
            .chars()
            .all(|ch| ch.is_ascii_digit() || " +-()/.".contains(ch));
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !allowed || digits < 5 {
            c.err(
                "phone",
                format!(
                    "'{phone}' is not a phone number: digits, with spaces and + - ( ) / . \
                     between them"
                ),
            );
        }
    }
    // The id is kept after an erasure (meetings refer to it, the audit log names it): it must
    // not carry the person's name.
    // A label before a colon ("Example: Mira Kos") is not the person's name.
    let person = s.name.rsplit(':').next().unwrap_or_default();
    let id_words: Vec<&str> = s.id.as_str().split(['-', '_', '.']).collect();
    let named = person
        .split(|ch: char| !ch.is_alphanumeric())
        .map(|w| super::ids::slugify(w, 64))
        .find(|w| w.len() >= 3 && id_words.contains(&w.as_str()));
    if let Some(word) = named {
        c.err(
            "id",
            format!(
                "'{}' holds '{word}' from the person's name: an id outlives an erasure (in \
                 every reference and in the audit log), so it must not name the person (e.g. \
                 sh-{}-3)",
                s.id, s.partner
            ),
        );
    }
}

/// A transfer's own fields: its title and instrument, its evidence's web addresses, and its
/// stage history, which runs forward — each stage later in the order than the one before it
/// (interest → studied → adapted → adopted, or dropped), on a day no earlier, nothing after
/// adoption or a drop, nothing in the future, and a drop with its reason.
fn transfer_fields(c: &mut Check, t: &Transfer) {
    c.title("title", &t.title, MAX_TITLE);
    c.title("instrument", &t.instrument, MAX_TITLE);
    for (i, link) in t.links.iter().enumerate() {
        let web = ["https://", "http://"]
            .iter()
            .any(|p| link.len() > p.len() && link.to_ascii_lowercase().starts_with(p));
        if !web || link.chars().any(char::is_whitespace) {
            c.err(
                format!("links[{i}]"),
                format!(
                    "'{link}' is not a web address: a link starts with https:// or http:// \
                     and holds no spaces"
                ),
            );
        }
    }
    c.unique("links", t.links.iter().map(|l| l.as_str()));
    if t.stages.is_empty() {
        c.err(
            "stages",
            format!(
                "needs at least the stage reached, with its date ({})",
                TransferStage::order_text()
            ),
        );
    }
    let today = Date::today();
    for (i, step) in t.stages.iter().enumerate() {
        if step.on.after(today) {
            c.err(
                format!("stages[{i}].on"),
                format!(
                    "{} is in the future: a stage is recorded once it is reached",
                    step.on
                ),
            );
        }
        if step.stage == TransferStage::Dropped && step.note.trim().is_empty() {
            c.err(
                format!("stages[{i}].note"),
                "a dropped transfer needs the reason in the note",
            );
        }
        let Some(before) = i.checked_sub(1).map(|j| &t.stages[j]) else {
            continue;
        };
        if before.stage.is_final() {
            c.err(
                format!("stages[{i}].stage"),
                format!(
                    "'{}' comes after the transfer was {} on {}: nothing follows adoption or a drop",
                    step.stage, before.stage, before.on
                ),
            );
        } else if step.stage != TransferStage::Dropped && step.stage <= before.stage {
            c.err(
                format!("stages[{i}].stage"),
                format!(
                    "'{}' cannot follow '{}': the stages run {}",
                    step.stage,
                    before.stage,
                    TransferStage::order_text()
                ),
            );
        }
        if step.on.before(before.on) {
            c.err(
                format!("stages[{i}].on"),
                format!(
                    "{} is before the stage before it ({}, {}): the history runs forward",
                    step.on, before.stage, before.on
                ),
            );
        }
    }
}

fn check_criteria(c: &mut Check, field: &str, criteria: &[Criterion]) {
    if criteria.is_empty() {
        c.err(field, "needs at least one criterion");
    }
    c.unique(field, criteria.iter().map(|k| k.code.as_str()));
    for (i, k) in criteria.iter().enumerate() {
        let f = |name: &str| format!("{field}[{i}].{name}");
        c.required(&f("code"), &k.code);
        c.required(&f("label"), &k.label);
        if k.weight.0 <= 0 {
            c.err(f("weight"), "must be more than 0");
        }
        if k.scale.max <= k.scale.min {
            c.err(
                f("scale"),
                format!(
                    "its maximum {} is not above its minimum {}",
                    k.scale.max, k.scale.min
                ),
            );
        }
        if k.scale.step.0 <= 0 {
            c.err(f("scale.step"), "must be more than 0");
        }
        if let Some(t) = k.pass_threshold
            && (t < k.scale.min || t > k.scale.max)
        {
            c.err(
                f("pass_threshold"),
                format!(
                    "{t} lies outside the scale {} – {}",
                    k.scale.min, k.scale.max
                ),
            );
        }
        if k.eliminatory && k.pass_threshold.is_none() {
            c.err(
                f("eliminatory"),
                "an eliminatory criterion needs a pass threshold",
            );
        }
    }
}

/// What each voucher status requires to have been filled in.
fn voucher_status_fields(c: &mut Check, v: &Voucher) {
    use VoucherStatus::*;
    let at_least = |s: VoucherStatus| {
        let order = [Draft, Submitted, Approved, ClaimSubmitted, Paid, Closed];
        let pos = |x| order.iter().position(|o| *o == x);
        matches!((pos(v.status), pos(s)), (Some(a), Some(b)) if a >= b)
    };
    if at_least(Submitted) && v.submitted_on.is_none() {
        c.err(
            "submitted_on",
            format!(
                "{} {} application needs its submission date",
                text::a(v.status.label()),
                v.status
            ),
        );
    }
    if at_least(Approved) {
        if v.approved.is_none() {
            c.err(
                "approved",
                format!(
                    "{} {} application needs the approved amount",
                    text::a(v.status.label()),
                    v.status
                ),
            );
        }
        if v.contract_start.is_none() || v.contract_end.is_none() {
            c.err(
                "contract_start",
                format!(
                    "{} {} application needs its contract window",
                    text::a(v.status.label()),
                    v.status
                ),
            );
        }
    }
    if at_least(ClaimSubmitted) && v.claim_on.is_none() {
        c.err(
            "claim_on",
            format!(
                "{} {} application needs the date of its claim",
                text::a(v.status.label()),
                v.status
            ),
        );
    }
    if at_least(Paid) {
        if v.paid.is_none() {
            c.err(
                "paid",
                format!(
                    "{} {} application needs the amount paid",
                    text::a(v.status.label()),
                    v.status
                ),
            );
        }
        if v.paid_on.is_none() {
            c.err(
                "paid_on",
                format!(
                    "{} {} application needs the date of payment",
                    text::a(v.status.label()),
                    v.status
                ),
            );
        }
    }
    if matches!(v.status, Rejected | Withdrawn) && v.status_reason.trim().is_empty() {
        c.err(
            "status_reason",
            format!(
                "{} {} application needs the reason",
                text::a(v.status.label()),
                v.status
            ),
        );
    }
}

/// Every rule for a record about to be stored by a change: its own fields, its references, the
/// rules that span records (voucher caps, scores within their session), and the move from
/// `previous` (lifecycles).
pub fn validate(record: &Record, previous: Option<&Record>, ctx: &dyn Lookup) -> Vec<FieldError> {
    validate_inner(record, previous, ctx, Mode::Change)
}

/// The records of `replica` that break a rule, with the rule: what `taskforce check` lists for
/// records an older version wrote, or that a rule added since makes wrong. Every rule of an
/// import applies (references, and the rules that span records), with vouchers indexed by SME
/// so that the whole database is checked in one pass.
pub fn rule_breakers(replica: &super::Replica, mut progress: impl FnMut(usize)) -> Vec<FieldError> {
    struct Indexed<'a> {
        replica: &'a super::Replica,
        vouchers: std::collections::HashMap<&'a str, Vec<&'a Voucher>>,
    }
    impl Lookup for Indexed<'_> {
        fn get(&self, kind: Kind, id: &str) -> Option<Record> {
            self.replica.get(kind, id)
        }
        fn vouchers_of(&self, sme: &str) -> Vec<Voucher> {
            self.vouchers
                .get(sme)
                .map(|v| v.iter().map(|v| (*v).clone()).collect())
                .unwrap_or_default()
        }
        fn scores_of(&self, session: &str) -> Vec<Score> {
            self.replica.scores_of(session)
        }
        fn meetings_of(&self, project: &str) -> Vec<Meeting> {
            self.replica.meetings_of(project)
        }
    }
    let mut vouchers: std::collections::HashMap<&str, Vec<&Voucher>> = Default::default();
    for row in replica.rows(Kind::Voucher) {
        if let Record::Voucher(v) = &row.record {
            vouchers.entry(v.sme.as_str()).or_default().push(v);
        }
    }
    let lookup = Indexed { replica, vouchers };
    let mut out = Vec::new();
    let mut seen = 0;
    for kind in Kind::ALL {
        for row in replica.rows(*kind) {
            out.extend(audit(&row.record, &lookup));
            seen += 1;
            if seen % 10_000 == 0 {
                progress(seen);
            }
        }
    }
    out
}

/// The rules a stored record breaks, as `taskforce check` and the workbench's detail list them
/// (see [`rule_breakers`]).
pub fn audit(record: &Record, ctx: &dyn Lookup) -> Vec<FieldError> {
    validate_inner(record, None, ctx, Mode::Audit)
}

/// What a replacement by import must keep besides the rules of an edit: a practice's stored
/// status history, which it may only add to (one rule for the import and its dry run).
pub fn replacement_rules(record: &Record, stored: &Record) -> Vec<FieldError> {
    match (record, stored) {
        (Record::Practice(p), Record::Practice(old)) if !p.history.starts_with(&old.history) => {
            vec![FieldError {
                kind: Kind::Practice,
                id: p.id.to_string(),
                field: "history".into(),
                message: "a replacement keeps the stored status history and may only add \
                          entries after it"
                    .into(),
            }]
        }
        _ => Vec::new(),
    }
}

/// The rules for a record restored as it was (an import): the same as [`validate`] except the
/// lifecycle rules, which judge a change and not a state (a closed session's scores load).
pub fn validate_restored(record: &Record, ctx: &dyn Lookup) -> Vec<FieldError> {
    validate_inner(record, None, ctx, Mode::Restore)
}

/// What a record is checked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A change made now: every rule.
    Change,
    /// A record restored as it was (an import, an export of an older version read back): not
    /// the rules that judge a change (a closed session's scores, participants named when a
    /// voucher moves past draft), so that what an older version exported still imports.
    Restore,
    /// A stored record checked by `taskforce check`: as restored, but listing what a change to
    /// it would now have to mend (an event voucher past draft without participants).
    Audit,
}

fn validate_inner(
    record: &Record,
    previous: Option<&Record>,
    ctx: &dyn Lookup,
    mode: Mode,
) -> Vec<FieldError> {
    let restoring = mode != Mode::Change;
    let mut errors = check_record(record);
    let mut c = Check {
        kind: record.kind(),
        id: record.id().to_string(),
        errors: Vec::new(),
    };
    for r in record.references() {
        if ctx.get(r.kind, &r.id).is_none() {
            c.err(
                &r.field,
                format!(
                    "refers to {} '{}', which does not exist",
                    r.kind.singular(),
                    r.id
                ),
            );
        }
    }
    match (record, previous) {
        (Record::Project(p), _) => {
            // Its meetings stay within its period (the rule a meeting keeps, seen from here).
            if p.start.is_some() || p.end.is_some() {
                for m in ctx.meetings_of(p.id.as_str()) {
                    for (bound, _, message) in outside_period(&m, p) {
                        c.err(bound, format!("the meeting '{}': {message}", m.id));
                    }
                }
            }
            if let Some(Record::Partner(lead)) = p
                .lead_partner
                .as_ref()
                .and_then(|l| ctx.get(Kind::Partner, l.as_str()))
                && lead.project != p.id
            {
                c.err(
                    "lead_partner",
                    format!(
                        "'{}' is a partner of {}, not of this project",
                        lead.id, lead.project
                    ),
                );
            }
        }
        (Record::ActionPlan(plan), _) => plan_rules(&mut c, plan, ctx),
        (Record::Transfer(t), _) => transfer_rules(&mut c, t, ctx),
        (Record::Sme(sme), _) => {
            // Its vouchers stay in schemes for its country.
            for v in ctx.vouchers_of(sme.id.as_str()) {
                if let Some(Record::Scheme(s)) = ctx.get(Kind::Scheme, v.scheme.as_str())
                    && !s.country.is_empty()
                    && s.country != sme.country
                {
                    c.err(
                        "country",
                        format!(
                            "{} is in {}; {} is for SMEs in {} (voucher '{}')",
                            sme.id, sme.country, s.name, s.country, v.id
                        ),
                    );
                }
            }
        }
        (Record::Meeting(m), _) => {
            if let Some(Record::Partner(host)) = m
                .host
                .as_ref()
                .and_then(|h| ctx.get(Kind::Partner, h.as_str()))
                && host.project != m.project
            {
                c.err(
                    "host",
                    format!(
                        "'{}' is a partner of {}, not of this meeting's project {}",
                        host.id, host.project, m.project
                    ),
                );
            }
            same_project_practices(&mut c, "practices", &m.practices, &m.project, ctx);
            if let Some(Record::Project(project)) = ctx.get(Kind::Project, m.project.as_str()) {
                for (_, field, message) in outside_period(m, &project) {
                    c.err(field, message);
                }
            }
        }
        (Record::Practice(p), _) => {
            if let Some(Record::Partner(partner)) = p
                .partner
                .as_ref()
                .and_then(|id| ctx.get(Kind::Partner, id.as_str()))
                && partner.project != p.project
            {
                c.err(
                    "partner",
                    format!(
                        "'{}' is a partner of {}, not of this practice's project {}",
                        partner.id, partner.project, p.project
                    ),
                );
            }
            practice_moves(&mut c, p, previous);
        }
        (Record::Voucher(v), prev) => {
            if let Some(Record::Scheme(s)) = ctx.get(Kind::Scheme, v.scheme.as_str()) {
                voucher_rules(&mut c, v, &s, ctx, mode != Mode::Restore);
            }
            if let Some(Record::Voucher(old)) = prev
                && old.status != v.status
                && !old.status.next().contains(&v.status)
            {
                let allowed: Vec<&str> = old.status.next().iter().map(|s| s.label()).collect();
                c.err(
                    "status",
                    format!(
                        "cannot move from '{}' to '{}'; from '{}' it can move to: {}",
                        old.status,
                        v.status,
                        old.status,
                        if allowed.is_empty() {
                            "nothing (it is final)".into()
                        } else {
                            allowed.join(", ")
                        }
                    ),
                );
            }
        }
        (Record::Score(score), _) => {
            if let Some(Record::Session(session)) = ctx.get(Kind::Session, score.session.as_str()) {
                score_rules(&mut c, score, &session, restoring);
            }
        }
        (Record::Session(s), prev) => {
            let old = match prev {
                Some(Record::Session(old)) => Some(&**old),
                _ => None,
            };
            if let Some(old) = old {
                session_moves(&mut c, s, old);
            }
            decision_rules(&mut c, s, old, ctx);
            if let Some(Record::Meeting(m)) = ctx.get(Kind::Meeting, s.meeting.as_str()) {
                same_project_practices(&mut c, "practices", &s.practices, &m.project, ctx);
            }
        }
        _ => {}
    }
    errors.extend(c.errors);
    errors
}

/// A transfer is carried by an action of the adopting partner's own action plan.
fn transfer_rules(c: &mut Check, t: &Transfer, ctx: &dyn Lookup) {
    let Some(Record::Action(a)) = t
        .action
        .as_ref()
        .and_then(|id| ctx.get(Kind::Action, id.as_str()))
    else {
        return;
    };
    if let Some(Record::ActionPlan(plan)) = ctx.get(Kind::ActionPlan, a.plan.as_str())
        && plan.partner != t.partner
    {
        c.err(
            "action",
            format!(
                "'{}' is an action of {}'s plan '{}', not of the adopting partner {}",
                a.id, plan.partner, plan.id, t.partner
            ),
        );
    }
}

/// The scheme's rules for one application, with the numbers in each message.
/// An action plan hangs together: its partner is a partner of its project, and its reports'
/// progress lines and indicator values speak of its own actions and the indicators they define.
fn plan_rules(c: &mut Check, plan: &ActionPlan, ctx: &dyn Lookup) {
    if let Some(Record::Partner(p)) = ctx.get(Kind::Partner, plan.partner.as_str())
        && p.project != plan.project
    {
        c.err(
            "partner",
            format!(
                "'{}' is a partner of {}, not of this plan's project {}",
                p.id, p.project, plan.project
            ),
        );
    }
    let action = |id: &ActionId| match ctx.get(Kind::Action, id.as_str()) {
        Some(Record::Action(a)) => Some(a),
        _ => None,
    };
    for (i, rep) in plan.reports.iter().enumerate() {
        for (j, line) in rep.progress.iter().enumerate() {
            if let Some(a) = action(&line.action)
                && a.plan != plan.id
            {
                c.err(
                    format!("reports[{i}].progress[{j}].action"),
                    format!("'{}' is an action of {}, not of this plan", a.id, a.plan),
                );
            }
        }
        for (j, value) in rep.indicators.iter().enumerate() {
            let Some(a) = action(&value.action) else {
                continue;
            };
            if a.plan != plan.id {
                c.err(
                    format!("reports[{i}].indicators[{j}].action"),
                    format!("'{}' is an action of {}, not of this plan", a.id, a.plan),
                );
            } else if !a.indicators.iter().any(|d| d.name == value.indicator) {
                let defined: Vec<&str> = a.indicators.iter().map(|d| d.name.as_str()).collect();
                c.err(
                    format!("reports[{i}].indicators[{j}].indicator"),
                    format!(
                        "'{}' is not an indicator of action '{}'; its indicators are: {}",
                        value.indicator,
                        a.id,
                        if defined.is_empty() {
                            "none".to_string()
                        } else {
                            defined.join(", ")
                        }
                    ),
                );
            }
        }
    }
}

/// Whether any of `dates` certainly lies before `from` or after `to` (a bound may be unknown).
/// Each date is checked, not only the nearest end: with approximate dates, a start known as
/// "2019" says nothing of whether an end of 10 Feb 2019 is inside a window that opens in March.
fn outside(dates: &[Date], from: Option<Date>, to: Option<Date>) -> bool {
    dates
        .iter()
        .any(|d| from.is_some_and(|from| d.before(from)) || to.is_some_and(|to| d.after(to)))
}

/// Where a meeting lies outside its project's period (as far as both are known: an approximate
/// date is refused only when it is certainly outside): the project's bound it crosses (`start`
/// or `end`), the meeting's field that crosses it, and the message.
fn outside_period(m: &Meeting, project: &Project) -> Vec<(&'static str, &'static str, String)> {
    let name = if project.acronym.is_empty() {
        project.id.to_string()
    } else {
        project.acronym.clone()
    };
    let dates: Vec<(&'static str, Date)> = std::iter::once(("start", m.start))
        .chain(m.end.map(|e| ("end", e)))
        .collect();
    let mut out = Vec::new();
    if let Some(start) = project.start
        && let Some((field, date)) = dates.iter().find(|(_, d)| d.before(start))
    {
        out.push((
            "start",
            *field,
            format!(
                "{date} is before {name} began ({start}): a meeting lies within its project's period"
            ),
        ));
    }
    if let Some(end) = project.end
        && let Some((field, date)) = dates.iter().find(|(_, d)| d.after(end))
    {
        out.push((
            "end",
            *field,
            format!(
                "{date} is after {name} ended ({end}): a meeting lies within its project's period"
            ),
        ));
    }
    out
}

/// An event voucher (a type with a number of participants: forums, delegations) names who
/// travels once it is past draft, at most the type's number; other types pay for no one. That
/// it names someone is asked of a change (`needed`), not of a record restored as an older
/// version wrote it, which had no participants to name.
fn participant_rules(c: &mut Check, v: &Voucher, s: &VoucherScheme, needed: bool) {
    let Some(t) = s.voucher_type(&v.voucher_type) else {
        return;
    };
    for (i, name) in v.participants.iter().enumerate() {
        if name.trim().is_empty() {
            c.err(
                format!("participants[{i}]"),
                "a participant needs a name".to_string(),
            );
        }
    }
    let n = v.participants.len();
    match t.max_participants {
        None if n > 0 => c.err(
            "participants",
            format!(
                "the type {} ({}) pays for no participants: leave them out",
                t.code, t.name
            ),
        ),
        Some(max) if n > max as usize => c.err(
            "participants",
            format!(
                "{n} participants named; the type {} ({}) pays for at most {max}",
                t.code, t.name
            ),
        ),
        Some(max) if needed && n == 0 && v.status != VoucherStatus::Draft => c.err(
            "participants",
            format!(
                "the type {} ({}) pays for up to {max} named participants: name at least one \
                 once the voucher is past draft (it is {})",
                t.code, t.name, v.status
            ),
        ),
        _ => {}
    }
}

fn voucher_rules(
    c: &mut Check,
    v: &Voucher,
    s: &VoucherScheme,
    ctx: &dyn Lookup,
    participants_needed: bool,
) {
    if s.voucher_type(&v.voucher_type).is_none() {
        let codes: Vec<&str> = s.types.iter().map(|t| t.code.as_str()).collect();
        c.err(
            "voucher_type",
            format!(
                "'{}' is not a type of {}; its types are: {}",
                v.voucher_type,
                s.name,
                codes.join(", ")
            ),
        );
        return;
    }
    participant_rules(c, v, s, participants_needed);
    let (lo, hi) = s.bounds(&v.voucher_type);
    let by_rate = v.eligible_cost.times_percent_floor(s.rate);
    let ceiling = hi.min(by_rate);
    for (field, amount) in [("requested", Some(v.requested)), ("approved", v.approved)] {
        let Some(amount) = amount else { continue };
        if amount < lo || amount > hi {
            c.err(
                field,
                format!(
                    "{} is outside the amount allowed for this voucher type, {} to {}",
                    amount.eur(),
                    lo.eur(),
                    hi.eur()
                ),
            );
        } else if amount > by_rate {
            c.err(
                field,
                format!(
                    "{} is more than {}% of the eligible cost {} = {}",
                    amount.eur(),
                    s.rate,
                    v.eligible_cost.eur(),
                    by_rate.eur()
                ),
            );
        }
    }
    if let Some(approved) = v.approved
        && approved > v.requested
    {
        c.err(
            "approved",
            format!(
                "{} is more than the requested {}",
                approved.eur(),
                v.requested.eur()
            ),
        );
    }
    if let Some(Record::Sme(sme)) = ctx.get(Kind::Sme, v.sme.as_str())
        && !s.country.is_empty()
        && sme.country != s.country
    {
        c.err(
            "sme",
            format!(
                "{} is in {}; {} is for SMEs in {}",
                sme.id, sme.country, s.name, s.country
            ),
        );
    }
    if let Some(paid) = v.paid {
        if paid > ceiling {
            c.err(
                "paid",
                format!(
                    "{} is more than min(maximum {}, {}% × eligible cost {} = {}) = {}",
                    paid.eur(),
                    hi.eur(),
                    s.rate,
                    v.eligible_cost.eur(),
                    by_rate.eur(),
                    ceiling.eur()
                ),
            );
        }
        if let Some(approved) = v.approved
            && paid > approved
        {
            c.err(
                "paid",
                format!(
                    "{} is more than the approved {}",
                    paid.eur(),
                    approved.eur()
                ),
            );
        }
    }
    if let (Some(start), Some(end)) = (v.contract_start, v.contract_end)
        && outside(
            &[v.costs_from, v.costs_to]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
            Some(start),
            Some(end),
        )
    {
        c.err(
            "costs_from",
            format!(
                "the costs ({} – {}) must lie inside the contract window {start} – {end}",
                v.costs_from.map_or("?".into(), |d| d.to_string()),
                v.costs_to.map_or("?".into(), |d| d.to_string())
            ),
        );
    }
    if let (Some(open), Some(date)) = (s.opens, v.submitted_on)
        && date.before(open)
    {
        c.err(
            "submitted_on",
            format!("{date} is before the scheme opened on {open}"),
        );
    }
    if let (Some(close), Some(date)) = (s.closes, v.submitted_on)
        && date.after(close)
    {
        c.err(
            "submitted_on",
            format!("{date} is after the scheme closed on {close}"),
        );
    }
    if !v.status.counts_against_caps() {
        return;
    }
    let Some(year) = v.cap_year() else { return };
    // The vouchers before this one in the year, in the order they were submitted: a cap is
    // crossed by the voucher that crosses it, not by every voucher of a batch.
    let place = |o: &Voucher| {
        (
            o.submitted_on.map(|d| (d.days(), d.last().days())),
            o.id.clone(),
        )
    };
    let others: Vec<Voucher> = ctx
        .vouchers_of(v.sme.as_str())
        .into_iter()
        .filter(|o| {
            o.id != v.id
                && o.scheme == v.scheme
                && o.status.counts_against_caps()
                && o.cap_year() == Some(year)
                && place(o) < place(v)
        })
        .collect();
    if let Some(max) = s.max_vouchers_per_year
        && others.len() as u32 + 1 > max
    {
        c.err(
            "sme",
            format!(
                "{} already has {} {} voucher(s) in {year}; at most {max} a year are allowed",
                v.sme,
                others.len(),
                s.name
            ),
        );
    }
    if let Some(cap) = s.max_total_per_year {
        let before: i64 = others.iter().map(|o| o.committed_amount().0).sum();
        let total = Money(before + v.committed_amount().0);
        if total > cap {
            c.err("sme", format!(
                "{} would receive {} in {year} ({} already + {} here); at most {} a year are allowed",
                v.sme, total.eur(), Money(before).eur(), v.committed_amount().eur(), cap.eur()));
        }
    }
}

/// A score fits its session: a practice and evaluator of the session, one of its frozen criteria,
/// a value on the criterion's scale, and a session open for scoring.
/// A practice's status moves with an entry in its history that gives the reason.
fn practice_moves(c: &mut Check, p: &Practice, previous: Option<&Record>) {
    let Some(Record::Practice(old)) = previous else {
        return;
    };
    if old.status == p.status {
        return;
    }
    let recorded = p.history.len() > old.history.len()
        && p.history
            .last()
            .is_some_and(|h| h.to == p.status && !h.reason.trim().is_empty());
    if !recorded {
        c.err(
            "status",
            format!(
                "moving from '{}' to '{}' needs an entry in the history with the reason",
                old.status, p.status
            ),
        );
    }
}

/// References across projects are refused but where a kind allows them: practices presented
/// at a meeting or evaluated in a session are the meeting's project's. (An action may be
/// inspired by a practice of any project: that is what a transfer is.)
fn same_project_practices(
    c: &mut Check,
    field: &str,
    practices: &[PracticeId],
    project: &ProjectId,
    ctx: &dyn Lookup,
) {
    for (i, id) in practices.iter().enumerate() {
        if let Some(Record::Practice(p)) = ctx.get(Kind::Practice, id.as_str())
            && p.project != *project
        {
            c.err(
                format!("{field}[{i}]"),
                format!(
                    "'{}' is a practice of {}, not of {project}",
                    p.id, p.project
                ),
            );
        }
    }
}

fn session_moves(c: &mut Check, s: &EvaluationSession, old: &EvaluationSession) {
    if old.state != s.state && !old.state.next().contains(&s.state) {
        c.err(
            "state",
            format!("cannot move from '{}' to '{}'", old.state, s.state),
        );
    }
    if old.state != SessionState::Draft && old.criteria != s.criteria {
        c.err(
            "criteria",
            "were frozen when the session opened and cannot change",
        );
    }
}

/// The session's own rules bind each decision recorded or changed (an older one is left as it
/// was): an agreed value lies on the criteria's scale; validating or rejecting needs every
/// evaluation complete, and validating needs the practice to pass its eliminatory criteria,
/// thresholds and pass mark — unless the comment gives the reason for deciding anyway, which
/// the board and the exports then show as an override.
fn decision_rules(
    c: &mut Check,
    s: &EvaluationSession,
    old: Option<&EvaluationSession>,
    ctx: &dyn Lookup,
) {
    let changed: Vec<(usize, &ConsensusEntry)> = s
        .consensus
        .iter()
        .enumerate()
        .filter(|(_, e)| old.is_none_or(|o| !o.consensus.contains(e)))
        .collect();
    if changed.is_empty() {
        return;
    }
    let lo = s.criteria.iter().map(|c| c.scale.min).min();
    let hi = s.criteria.iter().map(|c| c.scale.max).max();
    let scores = ctx.scores_of(s.id.as_str());
    let board = super::board::compute(s, &std::collections::HashMap::new(), scores.iter());
    for (i, entry) in changed {
        if let (Some(v), Some(lo), Some(hi)) = (entry.value, lo, hi)
            && (v < lo || v > hi)
        {
            c.err(
                format!("consensus[{i}].value"),
                format!("{v} is outside the criteria's scale, {lo} to {hi}"),
            );
        }
        let Some(result) = board
            .practices
            .iter()
            .find(|p| p.practice == entry.practice)
        else {
            continue;
        };
        let why = entry.comment.trim().is_empty();
        match entry.decision {
            Some(d @ (Decision::Validated | Decision::Rejected))
                if why && !result.is_complete() =>
            {
                c.err(
                    format!("consensus[{i}].decision"),
                    format!(
                        "'{}' has {} of {} complete evaluations: to record it {d} without full \
                         scores, give the reason in the comment",
                        entry.practice, result.complete, result.expected
                    ),
                )
            }
            Some(Decision::Validated) if why && result.verdict.fails() => {
                let reasons = match &result.verdict {
                    super::board::Verdict::Fail(r) => r.join("; "),
                    _ => String::new(),
                };
                c.err(
                    format!("consensus[{i}].decision"),
                    format!(
                        "'{}' fails the session's rules ({reasons}): to validate it all the same, \
                         give the reason for the override in the comment",
                        entry.practice
                    ),
                )
            }
            _ => {}
        }
    }
}

fn score_rules(c: &mut Check, score: &Score, session: &EvaluationSession, restoring: bool) {
    if !session.practices.contains(&score.practice) {
        c.err(
            "practice",
            format!(
                "'{}' is not evaluated in session '{}'",
                score.practice, session.id
            ),
        );
    }
    if !session.evaluators.contains(&score.evaluator) {
        c.err(
            "evaluator",
            format!(
                "'{}' is not an evaluator of session '{}'; its evaluators are: {}",
                score.evaluator,
                session.id,
                session.evaluators.join(", ")
            ),
        );
    }
    match session.criteria.iter().find(|k| k.code == score.criterion) {
        None if score.is_practice_comment() => {}
        None => {
            let codes: Vec<&str> = session.criteria.iter().map(|k| k.code.as_str()).collect();
            c.err(
                "criterion",
                format!(
                    "'{}' is not a criterion of session '{}'; its criteria are: {}",
                    score.criterion,
                    session.id,
                    codes.join(", ")
                ),
            );
        }
        Some(k) => {
            if let Some(v) = score.value {
                if v < k.scale.min || v > k.scale.max {
                    c.err(
                        "value",
                        format!(
                            "{v} is outside the scale of {}, {} to {}",
                            k.code, k.scale.min, k.scale.max
                        ),
                    );
                } else if k.scale.step.0 > 0 && (v.0 - k.scale.min.0) % k.scale.step.0 != 0 {
                    c.err(
                        "value",
                        format!(
                            "{v} is not on the scale of {}: it goes in steps of {}",
                            k.code, k.scale.step
                        ),
                    );
                }
            }
        }
    }
    if !restoring && session.state != SessionState::Open {
        c.err(
            "value",
            format!(
                "session '{}' is {}: individual scores can change only while it is open",
                session.id, session.state
            ),
        );
    }
}
