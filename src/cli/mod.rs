//! The command line: options → run → one of ui, trace, train, data.

pub mod args;
pub mod setup;
pub mod sweep;
pub mod trace;
pub mod train;

pub use args::{Cli, Command, RunArgs, ServeArgs, class_code};
pub use setup::{Run, build};
