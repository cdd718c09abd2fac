//! Named starting points for a class: the lesson's code, its worked example, and a hand-sized set.

use nalgebra::{DMatrix, DVector};

use crate::data::{DataError, Dataset, Synthetic};
use crate::engine::{Activation, Hyper, Init, MlpParams, TwoLayer};

/// The command line offers these by name (`--preset zero-init`), with the first line of each doc
/// comment as its help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Preset {
    /// d2l's synthetic set: 1000 rows, w* = (2, −3.4), b* = 4.2.
    #[default]
    D2l,
    /// One feature, area (m²) → price (10k): the first sample is the lesson's worked example,
    /// area 100, price 200, predicted 180, loss 200.
    House,
    /// Six rows of small whole numbers, y = 2x₁ − x₂ + 1, to compute by hand.
    Tiny,
    /// d2l's data from w = 0, b = 0: linear regression needs no random start.
    ZeroInit,
    /// d2l's data from w = (10, 10), b = 10: the first losses are huge and the first steps long.
    LargeInit,
    /// d2l's data with one target moved up by 100: its batch's gradient jerks the parameters.
    Outlier,
    /// d2l's data sorted by target and taken in order: every batch sees a narrow slice of y.
    NoShuffle,
    /// Nine points of y ≈ |x|, which no line fits, for a network of 3 ReLU units (--hidden 3).
    TwoLayer,
}

/// House areas and prices; row 0 is the lesson's example.
const HOUSE: [(f64, f64); 8] = [
    (100.0, 200.0),
    (80.0, 158.0),
    (120.0, 243.0),
    (60.0, 119.0),
    (150.0, 301.0),
    (90.0, 178.0),
    (110.0, 222.0),
    (70.0, 141.0),
];

/// y = |x| with a little noise, fixed in the table (±0.1, so a class works the numbers on the
/// board): x = 0, 1, −1 come first, so the first batch holds a kink and both slopes.
const TWO_LAYER: [(f64, f64); 9] = [
    (0.0, 0.1),
    (1.0, 0.9),
    (-1.0, 1.1),
    (2.0, 2.1),
    (-2.0, 1.9),
    (0.5, 0.4),
    (-0.5, 0.6),
    (1.5, 1.6),
    (-1.5, 1.4),
];

const TINY_X: [[f64; 2]; 6] = [
    [1.0, 2.0],
    [2.0, 0.0],
    [0.0, 1.0],
    [3.0, 1.0],
    [1.0, 1.0],
    [2.0, 3.0],
];

/// Everything a preset sets up, in one place: its data, its settings and its start.
#[derive(Clone, Debug)]
pub struct PresetSpec {
    pub data: PresetData,
    pub hyper: Hyper,
    pub start: Start,
}

/// Where a preset's rows come from.
#[derive(Clone, Debug)]
pub enum PresetData {
    /// Drawn by [`Synthetic`](Synthetic) (so `--samples`, `--true-w`, ... apply), then made the scenario.
    Generated(Scenario),
    /// A fixed table.
    Fixed(fn() -> Result<Dataset, DataError>),
}

/// What a generated preset does to the drawn data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scenario {
    AsDrawn,
    /// Adds `by` to the target of row `row`.
    ShiftTarget {
        row: usize,
        by: f64,
    },
    /// Sorts the rows by target.
    SortByTarget,
}

/// The model a preset trains and where its parameters start.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    /// ŷ = Xw + b from this start.
    Linear(Init),
    /// Two layers from these parameters.
    TwoLayer(TwoLayer),
}

impl PresetData {
    /// The rows: the fixed table, or `synthetic`'s draw turned into the scenario.
    pub fn rows(&self, synthetic: &Synthetic) -> Result<Dataset, DataError> {
        match self {
            PresetData::Fixed(table) => table(),
            PresetData::Generated(scenario) => synthetic.generate().map(|mut data| {
                scenario.apply(&mut data);
                data
            }),
        }
    }

    /// Whether the rows come from [`Synthetic`](Synthetic) (and so take `--samples`, `--true-w`, ...).
    pub fn is_generated(&self) -> bool {
        match self {
            PresetData::Generated(_) => true,
            PresetData::Fixed(_) => false,
        }
    }
}

impl Scenario {
    /// Turns the drawn data into this scenario.
    pub fn apply(self, data: &mut Dataset) {
        match self {
            Scenario::AsDrawn => {}
            Scenario::ShiftTarget { row, by } => data.shift_target(row, by),
            Scenario::SortByTarget => data.sort_by_target(),
        }
    }
}

