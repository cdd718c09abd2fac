//! The mathematics of the lesson and the step machine over it: pure nalgebra, no UI.
//!
//! For ŷ = Xw + b and L = Σ ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², `l.sum().backward()` leaves ∂L/∂w = Xᵀδ and
//! ∂L/∂b = Σδ with δ = ŷ − y; `sgd` then does w ← w − lr·∂L/∂w / N.

pub mod batch;
pub mod compare;
pub mod config;
pub mod gradcheck;
mod history;
pub mod mlp;
pub mod mlp_check;
pub mod mlp_losses;
pub mod mlp_session;
pub mod mlp_train;
pub mod schedule;
pub mod session;
pub mod stability;
pub mod step;
pub mod surface;
pub mod tape;
pub mod train;

pub use batch::{Batch, BatchPos, full_loss, predict};
pub use config::{DivideBy, Hyper, Init, LR_LADDER, Objective, Params};
pub use gradcheck::{Check, GradCheck};
pub use mlp::{Activation, MAX_HIDDEN, MlpParams, Starts, TwoLayer};
pub use mlp_train::{MlpTraining, MlpUpdate};
pub use schedule::{Change, MAX_BATCHES, Schedule};
pub use session::{InvalidRun, Jump, Progress, Session};
pub use step::{Granularity, Step};
pub use surface::{Grid, Surface};
pub use tape::{Linear, Node, NodeId, Op, Tape};
pub use train::{EpochReport, TrainReport, Training, train, train_with};
