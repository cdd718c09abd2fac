//! The two-layer explainer's screen, drawn from the model alone: where the run is, the step's
//! formula, its worked equations, the narrative, the matrix panel (what the step reads and
//! writes, read off its equations) and the keys.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::words::words;
use super::{Screen, TwoLayerApp};
use crate::engine::mlp_session::MlpStep;
use crate::engine::tape::Recorded;
use crate::math::{self, Options};
use crate::ui::canvas::{Canvas, width, wrap};
use crate::ui::classroom::panel::{self, Look};
use crate::ui::glyphs::Glyphs;
use crate::ui::graph::{Layers, Scene, draw, layer_roles};
use crate::ui::keys::{self, Mode};
use crate::ui::status::Open;
use crate::ui::strings::S;
use crate::ui::theme::{Mark, Theme};
use crate::ui::too_small;
use crate::worked::Quantity;

/// One matrix of the panel: the cells the step's equations hold, by (row, col), and whether
/// the step writes them.
struct Panel {
    q: Quantity,
    cells: BTreeMap<(usize, usize), (f64, bool)>,
    /// The cells the step's equations hold (the rest are known from earlier steps).
    touched: std::collections::BTreeSet<(usize, usize)>,
    /// The cells the quiz shows as `?`.
    hidden: std::collections::BTreeSet<(usize, usize)>,
}

impl Widget for &TwoLayerApp {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if !too_small::fits(area) {
            let mut c = Canvas::new(buf, area);
            c.text(0, 0, "terminal too small", Style::new());
            return;
        }
        let theme = self.theme;
        let opts = Options {
            ambiguous_wide: self.ambiguous_wide,
        };
        let lang = self.lang;
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let w = words();
        let s = &self.session;
        let step = s.step();
        let u = s.update();
        let mut c = Canvas::new(buf, area);
        let cols = c.width();
        let rows = c.height();
        let header = w.word(
            "header",
            lang,
            &[
                ("activation", s.activation().name().to_string()),
                ("hidden", u.before.hidden().to_string()),
                // As the linear status line and the go-to prompt count them: within the epoch.
                ("epoch", u.pos.epoch.to_string()),
                ("epochs", s.hyper().epochs.to_string()),
                ("batch", u.pos.batch.to_string()),
                ("batches", u.pos.epoch_batches.to_string()),
                ("step", (s.step_index() + 1).to_string()),
                ("steps", s.steps().len().to_string()),
            ],
        );
        c.text(0, 0, &header, theme.title());
        // The experiment of forgetting zero_() changes every update: said where it is always seen.
        if !s.hyper().zero_grad {
            let at = width(&header) + 2;
            let said = S::KeepGradStatus.get(lang);
            if at + width(said) <= cols {
                c.text(at, 0, said, theme.warning());
            }
        }
        if let Some(scroll) = self.help {
            self.render_help(scroll, area, buf);
            return;
        }
        if let Some(graph) = &self.graph {
            self.graph(graph, area, buf);
            return;
        }
        if self.screen == Screen::Compare {
            self.compared(area, buf);
            return;
        }
        if self.screen == Screen::Pictures {
            // The canvas's borrow of the buffer ends here; the pictures draw on it afresh.
            self.pictures(area, buf);
            return;
        }
        let text = w.step(step.kind());
        let mut title = text.map_or_else(String::new, |t| t.title.get(lang).to_string());
        if let Some(i) = step.sample() {
            title = format!("{title} · i = {}", i + 1);
        }
        c.text(0, 1, &title, theme.key());
        let mut y = 2;
        let recorded = Recorded::of(self.session.objective());
        if let Some(f) = text.and_then(|t| math::parse(t.formula_for(recorded)).ok()) {
            let block = math::fit(&f, cols, opts);
            for line in math::tui::lines(&block, |r| theme.current(r)) {
                c.line(0, y, &line);
                y += 1;
            }
        }

