//! The run's navigation, below the screen: a place in a run and the go-to targets that name one,
//! the run's live changes, the lesson plan's stops, the experiments' schedule and the saved place.
//! Nothing here draws or reads keys, so `main`'s non-UI commands, `cli`, `handout` and `serve`
//! use it without `ui`.

mod changes;
pub mod experiments;
pub mod goto;
pub mod live;
pub mod resume;
pub mod stops;
