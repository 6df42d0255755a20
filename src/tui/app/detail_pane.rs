//! The detail or overview pane: what it shows (built once per record, data and width) and
//! moving through its items, reading on through a long one.

use super::*;

impl App {
    // ----- the detail / overview pane -----

    /// What the detail pane shows now.
    pub fn content_key(&mut self) -> ContentKey {
        match self.target() {
            Target::Overview(o) => ContentKey::Overview(o, self.project.clone()),
            Target::Kind(kind) => match self.selected() {
                Some((k, id)) => ContentKey::Record(k, id),
                None => ContentKey::Empty(kind),
            },
        }
    }

    /// The detail pane's items and their layout at the current width, rebuilt only when the
    /// record, the data or the width changed.
    pub fn content(&mut self) -> &Content {
        let key = self.content_key();
        let width = self.viewport.detail_width;
        let seq = self.replica.seq;
        let fresh =
            matches!(&self.content, Some(c) if c.key == key && c.seq == seq && c.width == width);
        if !fresh {
            let filtered = match &key {
                ContentKey::Empty(kind) => !self.views[*kind as usize].filters.is_empty(),
                _ => false,
            };
            let items = detail::items(&super::super::feature::cx!(self), &key, width, filtered);
            self.content = Some(Content::new(
                key.clone(),
                seq,
                width,
                items,
                &self.theme.symbols,
            ));
        }
        if self.detail_key.as_ref() != Some(&key) {
            self.detail_key = Some(key);
            self.detail = DetailPos::default();
            let first = self
                .content
                .as_ref()
                .and_then(|c| c.next_selectable(0, true));
            self.detail.selected = first.unwrap_or(0);
        }
        let content = self.content.as_ref().expect("built above");
        // The record may have changed under the reader: keep the position inside it.
        if self.detail.selected >= content.items.len() {
            self.detail.selected = content.items.len().saturating_sub(1);
        }
        if self.detail.scroll >= content.lines.len() {
            self.detail.scroll = content.lines.len().saturating_sub(1);
        }
        self.content.as_ref().expect("built above")
    }

    /// The item selected in the detail pane.
    pub fn selected_item(&mut self) -> Option<&Item> {
        let i = self.detail.selected;
        self.content().items.get(i)
    }

    /// Scrolls so that the selected item shows; an item taller than the pane shows its start
    /// (moving down) or its end (moving up).
    pub(super) fn reveal(&mut self, upward: bool) {
        let rows = self.viewport.detail_rows.max(1);
        let sel = self.detail.selected;
        let Some(&(start, end)) = self.content().ranges.get(sel) else {
            return;
        };
        let height = end - start;
        let scroll = &mut self.detail.scroll;
        if height > rows {
            if upward {
                if end <= *scroll || start >= *scroll + rows || *scroll + rows > end {
                    *scroll = end - rows;
                }
            } else if start >= *scroll + rows || end <= *scroll || *scroll < start {
                *scroll = start;
            }
        } else if start < *scroll {
            *scroll = start;
        } else if end > *scroll + rows {
            *scroll = end - rows;
        }
    }

    pub(super) fn detail_down(&mut self, steps: usize) {
        let rows = self.viewport.detail_rows.max(1);
        for _ in 0..steps {
            let sel = self.detail.selected;
            let content = self.content();
            let Some(&(_, end)) = content.ranges.get(sel) else {
                return;
            };
            let next = content.next_selectable(sel + 1, true);
            if end > self.detail.scroll + rows {
                // Read on through a long item first.
                self.detail.scroll += 1;
                continue;
            }
            match next {
                Some(n) => {
                    self.detail.selected = n;
                    self.reveal(false);
                }
                None => break,
            }
        }
    }

    pub(super) fn detail_up(&mut self, steps: usize) {
        for _ in 0..steps {
            let sel = self.detail.selected;
            let content = self.content();
            let Some(&(start, _)) = content.ranges.get(sel) else {
                return;
            };
            let prev = if sel == 0 {
                None
            } else {
                content.next_selectable(sel - 1, false)
            };
            if start < self.detail.scroll {
                self.detail.scroll -= 1;
                continue;
            }
            match prev {
                Some(p) => {
                    self.detail.selected = p;
                    self.reveal(true);
                }
                None => {
                    self.detail.scroll = 0;
                    break;
                }
            }
        }
    }
}
