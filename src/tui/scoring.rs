//! The scoring pane and the board of an evaluation session.
//!
//! The pane reads everything from the replica on every draw, so scores from others (arriving
//! through `App::apply`) show at once; the user's place is kept as indexes into the session's
//! practices and criteria, which never move while the session is open. Every score is sent
//! through the outbox and shows a pending mark until its result comes back.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::model::text::sanitize;
use crate::model::*;
use crate::scoring::{self as sc, Mark, SortBy};

use super::app::{App, Level};
use super::keymap::{Action, Context, action_for};
use super::outbox::{Outcome, Purpose};

/// What a line of text typed in the pane is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryFor {
    /// A number for the current criterion (scales with decimals or above 9).
    Number,
    /// The reason for abstaining on the current criterion.
    Abstain,
    /// A comment on the current criterion's score.
    Comment,
    /// A comment on the practice as a whole.
    PracticeComment,
    /// The consensus value of the board's selected practice, instead of the mean.
    ConsensusValue,
    /// Why the consensus differs from the mean.
    ConsensusWhy(Decimal1),
}

/// A line being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub purpose: EntryFor,
    pub text: String,
}

/// What a sent score will show once saved (shown with a pending mark until then).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PendingMark {
    Value(Decimal1),
    Abstain,
    Cleared,
    Comment,
    Undo,
}

/// The scoring pane's state.
#[derive(Clone, Debug)]
pub struct ScoringPane {
    pub session: String,
    /// The practice shown, as an index into the session's practices.
    pub practice: usize,
    /// The current criterion, as an index into the session's criteria.
    pub criterion: usize,
    /// Whose scores are typed: the user, or (for a facilitator) an evaluator typed in for.
    pub evaluator: String,
    /// The board is shown instead of the card.
    pub board: bool,
    pub board_sort: SortBy,
    /// The practice selected on the board (index into the sorted board).
    pub board_selected: usize,
    pub entry: Option<Entry>,
    /// Score ids sent and not yet answered.
    pub pending: BTreeMap<String, PendingMark>,
    /// The seqs of this pane's saved score changes, newest last (for undo).
    pub undo: Vec<u64>,
    /// A consensus value agreed for a practice (not yet recorded): it is stored with the
    /// decision, in the same command.
    pub agreed: Option<Agreed>,
}

/// A consensus value the room agreed instead of the mean, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreed {
    pub practice: PracticeId,
    pub value: Decimal1,
    pub why: String,
}

impl ScoringPane {
    pub fn proxy(&self, user: &str) -> bool {
        self.evaluator != user
    }
}

/// Opens the scoring pane of a session.
pub fn open_session(app: &mut App, session: &str) {
    let Some(Record::Session(s)) = app.replica.record(Kind::Session, session).cloned() else {
        app.say(Level::Error, format!("There is no session '{session}'"));
        return;
    };
    let evaluator = if s.evaluators.contains(&app.user) || !is_facilitator(app) {
        app.user.clone()
    } else {
        s.evaluators
            .first()
            .cloned()
            .unwrap_or_else(|| app.user.clone())
    };
    let mut pane = ScoringPane {
        session: s.id.to_string(),
        practice: 0,
        criterion: 0,
        evaluator,
        board: false,
        board_sort: SortBy::Session,
        board_selected: 0,
        entry: None,
        pending: BTreeMap::new(),
        undo: Vec::new(),
        agreed: None,
    };
    if let Some(i) = next_unscored(app, &s, &pane.evaluator, usize::MAX) {
        pane.practice = i;
        pane.criterion = first_missing(app, &s, &pane.evaluator, i).unwrap_or(0);
    }
    app.scoring = Some(pane);
    let hint = if s.state == SessionState::Open {
        "digits score, ? lists every key"
    } else {
        "the session is not open for scoring; b shows the board"
    };
    app.say(Level::Info, format!("Scoring '{}': {hint}", s.title));
}

