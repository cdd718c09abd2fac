//! The model, the messages that change it, and `update`: everything the view reads.

use std::time::Duration;

use super::UiOptions;
use super::classroom::{Classroom, Notice};
use super::derivation;
use super::divergence::Divergence;
use super::glyphs::Glyphs;
pub use super::message::{Message, Mode};
use super::pictures::{self, Pictures, View};
use super::shown::Shown;
use super::slices::slice_batches;
use super::strings::{S, goto_words};
use super::theme::Theme;
use crate::engine::schedule::Segment;
use crate::engine::{GradCheck, Granularity, Objective, Params, Session, gradcheck};
use crate::lesson::{Lang, Lesson, StopView};
use crate::run::experiments::Experiment;
use crate::run::goto::{self, GoTo, Outcome, Place};
use crate::run::live;
use crate::run::resume::{Resume, Saved};
use crate::run::stops::{self, Stops};

/// Pauses between automatic steps, slowest first.
pub(super) const SPEEDS: [Duration; 7] = [
    Duration::from_millis(3000),
    Duration::from_millis(2000),
    Duration::from_millis(1200),
    Duration::from_millis(800),
    Duration::from_millis(500),
    Duration::from_millis(250),
    Duration::from_millis(100),
];
pub(super) const DEFAULT_SPEED: usize = 3;

/// The pause at rung `speed` of [`SPEEDS`], in words (both explainers say it alike).
pub(super) fn speed_words(speed: usize, lang: Lang) -> String {
    let secs = SPEEDS[speed].as_secs_f64();
    S::Speed
        .get(lang)
        .replace("{s}", &format!("{secs}"))
        .replace("{k}", &(speed + 1).to_string())
        .replace("{n}", &SPEEDS.len().to_string())
}

pub struct App {
    pub(super) session: Session,
    pub(super) lesson: Lesson,
    pub(super) lang: Lang,
    pub(super) theme: Theme,
    pub(super) glyphs: Glyphs,
    pub(super) seed: u64,
    pub(super) help: bool,
    /// Which page of the help is shown and how far it is scrolled.
    pub(super) help_at: super::help::At,
    pub(super) playing: bool,
    pub(super) classroom: Classroom,
    speed: usize,
    quit: bool,
    pub(super) view: View,
    pub(super) pictures: Pictures,
    /// The batch's tape as the graph view shows it, brought to the place by `update`.
    pub(super) graph: super::graph::Graph,
    /// The step's worked equations, rebuilt by `update`.
    pub(super) shown: Shown,
    /// What the step writes, reads and knows, for the matrix panel (rebuilt with `shown`).
    pub(super) tally: super::progress::Tally,
    /// The current batch's gradient check, once a screen has needed it (see `check_gradient`).
    checked: Option<((usize, u64, Objective), GradCheck)>,
    /// The derivation panel as last laid out, and for how many columns and rows; `update`
    /// empties it.
    pub(super) layout: derivation::Cache,
    pub(super) goto: GoTo,
    pub(super) stops: Stops,
    pub(super) divergence: Divergence,
    /// The parameters the run starts from, to recompute it with another objective.
    init: Params,
    /// The objective and segments the run was started with, which `r` goes back to.
    started: (Objective, Vec<Segment>),
    /// Whether the run was started zeroing `.grad` after each update (`r` goes back to it).
    started_zero_grad: bool,
    resume: Option<Resume>,
    /// A first part for the status line from whoever hosts the explainer.
    pub(super) badge: Option<String>,
    /// Where `--at` or `--resume` asks the explainer to open, or where a run recomputed from its
    /// start (forgetting `zero_()`) is to return, until it has (see `open`).
    opening: Option<Place>,
    /// The place (batch, step) whose text is shown whole: other steps show theirs cut.
    read_on: Option<(usize, usize)>,
    /// A student following the teacher under `serve` (see [`Mode::Following`]).
    pub(super) follower: bool,
}

impl App {
    pub fn new(session: Session, lesson: Lesson, opts: &UiOptions, theme: Theme) -> App {
        let mut app = App::unopened(session, lesson, opts, theme);
        app.open();
        app
    }

