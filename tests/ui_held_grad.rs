//! `.grad` held without `zero_()` (`--keep-grad`, or `z`), shown as what it is in both models:
//! at the update step `w.grad` (`W₁.grad` …) has cells of its own, summed by their own equation
//! from what `.grad` held before the batch and this batch's gradient, while ∂L/∂w stays this
//! batch's gradient at every step. Checked on each preset's second batch against the gradients
//! worked by hand (tiny) or by a run that zeroes `.grad` (two layers).

mod ui_common;
use gradstep::worked::{Part, Symbol};
use ui_common::common;

use std::collections::BTreeMap;

use common::close;
use gradstep::engine::mlp::MlpParams;
use gradstep::engine::mlp_session::{MlpSession, MlpStep};
use gradstep::engine::{Hyper, Session, Step};
use gradstep::lesson::Lang;
use gradstep::preset::Preset;
use gradstep::ui::two_layer::TwoLayerApp;
use gradstep::ui::{App, Message, Teach};
use gradstep::worked::ledger::{self, Ledger};
use gradstep::worked::{Equation, Quantity};

/// The tiny preset as `--preset tiny --keep-grad` runs it.
fn tiny_keeping_grad() -> Session {
    let tiny = common::preset_session(Preset::Tiny);
    let hyper = Hyper {
        zero_grad: false,
        ..tiny.batch().hyper.clone()
    };
    let init = gradstep::engine::Params {
        w: tiny.batch().w.clone(),
        b: tiny.batch().b,
    };
    Session::new(tiny.data().clone(), hyper, init).unwrap_or_else(|e| panic!("{e}"))
}

/// What the linear panel holds at the current step: the known cells of every matrix, read off
/// the batch's ledgers as the panel reads them.
fn known(app: &App) -> ledger::Known {
    let s = app.session();
    let (steps, now) = s.steps();
    let ledgers: Vec<Ledger> = steps.iter().map(|&st| Ledger::of(st, s.batch())).collect();
    ledger::known(&ledgers, now)
}

/// The column of `q` in `known`, top to bottom.
fn column(known: &ledger::Known, q: Quantity) -> Vec<f64> {
    known
        .get(&q)
        .unwrap_or_else(|| panic!("{q:?} is not known"))
        .values()
        .copied()
        .collect()
}

fn assert_all_close(what: &str, got: &[f64], expected: &[f64]) {
    assert_eq!(got.len(), expected.len(), "{what}: {got:?} vs {expected:?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(close(*g, *e, 1e-12), "{what}: {got:?} vs {expected:?}");
    }
}

/// The outputs of `q` in the step's worked equations, by (row, column).
fn outputs(eqs: &[Equation], q: Quantity) -> BTreeMap<(usize, usize), f64> {
    eqs.iter()
        .flat_map(|e| e.results())
        .filter(|v| v.cell.q == q && v.output)
        .map(|v| ((v.cell.row, v.cell.col), v.value))
        .collect()
}

/// The panel's matrices, below the linear explainer's derivation and narrative.
fn linear_panel(app: &App, w: u16, h: u16) -> String {
    let p = ui_common::panels(app, w, h);
    ui_common::region(&ui_common::render(app, w, h), p.matrices)
}

// Tiny, y = 2x₁ − x₂ + 1, batches of 3 in file order, lr 0.1, w = 0, b = 0 to start.
// Batch 1: rows (1,2), (2,0), (0,1), y = 1, 5, 0; ŷ = 0, δ = −y = (−1, −5, 0):
//   ∂L/∂w = Xᵀδ = (1·−1 + 2·−5 + 0·0, 2·−1 + 0·−5 + 1·0) = (−11, −2), ∂L/∂b = −6;
//   w = 0 − 0.1/3·(−11, −2) = (11/30, 2/30), b = 0.6/3 = 0.2.
// Batch 2: rows (3,1), (1,1), (2,3), y = 6, 2, 2; ŷ = (41/30, 19/30, 34/30),
//   δ = (−139/30, −41/30, −26/30):
//   ∂L/∂w = ((−417 − 41 − 52)/30, (−139 − 41 − 78)/30) = (−17, −8.6), ∂L/∂b = −206/30;
//   w.grad = (−11 − 17, −2 − 8.6) = (−28, −10.6), b.grad = −6 − 206/30 = −386/30;
//   new w = (11/30 + 0.1/3·28, 2/30 + 0.1/3·10.6) = (1.3, 0.42), new b = 0.2 + 0.1/3·386/30.
const BATCH_1_W: [f64; 2] = [-11.0, -2.0];
const BATCH_1_B: f64 = -6.0;
const BATCH_2_W: [f64; 2] = [-17.0, -8.6];
const BATCH_2_B: f64 = -206.0 / 30.0;