/// Opens the scoring pane from the selected record: a session, or a meeting with a session.
pub fn open_selected(app: &mut App) {
    let Some((kind, id)) = app.selected() else {
        app.say(Level::Info, "Select a session or a meeting to score");
        return;
    };
    match kind {
        Kind::Session => open_session(app, &id),
        Kind::Meeting => {
            let session = app
                .replica
                .rows(Kind::Session)
                .find_map(|r| match &r.record {
                    Record::Session(s) if s.meeting.as_str() == id => Some(s.id.to_string()),
                    _ => None,
                });
            match session {
                Some(s) => open_session(app, &s),
                None => app.say(Level::Info, "This meeting has no evaluation session"),
            }
        }
        _ => app.say(
            Level::Info,
            "s scores a session: select a session or a meeting with one",
        ),
    }
}

fn is_facilitator(app: &App) -> bool {
    matches!(
        app.replica.record(Kind::Member, &app.user),
        Some(Record::Member(m)) if m.facilitator
    )
}

fn session_of(app: &App) -> Option<EvaluationSession> {
    let pane = app.scoring.as_ref()?;
    match app.replica.record(Kind::Session, &pane.session) {
        Some(Record::Session(s)) => Some((**s).clone()),
        _ => None,
    }
}

fn score_of<'a>(
    app: &'a App,
    s: &EvaluationSession,
    practice: &PracticeId,
    evaluator: &str,
    criterion: &str,
) -> Option<&'a Score> {
    let id = Score::key(&s.id, practice, evaluator, criterion);
    match app.replica.record(Kind::Score, id.as_str()) {
        Some(Record::Score(sc)) => Some(sc),
        _ => None,
    }
}

/// How many criteria of a practice the evaluator has scored or abstained on.
pub fn scored(app: &App, s: &EvaluationSession, evaluator: &str, practice: usize) -> usize {
    let Some(p) = s.practices.get(practice) else {
        return 0;
    };
    s.criteria
        .iter()
        .filter(|c| score_of(app, s, p, evaluator, &c.code).is_some())
        .count()
}

fn first_missing(
    app: &App,
    s: &EvaluationSession,
    evaluator: &str,
    practice: usize,
) -> Option<usize> {
    let p = s.practices.get(practice)?;
    s.criteria
        .iter()
        .position(|c| score_of(app, s, p, evaluator, &c.code).is_none())
}

/// The next practice after `from` (cyclically; `usize::MAX`: from the start) that misses scores.
fn next_unscored(app: &App, s: &EvaluationSession, evaluator: &str, from: usize) -> Option<usize> {
    let n = s.practices.len();
    let start = if from == usize::MAX { 0 } else { from + 1 };
    (0..n)
        .map(|k| (start + k) % n)
        .find(|i| scored(app, s, evaluator, *i) < s.criteria.len())
}

/// Handles a key while the scoring pane is open (typing, digits); None: not handled here.
pub fn handle_key(app: &mut App, key: &KeyEvent) -> Option<bool> {
    app.scoring.as_ref()?;
    if app.popup.is_some() || app.viewport.too_small || key.kind != KeyEventKind::Press {
        return None;
    }
    if app.scoring.as_ref().is_some_and(|p| p.entry.is_some()) {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return None;
        }
        typing(app, key);
        return Some(true);
    }
    if action_for(Context::Scoring, key) == Some(Action::ScoreDigit)
        && let KeyCode::Char(c) = key.code
        && let Some(d) = c.to_digit(10)
    {
        app.message = None;
        digit(app, d);
        return Some(true);
    }
    None
}

fn typing(app: &mut App, key: &KeyEvent) {
    let Some(pane) = app.scoring.as_mut() else {
        return;
    };
    let Some(entry) = pane.entry.as_mut() else {
        return;
    };
    match (action_for(Context::Entry, key), key.code) {
        (Some(Action::Close), _) | (_, KeyCode::Esc) => {
            pane.entry = None;
            app.say(Level::Info, "Cancelled");
        }
        (Some(Action::Open), _) => {
            let entry = pane.entry.take().expect("entry");
            finish_entry(app, entry);
        }
        (_, KeyCode::Backspace) => {
            entry.text.pop();
        }
        (_, KeyCode::Char(c))
            if !key.modifiers.contains(KeyModifiers::CONTROL)
                && entry.text.chars().count() < 500 =>
        {
            entry.text.push(c);
        }
        _ => {}
    }
}

