//! The `X-KOMOJU-IDEMPOTENCY` key. The caller mints it, journals it before the request leaves,
//! and passes the same key again on every retry of the same attempt: KOMOJU then answers the
//! first result instead of acting twice.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest key KOMOJU accepts.
pub const MAX_KEY_LEN: usize = 100;

/// A non-empty key of at most 100 visible ASCII characters (a UUID by default).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "an idempotency key must be 1 to {MAX_KEY_LEN} visible ASCII characters (got {len} characters)"
)]
pub struct InvalidIdempotencyKey {
    pub len: usize,
}

impl IdempotencyKey {
    /// A fresh random key (UUID v4), for a new attempt.
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// A key read back from the journal or given by the caller.
    pub fn parse(value: &str) -> Result<Self, InvalidIdempotencyKey> {
        if is_valid_key(value) {
            Ok(Self(value.to_string()))
        } else {
            Err(InvalidIdempotencyKey {
                len: value.chars().count(),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The rule KOMOJU states for the header, shared with the emulator.
pub fn is_valid_key(value: &str) -> bool {
    !value.is_empty() && value.len() <= MAX_KEY_LEN && value.bytes().all(|b| b.is_ascii_graphic())
}

impl TryFrom<String> for IdempotencyKey {
    type Error = InvalidIdempotencyKey;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> Self {
        key.0
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({})", self.0)
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_outside_komojus_rule_are_refused() {
        assert!(IdempotencyKey::parse("").is_err());
        assert!(IdempotencyKey::parse(&"a".repeat(101)).is_err());
        assert!(IdempotencyKey::parse("has space").is_err());
        assert!(IdempotencyKey::parse("日本").is_err());
        assert!(IdempotencyKey::parse(&"a".repeat(100)).is_ok());
        assert!(is_valid_key(IdempotencyKey::random().as_str()));
    }
}
