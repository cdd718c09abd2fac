//! `ssh -p PORT name@host handout`: the teacher's current batch as the Markdown handout (what the
//! teacher's `H` writes), printed to the student's terminal, so nothing has to be installed to
//! take it home. It is the one command a student may run; it is computed off the runtime's
//! threads, one at a time with the class's long moves, and bounded in time and size.

use std::time::Duration;

use super::class::{Class, TwoLayerClass};
use super::follow;
use super::words::{self, NoHandout};
use crate::engine::Session;
use crate::handout::{self, HandoutOptions};
use crate::lesson::Lang;

/// The one command a student may run.
pub const COMMAND: &[u8] = b"handout";
/// Longest the handout may take to compute; a class of thirty fetching it at once waits its turn.
pub const TIME: Duration = Duration::from_secs(20);
/// Largest handout sent: far above any batch's (a few kilobytes to a few hundred).
pub const MAX_BYTES: usize = 4 << 20;

/// The teacher's run at the teacher's batch: the run published for following students, rebuilt
/// when the teacher's live changes are newer than it. None when that batch cannot be reached.
fn teachers_batch(class: &Class) -> Option<(Session, usize)> {
    let place = class.place.borrow().clone();
    let run = class.run.borrow().clone();
    let mut s = if place.is_run_of(&run) {
        (*run).clone()
    } else {
        follow::rebuild(&class.pristine, &place).ok()?
    };
    s.go_to_batch(place.global);
    (s.batch().global == place.global).then_some((s, place.precision))
}

/// The two-layer handout of the teacher's current batch (the teacher's run is there already,
/// or a short replay from its checkpoints away).
fn two_layer(taught: &TwoLayerClass, opts: &HandoutOptions) -> String {
    let place = *taught.place.borrow();
    let mut s = (**taught.run.borrow()).clone();
    s.go_to_batch(place.global);
    handout::render_two_layer(&handout::TwoLayerBatch::of(&s), opts)
}

/// The handout of the teacher's current batch in `lang`, or why not (one line).
pub fn render(class: &Class, lang: Lang) -> Result<String, String> {
    let source = class.options.source.get(lang).to_string();
    let text = if let Some(taught) = &class.two_layer {
        let precision = taught.place.borrow().precision;
        two_layer(
            taught,
            &HandoutOptions {
                lang,
                precision,
                source,
            },
        )
    } else {
        let (session, precision) =
            teachers_batch(class).ok_or_else(|| words::no_handout(lang, NoHandout::Unreachable))?;
        let opts = HandoutOptions {
            lang,
            precision,
            source,
        };
        handout::render(&class.lesson, &session, &opts)
    };
    if text.len() > MAX_BYTES {
        return Err(words::no_handout(
            lang,
            NoHandout::TooLarge(MAX_BYTES >> 20),
        ));
    }
    Ok(text)
}
