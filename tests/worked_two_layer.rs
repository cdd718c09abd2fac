//! Two layers' worked equations: every equation of every step of the two-layer preset's first
//! batches holds at its printed digits, for each activation, in both languages; and the first
//! batch's numbers, worked by hand, are those the steps show.

mod common;

use gradstep::engine::mlp::{Activation, TwoLayer};
use gradstep::engine::mlp_session::{MlpSession, MlpStep};
use gradstep::engine::step::Granularity;
use gradstep::lesson::Lang;
use gradstep::worked::two_layer::{TwoLayerBatch, equations, relu_at_zero};
use gradstep::worked::{Equation, Expr, HANDOUT, check, latex};

fn session(activation: Activation) -> MlpSession {
    session_with(activation, gradstep::engine::Objective::Sum)
}

fn session_with(activation: Activation, objective: gradstep::engine::Objective) -> MlpSession {
    let (data, preset_hyper, model) = common::two_layer_preset();
    MlpSession::new(
        data,
        gradstep::engine::Hyper {
            objective,
            ..preset_hyper
        },
        TwoLayer {
            activation,
            init: model.init,
        },
    )
    .expect("a valid run")
}

fn shown(s: &MlpSession, step: MlpStep, lang: Lang) -> Vec<Equation> {
    shown_at(s, step, lang, 3)
}

fn shown_at(s: &MlpSession, step: MlpStep, lang: Lang, precision: usize) -> Vec<Equation> {
    let t = TwoLayerBatch {
        update: s.update(),
        next: s.next_params(),
        activation: s.activation(),
    };
    equations(step, t, precision, lang)
}

#[test]
fn every_two_layer_equation_holds_at_its_digits() {
    let mut counted = 0;
    use gradstep::engine::Objective;
    for (activation, objective) in Activation::ALL
        .into_iter()
        .flat_map(|a| [Objective::Sum, Objective::Mean, Objective::SumNoDiv].map(|o| (a, o)))
    {
        for granularity in [Granularity::Sample, Granularity::Matrix] {
            let mut s = session_with(activation, objective);
            if granularity == Granularity::Matrix {
                s.toggle_granularity();
            }
            for _ in 0..3 {
                for &step in s.steps() {
                    // Every precision `>` and `<` reach (0 to 8); both languages at the default.
                    let at = (0..=8).map(|p| (p, Lang::En)).chain([(3, Lang::Zh)]);
                    for (precision, lang) in at {
                        for eq in shown_at(&s, step, lang, precision) {
                            let text = latex::latex(&eq, HANDOUT);
                            assert!(
                                check::consistent(&eq),
                                "{activation:?} {step:?} at {precision}: {text}"
                            );
                            assert!(check::unevaluable(&eq).is_none(), "{step:?}: {text}");
                            for m in &eq.members {
                                if let Expr::Notation(n) = m {
                                    assert!(gradstep::math::parse(n).is_ok(), "{step:?}: {n}");
                                }
                            }
                            counted += 1;
                        }
                    }
                }
                s.next_batch();
            }
        }
    }
    assert!(counted > 500, "{counted}");
}

#[test]
fn the_steps_follow_the_tape() {
    let s = session(Activation::Relu);
    let kinds: Vec<&str> = s.steps().iter().map(|s| s.kind()).collect();
    let mut expected = vec!["draw"];
    expected.extend(["mlp_forward_sample"; 3]);
    expected.extend(["mlp_forward", "loss", "errors"]);
    expected.extend(["mlp_accumulate_2"; 3]);
    expected.push("mlp_grads_2");
    expected.extend(["mlp_send_back"; 3]);
    expected.extend(["mlp_accumulate_1"; 3]);
    expected.extend(["mlp_grads_1", "mlp_update"]);
    assert_eq!(kinds, expected);
}

fn result_text(eq: &Equation) -> String {
    let k = eq.members.len() - 1;
    latex::member(eq, k, HANDOUT)
}

/// The preset's first batch (rows x = 0, 1, −1; y = 0.1, 0.9, 1.1) worked by hand, against what
/// the steps print. W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ, b₂ = 0.
#[test]
fn the_first_batch_by_hand() {
    let s = session(Activation::Relu);
    let eqs = |step| shown(&s, step, Lang::En);
    // Sample 2 (x = 1): z = 1·[1, −0.5, 0.5] + [0, 0.5, −0.5] = [1, 0, 0];
    // h = relu(z) = [1, 0, 0]; ŷ = 1·0.5 + 0·(−0.5) + 0·0.5 + 0 = 0.5.
    let f = eqs(MlpStep::ForwardSample { sample: 1 });
    assert!(
        result_text(&f[0]).contains("1.000 & 0.000 & 0.000"),
        "{}",
        result_text(&f[0])
    );
    assert!(result_text(&f[1]).contains("1.000 & 0.000 & 0.000"));
    assert_eq!(result_text(&f[2]), "0.500");
    // δ = ŷ − y = [−0.25 − 0.1, 0.5 − 0.9, −0.5 − 1.1] = [−0.35, −0.4, −1.6].
    let e = eqs(MlpStep::Errors);
    let text = result_text(&e[0]);
    for d in ["-0.350", "-0.400", "-1.600"] {
        assert!(text.contains(d), "{text}");
    }
    // δ₁ of sample 2 (x = 1): δ·W₂ⱼ·relu′(zⱼ): −0.4·0.5·relu′(1) = −0.2; unit 2 sits at
    // z = 0 exactly, so relu′(0) = 0 blocks it: −0.4·(−0.5)·0 = 0; unit 3 likewise 0.
    let d1 = eqs(MlpStep::SendBack { sample: 1 });
    assert_eq!(d1.len(), 2);
    // σ′(z⁽²⁾) = relu′([1, 0, 0]) = [1, 0, 0]: relu′(0) is 0, as in PyTorch.
    assert!(
        result_text(&d1[0]).contains("1.000 & 0.000 & 0.000"),
        "{}",
        result_text(&d1[0])
    );
    assert!(
        result_text(&d1[1]).contains("-0.200 & 0.000 & 0.000"),
        "{}",
        result_text(&d1[1])
    );
    let t = TwoLayerBatch {
        update: s.update(),
        next: s.next_params(),
        activation: s.activation(),
    };
    assert!(relu_at_zero(t, Some(1)));
    assert!(!relu_at_zero(t, Some(2)));
    // ∂L/∂W₁ = Xᵀδ₁: its first entry 0·0 + 1·(−0.2) + (−1)·0 = −0.2, its second
    // 0·0.175 + 1·0 + (−1)·0.8 = −0.8, its third 0.
    let g = eqs(MlpStep::Grads { layer: 1 });
    let text = result_text(&g[0]);
    assert!(text.contains("-0.200 & -0.800 & 0.000"), "{text}");
    // ∂L/∂b₁ = Σ δ₁⁽ⁱ⁾ = [0 − 0.2 + 0, 0.175 + 0 + 0.8, 0] = [−0.2, 0.975, 0].
    assert!(result_text(&g[1]).contains("-0.200 & 0.975 & 0.000"));
}
