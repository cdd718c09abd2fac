//! One student's explainer: their own `App` on the shared run, drawn by ratatui at their window
//! size into bytes for their SSH channel, following the teacher's place until they press `f`,
//! and taking their prediction while the teacher's quiz hides a result (at their [`Desk`]).

use std::io;
use std::sync::Arc;
use std::time::Instant;

use super::class::{Class, Seat};
use super::desk::{self, AtDesk, Desk, Setup};
use super::follow::{self, Lead};
use super::predict::Quizzing;
use super::quiz;
use super::terminal::{draw_line, draw_progress};
use crate::engine::session::history_per_batch_of;
use crate::engine::{Jump, Progress};
use crate::ui::{self, App, Message, Mode, PROGRESS_AFTER, Theme, long_jump, slice_batches};

pub struct Student {
    desk: Desk,
    app: App,
    place: Arc<Lead>,
    /// A long move being computed (off the async runtime, see [`Student::slice`]).
    jump: Option<Jumping>,
}

/// A move that must compute a long stretch of the run before it lands.
struct Jumping {
    target: usize,
    /// What lands it; None is the teacher's place, for a following student.
    message: Option<Message>,
    started: Instant,
    progress: Progress,
}

impl Student {
    pub fn new(class: Arc<Class>, seat: Seat, setup: &Setup) -> io::Result<Student> {
        let mut options = class.options.clone();
        options.lang = setup.lang;
        // Nothing a student does writes on the teacher's machine: the handout key is refused
        // below, and this keeps it pointing nowhere useful besides.
        options.handout_dir = std::path::PathBuf::new();
        let app = App::new(
            class.start.clone(),
            class.lesson.clone(),
            &options,
            Theme::new(setup.color),
        );
        let place = class.place.borrow().clone();
        let mut student = Student {
            desk: Desk::new(class, seat, setup)?,
            app,
            place,
            jump: None,
        };
        student.app.set_follower(true);
        student.go_to_teacher();
        student.badge();
        Ok(student)
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn following(&self) -> bool {
        self.desk.following
    }

    pub fn wants_to_leave(&self) -> bool {
        self.desk.leave || self.app.should_quit()
    }

    fn badge(&mut self) {
        let badge = self.desk.badge(self.app.lang());
        self.app.set_badge(Some(badge));
    }

    /// The teacher moved; true when this screen changes.
    pub fn teacher_moved(&mut self, place: Arc<Lead>) -> bool {
        let new_question = (self.place.global, self.place.step) != (place.global, place.step);
        let new_entry = self.place.entry != place.entry;
        self.place = place;
        if !self.desk.teacher_moved(new_question, new_entry) {
            return false;
        }
        self.go_to_teacher();
        true
    }

    /// Puts a following student at the teacher's place: at once when it is near, or as a jump
    /// computed in slices when the way there is long (a new student joining late, the teacher's
    /// End on a long run).
    fn go_to_teacher(&mut self) {
        // The teacher's run, history and all, is taken rather than computed again or kept twice
        // whenever this student's would not do: another run, a place beyond what it has
        // explored, or a history of its own (from exploring) that following does not need.
        let class = Arc::clone(&self.desk.class);
        let run = Arc::clone(&class.run.borrow());
        let s = self.app.session();
        let take = !s.shares_history_with(&run)
            && (!follow::same_run(s, &run)
                || self.place.global >= s.explored()
                || !s.history_shared());
        if take {
            self.app.with_session(|s| {
                let granularity = s.granularity();
                *s = (*run).clone();
                s.set_granularity(granularity);
            });
            self.jump = None;
            desk::account(self);
        }
        follow::take_run(&mut self.app, &self.place, &class.pristine);
        let target = self.place.global;
        if self.far(target) {
            self.start(target, None);
        } else {
            // A jump towards an earlier place of the teacher's is not needed any more.
            self.jump = None;
            follow::follow(&mut self.app, &self.place, &class.pristine);
        }
    }

    /// Whether reaching global batch `target` computes more than a slice.
    fn far(&self, target: usize) -> bool {
        let s = self.app.session();
        target > s.explored().saturating_add(slice_batches(s))
    }

    fn start(&mut self, target: usize, message: Option<Message>) {
        let done = self.app.session().explored();
        self.jump = Some(Jumping {
            target,
            message,
            started: Instant::now(),
            progress: Progress {
                done,
                needed: target,
            },
        });
    }

    /// A move is being computed: call [`Student::slice`] off the async runtime until it lands.
    pub fn jumping(&self) -> bool {
        self.jump.is_some()
    }

    /// Computes one slice (a few milliseconds) of the move under way, and lands it once every
    /// batch before its target is known, applying the keys pressed meanwhile. Heavy: it runs on
    /// a blocking thread, never on the runtime's. True when the screen changes.
    pub fn slice(&mut self) -> bool {
        let Some(jump) = &self.jump else {
            return false;
        };
        let (target, budget) = (jump.target, slice_batches(self.app.session()));
        let mut progress = None;
        self.app
            .with_session(|s| progress = Some(s.advance(target, budget)));
        let Some(progress) = progress else {
            return false;
        };
        if let Some(jump) = &mut self.jump {
            jump.progress = progress;
        }
        if !progress.finished() {
            return false;
        }
        match self.jump.take().and_then(|j| j.message) {
            Some(message) => {
                self.app.update(message);
            }
            None if self.app.opening().is_some() => self.app.open(),
            None => follow::follow(&mut self.app, &self.place, &self.desk.class.pristine),
        }
        desk::account(self);
        desk::keys_waiting(self);
        true
    }

    /// A jump has computed long enough to show how far it has got.
    pub fn shows_progress(&self) -> bool {
        self.progress().is_some()
    }

    /// While a jump computes: the line that says how far it has got, once it takes a moment.
    fn progress(&self) -> Option<String> {
        let jump = self.jump.as_ref()?;
        if jump.started.elapsed() < PROGRESS_AFTER {
            return None;
        }
        let p = jump.progress;
        Some(ui::progress_line(self.app.lang(), p.done, p.needed))
    }

    /// Bytes typed by the student; true when the screen changes.
    pub fn bytes_in(&mut self, bytes: &[u8]) -> bool {
        desk::bytes_in(self, bytes)
    }

    /// The student's own automatic step, while exploring with play on.
    pub fn tick_interval(&self) -> Option<std::time::Duration> {
        desk::tick_interval(self)
    }

    pub fn tick(&mut self) -> bool {
        desk::tick(self)
    }

    pub fn resize(&mut self, cols: u32, rows: u32) -> io::Result<()> {
        self.desk.screen.resize(cols, rows)
    }

    /// The size drawn at: the client's window, clamped.
    pub fn size(&self) -> (u16, u16) {
        self.desk.screen.size()
    }

    /// Draws the screen; returns the bytes that bring the student's terminal to it.
    pub fn frame(&mut self) -> io::Result<Vec<u8>> {
        let line = self.desk.line(&self.quizzing(), self.app.lang());
        let progress = self.progress();
        let app = &self.app;
        self.desk.screen.frame(|frame| {
            let area = frame.area();
            frame.render_widget(app, area);
            if let Some(line) = line {
                draw_line(line, area, frame.buffer_mut());
            }
            if let Some(text) = progress {
                draw_progress(text, area, frame.buffer_mut());
            }
        })
    }
}

impl AtDesk for Student {
    fn history_shared(&self) -> bool {
        self.app.session().history_shared()
    }