#[test]
fn linear_w_grad_is_batch_ones_gradient_plus_batch_twos_and_the_update_reads_it() {
    let mut app = ui_common::app_with(tiny_keeping_grad(), Lang::En, false, false);
    app.update(Message::NextBatch);
    assert_eq!(app.session().batch().global, 1, "batch 2");

    // The gradient steps: ∂L/∂w and ∂L/∂b are this batch's own.
    ui_common::to(&mut app, Step::GradB);
    let k = known(&app);
    assert_all_close(
        "∂L/∂w at its step",
        &column(&k, Quantity::Of(Symbol::W, Part::Grad)),
        &BATCH_2_W,
    );
    assert_all_close(
        "∂L/∂b at its step",
        &column(&k, Quantity::Of(Symbol::B, Part::Grad)),
        &[BATCH_2_B],
    );
    assert!(
        !k.contains_key(&Quantity::Of(Symbol::W, Part::Held)),
        "no w.grad yet"
    );
    // The panel places w.grad in a run that keeps it, not yet summed: no number of its own.
    let panel = linear_panel(&app, 120, 40);
    assert!(
        panel.contains("w.grad") && !panel.contains("-28.000"),
        "{panel}"
    );

    ui_common::to(&mut app, Step::Update);
    let k = known(&app);
    let held_w = [BATCH_1_W[0] + BATCH_2_W[0], BATCH_1_W[1] + BATCH_2_W[1]];
    let held_b = BATCH_1_B + BATCH_2_B;
    assert_all_close(
        "w.grad",
        &column(&k, Quantity::Of(Symbol::W, Part::Held)),
        &held_w,
    );
    assert_all_close(
        "b.grad",
        &column(&k, Quantity::Of(Symbol::B, Part::Held)),
        &[held_b],
    );
    // ∂L/∂w is still this batch's at the update.
    assert_all_close(
        "∂L/∂w at the update",
        &column(&k, Quantity::Of(Symbol::W, Part::Grad)),
        &BATCH_2_W,
    );
    // The update with the held sums: w − lr/N · w.grad.
    let new_w = [
        11.0 / 30.0 + 0.1 / 3.0 * 28.0,
        2.0 / 30.0 + 0.1 / 3.0 * 10.6,
    ];
    assert_all_close(
        "new w",
        &column(&k, Quantity::Of(Symbol::W, Part::New)),
        &new_w,
    );
    assert_all_close("new w by hand", &new_w, &[1.3, 0.42]);
    let new_b = 0.2 - 0.1 / 3.0 * held_b;
    assert_all_close(
        "new b",
        &column(&k, Quantity::Of(Symbol::B, Part::New)),
        &[new_b],
    );

    // The update's equations: w.grad summed from batch 1's and batch 2's, then read.
    let eqs = app.worked();
    let summed = eqs
        .iter()
        .find(|e| {
            e.results()
                .iter()
                .any(|v| v.cell.q == Quantity::Of(Symbol::W, Part::Held))
        })
        .expect("an equation sums w.grad");
    let operands: Vec<(Quantity, f64)> = summed
        .values()
        .iter()
        .filter(|v| !v.output)
        .map(|v| (v.cell.q, v.value))
        .collect();
    let held = Quantity::Of(Symbol::W, Part::Held);
    let expected = [
        (held, BATCH_1_W[0]),
        (held, BATCH_1_W[1]),
        (Quantity::Of(Symbol::W, Part::Grad), BATCH_2_W[0]),
        (Quantity::Of(Symbol::W, Part::Grad), BATCH_2_W[1]),
    ];
    assert_eq!(operands.len(), expected.len(), "{operands:?}");
    for ((q, v), (eq, ev)) in operands.iter().zip(&expected) {
        assert!(q == eq && close(*v, *ev, 1e-12), "{operands:?}");
    }
    let reads_held = eqs.iter().any(|e| {
        e.results()
            .iter()
            .any(|v| v.cell.q == Quantity::Of(Symbol::W, Part::New))
            && e.values()
                .iter()
                .any(|v| v.cell.q == held && !v.output && close(v.value, held_w[0], 1e-12))
    });
    assert!(reads_held, "the update of w reads w.grad");

    // The panel says `.grad` and shows the sums, ∂L/∂w this batch's.
    for (w, h) in [(80, 24), (120, 40)] {
        let panel = linear_panel(&app, w, h);
        for text in [
            "w.grad", "b.grad", "-28.000", "-10.600", "-12.867", "-17.000",
        ] {
            assert!(panel.contains(text), "{w}x{h}: {text} in\n{panel}");
        }
    }

    // Inspect starts on the first number the step writes, w.grad₁, and explains that number.
    app.update(Message::Teach(Teach::ToggleInspect));
    assert_eq!(app.inspected(), Some((held, 0, 0)));
    let e = app.explanation().expect("an explanation");
    let shown: Vec<f64> = e
        .lines
        .iter()
        .flat_map(|l| l.values())
        .map(|v| v.value)
        .collect();
    assert_all_close("w.grad₁ explained", &shown, &[-11.0, -17.0, -28.0]);
}

