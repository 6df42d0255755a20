//! A backend wrapper that writes fewer bytes over a slow link.
//!
//! ratatui sends only the cells that changed, and the terminal backend moves the cursor
//! (`ESC [ row ; col H`, 6–8 bytes) to each one that does not follow the last. When one record's
//! text replaces another's, the changed cells are scattered: measured on a `j` step at 120×40,
//! 147 cursor moves were 1.1 KB of a 2.6 KB frame. Rewriting a short run of unchanged cells
//! costs a byte or two a cell, so [`GapFilling`] keeps a copy of what the screen shows and fills a
//! gap with its current content when that takes fewer bytes than the move — and only when every
//! cell of the gap is known, one column wide and in the style being written already, so that
//! filling never adds a style change and the screen ends up exactly as before.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};

pub struct GapFilling<B: Backend> {
    inner: B,
    /// What each cell of the screen shows, row by row; `None` where it is not known.
    screen: Vec<Option<Cell>>,
    width: u16,
    height: u16,
    /// Whether cells not drawn since the last full clear are known to be blank.
    blank: bool,
}

impl<B: Backend> GapFilling<B> {
    pub fn new(inner: B) -> GapFilling<B> {
        GapFilling {
            inner,
            screen: Vec::new(),
            width: 0,
            height: 0,
            blank: false,
        }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }

    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        index(self.width, self.screen.len(), x, y)
    }

    /// Forgets every cell (or, after a full clear, knows each as blank), at the terminal's size
    /// when it can be asked.
    fn reset(&mut self, known_blank: bool) {
        if let Ok(size) = self.inner.size() {
            self.width = size.width;
            self.height = size.height;
        }
        self.blank = known_blank;
        let fill = known_blank.then(Cell::default);
        self.screen = vec![fill; self.width as usize * self.height as usize];
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
}

fn index(width: u16, cells: usize, x: u16, y: u16) -> Option<usize> {
    let i = y as usize * width as usize + x as usize;
    (x < width && i < cells).then_some(i)
}

/// The cells of the gap from `from` to `to` (exclusive) on row `y`, if they can be written in
/// `like`'s style without a style change and without splitting a wide character.
fn gap<'a>(
    screen: &'a [Option<Cell>],
    width: u16,
    (from, to, y): (u16, u16, u16),
    like: &Cell,
) -> Option<Vec<(u16, u16, &'a Cell)>> {
    // What the move to `to` would cost: ESC [ row ; column H, both counted from 1.
    let digits = |n: u16| (n as f64 + 1.0).log10().ceil() as usize;
    let move_cost = 4 + digits(y + 1) + digits(to + 1);
    if to <= from || (to - from) as usize >= move_cost {
        return None;
    }
    let mut bytes = 0;
    let cells = (from..to)
        .map(|x| {
            let cell = screen.get(index(width, screen.len(), x, y)?)?.as_ref()?;
            let plain = cell.cell_width() == 1
                && cell.diff_option == ratatui::buffer::CellDiffOption::None
                && same_style(cell, like);
            bytes += cell.symbol().len();
            plain.then_some((x, y, cell))
        })
        .collect::<Option<Vec<_>>>()?;
    (bytes < move_cost).then_some(cells)
}

fn same_style(a: &Cell, b: &Cell) -> bool {
    a.fg == b.fg && a.bg == b.bg && a.modifier == b.modifier
}

