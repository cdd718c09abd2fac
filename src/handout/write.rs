//! Writing a file so that a reader never sees half of it, and an existing file is replaced only
//! when asked: the text goes to a temporary file beside the target, which is then moved into
//! place in one step.

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why a handout could not be written. Its message is one sentence that names the path.
#[derive(Debug)]
pub enum HandoutError {
    /// The file exists and overwriting was not allowed.
    AlreadyExists { path: PathBuf },
    /// The file system refused: a missing directory, no permission, a full disk, ...
    Io { path: PathBuf, source: io::Error },
}

impl std::fmt::Display for HandoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HandoutError::AlreadyExists { path } => write!(
                f,
                "{} already exists; use --force to overwrite it",
                path.display()
            ),
            HandoutError::Io { path, source } => {
                write!(
                    f,
                    "cannot write {}: {}",
                    path.display(),
                    reason(path, source)
                )
            }
        }
    }
}

impl std::error::Error for HandoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HandoutError::AlreadyExists { .. } => None,
            HandoutError::Io { source, .. } => Some(source),
        }
    }
}

/// The cause in words a user can act on; the OS's own text for anything unusual.
fn reason(path: &Path, e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => format!("the directory {} does not exist", dir_of(path).display()),
        ErrorKind::NotADirectory => format!("{} is not a directory", dir_of(path).display()),
        ErrorKind::IsADirectory => "it is a directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        ErrorKind::StorageFull => "the disk is full".into(),
        _ => e.to_string(),
    }
}

/// The directory the file goes in; "." for a bare file name.
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `text` to `path` through a temporary file in the same directory (a rename is only
/// atomic within one file system). Without `force`, an existing `path` is left untouched and
/// the error says so.
pub fn write_atomically(path: &Path, text: &str, force: bool) -> Result<(), HandoutError> {
    let io_err = |source| HandoutError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(io_err(io::Error::from(ErrorKind::IsADirectory)));
    }
    if !force && fs::symlink_metadata(path).is_ok() {
        return Err(HandoutError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let (mut file, temp) = create_temp(path).map_err(io_err)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io_err)?;
    drop(file);
    if force {
        fs::rename(&temp.path, path).map_err(io_err)?;
    } else {
        publish_new(&temp.path, path)?;
    }
    temp.disarm();
    Ok(())
}

/// Moves `temp` to `path` unless `path` has appeared since the check: a hard link fails on an
/// existing name, which closes the gap between checking and renaming.
fn publish_new(temp: &Path, path: &Path) -> Result<(), HandoutError> {
    match fs::hard_link(temp, path) {
        Ok(()) => {
            // The content is in place under its name; a leftover temporary is all that can fail.
            let _ = fs::remove_file(temp);
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(HandoutError::AlreadyExists {
            path: path.to_path_buf(),
        }),
        // Some file systems (FAT, some network shares) have no hard links: fall back to the
        // checked rename.
        Err(_) => fs::rename(temp, path).map_err(|source| HandoutError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// A temporary file that is removed when dropped, unless kept.
struct Temp {
    path: PathBuf,
    keep: bool,
}

impl Temp {
    /// The file has been renamed or linked into place: nothing is left to remove.
    fn disarm(mut self) {
        self.keep = true;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A new, hidden file next to `path`; the name carries the process id and a counter so that
/// two writers never share one.
fn create_temp(path: &Path) -> io::Result<(File, Temp)> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "handout".into(), |n| n.to_string_lossy().into_owned());
    let dir = dir_of(path);
    let mut attempt = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => {
                return Ok((
                    file,
                    Temp {
                        path: temp,
                        keep: false,
                    },
                ));
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}