fn finish_entry(app: &mut App, entry: Entry) {
    match entry.purpose {
        EntryFor::Number => match Decimal1::parse(entry.text.trim().replace(',', ".").as_str()) {
            Ok(v) => put_mark(app, Some(Mark::Value(v)), None, true),
            Err(e) => app.say(
                Level::Error,
                format!("'{}' is not a score: {e}", entry.text),
            ),
        },
        EntryFor::Abstain => {
            let reason = entry.text.trim().to_string();
            if reason.is_empty() {
                app.say(
                    Level::Error,
                    "Abstaining needs a reason (e.g. conflict of interest)",
                );
            } else {
                put_mark(app, Some(Mark::Abstain(reason)), None, true);
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
fn board_practice(app: &App) -> Option<PracticeId> {
    let s = session_of(app)?;
    let pane = app.scoring.as_ref()?;
    let mut board = sc::board_of(&app.replica, &s);
    board.sort(pane.board_sort);
    board
        .practices
        .get(pane.board_selected)
        .map(|p| p.practice.clone())
}

/// The value typed for the consensus: checked against the criteria's common scale, then the
/// comment is asked for.
fn agree_value(app: &mut App, text: &str) {
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
    app.scoring.as_mut().expect("pane").entry = Some(Entry {
        purpose: EntryFor::ConsensusWhy(value),
        text: String::new(),
    });
}

/// Saves (or, when blank, removes) the evaluator's comment on the current practice.
fn put_practice_comment(app: &mut App, text: &str) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.clone().expect("pane");
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
fn practice_comment_of(app: &App, pane: &ScoringPane, s: &EvaluationSession) -> Option<String> {
    let p = s.practices.get(pane.practice)?;
    score_of(app, s, p, &pane.evaluator, Score::PRACTICE_COMMENT).map(|c| c.comment.clone())
}

fn digit(app: &mut App, d: u32) {
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
        pane.entry = Some(Entry {
            purpose: EntryFor::Number,
            text: d.to_string(),
        });
    }
}

/// Sends the current criterion's score with a new mark and/or comment; `advance` moves on.
/// The store builds the score from what it holds, keeping the comment (or the mark) not given.
fn put_mark(app: &mut App, mark: Option<Mark>, comment: Option<String>, advance: bool) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.clone().expect("pane");
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
    pane.pending.insert(id, shown);
    if advance {
        advance_after(app, &s);
    }
}

/// After a score: the next criterion, or the next practice still missing scores.
fn advance_after(app: &mut App, s: &EvaluationSession) {
    let pane = app.scoring.clone().expect("pane");
    if pane.criterion + 1 < s.criteria.len() {
        app.scoring.as_mut().expect("pane").criterion += 1;
        return;
    }
    // The score just sent counts as in (pending) when looking for the next practice.
    let next = (1..=s.practices.len())
        .map(|k| (pane.practice + k) % s.practices.len())
        .filter(|i| *i != pane.practice)
        .find(|i| scored(app, s, &pane.evaluator, *i) < s.criteria.len());
    let pane = app.scoring.as_mut().expect("pane");
    match next {
        Some(i) => {
            pane.practice = i;
            let e = pane.evaluator.clone();
            let c = first_missing(app, s, &e, i).unwrap_or(0);
            app.scoring.as_mut().expect("pane").criterion = c;
            let title = practice_title(app, &s.practices[i]);
            app.say(Level::Info, format!("Next practice to score: {title}"));
        }
        None => app.say(
            Level::Info,
            "Every practice is scored (once the pending scores are saved); b shows the board",
        ),
    }
}

fn practice_title(app: &App, id: &PracticeId) -> String {
    app.replica
        .record(Kind::Practice, id.as_str())
        .map(|r| sanitize(&r.title(), false))
        .unwrap_or_else(|| id.to_string())
}

fn clear(app: &mut App) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.clone().expect("pane");
    let (Some(p), Some(c)) = (
        s.practices.get(pane.practice),
        s.criteria.get(pane.criterion),
    ) else {
        return;
    };
    if score_of(app, &s, p, &pane.evaluator, &c.code).is_none() {
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
    app.scoring
        .as_mut()
        .expect("pane")
        .pending
        .insert(id, PendingMark::Cleared);
}

fn undo(app: &mut App) {
    let pane = app.scoring.as_mut().expect("pane");
    let Some(seq) = pane.undo.pop() else {
        app.say(Level::Info, "Nothing to undo in this pane");
        return;
    };
    let on_behalf = pane.proxy(&app.user).then(|| pane.evaluator.clone());
    pane.pending
        .insert(format!("undo #{seq}"), PendingMark::Undo);
    app.send(
        Command::Undo { seq },
        on_behalf,
        Purpose::Score(format!("undo #{seq}")),
    );
}

/// The backend's answer to a score change.
pub fn on_result(app: &mut App, id: String, result: Outcome) {
    let undoing = id.starts_with("undo #");
    if let Some(pane) = app.scoring.as_mut() {
        pane.pending.remove(&id);
    }
    match result {
        Ok(committed) => {
            app.apply(&committed);
            if let Some(pane) = app.scoring.as_mut()
                && !undoing
            {
                pane.undo.push(committed.seq);
            }
            let what = if undoing { "Undone" } else { "Saved" };
            app.say(
                Level::Info,
                format!("{what}: {} (change #{})", committed.summary, committed.seq),
            );
        }
        Err(e) => app.say(Level::Error, sanitize(&format!("Not saved: {e}"), false)),
    }
}

fn move_practice(app: &mut App, delta: isize) {
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
    let c = first_missing(app, &s, &e, i).unwrap_or(0);
    app.scoring.as_mut().expect("pane").criterion = c;
}

fn move_criterion(app: &mut App, delta: isize) {
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

fn switch_evaluator(app: &mut App) {
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
    pane.undo.clear();
    let e = pane.evaluator.clone();
    let text = if e == app.user {
        "Typing your own scores".to_string()
    } else {
        format!("Typing in for {e} (proxy: the audit log records you both)")
    };
    let p = pane.practice;
    let c = first_missing(app, &s, &e, p).unwrap_or(0);
    app.scoring.as_mut().expect("pane").criterion = c;
    app.say(Level::Info, text);
}

fn move_session(app: &mut App, forward: bool) {
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
    app.send(
        Command::Evaluate(Evaluate::Move {
            session: s.id.clone(),
            from: s.state,
            to,
            reason: String::new(),
        }),
        None,
        Purpose::Plain(format!("Session moved to {to}")),
    );
    app.say(Level::Info, format!("Moving the session to {to}…"));
}

/// Records the decision on the board's selected practice, at the mean (one batch: the session's
/// consensus entry and the practice's status).
fn decide(app: &mut App, decision: Decision) {
    let Some(s) = session_of(app) else { return };
    let pane = app.scoring.clone().expect("pane");
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
    app.send(
        Command::Evaluate(Evaluate::Decide {
            session: s.id.clone(),
            practice: pid.clone(),
            decision,
            value,
            comment: why,
            seen,
        }),
        None,
        Purpose::Plain(format!(
            "Decision {decision} on {}",
            practice_title(app, &pid)
        )),
    );
    if agreed.is_some() {
        app.scoring.as_mut().expect("pane").agreed = None;
    }
    app.say(Level::Info, format!("Recording {decision}…"));
}

/// Carries out an action while the scoring pane is open.
pub fn update(app: &mut App, action: Action) {
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
            match next_unscored(app, &s, &e, from) {
                Some(i) => {
                    let c = first_missing(app, &s, &e, i).unwrap_or(0);
                    let pane = app.scoring.as_mut().expect("pane");
                    pane.practice = i;
                    pane.criterion = c;
                    pane.board = false;
                }
                None => app.say(Level::Info, "Every practice is scored"),
            }
        }
        Action::ScoreNumber if !board => {
            app.scoring.as_mut().expect("pane").entry = Some(Entry {
                purpose: EntryFor::Number,
                text: String::new(),
            })
        }
        Action::ScoreClear if !board => clear(app),
        Action::ScoreAbstain if !board => {
            app.scoring.as_mut().expect("pane").entry = Some(Entry {
                purpose: EntryFor::Abstain,
                text: "conflict of interest".into(),
            })
        }
        Action::ScoreComment if !board => {
            let Some(s) = session_of(app) else { return };
            let old = s
                .practices
                .get(pane.practice)
                .zip(s.criteria.get(pane.criterion))
                .and_then(|(p, c)| score_of(app, &s, p, &pane.evaluator, &c.code))
                .map(|o| o.comment.clone());
            match old {
                Some(text) => {
                    app.scoring.as_mut().expect("pane").entry = Some(Entry {
                        purpose: EntryFor::Comment,
                        text,
                    })
                }
                None => app.say(Level::Info, "Score the criterion first, then comment on it"),
            }
        }
        Action::PracticeComment if !board => {
            let Some(s) = session_of(app) else { return };
            let text = practice_comment_of(app, pane, &s).unwrap_or_default();
            app.scoring.as_mut().expect("pane").entry = Some(Entry {
                purpose: EntryFor::PracticeComment,
                text,
            });
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
            app.scoring.as_mut().expect("pane").entry = Some(Entry {
                purpose: EntryFor::ConsensusValue,
                text,
            });
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
        Action::ScoreUndo => undo(app),
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
        Action::Help => app.popup = Some(super::app::Popup::Help { scroll: 0 }),
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

// ----- drawing -----

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("–".to_string(), |v| format!("{v:.2}"))
}

fn mark_text(app: &App, pane: &ScoringPane, s: &EvaluationSession, c: &Criterion) -> String {
    let Some(p) = s.practices.get(pane.practice) else {
        return String::new();
    };
    let id = Score::key(&s.id, p, &pane.evaluator, &c.code).to_string();
    if let Some(mark) = pane.pending.get(&id) {
        let what = match mark {
            PendingMark::Value(v) => v.to_string(),
            PendingMark::Abstain => "abstain".into(),
            PendingMark::Cleared => "clear".into(),
            PendingMark::Comment | PendingMark::Undo => "…".into(),
        };
        return format!("{what} … saving");
    }
    match score_of(app, s, p, &pane.evaluator, &c.code) {
        Some(sc) => {
            let v = sc.value.map_or_else(
                || format!("abstained ({})", sc.abstain_reason),
                |v| v.to_string(),
            );
            if sc.comment.trim().is_empty() {
                v
            } else {
                format!("{v} [c]")
            }
        }
        None => "·".to_string(),
    }
}

/// Draws the scoring pane (or the board) into `area`.
pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let Some(pane) = app.scoring.clone() else {
        return;
    };
    let Some(s) = session_of(app) else {
        frame.render_widget(
            Paragraph::new("This session was deleted; q goes back."),
            area,
        );
        return;
    };
    let [head, body, entry] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(if pane.entry.is_some() { 1 } else { 0 }),
    ])
    .areas(area);
    let done_here = scored(app, &s, &pane.evaluator, pane.practice);
    let done_all = (0..s.practices.len())
        .filter(|i| scored(app, &s, &pane.evaluator, *i) == s.criteria.len())
        .count();
    let who = if pane.proxy(&app.user) {
        format!("typing in for {} (proxy)", pane.evaluator)
    } else {
        format!("evaluator {}", pane.evaluator)
    };
    let title = sanitize(&s.title, false);
    let head_lines = vec![
        Line::from(vec![
            Span::styled(title, bold()),
            Span::raw(format!("  [{}]  {who}", s.state)),
        ]),
        Line::from(format!(
            "Practice {}/{}: {done_here}/{} criteria · session {done_all}/{} practices scored",
            pane.practice + 1,
            s.practices.len(),
            s.criteria.len(),
            s.practices.len()
        )),
    ];
    frame.render_widget(Paragraph::new(head_lines), head);
    if let Some(e) = &pane.entry {
        let what = match e.purpose {
            EntryFor::Number => "Score",
            EntryFor::Abstain => "Abstain, reason",
            EntryFor::Comment => "Comment",
            EntryFor::PracticeComment => "Comment on the practice (blank removes it)",
            EntryFor::ConsensusValue => "Consensus value (instead of the mean)",
            EntryFor::ConsensusWhy(_) => "Why this value",
        };
        frame.render_widget(
            Paragraph::new(format!(
                "{what}: {}_  (Enter saves, Ctrl-g cancels)",
                e.text
            ))
            .style(Style::default().add_modifier(Modifier::REVERSED)),
            entry,
        );
    }
    if pane.board {
        draw_board(frame, app, &pane, &s, body);
    } else {
        draw_scoring(frame, app, &pane, &s, body);
    }
}

