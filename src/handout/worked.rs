//! Part 2 of the handout: the batch's numbers, stage by stage, each under the lesson's title for
//! that step and with its line of PyTorch. The equations are the screen's own worked equations
//! ([`crate::worked`]), printed as LaTeX at the handout's precision.

use crate::engine::tape::{Recorded, walk};
use crate::engine::{Batch, Session, Step};
use crate::lesson::Lesson;
use crate::number;
use crate::worked::{Equation, HANDOUT, latex, steps};

use super::words::{Words, fill};
use super::{Doc, HandoutOptions, escape};

/// Features shown in full in a vector; more are elided (see [`HANDOUT`]).
const MAX_COLS: usize = HANDOUT.cols.max;

pub(super) fn batch(
    out: &mut Doc,
    lesson: &Lesson,
    session: &Session,
    opts: &HandoutOptions,
    w: &Words,
) {
    let b = session.batch();
    let p = opts.precision;
    let (n, d) = (b.rows(), b.x.ncols());
    out.para(&fill(w.worked_intro, &[("n", &n), ("d", &d)]));
    if n > HANDOUT.rows.max {
        out.para(&fill(
            w.elided_rows,
            &[
                ("n", &n),
                ("head", &HANDOUT.rows.head),
                ("tail", &HANDOUT.rows.tail),
            ],
        ));
    }
    if d > MAX_COLS {
        out.para(&fill(
            w.elided_cols,
            &[
                ("d", &d),
                ("head", &HANDOUT.cols.head),
                ("tail", &HANDOUT.cols.tail),
            ],
        ));
    }
    let recorded = Recorded::of(b.hyper.objective);
    let stage = |out: &mut Doc, step: Step| {
        let text = lesson.step(step);
        out.heading(3, text.title.get(opts.lang));
        out.para(&super::words::narrative_for(
            lesson, step, recorded, opts.lang,
        ));
        out.code("python", text.code_for(recorded));
    };
    let display = |out: &mut Doc, eqs: &[Equation]| {
        for eq in eqs {
            out.display(&latex::latex(eq, HANDOUT));
        }
    };
    let mut approx = false;
    let mut worked_out = |out: &mut Doc, step: Step| {
        let eqs = steps::equations(step, b, p, opts.lang);
        approx |= eqs.iter().any(|e| e.approx);
        display(out, &eqs);
    };

    // The stages come from the tape's walk; each writes its numbers its own way.
    for step in walk::stages(b.epoch_loss.is_some()) {
        stage(out, step);
        match step {
            Step::Draw => {
                out.para(w.draw);
                let data = steps::data(b, p);
                let joined: Vec<String> = data.iter().map(|e| latex::latex(e, HANDOUT)).collect();
                out.display(&joined.join(r", \quad "));
            }
            Step::Accumulate { .. } => {
                out.para(w.contributions);
                display(out, &[steps::contributions(b, p)]);
                samples_table(out, b, p, w);
            }
            Step::GradW => {
                if recorded.is_mean() {
                    out.para(&fill(w.mean_gradient, &[("n", &n)]));
                }
                worked_out(out, step);
            }
            Step::Update => {
                out.para(&fill(update_note(b, w), &[("divisor", &b.divisor())]));
                worked_out(out, step);
                if d > MAX_COLS {
                    features_table(out, session, p, w);
                }
            }
            Step::EpochSummary => {
                let rows = session.data().n();
                out.para(&fill(w.epoch_end, &[("epoch", &b.epoch), ("rows", &rows)]));
                worked_out(out, step);
            }
            // Never a stage of its own: the per-sample forward steps are in the Forward stage.
            Step::ForwardSample { .. } => {}
            Step::Forward | Step::Loss | Step::Errors | Step::GradB => worked_out(out, step),
        }
    }
    if approx {
        out.para(w.approx);
    }
}

/// What the update divides by, in words.
fn update_note(b: &Batch, w: &Words) -> &'static str {
    use crate::engine::DivideBy;
    if b.divisor() == 1.0 {
        w.no_division
    } else if b.hyper.divide_by == DivideBy::Nominal {
        w.divides_by_nominal
    } else {
        w.divides_by_rows
    }
}

/// A number in a table cell, by the same rules as everywhere.
fn cell(v: f64, p: usize) -> String {
    format!("${}$", number::written(v, p).latex())
}

fn samples_table(out: &mut Doc, b: &Batch, p: usize, w: &Words) {
    let rows: Vec<Vec<String>> = (0..b.rows())
        .map(|i| {
            let contributions = steps::contribution_row(b, i, p);
            vec![
                (i + 1).to_string(),
                // Counted from 1, as the draw step's list and the screen count rows.
                (b.indices[i] + 1).to_string(),
                cell(b.y_hat[i], p),
                cell(b.y[i], p),
                cell(b.delta[i], p),
                cell(b.losses[i], p),
                format!("${}$", latex::member(&contributions, 1, HANDOUT)),
            ]
        })
        .collect();
    out.table(
        &[
            w.sample,
            w.data_row,
            r"$\hat{y}^{(i)}$",
            r"$y^{(i)}$",
            r"$\delta^{(i)}$",
            r"$l^{(i)}$",
            r"$\delta^{(i)} x^{(i)T}$",
        ],
        &rows,
    );
}

fn features_table(out: &mut Doc, session: &Session, p: usize, w: &Words) {
    let b = session.batch();
    let names = &session.data().feature_names;
    let rows: Vec<Vec<String>> = (0..b.w.len())
        .map(|j| {
            vec![
                (j + 1).to_string(),
                names.get(j).map_or_else(String::new, |n| escape(n)),
                cell(b.w[j], p),
                cell(b.grad_w[j], p),
                cell(b.w_next[j], p),
            ]
        })
        .collect();
    out.para(w.feature_table);
    out.table(
        &[
            "$j$",
            w.feature,
            "$w_j$",
            r"$\partial L / \partial w_j$",
            w.after_update,
        ],
        &rows,
    );
}
