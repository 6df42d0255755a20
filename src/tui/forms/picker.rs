//! A form's picker, a feature of its own: it searches the records of one kind with the search
//! engine (it asks with [`Picker::ask`], the workbench hands the searcher's answer back with
//! [`Picker::deliver`]: off the screen's thread), moves through what it found and picks one. It reads the workbench only through [`Cx`] and
//! answers with [`Effect`]s.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::model::Kind;

use super::super::feature::{Cx, Effect};
use super::super::input::TextInput;
use super::super::keymap::Action;

/// The fuzzy search that picks a reference.
#[derive(Clone, Debug)]
pub struct Picker {
    pub field: usize,
    /// The kind of record it picks.
    pub kind: Kind,
    pub query: TextInput,
    /// (id, title) of the records that match, best first.
    pub matches: Vec<(String, String)>,
    pub selected: usize,
    /// The query the searcher was last asked (its answer fills `matches`).
    pub asked: Option<String>,
    /// The searcher's answer to `asked` has not come yet.
    pub pending: bool,
}

impl Picker {
    /// A picker for the field `field`, over the records of `kind`, with nothing typed yet.
    pub fn new(field: usize, kind: Kind) -> Picker {
        Picker {
            field,
            kind,
            query: TextInput::default(),
            matches: Vec::new(),
            selected: 0,
            asked: None,
            pending: false,
        }
    }

    /// The query to ask the searcher, if it changed since it was last asked.
    pub fn ask(&mut self) -> Option<String> {
        if self.asked.as_deref() == Some(self.query.text.as_str()) {
            return None;
        }
        self.asked = Some(self.query.text.clone());
        self.pending = true;
        self.asked.clone()
    }

    /// Whether the matches shown do not answer what is typed yet.
    pub fn waiting(&self) -> bool {
        self.pending || self.asked.as_deref() != Some(self.query.text.as_str())
    }

    /// The searcher's answer for `query`: its records of the picker's kind become the matches
    /// (an answer to an older query is dropped). Returns whether it was taken.
    pub fn deliver(&mut self, query: &str, hits: Vec<crate::search::Hit>) -> bool {
        if self.asked.as_deref() != Some(query) {
            return false;
        }
        let kind = self.kind;
        self.matches = hits
            .into_iter()
            .filter(|h| h.kind == kind && h.voucher_type.is_none())
            .map(|h| (h.id, h.title))
            .collect();
        self.selected = self.selected.min(self.matches.len().saturating_sub(1));
        self.pending = false;
        true
    }

    /// The picker's answer to an action (the keymap's Picker context): move, type, pick (an
    /// [`Effect::Picked`]) or close.
    pub fn update(&mut self, _cx: &Cx, action: Action) -> Vec<Effect> {
        match action {
            Action::Close => return vec![Effect::Close],
            Action::Down => {
                self.selected = (self.selected + 1).min(self.matches.len().saturating_sub(1))
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Open => {
                return match self.matches.get(self.selected) {
                    Some((id, _)) => vec![Effect::Picked(id.clone())],
                    None => vec![Effect::Close],
                };
            }
            _ => {
                if self.query.apply(action) == Some(true) {
                    self.selected = 0;
                }
            }
        }
        Vec::new()
    }

    /// Types text into the query (a key, or a paste).
    pub fn type_text(&mut self, text: &str) {
        self.query.insert(text);
        self.selected = 0;
    }

    /// Draws the picker over `area` ("searching…" while the searcher has not answered what is
    /// typed).
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let waiting = self.waiting();
        let theme = cx.theme;
        let (w, h) = (70.min(area.width), 14.min(area.height));
        let r = Rect::new(
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
            w,
            h,
        );
        frame.render_widget(Clear, r);
        let block = Block::bordered()
            .border_set(theme.symbols.focus_border)
            .border_style(theme.focus_border)
            .title(Span::styled(
                format!(" Search: {}▏", self.query.text),
                theme.title,
            ));
        let inner = block.inner(r);
        let mut out = Vec::new();
        let skip = self
            .selected
            .saturating_sub(inner.height.saturating_sub(1) as usize);
        for (i, (id, t)) in self.matches.iter().enumerate().skip(skip) {
            let style = if i == self.selected {
                theme.selected
            } else {
                theme.dim
            };
            out.push(Line::from(Span::styled(format!("{t}  ({id})"), style)));
        }
        if waiting {
            out.insert(0, Line::styled("searching…", theme.dim));
        } else if self.matches.is_empty() {
            out.push(Line::from("nothing matches"));
        }
        frame.render_widget(Paragraph::new(out).block(block), r);
    }
}
