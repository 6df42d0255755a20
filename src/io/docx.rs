//! A [`Document`] as a Word file (.docx, Office Open XML) with docx-rs: headings as the
//! paragraph styles Heading1…Heading4 (so Word's navigation pane and contents field see them),
//! a contents field, real tables with a repeated bold header row, bullet lists and page breaks.

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, IndentLevel, Level, LevelJc, LevelText,
    NumberFormat, Numbering, NumberingId, Paragraph, Run, RunFonts, Shading, SpecialIndentType,
    Start, Style, StyleType, Table, TableCell, TableOfContents, TableRow,
};

use super::documents::{Align, Block, Document, Line, Style as SpanStyle};
use crate::model::text;

const BULLETS: usize = 1;

fn styles(docx: Docx) -> Docx {
    let sizes = [(1, 36), (2, 30), (3, 26), (4, 24)];
    let mut docx = docx
        .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri"))
        .default_size(22)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .size(56)
                .bold(),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .based_on("Normal")
                .next("Normal")
                .size(32),
        )
        .add_style(
            Style::new("TOCHeading", StyleType::Paragraph)
                .name("TOC Heading")
                .based_on("Normal")
                .next("Normal")
                .size(30)
                .bold(),
        );
    for (level, size) in sizes {
        docx = docx.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .next("Normal")
                .size(size)
                .bold()
                .outline_lvl(level - 1),
        );
    }
    docx.add_abstract_numbering(
        AbstractNumbering::new(BULLETS).add_level(
            Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )
            .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
        ),
    )
    .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn runs(mut p: Paragraph, line: &Line, force_bold: bool) -> Paragraph {
    for s in line {
        let mut run = Run::new().add_text(text::sanitize(&s.text, false));
        if force_bold || s.style == SpanStyle::Bold {
            run = run.bold();
        }
        if s.style == SpanStyle::Italic {
            run = run.italic();
        }
        p = p.add_run(run);
    }
    p
}

fn table(header: &[String], align: &[Align], rows: &[Vec<Line>]) -> Table {
    let cell = |line: &Line, col: usize, head: bool| {
        let mut p = runs(Paragraph::new(), line, head);
        if align.get(col) == Some(&Align::Right) {
            p = p.align(AlignmentType::Right);
        }
        let mut c = TableCell::new().add_paragraph(p);
        if head {
            c = c.shading(Shading::new().fill("D9D9D9"));
        }
        c
    };
    let head = TableRow::new(
        header
            .iter()
            .enumerate()
            .map(|(i, h)| cell(&super::documents::line(h.clone()), i, true))
            .collect(),
    )
    .cant_split();
    let mut all = vec![head];
    for r in rows {
        all.push(TableRow::new(
            r.iter()
                .enumerate()
                .map(|(i, l)| cell(l, i, false))
                .collect(),
        ));
    }
    Table::new(all)
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

/// The document as the bytes of a .docx file.
pub fn docx(doc: &Document) -> Result<Vec<u8>, String> {
    let mut d = styles(Docx::new());
    if let Some(t) = &doc.title_page {
        d = d.add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(text::sanitize(&t.title, false))),
        );
        if !t.subtitle.is_empty() {
            d = d.add_paragraph(
                Paragraph::new()
                    .style("Subtitle")
                    .add_run(Run::new().add_text(text::sanitize(&t.subtitle, false))),
            );
        }
        for l in &t.lines {
            d = d.add_paragraph(
                Paragraph::new().add_run(Run::new().add_text(text::sanitize(l, false))),
            );
        }
        d = d.add_paragraph(page_break());
    }
    if doc.contents && !doc.contents_entries().is_empty() {
        d = d
            .add_paragraph(
                Paragraph::new()
                    .style("TOCHeading")
                    .add_run(Run::new().add_text("Contents")),
            )
            .add_table_of_contents(TableOfContents::new().heading_styles_range(2, 3).auto())
            .add_paragraph(page_break());
    }
    for b in &doc.blocks {
        d = match b {
            Block::Heading { level, text: t } => d.add_paragraph(
                Paragraph::new()
                    .style(&format!("Heading{}", (*level).clamp(1, 4)))
                    .keep_next(true)
                    .add_run(Run::new().add_text(text::sanitize(t, false))),
            ),
            Block::Paragraph(l) => d.add_paragraph(runs(Paragraph::new(), l, false)),
            Block::Bullets(items) => items.iter().fold(d, |d, l| {
                d.add_paragraph(runs(
                    Paragraph::new().numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                    l,
                    false,
                ))
            }),
            Block::Table {
                header,
                align,
                rows,
            } => d
                .add_table(table(header, align, rows))
                .add_paragraph(Paragraph::new()),
            Block::PageBreak => d.add_paragraph(page_break()),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}
