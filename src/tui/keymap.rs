//! The one keymap table. Keys become [`Action`]s only through [`KEYMAP`]; the `?` help and the
//! status-bar hints are drawn from the same table, so what the screen says is what the keys do.
//!
//! Deliberately absent: Ctrl-arrows, Shift/Ctrl-Enter and Ctrl-b (terminal multiplexers take
//! them); every Esc has a `q` and Ctrl-g twin (tmux delays Esc). Ctrl-a goes to the start of a
//! line typed, as in readline (under screen it never arrives; Home does the same). Only key
//! presses count.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks the workbench to do. [`super::update`] carries it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    /// Focus the next pane (navigation → list → detail).
    NextPane,
    PrevPane,
    /// Open the selection: a kind's list, a record's detail, a link, a menu choice.
    Open,
    /// Go back to where the last followed link was.
    Back,
    Help,
    /// Close the popup, or quit when none is open.
    Close,
    /// Quit at once.
    Quit,
    /// Choose a filter for the current list.
    Filter,
    /// Choose the sort order of the current list.
    Sort,
    ClearFilters,
    /// Cycle the project the workbench shows: all, then each project.
    Project,
    /// Suspend to the shell (Ctrl-z); `fg` resumes.
    Suspend,
    /// Open the scoring pane of the selected session (or meeting with a session).
    OpenScoring,
    /// A digit: score the current criterion with it (the key says which).
    ScoreDigit,
    ScoreNumber,
    ScoreClear,
    ScoreAbstain,
    ScoreComment,
    /// Comment on the practice as a whole.
    PracticeComment,
    ScoreProxy,
    ScoreBoard,
    NextPractice,
    PrevPractice,
    NextUnscored,
    SessionForward,
    SessionBack,
    /// Board, consensus stage: agree a value other than the mean, with a comment.
    ConsensusValue,
    /// Board, consensus stage: record the decision on the selected practice (at the agreed
    /// value, or the mean).
    DecideValidated,
    DecideRejected,
    DecideDeferred,
    /// Take the step a confirmation shows (`y`).
    Confirm,
    /// Delete from the cursor to the start of the line being typed.
    ClearLine,
    /// A form for a new record of the shown kind.
    New,
    /// A form for the selected record.
    Edit,
    /// Delete the selected record (asks first).
    Delete,
    /// Erase the selected stakeholder's personal data for good (asks first).
    Erase,
    /// Undo the last change made here.
    Undo,
    /// The selected record's history.
    History,
    /// Save the open form.
    Save,
    /// Search every kind of record (the popup); in its results, type the query again.
    Search,
    /// Type a text filter for the shown list.
    Narrow,
    /// In a form's list of references: search a record to add.
    Pick,
    /// In a form's follow-ups: tick the line under the cursor done, or not done.
    Tick,
    /// Show the last messages in full.
    Messages,
    /// Where a line is typed: the character typed goes in at the cursor (the help's "letters"
    /// row; a key reaches it when no other row of the context takes it).
    Type,
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    DeleteBack,
    DeleteForward,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete from the cursor to the end of the line.
    ClearToEnd,
    /// A form's choice: the one before, the one after.
    ChoicePrev,
    ChoiceNext,
    /// A form's reference: set it to none.
    ClearRef,
    /// Write the selected record's document (minutes, handbook, monitoring report, evaluation
    /// report) to a file: asks where first.
    WriteDocument,
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// The panes, with no popup open.
    Main,
    /// A menu (filter or sort) is open.
    Popup,
    /// The help is open.
    Help,
    /// The terminal is too small to draw the panes.
    TooSmall,
    /// The scoring pane of an evaluation session: the card and its criteria.
    Scoring,
    /// The session's board (over the scoring pane): statistics, consensus and decisions.
    Board,
    /// A step that cannot be undone is shown before it is taken: `y` takes it.
    Confirm,
    /// Asked whether to quit: `y` quits.
    Quit,
    /// Typing a line in the scoring pane (a number, a reason, a comment).
    Entry,
    /// A form (or a delete confirmation, or a history view) is open: other keys type.
    Form,
    /// The search popup, typing the query: other keys type.
    Search,
    /// The search popup, moving through the results.
    SearchList,
    /// Typing a list's text filter: other keys type.
    Narrow,
    /// Typing the path a document is written to (`w`): other keys type.
    Path,
    /// A record's history (over the panes).
    History,
    /// A form's search for a record to refer to: other keys type the query.
    Picker,
    /// A form, on a field that is a choice.
    FormChoice,
    /// A form, on a field that refers to a record.
    FormReference,
    /// A form, on its [ Save ] button.
    FormSave,
}

