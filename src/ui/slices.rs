//! How much of a long move one slice computes: between slices the explainer (and a student's,
//! under `serve`) reads keys and signals, so q, Esc and SIGTERM answer at once whatever the
//! move's length.

/// Multiply-adds of one slice of a long jump (a few milliseconds).
pub(super) const SLICE_WORK: usize = 2_000_000;

/// Batches of one slice of a long jump on `session`.
pub fn slice_batches(session: &crate::engine::Session) -> usize {
    let per_batch =
        (session.batch().hyper.batch_size.max(1)).saturating_mul(session.data().d() + 1);
    (SLICE_WORK / per_batch).max(1)
}
