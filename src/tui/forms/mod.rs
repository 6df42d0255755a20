//! Editing records in the workbench: a form per kind (`n` new, `e` edit), deleting with a
//! confirmation (`d`); what they change is noted for `u` (the workbench's `undo`).
//!
//! A form is built from a kind's field list ([`specs::fields`]): each field's spec holds typed
//! access to the record's own field (its slot, declared with the kind in `model::kinds`), so the
//! record is rebuilt by writing the edited values into a copy of the stored record (a blank
//! one for a new record); everything the form does not show is kept as it was. `validate` runs
//! on every change so that each error shows beside its field; saving sends one `Command::Put`
//! through the outbox with the revision the form was opened at, and the form stays open until
//! the store answers.

mod delete;
pub mod draw;
mod erase;
mod form;
mod history;
pub mod lines;
pub mod picker;
pub mod specs;
mod update;

pub use update::stale_after;

pub use history::HistoryView;
pub use picker::Picker;

use crate::model::*;
use crate::store::CommandError;

use super::feature::{Cx, Done, Effect, Level, Purpose};
use super::keymap::Action;
use super::outbox::Outcome;
use super::text::width;

pub use specs::Spec;

/// The editing state of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Text; `cursor` is a char index. Dates and amounts are text parsed on save.
    Text {
        value: String,
        cursor: usize,
        multiline: bool,
    },
    /// One of `options` (key, label); an optional choice has ("", "—") first.
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
    /// A reference to a record of `kind` (None: not set).
    Ref { kind: Kind, value: Option<String> },
}

/// One field of a form.
#[derive(Clone, Debug)]
pub struct Field {
    /// The record's field (its key in files), or a form-only field ("reason").
    pub key: &'static str,
    pub label: &'static str,
    pub spec: Spec,
    pub input: Input,
    pub error: Option<String>,
}

impl Field {
    /// The text the field holds, as the form shows it.
    pub fn text(&self) -> String {
        match &self.input {
            Input::Text { value, .. } => value.clone(),
            Input::Choice { options, index } => {
                options.get(*index).map(|o| o.1.clone()).unwrap_or_default()
            }
            Input::Ref { value, .. } => value.clone().unwrap_or_default(),
        }
    }
}

/// An open form.
#[derive(Clone, Debug)]
pub struct Form {
    pub kind: Kind,
    /// The stored record's revision (None: a new record).
    pub rev: Option<u64>,
    /// The record as it was opened (a blank one for a new record).
    pub base: Record,
    pub fields: Vec<Field>,
    /// The focused field; `fields.len()` is the Save button.
    pub focus: usize,
    /// Errors that belong to no field shown.
    pub general: Vec<String>,
    pub confirm_cancel: bool,
    /// Waiting for the store's answer.
    pub saving: bool,
    /// Someone else's version, when the save met a conflict: (field, theirs, yours) lines.
    pub conflict: Option<Vec<(String, String, String)>>,
    pub picker: Option<Picker>,
    initial: Vec<Input>,
}

/// Everything the forms add to the workbench's state.
#[derive(Clone, Debug, Default)]
pub struct FormState {
    pub form: Option<Form>,
    /// A delete waiting for `y`: kind, id, revision.
    pub confirm_delete: Option<(Kind, String, u64)>,
    /// An erasure of a stakeholder's personal data waiting for `y`: kind, id.
    pub confirm_erase: Option<(Kind, String)>,
    /// A record whose history the loop should fetch.
    pub history_request: Option<(Kind, String)>,
    pub history: Option<HistoryView>,
    /// The name of the record being deleted, for the message once it is gone.
    pub(super) deleting: Option<String>,
}

impl FormState {
    /// Whether a form, confirmation or history view has the keyboard.
    pub fn active(&self) -> bool {
        self.form.is_some() || self.confirming() || self.history.is_some()
    }

    /// Whether a delete or an erasure waits for its confirmation.
    pub fn confirming(&self) -> bool {
        self.confirm_delete.is_some() || self.confirm_erase.is_some()
    }

    /// The record whose history the loop should fetch; reading it clears it.
    pub fn take_history_request(&mut self) -> Option<(Kind, String)> {
        self.history_request.take()
    }
}

/// Whether the workbench offers forms for a kind. Criteria sets, evaluation sessions and scores
/// have none: they are kept by the scoring pane and the command line ([`managed_elsewhere`]).
pub fn editable(kind: Kind) -> bool {
    !specs::fields(kind).is_empty()
}

