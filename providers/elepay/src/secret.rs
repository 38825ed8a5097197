//! The elepay secret key and how it is presented. The key allows every API operation (charges,
//! refunds), so it is kept in a type whose `Debug` never shows it and is only read to build the
//! `Authorization` header.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// An elepay secret key (`sk_live_…` / `sk_test_…`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the `Authorization` header and for writing a private config file.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The value of the `Authorization` header in `scheme`.
    pub fn authorization(&self, scheme: AuthScheme) -> String {
        match scheme {
            AuthScheme::Bearer => format!("Bearer {}", self.0),
            // The key is the user name and the password is empty, as elepay's SDKs send it.
            AuthScheme::Basic => format!("Basic {}", STANDARD.encode(format!("{}:", self.0))),
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// How the secret key is sent: elepay documents Bearer; its generated SDKs send Basic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    #[default]
    Bearer,
    Basic,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = SecretKey::new("sk_test_very_secret");
        assert!(!format!("{key:?}").contains("very_secret"));
        assert!(!format!("{:?}", Some(&key)).contains("very_secret"));
    }

    #[test]
    fn basic_auth_sends_the_key_as_user_with_an_empty_password() {
        let key = SecretKey::new("sk_test_abc");
        assert_eq!(key.authorization(AuthScheme::Bearer), "Bearer sk_test_abc");
        let basic = key.authorization(AuthScheme::Basic);
        let decoded = STANDARD
            .decode(basic.strip_prefix("Basic ").unwrap())
            .unwrap();
        assert_eq!(decoded, b"sk_test_abc:");
    }
}
