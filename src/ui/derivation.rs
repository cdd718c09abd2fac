//! The derivation panel: the lesson's chain of formulas in its order; the current step's in 2-D
//! and in bold, the same formula with today's numbers under it, the others compact around it.

use std::sync::{Arc, Mutex};

use ratatui::text::{Line, Span};

use super::canvas::{Canvas, width};
use super::glyphs::Glyphs;
use super::shown::Shown;
use super::strings::S;
use super::theme::Theme;
use crate::engine::Session;
use crate::engine::tape::Recorded;
use crate::lesson::Version;
use crate::lesson::{Lang, Lesson};
use crate::math::{self, Block, Formula, Options, Role};
use crate::worked::screen::Typeset;
use crate::worked::{SCREEN, steps};

/// Pointer column left of the formulas.
const GUTTER: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// The step's main formula.
    Main,
    /// Another formula the step is about.
    Current,
    /// The main formula with the batch's numbers in it.
    Numbers,
    Other,
    /// What the batch's earlier steps computed, where a tall screen has room for it.
    Earlier,
}

/// How an entry is drawn, chosen for the rows available.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Hidden,
    Inline,
    Full,
    /// A worked equation on one line with its long sums elided.
    Compact,
    /// A worked equation's notation and result only.
    Short,
}

struct Entry {
    kind: Kind,
    inline: Block,
    full: Block,
    /// A worked equation with long sums elided, when `inline` writes them in full.
    compact: Option<Block>,
    /// A worked equation without its operands, for when neither form fits.
    short: Option<Block>,
}

impl Entry {
    /// A formula on one line, and as it fits in `room`.
    fn laid(f: &Formula, room: usize, opts: Options) -> (Block, Block) {
        (math::layout_inline(f, opts), math::fit(f, room, opts))
    }

    /// A worked equation: broken before its `=` signs where a line would not fit.
    fn numbers(t: &Typeset, room: usize, opts: Options) -> Entry {
        Entry {
            kind: Kind::Numbers,
            inline: t.block(room, false, opts),
            full: t.block(room, true, opts),
            compact: t.compact(room, opts),
            short: t.short().map(|s| s.block(room, true, opts)),
        }
    }

    fn height(&self, form: Form) -> usize {
        match form {
            Form::Hidden => 0,
            Form::Inline => self.inline.height,
            Form::Full => self.full.height,
            Form::Compact => self.compact.as_ref().map_or(usize::MAX, |b| b.height),
            Form::Short => self.short.as_ref().map_or(usize::MAX, |b| b.height),
        }
    }

    fn indent(&self) -> usize {
        if self.kind == Kind::Numbers {
            2 * GUTTER
        } else {
            GUTTER
        }
    }
}

/// The derivation as last laid out, and for which size: a frame reuses it, `update` forgets
/// it. The lesson's chain is the same on every step, so its layout outlives the step's.
#[derive(Default)]
pub struct Cache {
    step: Mutex<Option<Laid>>,
    chain: Mutex<Option<(ChainKey, Arc<Chain>)>>,
}

/// A layout and the (columns, rows) it was made for.
type Laid = ((usize, usize), Arc<Derivation>);

/// Each formula of the lesson's chain on one line and as it fits, for one width.
type Chain = Vec<(Block, Block)>;

/// What the chain's layout depends on: the width, and the versions of the formulas the run's
/// tape calls for (a mean run's L is the mean).
type ChainKey = (usize, Vec<Version>);

impl Cache {
    /// The derivation of `input` for `room` columns and `rows` rows, laid out if not yet.
    pub fn get(&self, input: &Input<'_>, room: usize, rows: usize) -> Arc<Derivation> {
        let chain = self.chain(input, room);
        // A poisoned lock only means an earlier frame panicked: lay out afresh.
        let Ok(mut cached) = self.step.lock() else {
            return Arc::new(Derivation::new(input, &chain, room, rows));
        };
        match &*cached {
            Some((size, d)) if *size == (room, rows) => Arc::clone(d),
            _ => {
                let d = Arc::new(Derivation::new(input, &chain, room, rows));
                *cached = Some(((room, rows), Arc::clone(&d)));
                d
            }
        }
    }