/// The two-layer preset explainer, keeping `.grad` (`z`) or not.
fn two_layer(keep: bool) -> TwoLayerApp {
    let (data, hyper, model) = common::two_layer_preset();
    let session = MlpSession::new(data, hyper, model).unwrap_or_else(|e| panic!("{e}"));
    let mut app = TwoLayerApp::new(session, Lang::En, false, false);
    if keep {
        app.update(Message::ToggleKeepGrad);
    }
    app
}

/// Every entry of the four parameters, in one order.
fn flat(p: &MlpParams) -> Vec<f64> {
    p.w1.iter()
        .chain(p.b1.iter())
        .chain(p.w2.iter())
        .chain([&p.b2])
        .copied()
        .collect()
}

/// The outputs of the four gradients (or held `.grad`s, `held`) in the step's equations, in
/// the order of [`flat`] (W₁ column-major, as nalgebra stores it).
fn four(eqs: &[Equation], held: bool) -> Vec<f64> {
    let pick = |p: Symbol| if held { p.held() } else { p.grad() };
    let by_column = |q: Quantity| {
        let mut cells: Vec<((usize, usize), f64)> = outputs(eqs, q).into_iter().collect();
        cells.sort_by_key(|&((r, c), _)| (c, r));
        cells.into_iter().map(|(_, v)| v).collect::<Vec<_>>()
    };
    [Symbol::W1, Symbol::B1, Symbol::W2, Symbol::B2]
        .into_iter()
        .flat_map(|p| by_column(pick(p)))
        .collect()
}

