//! The teacher's side: the explainer exactly as `gradstep` runs it, plus how to join (until a key
//! dismisses it, and again with the help), the student count in the status line, the class's
//! predictions while the quiz hides a result, and the teacher's place published to the class
//! after each frame.

use std::cell::Cell;
use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::class::{Class, Question};
use super::follow::{self, Lead};
use super::gate::Access;
use super::quiz::{self, Asked, Spread};
use super::words::{self, say};
use crate::lesson::Lang;
use crate::ui::two_layer::TwoLayerApp;
use crate::ui::{App, Host, Message, Mode, message_in};

/// Bins of the teacher's histogram of predictions.
const BINS: usize = 12;

/// Which question the quiz box is for: the question and the entry asked.
type Asking = (Question, usize);

/// What the teacher's quiz asks now, on either model.
struct Quizzed {
    question: Question,
    /// The entry the teacher chose (`e`): answers to another one are not answers to this.
    entry: usize,
    asked: Asked,
    hiding: bool,
    lang: Lang,
    precision: usize,
}

impl Quizzed {
    fn of(app: &App) -> Option<Quizzed> {
        let s = app.session();
        let asked = quiz::asked_entry(s.step(), s.batch(), app.asked_entry())?;
        app.quiz().then(|| Quizzed {
            question: (s.batch().global, s.step()).into(),
            entry: app.asked_entry(),
            asked,
            hiding: app.hiding(),
            lang: app.lang(),
            precision: app.precision(),
        })
    }

    fn of_two_layer(app: &TwoLayerApp) -> Option<Quizzed> {
        let place = app.place();
        let asked = Asked::of(app.asked()?);
        place.quiz.then(|| Quizzed {
            question: (place.global, place.step).into(),
            entry: place.entry,
            asked,
            hiding: place.hiding,
            lang: app.lang(),
            precision: place.precision,
        })
    }
}

/// How students join, for the banner.
pub struct Join {
    /// `ssh -p 2222 host`.
    pub command: String,
    pub fingerprint: String,
}

pub struct Teacher {
    class: Arc<Class>,
    join: Join,
    /// The banner shows until the first key.
    banner: bool,
    shown_version: Option<u64>,
    published: Option<Lead>,
    /// `q` was pressed with students connected: the box asks whether to end the lesson.
    asking: bool,
    /// Where the quiz box was for which question (batch, step, entry): it stays there once the
    /// result is revealed.
    quiz_at: Cell<Option<(Asking, (u16, u16))>>,
}

impl Teacher {
    pub fn new(class: Arc<Class>, join: Join) -> Teacher {
        Teacher {
            class,
            join,
            banner: true,
            shown_version: None,
            published: None,
            asking: false,
            quiz_at: Cell::new(None),
        }
    }
}

/// The badge: the number of students connected.
pub fn badge(lang: Lang, students: usize) -> String {
    words::students(lang, students)
}

/// An answer as its student typed it: `v` with the decimals they typed.
fn as_typed(typed: &[(f64, usize)], v: f64) -> String {
    let d = typed
        .iter()
        .find(|(t, _)| t.to_bits() == v.to_bits())
        .map_or(0, |(_, d)| *d);
    format!("{v:.d$}")
}

/// Where the quiz box goes: the first of the bottom right (above the status line), the top
/// right, the top left and the bottom left whose rectangle covers no hidden result (`?`) of
/// the frame; failing that, the one covering fewest.
fn quiz_box_at(size: (u16, u16), area: Rect, buf: &Buffer) -> (u16, u16) {
    let (w, h) = size;
    let right = area.width.saturating_sub(w);
    let bottom = area.height.saturating_sub(h.saturating_add(2));
    let hidden = |(x, y): (u16, u16)| -> usize {
        let rect = Rect {
            x: area.x.saturating_add(x),
            y: area.y.saturating_add(y),
            width: w,
            height: h,
        }
        .intersection(area)
        .intersection(buf.area);
        rect.positions()
            .filter(|p| buf.cell(*p).is_some_and(|c| c.symbol() == "?"))
            .count()
    };
    let candidates = [(right, bottom), (right, 0), (0, 0), (0, bottom)];
    candidates
        .iter()
        .copied()
        .min_by_key(|c| hidden(*c))
        .unwrap_or((right, bottom))
}

/// A box of `lines` at `(x, y)` of `area`, cut to the area.
fn draw_box(title: &str, lines: Vec<Line<'_>>, at: (u16, u16), area: Rect, buf: &mut Buffer) {
    // The title, with a space either side, fits in the top border too.
    let title_width = unicode_width::UnicodeWidthStr::width(title) + 2;
    let inner_width = lines
        .iter()
        .map(Line::width)
        .chain([title_width])
        .max()
        .unwrap_or(0);
    let width = u16::try_from(inner_width + 4).unwrap_or(u16::MAX);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = Rect {
        x: area.x.saturating_add(at.0),
        y: area.y.saturating_add(at.1),
        width,
        height,
    }
    .intersection(area)
    .intersection(buf.area);
    if rect.is_empty() {
        return;
    }
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(format!(" {title} ")))
        .render(rect, buf);
}