    /// Forgets the step's layout (not the chain's): what `update` changes.
    pub fn forget_step(&self) {
        if let Ok(mut cached) = self.step.lock() {
            *cached = None;
        }
    }

    fn chain(&self, input: &Input<'_>, room: usize) -> Arc<Chain> {
        let recorded = Recorded::of(input.session.batch().hyper.objective);
        let key = (room, Version::of(recorded));
        let make = || {
            let opts = Options {
                ambiguous_wide: input.glyphs.ambiguous_wide,
            };
            let wide = room.saturating_sub(GUTTER);
            let laid: Chain = input
                .lesson
                .derivation()
                .iter()
                .map(|d| {
                    let formula = d.formula_for(recorded);
                    (
                        math::layout_inline(formula, opts),
                        math::fit(formula, wide, opts),
                    )
                })
                .collect();
            Arc::new(laid)
        };
        let Ok(mut cached) = self.chain.lock() else {
            return make();
        };
        match &*cached {
            Some((k, c)) if *k == key => Arc::clone(c),
            _ => {
                let c = make();
                *cached = Some((key, Arc::clone(&c)));
                c
            }
        }
    }
}

/// What the derivation panel shows: the lesson's chain, the step, its worked equations, and how
/// numbers and symbols are drawn.
pub struct Input<'a> {
    pub session: &'a Session,
    pub lesson: &'a Lesson,
    pub shown: &'a Shown,
    pub theme: Theme,
    pub glyphs: Glyphs,
    pub precision: usize,
    pub lang: Lang,
}

pub struct Derivation {
    entries: Vec<Entry>,
    room: usize,
    theme: Theme,
    glyphs: Glyphs,
}

impl Derivation {
    /// Lays the chain out for `room` columns in both forms; `render` picks per entry. Rows the
    /// chain leaves free of `rows` show the worked equations of the batch's earlier steps.
    pub fn new(app: &Input<'_>, chain_laid: &Chain, room: usize, rows: usize) -> Derivation {
        let opts = Options {
            ambiguous_wide: app.glyphs.ambiguous_wide,
        };
        let step = app.session.step();
        let chain = app.lesson.derivation();
        let current = &app.lesson.step(step).derivation;
        let main = current.first().copied();
        let numbers = app.shown.typeset();
        let last_current = current.iter().copied().filter(|&i| i < chain.len()).max();
        let numbers_entries = || {
            numbers
                .iter()
                .map(|t| Entry::numbers(t, room.saturating_sub(2 * GUTTER), opts))
        };
        let mut entries = Vec::with_capacity(chain.len() + numbers.len());
        for (index, d) in chain.iter().enumerate() {
            let kind = if Some(index) == main {
                Kind::Main
            } else if current.contains(&index) {
                Kind::Current
            } else {
                Kind::Other
            };
            let (inline, full) = chain_laid.get(index).cloned().unwrap_or_else(|| {
                let recorded = Recorded::of(app.session.batch().hyper.objective);
                Entry::laid(d.formula_for(recorded), room.saturating_sub(GUTTER), opts)
            });
            entries.push(Entry {
                kind,
                inline,
                full,
                compact: None,
                short: None,
            });
            if Some(index) == last_current {
                entries.extend(numbers_entries());
            }
        }
        // A step the chain does not cover still shows its numbers.
        if last_current.is_none() {
            entries.extend(numbers_entries());
        }
        let mut d = Derivation {
            entries,
            room,
            theme: app.theme,
            glyphs: app.glyphs,
        };
        d.add_earlier(app, rows, opts);
        d
    }

