//! Render tests: the workbench drawn into ratatui's TestBackend at several sizes, checked for
//! what a person would read on the screen.

mod tui_support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use taskforce::tui::{Action, App, draw, update};
use tui_support::*;

/// Draws the app at a size and returns the screen as lines of text.
fn screen(app: &mut App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < width {
                let cell = buffer.cell((x, y)).unwrap();
                line.push_str(cell.symbol());
                x += unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1) as u16;
            }
            line
        })
        .collect()
}

#[test]
fn explore() {
    let mut app2 = tui_support::app();
    for _ in 0..13 { update(&mut app2, Action::Down); }
    println!("{}", screen(&mut app2, 80, 24).join("\n"));
    update(&mut app2, Action::Down); println!("{}", screen(&mut app2, 80, 24).join("\n"));
    let mut app4 = App::new(replica(), "ana", "/tmp/db", taskforce::tui::Options { ascii: true, color: false, mouse: false });
    update(&mut app4, Action::NextPane);
    update(&mut app4, Action::Down);
    update(&mut app4, Action::NextPane);
    for _ in 0..30 { update(&mut app4, Action::Down); }
    println!("{}", screen(&mut app4, 80, 24).join("\n"));
}
