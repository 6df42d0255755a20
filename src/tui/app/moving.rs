//! Moving in the panes: up and down a list, the navigation or the detail, by a page, to either
//! end, and from pane to pane.

use super::*;

impl App {
    // ----- moving -----

    pub(super) fn move_by(&mut self, delta: isize) {
        match self.focus {
            Pane::Nav => {
                let n = nav_targets().len();
                self.nav = (self.nav as isize + delta).clamp(0, n as isize - 1) as usize;
            }
            Pane::List => {
                let Some(kind) = self.kind() else { return };
                self.ensure_view(kind);
                let view = &mut self.views[kind as usize];
                let to = (view.selected as isize + delta).max(0) as usize;
                view.select(to);
            }
            Pane::Detail => {
                if delta > 0 {
                    self.detail_down(delta as usize);
                } else {
                    self.detail_up(delta.unsigned_abs());
                }
            }
        }
    }

    pub(super) fn move_to_end(&mut self, bottom: bool) {
        match self.focus {
            Pane::Nav => self.nav = if bottom { nav_targets().len() - 1 } else { 0 },
            Pane::List => {
                let Some(kind) = self.kind() else { return };
                self.ensure_view(kind);
                let view = &mut self.views[kind as usize];
                view.select(if bottom { usize::MAX } else { 0 });
            }
            Pane::Detail => {
                let content = self.content();
                let target = if bottom {
                    content
                        .items
                        .len()
                        .checked_sub(1)
                        .and_then(|last| content.next_selectable(last, false))
                } else {
                    content.next_selectable(0, true)
                };
                let lines = content.lines.len();
                if let Some(t) = target {
                    self.detail.selected = t;
                }
                let rows = self.viewport.detail_rows.max(1);
                self.detail.scroll = if bottom {
                    lines.saturating_sub(rows)
                } else {
                    0
                };
            }
        }
    }

    pub(super) fn page(&self) -> usize {
        match self.focus {
            Pane::Nav => self.viewport.nav_rows,
            Pane::List => self.viewport.list_rows,
            Pane::Detail => self.viewport.detail_rows,
        }
        .saturating_sub(1)
        .max(1)
    }

    pub(super) fn panes(&self) -> &'static [Pane] {
        match self.target() {
            Target::Kind(_) => &[Pane::Nav, Pane::List, Pane::Detail],
            Target::Overview(_) => &[Pane::Nav, Pane::Detail],
        }
    }

    pub(super) fn cycle_pane(&mut self, forward: bool) {
        let panes = self.panes();
        let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = panes.len();
        self.focus = panes[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }
}
