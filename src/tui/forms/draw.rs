//! Drawing the form, the delete confirmation and the history view over the panes.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::super::feature::Cx;
use super::super::text::width;
use super::lines::{Nested, overdue_reports};
use super::{Form, FormState, Input, Spec};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

impl FormState {
    /// Draws whatever the forms have open, over `area`.
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        if let Some((kind, id, _)) = &self.confirm_delete {
            super::delete::view_delete(cx, frame, area, *kind, id);
            return;
        }
        if let Some((kind, id)) = &self.confirm_erase {
            super::erase::view_erase(cx, frame, area, *kind, id);
            return;
        }
        if let Some(h) = &self.history {
            h.view(cx, frame, area);
            return;
        }
        if let Some(form) = &self.form {
            draw_form(frame, cx, form, area);
            if form.confirm_cancel {
                view_discard(cx, frame, area, form);
            }
        }
    }
}

/// The question "Discard your changes?" over the form, where it is seen whatever the form's
/// scroll (its Save line may be below the screen).
fn view_discard(cx: &Cx, frame: &mut Frame, area: Rect, form: &Form) {
    let theme = cx.theme;
    let what = match form.rev {
        Some(_) => format!("your changes to {}", cx.name_of(form.kind, &form.id())),
        None => format!("the new {}", form.kind.singular()),
    };
    let question = format!("Discard {what}?");
    let answers = " discards · any other key goes back to the form";
    let w = area.width.saturating_sub(4).min(72);
    let inner = (w as usize).saturating_sub(2).max(1);
    let rows = wrap(&question, inner).len() + (1 + width(answers)).div_ceil(inner);
    let rect = centered(area, w, rows as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(" Discard ", theme.title));
    let text = vec![
        Line::from(question),
        Line::from(vec![Span::styled("y", theme.key), Span::raw(answers)]),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}

/// Splits text into lines of at most `w` display cells, at spaces where it can (the lines after
/// the first leave two cells for their indent).
fn wrap(text: &str, w: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let room = |out: &Vec<String>| {
        if out.is_empty() {
            w
        } else {
            w.saturating_sub(2).max(1)
        }
    };
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= room(&out) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        // A word longer than a line is cut where it must be.
        let mut rest = String::new();
        for c in word.chars() {
            rest.push(c);
            if width(&rest) >= room(&out) {
                out.push(std::mem::take(&mut rest));
            }
        }
        line = rest;
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

fn draw_form(frame: &mut Frame, cx: &Cx, form: &Form, area: Rect) {
    let theme = cx.theme;
    let rect = centered(area, area.width.saturating_sub(2).min(110), area.height);
    frame.render_widget(Clear, rect);
    let title = match form.rev {
        // Named by its title, as messages name records (the id is the record's key, not its name).
        Some(_) => format!(" Edit {} ", cx.name_of(form.kind, &form.id())),
        None => format!(" New {} ", form.kind.singular()),
    };
    let block = Block::bordered()
        .border_set(theme.symbols.focus_border)
        .border_style(theme.focus_border)
        .title(Span::styled(title, theme.title))
        .title_bottom(Line::from(
            " Tab/Shift-Tab field · Ctrl-s save · Esc/Ctrl-g cancel · ←/→ choose · Enter/Ctrl-o picks ",
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let label_w = form
        .fields
        .iter()
        .map(|f| width(f.label))
        .max()
        .unwrap_or(10)
        .min(30)
        // In a narrow terminal the values get two thirds of the width.
        .min((area.width as usize / 3).max(8)) as u16
        + 2;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_at: Option<(u16, u16)> = None;
    let value_w = inner.width.saturating_sub(label_w + 2) as usize;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus && form.picker.is_none();
        let marker = if focused { "▶ " } else { "  " };
        // Cut a label longer than the column, so that values and errors stay inside the form.
        let cut = super::super::text::truncate(f.label, label_w as usize, "…");
        let label = format!(
            "{marker}{cut}{}",
            " ".repeat((label_w as usize).saturating_sub(width(&cut)))
        );
        let label_style = if focused { theme.selected } else { theme.label };
        let shown: Vec<String> = match &f.input {
            Input::Text { value, .. } => {
                let v: Vec<String> = value.split('\n').map(str::to_string).collect();
                if v.is_empty() { vec![String::new()] } else { v }
            }
            Input::Choice { .. } => vec![format!("‹ {} ›", f.text())],
            Input::Ref { kind, value } => vec![match value {
                Some(id) => {
                    let t = cx
                        .replica
                        .record(*kind, id)
                        .map(named)
                        .unwrap_or_else(|| "(not found)".into());
                    format!("{id} — {t}")
                }
                None => "— (Enter searches)".into(),
            }],
        };
        let pad = " ".repeat(width(&label));
        if let Spec::Nested(nested) = f.spec {
            // The line format: whole while the field is focused, else its first line.
            let mut parts = wrap(nested.format(), value_w.max(8));
            if !focused && parts.len() > 1 {
                parts = vec![super::super::text::truncate(
                    nested.format(),
                    value_w.max(1),
                    "…",
                )];
            }
            for (n, part) in parts.into_iter().enumerate() {
                let (l, indent) = if n == 0 {
                    (label.clone(), "")
                } else {
                    (pad.clone(), "  ")
                };
                lines.push(Line::from(vec![
                    Span::styled(l, label_style),
                    Span::styled(format!("{indent}{part}"), theme.dim),
                ]));
            }
        }
        let overdue = match f.spec {
            Spec::Nested(Nested::Reports(_)) => overdue_reports(&f.text(), cx.today),
            _ => Vec::new(),
        };
        let first_row = lines.len();
        for (n, s) in shown.iter().enumerate() {
            let value = Span::raw(super::super::text::truncate(s, value_w.max(1), "…"));
            let spans = if n == 0 && !matches!(f.spec, Spec::Nested(_)) {
                vec![Span::styled(label.clone(), label_style), value]
            } else if overdue.iter().any(|(line, _)| *line == n) {
                // An overdue report is marked in the label column, beside its line.
                let mark = super::super::text::truncate("⚠ overdue ", width(&pad), "");
                vec![
                    Span::styled(
                        format!("{}{mark}", " ".repeat(width(&pad) - width(&mark))),
                        theme.warn,
                    ),
                    value,
                ]
            } else {
                vec![Span::styled(pad.clone(), label_style), value]
            };
            lines.push(Line::from(spans));
        }
        if focused && let Some((col, row)) = form.cursor_cell() {
            cursor_at = Some((
                inner.x + label_w + 2 + col.min(value_w) as u16,
                (first_row + row) as u16,
            ));
        }
        if let Some(e) = &f.error {
            // Wrapped under the value, so that the whole message can be read.
            for (n, part) in wrap(&format!("✗ {e}"), value_w.max(8))
                .into_iter()
                .enumerate()
            {
                let indent = if n == 0 { "" } else { "  " };
                lines.push(Line::from(vec![
                    Span::raw(pad.clone()),
                    Span::styled(format!("{indent}{part}"), theme.error),
                ]));
            }
        }
    }
    for g in &form.general {
        for part in wrap(&format!("✗ {g}"), inner.width.max(8) as usize) {
            lines.push(Line::from(Span::styled(part, theme.error)));
        }
    }
    if let Some(conflict) = &form.conflict {
        lines.push(Line::from(Span::styled(
            "Someone else changed this record meanwhile; nothing was overwritten. Theirs → yours:",
            theme.warn,
        )));
        for (field, theirs, yours) in conflict {
            lines.push(Line::from(format!("  {field}: {theirs}  →  {yours}")));
        }
        lines.push(Line::from(
            "Cancel (Esc/Ctrl-g, y) and edit the current version to make your change again.",
        ));
    }
    let save_style = if form.focus >= form.fields.len() {
        theme.selected
    } else {
        theme.key
    };
    let status = if form.saving {
        "saving…"
    } else if form.confirm_cancel {
        "Discard your changes? y discards, any other key goes back"
    } else {
        ""
    };
    lines.push(Line::from(vec![
        Span::styled("[ Save ]", save_style),
        Span::raw("  "),
        Span::styled(status, theme.warn),
    ]));
    // Keep the focused field on screen.
    let rows = inner.height as usize;
    let focus_row = cursor_at.map(|(_, r)| r as usize).unwrap_or_else(|| {
        if form.focus >= form.fields.len() {
            lines.len().saturating_sub(1)
        } else {
            0
        }
    });
    let scroll = focus_row.saturating_sub(rows.saturating_sub(3));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible), inner);
    if let Some((x, row)) = cursor_at {
        let y = inner.y + (row as usize).saturating_sub(scroll) as u16;
        if y < inner.y + inner.height {
            frame.set_cursor_position(Position::new(x.min(inner.x + inner.width - 1), y));
        }
    }
    if let Some(p) = &form.picker {
        p.view(cx, frame, area);
    }
}

/// What a reference shows after the id: the record's title, a project's without the acronym
/// (its id is the acronym already: "intra — Internationalisation of regional SMEs").
fn named(record: &crate::model::Record) -> String {
    match record {
        crate::model::Record::Project(p) if !p.title.trim().is_empty() => p.title.clone(),
        other => other.title(),
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn errors_wrap_at_spaces_and_keep_every_word() {
        let text = "✗ line 3 (due): 2020-02-01 is before the period ends on 2020-03-31";
        let parts = wrap(text, 24);
        assert!(parts.len() > 1, "{parts:?}");
        assert!(parts[0].chars().count() <= 24);
        assert!(
            parts[1..].iter().all(|p| p.chars().count() <= 22),
            "{parts:?}"
        );
        assert_eq!(parts.join(" "), text);
        assert_eq!(wrap("short", 24), vec!["short"]);
        let long = wrap(&"x".repeat(30), 10);
        assert_eq!(long.concat(), "x".repeat(30));
        assert!(long.iter().all(|p| p.len() <= 10));
    }
}