fn card_lines(app: &App, s: &EvaluationSession, pane: &ScoringPane) -> Vec<Line<'static>> {
    let Some(pid) = s.practices.get(pane.practice) else {
        return vec![Line::from("No practices in this session")];
    };
    let Some(Record::Practice(p)) = app.replica.record(Kind::Practice, pid.as_str()) else {
        return vec![Line::from(format!("{pid} (not found)"))];
    };
    let t = |x: &str| sanitize(x, false);
    let place: Vec<&str> = [p.city.as_str(), p.region.as_str(), p.country.as_str()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    let mut out = vec![
        Line::from(Span::styled(t(&p.title), bold())),
        Line::from(format!("Owner: {}", t(&p.owner))),
        Line::from(format!("Place: {}", t(&place.join(", ")))),
        Line::from(format!(
            "Sub-theme: {}",
            p.sub_theme.map_or("–".to_string(), |x| x.to_string())
        )),
    ];
    let comment_id = Score::key(&s.id, pid, &pane.evaluator, Score::PRACTICE_COMMENT).to_string();
    let comment = if pane.pending.contains_key(&comment_id) {
        Some("… saving".to_string())
    } else {
        score_of(app, s, pid, &pane.evaluator, Score::PRACTICE_COMMENT).map(|c| t(&c.comment))
    };
    if let Some(comment) = comment {
        out.push(Line::from(vec![
            Span::styled("Your comment: ", bold()),
            Span::raw(comment),
        ]));
    }
    for (label, text) in [
        ("Summary", &p.summary),
        ("Evidence of success", &p.evidence),
        ("Transfer potential", &p.transfer_potential),
    ] {
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(label.to_string(), bold())));
        out.push(Line::from(t(&text.text())));
    }
    out
}

