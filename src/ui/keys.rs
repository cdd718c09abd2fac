//! The one key table: it drives the key handling, the status-line hints and the help overlay,
//! so none of them can drift from the others.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::classroom::{Dir, Teach};
use super::glyphs::Glyphs;
use super::message::{Message, Move};
use super::strings::S;
use crate::run::goto::Go;

/// A key as the table knows it, converted from crossterm's at the edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Right,
    Left,
    Down,
    Up,
    PageDown,
    PageUp,
    Home,
    End,
    Esc,
    Enter,
    Tab,
    BackTab,
    Backspace,
    CtrlC,
}

pub struct Binding {
    pub keys: &'static [Key],
    pub message: Message,
    /// What the help overlay says it does.
    pub help: S,
    /// The short form in the status line, for the keys worth having in reach.
    pub hint: Option<Hint>,
    /// How far a student under `serve` may use it; their key hints come from this too.
    pub student: Student,
}

/// A status-line hint and how much it is needed when not every hint fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hint {
    pub text: S,
    pub need: Need,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// Shown whatever the width: without it nobody knows how to leave.
    Always,
    /// Dropped from the highest rank down when the line is too narrow.
    Rank(u8),
}

impl Hint {
    const fn ranked(text: S, rank: u8) -> Option<Hint> {
        Some(Hint {
            text,
            need: Need::Rank(rank),
        })
    }

    const fn always(text: S) -> Option<Hint> {
        Some(Hint {
            text,
            need: Need::Always,
        })
    }
}

/// How far a student under `serve` may use a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Student {
    /// Never: it writes on the teacher's machine or answers the host's question.
    Never,
    /// While exploring on their own copy of the run, not while following the teacher.
    Exploring,
    /// Following too: it changes how their screen looks, never where the run is.
    Following,
}

pub const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Right, Key::Char('l'), Key::Char(' ')],
        message: Message::NextStep,
        help: S::KeyNext,
        hint: Hint::ranked(S::HintNext, 5),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Left, Key::Char('h')],
        message: Message::PrevStep,
        help: S::KeyPrev,
        hint: Hint::ranked(S::HintPrev, 6),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Down, Key::PageDown, Key::Char('j')],
        message: Message::NextBatch,
        help: S::KeyNextBatch,
        hint: Hint::ranked(S::HintBatch, 11),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Up, Key::PageUp, Key::Char('k')],
        message: Message::PrevBatch,
        help: S::KeyPrevBatch,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('n')],
        message: Message::NextEpoch,
        help: S::KeyNextEpoch,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Home],
        message: Message::First,
        help: S::KeyFirst,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::End],
        message: Message::Last,
        help: S::KeyLast,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('p')],
        message: Message::TogglePlay,
        help: S::KeyPlay,
        hint: Hint::ranked(S::HintPlay, 13),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('+'), Key::Char('=')],
        message: Message::Faster,
        help: S::KeyFaster,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('-'), Key::Char('_')],
        message: Message::Slower,
        help: S::KeySlower,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('g')],
        message: Message::ToggleGranularity,
        help: S::KeyGranularity,
        hint: Hint::ranked(S::HintGranularity, 15),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('L')],
        message: Message::ToggleLang,
        help: S::KeyLang,
        hint: Hint::ranked(S::HintLang, 14),
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('v')],
        message: Message::CycleView,
        help: S::KeyView,
        hint: Hint::ranked(S::HintView, 10),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('G')],
        message: Message::ToggleGraph,
        help: S::KeyGraph,
        hint: Hint::ranked(S::HintGraph, 17),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('z')],
        message: Message::ToggleKeepGrad,
        help: S::KeyKeepGrad,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char(']')],
        message: Message::LrUp,
        help: S::KeyLrUp,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('[')],
        message: Message::LrDown,
        help: S::KeyLrDown,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('}')],
        message: Message::BatchUp,
        help: S::KeyBatchUp,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('{')],
        message: Message::BatchDown,
        help: S::KeyBatchDown,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('r')],
        message: Message::Restart,
        help: S::KeyRestart,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Tab],
        message: Message::NextStop,
        help: S::KeyNextStop,
        hint: Hint::ranked(S::HintStop, 12),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('M')],
        message: Message::ReadOn,
        help: S::KeyReadOn,
        hint: Hint::ranked(S::HintReadOn, 9),
        // Only this student's own screen changes: a follower reads on too.
        student: Student::Following,
    },
    Binding {
        keys: &[Key::BackTab],
        message: Message::PrevStop,
        help: S::KeyPrevStop,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char(':')],
        message: Message::Go(Go::Open),
        help: S::KeyGoTo,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('m')],
        message: Message::Go(Go::Mark),
        help: S::KeyMark,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('\'')],
        message: Message::Go(Go::Recall),
        help: S::KeyRecall,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('?')],
        message: Message::ToggleHelp,
        help: S::KeyHelp,
        hint: Hint::ranked(S::HintHelp, 8),
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('q'), Key::CtrlC],
        message: Message::Quit,
        help: S::KeyQuit,
        hint: Hint::always(S::HintQuit),
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Esc],
        message: Message::Back,
        help: S::KeyBack,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('Q')],
        message: Message::Teach(Teach::ToggleQuiz),
        help: S::KeyQuiz,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Enter],
        message: Message::Teach(Teach::Reveal),
        help: S::KeyReveal,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('e')],
        message: Message::Teach(Teach::NextEntry),
        help: S::KeyNextEntry,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('i')],
        message: Message::Teach(Teach::ToggleInspect),
        help: S::KeyInspect,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('P')],
        message: Message::Teach(Teach::TogglePresent),
        help: S::KeyPresent,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Char('>'), Key::Char('.')],
        message: Message::Teach(Teach::MorePrecision),
        help: S::KeyMorePrecision,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('<'), Key::Char(',')],
        message: Message::Teach(Teach::LessPrecision),
        help: S::KeyLessPrecision,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('T')],
        message: Message::Teach(Teach::CycleTheme),
        help: S::KeyTheme,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('H')],
        message: Message::Teach(Teach::Handout),
        help: S::KeyHandout,
        hint: None,
        // Writing files is the teacher's, on the teacher's machine.
        student: Student::Never,
    },
];

