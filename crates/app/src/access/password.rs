//! Password hashing with argon2id (RFC 9106), stored as PHC strings.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::{AppError, Result};

/// Hashes a password with argon2id and a random salt (the crate's defaults: 19 MiB, 2 passes, 1 lane, the
/// OWASP minimum for argon2id).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("无法计算密码哈希：{e}")))
}

/// True if `password` matches the stored PHC string (false also for an unreadable hash).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`verify_password`] on a blocking thread, a few at a time: Argon2 takes tens of milliseconds and 19 MiB a
/// check, and a burst of sign-ins (or a guesser) must not stall the server's other requests.
pub async fn verify_password_off_thread(password: &str, phc: &str) -> bool {
    static SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> =
        std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(4));
    let Ok(_slot) = SLOTS.acquire().await else {
        return false;
    };
    let (password, phc) = (password.to_string(), phc.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("Chengguan@2026").unwrap();
        let b = hash_password("Chengguan@2026").unwrap();
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "a random salt each time");
        assert!(verify_password("Chengguan@2026", &a));
        assert!(!verify_password("chengguan@2026", &a));
        assert!(!verify_password("x", "not a hash"));
    }
}
