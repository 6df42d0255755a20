//! `w` on a record: write the document that fits it — the minutes of a meeting, the handbook of
//! a project, the monitoring report of an action plan (its latest period), the evaluation
//! report of a session. A line asks where (prefilled with `minutes-<id>.docx` in the current
//! directory); Enter queues the request, Esc cancels. The event loop writes the file
//! ([`write`]: Markdown or Word by the extension, atomically, following no symbolic link) and
//! says where ([`on_written`]); [`super::update`] does no I/O.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Date, Kind, Replica};

use super::app::{App, Level};
use super::search::LineEdit;
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

/// `w`: asks where to write the selected record's document.
pub fn start(app: &mut App) {
    let Some((kind, id)) = app.selected() else {
        app.say(
            Level::Info,
            "Select a meeting, project, action plan or session to write its document",
        );
        return;
    };
    if document_of(kind).is_none() {
        app.say(
            Level::Info,
            "Documents are written from a meeting (minutes), a project (handbook), an action \
             plan (monitoring report) or a session (evaluation report)",
        );
        return;
    }
    let name = match kind {
        Kind::Meeting => format!("minutes-{id}.docx"),
        Kind::Project => format!("handbook-{id}.docx"),
        Kind::ActionPlan => format!("monitoring-{id}.docx"),
        _ => format!("evaluation-{id}.docx"),
    };
    app.message = None;
    app.documents.prompt = Some(Prompt {
        kind,
        id,
        line: LineEdit::new(&name),
    });
}

/// Enter (`accept`) queues the document for the loop to write; Esc cancels.
pub fn finish(app: &mut App, accept: bool) {
    let Some(prompt) = app.documents.prompt.take() else {
        return;
    };
    if !accept {
        app.say(Level::Info, "Nothing written");
        return;
    }
    let path = prompt.line.text.trim();
    if path.is_empty() {
        app.say(
            Level::Warn,
            "Nothing written: give a file name (.md or .docx)",
        );
        return;
    }
    app.documents.request = Some(WriteRequest {
        kind: prompt.kind,
        id: prompt.id,
        path: PathBuf::from(path),
    });
}

/// An editing action on the path line.
pub fn edit(app: &mut App, action: crate::tui::keymap::Action) {
    if let Some(p) = app.documents.prompt.as_mut() {
        p.line.apply(action);
    }
}

/// Pasted text goes into the path line, if it is open.
pub fn paste(app: &mut App, text: &str) -> bool {
    match app.documents.prompt.as_mut() {
        Some(p) => {
            p.line.insert(&text.replace(['\n', '\r'], ""));
            true
        }
        None => false,
    }
}

/// The event loop's writer: builds the document from the records and writes it, as Word when
/// the path ends in `.docx` and as Markdown otherwise. Returns the path written.
pub fn write(replica: &Replica, request: &WriteRequest, today: Date) -> Result<PathBuf, String> {
    let (doc, _) = crate::io::papers::for_record(replica, request.kind, &request.id, today)?;
    crate::io::papers::write_document(&doc, &request.path)?;
    Ok(std::path::absolute(&request.path).unwrap_or_else(|_| request.path.clone()))
}

/// Says what the loop's writer did.
pub fn on_written(app: &mut App, request: &WriteRequest, result: Result<PathBuf, String>) {
    match result {
        Ok(path) => {
            let what = document_of(request.kind).unwrap_or("document");
            app.say(
                Level::Info,
                format!("Wrote the {what} to {}", path.display()),
            );
        }
        Err(e) => app.say(Level::Error, format!("Nothing written: {e}")),
    }
}

/// Draws the path line in `area` (the message line).
pub fn draw_prompt(frame: &mut Frame, app: &App, area: Rect) -> bool {
    let Some(prompt) = &app.documents.prompt else {
        return false;
    };
    let what = document_of(prompt.kind).unwrap_or("document");
    let label = format!(" Write the {what} to (.md or .docx): ");
    let room = (area.width as usize).saturating_sub(width(&label));
    let (shown, col) = prompt.line.view(room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label.clone(), app.theme.key),
            Span::raw(shown),
        ])),
        area,
    );
    let x = (width(&label) + col).min(area.width.saturating_sub(1) as usize) as u16;
    frame.set_cursor_position(Position::new(area.x + x, area.y));
    true
}