impl Context {
    /// Every context, for the help and the tests that walk them.
    pub const ALL: &'static [Context] = ALL;
}

/// One key: a code and the modifiers that must be held (Shift is ignored for characters, whose
/// case already says it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

/// Stands for any character typed (the help's "letters" row); no key event matches it.
pub const ANY_CHAR: Key = key(KeyCode::Null);

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

/// One row of the keymap.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub contexts: &'static [Context],
    /// The heading the help groups it under.
    pub section: &'static str,
    /// What the help says it does.
    pub help: &'static str,
    /// The word shown in the status bar, if it is shown there. Bindings with the same hint are
    /// shown together ("j/k move").
    pub hint: Option<&'static str>,
}

use Context::*;

const MAIN: &[Context] = &[Main];
const POPUP: &[Context] = &[Popup];
const MOVING: &[Context] = &[Main, Popup, Help, Scoring, Board, SearchList, History];
const HELPFUL: &[Context] = &[Main, Popup, Help, Scoring, Board, SearchList];
const ALL: &[Context] = &[
    Main,
    Popup,
    Help,
    TooSmall,
    Scoring,
    Board,
    Confirm,
    Quit,
    Entry,
    Form,
    Search,
    SearchList,
    Narrow,
    Path,
    History,
    Picker,
    FormChoice,
    FormReference,
    FormSave,
];
/// Where a line is typed: the editing keys.
const TYPING: &[Context] = &[Search, Narrow, Path, Picker, Entry, Form];
/// A form, whichever field has the focus.
const FORMS: &[Context] = &[Form, FormChoice, FormReference, FormSave];
const SEARCH: &[Context] = &[Search];
const SEARCHING: &[Context] = &[Search, SearchList];
const SCORING: &[Context] = &[Scoring];
/// A question waiting for `y`.
const CONFIRMING: &[Context] = &[Confirm, Quit];
const BOARD: &[Context] = &[Board];
const SESSION: &[Context] = &[Scoring, Board];

