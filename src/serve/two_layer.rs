//! `gradstep serve` on a two-layer run: the class's run and place, and one student's two-layer
//! explainer, following the teacher's batch and step or exploring on their own, within the same
//! limits as on the linear model (the server's gate, stalls and typing budget are the same code;
//! the history a free student keeps of its own is counted in the same budget), and predicting
//! what the teacher's quiz hides as a linear student does (one [`Prediction`]).

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::text::Line;
use tokio::sync::watch;

use super::class::{Class, Seat};
use super::predict::{Prediction, Quizzing};
use super::quiz::Asked;
use super::student::{
    Screen, Setup, display_name, draw_line, keys_in, mode_badge, recount, reserve,
};
use crate::engine::Starts;
use crate::engine::mlp_session::MlpSession;
use crate::lesson::{Lang, Stop};
use crate::ui::two_layer::{TwoLayerApp, TwoLayerPlace};
use crate::ui::{self, Message, Mode, PROGRESS_AFTER, message_in, student_message};

/// Keys kept while a move computes, to apply after it; beyond these, keys are dropped.
const MAX_QUEUED: usize = 64;

/// What a class on a two-layer run shares.
pub struct TwoLayerClass {
    /// The run as the teacher started it, for every new student.
    pub start: MlpSession,
    /// The teacher's run as last shown: a follower takes it, its checkpoints shared rather than
    /// computed again or copied.
    pub run: watch::Sender<Arc<MlpSession>>,
    pub place: watch::Sender<TwoLayerPlace>,
    /// The lesson plan's stops and where a network of another size starts, for every student's
    /// explainer (its note shown, Tab while exploring).
    pub plan: Option<(Vec<Stop>, Starts)>,
}

impl TwoLayerClass {
    pub fn new(start: MlpSession, place: TwoLayerPlace) -> TwoLayerClass {
        TwoLayerClass {
            run: watch::Sender::new(Arc::new(start.clone())),
            start,
            place: watch::Sender::new(place),
            plan: None,
        }
    }

    /// The class with the teacher's lesson plan.
    pub fn with_plan(self, plan: (Vec<Stop>, Starts)) -> TwoLayerClass {
        TwoLayerClass {
            plan: Some(plan),
            ..self
        }
    }

    /// The teacher's frame is on the screen: its run first (when it has checkpoints the last one
    /// lacks), so that a student woken by the place finds it there, then the place.
    pub fn publish(&self, app: &TwoLayerApp) {
        let s = app.session();
        if !s.shares_history_with(&self.run.borrow()) {
            self.run.send_replace(Arc::new(s.clone()));
        }
        let place = app.place();
        if *self.place.borrow() != place {
            self.place.send_replace(place);
        }
    }
}

/// A move that computes a stretch of the run before it lands: `message` then, or none for the
/// way back to where `z` recomputed the run from its start.
struct Jumping {
    target: usize,
    message: Option<Message>,
    started: Instant,
}

pub struct TwoLayerStudent {
    class: Arc<Class>,
    seat: Seat,
    name: String,
    app: TwoLayerApp,
    screen: Screen,
    following: bool,
    place: TwoLayerPlace,
    /// The teacher's run last taken.
    taken: Option<Arc<MlpSession>>,
    /// The start of an escape sequence split across packets.
    pending: Vec<u8>,
    leave: bool,
    /// A key that moves was pressed while following: say how to explore.
    hint: bool,
    jump: Option<Jumping>,
    queued: VecDeque<KeyEvent>,
    /// Bytes of checkpoints of its own counted in the class's budget.
    counted: usize,
    /// Why the last move was refused, until the next key.
    refused: Option<String>,
    /// The student's answer to the teacher's quiz, as linear students answer it.
    prediction: Prediction,
}

