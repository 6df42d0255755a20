//! The pane's keys and the line it types: a score, an abstention's reason, a comment, a
//! consensus value or a step's reason — what each is for, checked and sent.

use super::*;

/// Handles a key while the scoring pane is open (typing, digits, confirmations); None: not
/// handled here.
pub(super) fn handle_key(app: &mut Here<'_>, key: &KeyEvent, context: Context) -> Option<bool> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    // Quitting and suspending work everywhere.
    if matches!(
        action_for(Context::Entry, key),
        Some(Action::Quit | Action::Suspend)
    ) {
        return None;
    }
    let pane = app.scoring.as_ref()?;
    if pane.entry.is_some() {
        return Some(typing(app, key));
    }
    if pane.confirm.is_some() {
        match action_for(Context::Confirm, key) {
            Some(Action::Confirm) => take_step(app, None),
            _ => {
                app.scoring.as_mut().expect("pane").confirm = None;
                app.say(Level::Info, "Cancelled: nothing changed");
            }
        }
        return Some(true);
    }
    if context == Context::Scoring
        && action_for(Context::Scoring, key) == Some(Action::ScoreDigit)
        && let KeyCode::Char(c) = key.code
        && let Some(d) = c.to_digit(10)
    {
        app.fx.push(Effect::Hush);
        digit(app, d);
        return Some(true);
    }
    None
}

/// A key while a line is typed in the pane; returns whether it meant anything.
pub(super) fn typing(app: &mut Here<'_>, key: &KeyEvent) -> bool {
    let Some(pane) = app.scoring.as_mut() else {
        return false;
    };
    let Some(entry) = pane.entry.as_mut() else {
        return false;
    };
    let choosing = entry.purpose == EntryFor::Abstain && entry.text.is_empty();
    match action_for(Context::Entry, key) {
        Some(Action::Close) => {
            pane.entry = None;
            if pane.confirm.take().is_some() {
                app.say(Level::Info, "Cancelled: nothing changed");
            } else {
                app.say(Level::Info, "Cancelled");
            }
        }
        Some(Action::Open) => {
            let entry = pane.entry.take().expect("entry");
            finish_entry(app, entry);
        }
        Some(Action::Down) if choosing => {
            entry.choice = (entry.choice + 1).min(ABSTAIN_REASONS.len() - 1);
        }
        Some(Action::Up) if choosing => entry.choice = entry.choice.saturating_sub(1),
        // The editing keys of the one text input.
        Some(action) => {
            if let Some(edit) = super::super::input::Edit::of(action) {
                super::super::input::edit_text(&mut entry.text, &mut entry.cursor, edit);
            }
        }
        None => {
            let KeyCode::Char(c) = key.code else {
                return false;
            };
            if key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                return false;
            }
            match c.to_digit(10) {
                Some(d) if choosing && (1..=ABSTAIN_REASONS.len() as u32).contains(&d) => {
                    pane.entry = None;
                    put_mark(
                        app,
                        Some(Mark::Abstain(ABSTAIN_REASONS[d as usize - 1].to_string())),
                        None,
                        true,
                    );
                }
                _ if entry.text.chars().count() < 500 => super::super::input::insert_text(
                    &mut entry.text,
                    &mut entry.cursor,
                    &c.to_string(),
                    false,
                ),
                _ => {}
            }
        }
    }
    true
}

/// Puts a refused entry back, as it was typed, with the reason in the message line.
pub(super) fn refuse_entry(app: &mut Here<'_>, entry: Entry, why: String) {
    app.say(Level::Error, why);
    if let Some(pane) = app.scoring.as_mut() {
        pane.entry = Some(entry);
    }
}

/// The number typed for the current criterion, if it lies on the criterion's scale.
pub(super) fn number_on_scale(app: &Here<'_>, text: &str) -> Result<Decimal1, String> {
    let s = session_of(app).ok_or("the session is gone")?;
    let pane = app.scoring.as_ref().ok_or("no pane")?;
    let c = s
        .criteria
        .get(pane.criterion)
        .ok_or("this session has no criteria to score")?;
    let text = text.trim();
    let v = Decimal1::parse(text.replace(',', ".").as_str())
        .map_err(|e| format!("'{text}' is not a score: {e}"))?;
    let (lo, hi, step) = (c.scale.min, c.scale.max, c.scale.step);
    if v < lo || v > hi {
        return Err(format!("{v} is outside {}'s scale, {lo} to {hi}", c.code));
    }
    if step.0 > 0 && (v.0 - lo.0) % step.0 != 0 {
        return Err(format!(
            "{v} is not on {}'s scale: {lo} to {hi} in steps of {step}",
            c.code
        ));
    }
    Ok(v)
}

