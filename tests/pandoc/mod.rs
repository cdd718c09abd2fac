//! pandoc, run on a handout: its HTML, failing the test on any warning.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs pandoc on `md`; panics with its stderr on failure or on any warning.
pub fn pandoc(md: &str, args: &[&str]) -> String {
    let mut child = Command::new("pandoc")
        .args(["-f", "markdown"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "pandoc is required by this test and could not be run ({e}): install it, e.g. `apt-get install pandoc` (CI installs it in .ci/run)"
            )
        });
    child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(md.as_bytes()))
        .unwrap_or_else(|| panic!("pandoc's stdin"))
        .unwrap_or_else(|e| panic!("writing to pandoc: {e}"));
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("pandoc: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pandoc {args:?} failed: {stderr}");
    assert!(stderr.trim().is_empty(), "pandoc {args:?} warned: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
