//! Marks: a digit or a typed number scores the criterion, `d` clears, `a` abstains; what the
//! store answers stays on its criterion, and a change it saved is noted for `u` (the
//! workbench's one undo, `tui::undo`).

use super::*;

pub(super) fn digit(app: &mut Here<'_>, d: u32) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_ref().expect("pane");
    if pane.board {
        app.say(Level::Info, "b goes back to the scoring pane to score");
        return;
    }
    let Some(c) = s.criteria.get(pane.criterion) else {
        app.say(Level::Info, "This session has no criteria to score");
        return;
    };
    let integer = c.scale.step.as_f64() >= 1.0 - 1e-9 && c.scale.max.as_f64() <= 9.0;
    if integer {
        let v = Decimal1::from_f64(d as f64).expect("digit");
        if v.as_f64() < c.scale.min.as_f64() - 1e-9 || v.as_f64() > c.scale.max.as_f64() + 1e-9 {
            app.say(
                Level::Error,
                format!(
                    "{d} is outside {}'s scale {}–{}",
                    c.code, c.scale.min, c.scale.max
                ),
            );
            return;
        }
        put_mark(app, Some(Mark::Value(v)), None, true);
    } else if let Some(pane) = app.scoring.as_mut() {
        pane.entry = Some(Entry::new(EntryFor::Number, d.to_string()));
    }
}

/// Sends the current criterion's score with a new mark and/or comment; `advance` moves on.
/// The store builds the score from what it holds, keeping the comment (or the mark) not given.
pub(super) fn put_mark(
    app: &mut Here<'_>,
    mark: Option<Mark>,
    comment: Option<String>,
    advance: bool,
) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_deref().cloned().expect("pane");
    let (Some(p), Some(c)) = (
        s.practices.get(pane.practice),
        s.criteria.get(pane.criterion),
    ) else {
        return;
    };
    let id = Score::key(&s.id, p, &pane.evaluator, &c.code).to_string();
    let held = app.replica.row(Kind::Score, &id).map(|r| r.rev);
    let (command, shown) = match (mark, comment) {
        (Some(mark), comment) => {
            let shown = match &mark {
                Mark::Value(v) if advance => PendingMark::Value(*v),
                Mark::Abstain(_) if advance => PendingMark::Abstain,
                _ => PendingMark::Comment,
            };
            let command = Evaluate::Score {
                session: s.id.clone(),
                practice: p.clone(),
                criterion: c.code.clone(),
                mark,
                comment,
                seen: Some(held.unwrap_or(0)),
            };
            (command, shown)
        }
        (None, Some(comment)) => {
            if held.is_none() {
                app.say(Level::Info, "Score the criterion first, then comment on it");
                return;
            }
            let command = Evaluate::Comment {
                session: s.id.clone(),
                practice: p.clone(),
                criterion: c.code.clone(),
                comment,
            };
            (command, PendingMark::Comment)
        }
        (None, None) => return,
    };
    let on_behalf = pane.proxy(&app.user).then(|| pane.evaluator.clone());
    app.send(
        Command::Evaluate(command),
        on_behalf,
        Purpose::Score(id.clone()),
    );
    let pane = app.scoring.as_mut().expect("pane");
    pane.refused.remove(&id);
    pane.pending.insert(id, shown);
    if advance {
        advance_after(app, &s);
    }
}

/// The first criterion of a practice the pane's evaluator has neither scored nor just sent a
/// score for.
pub(super) fn missing_sent(
    app: &Here<'_>,
    pane: &ScoringPane,
    s: &EvaluationSession,
    practice: usize,
) -> Option<usize> {
    let p = s.practices.get(practice)?;
    s.criteria.iter().position(|c| {
        let id = Score::key(&s.id, p, &pane.evaluator, &c.code).to_string();
        match pane.pending.get(&id) {
            Some(PendingMark::Value(_) | PendingMark::Abstain) => false,
            Some(PendingMark::Cleared) => true,
            _ => score_of(app.replica, s, p, &pane.evaluator, &c.code).is_none(),
        }
    })
}

