//! The matrix panel's marks on the tiny preset's first batch, step by step: which cells each step
//! writes and reads, and which values are known, hand-listed from the lesson's derivation
//! (ŷ = Xw + b, l⁽ⁱ⁾ = ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², δ = ŷ − y, ∂L/∂w = Xᵀδ, ∂L/∂b = Σδ, w ← w − lr/N·∂L/∂w)
//! and the numbers worked by hand from rows (1,2)→1, (2,0)→5, (0,1)→0 with w = 0, b = 0.

mod common;

use common::{close, preset_session};
use gradstep::engine::tape::walk::steps;
use gradstep::engine::{Batch, Granularity, Step};
use gradstep::preset::Preset;
use gradstep::ui::{Id, Mark, Progress, Tally};
use gradstep::worked::ledger::Ledger;
use gradstep::worked::{Part, Symbol};

/// Every quantity a linear batch holds.
const LINEAR: [Id; 15] = [
    Id::Of(Symbol::X, Part::Value),
    Id::Of(Symbol::X, Part::Transposed),
    Id::Of(Symbol::W, Part::Value),
    Id::Of(Symbol::B, Part::Value),
    Id::Of(Symbol::Y, Part::Value),
    Id::Of(Symbol::YHat, Part::Value),
    Id::Of(Symbol::LossSample, Part::Value),
    Id::Of(Symbol::Loss, Part::Value),
    Id::Of(Symbol::Delta, Part::Value),
    Id::Of(Symbol::W, Part::Grad),
    Id::Of(Symbol::B, Part::Grad),
    Id::Of(Symbol::W, Part::New),
    Id::Of(Symbol::B, Part::New),
    Id::Of(Symbol::W, Part::Terms),
    Id::Of(Symbol::Loss, Part::EpochMean),
];

/// The tally of `step` among the steps of the batch, one sample at a time if it is about one.
fn tally(batch: &Batch, step: Step) -> Tally {
    let granularity = match step.sample() {
        Some(_) => Granularity::Sample,
        None => Granularity::Matrix,
    };
    let all = steps(batch.rows(), granularity, false);
    let now = all.iter().position(|&s| s == step).unwrap_or(usize::MAX);
    Tally::new(batch, &all, now)
}

fn at<'a>(batch: &'a Batch, step: Step, tally: &'a Tally) -> Progress<'a> {
    Progress {
        batch,
        step,
        by_sample: step.sample().is_some(),
        tally,
    }
}

/// Every cell of the batch's quantities with the given mark, as (quantity, row, column).
fn marked(p: &Progress, mark: Mark) -> Vec<(Id, usize, usize)> {
    let mut out = Vec::new();
    for id in LINEAR {
        let (rows, cols) = id.shape(p.batch);
        for r in 0..rows {
            for c in 0..cols {
                if p.mark(id, r, c) == mark {
                    out.push((id, r, c));
                }
            }
        }
    }
    out
}

/// All cells of `id` (N = 3 samples, d = 2 features).
fn all(id: Id) -> Vec<(Id, usize, usize)> {
    let (rows, cols) = match id {
        Id::Of(Symbol::X, Part::Value) | Id::Of(Symbol::W, Part::Terms) => (3, 2),
        Id::Of(Symbol::X, Part::Transposed) => (2, 3),
        Id::Of(Symbol::W, Part::Value)
        | Id::Of(Symbol::W, Part::Grad)
        | Id::Of(Symbol::W, Part::New) => (2, 1),
        Id::Of(Symbol::Y, Part::Value)
        | Id::Of(Symbol::YHat, Part::Value)
        | Id::Of(Symbol::LossSample, Part::Value)
        | Id::Of(Symbol::Delta, Part::Value) => (3, 1),
        _ => (1, 1),
    };
    (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (id, r, c)))
        .collect()
}

fn cells(parts: &[Vec<(Id, usize, usize)>]) -> Vec<(Id, usize, usize)> {
    let mut v: Vec<_> = parts.concat();
    v.sort_by_key(|&(id, r, c)| (format!("{id:?}"), r, c));
    v
}

fn batch() -> Batch {
    let session = preset_session(Preset::Tiny);
    session.batch().clone()
}

type Cells = Vec<(Id, usize, usize)>;

