//! Argon2id password hashing, always off the async threads.

use crate::error::ApiError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;
use std::sync::OnceLock;

/// Hashes a password with Argon2id (default parameters) on a blocking thread.
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?
}

fn hash_now(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing: {e}")))
}

/// Checks a password against a stored hash on a blocking thread. With no stored hash (unknown
/// login) it checks against a fixed dummy hash, so both cases take the same time.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && ok
    })
    .await
    .map_err(|e| ApiError::Internal(format!("verify task: {e}")))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("not-a-real-password-0").unwrap_or_default())
}

/// A random password that meets the policy: 16 characters from an alphabet without look-alikes,
/// always with letters and digits, so it can be read out over the phone.
pub fn generate() -> String {
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::thread_rng();
    loop {
        let candidate: String = (0..16)
            .map(|_| {
                let pool = if rng.gen_bool(0.3) { DIGITS } else { LETTERS };
                pool[rng.gen_range(0..pool.len())] as char
            })
            .collect();
        if ouen_shared::validate::password_is_strong(&candidate) {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_logins_fail() {
        let h = hash("correct horse 1".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse 1".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse 1".into(), Some(h)).await.unwrap());
        assert!(!verify("not-a-real-password-0".into(), None).await.unwrap());
        assert!(ouen_shared::validate::password_is_strong(&generate()));
    }
}
