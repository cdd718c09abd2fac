//! One student's explainer: their own `App` on the shared run, drawn by ratatui at their window
//! size into bytes for their SSH channel, following the teacher's place until they press `f`,
//! and taking their prediction while the teacher's quiz hides a result.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};
use ratatui::{Terminal, TerminalOptions, Viewport};
use unicode_width::UnicodeWidthChar;

use super::class::{Class, Seat};
use super::follow::{self, Lead};
use super::predict::{Prediction, Quizzing};
use super::quiz;
use crate::engine::session::history_per_batch_of;
use crate::engine::{Jump, Progress};
use crate::lesson::Lang;
use crate::ui::{
    self, App, Message, Mode, PROGRESS_AFTER, Theme, long_jump, message_in, slice_batches,
    student_message,
};

/// Largest window drawn; bigger ones are drawn at this size. A screen costs two buffers of 48
/// bytes a cell (ratatui diffs the new frame against the last), so this bounds a student's
/// screen to about 3 MB.
pub const MAX_WIDTH: u16 = 320;
pub const MAX_HEIGHT: u16 = 100;
/// Columns of a display name.
const NAME_WIDTH: usize = 24;
/// Bytes of an unfinished escape sequence kept for the next packet.
const MAX_PENDING: usize = 64;
/// Keys kept while a jump computes, to apply after it; beyond these, keys are dropped.
const MAX_QUEUED: usize = 64;

/// The window size a client asks for, within bounds.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let fit = |v: u32, max: u16| u16::try_from(v).unwrap_or(max).clamp(1, max);
    (fit(cols, MAX_WIDTH), fit(rows, MAX_HEIGHT))
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

/// What a student's client told us before the session started.
#[derive(Clone, Debug, Default)]
pub struct Setup {
    pub user: String,
    pub size: (u16, u16),
    pub lang: Lang,
    pub color: bool,
}

/// Where ratatui writes a student's frames, taken after each one.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

/// A student's screen: ratatui drawing at their window's size into bytes for their channel.
pub(super) struct Screen {
    sink: Sink,
    size: (u16, u16),
    terminal: Terminal<CrosstermBackend<Sink>>,
}

impl Screen {
    pub(super) fn new((w, h): (u16, u16)) -> io::Result<Screen> {
        let sink = Sink::default();
        let terminal = Terminal::with_options(
            CrosstermBackend::new(sink.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
            },
        )?;
        Ok(Screen {
            sink,
            size: (w, h),
            terminal,
        })
    }

    pub(super) fn resize(&mut self, cols: u32, rows: u32) -> io::Result<()> {
        let (w, h) = clamp_size(cols, rows);
        self.size = (w, h);
        self.terminal.resize(Rect::new(0, 0, w, h))
    }

    /// Draws a frame with `render`; the bytes that bring the student's terminal to it.
    pub(super) fn frame(
        &mut self,
        render: impl FnOnce(&mut ratatui::Frame<'_>),
    ) -> io::Result<Vec<u8>> {
        crossterm::queue!(self.sink, BeginSynchronizedUpdate)?;
        self.terminal.draw(render)?;
        crossterm::queue!(self.sink, EndSynchronizedUpdate)?;
        Ok(self.sink.take())
    }
}

/// The keys in `bytes`, a split escape sequence's start kept in `pending` for the next packet.
pub(super) fn keys_in(pending: &mut Vec<u8>, bytes: &[u8]) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        pending.push(b);
        // ESC ESC is the Esc key, then the start of what follows (an arrow's ESC [ C).
        if *pending == [0x1b, 0x1b] {
            pending.remove(0);
            keys.push(KeyEvent::from(KeyCode::Esc));
        }
        // A lone Esc followed by more bytes is the start of a sequence, not the Esc key.
        if *pending == [0x1b] && i + 1 < bytes.len() {
            continue;
        }
        match terminput::Event::parse_from(pending) {
            Ok(Some(event)) => {
                pending.clear();
                if let Ok(Event::Key(key)) = terminput_crossterm::to_crossterm(event) {
                    keys.push(key);
                }
            }
            Ok(None) if pending.len() < MAX_PENDING => {}
            Ok(None) | Err(_) => pending.clear(),
        }
    }
    // Keys that arrived together, as they were typed: ESC q is Esc then q, not Alt+q.
    crate::ui::together::together(&keys)
}

