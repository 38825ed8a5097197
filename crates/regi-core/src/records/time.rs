//! Stored times (RFC 3339, UTC) shown as the shop's local time.

use chrono::{DateTime, Utc};

/// A stored time as the shop's local (Japan) time in `format`; text that is not a stored time is
/// shown as it is.
pub fn local_time(text: &str, format: &str) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|t| {
            t.with_timezone(&Utc)
                .with_timezone(&chrono_tz::Asia::Tokyo)
                .format(format)
                .to_string()
        })
        .unwrap_or_else(|_| text.to_string())
}
