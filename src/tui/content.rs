//! What the detail and overview panes are made of: items (fields, long texts, links, lines)
//! built with a [`Builder`], laid out at a width into lines ([`Content`]), with the links the
//! reader can follow; and the small pieces both panes draw (gauges, voucher totals).

use crate::model::text::sanitize;
use crate::model::*;

use super::feature::Cx;
use super::nav::{Filter, Overview};
use super::text::{self, width};
use super::theme::Symbols;

/// How a piece of text is drawn; the theme decides the colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    Normal,
    Strong,
    Dim,
    Label,
    Heading,
    Link,
    Warn,
    Error,
    Bar,
    BarRejected,
    Gauge,
    GaugeOver,
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// A record.
    Record(Kind, String),
    /// A list with filters (and a project) set, e.g. the vouchers of one scheme.
    List {
        kind: Kind,
        filters: Vec<Filter>,
        project: Option<String>,
    },
}

/// How an item is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A section title; not selectable.
    Heading,
    /// An empty line; not selectable.
    Blank,
    /// Label and value side by side (label above when narrow).
    Field,
    /// Label above, long text below, indented.
    Block,
    /// Text alone.
    Plain,
}

/// One selectable thing in the detail pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub shape: Shape,
    pub label: String,
    pub body: Vec<(String, Seg)>,
    pub link: Option<Link>,
}

impl Item {
    pub fn selectable(&self) -> bool {
        !matches!(self.shape, Shape::Heading | Shape::Blank)
    }

    /// The item's text, as one string (for tests and messages).
    pub fn text(&self) -> String {
        let body: String = self.body.iter().map(|(t, _)| t.as_str()).collect();
        if self.label.is_empty() {
            body
        } else {
            format!("{} {body}", self.label)
        }
    }
}

/// What the detail pane shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ContentKey {
    Record(Kind, String),
    /// The list of this kind is empty.
    Empty(Kind),
    Overview(Overview, Option<String>),
}

/// The items of the detail pane and their lines at one width.
#[derive(Clone, Debug)]
pub struct Content {
    pub key: ContentKey,
    pub seq: u64,
    pub width: u16,
    pub items: Vec<Item>,
    /// The wrapped lines, without the two marker columns.
    pub lines: Vec<Vec<(String, Seg)>>,
    /// For each item, the range of its lines.
    pub ranges: Vec<(usize, usize)>,
}

/// The columns in front of every line, for the selection marker.
pub const MARKER_COLUMNS: usize = 2;
const LABEL_COLUMNS: usize = 18;

impl Content {
    pub fn new(
        key: ContentKey,
        seq: u64,
        width: u16,
        items: Vec<Item>,
        symbols: &Symbols,
    ) -> Content {
        let w = (width as usize).saturating_sub(MARKER_COLUMNS).max(4);
        let mut lines = Vec::new();
        let mut ranges = Vec::with_capacity(items.len());
        for item in &items {
            let start = lines.len();
            lines.extend(layout(item, w, symbols));
            ranges.push((start, lines.len()));
        }
        Content {
            key,
            seq,
            width,
            items,
            lines,
            ranges,
        }
    }

    /// The first selectable item at or after `from` (forward) or at or before it (backward).
    pub fn next_selectable(&self, from: usize, forward: bool) -> Option<usize> {
        if forward {
            (from..self.items.len()).find(|i| self.items[*i].selectable())
        } else {
            (0..=from.min(self.items.len().checked_sub(1)?))
                .rev()
                .find(|i| self.items[*i].selectable())
        }
    }
}

fn layout(item: &Item, w: usize, symbols: &Symbols) -> Vec<Vec<(String, Seg)>> {
    let mut body = item.body.clone();
    if item.link.is_some() {
        body.insert(0, (symbols.link.to_string(), Seg::Link));
    }
    match item.shape {
        Shape::Blank => vec![Vec::new()],
        Shape::Heading => text::wrap(&[(item.label.clone(), Seg::Heading)], w),
        Shape::Plain => text::wrap(&body, w),
        Shape::Field if w >= 44 => {
            let label = text::pad(&item.label, LABEL_COLUMNS, symbols.ellipsis);
            let mut out = text::wrap(&body, w - LABEL_COLUMNS);
            for (i, line) in out.iter_mut().enumerate() {
                let head = if i == 0 {
                    (label.clone(), Seg::Label)
                } else {
                    (" ".repeat(LABEL_COLUMNS), Seg::Normal)
                };
                line.insert(0, head);
            }
            out
        }
        Shape::Field | Shape::Block => {
            let mut out = Vec::new();
            if !item.label.is_empty() {
                out.push(vec![(item.label.clone(), Seg::Label)]);
            }
            for mut line in text::wrap(&body, w.saturating_sub(2).max(1)) {
                line.insert(0, ("  ".to_string(), Seg::Normal));
                out.push(line);
            }
            out
        }
    }
}