impl TwoLayerStudent {
    /// None when the class is not on a two-layer run.
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
            screen: Screen::new(setup.size)?,
            class,
            seat,
            name: display_name(&setup.user),
            app,
            following: true,
            place,
            taken: None,
            pending: Vec::new(),
            leave: false,
            hint: false,
            jump: None,
            queued: VecDeque::new(),
            counted: 0,
            refused: None,
            prediction: Prediction::default(),
        };
        student.go_to_teacher();
        Ok(student)
    }

    pub fn app(&self) -> &TwoLayerApp {
        &self.app
    }

    pub fn following(&self) -> bool {
        self.following
    }

    pub fn wants_to_leave(&self) -> bool {
        self.leave || self.app.should_quit()
    }

    pub fn lang(&self) -> Lang {
        self.app.lang()
    }

    /// The teacher moved; true when this screen changes.
    pub fn teacher_moved(&mut self, place: TwoLayerPlace) -> bool {
        self.prediction.moved(
            (self.place.global, self.place.step) != (place.global, place.step),
            self.place.entry != place.entry,
        );
        self.place = place;
        if !self.following {
            return false;
        }
        self.hint = false;
        self.go_to_teacher();
        true
    }

    /// The teacher's run, taken when it is another than this student's, then the place on it:
    /// never more than a short replay here.
    fn go_to_teacher(&mut self) {
        let Some(taught) = &self.class.two_layer else {
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
        self.account();
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
        self.account();
        while !self.jumping()
            && !self.wants_to_leave()
            && let Some(key) = self.queued.pop_front()
        {
            self.key(&key);
        }
        true
    }

    /// A move has computed long enough to show how far it has got (the explainer says it).
    pub fn shows_progress(&self) -> bool {
        self.jump
            .as_ref()
            .is_some_and(|j| j.started.elapsed() >= PROGRESS_AFTER)
    }

    pub fn bytes_in(&mut self, bytes: &[u8]) -> bool {
        let mut dirty = false;
        for key in keys_in(&mut self.pending, bytes) {
            dirty |= self.key(&key);
            if self.wants_to_leave() {
                break;
            }
        }
        dirty
    }

    fn key(&mut self, key: &KeyEvent) -> bool {
        if key.kind != KeyEventKind::Press {
            return false;
        }
        let hinted = std::mem::take(&mut self.hint);
        let changed = if self.jumping() {
            self.key_while_jumping(key)
        } else {
            let refused = self.refused.take().is_some();
            self.key_applied(key) || refused
        };
        changed || hinted
    }

    /// The keys in force: while following, only those that change how the screen looks, and
    /// Enter for the prediction while the teacher's quiz hides a result.
    fn mode(&self) -> Mode {
        match self.app.key_mode() {
            Mode::Normal if self.quizzing().asking().is_some() => Mode::Answering,
            Mode::Normal if self.following => Mode::Following,
            mode => mode,
        }
    }

    /// What this student's explainer knows of the teacher's quiz now.
    fn quizzing(&self) -> Quizzing {
        let s = self.app.session();
        Quizzing {
            following: self.following,
            on: self.place.quiz,
            hiding: self.place.hiding,
            question: (s.global(), s.step()).into(),
            asked: self.app.asked().map(Asked::of),
            precision: self.app.precision(),
        }
    }

    /// While a move computes: q leaves, Esc stops it where it got to; the rest wait for it.
    fn key_while_jumping(&mut self, key: &KeyEvent) -> bool {
        match message_in(self.mode(), key) {
            Some(Message::Quit) => {
                self.leave = true;
                true
            }
            Some(Message::Back) => {
                self.jump = None;
                self.app.stop_exploring();
                self.account();
                true
            }
            _ => {
                if self.queued.len() < MAX_QUEUED {
                    self.queued.push_back(*key);
                }
                false
            }
        }
    }

    fn key_applied(&mut self, key: &KeyEvent) -> bool {
        let submit = message_in(self.mode(), key) == Some(Message::Submit);
        let seat = (&*self.class, &self.seat);
        if self.prediction.key(key, submit, seat, &self.quizzing()) {
            return true;
        }
        if student_message(key) == Some(Message::Follow) {
            self.following = !self.following;
            if self.following {
                self.go_to_teacher();
            }
            return true;
        }
        let Some(message) = message_in(self.mode(), key) else {
            // Said until the next key or the teacher's next move.
            self.hint = self.following && message_in(Mode::Normal, key).is_some();
            return self.hint;
        };
        if ui::for_students(message) == ui::Student::Never {
            return false;
        }
        if !self.following
            && let Err(why) = self.within_budget(message)
        {
            self.refused = Some(why);
            return true;
        }
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
        self.account();
        changed
    }

    /// The student's own automatic step, while exploring with play on.
    pub fn tick_interval(&self) -> Option<Duration> {
        if self.following || self.jumping() {
            None
        } else {
            self.app.tick_interval()
        }
    }

    pub fn tick(&mut self) -> bool {
        if let Err(why) = self.within_budget(Message::Tick) {
            let changed = self.refused.is_none();
            self.refused = Some(why);
            return changed;
        }
        let changed = self.app.update(Message::Tick);
        self.account();
        changed
    }

    /// Whether `message` keeps this free student's checkpoints within its cap and the class's
    /// budget; if so, what it will keep is reserved. The reason if not.
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
        reserve(&self.class, &mut self.counted, bytes, self.app.lang())
    }

    /// Counts the checkpoints this student keeps of its own (none while shared with the
    /// teacher's run), or, during a move, what it will keep when it lands.
    fn account(&mut self) {
        let s = self.app.session();
        let own = if s.history_shared() {
            0
        } else {
            s.history_bytes()
        };
        let jumping = self.jumping();
        recount(&self.class, &mut self.counted, own, jumping);
    }

    pub fn resize(&mut self, cols: u32, rows: u32) -> io::Result<()> {
        self.screen.resize(cols, rows)
    }

    /// The line above the status line (see [`Prediction::line`]).
    fn line(&self) -> Option<Line<'static>> {
        let seen = (self.app.lang(), self.class.options.ambiguous_wide);
        let why = (self.refused.as_deref(), self.hint);
        self.prediction.line(&self.quizzing(), seen, why)
    }

    /// Draws the screen: the explainer, the line above the status line, and the badge.
    pub fn frame(&mut self) -> io::Result<Vec<u8>> {
        let lang = self.app.lang();
        let line = self.line();
        self.app
            .set_badge(Some(mode_badge(lang, &self.name, self.following)));
        let app = &self.app;
        self.screen.frame(|frame| {
            let area = frame.area();
            frame.render_widget(app, area);
            if let Some(line) = line {
                draw_line(line, area, frame.buffer_mut());
            }
        })
    }
}

impl Drop for TwoLayerStudent {
    fn drop(&mut self) {
        self.class.own_history(self.counted, 0, false);
    }
}
