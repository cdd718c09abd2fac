//! The data's own names on screen: the CSV header for `--data`, `area (m²)` and `price (10k)` for
//! the house preset, x₁ x₂ for generated data; and what the row numbers count.

use super::strings::S;
use crate::data::Dataset;
use crate::handout::shown_name;
use crate::lesson::Lang;

/// Feature `j` (0-based) as the legend and inspect name it.
pub fn feature(data: &Dataset, j: usize) -> String {
    data.feature_names
        .get(j)
        .map_or_else(|| format!("x{}", j + 1), |n| shown_name(n))
}

pub fn target(data: &Dataset) -> String {
    shown_name(&data.target_name)
}

/// The matrices' legend, most needed first: the columns of X and y, then what rows count.
pub fn legend(data: &Dataset, lang: Lang) -> Vec<String> {
    let names: Vec<String> = (0..data.d()).map(|j| feature(data, j)).collect();
    let columns = if names.len() <= 4 {
        format!("X: {} → y: {}", names.join(", "), target(data))
    } else {
        format!(
            "X: {}, …, {} → y: {}",
            names[0],
            names[names.len() - 1],
            target(data)
        )
    };
    vec![columns, S::RowsLegend.get(lang).to_string()]
}