#[test]
fn two_layer_w1_grad_is_batch_ones_gradient_plus_batch_twos_and_the_update_reads_it() {
    // Another route to each batch's own gradient: the same run with zero_(), whose batches 1
    // and 2 start from the same parameters (batch 1's update reads zeros + its gradient).
    let mut plain = two_layer(false);
    let g1 = plain.session().batch().grads();
    plain.update(Message::NextBatch);
    let g2 = plain.session().batch().grads();
    let held: Vec<f64> = flat(&g1)
        .iter()
        .zip(flat(&g2))
        .map(|(a, b)| a + b)
        .collect();

    let mut app = two_layer(true);
    app.update(Message::NextBatch);
    assert_eq!(app.session().global(), 1, "batch 2");
    assert_eq!(flat(&app.session().batch().grads()), flat(&g2));
    // Each gradient as its own step leaves it: this batch's, not the held sum.
    let mut fresh: Vec<f64> = Vec::new();
    for _ in 0..40 {
        if app.session().step() == MlpStep::Update {
            break;
        }
        let eqs = app.worked();
        assert!(four(eqs, true).is_empty(), "no .grad before the update");
        if !outputs(eqs, Quantity::Of(Symbol::W1, Part::Grad)).is_empty() {
            fresh = four(eqs, false);
        }
        app.update(Message::NextStep);
    }
    assert_eq!(app.session().step(), MlpStep::Update);
    // The last step that wrote ∂L/∂W₁ wrote ∂L/∂b₁ with it; W₂'s and b₂'s came before.
    let at_grads = flat(&g2);
    let layer1 = g2.w1.len() + g2.b1.len();
    assert_all_close("∂L/∂W₁, ∂L/∂b₁", &fresh[..layer1], &at_grads[..layer1]);

    let eqs = app.worked();
    assert_all_close("the .grads summed", &four(eqs, true), &held);
    // The update reads them: p − lr · p.grad / N.
    let u = app.session().update();
    let n = u.batch.x.nrows() as f64;
    let lr = u.hyper.lr;
    let expected: Vec<f64> = flat(&u.before)
        .iter()
        .zip(&held)
        .map(|(p, g)| p - lr * g / n)
        .collect();
    let after = [
        Quantity::Of(Symbol::W1, Part::New),
        Quantity::Of(Symbol::B1, Part::New),
        Quantity::Of(Symbol::W2, Part::New),
        Quantity::Of(Symbol::B2, Part::New),
    ]
    .into_iter()
    .flat_map(|q| {
        let mut cells: Vec<((usize, usize), f64)> = outputs(eqs, q).into_iter().collect();
        cells.sort_by_key(|&((r, c), _)| (c, r));
        cells.into_iter().map(|(_, v)| v)
    })
    .collect::<Vec<_>>();
    assert_all_close("the update", &after, &expected);
    // ∂L/∂W₁ at the update is still this batch's (read by W₁.grad's sum).
    let read: Vec<f64> = eqs
        .iter()
        .flat_map(|e| e.values())
        .filter(|v| {
            v.cell.q == Quantity::Of(Symbol::W1, Part::Grad) && (v.cell.row, v.cell.col) == (0, 0)
        })
        .map(|v| v.value)
        .collect();
    assert_all_close("∂L/∂W₁[1, 1] at the update", &read, &[g2.w1[(0, 0)]]);

    // The panel labels the held numbers `.grad`, beside this batch's ∂L/∂W₁.
    let screen = ui_common::drawn(&app, 120, 40);
    let panel = screen
        .split_once(&"─".repeat(120))
        .map(|(_, p)| p)
        .expect("a panel below the rule");
    for label in ["W₁.grad", "b₁.grad", "W₂.grad", "b₂.grad", "∂L/∂W₁"] {
        assert!(panel.contains(label), "{label} in\n{panel}");
    }
    let cell = |v: f64| format!("{v:.3}");
    assert!(panel.contains(&cell(held[0])) && panel.contains(&cell(g2.w1[(0, 0)])));

    // Inspect starts on W₁.grad[1, 1] and explains it by its own sum.
    app.update(Message::Teach(Teach::ToggleInspect));
    let e = app.explanation().expect("an explanation");
    let shown: Vec<f64> = e
        .lines
        .iter()
        .flat_map(|l| l.values())
        .map(|v| v.value)
        .collect();
    assert_all_close(
        "W₁.grad[1, 1] explained",
        &shown,
        &[g1.w1[(0, 0)], g2.w1[(0, 0)], held[0]],
    );
}

/// The linear update without zero_() at both sizes in both languages: w.grad and b.grad summed
/// above their updates and in the panel (each equation recomputed from its printed digits in
/// tests/worked_check.rs, whose runs include tiny keep-grad).
#[test]
fn the_linear_update_without_zero_grad_at_both_sizes_in_both_languages() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = ui_common::app_with(tiny_keeping_grad(), lang, false, false);
        app.update(Message::NextBatch);
        ui_common::to(&mut app, Step::Update);
        for (w, h) in [(80, 24), (120, 40)] {
            let s = ui_common::text(&ui_common::render(&app, w, h));
            insta::assert_snapshot!(format!("linear_keep_grad_update_{w}x{h}_{code}"), s);
        }
    }
}

/// The update's words follow the run: without zero_() its PyTorch line has no
/// `param.grad.zero_()` and its text says .grad holds the sum; with it, the lesson's own words.
#[test]
fn the_linear_update_says_what_a_run_without_zero_grad_does() {
    let words = |session: Session| {
        let mut app = ui_common::app_with(session, Lang::En, false, false);
        app.update(Message::NextBatch);
        ui_common::to(&mut app, Step::Update);
        // The narrative wraps: read it as one line of words.
        let s = ui_common::text(&ui_common::render(&app, 120, 40));
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let kept = words(tiny_keeping_grad());
    assert!(
        kept.contains(">>> param -= lr * param.grad / batch_size"),
        "{kept}"
    );
    assert!(!kept.contains("zero_() clears"), "{kept}");
    assert!(!kept.contains("param.grad.zero_()"), "{kept}");
    assert!(kept.contains("the step reads that sum"), "{kept}");
    let zeroed = words(common::preset_session(Preset::Tiny));
    assert!(
        zeroed.contains(">>> param -= lr * param.grad / batch_size; param.grad.zero_()"),
        "{zeroed}"
    );
    assert!(
        zeroed.contains("param.grad.zero_() clears the gradients"),
        "{zeroed}"
    );
}
