//! Erasing a stakeholder's personal data (`X`, confirmed with `y`): the question, which says
//! what goes and that it cannot be undone, and the command sent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::model::*;

use super::super::feature::{Cx, Effect, Level, Purpose};
use super::super::keymap::Action;
use super::super::widgets::question;
use super::FormState;

impl FormState {
    /// `X`: asks to erase the selected stakeholder's personal data.
    pub fn erase_record(&mut self, cx: &Cx, selected: Option<(Kind, String)>) -> Vec<Effect> {
        let say = |text: String| vec![Effect::Say(Level::Warn, text)];
        let Some((kind, id)) = selected else {
            return say("Select a stakeholder to erase first".into());
        };
        match cx.replica.record(kind, &id) {
            Some(Record::Stakeholder(s)) if s.erased.is_some() => {
                say(format!("stakeholder '{id}' was erased already"))
            }
            Some(Record::Stakeholder(_)) => {
                self.confirm_erase = Some((kind, id));
                Vec::new()
            }
            Some(_) => say(format!(
                "Only a stakeholder's personal data is erased; a {} is edited or deleted",
                kind.singular()
            )),
            None => say(format!("{} '{id}' is no longer there", kind.singular())),
        }
    }

    /// The answer to "Erase …?": `y` sends the erasure, anything else keeps the data.
    pub(super) fn answer_erase(&mut self, _cx: &Cx, action: Action) -> Vec<Effect> {
        let Some((kind, id)) = self.confirm_erase.take() else {
            return Vec::new();
        };
        if action != Action::Confirm {
            return vec![Effect::Say(Level::Info, "Not erased".into())];
        }
        // The message names the record by its id: the name is what goes.
        let what = format!("Erasure of the personal data of {} '{id}'", kind.singular());
        vec![Effect::Send(
            Box::new(Command::Erase { kind, id }),
            None,
            Purpose::Plain(what),
        )]
    }
}

/// Draws the question "Erase …?" over `area`.
pub fn view_erase(cx: &Cx, frame: &mut Frame, area: Rect, kind: Kind, id: &str) {
    let lines = vec![
        Line::from(format!(
            "Erase the personal data of {} for good?",
            cx.name_of(kind, id)
        )),
        Line::from(
            "Name, role, email, phone and consent go from the record and the audit log; \
             it cannot be undone.",
        ),
    ];
    let size = (area.width.saturating_sub(4).min(72), 8);
    let answer = " erase · any other key keeps it";
    question(
        cx.theme,
        frame,
        area,
        size,
        "Erase personal data",
        lines,
        answer,
    );
}