pub(super) fn finish_entry(app: &mut Here<'_>, entry: Entry) {
    match entry.purpose {
        EntryFor::Number => match number_on_scale(app, &entry.text) {
            Ok(v) => put_mark(app, Some(Mark::Value(v)), None, true),
            Err(why) => refuse_entry(app, entry, why),
        },
        EntryFor::Abstain => {
            let typed = entry.text.trim();
            let reason = if typed.is_empty() {
                ABSTAIN_REASONS[entry.choice.min(ABSTAIN_REASONS.len() - 1)].to_string()
            } else {
                typed.to_string()
            };
            put_mark(app, Some(Mark::Abstain(reason)), None, true);
        }
        EntryFor::Reason => {
            let reason = entry.text.trim().to_string();
            if reason.is_empty() {
                refuse_entry(
                    app,
                    entry,
                    "This step needs a reason: type it, Enter records it (Ctrl-g cancels)".into(),
                );
            } else {
                take_step(app, Some(reason));
            }
        }
        EntryFor::Comment => put_mark(app, None, Some(entry.text.trim().to_string()), false),
        EntryFor::PracticeComment => put_practice_comment(app, entry.text.trim()),
        EntryFor::ConsensusValue => agree_value(app, entry.text.trim()),
        EntryFor::ConsensusWhy(value) => {
            let why = entry.text.trim().to_string();
            if why.is_empty() {
                app.say(
                    Level::Error,
                    "A consensus value other than the mean needs a comment that says why",
                );
                return;
            }
            let Some(practice) = board_practice(app) else {
                return;
            };
            let title = practice_title(app, &practice);
            app.scoring.as_mut().expect("pane").agreed = Some(Agreed {
                practice,
                value,
                why,
            });
            app.say(
                Level::Info,
                format!(
                    "Agreed {value} for {title}: V validates, R rejects, D defers (the value is saved with the decision)"
                ),
            );
        }
    }
}

/// The practice selected on the board, in the board's current order.
pub(super) fn board_practice(app: &Here<'_>) -> Option<PracticeId> {
    let s = session_of(app)?;
    let pane = app.scoring.as_ref()?;
    let mut board = sc::board_of(app.replica, &s);
    board.sort(pane.board_sort);
    board
        .practices
        .get(pane.board_selected)
        .map(|p| p.practice.clone())
}

/// The value typed for the consensus: checked against the criteria's common scale, then the
/// comment is asked for.
pub(super) fn agree_value(app: &mut Here<'_>, text: &str) {
    let Some(s) = session_of(app) else { return };
    let value = match Decimal1::parse(text.replace(',', ".").as_str()) {
        Ok(v) => v,
        Err(e) => {
            app.say(Level::Error, format!("'{text}' is not a value: {e}"));
            return;
        }
    };
    let lo = s.criteria.iter().map(|c| c.scale.min).min();
    let hi = s.criteria.iter().map(|c| c.scale.max).max();
    if let (Some(lo), Some(hi)) = (lo, hi)
        && (value < lo || value > hi)
    {
        app.say(
            Level::Error,
            format!("{value} is outside the criteria's scales, {lo} to {hi}"),
        );
        return;
    }
    app.scoring.as_mut().expect("pane").entry =
        Some(Entry::new(EntryFor::ConsensusWhy(value), String::new()));
}

/// Saves (or, when blank, removes) the evaluator's comment on the current practice.
pub(super) fn put_practice_comment(app: &mut Here<'_>, text: &str) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_deref().cloned().expect("pane");
    let Some(p) = s.practices.get(pane.practice) else {
        return;
    };
    let id = Score::key(&s.id, p, &pane.evaluator, Score::PRACTICE_COMMENT).to_string();
    if text.is_empty() && app.replica.record(Kind::Score, &id).is_none() {
        return;
    }
    let on_behalf = pane.proxy(&app.user).then(|| pane.evaluator.clone());
    app.send(
        Command::Evaluate(Evaluate::Comment {
            session: s.id.clone(),
            practice: p.clone(),
            criterion: Score::PRACTICE_COMMENT.to_string(),
            comment: text.to_string(),
        }),
        on_behalf,
        Purpose::Score(id.clone()),
    );
    app.scoring
        .as_mut()
        .expect("pane")
        .pending
        .insert(id, PendingMark::Comment);
}

/// The evaluator's comment on the practice shown, if any.
pub(super) fn practice_comment_of(
    app: &Here<'_>,
    pane: &ScoringPane,
    s: &EvaluationSession,
) -> Option<String> {
    let p = s.practices.get(pane.practice)?;
    score_of(app.replica, s, p, &pane.evaluator, Score::PRACTICE_COMMENT).map(|c| c.comment.clone())
}
