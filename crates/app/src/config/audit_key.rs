//! The audit chain's key file (see `chengguan_core::audit`): 64 hexadecimal digits, readable only by the user
//! who runs the server (LAN mode) or the workstation (local mode), and never in the database, so that a copy of
//! the database or someone who can write to it cannot make entries that verify.
//!
//! The file is created on first use. Losing it does not lose the log, but the entries made with it no longer
//! verify: it belongs in the server's backups, apart from the database's.

use std::io::Write;
use std::path::Path;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chengguan_core::audit::AuditKey;

use crate::{AppError, Result};

/// The environment variable naming the key file (beats `[audit] key_file` in the config file).
pub const AUDIT_KEY_ENV: &str = "CHENGGUAN_AUDIT_KEY_FILE";

/// Reads the key at `path`, creating it (with its folder) when there is none. A file others may read is
/// narrowed to its owner first.
pub fn load_or_create(path: &Path) -> Result<AuditKey> {
    load_or_create_telling(path).map(|(key, _)| key)
}

/// [`load_or_create`], telling whether the key was made just now (a database's log written before keying is
/// then sealed with it: see `App::open_configured`).
pub fn load_or_create_telling(path: &Path) -> Result<(AuditKey, bool)> {
    let fail = |source| AppError::File {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            owner_only(path).map_err(fail)?;
            AuditKey::parse_hex(&text)
                .map(|key| (key, false))
                .map_err(|problem| {
                    AppError::Config(format!("审计密钥文件 {}：{problem}", path.display()))
                })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(fail)?;
            }
            let mut bytes = [0u8; 32];
            OsRng.fill_bytes(&mut bytes);
            let key = AuditKey::from_bytes(bytes);
            // Written whole under a name of its own, then linked into place (which never replaces a file): a
            // second process starting at the same moment reads either no key or a whole one, never a half-written
            // file.
            let mut suffix = [0u8; 8];
            OsRng.fill_bytes(&mut suffix);
            let tmp = path.with_extension(format!(
                "tmp-{}-{:016x}",
                std::process::id(),
                u64::from_le_bytes(suffix)
            ));
            let written = create_owner_only(&tmp).and_then(|mut file| {
                file.write_all(format!("{}\n", key.to_hex()).as_bytes())?;
                file.sync_all()
            });
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(fail(e));
            }
            let linked = std::fs::hard_link(&tmp, path);
            let _ = std::fs::remove_file(&tmp);
            match linked {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "audit key created");
                    Ok((key, true))
                }
                // Another process made it meanwhile: theirs is the key.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_create_telling(path)
                }
                Err(e) => Err(fail(e)),
            }
        }
        Err(e) => Err(fail(e)),
    }
}

#[cfg(unix)]
fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    // On Windows the user's profile folder is already private to its user.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(path = %path.display(), "the audit key was readable by others: narrowed to its owner");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/audit.key");
        let made = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            load_or_create(&path).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "narrowed");
        }
        std::fs::write(&path, "not a key").unwrap();
        let e = load_or_create(&path).unwrap_err().to_string();
        assert!(e.contains("64 位十六进制"), "{e}");
    }
}
