//! The small drawing pieces several features share: a pane's frame, the selection's style, a
//! piece of content's style, a rectangle centred in another, a question waiting for `y`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::content::Seg;
use super::theme::Theme;

/// How a piece of the detail or overview pane is drawn.
pub fn seg_style(theme: &Theme, seg: Seg) -> Style {
    match seg {
        Seg::Normal => Style::default(),
        Seg::Strong => Style::default().add_modifier(Modifier::BOLD),
        Seg::Dim => theme.dim,
        Seg::Label => theme.label,
        Seg::Heading => theme.heading,
        Seg::Link => theme.link,
        Seg::Warn => theme.warn,
        Seg::Error => theme.error,
        Seg::Bar => theme.bar,
        Seg::BarRejected => theme.bar_rejected,
        Seg::Gauge => theme.gauge,
        Seg::GaugeOver => theme.gauge_over,
    }
}

/// A pane's frame with its title; the focused pane's stands out.
pub fn pane_block<'a>(theme: &Theme, title: String, focused: bool) -> Block<'a> {
    let (set, style) = if focused {
        (theme.symbols.focus_border, theme.focus_border)
    } else {
        (theme.symbols.border, theme.border)
    };
    let title_style = if focused {
        theme.title.add_modifier(Modifier::REVERSED)
    } else {
        theme.title
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(set)
        .border_style(style)
        .title(Span::styled(title, title_style))
}

/// The selected row's style, in the focused pane or another.
pub fn selection_style(theme: &Theme, focused: bool) -> Style {
    if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    }
}

/// A rectangle of (at most) `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A question waiting for `y` (quit, delete, erase), in a box of at most `width` × `height` in
/// the middle of `area`, framed like the focused pane: its lines, then "y" and what `y` does
/// (`answer`, e.g. " delete · any other key keeps it").
pub fn question(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    (width, height): (u16, u16),
    title: &str,
    mut lines: Vec<Line<'static>>,
    answer: &'static str,
) {
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(format!(" {title} "), theme.title));
    lines.push(Line::from(vec![
        Span::styled("y", theme.key),
        Span::raw(answer),
    ]));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
