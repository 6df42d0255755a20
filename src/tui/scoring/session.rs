//! The session's steps (open, consensus, closed, and back) and the decisions on the board,
//! each confirmed first; closing with practices undecided asks for the reason.

use super::*;

/// A title for a confirmation, in quotes and cut to a readable length.
pub(super) fn quoted(app: &Here<'_>, id: &PracticeId) -> String {
    format!(
        "'{}'",
        super::super::text::truncate(&practice_title(app, id), 60, "…")
    )
}

/// Asks before moving the session on (or back): what will happen, from the board; closing with
/// practices undecided or incompletely scored lists them and asks for the reason.
pub(super) fn move_session(app: &mut Here<'_>, forward: bool) {
    let Some(s) = session_of(app) else { return };
    let to = match (s.state, forward) {
        (SessionState::Draft, true) => SessionState::Open,
        (SessionState::Open, true) => SessionState::Consensus,
        (SessionState::Consensus, true) => SessionState::Closed,
        (SessionState::Consensus, false) => SessionState::Open,
        (state, _) => {
            app.say(
                Level::Info,
                format!("A {state} session cannot move that way"),
            );
            return;
        }
    };
    let board = sc::board_of(app.replica, &s);
    let n = board.practices.len();
    let progress =
        |p: &sc::PracticeResult| format!("{}/{} evaluations complete", p.complete, p.expected);
    let mut lines = Vec::new();
    let mut needs_reason = false;
    match (s.state, to) {
        (SessionState::Draft, _) => lines.push(format!(
            "open the session: its criteria and pass mark freeze; {} evaluators score {n} practices",
            s.evaluators.len()
        )),
        (SessionState::Open, _) => {
            let incomplete: Vec<&sc::PracticeResult> =
                board.practices.iter().filter(|p| !p.is_complete()).collect();
            if incomplete.is_empty() {
                lines.push("move to consensus: scores lock; every practice is fully scored".into());
            } else {
                lines.push(format!(
                    "move to consensus: scores lock; {} of {n} practices incomplete",
                    incomplete.len()
                ));
                for p in incomplete.iter().take(12) {
                    lines.push(format!("  {}: {}", quoted(app, &p.practice), progress(p)));
                }
            }
            lines.push(
                "Practices with scores become 'evaluated'; M reopens the scores for another round."
                    .into(),
            );
        }
        (SessionState::Consensus, SessionState::Closed) => {
            let open: Vec<&sc::PracticeResult> = board
                .practices
                .iter()
                .filter(|p| {
                    !p.is_complete() || p.consensus.as_ref().is_none_or(|c| c.decision.is_none())
                })
                .collect();
            if open.is_empty() {
                lines.push("close the session: every practice is decided and fully scored".into());
            } else {
                lines.push(format!(
                    "close the session with {} of {n} practices undecided or incomplete:",
                    open.len()
                ));
                for p in open.iter().take(12) {
                    let decided = p
                        .consensus
                        .as_ref()
                        .and_then(|c| c.decision)
                        .map_or("undecided".to_string(), |d| d.to_string());
                    lines.push(format!(
                        "  {}: {decided} · {}",
                        quoted(app, &p.practice),
                        progress(p)
                    ));
                }
                if open.len() > 12 {
                    lines.push(format!("  and {} more", open.len() - 12));
                }
                lines.push("Give the reason for closing all the same (it is recorded).".into());
                needs_reason = true;
            }
        }
        _ => lines.push(
            "reopen for another round: evaluators can change their scores; decisions stay".into(),
        ),
    }
    ask(
        app,
        Confirm {
            lines,
            needs_reason,
            step: Step::Move { from: s.state, to },
        },
        String::new(),
    );
}

/// Shows a confirmation; one that needs a reason opens the line for it (with `prefill`).
pub(super) fn ask(app: &mut Here<'_>, confirm: Confirm, prefill: String) {
    let pane = app.scoring.as_mut().expect("pane");
    pane.entry = confirm
        .needs_reason
        .then(|| Entry::new(EntryFor::Reason, prefill));
    pane.confirm = Some(confirm);
    app.fx.push(Effect::Hush);
}

