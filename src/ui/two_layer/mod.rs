//! The explainer for a two-layer run: the same keys as the linear model's explainer (one key
//! table), stepping through [`MlpSession`]. Its own small Elm app: [`TwoLayerApp`] is the model,
//! the key table's [`Message`] what the user asks, `update` the only place it changes, and the
//! view (`view.rs`) only reads it. Features that do not apply with a hidden layer yet say so.

mod compared;
mod help;
mod inspect;
mod live;
mod pictures;
mod place;
mod run;
mod served;
mod stops;
mod view;
pub mod words;

pub use run::{run, run_hosted};
pub use served::TwoLayerPlace;

use std::time::Duration;

use super::app::{DEFAULT_SPEED, Message, SPEEDS, speed_words};
use super::classroom::Teach;
use super::classroom::quiz::{self, Quiz};
use super::keys::Mode;
use super::message::Move;
use super::pictures::compare::Runs;
use super::slices::SLICE_WORK;
use super::strings::{S, goto_words};
use super::theme::{Palette, Theme};
use crate::engine::MlpParams;
use crate::engine::config::Hyper;
use crate::engine::mlp::TwoLayer;
use crate::engine::mlp_check::{self, MlpGradCheck};
use crate::engine::mlp_session::{Curve, MlpSession, curve};
use crate::engine::schedule::Segment;
use crate::run::goto::{Go, GoTo, Outcome, Place};
use crate::run::resume::Resume;

/// Points along x for the fit picture: more than a wide terminal's braille columns.
const PICTURE_POINTS: usize = 241;
/// Lines a screen of the help's scrolling moves (the smallest terminal's, less one).
const HELP_SCREEN: usize = 20;
use crate::engine::mlp_session::MlpStep;
use crate::lesson::Lang;
use crate::number::MAX_PRECISION;
use crate::worked::ledger::{self, Known, Ledger};
use crate::worked::screen::Typeset;
use crate::worked::two_layer::{self, TwoLayerBatch};
use crate::worked::{Equation, Part, Quantity, SCREEN, Symbol};

pub struct TwoLayerApp {
    pub(super) session: MlpSession,
    pub(super) lang: Lang,
    pub(super) precision: usize,
    pub(super) ambiguous_wide: bool,
    /// Colours on or off, and the palette `T` and `--theme` choose.
    pub(super) theme: Theme,
    playing: bool,
    /// Index into the linear explainer's ladder of pauses (`+`/`-`).
    speed: usize,
    quit: bool,
    /// A feature that does not apply, named, until the next key.
    pub(super) notice: Option<String>,
    /// Set by whoever hosts the explainer (`gradstep serve`): who is in charge of this screen,
    /// at the right of the key hints, which leave it room.
    pub(super) badge: Option<String>,
    /// The go-to prompt and the bookmarks, the linear explainer's: `:` names places alike.
    pub(super) goto: GoTo,
    /// The step's worked equations, rebuilt by `update`, and typeset once for the screen.
    pub(super) shown: Vec<Equation>,
    pub(super) typeset: Vec<Typeset>,
    /// The step sends δ back through ReLU where some z is exactly 0 (σ′ taken as 0 there).
    pub(super) relu_at_zero: bool,
    /// Every cell known by this step, by quantity: the batch's inputs, and what the steps so far
    /// computed (a running sum at its latest value). Read off the steps' equations, so what a
    /// matrix holds when is never a second table.
    pub(super) known: Known,
    /// The fit picture (`v`, one feature only): the network's curve before this batch's update
    /// and each unit's contribution, computed by the engine when shown.
    pub(super) picture: Option<Curve>,
    /// What `v` shows: the steps, the pictures or the objectives compared.
    screen: Screen,
    /// The objectives compared over the whole run, with the network and settings they were run
    /// with: built when first shown, again once either changes.
    compare: Option<(TwoLayer, Hyper, Runs<MlpParams>)>,
    /// The gradient check of the batch whose parameters before its update are these (`v`):
    /// computed once per batch, not per frame.
    check: Option<(MlpParams, MlpGradCheck)>,
    /// The autograd graph view (`G`): the batch's tape, walked to the step; `None` when hidden.
    pub(super) graph: Option<super::graph::Layers>,
    /// The help's first line while it is open (`?`).
    pub(super) help: Option<usize>,
    /// The batch and step whose text is shown whole (`M`), until the step changes.
    read_on: Option<(usize, usize)>,
    /// The run's segments as it started (`--change` included), for `r` to undo live changes.
    started: Vec<Segment>,
    /// Whether the run started with `param.grad.zero_()` (not `--keep-grad`), for `r` to undo `z`.
    started_zero_grad: bool,
    /// Where to open (`--at`, the saved place, or where `z` recomputed the run from its start)
    /// once the way there is computed.
    opening: Option<Place>,
    /// What `z` said, said again once the way back to where it was is computed (the progress
    /// of the way there takes the notice's line meanwhile).
    said: Option<String>,
    /// Where the place is saved on quitting (`--resume` reopens it).
    resume: Option<Resume>,
    /// Predict, then reveal: the linear explainer's quiz over this step's equations.
    pub(super) quiz: Quiz,
    /// Where `H` writes the handout, and where the data came from, in words, for it.
    handout_dir: std::path::PathBuf,
    source: crate::lesson::Text,
    /// Presenter mode (`P`, `--present`): for a projector, the formula, its numbers and the
    /// matrices, without the narrative, spaced out where there is room.
    pub(super) presenting: bool,
    /// The lesson plan's stops (Tab, Shift-Tab) and which one the class is at.
    plan: stops::Plan,
    /// Inspect (`i`): the cursor over the panel's cells, and its cell explained, rebuilt by
    /// `update`.
    inspecting: bool,
    cursor: inspect::Cursor,
    pub(super) explained: Option<super::classroom::Explanation>,
    /// What each step of the batch writes and reads, read off its equations.
    ledgers: Vec<Ledger>,
}

