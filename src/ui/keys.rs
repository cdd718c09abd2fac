//! The one key table: it drives the key handling, the status-line hints and the help overlay,
//! so none of them can drift from the others.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::Message;
use super::glyphs::Glyphs;
use super::strings::S;

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
    CtrlC,
}

pub struct Binding {
    pub keys: &'static [Key],
    pub message: Message,
    /// What the help overlay says it does.
    pub help: S,
    /// The short form in the status line, for the keys worth having in reach.
    pub hint: Option<S>,
}

pub const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::Right, Key::Char('l'), Key::Char(' ')],
        message: Message::NextStep,
        help: S::KeyNext,
        hint: Some(S::HintNext),
    },
    Binding {
        keys: &[Key::Left, Key::Char('h')],
        message: Message::PrevStep,
        help: S::KeyPrev,
        hint: Some(S::HintPrev),
    },
    Binding {
        keys: &[Key::Down, Key::PageDown, Key::Char('j')],
        message: Message::NextBatch,
        help: S::KeyNextBatch,
        hint: Some(S::HintBatch),
    },
    Binding {
        keys: &[Key::Up, Key::PageUp, Key::Char('k')],
        message: Message::PrevBatch,
        help: S::KeyPrevBatch,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('n')],
        message: Message::NextEpoch,
        help: S::KeyNextEpoch,
        hint: None,
    },
    Binding {
        keys: &[Key::Home],
        message: Message::First,
        help: S::KeyFirst,
        hint: None,
    },
    Binding {
        keys: &[Key::End],
        message: Message::Last,
        help: S::KeyLast,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('p')],
        message: Message::TogglePlay,
        help: S::KeyPlay,
        hint: Some(S::HintPlay),
    },
    Binding {
        keys: &[Key::Char('+'), Key::Char('=')],
        message: Message::Faster,
        help: S::KeyFaster,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('-'), Key::Char('_')],
        message: Message::Slower,
        help: S::KeySlower,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('g')],
        message: Message::ToggleGranularity,
        help: S::KeyGranularity,
        hint: Some(S::HintGranularity),
    },
    Binding {
        keys: &[Key::Char('L')],
        message: Message::ToggleLang,
        help: S::KeyLang,
        hint: Some(S::HintLang),
    },
    Binding {
        keys: &[Key::Char('v')],
        message: Message::CycleView,
        help: S::KeyView,
        hint: Some(S::HintView),
    },
    Binding {
        keys: &[Key::Char(']')],
        message: Message::LrUp,
        help: S::KeyLrUp,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('[')],
        message: Message::LrDown,
        help: S::KeyLrDown,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('}')],
        message: Message::BatchUp,
        help: S::KeyBatchUp,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('{')],
        message: Message::BatchDown,
        help: S::KeyBatchDown,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('r')],
        message: Message::Restart,
        help: S::KeyRestart,
        hint: None,
    },
    Binding {
        keys: &[Key::Char('?')],
        message: Message::ToggleHelp,
        help: S::KeyHelp,
        hint: Some(S::HintHelp),
    },
    Binding {
        keys: &[Key::Char('q'), Key::CtrlC],
        message: Message::Quit,
        help: S::KeyQuit,
        hint: Some(S::HintQuit),
    },
    Binding {
        keys: &[Key::Esc],
        message: Message::Back,
        help: S::KeyBack,
        hint: None,
    },
];

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
            Key::CtrlC => "Ctrl-C",
        };
        s.to_string()
    }
}

/// The message a key event asks for, if any.
pub fn message_for(event: &KeyEvent) -> Option<Message> {
    let key = Key::from_event(event)?;
    KEYS.iter()
        .find(|b| b.keys.contains(&key))
        .map(|b| b.message)
}
