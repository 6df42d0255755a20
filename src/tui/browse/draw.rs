//! Drawing the navigation and the shown list, and fitting a list's columns to its width. What
//! depends on the frame's size (the rows shown, the offsets, the columns) is worked out before
//! drawing, in `prepare_nav` and `prepare_list`; the `view_` functions only read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use crate::model::Kind;

use super::super::feature::Cx;
use super::super::kinds::{self, Width};
use super::super::nav::{Target, nav_targets};
use super::super::text;
use super::super::widgets::{pane_block, selection_style};
use super::{Browse, Pane};

/// How many rows of a list its columns are fitted over.
const COLUMN_SAMPLE: usize = 1000;

/// The navigation's rows: (the entry's index, or None for a heading; its label).
fn nav_rows() -> Vec<(Option<usize>, String)> {
    let targets = nav_targets();
    let mut rows = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        match t {
            Target::Kind(k) => rows.push((Some(i), kinds::plural(*k).to_string())),
            Target::Overview(o) => {
                if matches!(targets.get(i.wrapping_sub(1)), Some(Target::Kind(_))) {
                    rows.push((None, "Overviews".to_string()));
                }
                rows.push((Some(i), o.label().to_string()));
            }
        }
    }
    rows
}

/// The cells of one record's row in its kind's list.
fn row_texts(cx: &Cx, kind: Kind, id: &str) -> Vec<String> {
    let cols = kinds::columns(kind);
    match cx.replica.record(kind, id) {
        Some(r) => (0..cols.len())
            .map(|i| kinds::cell(cx.replica, r, i))
            .collect(),
        None => vec![String::new(); cols.len()],
    }
}

impl Browse {
    /// The navigation's rows in view follow its selection.
    pub(super) fn prepare_nav(&mut self, area: Rect) {
        let inner = Block::bordered().inner(area);
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        let height = inner.height as usize;
        self.nav_rows = height;
        let rows = nav_rows();
        let sel_row = rows.iter().position(|r| r.0 == Some(self.nav)).unwrap_or(0);
        if sel_row < self.nav_offset {
            self.nav_offset =
                sel_row.saturating_sub(usize::from(sel_row > 0 && rows[sel_row - 1].0.is_none()));
        } else if sel_row >= self.nav_offset + height {
            self.nav_offset = sel_row + 1 - height;
        }
    }

    /// The shown list built, its offset keeping the selection in view, its columns fitted.
    pub(super) fn prepare_list(&mut self, cx: &Cx, kind: Kind, area: Rect) {
        self.ensure_view(cx, kind);
        let inner = Block::bordered().inner(area);
        if inner.height < 2 || inner.width < 6 {
            return;
        }
        let rows = (inner.height - 1) as usize;
        self.list_rows = rows;
        let view = &mut self.views[kind as usize];
        if view.selected < view.offset {
            view.offset = view.selected;
        } else if view.selected >= view.offset + rows {
            view.offset = view.selected + 1 - rows;
        }
        if view.offset + rows > view.ids.len() {
            view.offset = view.ids.len().saturating_sub(rows);
        }
        let width = inner
            .width
            .saturating_sub(text::width(cx.theme.symbols.marker) as u16);
        if !matches!(&view.columns, Some((w, _)) if *w == width) {
            // Fitted once over a sample spread over the whole list (at most COLUMN_SAMPLE
            // rows), then kept while the list and the width stay.
            let step = view.ids.len().div_ceil(COLUMN_SAMPLE).max(1);
            let sample: Vec<Vec<String>> = view
                .ids
                .iter()
                .step_by(step)
                .map(|id| row_texts(cx, kind, id))
                .collect();
            view.columns = Some((width, fit_columns_to(kind, width, &sample)));
        }
    }

