//! Inspect in the two-layer explainer: the cell under the cursor explained by its own equation,
//! cut from the step that wrote it, its numbers checked against the preset's first batch worked
//! by hand; and snapshots at both sizes in both languages.

mod ui_common;

use gradstep::engine::Objective;
use gradstep::engine::mlp::Activation;
use gradstep::engine::mlp_session::MlpStep;
use gradstep::lesson::Lang;
use gradstep::ui::two_layer::TwoLayerApp;
use gradstep::ui::{Dir, Id, Message, Teach};
use gradstep::worked::check;
use gradstep::worked::{Part, Symbol};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ui_common::text;

// The first batch by hand (tests/ui_two_layer_graph.rs works it in full): x = [0, 1, −1],
// y = [0.1, 0.9, 1.1], W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ,
// b₂ = 0. Sample 2 (x = 1): z = [1, 0, 0], h = [1, 0, 0], ŷ = 0.5, δ = 0.5 − 0.9 = −0.4,
// σ′(z) = [1, 0, 0], δ₁ = (−0.4·[0.5, −0.5, 0.5]) ⊙ [1, 0, 0] = [−0.2, 0, 0].
// δ₁ column 2 over the batch: [0.175, 0, 0.8]; ∂L/∂W₁ = xᵀδ₁ = [−0.2, −0.8, 0].

fn app(lang: Lang) -> TwoLayerApp {
    ui_common::two_layer_preset(Activation::Relu, Objective::Sum, lang)
}

fn screen(app: &TwoLayerApp, width: u16, height: u16) -> String {
    ui_common::drawn(app, width, height)
}

fn to(app: &mut TwoLayerApp, target: MlpStep) {
    ui_common::two_layer_to(app, target, 40);
}

fn inspect(app: &mut TwoLayerApp, id: Id, row: usize, col: usize) {
    app.update(Message::Teach(Teach::Select { id, row, col }));
}

/// The explanation's equation: each number with its cell, and whether it shows as `?`.
fn numbers(app: &TwoLayerApp) -> Vec<(Id, usize, usize, f64, bool)> {
    let e = app.explanation().expect("inspecting");
    assert_eq!(e.lines.len(), 1, "one equation: {e:?}");
    let eq = &e.lines[0];
    assert!(check::consistent(eq), "holds at its printed digits: {eq:?}");
    eq.values()
        .iter()
        .map(|v| (v.cell.q, v.cell.row, v.cell.col, v.value, v.hidden))
        .collect()
}

fn close(got: &[(Id, usize, usize, f64, bool)], want: &[(Id, usize, usize, f64)]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0, g.1, g.2), (w.0, w.1, w.2), "{got:?}");
        assert!((g.3 - w.3).abs() < 1e-12, "{got:?} against {want:?}");
        assert!(!g.4, "nothing hidden once computed: {got:?}");
    }
}

#[test]
fn a_cell_of_z_and_y_hat_is_its_row_times_a_column() {
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::ForwardSample { sample: 1 });
    // z⁽²⁾₁ = x⁽²⁾·W₁₁ + b₁₁ = 1·1 + 0 = 1.
    inspect(&mut app, Id::Of(Symbol::Z, Part::Value), 1, 0);
    close(
        &numbers(&app),
        &[
            (Id::Of(Symbol::X, Part::Value), 1, 0, 1.0),
            (Id::Of(Symbol::W1, Part::Value), 0, 0, 1.0),
            (Id::Of(Symbol::B1, Part::Value), 0, 0, 0.0),
            (Id::Of(Symbol::Z, Part::Value), 1, 0, 1.0),
        ],
    );
    // ŷ⁽²⁾ = h⁽²⁾W₂ + b₂ = 1·0.5 + 0·(−0.5) + 0·0.5 + 0 = 0.5.
    inspect(&mut app, Id::Of(Symbol::YHat, Part::Value), 1, 0);
    close(
        &numbers(&app),
        &[
            (Id::Of(Symbol::H, Part::Value), 1, 0, 1.0),
            (Id::Of(Symbol::W2, Part::Value), 0, 0, 0.5),
            (Id::Of(Symbol::H, Part::Value), 1, 1, 0.0),
            (Id::Of(Symbol::W2, Part::Value), 1, 0, -0.5),
            (Id::Of(Symbol::H, Part::Value), 1, 2, 0.0),
            (Id::Of(Symbol::W2, Part::Value), 2, 0, 0.5),
            (Id::Of(Symbol::B2, Part::Value), 0, 0, 0.0),
            (Id::Of(Symbol::YHat, Part::Value), 1, 0, 0.5),
        ],
    );
}

