//! Colours and symbols. The default theme uses the 16 ANSI colours only, so it looks the same over
//! SSH, in tmux and in a bare console; without colour (NO_COLOR) every state is still visible
//! through modifiers (bold, reversed, underlined) and markers, never through colour alone.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

/// The symbols drawn by the workbench, in Unicode or in plain ASCII (for a `LANG=C` login).
#[derive(Clone, Copy, Debug)]
pub struct Symbols {
    /// Drawn before the selected row of a list.
    pub marker: &'static str,
    /// Drawn before a followable link.
    pub link: &'static str,
    pub bar_full: &'static str,
    pub bar_empty: &'static str,
    pub ascending: &'static str,
    pub descending: &'static str,
    pub ellipsis: &'static str,
    pub dot: &'static str,
    pub separator: &'static str,
    pub dash: &'static str,
    pub axis: &'static str,
    pub axis_start: &'static str,
    pub axis_end: &'static str,
    pub border: border::Set<'static>,
    pub focus_border: border::Set<'static>,
}

/// Borders in plain ASCII.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The focused pane's border in plain ASCII: '=' and '#' instead of '-' and '|'.
pub const ASCII_FOCUS_BORDER: border::Set<'static> = border::Set {
    top_left: "#",
    top_right: "#",
    bottom_left: "#",
    bottom_right: "#",
    vertical_left: "#",
    vertical_right: "#",
    horizontal_top: "=",
    horizontal_bottom: "=",
};

impl Symbols {
    pub const UNICODE: Symbols = Symbols {
        marker: "▶ ",
        link: "→ ",
        bar_full: "█",
        bar_empty: "░",
        ascending: "↑",
        descending: "↓",
        ellipsis: "…",
        dot: "●",
        separator: " · ",
        dash: "–",
        axis: "─",
        axis_start: "├",
        axis_end: "┤",
        border: border::PLAIN,
        focus_border: border::THICK,
    };

    pub const ASCII: Symbols = Symbols {
        marker: "> ",
        link: "-> ",
        bar_full: "#",
        bar_empty: ".",
        ascending: "^",
        descending: "v",
        ellipsis: "...",
        dot: "o",
        separator: " | ",
        dash: "-",
        axis: "-",
        axis_start: "|",
        axis_end: "|",
        border: ASCII_BORDER,
        focus_border: ASCII_FOCUS_BORDER,
    };
}

/// Styles for each thing the workbench draws.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub symbols: Symbols,
    pub color: bool,
    /// The selected row in the focused pane.
    pub selected: Style,
    /// The selected row in a pane without focus.
    pub selected_unfocused: Style,
    pub border: Style,
    pub focus_border: Style,
    pub title: Style,
    pub header: Style,
    pub label: Style,
    pub heading: Style,
    pub link: Style,
    pub dim: Style,
    pub key: Style,
    pub error: Style,
    pub info: Style,
    pub warn: Style,
    pub bar: Style,
    pub bar_rejected: Style,
    pub gauge: Style,
    pub gauge_over: Style,
    pub filter: Style,
    pub bar_line: Style,
}

impl Theme {
    pub fn new(options: &Options) -> Theme {
        let symbols = if options.ascii {
            Symbols::ASCII
        } else {
            Symbols::UNICODE
        };
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let selected = plain.add_modifier(Modifier::REVERSED | Modifier::BOLD);
        let selected_unfocused = plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if !options.color {
            return Theme {
                symbols,
                color: false,
                selected,
                selected_unfocused,
                border: plain,
                focus_border: bold,
                title: bold,
                header: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                label: plain,
                heading: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                link: plain.add_modifier(Modifier::UNDERLINED),
                dim: plain,
                key: bold,
                error: bold,
                info: plain,
                warn: bold,
                bar: plain,
                bar_rejected: plain,
                gauge: plain,
                gauge_over: bold,
                filter: bold,
                bar_line: plain.add_modifier(Modifier::REVERSED),
            };
        }
        Theme {
            symbols,
            color: true,
            selected,
            selected_unfocused,
            border: plain.fg(Color::DarkGray),
            focus_border: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: bold.fg(Color::Cyan),
            header: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            label: plain.fg(Color::Blue),
            heading: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            link: plain.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            dim: plain.fg(Color::DarkGray),
            key: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            error: bold.fg(Color::Red),
            info: plain.fg(Color::Green),
            warn: bold.fg(Color::Yellow),
            bar: plain.fg(Color::Green),
            bar_rejected: plain.fg(Color::Red),
            gauge: plain.fg(Color::Green),
            gauge_over: bold.fg(Color::Red),
            filter: bold.fg(Color::Magenta),
            bar_line: plain.add_modifier(Modifier::REVERSED),
        }
    }
}

/// How the workbench draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Plain ASCII borders and symbols, for terminals whose locale is not UTF-8.
    pub ascii: bool,
    /// Colours (off when NO_COLOR is set); state never relies on colour alone either way.
    pub color: bool,
    /// Capture the mouse (wheel scrolls). Off by default so that the terminal's own selection
    /// and copy work, over SSH and in tmux.
    pub mouse: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ascii: false,
            color: true,
            mouse: false,
        }
    }
}

impl Options {
    /// From the environment: ASCII when the locale (LC_ALL, LC_CTYPE, LANG: the first one set
    /// wins) is not UTF-8; colour unless NO_COLOR is set; no mouse.
    pub fn from_env() -> Options {
        Options::from_vars(|name| std::env::var(name).ok())
    }

    /// The same, reading variables through `var` (for tests).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Options {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|n| var(n).filter(|v| !v.is_empty()));
        let utf8 = locale.is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        });
        Options {
            ascii: !utf8,
            color: var("NO_COLOR").is_none(),
            mouse: false,
        }
    }
}
