//! The handout key: the current batch's Markdown handout, next to where the class is, never
//! over an earlier one.

use std::path::{Path, PathBuf};

use crate::engine::Session;
use crate::handout::{self, HandoutError, HandoutOptions, TwoLayerBatch};
use crate::lesson::{Lang, Lesson};

/// Enough numbered copies for any lesson; past this something else is wrong.
const MAX_COPIES: usize = 1000;

/// Writes the session's current batch as `gradstep-epochE-batchB.md` (or `-2`, `-3`, … if taken)
/// into `dir`; `source` says in words where the data came from.
pub fn write(
    lesson: &Lesson,
    session: &Session,
    lang: Lang,
    precision: usize,
    source: &str,
    dir: &Path,
) -> Result<PathBuf, String> {
    let b = session.batch();
    let opts = HandoutOptions {
        lang,
        precision,
        source: source.to_string(),
    };
    let text = handout::render(lesson, session, &opts);
    write_text(&text, (b.epoch, b.batch), dir)
}

/// Writes a two-layer run's current batch, as `gradstep handout --hidden H --batch K` renders it,
/// under the same names as [`write`].
pub fn write_two_layer(
    batch: &TwoLayerBatch<'_>,
    opts: &HandoutOptions,
    dir: &Path,
) -> Result<PathBuf, String> {
    let text = handout::render_two_layer(batch, opts);
    let pos = &batch.update.pos;
    write_text(&text, (pos.epoch, pos.batch), dir)
}

/// `text` as the handout of batch `batch` of epoch `epoch`, never over an earlier one.
fn write_text(text: &str, (epoch, batch): (usize, usize), dir: &Path) -> Result<PathBuf, String> {
    let stem = format!("gradstep-epoch{epoch}-batch{batch}");
    for copy in 1..=MAX_COPIES {
        let name = if copy == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{copy}.md")
        };
        let path = dir.join(name);
        // A file that appeared since the check is reported as existing too: try the next name.
        match handout::write_atomically(&path, text, false) {
            Ok(()) => return Ok(path),
            Err(HandoutError::AlreadyExists { .. }) => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("{MAX_COPIES} copies of {stem}.md already exist"))
}