    /// [`App::new`] short of its opening jump (`--at`, or the place `--resume` reopens): the run
    /// loop first computes the way there in slices, so a far place cannot freeze the start.
    pub(super) fn unopened(
        session: Session,
        lesson: Lesson,
        opts: &UiOptions,
        theme: Theme,
    ) -> App {
        // The first batch's parameters are the run's start: a new session is there already.
        let first = if session.batch().global == 0 {
            None
        } else {
            let mut first = session.clone();
            first.go_to_batch(0);
            Some(first)
        };
        let b = first.as_ref().unwrap_or(&session).batch();
        let init = Params {
            w: b.w.clone(),
            b: b.b,
        };
        let started = (session.batch().hyper.objective, session.segments().to_vec());
        let started_zero_grad = session.batch().hyper.zero_grad;
        let divergence = Divergence::new(&session, opts.standardized);
        let mut app = App {
            session,
            lesson,
            lang: opts.lang,
            theme: theme.with_palette(opts.theme),
            glyphs: Glyphs::new(opts.ambiguous_wide),
            seed: opts.seed,
            help: false,
            help_at: super::help::At::default(),
            playing: false,
            classroom: Classroom::new(opts),
            speed: DEFAULT_SPEED,
            quit: false,
            view: View::Lesson,
            pictures: Pictures::default(),
            graph: super::graph::Graph::default(),
            badge: None,
            shown: Shown::default(),
            tally: super::progress::Tally::default(),
            checked: None,
            layout: derivation::Cache::default(),
            goto: GoTo::default(),
            stops: Stops::default(),
            divergence,
            init,
            started,
            started_zero_grad,
            resume: opts.resume.clone(),
            opening: None,
            read_on: None,
            follower: false,
        };
        if let Some(saved) = opts.resume.as_ref().and_then(|r| r.saved.clone()) {
            app.restore(&saved);
        }
        if opts.at.is_some() {
            app.opening = opts.at;
        }
        app.after(false);
        app
    }

    /// Where the explainer is to open, until it has.
    pub(crate) fn opening(&self) -> Option<Place> {
        self.opening
    }

    /// Goes to the opening place (see [`App::unopened`]).
    pub(crate) fn open(&mut self) {
        if let Some(place) = self.opening.take() {
            goto::jump(&mut self.session, place);
            self.after(false);
        }
    }

    /// Stays where the run starts: the way to the opening place was abandoned (Esc).
    pub(crate) fn stay(&mut self) {
        self.opening = None;
    }

    /// Shows `badge` first in the status line (`gradstep serve`: the student count, or whether a
    /// student follows the teacher).
    pub fn set_badge(&mut self, badge: Option<String>) {
        self.badge = badge;
    }

    /// Marks this explainer as a student's who follows the teacher (`gradstep serve`).
    pub fn set_follower(&mut self, on: bool) {
        self.follower = on;
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
        self.after(false);
    }