pub use super::message::Mode;

/// Inspect mode's own keys, which shadow the same keys of [`KEYS`] while it is on.
pub const INSPECT_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Left, Key::Char('h')],
        message: Message::Teach(Teach::Move(Dir::Left)),
        help: S::KeyCursorLeft,
        hint: Hint::ranked(S::HintMove, 2),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Right, Key::Char('l')],
        message: Message::Teach(Teach::Move(Dir::Right)),
        help: S::KeyCursorRight,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Up, Key::Char('k')],
        message: Message::Teach(Teach::Move(Dir::Up)),
        help: S::KeyCursorUp,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Down, Key::Char('j')],
        message: Message::Teach(Teach::Move(Dir::Down)),
        help: S::KeyCursorDown,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Esc, Key::Char('i')],
        message: Message::Teach(Teach::LeaveInspect),
        help: S::KeyLeaveInspect,
        hint: Hint::ranked(S::HintLeave, 3),
        student: Student::Exploring,
    },
];

/// The help's own keys. While it is open nothing else is bound except quitting, so no key
/// moves the run unseen behind it.
pub const HELP_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Down, Key::Char('j')],
        message: Message::HelpMove(Move::Down),
        help: S::KeyHelpDown,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Up, Key::Char('k')],
        message: Message::HelpMove(Move::Up),
        help: S::KeyHelpUp,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::PageDown, Key::Char(' ')],
        message: Message::HelpMove(Move::ScreenDown),
        help: S::KeyHelpScreenDown,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::PageUp],
        message: Message::HelpMove(Move::ScreenUp),
        help: S::KeyHelpScreenUp,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Right, Key::Char('l')],
        message: Message::HelpMove(Move::NextPage),
        help: S::KeyHelpNextPage,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Left, Key::Char('h')],
        message: Message::HelpMove(Move::PrevPage),
        help: S::KeyHelpPrevPage,
        hint: None,
        student: Student::Following,
    },
    Binding {
        keys: &[Key::Char('?'), Key::Esc],
        message: Message::ToggleHelp,
        help: S::KeyHelpClose,
        hint: None,
        student: Student::Following,
    },
];

