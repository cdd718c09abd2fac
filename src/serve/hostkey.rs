//! The server's ed25519 host key: generated on first use and kept, so students see the same
//! fingerprint at every lesson.

use std::io::Write;
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey};

/// The key kept in the platform's data directory (`~/.local/share/gradstep` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "gradstep")
        .map(|d| d.data_dir().join("ssh_host_ed25519_key"))
}

/// Reads the key at `path`, or creates one there (mode 0600) when there is no file.
pub fn load_or_create(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = PrivateKey::from_openssh(&text)
                .map_err(|e| format!("{shown} is not an OpenSSH private key: {e}"))?;
            if key.algorithm() != Algorithm::Ed25519 {
                return Err(format!(
                    "{shown} holds a {} key; gradstep serve uses ed25519",
                    key.algorithm()
                ));
            }
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(format!("cannot read the host key {shown}: {e}")),
    }
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
        assert!(load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
