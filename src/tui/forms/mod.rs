//! Editing records in the workbench: a form per kind (`n` new, `e` edit), deleting with a
//! confirmation (`d`), undoing the last change (`u`).
//!
//! A form is built from a kind's field list ([`specs::fields`]): each field names the record's
//! own field (its JSON key), so the record is rebuilt by writing the edited values into the
//! stored record's JSON and reading it back; everything the form does not show is kept as it
//! was. `validate` runs on every change so that each error shows beside its field; saving sends
//! one `Command::Put` through the outbox with the revision the form was opened at, and the form
//! stays open until the store answers.

mod changes;
pub mod draw;
mod history;
pub mod lines;
pub mod picker;
pub mod specs;

pub use history::HistoryView;
pub use picker::Picker;

use serde_json::{Map, Value};

use crate::model::*;
use crate::store::CommandError;

use super::feature::{Cx, Effect, Level, Purpose};
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
    /// The record's field (its JSON key), or a form-only field ("reason").
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
    /// The record as it was opened (its JSON fields).
    pub base: Map<String, Value>,
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
    /// The last change this workbench made, for `u`: its sequence number and what it was.
    pub last: Option<(u64, String)>,
    /// A record whose history the loop should fetch.
    pub history_request: Option<(Kind, String)>,
    pub history: Option<HistoryView>,
    /// The name of the record being deleted, for the message once it is gone.
    pub(super) deleting: Option<String>,
}

impl FormState {
    /// Whether a form, confirmation or history view has the keyboard.
    pub fn active(&self) -> bool {
        self.form.is_some() || self.confirm_delete.is_some() || self.history.is_some()
    }

    /// The record whose history the loop should fetch; reading it clears it.
    pub fn take_history_request(&mut self) -> Option<(Kind, String)> {
        self.history_request.take()
    }
}

