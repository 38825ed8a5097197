//! The merchant's secret key (`sk_…`). It authorises payments and refunds, so it is never shown:
//! `Debug` and `Display` print a mask, and only the HTTP layer reads the value.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A KOMOJU secret key. Serialises as itself (config files, the emulator's state file, both
/// written owner-only) but never prints.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().trim().to_string())
    }

    /// The key itself, for the Authorization header and the owner-only files that hold it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_key() {
        let key = SecretKey::new("sk_live_hunter2");
        assert!(!format!("{key:?}").contains("hunter2"));
        assert!(!format!("{key}").contains("hunter2"));
        assert_eq!(key.expose(), "sk_live_hunter2");
    }
}
