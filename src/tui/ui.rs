//! Drawing: the top bar, the panes, the message line, the key hints and the popups. Lists
//! build only the rows on screen; the detail pane draws only the lines in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::{App, Level, Popup};
use super::browse::capitalise;
use super::keymap::{self, Context, KEYMAP};
use super::kinds;
use super::text;
use super::theme::Theme;
use super::widgets::centered;

/// Below this the workbench shows "terminal too small" instead of its panes.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Whether the panes fit in `area`.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The screen's rows: the top bar, the body (panes and popups), the message line (a long
/// message takes the lines it needs, up to a few; `m` shows it whole) and the key hints.
pub fn screen_areas(app: &App, area: Rect) -> [Rect; 4] {
    let message_rows = message_lines(app, area.width as usize)
        .len()
        .clamp(1, (area.height as usize / 6).max(1)) as u16;
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(message_rows),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Draws the whole screen, as [`super::layout::layout`] laid it out: only reads the state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let cx = app.cx();
    if too_small(area) {
        draw_too_small(frame, app, area);
        return;
    }
    let [top, body, message, hints] = screen_areas(app, area);
    draw_top(frame, app, top);
    match &app.scoring {
        Some(pane) => pane.view(&cx, frame, body),
        None => app.browse.view(&cx, frame, body),
    }
    if !app.documents.view(&cx, frame, message) && !app.search.view_narrowing(&cx, frame, message) {
        draw_message(frame, app, message);
    }
    draw_hints(frame, app, hints);
    app.search.view(&cx, frame, body);
    match &app.popup {
        Some(Popup::Help { scroll }) => draw_popup(frame, app, &help_popup(app, body), *scroll),
        Some(Popup::Messages { scroll }) => {
            draw_popup(frame, app, &messages_popup(app, body), *scroll)
        }
        Some(popup) => draw_menu(frame, app, body, popup),
        None => {}
    }
    app.forms.view(&cx, frame, body);
    if let Some(question) = &app.quitting {
        question.view(&cx, frame, body);
    }
    if app.options.ascii {
        to_ascii(frame);
    }
}

/// The ASCII stand-in for a symbol the workbench (or a record's punctuation) draws, where the
/// locale cannot show it. Letters are left alone.
pub fn ascii_symbol(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "·" => "|",
        "•" | "●" => "o",
        "–" | "—" | "─" | "━" => "-",
        "…" => ".",
        "→" | "▶" | "›" | "»" => ">",
        "←" | "‹" | "«" => "<",
        "↑" => "^",
        "↓" => "v",
        "█" | "▓" => "#",
        "░" | "▒" => ".",
        "├" | "┤" | "│" | "┃" => "|",
        "‘" | "’" => "'",
        "“" | "”" => "\"",
        _ => return None,
    })
}

fn to_ascii(frame: &mut Frame) {
    for cell in frame.buffer_mut().content.iter_mut() {
        if let Some(a) = ascii_symbol(cell.symbol()) {
            cell.set_symbol(a);
        }
    }
}