#[test]
fn a_cell_of_delta1_is_delta_times_w2_times_the_slope() {
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::SendBack { sample: 1 });
    // δ₁⁽²⁾₁ = (δ⁽²⁾·W₂₁)·σ′(z₁⁽²⁾) = (−0.4·0.5)·1 = −0.2.
    inspect(&mut app, Id::Of(Symbol::Z, Part::Grad), 1, 0);
    close(
        &numbers(&app),
        &[
            (Id::Of(Symbol::Delta, Part::Value), 1, 0, -0.4),
            (Id::Of(Symbol::W2, Part::Value), 0, 0, 0.5),
            (Id::Of(Symbol::H, Part::Slope), 1, 0, 1.0),
            (Id::Of(Symbol::Z, Part::Grad), 1, 0, -0.2),
        ],
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("δ₁, row 2, column 1"), "{s}");
    assert!(s.contains("= -0.200"), "{s}");
    // The slope itself: relu′(z₁⁽²⁾) = relu′(1) = 1.
    inspect(&mut app, Id::Of(Symbol::H, Part::Slope), 1, 0);
    close(
        &numbers(&app),
        &[
            (Id::Of(Symbol::Z, Part::Value), 1, 0, 1.0),
            (Id::Of(Symbol::H, Part::Slope), 1, 0, 1.0),
        ],
    );
}

#[test]
fn a_cell_of_grad_w1_over_the_whole_batch_is_a_sum_over_the_samples() {
    let mut app = app(Lang::En);
    app.update(Message::ToggleGranularity);
    to(&mut app, MlpStep::Grads { layer: 1 });
    // ∂L/∂W₁ column 2 = Σᵢ x⁽ⁱ⁾δ₁₂⁽ⁱ⁾ = 0·0.175 + 1·0 + (−1)·0.8 = −0.8.
    inspect(&mut app, Id::Of(Symbol::W1, Part::Grad), 0, 1);
    close(
        &numbers(&app),
        &[
            (Id::Of(Symbol::X, Part::Transposed), 0, 0, 0.0),
            (Id::Of(Symbol::Z, Part::Grad), 0, 1, 0.175),
            (Id::Of(Symbol::X, Part::Transposed), 0, 1, 1.0),
            (Id::Of(Symbol::Z, Part::Grad), 1, 1, 0.0),
            (Id::Of(Symbol::X, Part::Transposed), 0, 2, -1.0),
            (Id::Of(Symbol::Z, Part::Grad), 2, 1, 0.8),
            (Id::Of(Symbol::W1, Part::Grad), 0, 1, -0.8),
        ],
    );
    // At 80×24 the panel makes room for δ₁, which the cell is computed from (its row 3).
    let s = screen(&app, 80, 24);
    assert!(s.contains("0.000   0.800   0.000"), "{s}");
    // Column 1: 0·0 + 1·(−0.2) + (−1)·0 = −0.2.
    inspect(&mut app, Id::Of(Symbol::W1, Part::Grad), 0, 0);
    let got = numbers(&app);
    assert!(
        (got.last().expect("a result").3 + 0.2).abs() < 1e-12,
        "{got:?}"
    );
}

#[test]
fn a_cell_not_yet_computed_says_so_and_shows_no_number_of_later() {
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::ForwardSample { sample: 1 });
    inspect(&mut app, Id::Of(Symbol::Z, Part::Grad), 1, 0);
    let e = app.explanation().expect("inspecting");
    assert!(
        e.notes.iter().any(|n| n.contains("Not computed yet")),
        "{e:?}"
    );
    let eq = &e.lines[0];
    // Nothing of the backward pass is known yet: δ, σ′ and δ₁ itself are `?`.
    for v in eq.values() {
        let later = matches!(
            v.cell.q,
            Id::Of(Symbol::Delta, Part::Value)
                | Id::Of(Symbol::H, Part::Slope)
                | Id::Of(Symbol::Z, Part::Grad)
        );
        assert_eq!(v.hidden, later, "{v:?}");
    }
}

#[test]
fn given_numbers_say_where_they_come_from() {
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::ForwardSample { sample: 1 });
    inspect(&mut app, Id::Of(Symbol::W1, Part::Value), 0, 1);
    let e = app.explanation().expect("inspecting");
    assert!(e.notes.iter().any(|n| n.contains("initial value")), "{e:?}");
    inspect(&mut app, Id::Of(Symbol::X, Part::Value), 2, 0);
    let e = app.explanation().expect("inspecting");
    // Batches of 3 in file order: the third row of the batch is row 3 of the data (index 2).
    assert!(e.notes.iter().any(|n| n.contains("row 3")), "{e:?}");
}

#[test]
fn the_cursor_starts_on_what_the_step_computes_and_moves_over_the_panel() {
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::SendBack { sample: 1 });
    app.update(Message::Teach(Teach::ToggleInspect));
    assert!(app.explanation().is_some());
    let first = app.explanation().expect("inspecting").cell.clone();
    app.update(Message::Teach(Teach::Move(Dir::Right)));
    let second = app.explanation().expect("inspecting").cell.clone();
    assert_ne!(first, second);
    app.update(Message::Teach(Teach::Move(Dir::Left)));
    assert_eq!(app.explanation().expect("inspecting").cell, first);
    // The inspect keys no longer say the feature does not apply.
    assert!(!screen(&app, 80, 24).contains("does not apply"));
    app.update(Message::Teach(Teach::LeaveInspect));
    assert!(app.explanation().is_none());
}

