//! The classroom features with a hidden layer, on the two-layer preset's first batch: the quiz
//! (outputs hidden, answers judged, revealed), checked against the batch worked by hand.

mod ui_common;

use gradstep::engine::mlp::Activation;
use gradstep::engine::mlp_session::{MlpSession, MlpStep};
use gradstep::lesson::Lang;
use gradstep::preset::{Preset, Start};
use gradstep::ui::two_layer::TwoLayerApp;
use gradstep::ui::{Message, Teach};
use gradstep::worked::{Part, Quantity, Symbol};

fn app(lang: Lang) -> TwoLayerApp {
    let spec = Preset::TwoLayer.spec();
    let Start::TwoLayer(model) = spec.start else {
        panic!("the two-layer preset starts two layers");
    };
    assert_eq!(model.activation, Activation::Relu);
    let data = Preset::TwoLayer
        .fixed_data()
        .expect("fixed data")
        .expect("valid");
    let session = MlpSession::new(data, spec.hyper, model).expect("a valid run");
    TwoLayerApp::new(session, lang, false, false)
}

fn screen(app: &TwoLayerApp, width: u16, height: u16) -> String {
    ui_common::drawn(app, width, height)
}

/// The language as the snapshots' names write it.
fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

fn to(app: &mut TwoLayerApp, target: MlpStep) {
    ui_common::two_layer_to(app, target, 100);
}

/// What each step of the first batch computes, worked by hand from the preset: rows x = 0, 1,
/// −1 and y = 0.1, 0.9, 1.1; W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ,
/// b₂ = 0; ReLU; L = Σ½(ŷ − y)²; lr 0.3 over N = 3.
fn by_hand(step: MlpStep) -> Vec<(Quantity, usize, usize, f64)> {
    let row = |q, r, v: [f64; 3]| (0..3).map(move |c| (q, r, c, v[c]));
    let col = |q, v: [f64; 3]| (0..3).map(move |r| (q, r, 0, v[r]));
    match step {
        // z = x·W₁ + b₁, h = relu(z), ŷ = h·W₂ + b₂.
        MlpStep::ForwardSample { sample: 0 } => {
            row(Quantity::Of(Symbol::Z, Part::Value), 0, [0.0, 0.5, -0.5])
                .chain(row(
                    Quantity::Of(Symbol::H, Part::Value),
                    0,
                    [0.0, 0.5, 0.0],
                ))
                .chain([(Quantity::Of(Symbol::YHat, Part::Value), 0, 0, -0.25)])
                .collect()
        }
        MlpStep::ForwardSample { sample: 1 } => {
            row(Quantity::Of(Symbol::Z, Part::Value), 1, [1.0, 0.0, 0.0])
                .chain(row(
                    Quantity::Of(Symbol::H, Part::Value),
                    1,
                    [1.0, 0.0, 0.0],
                ))
                .chain([(Quantity::Of(Symbol::YHat, Part::Value), 1, 0, 0.5)])
                .collect()
        }
        MlpStep::ForwardSample { sample: 2 } => {
            row(Quantity::Of(Symbol::Z, Part::Value), 2, [-1.0, 1.0, -1.0])
                .chain(row(
                    Quantity::Of(Symbol::H, Part::Value),
                    2,
                    [0.0, 1.0, 0.0],
                ))
                .chain([(Quantity::Of(Symbol::YHat, Part::Value), 2, 0, -0.5)])
                .collect()
        }
        // l⁽¹⁾ = ½·0.35² = 0.06125, worked on screen; L = ½(0.35² + 0.4² + 1.6²)
        // = ½(0.1225 + 0.16 + 2.56).
        MlpStep::Loss => vec![
            (Quantity::Of(Symbol::LossSample, Part::Value), 0, 0, 0.06125),
            (Quantity::Of(Symbol::Loss, Part::Value), 0, 0, 1.42125),
        ],
        MlpStep::Errors => col(
            Quantity::Of(Symbol::Delta, Part::Value),
            [-0.35, -0.4, -1.6],
        )
        .collect(),
        // Running sums of h⁽ⁱ⁾ᵀδ⁽ⁱ⁾ and δ⁽ⁱ⁾.
        MlpStep::Accumulate { layer: 2, sample } => {
            let w2 = [[0.0, -0.175, 0.0], [-0.4, -0.175, 0.0], [-0.4, -1.775, 0.0]];
            let b2 = [-0.35, -0.75, -2.35];
            col(Quantity::Of(Symbol::W2, Part::Grad), w2[sample])
                .chain([(Quantity::Of(Symbol::B2, Part::Grad), 0, 0, b2[sample])])
                .collect()
        }
        // relu′(z⁽ⁱ⁾) (0 at z = 0) and δ₁⁽ⁱ⁾ = δ⁽ⁱ⁾W₂ᵀ ⊙ relu′(z⁽ⁱ⁾).
        MlpStep::SendBack { sample } => {
            let slope = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
            let d1 = [[0.0, 0.175, 0.0], [-0.2, 0.0, 0.0], [0.0, 0.8, 0.0]];
            row(Quantity::Of(Symbol::H, Part::Slope), sample, slope[sample])
                .chain(row(Quantity::Of(Symbol::Z, Part::Grad), sample, d1[sample]))
                .collect()
        }
        // Running sums of x⁽ⁱ⁾ᵀδ₁⁽ⁱ⁾ and δ₁⁽ⁱ⁾: x⁽¹⁾ = 0 adds nothing to W₁'s.
        MlpStep::Accumulate { layer: 1, sample } => {
            let w1 = [[0.0, 0.0, 0.0], [-0.2, 0.0, 0.0], [-0.2, -0.8, 0.0]];
            let b1 = [[0.0, 0.175, 0.0], [-0.2, 0.175, 0.0], [-0.2, 0.975, 0.0]];
            row(Quantity::Of(Symbol::W1, Part::Grad), 0, w1[sample])
                .chain(row(Quantity::Of(Symbol::B1, Part::Grad), 0, b1[sample]))
                .collect()
        }
        // Each parameter moves by −0.3/3 = −0.1 times its gradient.
        MlpStep::Update => row(Quantity::Of(Symbol::W1, Part::New), 0, [1.02, -0.42, 0.5])
            .chain(row(
                Quantity::Of(Symbol::B1, Part::New),
                0,
                [0.02, 0.4025, -0.5],
            ))
            .chain(col(
                Quantity::Of(Symbol::W2, Part::New),
                [0.54, -0.3225, 0.5],
            ))
            .chain([(Quantity::Of(Symbol::B2, Part::New), 0, 0, 0.235)])
            .collect(),
        _ => Vec::new(),
    }
}