impl Teacher {
    fn banner_lines(&self, lang: Lang) -> Vec<Line<'static>> {
        let access = match &self.class.gate.access {
            Access::Code(code) => say(lang, "class code: ", "课堂口令：") + code,
            Access::Open => say(
                lang,
                "open class: anyone who can reach this machine joins without a code",
                "开放课堂：能连到本机的人无需口令即可加入",
            ),
        };
        vec![
            Line::from(say(lang, "Students join with:", "学生用以下命令加入：")),
            Line::from(format!("  {}", self.join.command)),
            Line::from(access),
            Line::from(say(lang, "host key: ", "主机密钥：") + &self.join.fingerprint),
            Line::from(say(
                lang,
                "any key hides this; ? shows it again",
                "按任意键隐藏；按 ? 再次显示",
            )),
        ]
    }

    /// The quiz box: what is asked; while answers come in, how many, their spread (the lowest,
    /// the middle and the highest answer typed, each as typed) and a histogram; after the reveal
    /// also the true value and how many were right.
    fn predictions(&self, q: &Quizzed) -> Option<(String, Vec<Line<'static>>)> {
        let typed = self.class.typed(q.question);
        if !q.hiding && typed.is_empty() {
            return None;
        }
        let (lang, p) = (q.lang, q.precision);
        let students = self.class.students();
        let name = q.asked.name(lang, self.class.options.ambiguous_wide);
        let value = q.asked.value;
        let mut lines = Vec::new();
        if !q.hiding {
            lines.push(Line::from(format!(
                "{} {name} = {}",
                say(lang, "true", "真实值"),
                quiz::shown(value, p)
            )));
            let right = typed
                .iter()
                .filter(|(v, d)| quiz::matches(*v, *d, value, p))
                .count();
            lines.push(Line::from(words::right_of(lang, right, typed.len())));
        }
        lines.push(Line::from(words::answered_of(lang, typed.len(), students)));
        let values: Vec<f64> = typed.iter().map(|(v, _)| *v).collect();
        if let Some(Spread {
            median,
            min,
            max,
            bins,
            ..
        }) = quiz::spread(&values, BINS)
        {
            let n = |v: f64| as_typed(&typed, v);
            lines.push(Line::from(format!(
                "{} {} · {} {} · {} {}",
                say(lang, "lowest", "最低"),
                n(min),
                say(lang, "middle", "中间"),
                n(median),
                say(lang, "highest", "最高"),
                n(max)
            )));
            lines.push(Line::from(format!(
                "{} {} {}",
                n(min),
                quiz::bars(&bins),
                n(max)
            )));
        }
        let title = format!(
            "{} {name} · e: {}",
            say(lang, "Predict", "预测"),
            say(lang, "next entry", "下一个分量")
        );
        Some((title, lines))
    }
}

impl Teacher {
    /// The quiz box, if the quiz asks something: never over the cells being asked about (placed
    /// where no `?` is), and kept where it was once revealed.
    fn quiz_box(&self, quizzed: Option<Quizzed>, area: Rect, buf: &mut Buffer) {
        let Some(q) = quizzed else {
            return;
        };
        let Some((title, lines)) = self.predictions(&q) else {
            return;
        };
        let width = lines
            .iter()
            .map(Line::width)
            .chain([unicode_width::UnicodeWidthStr::width(title.as_str()) + 2])
            .max()
            .unwrap_or(0)
            + 4;
        let size = (
            u16::try_from(width).unwrap_or(u16::MAX),
            u16::try_from(lines.len() + 2).unwrap_or(u16::MAX),
        );
        let question = (q.question, q.entry);
        let at = match self.quiz_at.get() {
            Some((was, at)) if was == question && !q.hiding => at,
            _ => quiz_box_at(size, area, buf),
        };
        self.quiz_at.set(Some((question, at)));
        draw_box(&title, lines, at, area, buf);
    }
}

impl Teacher {
    /// A key seen before the explainer's (in `mode`): the banner's, or the question whether to
    /// end the lesson; true keeps it from the explainer, and `quit` when the answer is yes.
    fn host_key(&mut self, mode: Mode, key: &KeyEvent, quit: impl FnOnce()) -> bool {
        if self.asking {
            // y ends the lesson, n or Esc goes back to it; every other key waits for an answer.
            match message_in(Mode::Confirm, key) {
                Some(Message::Confirm(true)) => {
                    self.asking = false;
                    quit();
                }
                Some(Message::Confirm(false)) => self.asking = false,
                _ => {}
            }
            return true;
        }
        if std::mem::take(&mut self.banner) {
            return true;
        }
        if self.class.students() > 0 && message_in(mode, key) == Some(Message::Quit) {
            self.asking = true;
            return true;
        }
        false
    }

