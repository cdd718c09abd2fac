//! Building blocks for substituted formulas.
