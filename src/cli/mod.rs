//! The command line: options → run → one of ui, trace, train, data, graph.

pub mod args;
pub mod graph;
pub mod setup;
pub mod sweep;
pub mod trace;
pub mod train;
pub mod two_layer;
pub mod two_layer_commands;

#[cfg(feature = "serve")]
pub use args::ServeArgs;
pub use args::{Cli, Command, RunArgs, class_code};
pub use setup::{Run, build};
