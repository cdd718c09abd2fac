//! The server's ed25519 host key: generated on first use and kept, so students see the same
//! fingerprint at every lesson.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey};

use super::ServeError;

/// The key kept in the platform's data directory (`~/.local/share/gradstep` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "gradstep")
        .map(|d| d.data_dir().join("ssh_host_ed25519_key"))
}

/// The most of a key file read: an OpenSSH ed25519 key is about 400 bytes, and anything far
/// larger (a wrong file, `/dev/zero`) is refused rather than read until memory runs out.
const MAX_KEY_FILE: u64 = 64 * 1024;

/// Reads the key at `path`, or creates one there (mode 0600) when there is no file. A file that
/// is not a key is bad input (status 2); a key that cannot be written, a failure (status 1).
pub fn load_or_create(path: &Path) -> Result<PrivateKey, ServeError> {
    let shown = path.display();
    let bad = |message: String| ServeError { message, status: 2 };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return create(path).map_err(|message| ServeError { message, status: 1 });
        }
        Err(e) => return Err(bad(format!("cannot read the host key {shown}: {e}"))),
    };
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot read the host key {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_KEY_FILE {
        return Err(bad(format!(
            "the host key {shown} is longer than {} KiB: it is not an OpenSSH private key",
            MAX_KEY_FILE >> 10
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| bad(format!("{shown} is not an OpenSSH private key: not text")))?;
    let key = PrivateKey::from_openssh(&text)
        .map_err(|e| bad(format!("{shown} is not an OpenSSH private key: {e}")))?;
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(bad(format!(
            "{shown} holds a {} key; gradstep serve uses ed25519",
            key.algorithm()
        )));
    }
    Ok(key)
}

fn create(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| format!("cannot generate a host key: {e}"))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create the host key {shown}: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write the host key {shown}: {e}"))?;
    Ok(key)
}

/// `SHA256:…`, as `ssh` prints it on first connection.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_is_private_and_read_back_the_same() {
        let dir = std::env::temp_dir().join(format!("gradstep-hostkey-{}", std::process::id()));
        let path = dir.join("sub").join("key");
        let _ = std::fs::remove_dir_all(&dir);
        let made = load_or_create(&path).expect("created");
        let again = load_or_create(&path).expect("read back");
        assert_eq!(fingerprint(&made), fingerprint(&again));
        assert!(fingerprint(&made).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").expect("overwrite");
        assert_eq!(
            load_or_create(&path).map(|_| ()).map_err(|e| e.status),
            Err(2)
        );
        // A file far too long to be a key is refused after reading no more than the cap.
        std::fs::write(&path, vec![b'A'; 200_000]).expect("overwrite");
        let err = load_or_create(&path).expect_err("too long");
        assert_eq!(err.status, 2);
        assert!(
            err.message.contains("longer than 64 KiB"),
            "{}",
            err.message
        );
        #[cfg(unix)]
        {
            let zero = load_or_create(Path::new("/dev/zero")).expect_err("endless");
            assert!(
                zero.message.contains("longer than 64 KiB"),
                "{}",
                zero.message
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