impl Preset {
    /// The name `--preset` takes.
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    /// This preset's data, settings and start.
    pub fn spec(self) -> PresetSpec {
        let generated = |scenario, hyper, init| PresetSpec {
            data: PresetData::Generated(scenario),
            hyper,
            start: Start::Linear(init),
        };
        match self {
            Preset::D2l => generated(Scenario::AsDrawn, Hyper::default(), Init::Normal),
            Preset::ZeroInit => generated(Scenario::AsDrawn, Hyper::default(), Init::Zeros),
            Preset::LargeInit => generated(Scenario::AsDrawn, Hyper::default(), Init::Large),
            // Row 0 is as likely as any to land in any batch; moving it keeps the rest intact.
            Preset::Outlier => generated(
                Scenario::ShiftTarget { row: 0, by: 100.0 },
                Hyper::default(),
                Init::Normal,
            ),
            Preset::NoShuffle => generated(
                Scenario::SortByTarget,
                Hyper {
                    shuffle: false,
                    ..Hyper::default()
                },
                Init::Normal,
            ),
            Preset::House => PresetSpec {
                data: PresetData::Fixed(house),
                // lr·λ ≈ 0.5 for areas near 100 m²: small enough to be stable, large enough to move.
                hyper: Hyper {
                    lr: 5e-5,
                    batch_size: 4,
                    epochs: 10,
                    shuffle: false,
                    ..Hyper::default()
                },
                start: Start::Linear(Init::WorkedExample),
            },
            Preset::Tiny => PresetSpec {
                data: PresetData::Fixed(tiny),
                hyper: Hyper {
                    lr: 0.1,
                    batch_size: 3,
                    epochs: 10,
                    shuffle: false,
                    ..Hyper::default()
                },
                start: Start::Linear(Init::Zeros),
            },
            Preset::TwoLayer => PresetSpec {
                data: PresetData::Fixed(two_layer),
                // The loss falls from 0.90 to 0.02 in 10 epochs, and W₂'s second weight turns
                // from −0.5 to +0.8: the class sees the curve bend.
                hyper: Hyper {
                    lr: 0.3,
                    batch_size: 3,
                    epochs: 10,
                    shuffle: false,
                    ..Hyper::default()
                },
                start: Start::TwoLayer(TwoLayer {
                    activation: Activation::Relu,
                    init: two_layer_start(),
                }),
            },
        }
    }

    /// The fixed data of a non-synthetic preset.
    pub fn fixed_data(self) -> Option<Result<Dataset, DataError>> {
        match self.spec().data {
            PresetData::Generated(_) => None,
            PresetData::Fixed(table) => Some(table()),
        }
    }

    /// Where a linear model starts on this preset: its own start, or d2l's normal draw on the
    /// two-layer preset (whose own start is its network's, [`Preset::spec`]'s `start`).
    pub fn init(self) -> Init {
        match self.spec().start {
            Start::Linear(init) => init,
            Start::TwoLayer(_) => Init::Normal,
        }
    }
}

fn house() -> Result<Dataset, DataError> {
    Dataset::new(
        HOUSE.iter().map(|r| r.0).collect(),
        HOUSE.iter().map(|r| r.1).collect(),
        vec!["area (m²)".into()],
        "price (10k)".into(),
    )
}

fn tiny() -> Result<Dataset, DataError> {
    Dataset::new(
        TINY_X.iter().flatten().copied().collect(),
        TINY_X.iter().map(|x| 2.0 * x[0] - x[1] + 1.0).collect(),
        vec!["x1".into(), "x2".into()],
        "y".into(),
    )
    .map(|mut d| {
        d.true_w = Some(vec![2.0, -1.0]);
        d.true_b = Some(1.0);
        d
    })
}

fn two_layer() -> Result<Dataset, DataError> {
    Dataset::new(
        TWO_LAYER.iter().map(|r| r.0).collect(),
        TWO_LAYER.iter().map(|r| r.1).collect(),
        vec!["x".into()],
        "y".into(),
    )
}

/// Round numbers a class can multiply on the board. Unit 1 is relu(x) and unit 3 relu(x − 1)/2
/// (both rising to the right); unit 2, relu(0.5 − x/2), starts weighted −0.5, so the first
/// curve falls to the left where the data rises, and training must turn it round.
fn two_layer_start() -> MlpParams {
    MlpParams {
        w1: DMatrix::from_row_slice(1, 3, &[1.0, -0.5, 0.5]),
        b1: DVector::from_row_slice(&[0.0, 0.5, -0.5]),
        w2: DVector::from_row_slice(&[0.5, -0.5, 0.5]),
        b2: 0.0,
    }
}
