//! The model, the messages that change it, and `update`: everything the view reads.

use std::time::Duration;

use super::UiOptions;
use super::classroom::{Classroom, Teach};
use super::glyphs::Glyphs;
use super::pictures::{self, Pictures, View};
use super::theme::Theme;
use crate::engine::Session;
use crate::lesson::{Lang, Lesson};

/// Everything the user can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    NextStep,
    PrevStep,
    NextBatch,
    PrevBatch,
    NextEpoch,
    First,
    Last,
    TogglePlay,
    Faster,
    Slower,
    ToggleGranularity,
    ToggleLang,
    Restart,
    ToggleHelp,
    /// Esc: closes the help if it is open, quits otherwise.
    Back,
    Quit,
    /// Time for the next automatic step.
    Tick,
    /// Lesson, pictures, objectives compared, in turn.
    CycleView,
    /// Learning rate and batch size one rung up or down their ladders, from the next batch.
    LrUp,
    LrDown,
    BatchUp,
    BatchDown,
    /// The classroom modes: quiz, inspect, presenter, precision, theme, handout.
    Teach(Teach),
}

/// Pauses between automatic steps, slowest first.
const SPEEDS: [Duration; 7] = [
    Duration::from_millis(3000),
    Duration::from_millis(2000),
    Duration::from_millis(1200),
    Duration::from_millis(800),
    Duration::from_millis(500),
    Duration::from_millis(250),
    Duration::from_millis(100),
];
const DEFAULT_SPEED: usize = 3;

pub struct App {
    pub(super) session: Session,
    pub(super) lesson: Lesson,
    pub(super) lang: Lang,
    pub(super) theme: Theme,
    pub(super) glyphs: Glyphs,
    pub(super) seed: u64,
    pub(super) help: bool,
    pub(super) playing: bool,
    pub(super) classroom: Classroom,
    speed: usize,
    quit: bool,
    pub(super) view: View,
    pub(super) pictures: Pictures,
    /// A first part for the status line from whoever hosts the explainer.
    pub(super) badge: Option<String>,
}

impl App {
    pub fn new(session: Session, lesson: Lesson, opts: &UiOptions, theme: Theme) -> App {
        App {
            session,
            lesson,
            lang: opts.lang,
            theme: theme.with_palette(opts.theme),
            glyphs: Glyphs::new(opts.ambiguous_wide),
            seed: opts.seed,
            help: false,
            playing: false,
            classroom: Classroom::new(opts),
            speed: DEFAULT_SPEED,
            quit: false,
            view: View::Lesson,
            pictures: Pictures::default(),
            badge: None,
        }
    }

    /// Shows `badge` first in the status line (`gradstep serve`: the student count, or whether a
    /// student follows the teacher).
    pub fn set_badge(&mut self, badge: Option<String>) {
        self.badge = badge;
    }

    pub fn badge(&self) -> Option<&str> {
        self.badge.as_deref()
    }

    /// Works on the session directly (`gradstep serve` puts a following student's explainer
    /// where the teacher's is), then brings the pictures up to date: what they knew of the
    /// batches after a changed setting is forgotten.
    pub fn with_session(&mut self, f: impl FnOnce(&mut Session)) {
        let before = self.session.segments().to_vec();
        f(&mut self.session);
        let after = self.session.segments();
        if before != after {
            let same = before.iter().zip(after).take_while(|(a, b)| a == b).count();
            let at = before
                .get(same)
                .into_iter()
                .chain(after.get(same))
                .map(|s| s.start)
                .min()
                .unwrap_or(0);
            self.pictures.forget_after(at);
        }
        self.settle();
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn help_open(&self) -> bool {
        self.help
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// What the pictures draw, computed from the run so far.
    pub fn pictures(&self) -> &Pictures {
        &self.pictures
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// How long to wait before the next automatic step, while playing.
    pub fn tick_interval(&self) -> Option<Duration> {
        self.playing.then_some(SPEEDS[self.speed])
    }

    /// Applies one message; returns whether anything on screen may have changed.
    pub fn update(&mut self, message: Message) -> bool {
        // A notice answers the key that caused it and goes with the next one.
        if message != Message::Tick {
            self.classroom.notice = None;
        }
        let changed = self.apply(message);
        self.settle();
        changed
    }

    /// After any change of the model (by a message or [`App::with_session`]): what is kept
    /// from it for drawing, brought up to date.
    fn settle(&mut self) {
        self.pictures.sync(&self.session, self.view);
    }

    fn apply(&mut self, message: Message) -> bool {
        let s = &mut self.session;
        match message {
            Message::CycleView => {
                self.view = self.view.next();
                true
            }
            Message::LrUp | Message::LrDown | Message::BatchUp | Message::BatchDown => {
                let changed = pictures::experiments::apply(s, message);
                if changed {
                    self.pictures.forget_after(s.batch().global);
                }
                changed
            }
            Message::NextStep => s.next_step(),
            Message::PrevStep => s.prev_step(),
            Message::NextBatch => s.next_batch(),
            Message::PrevBatch => s.prev_batch(),
            Message::NextEpoch => s.next_epoch(),
            Message::First => s.first(),
            Message::Last => s.last(),
            Message::Restart => {
                self.playing = false;
                s.first();
                true
            }
            Message::ToggleGranularity => {
                s.set_granularity(s.granularity().toggled());
                true
            }
            Message::Tick => {
                let moved = self.playing && s.next_step();
                if !moved {
                    self.playing = false;
                }
                true
            }
            Message::TogglePlay => {
                self.playing = !self.playing && !s.at_end();
                true
            }
            Message::Faster => {
                self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
                true
            }
            Message::Slower => {
                self.speed = self.speed.saturating_sub(1);
                true
            }
            Message::ToggleLang => {
                self.lang = self.lang.toggled();
                true
            }
            Message::ToggleHelp => {
                self.help = !self.help;
                true
            }
            Message::Back => {
                if self.help {
                    self.help = false;
                } else {
                    self.quit = true;
                }
                true
            }
            Message::Quit => {
                self.quit = true;
                true
            }
            Message::Teach(t) => self.teach(t),
        }
    }
}
