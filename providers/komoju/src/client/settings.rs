//! What the client needs to know: where KOMOJU is, the secret key, and how long and how often to
//! try. Filled by the caller from the `[komoju]` table; nothing here reads files or arguments.

use std::time::Duration;

use crate::secret::SecretKey;

/// The API version the official SDKs send; KOMOJU pins response shapes to it.
pub const DEFAULT_API_VERSION: &str = "2025-01-28";

/// KOMOJU's production API.
pub const PRODUCTION_API_BASE_URL: &str = "https://komoju.com/api/v1";

#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// `https://komoju.com/api/v1`, or the emulator's `http://127.0.0.1:PORT/api/v1`.
    pub api_base_url: String,
    pub secret_key: SecretKey,
    pub api_version: String,
    pub connect_timeout: Duration,
    /// The longest one whole exchange may take (connect, send, read the answer).
    pub timeout: Duration,
    /// How many more times a 409 "request in progress" is retried with the same key.
    pub conflict_retries: u32,
    /// The pause before each such retry: the first request needs time to finish.
    pub conflict_pause: Duration,
}

impl ClientSettings {
    pub fn new(api_base_url: impl Into<String>, secret_key: SecretKey) -> Self {
        Self {
            api_base_url: api_base_url.into(),
            secret_key,
            api_version: DEFAULT_API_VERSION.to_string(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            conflict_retries: 3,
            conflict_pause: Duration::from_millis(500),
        }
    }
}