/// After a score: the next criterion, or the next practice still missing scores.
pub(super) fn advance_after(app: &mut Here<'_>, s: &EvaluationSession) {
    let pane = app.scoring.as_deref().cloned().expect("pane");
    if pane.criterion + 1 < s.criteria.len() {
        app.scoring.as_mut().expect("pane").criterion += 1;
        return;
    }
    // Scores sent and not yet answered count as in when looking for the next practice.
    let next = (1..=s.practices.len())
        .map(|k| (pane.practice + k) % s.practices.len())
        .filter(|i| *i != pane.practice)
        .find(|i| missing_sent(app, &pane, s, *i).is_some());
    match next {
        Some(i) => {
            let c = missing_sent(app, &pane, s, i).unwrap_or(0);
            let pane = app.scoring.as_mut().expect("pane");
            pane.practice = i;
            pane.criterion = c;
            let title = practice_title(app, &s.practices[i]);
            app.say(Level::Info, format!("Next practice to score: {title}"));
        }
        None => app.say(
            Level::Info,
            "Every practice is scored (once the pending scores are saved); b shows the board",
        ),
    }
}

pub(super) fn practice_title(app: &Here<'_>, id: &PracticeId) -> String {
    app.replica
        .record(Kind::Practice, id.as_str())
        .map(|r| sanitize(&r.title(), false))
        .unwrap_or_else(|| id.to_string())
}

pub(super) fn clear(app: &mut Here<'_>) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_deref().cloned().expect("pane");
    let (Some(p), Some(c)) = (
        s.practices.get(pane.practice),
        s.criteria.get(pane.criterion),
    ) else {
        return;
    };
    if score_of(app.replica, &s, p, &pane.evaluator, &c.code).is_none() {
        app.say(Level::Info, format!("{} has no score to clear", c.code));
        return;
    }
    let id = Score::key(&s.id, p, &pane.evaluator, &c.code).to_string();
    app.send(
        Command::Evaluate(Evaluate::Clear {
            session: s.id.clone(),
            practice: p.clone(),
            criterion: c.code.clone(),
        }),
        pane.proxy(&app.user).then(|| pane.evaluator.clone()),
        Purpose::Score(id.clone()),
    );
    let pane = app.scoring.as_mut().expect("pane");
    pane.refused.remove(&id);
    pane.pending.insert(id, PendingMark::Cleared);
}

/// Where a score id of the pane's evaluator is: (practice, criterion) indexes.
pub(super) fn place_of(app: &Here<'_>, id: &str) -> Option<(usize, usize)> {
    let s = session_of(app)?;
    let pane = app.scoring.as_ref()?;
    s.practices.iter().enumerate().find_map(|(pi, p)| {
        s.criteria
            .iter()
            .position(|c| Score::key(&s.id, p, &pane.evaluator, &c.code).as_str() == id)
            .map(|ci| (pi, ci))
    })
}

/// The backend's answer to a score change. A refusal stays on its criterion (until it is
/// scored again) and the cursor goes back to it, so that nothing moves on silently.
pub(super) fn on_result(app: &mut Here<'_>, id: String, result: Outcome) {
    if let Some(pane) = app.scoring.as_mut() {
        pane.pending.remove(&id);
    }
    match result {
        Ok(committed) => {
            // The store's summary names practices by id; the pane names them by title.
            let mut summary = committed.summary.clone();
            if let Some(s) = session_of(app) {
                for p in &s.practices {
                    let by_id = format!("practice '{p}'");
                    if summary.contains(&by_id) {
                        let title = practice_title(app, p);
                        summary = summary.replace(&by_id, &format!("\u{201c}{title}\u{201d}"));
                    }
                }
            }
            let user = app.user.clone();
            if let Some(pane) = app.scoring.as_mut() {
                pane.refused.remove(&id);
                let done = Done {
                    seq: committed.seq,
                    what: summary.clone(),
                    on_behalf_of: pane.proxy(&user).then(|| pane.evaluator.clone()),
                    scope: Some(pane.undo_scope()),
                };
                app.fx.push(Effect::Done(done));
            }
            let what = "Saved";
            app.say(
                Level::Info,
                format!("{what}: {summary} (change #{})", committed.seq),
            );
        }
        Err(e) => {
            let why = sanitize(&e.to_string(), false);
            let place = place_of(app, &id);
            let (Some((pi, ci)), Some(s)) = (place, session_of(app)) else {
                app.say(Level::Error, format!("Not saved: {why}"));
                return;
            };
            let title = practice_title(app, &s.practices[pi]);
            let code = s.criteria[ci].code.clone();
            let pane = app.scoring.as_mut().expect("pane");
            // The first refusal since the user last scored takes the cursor back.
            let first = pane.refused.is_empty();
            pane.refused.insert(id, why.clone());
            if first {
                pane.practice = pi;
                pane.criterion = ci;
            }
            app.say(
                Level::Error,
                format!("Not saved: {code} of \u{201c}{title}\u{201d}: {why}"),
            );
        }
    }
}
