//! The board of a session: per practice and per criterion, everything the facilitator needs to
//! lead the discussion, computed from the scores alone (nothing is recalculated by hand).
//!
//! Abstentions never count in an average. Weights are normalised over the criteria an evaluator
//! actually scored, so 1-1-1-1 and 0.25×4 give the same result.

use std::collections::HashMap;

use serde::Serialize;

use super::*;

/// The statistics of a set of values.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub n: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Population standard deviation.
    pub std_dev: Option<f64>,
}

impl Stats {
    pub fn of(values: &[f64]) -> Stats {
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        Stats::of_sorted(&sorted)
    }

    /// `of` for values already in ascending order (no copy).
    pub fn of_sorted(sorted: &[f64]) -> Stats {
        if sorted.is_empty() {
            return Stats::default();
        }
        let values = sorted;
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        Stats {
            n,
            mean: Some(mean),
            median: Some(median),
            min: Some(sorted[0]),
            max: Some(sorted[n - 1]),
            std_dev: Some(var.sqrt()),
        }
    }
}

/// Why evaluators are judged to disagree on a criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Disagreement {
    /// The scores differ by more than the session's allowed spread.
    Spread,
    /// RAND/UCLA: at least a third of the evaluators in each extreme third of the scale.
    RandUcla,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionResult {
    pub code: String,
    pub label: String,
    pub weight: f64,
    pub stats: Stats,
    pub abstained: usize,
    /// How many evaluators gave each value on the scale (for the spread chart).
    pub histogram: Vec<(f64, usize)>,
    pub disagreement: Vec<Disagreement>,
    pub passes: Option<bool>,
    /// (evaluator, comment) for every comment on this criterion.
    pub comments: Vec<(String, String)>,
}

/// What the session's rules say of a practice: only what its criteria set says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Not every evaluator has scored (or abstained on) every criterion: no verdict yet.
    Pending,
    /// The criteria set has no pass mark and no thresholds: there is no pass or fail, only the
    /// ranking.
    Unjudged,
    Pass,
    /// Failed, with the reasons in words.
    Fail(Vec<String>),
}

/// The verdict in words, as the command line, the exports and the documents give it.
impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Pending => f.write_str("pending"),
            Verdict::Unjudged => f.write_str("no pass mark"),
            Verdict::Pass => f.write_str("pass"),
            Verdict::Fail(reasons) => write!(f, "fail: {}", reasons.join("; ")),
        }
    }
}

impl Verdict {
    /// Whether it fails an eliminatory criterion, a threshold or the pass mark.
    pub fn fails(&self) -> bool {
        matches!(self, Verdict::Fail(_))
    }
}

impl PracticeResult {
    /// Whether every evaluator scored or abstained on every criterion.
    pub fn is_complete(&self) -> bool {
        self.expected > 0 && self.complete == self.expected
    }