/// Batches of one slice of a long move on `session` (a few milliseconds of work).
fn slice_batches(session: &MlpSession) -> usize {
    let p = session.hyper().batch_size.max(1);
    let d = session.data().d();
    let h = session.next_params().hidden();
    let per_batch = p.saturating_mul(d + 1).saturating_mul(h + 1);
    (SLICE_WORK / per_batch.max(1)).max(1)
}

/// What `v` shows, in its turn: the steps, the pictures, the objectives compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Steps,
    Pictures,
    Compare,
}

impl Screen {
    fn next(self) -> Screen {
        match self {
            Screen::Steps => Screen::Pictures,
            Screen::Pictures => Screen::Compare,
            Screen::Compare => Screen::Steps,
        }
    }

    /// Its name in a saved place, as the linear explainer's views are named.
    fn name(self) -> &'static str {
        match self {
            Screen::Steps => "lesson",
            Screen::Pictures => "pictures",
            Screen::Compare => "compare",
        }
    }

    fn named(name: &str) -> Screen {
        match name {
            "pictures" => Screen::Pictures,
            "compare" => Screen::Compare,
            _ => Screen::Steps,
        }
    }
}

impl TwoLayerApp {
    pub fn new(session: MlpSession, lang: Lang, ambiguous_wide: bool, color: bool) -> Self {
        let started = session.segments().to_vec();
        let started_zero_grad = session.hyper().zero_grad;
        let plan = stops::Plan::new(&session);
        let mut app = TwoLayerApp {
            session,
            lang,
            precision: crate::number::DEFAULT_PRECISION,
            ambiguous_wide,
            theme: Theme::new(color),
            playing: false,
            speed: DEFAULT_SPEED,
            quit: false,
            notice: None,
            badge: None,
            goto: GoTo::default(),
            shown: Vec::new(),
            typeset: Vec::new(),
            relu_at_zero: false,
            known: Known::new(),
            picture: None,
            screen: Screen::Steps,
            compare: None,
            check: None,
            graph: None,
            help: None,
            read_on: None,
            started,
            started_zero_grad,
            opening: None,
            said: None,
            resume: None,
            quiz: Quiz::new(false),
            handout_dir: std::path::PathBuf::new(),
            source: crate::lesson::Text::default(),
            presenting: false,
            plan,
            inspecting: false,
            cursor: (Quantity::Of(Symbol::X, Part::Value), 0, 0),
            explained: None,
            ledgers: Vec::new(),
        };
        app.rebuild();
        app
    }

    /// Whether the step's text is shown whole (`M`), as the linear explainer's read-on.
    pub fn reading_on(&self) -> bool {
        self.read_on == Some(self.here())
    }

    fn here(&self) -> (usize, usize) {
        (self.session.global(), self.session.step_index())
    }

