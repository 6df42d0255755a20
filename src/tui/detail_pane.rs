//! The detail (or overview) pane as a feature: what it shows is built once per record, data and
//! width ([`DetailPane::show`]), the reader moves through its items (reading on through a long
//! one) with [`DetailPane::update`], and [`DetailPane::view`] draws only the lines in view.
//! Sizes come from the layout step before a frame ([`DetailPane::set_size`]); drawing changes
//! nothing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::content::{Content, ContentKey, Item, MARKER_COLUMNS};
use super::detail;
use super::feature::{Cx, Effect, Level};
use super::keymap::Action;
use super::text;
use super::widgets::{pane_block, seg_style, selection_style};

/// Where the reader is in the detail or overview pane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DetailPos {
    /// The selected item.
    pub selected: usize,
    /// The first line shown.
    pub scroll: usize,
}

/// The detail pane's state.
#[derive(Clone, Debug)]
pub struct DetailPane {
    /// Where the reader is in what is shown.
    pub pos: DetailPos,
    /// What `pos` is a position in.
    key: Option<ContentKey>,
    content: Option<Content>,
    /// The pane's inner width and height in the last layout.
    width: u16,
    rows: usize,
}

impl Default for DetailPane {
    fn default() -> Self {
        DetailPane {
            pos: DetailPos::default(),
            key: None,
            content: None,
            width: 78,
            rows: 20,
        }
    }
}

impl DetailPane {
    /// The pane's inner size, as the layout gives it (before a frame, or in tests).
    pub fn set_size(&mut self, width: u16, rows: usize) {
        self.width = width;
        self.rows = rows;
    }

    /// How many lines the pane shows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Shows `key`: its items are built again only when the record, the data or the width
    /// changed; another record starts at its first item; a record changed under the reader
    /// keeps the position inside it. `filtered`: an empty list is empty because of filters.
    pub fn show(&mut self, cx: &Cx, key: ContentKey, filtered: bool) {
        let (width, seq) = (self.width, cx.replica.seq);
        let fresh =
            matches!(&self.content, Some(c) if c.key == key && c.seq == seq && c.width == width);
        if !fresh {
            let items = detail::items(cx, &key, width, filtered);
            self.content = Some(Content::new(
                key.clone(),
                seq,
                width,
                items,
                &cx.theme.symbols,
            ));
        }
        let content = self.content.as_ref().expect("built above");
        if self.key.as_ref() != Some(&key) {
            self.key = Some(key);
            self.pos = DetailPos {
                selected: content.next_selectable(0, true).unwrap_or(0),
                scroll: 0,
            };
        }
        if self.pos.selected >= content.items.len() {
            self.pos.selected = content.items.len().saturating_sub(1);
        }
        if self.pos.scroll >= content.lines.len() {
            self.pos.scroll = content.lines.len().saturating_sub(1);
        }
    }

    /// After a resize the selected item may be out of view: brings it back (the layout step).
    pub fn keep_in_view(&mut self) {
        let rows = self.rows;
        let Some(content) = &self.content else { return };
        if let Some(&(start, end)) = content.ranges.get(self.pos.selected)
            && (end <= self.pos.scroll || start >= self.pos.scroll + rows)
        {
            self.pos.scroll = start.min(content.lines.len().saturating_sub(rows));
        }
    }

    /// Builds what is shown again at the next [`DetailPane::show`] (its record's texts came).
    pub fn rebuild(&mut self) {
        self.content = None;
    }

    /// What is shown, as last built.
    pub fn content(&self) -> Option<&Content> {
        self.content.as_ref()
    }

    /// The item selected.
    pub fn selected_item(&self) -> Option<&Item> {
        self.content.as_ref()?.items.get(self.pos.selected)
    }

    /// Where the reader is, if it is in `key` (for coming back with Backspace).
    pub fn position_in(&self, key: &ContentKey) -> Option<DetailPos> {
        (self.key.as_ref() == Some(key)).then_some(self.pos)
    }

    /// Comes back to a position in `key` (Backspace).
    pub fn restore(&mut self, key: ContentKey, pos: DetailPos) {
        self.key = Some(key);
        self.pos = pos;
    }

