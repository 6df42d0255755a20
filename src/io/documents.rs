//! Documents as a structure: headings, paragraphs, bullet lists, tables, page breaks, a title
//! page and a contents list. The documents taskforce hands out (the handbook, minutes,
//! monitoring and evaluation reports, see [`super::papers`]) are built once as a [`Document`]
//! and rendered to Markdown here and to Word in [`super::docx`], so both say the same.

use crate::model::text;

/// How a piece of text is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Bold,
    Italic,
}

/// A run of text in one style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// A line of text made of spans (a paragraph, a list item, a table cell).
pub type Line = Vec<Span>;

pub fn plain(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        style: Style::Plain,
    }
}

pub fn bold(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        style: Style::Bold,
    }
}

pub fn italic(text: impl Into<String>) -> Span {
    Span {
        text: text.into(),
        style: Style::Italic,
    }
}

/// A line of one plain span.
pub fn line(text: impl Into<String>) -> Line {
    vec![plain(text)]
}

/// "**Label**: value".
pub fn labelled(label: &str, value: impl Into<String>) -> Line {
    vec![bold(label), plain(format!(": {}", value.into()))]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Level 1 (the document's own title) to 4.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Line),
    Bullets(Vec<Line>),
    /// A table with a header row; `align` has one entry per column.
    Table {
        header: Vec<String>,
        align: Vec<Align>,
        rows: Vec<Vec<Line>>,
    },
    PageBreak,
}

/// The first page: the title, a subtitle and lines such as the date written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TitlePage {
    pub title: String,
    pub subtitle: String,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Shown as the first page, followed by a page break.
    pub title_page: Option<TitlePage>,
    /// A contents list of the level-2 and level-3 headings after the title page.
    pub contents: bool,
    pub blocks: Vec<Block>,
}

/// Values that stand for "nothing" in records typed by people or taken from sources: left out
/// of documents instead of printed.
pub fn given(value: &str) -> Option<&str> {
    let v = value.trim();
    let lower = v.to_lowercase();
    let empty = v.is_empty()
        || matches!(
            lower.as_str(),
            "-" | "–" | "—" | "?" | "n/a" | "na" | "none" | "unknown" | "tbd" | "not known"
        )
        || lower.starts_with("not given")
        || lower.starts_with("not stated");
    (!empty).then_some(v)
}

