//! The scoring pane and the board of an evaluation session.
//!
//! The pane reads everything from the replica on every draw, so scores from others (arriving
//! through `App::apply`) show at once; the user's place is kept as indexes into the session's
//! practices and criteria, which never move while the session is open. Every score is sent
//! through the outbox and shows a pending mark until its result comes back.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::model::text::sanitize;
use crate::model::*;
use crate::scoring::{self as sc, Mark, SortBy};

use super::feature::{Cx, Effect, Level, Purpose};
use super::keymap::{Action, Context, action_for};
use super::outbox::Outcome;
use super::theme::Theme;

/// What the pane's steps work with: what they read (the records, the theme, the user), the
/// pane (None once it closed), and the effects they ask for.
pub(crate) struct Here<'a> {
    replica: &'a std::sync::Arc<Replica>,
    theme: &'a Theme,
    user: String,
    scoring: Option<&'a mut ScoringPane>,
    fx: Vec<Effect>,
}

impl<'a> Here<'a> {
    fn new(cx: &Cx<'a>, pane: &'a mut ScoringPane) -> Here<'a> {
        Here {
            replica: cx.replica,
            theme: cx.theme,
            user: cx.user.to_string(),
            scoring: Some(pane),
            fx: Vec::new(),
        }
    }

    /// What was asked for; a pane that closed asks to be let go.
    fn done(self) -> Vec<Effect> {
        let mut fx = self.fx;
        if self.scoring.is_none() {
            fx.push(Effect::Close);
        }
        fx
    }

    fn say(&mut self, level: Level, text: impl Into<String>) {
        self.fx.push(Effect::Say(level, text.into()));
    }

    fn send(&mut self, command: Command, on_behalf_of: Option<String>, purpose: Purpose) {
        self.fx.push(Effect::Send(command, on_behalf_of, purpose));
    }
}

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
    /// The reason a confirmation asks for (closing undecided, an override, deciding without
    /// full scores).
    Reason,
}

/// A line being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub purpose: EntryFor,
    pub text: String,
    /// Where the next character goes (a char index): the one text input edits it.
    pub cursor: usize,
    /// Abstaining: the usual reason chosen with the arrows (used when nothing is typed).
    pub choice: usize,
}

impl Entry {
    pub fn new(purpose: EntryFor, text: impl Into<String>) -> Entry {
        let text: String = text.into();
        Entry {
            purpose,
            cursor: text.chars().count(),
            text,
            choice: 0,
        }
    }
}

/// The usual reasons for abstaining, offered as choices: a digit or the arrows pick one; a
/// reason of one's own is typed into the empty line instead.
pub const ABSTAIN_REASONS: [&str; 3] = [
    "conflict of interest",
    "not present when it was presented",
    "outside my expertise",
];

/// A step that cannot be undone, shown before it is taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    /// What will happen, line by line.
    pub lines: Vec<String>,
    /// The store needs a reason for it: typed into the entry line, Enter takes the step.
    pub needs_reason: bool,
    pub step: Step,
}

/// What a confirmation does once confirmed.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Move {
        from: SessionState,
        to: SessionState,
    },
    Decide {
        practice: PracticeId,
        decision: Decision,
        value: Option<Decimal1>,
        /// Why the agreed value (sent when no reason is asked for).
        comment: String,
        seen: Option<ConsensusEntry>,
    },
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
    /// Score ids the store refused, with its words: shown on their criterion until scored again.
    pub refused: BTreeMap<String, String>,
    /// The step waiting for `y` (or for its reason).
    pub confirm: Option<Confirm>,
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

impl ScoringPane {
    /// The scoring pane of a session (and what to say), or why there is none.
    pub fn open(cx: &Cx, session: &str) -> (Option<ScoringPane>, Vec<Effect>) {
        let say = |level, text: String| vec![Effect::Say(level, text)];
        let Some(Record::Session(s)) = cx.replica.record(Kind::Session, session) else {
            return (
                None,
                say(Level::Error, format!("There is no session '{session}'")),
            );
        };
        let facilitator = matches!(
            cx.replica.record(Kind::Member, cx.user),
            Some(Record::Member(m)) if m.facilitator
        );
        let user = cx.user.to_string();
        let evaluator = if s.evaluators.contains(&user) || !facilitator {
            user
        } else {
            s.evaluators.first().cloned().unwrap_or(user)
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
            refused: BTreeMap::new(),
            confirm: None,
        };
        if let Some(i) = next_unscored(cx.replica, s, &pane.evaluator, usize::MAX) {
            pane.practice = i;
            pane.criterion = first_missing(cx.replica, s, &pane.evaluator, i).unwrap_or(0);
        }
        let hint = if s.state == SessionState::Open {
            "digits score, ? lists every key"
        } else {
            "the session is not open for scoring; b shows the board"
        };
        (
            Some(pane),
            say(Level::Info, format!("Scoring '{}': {hint}", s.title)),
        )
    }

