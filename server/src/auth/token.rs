//! Opaque session tokens: 256 random bits shown once to the client, kept only as SHA-256.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// The prefix that makes a leaked token easy to recognise in a scan.
const PREFIX: &str = "ouen_";

/// A new random token.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// The hash stored in the database for a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_unique_and_hashes_stable() {
        let a = super::generate();
        assert_ne!(a, super::generate());
        assert_eq!(super::hash(&a), super::hash(&a));
        assert_eq!(super::hash(&a).len(), 64);
    }
}
