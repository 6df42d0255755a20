//! The terminal backend: writes each frame's changed cells in as few bytes as it can, so that a
//! step through a list stays smooth over a slow SSH link.
//!
//! ratatui hands over only the cells that changed. crossterm's backend then moves the cursor to
//! each one that does not follow the last with `ESC [ row ; col H` (6–8 bytes), sets both colours
//! whenever either changes (`ESC [ 38;5;4;49 m`, 12 bytes) and writes trailing blanks one by one;
//! on a `j` step at 120×40 that was a third of the frame. [`ScreenWriter`] keeps a copy of what
//! the screen shows and, for each changed cell, writes the cheapest of:
//! - a move: absolute, or relative to where the cursor is (`ESC [ n C`, a line feed, a carriage
//!   return), or rewriting the short run of unchanged cells in between when that is shorter and
//!   they look the same in the current style;
//! - only the attributes that changed, with the 16 colours as `ESC [ 34 m`;
//! - erasing a run of blanks (`ESC [ n X`, or `ESC [ K` to the end of the row).
//!
//! It assumes what a terminal in raw mode on the alternate screen does (xterm and every emulator
//! that copies it): a line feed moves straight down, and writing the last column leaves the cursor
//! in a state it does not try to predict. A cell wider than one column also leaves the cursor
//! unknown, so that a terminal that measures a character differently is repaired by the next
//! absolute move. The workbench runs full screen, so erasing to the end of a row erases nothing
//! that is not its own.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Cell, CellDiffOption, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// The attributes the terminal writes with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const PLAIN: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

/// Modifiers that show on a blank cell: a blank with any other modifier, in any foreground
/// colour, looks like a blank on the same background.
const VISIBLE_ON_BLANK: Modifier = Modifier::UNDERLINED
    .union(Modifier::REVERSED)
    .union(Modifier::CROSSED_OUT);

pub struct ScreenWriter<W: Write> {
    out: W,
    /// What each cell of the screen shows, row by row; `None` where it is not known.
    screen: Vec<Option<Cell>>,
    width: u16,
    height: u16,
    /// Whether cells not drawn since the last full clear are known to be blank.
    blank: bool,
    /// Where the terminal's cursor is, when known.
    cursor: Option<(u16, u16)>,
    /// The attributes set on the terminal, when known.
    pen: Option<Pen>,
    /// Whether the cursor is shown, when known.
    cursor_shown: Option<bool>,
}

impl<W: Write> ScreenWriter<W> {
    pub fn new(out: W) -> ScreenWriter<W> {
        ScreenWriter {
            out,
            screen: Vec::new(),
            width: 0,
            height: 0,
            blank: false,
            cursor: None,
            pen: None,
            cursor_shown: None,
        }
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        let i = y as usize * self.width as usize + x as usize;
        (x < self.width && i < self.screen.len()).then_some(i)
    }

    fn cell(&self, x: u16, y: u16) -> Option<&Cell> {
        self.screen.get(self.index(x, y)?)?.as_ref()
    }

    /// Forgets every cell (or, after a full clear, knows each as blank), at the terminal's size
    /// when it can be asked.
    fn reset(&mut self, known_blank: bool) {
        if let Ok(size) = self.size() {
            self.width = size.width;
            self.height = size.height;
        }
        self.blank = known_blank;
        let fill = known_blank.then(Cell::default);
        self.screen = vec![fill; self.width as usize * self.height as usize];
        // After a clear, or when the terminal was given back and taken again, nothing about it
        // is assumed.
        self.cursor = None;
        self.cursor_shown = None;
    }

    /// Makes room for cells drawn beyond the known size (a terminal that cannot be asked).
    fn grow(&mut self, width: u16, height: u16) {
        if width <= self.width && height <= self.height {
            return;
        }
        let (w, h) = (width.max(self.width), height.max(self.height));
        let fill = self.blank.then(Cell::default);
        let mut screen = vec![fill; w as usize * h as usize];
        for y in 0..self.height as usize {
            for x in 0..self.width as usize {
                screen[y * w as usize + x] = self.screen[y * self.width as usize + x].take();
            }
        }
        (self.screen, self.width, self.height) = (screen, w, h);
    }