impl Document {
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
        });
    }

    pub fn paragraph(&mut self, line: Line) {
        self.blocks.push(Block::Paragraph(line));
    }

    /// A long text: one paragraph per block of lines separated by a blank line.
    pub fn prose(&mut self, body: &str) {
        let body = text::sanitize(body, true);
        for para in body.split("\n\n") {
            let joined = para
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if !joined.is_empty() {
                self.paragraph(line(joined));
            }
        }
    }

    /// A bullet list, left out when empty.
    pub fn bullets(&mut self, items: Vec<Line>) {
        if !items.is_empty() {
            self.blocks.push(Block::Bullets(items));
        }
    }

    /// Label–value bullets, leaving out values that are empty or placeholders.
    pub fn fields(&mut self, fields: &[(&str, String)]) {
        let items = fields
            .iter()
            .filter_map(|(label, value)| given(value).map(|v| labelled(label, v)))
            .collect();
        self.bullets(items);
    }

    pub fn table(&mut self, header: &[&str], align: &[Align], rows: Vec<Vec<Line>>) {
        self.blocks.push(Block::Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            align: align.to_vec(),
            rows,
        });
    }

    pub fn page_break(&mut self) {
        self.blocks.push(Block::PageBreak);
    }

    /// The same document with every heading `by` levels lower (to place it inside another).
    pub fn nested(mut self, by: u8) -> Document {
        for b in &mut self.blocks {
            if let Block::Heading { level, .. } = b {
                *level = (*level + by).min(6);
            }
        }
        self
    }

    /// The headings the contents list shows: (level, text), levels 2 and 3.
    pub fn contents_entries(&self) -> Vec<(u8, &str)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text } if (2..=3).contains(level) => {
                    Some((*level, text.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    /// The document as Markdown (CommonMark with GitHub tables).
    pub fn markdown(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(t) = &self.title_page {
            parts.push(format!("# {}", escape(&t.title)));
            if !t.subtitle.is_empty() {
                parts.push(format!("**{}**", escape(&t.subtitle)));
            }
            if !t.lines.is_empty() {
                parts.push(
                    t.lines
                        .iter()
                        .map(|l| escape(l))
                        .collect::<Vec<_>>()
                        .join("  \n"),
                );
            }
        }
        if self.contents {
            let entries = self.contents_entries();
            if !entries.is_empty() {
                parts.push("## Contents".into());
                parts.push(
                    entries
                        .iter()
                        .map(|(level, text)| {
                            format!(
                                "{}- {}",
                                "  ".repeat(*level as usize - 2),
                                list_safe(&escape(text))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
        }
        for b in &self.blocks {
            match b {
                Block::Heading { level, text } => parts.push(format!(
                    "{} {}",
                    "#".repeat((*level).clamp(1, 6) as usize),
                    escape(text)
                )),
                Block::Paragraph(l) => parts.push(spans_md(l)),
                Block::Bullets(items) => parts.push(
                    items
                        .iter()
                        .map(|l| format!("- {}", spans_md(l)))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                Block::Table {
                    header,
                    align,
                    rows,
                } => {
                    let mut t = format!(
                        "| {} |\n|",
                        header
                            .iter()
                            .map(|h| cell(h))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                    for i in 0..header.len() {
                        t.push_str(match align.get(i) {
                            Some(Align::Right) => "---:|",
                            _ => "---|",
                        });
                    }
                    for r in rows {
                        t.push_str("\n|");
                        for c in r {
                            t.push(' ');
                            t.push_str(&spans_md(c).replace('\n', " "));
                            t.push_str(" |");
                        }
                    }
                    parts.push(t);
                }
                Block::PageBreak => {}
            }
        }
        let mut out = parts.join("\n\n");
        out.push('\n');
        out
    }
}

fn spans_md(line: &Line) -> String {
    line.iter()
        .map(|s| {
            let t = escape(&s.text);
            match s.style {
                _ if t.trim().is_empty() => t,
                Style::Plain => t,
                Style::Bold => format!("**{t}**"),
                Style::Italic => format!("*{t}*"),
            }
        })
        .collect()
}

/// "1. Title" at the start of a list item would open an ordered list: "1\. Title".
fn list_safe(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(". ") {
        format!("{}\\{}", &text[..digits], &text[digits..])
    } else {
        text.to_string()
    }
}

fn cell(text: &str) -> String {
    escape(text).replace('\n', " ")
}

/// Record text made safe for Markdown: control characters removed, markup escaped.
pub fn escape(text: &str) -> String {
    super::markdown::escape(&text::sanitize(text, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_given() {
        for p in ["", "  ", "Not given in the sources", "n/a", "-", "Unknown"] {
            assert_eq!(given(p), None, "{p}");
        }
        assert_eq!(given(" SPIRIT Slovenia "), Some("SPIRIT Slovenia"));
    }

    #[test]
    fn markdown_has_headings_lists_and_tables() {
        let mut d = Document {
            title_page: Some(TitlePage {
                title: "Handbook".into(),
                subtitle: "INTRA".into(),
                lines: vec!["Written 2024-01-01".into()],
            }),
            contents: true,
            blocks: vec![],
        };
        d.heading(2, "1. First");
        d.fields(&[("Owner", "A_B".into()), ("City", "Not given".into())]);
        d.table(
            &["A", "B"],
            &[Align::Left, Align::Right],
            vec![vec![line("x|y"), vec![bold("2")]]],
        );
        let md = d.markdown();
        assert_eq!(
            md,
            "# Handbook\n\n**INTRA**\n\nWritten 2024-01-01\n\n## Contents\n\n- 1\\. First\n\n\
             ## 1. First\n\n- **Owner**: A\\_B\n\n| A | B |\n|---|---:|\n| x\\|y | **2** |\n"
        );
    }
}
