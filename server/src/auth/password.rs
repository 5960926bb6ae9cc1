//! Argon2id password hashing, always off the async threads and through one gate.
//!
//! Each Argon2id computation holds about 19 MiB for its duration, so a flood of logins must not
//! start them all at once. Every hash and check passes the process-wide [`gate`]: at most one
//! computation per core runs, a bounded number wait their turn, and beyond that the request is
//! answered `503 busy` at once, so memory stays flat however many requests arrive.

use crate::error::ApiError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Waiting computations allowed when nothing configures the gate.
pub const DEFAULT_QUEUE: usize = 64;

/// The bound on concurrent password hashing.
pub struct HashingGate {
    workers: Semaphore,
    worker_count: usize,
    queue_limit: AtomicUsize,
    /// Computations inside the gate, running or waiting.
    admitted: AtomicUsize,
    running: AtomicUsize,
    peak_running: AtomicUsize,
}

/// The process-wide gate, with one worker per core.
pub fn gate() -> &'static HashingGate {
    static GATE: OnceLock<HashingGate> = OnceLock::new();
    GATE.get_or_init(|| {
        let worker_count = std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(2);
        HashingGate {
            workers: Semaphore::new(worker_count),
            worker_count,
            queue_limit: AtomicUsize::new(DEFAULT_QUEUE),
            admitted: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
        }
    })
}

impl HashingGate {
    /// How many computations may wait for a worker before requests are refused.
    pub fn set_queue_limit(&self, limit: usize) {
        self.queue_limit.store(limit, Ordering::Relaxed);
    }

    /// Computations that run at once (one per core).
    pub fn workers(&self) -> usize {
        self.worker_count
    }

    /// The most computations that ever ran at once in this process.
    pub fn peak_running(&self) -> usize {
        self.peak_running.load(Ordering::Relaxed)
    }

    /// Runs `work` on a blocking thread once a worker is free; refuses with
    /// [`ApiError::Busy`] when the queue is full.
    async fn run<T: Send + 'static>(
        &'static self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let limit = self.worker_count + self.queue_limit.load(Ordering::Relaxed);
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= limit {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(ApiError::Busy);
        }
        let admitted = Release(&self.admitted);
        let permit = self
            .workers
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(format!("hashing gate: {e}")))?;
        // The worker is held by the computation itself, so a request cancelled meanwhile
        // does not free it early.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _admitted = admitted;
            let running = self.running.fetch_add(1, Ordering::AcqRel) + 1;
            let _running = Release(&self.running);
            self.peak_running.fetch_max(running, Ordering::AcqRel);
            work()
        })
        .await
        .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))
    }
}

/// Decrements a counter when dropped, so a cancelled request gives its place back.
struct Release(&'static AtomicUsize);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Hashes a password with Argon2id (default parameters) on a blocking thread.
pub async fn hash(password: String) -> Result<String, ApiError> {
    gate().run(move || hash_now(&password)).await?
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
    gate()
        .run(move || {
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