#[test]
fn snapshots_of_inspecting_delta1() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(lang);
        to(&mut app, MlpStep::SendBack { sample: 1 });
        inspect(&mut app, Id::Of(Symbol::Z, Part::Grad), 1, 0);
        for (w, h) in [(80, 24), (120, 40)] {
            let name = format!("inspect_delta1_{w}x{h}_{lang:?}").to_lowercase();
            insta::assert_snapshot!(name, screen(&app, w, h));
        }
    }
}

/// The cursor's cell is reversed and the cells it is computed from underlined, so both show
/// without colour (the app here draws with none).
#[test]
fn the_cursor_and_its_sources_are_marked_without_colour() {
    use ratatui::style::Modifier;
    let mut app = app(Lang::En);
    to(&mut app, MlpStep::SendBack { sample: 1 });
    inspect(&mut app, Id::Of(Symbol::Z, Part::Grad), 1, 0);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal
        .draw(|f| f.render_widget(&app, f.area()))
        .expect("draw");
    let buf = terminal.backend().buffer();
    let lines: Vec<String> = text(buf).lines().map(str::to_string).collect();
    let rule = lines
        .iter()
        .position(|l| l.starts_with('─'))
        .expect("the panel");
    // The first cell below the rule holding `number` at the start of a cell.
    let find = |number: &str, after: usize| {
        lines.iter().enumerate().skip(after).find_map(|(y, l)| {
            let x = l.find(number)?;
            Some((l[..x].chars().count() as u16, y as u16))
        })
    };
    let modifier = |(x, y): (u16, u16)| buf[(x, y)].modifier;
    // δ₁'s −0.200 is the cursor; δ = −0.400 and W₂₁ = 0.500 are read.
    let below_label = (rule..lines.len())
        .find(|&y| lines[y].starts_with("δ₁"))
        .expect("δ₁'s matrix");
    let cursor = find("-0.200", below_label).expect("δ₁ row 2 column 1");
    assert!(modifier(cursor).contains(Modifier::REVERSED), "{lines:?}");
    let delta = find("-0.400", rule).expect("δ row 2");
    assert!(modifier(delta).contains(Modifier::UNDERLINED), "{lines:?}");
}

/// Every cell a step of the first batch computes, at every step from the one that computes it
/// on, is explained by an equation cut from that step (notation, numbers, result) that holds at
/// its printed digits: for each activation, by sample and by whole matrices, and under `mean`
/// (where δ/N is a column of its own).
#[test]
fn every_computed_cell_is_explained_by_an_equation_that_holds() {
    let runs = [
        (Activation::Relu, Objective::Sum),
        (Activation::Tanh, Objective::Sum),
        (Activation::Sigmoid, Objective::Sum),
        (Activation::Relu, Objective::Mean),
    ];
    for (activation, objective) in runs {
        for by_matrix in [false, true] {
            let mut app = ui_common::two_layer_preset(activation, objective, Lang::En);
            if by_matrix {
                app.update(Message::ToggleGranularity);
            }
            app.update(Message::Teach(Teach::ToggleInspect));
            let mut checked = 0;
            loop {
                let written: Vec<_> = app
                    .worked()
                    .iter()
                    .flat_map(|e| e.values())
                    .filter(|v| v.output)
                    .map(|v| v.cell)
                    .collect();
                for cell in written {
                    inspect(&mut app, cell.q, cell.row, cell.col);
                    let e = app.explanation().expect("inspecting");
                    // A sum told term by term (Σδ⁽ⁱ⁾) opens with its definition, notation only,
                    // and ends with its total, the terms' values = the result.
                    let all: Vec<_> = e.lines.iter().chain(&e.terms).chain(&e.result).collect();
                    let eq = all.last().expect("a line");
                    let what = format!(
                        "{activation:?} {:?} {cell:?}: {all:?}",
                        app.session().step()
                    );
                    assert!(eq.members.len() >= 2, "{what}");
                    assert!(eq.results().iter().any(|v| v.cell == cell), "{what}");
                    let numbers = all.iter().flat_map(|l| l.values()).count();
                    assert!(numbers >= 2, "{what}");
                    for line in all {
                        assert!(check::consistent(line), "{what}: {line:?}");
                        assert!(!line.hides_any(), "{what}: {line:?}");
                    }
                    checked += 1;
                }
                let step = app.session().step_index();
                app.update(Message::NextStep);
                if app.session().step_index() <= step || app.session().global() > 0 {
                    break;
                }
            }
            assert!(checked > 20, "{activation:?}: {checked} cells");
        }
    }
}