/// Takes the confirmed step, with the reason typed for it.
pub(super) fn take_step(app: &mut Here<'_>, reason: Option<String>) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_mut().expect("pane");
    pane.entry = None;
    let Some(confirm) = pane.confirm.take() else {
        return;
    };
    match confirm.step {
        Step::Move { from, to } => {
            app.send(
                Command::Evaluate(Evaluate::Move {
                    session: s.id.clone(),
                    from,
                    to,
                    reason: reason.unwrap_or_default(),
                }),
                None,
                Purpose::Plain(format!("Session moved to {to}")),
            );
            app.say(Level::Info, format!("Moving the session to {to}…"));
        }
        Step::Decide {
            practice,
            decision,
            value,
            comment,
            seen,
        } => {
            let title = practice_title(app, &practice);
            app.send(
                Command::Evaluate(Evaluate::Decide {
                    session: s.id.clone(),
                    practice: practice.clone(),
                    decision,
                    value,
                    comment: reason.unwrap_or(comment),
                    seen,
                }),
                None,
                Purpose::Plain(format!("Decision {decision} on {title}")),
            );
            let pane = app.scoring.as_mut().expect("pane");
            if pane.agreed.as_ref().is_some_and(|a| a.practice == practice) {
                pane.agreed = None;
            }
            app.say(Level::Info, format!("Recording {decision}…"));
        }
    }
}

/// Asks before recording the decision on the board's selected practice (at the agreed value or
/// the mean): what it does, and — where the session's rules want one — the reason, computed
/// from the board as it will be with this decision.
pub(super) fn decide(app: &mut Here<'_>, decision: Decision) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.as_deref().cloned().expect("pane");
    if !pane.board {
        app.say(
            Level::Info,
            "b shows the board, where decisions are recorded",
        );
        return;
    }
    let Some(pid) = board_practice(app) else {
        return;
    };
    if s.state != SessionState::Consensus {
        // Said at once; the store refuses it anyway.
        app.say(
            Level::Error,
            format!(
                "Decisions are recorded in the consensus stage; this session is {} (m moves it on)",
                s.state
            ),
        );
        return;
    }
    let agreed = pane.agreed.as_ref().filter(|a| a.practice == pid);
    let (value, why) = agreed.map_or((None, String::new()), |a| (Some(a.value), a.why.clone()));
    let seen = s.consensus.iter().find(|c| c.practice == pid).cloned();
    let mut next = s.clone();
    next.consensus.retain(|c| c.practice != pid);
    next.consensus.push(ConsensusEntry {
        practice: pid.clone(),
        value,
        comment: why.clone(),
        decision: Some(decision),
        by: app.user.clone(),
        at: None,
    });
    let board = sc::board_of(app.replica, &next);
    let Some(r) = board.practices.iter().find(|p| p.practice == pid) else {
        return;
    };
    let title = quoted(app, &pid);
    let at = match value {
        Some(v) => format!("at the agreed {v} (the mean is {})", fmt(r.stats.mean)),
        None => format!("at the mean {}", fmt(r.stats.mean)),
    };
    let status = match app.replica.record(Kind::Practice, pid.as_str()) {
        Some(Record::Practice(p)) => p.status.to_string(),
        _ => String::new(),
    };
    let mut lines = vec![match decision {
        Decision::Validated => {
            format!("validate {title} {at}: its status becomes validated")
        }
        Decision::Rejected => format!("reject {title} {at}: its status becomes rejected"),
        Decision::Deferred => {
            format!("defer {title}: no decision yet; its status stays {status}")
        }
    }];
    let mut needs_reason = false;
    if matches!(decision, Decision::Validated | Decision::Rejected) && !r.is_complete() {
        lines.push(format!(
            "{} of {} evaluations complete — give the reason for deciding without full scores",
            r.complete, r.expected
        ));
        needs_reason = true;
    }
    if decision == Decision::Validated
        && let sc::Verdict::Fail(reasons) = &r.verdict
    {
        lines.push(format!(
            "fails: {} — give the reason for the override",
            reasons.join("; ")
        ));
        needs_reason = true;
    }
    ask(
        app,
        Confirm {
            lines,
            needs_reason,
            step: Step::Decide {
                practice: pid,
                decision,
                value,
                comment: why.clone(),
                seen,
            },
        },
        why,
    );
}