    /// How the decision departs from what the scores say, with the reason recorded for it:
    /// validated although the practice fails the session's rules, or validated or rejected
    /// without every evaluation complete. `None` when the decision follows the scores.
    pub fn overridden(&self) -> Option<String> {
        let c = self.consensus.as_ref()?;
        let why = c.comment.trim();
        let what = match (c.decision?, &self.verdict) {
            (Decision::Validated, Verdict::Fail(reasons)) => {
                format!("validated although {}", reasons.join("; "))
            }
            (Decision::Validated | Decision::Rejected, _) if !self.is_complete() => format!(
                "decided with {} of {} evaluations complete",
                self.complete, self.expected
            ),
            _ => return None,
        };
        Some(match why {
            "" => what,
            why => format!("{what}: {why}"),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PracticeResult {
    pub practice: PracticeId,
    pub title: String,
    /// Evaluators who scored or abstained on every criterion.
    pub complete: usize,
    pub expected: usize,
    /// Evaluators who abstained on every criterion they touched (conflict of interest).
    pub abstaining: Vec<String>,
    /// Statistics over each evaluator's weighted total.
    pub stats: Stats,
    pub criteria: Vec<CriterionResult>,
    pub disagreement: bool,
    pub verdict: Verdict,
    /// The agreed value: the consensus override when set, else the weighted mean.
    pub final_value: Option<f64>,
    pub consensus: Option<ConsensusEntry>,
    pub rank: Option<usize>,
    /// The evaluators' comments on the practice as a whole: (evaluator, text).
    pub comments: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Board {
    pub session: SessionId,
    pub title: String,
    pub state: SessionState,
    pub practices: Vec<PracticeResult>,
    /// Practices with every expected score in, and the number expected.
    pub complete_practices: usize,
}

/// How results are ordered on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Rank,
    Disagreement,
    Session,
}

/// The spread above which a criterion is flagged, when the session sets none: 30 % of the
/// scale's range (3 on a 10-point scale, as jury tools do).
fn default_spread(scale: &Scale) -> f64 {
    (scale.max.as_f64() - scale.min.as_f64()) * 0.3
}

fn rand_ucla(values: &[f64], scale: &Scale) -> bool {
    let (lo, hi) = (scale.min.as_f64(), scale.max.as_f64());
    let third = (hi - lo) / 3.0;
    let n = values.len();
    if n < 2 {
        return false;
    }
    let low = values.iter().filter(|v| **v <= lo + third + 1e-9).count();
    let high = values.iter().filter(|v| **v >= hi - third - 1e-9).count();
    low * 3 >= n && high * 3 >= n
}

/// The session's scores laid out by position: practice × (criteria, then the practice comment)
/// × evaluator. Scores of practices, criteria or evaluators no longer in the session are left out.
struct Grid<'a> {
    cells: Vec<Option<&'a Score>>,
    columns: usize,
    evaluators: usize,
}

impl<'a> Grid<'a> {
    fn new(session: &EvaluationSession, scores: impl IntoIterator<Item = &'a Score>) -> Grid<'a> {
        let practice_at: HashMap<&str, usize> = session
            .practices
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let evaluator_at: HashMap<&str, usize> = session
            .evaluators
            .iter()
            .enumerate()
            .map(|(i, e)| (e.as_str(), i))
            .collect();
        let columns = session.criteria.len() + 1;
        // The columns by code, in id order: a score's criterion is found by moving on from the
        // last one found (scores arrive sorted by id, so usually one comparison).
        let mut by_code: Vec<(&str, usize)> = session
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i))
            .chain(std::iter::once((Score::PRACTICE_COMMENT, columns - 1)))
            .collect();
        by_code.sort_unstable();
        let mut cursor = 0;
        let evaluators = session.evaluators.len();
        let mut cells = vec![None; session.practices.len() * columns * evaluators];
        // Scores arrive sorted by id (session:practice:evaluator:criterion): the last practice and
        // evaluator found are usually the next ones too.
        let mut last_practice: (&str, Option<usize>) = ("", None);
        let mut last_evaluator: (&str, Option<usize>) = ("", None);
        for s in scores {
            if s.session != session.id {
                continue;
            }
            if s.practice.as_str() != last_practice.0 {
                last_practice = (
                    s.practice.as_str(),
                    practice_at.get(s.practice.as_str()).copied(),
                );
            }
            if s.evaluator != last_evaluator.0 {
                last_evaluator = (
                    s.evaluator.as_str(),
                    evaluator_at.get(s.evaluator.as_str()).copied(),
                );
            }
            let column = (0..by_code.len())
                .map(|k| (cursor + k) % by_code.len())
                .find(|&k| by_code[k].0 == s.criterion)
                .map(|k| {
                    cursor = (k + 1) % by_code.len();
                    by_code[k].1
                });
            if let (Some(p), Some(c), Some(e)) = (last_practice.1, column, last_evaluator.1) {
                cells[(p * columns + c) * evaluators + e] = Some(s);
            }
        }
        Grid {
            cells,
            columns,
            evaluators,
        }
    }

    /// The evaluators' scores of one practice and column, in the session's evaluator order.
    fn cell(
        &self,
        practice: usize,
        column: usize,
    ) -> impl Iterator<Item = (usize, &'a Score)> + '_ {
        let start = (practice * self.columns + column) * self.evaluators;
        self.cells[start..start + self.evaluators]
            .iter()
            .enumerate()
            .filter_map(|(e, s)| s.map(|s| (e, s)))
    }
}

pub fn compute<'a>(
    session: &EvaluationSession,
    titles: &HashMap<&str, String>,
    scores: impl IntoIterator<Item = &'a Score>,
) -> Board {
    let grid = Grid::new(session, scores);
    let comment_column = session.criteria.len();
    let weight_sum: f64 = session.criteria.iter().map(|c| c.weight.as_f64()).sum();
    let mut practices = Vec::with_capacity(session.practices.len());
    let mut complete_practices = 0;
    let mut values: Vec<f64> = Vec::with_capacity(session.evaluators.len());
    // Per evaluator: weighted sum, weights, criteria touched, abstentions.
    let mut per_evaluator = vec![(0.0f64, 0.0f64, 0usize, 0usize); session.evaluators.len()];
    for (pi, pid) in session.practices.iter().enumerate() {
        per_evaluator.fill((0.0, 0.0, 0, 0));
        let mut criteria = Vec::with_capacity(session.criteria.len());
        for (ci, c) in session.criteria.iter().enumerate() {
            values.clear();
            let mut abstained = 0;
            let mut comments = Vec::new();
            for (e, s) in grid.cell(pi, ci) {
                let acc = &mut per_evaluator[e];
                acc.2 += 1;
                match s.value {
                    Some(v) => {
                        values.push(v.as_f64());
                        acc.0 += c.weight.as_f64() * v.as_f64();
                        acc.1 += c.weight.as_f64();
                    }
                    None => {
                        abstained += 1;
                        acc.3 += 1;
                    }
                }
                if s.value.is_none() {
                    comments.push((
                        s.evaluator.clone(),
                        format!("abstained: {}", s.abstain_reason),
                    ));
                } else if !s.comment.trim().is_empty() {
                    comments.push((s.evaluator.clone(), s.comment.clone()));
                }
            }
            values.sort_unstable_by(|a, b| a.total_cmp(b));
            let stats = Stats::of_sorted(&values);
            let mut disagreement = Vec::new();
            let spread = session
                .max_spread
                .map_or_else(|| default_spread(&c.scale), |s| s.as_f64());
            if let (Some(lo), Some(hi)) = (stats.min, stats.max)
                && hi - lo > spread + 1e-9
            {
                disagreement.push(Disagreement::Spread);
            }
            if rand_ucla(&values, &c.scale) {
                disagreement.push(Disagreement::RandUcla);
            }
            // How many gave each value (to a tenth of a point), in scale order: runs of the
            // sorted values.
            let mut histogram: Vec<(f64, usize)> = Vec::new();
            for v in &values {
                let v = (v * 10.0).round() / 10.0;
                match histogram.last_mut() {
                    Some((x, n)) if *x == v => *n += 1,
                    _ => histogram.push((v, 1)),
                }
            }
            let passes = match (c.pass_threshold, stats.mean) {
                (Some(t), Some(m)) => Some(m + 1e-9 >= t.as_f64()),
                _ => None,
            };
            criteria.push(CriterionResult {
                code: c.code.clone(),
                label: c.label.clone(),
                weight: if weight_sum > 0.0 {
                    c.weight.as_f64() / weight_sum
                } else {
                    0.0
                },
                stats,
                abstained,
                histogram,
                disagreement,
                passes,
                comments,
            });
        }
        // Each evaluator's weighted total over the criteria they scored.
        let mut totals = Vec::new();
        let mut complete = 0;
        let mut abstaining = Vec::new();
        for (e, &(weighted, weights, touched, abstentions)) in per_evaluator.iter().enumerate() {
            if touched == session.criteria.len() && touched > 0 {
                complete += 1;
            }
            if touched > 0 && abstentions == touched {
                abstaining.push(session.evaluators[e].clone());
            }
            if weights > 0.0 {
                totals.push(weighted / weights);
            }
        }
        let stats = Stats::of(&totals);
        let disagreement = criteria.iter().any(|c| !c.disagreement.is_empty());
        let consensus = session
            .consensus
            .iter()
            .find(|c| &c.practice == pid)
            .cloned();
        let final_value = consensus
            .as_ref()
            .and_then(|c| c.value)
            .map(|v| v.as_f64())
            .or(stats.mean);
        let whole = complete == session.evaluators.len() && !session.evaluators.is_empty();
        let verdict = match whole {
            true => verdict(session, &criteria, final_value),
            false => Verdict::Pending,
        };
        if whole {
            complete_practices += 1;
        }
        let comments = grid
            .cell(pi, comment_column)
            .map(|(_, s)| (s.evaluator.clone(), s.comment.clone()))
            .collect();
        practices.push(PracticeResult {
            practice: pid.clone(),
            title: titles
                .get(pid.as_str())
                .cloned()
                .unwrap_or_else(|| pid.to_string()),
            complete,
            expected: session.evaluators.len(),
            abstaining,
            stats,
            criteria,
            disagreement,
            verdict,
            final_value,
            consensus,
            rank: None,
            comments,
        });
    }
    rank(&mut practices);
    Board {
        session: session.id.clone(),
        title: session.title.clone(),
        state: session.state,
        practices,
        complete_practices,
    }
}

fn verdict(
    session: &EvaluationSession,
    criteria: &[CriterionResult],
    final_value: Option<f64>,
) -> Verdict {
    let Some(value) = final_value else {
        return Verdict::Pending;
    };
    let judged =
        session.pass_mark.is_some() || session.criteria.iter().any(|c| c.pass_threshold.is_some());
    if !judged {
        return Verdict::Unjudged;
    }
    let mut reasons = Vec::new();
    for (c, r) in session.criteria.iter().zip(criteria) {
        if r.passes == Some(false) {
            let t = c.pass_threshold.map(|t| t.to_string()).unwrap_or_default();
            let mean = r.stats.mean.unwrap_or_default();
            if c.eliminatory {
                reasons.push(format!(
                    "{} {mean:.2} is below its eliminatory threshold {t}",
                    c.code
                ));
            } else {
                reasons.push(format!("{} {mean:.2} is below its threshold {t}", c.code));
            }
        }
    }
    if let Some(mark) = session.pass_mark.map(|m| m.as_f64())
        && value + 1e-9 < mark
    {
        reasons.push(format!("{value:.2} is below the pass mark {mark:.2}"));
    }
    if reasons.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(reasons)
    }
}

/// Ranks complete practices before incomplete ones, those that pass before those that fail,
/// then by final value, highest first; equal places share a rank; practices without a value are
/// not ranked.
fn rank(practices: &mut [PracticeResult]) {
    let place = |p: &PracticeResult| (!p.is_complete(), p.verdict.fails());
    let mut values: Vec<(usize, (bool, bool), f64)> = practices
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.final_value.map(|v| (i, place(p), v)))
        .collect();
    values.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)));
    let mut previous: Option<((bool, bool), f64, usize)> = None;
    for (position, (i, class, v)) in values.iter().enumerate() {
        let r = match previous {
            Some((pc, pv, pr)) if pc == *class && (pv - v).abs() < 1e-9 => pr,
            _ => position + 1,
        };
        practices[*i].rank = Some(r);
        previous = Some((*class, *v, r));
    }
}

impl Board {
    pub fn sort(&mut self, by: SortBy) {
        match by {
            SortBy::Rank => self.practices.sort_by_key(|p| (p.rank.is_none(), p.rank)),
            SortBy::Disagreement => self.practices.sort_by(|a, b| {
                let spread = |p: &PracticeResult| {
                    p.criteria
                        .iter()
                        .filter(|c| !c.disagreement.is_empty())
                        .count()
                };
                spread(b).cmp(&spread(a)).then(
                    b.stats
                        .std_dev
                        .unwrap_or(0.0)
                        .total_cmp(&a.stats.std_dev.unwrap_or(0.0)),
                )
            }),
            SortBy::Session => {}
        }
    }
}