impl<B: Backend> Backend for GapFilling<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let content: Vec<(u16, u16, &Cell)> = content.collect();
        if let Some(&(x, y, _)) = content.iter().max_by_key(|(x, y, _)| (*y, *x)) {
            let right = content.iter().map(|(x, _, _)| *x).max().unwrap_or(x);
            self.grow(right + 1, y + 1);
        }
        let mut out: Vec<(u16, u16, &Cell)> = Vec::with_capacity(content.len());
        let mut last: Option<(u16, u16, &Cell)> = None;
        for &(x, y, cell) in &content {
            if let Some((lx, ly, lcell)) = last
                && ly == y
                && lcell.cell_width() == 1
                && let Some(filler) = gap(&self.screen, self.width, (lx + 1, x, y), lcell)
            {
                out.extend(filler);
            }
            out.push((x, y, cell));
            last = Some((x, y, cell));
        }
        self.inner.draw(out.into_iter())?;
        for (x, y, cell) in content {
            if let Some(i) = self.index(x, y) {
                // A wide character covers the cells after it: what they show is not known.
                let covered = cell.cell_width().saturating_sub(1) as usize;
                self.screen[i] = Some(cell.clone());
                let row_end = (y as usize + 1) * self.width as usize;
                for j in i + 1..(i + 1 + covered).min(row_end) {
                    self.screen[j] = None;
                }
            }
        }
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.reset(false);
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()?;
        self.reset(true);
        Ok(())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)?;
        self.reset(clear_type == ClearType::All);
        Ok(())
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use ratatui::style::{Color, Style};
    use ratatui::text::Line;

    #[derive(Clone, Default)]
    struct Wire(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for Wire {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Draws `frames` (lines of text, with a coloured word here and there) through a backend,
    /// replays every byte written into a terminal emulator, and returns its screen after each
    /// frame and the bytes each frame took.
    fn replay(frames: &[Vec<String>], fill: bool) -> (Vec<String>, Vec<usize>) {
        let (w, h) = (40u16, 6u16);
        let wire = Wire::default();
        let backend = CrosstermBackend::new(wire.clone());
        let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(nz(h), nz(w), 0);
        let draw_all = |f: &mut ratatui::Frame, lines: &[String]| {
            for (y, text) in lines.iter().enumerate() {
                let style = if text.contains('!') {
                    Style::default().fg(Color::Red)
                } else {
                    Style::default()
                };
                let area = ratatui::layout::Rect::new(0, y as u16, w, 1);
                f.render_widget(Line::styled(text.as_str(), style), area);
            }
        };
        let options = ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
        };
        fn run<B: Backend>(
            mut t: Terminal<B>,
            frames: &[Vec<String>],
            wire: &Wire,
            parser: &mut vt100::Parser,
            draw_all: impl Fn(&mut ratatui::Frame, &[String]),
        ) -> (Vec<String>, Vec<usize>)
        where
            B::Error: std::fmt::Debug,
        {
            t.backend_mut().clear_region(ClearType::All).unwrap();
            let (mut screens, mut sizes) = (Vec::new(), Vec::new());
            for lines in frames {
                t.draw(|f| draw_all(f, lines)).unwrap();
                let bytes = std::mem::take(&mut *wire.0.borrow_mut());
                sizes.push(bytes.len());
                parser.process(&bytes);
                screens.push(parser.screen().contents());
            }
            (screens, sizes)
        }
        if fill {
            let t = Terminal::with_options(GapFilling::new(backend), options).unwrap();
            run(t, frames, &wire, &mut parser, draw_all)
        } else {
            let t = Terminal::with_options(backend, options).unwrap();
            run(t, frames, &wire, &mut parser, draw_all)
        }
    }

    fn frame(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scattered_changes_cost_fewer_bytes_and_leave_the_same_screen() {
        let frames = vec![
            frame(&["the network of business clubs abroad", "Klaipėda 2010", "a"]),
            frame(&["the netorkof busines clubs abroad!", "Klapėda 2011", "b"]),
            frame(&["thé network 東京 of clubs", "Klaipėda 2010", "ab"]),
            frame(&["", "K", "abc"]),
        ];
        let (plain, plain_bytes) = replay(&frames, false);
        let (filled, filled_bytes) = replay(&frames, true);
        assert_eq!(plain, filled, "the screen differs");
        assert!(
            filled_bytes[1] < plain_bytes[1],
            "{filled_bytes:?} vs {plain_bytes:?}"
        );
        assert!(filled_bytes.iter().zip(&plain_bytes).all(|(f, p)| f <= p));
    }

    proptest::proptest! {
        #[test]
        fn the_screen_is_the_same_with_and_without_filling(
            frames in proptest::collection::vec(
                proptest::collection::vec("[a-c !éė東]{0,40}", 6),
                1..6,
            )
        ) {
            let (plain, plain_bytes) = replay(&frames, false);
            let (filled, filled_bytes) = replay(&frames, true);
            proptest::prop_assert_eq!(plain, filled);
            for (f, p) in filled_bytes.iter().zip(&plain_bytes) {
                proptest::prop_assert!(f <= p, "{:?} vs {:?}", filled_bytes, plain_bytes);
            }
        }
    }
}