/// The badge: the student's name and whether they follow.
pub(super) fn mode_badge(lang: Lang, name: &str, following: bool) -> String {
    let mode = if following {
        say(lang, "following (f: explore)", "跟随老师（f：自由探索）")
    } else {
        say(lang, "exploring (f: follow)", "自由探索（f：跟随老师）")
    };
    if name.is_empty() {
        mode
    } else {
        format!("{name}: {mode}")
    }
}

/// A student now keeps `own` bytes of history of its own: the class's count follows (during a
/// move, what it reserved stays counted until it lands).
pub(super) fn recount(class: &Class, counted: &mut usize, own: usize, jumping: bool) {
    let own = if jumping { own.max(*counted) } else { own };
    if own != *counted {
        class.own_history(*counted, own, false);
        *counted = own;
    }
}

/// Reserves `bytes` of history of a free student's own in the class's count (`counted` is what
/// it holds now), within its own cap and the class's budget; the reason if not.
pub(super) fn reserve(
    class: &Class,
    counted: &mut usize,
    bytes: usize,
    lang: Lang,
) -> Result<(), String> {
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
    if !class.own_history(*counted, bytes, true) {
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
    *counted = bytes;
    Ok(())
}

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut b = self
            .0
            .lock()
            .map_err(|_| io::Error::other("frame buffer poisoned"))?;
        b.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct Student {
    class: Arc<Class>,
    seat: Seat,
    name: String,
    app: App,
    screen: Screen,
    following: bool,
    place: Arc<Lead>,
    prediction: Prediction,
    /// The start of an escape sequence split across packets.
    pending: Vec<u8>,
    leave: bool,
    /// A key that moves was pressed while following: say how to explore.
    hint: bool,
    /// A long move being computed (off the async runtime, see [`Student::slice`]).
    jump: Option<Jumping>,
    /// Keys pressed while it computes, applied in order once it lands.
    queued: VecDeque<KeyEvent>,
    /// Bytes of history of its own counted in the class's budget (a move in progress counts
    /// what it will keep when it lands).
    counted: usize,
    /// Why the last move was refused, until the next key.
    refused: Option<String>,
}

/// A move that must compute a long stretch of the run before it lands.
struct Jumping {
    target: usize,
    /// What lands it; None is the teacher's place, for a following student.
    message: Option<Message>,
    started: Instant,
    progress: Progress,
}

fn say(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
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
        let screen = Screen::new(setup.size)?;
        let mut student = Student {
            class,
            seat,
            name: display_name(&setup.user),
            app,
            screen,
            following: true,
            place,
            prediction: Prediction::default(),
            pending: Vec::new(),
            leave: false,
            hint: false,
            jump: None,
            queued: VecDeque::new(),
            counted: 0,
            refused: None,
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
        self.following
    }

    pub fn wants_to_leave(&self) -> bool {
        self.leave || self.app.should_quit()
    }

    fn badge(&mut self) {
        let badge = mode_badge(self.app.lang(), &self.name, self.following);
        self.app.set_badge(Some(badge));
    }

    /// The teacher moved; true when this screen changes.
    pub fn teacher_moved(&mut self, place: Arc<Lead>) -> bool {
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

    /// Puts a following student at the teacher's place: at once when it is near, or as a jump
    /// computed in slices when the way there is long (a new student joining late, the teacher's
    /// End on a long run).
    fn go_to_teacher(&mut self) {
        // The teacher's run, history and all, is taken rather than computed again or kept twice
        // whenever this student's would not do: another run, a place beyond what it has
        // explored, or a history of its own (from exploring) that following does not need.
        let run = Arc::clone(&self.class.run.borrow());
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
            self.account();
        }
        follow::take_run(&mut self.app, &self.place, &self.class.pristine);
        let target = self.place.global;
        if self.far(target) {
            self.start(target, None);
        } else {
            // A jump towards an earlier place of the teacher's is not needed any more.
            self.jump = None;
            follow::follow(&mut self.app, &self.place, &self.class.pristine);
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
            None => follow::follow(&mut self.app, &self.place, &self.class.pristine),
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

    /// A key while a jump computes: q quits and Esc stops the jump where it got to (a free
    /// student's; the teacher's place is not the student's to stop at); the rest wait for it.
    fn key_while_jumping(&mut self, key: &KeyEvent) -> bool {
        match message_in(self.app.key_mode(), key) {
            Some(Message::Quit) => {
                self.leave = true;
                true
            }
            Some(Message::Back) if !self.following => {
                self.jump = None;
                self.app.stay();
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

    /// What this student's explainer knows of the teacher's quiz now.
    fn quizzing(&self) -> Quizzing {
        let s = self.app.session();
        Quizzing {
            following: self.following,
            on: self.place.quiz,
            hiding: self.place.hiding,
            question: (s.batch().global, s.step()).into(),
            asked: quiz::asked_entry(s.step(), s.batch(), self.place.entry),
            precision: self.app.precision(),
        }
    }

    /// Bytes typed by the student; true when the screen changes.
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
        self.key_pressed(key) || hinted
    }

    fn key_pressed(&mut self, key: &KeyEvent) -> bool {
        if self.jumping() {
            return self.key_while_jumping(key);
        }
        let refused = self.refused.take().is_some();
        self.key_applied(key) || refused
    }

    fn key_applied(&mut self, key: &KeyEvent) -> bool {
        let submit = message_in(self.app.key_mode(), key) == Some(Message::Submit);
        let seat = (&*self.class, &self.seat);
        if self.prediction.key(key, submit, seat, &self.quizzing()) {
            return true;
        }
        if student_message(key) == Some(Message::Follow) {
            self.following = !self.following;
            self.app.set_follower(self.following);
            if self.following {
                self.go_to_teacher();
            }
            self.badge();
            return true;
        }
        // While following, the table holds only the keys that change how the screen looks (the
        // place is the teacher's): a key the explainer has besides says how to explore instead.
        let Some(message) = message_in(self.app.key_mode(), key) else {
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
        self.account();
        if message == Message::ToggleLang {
            self.badge();
        }
        changed
    }

    /// The student's own automatic step, while exploring with play on.
    pub fn tick_interval(&self) -> Option<std::time::Duration> {
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

    /// Whether `message` keeps this free student's history within its own cap and the class's
    /// budget; if so, what it will keep is reserved in the class's count. The reason if not.
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
        reserve(&self.class, &mut self.counted, bytes, self.app.lang())
    }

    /// Counts the history this student keeps of its own (none while it shares the teacher's),
    /// or, while a move is in progress, what it will keep when it lands.
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

    /// The size drawn at: the client's window, clamped.
    pub fn size(&self) -> (u16, u16) {
        self.screen.size
    }

    /// Terminal set-up sent before the first frame: the alternate screen, no cursor.
    pub fn opening() -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        crossterm::queue!(
            out,
            EnterAlternateScreen,
            crossterm::cursor::Hide,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        Ok(out)
    }

    /// What gives the student's terminal back.
    pub fn closing() -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        crossterm::queue!(out, LeaveAlternateScreen, crossterm::cursor::Show)?;
        Ok(out)
    }

    /// Draws the screen; returns the bytes that bring the student's terminal to it.
    pub fn frame(&mut self) -> io::Result<Vec<u8>> {
        let line = self.quiz_line();
        let progress = self.progress();
        let app = &self.app;
        self.screen.frame(|frame| {
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

    /// The prediction line (see [`Prediction::line`]).
    fn quiz_line(&self) -> Option<Line<'static>> {
        let seen = (self.app.lang(), self.class.options.ambiguous_wide);
        let why = (self.refused.as_deref(), self.hint);
        self.prediction.line(&self.quizzing(), seen, why)
    }
}

/// One reversed line just above the status line (its two rows at the bottom).
pub(super) fn draw_line(line: Line<'static>, area: Rect, buf: &mut Buffer) {
    if area.height < 4 {
        return;
    }
    let rect = Rect {
        y: area.y + area.height - 3,
        height: 1,
        ..area
    };
    Clear.render(rect, buf);
    Paragraph::new(line)
        .style(Style::default().add_modifier(Modifier::REVERSED))
        .render(rect, buf);
}

impl Drop for Student {
    fn drop(&mut self) {
        self.class.own_history(self.counted, 0, false);
    }
}

/// The progress of a jump, reversed on the bottom row (as on the teacher's screen).
pub(super) fn draw_progress(text: String, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let rect = Rect {
        y: area.y + area.height - 1,
        height: 1,
        ..area
    };
    Clear.render(rect, buf);
    Paragraph::new(text)
        .style(Style::default().add_modifier(Modifier::REVERSED))
        .render(rect, buf);
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

    #[test]
    fn window_sizes_are_clamped() {
        assert_eq!(clamp_size(10_000, 10_000), (MAX_WIDTH, MAX_HEIGHT));
        assert_eq!(clamp_size(0, 0), (1, 1));
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(u32::MAX, 5), (MAX_WIDTH, 5));
    }
}