        // Bottom up: keys, panel, notice, narrative.
        // The go-to prompt or a bookmark's wait, drawn as the linear explainer's, else the hints
        // that fit one line.
        let mut bottom = rows;
        if rows > 0 {
            bottom -= 1;
            let open = Open {
                goto: &self.goto,
                theme: &theme,
                lang,
                glyphs: &glyphs,
            };
            if !open.draw(&mut c, bottom) {
                let hints = self.hints(cols.saturating_sub(self.badge_room()));
                c.text(0, bottom, &hints, theme.frame());
            }
        }
        self.draw_badge(&mut c, bottom);
        let mut notes = Vec::new();
        if let Some(line) = self.stop_line() {
            notes.push((line, theme.badge()));
        }
        if let Some(n) = &self.notice {
            notes.push((n.clone(), theme.warning()));
        }
        // The mode that changes what Enter means, said while it does.
        if self.hiding() {
            notes.push((S::QuizBadge.get(lang).to_string(), theme.badge()));
        }
        if self.inspecting {
            notes.push((S::InspectBadge.get(lang).to_string(), theme.badge()));
        }
        if self.relu_at_zero {
            notes.push((w.word("relu_zero", lang, &[]), theme.key()));
        }
        // On a projector the teacher tells the story: the screen keeps the numbers.
        let narrative = if self.presenting {
            String::new()
        } else {
            let activation = self.session.activation();
            text.map_or(String::new(), |t| t.said(recorded, activation, lang))
        };
        // Without zero_() the update reads the held sum and nothing empties .grad after it.
        let held = (!self.presenting && step == MlpStep::Update && u.held.is_some())
            .then(|| w.word("held_update", lang, &[]));
        let narrative = held.as_deref().unwrap_or(&narrative);
        let said: Vec<(String, Style)> = wrap(narrative, cols)
            .into_iter()
            .map(|l| (l, theme.plain()))
            .collect();
        let told = notes.len();
        let noted: Vec<(String, Style)> = notes
            .into_iter()
            .flat_map(|(n, st)| wrap(&n, cols).into_iter().map(move |l| (l, st)))
            .collect();
        let lines_len = said.len() + noted.len();

        // The numbers come first: the panel gives up rows, then equations their worked
        // operands (notation and result stay), before an equation is left out.
        y += 1;
        let typeset = &self.typeset;
        // Wider than the screen even broken at its `=` signs: its notation and result only.
        let mut blocks: Vec<_> = typeset
            .iter()
            .map(|t| {
                let b = t.block(cols, true, opts);
                match t.short() {
                    Some(short) if b.width > cols => short.block(cols, true, opts),
                    _ => b,
                }
            })
            .collect();
        let avail = bottom.saturating_sub(y);
        // Reading on (`M`), the text is kept whole and the panel makes room for it.
        let reading = self.reading_on();
        let text_min = if reading {
            lines_len
        } else {
            lines_len.min(2 + told)
        };
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let look = Look {
            theme,
            glyphs: &glyphs,
            lang,
        };
        // Inspecting, the explanation takes the equations' place, and their room.
        let explained = self
            .explained
            .as_ref()
            .map(|e| panel::height(look, e, cols));
        let need = |blocks: &[crate::math::Block]| {
            explained.unwrap_or_else(|| blocks.iter().map(|b| b.height).sum::<usize>())
        };
        let mut panel_rows = if rows >= 40 { 16 } else { 8 };
        let fewest = if reading { 0 } else { 5 };
        while need(&blocks) + text_min + panel_rows > avail && panel_rows > fewest {
            panel_rows -= 1;
        }
        for k in 0..blocks.len() {
            if need(&blocks) + text_min + panel_rows <= avail {
                break;
            }
            if let Some(short) = typeset[k].short() {
                blocks[k] = short.block(cols, true, opts);
            }
        }
        bottom = bottom.saturating_sub(panel_rows);
        if panel_rows > 0 {
            self.panel(&mut c, &theme, bottom, panel_rows, cols);
        }
        // Inspecting, the equations' place explains the cell under the cursor instead, the
        // notes kept under it.
        if let Some(e) = &self.explained {
            let keep = noted.len().min(bottom.saturating_sub(y));
            bottom -= keep;
            for (k, (line, st)) in noted.iter().take(keep).enumerate() {
                c.text(0, bottom + k, line, *st);
            }
            let room = Rect {
                y: area.y + y as u16,
                height: bottom.saturating_sub(y) as u16,
                ..area
            };
            panel::render(look, e, &mut Canvas::new(buf, room), self.presenting);
            return;
        }
        let room = bottom
            .saturating_sub(y + need(&blocks))
            .max(text_min.min(bottom - y));
        let keep = lines_len.min(room);
        bottom = bottom.saturating_sub(keep);
        // Notes (a notice, z = 0 under ReLU) are kept whole; the narrative keeps its start.
        let noted = &noted[noted.len().saturating_sub(keep)..];
        let mut said = said[..said.len().min(keep - noted.len())].to_vec();
        if said.len() < lines_len - noted.len() {
            self.mark_cut(&mut said, cols);
        }
        for (k, (line, st)) in said.iter().chain(noted).enumerate() {
            c.text(0, bottom + k, line, *st);
        }
        // With room, presenter mode sets the equations a line apart.
        let gap = usize::from(self.presenting && y + need(&blocks) + blocks.len() <= bottom);
        for block in &blocks {
            if y + block.height > bottom {
                break;
            }
            for line in math::tui::lines(block, |r| theme.role(r)) {
                c.line(0, y, &line);
                y += 1;
            }
            y += gap;
        }
    }
}