    pub(super) fn view_nav(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let focused = self.focus == Pane::Nav;
        let project = self
            .project
            .as_ref()
            .map_or("all projects".to_string(), |p| {
                kinds::project_name(cx.replica, p)
            });
        let block = pane_block(theme, format!(" Browse · {project} "), focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height == 0 || inner.width < 4 {
            return;
        }
        let targets = nav_targets();
        let height = inner.height as usize;
        let width = inner.width as usize;
        let marker = theme.symbols.marker;
        let mut lines = Vec::new();
        for (index, label) in nav_rows().iter().skip(self.nav_offset).take(height) {
            let Some(index) = index else {
                lines.push(Line::styled(
                    text::pad(label, width, theme.symbols.ellipsis),
                    theme.heading,
                ));
                continue;
            };
            let selected = *index == self.nav;
            let count = match targets[*index] {
                Target::Kind(k) => self.scope_count(cx, k).to_string(),
                Target::Overview(_) => String::new(),
            };
            let lead = if selected {
                marker.to_string()
            } else {
                " ".repeat(text::width(marker))
            };
            let room = width.saturating_sub(text::width(&lead) + text::width(&count) + 1);
            let body = format!(
                "{lead}{} {count}",
                text::pad(label, room, theme.symbols.ellipsis)
            );
            let style = if selected {
                selection_style(theme, focused)
            } else {
                Style::default()
            };
            lines.push(Line::styled(
                text::pad(&body, width, theme.symbols.ellipsis),
                style,
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    pub(super) fn view_list(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let Some(kind) = self.kind() else { return };
        let view = &self.views[kind as usize];
        let focused = self.focus == Pane::List;
        let total = self.scope_count(cx, kind);
        let count = view.ids.len();
        let title = if count == total {
            format!(" {} ({total}) ", kinds::plural(kind))
        } else {
            format!(" {} {count} of {total} ", kinds::plural(kind))
        };
        let block = pane_block(theme, title, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 2 || inner.width < 6 {
            return;
        }
        let rows = (inner.height - 1) as usize;
        let (offset, selected) = (view.offset, view.selected);
        let visible = &view.ids[offset.min(count)..(offset + rows).min(count)];
        if visible.is_empty() {
            let what = kinds::plural(kind).to_lowercase();
            let text = if !view.filters.is_empty() || view.text.is_some() {
                format!("No {what} match the filters: x clears them")
            } else if self.project.is_some() && kinds::scoped(kind) {
                format!("No {what} in this project: p shows others")
            } else {
                format!("No {what} yet")
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.dim)).wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        let Some((_, fitted)) = &view.columns else {
            return;
        };
        let marker = theme.symbols.marker;
        let cols = kinds::columns(kind);
        // Only the rows on screen are built.
        let texts: Vec<Vec<String>> = visible.iter().map(|id| row_texts(cx, kind, id)).collect();
        let ell = theme.symbols.ellipsis;
        // Cut texts that would read alike are cut in the middle instead (their ends differ).
        let mut shown: Vec<Vec<String>> = texts
            .iter()
            .map(|r| {
                fitted
                    .iter()
                    .map(|(i, w)| text::truncate(&r[*i], *w as usize, ell))
                    .collect()
            })
            .collect();
        for (c, (i, w)) in fitted.iter().enumerate() {
            for a in 0..shown.len() {
                let clash = (0..shown.len())
                    .any(|b| b != a && shown[b][c] == shown[a][c] && texts[b][*i] != texts[a][*i]);
                if clash {
                    shown[a][c] = text::truncate_middle(&texts[a][*i], *w as usize, ell);
                }
            }
        }
        if count > rows {
            frame.render_widget(
                Line::from(format!(
                    " {}-{} of {count} ",
                    offset + 1,
                    (offset + rows).min(count)
                ))
                .right_aligned(),
                Rect::new(
                    area.x + 1,
                    area.y + area.height - 1,
                    area.width.saturating_sub(2),
                    1,
                ),
            );
        }
        let cell_text = |t: &str, w: u16, right: bool| {
            let t = t.to_string();
            if right {
                format!(
                    "{t:>width$}",
                    width = w as usize - (text::width(&t) - t.chars().count()).min(w as usize)
                )
            } else {
                t
            }
        };
        let header = Row::new(
            fitted
                .iter()
                .map(|(i, w)| Cell::from(cell_text(cols[*i].header, *w, cols[*i].right))),
        )
        .style(theme.header);
        let table_rows: Vec<Row> = shown
            .iter()
            .map(|row| {
                Row::new(
                    fitted
                        .iter()
                        .zip(row)
                        .map(|((i, w), t)| Cell::from(cell_text(t, *w, cols[*i].right))),
                )
            })
            .collect();
        let widths: Vec<Constraint> = fitted.iter().map(|(_, w)| Constraint::Length(*w)).collect();
        let table = Table::new(table_rows, widths)
            .header(header)
            .column_spacing(1)
            .row_highlight_style(selection_style(theme, focused))
            .highlight_symbol(Line::from(marker))
            .highlight_spacing(HighlightSpacing::Always);
        let mut state = TableState::default().with_selected(Some(selected - offset));
        frame.render_stateful_widget(table, inner, &mut state);
        // No cursor while browsing: the marker and the reversed row show the selection.
    }
}

/// Picks the columns that fit `width` (dropping the least important first) and their widths.
pub fn fit_columns(kind: Kind, width: u16) -> Vec<(usize, u16)> {
    fit_columns_to(kind, width, &[])
}

/// Fits a kind's columns into `width`, given the texts of the rows on screen (`rows[r][c]`):
/// a fixed column takes no more than its widest text (or header) needs; a column whose rows all
/// read the same, or are all empty, goes first when the room is short (it says nothing that
/// tells rows apart), then the others by their drop order; the first fill column takes the rest.
pub fn fit_columns_to(kind: Kind, width: u16, rows: &[Vec<String>]) -> Vec<(usize, u16)> {
    let cols = kinds::columns(kind);
    let widest = |i: usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|t| text::width(t))
            .max()
    };
    let same = |i: usize| {
        rows.len() > 1 && rows.iter().all(|r| r.get(i) == rows[0].get(i))
            || (!rows.is_empty() && rows.iter().all(|r| r.get(i).is_none_or(|t| t.is_empty())))
    };
    let min = |i: usize| match cols[i].width {
        Width::Fixed(n) => match widest(i) {
            Some(w) => (w.max(text::width(cols[i].header)) as u16).min(n),
            None => n,
        },
        Width::Fill(n) => n,
    };
    let mut keep: Vec<usize> = (0..cols.len()).collect();
    let need = |keep: &[usize]| {
        keep.iter().map(|i| min(*i)).sum::<u16>() + keep.len().saturating_sub(1) as u16
    };
    // The fill column's text would be cut: what does not tell rows apart gives its room.
    let fill = keep
        .iter()
        .copied()
        .find(|i| matches!(cols[*i].width, Width::Fill(_)));
    let cut = |keep: &[usize]| {
        fill.zip(fill.and_then(widest)).is_some_and(|(f, w)| {
            let others = need(keep) - min(f);
            (w as u16) + others > width
        })
    };
    loop {
        let uniform = keep
            .iter()
            .copied()
            .filter(|i| Some(*i) != fill && same(*i))
            .max_by_key(|i| cols[*i].drop_order);
        if need(&keep) <= width && !(cut(&keep) && uniform.is_some()) || keep.len() <= 1 {
            break;
        }
        let drop = uniform.unwrap_or_else(|| {
            keep.iter()
                .copied()
                .filter(|i| Some(*i) != fill || keep.len() == 1)
                .max_by_key(|i| cols[*i].drop_order)
                .expect("more than one column")
        });
        keep.retain(|i| *i != drop);
    }
    let constraints: Vec<Constraint> = keep
        .iter()
        .map(|i| match cols[*i].width {
            Width::Fixed(_) => Constraint::Length(min(*i)),
            Width::Fill(n) => Constraint::Min(n),
        })
        .collect();
    let widths = Layout::horizontal(constraints)
        .spacing(1)
        .split(Rect::new(0, 0, width, 1));
    keep.into_iter()
        .zip(widths.iter().map(|r| r.width))
        .collect()
}