/// Every key the workbench knows, in the order the help lists them.
pub const KEYMAP: &[Binding] = &[
    Binding {
        keys: &[ch('j'), key(KeyCode::Down)],
        action: Action::Down,
        contexts: MOVING,
        section: "Moving",
        help: "move down one line",
        hint: Some("move"),
    },
    Binding {
        keys: &[ch('k'), key(KeyCode::Up)],
        action: Action::Up,
        contexts: MOVING,
        section: "Moving",
        help: "move up one line",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::PageDown), ctrl('d')],
        action: Action::PageDown,
        contexts: MOVING,
        section: "Moving",
        help: "move down one page",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::PageUp), ctrl('u')],
        action: Action::PageUp,
        contexts: MOVING,
        section: "Moving",
        help: "move up one page",
        hint: None,
    },
    Binding {
        keys: &[ch('g'), key(KeyCode::Home)],
        action: Action::Top,
        contexts: MOVING,
        section: "Moving",
        help: "go to the top",
        hint: None,
    },
    Binding {
        keys: &[ch('G'), key(KeyCode::End)],
        action: Action::Bottom,
        contexts: MOVING,
        section: "Moving",
        help: "go to the bottom",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        action: Action::NextPane,
        contexts: MAIN,
        section: "Panes and links",
        help: "next pane: navigation, list, detail",
        hint: Some("pane"),
    },
    Binding {
        keys: &[key(KeyCode::BackTab)],
        action: Action::PrevPane,
        contexts: MAIN,
        section: "Panes and links",
        help: "previous pane",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: MAIN,
        section: "Panes and links",
        help: "open the list or record, follow the link (marked →)",
        hint: Some("open"),
    },
    Binding {
        keys: &[key(KeyCode::Backspace)],
        action: Action::Back,
        contexts: MAIN,
        section: "Panes and links",
        help: "go back to where you followed a link from",
        hint: Some("back"),
    },
    Binding {
        keys: &[ch('/')],
        action: Action::Search,
        contexts: MAIN,
        section: "Search",
        help: "search every kind of record (p: practices, m: meetings, v: vouchers, …)",
        hint: Some("search"),
    },
    Binding {
        keys: &[key(KeyCode::Down), ctrl('n')],
        action: Action::Down,
        contexts: SEARCH,
        section: "Search",
        help: "while typing: next result",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::Up), ctrl('p')],
        action: Action::Up,
        contexts: SEARCH,
        section: "Search",
        help: "while typing: previous result",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::PageDown)],
        action: Action::PageDown,
        contexts: SEARCH,
        section: "Search",
        help: "while typing: a page of results down",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::PageUp)],
        action: Action::PageUp,
        contexts: SEARCH,
        section: "Search",
        help: "while typing: a page of results up",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        action: Action::NextPane,
        contexts: SEARCH,
        section: "Search",
        help: "to the results (j/k, g/G move there; / or Tab types again)",
        hint: Some("results"),
    },
    Binding {
        keys: &[ch('/'), key(KeyCode::Tab)],
        action: Action::Search,
        contexts: &[SearchList],
        section: "Search",
        help: "back to typing the query",
        hint: Some("type"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: SEARCHING,
        section: "Search",
        help: "open the selected record (Backspace comes back)",
        hint: Some("open"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: SEARCH,
        section: "Search",
        help: "close the search (/ reopens it as it was); q types a q",
        hint: Some("close"),
    },
    Binding {
        keys: &[ch('q'), key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[SearchList],
        section: "Search",
        help: "close the search",
        hint: Some("close"),
    },
    Binding {
        keys: &[ch('F')],
        action: Action::Narrow,
        contexts: MAIN,
        section: "Lists",
        help: "narrow the list by text (the search's matcher; x clears)",
        hint: Some("narrow"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: &[Narrow],
        section: "Lists",
        help: "keep the text filter",
        hint: Some("keep"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[Narrow],
        section: "Lists",
        help: "cancel the text filter (back to the one before)",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[ch('f')],
        action: Action::Filter,
        contexts: MAIN,
        section: "Lists",
        help: "filter the list (status, country, year, …)",
        hint: Some("filter"),
    },
    Binding {
        keys: &[ch('o')],
        action: Action::Sort,
        contexts: MAIN,
        section: "Lists",
        help: "choose the sort order",
        hint: Some("sort"),
    },
    Binding {
        keys: &[ch('x')],
        action: Action::ClearFilters,
        contexts: MAIN,
        section: "Lists",
        help: "clear the list's filters",
        hint: None,
    },
    Binding {
        keys: &[ch('p')],
        action: Action::Project,
        contexts: MAIN,
        section: "Lists",
        help: "show one project, the next one, or all",
        hint: Some("project"),
    },
    Binding {
        keys: &[ch('n')],
        action: Action::New,
        contexts: MAIN,
        section: "Editing",
        help: "new record of the shown kind (a form)",
        hint: Some("new"),
    },
    Binding {
        keys: &[ch('e')],
        action: Action::Edit,
        contexts: MAIN,
        section: "Editing",
        help: "edit the selected record",
        hint: Some("edit"),
    },
    Binding {
        keys: &[ch('d')],
        action: Action::Delete,
        contexts: MAIN,
        section: "Editing",
        help: "delete the selected record (asks first: y deletes)",
        hint: Some("delete"),
    },
    Binding {
        keys: &[ch('X')],
        action: Action::Erase,
        contexts: MAIN,
        section: "Editing",
        help: "erase the selected stakeholder's personal data for good (asks first: y erases)",
        hint: Some("erase"),
    },
    Binding {
        keys: &[ch('u')],
        action: Action::Undo,
        contexts: &[Main, Scoring],
        section: "Editing",
        help: "undo the last change made here (a save, a delete; in the scoring pane, its last score change)",
        hint: Some("undo"),
    },
    Binding {
        keys: &[ch('h')],
        action: Action::History,
        contexts: MAIN,
        section: "Editing",
        help: "history of the selected record (who changed what, when)",
        hint: Some("history"),
    },
    Binding {
        keys: &[ch('w')],
        action: Action::WriteDocument,
        contexts: MAIN,
        section: "Documents",
        help: "write the selected record's document to a file (.md or .docx): a meeting's minutes, a project's handbook, an action plan's monitoring report (latest period), a session's evaluation report",
        hint: Some("document"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: &[Path],
        section: "Documents",
        help: "write the document to the path typed (Word for .docx, Markdown otherwise)",
        hint: Some("write"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[Path],
        section: "Documents",
        help: "cancel: write nothing",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[ctrl('s')],
        action: Action::Save,
        contexts: FORMS,
        section: "Forms",
        help: "save the form",
        hint: Some("save"),
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        action: Action::NextPane,
        contexts: FORMS,
        section: "Forms",
        help: "next field",
        hint: Some("field"),
    },
    Binding {
        keys: &[key(KeyCode::BackTab)],
        action: Action::PrevPane,
        contexts: FORMS,
        section: "Forms",
        help: "previous field",
        hint: Some("field"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: FORMS,
        section: "Forms",
        help: "cancel the form (asks first when something changed); in a field q types a q",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: &[Form],
        section: "Forms",
        help: "in a text: the next field; in a text of several lines, a new line",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Down)],
        action: Action::Down,
        contexts: &[Form, FormChoice, FormReference],
        section: "Forms",
        help: "the line below in a text of several lines, else the next field",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Up)],
        action: Action::Up,
        contexts: FORMS,
        section: "Forms",
        help: "the line above in a text of several lines, else the field before",
        hint: None,
    },
    Binding {
        keys: &[ctrl('o')],
        action: Action::Pick,
        contexts: &[Form],
        section: "Forms",
        help: "in a list of references (practices, inspired by): search one to add",
        hint: None,
    },
    Binding {
        keys: &[ctrl('t')],
        action: Action::Tick,
        contexts: &[Form],
        section: "Forms",
        help: "in follow-ups: tick the line under the cursor done ([x]) or not done ([ ])",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Left), ch('h')],
        action: Action::ChoicePrev,
        contexts: &[FormChoice],
        section: "Forms: on a choice",
        help: "on a choice: the one before",
        hint: Some("choose"),
    },
    Binding {
        keys: &[key(KeyCode::Right), ch('l'), ch(' ')],
        action: Action::ChoiceNext,
        contexts: &[FormChoice],
        section: "Forms: on a choice",
        help: "on a choice: the one after",
        hint: Some("choose"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::NextPane,
        contexts: &[FormChoice],
        section: "Forms: on a choice",
        help: "on a choice: keep it, to the next field",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter), ch(' ')],
        action: Action::Pick,
        contexts: &[FormReference],
        section: "Forms: on a reference",
        help: "on a reference: search the record it refers to",
        hint: Some("search"),
    },
    Binding {
        keys: &[ANY_CHAR],
        action: Action::Type,
        contexts: &[FormReference],
        section: "Forms: on a reference",
        help: "on a reference: a letter starts the search with it",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Backspace), key(KeyCode::Delete)],
        action: Action::ClearRef,
        contexts: &[FormReference],
        section: "Forms: on a reference",
        help: "on a reference: refer to none",
        hint: Some("clear"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Save,
        contexts: &[FormSave],
        section: "Forms: on [ Save ]",
        help: "on [ Save ]: save the form",
        hint: Some("save"),
    },
    Binding {
        keys: &[ch('q')],
        action: Action::Close,
        contexts: &[FormChoice, FormSave],
        section: "Forms: on [ Save ]",
        help: "on a choice or [ Save ]: cancel the form (asks first when something changed)",
        hint: None,
    },
    Binding {
        keys: &[ANY_CHAR],
        action: Action::Type,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "letters, digits, spaces type; a paste goes in cleaned (one line but in a text of several)",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Left)],
        action: Action::CursorLeft,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "one character left",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Right)],
        action: Action::CursorRight,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "one character right",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Home), ctrl('a')],
        action: Action::LineStart,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "to the start of the line",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::End), ctrl('e')],
        action: Action::LineEnd,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "to the end of the line",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Backspace)],
        action: Action::DeleteBack,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "delete the character before the cursor",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Delete)],
        action: Action::DeleteForward,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "delete the character under the cursor",
        hint: None,
    },
    Binding {
        keys: &[ctrl('w')],
        action: Action::DeleteWord,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "delete the word before the cursor",
        hint: None,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::ClearLine,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "delete to the start of the line",
        hint: None,
    },
    Binding {
        keys: &[ctrl('k')],
        action: Action::ClearToEnd,
        contexts: TYPING,
        section: "Typing a line (search, filter, path, picker, score, form field)",
        help: "delete to the end of the line",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Down), ctrl('n')],
        action: Action::Down,
        contexts: &[Picker],
        section: "Picking a record",
        help: "next record (type to search; the usual editing keys)",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::Up), ctrl('p')],
        action: Action::Up,
        contexts: &[Picker],
        section: "Picking a record",
        help: "previous record",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: &[Picker],
        section: "Picking a record",
        help: "take the selected record",
        hint: Some("pick"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[Picker],
        section: "Picking a record",
        help: "back to the form without picking",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[ch('h')],
        action: Action::History,
        contexts: &[History],
        section: "History",
        help: "close the history (q, Esc too)",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: POPUP,
        section: "Menus",
        help: "choose",
        hint: Some("choose"),
    },
    Binding {
        keys: &[key(KeyCode::Backspace)],
        action: Action::Back,
        contexts: POPUP,
        section: "Menus",
        help: "back from a filter's values to the filters, or close the menu",
        hint: Some("back"),
    },
    Binding {
        keys: &[ch('s')],
        action: Action::OpenScoring,
        contexts: MAIN,
        section: "Evaluation",
        help: "score the selected session (or the meeting's session)",
        hint: None,
    },
    Binding {
        keys: &[
            ch('0'),
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
            ch('7'),
            ch('8'),
            ch('9'),
        ],
        action: Action::ScoreDigit,
        contexts: SCORING,
        section: "Scoring pane",
        help: "score the current criterion and move to the next",
        hint: Some("score"),
    },
    Binding {
        keys: &[key(KeyCode::Enter), ch('=')],
        action: Action::ScoreNumber,
        contexts: SCORING,
        section: "Scoring pane",
        help: "type a score (scales with decimals or above 9)",
        hint: None,
    },
    Binding {
        keys: &[ch('l'), key(KeyCode::Right)],
        action: Action::NextPractice,
        contexts: SCORING,
        section: "Scoring pane",
        help: "next practice",
        hint: Some("practice"),
    },
    Binding {
        keys: &[ch('h'), key(KeyCode::Left)],
        action: Action::PrevPractice,
        contexts: SCORING,
        section: "Scoring pane",
        help: "previous practice",
        hint: Some("practice"),
    },
    Binding {
        keys: &[ch('n')],
        action: Action::NextUnscored,
        contexts: SCORING,
        section: "Scoring pane",
        help: "next practice still missing your scores",
        hint: Some("unscored"),
    },
    Binding {
        keys: &[ch('d')],
        action: Action::ScoreClear,
        contexts: SCORING,
        section: "Scoring pane",
        help: "clear the current criterion's score",
        hint: Some("clear"),
    },
    Binding {
        keys: &[ch('a')],
        action: Action::ScoreAbstain,
        contexts: SCORING,
        section: "Scoring pane",
        help: "abstain on the criterion: a digit or ↑/↓ picks a usual reason, or type your own",
        hint: Some("abstain"),
    },
    Binding {
        keys: &[ch('c')],
        action: Action::ScoreComment,
        contexts: SCORING,
        section: "Scoring pane",
        help: "comment on the current criterion's score",
        hint: Some("comment"),
    },
    Binding {
        keys: &[ch('C')],
        action: Action::PracticeComment,
        contexts: SCORING,
        section: "Scoring pane",
        help: "comment on the practice as a whole",
        hint: None,
    },
    Binding {
        keys: &[ch('e')],
        action: Action::ScoreProxy,
        contexts: SCORING,
        section: "Scoring pane",
        help: "facilitator: type in for the next evaluator (paper forms)",
        hint: None,
    },
    Binding {
        keys: &[ch('b')],
        action: Action::ScoreBoard,
        contexts: SCORING,
        section: "Scoring pane",
        help: "show the board",
        hint: Some("board"),
    },
    Binding {
        keys: &[ch('m')],
        action: Action::SessionForward,
        contexts: SESSION,
        section: "Scoring pane",
        help: "facilitator: move the session on (open, consensus, closed); asks first",
        hint: Some("stage"),
    },
    Binding {
        keys: &[ch('M')],
        action: Action::SessionBack,
        contexts: SESSION,
        section: "Scoring pane",
        help: "facilitator: reopen a session in consensus for another round; asks first",
        hint: None,
    },
    Binding {
        keys: &[
            ch('q'),
            key(KeyCode::Esc),
            ctrl('g'),
            key(KeyCode::Backspace),
        ],
        action: Action::Close,
        contexts: SCORING,
        section: "Scoring pane",
        help: "close the scoring pane",
        hint: Some("close"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        action: Action::Open,
        contexts: &[Entry],
        section: "Typing a score, reason or comment",
        help: "save what you typed",
        hint: Some("save"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[Entry],
        section: "Typing a score, reason or comment",
        help: "cancel what you typed",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[key(KeyCode::Down)],
        action: Action::Down,
        contexts: &[Entry],
        section: "Typing a score, reason or comment",
        help: "abstaining, nothing typed yet: the next usual reason (its digit picks it at once)",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Up)],
        action: Action::Up,
        contexts: &[Entry],
        section: "Typing a score, reason or comment",
        help: "abstaining, nothing typed yet: the usual reason before",
        hint: None,
    },
    Binding {
        keys: &[ch('V')],
        action: Action::DecideValidated,
        contexts: BOARD,
        section: "Board",
        help: "consensus: validate the selected practice (at the agreed value or the mean); asks first",
        hint: Some("decide"),
    },
    Binding {
        keys: &[ch('R')],
        action: Action::DecideRejected,
        contexts: BOARD,
        section: "Board",
        help: "consensus: reject the selected practice; asks first",
        hint: Some("decide"),
    },
    Binding {
        keys: &[ch('D')],
        action: Action::DecideDeferred,
        contexts: BOARD,
        section: "Board",
        help: "consensus: defer the selected practice; asks first",
        hint: Some("decide"),
    },
    Binding {
        keys: &[ch('v')],
        action: Action::ConsensusValue,
        contexts: BOARD,
        section: "Board",
        help: "consensus: agree a value other than the mean (asks why)",
        hint: Some("value"),
    },
    Binding {
        keys: &[ch('o')],
        action: Action::Sort,
        contexts: BOARD,
        section: "Board",
        help: "sort by session order, rank, disagreement",
        hint: Some("sort"),
    },
    Binding {
        keys: &[ch('b')],
        action: Action::ScoreBoard,
        contexts: BOARD,
        section: "Board",
        help: "back to the scoring pane (q too)",
        hint: None,
    },
    Binding {
        keys: &[
            ch('q'),
            key(KeyCode::Esc),
            ctrl('g'),
            key(KeyCode::Backspace),
        ],
        action: Action::Close,
        contexts: BOARD,
        section: "Board",
        help: "close the board, back to the scoring pane",
        hint: Some("close"),
    },
    Binding {
        keys: &[ch('y')],
        action: Action::Confirm,
        contexts: CONFIRMING,
        section: "Confirmations",
        help: "asked to confirm (quit, delete, lose a changed form, a board step): take the step",
        hint: Some("yes"),
    },
    Binding {
        keys: &[ch('n'), ch('q'), key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: CONFIRMING,
        section: "Confirmations",
        help: "asked to confirm: do not take the step (any other key too)",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[ch('?'), key(KeyCode::F(1))],
        action: Action::Help,
        contexts: HELPFUL,
        section: "Anywhere",
        help: "show or hide this help",
        hint: Some("help"),
    },
    Binding {
        keys: &[ch('q'), key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[Popup, Help, History],
        section: "Anywhere",
        help: "close the popup, menu, help or history",
        hint: Some("close"),
    },
    Binding {
        keys: &[ch('q')],
        action: Action::Quit,
        contexts: &[Main, TooSmall],
        section: "Anywhere",
        help: "quit (asks first when a changed form would be lost)",
        hint: Some("quit"),
    },
    Binding {
        keys: &[key(KeyCode::Esc), ctrl('g')],
        action: Action::Close,
        contexts: &[Main, TooSmall],
        section: "Anywhere",
        help: "ask to quit (y quits); on a screen too small with a form open, wait for it to grow back",
        hint: None,
    },
    Binding {
        keys: &[ch('m')],
        action: Action::Messages,
        contexts: MAIN,
        section: "Anywhere",
        help: "show the last messages in full",
        hint: None,
    },
    Binding {
        keys: &[ctrl('c')],
        action: Action::Quit,
        contexts: ALL,
        section: "Anywhere",
        help: "quit at once (asks first when a changed form would be lost)",
        hint: None,
    },
    Binding {
        keys: &[ctrl('z')],
        action: Action::Suspend,
        contexts: ALL,
        section: "Anywhere",
        help: "suspend to the shell (fg resumes)",
        hint: None,
    },
];

fn matches(k: &Key, event: &KeyEvent) -> bool {
    let ignore = match event.code {
        KeyCode::Char(_) | KeyCode::BackTab => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    let wanted = k.modifiers - ignore;
    let got = event.modifiers - ignore;
    let code = match (k.code, event.code) {
        // Some terminals send Ctrl-letters as upper case.
        (KeyCode::Char(a), KeyCode::Char(b)) if !k.modifiers.is_empty() => {
            a.eq_ignore_ascii_case(&b)
        }
        (a, b) => a == b,
    };
    code && wanted == got
}

/// The action for a key in a context, if the keymap has one. Only presses count (not repeats or
/// releases, which some terminals report).
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind != KeyEventKind::Press {
        return None;
    }
    KEYMAP
        .iter()
        .filter(|b| b.contexts.contains(&context))
        .find(|b| b.keys.iter().any(|k| matches(k, event)))
        .map(|b| b.action)
}

/// How a key is written on screen ("j", "PgDn", "Ctrl-g"); `ascii` avoids arrows.
pub fn key_label(k: &Key, ascii: bool) -> String {
    let name = match k.code {
        KeyCode::Null => "letters".to_string(),
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => if ascii { "Down" } else { "↓" }.to_string(),
        KeyCode::Up => if ascii { "Up" } else { "↑" }.to_string(),
        KeyCode::Left => if ascii { "Left" } else { "←" }.to_string(),
        KeyCode::Right => if ascii { "Right" } else { "→" }.to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "Shift-Tab".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

/// The keys of a binding, as the help writes them ("j ↓").
pub fn keys_label(binding: &Binding, ascii: bool) -> String {
    binding
        .keys
        .iter()
        .map(|k| key_label(k, ascii))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The status-bar hints for a context: (keys, word) pairs, bindings with the same word joined
/// ("j/k", "move").
pub fn hints(context: Context, ascii: bool) -> Vec<(String, &'static str)> {
    hints_where(context, ascii, |_| true)
}

/// The hints for the actions that `applies` accepts.
pub fn hints_where(
    context: Context,
    ascii: bool,
    applies: impl Fn(Action) -> bool,
) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for b in KEYMAP
        .iter()
        .filter(|b| b.contexts.contains(&context) && applies(b.action))
    {
        let Some(word) = b.hint else { continue };
        let first = key_label(&b.keys[0], ascii);
        match out.iter_mut().find(|(_, w)| *w == word) {
            Some((keys, _)) => {
                keys.push('/');
                keys.push_str(&first);
            }
            None => out.push((first, word)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn keys_map_through_the_table() {
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(action_for(Context::Main, &j), Some(Action::Down));
        let big_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(Context::Main, &big_g), Some(Action::Bottom));
        let ctrl_g = press(KeyCode::Char('g'), KeyModifiers::CONTROL);
        assert_eq!(action_for(Context::Main, &ctrl_g), Some(Action::Close));
        assert_eq!(action_for(Context::Popup, &ctrl_g), Some(Action::Close));
        let mut release = j;
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(Context::Main, &release), None);
        let f = press(KeyCode::Char('f'), KeyModifiers::NONE);
        assert_eq!(action_for(Context::TooSmall, &f), None);
        assert_eq!(action_for(Context::Popup, &f), None);
    }

    #[test]
    fn no_multiplexer_keys_and_every_esc_has_twins() {
        for b in KEYMAP {
            for k in b.keys {
                // Ctrl-b is tmux's prefix; Ctrl-a (screen's) only as readline's line start,
                // which Home also does.
                assert!(
                    !(k.modifiers.contains(KeyModifiers::CONTROL)
                        && matches!(k.code, KeyCode::Char('b'))),
                    "{b:?}"
                );
                if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('a') {
                    assert_eq!(b.action, Action::LineStart, "{b:?}");
                    assert!(b.keys.contains(&key(KeyCode::Home)), "{b:?}");
                }
                assert!(
                    !(k.modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::SHIFT)
                        && matches!(
                            k.code,
                            KeyCode::Left
                                | KeyCode::Right
                                | KeyCode::Up
                                | KeyCode::Down
                                | KeyCode::Enter
                        )),
                    "{b:?}"
                );
            }
            if b.keys.iter().any(|k| k.code == KeyCode::Esc) {
                // Ctrl-g is Esc's twin everywhere; where keys do not type, q is one too (a row
                // of its own where Esc asks first and q does not).
                assert!(b.keys.contains(&ctrl('g')), "{b:?}");
                for c in b.contexts {
                    let typing = matches!(
                        c,
                        Context::Form
                            | Context::FormReference
                            | Context::Search
                            | Context::Narrow
                            | Context::Path
                            | Context::Picker
                            | Context::Entry
                    );
                    let q = KEYMAP.iter().any(|o| {
                        o.contexts.contains(c)
                            && o.keys.contains(&ch('q'))
                            && matches!(o.action, Action::Close | Action::Quit)
                    });
                    assert!(typing || q, "{c:?}: {b:?}");
                }
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for &context in Context::ALL {
            let mut seen = Vec::new();
            for b in KEYMAP.iter().filter(|b| b.contexts.contains(&context)) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} twice in {context:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn hints_join_keys_of_the_same_word() {
        let h = hints(Context::Main, true);
        assert_eq!(h[0], ("j/k".to_string(), "move"));
        assert!(h.iter().any(|(k, w)| k == "q" && *w == "quit"));
        let p = hints(Context::Popup, true);
        assert!(p.iter().any(|(k, w)| k == "q" && *w == "close"));
    }
}
