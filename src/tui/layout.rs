//! The layout step before every frame: the frame's size given to each feature, so that paging
//! moves by what is on screen, lists are built and scrolled to their selection, the detail is
//! built at its width, and popups know their rows. Drawing (`ui::draw`) then only reads.

use ratatui::layout::Rect;

use super::app::{App, Popup};
use super::feature::cx;
use super::ui;

/// Fits the state to a frame of `area` (run before each draw, after the updates).
pub fn layout(app: &mut App, area: Rect) {
    app.viewport.too_small = ui::too_small(area);
    if app.viewport.too_small {
        return;
    }
    let [_, body, _, _] = ui::screen_areas(app, area);
    if app.scoring.is_none() {
        let project = app.browse.project.clone();
        let cx = cx!(app, project.as_deref());
        app.browse.prepare(&cx, body);
    }
    let mut page = app.search.prepare(body);
    match &app.popup {
        Some(Popup::Help { .. }) => {
            let popup = ui::help_popup(app, body);
            app.viewport.popup_len = popup.lines.len();
            page = Some(popup.rows());
        }
        Some(Popup::Messages { .. }) => {
            let popup = ui::messages_popup(app, body);
            app.viewport.popup_len = popup.lines.len();
            page = Some(popup.rows());
        }
        Some(menu) => page = ui::menu_rows(app, body, menu).or(page),
        None => {}
    }
    if app.forms.history.is_some() {
        page = Some(body.height.saturating_sub(2) as usize);
    }
    if let Some(rows) = page {
        app.viewport.popup_rows = rows;
    }
}