/// A record's fields as JSON (the inside of `{"Practice": {...}}`).
pub fn record_fields(record: &Record) -> Map<String, Value> {
    match serde_json::to_value(record) {
        Ok(Value::Object(outer)) => match outer.into_iter().next() {
            Some((_, Value::Object(inner))) => inner,
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

fn record_from(kind: Kind, fields: Map<String, Value>) -> Result<Record, String> {
    let tag = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut outer = Map::new();
    outer.insert(tag, Value::Object(fields));
    serde_json::from_value(Value::Object(outer)).map_err(|e| e.to_string())
}

/// A record's title for pickers and messages: its title, name or organisation, else its id.
pub fn title_of(record: &Record) -> String {
    let f = record_fields(record);
    for key in ["title", "name", "acronym", "organisation", "service"] {
        if let Some(Value::String(s)) = f.get(key)
            && !s.is_empty()
        {
            return s.clone();
        }
    }
    record.id().to_string()
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

impl Form {
    /// A form for a new record (`record`: None) or for editing a stored one.
    pub fn open(kind: Kind, row: Option<&Row>, project: Option<&str>) -> Form {
        let base = match row {
            Some(row) => record_fields(&row.record),
            None => specs::template(kind, project),
        };
        let mut fields: Vec<Field> = Vec::new();
        for (key, label, spec) in specs::fields(kind) {
            if key == "id" && row.is_some() {
                continue;
            }
            let value = base.get(key).cloned().unwrap_or(Value::Null);
            fields.push(Field {
                key,
                label,
                spec: spec.clone(),
                input: spec.input(&value),
                error: None,
            });
        }
        let initial = fields.iter().map(|f| f.input.clone()).collect();
        Form {
            kind,
            rev: row.map(|r| r.rev),
            base,
            fields,
            focus: 0,
            general: Vec::new(),
            confirm_cancel: false,
            saving: false,
            conflict: None,
            picker: None,
            initial,
        }
    }

    /// Whether anything was changed since the form opened.
    pub fn changed(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, i)| f.input != *i)
    }

    /// The id the record has (or will have).
    pub fn id(&self) -> String {
        if let Some(f) = self.fields.iter().find(|f| f.key == "id") {
            let typed = f.text();
            if !typed.trim().is_empty() {
                return typed.trim().to_string();
            }
            let title = self
                .fields
                .iter()
                .find(|f| {
                    matches!(
                        f.key,
                        "title" | "name" | "organisation" | "acronym" | "service"
                    )
                })
                .map(|f| f.text())
                .unwrap_or_default();
            return ids::slugify(&title, 48);
        }
        self.base
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Builds the record from the fields; the errors of fields that do not parse otherwise.
    pub fn build(&self, user: &str) -> Result<Record, Vec<(usize, String)>> {
        let mut out = self.base.clone();
        let mut errors = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            if f.spec.form_only() {
                continue;
            }
            match f.spec.value(&f.input) {
                Ok(v) => {
                    out.insert(f.key.to_string(), v);
                }
                Err(e) => errors.push((i, e)),
            }
        }
        out.insert("id".into(), Value::String(self.id()));
        specs::finish(self, &mut out, user, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        record_from(self.kind, out).map_err(|e| vec![(self.fields.len(), e)])
    }

    /// Runs the parsers and the model's rules, and puts each error beside its field.
    pub fn check(&mut self, user: &str, replica: &Replica) {
        self.follow_scheme(replica);
        for f in &mut self.fields {
            f.error = None;
        }
        self.general.clear();
        match self.build(user) {
            Err(errors) => {
                for (i, e) in errors {
                    self.place(i, e);
                }
            }
            Ok(record) => {
                let previous = replica.record(self.kind, record.id());
                let previous = if self.rev.is_some() { previous } else { None };
                let mut found = validate(&record, previous, replica);
                if self.rev.is_none() && replica.record(self.kind, record.id()).is_some() {
                    found.push(FieldError {
                        kind: self.kind,
                        id: record.id().to_string(),
                        field: "id".into(),
                        message: format!("a {} with this id already exists", self.kind.singular()),
                    });
                }
                self.place_errors(&found);
            }
        }
    }

    /// A voucher's type is chosen among the types of the scheme the form names (a code the
    /// scheme does not list, kept from the stored record, stays choosable).
    fn follow_scheme(&mut self, replica: &Replica) {
        let scheme = self.fields.iter().find_map(|f| match (&f.key, &f.input) {
            (&"scheme", Input::Ref { value, .. }) => value.clone(),
            _ => None,
        });
        let Some(field) = self
            .fields
            .iter_mut()
            .find(|f| matches!(f.spec, Spec::VoucherType))
        else {
            return;
        };
        let Input::Choice { options, index } = &mut field.input else {
            return;
        };
        let current = options.get(*index).map(|o| o.0.clone()).unwrap_or_default();
        let mut fresh: Vec<(String, String)> = match scheme
            .as_deref()
            .and_then(|id| replica.record(Kind::Scheme, id))
        {
            Some(Record::Scheme(s)) => {
                let mut o = vec![(String::new(), "— (choose one)".to_string())];
                o.extend(
                    s.types
                        .iter()
                        .map(|t| (t.code.clone(), format!("{} – {}", t.code, t.name))),
                );
                o
            }
            _ => vec![(String::new(), "— (choose the scheme first)".to_string())],
        };
        if !current.is_empty() && !fresh.iter().any(|o| o.0 == current) {
            fresh.push((
                current.clone(),
                format!("{current} (not a type of this scheme)"),
            ));
        }
        if *options != fresh {
            *index = fresh.iter().position(|o| o.0 == current).unwrap_or(0);
            *options = fresh;
        }
    }

    fn place(&mut self, index: usize, message: String) {
        match self.fields.get_mut(index) {
            Some(f) if f.error.is_none() => f.error = Some(message),
            Some(f) => {
                let e = f.error.as_mut().unwrap();
                e.push_str("; ");
                e.push_str(&message);
            }
            None => self.general.push(message),
        }
    }

    /// Puts the model's or the store's errors beside their fields.
    pub fn place_errors(&mut self, errors: &[FieldError]) {
        for e in errors {
            let top = e.field.split(['.', '[']).next().unwrap_or("");
            match self.fields.iter().position(|f| f.key == top) {
                Some(i) => {
                    let message = self.on_line(i, &e.field, &e.message);
                    self.place(i, message)
                }
                None if top == "id" && self.fields.iter().all(|f| f.key != "id") => {
                    self.general.push(format!("id: {}", e.message))
                }
                None => self.general.push(format!("{}: {}", e.field, e.message)),
            }
        }
    }

    /// The model names the n-th item of a nested list ("reports[1].due"); the form names the
    /// line that holds it ("line 4 (due): …").
    fn on_line(&self, index: usize, field: &str, message: &str) -> String {
        let f = &self.fields[index];
        let item = field
            .split_once('[')
            .and_then(|(_, rest)| rest.split_once(']'))
            .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest.trim_start_matches('.'))));
        let Some((n, rest)) = item else {
            return message.to_string();
        };
        let line = match &f.spec {
            Spec::Nested(nested) => nested.line_of_item(&f.text(), n),
            Spec::Refs { .. } | Spec::Lines => lines::nth_item_line(&f.text(), n, |_| true),
            _ => None,
        };
        match (line, rest.is_empty()) {
            (Some(l), true) => format!("line {l}: {message}"),
            (Some(l), false) => format!("line {l} ({rest}): {message}"),
            (None, _) => format!("{field}: {message}"),
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.general.is_empty() || self.fields.iter().any(|f| f.error.is_some())
    }

    // ----- editing -----

    fn text_mut(&mut self) -> Option<(&mut String, &mut usize, bool)> {
        match self.fields.get_mut(self.focus).map(|f| &mut f.input) {
            Some(Input::Text {
                value,
                cursor,
                multiline,
            }) => Some((value, cursor, *multiline)),
            _ => None,
        }
    }

    /// Types text at the cursor (sanitised; NFC), with the workbench's one text input.
    pub fn insert(&mut self, text: &str) {
        let Some((value, cursor, multiline)) = self.text_mut() else {
            return;
        };
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        super::input::insert_text(value, cursor, &text, multiline);
    }

    /// An editing action on the focused text, with the one text input; returns whether the
    /// action was an edit.
    fn edit(&mut self, action: Action) -> bool {
        let Some(edit) = super::input::Edit::of(action) else {
            return false;
        };
        if let Some((value, cursor, _)) = self.text_mut() {
            super::input::edit_text(value, cursor, edit);
        }
        true
    }

    /// ↑/↓ in a text of several lines: the line above or below, at the same column. Returns
    /// false on the first or last line (or a text of one line): the focus moves instead.
    fn move_line(&mut self, up: bool) -> bool {
        let Some((value, cursor, true)) = self.text_mut() else {
            return false;
        };
        let (line_start, _) = crate::tui::input::line_at(value, *cursor);
        let col = *cursor - line_start;
        let lines: Vec<usize> = std::iter::once(0)
            .chain(
                value
                    .chars()
                    .enumerate()
                    .filter(|(_, c)| *c == '\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let row = lines.iter().rposition(|s| *s <= *cursor).unwrap_or(0);
        let target = if up {
            row.checked_sub(1)
        } else {
            Some(row + 1).filter(|r| *r < lines.len())
        };
        let Some(target) = target else { return false };
        let start = lines[target];
        let (_, end) = crate::tui::input::line_at(value, start);
        *cursor = (start + col).min(end);
        true
    }

    /// The cursor's column in display cells within its line, and its line.
    pub fn cursor_cell(&self) -> Option<(usize, usize)> {
        match self.fields.get(self.focus).map(|f| &f.input) {
            Some(Input::Text { value, cursor, .. }) => {
                let before: String = value.chars().take(*cursor).collect();
                let line = before.matches('\n').count();
                let last = before.rsplit('\n').next().unwrap_or("");
                Some((width(last), line))
            }
            _ => None,
        }
    }

    fn cycle(&mut self, forward: bool) {
        if let Some(Field {
            input: Input::Choice { options, index },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let n = options.len().max(1);
            *index = if forward {
                (*index + 1) % n
            } else {
                (*index + n - 1) % n
            };
        }
    }

    /// Opens the search for the focused reference, or for a record to add to the focused list
    /// of references.
    fn open_picker(&mut self) -> bool {
        let kind = match self.fields.get(self.focus) {
            Some(Field {
                input: Input::Ref { kind, .. },
                ..
            })
            | Some(Field {
                spec: Spec::Refs { kind },
                ..
            }) => *kind,
            _ => return false,
        };
        self.picker = Some(Picker::new(self.focus, kind));
        true
    }

    /// Ticks the follow-up under the cursor done, or back to not done; false when the focused
    /// field holds no follow-ups.
    fn tick(&mut self) -> bool {
        let Some(Field {
            spec: Spec::Nested(lines::Nested::FollowUps),
            input: Input::Text { value, cursor, .. },
            ..
        }) = self.fields.get_mut(self.focus)
        else {
            return false;
        };
        let (start, end) = crate::tui::input::line_at(value, *cursor);
        let (a, b) = (
            crate::tui::input::byte_at(value, start),
            crate::tui::input::byte_at(value, end),
        );
        let line = &value[a..b];
        let indent = line.len() - line.trim_start().len();
        let body = &line[indent..];
        let ticked = if let Some(rest) = body
            .strip_prefix("[x]")
            .or_else(|| body.strip_prefix("[X]"))
        {
            format!("[ ]{rest}")
        } else if let Some(rest) = body.strip_prefix("[ ]").or_else(|| body.strip_prefix("[]")) {
            format!("[x]{rest}")
        } else if body.trim().is_empty() {
            return true;
        } else {
            format!("[x] {body}")
        };
        let new_line = format!("{}{ticked}", &line[..indent]);
        let delta = new_line.chars().count() as isize - line.chars().count() as isize;
        value.replace_range(a..b, &new_line);
        // Keep the cursor on the same character of the line.
        let moved = (*cursor as isize + delta).max(start as isize) as usize;
        *cursor = moved.min(value.chars().count());
        true
    }

    /// Puts the picked id into its field: the reference, or a new line of a list of references.
    fn pick(&mut self, field: usize, id: String) {
        let Some(f) = self.fields.get_mut(field) else {
            return;
        };
        match &mut f.input {
            Input::Ref { value, .. } => *value = Some(id),
            Input::Text { value, cursor, .. } => {
                if value.lines().any(|l| l.trim() == id) {
                    return;
                }
                if !value.trim().is_empty() && !value.ends_with('\n') {
                    value.push('\n');
                }
                value.push_str(&id);
                *cursor = value.chars().count();
            }
            Input::Choice { .. } => {}
        }
    }
}

// ----- what the workbench calls -----

fn say(level: Level, text: impl Into<String>) -> Effect {
    Effect::Say(level, text.into())
}

impl FormState {
    /// `n`: a form for a new record of the shown kind.
    pub fn new_record(&mut self, cx: &Cx, shown: Option<Kind>) -> Vec<Effect> {
        let Some(kind) = shown else {
            return vec![say(
                Level::Warn,
                "Choose a kind of record in the navigation first",
            )];
        };
        if !editable(kind) {
            return vec![say(Level::Warn, managed_elsewhere(kind))];
        }
        let mut form = Form::open(kind, None, cx.project);
        form.check(cx.user, cx.replica);
        self.form = Some(form);
        Vec::new()
    }

    /// `e`: a form for the selected record.
    pub fn edit_record(
        &mut self,
        cx: &Cx,
        shown: Option<Kind>,
        selected: Option<(Kind, String)>,
    ) -> Vec<Effect> {
        if let Some(kind) = shown
            && !editable(kind)
        {
            return vec![say(Level::Warn, managed_elsewhere(kind))];
        }
        let Some((kind, id)) = selected else {
            return vec![say(Level::Warn, "Select a record to edit first")];
        };
        let Some(row) = cx.replica.row(kind, &id) else {
            return vec![say(
                Level::Warn,
                format!("{} '{id}' is no longer there", kind.singular()),
            )];
        };
        if let Some(problem) = row.record.damaged_text() {
            return vec![say(
                Level::Error,
                format!(
                    "This record cannot be edited here: {problem}. `taskforce check` lists it."
                ),
            )];
        }
        let mut form = Form::open(kind, Some(row), None);
        form.check(cx.user, cx.replica);
        self.form = Some(form);
        Vec::new()
    }

    /// `h`: asks the loop for the selected record's history.
    pub fn history(&mut self, selected: Option<(Kind, String)>) -> Vec<Effect> {
        match selected {
            Some((kind, id)) => vec![Effect::FetchHistory(kind, id)],
            None => vec![say(Level::Warn, "Select a record to see its history")],
        }
    }

    /// The loop's answer to a history request: the history view opens over the panes.
    pub fn on_history(
        &mut self,
        cx: &Cx,
        kind: Kind,
        id: String,
        entries: Result<Vec<crate::store::AuditEntry>, crate::store::StoreError>,
    ) -> Vec<Effect> {
        match HistoryView::from_audit(cx, kind, id, entries) {
            Ok(view) => {
                self.history = Some(view);
                Vec::new()
            }
            Err(effect) => vec![effect],
        }
    }

    fn save(&mut self, cx: &Cx) -> Vec<Effect> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        if form.saving {
            return Vec::new();
        }
        form.check(cx.user, cx.replica);
        if form.has_errors() {
            return vec![say(
                Level::Error,
                "Not saved: correct the fields marked with errors",
            )];
        }
        let Ok(record) = form.build(cx.user) else {
            return Vec::new();
        };
        form.saving = true;
        let (kind, id) = (form.kind, record.id().to_string());
        let expected_rev = Some(form.rev.unwrap_or(0));
        vec![Effect::Send(
            Command::Put {
                record,
                expected_rev,
            },
            None,
            Purpose::Form { kind, id },
        )]
    }

    /// The forms' answer to an action, where they have the keyboard: the history view, the
    /// delete and discard confirmations, the picker and the form itself (the keymap's History,
    /// Confirm, Picker and Form contexts).
    pub fn update(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        if let Some(h) = self.history.as_mut() {
            let mut effects = h.update(cx, action);
            if effects.contains(&Effect::Close) {
                effects.retain(|e| *e != Effect::Close);
                self.history = None;
            }
            return effects;
        }
        if self.confirm_delete.is_some() {
            return self.answer_delete(cx, action);
        }
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        if form.confirm_cancel {
            form.confirm_cancel = false;
            if action == Action::Confirm {
                self.form = None;
                return vec![say(Level::Info, "Changes discarded")];
            }
            return Vec::new();
        }
        if let Some(p) = form.picker.as_mut() {
            let field = p.field;
            let mut others = Vec::new();
            for effect in p.update(cx, action) {
                match effect {
                    Effect::Close => form.picker = None,
                    Effect::Picked(id) => {
                        form.picker = None;
                        form.pick(field, id);
                        form.check(cx.user, cx.replica);
                    }
                    other => others.push(other),
                }
            }
            return others;
        }
        if form.saving {
            return Vec::new();
        }
        let on_save = form.focus >= form.fields.len();
        let n = form.fields.len() + 1;
        match action {
            Action::Close => {
                if form.changed() {
                    form.confirm_cancel = true;
                } else {
                    self.form = None;
                }
                return Vec::new();
            }
            Action::Save => return self.save(cx),
            Action::Tick if !on_save => {
                if !form.tick() {
                    return vec![say(
                        Level::Info,
                        "Ctrl-t ticks a follow-up done or not done; this field has no follow-ups",
                    )];
                }
            }
            Action::Pick if !on_save => {
                if !form.open_picker() {
                    return vec![say(
                        Level::Info,
                        "Ctrl-o picks a record in a list of references; Enter searches a single one",
                    )];
                }
                return Vec::new();
            }
            Action::NextPane => form.focus = (form.focus + 1) % n,
            Action::PrevPane => form.focus = (form.focus + n - 1) % n,
            // Enter in a text: a new line in a text of several lines, else the next field.
            Action::Open => match form.text_mut() {
                Some((_, _, true)) => form.insert("\n"),
                _ => form.focus = (form.focus + 1) % n,
            },
            Action::Down if !form.move_line(false) => form.focus = (form.focus + 1) % n,
            Action::Up if on_save => form.focus = form.fields.len().saturating_sub(1),
            Action::Up if !form.move_line(true) => form.focus = (form.focus + n - 1) % n,
            Action::Up | Action::Down => {}
            Action::ChoicePrev => form.cycle(false),
            Action::ChoiceNext => form.cycle(true),
            Action::ClearRef => {
                if let Some(Input::Ref { kind, .. }) = form.fields.get(form.focus).map(|f| &f.input)
                {
                    let kind = *kind;
                    form.fields[form.focus].input = Input::Ref { kind, value: None };
                }
            }
            _ => {
                if !form.edit(action) {
                    return Vec::new();
                }
            }
        }
        form.check(cx.user, cx.replica);
        Vec::new()
    }

    /// A character typed where a form has the keyboard: into the picker's query, the focused
    /// text, or (on a reference) the start of a search for the record. Returns whether it went
    /// in.
    pub fn type_char(&mut self, cx: &Cx, c: char) -> bool {
        let Some(form) = self.form.as_mut() else {
            return false;
        };
        if let Some(p) = form.picker.as_mut() {
            p.type_text(&c.to_string());
            return true;
        }
        if form.saving || form.confirm_cancel {
            return false;
        }
        match form.fields.get(form.focus).map(|f| &f.input) {
            Some(Input::Text { .. }) => form.insert(&c.to_string()),
            Some(Input::Ref { .. }) => {
                form.open_picker();
                if let Some(p) = form.picker.as_mut() {
                    p.type_text(&c.to_string());
                }
                return true;
            }
            _ => return false,
        }
        form.check(cx.user, cx.replica);
        true
    }

    /// Pasted text goes into the focused text field (sanitised, NFC).
    pub fn paste(&mut self, cx: &Cx, text: &str) -> bool {
        let Some(form) = self.form.as_mut() else {
            return false;
        };
        if let Some(p) = form.picker.as_mut() {
            p.type_text(text);
            return true;
        }
        form.insert(text);
        form.check(cx.user, cx.replica);
        true
    }

    /// The store's answer to a form, delete or undo; a change it made is already applied to
    /// the records `cx` reads.
    pub fn on_result(&mut self, cx: &Cx, purpose: Purpose, result: Outcome) -> Vec<Effect> {
        match (purpose, result) {
            (Purpose::Form { kind, id }, Ok(committed)) => {
                let new = self.form.take().is_some_and(|f| f.rev.is_none());
                let what = cx.name_of(kind, &id);
                let seq = committed.seq;
                self.last = Some((seq, format!("the save of {what}")));
                let said = format!("Saved {what} (change #{seq}; u undoes)");
                if new {
                    vec![Effect::Select {
                        kind,
                        id,
                        said,
                        if_hidden: format!(
                            "Saved {what} (change #{seq}; u undoes; the list's filters leave it out, x clears them)"
                        ),
                    }]
                } else {
                    vec![say(Level::Info, said)]
                }
            }
            (Purpose::Form { .. }, Err(e)) => {
                let Some(form) = self.form.as_mut() else {
                    return vec![say(Level::Error, format!("Not saved: {e}"))];
                };
                form.saving = false;
                match &e {
                    CommandError::Invalid(errors) => form.place_errors(errors),
                    CommandError::Conflict { kind, id, .. } => {
                        let theirs = cx.replica.record(*kind, id).cloned();
                        let mine = form.build(cx.user).ok();
                        let lines = crate::io::diff::changes(theirs.as_ref(), mine.as_ref())
                            .into_iter()
                            .map(|c| (c.field, c.before, c.after))
                            .collect();
                        form.conflict = Some(lines);
                    }
                    _ => form.general.push(e.to_string()),
                }
                vec![say(Level::Error, format!("Not saved: {e}"))]
            }
            (Purpose::Delete { kind, id }, result) => self.on_deleted(cx, kind, &id, result),
            (Purpose::Undo { what }, result) => self.on_undone(&what, result),
            (Purpose::Plain(_) | Purpose::Score(_), _) => Vec::new(),
        }
    }
}

/// Whether a save met someone else's version that this workbench has not received yet (its
/// broadcast is still on the way): the loop then reloads the records before handing the answer
/// back, so that the form can show their version beside the user's.
pub fn stale_after(replica: &Replica, result: &Outcome) -> bool {
    match result {
        Err(CommandError::Conflict {
            kind, id, actual, ..
        }) => replica.row(*kind, id).is_none_or(|row| row.rev < *actual),
        _ => false,
    }
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
