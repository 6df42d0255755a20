//! The fields of each kind's form (from the kinds' declarations, `model::kinds`), and how each
//! kind of field reads and writes the record's JSON.

use serde_json::{Map, Value};

pub use crate::model::kinds::Spec;
use crate::model::*;

use super::{Form, Input};

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

type FieldSpec = (&'static str, &'static str, Spec);

/// The fields of a kind's form, in order, as the kind's declaration gives them (with the line
/// for the reason under a field whose change needs one); empty for kinds without a form.
/// Criteria sets and scores have none: they are kept by the scoring pane (`s`: scoring, session
/// moves, decisions) and the command line (`taskforce import`, `score`, `session`, `decide`),
/// their nested criteria and frozen state do not fit a form. A session is created and its
/// practices and evaluators kept in its form; it is moved, scored and decided in the pane.
pub fn fields(kind: Kind) -> Vec<FieldSpec> {
    let mut out = Vec::new();
    for f in crate::model::kinds::fields(kind) {
        let Some(spec) = &f.form else { continue };
        out.push((f.key, f.label, spec.clone()));
        if f.asks_reason {
            out.push(("reason", "Reason for a status move", Spec::Reason));
        }
    }
    out
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