    /// The latest earlier steps' equations that fit whole in 2-D below the chain, oldest first,
    /// under a line that says what they are: on a tall screen the batch's arithmetic so far.
    fn add_earlier(&mut self, app: &Input<'_>, rows: usize, opts: Options) {
        let Some(free) = rows.checked_sub(self.full_height() + 2) else {
            return;
        };
        let (steps, at) = app.session.steps();
        let room = self.room.saturating_sub(2 * GUTTER);
        let mut picked: Vec<Entry> = Vec::new();
        let mut used = 0;
        'steps: for &step in steps[..at].iter().rev() {
            let eqs = steps::equations(step, app.session.batch(), app.precision, app.lang);
            for eq in eqs.iter().rev() {
                let e = Entry::numbers(&Typeset::new(eq, SCREEN), room, opts);
                if used + e.full.height > free || e.full.width > room {
                    break 'steps;
                }
                used += e.full.height;
                picked.push(Entry {
                    kind: Kind::Earlier,
                    ..e
                });
            }
        }
        if picked.is_empty() {
            return;
        }
        let label = S::EarlierSteps.get(app.lang).to_string();
        let line = Block {
            width: width(&label),
            height: 1,
            baseline: 0,
            lines: vec![vec![math::Span {
                text: label,
                role: None,
            }]],
        };
        self.entries.push(Entry {
            kind: Kind::Earlier,
            inline: line.clone(),
            full: line,
            compact: None,
            short: None,
        });
        self.entries.extend(picked.into_iter().rev());
    }

    /// Rows for every formula in 2-D.
    pub fn full_height(&self) -> usize {
        self.entries.iter().map(|e| e.full.height).sum()
    }

    /// Which form each entry takes in `rows`: the main formula and the numbers first (the ▶ line
    /// and its worked line never scroll away), then the step's other formulas, then the
    /// neighbours nearest to them, inline before 2-D.
    fn forms(&self, rows: usize) -> Vec<Form> {
        let n = self.entries.len();
        if self.full_height() <= rows {
            return vec![Form::Full; n];
        }
        let mut forms = vec![Form::Hidden; n];
        let mut used = 0;
        let fits_inline = |e: &Entry| e.inline.width + e.indent() <= self.room;
        let mut place = |forms: &mut Vec<Form>, i: usize, wanted: &[Form]| {
            let e = &self.entries[i];
            let now = e.height(forms[i]);
            for &form in wanted {
                let fits = |b: &Option<Block>| {
                    b.as_ref()
                        .is_some_and(|b| b.width + e.indent() <= self.room)
                };
                if (form == Form::Inline && !fits_inline(e))
                    || (form == Form::Compact && !fits(&e.compact))
                    || (form == Form::Short && !fits(&e.short))
                {
                    continue;
                }
                let h = e.height(form);
                if used - now + h <= rows {
                    used = used - now + h;
                    forms[i] = form;
                    return;
                }
            }
        };
        let of_kind = |kind: Kind| (0..n).filter(move |&i| self.entries[i].kind == kind);
        // First the ▶ formula and the step's worked lines, each as small as it still reads (its
        // numbers before a shortened form), so both are always in view; then, as rows allow,
        // the worked lines in 2-D, the ▶ formula in 2-D, and the step's other formulas.
        // A worked line with its sums in full may take more rows than with them elided: the
        // elided line is the fallback, and the full one comes back as rows allow.
        for kind in [Kind::Main, Kind::Numbers] {
            for i in of_kind(kind) {
                place(
                    &mut forms,
                    i,
                    &[Form::Inline, Form::Compact, Form::Full, Form::Short],
                );
            }
        }
        for kind in [Kind::Numbers, Kind::Main] {
            for i in of_kind(kind) {
                if forms[i] == Form::Compact {
                    place(&mut forms, i, &[Form::Inline]);
                }
                if forms[i] == Form::Inline {
                    place(&mut forms, i, &[Form::Full]);
                }
            }
        }
        for i in of_kind(Kind::Current) {
            place(&mut forms, i, &[Form::Full, Form::Inline]);
        }
        let inline_first = [Form::Inline, Form::Full];
        let anchor = self
            .entries
            .iter()
            .position(|e| e.kind == Kind::Main)
            .unwrap_or(0);
        // Neighbours by distance, the previous one first so the chain reads from where it came.
        let mut order: Vec<usize> = (0..n)
            .filter(|&i| self.entries[i].kind == Kind::Other)
            .collect();
        order.sort_by_key(|&i| (i.abs_diff(anchor), i > anchor));
        for &i in &order {
            place(&mut forms, i, &inline_first);
        }
        for &i in &order {
            if forms[i] == Form::Inline {
                place(&mut forms, i, &[Form::Full]);
            }
        }
        // Whatever did not fit at all is still drawn as far as it goes, rather than vanish.
        if used == 0 && n > 0 {
            forms[anchor] = Form::Full;
        }
        forms
    }

    pub fn render(&self, canvas: &mut Canvas<'_>) {
        let rows = canvas.height();
        let forms = self.forms(rows);
        let shown: Vec<usize> = (0..self.entries.len())
            .filter(|&i| forms[i] != Form::Hidden)
            .collect();
        let (Some(&first), Some(&last)) = (shown.first(), shown.last()) else {
            return;
        };
        let theme = self.theme;
        let mut y = 0;
        for &i in &shown {
            let e = &self.entries[i];
            let block = match forms[i] {
                Form::Full => &e.full,
                Form::Short => e.short.as_ref().unwrap_or(&e.inline),
                Form::Compact => e.compact.as_ref().unwrap_or(&e.inline),
                Form::Hidden | Form::Inline => &e.inline,
            };
            let lines: Vec<Line<'static>> = match e.kind {
                Kind::Main | Kind::Current => {
                    math::tui::lines(block, |r: Option<Role>| theme.current(r))
                }
                Kind::Numbers => math::tui::lines(block, |r: Option<Role>| theme.role(r)),
                Kind::Other => math::tui::lines(block, |_| theme.inactive()),
                Kind::Earlier => math::tui::lines(block, |r: Option<Role>| theme.role(r)),
            };
            for (dy, line) in lines.iter().enumerate() {
                if y >= rows {
                    return;
                }
                // One ▶: the formula this step computes.
                let pointer = e.kind == Kind::Main && dy == block.baseline;
                if pointer {
                    canvas.text(0, y, self.glyphs.pointer, theme.current(None));
                }
                // Formulas left out above or below are hinted at in the gutter.
                let more_above = i == first && first > 0 && dy == 0;
                let more_below = i == last && last + 1 < self.entries.len() && y + 1 == rows;
                if !pointer && (more_above || more_below) {
                    canvas.text(0, y, self.glyphs.vdots, theme.frame());
                }
                self.clipped(canvas, e.indent(), y, line, block.width);
                y += 1;
            }
        }
    }

    /// A line wider than the panel ends in an ellipsis at a glyph boundary.
    fn clipped(&self, canvas: &mut Canvas<'_>, x: usize, y: usize, line: &Line<'_>, w: usize) {
        let room = canvas.width().saturating_sub(x);
        if w <= room {
            canvas.line(x, y, line);
            return;
        }
        let mut sub = prefix(line, room.saturating_sub(width(self.glyphs.hdots)));
        sub.spans
            .push(Span::styled(self.glyphs.hdots, self.theme.frame()));
        canvas.line(x, y, &sub);
    }
}

/// The glyphs of `line` that fit whole in `room` columns.
fn prefix(line: &Line<'_>, room: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in &line.spans {
        let mut text = String::new();
        let mut cut = false;
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > room {
                cut = true;
                break;
            }
            used += cw;
            text.push(c);
        }
        out.push(Span::styled(text, span.style));
        if cut {
            break;
        }
    }
    Line::from(out)
}
