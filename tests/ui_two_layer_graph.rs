//! `G` in the two-layer explainer: the preset's first batch on the autograd graph, its numbers
//! against a hand computation, and snapshots of the view at both sizes in both languages.

mod ui_common;

use gradstep::engine::mlp_session::MlpStep;
use gradstep::engine::step::Granularity;
use gradstep::engine::{Activation, Objective};
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;

/// The two-layer preset (ReLU, H = 3, batches of 3 in file order) with the graph shown and the
/// steps by whole matrices.
fn app(lang: Lang) -> TwoLayerApp {
    app_minimising(lang, Objective::Sum)
}

fn app_minimising(lang: Lang, objective: Objective) -> TwoLayerApp {
    let mut app = ui_common::two_layer_preset(Activation::Relu, objective, lang);
    app.update(Message::ToggleGranularity);
    app.update(Message::ToggleGraph);
    assert_eq!(app.session().granularity(), Granularity::Matrix);
    app
}

fn screen(app: &TwoLayerApp, width: u16, height: u16) -> String {
    ui_common::drawn(app, width, height)
}

fn to(app: &mut TwoLayerApp, target: MlpStep) {
    ui_common::two_layer_to(app, target, 40);
}

// The first batch by hand: x = [0, 1, −1], y = [0.1, 0.9, 1.1], W₁ = [1, −0.5, 0.5],
// b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ, b₂ = 0.
//   Z = xW₁ + b₁: x=0 → [0, 0.5, −0.5]; x=1 → [1, 0, 0]; x=−1 → [−1, 1, −1].
//   H = relu(Z) = [[0, 0.5, 0], [1, 0, 0], [0, 1, 0]].
//   ŷ = HW₂: [−0.25, 0.5, −0.5]; δ = ŷ − y = [−0.35, −0.4, −1.6].
//   L = ½(0.1225 + 0.16 + 2.56) = 1.42125.
//   δW₂ᵀ rows: −0.35·[0.5, −0.5, 0.5] = [−0.175, 0.175, −0.175], [−0.2, 0.2, −0.2], [−0.8, 0.8, −0.8];
//   σ′(Z) = [z > 0] (0 at z = 0 exactly, as PyTorch): [[0,1,0],[1,0,0],[0,1,0]], so
//   δ₁ = ∂L/∂Z = [[0, 0.175, 0], [−0.2, 0, 0], [0, 0.8, 0]].
//   ∂L/∂W₂ = Hᵀδ = [0.5·(−0.35)·0 + 1·(−0.4) + 0, 0.5·(−0.35) + 1·(−1.6), 0] = [−0.4, −1.775, 0];
//   ∂L/∂b₂ = Σδ = −2.35.
//   ∂L/∂W₁ = xᵀδ₁ = 0·row1 + 1·row2 − 1·row3 = [−0.2, −0.8, 0]; ∂L/∂b₁ = Σδ₁ = [−0.2, 0.975, 0].
#[test]
fn the_first_batch_on_the_graph_is_the_hand_computation() {
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::Errors);
    let s = screen(&app, 120, 40);
    assert!(s.contains("l.sum()          1.421"), "L = 1.42125:\n{s}");
    assert!(
        s.contains("[-0.350]   [-0.350]"),
        "δ arrives at SubBackward0:\n{s}"
    );
    assert!(s.contains("[-1.600]   [-1.600]"), "{s}");

    to(&mut app, MlpStep::Grads { layer: 2 });
    let s = screen(&app, 120, 40);
    assert!(s.contains("[ 0.500]   [-0.400]"), "W₂ and ∂L/∂W₂:\n{s}");
    assert!(s.contains("[-0.500]   [-1.775]"), "{s}");
    assert!(s.contains("[ 0.500]   [ 0.000]"), "{s}");
    assert!(
        s.contains("0.000                -2.350"),
        "b₂ and ∂L/∂b₂:\n{s}"
    );

    to(&mut app, MlpStep::SendBackAll);
    let s = screen(&app, 80, 24);
    assert!(s.contains("▶ AddBackward0  Z = X @ W₁ + b₁"), "{s}");
    assert!(
        s.contains("[ 0.000  0.500 -0.500]   [ 0.000  0.175  0.000]"),
        "Z, δ₁:\n{s}"
    );
    assert!(
        s.contains("[ 1.000  0.000  0.000]   [-0.200  0.000  0.000]"),
        "{s}"
    );
    assert!(
        s.contains("[-1.000  1.000 -1.000]   [ 0.000  0.800  0.000]"),
        "{s}"
    );

    to(&mut app, MlpStep::Grads { layer: 1 });
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("[ 1.000 -0.500  0.500]   [-0.200 -0.800  0.000]"),
        "W₁, ∂L/∂W₁:\n{s}"
    );
    assert!(
        s.contains("[ 0.000  0.500 -0.500]   [-0.200  0.975  0.000]"),
        "b₁, ∂L/∂b₁:\n{s}"
    );
}

// Under `mean`, l.mean() sends δ/N to ŷ: ∂L/∂b₂ = Σδ/3 = −2.35/3 = −0.7833 → −0.783, and
// L = 1.42125/3 = 0.47375 → 0.474. The sum run above prints neither, nor the sentence.
#[test]
fn the_mean_run_says_every_gradient_is_divided_by_n() {
    let mut mean = app_minimising(Lang::En, Objective::Mean);
    to(&mut mean, MlpStep::Grads { layer: 2 });
    let s = screen(&mean, 120, 40);
    assert!(s.contains("l.mean()         0.474"), "L = 1.42125/3:\n{s}");
    assert!(s.contains("-0.783"), "∂L/∂b₂ = −2.35/3:\n{s}");
    assert!(s.contains("divided by N"), "{s}");

    let mut sum = app(Lang::En);
    to(&mut sum, MlpStep::Grads { layer: 2 });
    let s = screen(&sum, 120, 40);
    assert!(!s.contains("divided by N"), "{s}");
    assert!(!s.contains("-0.783"), "{s}");
}

#[test]
fn g_shows_and_hides_the_graph_without_a_notice() {
    let mut app = app(Lang::En);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Autograd graph"), "{s}");
    assert!(!s.contains("does not apply"), "{s}");
    app.update(Message::ToggleGraph);
    assert!(!screen(&app, 80, 24).contains("Autograd graph"));
}

#[test]
fn snapshots_of_the_send_back_step() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(lang);
        to(&mut app, MlpStep::SendBackAll);
        for (w, h) in [(80, 24), (120, 40)] {
            let name = format!("graph_send_back_{w}x{h}_{lang:?}").to_lowercase();
            insta::assert_snapshot!(name, screen(&app, w, h));
        }
    }
}
