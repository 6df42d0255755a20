//! The question before quitting (Esc at the top level, or `q`/Ctrl-c over a changed form): a
//! confirmation like the others, with its own state, keymap context and hints. `y` quits;
//! any other key stays. It is asked on a screen too small for the panes too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::feature::{Cx, Effect, Level};
use super::keymap::Action;
use super::widgets::question;

/// "Quit?", open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuitQuestion {
    /// A changed form would be lost.
    pub unsaved: bool,
}

impl QuitQuestion {
    /// The question's words.
    pub fn question(&self) -> &'static str {
        if self.unsaved {
            "Quit taskforce and lose the changes in the form?"
        } else {
            "Quit taskforce?"
        }
    }

    /// `y` (or Ctrl-c again) quits; Ctrl-z suspends; anything else stays.
    pub fn update(&mut self, _cx: &Cx, action: Action) -> Vec<Effect> {
        match action {
            Action::Confirm | Action::Quit => vec![Effect::Quit],
            Action::Suspend => vec![Effect::Close, Effect::Suspend],
            _ => vec![
                Effect::Close,
                Effect::Say(Level::Info, "Not quitting".into()),
            ],
        }
    }

    /// Draws the question over `area`.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let size = (area.width.saturating_sub(4).min(60), 4);
        let lines = vec![Line::from(self.question())];
        let answer = " quits · any other key stays";
        question(cx.theme, frame, area, size, "Quit", lines, answer);
    }
}
