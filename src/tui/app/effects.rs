//! The one place where what features ask for ([`Effect`]) is carried out, and where what the
//! outside world answers (the backend's results and commits, the searcher's results, a record's
//! history, a document written) is handed back to the feature that asked.

use std::path::PathBuf;

use crate::backend::{Backend, Update};

use super::super::documents::{self, WriteRequest};
use super::super::feature::Purpose;
use super::super::outbox::{Outcome, Outgoing};
use super::super::search::Delivery;
use super::*;

/// The part of the workbench a feature's effects come from (its `Close` closes that part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Whatever the forms have open: the history view, a delete confirmation, the form.
    Forms,
    Search,
    Scoring,
    Documents,
    /// The question before quitting.
    Quit,
    /// The workbench itself (its lists, menus and panes).
    Main,
}

impl App {
    /// Carries out what a feature asked for.
    pub fn carry_out(&mut self, from: Part, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Say(level, text) => self.say(level, text),
                Effect::Hush => self.message = None,
                Effect::Help => self.popup = Some(Popup::Help { scroll: 0 }),
                Effect::Done(done) => self.undo.note(done),
                Effect::Quit => self.quit = true,
                Effect::Suspend => self.suspend = true,
                Effect::Close => match from {
                    Part::Forms => {
                        self.forms.history = None;
                        if let Some(f) = self.forms.form.as_mut() {
                            f.picker = None;
                        }
                    }
                    Part::Search => self.search.close(),
                    Part::Scoring => self.scoring = None,
                    Part::Documents => self.documents.prompt = None,
                    Part::Quit => self.quitting = None,
                    Part::Main => {}
                },
                // Only the form that opened a picker takes its choice (`FormState::update`).
                Effect::Picked(_) => {}
                Effect::Open(kind, id) => self.follow(&Link::Record(kind, id)),
                Effect::Send(command, on_behalf_of, purpose) => {
                    self.outbox.push(Outgoing {
                        command: *command,
                        on_behalf_of,
                        purpose,
                    });
                }
                Effect::Select {
                    kind,
                    id,
                    said,
                    if_hidden,
                } => {
                    let hidden = !self.select_record(kind, &id) && self.kind() == Some(kind);
                    self.say(Level::Info, if hidden { if_hidden } else { said });
                }
                Effect::FetchHistory(kind, id) => self.forms.history_request = Some((kind, id)),
                Effect::Write(kind, id, path) => {
                    self.documents.queue(WriteRequest { kind, id, path })
                }
                Effect::TextFilter(kind, query) => self.set_text_filter(kind, &query),
                Effect::Score(session) => {
                    let (pane, effects) = ScoringPane::open(&self.cx(), &session);
                    if pane.is_some() {
                        self.scoring = pane;
                    }
                    self.carry_out(Part::Scoring, effects);
                }
            }
        }
    }

    /// What features read.
    pub fn cx(&self) -> Cx<'_> {
        super::super::feature::cx!(self)
    }

    /// Opens the scoring pane of a session.
    pub fn open_scoring(&mut self, session: &str) {
        self.carry_out(Part::Main, vec![Effect::Score(session.to_string())]);
    }

    // ----- the backend -----

    /// Sends the changes queued, then hands the state everything the backend has for it, in
    /// commit order: its own results (by ticket) and everyone else's commits. Never waits for
    /// the server; returns whether anything changed.
    pub fn exchange<B: Backend + ?Sized>(&mut self, backend: &mut B) -> bool {
        let mut changed = false;
        for outgoing in self.take_outbox() {
            let ticket = backend.send(outgoing.command, outgoing.on_behalf_of);
            self.awaiting.insert(ticket, outgoing.purpose);
            changed = true;
        }
        for update in backend.poll() {
            match update {
                Update::Committed { ticket, committed } => {
                    match ticket.and_then(|t| self.awaiting.remove(&t)) {
                        Some(purpose) => {
                            self.on_result(purpose, Ok(committed));
                            changed = true;
                        }
                        None => changed |= self.apply(&committed),
                    }
                }
                Update::Refused { ticket, error } => {
                    let result = Err(error);
                    // A form refused for someone else's version that has not reached this
                    // workbench (a local store written by another process): read it now, so
                    // the form can show theirs beside the user's.
                    if super::super::forms::stale_after(&self.replica, &result)
                        && let Ok((fresh, _)) = backend.snapshot()
                    {
                        self.replace_records(fresh);
                    }
                    // Theirs is shown beside the user's version, texts included.
                    if let Err(crate::store::CommandError::Conflict { kind, id, .. }) = &result {
                        self.read_texts_of(backend, *kind, id);
                    }
                    if let Some(purpose) = self.awaiting.remove(&ticket) {
                        self.on_result(purpose, result);
                    }
                    changed = true;
                }
                Update::Resync(fresh) => changed |= self.replace_records(fresh),
            }
        }
        changed
    }

    /// Whether changes this workbench sent are still waiting for their answer.
    pub fn awaiting_answers(&self) -> bool {
        !self.awaiting.is_empty()
    }

    /// The backend's answer to a sent change: a change made is applied to the records first,
    /// then the part that asked answers it in words (and keeps what it needs).
    pub fn on_result(&mut self, purpose: Purpose, result: Outcome) {
        if let Ok(committed) = &result {
            self.apply(committed);
        }
        match (purpose, result) {
            (Purpose::Plain(what), Ok(committed)) => self.say(
                Level::Info,
                format!("{what}: saved (change #{})", committed.seq),
            ),
            (Purpose::Plain(what), Err(e)) => self.say(Level::Error, format!("{what}: {e}")),
            (Purpose::Undo(done), result) => {
                let effects = self.undo.on_result(done, result);
                self.carry_out(Part::Main, effects);
            }
            (Purpose::Score(id), result) => {
                let cx = cx!(self);
                let effects = match self.scoring.as_mut() {
                    Some(pane) => pane.on_result(&cx, id, result),
                    // The pane was closed meanwhile: the answer in words only.
                    None => vec![match result {
                        Ok(c) => Effect::Say(
                            Level::Info,
                            format!("Saved: {} (change #{})", c.summary, c.seq),
                        ),
                        Err(e) => Effect::Say(Level::Error, format!("Not saved: {e}")),
                    }],
                };
                self.carry_out(Part::Scoring, effects);
            }
            (purpose, result) => {
                let effects = self.forms.on_result(&cx!(self), purpose, result);
                self.carry_out(Part::Forms, effects);
            }
        }
    }

    /// The loop's answer to a history request: the history view opens over the panes.
    pub fn on_history(
        &mut self,
        kind: Kind,
        id: String,
        entries: Result<Vec<crate::store::AuditEntry>, crate::store::StoreError>,
    ) {
        let effects = self.forms.on_history(&cx!(self), kind, id, entries);
        self.carry_out(Part::Forms, effects);
    }

    /// Says what the loop's writer did.
    pub fn on_written(&mut self, request: &WriteRequest, result: Result<PathBuf, String>) {
        let effect = documents::written(request, result);
        self.carry_out(Part::Documents, vec![effect]);
    }

    // ----- the searcher -----

    /// Asks the searcher for the picker's query, if it changed since last asked (never
    /// waiting for the answer).
    pub fn ask_picker(&mut self) {
        let Some(p) = self.forms.form.as_mut().and_then(|f| f.picker.as_mut()) else {
            return;
        };
        if let Some(query) = p.ask() {
            let kind = p.kind;
            self.search.submit_picker(&self.replica, kind, &query);
        }
    }

    /// Whether the picker's matches do not answer what is typed yet.
    pub fn picker_waiting(&self) -> bool {
        self.forms
            .form
            .as_ref()
            .and_then(|f| f.picker.as_ref())
            .is_some_and(|p| p.waiting())
    }

    /// Takes finished results from the searcher (never blocks) and hands them to whoever
    /// asked; then sends the refresh of a stale list filter when nothing else is awaited.
    /// Returns whether the screen changed.
    pub fn poll_search(&mut self) -> bool {
        let mut changed = false;
        if let Some(delivery) = self.search.poll() {
            changed = self.deliver(delivery);
        }
        if let Some(kind) = self.search.next_stale_filter()
            && let Some(query) = self.browse.views[kind as usize]
                .text
                .as_ref()
                .map(|t| t.query.clone())
        {
            self.search.submit_list(&self.replica, kind, &query);
        }
        changed
    }

    /// Waits up to `timeout` for the awaited search results (tests and scripts); returns
    /// whether any came.
    pub fn wait_search(&mut self, timeout: std::time::Duration) -> bool {
        let deliveries = self.search.wait(timeout);
        let any = !deliveries.is_empty();
        for d in deliveries {
            self.deliver(d);
        }
        any && !self.search.pending()
    }

    fn deliver(&mut self, delivery: Delivery) -> bool {
        match delivery {
            Delivery::Popup => true,
            Delivery::Picker { query, hits } => self
                .forms
                .form
                .as_mut()
                .and_then(|f| f.picker.as_mut())
                .is_some_and(|p| p.deliver(&query, hits)),
            Delivery::List { kind, query, ids } => self.browse.text_matches(kind, &query, ids),
        }
    }
}