    /// Records `cell` as shown at (`x`, `y`); the cells a wide character covers become unknown.
    fn remember(&mut self, x: u16, y: u16, cell: &Cell) {
        if let Some(i) = self.index(x, y) {
            self.screen[i] = Some(cell.clone());
            let covered = cell.cell_width().saturating_sub(1) as usize;
            let row_end = (y as usize + 1) * self.width as usize;
            for slot in &mut self.screen[i + 1..(i + 1 + covered).min(row_end)] {
                *slot = None;
            }
        }
    }

    /// The bytes that move the cursor to (`x`, `y`), the cheapest way.
    fn move_to(&self, x: u16, y: u16) -> Vec<u8> {
        let mut best = absolute_move(x, y);
        let Some((cx, cy)) = self.cursor else {
            return best;
        };
        if (cx, cy) == (x, y) {
            return Vec::new();
        }
        let mut consider = |bytes: Vec<u8>| {
            if bytes.len() < best.len() {
                best = bytes;
            }
        };
        // Down first (a line feed, or `ESC [ n B`), then along the row.
        let down: Option<Vec<u8>> = match y.checked_sub(cy) {
            Some(0) => Some(Vec::new()),
            Some(1) => Some(b"\n".to_vec()),
            Some(n) => Some(csi(n, b'B')),
            None => None,
        };
        if let Some(down) = down {
            if x >= cx {
                let mut bytes = down.clone();
                bytes.extend(self.along(cx, x, y));
                consider(bytes);
            }
            let mut bytes = down;
            bytes.push(b'\r');
            bytes.extend(self.along(0, x, y));
            consider(bytes);
        }
        best
    }

    /// The bytes that take the cursor forward on row `y` from column `from` to `to`: `ESC [ n C`,
    /// or the cells in between written again when that is shorter and they would look the same.
    fn along(&self, from: u16, to: u16, y: u16) -> Vec<u8> {
        if to == from {
            return Vec::new();
        }
        let jump = csi(to - from, b'C');
        let Some(pen) = self.pen else {
            return jump;
        };
        let mut bytes = Vec::new();
        for x in from..to {
            match self.cell(x, y) {
                Some(cell) if cell.cell_width() == 1 && looks_same(cell, &pen) => {
                    bytes.extend_from_slice(cell.symbol().as_bytes());
                    if bytes.len() >= jump.len() {
                        return jump;
                    }
                }
                _ => return jump,
            }
        }
        bytes
    }

    fn set_pen(&mut self, pen: Pen) -> io::Result<()> {
        if self.pen != Some(pen) {
            let bytes = pen_change(self.pen, pen);
            self.out.write_all(&bytes)?;
            self.pen = Some(pen);
        }
        Ok(())
    }

    fn put(&mut self, x: u16, y: u16, cell: &Cell) -> io::Result<()> {
        let moving = self.move_to(x, y);
        self.out.write_all(&moving)?;
        if !self.pen.is_some_and(|pen| looks_same(cell, &pen)) {
            self.set_pen(Pen::of(cell))?;
        }
        self.out.write_all(cell.symbol().as_bytes())?;
        let width = cell.cell_width();
        self.cursor = (width == 1 && x + 1 < self.width).then_some((x + 1, y));
        Ok(())
    }

