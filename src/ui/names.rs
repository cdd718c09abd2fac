//! The data's own names on screen: the CSV header for `--data`, `area (m²)` and `price (10k)` for
//! the house preset, x₁ x₂ for generated data; and what the row numbers count.

use super::glyphs::Glyphs;
use super::strings::S;
use crate::data::Dataset;
use crate::handout::shown_name;
use crate::lesson::Lang;
use crate::number;
use crate::worked::{Cell, Quantity};
use crate::worked::{Part, Symbol};

/// A column name for the screen: subscripts (x₁) where they draw narrow, the name as it is
/// made safe for the terminal otherwise.
fn shown(raw: &str, glyphs: &Glyphs) -> String {
    if glyphs.ambiguous_wide {
        glyphs.text(raw).into_owned()
    } else {
        shown_name(raw)
    }
}

/// Feature `j` (0-based) as the legend and inspect name it.
pub fn feature(data: &Dataset, j: usize, glyphs: &Glyphs) -> String {
    data.feature_names
        .get(j)
        .map_or_else(|| format!("x{}", j + 1), |n| shown(n, glyphs))
}

pub fn target(data: &Dataset, glyphs: &Glyphs) -> String {
    shown(&data.target_name, glyphs)
}

/// The data's own name of what a cell of the linear model is about: a feature, or the target;
/// None for what is named by the lesson's symbol alone.
pub fn about(data: &Dataset, cell: Cell, glyphs: &Glyphs) -> Option<String> {
    match cell.q {
        Quantity::Of(Symbol::X, Part::Value) => Some(feature(data, cell.col, glyphs)),
        // w's row is a feature (in its gradient, `.grad` and update too), and Xᵀ's.
        Quantity::Of(Symbol::X, Part::Transposed)
        | Quantity::Of(Symbol::W, Part::Value | Part::Grad | Part::New | Part::Held) => {
            Some(feature(data, cell.row, glyphs))
        }
        Quantity::Of(Symbol::Y | Symbol::YHat, Part::Value) => Some(target(data, glyphs)),
        // Every other node, and any other gradient, update or part of one.
        Quantity::Of(
            Symbol::B
            | Symbol::Delta
            | Symbol::LossSample
            | Symbol::Loss
            | Symbol::W1
            | Symbol::B1
            | Symbol::W2
            | Symbol::B2
            | Symbol::Z
            | Symbol::H,
            Part::Value,
        )
        | Quantity::Of(
            _,
            Part::Transposed
            | Part::Grad
            | Part::Held
            | Part::New
            | Part::Slope
            | Part::Terms
            | Part::EpochMean,
        )
        | Quantity::Unnamed(_) => None,
    }
}

/// The matrices' legend, most needed first: the columns of X and y, then what the row numbers
/// count (from 1, as every row on screen).
pub fn legend(data: &Dataset, lang: Lang, glyphs: &Glyphs) -> Vec<String> {
    let names: Vec<String> = (0..data.d()).map(|j| feature(data, j, glyphs)).collect();
    let y = target(data, glyphs);
    let columns = if names.len() <= 4 {
        format!("X: {} → y: {y}", names.join(", "))
    } else {
        format!("X: {}, …, {} → y: {y}", names[0], names[names.len() - 1])
    };
    vec![columns, S::RowsLegend.get(lang).to_string()]
}

/// A standardized run's second heading line: what standardizing did, then each feature's mean
/// and standard deviation before it, in the feature's own units (None for unscaled data).
pub fn scales(
    data: &Dataset,
    lang: Lang,
    glyphs: &Glyphs,
    precision: usize,
) -> Option<Vec<String>> {
    let scales = data.scales()?;
    let mut parts = vec![S::ScalesLegend.get(lang).to_string()];
    parts.extend(scales.iter().enumerate().map(|(j, s)| {
        S::ScaleOf
            .get(lang)
            .replace("{name}", &feature(data, j, glyphs))
            .replace("{mean}", &number::plain(s.mean, precision))
            .replace("{sd}", &number::plain(s.sd, precision))
    }));
    Some(parts)
}
