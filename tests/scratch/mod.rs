//! A directory of one test's own under the system's temp folder, removed when the guard drops,
//! so a test leaves nothing behind even when it fails.

use std::ops::Deref;
use std::path::Path;

pub struct Scratch(tempfile::TempDir);

/// A fresh, empty directory named after `name` (and unique, so parallel tests never share one).
pub fn scratch_dir(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("gradstep-{name}-"))
        .tempdir()
        .unwrap_or_else(|e| panic!("a temp dir for {name}: {e}"));
    Scratch(dir)
}

impl Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}