    /// Erases the run of blanks that starts at the first of `rest` (the changed cells still to
    /// write, in order) when that is cheaper than writing them: to the end of the row
    /// (`ESC [ K`) or over `n` cells (`ESC [ n X`). Returns how many of `rest` it took care of.
    fn try_erase(&mut self, rest: &[(u16, u16, &Cell)]) -> io::Result<Option<usize>> {
        let (x, y, _) = rest[0];
        let end = (x..self.width)
            .find(|&c| !self.cell(c, y).is_some_and(is_blank))
            .unwrap_or(self.width);
        let in_run = rest
            .iter()
            .take_while(|&&(cx, cy, _)| cy == y && cx < end)
            .count();
        let last = rest[in_run - 1].0;
        let next = rest.get(in_run).filter(|c| c.1 == y).map(|c| c.0);
        let erase = if end == self.width {
            b"\x1b[K".to_vec()
        } else {
            csi(last - x + 1, b'X')
        };
        // Erasing fills with the background colour; no other attribute shows on a blank.
        let erasing = Pen {
            bg: Color::Reset,
            modifier: Modifier::empty(),
            ..self.pen.unwrap_or(Pen::PLAIN)
        };
        let styling = if self.pen == Some(erasing) {
            0
        } else {
            pen_change(self.pen, erasing).len()
        };
        // Erasing leaves the cursor where it was; writing takes it past the last blank (and
        // costs at least a byte a cell).
        let then = |from: u16| next.map_or(0, |nx| self.along(from, nx, y).len());
        if styling + erase.len() + then(x) >= in_run + then(last + 1) {
            return Ok(None);
        }
        let moving = self.move_to(x, y);
        self.out.write_all(&moving)?;
        self.set_pen(erasing)?;
        self.out.write_all(&erase)?;
        self.cursor = Some((x, y));
        Ok(Some(in_run))
    }

    fn write_visibility(&mut self, shown: bool) -> io::Result<()> {
        if self.cursor_shown != Some(shown) {
            self.out
                .write_all(if shown { b"\x1b[?25h" } else { b"\x1b[?25l" })?;
            self.out.flush()?;
            self.cursor_shown = Some(shown);
        }
        Ok(())
    }
}

/// Whether `cell` shows as an empty cell on the default background.
fn is_blank(cell: &Cell) -> bool {
    cell.symbol() == " "
        && cell.bg == Color::Reset
        && !cell.modifier.intersects(VISIBLE_ON_BLANK)
        && cell.diff_option == CellDiffOption::None
}

/// Whether writing `cell`'s symbol with `pen` shows exactly what `cell` shows.
fn looks_same(cell: &Cell, pen: &Pen) -> bool {
    if cell.diff_option != CellDiffOption::None {
        return false;
    }
    if Pen::of(cell) == *pen {
        return true;
    }
    // A blank differs by its background and by the modifiers that draw on it, only.
    cell.symbol() == " "
        && cell.bg == pen.bg
        && !cell.modifier.intersects(VISIBLE_ON_BLANK)
        && !pen.modifier.intersects(VISIBLE_ON_BLANK)
}

