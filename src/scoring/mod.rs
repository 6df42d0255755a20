//! Evaluation sessions: the board, and the changes a facilitator or evaluator makes, built as
//! records for one command each so that every step is durable and audited.

pub mod board;

use std::collections::HashMap;

pub use board::{Board, CriterionResult, Disagreement, PracticeResult, SortBy, Stats, Verdict};

use crate::model::*;

/// The board of one session from the replica's records.
pub fn board_of(replica: &Replica, session: &EvaluationSession) -> Board {
    let titles: HashMap<&str, String> = session
        .practices
        .iter()
        .filter_map(|p| {
            replica
                .record(Kind::Practice, p.as_str())
                .map(|r| (p.as_str(), r.title()))
        })
        .collect();
    let prefix = format!("{}:", session.id);
    let scores = replica
        .rows_with_prefix(Kind::Score, &prefix)
        .filter_map(|r| match &r.record {
            Record::Score(s) => Some(&**s),
            _ => None,
        });
    board::compute(session, &titles, scores)
}

/// What an evaluator gives a criterion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    Value(Decimal1),
    Abstain(String),
}

/// A score record for one criterion; the store checks it against the session.
pub fn score(
    session: &EvaluationSession,
    practice: &PracticeId,
    evaluator: &str,
    criterion: &str,
    mark: Mark,
    comment: &str,
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
        at: Timestamp::now(),
    }
}

/// An evaluator's comment on a practice as a whole (a score record without a value).
pub fn practice_comment(
    session: &EvaluationSession,
    practice: &PracticeId,
    evaluator: &str,
    comment: &str,
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
        at: Timestamp::now(),
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
        return Err(format!("a {} session cannot move to {}", session.state, to));
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
    let at = Timestamp::now();
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
