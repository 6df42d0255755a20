//! A list's text filter (`F`), typed on the message line: the list follows as it is typed,
//! its matches asked of the search engine.

use super::*;

impl App {
    // ----- a list's text filter (`F`), typed on the message line -----

    /// `F`: types a text filter for the shown list.
    pub(super) fn start_narrowing(&mut self) {
        let Some(kind) = self.kind() else {
            self.say(
                Level::Info,
                "Overviews have no list to narrow: / searches everything",
            );
            return;
        };
        let before = self.browse.views[kind as usize].text.clone();
        let line =
            super::super::input::TextInput::new(before.as_ref().map_or("", |t| t.query.as_str()));
        self.search.narrowing = Some((kind, line, before));
    }

    /// An action while the filter line is typed: Enter keeps the filter, Esc goes back to the
    /// one before, the editing keys edit (and the list follows as it is typed).
    pub(super) fn narrowing_update(&mut self, action: Action) {
        match action {
            Action::Open => self.finish_narrowing(true),
            Action::Close => self.finish_narrowing(false),
            _ => {
                if let Some((kind, line, _)) = self.search.narrowing.as_mut() {
                    let kind = *kind;
                    if line.apply(action) == Some(true) {
                        let query = line.text.clone();
                        self.set_text_filter(kind, &query);
                    }
                }
            }
        }
    }

    /// Pasted text goes into the filter line, if it is typed.
    pub(crate) fn narrowing_paste(&mut self, text: &str) -> bool {
        let Some((kind, line, _)) = self.search.narrowing.as_mut() else {
            return false;
        };
        let kind = *kind;
        line.insert(&text.replace(['\n', '\r'], " "));
        let query = line.text.clone();
        self.set_text_filter(kind, &query);
        true
    }

    /// Sets (or with an empty query clears) a list's text filter and asks for its matches.
    pub(crate) fn set_text_filter(&mut self, kind: Kind, query: &str) {
        if query.trim().is_empty() {
            self.browse.set_text(kind, None);
            self.search.cancel_list(kind);
            return;
        }
        // The earlier matches stay until the new ones arrive.
        self.browse.set_text(kind, Some(query));
        self.search.submit_list(&self.replica, kind, query);
    }

    /// Enter or Esc in the filter line: keep the filter, or go back to the one before.
    fn finish_narrowing(&mut self, keep: bool) {
        let Some((kind, line, before)) = self.search.narrowing.take() else {
            return;
        };
        if keep {
            let n = self.view(kind).ids.len();
            let what = kinds::plural(kind).to_lowercase();
            let text = if line.text.trim().is_empty() {
                format!("Text filter cleared: {n} {what}")
            } else {
                format!(
                    "{n} {what} match \u{201c}{}\u{201d} · x clears the filters",
                    line.text
                )
            };
            self.say(Level::Info, text);
        } else {
            match before {
                Some(b) => self.set_text_filter(kind, &b.query),
                None => self.set_text_filter(kind, ""),
            }
        }
    }
}