impl TwoLayerApp {
    /// The autograd graph view (`G`): the batch's tape drawn as the lesson's model's is, under
    /// the header line and above the keys.
    fn graph(&self, graph: &Layers, area: Rect, buf: &mut Buffer) {
        let (Some(mlp), Some(walk)) = (graph.mlp(), graph.walk()) else {
            return;
        };
        let lang = self.lang;
        let w = words();
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let cols = usize::from(area.width);
        let hints = wrap(&self.hints(cols.saturating_sub(self.badge_room())), cols);
        let keys = hints.len().min(1);
        {
            let mut c = Canvas::new(buf, area);
            let rows = c.height();
            for (k, line) in hints.iter().take(keys).enumerate() {
                c.text(0, rows - keys + k, line, self.theme.frame());
            }
            self.draw_badge(&mut c, rows - 1);
        }
        let what = if graph.at_update() {
            w.word("graph_update", lang, &[])
        } else if walk.backward {
            S::GraphVisits.get(lang).to_string()
        } else {
            S::GraphComputes.get(lang).to_string()
        };
        let pos = self.session.update().pos;
        let scene = Scene {
            tape: &mlp.tape,
            root: mlp.loss,
            walk,
            typeset: &[],
            roles: layer_roles(mlp),
            what: glyphs.text(&what).into_owned(),
            place: (pos.epoch, pos.batch),
            // Under `mean` the gradient reaching ŷ is δ/N, which the two formulas above leave out.
            links: ["graph_second", "graph_first", "graph_mean"]
                .iter()
                .filter(|k| {
                    **k != "graph_mean"
                        || self.session.update().hyper.objective == crate::engine::Objective::Mean
                })
                .map(|k| glyphs.text(&w.word(k, lang, &[])).into_owned())
                .collect(),
            legend: false,
            grids: true,
            lang,
            theme: self.theme,
            glyphs: &glyphs,
            precision: self.precision,
        };
        let body = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1 + keys as u16),
            ..area
        };
        draw(&scene, body, buf);
    }

    /// Ends the last line of a cut text with "… M read on", as the linear narrative does: after
    /// it where it fits, in its place where it does not.
    fn mark_cut(&self, said: &mut [(String, Style)], cols: usize) {
        let Some(key) = keys::key_for(crate::ui::app::Message::ReadOn) else {
            return;
        };
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let ellipsis = if self.ambiguous_wide { "..." } else { "…" };
        let mark = format!(
            "{ellipsis} {} {}",
            key.label(&glyphs),
            S::HintReadOn.get(self.lang)
        );
        if let Some((last, _)) = said.last_mut() {
            *last = if width(last) + 1 + width(&mark) <= cols {
                format!("{last} {mark}")
            } else {
                mark
            };
        }
    }

    /// The key table's hints for the keys that act on two layers, then the go-to prompt's key,
    /// the least needed left out until they fit `cols` (never the quit hint).
    pub(super) fn hints(&self, cols: usize) -> String {
        let glyphs = crate::ui::glyphs::Glyphs::new(self.ambiguous_wide);
        // Inspecting, the arrows move the cursor: their hints come first.
        let mode = if self.inspecting {
            Mode::Inspect
        } else {
            Mode::Normal
        };
        let mut parts: Vec<(keys::Need, String)> = keys::active(mode)
            // A cut text names its key where it is cut.
            .filter(|b| b.message != crate::ui::app::Message::ReadOn)
            .filter(|b| keys::worth_a_hint(b, self.offer()))
            .filter_map(|b| {
                let hint = b.hint?;
                let key = keys::reachable(mode, b).next()?.label(&glyphs);
                Some((hint.need, format!("{key} {}", hint.text.get(self.lang))))
            })
            .collect();
        // Less needed than any key's own hint: the help lists it too.
        parts.push((
            keys::Need::Rank(u8::MAX),
            words().word("goto_hint", self.lang, &[]),
        ));
        crate::ui::status::fit_hints(&mut parts, cols, |t| crate::ui::canvas::width(t));
        let parts: Vec<String> = parts.into_iter().map(|(_, t)| t).collect();
        parts.join("  ")
    }

    /// Columns the badge takes at the right of the key hints, with its gap.
    pub(super) fn badge_room(&self) -> usize {
        self.badge.as_deref().map_or(0, |b| width(b) + 2)
    }

    /// The host's badge at the right of row `y`, reversed (visible without colour).
    pub(super) fn draw_badge(&self, c: &mut Canvas<'_>, y: usize) {
        if let Some(b) = &self.badge
            && width(b) < c.width()
        {
            c.text(c.width() - width(b), y, b, self.theme.badge());
        }
    }

    /// The matrices the step's equations read and write, side by side while they fit.
    fn panel(&self, c: &mut Canvas<'_>, theme: &Theme, top: usize, height: usize, cols: usize) {
        let mut panels: Vec<Panel> = Vec::new();
        for v in self.shown.iter().flat_map(|e| e.values()) {
            let at = match panels.iter().position(|p| p.q == v.cell.q) {
                Some(k) => k,
                None => {
                    panels.push(Panel {
                        q: v.cell.q,
                        cells: BTreeMap::new(),
                        touched: Default::default(),
                        hidden: Default::default(),
                    });
                    panels.len() - 1
                }
            };
            panels[at].touched.insert((v.cell.row, v.cell.col));
            if v.hidden {
                panels[at].hidden.insert((v.cell.row, v.cell.col));
            }
            let cell = panels[at]
                .cells
                .entry((v.cell.row, v.cell.col))
                .or_insert((v.value, v.output));
            // A cell both read and written (a running sum) shows what the step leaves.
            if v.output {
                *cell = (v.value, true);
            }
        }
        // The cursor's matrix and cell are in view, whatever the step shows.
        if let Some((q, r, col)) = self.inspected() {
            if !panels.iter().any(|p| p.q == q) {
                panels.push(Panel {
                    q,
                    cells: BTreeMap::new(),
                    touched: Default::default(),
                    hidden: Default::default(),
                });
            }
            let known = self.known.get(&q).and_then(|m| m.get(&(r, col)));
            if let (Some(panel), Some(&v)) = (panels.iter_mut().find(|p| p.q == q), known) {
                panel.cells.entry((r, col)).or_insert((v, false));
            }
        }
        // With room, each matrix whole as far as it is known, the step's cells marked.
        if height >= 12 {
            for panel in &mut panels {
                for (&at, &value) in self.known.get(&panel.q).into_iter().flatten() {
                    panel.cells.entry(at).or_insert((value, false));
                }
            }
        }
        c.text(0, top, &"─".repeat(cols), theme.frame());
        let glyphs = crate::ui::glyphs::Glyphs::new(self.ambiguous_wide);
        let p = self.precision;
        // The room below the rule, less a line for the note of what did not fit.
        let bottom = top + height.saturating_sub(1);
        // Each matrix's size: only the rows known (or, at 80×24, touched), cells as wide as
        // their widest number (0.00056 at 3 decimals is wider than 0.500).
        let sizes: Vec<(usize, usize, usize)> = panels
            .iter()
            .map(|panel| {
                let rows = panel
                    .cells
                    .keys()
                    .map(|k| k.0)
                    .collect::<std::collections::BTreeSet<_>>();
                let ncols = panel.cells.keys().map(|k| k.1 + 1).max().unwrap_or(0);
                let name = crate::ui::matrices::name(panel.q, self.lang, &glyphs);
                let cell_w = panel
                    .cells
                    .values()
                    .map(|&(v, _)| width(&crate::number::written(v, p).plain()) + 1)
                    .max()
                    .unwrap_or(0)
                    .max(p + 4);
                let w = (ncols * (cell_w + 1)).max(width(&name) + 1) + 1;
                (w, rows.len().min(6) + 1, cell_w)
            })
            .collect();
        // Left to right in bands; what does not fit is left out.
        let place = |order: &[usize]| {
            let mut at = vec![None; panels.len()];
            let (mut x, mut y, mut band) = (0, top + 1, 0);
            for &k in order {
                let (w, tall, _) = sizes[k];
                if x + w > cols {
                    x = 0;
                    y += band;
                    band = 0;
                }
                if x + w > cols || y + tall > bottom {
                    continue;
                }
                at[k] = Some((x, y));
                x += w;
                band = band.max(tall);
            }
            at
        };
        let natural: Vec<usize> = (0..panels.len()).collect();
        let mut at = place(&natural);
        if at.iter().any(Option::is_none) {
            // Not all fit: what the step writes goes first, then what it reads; inspecting,
            // the cursor's matrix and those its cell is computed from.
            let written = |k: &usize| match self.inspected() {
                Some((q, ..)) => panels[*k].q == q || self.sourced(panels[*k].q, None),
                None => panels[*k].cells.values().any(|v| v.1),
            };
            let (mut first, rest): (Vec<usize>, Vec<usize>) =
                natural.iter().copied().partition(written);
            first.extend(rest);
            at = place(&first);
        }
        let left_out = at.iter().filter(|a| a.is_none()).count();
        for (k, panel) in panels.iter().enumerate() {
            let Some((x, y)) = at[k] else { continue };
            let (_, tall, cell_w) = sizes[k];
            let mut shown_rows: Vec<usize> = panel.cells.keys().map(|k| k.0).collect();
            shown_rows.dedup();
            let ncols = panel.cells.keys().map(|k| k.1 + 1).max().unwrap_or(0);
            let written = panel.cells.values().any(|v| v.1);
            let touched = &panel.touched;
            let name = crate::ui::matrices::name(panel.q, self.lang, &glyphs);
            let role = panel.q.role();
            let mark = match self.inspected() {
                Some((q, ..)) if q == panel.q => Mark::Written,
                Some(_) if self.sourced(panel.q, None) => Mark::Read,
                Some(_) => Mark::Plain,
                None if written => Mark::Written,
                None => Mark::Read,
            };
            c.text(x, y, &name, theme.label(role, mark));
            let room = tall - 1;
            for (k, &r) in shown_rows.iter().enumerate().take(room) {
                let elided = k + 1 == room && shown_rows.len() > room;
                for col in 0..ncols {
                    let cx = x + col * (cell_w + 1);
                    match panel.cells.get(&(r, col)) {
                        _ if elided => {
                            c.text(cx + cell_w - 1, y + 1 + k, "⋮", theme.frame());
                        }
                        Some(&(v, out)) => {
                            let text = if panel.hidden.contains(&(r, col)) {
                                "?".to_string()
                            } else {
                                crate::number::written(v, p).plain()
                            };
                            // Inspecting, the cursor's cell and those it is computed from.
                            let m = match self.inspected() {
                                Some(cur) if cur == (panel.q, r, col) => Mark::Written,
                                Some(_) if self.sourced(panel.q, Some((r, col))) => Mark::Read,
                                Some(_) => Mark::Plain,
                                None if out => Mark::Written,
                                None if touched.contains(&(r, col)) => Mark::Read,
                                None => Mark::Plain,
                            };
                            let pad = cell_w.saturating_sub(width(&text));
                            c.text(cx + pad, y + 1 + k, &text, theme.cell(role, m));
                        }
                        None => {
                            c.text(cx + cell_w - 1, y + 1 + k, "·", theme.frame());
                        }
                    }
                }
            }
        }
        if left_out > 0 {
            let note = words().word("more", self.lang, &[("n", left_out.to_string())]);
            c.text(0, top + height - 1, &note, theme.frame());
        }
    }

    /// Whether the inspected cell is computed from `q` (at `at`, or anywhere in it).
    fn sourced(&self, q: crate::worked::Quantity, at: Option<(usize, usize)>) -> bool {
        self.explained.as_ref().is_some_and(|e| {
            e.sources.iter().any(|&(s, r, c)| {
                s == q && at.is_none_or(|(ar, ac)| r == Some(ar) && c == Some(ac))
            })
        })
    }
}