/// The go-to prompt's keys; any other printable key is typed into it, and nothing else works
/// while it is open.
pub const PROMPT_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Enter],
        message: Message::Go(Go::Submit),
        help: S::KeyPromptGo,
        hint: Hint::ranked(S::HintPromptGo, 4),
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Backspace],
        message: Message::Go(Go::Erase),
        help: S::KeyPromptErase,
        hint: None,
        student: Student::Exploring,
    },
    Binding {
        keys: &[Key::Esc, Key::CtrlC],
        message: Message::Go(Go::Cancel),
        help: S::KeyPromptCancel,
        hint: Hint::ranked(S::HintLeave, 3),
        student: Student::Exploring,
    },
];

/// A student's own key under `serve`, following or exploring: `f` switches between the two.
pub const FOLLOWER_KEYS: &[Binding] = &[Binding {
    keys: &[Key::Char('f')],
    message: Message::Follow,
    help: S::KeyFollow,
    hint: Hint::ranked(S::HintExplore, 1),
    student: Student::Following,
}];

/// While the teacher's quiz asks a following student for a prediction: digits, `-` and `.` type
/// it (they are no key of the explainer's), Enter submits it.
pub const ANSWER_KEYS: &[Binding] = &[Binding {
    keys: &[Key::Enter],
    message: Message::Submit,
    help: S::KeySubmit,
    hint: Hint::ranked(S::HintSubmit, 0),
    student: Student::Following,
}];

/// A question the host asks (`serve`: end the lesson with students connected?): y or n.
pub const CONFIRM_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Char('y'), Key::Char('Y')],
        message: Message::Confirm(true),
        help: S::KeyConfirmYes,
        hint: None,
        student: Student::Never,
    },
    Binding {
        keys: &[Key::Char('n'), Key::Char('N'), Key::Esc],
        message: Message::Confirm(false),
        help: S::KeyConfirmNo,
        hint: None,
        student: Student::Never,
    },
];

/// What the screen offers now, for the keys that only sometimes lead somewhere.
#[derive(Clone, Copy, Debug, Default)]
pub struct Offer {
    /// The lesson has stops for this run (on other data its plan is dropped).
    pub stops: bool,
    /// The step's text is cut short on screen.
    pub more_text: bool,
}

/// Whether `binding` is worth a hint in the status line now: the stop keys only with stops,
/// the key that reads on only under a cut text.
pub fn worth_a_hint(binding: &Binding, offer: Offer) -> bool {
    let leads_somewhere = match binding.message {
        Message::NextStop | Message::PrevStop => offer.stops,
        Message::ReadOn => offer.more_text,
        _ => true,
    };
    binding.hint.is_some() && leads_somewhere
}

/// The first key of the main table bound to `message`, for text that names it in place.
pub fn key_for(message: Message) -> Option<Key> {
    KEYS.iter()
        .find(|b| b.message == message)
        .and_then(|b| b.keys.first().copied())
}

/// The bindings in force in `mode`, the mode's own first: the first match wins.
pub fn active(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    let none: &'static [Binding] = &[];
    let (own, student, rest): (&'static [Binding], &'static [Binding], &'static [Binding]) =
        match mode {
            Mode::Normal => (none, none, KEYS),
            Mode::Inspect => (INSPECT_KEYS, none, KEYS),
            Mode::Prompt | Mode::Bookmark => (PROMPT_KEYS, none, none),
            Mode::Help => (HELP_KEYS, none, KEYS),
            Mode::Following => (none, FOLLOWER_KEYS, KEYS),
            Mode::Answering => (ANSWER_KEYS, FOLLOWER_KEYS, KEYS),
            Mode::Confirm => (CONFIRM_KEYS, none, none),
        };
    own.iter()
        .chain(student)
        .chain(rest.iter().filter(move |b| match mode {
            Mode::Help => b.message == Message::Quit,
            Mode::Following | Mode::Answering => b.student == Student::Following,
            _ => true,
        }))
}

/// How far a student may use the binding of `message`. A message no table binds is a character
/// typed into the go-to prompt, which is the exploring student's own.
pub fn for_students(message: Message) -> Student {
    [
        KEYS,
        INSPECT_KEYS,
        HELP_KEYS,
        PROMPT_KEYS,
        FOLLOWER_KEYS,
        ANSWER_KEYS,
        CONFIRM_KEYS,
    ]
    .iter()
    .flat_map(|t| t.iter())
    .find(|b| b.message == message)
    .map_or(Student::Exploring, |b| b.student)
}

/// The student's own message for a key (`f`), whatever the mode.
pub fn student_message(event: &KeyEvent) -> Option<Message> {
    let key = Key::from_event(event)?;
    FOLLOWER_KEYS
        .iter()
        .find(|b| b.keys.contains(&key))
        .map(|b| b.message)
}

/// The keys of `binding` that still reach it in `mode`, not shadowed by the mode's own table.
pub fn reachable(mode: Mode, binding: &Binding) -> impl Iterator<Item = Key> + '_ {
    binding.keys.iter().copied().filter(move |k| {
        active(mode)
            .find(|b| b.keys.contains(k))
            .is_some_and(|b| std::ptr::eq(b, binding))
    })
}

