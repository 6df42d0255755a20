//! What people do in an evaluation session, as commands the store applies against the records
//! it holds ([`Evaluate`]), and the one place that turns them into records.
//!
//! The workbench and the command line send these instead of records they built from their own
//! copy: the store builds the records under its write lock from the current state, fills every
//! author and time from the connection's identity and its own clock, and refuses a change based
//! on something that someone else has changed meanwhile (DESIGN.md, "One write path").

use serde::{Deserialize, Serialize};

use super::{
    ConsensusEntry, CriteriaSet, Decimal1, Decision, EvaluationSession, Practice, PracticeId,
    PracticeStatus, Score, SessionId, SessionState, StatusChange, Timestamp,
};

/// What an evaluator gives a criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mark {
    Value(Decimal1),
    Abstain(String),
}

/// One thing done in an evaluation session. The evaluator is always the acting user (or, for a
/// facilitator's proxy entry, the evaluator named with the command), never a field of its own.
///
/// Stored in the audit log by position: append new variants, never reorder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Evaluate {
    /// Records or replaces the evaluator's mark on one criterion. `comment: None` keeps the
    /// comment already there. `seen`: the revision of the score the user saw (0: none), or
    /// `None` to replace whatever is there; a score someone else changed since is not
    /// overwritten.
    Score {
        session: SessionId,
        practice: PracticeId,
        criterion: String,
        mark: Mark,
        comment: Option<String>,
        seen: Option<u64>,
    },
    /// Removes the evaluator's score of one criterion (or, with `*`, their practice comment).
    Clear {
        session: SessionId,
        practice: PracticeId,
        criterion: String,
    },
    /// Comments on a criterion already scored, or with `*` on the practice as a whole (an empty
    /// text removes that comment).
    Comment {
        session: SessionId,
        practice: PracticeId,
        criterion: String,
        comment: String,
    },
    /// Moves the session from the state the user saw to the next one. Closing a session with
    /// practices undecided or incompletely scored needs the `reason`, kept in the audit log.
    Move {
        session: SessionId,
        from: SessionState,
        to: SessionState,
        reason: String,
    },
    /// Records the decision on one practice, at the mean or at an agreed `value` (with a
    /// comment that says why). `seen`: the practice's consensus entry as the user saw it.
    Decide {
        session: SessionId,
        practice: PracticeId,
        decision: Decision,
        value: Option<Decimal1>,
        comment: String,
        seen: Option<ConsensusEntry>,
    },
}

impl Evaluate {
    pub fn session(&self) -> &SessionId {
        match self {
            Evaluate::Score { session, .. }
            | Evaluate::Clear { session, .. }
            | Evaluate::Comment { session, .. }
            | Evaluate::Move { session, .. }
            | Evaluate::Decide { session, .. } => session,
        }
    }

    /// A short description for the audit log and messages.
    pub fn describe(&self) -> String {
        match self {
            Evaluate::Score {
                practice,
                criterion,
                mark: Mark::Value(v),
                ..
            } => format!("score {v} for {criterion} of practice '{practice}'"),
            Evaluate::Score {
                practice,
                criterion,
                ..
            } => format!("abstain on {criterion} of practice '{practice}'"),
            Evaluate::Clear {
                practice,
                criterion,
                ..
            } => format!("clear the score of {criterion} of practice '{practice}'"),
            Evaluate::Comment {
                practice,
                criterion,
                ..
            } if criterion == Score::PRACTICE_COMMENT => {
                format!("comment on practice '{practice}'")
            }
            Evaluate::Comment {
                practice,
                criterion,
                ..
            } => format!("comment on {criterion} of practice '{practice}'"),
            Evaluate::Move {
                session,
                to,
                reason,
                ..
            } => match reason.trim() {
                "" => format!("move session '{session}' to {to}"),
                why => format!("move session '{session}' to {to}: {why}"),
            },
            Evaluate::Decide {
                session,
                practice,
                decision,
                ..
            } => format!("decide {decision} on practice '{practice}' in session '{session}'"),
        }
    }
}