    /// The scoring pane from the selected record: a session, or a meeting with a session.
    pub fn open_selected(
        cx: &Cx,
        selected: Option<(Kind, String)>,
    ) -> (Option<ScoringPane>, Vec<Effect>) {
        let say = |text: &str| (None, vec![Effect::Say(Level::Info, text.to_string())]);
        let Some((kind, id)) = selected else {
            return say("Select a session or a meeting to score");
        };
        match kind {
            Kind::Session => ScoringPane::open(cx, &id),
            Kind::Meeting => {
                let session = cx
                    .replica
                    .rows(Kind::Session)
                    .find_map(|r| match &r.record {
                        Record::Session(s) if s.meeting.as_str() == id => Some(s.id.to_string()),
                        _ => None,
                    });
                match session {
                    Some(s) => ScoringPane::open(cx, &s),
                    None => say("This meeting has no evaluation session"),
                }
            }
            _ => say("s scores a session: select a session or a meeting with one"),
        }
    }

    /// The pane's answer to an action (the keymap's Scoring and Board contexts).
    pub fn update(&mut self, cx: &Cx, action: Action) -> Vec<Effect> {
        let mut here = Here::new(cx, self);
        update(&mut here, action);
        here.done()
    }

    /// A key while the pane is open (in `context`): a line typed, a digit that scores, or the
    /// answer to a confirmation; with whether it meant anything. None: not the pane's key (the
    /// keymap's row applies).
    pub fn key(
        &mut self,
        cx: &Cx,
        key: &KeyEvent,
        context: Context,
    ) -> Option<(bool, Vec<Effect>)> {
        let mut here = Here::new(cx, self);
        let done = handle_key(&mut here, key, context)?;
        Some((done, here.done()))
    }

    /// Pasted text goes into the line being typed, if any.
    pub fn paste(&mut self, text: &str) -> bool {
        match self.entry.as_mut() {
            Some(entry) => {
                super::input::insert_text(&mut entry.text, &mut entry.cursor, text, false);
                true
            }
            None => false,
        }
    }

    /// The store's answer to a score change (a change made is applied already).
    pub fn on_result(&mut self, cx: &Cx, id: String, result: Outcome) -> Vec<Effect> {
        let mut here = Here::new(cx, self);
        on_result(&mut here, id, result);
        here.done()
    }

    /// Whether an action does something in the pane now (the hints show only those).
    pub fn applicable(&self, cx: &Cx, action: Action) -> bool {
        let Some(Record::Session(s)) = cx.replica.record(Kind::Session, &self.session) else {
            return true;
        };
        let facilitator = matches!(
            cx.replica.record(Kind::Member, cx.user),
            Some(Record::Member(m)) if m.facilitator
        );
        match action {
            Action::DecideValidated
            | Action::DecideRejected
            | Action::DecideDeferred
            | Action::ConsensusValue => s.state == SessionState::Consensus,
            Action::SessionForward => s.state != SessionState::Closed && facilitator,
            Action::SessionBack => s.state == SessionState::Consensus && facilitator,
            _ => true,
        }
    }
}

fn is_facilitator(app: &Here<'_>) -> bool {
    matches!(
        app.replica.record(Kind::Member, &app.user),
        Some(Record::Member(m)) if m.facilitator
    )
}

fn session_of(app: &Here<'_>) -> Option<EvaluationSession> {
    let pane = app.scoring.as_ref()?;
    match app.replica.record(Kind::Session, &pane.session) {
        Some(Record::Session(s)) => Some((**s).clone()),
        _ => None,
    }
}

fn score_of<'a>(
    replica: &'a Replica,
    s: &EvaluationSession,
    practice: &PracticeId,
    evaluator: &str,
    criterion: &str,
) -> Option<&'a Score> {
    let id = Score::key(&s.id, practice, evaluator, criterion);
    match replica.record(Kind::Score, id.as_str()) {
        Some(Record::Score(sc)) => Some(sc),
        _ => None,
    }
}

/// How many criteria of a practice the evaluator has scored or abstained on.
pub fn scored(replica: &Replica, s: &EvaluationSession, evaluator: &str, practice: usize) -> usize {
    let Some(p) = s.practices.get(practice) else {
        return 0;
    };
    s.criteria
        .iter()
        .filter(|c| score_of(replica, s, p, evaluator, &c.code).is_some())
        .count()
}

fn first_missing(
    replica: &Replica,
    s: &EvaluationSession,
    evaluator: &str,
    practice: usize,
) -> Option<usize> {
    let p = s.practices.get(practice)?;
    s.criteria
        .iter()
        .position(|c| score_of(replica, s, p, evaluator, &c.code).is_none())
}

/// The next practice after `from` (cyclically; `usize::MAX`: from the start) that misses scores.
fn next_unscored(
    replica: &Replica,
    s: &EvaluationSession,
    evaluator: &str,
    from: usize,
) -> Option<usize> {
    let n = s.practices.len();
    let start = if from == usize::MAX { 0 } else { from + 1 };
    (0..n)
        .map(|k| (start + k) % n)
        .find(|i| scored(replica, s, evaluator, *i) < s.criteria.len())
}

