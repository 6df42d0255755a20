//! The one place where what features ask for ([`Effect`]) is carried out.

use super::*;

/// The part of the workbench a feature's effects come from (its `Close` closes that part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    History,
    Search,
    /// The open form (its picker).
    Form,
}

impl App {
    /// Carries out what a feature asked for.
    pub fn carry_out(&mut self, from: Part, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Say(level, text) => self.say(level, text),
                Effect::Close => match from {
                    Part::History => self.forms.history = None,
                    Part::Search => self.search.close(),
                    Part::Form => {
                        if let Some(f) = self.forms.form.as_mut() {
                            f.picker = None;
                        }
                    }
                },
                // Only the form that opened a picker takes its choice (see `forms::update`).
                Effect::Picked(_) => {}
                Effect::Open(kind, id) => self.follow(&Link::Record(kind, id)),
            }
        }
    }

    /// What features read.
    pub fn cx(&self) -> Cx<'_> {
        super::super::cx!(self)
    }
}