    /// Decimals of the numbers (`--precision`, `>` and `<`): 0 to 8, as for the linear model.
    pub fn set_precision(&mut self, precision: usize) {
        self.precision = precision.min(MAX_PRECISION);
        self.rebuild();
    }

    /// The palette (`--theme`); `T` moves to the next one.
    pub fn set_palette(&mut self, palette: Palette) {
        self.theme = self.theme.with_palette(palette);
    }

    pub fn palette(&self) -> Palette {
        self.theme.palette()
    }

    pub fn set_badge(&mut self, badge: Option<String>) {
        self.badge = badge;
    }

    /// Where the handout key writes (the working directory unless set), and the data's source
    /// in words for the handout.
    pub fn set_handout(&mut self, dir: std::path::PathBuf, source: crate::lesson::Text) {
        self.handout_dir = dir;
        self.source = source;
    }

    /// Presenter mode on or off (`--present`, `P`).
    pub fn set_presenting(&mut self, on: bool) {
        self.presenting = on;
    }

    /// The quiz on or off (`--quiz`, `Q`).
    pub fn set_quiz(&mut self, on: bool) {
        self.quiz.on = on;
        self.rebuild();
    }

    /// The step's worked equations as shown: what the quiz hides is `?`.
    pub fn worked(&self) -> &[Equation] {
        &self.shown
    }

    /// Whether the quiz hides a number of this step now.
    pub fn hiding(&self) -> bool {
        self.shown.iter().any(Equation::hides_any)
    }

    /// The number the quiz asks of this step (`e` moves on to the next entry), hidden or not.
    pub fn asked(&self) -> Option<crate::worked::Value> {
        quiz::asked(&self.shown, self.quiz.entry)
    }

    /// The inspected cell's explanation while inspect is on.
    pub fn explanation(&self) -> Option<&super::classroom::Explanation> {
        self.explained.as_ref()
    }

    pub fn precision(&self) -> usize {
        self.precision
    }

    pub fn session(&self) -> &MlpSession {
        &self.session
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn key_mode(&self) -> Mode {
        if self.help.is_some() {
            Mode::Help
        } else if self.goto.waiting() {
            Mode::Bookmark
        } else if self.goto.open() {
            Mode::Prompt
        } else if self.inspecting {
            Mode::Inspect
        } else {
            Mode::Normal
        }
    }

    /// The batch a message moves to when it may be far from what is computed (End, the next
    /// epoch, go-to), so the loop can compute the way there in slices first.
    pub fn destination(&self, message: Message) -> Option<usize> {
        let s = &self.session;
        let target = match message {
            Message::Last => s.total_batches().saturating_sub(1),
            Message::NextEpoch => {
                let per = s.batches_per_epoch().max(1);
                (s.global() / per + 1).saturating_mul(per)
            }
            Message::Go(go) => self.goto.destination(go, &self.session)?.global,
            Message::NextStop | Message::PrevStop => {
                self.stop_destination(message == Message::NextStop)?
            }
            _ => return None,
        };
        Some(target)
    }

    /// Computes a slice of the way to `target`; true once it is there. In between, the bottom
    /// line says how far it has got.
    pub fn explore(&mut self, target: usize) -> bool {
        let done = self.session.explore(target, slice_batches(&self.session));
        let (explored, needed) = (self.session.explored().min(target), target);
        if done {
            self.notice = self.said.take();
            return true;
        }
        self.notice = Some(words::words().word(
            "computing",
            self.lang,
            &[
                ("done", explored.to_string()),
                ("needed", needed.saturating_add(1).to_string()),
            ],
        ));
        false
    }

    /// Esc during a long move: it stays where it was, with what was computed kept; a run that
    /// `z` recomputed stays at its start, as the linear explainer's does.
    pub fn stop_exploring(&mut self) {
        self.notice = None;
        self.said = None;
        self.opening = None;
        self.goto.close();
    }

    /// Whether the way to batch `global` is short enough to compute at once (one slice), rather
    /// than in slices by the run loop.
    pub(super) fn near(&self, global: usize) -> bool {
        global <= slice_batches(&self.session)
    }

    pub fn tick_interval(&self) -> Option<Duration> {
        self.playing.then_some(SPEEDS[self.speed])
    }

    pub fn batch(&self) -> TwoLayerBatch<'_> {
        TwoLayerBatch {
            update: self.session.update(),
            next: self.session.next_params(),
            activation: self.session.activation(),
        }
    }

