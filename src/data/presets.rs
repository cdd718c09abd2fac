//! Named starting points for a class: the lesson's code, its worked example, and a hand-sized set.

use super::{DataError, Dataset, Synthetic};

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

const TINY_X: [[f64; 2]; 6] = [
    [1.0, 2.0],
    [2.0, 0.0],
    [0.0, 1.0],
    [3.0, 1.0],
    [1.0, 1.0],
    [2.0, 3.0],
];

impl Preset {
    /// The name `--preset` takes.
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    /// Whether the data comes from [`Synthetic`] (and so takes `--samples`, `--true-w`, ...).
    pub fn is_synthetic(self) -> bool {
        !matches!(self, Preset::House | Preset::Tiny)
    }

    /// Turns the generated data into this preset's scenario.
    pub fn adjust(self, data: &mut Dataset) {
        match self {
            // Row 0 is as likely as any to land in any batch; moving it keeps the rest intact.
            Preset::Outlier => data.shift_target(0, 100.0),
            Preset::NoShuffle => data.sort_by_target(),
            _ => {}
        }
    }

    /// The fixed data of a non-synthetic preset.
    pub fn fixed_data(self) -> Option<Result<Dataset, DataError>> {
        match self {
            Preset::D2l
            | Preset::ZeroInit
            | Preset::LargeInit
            | Preset::Outlier
            | Preset::NoShuffle => None,
            Preset::House => Some(Dataset::new(
                HOUSE.iter().map(|r| r.0).collect(),
                HOUSE.iter().map(|r| r.1).collect(),
                vec!["area (m²)".into()],
                "price (10k)".into(),
            )),
            Preset::Tiny => Some(
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
                }),
            ),
        }
    }

    pub fn synthetic(self) -> Synthetic {
        Synthetic::default()
    }
}