    fn history_bytes(&self) -> usize {
        self.app.session().history_bytes()
    }

    fn play_interval(&self) -> Option<std::time::Duration> {
        self.app.tick_interval()
    }

    fn desk(&self) -> &Desk {
        &self.desk
    }

    fn desk_mut(&mut self) -> &mut Desk {
        &mut self.desk
    }

    fn mode(&self) -> Mode {
        self.app.key_mode()
    }

    fn quizzing(&self) -> Quizzing {
        let s = self.app.session();
        self.desk.quizzing(
            (self.place.quiz, self.place.hiding),
            (s.batch().global, s.step()).into(),
            quiz::asked_entry(s.step(), s.batch(), self.place.entry),
            self.app.precision(),
        )
    }

    fn jumping(&self) -> bool {
        Student::jumping(self)
    }

    fn wants_to_leave(&self) -> bool {
        Student::wants_to_leave(self)
    }

    fn stop(&mut self) {
        self.jump = None;
        self.app.stay();
        desk::account(self);
    }

    fn follow_toggled(&mut self) {
        let following = self.desk.following;
        self.app.set_follower(following);
        if following {
            self.go_to_teacher();
        }
        self.badge();
    }

    fn within_budget(&mut self, message: Message) -> Result<(), String> {
        let s = self.app.session();
        let (global, explored) = (s.batch().global, s.explored());
        let last_step = s.steps().1 + 1 >= s.steps().0.len();
        let change = matches!(
            message,
            Message::LrUp | Message::LrDown | Message::BatchUp | Message::BatchDown
        );
        let target = match message {
            _ if change => global,
            Message::NextBatch | Message::Tick => global + 1,
            Message::NextStep if last_step => global + 1,
            _ => {
                match long_jump(message).or_else(|| self.app.destination(message).map(Jump::Batch))
                {
                    Some(jump) => s.jump_target(jump),
                    None => return Ok(()),
                }
            }
        };
        // A change keeps the history up to here (copying it if it is shared); a move records
        // every batch up to its target.
        let kept = if change {
            if !s.history_shared() {
                return Ok(());
            }
            global + 1
        } else if target < explored {
            return Ok(());
        } else {
            target + 1
        };
        let bytes = kept.saturating_mul(history_per_batch_of(
            s.data().d(),
            !s.batch().hyper.zero_grad,
        ));
        let lang = self.app.lang();
        self.desk.reserve(bytes, lang)
    }

    fn apply(&mut self, message: Message) -> bool {
        // A long way to go is computed in slices off the runtime (see `slice`).
        let jump = long_jump(message).or_else(|| self.app.destination(message).map(Jump::Batch));
        if let Some(jump) = jump {
            let target = self.app.session().jump_target(jump);
            if self.far(target) {
                self.start(target, Some(message));
                return false;
            }
        }
        let changed = self.app.update(message);
        // A run recomputed from its start returns to a far place in slices, like a jump.
        if let Some(place) = self.app.opening() {
            self.start(place.global, None);
        }
        desk::account(self);
        if message == Message::ToggleLang {
            self.badge();
        }
        changed
    }

    fn play(&mut self) -> bool {
        let changed = self.app.update(Message::Tick);
        desk::account(self);
        changed
    }
}