    fn rebuild(&mut self) {
        let step = self.session.step();
        self.shown = two_layer::equations(step, self.batch(), self.precision, self.lang);
        self.quiz.hide(self.session.global(), &mut self.shown);
        self.typeset = self.shown.iter().map(|e| Typeset::new(e, SCREEN)).collect();
        self.relu_at_zero = matches!(step, MlpStep::SendBack { .. } | MlpStep::SendBackAll)
            && two_layer::relu_at_zero(self.batch(), step.sample());
        let ledgers: Vec<Ledger> = two_layer::every_step(
            self.session.steps(),
            self.batch(),
            self.precision,
            self.lang,
        )
        .iter()
        .map(|eqs| Ledger::from_equations(eqs))
        .collect();
        self.known = ledger::known(&ledgers, self.session.step_index());
        self.ledgers = ledgers;
        self.explained = self.inspected().map(|c| self.explain(c));
        if let Some(graph) = &mut self.graph {
            graph.sync(&self.session);
        }
        self.picture = None;
        if self.screen == Screen::Compare {
            let (model, hyper) = (self.session.model(), &self.session.update().hyper);
            let stale = self
                .compare
                .as_ref()
                .is_none_or(|(m, h, _)| m != model || h != hyper);
            if stale {
                let runs = Runs::two_layer(&self.session);
                self.compare = Some((model.clone(), hyper.clone(), runs));
            }
        }
        if self.screen == Screen::Pictures {
            let u = self.session.update();
            if self
                .check
                .as_ref()
                .is_none_or(|(before, _)| *before != u.before)
            {
                let check = mlp_check::check(u, self.session.activation());
                self.check = Some((u.before.clone(), check));
            }
            self.picture = self.fit_curve();
        }
    }

    /// The network's curve over the data's one feature, with a margin each side; None with
    /// more features.
    fn fit_curve(&self) -> Option<Curve> {
        let data = self.session.data();
        if data.d() != 1 {
            return None;
        }
        let xs = (0..data.n()).map(|r| data.row(r)[0]);
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
        let pad = ((hi - lo) * 0.1).max(0.5);
        curve(
            &self.session.update().before,
            self.session.activation(),
            (lo - pad, hi + pad),
            PICTURE_POINTS,
        )
    }

