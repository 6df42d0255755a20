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
    let mut app = app();
    for (w, h) in [(120, 40), (80, 24), (40, 12), (20, 5)] {
        println!("{}", screen(&mut app, w, h).join("\n"));
    }
    update(&mut app, Action::NextPane);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    update(&mut app, Action::NextPane);
    println!("{}", screen(&mut app, 120, 40).join("\n"));
    update(&mut app, Action::Help);
    println!("{}", screen(&mut app, 120, 40).join("\n"));
}