    /// Puts the explainer at `place` in `view` directly, as a following student is set where
    /// the teacher is (no key presses replayed). Steps within the batch go forward or back from
    /// where it is, so a student already there moves nothing.
    pub fn show_at(&mut self, place: Place, view: View) {
        let granularity = if place.by_sample {
            Granularity::Sample
        } else {
            Granularity::Matrix
        };
        // As the keys this replaces did: a notice answers one key and goes with the next.
        if self.session.granularity() != granularity || self.view != view {
            self.classroom.notice = None;
        }
        self.view = view;
        let (global, step) = (place.global, place.step);
        self.with_session(|s| {
            s.set_granularity(granularity);
            if s.batch().global != global {
                s.go_to_batch(global);
            }
            while s.steps().1 < step && s.steps().1 + 1 < s.steps().0.len() {
                s.next_step();
            }
            while s.steps().1 > step {
                s.prev_step();
            }
        });
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

    /// The play speed in words, while playing or once it was changed: the status line shows it.
    pub fn speed_text(&self) -> Option<String> {
        if !self.playing && self.speed == DEFAULT_SPEED {
            return None;
        }
        Some(speed_words(self.speed, self.lang))
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
        let to_stop = matches!(message, Message::NextStop | Message::PrevStop);
        let changed = self.apply(message);
        let reached = self.after(to_stop);
        // Playing pauses at each stop of the lesson plan, for the class to look at it.
        if message == Message::Tick && self.playing && reached.is_some() {
            self.playing = false;
        }
        changed
    }

    /// Brings what depends on the place up to date. A stop's note shows however it is reached;
    /// its changes apply when Tab or Shift-Tab goes there, so that stepping back and forth
    /// past a stop leaves the screen as it was.
    /// Returns the stop just reached, if any.
    fn after(&mut self, to_stop: bool) -> Option<usize> {
        let reached = self.stops.sync(self.lesson.stops(), &self.session);
        if let Some(k) = reached
            && to_stop
        {
            self.apply_stop(k);
        }
        // The whole text was asked for one step: other steps show theirs cut, and coming back
        // to it shows it whole again (a step forward then back gives the same screen).
        self.divergence.sync(&self.session);
        self.pictures.sync(&self.session, self.view);
        if self.view == View::Graph {
            let held = self.held_grads();
            self.graph.sync(&self.session, self.precision(), held);
        }
        self.check_gradient();
        self.refresh();
        self.layout.forget_step();
        reached
    }

    /// What `w.grad` and `b.grad` hold before this batch's `backward()`: nothing before the
    /// first (PyTorch's `.grad` starts as `None`), zeros after the lesson's `zero_()`.
    /// Without `zero_()`, the sum of the earlier batches' gradients.
    fn held_grads(&self) -> Option<(nalgebra::DVector<f64>, f64)> {
        let b = self.session.batch();
        if b.global == 0 {
            return None;
        }
        Some(match &b.held {
            Some(h) => (h.w.clone(), h.b),
            None => (nalgebra::DVector::zeros(b.w.len()), 0.0),
        })
    }

    /// The graph view's worked equations at this place (empty outside the graph view).
    pub fn graph_equations(&self) -> Vec<&crate::worked::Equation> {
        if self.view == View::Graph {
            self.graph.equations().collect()
        } else {
            Vec::new()
        }
    }

    /// The finite-difference check depends on the batch alone, so it is computed once per batch
    /// and only where it is shown: the status line at the gradient's steps, and the pictures.
    fn check_gradient(&mut self) {
        let wanted =
            self.view != View::Lesson || pictures::gradcheck::at_gradient_step(self.session.step());
        let key = Self::check_key(&self.session);
        if wanted && self.checked.as_ref().is_none_or(|(k, _)| *k != key) {
            self.checked = Some((key, gradcheck::check(self.session.batch())));
        }
    }

    /// Which batch a check is of: its place, its loss (the parameters it starts from) and its
    /// objective, since a rebuilt run can put other numbers at the same place.
    fn check_key(session: &Session) -> (usize, u64, Objective) {
        let b = session.batch();
        (b.global, b.loss.to_bits(), b.hyper.objective)
    }

    /// The current batch's gradient check, where it has been computed.
    pub fn grad_check(&self) -> Option<&GradCheck> {
        let key = Self::check_key(&self.session);
        self.checked
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, c)| c)
    }

    /// A stop's changes: the run's (objective, lr, batch size), then the view and the quiz.
    fn apply_stop(&mut self, k: usize) {
        let Some(stop) = self.lesson.stops().get(k).cloned() else {
            return;
        };
        match stops::change_run(&mut self.session, &self.init, &stop) {
            Ok(false) => {}
            Ok(true) => self.pictures.forget_after(0),
            Err(_) => {
                self.pictures.forget_after(0);
                self.refuse_too_long();
            }
        }
        if let Some(view) = stop.view {
            self.view = match view {
                StopView::Lesson => View::Lesson,
                StopView::Pictures => View::Pictures,
                StopView::Compare => View::Compare,
            };
        }
        if let Some(quiz) = stop.quiz {
            self.classroom.quiz.on = quiz;
        }
    }

    /// Moves to a place far away; says so when the run ends before it.
    fn jump(&mut self, place: Place) {
        if !goto::jump(&mut self.session, place) {
            let end = self.session.batch();
            let text = S::RunEndsAt
                .get(self.lang)
                .replace("{e}", &end.epoch.to_string())
                .replace("{b}", &end.batch.to_string());
            self.tell(text, true);
        }
    }

    /// Says that a change of batch size (or one that forgets a later change) would make the run
    /// too long to step through, so the run stays as it was.
    fn refuse_too_long(&mut self) {
        let keeps_grad = !self.session.batch().hyper.zero_grad;
        let most =
            crate::engine::session::max_session_batches_of(self.session.data().d(), keeps_grad);
        let text = S::TooLongToStep
            .get(self.lang)
            .replace("{most}", &most.to_string());
        self.tell(text, true);
    }

    fn tell(&mut self, text: String, error: bool) {
        self.classroom.notice = Some(Notice { text, error });
    }

    /// Whether the step's text is shown whole (see [`Message::ReadOn`]).
    pub fn reading_on(&self) -> bool {
        self.read_on == Some(self.here())
    }

    fn here(&self) -> (usize, usize) {
        (self.session.batch().global, self.session.steps().1)
    }

    /// Whether the lesson plans stops for this run (Tab leads somewhere).
    pub fn has_stops(&self) -> bool {
        !self.lesson.stops().is_empty()
    }

    /// The stop the class is at (0-based) and how many there are.
    pub fn stop_here(&self) -> Option<(usize, usize)> {
        self.stops.here.map(|k| (k, self.lesson.stops().len()))
    }

    /// The go-to prompt, while it is open.
    pub fn prompt(&self) -> Option<&goto::Prompt> {
        self.goto.prompt.as_ref()
    }

    /// Waiting for a bookmark's digit: to set it (true) or go to it (false).
    pub fn waiting_for_mark(&self) -> Option<bool> {
        self.goto.waiting_for_mark()
    }

    /// What `--resume` needs to reopen here.
    pub fn saved(&self) -> Option<(std::path::PathBuf, Saved)> {
        let r = self.resume.as_ref()?;
        let saved = Saved {
            version: crate::run::resume::VERSION,
            args: r.args.clone(),
            run: r.run.clone(),
            place: Place::of(&self.session),
            view: match self.view {
                View::Lesson => "lesson",
                View::Pictures => "pictures",
                View::Compare => "compare",
                View::Graph => "graph",
            }
            .into(),
            quiz: self.classroom.quiz.on,
            present: self.classroom.present,
            precision: self.classroom.precision,
            lang: match self.lang {
                Lang::En => "en",
                Lang::Zh => "zh",
            }
            .into(),
            theme: self.theme.palette().name().into(),
            live: live::Live::of(&self.session),
            marks: self.goto.marks,
            stop: self.stops.last,
        };
        Some((r.path.clone(), saved))
    }

    /// Reopens a saved place: the live changes first (they decide where batches are), then the
    /// place, the view and the modes.
    fn restore(&mut self, saved: &Saved) {
        let objective = live::objective_named(&saved.live.objective).unwrap_or(self.started.0);
        let changes = &saved.live.changes;
        if let Ok(s) = live::rebuild_changed(&self.session, &self.init, objective, changes) {
            self.session = s;
        }
        if saved.live.zero_grad != self.session.batch().hyper.zero_grad
            && let Ok(s) = live::with_zero_grad(&self.session, &self.init, saved.live.zero_grad)
        {
            self.session = s;
        }
        self.opening = Some(saved.place);
        self.view = match saved.view.as_str() {
            "pictures" => View::Pictures,
            "compare" => View::Compare,
            "graph" => View::Graph,
            _ => View::Lesson,
        };
        self.classroom.quiz.on = saved.quiz;
        self.classroom.present = saved.present;
        self.classroom.precision = saved.precision.min(crate::number::MAX_PRECISION);
        self.lang = if saved.lang == "zh" {
            Lang::Zh
        } else {
            Lang::En
        };
        if let Ok(p) = saved.theme.parse::<super::Palette>() {
            self.theme = self.theme.with_palette(p);
        }
        self.goto.marks = saved.marks;
        self.stops.last = saved.stop;
    }

    /// The batch a message would move to when that may be far from here (go-to, a bookmark, a
    /// stop of the plan), so the run loop can compute the way there in slices first.
    pub fn destination(&self, message: Message) -> Option<usize> {
        let place = match message {
            Message::NextStop | Message::PrevStop => {
                let forward = message == Message::NextStop;
                self.stops
                    .neighbour(self.lesson.stops(), &self.session, forward)
                    .map(|(_, p)| p)
            }
            Message::Go(go) => self.goto.destination(go, &self.session),
            _ => None,
        }?;
        Some(place.global)
    }

    fn apply(&mut self, message: Message) -> bool {
        let s = &mut self.session;
        match message {
            Message::CycleView => {
                self.view = self.view.next();
                true
            }
            Message::ToggleKeepGrad => {
                let zero_grad = !s.batch().hyper.zero_grad;
                let here = Place::of(s);
                match live::with_zero_grad(s, &self.init, zero_grad) {
                    Ok(mut fresh) => {
                        // The new run is recomputed up to here: a short way at once, a long one
                        // in slices by the run loop (or serve), which Esc can stop.
                        if here.global <= slice_batches(&fresh) {
                            goto::jump(&mut fresh, here);
                        } else {
                            self.opening = Some(here);
                        }
                        *s = fresh;
                        self.pictures.forget_after(0);
                        // Another run from its first batch: its losses are scanned afresh.
                        self.divergence = Divergence::new(s, self.divergence.standardized);
                        let said = if zero_grad {
                            S::ZeroGradBack
                        } else {
                            S::KeepGradOn
                        };
                        self.tell(said.get(self.lang).into(), false);
                    }
                    Err(_) => self.refuse_too_long(),
                }
                true
            }
            Message::ToggleGraph => {
                self.view = if self.view == View::Graph {
                    View::Lesson
                } else {
                    View::Graph
                };
                true
            }
            Message::LrUp | Message::LrDown | Message::BatchUp | Message::BatchDown => {
                let experiment = match message {
                    Message::LrUp => Experiment::LrUp,
                    Message::LrDown => Experiment::LrDown,
                    Message::BatchUp => Experiment::BatchUp,
                    _ => Experiment::BatchDown,
                };
                match crate::run::experiments::apply(s, experiment) {
                    Ok(changed) => {
                        if changed {
                            self.pictures.forget_after(s.batch().global);
                        }
                        changed
                    }
                    Err(_) => {
                        self.refuse_too_long();
                        true
                    }
                }
            }
            Message::NextStep => s.next_step(),
            Message::PrevStep => s.prev_step(),
            Message::NextBatch => s.next_batch(),
            Message::PrevBatch => s.prev_batch(),
            Message::NextEpoch => s.next_epoch(),
            Message::First => s.first(),
            Message::Last => s.last(),
            Message::Restart => {
                // Back to the run as it was started: the first batch, and the settings of the
                // command line (live changes of lr, batch size and objective are undone).
                self.playing = false;
                let (objective, segments) = &self.started;
                let changed =
                    s.batch().hyper.objective != *objective || s.segments() != segments.as_slice();
                if changed && let Ok(fresh) = live::rebuild(s, &self.init, *objective, segments) {
                    *s = fresh;
                }
                if s.batch().hyper.zero_grad != self.started_zero_grad
                    && let Ok(fresh) = live::with_zero_grad(s, &self.init, self.started_zero_grad)
                {
                    *s = fresh;
                }
                s.first();
                self.pictures.forget_after(0);
                true
            }
            Message::ToggleGranularity => {
                s.set_granularity(s.granularity().toggled());
                true
            }
            // Playing waits while the help covers the screen, like every other key.
            Message::Tick if self.help => false,
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
            Message::Faster | Message::Slower => {
                self.speed = if message == Message::Faster {
                    (self.speed + 1).min(SPEEDS.len() - 1)
                } else {
                    self.speed.saturating_sub(1)
                };
                true
            }
            Message::ToggleLang => {
                self.lang = self.lang.toggled();
                true
            }
            Message::ToggleHelp => {
                self.help = !self.help;
                self.help_at = super::help::At::default();
                true
            }
            Message::HelpMove(m) => {
                self.help_at = self.help_at.moved(m, self.lang);
                true
            }
            Message::Back => {
                let c = &mut self.classroom;
                if self.help {
                    self.help = false;
                } else if c.inspecting {
                    c.inspecting = false;
                } else if self.view != View::Lesson {
                    self.view = View::Lesson;
                } else if c.present {
                    c.present = false;
                } else if c.quiz.on {
                    c.quiz.on = false;
                } else {
                    return false;
                }
                true
            }
            Message::Quit => {
                self.quit = true;
                true
            }
            Message::Teach(t) => self.teach(t),
            Message::Follow | Message::Submit | Message::Confirm(_) => false,
            Message::NextStop | Message::PrevStop => {
                let forward = message == Message::NextStop;
                match self
                    .stops
                    .neighbour(self.lesson.stops(), &self.session, forward)
                {
                    Some((_, place)) => self.jump(place),
                    None => {
                        let text = if self.lesson.stops().is_empty() {
                            S::NoStops
                        } else if forward {
                            S::NoNextStop
                        } else {
                            S::NoPrevStop
                        };
                        self.tell(text.get(self.lang).into(), false);
                    }
                }
                true
            }
            Message::ReadOn => {
                self.read_on = if self.reading_on() {
                    None
                } else {
                    Some(self.here())
                };
                true
            }
            Message::Go(go) => {
                match self.goto.update(go, &self.session, &goto_words(self.lang)) {
                    Outcome::Jump(place) => self.jump(place),
                    Outcome::Say(text, error) => self.tell(text, error),
                    Outcome::Nothing => {}
                }
                true
            }
        }
    }
}
