//! [`update`]: the workbench's answer to one action, handed to whoever has the keyboard (a
//! confirmation, the forms, the path line, the filter line, the search, a menu, the scoring
//! pane, else the panes).

use super::*;

/// Changes the state for one action. The loop calls it for each key; tests call it directly.
pub fn update(app: &mut App, action: Action) {
    app.message = None;
    if let Some(mut question) = app.quitting {
        // Asked "quit?": y quits, anything else stays (even on the small screen).
        let effects = question.update(&app.cx(), action);
        app.carry_out(Part::Quit, effects);
        return;
    }
    if app.viewport.too_small {
        match action {
            // A form stays open until the screen is large enough to save or cancel it.
            Action::Close if app.forms.active() => {}
            Action::Close => app.ask_to_quit(),
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
    if action == Action::Undo {
        let scope = app.undo_scope();
        let effects = app.undo.undo(scope.as_deref());
        app.carry_out(Part::Main, effects);
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
        Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
        Action::Messages => app.popup = Some(Popup::Messages { scroll: 0 }),
        // Esc (tmux delays it, so it is easily pressed by mistake) asks; q quits.
        Action::Close => app.ask_to_quit(),
        Action::Filter => app.open_filters(),
        Action::Sort => match app.kind() {
            Some(kind) => {
                let selected = app.browse.views[kind as usize].sort;
                app.popup = Some(Popup::Sort { selected });
            }
            None => app.say(
                Level::Info,
                "Overviews have a fixed order; choose a list to sort it",
            ),
        },
        Action::Narrow => app.start_narrowing(),
        // The panes: moving, opening, following links and coming back, the project shown.
        _ => app.browse_update(action),
    }
}
