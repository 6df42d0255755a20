//! The fields of each kind's form, and how each kind of field reads and writes the record's JSON.

use serde_json::{Map, Value};

use crate::model::*;

use super::lines::Nested;
use super::{Form, Input};

/// What a field holds.
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

macro_rules! options {
    ($name:ident, $ty:ty) => {
        fn $name() -> Vec<(String, String)> {
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

fn yes_no() -> Vec<(String, String)> {
    vec![("no".into(), "no".into()), ("yes".into(), "yes".into())]
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn money_text(value: &Value) -> String {
    serde_json::from_value::<Money>(value.clone())
        .map(|m| m.to_string())
        .unwrap_or_default()
}

fn percent_text(value: &Value) -> String {
    serde_json::from_value::<Percent>(value.clone())
        .map(|m| m.to_string())
        .unwrap_or_default()
}

fn text_input(value: String, multiline: bool) -> Input {
    Input::Text {
        cursor: value.chars().count(),
        value,
        multiline,
    }
}

impl Spec {
    pub fn form_only(&self) -> bool {
        matches!(self, Spec::Reason)
    }

    /// The editing state for a stored value.
    pub fn input(&self, value: &Value) -> Input {
        match self {
            Spec::Text { .. } | Spec::Date { .. } => text_input(text(value), false),
            Spec::Reason => text_input(String::new(), false),
            Spec::Multi => text_input(text(value), true),
            Spec::Money { .. } => text_input(money_text(value), false),
            Spec::Percent { .. } => text_input(percent_text(value), false),
            Spec::Count => text_input(text(value), false),
            Spec::Lines | Spec::Refs { .. } => {
                let items: Vec<String> = value
                    .as_array()
                    .map(|a| a.iter().map(text).collect())
                    .unwrap_or_default();
                text_input(items.join("\n"), true)
            }
            Spec::Words => {
                let items: Vec<String> = value
                    .as_array()
                    .map(|a| a.iter().map(text).collect())
                    .unwrap_or_default();
                text_input(items.join(", "), false)
            }
            Spec::Nested(n) => text_input(n.to_text(value), true),
            Spec::Flag => Input::Choice {
                options: yes_no(),
                index: usize::from(value.as_bool().unwrap_or(false)),
            },
            Spec::Choice { options, required } => {
                let mut opts = options();
                if !required {
                    opts.insert(0, (String::new(), "—".into()));
                }
                let key = text(value);
                let index = opts.iter().position(|o| o.0 == key).unwrap_or(0);
                Input::Choice {
                    options: opts,
                    index,
                }
            }
            Spec::VoucherType => {
                let code = text(value);
                let options = if code.is_empty() {
                    vec![(String::new(), "— (choose the scheme first)".into())]
                } else {
                    vec![(code.clone(), code)]
                };
                Input::Choice { options, index: 0 }
            }
            Spec::Ref { kind, .. } => Input::Ref {
                kind: *kind,
                value: Some(text(value)).filter(|s| !s.is_empty()),
            },
        }
    }

    /// The value to store, or the parser's message.
    pub fn value(&self, input: &Input) -> Result<Value, String> {
        let typed = match input {
            Input::Text { value, .. } => value.clone(),
            Input::Choice { options, index } => {
                let key = options.get(*index).map(|o| o.0.clone()).unwrap_or_default();
                if matches!(self, Spec::Flag) {
                    return Ok(Value::Bool(key == "yes"));
                }
                if matches!(self, Spec::VoucherType) && key.is_empty() {
                    return Err("is required: choose one of the scheme's voucher types".into());
                }
                return Ok(if key.is_empty() {
                    Value::Null
                } else {
                    Value::String(key)
                });
            }
            Input::Ref { value, .. } => {
                return match (value, self) {
                    (Some(id), _) => Ok(Value::String(id.clone())),
                    (
                        None,
                        Spec::Ref {
                            required: true,
                            kind,
                        },
                    ) => Err(format!("choose a {} (Enter searches)", kind.singular())),
                    (None, _) => Ok(Value::Null),
                };
            }
        };
        let t = typed.trim();
        match self {
            Spec::Text { required } => {
                if *required && t.is_empty() {
                    Err("is required".into())
                } else {
                    Ok(Value::String(t.to_string()))
                }
            }
            Spec::Multi | Spec::Reason => Ok(Value::String(typed.trim_end().to_string())),
            Spec::Lines | Spec::Refs { .. } => Ok(Value::Array(
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            )),
            Spec::Words => Ok(Value::Array(
                t.split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            )),
            Spec::Date { required } => {
                if t.is_empty() {
                    return if *required {
                        Err("is required (a day YYYY-MM-DD, a month YYYY-MM or a year YYYY)".into())
                    } else {
                        Ok(Value::Null)
                    };
                }
                let d = Date::parse(t)?;
                Ok(Value::String(d.to_string()))
            }
            Spec::Money { required } => {
                if t.is_empty() {
                    return if *required {
                        Err("is required (an amount in euro)".into())
                    } else {
                        Ok(Value::Null)
                    };
                }
                let m = Money::parse(t)?;
                serde_json::to_value(m).map_err(|e| e.to_string())
            }
            Spec::Percent { required } => {
                if t.is_empty() {
                    return if *required {
                        Err("is required (a percentage such as 60)".into())
                    } else {
                        Ok(Value::Null)
                    };
                }
                let p = Percent::parse(t.trim_end_matches('%'))?;
                serde_json::to_value(p).map_err(|e| e.to_string())
            }
            Spec::Count => {
                if t.is_empty() {
                    return Ok(Value::Null);
                }
                t.parse::<u32>()
                    .map(Value::from)
                    .map_err(|_| format!("'{t}' is not a whole number"))
            }
            Spec::Nested(n) => n.parse(&typed),
            Spec::Choice { .. } | Spec::Ref { .. } | Spec::Flag | Spec::VoucherType => {
                unreachable!("handled above")
            }
        }
    }
}

const fn text_field(required: bool) -> Spec {
    Spec::Text { required }
}

type FieldSpec = (&'static str, &'static str, Spec);

/// The fields of a kind's form, in order; empty for kinds without a form.
pub fn fields(kind: Kind) -> Vec<FieldSpec> {
    let choice =
        |options: fn() -> Vec<(String, String)>, required| Spec::Choice { options, required };
    let r = |kind, required| Spec::Ref { kind, required };
    match kind {
        Kind::Practice => vec![
            ("id", "Id (blank: from the title)", text_field(false)),
            ("project", "Project", r(Kind::Project, true)),
            ("title", "Title", text_field(true)),
            ("owner", "Owner organisation", text_field(false)),
            ("partner", "Presented by partner", r(Kind::Partner, false)),
            ("country", "Country (ISO code)", text_field(true)),
            ("region", "Region", text_field(false)),
            ("city", "City", text_field(false)),
            ("level", "Level", choice(level, false)),
            ("sub_theme", "Sub-theme", choice(sub_theme, false)),
            ("summary", "Summary", Spec::Multi),
            ("description", "Description", Spec::Multi),
            ("website", "Website", text_field(false)),
            ("resources", "Resources needed", Spec::Multi),
            ("evidence", "Evidence of success", Spec::Multi),
            ("transfer_potential", "Potential for transfer", Spec::Multi),
            ("difficulties", "Difficulties, lessons", Spec::Multi),
            ("start", "Start", Spec::Date { required: false }),
            ("end", "End", Spec::Date { required: false }),
            ("keywords", "Keywords (commas)", Spec::Words),
            ("status", "Status", choice(practice_status, true)),
            ("reason", "Reason for a status move", Spec::Reason),
            ("web_status", "Programme website", choice(web_status, false)),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::Meeting => vec![
            ("id", "Id (blank: from the title)", text_field(false)),
            ("project", "Project", r(Kind::Project, true)),
            ("title", "Title", text_field(true)),
            ("kind", "Kind", choice(meeting_kind, true)),
            ("mode", "Mode", choice(meeting_mode, true)),
            ("host", "Host partner", r(Kind::Partner, false)),
            ("city", "City", text_field(false)),
            ("country", "Country (ISO code)", text_field(false)),
            ("start", "Start", Spec::Date { required: true }),
            ("end", "End", Spec::Date { required: false }),
            (
                "practices",
                "Practices (Ctrl-o adds)",
                Spec::Refs {
                    kind: Kind::Practice,
                },
            ),
            ("agenda", "Agenda", Spec::Nested(Nested::Agenda)),
            ("attendance", "Attendance", Spec::Nested(Nested::Attendance)),
            ("decisions", "Decisions (one a line)", Spec::Lines),
            (
                "follow_ups",
                "Follow-ups (Ctrl-t ticks)",
                Spec::Nested(Nested::FollowUps),
            ),
            ("minutes", "Minutes", Spec::Multi),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::Voucher => vec![
            ("id", "Id (blank: from the service)", text_field(false)),
            ("scheme", "Scheme", r(Kind::Scheme, true)),
            ("voucher_type", "Voucher type (code)", Spec::VoucherType),
            ("sme", "SME", r(Kind::Sme, true)),
            ("service", "Service", text_field(true)),
            ("participants", "Participants (one a line)", Spec::Lines),
            (
                "eligible_cost",
                "Eligible cost (EUR)",
                Spec::Money { required: true },
            ),
            (
                "requested",
                "Requested (EUR)",
                Spec::Money { required: true },
            ),
            (
                "approved",
                "Approved (EUR)",
                Spec::Money { required: false },
            ),
            ("paid", "Paid (EUR)", Spec::Money { required: false }),
            (
                "submitted_on",
                "Submitted on",
                Spec::Date { required: false },
            ),
            (
                "contract_start",
                "Contract start",
                Spec::Date { required: false },
            ),
            (
                "contract_end",
                "Contract end",
                Spec::Date { required: false },
            ),
            ("costs_from", "Costs from", Spec::Date { required: false }),
            ("costs_to", "Costs to", Spec::Date { required: false }),
            ("claim_on", "Claim on", Spec::Date { required: false }),
            ("paid_on", "Paid on", Spec::Date { required: false }),
            ("status", "Status", choice(voucher_status, true)),
            ("status_reason", "Reason (rejected/withdrawn)", Spec::Multi),
        ],
        Kind::Project => vec![
            ("id", "Id (blank: from the acronym)", text_field(false)),
            ("acronym", "Acronym", text_field(true)),
            ("title", "Title", text_field(true)),
            ("programme", "Programme", text_field(false)),
            ("start", "Start", Spec::Date { required: false }),
            ("end", "End", Spec::Date { required: false }),
            ("phases", "Phases", Spec::Nested(Nested::Phases)),
            (
                "total_budget",
                "Total budget (EUR)",
                Spec::Money { required: false },
            ),
            (
                "erdf_amount",
                "ERDF amount (EUR)",
                Spec::Money { required: false },
            ),
            (
                "erdf_rate",
                "ERDF rate (%)",
                Spec::Percent { required: false },
            ),
            ("lead_partner", "Lead partner", r(Kind::Partner, false)),
            ("summary", "Summary", Spec::Multi),
            ("website", "Website", text_field(false)),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::Partner => vec![
            ("id", "Id (blank: from organisation)", text_field(false)),
            ("project", "Project", r(Kind::Project, true)),
            ("organisation", "Organisation", text_field(true)),
            ("short_name", "Short name", text_field(false)),
            ("country", "Country (ISO code)", text_field(true)),
            ("region", "Region", text_field(false)),
            ("nuts2", "NUTS 2 code", text_field(false)),
            ("city", "City", text_field(false)),
            ("role", "Role", choice(partner_role, true)),
            ("policy_instrument", "Policy instrument", text_field(false)),
            ("website", "Website", text_field(false)),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::ActionPlan => vec![
            ("id", "Id (blank: from the title)", text_field(false)),
            ("project", "Project", r(Kind::Project, true)),
            ("partner", "Partner", r(Kind::Partner, true)),
            ("title", "Title", text_field(true)),
            ("instrument", "Policy instrument", text_field(true)),
            (
                "instrument_kind",
                "Instrument kind",
                choice(instrument_kind, true),
            ),
            (
                "validated_on",
                "Validated on",
                Spec::Date { required: false },
            ),
            ("validated_by", "Validated by", text_field(false)),
            ("summary", "Summary", Spec::Multi),
            (
                "reports",
                "Monitoring reports",
                Spec::Nested(Nested::Reports),
            ),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::Action => vec![
            ("id", "Id (blank: from the title)", text_field(false)),
            ("plan", "Action plan", r(Kind::ActionPlan, true)),
            ("title", "Title", text_field(true)),
            ("background", "Background", Spec::Multi),
            (
                "inspired_by",
                "Inspired by (Ctrl-o adds)",
                Spec::Refs {
                    kind: Kind::Practice,
                },
            ),
            ("activities", "Activities", Spec::Multi),
            ("players", "Players", Spec::Multi),
            ("start", "Start", Spec::Date { required: false }),
            ("end", "End", Spec::Date { required: false }),
            ("costs", "Costs (EUR)", Spec::Money { required: false }),
            ("funding", "Funding sources", text_field(false)),
            ("indicators", "Indicators", Spec::Nested(Nested::Indicators)),
            ("status", "Status", choice(action_status, true)),
            ("status_reason", "Reason (if not implemented)", Spec::Multi),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::Scheme => vec![
            ("id", "Id (blank: from the name)", text_field(false)),
            ("project", "Project", r(Kind::Project, false)),
            ("name", "Name", text_field(true)),
            ("issuer", "Issuer", text_field(false)),
            ("country", "Country (ISO code)", text_field(true)),
            ("opens", "Opens", Spec::Date { required: false }),
            ("closes", "Closes", Spec::Date { required: false }),
            (
                "rate",
                "Co-financing rate (%)",
                Spec::Percent { required: true },
            ),
            (
                "min_amount",
                "Minimum a voucher (EUR)",
                Spec::Money { required: true },
            ),
            (
                "max_amount",
                "Maximum a voucher (EUR)",
                Spec::Money { required: true },
            ),
            (
                "max_vouchers_per_year",
                "Vouchers a year per SME",
                Spec::Count,
            ),
            (
                "max_total_per_year",
                "Total a year per SME (EUR)",
                Spec::Money { required: false },
            ),
            ("budget", "Budget (EUR)", Spec::Money { required: false }),
            ("eligible_costs", "Eligible costs", Spec::Multi),
            ("vat_eligible", "VAT eligible", Spec::Flag),
            ("aid_regime", "Aid regime", text_field(false)),
            ("notes", "Notes", Spec::Multi),
            ("types", "Voucher types", Spec::Nested(Nested::VoucherTypes)),
            ("source", "Sources (one a line)", Spec::Multi),
        ],
        Kind::Sme => vec![
            ("id", "Id (blank: from the name)", text_field(false)),
            ("name", "Name", text_field(true)),
            (
                "registration_number",
                "Registration number",
                text_field(false),
            ),
            ("size", "Size", choice(sme_size, true)),
            ("country", "Country (ISO code)", text_field(true)),
            ("region", "Region", text_field(false)),
            ("city", "City", text_field(false)),
        ],
        Kind::Member => vec![
            ("id", "Login name", text_field(true)),
            ("name", "Name", text_field(false)),
            ("organisation", "Organisation", text_field(false)),
            ("partner", "Partner", r(Kind::Partner, false)),
            ("facilitator", "Facilitator", Spec::Flag),
        ],
        // Criteria sets, evaluation sessions and scores are kept by the scoring pane (`s`:
        // scoring, session moves, decisions) and the command line (`taskforce import` for
        // criteria sets and sessions, `score`, `session`, `decide`): their nested criteria and
        // frozen state do not fit a form. See `managed_elsewhere`.
        // A session is created and its practices and evaluators kept here; it is moved, scored
        // and decided in the scoring pane.
        Kind::Session => vec![
            ("id", "Id (blank: from the title)", text_field(false)),
            ("meeting", "Meeting evaluated", r(Kind::Meeting, true)),
            ("title", "Title", text_field(true)),
            (
                "criteria_set",
                "Criteria set (frozen when the session opens)",
                r(Kind::CriteriaSet, true),
            ),
            (
                "practices",
                "Practices under evaluation (Ctrl-o adds)",
                Spec::Refs {
                    kind: Kind::Practice,
                },
            ),
            (
                "evaluators",
                "Evaluators (user names, one a line)",
                Spec::Lines,
            ),
        ],
        Kind::CriteriaSet | Kind::Score => Vec::new(),
    }
}

/// The stored fields a new record starts from (those the form does not show).
pub fn template(kind: Kind, project: Option<&str>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(p) = project
        && fields(kind).iter().any(|f| f.0 == "project")
    {
        m.insert("project".into(), Value::String(p.to_string()));
    }
    if kind == Kind::Voucher {
        m.insert("status".into(), Value::String("draft".into()));
    }
    if kind == Kind::Session {
        m.insert("state".into(), Value::String("draft".into()));
    }
    if kind == Kind::Project {
        m.insert("programme".into(), Value::String("Interreg Europe".into()));
    }
    m
}

/// What a kind adds after the fields are written: a practice's status move gets its history
/// entry with the reason.
pub fn finish(
    form: &Form,
    out: &mut Map<String, Value>,
    user: &str,
    errors: &mut Vec<(usize, String)>,
) {
    if form.kind != Kind::Practice || form.rev.is_none() {
        return;
    }
    let old = form.base.get("status").cloned().unwrap_or(Value::Null);
    let new = out.get("status").cloned().unwrap_or(Value::Null);
    if old == new {
        return;
    }
    let reason_at = form.fields.iter().position(|f| f.key == "reason");
    let reason = reason_at.map(|i| form.fields[i].text()).unwrap_or_default();
    if reason.trim().is_empty() {
        errors.push((
            reason_at.unwrap_or(form.fields.len()),
            format!(
                "moving the status from '{}' to '{}' needs a reason",
                text(&old),
                text(&new)
            ),
        ));
        return;
    }
    let mut entry = Map::new();
    entry.insert(
        "at".into(),
        serde_json::to_value(Timestamp::now()).unwrap_or(Value::Null),
    );
    entry.insert("by".into(), Value::String(user.to_string()));
    entry.insert("from".into(), old);
    entry.insert("to".into(), new);
    entry.insert("reason".into(), Value::String(reason.trim().to_string()));
    entry.insert("session".into(), Value::Null);
    match out.get_mut("history") {
        Some(Value::Array(h)) => h.push(Value::Object(entry)),
        _ => {
            out.insert("history".into(), Value::Array(vec![Value::Object(entry)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form edits what each kind's declaration says it edits, under the declared labels.
    #[test]
    fn the_forms_edit_the_declared_fields_under_their_labels() {
        for kind in Kind::ALL {
            let mut form: Vec<(&str, &str)> = fields(*kind)
                .into_iter()
                .filter(|f| !f.2.form_only())
                .map(|(key, label, _)| (key, label))
                .collect();
            let mut declared = crate::model::kinds::form_labels(*kind);
            form.sort();
            declared.sort();
            assert_eq!(form, declared, "{kind}");
        }
    }
}
