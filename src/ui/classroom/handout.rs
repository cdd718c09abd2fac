//! The handout key: the current batch's Markdown handout, next to where the class is, never
//! over an earlier one.

use std::path::PathBuf;

use crate::handout::{self, HandoutError, HandoutOptions};
use crate::ui::app::App;

/// Enough numbered copies for any lesson; past this something else is wrong.
const MAX_COPIES: usize = 1000;

/// Writes `gradstep-epochE-batchB.md` (or `-2`, `-3`, … if taken) into the handout directory.
pub fn write(app: &App) -> Result<PathBuf, String> {
    let b = app.session.batch();
    let opts = HandoutOptions {
        lang: app.lang,
        precision: app.precision(),
        source: app.classroom.source.get(app.lang).to_string(),
    };
    let text = handout::render(&app.lesson, &app.session, &opts);
    let stem = format!("gradstep-epoch{}-batch{}", b.epoch, b.batch);
    for copy in 1..=MAX_COPIES {
        let name = if copy == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{copy}.md")
        };
        let path = app.classroom.handout_dir.join(name);
        // A file that appeared since the check is reported as existing too: try the next name.
        match handout::write_atomically(&path, &text, false) {
            Ok(()) => return Ok(path),
            Err(HandoutError::AlreadyExists { .. }) => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("{MAX_COPIES} copies of {stem}.md already exist"))
}