/// The outputs of the step as its equations hold them: cell, value, hidden.
fn outputs(app: &TwoLayerApp) -> Vec<(Quantity, usize, usize, f64, bool)> {
    let mut out: Vec<(Quantity, usize, usize, f64, bool)> = Vec::new();
    for v in app.worked().iter().flat_map(|e| e.results()) {
        if v.output
            && !out
                .iter()
                .any(|o| (o.0, o.1, o.2) == (v.cell.q, v.cell.row, v.cell.col))
        {
            out.push((v.cell.q, v.cell.row, v.cell.col, v.value, v.hidden));
        }
    }
    out
}

#[test]
fn the_quiz_hides_each_steps_outputs_until_revealed_and_they_are_the_hand_values() {
    let mut a = app(Lang::En);
    a.set_quiz(true);
    let mut checked = 0;
    let mut presses = 0;
    let mut revealed = Vec::new();
    let steps = a.session().steps().to_vec();
    for step in steps {
        to(&mut a, step);
        let hand = by_hand(step);
        let outs = outputs(&a);
        if hand.is_empty() {
            continue;
        }
        assert_eq!(outs.len(), hand.len(), "{step:?}: {outs:?}");
        // Every output is hidden, and so is every place the step reads it again (h reads z).
        for &(q, r, c, value, hidden) in &outs {
            // A running sum that did not move (h = 0 adds 0) was revealed at the last sample.
            let before = revealed.contains(&(q, r, c, value.to_bits()));
            assert_eq!(hidden, !before, "{step:?}: {q:?} {r} {c}");
            // A running sum's earlier value in the same cell is an input, and shows.
            let read_again = a.worked().iter().flat_map(|e| e.values());
            for v in read_again.filter(|v| (v.cell.q, v.cell.row, v.cell.col) == (q, r, c)) {
                assert!(
                    v.hidden != before || v.value != value,
                    "{step:?}: {q:?} {r} {c} read again"
                );
            }
        }
        assert!(a.hiding());
        // What the quiz asks, entry by entry, judged by the README's rule against the hand value.
        for e in 0..hand.len() {
            let asked = a.asked().expect("a step with outputs asks one");
            let &(q, r, c, truth) = hand
                .iter()
                .find(|h| (h.0, h.1, h.2) == (asked.cell.q, asked.cell.row, asked.cell.col))
                .unwrap_or_else(|| panic!("{step:?}: asked {asked:?}, not worked by hand"));
            // `e` moves on, counted round, and the entry it chose carries over to the next step.
            let k = (presses + e) % hand.len();
            assert_eq!(
                (q, r, c),
                (hand[k].0, hand[k].1, hand[k].2),
                "asked in order"
            );
            judged(truth, asked.value);
            a.update(Message::Teach(Teach::NextEntry));
        }
        presses += hand.len();
        revealed.extend(outs.iter().map(|o| (o.0, o.1, o.2, o.3.to_bits())));
        a.update(Message::Teach(Teach::Reveal));
        assert!(!a.hiding(), "{step:?}: Enter reveals all");
        for (&(q, r, c, v, hidden), &(hq, hr, hc, truth)) in outputs(&a).iter().zip(&hand) {
            assert_eq!((q, r, c), (hq, hr, hc));
            assert!(!hidden);
            assert!((v - truth).abs() < 1e-12, "{step:?}: {q:?} {v} vs {truth}");
        }
        checked += 1;
    }
    // 3 forward samples, loss, errors, 3 + 3 + 3 running sums and sends back, the update.
    assert_eq!(checked, 15);
}

