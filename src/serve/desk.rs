//! A student's desk: what every student's connection holds, whichever model the class is on.
//! Their terminal, their name and badge, whether they follow the teacher, their prediction of what
//! the teacher's quiz hides, the keys that wait while a move computes, and the history of their
//! own counted in the class's budget. The linear student (`student.rs`) and the two-layer one
//! (`two_layer.rs`) both sit at one, and both take keys by the one loop here ([`bytes_in`]); each
//! brings only what its explainer does differently ([`AtDesk`]).

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::text::Line;
use unicode_width::UnicodeWidthChar;

use super::class::{Class, Question, Seat};
use super::predict::{Prediction, Quizzing};
use super::quiz::Asked;
use super::terminal::{Screen, keys_in};
use super::words::say;
use crate::lesson::Lang;
use crate::ui::{self, Message, Mode, message_in, student_message};

/// Columns of a display name.
const NAME_WIDTH: usize = 24;
/// Keys kept while a move computes, to apply after it; beyond these, keys are dropped.
const MAX_QUEUED: usize = 64;

/// What a student's client told us before the session started.
#[derive(Clone, Debug, Default)]
pub struct Setup {
    pub user: String,
    pub size: (u16, u16),
    pub lang: Lang,
    pub color: bool,
}

/// An SSH user name as a display name: control characters removed, cut to 24 columns.
pub fn display_name(user: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in user.chars().filter(|c| !c.is_control()) {
        let w = c.width().unwrap_or(0);
        if width + w > NAME_WIDTH {
            break;
        }
        width += w;
        out.push(c);
    }
    out
}

pub(super) struct Desk {
    pub class: Arc<Class>,
    seat: Seat,
    name: String,
    pub screen: Screen,
    pub following: bool,
    /// The start of an escape sequence split across packets.
    pending: Vec<u8>,
    pub leave: bool,
    /// A key that moves was pressed while following: say how to explore.
    hint: bool,
    /// Keys pressed while a move computes, applied in order once it lands.
    queued: VecDeque<KeyEvent>,
    /// Bytes of history of its own counted in the class's budget (a move in progress counts
    /// what it will keep when it lands).
    counted: usize,
    /// Why the last move was refused, until the next key.
    pub refused: Option<String>,
    prediction: Prediction,
}

/// What a key comes to at the desk, before the explainer's own handling of it.
enum Read {
    /// The prediction line or the hint took it; true when the screen changes.
    Taken(bool),
    /// `f`: the student now follows, or explores.
    Follow,
    /// A key of the explainer's a student may use.
    Message(Message),
}

impl Desk {
    pub fn new(class: Arc<Class>, seat: Seat, setup: &Setup) -> io::Result<Desk> {
        Ok(Desk {
            screen: Screen::new(setup.size)?,
            class,
            seat,
            name: display_name(&setup.user),
            following: true,
            pending: Vec::new(),
            leave: false,
            hint: false,
            queued: VecDeque::new(),
            counted: 0,
            refused: None,
            prediction: Prediction::default(),
        })
    }

    /// The teacher moved to another question or another entry of it; true when this student
    /// follows and goes there too.
    pub fn teacher_moved(&mut self, new_question: bool, new_entry: bool) -> bool {
        self.prediction.moved(new_question, new_entry);
        if !self.following {
            return false;
        }
        self.hint = false;
        true
    }

    /// What this student's explainer knows of the teacher's quiz now: the teacher's quiz is
    /// `on` and `hiding` a result; the student is at `question`, where it asks `asked`, shown at
    /// `precision` decimals.
    pub fn quizzing(
        &self,
        (on, hiding): (bool, bool),
        question: Question,
        asked: Option<Asked>,
        precision: usize,
    ) -> Quizzing {
        Quizzing {
            following: self.following,
            on,
            hiding,
            question,
            asked,
            precision,
        }
    }

    /// The badge: the student's name and whether they follow.
    pub fn badge(&self, lang: Lang) -> String {
        let mode = if self.following {
            say(lang, "following (f: explore)", "跟随老师（f：自由探索）")
        } else {
            say(lang, "exploring (f: follow)", "自由探索（f：跟随老师）")
        };
        if self.name.is_empty() {
            mode
        } else {
            format!("{}: {mode}", self.name)
        }
    }

