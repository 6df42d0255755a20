//! `w` on a record: write the document that fits it — the minutes of a meeting, the handbook of
//! a project, the monitoring report of an action plan (its latest period), the evaluation
//! report of a session. A line asks where (prefilled with `minutes-<id>.docx` in the current
//! directory); Enter queues the request, Esc cancels. The event loop writes the file
//! ([`write`]: Markdown or Word by the extension, atomically, following no symbolic link) and
//! says where ([`written`]); [`DocumentState::update`] does no I/O.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Date, Kind, Replica};

use super::feature::{Cx, Effect, Level};
use super::input::TextInput as LineEdit;
use super::keymap::Action;
use super::text::width;

/// The kinds that have a document, and what it is called.
pub fn document_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Meeting => Some("minutes"),
        Kind::Project => Some("Good Practice Handbook"),
        Kind::ActionPlan => Some("monitoring report"),
        Kind::Session => Some("evaluation report"),
        _ => None,
    }
}

/// The path line being typed.
#[derive(Clone, Debug)]
pub struct Prompt {
    pub kind: Kind,
    pub id: String,
    pub line: LineEdit,
}

/// A document to write, waiting for the event loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteRequest {
    pub kind: Kind,
    pub id: String,
    pub path: PathBuf,
}

#[derive(Clone, Debug, Default)]
pub struct DocumentState {
    pub prompt: Option<Prompt>,
    request: Option<WriteRequest>,
}

impl DocumentState {
    /// The request the loop is to carry out, if any (taken once).
    pub fn take_request(&mut self) -> Option<WriteRequest> {
        self.request.take()
    }

    /// The request waiting, for tests.
    pub fn request(&self) -> Option<&WriteRequest> {
        self.request.as_ref()
    }
}

impl DocumentState {
    /// `w`: asks where to write the selected record's document.
    pub fn start(&mut self, selected: Option<(Kind, String)>) -> Vec<Effect> {
        let Some((kind, id)) = selected else {
            return vec![say(
                "Select a meeting, project, action plan or session to write its document",
            )];
        };
        if document_of(kind).is_none() {
            return vec![say(
                "Documents are written from a meeting (minutes), a project (handbook), an action \
                 plan (monitoring report) or a session (evaluation report)",
            )];
        }
        let name = match kind {
            Kind::Meeting => format!("minutes-{id}.docx"),
            Kind::Project => format!("handbook-{id}.docx"),
            Kind::ActionPlan => format!("monitoring-{id}.docx"),
            _ => format!("evaluation-{id}.docx"),
        };
        self.prompt = Some(Prompt {
            kind,
            id,
            line: LineEdit::new(&name),
        });
        vec![Effect::Hush]
    }

    /// The path line's answer to an action (the keymap's Path context): Enter asks the loop to
    /// write the document, Esc cancels, the editing keys edit.
    pub fn update(&mut self, _cx: &Cx, action: Action) -> Vec<Effect> {
        match action {
            Action::Open => self.finish(true),
            Action::Close => self.finish(false),
            _ => {
                if let Some(p) = self.prompt.as_mut() {
                    p.line.apply(action);
                }
                Vec::new()
            }
        }
    }

    fn finish(&mut self, accept: bool) -> Vec<Effect> {
        let Some(prompt) = self.prompt.take() else {
            return Vec::new();
        };
        if !accept {
            return vec![say("Nothing written")];
        }
        let path = prompt.line.text.trim();
        if path.is_empty() {
            return vec![Effect::Say(
                Level::Warn,
                "Nothing written: give a file name (.md or .docx)".into(),
            )];
        }
        vec![Effect::Write(prompt.kind, prompt.id, PathBuf::from(path))]
    }

    /// The loop's writer is asked to write this (see `Effect::Write`).
    pub fn queue(&mut self, request: WriteRequest) {
        self.request = Some(request);
    }

    /// Pasted text goes into the path line, if it is open.
    pub fn paste(&mut self, text: &str) -> bool {
        match self.prompt.as_mut() {
            Some(p) => {
                p.line.insert(&text.replace(['\n', '\r'], ""));
                true
            }
            None => false,
        }
    }

    /// Draws the path line in `area` (the message line); false when no path is typed.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) -> bool {
        let Some(prompt) = &self.prompt else {
            return false;
        };
        let what = document_of(prompt.kind).unwrap_or("document");
        let label = format!(" Write the {what} to (.md or .docx): ");
        let room = (area.width as usize).saturating_sub(width(&label));
        let (shown, col) = prompt.line.view(room);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(label.clone(), cx.theme.key),
                Span::raw(shown),
            ])),
            area,
        );
        let x = (width(&label) + col).min(area.width.saturating_sub(1) as usize) as u16;
        frame.set_cursor_position(Position::new(area.x + x, area.y));
        true
    }
}

fn say(text: &str) -> Effect {
    Effect::Say(Level::Info, text.into())
}

/// The event loop's writer: builds the document from the records and writes it, as Word when
/// the path ends in `.docx` and as Markdown otherwise. Returns the path written.
pub fn write(replica: &Replica, request: &WriteRequest, today: Date) -> Result<PathBuf, String> {
    let (doc, _) = crate::io::papers::for_record(replica, request.kind, &request.id, today)?;
    crate::io::papers::write_document(&doc, &request.path)?;
    Ok(std::path::absolute(&request.path).unwrap_or_else(|_| request.path.clone()))
}

/// What the loop's writer did, in words.
pub fn written(request: &WriteRequest, result: Result<PathBuf, String>) -> Effect {
    match result {
        Ok(path) => {
            let what = document_of(request.kind).unwrap_or("document");
            Effect::Say(
                Level::Info,
                format!("Wrote the {what} to {}", path.display()),
            )
        }
        Err(e) => Effect::Say(Level::Error, format!("Nothing written: {e}")),
    }
}
