//! Moving through the practices and criteria, typing in for another evaluator, and the pane's
//! answer to each action.

use super::*;

pub(super) fn move_practice(app: &mut Here<'_>, delta: isize) {
    let Some(s) = session_of(app) else { return };
    let n = s.practices.len() as isize;
    if n == 0 {
        return;
    }
    let pane = app.scoring.as_mut().expect("pane");
    if pane.board {
        pane.board_selected = (pane.board_selected as isize + delta).clamp(0, n - 1) as usize;
        return;
    }
    pane.practice = ((pane.practice as isize + delta).rem_euclid(n)) as usize;
    let (e, i) = (pane.evaluator.clone(), pane.practice);
    let c = first_missing(app.replica, &s, &e, i).unwrap_or(0);
    app.scoring.as_mut().expect("pane").criterion = c;
}

pub(super) fn move_criterion(app: &mut Here<'_>, delta: isize) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_mut().expect("pane");
    if pane.board {
        let n = s.practices.len() as isize;
        pane.board_selected =
            (pane.board_selected as isize + delta).clamp(0, (n - 1).max(0)) as usize;
        return;
    }
    let n = s.criteria.len() as isize;
    if n > 0 {
        pane.criterion = (pane.criterion as isize + delta).clamp(0, n - 1) as usize;
    }
}

pub(super) fn switch_evaluator(app: &mut Here<'_>) {
    let Some(s) = session_of(app) else { return };
    if !is_facilitator(app) {
        app.say(
            Level::Error,
            "Only a facilitator types in scores for another evaluator",
        );
        return;
    }
    let pane = app.scoring.as_mut().expect("pane");
    let mut names = s.evaluators.clone();
    if !names.contains(&app.user) {
        names.insert(0, app.user.clone());
    }
    let i = names.iter().position(|n| *n == pane.evaluator).unwrap_or(0);
    pane.evaluator = names[(i + 1) % names.len()].clone();
    let e = pane.evaluator.clone();
    let text = if e == app.user {
        "Typing your own scores".to_string()
    } else {
        format!("Typing in for {e} (proxy: the audit log records you both)")
    };
    let p = pane.practice;
    let c = first_missing(app.replica, &s, &e, p).unwrap_or(0);
    app.scoring.as_mut().expect("pane").criterion = c;
    app.say(Level::Info, text);
}

/// Carries out an action while the scoring pane is open.
pub(super) fn update(app: &mut Here<'_>, action: Action) {
    let Some(pane) = app.scoring.as_ref() else {
        return;
    };
    let board = pane.board;
    match action {
        Action::Down => move_criterion(app, 1),
        Action::Up => move_criterion(app, -1),
        Action::NextPractice => move_practice(app, 1),
        Action::PrevPractice => move_practice(app, -1),
        Action::Top | Action::PageUp => move_criterion(app, -1000),
        Action::Bottom | Action::PageDown => move_criterion(app, 1000),
        Action::NextUnscored => {
            let Some(s) = session_of(app) else { return };
            let (e, from) = (pane.evaluator.clone(), pane.practice);
            match next_unscored(app.replica, &s, &e, from) {
                Some(i) => {
                    let c = first_missing(app.replica, &s, &e, i).unwrap_or(0);
                    let pane = app.scoring.as_mut().expect("pane");
                    pane.practice = i;
                    pane.criterion = c;
                    pane.board = false;
                }
                None => app.say(Level::Info, "Every practice is scored"),
            }
        }
        Action::ScoreNumber if !board => {
            app.scoring.as_mut().expect("pane").entry = Some(Entry::new(EntryFor::Number, ""))
        }
        Action::ScoreClear if !board => clear(app),
        Action::ScoreAbstain if !board => {
            app.scoring.as_mut().expect("pane").entry = Some(Entry::new(EntryFor::Abstain, ""))
        }
        Action::ScoreComment if !board => {
            let Some(s) = session_of(app) else { return };
            let old = s
                .practices
                .get(pane.practice)
                .zip(s.criteria.get(pane.criterion))
                .and_then(|(p, c)| score_of(app.replica, &s, p, &pane.evaluator, &c.code))
                .map(|o| o.comment.clone());
            match old {
                Some(text) => {
                    app.scoring.as_mut().expect("pane").entry =
                        Some(Entry::new(EntryFor::Comment, text))
                }
                None => app.say(Level::Info, "Score the criterion first, then comment on it"),
            }
        }
        Action::PracticeComment if !board => {
            let Some(s) = session_of(app) else { return };
            let text = practice_comment_of(app, pane, &s).unwrap_or_default();
            app.scoring.as_mut().expect("pane").entry =
                Some(Entry::new(EntryFor::PracticeComment, text));
        }
        Action::ConsensusValue if board => {
            let Some(s) = session_of(app) else { return };
            if s.state != SessionState::Consensus {
                app.say(
                    Level::Info,
                    format!(
                        "The session is {}: the consensus is agreed once a facilitator moves it to consensus (m)",
                        s.state
                    ),
                );
                return;
            }
            let text = pane
                .agreed
                .as_ref()
                .filter(|a| Some(&a.practice) == board_practice(app).as_ref())
                .map(|a| a.value.to_string())
                .unwrap_or_default();
            app.scoring.as_mut().expect("pane").entry =
                Some(Entry::new(EntryFor::ConsensusValue, text));
        }
        Action::ConsensusValue => app.say(
            Level::Info,
            "b shows the board, where the consensus is agreed",
        ),
        Action::ScoreNumber
        | Action::ScoreClear
        | Action::ScoreAbstain
        | Action::ScoreComment
        | Action::PracticeComment
        | Action::ScoreDigit => app.say(Level::Info, "b goes back to the scoring pane to score"),
        Action::ScoreProxy => switch_evaluator(app),
        Action::ScoreBoard => {
            let pane = app.scoring.as_mut().expect("pane");
            pane.board = !pane.board;
            pane.board_selected = 0;
            pane.board_sort = SortBy::Session;
            if pane.board {
                // Select the practice being scored.
                pane.board_selected = pane.practice;
            }
        }
        Action::Sort if board => {
            let pane = app.scoring.as_mut().expect("pane");
            pane.board_sort = match pane.board_sort {
                SortBy::Session => SortBy::Rank,
                SortBy::Rank => SortBy::Disagreement,
                SortBy::Disagreement => SortBy::Session,
            };
            pane.board_selected = 0;
            let word = match pane.board_sort {
                SortBy::Session => "session order",
                SortBy::Rank => "rank (score, highest first)",
                SortBy::Disagreement => "disagreement (most first)",
            };
            app.say(Level::Info, format!("Board sorted by {word}"));
        }
        Action::Sort => app.say(Level::Info, "b shows the board, which o sorts"),
        Action::DecideValidated => decide(app, Decision::Validated),
        Action::DecideRejected => decide(app, Decision::Rejected),
        Action::DecideDeferred => decide(app, Decision::Deferred),
        Action::SessionForward => move_session(app, true),
        Action::SessionBack => move_session(app, false),
        Action::Help => app.fx.push(Effect::Help),
        Action::Close | Action::Back => {
            let pane = app.scoring.as_mut().expect("pane");
            if pane.board {
                pane.board = false;
            } else {
                app.scoring = None;
            }
        }
        _ => {}
    }
}