    /// The line above the status line (see [`Prediction::line`]).
    pub fn line(&self, quizzing: &Quizzing, lang: Lang) -> Option<Line<'static>> {
        let seen = (lang, self.class.options.ambiguous_wide);
        let why = (self.refused.as_deref(), self.hint);
        self.prediction.line(quizzing, seen, why)
    }

    /// A key pressed while a move computes, kept for when it lands (within [`MAX_QUEUED`]).
    fn wait(&mut self, key: &KeyEvent) {
        if self.queued.len() < MAX_QUEUED {
            self.queued.push_back(*key);
        }
    }

    /// The prediction line first, then `f`, then the explainer's keys in `mode`: while
    /// following, the table holds only the keys that change how the screen looks (the place is
    /// the teacher's), and a key the explainer has besides says how to explore instead.
    fn read(&mut self, key: &KeyEvent, mode: Mode, quizzing: &Quizzing) -> Read {
        let submit = message_in(mode, key) == Some(Message::Submit);
        let seat = (&*self.class, &self.seat);
        if self.prediction.key(key, submit, seat, quizzing) {
            return Read::Taken(true);
        }
        if student_message(key) == Some(Message::Follow) {
            self.following = !self.following;
            return Read::Follow;
        }
        let Some(message) = message_in(mode, key) else {
            // Said until the next key or the teacher's next move.
            self.hint = self.following && message_in(Mode::Normal, key).is_some();
            return Read::Taken(self.hint);
        };
        if ui::for_students(message) == ui::Student::Never {
            return Read::Taken(false);
        }
        Read::Message(message)
    }

    /// Reserves `bytes` of history of a free student's own in the class's count, within its own
    /// cap and the class's budget; the reason if not.
    pub fn reserve(&mut self, bytes: usize, lang: Lang) -> Result<(), String> {
        let class = &self.class;
        let mib = |b: usize| format!("{:.1}", b as f64 / f64::from(1 << 20));
        let cap = class.limits.student_history;
        if bytes > cap {
            return Err(match lang {
                Lang::En => format!(
                    "Refused: needs {} MiB of history; a student may keep {} MiB. f: follow",
                    mib(bytes),
                    mib(cap)
                ),
                Lang::Zh => format!(
                    "已拒绝：需要 {} MiB 历史，每位学生最多 {} MiB。f：跟随老师",
                    mib(bytes),
                    mib(cap)
                ),
            });
        }
        if !class.own_history(self.counted, bytes, true) {
            let budget = class.limits.students_history;
            return Err(match lang {
                Lang::En => format!(
                    "Refused: server memory for students is full ({}/{} MiB). f: follow",
                    mib(class.students_history()),
                    mib(budget)
                ),
                Lang::Zh => format!(
                    "已拒绝：服务器留给学生的内存已满（{}/{} MiB）。f：跟随老师",
                    mib(class.students_history()),
                    mib(budget)
                ),
            });
        }
        self.counted = bytes;
        Ok(())
    }

    /// The student now keeps `own` bytes of history of its own: the class's count follows
    /// (during a move, what it reserved stays counted until it lands).
    pub fn recount(&mut self, own: usize, jumping: bool) {
        let own = if jumping { own.max(self.counted) } else { own };
        if own != self.counted {
            self.class.own_history(self.counted, own, false);
            self.counted = own;
        }
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        self.class.own_history(self.counted, 0, false);
    }
}

/// What a student's explainer does its own way, on either model; the desk does the rest.
pub(super) trait AtDesk {
    fn desk(&self) -> &Desk;
    fn desk_mut(&mut self) -> &mut Desk;
    /// The keys in force.
    fn mode(&self) -> Mode;
    /// What this student's explainer knows of the teacher's quiz now.
    fn quizzing(&self) -> Quizzing;
    fn jumping(&self) -> bool;
    fn wants_to_leave(&self) -> bool;
    /// Esc while a free student's move computes: stop it where it got to.
    fn stop(&mut self);
    /// `f` was pressed: the desk's `following` is already the new one.
    fn follow_toggled(&mut self);
    /// Whether `message` keeps this free student's history within its cap and the class's
    /// budget; if so, what it will keep is reserved. The reason if not.
    fn within_budget(&mut self, message: Message) -> Result<(), String>;
    /// A message of the explainer's, within the budget: applied, or a move started that
    /// computes in slices off the runtime. True when the screen changes.
    fn apply(&mut self, message: Message) -> bool;
    /// One step of play, within the budget; true when the screen changes.
    fn play(&mut self) -> bool;
    /// The student's session holds the teacher's history rather than its own.
    fn history_shared(&self) -> bool;
    /// What the student's session keeps of history.
    fn history_bytes(&self) -> usize;
    /// When the student's explainer, playing, takes its next step.
    fn play_interval(&self) -> Option<std::time::Duration>;
}