/// A score record for one criterion; the store checks it against the session.
pub fn score(
    session: &EvaluationSession,
    practice: &PracticeId,
    evaluator: &str,
    criterion: &str,
    mark: Mark,
    comment: &str,
    at: Timestamp,
) -> Score {
    let (value, abstain_reason) = match mark {
        Mark::Value(v) => (Some(v), String::new()),
        Mark::Abstain(reason) => (None, reason),
    };
    Score {
        id: Score::key(&session.id, practice, evaluator, criterion),
        session: session.id.clone(),
        practice: practice.clone(),
        evaluator: evaluator.to_string(),
        criterion: criterion.to_string(),
        value,
        abstain_reason,
        comment: comment.to_string(),
        entered_by: String::new(),
        at,
    }
}

/// An evaluator's comment on a practice as a whole (a score record without a value).
pub fn practice_comment(
    session: &EvaluationSession,
    practice: &PracticeId,
    evaluator: &str,
    comment: &str,
    at: Timestamp,
) -> Score {
    Score {
        id: Score::key(&session.id, practice, evaluator, Score::PRACTICE_COMMENT),
        session: session.id.clone(),
        practice: practice.clone(),
        evaluator: evaluator.to_string(),
        criterion: Score::PRACTICE_COMMENT.to_string(),
        value: None,
        abstain_reason: String::new(),
        comment: comment.to_string(),
        entered_by: String::new(),
        at,
    }
}

/// Moves a session to `to`; opening freezes the set's criteria and pass mark, so later edits to
/// the set never change this session's results.
pub fn move_session(
    session: &EvaluationSession,
    to: SessionState,
    set: Option<&CriteriaSet>,
) -> Result<EvaluationSession, String> {
    if !session.state.next().contains(&to) {
        return Err(format!(
            "{} {} session cannot move to {}",
            super::text::a(session.state.label()),
            session.state,
            to
        ));
    }
    let mut next = session.clone();
    if session.state == SessionState::Draft && to == SessionState::Open {
        let set = set
            .ok_or_else(|| format!("the criteria set '{}' does not exist", session.criteria_set))?;
        next.criteria = set.criteria.clone();
        next.pass_mark = set.pass_mark;
    }
    next.state = to;
    Ok(next)
}

/// Records the consensus value and decision for a practice, and moves the practice's status
/// with an entry in its history naming the session. Returns both records for one command.
pub fn decide(
    session: &EvaluationSession,
    practice: &Practice,
    decision: Decision,
    value: Option<Decimal1>,
    comment: &str,
    by: &str,
    at: Timestamp,
) -> Result<(EvaluationSession, Practice), String> {
    if session.state != SessionState::Consensus {
        return Err(format!(
            "decisions are recorded in the consensus stage; session '{}' is {}",
            session.id, session.state
        ));
    }
    if !session.practices.contains(&practice.id) {
        return Err(format!(
            "'{}' is not evaluated in session '{}'",
            practice.id, session.id
        ));
    }
    if value.is_some() && comment.trim().is_empty() {
        return Err("overriding the mean needs a comment that says why".into());
    }
    let mut next = session.clone();
    next.consensus.retain(|c| c.practice != practice.id);
    next.consensus.push(ConsensusEntry {
        practice: practice.id.clone(),
        value,
        comment: comment.to_string(),
        decision: Some(decision),
        by: by.to_string(),
        at: Some(at),
    });
    let mut p = practice.clone();
    let to = match decision {
        Decision::Validated => PracticeStatus::Validated,
        Decision::Rejected => PracticeStatus::Rejected,
        Decision::Deferred => practice.status,
    };
    let reason = match comment.trim() {
        "" => format!("{decision} in session '{}'", session.title),
        c => format!("{decision} in session '{}': {c}", session.title),
    };
    p.history.push(StatusChange {
        at,
        by: by.to_string(),
        from: Some(practice.status),
        to,
        reason,
        session: Some(session.id.clone()),
    });
    p.status = to;
    Ok((next, p))
}

/// How long ago `then` was, in words for a refusal ("2 s ago", "5 min ago").
pub fn ago(then: Timestamp, now: Timestamp) -> String {
    let s = (now.0 - then.0).max(0) / 1000;
    match s {
        0..=59 => format!("{s} s ago"),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("on {}", then.date()),
    }
}
