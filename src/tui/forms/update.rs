//! The forms' answers: `n` and `e` open a form, keys edit it and save it, and the store's answer
//! (saved, refused with the reasons placed beside their fields, or met by someone else's
//! version) comes back here.

use super::*;

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
        // The loop reads the texts of the record shown before this key; one left out still
        // (it could not be read) must not open as blank fields.
        if row.record.has_elided_texts() {
            return vec![say(
                Level::Warn,
                "This record's texts could not be read yet; try again in a moment",
            )];
        }
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

    pub(super) fn save(&mut self, cx: &Cx) -> Vec<Effect> {
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
            Box::new(Command::Put {
                record,
                expected_rev,
            }),
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
        if self.confirm_erase.is_some() {
            return self.answer_erase(cx, action);
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

    /// The store's answer to a form or a delete; a change it made is already applied to
    /// the records `cx` reads.
    pub fn on_result(&mut self, cx: &Cx, purpose: Purpose, result: Outcome) -> Vec<Effect> {
        match (purpose, result) {
            (Purpose::Form { kind, id }, Ok(committed)) => {
                let new = self.form.take().is_some_and(|f| f.rev.is_none());
                let what = cx.name_of(kind, &id);
                let seq = committed.seq;
                let done = Effect::Done(Done {
                    seq,
                    what: format!("the save of {what}"),
                    on_behalf_of: None,
                    scope: None,
                });
                let said = format!("Saved {what} (change #{seq}; u undoes)");
                if new {
                    vec![
                        done,
                        Effect::Select {
                            kind,
                            id,
                            said,
                            if_hidden: format!(
                                "Saved {what} (change #{seq}; u undoes; the list's filters leave it out, x clears them)"
                            ),
                        },
                    ]
                } else {
                    vec![done, say(Level::Info, said)]
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
            (Purpose::Plain(_) | Purpose::Score(_) | Purpose::Undo(_), _) => Vec::new(),
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
