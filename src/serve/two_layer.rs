//! `gradstep serve` on a two-layer run: one student's two-layer explainer, following the
//! teacher's batch and step or exploring on their own, within the same limits as on the linear
//! model (the server's gate, stalls and typing budget are the same code; the history a free
//! student keeps of its own is counted in the same budget), and predicting what the teacher's
//! quiz hides as a linear student does: both sit at a [`Desk`].

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::class::{Class, Seat};
use super::desk::{self, AtDesk, Desk, Setup};
use super::predict::Quizzing;
use super::quiz::Asked;
use super::terminal::draw_line;
use crate::engine::mlp_session::MlpSession;
use crate::lesson::Lang;
use crate::ui::two_layer::{TwoLayerApp, TwoLayerPlace};
use crate::ui::{Message, Mode, PROGRESS_AFTER};

/// A move that computes a stretch of the run before it lands: `message` then, or none for the
/// way back to where `z` recomputed the run from its start.
struct Jumping {
    target: usize,
    message: Option<Message>,
    started: Instant,
}

pub struct TwoLayerStudent {
    desk: Desk,
    app: TwoLayerApp,
    place: TwoLayerPlace,
    /// The teacher's run last taken.
    taken: Option<Arc<MlpSession>>,
    jump: Option<Jumping>,
}

impl TwoLayerStudent {
    /// An error when the class is not on a two-layer run.
    pub fn new(class: Arc<Class>, seat: Seat, setup: &Setup) -> io::Result<TwoLayerStudent> {
        let taught = class
            .two_layer
            .as_ref()
            .ok_or_else(|| io::Error::other("the class is not on a two-layer run"))?;
        let options = &class.options;
        let mut app = TwoLayerApp::new(
            taught.start.clone(),
            setup.lang,
            options.ambiguous_wide,
            setup.color,
        );
        if let Some(p) = options.precision {
            app.set_precision(usize::from(p));
        }
        app.set_palette(options.theme);
        if let Some((stops, starts)) = &taught.plan {
            app.set_stops(stops.clone(), starts.clone());
        }
        let place = *taught.place.borrow();
        let mut student = TwoLayerStudent {
            desk: Desk::new(class, seat, setup)?,
            app,
            place,
            taken: None,
            jump: None,
        };
        student.go_to_teacher();
        Ok(student)
    }

    pub fn app(&self) -> &TwoLayerApp {
        &self.app
    }

    pub fn following(&self) -> bool {
        self.desk.following
    }

    pub fn wants_to_leave(&self) -> bool {
        self.desk.leave || self.app.should_quit()
    }

    pub fn lang(&self) -> Lang {
        self.app.lang()
    }

    /// The teacher moved; true when this screen changes.
    pub fn teacher_moved(&mut self, place: TwoLayerPlace) -> bool {
        let new_question = (self.place.global, self.place.step) != (place.global, place.step);
        let new_entry = self.place.entry != place.entry;
        self.place = place;
        if !self.desk.teacher_moved(new_question, new_entry) {
            return false;
        }
        self.go_to_teacher();
        true
    }

    /// The teacher's run, taken when it is another than this student's, then the place on it:
    /// never more than a short replay here.
    fn go_to_teacher(&mut self) {
        let class = Arc::clone(&self.desk.class);
        let Some(taught) = &class.two_layer else {
            return;
        };
        let run = Arc::clone(&taught.run.borrow());
        let same = self.taken.as_ref().is_some_and(|t| Arc::ptr_eq(t, &run));
        if !same || !self.app.session().shares_history_with(&run) {
            self.app.take_run(&run);
            self.taken = Some(run);
            self.jump = None;
        }
        self.app.show_at(&self.place);
        desk::account(self);
    }

    pub fn jumping(&self) -> bool {
        self.jump.is_some()
    }

    /// Computes one slice of the move under way (on a blocking thread, never the runtime's), and
    /// lands it once there, applying the keys pressed meanwhile. True when the screen changes.
    pub fn slice(&mut self) -> bool {
        let Some(target) = self.jump.as_ref().map(|j| j.target) else {
            return false;
        };
        if !self.app.explore(target) {
            return false;
        }
        match self.jump.take().map(|j| j.message) {
            Some(Some(message)) => {
                self.app.update(message);
            }
            Some(None) => self.app.open(),
            None => {}
        }
        desk::account(self);
        desk::keys_waiting(self);
        true
    }

