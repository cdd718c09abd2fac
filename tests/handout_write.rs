//! Writing the handout: all or nothing, never over an existing file unless forced, and errors
//! that name the path. Each test works in its own fresh directory.

mod scratch;
use scratch::{Scratch, scratch_dir};

use std::fs;
use std::path::Path;

use gradstep::handout::{HandoutError, write_atomically};

fn scratch(name: &str) -> Scratch {
    scratch_dir(name)
}

/// The names in `dir`, sorted: a leftover temporary file would show up here.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The error of a write that must fail.
fn refused(path: &Path, text: &str, force: bool) -> HandoutError {
    match write_atomically(path, text, force) {
        Err(e) => e,
        Ok(()) => panic!("wrote {} (force: {force})", path.display()),
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn writes_a_new_file_and_leaves_nothing_else() {
    let dir = scratch("new");
    let path = dir.join("batch-7.md");
    write_atomically(&path, "# δ = ŷ − y\n", false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&path), "# δ = ŷ − y\n");
    assert_eq!(entries(&dir), ["batch-7.md"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_existing_file_is_kept_without_force() {
    let dir = scratch("exists");
    let path = dir.join("handout.md");
    fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
    let err = refused(&path, "new", false);
    assert!(matches!(err, HandoutError::AlreadyExists { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert_eq!(read(&path), "old");
    assert_eq!(entries(&dir), ["handout.md"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn force_replaces_an_existing_file() {
    let dir = scratch("force");
    let path = dir.join("handout.md");
    fs::write(&path, "old, and longer than the new text").unwrap_or_else(|e| panic!("{e}"));
    write_atomically(&path, "new", true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&path), "new");
    assert_eq!(entries(&dir), ["handout.md"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_directory_is_named_in_the_error() {
    let dir = scratch("missing");
    let path = dir.join("no-such-dir").join("handout.md");
    for force in [false, true] {
        let err = refused(&path, "text", force);
        assert!(matches!(err, HandoutError::Io { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("does not exist"), "{message}");
    }
    assert!(entries(&dir).is_empty());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_path_through_a_file_cannot_be_written() {
    // Works even as root, unlike a read-only directory.
    let dir = scratch("through-file");
    let file = dir.join("plain.txt");
    fs::write(&file, "not a directory").unwrap_or_else(|e| panic!("{e}"));
    let path = file.join("handout.md");
    let err = refused(&path, "text", true);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("cannot write {}", path.display())),
        "{message}"
    );
    assert_eq!(entries(&dir), ["plain.txt"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_is_not_replaced_even_with_force() {
    let dir = scratch("is-dir");
    let target = dir.join("handout.md");
    fs::create_dir(&target).unwrap_or_else(|e| panic!("{e}"));
    for force in [false, true] {
        let err = refused(&target, "text", force);
        let message = err.to_string();
        assert!(message.contains("is a directory"), "{message}");
        assert!(message.contains(&target.display().to_string()), "{message}");
    }
    assert!(target.is_dir());
    assert_eq!(entries(&dir), ["handout.md"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_bare_file_name_goes_in_the_current_directory() {
    // The other tests use absolute paths, so moving this process's directory does not touch them.
    let dir = scratch("bare");
    std::env::set_current_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let bare = Path::new("handout.md");
    write_atomically(bare, "first", false).unwrap_or_else(|e| panic!("{e}"));
    let err = refused(bare, "second", false);
    assert_eq!(
        err.to_string(),
        "handout.md already exists; use --force to overwrite it"
    );
    assert_eq!(read(&dir.join("handout.md")), "first");
    assert_eq!(entries(&dir), ["handout.md"]);
    let _ = std::env::set_current_dir(std::env::temp_dir());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_name_near_the_file_systems_limit_is_written() {
    let dir = scratch("long");
    // 253 bytes: valid (the limit is 255), so the temporary file must not be named after it.
    let name = format!("{}.md", "b".repeat(250));
    assert_eq!(name.len(), 253);
    let path = dir.join(&name);
    write_atomically(&path, "# long\n", false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&path), "# long\n");
    assert_eq!(entries(&dir), std::slice::from_ref(&name));
    write_atomically(&path, "# again\n", true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&path), "# again\n");
    assert_eq!(entries(&dir), [name]);
    let _ = fs::remove_dir_all(&dir);
}
