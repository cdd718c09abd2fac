//! Writing a file so that a reader never sees half of it, and an existing file is replaced only
//! when asked: the text goes to a temporary file beside the target (`tempfile`), which is then
//! moved into place in one step. Only regular files are ever replaced, and a replaced file keeps
//! its permissions.

use std::fs::{self, Permissions};
use std::io::{self, ErrorKind, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Why a handout could not be written. Its message is one sentence that names the path.
#[derive(Debug, thiserror::Error)]
pub enum HandoutError {
    /// The file exists and overwriting was not allowed.
    #[error("{} already exists; use --force to overwrite it", path.display())]
    AlreadyExists { path: PathBuf },
    /// The target exists and is not a regular file (a directory, a FIFO, a device, a link):
    /// replacing it, even with --force, would destroy something that is not a handout.
    #[error("{} is a {kind}, not a regular file; gradstep only writes regular files", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    /// The path ends with a slash, so it names a directory, not a file.
    #[error("{} ends with '/', so it names a directory; give a file name", path.display())]
    NotAFileName { path: PathBuf },
    /// The file system refused: a missing directory, no permission, a full disk, ...
    #[error("cannot write {}: {}", path.display(), reason(path, source))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl HandoutError {
    /// The user asked for something that cannot be done (exit status 2): a path that exists
    /// already, is not a file name, or leads through a directory that is not there; rather than
    /// the system failing to do it (exit status 1: a full disk, a read-only file system, ...).
    pub fn is_bad_input(&self) -> bool {
        match self {
            HandoutError::Io { source, .. } => matches!(
                source.kind(),
                ErrorKind::NotFound | ErrorKind::NotADirectory | ErrorKind::InvalidFilename
            ),
            _ => true,
        }
    }
}

/// The cause in words a user can act on; the OS's own text for anything unusual.
fn reason(path: &Path, e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => format!("the directory {} does not exist", dir_of(path).display()),
        ErrorKind::NotADirectory => format!("{} is not a directory", dir_of(path).display()),
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

/// What an existing path is, in words, unless it is a regular file.
fn non_regular_kind(meta: &fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    let kind = if t.is_file() {
        return None;
    } else if t.is_dir() {
        "directory"
    } else if t.is_symlink() {
        "symbolic link"
    } else if t.is_fifo() {
        "FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "device"
    } else if t.is_socket() {
        "socket"
    } else {
        "special file"
    };
    Some(kind)
}

/// The file `-o` names, or `None` for stdout: `-o -` is stdout, as for most tools that take an
/// output file.
pub fn output_file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// Writes `text` to `path` through a temporary file in the same directory (a rename is only
/// atomic within one file system). Without `force`, an existing `path` is left untouched and
/// the error says so; with it, only a regular file is replaced, and it keeps its mode.
pub fn write_atomically(path: &Path, text: &str, force: bool) -> Result<(), HandoutError> {
    write_with(path, text, force, None)
}

/// Writes a state file (the saved place) as [`write_atomically`] with `force`, readable and
/// writable by its owner alone (0600) whatever the umask or the mode of the file it replaces:
/// it records how a class was run.
pub fn write_private(path: &Path, text: &str) -> Result<(), HandoutError> {
    write_with(path, text, true, Some(0o600))
}

fn write_with(path: &Path, text: &str, force: bool, mode: Option<u32>) -> Result<(), HandoutError> {
    let io_err = |source| HandoutError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str().as_encoded_bytes().ends_with(b"/") {
        return Err(HandoutError::NotAFileName {
            path: path.to_path_buf(),
        });
    }
    let existing = fs::symlink_metadata(path).ok();
    if let Some(meta) = &existing {
        if let Some(kind) = non_regular_kind(meta) {
            return Err(HandoutError::NotRegular {
                path: path.to_path_buf(),
                kind,
            });
        }
        if !force {
            return Err(HandoutError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
    }
    // A short name of its own, not the target's: a target name near the file system's limit
    // (255 bytes) must still leave room for the temporary one.
    // Created as any new file would be (0666 less the umask), or private from the start; a
    // replaced file's own mode is set below, unmasked.
    let mut temp = tempfile::Builder::new()
        .prefix(".gradstep-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(mode.unwrap_or(0o666)))
        .tempfile_in(dir_of(path))
        .map_err(io_err)?;
    let keep = match (mode, &existing) {
        (Some(mode), _) => Some(Permissions::from_mode(mode)),
        (None, Some(meta)) => Some(meta.permissions()),
        (None, None) => None,
    };
    if let Some(permissions) = keep {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(io_err)?;
    }
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io_err)?;
    if force {
        temp.persist(path).map_err(|e| io_err(e.error))?;
    } else {
        // Fails, rather than replaces, if the name appeared since the check.
        temp.persist_noclobber(path)
            .map_err(|e| match e.error.kind() {
                ErrorKind::AlreadyExists => HandoutError::AlreadyExists {
                    path: path.to_path_buf(),
                },
                _ => io_err(e.error),
            })?;
    }
    Ok(())
}