/// Handles a key while the scoring pane is open (typing, digits, confirmations); None: not
/// handled here.
fn handle_key(app: &mut Here<'_>, key: &KeyEvent, context: Context) -> Option<bool> {
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
fn typing(app: &mut Here<'_>, key: &KeyEvent) -> bool {
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
            if let Some(edit) = super::input::Edit::of(action) {
                super::input::edit_text(&mut entry.text, &mut entry.cursor, edit);
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
                _ if entry.text.chars().count() < 500 => super::input::insert_text(
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
fn refuse_entry(app: &mut Here<'_>, entry: Entry, why: String) {
    app.say(Level::Error, why);
    if let Some(pane) = app.scoring.as_mut() {
        pane.entry = Some(entry);
    }
}

/// The number typed for the current criterion, if it lies on the criterion's scale.
fn number_on_scale(app: &Here<'_>, text: &str) -> Result<Decimal1, String> {
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

fn finish_entry(app: &mut Here<'_>, entry: Entry) {
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
fn board_practice(app: &Here<'_>) -> Option<PracticeId> {
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
fn agree_value(app: &mut Here<'_>, text: &str) {
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
fn put_practice_comment(app: &mut Here<'_>, text: &str) {
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
fn practice_comment_of(
    app: &Here<'_>,
    pane: &ScoringPane,
    s: &EvaluationSession,
) -> Option<String> {
    let p = s.practices.get(pane.practice)?;
    score_of(app.replica, s, p, &pane.evaluator, Score::PRACTICE_COMMENT).map(|c| c.comment.clone())
}

fn digit(app: &mut Here<'_>, d: u32) {
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
fn put_mark(app: &mut Here<'_>, mark: Option<Mark>, comment: Option<String>, advance: bool) {
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
fn missing_sent(
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
fn advance_after(app: &mut Here<'_>, s: &EvaluationSession) {
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

fn practice_title(app: &Here<'_>, id: &PracticeId) -> String {
    app.replica
        .record(Kind::Practice, id.as_str())
        .map(|r| sanitize(&r.title(), false))
        .unwrap_or_else(|| id.to_string())
}

fn clear(app: &mut Here<'_>) {
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

fn undo(app: &mut Here<'_>) {
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

/// Where a score id of the pane's evaluator is: (practice, criterion) indexes.
fn place_of(app: &Here<'_>, id: &str) -> Option<(usize, usize)> {
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
fn on_result(app: &mut Here<'_>, id: String, result: Outcome) {
    let undoing = id.starts_with("undo #");
    if let Some(pane) = app.scoring.as_mut() {
        pane.pending.remove(&id);
    }
    match result {
        Ok(committed) => {
            if let Some(pane) = app.scoring.as_mut() {
                pane.refused.remove(&id);
                if !undoing {
                    pane.undo.push(committed.seq);
                }
            }
            let what = if undoing { "Undone" } else { "Saved" };
            app.say(
                Level::Info,
                format!("{what}: {} (change #{})", committed.summary, committed.seq),
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
                format!("Not saved: {code} of '{title}': {why}"),
            );
        }
    }
}

fn move_practice(app: &mut Here<'_>, delta: isize) {
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

fn move_criterion(app: &mut Here<'_>, delta: isize) {
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

fn switch_evaluator(app: &mut Here<'_>) {
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
    let c = first_missing(app.replica, &s, &e, p).unwrap_or(0);
    app.scoring.as_mut().expect("pane").criterion = c;
    app.say(Level::Info, text);
}

/// A title for a confirmation, in quotes and cut to a readable length.
fn quoted(app: &Here<'_>, id: &PracticeId) -> String {
    format!(
        "'{}'",
        super::text::truncate(&practice_title(app, id), 60, "…")
    )
}

/// Asks before moving the session on (or back): what will happen, from the board; closing with
/// practices undecided or incompletely scored lists them and asks for the reason.
fn move_session(app: &mut Here<'_>, forward: bool) {
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
    let board = sc::board_of(&app.replica, &s);
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
fn ask(app: &mut Here<'_>, confirm: Confirm, prefill: String) {
    let pane = app.scoring.as_mut().expect("pane");
    pane.entry = confirm
        .needs_reason
        .then(|| Entry::new(EntryFor::Reason, prefill));
    pane.confirm = Some(confirm);
    app.fx.push(Effect::Hush);
}

/// Takes the confirmed step, with the reason typed for it.
fn take_step(app: &mut Here<'_>, reason: Option<String>) {
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
fn decide(app: &mut Here<'_>, decision: Decision) {
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
    let board = sc::board_of(&app.replica, &next);
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

/// Carries out an action while the scoring pane is open.
fn update(app: &mut Here<'_>, action: Action) {
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

mod draw;
use draw::fmt;
pub use draw::histogram;
