//! [`update`]: the workbench's answer to one action, handed to whoever has the keyboard (a
//! confirmation, the forms, the path line, the filter line, the search, a menu, the scoring
//! pane, else the panes).

use super::*;

/// Changes the state for one action. The loop calls it for each key; tests call it directly.
pub fn update(app: &mut App, action: Action) {
    app.message = None;
    if app.confirm_quit {
        // Asked "quit?": y quits, anything else stays (even on the small screen).
        app.confirm_quit = false;
        match action {
            Action::Confirm | Action::Quit => app.quit = true,
            Action::Suspend => app.suspend = true,
            _ => app.say(Level::Info, "Not quitting"),
        }
        return;
    }
    if app.viewport.too_small {
        match action {
            // A form stays open until the screen is large enough to save or cancel it.
            Action::Close if app.forms.active() => {}
            Action::Close => app.quit = true,
            Action::Quit => app.quit_or_ask(),
            Action::Suspend => app.suspend = true,
            _ => {}
        }
        return;
    }
    match action {
        Action::Quit => {
            app.quit_or_ask();
            return;
        }
        Action::Suspend => {
            app.suspend = true;
            return;
        }
        _ => {}
    }
    if app.forms.active() {
        // Enter in the picker before the answer to what is typed: wait for it (briefly), so
        // that what is picked is what the query finds.
        if action == Action::Open && app.picker_waiting() {
            app.ask_picker();
            app.wait_search(std::time::Duration::from_secs(2));
        }
        let effects = app.forms.update(&cx!(app), action);
        app.carry_out(Part::Forms, effects);
        return;
    }
    if app.popup.is_none() && app.documents.prompt.is_some() {
        let effects = app.documents.update(&cx!(app), action);
        app.carry_out(Part::Documents, effects);
        return;
    }
    if app.popup.is_none() && app.search.narrowing.is_some() {
        app.narrowing_update(action);
        return;
    }
    if app.popup.is_none() && app.search.open {
        match action {
            Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
            _ => {
                let effects = app.search.update(&cx!(app), action);
                app.carry_out(Part::Search, effects);
            }
        }
        return;
    }
    if app.popup.is_some() {
        let page = app.viewport.popup_rows.saturating_sub(1).max(1) as isize;
        let is_help = matches!(app.popup, Some(Popup::Help { .. } | Popup::Messages { .. }));
        match action {
            Action::Down => app.popup_move(1, true),
            Action::Up => app.popup_move(-1, true),
            Action::PageDown => app.popup_move(page, true),
            Action::PageUp => app.popup_move(-page, true),
            Action::Top => app.popup_move(0, false),
            Action::Bottom => app.popup_move(isize::MAX / 2, false),
            Action::Close => app.popup = None,
            Action::Help if is_help => app.popup = None,
            Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
            Action::Open if !is_help => app.choose(),
            Action::Back if !is_help => {
                if let Some(Popup::Values { facet, .. }) = &app.popup {
                    let facet = *facet;
                    app.open_filters();
                    if let Some(Popup::Facets { choices, selected }) = &mut app.popup {
                        *selected = choices.iter().position(|c| *c == facet).unwrap_or(0);
                    }
                } else {
                    app.popup = None;
                }
            }
            _ => {}
        }
        return;
    }
    if let Some(pane) = app.scoring.as_mut() {
        let effects = pane.update(&cx!(app), action);
        app.carry_out(Part::Scoring, effects);
        return;
    }
    let shown = app.kind();
    let effects = match action {
        Action::New => app.forms.new_record(&cx!(app), shown),
        Action::Edit => {
            let selected = app.selected();
            app.forms.edit_record(&cx!(app), shown, selected)
        }
        Action::Delete => {
            let selected = app.selected();
            app.forms.delete_record(&cx!(app), selected)
        }
        Action::Erase => {
            let selected = app.selected();
            app.forms.erase_record(&cx!(app), selected)
        }
        Action::Undo => app.forms.undo(),
        Action::History => {
            let selected = app.selected();
            app.forms.history(selected)
        }
        Action::OpenScoring => {
            let selected = app.selected();
            let (pane, effects) = ScoringPane::open_selected(&cx!(app), selected);
            if pane.is_some() {
                app.scoring = pane;
            }
            app.carry_out(Part::Scoring, effects);
            return;
        }
        Action::WriteDocument => {
            let selected = app.selected();
            app.documents.start(selected)
        }
        Action::Search => {
            app.search.open(&cx!(app));
            Vec::new()
        }
        _ => Vec::new(),
    };
    if !effects.is_empty() {
        app.carry_out(Part::Main, effects);
        return;
    }
    match action {
        Action::New
        | Action::Edit
        | Action::Delete
        | Action::Erase
        | Action::Undo
        | Action::History
        | Action::WriteDocument
        | Action::Search => {}
        // Only in a form, whose keys go to `forms::handle_key`.
        Action::Save | Action::Pick | Action::Tick => {}
        Action::Down => app.move_by(1),
        Action::Up => app.move_by(-1),
        Action::PageDown => {
            let p = app.page() as isize;
            app.move_by(p)
        }
        Action::PageUp => {
            let p = app.page() as isize;
            app.move_by(-p)
        }
        Action::Top => app.move_to_end(false),
        Action::Bottom => app.move_to_end(true),
        Action::NextPane => app.cycle_pane(true),
        Action::PrevPane => app.cycle_pane(false),
        Action::Open => {
            match app.focus {
                Pane::Nav => {
                    app.focus = match app.target() {
                        Target::Kind(_) => Pane::List,
                        Target::Overview(_) => Pane::Detail,
                    }
                }
                Pane::List => {
                    if app.selected().is_some() {
                        app.focus = Pane::Detail;
                    } else {
                        let kind = app.kind().map_or("records", kinds::plural);
                        app.say(
                            Level::Info,
                            format!("No {} to open here", kind.to_lowercase()),
                        );
                    }
                }
                Pane::Detail => {
                    let link = app.selected_item().and_then(|i| i.link.clone());
                    match link {
                        Some(link) => app.follow(&link),
                        None => {
                            let arrow = app.theme.symbols.link.trim();
                            app.say(Level::Info, format!("This line is not a link: lines marked {arrow} open another record"))
                        }
                    }
                }
            }
        }
        Action::Back => app.back(),
        Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
        Action::Messages => app.popup = Some(Popup::Messages { scroll: 0 }),
        // Esc (tmux delays it, so it is easily pressed by mistake) asks; q quits.
        Action::Close => app.confirm_quit = true,
        Action::Filter => app.open_filters(),
        Action::Sort => match app.kind() {
            Some(kind) => {
                let selected = app.views[kind as usize].sort;
                app.popup = Some(Popup::Sort { selected });
            }
            None => app.say(
                Level::Info,
                "Overviews have a fixed order; choose a list to sort it",
            ),
        },
        Action::ClearFilters => match app.kind() {
            Some(kind)
                if !app.views[kind as usize].filters.is_empty()
                    || app.views[kind as usize].text.is_some() =>
            {
                app.views[kind as usize].filters.clear();
                app.views[kind as usize].text = None;
                app.mark_stale(kind);
                let n = app.view(kind).ids.len();
                let scope = match app.project.clone() {
                    Some(p) => format!(
                        " in {} (p changes the project)",
                        kinds::project_name(&app.replica, &p)
                    ),
                    None => String::new(),
                };
                app.say(
                    Level::Info,
                    format!(
                        "Filters cleared: {n} {}{scope}",
                        kinds::plural(kind).to_lowercase()
                    ),
                );
            }
            _ => app.say(Level::Info, "No filters to clear"),
        },
        Action::Project => {
            let mut projects: Vec<(String, String)> = app
                .replica
                .rows(Kind::Project)
                .map(|r| {
                    (
                        kinds::sort_text(&kinds::project_name(&app.replica, r.record.id())),
                        r.record.id().to_string(),
                    )
                })
                .collect();
            projects.sort();
            let next = match &app.project {
                None => projects.first().map(|p| p.1.clone()),
                Some(cur) => {
                    let i = projects.iter().position(|p| &p.1 == cur);
                    i.and_then(|i| projects.get(i + 1)).map(|p| p.1.clone())
                }
            };
            if projects.is_empty() {
                app.say(Level::Info, "There are no projects yet");
                return;
            }
            app.set_project(next);
            let name = app.project.clone().map_or("all projects".to_string(), |p| {
                kinds::project_name(&app.replica, &p)
            });
            app.say(Level::Info, format!("Showing {name}"));
        }
        Action::Narrow => app.start_narrowing(),
        Action::Quit | Action::Suspend => {}
        _ => {}
    }
}
