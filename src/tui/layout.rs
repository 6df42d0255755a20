//! The layout step before every frame: the frame's size given to each feature, so that paging
//! moves by what is on screen, lists are built and scrolled to their selection, the detail is
//! built at its width, and popups know their rows. Drawing (`ui::draw`) then only reads.

use ratatui::layout::Rect;

use super::app::{App, Popup};
use super::feature::cx;
use super::ui;

/// Fits the state to a frame of `area` (run before each draw, after the updates).
pub fn layout(app: &mut App, area: Rect) {
    app.fit(area)
}

impl App {
    fn fit(&mut self, area: Rect) {
        self.viewport.area = area;
        self.viewport.too_small = ui::too_small(area);
        if self.viewport.too_small {
            return;
        }
        let [_, body, _, _] = ui::screen_areas(self, area);
        if self.scoring.is_none() {
            let project = self.browse.project.clone();
            let cx = cx!(self, project.as_deref());
            self.browse.prepare(&cx, body);
        }
        let mut page = self.search.prepare(body);
        match &self.popup {
            Some(Popup::Help { .. }) => {
                let popup = ui::help_popup(self, body);
                self.viewport.popup_len = popup.lines.len();
                page = Some(popup.rows());
            }
            Some(Popup::Messages { .. }) => {
                let popup = ui::messages_popup(self, body);
                self.viewport.popup_len = popup.lines.len();
                page = Some(popup.rows());
            }
            Some(menu) => page = ui::menu_rows(self, body, menu).or(page),
            None => {}
        }
        if self.forms.history.is_some() {
            page = Some(body.height.saturating_sub(2) as usize);
        }
        if let Some(rows) = page {
            self.viewport.popup_rows = rows;
        }
    }
}
