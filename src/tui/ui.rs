//! Drawing: the top bar, the panes, the message line, the key hints and the popups. Lists
//! build only the rows on screen; the detail pane draws only the lines in view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap,
};

use crate::model::Kind;

use super::app::{App, Level, Pane, Popup, Target, nav_targets};
use super::content::{MARKER_COLUMNS, Seg};
use super::keymap::{self, Context, KEYMAP};
use super::kinds::{self, Width};
use super::text;
use super::theme::Theme;

/// Below this the workbench shows "terminal too small" instead of its panes.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// How many rows of a list its columns are fitted over.
const COLUMN_SAMPLE: usize = 1000;
/// Below this width one pane is shown at a time (Tab moves between them).
const SINGLE_PANE_WIDTH: u16 = 70;
/// From this width the list and the detail stand side by side.
const SIDE_BY_SIDE_WIDTH: u16 = 150;

fn seg_style(theme: &Theme, seg: Seg) -> Style {
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

fn pane_block<'a>(theme: &Theme, title: String, focused: bool) -> Block<'a> {
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

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        app.viewport.too_small = true;
        draw_too_small(frame, app, area);
        return;
    }
    app.viewport.too_small = false;
    // A long message takes the lines it needs (up to a few; `m` shows it whole).
    let message_rows = message_lines(app, area.width as usize)
        .len()
        .clamp(1, (area.height as usize / 6).max(1)) as u16;
    let [top, body, message, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(message_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_top(frame, app, top);
    match &app.scoring {
        Some(pane) => pane.view(&app.cx(), frame, body),
        None => draw_panes(frame, app, body),
    }
    let cx = app.cx();
    if !app.documents.view(&cx, frame, message) && !app.search.view_narrowing(&cx, frame, message) {
        draw_message(frame, app, message);
    }
    draw_hints(frame, app, hints);
    if let Some(rows) = app.search.view(&app.cx(), frame, body) {
        app.viewport.popup_rows = rows;
    }
    match app.popup.clone() {
        Some(Popup::Help { scroll }) => draw_help(frame, app, body, scroll),
        Some(Popup::Messages { scroll }) => draw_messages(frame, app, body, scroll),
        Some(popup) => draw_menu(frame, app, body, &popup),
        None => {}
    }
    app.forms.view(&app.cx(), frame, body);
    if app.confirm_quit {
        draw_confirm_quit(frame, app, body);
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

/// "Quit?" over everything: Esc at the top level, or Ctrl-c over a changed form.
fn draw_confirm_quit(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let question = if app.unsaved() {
        "Quit taskforce and lose the changes in the form?"
    } else {
        "Quit taskforce?"
    };
    let rect = centered(area, area.width.saturating_sub(4).min(60), 4);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(" Quit ", theme.title));
    let text = vec![
        Line::from(question),
        Line::from(vec![
            Span::styled("y", theme.key),
            Span::raw(" quits · any other key stays"),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        rect,
    );
}

fn draw_too_small(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let what = if app.confirm_quit {
        "Quit and lose the form? y quits"
    } else if app.forms.active() {
        "Enlarge it to finish the form"
    } else {
        "Enlarge it, or q to quit"
    };
    let text = vec![
        Line::styled("Terminal too small", theme.error),
        Line::from(format!(
            "{}x{}, need {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        )),
        Line::styled(what, theme.dim),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_top(frame: &mut Frame, app: &mut App, area: Rect) {
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
        let filters = app.filters(kind).to_vec();
        let text_filter = app.views[kind as usize].text.clone();
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

fn draw_panes(frame: &mut Frame, app: &mut App, area: Rect) {
    let overview = matches!(app.target(), Target::Overview(_));
    if app.focus == Pane::List && overview {
        app.focus = Pane::Detail;
    }
    if area.width < SINGLE_PANE_WIDTH {
        match app.focus {
            Pane::Nav => draw_nav(frame, app, area),
            Pane::List => draw_list(frame, app, area),
            Pane::Detail => draw_detail(frame, app, area),
        }
        return;
    }
    let nav_w = if area.width >= 100 { 26 } else { 22 };
    let [nav, right] =
        Layout::horizontal([Constraint::Length(nav_w), Constraint::Fill(1)]).areas(area);
    draw_nav(frame, app, nav);
    if overview {
        draw_detail(frame, app, right);
    } else if area.width >= SIDE_BY_SIDE_WIDTH {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(right);
        draw_list(frame, app, list);
        draw_detail(frame, app, detail);
    } else {
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right);
        draw_list(frame, app, list);
        draw_detail(frame, app, detail);
    }
}

fn selection_style(theme: &Theme, focused: bool) -> Style {
    if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    }
}

fn draw_nav(frame: &mut Frame, app: &mut App, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Pane::Nav;
    let project = app.project().map_or("all projects".to_string(), |p| {
        kinds::project_name(&app.replica, p)
    });
    let block = pane_block(&theme, format!(" Browse · {project} "), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    // Rows: the kinds, a heading, the overviews.
    let targets = nav_targets();
    let mut rows: Vec<(Option<usize>, String, String)> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        match t {
            Target::Kind(k) => {
                let n = app.scope_count(*k);
                rows.push((Some(i), kinds::plural(*k).to_string(), n.to_string()));
            }
            Target::Overview(o) => {
                if matches!(targets.get(i.wrapping_sub(1)), Some(Target::Kind(_))) {
                    rows.push((None, "Overviews".to_string(), String::new()));
                }
                rows.push((Some(i), o.label().to_string(), String::new()));
            }
        }
    }
    let height = inner.height as usize;
    app.viewport.nav_rows = height;
    let sel_row = rows.iter().position(|r| r.0 == Some(app.nav)).unwrap_or(0);
    if sel_row < app.nav_offset {
        app.nav_offset =
            sel_row.saturating_sub(usize::from(sel_row > 0 && rows[sel_row - 1].0.is_none()));
    } else if sel_row >= app.nav_offset + height {
        app.nav_offset = sel_row + 1 - height;
    }
    let width = inner.width as usize;
    let marker = theme.symbols.marker;
    let mut lines = Vec::new();
    for (index, label, count) in rows.iter().skip(app.nav_offset).take(height) {
        let selected = *index == Some(app.nav);
        let Some(_) = index else {
            lines.push(Line::styled(
                text::pad(label, width, theme.symbols.ellipsis),
                theme.heading,
            ));
            continue;
        };
        let lead = if selected {
            marker.to_string()
        } else {
            " ".repeat(text::width(marker))
        };
        let room = width.saturating_sub(text::width(&lead) + text::width(count) + 1);
        let body = format!(
            "{lead}{} {count}",
            text::pad(label, room, theme.symbols.ellipsis)
        );
        let style = if selected {
            selection_style(&theme, focused)
        } else {
            Style::default()
        };
        lines.push(Line::styled(
            text::pad(&body, width, theme.symbols.ellipsis),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let _ = (focused, sel_row);
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

fn draw_list(frame: &mut Frame, app: &mut App, area: Rect) {
    let theme = app.theme;
    let Some(kind) = app.kind() else { return };
    let focused = app.focus == Pane::List;
    let total = app.scope_count(kind);
    let shown = app.view(kind).ids.len();
    let title = if shown == total {
        format!(" {} ({total}) ", kinds::plural(kind))
    } else {
        format!(" {} {shown} of {total} ", kinds::plural(kind))
    };
    let block = pane_block(&theme, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width < 6 {
        return;
    }
    let rows = (inner.height - 1) as usize;
    app.viewport.list_rows = rows;
    let view = &mut app.views[kind as usize];
    if view.selected < view.offset {
        view.offset = view.selected;
    } else if view.selected >= view.offset + rows {
        view.offset = view.selected + 1 - rows;
    }
    if view.offset + rows > view.ids.len() {
        view.offset = view.ids.len().saturating_sub(rows);
    }
    let (offset, selected) = (view.offset, view.selected);
    let visible: Vec<String> = view.ids.iter().skip(offset).take(rows).cloned().collect();
    let count = view.ids.len();
    let marker = theme.symbols.marker;
    let marker_w = text::width(marker) as u16;
    let cols = kinds::columns(kind);
    // Only the rows on screen are built.
    let texts: Vec<Vec<String>> = visible
        .iter()
        .map(|id| match app.replica.record(kind, id) {
            Some(r) => (0..cols.len())
                .map(|i| kinds::cell(&app.replica, r, i))
                .collect(),
            None => vec![String::new(); cols.len()],
        })
        .collect();
    let width = inner.width.saturating_sub(marker_w);
    let fitted = match &app.views[kind as usize].columns {
        Some((w, fitted)) if *w == width => fitted.clone(),
        _ => {
            // Fitted once over a sample spread over the whole list (at most COLUMN_SAMPLE
            // rows), then kept while the list and the width stay.
            let view = &app.views[kind as usize];
            let step = view.ids.len().div_ceil(COLUMN_SAMPLE).max(1);
            let sample: Vec<Vec<String>> = view
                .ids
                .iter()
                .step_by(step)
                .map(|id| match app.replica.record(kind, id) {
                    Some(r) => (0..cols.len())
                        .map(|i| kinds::cell(&app.replica, r, i))
                        .collect(),
                    None => vec![String::new(); cols.len()],
                })
                .collect();
            let fitted = fit_columns_to(kind, width, &sample);
            app.views[kind as usize].columns = Some((width, fitted.clone()));
            fitted
        }
    };
    let ell = theme.symbols.ellipsis;
    // Cut texts that would read alike are cut in the middle instead (their ends differ).
    let shown: Vec<Vec<String>> = {
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
        shown
    };
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
    if visible.is_empty() {
        let what = kinds::plural(kind).to_lowercase();
        let text = if !app.filters(kind).is_empty() || app.views[kind as usize].text.is_some() {
            format!("No {what} match the filters: x clears them")
        } else if app.project().is_some() && kinds::scoped(kind) {
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
    let widths: Vec<Constraint> = fitted.iter().map(|(_, w)| Constraint::Length(*w)).collect();
    let table = Table::new(table_rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(selection_style(&theme, focused))
        .highlight_symbol(Line::from(marker))
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(Some(selected - offset));
    frame.render_stateful_widget(table, inner, &mut state);
    // No cursor while browsing: the marker and the reversed row show the selection.
}

fn draw_detail(frame: &mut Frame, app: &mut App, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Pane::Detail;
    let title = match app.target() {
        Target::Overview(o) => format!(" {} ", o.label()),
        Target::Kind(k) => format!(" {} ", capitalise(k.singular())),
    };
    let mut block = pane_block(&theme, title, focused);
    let inner = block.inner(area);
    if inner.height == 0 || inner.width < 4 {
        frame.render_widget(block, area);
        return;
    }
    app.viewport.detail_width = inner.width;
    app.viewport.detail_rows = inner.height as usize;
    let rows = inner.height as usize;
    app.content();
    // After a resize the selected item may be out of view: bring it back.
    let (sel, scroll) = (app.detail.selected, app.detail.scroll);
    let content = app.content.as_ref().expect("built by content()");
    if let Some(&(start, end)) = content.ranges.get(sel)
        && (end <= scroll || start >= scroll + rows)
    {
        app.detail.scroll = start.min(content.lines.len().saturating_sub(rows));
    }
    let scroll = app.detail.scroll;
    let content = app.content.as_ref().expect("built by content()");
    let total = content.lines.len();
    if total > rows {
        let end = (scroll + rows).min(total);
        block = block
            .title_bottom(Line::from(format!(" {}-{end} of {total} ", scroll + 1)).right_aligned());
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
            spans.push(Span::styled(t.clone(), seg_style(&theme, *seg)));
        }
        let mut line = Line::from(spans);
        if in_sel {
            line.spans
                .push(Span::raw(" ".repeat(width.saturating_sub(used))));
            line = line.style(selection_style(&theme, focused));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
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

/// The last messages, newest first, each wrapped in full.
fn draw_messages(frame: &mut Frame, app: &mut App, area: Rect, scroll: usize) {
    let theme = app.theme;
    let width = area.width.saturating_sub(4);
    let w = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for m in app.messages().iter().rev() {
        let style = message_style(&theme, m.level);
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
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(" Messages, newest first ", theme.title));
    let inner = block.inner(rect);
    let rows = inner.height as usize;
    app.viewport.popup_rows = rows;
    app.viewport.popup_len = lines.len();
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(block, rect);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
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

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
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

fn draw_help(frame: &mut Frame, app: &mut App, area: Rect, scroll: usize) {
    let theme = app.theme;
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
    let mut lines: Vec<Line> = Vec::new();
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
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(" Keys ", theme.title));
    let inner = block.inner(rect);
    let rows = inner.height as usize;
    app.viewport.popup_rows = rows;
    app.viewport.popup_len = lines.len();
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    let mut block = block;
    if lines.len() > rows {
        block = block.title_bottom(
            Line::from(format!(
                " {}-{} of {} ",
                scroll + 1,
                (scroll + rows).min(lines.len()),
                lines.len()
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(block, rect);
    let out: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(out), inner);
}

fn draw_menu(frame: &mut Frame, app: &mut App, area: Rect, popup: &Popup) {
    let theme = app.theme;
    let Some(kind) = app.kind() else { return };
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
                app.views[kind as usize].sort,
                app.views[kind as usize].descending,
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
        Popup::Help { .. } | Popup::Messages { .. } => return,
    };
    let marker = theme.symbols.marker;
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
        .max(text::width(&title) + 4)
        .min(area.width as usize) as u16;
    let height = (entries.len() as u16 + 2).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let rows = inner.height as usize;
    app.viewport.popup_rows = rows;
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
