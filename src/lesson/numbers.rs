//! A step's formula with the current mini-batch's values in place of the symbols.

use super::Lang;
use crate::engine::{Batch, Step};

/// One LaTeX string per displayed line.
pub(super) fn latex(_step: Step, _batch: &Batch, _precision: usize, _lang: Lang) -> Vec<String> {
    Vec::new()
}
