//! One open form: built from a kind's field list, edited field by field (the one text input,
//! choices, references and their picker), checked on every change and built back into a record.

use super::*;

impl Form {
    /// A form for a new record (`record`: None) or for editing a stored one.
    pub fn open(kind: Kind, row: Option<&Row>, project: Option<&str>) -> Form {
        let new = row.is_none();
        let base = match row {
            Some(row) => row.record.clone(),
            None => specs::template(kind, project)
                .expect("a form opens only on a kind with a form (editable)"),
        };
        let mut fields: Vec<Field> = Vec::new();
        for (key, label, spec) in specs::fields(kind) {
            if key == "id" && !new {
                continue;
            }
            fields.push(Field {
                key,
                label,
                spec,
                input: spec.input(&base, new),
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
        self.base.id().to_string()
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
            if let Err(e) = f.spec.write(&f.input, &mut out) {
                errors.push((i, e));
            }
        }
        out.set_id(&self.id());
        specs::finish(self, &mut out, user, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(out)
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
    pub(super) fn follow_scheme(&mut self, replica: &Replica) {
        let scheme = self.fields.iter().find_map(|f| match (&f.key, &f.input) {
            (&"scheme", Input::Ref { value, .. }) => value.clone(),
            _ => None,
        });
        let Some(field) = self
            .fields
            .iter_mut()
            .find(|f| matches!(f.spec, Spec::VoucherType(_)))
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

    pub(super) fn place(&mut self, index: usize, message: String) {
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
    pub(super) fn on_line(&self, index: usize, field: &str, message: &str) -> String {
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
            Spec::Refs { .. } | Spec::Lines(_) => lines::nth_item_line(&f.text(), n, |_| true),
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

    pub(super) fn text_mut(&mut self) -> Option<(&mut String, &mut usize, bool)> {
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
        super::super::input::insert_text(value, cursor, &text, multiline);
    }

    /// An editing action on the focused text, with the one text input; returns whether the
    /// action was an edit.
    pub(super) fn edit(&mut self, action: Action) -> bool {
        let Some(edit) = super::super::input::Edit::of(action) else {
            return false;
        };
        if let Some((value, cursor, _)) = self.text_mut() {
            super::super::input::edit_text(value, cursor, edit);
        }
        true
    }

    /// ↑/↓ in a text of several lines: the line above or below, at the same column. Returns
    /// false on the first or last line (or a text of one line): the focus moves instead.
    pub(super) fn move_line(&mut self, up: bool) -> bool {
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

    pub(super) fn cycle(&mut self, forward: bool) {
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
    pub(super) fn open_picker(&mut self) -> bool {
        let kind = match self.fields.get(self.focus) {
            Some(Field {
                input: Input::Ref { kind, .. },
                ..
            })
            | Some(Field {
                spec: Spec::Refs { kind, .. },
                ..
            }) => *kind,
            _ => return false,
        };
        self.picker = Some(Picker::new(self.focus, kind));
        true
    }

    /// Ticks the follow-up under the cursor done, or back to not done; false when the focused
    /// field holds no follow-ups.
    pub(super) fn tick(&mut self) -> bool {
        let Some(Field {
            spec: Spec::Nested(lines::Nested::FollowUps(_)),
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
    pub(super) fn pick(&mut self, field: usize, id: String) {
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
