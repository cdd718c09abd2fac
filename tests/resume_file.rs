//! The saved place as a file: private to its owner, without the class code, the class's place
//! apart from the projector's, and read with a size cap (a link to /dev/zero or a huge file is
//! damaged, never read until memory runs out).

mod scratch;
use scratch::{Scratch, scratch_dir};

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use gradstep::run::resume::{self, MAX_PLACE_BYTES};

fn scratch(name: &str) -> Scratch {
    scratch_dir(name)
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

#[test]
fn the_class_code_is_never_kept() {
    let given = strings(&[
        "serve",
        "--quiz",
        "--code",
        "4711",
        "--listen",
        "127.0.0.1:2222",
        "--resume",
    ]);
    assert_eq!(
        resume::run_args(&given),
        strings(&["serve", "--quiz", "--listen", "127.0.0.1:2222"])
    );
    let given = strings(&[
        "serve",
        "--code=4711",
        "--at",
        "2:3",
        "--max-students",
        "40",
    ]);
    assert_eq!(
        resume::run_args(&given),
        strings(&["serve", "--max-students", "40"])
    );
}

#[test]
fn the_class_keeps_its_place_apart_from_the_projector() {
    let projector = resume::path().expect("a state directory");
    let class = resume::class_path().expect("a state directory");
    assert_eq!(projector.parent(), class.parent());
    assert_eq!(
        projector.file_name().and_then(|n| n.to_str()),
        Some("place.json")
    );
    assert_eq!(
        class.file_name().and_then(|n| n.to_str()),
        Some("serve-place.json")
    );
}

#[test]
fn state_files_are_written_private_whatever_they_replace() {
    let dir = scratch("mode");
    let path = dir.join("place.json");
    gradstep::handout::write_private(&path, "{}").unwrap_or_else(|e| panic!("{e}"));
    let mode = |p: &PathBuf| fs::metadata(p).map(|m| m.permissions().mode() & 0o777).ok();
    assert_eq!(mode(&path), Some(0o600));
    // An older, world-readable place becomes private when it is next written.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    gradstep::handout::write_private(&path, "{\"a\": 1}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mode(&path), Some(0o600));
    assert_eq!(
        fs::read_to_string(&path).ok().as_deref(),
        Some("{\"a\": 1}")
    );
    // Nothing else is left in the directory.
    assert_eq!(fs::read_dir(&dir).map(|d| d.count()).ok(), Some(1));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_endless_or_huge_place_is_damaged_and_read_only_up_to_the_cap() {
    let dir = scratch("huge");
    let zero = dir.join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let err = resume::load(&zero).expect_err("/dev/zero is no place");
    assert!(err.contains("is damaged"), "{err}");
    // 600 MB, sparse: only the first MiB and a byte are read.
    let big = dir.join("big.json");
    fs::File::create(&big)
        .and_then(|f| f.set_len(600_000_000))
        .expect("a large file");
    let err = resume::load(&big).expect_err("too big");
    assert!(
        err.contains("is damaged") && err.contains("larger than 1 MiB"),
        "{err}"
    );
    // Just at the cap, it is read (and is not JSON).
    let at_cap = dir.join("cap.json");
    fs::write(&at_cap, vec![b' '; MAX_PLACE_BYTES as usize]).expect("write");
    let err = resume::load(&at_cap).expect_err("blank");
    assert!(err.contains("is damaged (EOF"), "{err}");
    let _ = fs::remove_dir_all(&dir);
}