/// The steps of the first batch, each with the cells it writes and reads, by hand.
fn hand() -> Vec<(Step, Cells, Cells)> {
    vec![
        // Drawing the batch writes X (and so Xᵀ) and y; nothing is read.
        (
            Step::Draw,
            cells(&[
                all(Id::Of(Symbol::X, Part::Value)),
                all(Id::Of(Symbol::X, Part::Transposed)),
                all(Id::Of(Symbol::Y, Part::Value)),
            ]),
            vec![],
        ),
        // ŷ⁽²⁾ = x⁽²⁾w + b: writes row 2 of ŷ, reads row 2 of X and all of w and b.
        (
            Step::ForwardSample { sample: 1 },
            cells(&[vec![(Id::Of(Symbol::YHat, Part::Value), 1, 0)]]),
            cells(&[
                vec![
                    (Id::Of(Symbol::X, Part::Value), 1, 0),
                    (Id::Of(Symbol::X, Part::Value), 1, 1),
                ],
                all(Id::Of(Symbol::W, Part::Value)),
                all(Id::Of(Symbol::B, Part::Value)),
            ]),
        ),
        (
            Step::Forward,
            cells(&[all(Id::Of(Symbol::YHat, Part::Value))]),
            cells(&[
                all(Id::Of(Symbol::X, Part::Value)),
                all(Id::Of(Symbol::W, Part::Value)),
                all(Id::Of(Symbol::B, Part::Value)),
            ]),
        ),
        (
            Step::Loss,
            cells(&[
                all(Id::Of(Symbol::LossSample, Part::Value)),
                all(Id::Of(Symbol::Loss, Part::Value)),
            ]),
            cells(&[
                all(Id::Of(Symbol::YHat, Part::Value)),
                all(Id::Of(Symbol::Y, Part::Value)),
            ]),
        ),
        (
            Step::Errors,
            cells(&[all(Id::Of(Symbol::Delta, Part::Value))]),
            cells(&[
                all(Id::Of(Symbol::YHat, Part::Value)),
                all(Id::Of(Symbol::Y, Part::Value)),
            ]),
        ),
        // Adding δ⁽²⁾x⁽²⁾ reads column 2 of Xᵀ and δ⁽²⁾, and writes both running sums.
        (
            Step::Accumulate { sample: 1 },
            cells(&[
                all(Id::Of(Symbol::W, Part::Grad)),
                all(Id::Of(Symbol::B, Part::Grad)),
            ]),
            cells(&[
                vec![
                    (Id::Of(Symbol::X, Part::Transposed), 0, 1),
                    (Id::Of(Symbol::X, Part::Transposed), 1, 1),
                ],
                vec![(Id::Of(Symbol::Delta, Part::Value), 1, 0)],
            ]),
        ),
        (
            Step::GradW,
            cells(&[all(Id::Of(Symbol::W, Part::Grad))]),
            cells(&[
                all(Id::Of(Symbol::X, Part::Transposed)),
                all(Id::Of(Symbol::Delta, Part::Value)),
            ]),
        ),
        (
            Step::GradB,
            cells(&[all(Id::Of(Symbol::B, Part::Grad))]),
            cells(&[all(Id::Of(Symbol::Delta, Part::Value))]),
        ),
        (
            Step::Update,
            cells(&[
                all(Id::Of(Symbol::W, Part::New)),
                all(Id::Of(Symbol::B, Part::New)),
            ]),
            cells(&[
                all(Id::Of(Symbol::W, Part::Value)),
                all(Id::Of(Symbol::B, Part::Value)),
                all(Id::Of(Symbol::W, Part::Grad)),
                all(Id::Of(Symbol::B, Part::Grad)),
            ]),
        ),
    ]
}

#[test]
fn each_step_marks_what_it_writes_and_reads() {
    let b = batch();
    assert_eq!(
        (b.rows(), b.x.ncols()),
        (3, 2),
        "the tiny preset's first batch"
    );
    for (step, written, read) in hand() {
        let t = tally(&b, step);
        let p = at(&b, step, &t);
        assert_eq!(
            cells(&[marked(&p, Mark::Written)]),
            written,
            "{step:?} writes"
        );
        assert_eq!(cells(&[marked(&p, Mark::Read)]), read, "{step:?} reads");
    }
}

#[test]
fn the_ledger_of_each_steps_equations_agrees_with_the_hand_lists() {
    let b = batch();
    for (step, written, read) in hand() {
        let l = Ledger::of(step, &b);
        let listed = |set: &std::collections::HashSet<gradstep::worked::Cell>| {
            cells(&[set.iter().map(|c| (c.q, c.row, c.col)).collect()])
        };
        assert_eq!(listed(&l.written), written, "{step:?} writes");
        assert_eq!(listed(&l.read), read, "{step:?} reads");
    }
}

