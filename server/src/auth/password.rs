//! Argon2id password hashing, always off the async threads and through one gate.
//!
//! Each Argon2id computation holds about 19 MiB for its duration, so a flood of logins must not
//! start them all at once. Every hash and check passes the process-wide [`gate`]: at most one
//! computation per core runs, a bounded number wait their turn, and beyond that the request is
//! answered `503 busy` at once, so memory stays flat however many requests arrive.
//!
//! The working memory itself is allocated once per worker and reused: allocating and freeing
//! 19 MiB per check makes the C allocator raise its mmap threshold and keep the freed blocks,
//! which grew a server to 700 MB after a hundred logins.

use crate::error::ApiError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
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
    /// Argon2 working memory, one buffer per worker, reused.
    memory: Mutex<Vec<Vec<Block>>>,
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
            memory: Mutex::new(Vec::new()),
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
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
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
            let mut memory = self
                .memory
                .lock()
                .ok()
                .and_then(|mut pool| pool.pop())
                .unwrap_or_default();
            let out = work(&mut memory);
            if let Ok(mut pool) = self.memory.lock() {
                pool.push(memory);
            }
            out
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
    gate()
        .run(move |memory| hash_now(&password, memory))
        .await?
}

/// Argon2id with `params`, computed in `memory` (grown to fit, then kept).
fn compute(
    params: &Params,
    password: &[u8],
    salt: &[u8],
    memory: &mut Vec<Block>,
) -> Result<Output, argon2::password_hash::Error> {
    memory.resize(params.block_count(), Block::default());
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    Output::init_with(len, |out| {
        argon
            .hash_password_into_with_memory(password, salt, out, &mut memory[..])
            .map_err(argon2::password_hash::Error::from)
    })
}

fn hash_now(password: &str, memory: &mut Vec<Block>) -> Result<String, ApiError> {
    let failed = |e: argon2::password_hash::Error| ApiError::Internal(format!("hashing: {e}"));
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut salt_bytes).map_err(failed)?;
    let params = Params::default();
    let output = compute(&params, password.as_bytes(), raw_salt, memory).map_err(failed)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored` (Argon2id only).
fn matches(password: &str, stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(params), Some(salt), Some(expected)) =
        (Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return false;
    };
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    // Output compares in constant time.
    compute(&params, password.as_bytes(), raw_salt, memory).is_ok_and(|got| got == expected)
}

/// Checks a password against a stored hash on a blocking thread. With no stored hash (unknown
/// login) it checks against a fixed dummy hash, so both cases take the same time.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    gate()
        .run(move |memory| {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| dummy_hash(memory).to_string());
            matches(&password, &stored, memory) && known
        })
        .await
}

fn dummy_hash(memory: &mut Vec<Block>) -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("not-a-real-password-0", memory).unwrap_or_default())
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

    #[tokio::test]
    async fn hashes_agree_with_the_reference_implementation() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash("correct horse 1".into()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse 1", &parsed)
            .is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"battery staple 2", &salt)
            .unwrap()
            .to_string();
        assert!(verify("battery staple 2".into(), Some(theirs.clone()))
            .await
            .unwrap());
        assert!(!verify("battery staple 3".into(), Some(theirs))
            .await
            .unwrap());
        assert!(!verify("x".into(), Some("$argon2id$garbage".into()))
            .await
            .unwrap());
    }
}