fn digits(mut n: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(5);
    loop {
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    out
}

/// `ESC [ n final`, with `n` left out where it is 1 (the default).
fn csi(n: u16, last: u8) -> Vec<u8> {
    let mut out = b"\x1b[".to_vec();
    if n != 1 {
        out.extend(digits(n));
    }
    out.push(last);
    out
}

/// `ESC [ row ; column H`, counted from 1, with defaults left out.
fn absolute_move(x: u16, y: u16) -> Vec<u8> {
    let mut out = b"\x1b[".to_vec();
    if y != 0 || x != 0 {
        out.extend(digits(y + 1));
    }
    if x != 0 {
        out.push(b';');
        out.extend(digits(x + 1));
    }
    out.push(b'H');
    out
}

/// The SGR parameters that set `color` (`base` 30 for the foreground, 40 for the background).
fn color_params(color: Color, base: u16, out: &mut Vec<String>) {
    let named = |n: u16| (base + n).to_string();
    let bright = |n: u16| (base + 60 + n).to_string();
    out.push(match color {
        Color::Reset => named(9),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => bright(0),
        Color::LightRed => bright(1),
        Color::LightGreen => bright(2),
        Color::LightYellow => bright(3),
        Color::LightBlue => bright(4),
        Color::LightMagenta => bright(5),
        Color::LightCyan => bright(6),
        Color::White => bright(7),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    });
}

const MODIFIER_ON: [(Modifier, &str); 9] = [
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

/// Each modifier that can be turned off, with what turns it off (22 ends bold and dim together,
/// 25 both blinks).
const MODIFIER_OFF: [(Modifier, &str); 7] = [
    (Modifier::BOLD.union(Modifier::DIM), "22"),
    (Modifier::ITALIC, "23"),
    (Modifier::UNDERLINED, "24"),
    (Modifier::SLOW_BLINK.union(Modifier::RAPID_BLINK), "25"),
    (Modifier::REVERSED, "27"),
    (Modifier::HIDDEN, "28"),
    (Modifier::CROSSED_OUT, "29"),
];

/// `ESC [ … m` taking the terminal from `from` (unknown: `None`) to `to`: the shorter of
/// changing only what differs and starting again from plain.
fn pen_change(from: Option<Pen>, to: Pen) -> Vec<u8> {
    let from_plain = {
        let mut params = vec!["0".to_string()];
        for (flag, code) in MODIFIER_ON {
            if to.modifier.contains(flag) {
                params.push(code.into());
            }
        }
        if to.fg != Color::Reset {
            color_params(to.fg, 30, &mut params);
        }
        if to.bg != Color::Reset {
            color_params(to.bg, 40, &mut params);
        }
        params
    };
    let mut best = sgr(&from_plain);
    if let Some(from) = from {
        let mut params = Vec::new();
        let mut on = to.modifier - from.modifier;
        for (group, code) in MODIFIER_OFF {
            if from.modifier.intersects(group) && !to.modifier.contains(from.modifier & group) {
                params.push(code.to_string());
                // What the group's code also turned off but `to` keeps.
                on |= to.modifier & group;
            }
        }
        for (flag, code) in MODIFIER_ON {
            if on.contains(flag) {
                params.push(code.into());
            }
        }
        if to.fg != from.fg {
            color_params(to.fg, 30, &mut params);
        }
        if to.bg != from.bg {
            color_params(to.bg, 40, &mut params);
        }
        let changed = sgr(&params);
        if changed.len() < best.len() {
            best = changed;
        }
    }
    best
}

/// `ESC [ p1 ; p2 … m`; plain is `ESC [ m`.
fn sgr(params: &[String]) -> Vec<u8> {
    let joined = if params == ["0"] {
        String::new()
    } else {
        params.join(";")
    };
    format!("\x1b[{joined}m").into_bytes()
}

impl<W: Write> Backend for ScreenWriter<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content: Vec<(u16, u16, &Cell)> = content.collect();
        content.sort_by_key(|&(x, y, _)| (y, x));
        if let Some(&(_, bottom, _)) = content.last() {
            let right = content.iter().map(|&(x, _, c)| x + c.cell_width().max(1));
            self.grow(right.max().unwrap_or(0), bottom + 1);
        }
        // The screen as it will be: gaps are filled and rows erased from what it shows after.
        for &(x, y, cell) in &content {
            self.remember(x, y, cell);
        }
        let mut i = 0;
        while i < content.len() {
            let (x, y, cell) = content[i];
            if is_blank(cell)
                && let Some(erased) = self.try_erase(&content[i..])?
            {
                i += erased;
                continue;
            }
            self.put(x, y, cell)?;
            i += 1;
        }
        // Whatever writes next (the shell, after the workbench) starts from plain.
        self.set_pen(Pen::PLAIN)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.out.write_all(b"\n")?;
        }
        self.reset(false);
        self.out.flush()
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.write_visibility(false)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.write_visibility(true)
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let (x, y) = crossterm::cursor::position()?;
        self.cursor = Some((x, y));
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        if self.cursor == Some((x, y)) {
            return Ok(());
        }
        let moving = if x < self.width && y < self.height {
            self.move_to(x, y)
        } else {
            absolute_move(x, y)
        };
        self.out.write_all(&moving)?;
        self.cursor = Some((x, y));
        self.out.flush()
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Erasing fills with the current background: start from plain, whatever was set.
        self.pen = None;
        self.set_pen(Pen::PLAIN)?;
        self.out.write_all(match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        })?;
        self.out.flush()?;
        self.reset(clear_type == ClearType::All);
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::CrosstermBackend;
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};
    use ratatui::{Terminal, TerminalOptions, Viewport};

    #[derive(Clone, Default)]
    struct Wire(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Wire {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    const W: u16 = 40;
    const H: u16 = 6;

    /// The styles the frames below are drawn in: plain, the theme's colours, a selection bar
    /// (a background), and modifiers that show on blanks. Only one sets an intensity: the
    /// emulator keeps bold and dim as one setting, where a terminal keeps two.
    fn style(n: u8) -> Style {
        let s = Style::default();
        match n % 8 {
            0 => s,
            1 => s.fg(Color::Blue),
            2 => s.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            3 => s
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            4 => s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            5 => s.fg(Color::DarkGray).add_modifier(Modifier::SLOW_BLINK),
            6 => s.fg(Color::Indexed(208)).bg(Color::Rgb(10, 20, 30)),
            _ => s.add_modifier(Modifier::ITALIC | Modifier::CROSSED_OUT),
        }
    }

    /// A row: the style of the whole row, and its spans with theirs.
    type Row = (u8, Vec<(String, u8)>);

    /// Draws `frames` through `backend`, replays every byte written into a terminal emulator, and
    /// returns what each cell of its screen shows after each frame, and the bytes each frame took.
    fn replay<B: Backend>(frames: &[Vec<Row>], backend: B, wire: &Wire) -> Replay
    where
        B::Error: std::fmt::Debug,
    {
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(nz(H), nz(W), 0);
        let options = TerminalOptions {
            viewport: Viewport::Fixed(ratatui::layout::Rect::new(0, 0, W, H)),
        };
        let mut t = Terminal::with_options(backend, options).unwrap();
        t.backend_mut().clear_region(ClearType::All).unwrap();
        let (mut screens, mut sizes) = (Vec::new(), Vec::new());
        for rows in frames {
            t.draw(|f| {
                for (y, (row_style, spans)) in rows.iter().enumerate() {
                    let spans: Vec<Span> = spans
                        .iter()
                        .map(|(text, s)| Span::styled(text.as_str(), style(*s)))
                        .collect();
                    let area = ratatui::layout::Rect::new(0, y as u16, W, 1);
                    f.render_widget(Line::from(spans).style(style(*row_style)), area);
                }
                // A frame whose first row has an odd style shows the cursor somewhere.
                if let Some((first, spans)) = rows.first()
                    && first % 2 == 1
                {
                    let column = spans.iter().map(|(t, _)| t.len()).sum::<usize>() as u16 % W;
                    f.set_cursor_position((column, *first as u16 % H));
                }
            })
            .unwrap();
            let bytes = std::mem::take(&mut *wire.0.borrow_mut());
            sizes.push(bytes.len());
            parser.process(&bytes);
            let screen = parser.screen();
            let cursor = (!screen.hide_cursor()).then(|| screen.cursor_position());
            screens.push(format!("cursor {cursor:?}\n{}", shown(screen)));
        }
        (screens, sizes)
    }

    /// What a person sees in each cell: its text, and the attributes that show on it (on a
    /// blank, only the background and what draws on a blank).
    fn shown(screen: &vt100::Screen) -> String {
        let mut out = String::new();
        for y in 0..H {
            for x in 0..W {
                let cell = screen.cell(y, x).unwrap();
                let text = match cell.contents() {
                    "" => " ",
                    t => t,
                };
                let blank = text == " " && !cell.inverse() && !cell.underline();
                if blank {
                    out.push_str(&format!("[ {:?}]", cell.bgcolor()));
                } else {
                    out.push_str(&format!(
                        "[{text} {:?} {:?} {} {} {} {} {}]",
                        cell.fgcolor(),
                        cell.bgcolor(),
                        cell.bold(),
                        cell.dim(),
                        cell.italic(),
                        cell.underline(),
                        cell.inverse()
                    ));
                }
            }
            out.push('\n');
        }
        out
    }

    /// The screens after each frame, and the bytes each took.
    type Replay = (Vec<String>, Vec<usize>);

    /// The frames replayed through this backend and through crossterm's.
    fn both(frames: &[Vec<Row>]) -> (Replay, Replay) {
        let wire = Wire::default();
        let ours = replay(frames, ScreenWriter::new(wire.clone()), &wire);
        let wire = Wire::default();
        let crossterm = replay(frames, CrosstermBackend::new(wire.clone()), &wire);
        (ours, crossterm)
    }

    fn row(style: u8, spans: &[(&str, u8)]) -> Row {
        (
            style,
            spans.iter().map(|(t, s)| (t.to_string(), *s)).collect(),
        )
    }

    #[test]
    fn a_list_step_shows_the_same_screen_in_fewer_bytes() {
        let frames = vec![
            vec![
                row(0, &[("Klaipėda business clubs abroad", 0), ("  CZ", 1)]),
                row(3, &[("selected: the network 東京", 3)]),
                row(0, &[("Label", 1), ("    value with a long tail", 0)]),
                row(0, &[("→ a link", 2)]),
            ],
            vec![
                row(3, &[("Klaipėda business clubs abroad", 3), ("  CZ", 3)]),
                row(0, &[("selected: the network 東京", 0)]),
                row(0, &[("Label", 1), ("    short", 0)]),
                row(0, &[("→ another link", 2)]),
            ],
            vec![
                row(0, &[]),
                row(5, &[("blink", 5)]),
                row(6, &[("odd colours", 6)]),
            ],
        ];
        let ((ours, our_bytes), (theirs, their_bytes)) = both(&frames);
        assert_eq!(ours, theirs, "the screens differ");
        for (o, t) in our_bytes.iter().zip(&their_bytes) {
            assert!(o < t, "{our_bytes:?} vs crossterm's {their_bytes:?}");
        }
    }

    #[test]
    fn moves_colours_and_erasing_take_their_short_forms() {
        assert_eq!(absolute_move(0, 0), b"\x1b[H");
        assert_eq!(absolute_move(0, 4), b"\x1b[5H");
        assert_eq!(absolute_move(9, 4), b"\x1b[5;10H");
        assert_eq!(csi(1, b'C'), b"\x1b[C");
        assert_eq!(csi(12, b'C'), b"\x1b[12C");
        let blue = Pen {
            fg: Color::Blue,
            ..Pen::PLAIN
        };
        assert_eq!(pen_change(Some(Pen::PLAIN), blue), b"\x1b[34m");
        assert_eq!(pen_change(Some(blue), Pen::PLAIN), b"\x1b[m");
        let bold_dim = Pen {
            modifier: Modifier::BOLD | Modifier::DIM,
            ..blue
        };
        let dim = Pen {
            modifier: Modifier::DIM,
            ..blue
        };
        // 22 ends bold and dim together: dim is set again.
        assert_eq!(pen_change(Some(bold_dim), dim), b"\x1b[22;2m");
        assert_eq!(pen_change(None, bold_dim), b"\x1b[0;1;2;34m");
    }

    proptest::proptest! {
        /// Against crossterm's backend as the reference, over random frames of styled text,
        /// wide characters, rows that grow and shrink and a cursor shown or not: the screen a
        /// terminal shows, and its cursor, are the same after every frame, and no frame costs
        /// more bytes.
        #[test]
        fn the_screen_is_the_same_as_crosstermʼs_in_no_more_bytes(
            frames in proptest::collection::vec(
                proptest::collection::vec(
                    (0u8..8, proptest::collection::vec(("[a-c !éė東]{0,16}", 0u8..8), 0..4)),
                    H as usize,
                ),
                1..6,
            )
        ) {
            let ((ours, our_bytes), (theirs, their_bytes)) = both(&frames);
            proptest::prop_assert_eq!(ours, theirs);
            for (o, t) in our_bytes.iter().zip(&their_bytes) {
                proptest::prop_assert!(o <= t, "{:?} vs {:?}", our_bytes, their_bytes);
            }
        }
    }
}