/// The hand value typed at three decimals is right; off by two in its first decimal is wrong.
fn judged(truth: f64, shown: f64) {
    #[cfg(feature = "serve")]
    {
        use gradstep::serve::quiz::{decimals, matches};
        let typed = format!("{truth:.3}");
        assert!(
            matches(truth, decimals(&typed), shown, 3),
            "{typed} for {shown}"
        );
        let off = format!("{:.1}", truth + 0.2);
        let wrong: f64 = off.parse().expect("a number");
        assert!(
            !matches(wrong, decimals(&off), shown, 3),
            "{off} for {shown}"
        );
    }
    assert!((truth - shown).abs() < 1e-12, "{truth} vs {shown}");
}

#[test]
fn a_revealed_number_stays_revealed_in_the_whole_batch_step() {
    let mut a = app(Lang::En);
    a.set_quiz(true);
    for sample in 0..3 {
        to(&mut a, MlpStep::ForwardSample { sample });
        a.update(Message::Teach(Teach::Reveal));
    }
    to(&mut a, MlpStep::Forward);
    assert!(!a.hiding(), "Z, H and ŷ were revealed sample by sample");
    // Not revealed at the loss: it hides, and Q turns the quiz off, which shows it.
    to(&mut a, MlpStep::Loss);
    assert!(a.hiding());
    a.update(Message::Teach(Teach::ToggleQuiz));
    assert!(!a.hiding());
    assert!(screen(&a, 80, 24).contains("quiz off"));
}

#[test]
fn the_quiz_screen_shows_question_marks_where_the_numbers_were() {
    for lang in [Lang::En, Lang::Zh] {
        let code = code(lang);
        for step in [
            MlpStep::ForwardSample { sample: 0 },
            MlpStep::SendBack { sample: 0 },
        ] {
            let mut a = app(lang);
            a.set_quiz(true);
            to(&mut a, step);
            for (w, h) in [(80, 24), (120, 40)] {
                let s = screen(&a, w, h);
                assert!(s.contains('?'), "{step:?} {w}x{h}:\n{s}");
                insta::assert_snapshot!(
                    format!("two_layer_quiz_{}_{w}x{h}_{code}", step.kind()),
                    s
                );
            }
            // The hand values hidden now show after Enter: ŷ⁽¹⁾ = −0.25, δ₁⁽¹⁾ = 0.175.
            let hand = match step {
                MlpStep::SendBack { .. } => "0.175",
                _ => "-0.250",
            };
            assert!(!screen(&a, 120, 40).contains(hand));
            a.update(Message::Teach(Teach::Reveal));
            assert!(screen(&a, 120, 40).contains(hand));
        }
    }
}

#[test]
fn the_handout_key_writes_the_current_batch_next_to_the_last_never_over_it() {
    let dir =
        std::env::temp_dir().join(format!("gradstep-two-layer-handout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let mut a = app(Lang::En);
    a.set_handout(dir.clone(), Default::default());
    to(&mut a, MlpStep::Errors);
    a.update(Message::Teach(Teach::Handout));
    a.update(Message::Teach(Teach::Handout));
    let first = dir.join("gradstep-epoch1-batch1.md");
    let second = dir.join("gradstep-epoch1-batch1-2.md");
    let text = std::fs::read_to_string(&first).unwrap_or_default();
    let again = std::fs::read_to_string(&second).unwrap_or_default();
    assert!(screen(&a, 120, 40).contains("gradstep-epoch1-batch1-2.md"));
    std::fs::remove_dir_all(&dir).expect("cleaned up");
    assert_eq!(text, again);
    // The first batch worked by hand: δ₁⁽¹⁾ = [0, 0.175, 0], ∂L/∂W₂ = [−0.4, −1.775, 0],
    // ∂L/∂b₁ = [−0.2, 0.975, 0], b₂ after the update 0.235.
    for hand in ["0.175", "-1.775", "0.975", "0.235"] {
        assert!(text.contains(hand), "{hand} missing:\n{text}");
    }
}

#[test]
fn presenter_mode_keeps_the_numbers_and_leaves_out_the_narrative() {
    for lang in [Lang::En, Lang::Zh] {
        let code = code(lang);
        let mut a = app(lang);
        to(&mut a, MlpStep::SendBack { sample: 0 });
        let plain = screen(&a, 80, 24);
        a.update(Message::Teach(Teach::TogglePresent));
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&a, w, h);
            // δ₁⁽¹⁾ = −0.35·[0.5, −0.5, 0.5] ⊙ [0, 1, 0] = [0, 0.175, 0], by hand.
            assert!(s.contains("0.175"), "{w}x{h}:\n{s}");
            insta::assert_snapshot!(format!("two_layer_present_mlp_send_back_{w}x{h}_{code}"), s);
        }
        let narrative = match lang {
            Lang::En => "The error is sent back",
            Lang::Zh => "误差经 W₂ 传回",
        };
        assert!(plain.contains(narrative));
        assert!(!screen(&a, 80, 24).contains(narrative));
        a.update(Message::Teach(Teach::TogglePresent));
        assert_eq!(screen(&a, 80, 24), plain, "P again gives the screen back");
    }
}
