//! gradstep: the backpropagation of linear regression, one mini-batch at a time.
#![forbid(unsafe_code)]

pub mod cli;
pub mod data;
pub mod engine;
pub mod explainer;
pub mod handout;
pub mod lesson;
pub mod math;
pub mod number;
pub mod palette;
pub mod preset;
pub mod run;
#[cfg(feature = "serve")]
pub mod serve;
pub mod ui;
pub mod worked;