    /// Applies one message; returns whether the screen changed.
    pub fn update(&mut self, message: Message) -> bool {
        self.notice = None;
        match message {
            // Playing waits while the help covers the screen, as in the linear explainer.
            Message::Tick if self.help.is_some() => return false,
            Message::ToggleHelp => {
                self.help = self.help.is_none().then_some(0);
                return true;
            }
            Message::HelpMove(m) => {
                let at = self.help.unwrap_or(0);
                self.help = Some(
                    match m {
                        Move::Down => at.saturating_add(1),
                        Move::Up => at.saturating_sub(1),
                        Move::ScreenDown => at.saturating_add(HELP_SCREEN),
                        Move::ScreenUp => at.saturating_sub(HELP_SCREEN),
                        Move::NextPage | Move::PrevPage => at,
                    }
                    .min(self.help_rows().len()),
                );
                return true;
            }
            Message::Back if self.help.is_some() => {
                self.help = None;
                return true;
            }
            Message::NextStep | Message::Tick => {
                if !self.session.next_step() {
                    self.playing = false;
                    self.notice = Some(words::words().word("end", self.lang, &[]));
                }
            }
            Message::PrevStep => {
                self.session.prev_step();
            }
            Message::NextBatch => {
                self.session.next_batch();
            }
            Message::PrevBatch => {
                self.session.prev_batch();
            }
            Message::NextStop | Message::PrevStop => self.go_to_stop(message),
            Message::NextEpoch => {
                let per = self.session.batches_per_epoch().max(1);
                let g = self.session.global();
                self.session.go_to_batch((g / per + 1) * per);
            }
            Message::First => self.session.go_to_batch(0),
            Message::Last => {
                let last = self.session.total_batches().saturating_sub(1);
                self.session.go_to_batch(last);
            }
            Message::TogglePlay => self.playing = !self.playing,
            Message::ReadOn => {
                let here = self.here();
                self.read_on = (self.read_on != Some(here)).then_some(here);
            }
            Message::ToggleGranularity => self.session.toggle_granularity(),
            Message::ToggleLang => {
                self.lang = match self.lang {
                    Lang::En => Lang::Zh,
                    Lang::Zh => Lang::En,
                }
            }
            Message::Restart => self.restart(),
            Message::ToggleKeepGrad => self.toggle_keep_grad(),
            Message::LrUp | Message::LrDown | Message::BatchUp | Message::BatchDown => {
                self.experiment(message);
            }
            Message::Quit => self.quit = true,
            Message::Back => self.goto.close(),
            Message::Go(go) => self.go(go),
            // lesson → pictures → compare → graph → lesson, as the linear explainer's `v`.
            Message::CycleView => {
                let to_graph = self.graph.is_none() && self.screen == Screen::Compare;
                if self.graph.take().is_none() {
                    self.screen = self.screen.next();
                }
                self.graph = to_graph.then(Default::default);
            }
            Message::ToggleGraph => {
                self.graph = match self.graph {
                    Some(_) => None,
                    None => Some(Default::default()),
                };
                self.screen = Screen::Steps;
            }
            Message::Faster | Message::Slower => {
                self.speed = if message == Message::Faster {
                    (self.speed + 1).min(SPEEDS.len() - 1)
                } else {
                    self.speed.saturating_sub(1)
                };
                // No status line of its own: the pace is said once, as the linear one says it.
                self.notice = Some(speed_words(self.speed, self.lang));
            }
            Message::Teach(Teach::MorePrecision) => {
                self.precision = (self.precision + 1).min(MAX_PRECISION);
            }
            Message::Teach(Teach::CycleTheme) => {
                self.set_palette(self.theme.palette().next());
                let name = self.theme.palette().name();
                self.notice = Some(S::ThemeNow.get(self.lang).replace("{name}", name));
            }
            Message::Teach(Teach::ToggleQuiz) => {
                self.quiz.on = !self.quiz.on;
                let text = if self.quiz.on { S::QuizOn } else { S::QuizOff };
                self.notice = Some(text.get(self.lang).to_string());
            }
            Message::Teach(Teach::Reveal) => {
                self.quiz.reveal(self.session.global(), &self.shown);
            }
            Message::Teach(Teach::TogglePresent) => self.presenting = !self.presenting,
            // The handout's update reads this batch's ∂L/∂p; without zero_() it would not hold.
            Message::Teach(Teach::Handout) if !self.session.hyper().zero_grad => {
                self.notice = Some(words::words().word("handout_keep_grad", self.lang, &[]));
            }
            Message::Teach(Teach::Handout) => self.notice = Some(self.write_handout()),
            Message::Teach(Teach::NextEntry) => {
                self.quiz.entry = self.quiz.entry.wrapping_add(1);
            }
            Message::Teach(Teach::LessPrecision) => {
                self.precision = self.precision.saturating_sub(1);
            }
            Message::Teach(Teach::ToggleInspect) => {
                self.inspecting = !self.inspecting;
                if self.inspecting {
                    self.cursor = self.cursor_start();
                }
            }
            Message::Teach(Teach::LeaveInspect) => self.inspecting = false,
            Message::Teach(Teach::Move(dir)) => {
                if let Some(cursor) = self.inspected() {
                    self.cursor = self.cursor_moved(cursor, dir);
                }
            }
            Message::Teach(Teach::Select { id, row, col }) => {
                self.inspecting = true;
                self.cursor = (id, row, col);
            }
            // The rest were refused above.
            _ => return false,
        }
        let reached = self.sync_stop(matches!(message, Message::NextStop | Message::PrevStop));
        // Playing pauses at each stop of the lesson plan, for the class to look at it.
        if message == Message::Tick && reached.is_some() {
            self.playing = false;
        }
        self.rebuild();
        true
    }

    /// Writes the current batch's handout; what happened, in words.
    fn write_handout(&self) -> String {
        let s = &self.session;
        let opts = crate::handout::HandoutOptions {
            lang: self.lang,
            precision: self.precision,
            source: self.source.get(self.lang).to_string(),
        };
        let batch = crate::handout::TwoLayerBatch::of(s);
        match super::classroom::handout::write_two_layer(&batch, &opts, &self.handout_dir) {
            Ok(path) => S::HandoutWrote
                .get(self.lang)
                .replace("{path}", &path.display().to_string()),
            Err(reason) => S::HandoutFailed.get(self.lang).replace("{reason}", &reason),
        }
    }

    fn go(&mut self, go: Go) {
        match self.goto.update(go, &self.session, &goto_words(self.lang)) {
            Outcome::Jump(place) => self.jump(place),
            Outcome::Say(text, _) => self.notice = Some(text),
            Outcome::Nothing => {}
        }
    }
}
