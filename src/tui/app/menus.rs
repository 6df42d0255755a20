//! The filter and sort menus over a list, and the help and messages popups' scrolling.

use super::*;

impl App {
    // ----- menus -----

    pub(super) fn open_filters(&mut self) {
        let Some(kind) = self.kind() else {
            self.say(
                Level::Info,
                "Overviews have no filters: p chooses the project they show",
            );
            return;
        };
        let mut choices = Vec::new();
        if kinds::scoped(kind) {
            choices.push(FacetChoice::Project);
        }
        choices.extend(kinds::facets(kind).iter().map(|f| FacetChoice::Facet(*f)));
        if choices.is_empty() {
            self.say(
                Level::Info,
                format!("{} have no filters", kinds::plural(kind)),
            );
            return;
        }
        self.popup = Some(Popup::Facets {
            choices,
            selected: 0,
        });
    }

    /// The values a facet offers, with how many records in the list would have each.
    pub(super) fn facet_choices(&mut self, kind: Kind, facet: FacetChoice) -> Vec<Choice> {
        let mut out = Vec::new();
        match facet {
            FacetChoice::Project => {
                out.push(Choice {
                    value: None,
                    label: "all projects".into(),
                    count: self.replica.count(kind),
                });
                let mut projects: Vec<(String, String)> = self
                    .replica
                    .rows(Kind::Project)
                    .map(|r| {
                        (
                            kinds::sort_text(&kinds::project_name(&self.replica, r.record.id())),
                            r.record.id().to_string(),
                        )
                    })
                    .collect();
                projects.sort();
                for (_, id) in projects {
                    let name = kinds::project_name(&self.replica, &id);
                    let count = self
                        .replica
                        .rows(kind)
                        .filter(|r| kinds::in_scope(&self.replica, &r.record, Some(&id)))
                        .count();
                    out.push(Choice {
                        value: Some(id),
                        label: name,
                        count,
                    });
                }
            }
            FacetChoice::Facet(f) => {
                let others: Vec<Filter> = self.browse.views[kind as usize]
                    .filters
                    .iter()
                    .filter(|x| x.facet != f)
                    .cloned()
                    .collect();
                let mut counts: HashMap<String, usize> = HashMap::new();
                let mut total = 0;
                for row in self.replica.rows(kind) {
                    if !self
                        .browse
                        .passes_filters(&self.replica, &row.record, &others)
                    {
                        continue;
                    }
                    total += 1;
                    if let Some(v) = kinds::facet_value(&row.record, f) {
                        *counts.entry(v.into_owned()).or_default() += 1;
                    }
                }
                out.push(Choice {
                    value: None,
                    label: "any".into(),
                    count: total,
                });
                // Lifecycle facets list every stage in order, even empty ones; others list what exists.
                let ordered: Option<Vec<&'static str>> = match f {
                    Facet::PracticeStatus => {
                        Some(PracticeStatus::ALL.iter().map(|v| v.key()).collect())
                    }
                    Facet::VoucherStatus => {
                        Some(VoucherStatus::ALL.iter().map(|v| v.key()).collect())
                    }
                    Facet::ActionStatus => {
                        Some(ActionStatus::ALL.iter().map(|v| v.key()).collect())
                    }
                    Facet::SubTheme => Some(SubTheme::ALL.iter().map(|v| v.key()).collect()),
                    Facet::SessionState => {
                        Some(SessionState::ALL.iter().map(|v| v.key()).collect())
                    }
                    Facet::Size => Some(SmeSize::ALL.iter().map(|v| v.key()).collect()),
                    Facet::Role => Some(PartnerRole::ALL.iter().map(|v| v.key()).collect()),
                    _ => None,
                };
                let mut values: Vec<String> = match ordered {
                    Some(keys) => keys.into_iter().map(String::from).collect(),
                    None => {
                        let mut v: Vec<String> = counts.keys().cloned().collect();
                        v.sort();
                        if f == Facet::Year {
                            v.reverse();
                        }
                        v
                    }
                };
                if f == Facet::MeetingKind {
                    values = MeetingKind::ALL
                        .iter()
                        .map(|k| k.key().to_string())
                        .filter(|k| counts.contains_key(k))
                        .collect();
                }
                for v in values {
                    let count = counts.get(&v).copied().unwrap_or(0);
                    out.push(Choice {
                        label: kinds::facet_value_label(&self.replica, f, &v),
                        value: Some(v),
                        count,
                    });
                }
            }
        }
        out
    }

    /// Sets (or with None clears) one facet of the shown list.
    pub fn set_filter(&mut self, kind: Kind, facet: FacetChoice, value: Option<String>) {
        match facet {
            FacetChoice::Project => self.browse.set_project(value),
            FacetChoice::Facet(f) => self.browse.set_facet(kind, f, value),
        }
        let n = self.view(kind).ids.len();
        let what = kinds::plural(kind).to_lowercase();
        self.say(
            Level::Info,
            format!("{n} {what} shown · x clears the filters"),
        );
    }

    pub(super) fn choose(&mut self) {
        let Some(kind) = self.kind() else {
            self.popup = None;
            return;
        };
        match self.popup.clone() {
            Some(Popup::Facets { choices, selected }) => {
                let facet = choices[selected];
                let values = self.facet_choices(kind, facet);
                let current = match facet {
                    FacetChoice::Project => self.browse.project.clone(),
                    FacetChoice::Facet(f) => self.browse.views[kind as usize]
                        .filters
                        .iter()
                        .find(|x| x.facet == f)
                        .map(|x| x.value.clone()),
                };
                let selected = values.iter().position(|c| c.value == current).unwrap_or(0);
                self.popup = Some(Popup::Values {
                    facet,
                    choices: values,
                    selected,
                });
            }
            Some(Popup::Values {
                facet,
                choices,
                selected,
            }) => {
                self.popup = None;
                let value = choices.get(selected).and_then(|c| c.value.clone());
                self.set_filter(kind, facet, value);
            }
            Some(Popup::Sort { selected }) => {
                self.popup = None;
                self.browse.set_sort(kind, selected);
                let (by, desc) = self.sort(kind);
                self.say(
                    Level::Info,
                    format!(
                        "Sorted by {}{}",
                        by.label(),
                        if desc { ", descending" } else { "" }
                    ),
                );
            }
            Some(Popup::Help { .. } | Popup::Messages { .. }) | None => self.popup = None,
        }
    }

    pub(super) fn popup_len(&self) -> usize {
        match &self.popup {
            Some(Popup::Facets { choices, .. }) => choices.len(),
            Some(Popup::Values { choices, .. }) => choices.len(),
            Some(Popup::Sort { .. }) => self.kind().map_or(0, |k| kinds::sorts(k).len()),
            Some(Popup::Help { .. } | Popup::Messages { .. }) => self.viewport.popup_len,
            None => 0,
        }
    }

    pub(super) fn popup_move(&mut self, to: isize, relative: bool) {
        let len = self.popup_len();
        let rows = self.viewport.popup_rows.max(1);
        let slot = match &mut self.popup {
            Some(Popup::Facets { selected, .. })
            | Some(Popup::Values { selected, .. })
            | Some(Popup::Sort { selected }) => selected,
            Some(Popup::Help { scroll } | Popup::Messages { scroll }) => {
                let max = len.saturating_sub(rows);
                let next = if relative { *scroll as isize + to } else { to };
                *scroll = next.clamp(0, max as isize) as usize;
                return;
            }
            None => return,
        };
        let next = if relative { *slot as isize + to } else { to };
        *slot = next.clamp(0, len.saturating_sub(1) as isize) as usize;
    }
}