fn draw_scoring(
    frame: &mut Frame,
    app: &App,
    pane: &ScoringPane,
    s: &EvaluationSession,
    area: Rect,
) {
    let (card_area, crit_area) = if area.width >= 70 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(area);
        (Some(a), b)
    } else {
        (None, area)
    };
    if let Some(a) = card_area {
        frame.render_widget(
            Paragraph::new(card_lines(app, s, pane))
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Practice ")),
            a,
        );
    }
    let mut lines = Vec::new();
    if card_area.is_none()
        && let Some(pid) = s.practices.get(pane.practice)
    {
        lines.push(Line::from(Span::styled(practice_title(app, pid), bold())));
    }
    for (i, c) in s.criteria.iter().enumerate() {
        let current = i == pane.criterion;
        let marker = if current { "▶ " } else { "  " };
        let style = if current {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{marker}{} {}  ({}–{}): {}",
                c.code,
                sanitize(&c.label, false),
                c.scale.min,
                c.scale.max,
                mark_text(app, pane, s, c)
            ),
            style,
        )));
        if current || area.height as usize > s.criteria.len() * 3 {
            let hints: Vec<String> = c
                .scale
                .points
                .iter()
                .map(|p| format!("{} {}", p.value, sanitize(&p.meaning, false)))
                .collect();
            if !hints.is_empty() {
                lines.push(Line::from(format!("    {}", hints.join(" · "))));
            }
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(" Criteria ")),
        crit_area,
    );
}