/// Builds a list of items.
#[derive(Default)]
pub struct Builder {
    pub items: Vec<Item>,
}

pub(crate) fn clean(text: &str) -> String {
    sanitize(text, false)
}

impl Builder {
    pub fn push(
        &mut self,
        shape: Shape,
        label: &str,
        body: Vec<(String, Seg)>,
        link: Option<Link>,
    ) {
        self.items.push(Item {
            shape,
            label: label.to_string(),
            body,
            link,
        });
    }

    /// A section title, after an empty line.
    pub fn heading(&mut self, title: impl Into<String>) {
        if !self.items.is_empty() {
            self.push(Shape::Blank, "", Vec::new(), None);
        }
        self.push(Shape::Heading, &title.into(), Vec::new(), None);
    }

    /// A field from record text; left out when empty.
    pub fn field(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.push(Shape::Field, label, vec![(clean(value), Seg::Normal)], None);
        }
    }

    pub fn field_segs(&mut self, label: &str, body: Vec<(String, Seg)>) {
        self.push(Shape::Field, label, body, None);
    }

    /// A long text (newlines kept); left out when empty.
    pub fn block(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.push(
                Shape::Block,
                label,
                vec![(sanitize(value.trim_end(), true), Seg::Normal)],
                None,
            );
        }
    }

    /// A link to a record, shown by its title (or its id when it does not exist).
    pub fn link(&mut self, cx: &Cx, label: &str, kind: Kind, id: &str, extra: &str) {
        let title = match cx.replica.record(kind, id) {
            Some(r) => clean(&r.title()),
            None => format!("{id} (missing)"),
        };
        let mut body = vec![(title, Seg::Link)];
        if !extra.is_empty() {
            body.push((format!(" {}", clean(extra)), Seg::Dim));
        }
        self.push(
            Shape::Field,
            label,
            body,
            Some(Link::Record(kind, id.to_string())),
        );
    }

    pub fn line(&mut self, body: Vec<(String, Seg)>, link: Option<Link>) {
        self.push(Shape::Plain, "", body, link);
    }

    pub fn text(&mut self, text: impl Into<String>, seg: Seg) {
        self.line(vec![(text.into(), seg)], None);
    }
}

/// The most links listed under one heading; the rest are counted (and listed in a list view
/// where a filter can show them).
pub const MAX_LINKS: usize = 100;

/// "█████░░░░░ 52%": a gauge of `fraction` in `cells` cells.
pub fn gauge(fraction: f64, cells: usize, symbols: &Symbols) -> Vec<(String, Seg)> {
    let f = if fraction.is_finite() {
        fraction.max(0.0)
    } else {
        0.0
    };
    let filled = ((f.min(1.0) * cells as f64).round() as usize).min(cells);
    let seg = if f > 1.0 { Seg::GaugeOver } else { Seg::Gauge };
    vec![
        (symbols.bar_full.repeat(filled), seg),
        (symbols.bar_empty.repeat(cells - filled), Seg::Dim),
        (
            format!(" {:>3.0}%", f * 100.0),
            if f > 1.0 { Seg::Error } else { Seg::Strong },
        ),
    ]
}

/// Totals of a set of vouchers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub count: usize,
    pub requested: Money,
    pub approved: Money,
    pub paid: Money,
    /// Approved or paid amounts of applications that were granted (budget used).
    pub used: Money,
}

impl Totals {
    pub fn add(&mut self, v: &Voucher) {
        self.count += 1;
        self.requested.0 += v.requested.0;
        self.approved.0 += v.approved.map_or(0, |m| m.0);
        self.paid.0 += v.paid.map_or(0, |m| m.0);
        if matches!(
            v.status,
            VoucherStatus::Approved
                | VoucherStatus::ClaimSubmitted
                | VoucherStatus::Paid
                | VoucherStatus::Closed
        ) {
            self.used.0 += v.paid.or(v.approved).map_or(0, |m| m.0);
        }
    }
}

/// The vouchers of a scheme, in the order they were submitted.
pub fn scheme_vouchers<'a>(cx: &Cx<'a>, scheme: &str) -> Vec<&'a Voucher> {
    let mut out: Vec<&Voucher> = cx
        .referrers_of_kind(Kind::Scheme, scheme, Kind::Voucher)
        .filter_map(|r| match r {
            Record::Voucher(v) => Some(&**v),
            _ => None,
        })
        .collect();
    out.sort_by_key(|a| (a.submitted_on.map(Date::sort_key), a.id.clone()));
    out
}

/// The width a gauge or bar may take in a pane `w` columns wide, after `used` columns of text.
pub fn bar_cells(w: usize, used: usize) -> usize {
    w.saturating_sub(used).clamp(3, 60)
}

/// The display width of the longest label.
pub fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    labels.map(width).max().unwrap_or(0)
}