/// Where the records of a kind without a form are created and changed, for the message that
/// `n` and `e` give on such a kind.
pub fn managed_elsewhere(kind: Kind) -> String {
    let place = match kind {
        Kind::Score => {
            "scores are entered in the scoring pane (s on a session) or with `taskforce score`"
        }
        Kind::CriteriaSet => "criteria sets are created and changed with `taskforce import`",
        _ => "they are changed with `taskforce import`",
    };
    format!("{} have no form in the workbench: {place}", kind.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticked(text: &str, cursor: usize) -> (String, usize) {
        let mut form = Form::open(Kind::Meeting, None, None);
        form.focus = form
            .fields
            .iter()
            .position(|f| f.key == "follow_ups")
            .unwrap();
        form.fields[form.focus].input = Input::Text {
            value: text.into(),
            cursor,
            multiline: true,
        };
        assert!(form.tick());
        match &form.fields[form.focus].input {
            Input::Text { value, cursor, .. } => (value.clone(), *cursor),
            _ => unreachable!(),
        }
    }

    /// Every record the tests have, bundled and generated, of every kind with a form.
    fn records_with_forms() -> Vec<Record> {
        crate::fixtures::dataset()
            .into_records()
            .into_iter()
            .chain(crate::generate::generate(400, 11).into_records())
            .map(|(_, r)| r)
            .chain([Record::from(Member {
                id: "ana".into(),
                name: "Ana Novak".into(),
                organisation: "Maribor Development Agency".into(),
                partner: Some("mra".into()),
                facilitator: true,
            })])
            .filter(|r| editable(r.kind()))
            .collect()
    }

    #[test]
    fn a_form_saved_unchanged_gives_the_same_record_back() {
        let records = records_with_forms();
        for kind in Kind::ALL.iter().filter(|k| editable(**k)) {
            assert!(
                records.iter().any(|r| r.kind() == *kind),
                "no record of {kind:?} to open a form on"
            );
        }
        for record in records {
            let row = Row {
                rev: 3,
                at: Timestamp(0),
                by: "ana".into(),
                record: record.clone(),
            };
            let form = Form::open(record.kind(), Some(&row), None);
            assert!(!form.changed());
            let built = form.build("ana").unwrap_or_else(|e| {
                panic!(
                    "{} {}: not built: {e:?}",
                    record.kind().singular(),
                    record.id()
                )
            });
            assert_eq!(
                built,
                record,
                "{} {}",
                record.kind().singular(),
                record.id()
            );
        }
    }

    #[test]
    fn a_new_form_saved_gives_a_record_with_what_was_typed_and_nothing_else() {
        let mut form = Form::open(Kind::Transfer, None, Some("intra"));
        let mut set = |key: &str, value: &str| {
            let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
            f.input = match &f.input {
                Input::Ref { kind, .. } => Input::Ref {
                    kind: *kind,
                    value: Some(value.into()),
                },
                _ => Input::Text {
                    value: value.into(),
                    cursor: 0,
                    multiline: true,
                },
            };
        };
        set("title", "Vouchers into the Slovene programme");
        set("practice", "gp-si-vouchers");
        set("partner", "mra");
        set("instrument", "Slovene ERDF programme");
        set("stages", "2020-01 | interest\n2020-06 | studied | visit");
        set("links", "https://example.org/a\n\nhttps://example.org/b");
        let Record::Transfer(t) = form.build("ana").unwrap() else {
            panic!()
        };
        assert_eq!(t.id.as_str(), "vouchers-into-the-slovene-programme");
        assert_eq!(t.practice.as_str(), "gp-si-vouchers");
        assert_eq!(t.stage(), Some(TransferStage::Studied));
        assert_eq!(t.stages[1].note, "visit");
        assert_eq!(t.links, ["https://example.org/a", "https://example.org/b"]);
        assert_eq!((t.action, t.result, t.evidence.as_str()), (None, None, ""));
        // A required date starts empty in a new form, not at the blank record's day.
        let form = Form::open(Kind::Meeting, None, Some("intra"));
        assert_eq!(form.field("start").unwrap().text(), "");
        assert_eq!(form.field("project").unwrap().text(), "intra");
        let form = Form::open(Kind::Project, None, None);
        assert_eq!(form.field("programme").unwrap().text(), "Interreg Europe");
    }

    #[test]
    fn ctrl_t_ticks_the_line_under_the_cursor() {
        assert_eq!(ticked("[ ] a\n[x] b", 1), ("[x] a\n[x] b".into(), 1));
        assert_eq!(
            ticked("[ ] a\n[x] b | MRA", 8),
            ("[ ] a\n[ ] b | MRA".into(), 8)
        );
        // A line without a box gets one; the cursor stays on its character.
        assert_eq!(ticked("Send the grid", 5), ("[x] Send the grid".into(), 9));
        let mut form = Form::open(Kind::Meeting, None, None);
        form.focus = form.fields.iter().position(|f| f.key == "minutes").unwrap();
        assert!(!form.tick(), "only follow-ups tick");
    }
}
