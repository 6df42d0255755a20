//! The one text input of the workbench: every line the user types — the search, a list's text
//! filter, a document's path, the picker's query, a score, a reason or a comment, and each line
//! of a form's field — is edited here, with the same keys (the keymap's editing rows:
//! ←/→, Home/End, Ctrl-a/Ctrl-e, Backspace/Delete, Ctrl-w, Ctrl-u, Ctrl-k), typed text and
//! pastes sanitised and normalised to NFC.
//!
//! The editing itself is `tui-input`'s (grapheme-aware deletion, words, cursor by code point);
//! this module only feeds it the keymap's actions and keeps the text clean. A field of several
//! lines is edited a line at a time: the line under the cursor is the input.

use tui_input::{Input, InputRequest};

use crate::model::text::{nfc, sanitize};

use super::keymap::Action;
use super::text::width;

/// What an editing key asks of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    Start,
    End,
    DeleteBack,
    DeleteForward,
    DeleteWord,
    /// Everything before the cursor.
    DeleteToStart,
    /// Everything after the cursor.
    DeleteToEnd,
}

impl Edit {
    /// The edit a keymap action asks for, if it is one.
    pub fn of(action: Action) -> Option<Edit> {
        Some(match action {
            Action::CursorLeft => Edit::Left,
            Action::CursorRight => Edit::Right,
            Action::LineStart => Edit::Start,
            Action::LineEnd => Edit::End,
            Action::DeleteBack => Edit::DeleteBack,
            Action::DeleteForward => Edit::DeleteForward,
            Action::DeleteWord => Edit::DeleteWord,
            Action::ClearLine => Edit::DeleteToStart,
            Action::ClearToEnd => Edit::DeleteToEnd,
            _ => return None,
        })
    }

    fn request(self) -> InputRequest {
        match self {
            Edit::Left => InputRequest::GoToPrevChar,
            Edit::Right => InputRequest::GoToNextChar,
            Edit::Start => InputRequest::GoToStart,
            Edit::End => InputRequest::GoToEnd,
            Edit::DeleteBack => InputRequest::DeletePrevChar,
            Edit::DeleteForward => InputRequest::DeleteNextChar,
            Edit::DeleteWord => InputRequest::DeletePrevWord,
            Edit::DeleteToStart => InputRequest::DeleteFromStart,
            Edit::DeleteToEnd => InputRequest::DeleteTillEnd,
        }
    }
}

fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(b, _)| b)
}

/// The char range of the line of `text` that holds the char index `cursor`.
fn line_at(text: &str, cursor: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    let start = chars[..cursor]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |i| i + 1);
    let end = chars[cursor..]
        .iter()
        .position(|c| *c == '\n')
        .map_or(chars.len(), |i| cursor + i);
    (start, end)
}

/// Applies an edit to the line under `cursor` (a char index) of `text`; returns whether the
/// text changed. On a text of several lines, Backspace at a line's start joins it to the line
/// before and Delete at its end joins the next one; every other edit stays on the line.
pub fn edit_text(text: &mut String, cursor: &mut usize, edit: Edit) -> bool {
    let (start, end) = line_at(text, *cursor);
    match edit {
        Edit::DeleteBack if *cursor == start && start > 0 => {
            let at = byte_at(text, start - 1);
            text.remove(at);
            *cursor -= 1;
            return true;
        }
        Edit::DeleteForward if *cursor == end && end < text.chars().count() => {
            let at = byte_at(text, end);
            text.remove(at);
            return true;
        }
        Edit::Left if *cursor == start && start > 0 => {
            *cursor -= 1;
            return false;
        }
        Edit::Right if *cursor == end && end < text.chars().count() => {
            *cursor += 1;
            return false;
        }
        _ => {}
    }
    let (a, b) = (byte_at(text, start), byte_at(text, end));
    let mut line = Input::new(text[a..b].to_string()).with_cursor(*cursor - start);
    let changed = line.handle(edit.request()).is_some_and(|state| state.value);
    *cursor = start + line.cursor();
    if changed {
        text.replace_range(a..b, line.value());
    }
    changed
}