    /// Moving through the items (after [`DetailPane::show`]). Enter on a link is the browser's
    /// (it follows it); here it only says the line is not one.
    pub fn update(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        let page = self.rows.saturating_sub(1).max(1);
        match action {
            Action::Down => self.down(1),
            Action::Up => self.up(1),
            Action::PageDown => self.down(page),
            Action::PageUp => self.up(page),
            Action::Top | Action::Bottom => self.go_to_end(action == Action::Bottom),
            Action::Open => {
                let arrow = cx.theme.symbols.link.trim();
                return vec![Effect::Say(
                    Level::Info,
                    format!("This line is not a link: lines marked {arrow} open another record"),
                )];
            }
            _ => {}
        }
        Vec::new()
    }

    fn go_to_end(&mut self, bottom: bool) {
        let Some(content) = &self.content else { return };
        let target = if bottom {
            content
                .items
                .len()
                .checked_sub(1)
                .and_then(|last| content.next_selectable(last, false))
        } else {
            content.next_selectable(0, true)
        };
        if let Some(t) = target {
            self.pos.selected = t;
        }
        let rows = self.rows.max(1);
        self.pos.scroll = if bottom {
            content.lines.len().saturating_sub(rows)
        } else {
            0
        };
    }

    /// Scrolls so that the selected item shows; an item taller than the pane shows its start
    /// (moving down) or its end (moving up).
    fn reveal(&mut self, upward: bool) {
        let rows = self.rows.max(1);
        let Some(&(start, end)) = self
            .content
            .as_ref()
            .and_then(|c| c.ranges.get(self.pos.selected))
        else {
            return;
        };
        let height = end - start;
        let scroll = &mut self.pos.scroll;
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

    fn down(&mut self, steps: usize) {
        let rows = self.rows.max(1);
        for _ in 0..steps {
            let Some(content) = &self.content else { return };
            let sel = self.pos.selected;
            let Some(&(_, end)) = content.ranges.get(sel) else {
                return;
            };
            let next = content.next_selectable(sel + 1, true);
            if end > self.pos.scroll + rows {
                // Read on through a long item first.
                self.pos.scroll += 1;
                continue;
            }
            match next {
                Some(n) => {
                    self.pos.selected = n;
                    self.reveal(false);
                }
                None => break,
            }
        }
    }

    fn up(&mut self, steps: usize) {
        for _ in 0..steps {
            let Some(content) = &self.content else { return };
            let sel = self.pos.selected;
            let Some(&(start, _)) = content.ranges.get(sel) else {
                return;
            };
            let prev = if sel == 0 {
                None
            } else {
                content.next_selectable(sel - 1, false)
            };
            if start < self.pos.scroll {
                self.pos.scroll -= 1;
                continue;
            }
            match prev {
                Some(p) => {
                    self.pos.selected = p;
                    self.reveal(true);
                }
                None => {
                    self.pos.scroll = 0;
                    break;
                }
            }
        }
    }

    /// Draws the pane: its frame titled `title`, and the lines in view.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect, title: String, focused: bool) {
        let theme = cx.theme;
        let mut block = pane_block(theme, title, focused);
        let inner = block.inner(area);
        let Some(content) = &self.content else {
            frame.render_widget(block, area);
            return;
        };
        if inner.height == 0 || inner.width < 4 {
            frame.render_widget(block, area);
            return;
        }
        let rows = inner.height as usize;
        let (sel, scroll) = (self.pos.selected, self.pos.scroll);
        let total = content.lines.len();
        if total > rows {
            let end = (scroll + rows).min(total);
            block = block.title_bottom(
                Line::from(format!(" {}-{end} of {total} ", scroll + 1)).right_aligned(),
            );
        }
        frame.render_widget(block, area);
        let (sel_start, sel_end) = content
            .ranges
            .get(sel)
            .copied()
            .unwrap_or((usize::MAX, usize::MAX));
        let marker = theme.symbols.marker;
        let width = inner.width as usize;
        let mut lines = Vec::with_capacity(rows);
        for (i, segs) in content.lines.iter().enumerate().skip(scroll).take(rows) {
            let in_sel = i >= sel_start && i < sel_end;
            let lead = if in_sel && i == sel_start {
                marker.to_string()
            } else {
                " ".repeat(MARKER_COLUMNS)
            };
            let mut spans = vec![Span::raw(lead)];
            let mut used = MARKER_COLUMNS;
            for (t, seg) in segs {
                used += text::width(t);
                spans.push(Span::styled(t.clone(), seg_style(theme, *seg)));
            }
            let mut line = Line::from(spans);
            if in_sel {
                line.spans
                    .push(Span::raw(" ".repeat(width.saturating_sub(used))));
                line = line.style(selection_style(theme, focused));
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