#[test]
fn values_are_known_from_the_step_that_writes_them() {
    let b = batch();
    let known = |step: Step, id: Id, r: usize, c: usize| {
        let t = tally(&b, step);
        at(&b, step, &t).value(id, r, c)
    };
    // The data and the parameters are known from the start.
    assert_eq!(
        known(Step::Draw, Id::Of(Symbol::X, Part::Value), 0, 1),
        Some(2.0),
        "x⁽¹⁾ = (1, 2)"
    );
    assert_eq!(
        known(Step::Draw, Id::Of(Symbol::X, Part::Transposed), 0, 1),
        Some(2.0),
        "Xᵀ row 1 = (1, 2, 0)"
    );
    assert_eq!(
        known(Step::Draw, Id::Of(Symbol::Y, Part::Value), 1, 0),
        Some(5.0)
    );
    assert_eq!(
        known(Step::Draw, Id::Of(Symbol::W, Part::Value), 0, 0),
        Some(0.0)
    );
    assert_eq!(
        known(Step::Draw, Id::Of(Symbol::YHat, Part::Value), 0, 0),
        None
    );
    // One sample at a time: ŷ⁽¹⁾ and ŷ⁽²⁾ are known at sample 2, ŷ⁽³⁾ not yet.
    let second = Step::ForwardSample { sample: 1 };
    assert_eq!(
        known(second, Id::Of(Symbol::YHat, Part::Value), 0, 0),
        Some(0.0),
        "0·1 + 0·2 + 0"
    );
    assert_eq!(
        known(second, Id::Of(Symbol::YHat, Part::Value), 1, 0),
        Some(0.0)
    );
    assert_eq!(known(second, Id::Of(Symbol::YHat, Part::Value), 2, 0), None);
    assert_eq!(
        known(second, Id::Of(Symbol::LossSample, Part::Value), 0, 0),
        None
    );
    // The loss step: l = ½(0 − y)² = ½, 12½, 0; L = 13. δ comes one step later.
    assert_eq!(
        known(Step::Forward, Id::Of(Symbol::Loss, Part::Value), 0, 0),
        None
    );
    assert_eq!(
        known(Step::Loss, Id::Of(Symbol::LossSample, Part::Value), 1, 0),
        Some(12.5)
    );
    assert_eq!(
        known(Step::Loss, Id::Of(Symbol::Loss, Part::Value), 0, 0),
        Some(13.0)
    );
    assert_eq!(
        known(Step::Loss, Id::Of(Symbol::Delta, Part::Value), 0, 0),
        None
    );
    assert_eq!(
        known(Step::Errors, Id::Of(Symbol::Delta, Part::Value), 1, 0),
        Some(-5.0),
        "0 − 5"
    );
    assert_eq!(
        known(Step::Errors, Id::Of(Symbol::W, Part::Grad), 0, 0),
        None
    );
    // After sample 2 the running sums are δ⁽¹⁾x⁽¹⁾ + δ⁽²⁾x⁽²⁾ = (−1, −2) + (−10, 0) and −1 − 5.
    let acc = Step::Accumulate { sample: 1 };
    assert_eq!(known(acc, Id::Of(Symbol::W, Part::Grad), 0, 0), Some(-11.0));
    assert_eq!(known(acc, Id::Of(Symbol::W, Part::Grad), 1, 0), Some(-2.0));
    assert_eq!(known(acc, Id::Of(Symbol::B, Part::Grad), 0, 0), Some(-6.0));
    assert_eq!(
        known(acc, Id::Of(Symbol::W, Part::Terms), 1, 0),
        Some(-10.0),
        "δ⁽²⁾x₁⁽²⁾ = −5·2"
    );
    assert_eq!(known(acc, Id::Of(Symbol::W, Part::Terms), 2, 0), None);
    assert_eq!(known(acc, Id::Of(Symbol::W, Part::New), 0, 0), None);
    // The whole-batch gradients: Xᵀδ = (−11, −2), Σδ = −6.
    assert_eq!(
        known(Step::GradW, Id::Of(Symbol::W, Part::Grad), 1, 0),
        Some(-2.0)
    );
    assert_eq!(
        known(Step::GradB, Id::Of(Symbol::B, Part::Grad), 0, 0),
        Some(-6.0)
    );
    // w ← 0 − 0.1·(−11)/3, b ← 0 − 0.1·(−6)/3.
    let w1 = known(Step::Update, Id::Of(Symbol::W, Part::New), 0, 0).unwrap_or(f64::NAN);
    assert!(close(w1, 1.1 / 3.0, 1e-15), "{w1}");
    let b1 = known(Step::Update, Id::Of(Symbol::B, Part::New), 0, 0).unwrap_or(f64::NAN);
    assert!(close(b1, 0.2, 1e-15), "{b1}");
    assert_eq!(
        known(Step::Update, Id::Of(Symbol::Loss, Part::EpochMean), 0, 0),
        None
    );
}
