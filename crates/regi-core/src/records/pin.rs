//! The run of wrong manager PINs the lockout is decided from.

use chrono::{DateTime, Utc};

/// The wrong PINs since the last right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinFailures {
    pub consecutive: u32,
    /// When the latest of them was entered.
    pub last_at: Option<DateTime<Utc>>,
}
