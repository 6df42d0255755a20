//! The fields of each kind's form, and how each kind of field reads and writes the record's JSON.

use serde_json::{Map, Value};

use crate::model::*;

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
    /// References, one id a line.
    Refs,
    /// Follow-ups, one a line: "[ ] action | owner | due".
    FollowUps,
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
            Spec::Lines | Spec::Refs => {
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
            Spec::FollowUps => {
                let items: Vec<String> = value
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|f| {
                                let done = f.get("done").and_then(Value::as_bool).unwrap_or(false);
                                let mut line = format!(
                                    "[{}] {}",
                                    if done { "x" } else { " " },
                                    text(f.get("action").unwrap_or(&Value::Null))
                                );
                                let owner = text(f.get("owner").unwrap_or(&Value::Null));
                                let due = text(f.get("due").unwrap_or(&Value::Null));
                                if !owner.is_empty() || !due.is_empty() {
                                    line.push_str(&format!(" | {owner}"));
                                }
                                if !due.is_empty() {
                                    line.push_str(&format!(" | {due}"));
                                }
                                line
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                text_input(items.join("\n"), true)
            }
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
            Spec::Lines | Spec::Refs => Ok(Value::Array(
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
                        Err("is required (YYYY-MM-DD)".into())
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
            Spec::FollowUps => {
                let mut out = Vec::new();
                for (n, line) in t.lines().map(str::trim).enumerate() {
                    if line.is_empty() {
                        continue;
                    }
                    let (done, rest) = if let Some(r) = line.strip_prefix("[x]") {
                        (true, r)
                    } else if let Some(r) = line.strip_prefix("[X]") {
                        (true, r)
                    } else if let Some(r) = line.strip_prefix("[ ]") {
                        (false, r)
                    } else {
                        (false, line)
                    };
                    let parts: Vec<&str> = rest.split('|').map(str::trim).collect();
                    let action = parts[0];
                    if action.is_empty() {
                        return Err(format!("line {}: the action is empty", n + 1));
                    }
                    let due = match parts.get(2).filter(|d| !d.is_empty()) {
                        Some(d) => Value::String(
                            Date::parse(d)
                                .map_err(|e| format!("line {}: {e}", n + 1))?
                                .to_string(),
                        ),
                        None => Value::Null,
                    };
                    let mut f = Map::new();
                    f.insert("action".into(), Value::String(action.into()));
                    f.insert(
                        "owner".into(),
                        Value::String(parts.get(1).copied().unwrap_or("").into()),
                    );
                    f.insert("due".into(), due);
                    f.insert("done".into(), Value::Bool(done));
                    out.push(Value::Object(f));
                }
                Ok(Value::Array(out))
            }
            Spec::Choice { .. } | Spec::Ref { .. } => unreachable!("handled above"),
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
            ("owner", "Owner organisation", text_field(true)),
            ("partner", "Presented by partner", r(Kind::Partner, false)),
            ("country", "Country (ISO code)", text_field(true)),
            ("region", "Region", text_field(false)),
            ("city", "City", text_field(false)),
            ("level", "Level", choice(level, false)),
            ("sub_theme", "Sub-theme", choice(sub_theme, false)),
            ("summary", "Summary", Spec::Multi),
            ("description", "Description", Spec::Multi),
            ("start", "Start", Spec::Date { required: false }),
            ("end", "End", Spec::Date { required: false }),
            ("keywords", "Keywords (commas)", Spec::Words),
            ("status", "Status", choice(practice_status, true)),
            ("reason", "Reason for a status move", Spec::Reason),
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
                "Practices presented (ids, one a line)",
                Spec::Refs,
            ),
            ("decisions", "Decisions (one a line)", Spec::Lines),
            (
                "follow_ups",
                "Follow-ups: [ ] action | owner | due ([x] done)",
                Spec::FollowUps,
            ),
            ("minutes", "Minutes", Spec::Multi),
        ],
        Kind::Voucher => vec![
            ("id", "Id (blank: from the service)", text_field(false)),
            ("scheme", "Scheme", r(Kind::Scheme, true)),
            ("voucher_type", "Voucher type (code)", text_field(true)),
            ("sme", "SME", r(Kind::Sme, true)),
            ("service", "Service", text_field(true)),
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
        _ => Vec::new(),
    }
}

/// The stored fields a new record starts from (those the form does not show).
pub fn template(kind: Kind, project: Option<&str>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(p) = project {
        m.insert("project".into(), Value::String(p.to_string()));
    }
    if kind == Kind::Voucher {
        m.insert("status".into(), Value::String("draft".into()));
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