    /// The language can change with a key: the badge `shown` is drawn again in `lang`.
    fn keep_badge(&mut self, lang: Lang, shown: Option<&str>) {
        if self.shown_version.is_some()
            && shown != Some(badge(lang, self.class.students()).as_str())
        {
            self.shown_version = None;
        }
    }

    /// Whether the class changed since the last frame (a student came or went, an answer).
    fn class_changed(&mut self) -> bool {
        let version = self.class.version();
        if self.shown_version == Some(version) {
            return false;
        }
        self.shown_version = Some(version);
        true
    }

    /// The question whether to end the lesson, or else the banner (also with the help).
    fn boxes(&self, lang: Lang, help_open: bool, area: Rect, buf: &mut Buffer) {
        if self.asking {
            let lines = vec![Line::from(words::end_lesson(lang, self.class.students()))];
            let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
            let x = usize::from(area.width).saturating_sub(width) / 2;
            let y = area.height.saturating_sub(3) / 2;
            let x = u16::try_from(x).unwrap_or(0);
            draw_box(&words::end_lesson_title(lang), lines, (x, y), area, buf);
            return;
        }
        if self.banner || help_open {
            let lines = self.banner_lines(lang);
            let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
            let x = usize::from(area.width).saturating_sub(width) / 2;
            let y = area.height.saturating_sub(9) / 2;
            draw_box(
                &say(lang, "gradstep serve", "gradstep serve"),
                lines,
                (u16::try_from(x).unwrap_or(0), y),
                area,
                buf,
            );
        }
    }
}

impl Host for Teacher {
    fn key(&mut self, app: &mut App, key: &KeyEvent) -> bool {
        let mode = app.key_mode();
        self.host_key(mode, key, || {
            app.update(Message::Quit);
        })
    }

    fn asks_before_quit(&self) -> bool {
        self.class.students() > 0
    }

    fn prepare(&mut self, app: &mut App) -> bool {
        if !self.class_changed() {
            return false;
        }
        app.set_badge(Some(badge(app.lang(), self.class.students())));
        true
    }

    fn overlay(&self, app: &App, area: Rect, buf: &mut Buffer) {
        let lang = app.lang();
        self.quiz_box(Quizzed::of(app), area, buf);
        self.boxes(lang, app.help_open(), area, buf);
    }

    fn drawn(&mut self, app: &App) {
        let place = Lead::of(app);
        if let Some(was) = &self.published
            && (was.global, was.step) == (place.global, place.step)
            && was.entry != place.entry
        {
            // Answers to the entry asked before are not answers to this one.
            let s = app.session();
            self.class.forget((s.batch().global, s.step()));
        }
        if self.published.as_ref() != Some(&place) {
            // The run first, so that a student woken by the place finds it there. A new one only
            // when it has something the last one lacks: it shares the teacher's history, which
            // the teacher then copies on recording the next new batch.
            let s = app.session();
            let last = self.class.run.borrow().clone();
            if !s.shares_history_with(&last)
                || s.explored() != last.explored()
                || !follow::same_run(s, &last)
            {
                self.class.run.send_replace(Arc::new(s.clone()));
            }
            self.class.place.send_replace(Arc::new(place.clone()));
            self.published = Some(place);
        }
        self.keep_badge(app.lang(), app.badge());
    }
}

/// A two-layer run's teacher: the same banner, question and count of students, and the place
/// and run published for the class.
impl Host<TwoLayerApp> for Teacher {
    fn key(&mut self, app: &mut TwoLayerApp, key: &KeyEvent) -> bool {
        let mode = app.key_mode();
        self.host_key(mode, key, || {
            app.update(Message::Quit);
        })
    }

    fn asks_before_quit(&self) -> bool {
        self.class.students() > 0
    }

    fn prepare(&mut self, app: &mut TwoLayerApp) -> bool {
        if !self.class_changed() {
            return false;
        }
        app.set_badge(Some(badge(app.lang(), self.class.students())));
        true
    }

    fn overlay(&self, app: &TwoLayerApp, area: Rect, buf: &mut Buffer) {
        let lang = app.lang();
        self.quiz_box(Quizzed::of_two_layer(app), area, buf);
        self.boxes(lang, app.help_open(), area, buf);
    }

    fn drawn(&mut self, app: &TwoLayerApp) {
        if let Some(class) = &self.class.two_layer {
            let (was, now) = (*class.place.borrow(), app.place());
            if (was.global, was.step) == (now.global, now.step) && was.entry != now.entry {
                // Answers to the entry asked before are not answers to this one.
                self.class.forget((now.global, now.step));
            }
            class.publish(app);
        }
        self.keep_badge(app.lang(), app.badge());
    }
}