/// The spread of a criterion's scores as characters over the scale: one column per point with
/// the count in `#` ("1:# 2:### 3:"), plus abstentions.
pub fn histogram(r: &sc::CriterionResult, c: &Criterion) -> String {
    let step = c.scale.step.as_f64().max(0.1);
    let (lo, hi) = (c.scale.min.as_f64(), c.scale.max.as_f64());
    let points = ((hi - lo) / step).round() as usize + 1;
    let mut parts = Vec::new();
    if points <= 11 {
        for k in 0..points {
            let v = lo + k as f64 * step;
            let n = r
                .histogram
                .iter()
                .filter(|(x, _)| (x - v).abs() < 1e-6)
                .map(|(_, n)| *n)
                .sum::<usize>();
            parts.push(format!("{}:{}", trim_num(v), "#".repeat(n)));
        }
    } else {
        for (v, n) in &r.histogram {
            parts.push(format!("{}:{}", trim_num(*v), "#".repeat(*n)));
        }
    }
    if r.abstained > 0 {
        parts.push(format!("abstained:{}", r.abstained));
    }
    parts.join(" ")
}

fn trim_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn draw_board(frame: &mut Frame, app: &App, pane: &ScoringPane, s: &EvaluationSession, area: Rect) {
    let mut board = sc::board_of(&app.replica, s);
    board.sort(pane.board_sort);
    let sort = match pane.board_sort {
        SortBy::Session => "session order",
        SortBy::Rank => "by score",
        SortBy::Disagreement => "by disagreement",
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Board ({sort}) · {}/{} practices complete",
            board.complete_practices,
            board.practices.len()
        ),
        bold(),
    ))];
    lines.push(Line::from(
        "Rk Practice              Done  Mean  Med  Min–Max   SD  Result Flag",
    ));
    for (i, p) in board.practices.iter().enumerate() {
        let verdict = match &p.verdict {
            sc::Verdict::Pending | sc::Verdict::Unjudged => "–",
            sc::Verdict::Pass => "PASS",
            sc::Verdict::Fail(_) => "FAIL",
        };
        let flag = if p.disagreement { "DISAGREE" } else { "" };
        let mut title: String = sanitize(&p.title, false).chars().take(20).collect();
        while title.chars().count() < 20 {
            title.push(' ');
        }
        let row = format!(
            "{:>2} {title} {:>2}/{:<2} {:>5} {:>4} {:>4}–{:<4} {:>4} {:<6} {flag}",
            p.rank.map_or("–".to_string(), |r| r.to_string()),
            p.complete,
            p.expected,
            fmt(p.final_value),
            p.stats.median.map_or("–".into(), |v| format!("{v:.1}")),
            p.stats.min.map_or("–".into(), |v| format!("{v:.1}")),
            p.stats.max.map_or("–".into(), |v| format!("{v:.1}")),
            p.stats.std_dev.map_or("–".into(), |v| format!("{v:.1}")),
            verdict,
        );
        let style = if i == pane.board_selected {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(row, style)));
    }
    if let Some(p) = board.practices.get(pane.board_selected) {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("Criteria of {}", sanitize(&p.title, false)),
            bold(),
        )));
        if let sc::Verdict::Fail(reasons) = &p.verdict {
            lines.push(Line::from(format!("Fails: {}", reasons.join("; "))));
        }
        if let Some(a) = pane.agreed.as_ref().filter(|a| a.practice == p.practice) {
            lines.push(Line::from(format!(
                "Agreed {} instead of the mean {} ({}): V/R/D records it with the decision",
                a.value,
                fmt(p.stats.mean),
                sanitize(&a.why, false)
            )));
        }
        if let Some(c) = &p.consensus {
            let value = c.value.map_or_else(
                || format!("at the mean {}", fmt(p.stats.mean)),
                |v| format!("at {v}"),
            );
            let why = if c.comment.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", sanitize(&c.comment, false))
            };
            let decision = c
                .decision
                .map_or("no decision yet".into(), |d| d.to_string());
            lines.push(Line::from(format!("Consensus {decision} {value}{why}")));
        }
        for (who, text) in &p.comments {
            lines.push(Line::from(format!(
                "  {who} on the practice: {}",
                sanitize(text, false)
            )));
        }
        for (r, c) in p.criteria.iter().zip(&s.criteria) {
            let flag = if r.disagreement.is_empty() {
                String::new()
            } else {
                " DISAGREE".to_string()
            };
            lines.push(Line::from(format!(
                "{} mean {} sd {}{flag}  {}",
                r.code,
                fmt(r.stats.mean),
                fmt(r.stats.std_dev),
                histogram(r, c)
            )));
            for (who, text) in &r.comments {
                lines.push(Line::from(format!("    {who}: {}", sanitize(text, false))));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
