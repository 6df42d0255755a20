//! The fields of each kind's form (from the kinds' declarations, `model::kinds`), and how each
//! kind of field reads and writes the record, through the typed slot its declaration gives it.

pub use crate::model::kinds::Spec;
use crate::model::kinds::{ChoiceKey, RefId, RefIds};
use crate::model::*;

use super::{Form, Input};

fn yes_no() -> Vec<(String, String)> {
    vec![("no".into(), "no".into()), ("yes".into(), "yes".into())]
}

fn text_input(value: String, multiline: bool) -> Input {
    Input::Text {
        cursor: value.chars().count(),
        value,
        multiline,
    }
}

fn opt_text<T: ToString>(value: Option<T>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

/// Lines of a text, trimmed, blank ones left out.
fn items<'a>(text: &'a str, separator: &'a [char]) -> impl Iterator<Item = String> + 'a {
    text.split(separator)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}

impl Spec {
    pub fn form_only(&self) -> bool {
        matches!(self, Spec::Reason)
    }

    /// Whether a new record's form shows the field empty rather than the blank record's value
    /// (a required date or amount has no value until someone types one).
    fn starts_empty(&self) -> bool {
        matches!(
            self,
            Spec::Date { required: true, .. }
                | Spec::Money { required: true, .. }
                | Spec::Percent { required: true, .. }
        )
    }

    /// The editing state for the record's value of the field (`new`: a blank record that no
    /// one has filled in yet).
    pub fn input(&self, record: &Record, new: bool) -> Input {
        if new && self.starts_empty() {
            return text_input(String::new(), false);
        }
        match self {
            Spec::Id { .. } => text_input(
                if new {
                    String::new()
                } else {
                    record.id().to_string()
                },
                false,
            ),
            Spec::Reason => text_input(String::new(), false),
            Spec::Text { at, .. } => text_input((at.get)(record), false),
            Spec::Multi(at) => text_input((at.get)(record), true),
            Spec::Date { at, .. } => text_input(opt_text((at.get)(record)), false),
            Spec::Money { at, .. } => text_input(opt_text((at.get)(record)), false),
            Spec::Percent { at, .. } => text_input(opt_text((at.get)(record)), false),
            Spec::Count(at) => text_input(opt_text((at.get)(record)), false),
            Spec::Lines(at) => text_input((at.get)(record).join("\n"), true),
            Spec::Refs { at, .. } => text_input((at.get)(record).0.join("\n"), true),
            Spec::Words(at) => text_input((at.get)(record).join(", "), false),
            Spec::Nested(n) => text_input(n.to_text(record), true),
            Spec::Flag(at) => Input::Choice {
                options: yes_no(),
                index: usize::from((at.get)(record)),
            },
            Spec::Choice {
                options,
                required,
                at,
            } => {
                let mut opts = options();
                if !required {
                    opts.insert(0, (String::new(), "—".into()));
                }
                let key = (at.get)(record).0.unwrap_or_default();
                let index = opts.iter().position(|o| o.0 == key).unwrap_or(0);
                Input::Choice {
                    options: opts,
                    index,
                }
            }
            Spec::VoucherType(at) => {
                let code = (at.get)(record);
                let options = if code.is_empty() {
                    vec![(String::new(), "— (choose the scheme first)".into())]
                } else {
                    vec![(code.clone(), code)]
                };
                Input::Choice { options, index: 0 }
            }
            Spec::Ref { kind, at, .. } => Input::Ref {
                kind: *kind,
                value: (at.get)(record).0,
            },
        }
    }

    /// Writes the field's input into the record, or says why it cannot (the parser's message).
    /// The id and the reason are the form's own: this leaves the record as it is for them.
    pub fn write(&self, input: &Input, record: &mut Record) -> Result<(), String> {
        let typed = match input {
            Input::Text { value, .. } => value.clone(),
            Input::Choice { options, index } => {
                let key = options.get(*index).map(|o| o.0.clone()).unwrap_or_default();
                match self {
                    Spec::Flag(at) => (at.set)(record, key == "yes"),
                    Spec::VoucherType(_) if key.is_empty() => {
                        return Err("is required: choose one of the scheme's voucher types".into());
                    }
                    Spec::VoucherType(at) => (at.set)(record, key),
                    Spec::Choice { at, .. } => {
                        (at.set)(record, ChoiceKey(Some(key).filter(|k| !k.is_empty())))
                    }
                    _ => {}
                }
                return Ok(());
            }
            Input::Ref { value, .. } => {
                return match (value, self) {
                    (
                        None,
                        Spec::Ref {
                            required: true,
                            kind,
                            ..
                        },
                    ) => Err(format!("choose a {} (Enter searches)", kind.singular())),
                    (value, Spec::Ref { at, .. }) => {
                        (at.set)(record, RefId(value.clone()));
                        Ok(())
                    }
                    _ => Ok(()),
                };
            }
        };
        let t = typed.trim();
        match self {
            Spec::Id { .. } | Spec::Reason => {}
            Spec::Text { required, at } => {
                if *required && t.is_empty() {
                    return Err("is required".into());
                }
                (at.set)(record, t.to_string());
            }
            Spec::Multi(at) => (at.set)(record, typed.trim_end().to_string()),
            Spec::Lines(at) => (at.set)(record, items(t, &['\n']).collect()),
            Spec::Refs { at, .. } => (at.set)(record, RefIds(items(t, &['\n']).collect())),
            Spec::Words(at) => (at.set)(record, items(t, &[',']).collect()),
            Spec::Date { required, at } => {
                if t.is_empty() && *required {
                    return Err(
                        "is required (a day YYYY-MM-DD, a month YYYY-MM or a year YYYY)".into(),
                    );
                }
                let d = if t.is_empty() {
                    None
                } else {
                    Some(Date::parse(t)?)
                };
                (at.set)(record, d);
            }
            Spec::Money { required, at } => {
                if t.is_empty() && *required {
                    return Err("is required (an amount in euro)".into());
                }
                let m = if t.is_empty() {
                    None
                } else {
                    Some(Money::parse(t)?)
                };
                (at.set)(record, m);
            }
            Spec::Percent { required, at } => {
                if t.is_empty() && *required {
                    return Err("is required (a percentage such as 60)".into());
                }
                let p = if t.is_empty() {
                    None
                } else {
                    Some(Percent::parse(t.trim_end_matches('%'))?)
                };
                (at.set)(record, p);
            }
            Spec::Count(at) => {
                let n = if t.is_empty() {
                    None
                } else {
                    Some(
                        t.parse::<u32>()
                            .map_err(|_| format!("'{t}' is not a whole number"))?,
                    )
                };
                (at.set)(record, n);
            }
            Spec::Nested(n) => n.write(&typed, record)?,
            Spec::Choice { .. } | Spec::Ref { .. } | Spec::Flag(_) | Spec::VoucherType(_) => {}
        }
        Ok(())
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
        out.push((f.key, f.label, *spec));
        if f.asks_reason {
            out.push(("reason", "Reason for a status move", Spec::Reason));
        }
    }
    out
}

/// The record a new one starts from: the kind's blank record (its declaration's), in the
/// project chosen in the workbench where the kind's form asks for a project; None for the
/// kinds without a form.
pub fn template(kind: Kind, project: Option<&str>) -> Option<Record> {
    let mut record = (crate::model::kinds::declaration(kind).new?)();
    if let Some(p) = project {
        for (key, _, spec) in fields(kind) {
            if let (Spec::Ref { at, .. }, "project") = (spec, key) {
                (at.set)(&mut record, RefId(Some(p.to_string())));
            }
        }
    }
    Some(record)
}

/// What a kind adds after the fields are written: a practice's status move gets its history
/// entry with the reason.
pub fn finish(form: &Form, out: &mut Record, user: &str, errors: &mut Vec<(usize, String)>) {
    if form.rev.is_none() {
        return;
    }
    let (Record::Practice(old), Record::Practice(new)) = (&form.base, out) else {
        return;
    };
    if old.status == new.status {
        return;
    }
    let reason_at = form.fields.iter().position(|f| f.key == "reason");
    let reason = reason_at.map(|i| form.fields[i].text()).unwrap_or_default();
    if reason.trim().is_empty() {
        errors.push((
            reason_at.unwrap_or(form.fields.len()),
            format!(
                "moving the status from '{}' to '{}' needs a reason",
                old.status.key(),
                new.status.key()
            ),
        ));
        return;
    }
    new.history.push(StatusChange {
        at: Timestamp::now(),
        by: user.to_string(),
        from: Some(old.status),
        to: new.status,
        reason: reason.trim().to_string(),
        session: None,
    });
}
