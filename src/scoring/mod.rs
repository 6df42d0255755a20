//! Evaluation sessions: the board. What evaluators and facilitators do is a
//! [`crate::model::Evaluate`] command, which the store turns into records
//! ([`crate::model::evaluation`]).

pub use crate::model::board;

use std::collections::HashMap;

pub use crate::model::evaluation::{Mark, decide, move_session, practice_comment, score};
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
