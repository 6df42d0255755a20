//! Browsing as a feature: the navigation, each kind's list and the detail pane beside them, the
//! project shown, and the way back (Backspace) after following a link. It keeps its own state
//! and answers `update(&mut self, cx, Action) -> Vec<Effect>`; [`Browse::prepare`] fits it to
//! the frame's areas before drawing (viewport sizes, lists built, offsets clamped, the detail
//! built at its width), and [`Browse::view`] draws it without changing anything.
//!
//! Lists keep, per kind, a vector of the ids that pass the filters, in sort order. It is built
//! once (O(n log n)) when a list is first shown or its filters change, and kept current by
//! inserting or removing single ids when a change is committed. Only the rows on screen are
//! ever turned into widgets.

mod draw;
mod links;
mod lists;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::model::*;

use super::content::{ContentKey, Item};
use super::detail_pane::{DetailPane, DetailPos};
use super::feature::{Cx, Effect, Level};
use super::keymap::Action;
use super::kinds;
use super::nav::{Filter, Target, nav_targets};
use super::search::TextFilter;

pub use draw::{fit_columns, fit_columns_to};

/// The panes of the main screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Nav,
    List,
    Detail,
}

/// Below this width one pane is shown at a time (Tab moves between them).
const SINGLE_PANE_WIDTH: u16 = 70;
/// From this width the list and the detail stand side by side.
const SIDE_BY_SIDE_WIDTH: u16 = 150;
/// How many places Backspace can go back to.
const MAX_HISTORY: usize = 200;

/// The list of one kind: the ids that pass its filters, in its sort order, and the selection.
#[derive(Clone, Debug, Default)]
pub struct ListView {
    pub ids: Vec<String>,
    /// False when the ids must be rebuilt before use (filters, sort or project changed).
    fresh: bool,
    pub selected: usize,
    pub selected_id: Option<String>,
    pub offset: usize,
    pub filters: Vec<Filter>,
    pub sort: usize,
    pub descending: bool,
    /// The text filter (`F`), matched by the search engine.
    pub text: Option<TextFilter>,
    /// The columns fitted to the list's width, over a sample of its rows: kept while the list
    /// and the width stay, so that columns do not jump while scrolling.
    pub(crate) columns: Option<(u16, Vec<(usize, u16)>)>,
}

impl ListView {
    /// Whether a record passes the text filter (all do while its first matches are awaited).
    fn text_passes(&self, id: &str) -> bool {
        match &self.text {
            Some(TextFilter { ids: Some(ids), .. }) => ids.contains(id),
            _ => true,
        }
    }

    fn select(&mut self, index: usize) {
        self.selected = index.min(self.ids.len().saturating_sub(1));
        self.selected_id = self.ids.get(self.selected).cloned();
    }
}

/// Everything needed to come back to a place after following a link.
#[derive(Clone, Debug)]
struct Location {
    nav: usize,
    focus: Pane,
    project: Option<String>,
    selected_id: Option<String>,
    selected: usize,
    filters: Vec<Filter>,
    text: Option<TextFilter>,
    sort: usize,
    descending: bool,
    detail: Option<(ContentKey, DetailPos)>,
    /// The filters a followed link replaced on another kind's list (a drill-down from an
    /// overview), given back on the way back.
    replaced: Option<(Kind, Vec<Filter>, Option<TextFilter>)>,
}

/// Where each pane goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Areas {
    nav: Option<Rect>,
    list: Option<Rect>,
    detail: Option<Rect>,
}

/// The browsing state.
#[derive(Debug)]
pub struct Browse {
    pub(crate) nav: usize,
    /// The first row of the navigation shown.
    pub(crate) nav_offset: usize,
    pub(crate) focus: Pane,
    /// The project shown (None: all projects); every list and overview is scoped to it.
    pub(crate) project: Option<String>,
    pub(crate) views: Vec<ListView>,
    history: Vec<Location>,
    /// The records of each kind in the project shown, for the navigation (by replica seq).
    counts: Option<(u64, Option<String>, Vec<usize>)>,
    pub detail: DetailPane,
    /// Rows the list and the navigation showed in the last layout (a page).
    list_rows: usize,
    nav_rows: usize,
    /// What was said while answering, handed back with the effects.
    said: Vec<Effect>,
}