/// The message a key event asks for in `mode`, if any.
pub fn message_in(mode: Mode, event: &KeyEvent) -> Option<Message> {
    let key = Key::from_event(event)?;
    let bound = active(mode)
        .find(|b| b.keys.contains(&key))
        .map(|b| b.message);
    match (mode, key, bound) {
        (_, _, Some(m)) => Some(m),
        (Mode::Prompt, Key::Char(c), None) => Some(Message::Go(Go::Type(c))),
        (Mode::Bookmark, Key::Char(c), None) => Some(Message::Go(Go::Digit(c))),
        // Any other key ends waiting for a bookmark's digit, and does nothing else.
        (Mode::Bookmark, _, None) => Some(Message::Go(Go::Cancel)),
        _ => None,
    }
}

impl Key {
    /// Only presses count: terminals that report releases would otherwise step twice.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        if event.kind != KeyEventKind::Press {
            return None;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let plain = !ctrl && !event.modifiers.contains(KeyModifiers::ALT);
        match event.code {
            KeyCode::Char('c') | KeyCode::Char('C') if ctrl => Some(Key::CtrlC),
            KeyCode::Char(c) if plain => Some(Key::Char(c)),
            KeyCode::Right if plain => Some(Key::Right),
            KeyCode::Left if plain => Some(Key::Left),
            KeyCode::Down if plain => Some(Key::Down),
            KeyCode::Up if plain => Some(Key::Up),
            KeyCode::PageDown if plain => Some(Key::PageDown),
            KeyCode::PageUp if plain => Some(Key::PageUp),
            KeyCode::Home if plain => Some(Key::Home),
            KeyCode::End if plain => Some(Key::End),
            KeyCode::Esc => Some(Key::Esc),
            KeyCode::Enter if plain => Some(Key::Enter),
            KeyCode::Tab if plain => Some(Key::Tab),
            KeyCode::BackTab => Some(Key::BackTab),
            KeyCode::Backspace if plain => Some(Key::Backspace),
            _ => None,
        }
    }

    /// Arrows are ambiguous-width, so they are spelled out where those draw wide.
    pub fn label(self, glyphs: &Glyphs) -> String {
        let wide = glyphs.ambiguous_wide;
        let s = match self {
            Key::Char(' ') => "Space",
            Key::Char(c) => return c.to_string(),
            Key::Right if wide => "Right",
            Key::Left if wide => "Left",
            Key::Down if wide => "Down",
            Key::Up if wide => "Up",
            Key::Right => "→",
            Key::Left => "←",
            Key::Down => "↓",
            Key::Up => "↑",
            Key::PageDown => "PgDn",
            Key::PageUp => "PgUp",
            Key::Home => "Home",
            Key::End => "End",
            Key::Esc => "Esc",
            Key::Enter => "Enter",
            Key::Tab => "Tab",
            Key::BackTab => "Shift-Tab",
            Key::Backspace => "Backspace",
            Key::CtrlC => "Ctrl-C",
        };
        s.to_string()
    }
}

/// The message a key event asks for outside any mode, if any.
pub fn message_for(event: &KeyEvent) -> Option<Message> {
    message_in(Mode::Normal, event)
}
