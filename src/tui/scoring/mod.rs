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

use super::feature::{Cx, Done, Effect, Level, Purpose};
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
        self.fx
            .push(Effect::Send(Box::new(command), on_behalf_of, purpose));
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

    /// Where `u` undoes in the pane: the score changes made in it for the evaluator typed for.
    pub fn undo_scope(&self) -> String {
        format!("{}\u{1f}{}", self.session, self.evaluator)
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

mod draw;
mod entry;
mod marks;
mod session;
mod update;

use draw::fmt;
pub use draw::histogram;
use entry::*;
use marks::*;
use session::*;
use update::*;