    /// A move has computed long enough to show how far it has got (the explainer says it).
    pub fn shows_progress(&self) -> bool {
        self.jump
            .as_ref()
            .is_some_and(|j| j.started.elapsed() >= PROGRESS_AFTER)
    }

    pub fn bytes_in(&mut self, bytes: &[u8]) -> bool {
        desk::bytes_in(self, bytes)
    }

    /// The student's own automatic step, while exploring with play on.
    pub fn tick_interval(&self) -> Option<Duration> {
        desk::tick_interval(self)
    }

    pub fn tick(&mut self) -> bool {
        desk::tick(self)
    }

    pub fn resize(&mut self, cols: u32, rows: u32) -> io::Result<()> {
        self.desk.screen.resize(cols, rows)
    }

    /// Draws the screen: the explainer, the line above the status line, and the badge.
    pub fn frame(&mut self) -> io::Result<Vec<u8>> {
        let lang = self.app.lang();
        let line = self.desk.line(&self.quizzing(), lang);
        self.app.set_badge(Some(self.desk.badge(lang)));
        let app = &self.app;
        self.desk.screen.frame(|frame| {
            let area = frame.area();
            frame.render_widget(app, area);
            if let Some(line) = line {
                draw_line(line, area, frame.buffer_mut());
            }
        })
    }
}

impl AtDesk for TwoLayerStudent {
    fn history_shared(&self) -> bool {
        self.app.session().history_shared()
    }

    fn history_bytes(&self) -> usize {
        self.app.session().history_bytes()
    }

    fn play_interval(&self) -> Option<Duration> {
        self.app.tick_interval()
    }

    fn desk(&self) -> &Desk {
        &self.desk
    }

    fn desk_mut(&mut self) -> &mut Desk {
        &mut self.desk
    }

    /// While following, only the keys that change how the screen looks, and Enter for the
    /// prediction while the teacher's quiz hides a result.
    fn mode(&self) -> Mode {
        match self.app.key_mode() {
            Mode::Normal if self.quizzing().asking().is_some() => Mode::Answering,
            Mode::Normal if self.desk.following => Mode::Following,
            mode => mode,
        }
    }

    fn quizzing(&self) -> Quizzing {
        let s = self.app.session();
        self.desk.quizzing(
            (self.place.quiz, self.place.hiding),
            (s.global(), s.step()).into(),
            self.app.asked().map(Asked::of),
            self.app.precision(),
        )
    }

    fn jumping(&self) -> bool {
        TwoLayerStudent::jumping(self)
    }

    fn wants_to_leave(&self) -> bool {
        TwoLayerStudent::wants_to_leave(self)
    }

    fn stop(&mut self) {
        self.jump = None;
        self.app.stop_exploring();
        desk::account(self);
    }

    fn follow_toggled(&mut self) {
        if self.desk.following {
            self.go_to_teacher();
        }
    }

    fn within_budget(&mut self, message: Message) -> Result<(), String> {
        let s = self.app.session();
        let (global, explored) = (s.global(), s.explored());
        let last_step = s.step_index() + 1 >= s.steps().len();
        let target = match message {
            Message::NextBatch => global + 1,
            Message::NextStep | Message::Tick if last_step => global + 1,
            _ => match self.app.destination(message) {
                Some(target) => target,
                None => return Ok(()),
            },
        };
        // Within what is explored nothing is recorded; beyond it, every checkpoint up to the
        // target is this student's own (copied, if it was the teacher's).
        if target < explored {
            return Ok(());
        }
        let bytes = s.history_bytes_to(target.min(s.total_batches()));
        let lang = self.app.lang();
        self.desk.reserve(bytes, lang)
    }

    fn apply(&mut self, message: Message) -> bool {
        // Beyond what is explored, the way is computed in slices off the runtime.
        if let Some(target) = self.app.destination(message)
            && target > self.app.session().explored()
        {
            self.jump = Some(Jumping {
                target,
                message: Some(message),
                started: Instant::now(),
            });
            return false;
        }
        let changed = self.app.update(message);
        // A run recomputed from its start (`z`) finds its way back here in slices too.
        if let Some(target) = self.app.opening() {
            self.jump = Some(Jumping {
                target,
                message: None,
                started: Instant::now(),
            });
        }
        desk::account(self);
        changed
    }

    fn play(&mut self) -> bool {
        let changed = self.app.update(Message::Tick);
        desk::account(self);
        changed
    }
}
