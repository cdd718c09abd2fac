//! A Markdown handout of one mini-batch: the run's settings, the lesson's derivation, then every
//! number of the batch in the same formulas. Math is `$…$` and `$$…$$` LaTeX, so it renders
//! with KaTeX or MathJax and converts with pandoc.

mod two_layer;
mod two_layer_words;
mod words;
mod worked;
mod write;

pub use two_layer::{
    TwoLayerBatch, render as render_two_layer, render_stop as render_two_layer_stop,
};
pub use words::{narrative, narrative_for, render_stop, shown_name};
pub use write::{HandoutError, output_file, write_atomically, write_private};

use crate::engine::tape::Recorded;
use crate::engine::{DivideBy, Objective, Session};
use crate::lesson::{Lang, Lesson};

use words::{Words, fill};

/// How to write a handout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoutOptions {
    /// Language of the headings and prose; formulas are the same in both.
    pub lang: Lang,
    /// Decimal places of every computed number (as `format!("{:.*}", precision, v)`).
    pub precision: usize,
    /// Where the data came from, in words, e.g. "synthetic d2l data, 1000 rows".
    pub source: String,
}

/// The handout for the session's current batch, as Markdown.
pub fn render(lesson: &Lesson, session: &Session, opts: &HandoutOptions) -> String {
    render_with(lesson, session, opts, None)
}

/// The handout, with `lead` (a stop's note, already Markdown) first under the title.
fn render_with(
    lesson: &Lesson,
    session: &Session,
    opts: &HandoutOptions,
    lead: Option<&str>,
) -> String {
    let w = Words::of(opts.lang);
    let k = session.batch().global + 1;
    let mut out = Doc::default();
    out.title(w.title);
    if let Some(lead) = lead {
        out.para(lead);
    }
    out.para(&fill(w.intro, &[("p", &opts.precision)]));
    settings(&mut out, session, opts, w);
    out.heading(2, w.derivation);
    out.para(w.derivation_intro);
    // The formulas as this run's tape computes them: a mean run's L is the mean.
    let recorded = Recorded::of(session.batch().hyper.objective);
    for d in lesson.derivation() {
        if let Some(caption) = words::caption_for(&d.id, recorded, opts.lang) {
            out.para(caption);
        }
        out.display(d.latex_for(recorded));
    }
    out.heading(2, &fill(w.worked, &[("k", &k)]));
    worked::batch(&mut out, lesson, session, opts, w);
    out.finish()
}

fn settings(out: &mut Doc, session: &Session, opts: &HandoutOptions, w: &Words) {
    let hyper = &session.batch().hyper;
    let data = session.data();
    let batch = session.batch();
    let names: Vec<String> = data
        .feature_names
        .iter()
        .map(|n| escape(&shown_name(n)))
        .collect();
    let objective = match (hyper.objective, hyper.divide_by) {
        (Objective::Sum, DivideBy::Actual) => w.sum_actual,
        (Objective::Sum, DivideBy::Nominal) => w.sum_nominal,
        (Objective::Mean, _) => w.mean,
        (Objective::SumNoDiv, _) => w.sum_nodiv,
    };
    let position = fill(
        w.position,
        &[
            ("k", &(batch.global + 1)),
            ("total", &session.total_batches()),
            ("epoch", &batch.epoch),
            ("batch", &batch.batch),
            ("per", &session.batches_in_epoch()),
        ],
    );
    out.heading(2, w.settings);
    out.table(
        &[w.setting, w.value],
        &[
            vec![w.data.into(), escape(&opts.source)],
            vec![
                w.features.into(),
                format!(
                    "{} → {}",
                    names.join(", "),
                    escape(&shown_name(&data.target_name))
                ),
            ],
            vec![w.seed.into(), hyper.seed.to_string()],
            // The shortest round-trip form: a setting is shown as it was given, not rounded.
            vec![w.lr.into(), format!("${}$", hyper.lr)],
            vec![w.batch_size.into(), hyper.batch_size.to_string()],
            vec![w.epochs.into(), hyper.epochs.to_string()],
            vec![
                w.shuffle.into(),
                (if hyper.shuffle { w.yes } else { w.no }).into(),
            ],
            vec![w.objective.into(), objective.into()],
            vec![w.this_batch.into(), position],
        ],
    );
}

/// Characters that could start markup in a table cell: emphasis, code, links, math, HTML,
/// entities, pandoc's citations and sub/superscripts, and the cell separator.
const MARKUP: &str = "\\`*_[]<>|$~^#@&";

/// Text from outside (file names, column names, the source) as literal Markdown: pandoc and
/// CommonMark both read a backslash before ASCII punctuation as that character itself.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if MARKUP.contains(c) {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            // A line break would end a table row or a paragraph.
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The Markdown being written: blocks separated by blank lines.
#[derive(Default)]
struct Doc {
    text: String,
}

impl Doc {
    fn block(&mut self, block: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(block);
        self.text.push('\n');
    }

    /// The title as a YAML metadata block, the first thing in the file: `pandoc -s` makes it the
    /// page's <title> (without one it warns and titles the page "-"), and GitHub shows it as a
    /// table. A double-quoted YAML scalar, because titles hold colons.
    fn title(&mut self, text: &str) {
        let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
        self.block(&format!("---\ntitle: \"{quoted}\"\n---"));
    }

    fn heading(&mut self, level: usize, text: &str) {
        self.block(&format!("{} {text}", "#".repeat(level)));
    }

    fn para(&mut self, text: &str) {
        self.block(text);
    }

    /// Display math on lines of its own: the form GitHub, KaTeX plug-ins and pandoc all read.
    fn display(&mut self, latex: &str) {
        self.block(&format!("$$\n{latex}\n$$"));
    }

    /// A fenced block with a fence longer than any run of backticks inside.
    fn code(&mut self, lang: &str, code: &str) {
        let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.block(&format!("{fence}{lang}\n{code}\n{fence}"));
    }

    /// A pipe table; cells must not hold line breaks or unescaped `|`.
    fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let line = |cells: &mut dyn Iterator<Item = &str>| {
            let cells: Vec<&str> = cells.collect();
            format!("| {} |", cells.join(" | "))
        };
        let mut lines = vec![
            line(&mut header.iter().copied()),
            line(&mut header.iter().map(|_| "---")),
        ];
        lines.extend(rows.iter().map(|r| line(&mut r.iter().map(String::as_str))));
        self.block(&lines.join("\n"));
    }

    fn finish(self) -> String {
        self.text
    }
}