impl Default for Browse {
    fn default() -> Self {
        let mut views = Vec::with_capacity(Kind::ALL.len());
        views.resize_with(Kind::ALL.len(), ListView::default);
        Browse {
            nav: 0,
            nav_offset: 0,
            focus: Pane::Nav,
            project: None,
            views,
            history: Vec::new(),
            counts: None,
            detail: DetailPane::default(),
            list_rows: 10,
            nav_rows: 20,
            said: Vec::new(),
        }
    }
}

impl Browse {
    fn say(&mut self, level: Level, text: impl Into<String>) {
        self.said.push(Effect::Say(level, text.into()));
    }

    /// What was said since last asked (for the workbench to carry out).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.said)
    }

    /// What the navigation has selected.
    pub fn target(&self) -> Target {
        nav_targets()[self.nav]
    }

    /// The kind whose list is shown, if a list is shown.
    pub fn kind(&self) -> Option<Kind> {
        match self.target() {
            Target::Kind(k) => Some(k),
            Target::Overview(_) => None,
        }
    }

    /// The pane with the keyboard focus.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// How many places Backspace can go back to.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// The selected record of the shown list.
    pub fn selected(&mut self, cx: &Cx) -> Option<(Kind, String)> {
        let kind = self.kind()?;
        self.ensure_view(cx, kind);
        self.views[kind as usize]
            .selected_id
            .clone()
            .map(|id| (kind, id))
    }

    /// What the detail pane shows now.
    pub fn content_key(&mut self, cx: &Cx) -> ContentKey {
        match self.target() {
            Target::Overview(o) => ContentKey::Overview(o, self.project.clone()),
            Target::Kind(kind) => match self.selected(cx) {
                Some((k, id)) => ContentKey::Record(k, id),
                None => ContentKey::Empty(kind),
            },
        }
    }

    /// Brings the detail pane up to what is selected (built at its width, for the project
    /// shown).
    pub fn show_detail(&mut self, cx: &Cx) {
        let key = self.content_key(cx);
        let filtered = match &key {
            ContentKey::Empty(kind) => !self.views[*kind as usize].filters.is_empty(),
            _ => false,
        };
        let cx = Cx {
            project: self.project.as_deref(),
            ..*cx
        };
        self.detail.show(&cx, key, filtered);
    }

    /// The item selected in the detail pane.
    pub fn selected_item(&mut self, cx: &Cx) -> Option<&Item> {
        self.show_detail(cx);
        self.detail.selected_item()
    }

    /// The panes Tab moves through.
    fn panes(&self) -> &'static [Pane] {
        match self.target() {
            Target::Kind(_) => &[Pane::Nav, Pane::List, Pane::Detail],
            Target::Overview(_) => &[Pane::Nav, Pane::Detail],
        }
    }

    fn cycle_pane(&mut self, forward: bool) {
        let panes = self.panes();
        let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let n = panes.len();
        self.focus = panes[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    fn page(&self) -> usize {
        match self.focus {
            Pane::Nav => self.nav_rows,
            Pane::List => self.list_rows,
            Pane::Detail => self.detail.rows(),
        }
        .saturating_sub(1)
        .max(1)
    }

    fn move_by(&mut self, cx: &Cx, delta: isize) {
        match self.focus {
            Pane::Nav => {
                let n = nav_targets().len();
                self.nav = (self.nav as isize + delta).clamp(0, n as isize - 1) as usize;
            }
            Pane::List => {
                let Some(kind) = self.kind() else { return };
                self.ensure_view(cx, kind);
                let view = &mut self.views[kind as usize];
                let to = (view.selected as isize + delta).max(0) as usize;
                view.select(to);
            }
            Pane::Detail => {
                self.show_detail(cx);
                let action = if delta > 0 { Action::Down } else { Action::Up };
                for _ in 0..delta.unsigned_abs() {
                    self.detail.update(cx, action);
                }
            }
        }
    }

    fn move_to_end(&mut self, cx: &Cx, bottom: bool) {
        match self.focus {
            Pane::Nav => self.nav = if bottom { nav_targets().len() - 1 } else { 0 },
            Pane::List => {
                let Some(kind) = self.kind() else { return };
                self.ensure_view(cx, kind);
                let view = &mut self.views[kind as usize];
                view.select(if bottom { usize::MAX } else { 0 });
            }
            Pane::Detail => {
                self.show_detail(cx);
                let action = if bottom { Action::Bottom } else { Action::Top };
                self.detail.update(cx, action);
            }
        }
    }

    /// The browser's answer to one action (the panes have the keyboard).
    pub fn update(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        match action {
            Action::Down => self.move_by(cx, 1),
            Action::Up => self.move_by(cx, -1),
            Action::PageDown => {
                let p = self.page() as isize;
                self.move_by(cx, p)
            }
            Action::PageUp => {
                let p = self.page() as isize;
                self.move_by(cx, -p)
            }
            Action::Top => self.move_to_end(cx, false),
            Action::Bottom => self.move_to_end(cx, true),
            Action::NextPane => self.cycle_pane(true),
            Action::PrevPane => self.cycle_pane(false),
            Action::Open => self.open(cx),
            Action::Back => self.back(cx),
            Action::ClearFilters => self.clear_filters(cx),
            Action::Project => self.next_project(cx),
            _ => {}
        }
        // An overview has no list: its detail has the focus.
        if self.focus == Pane::List && self.kind().is_none() {
            self.focus = Pane::Detail;
        }
        self.take_effects()
    }

    fn open(&mut self, cx: &Cx) {
        match self.focus {
            Pane::Nav => {
                self.focus = match self.target() {
                    Target::Kind(_) => Pane::List,
                    Target::Overview(_) => Pane::Detail,
                }
            }
            Pane::List => {
                if self.selected(cx).is_some() {
                    self.focus = Pane::Detail;
                } else {
                    let kind = self.kind().map_or("records", kinds::plural);
                    self.say(
                        Level::Info,
                        format!("No {} to open here", kind.to_lowercase()),
                    );
                }
            }
            Pane::Detail => {
                self.show_detail(cx);
                match self.detail.selected_item().and_then(|i| i.link.clone()) {
                    Some(link) => self.follow(cx, &link),
                    None => {
                        let said = self.detail.update(cx, Action::Open);
                        self.said.extend(said);
                    }
                }
            }
        }
    }

    fn clear_filters(&mut self, cx: &Cx) {
        match self.kind() {
            Some(kind)
                if !self.views[kind as usize].filters.is_empty()
                    || self.views[kind as usize].text.is_some() =>
            {
                self.views[kind as usize].filters.clear();
                self.views[kind as usize].text = None;
                self.mark_stale(kind);
                let n = self.list(cx, kind).ids.len();
                let scope = match &self.project {
                    Some(p) => format!(
                        " in {} (p changes the project)",
                        kinds::project_name(cx.replica, p)
                    ),
                    None => String::new(),
                };
                self.say(
                    Level::Info,
                    format!(
                        "Filters cleared: {n} {}{scope}",
                        kinds::plural(kind).to_lowercase()
                    ),
                );
            }
            _ => self.say(Level::Info, "No filters to clear"),
        }
    }

    /// `p`: all projects, then each project in turn.
    fn next_project(&mut self, cx: &Cx) {
        let mut projects: Vec<(String, String)> = cx
            .replica
            .rows(Kind::Project)
            .map(|r| {
                (
                    kinds::sort_text(&kinds::project_name(cx.replica, r.record.id())),
                    r.record.id().to_string(),
                )
            })
            .collect();
        if projects.is_empty() {
            self.say(Level::Info, "There are no projects yet");
            return;
        }
        projects.sort();
        let next = match &self.project {
            None => projects.first().map(|p| p.1.clone()),
            Some(cur) => {
                let i = projects.iter().position(|p| &p.1 == cur);
                i.and_then(|i| projects.get(i + 1)).map(|p| p.1.clone())
            }
        };
        self.set_project(next);
        let name = self
            .project
            .as_ref()
            .map_or("all projects".to_string(), |p| {
                kinds::project_name(cx.replica, p)
            });
        self.say(Level::Info, format!("Showing {name}"));
    }

    /// Sets the project shown; every list is built again for it.
    pub fn set_project(&mut self, project: Option<String>) {
        if self.project != project {
            self.project = project;
            self.mark_all_stale();
        }
    }

    /// How many records of a kind the project shown has (all of them when none is chosen), as
    /// the last [`Browse::prepare`] counted them.
    pub fn scope_count(&self, cx: &Cx, kind: Kind) -> usize {
        match &self.counts {
            _ if self.project.is_none() => cx.replica.count(kind),
            Some((seq, p, counts)) if *seq == cx.replica.seq && *p == self.project => {
                counts[kind as usize]
            }
            _ => count_in(cx.replica, kind, self.project.as_deref()),
        }
    }

    fn count_scopes(&mut self, cx: &Cx) {
        let Some(project) = self.project.clone() else {
            return;
        };
        let stale = !matches!(&self.counts, Some((seq, p, _)) if *seq == cx.replica.seq && p.as_deref() == Some(project.as_str()));
        if stale {
            let counts = Kind::ALL
                .iter()
                .map(|k| count_in(cx.replica, *k, Some(&project)))
                .collect();
            self.counts = Some((cx.replica.seq, Some(project), counts));
        }
    }

    /// Fits the panes to `area` before a frame: where each pane goes, the rows each shows (a
    /// page), the shown list built with its offset clamped and its columns fitted, the
    /// navigation scrolled to its selection, the detail built at its width with the selection
    /// in view. Drawing then only reads.
    pub fn prepare(&mut self, cx: &Cx, area: Rect) {
        let overview = self.kind().is_none();
        if self.focus == Pane::List && overview {
            self.focus = Pane::Detail;
        }
        let areas = self.place(area);
        self.count_scopes(cx);
        if let Some(nav) = areas.nav {
            self.prepare_nav(nav);
        }
        if let (Some(list), Some(kind)) = (areas.list, self.kind()) {
            self.prepare_list(cx, kind, list);
        }
        if let Some(detail) = areas.detail {
            let inner = ratatui::widgets::Block::bordered().inner(detail);
            if inner.height > 0 && inner.width >= 4 {
                self.detail.set_size(inner.width, inner.height as usize);
                self.show_detail(cx);
                self.detail.keep_in_view();
            }
        }
    }

    /// Where the panes go in `area`: one at a time when narrow, the list above the detail, or
    /// side by side when wide.
    fn place(&self, area: Rect) -> Areas {
        let overview = self.kind().is_none();
        if area.width < SINGLE_PANE_WIDTH {
            return match self.focus {
                Pane::Nav => Areas {
                    nav: Some(area),
                    ..Areas::default()
                },
                Pane::List => Areas {
                    list: Some(area),
                    ..Areas::default()
                },
                Pane::Detail => Areas {
                    detail: Some(area),
                    ..Areas::default()
                },
            };
        }
        let nav_w = if area.width >= 100 { 26 } else { 22 };
        let [nav, right] =
            Layout::horizontal([Constraint::Length(nav_w), Constraint::Fill(1)]).areas(area);
        if overview {
            return Areas {
                nav: Some(nav),
                list: None,
                detail: Some(right),
            };
        }
        let [list, detail] = if area.width >= SIDE_BY_SIDE_WIDTH {
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(right)
        } else {
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right)
        };
        Areas {
            nav: Some(nav),
            list: Some(list),
            detail: Some(detail),
        }
    }

    /// Draws the panes into `area` (as [`Browse::prepare`] fitted them to it).
    pub fn view(&self, cx: &Cx, frame: &mut Frame, area: Rect) {
        let areas = self.place(area);
        if let Some(area) = areas.nav {
            self.view_nav(cx, frame, area);
        }
        if let Some(area) = areas.list {
            self.view_list(cx, frame, area);
        }
        if let Some(area) = areas.detail {
            let title = match self.target() {
                Target::Overview(o) => format!(" {} ", o.label()),
                Target::Kind(k) => format!(" {} ", capitalise(k.singular())),
            };
            let cx = Cx {
                project: self.project.as_deref(),
                ..*cx
            };
            self.detail
                .view(&cx, frame, area, title, self.focus == Pane::Detail);
        }
    }
}

/// How many records of `kind` are in `project`.
fn count_in(replica: &Replica, kind: Kind, project: Option<&str>) -> usize {
    replica
        .rows(kind)
        .filter(|r| kinds::in_scope(replica, &r.record, project))
        .count()
}

/// The text with its first letter upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