/// "Terminal too small", with what can be done; the question before quitting comes first
/// (it is asked, and answered, here too).
fn draw_too_small(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let size = Line::from(format!(
        "{}x{}, need {MIN_WIDTH}x{MIN_HEIGHT}",
        area.width, area.height
    ));
    let text = match &app.quitting {
        Some(q) => vec![
            Line::styled(q.question(), theme.warn),
            Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(" quits, any other key stays"),
            ]),
            Line::styled("Terminal too small", theme.error),
            size,
        ],
        None => {
            let what = if app.forms.active() {
                "Enlarge it to finish the form"
            } else {
                "Enlarge it, or q to quit"
            };
            vec![
                Line::styled("Terminal too small", theme.error),
                size,
                Line::styled(what, theme.dim),
            ]
        }
    };
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_top(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme;
    let sep = theme.symbols.separator;
    let project = app.project().map_or("all projects".to_string(), |p| {
        kinds::project_name(&app.replica, p)
    });
    let mut spans = vec![
        Span::styled(" taskforce", theme.title),
        Span::raw(sep),
        Span::styled(
            format!("project: {project}"),
            if app.project().is_some() {
                theme.filter
            } else {
                Style::default()
            },
        ),
    ];
    if let Some(kind) = app.kind() {
        spans.push(Span::raw(sep));
        let filters = app.filters(kind);
        let text_filter = app.text_filter(kind);
        if filters.is_empty() && text_filter.is_none() {
            spans.push(Span::styled("no filters", theme.dim));
        } else {
            let mut parts: Vec<String> = filters
                .iter()
                .map(|f| {
                    format!(
                        "{} = {}",
                        f.facet.label(),
                        kinds::facet_value_label(&app.replica, f.facet, &f.value)
                    )
                })
                .collect();
            if let Some(t) = text_filter {
                let pending = if t.ids.is_none() { " …" } else { "" };
                parts.push(format!(
                    "text ~ \u{201c}{}\u{201d}{pending}",
                    crate::model::text::sanitize(&t.query, false)
                ));
            }
            let text = parts.join(", ");
            spans.push(Span::styled(format!("filters: {text}"), theme.filter));
        }
        let (by, desc) = app.sort(kind);
        let arrow = if desc {
            theme.symbols.descending
        } else {
            theme.symbols.ascending
        };
        spans.push(Span::raw(sep));
        spans.push(Span::raw(format!("sort: {} {arrow}", by.label())));
    }
    let user = match &app.connection {
        Some(c) => format!("{c}{sep}{} ", app.user),
        None => format!("{} ", app.user),
    };
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let free = (area.width as usize).saturating_sub(used);
    if free > text::width(&user) + 1 {
        spans.push(Span::raw(" ".repeat(free - text::width(&user))));
        spans.push(Span::styled(user, theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn message_text(m: &super::app::Message) -> String {
    let prefix = match m.level {
        Level::Info => "",
        Level::Warn => "Note: ",
        Level::Error => "Error: ",
    };
    format!("{prefix}{}", m.text)
}

fn message_style(theme: &Theme, level: Level) -> Style {
    match level {
        Level::Info => theme.info,
        Level::Warn => theme.warn,
        Level::Error => theme.error,
    }
}

/// The message line's text, wrapped to the screen's width (a column kept on each side).
fn message_lines(app: &App, width: usize) -> Vec<String> {
    match app.message() {
        None => Vec::new(),
        Some(m) => text::wrap_plain(&message_text(m), width.saturating_sub(2)),
    }
}

fn draw_message(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let Some(m) = app.message() else { return };
    let style = message_style(theme, m.level);
    let mut lines = message_lines(app, area.width as usize);
    let rows = area.height as usize;
    if lines.len() > rows {
        // What does not fit ends in "… (m)", which shows the whole message.
        lines.truncate(rows);
        let last = lines.last_mut().expect("one line at least");
        let more = format!("{} (m shows all)", theme.symbols.ellipsis);
        let room = (area.width as usize).saturating_sub(2 + text::width(&more));
        *last = format!("{}{more}", text::truncate(last, room, ""));
    }
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), style))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A popup of lines read by scrolling (the help, the messages): where it goes, its title and
/// its lines, wrapped to its width.
pub struct TextPopup {
    pub rect: Rect,
    pub title: &'static str,
    pub lines: Vec<Line<'static>>,
}

impl TextPopup {
    /// The lines it shows at once (a page), inside its frame.
    pub fn rows(&self) -> usize {
        self.rect.height.saturating_sub(2) as usize
    }
}

/// The last messages, newest first, each wrapped in full.
pub fn messages_popup(app: &App, area: Rect) -> TextPopup {
    let theme = &app.theme;
    let width = area.width.saturating_sub(4);
    let w = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for m in app.messages().iter().rev() {
        let style = message_style(theme, m.level);
        for (i, l) in text::wrap_plain(&message_text(m), w.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "• " } else { "  " };
            lines.push(Line::styled(format!("{lead}{l}"), style));
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled("No messages yet", theme.dim));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    TextPopup {
        rect: centered(area, width, height),
        title: " Messages, newest first ",
        lines,
    }
}

/// Draws a popup of lines from line `scroll` (clamped to its end), with "a-b of n" when it
/// does not show them all.
fn draw_popup(frame: &mut Frame, app: &App, popup: &TextPopup, scroll: usize) {
    let theme = &app.theme;
    frame.render_widget(Clear, popup.rect);
    let mut block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(popup.title, theme.title));
    let inner = block.inner(popup.rect);
    let rows = inner.height as usize;
    let len = popup.lines.len();
    let scroll = scroll.min(len.saturating_sub(rows));
    if len > rows {
        block = block.title_bottom(
            Line::from(format!(
                " {}-{} of {len} ",
                scroll + 1,
                (scroll + rows).min(len)
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(block, popup.rect);
    let shown: Vec<Line> = popup
        .lines
        .iter()
        .skip(scroll)
        .take(rows)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn draw_hints(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let hints = keymap::hints_where(app.context(), app.options.ascii, |a| app.applicable(a));
    let cost = |(keys, word): &(String, &str)| text::width(keys) + text::width(word) + 3;
    // Help and quit (or close) always show; the others as room allows, in keymap order.
    let essential = |word: &str| matches!(word, "help" | "quit" | "close");
    let mut room = (area.width as usize).saturating_sub(
        1 + hints
            .iter()
            .filter(|h| essential(h.1))
            .map(cost)
            .sum::<usize>(),
    );
    let mut spans = vec![Span::raw(" ")];
    for hint in &hints {
        if !essential(hint.1) {
            if cost(hint) > room {
                continue;
            }
            room -= cost(hint);
        }
        spans.push(Span::styled(hint.0.clone(), theme.key));
        spans.push(Span::raw(format!(" {}  ", hint.1)));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.dim.remove_modifier(Modifier::all())),
        area,
    );
}

/// The help's lines, from the keymap: (keys, what they do), with section headings.
pub fn help_lines(app: &App) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut section = "";
    for b in KEYMAP {
        if b.section != section {
            if !out.is_empty() {
                out.push((String::new(), String::new()));
            }
            out.push((b.section.to_string(), String::new()));
            section = b.section;
        }
        let keys = keymap::keys_label(b, app.options.ascii);
        // The two Close rows share keys; say each once.
        out.push((keys, b.help.to_string()));
    }
    out.push((String::new(), String::new()));
    out.push(("Data".to_string(), String::new()));
    out.push((String::new(), format!("{} as {}", app.location, app.user)));
    out
}

/// The help of every key, wrapped to the screen (as wide as its longest line needs).
pub fn help_popup(app: &App, area: Rect) -> TextPopup {
    let theme = &app.theme;
    let entries = help_lines(app);
    let key_w = entries
        .iter()
        .filter(|(_, h)| !h.is_empty())
        .map(|(k, _)| text::width(k))
        .max()
        .unwrap_or(8)
        + 2;
    let longest = entries
        .iter()
        .map(|(k, h)| {
            if h.is_empty() {
                text::width(k)
            } else {
                key_w + text::width(h)
            }
        })
        .max()
        .unwrap_or(40);
    // As wide as the longest line needs, up to the screen; what is longer wraps, never cut.
    let width = (area.width.saturating_sub(4)).min(longest as u16 + 2);
    let w = width.saturating_sub(2) as usize;
    let ell = theme.symbols.ellipsis;
    let key_w = key_w.min(w / 2);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (k, h) in &entries {
        if h.is_empty() {
            lines.push(Line::styled(text::truncate(k, w, ell), theme.heading));
            continue;
        }
        let keys = text::pad(k, key_w, ell);
        for (i, part) in text::wrap_plain(h, w.saturating_sub(key_w))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                Span::styled(keys.clone(), theme.key)
            } else {
                Span::raw(" ".repeat(key_w))
            };
            lines.push(Line::from(vec![lead, Span::raw(part)]));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    TextPopup {
        rect: centered(area, width, height),
        title: " Keys ",
        lines,
    }
}

/// A menu: its title, its entries (label, value) and the one selected.
type Menu = (String, Vec<(String, String)>, usize);

/// What a menu popup shows.
fn menu_entries(app: &App, popup: &Popup) -> Option<Menu> {
    let theme = app.theme;
    let kind = app.kind()?;
    let (title, entries, selected): (String, Vec<(String, String)>, usize) = match popup {
        Popup::Facets { choices, selected } => {
            let entries = choices
                .iter()
                .map(|c| match c {
                    super::app::FacetChoice::Project => {
                        let cur = app
                            .project()
                            .map_or("all".to_string(), |p| kinds::project_name(&app.replica, p));
                        ("project (every list)".to_string(), cur)
                    }
                    super::app::FacetChoice::Facet(f) => {
                        let cur = app
                            .filters(kind)
                            .iter()
                            .find(|x| x.facet == *f)
                            .map_or("any".to_string(), |x| {
                                kinds::facet_value_label(&app.replica, *f, &x.value)
                            });
                        (f.label().to_string(), cur)
                    }
                })
                .collect();
            (
                format!(" Filter {} ", kinds::plural(kind).to_lowercase()),
                entries,
                *selected,
            )
        }
        Popup::Values {
            facet,
            choices,
            selected,
        } => {
            let name = match facet {
                super::app::FacetChoice::Project => "project",
                super::app::FacetChoice::Facet(f) => f.label(),
            };
            let entries = choices
                .iter()
                .map(|c| (c.label.clone(), c.count.to_string()))
                .collect();
            (format!(" {} ", capitalise(name)), entries, *selected)
        }
        Popup::Sort { selected } => {
            let (cur, desc) = (
                app.browse.views[kind as usize].sort,
                app.browse.views[kind as usize].descending,
            );
            let entries = kinds::sorts(kind)
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let mark = if i == cur {
                        if desc {
                            theme.symbols.descending
                        } else {
                            theme.symbols.ascending
                        }
                    } else {
                        ""
                    };
                    (s.label().to_string(), mark.to_string())
                })
                .collect();
            (" Sort by ".to_string(), entries, *selected)
        }
        Popup::Help { .. } | Popup::Messages { .. } => return None,
    };
    Some((title, entries, selected))
}

/// Where a menu goes in `area`.
fn menu_rect(app: &App, area: Rect, title: &str, entries: &[(String, String)]) -> Rect {
    let marker = app.theme.symbols.marker;
    let label_w = entries
        .iter()
        .map(|(l, _)| text::width(l))
        .max()
        .unwrap_or(4);
    let value_w = entries
        .iter()
        .map(|(_, v)| text::width(v))
        .max()
        .unwrap_or(0);
    let width = (label_w + value_w + text::width(marker) + 4)
        .max(text::width(title) + 4)
        .min(area.width as usize) as u16;
    let height = (entries.len() as u16 + 2).min(area.height);
    centered(area, width, height)
}

/// The rows a menu shows at once (a page), in `area`.
pub fn menu_rows(app: &App, area: Rect, popup: &Popup) -> Option<usize> {
    let (title, entries, _) = menu_entries(app, popup)?;
    Some(
        menu_rect(app, area, &title, &entries)
            .height
            .saturating_sub(2) as usize,
    )
}

fn draw_menu(frame: &mut Frame, app: &App, area: Rect, popup: &Popup) {
    let theme = app.theme;
    let Some((title, entries, selected)) = menu_entries(app, popup) else {
        return;
    };
    let marker = theme.symbols.marker;
    let rect = menu_rect(app, area, &title, &entries);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let rows = inner.height as usize;
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    let w = inner.width as usize;
    let ell = theme.symbols.ellipsis;
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, (label, value))| {
            let lead = if i == selected {
                marker.to_string()
            } else {
                " ".repeat(text::width(marker))
            };
            let room = w.saturating_sub(text::width(&lead) + text::width(value) + 1);
            let body = format!("{lead}{} {value}", text::pad(label, room, ell));
            let style = if i == selected {
                theme.selected
            } else {
                Style::default()
            };
            Line::styled(text::pad(&body, w, ell), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The context's hints, as the status bar shows them (for tests).
pub fn hint_text(context: Context, ascii: bool) -> String {
    keymap::hints(context, ascii)
        .into_iter()
        .map(|(k, w)| format!("{k} {w}"))
        .collect::<Vec<_>>()
        .join("  ")
}