/// The student's own automatic step, while exploring with play on.
pub(super) fn tick_interval(student: &impl AtDesk) -> Option<std::time::Duration> {
    if student.desk().following || student.jumping() {
        None
    } else {
        student.play_interval()
    }
}

/// Counts the history this student keeps of its own (none while it shares the teacher's),
/// or, while a move is in progress, what it will keep when it lands.
pub(super) fn account(student: &mut impl AtDesk) {
    let own = if student.history_shared() {
        0
    } else {
        student.history_bytes()
    };
    let jumping = student.jumping();
    student.desk_mut().recount(own, jumping);
}

/// Bytes typed by the student; true when the screen changes.
pub(super) fn bytes_in(student: &mut impl AtDesk, bytes: &[u8]) -> bool {
    let keys = {
        let desk = student.desk_mut();
        keys_in(&mut desk.pending, bytes)
    };
    let mut dirty = false;
    for key in keys {
        dirty |= self::key(student, &key);
        if student.wants_to_leave() {
            break;
        }
    }
    dirty
}

/// Once a move has landed: the keys pressed while it computed, in order, until one starts
/// another move or leaves.
pub(super) fn keys_waiting(student: &mut impl AtDesk) {
    while !student.jumping()
        && !student.wants_to_leave()
        && let Some(key) = student.desk_mut().queued.pop_front()
    {
        self::key(student, &key);
    }
}

/// The student's own automatic step, while exploring with play on: refused beyond the budget.
pub(super) fn tick(student: &mut impl AtDesk) -> bool {
    if let Err(why) = student.within_budget(Message::Tick) {
        let desk = student.desk_mut();
        let changed = desk.refused.is_none();
        desk.refused = Some(why);
        return changed;
    }
    student.play()
}

fn key(student: &mut impl AtDesk, key: &KeyEvent) -> bool {
    if key.kind != KeyEventKind::Press {
        return false;
    }
    let hinted = std::mem::take(&mut student.desk_mut().hint);
    let changed = if student.jumping() {
        key_while_jumping(student, key)
    } else {
        let refused = student.desk_mut().refused.take().is_some();
        key_applied(student, key) || refused
    };
    changed || hinted
}

/// A key while a move computes: q leaves and Esc stops a free student's move where it got to
/// (the teacher's place is not the student's to stop at); the rest wait for it.
fn key_while_jumping(student: &mut impl AtDesk, key: &KeyEvent) -> bool {
    match message_in(student.mode(), key) {
        Some(Message::Quit) => {
            student.desk_mut().leave = true;
            true
        }
        Some(Message::Back) if !student.desk().following => {
            student.stop();
            true
        }
        _ => {
            student.desk_mut().wait(key);
            false
        }
    }
}

fn key_applied(student: &mut impl AtDesk, key: &KeyEvent) -> bool {
    let (mode, quizzing) = (student.mode(), student.quizzing());
    match student.desk_mut().read(key, mode, &quizzing) {
        Read::Taken(changed) => changed,
        Read::Follow => {
            student.follow_toggled();
            true
        }
        Read::Message(message) => {
            if !student.desk().following
                && let Err(why) = student.within_budget(message)
            {
                student.desk_mut().refused = Some(why);
                return true;
            }
            student.apply(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_control_characters_and_stop_at_24_columns() {
        assert_eq!(display_name("ann\u{1b}[2J\n"), "ann[2J");
        assert_eq!(display_name(&"x".repeat(40)).len(), 24);
        // 13 two-column characters would be 26 columns: 12 fit.
        assert_eq!(display_name(&"学".repeat(13)).chars().count(), 12);
    }
}