/// Inserts typed or pasted text at `cursor` (sanitised; newlines kept only where `multiline`),
/// keeping the whole text in NFC; returns the cursor after what was inserted.
pub fn insert_text(text: &mut String, cursor: &mut usize, typed: &str, multiline: bool) {
    let clean = sanitize(typed, multiline);
    let clean = if multiline {
        clean
    } else {
        clean.replace(['\n', '\r'], " ")
    };
    let at = byte_at(text, *cursor);
    text.insert_str(at, &clean);
    let before = text[..at + clean.len()].chars().count();
    let normal = nfc(text);
    // NFC may join characters: keep the cursor after what was typed.
    let joined = text.chars().count() - normal.chars().count();
    *text = normal;
    *cursor = before.saturating_sub(joined);
}

/// One line being typed: the text (sanitised, NFC) and the cursor as a char index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    pub cursor: usize,
}

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        let text = nfc(&sanitize(text, false));
        TextInput {
            cursor: text.chars().count(),
            text,
        }
    }

    /// Types (or pastes) text at the cursor: one line, sanitised, NFC.
    pub fn insert(&mut self, typed: &str) {
        insert_text(&mut self.text, &mut self.cursor, typed, false);
    }

    /// Applies an editing action; `None` when the action is no edit, otherwise whether the
    /// text changed.
    pub fn apply(&mut self, action: Action) -> Option<bool> {
        let edit = Edit::of(action)?;
        Some(edit_text(&mut self.text, &mut self.cursor, edit))
    }

    /// Empties the line.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// What shows of the line in `columns` cells, and the cursor's column in it: the line
    /// scrolls sideways to keep the cursor in view. Widths are display widths (wide
    /// characters take two cells).
    pub fn view(&self, columns: usize) -> (String, usize) {
        let columns = columns.max(1);
        let chars: Vec<char> = self.text.chars().collect();
        let cursor = self.cursor.min(chars.len());
        let col = |range: &[char]| width(&range.iter().collect::<String>());
        // Drop characters from the left until the cursor fits (one cell kept for it).
        let mut start = 0;
        while start < cursor && col(&chars[start..cursor]) + 1 > columns {
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            let w = width(&c.to_string());
            if used + w > columns {
                break;
            }
            used += w;
            shown.push(*c);
        }
        (shown, col(&chars[start..cursor]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str, cursor: usize, edit: Edit) -> (String, usize) {
        let mut t = text.to_string();
        let mut c = cursor;
        edit_text(&mut t, &mut c, edit);
        (t, c)
    }

    #[test]
    fn the_editing_keys_work_on_the_line_under_the_cursor() {
        assert_eq!(
            edited("vouch fair", 10, Edit::DeleteWord),
            ("vouch ".into(), 6)
        );
        assert_eq!(
            edited("vouch fair", 5, Edit::DeleteToStart),
            (" fair".into(), 0)
        );
        assert_eq!(
            edited("vouch fair", 5, Edit::DeleteToEnd),
            ("vouch".into(), 5)
        );
        assert_eq!(edited("pécs", 4, Edit::DeleteBack), ("péc".into(), 3));
        assert_eq!(edited("pécs", 0, Edit::DeleteForward), ("écs".into(), 0));
        assert_eq!(edited("ab\ncd", 4, Edit::Start), ("ab\ncd".into(), 3));
        assert_eq!(edited("ab\ncd", 1, Edit::End), ("ab\ncd".into(), 2));
        assert_eq!(
            edited("ab\ncd", 4, Edit::DeleteToStart),
            ("ab\nd".into(), 3)
        );
        // At a line's edge, Backspace and Delete join lines, ←/→ cross them.
        assert_eq!(edited("ab\ncd", 3, Edit::DeleteBack), ("abcd".into(), 2));
        assert_eq!(edited("ab\ncd", 2, Edit::DeleteForward), ("abcd".into(), 2));
        assert_eq!(edited("ab\ncd", 3, Edit::Left), ("ab\ncd".into(), 2));
        assert_eq!(edited("ab\ncd", 2, Edit::Right), ("ab\ncd".into(), 3));
    }

    #[test]
    fn typed_text_is_clean_and_nfc() {
        let mut t = TextInput::new("");
        t.insert("pe\u{301}cs\x1b[31m\nx");
        // Control characters show as their visible symbols; nothing reaches the terminal raw.
        assert_eq!(t.text, "pécs\u{241b}[31m x");
        assert_eq!(t.cursor, t.text.chars().count());
    }
}
