//! A wrapper that keeps secrets out of `Debug` output and logs.

use std::fmt;

/// A value that must never be printed: `Debug` and `Display` show `<redacted>`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that needs it (the cipher, the TLS identity).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Masks all but the last `keep` characters, e.g. a CUSTOMER_CODE token in a log line: `******************kP9x`.
pub fn mask_tail(value: &str, keep: usize) -> String {
    let count = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i + keep < count { '*' } else { c })
        .collect()
}

/// A customer's code (CUSTOMER_CODE token) or another credential as `Debug` shows it: masked to its last
/// four characters, and entirely when it is too short for four to be harmless. For hand-written
/// `Debug` impls: `.field("code", &MaskedTail(&self.code))`.
pub struct MaskedTail<'a>(pub &'a str);

/// Below this length even the tail would give away too much of the value.
const SHORTEST_WITH_TAIL: usize = 12;

impl fmt::Debug for MaskedTail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keep = if self.0.chars().count() >= SHORTEST_WITH_TAIL {
            4
        } else {
            0
        };
        fmt::Debug::fmt(&mask_tail(self.0, keep), f)
    }
}

/// A bearer code (a customer's payment code as scanned) that `Debug` shows masked to its tail,
/// for fields of types whose `Debug` is derived. No `Display`, so it cannot slip into a log line
/// with `%`; `Deref` gives the text where the code is used.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MaskedCode(String);

impl MaskedCode {
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::ops::Deref for MaskedCode {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for MaskedCode {
    fn from(code: String) -> Self {
        Self(code)
    }
}

impl From<&str> for MaskedCode {
    fn from(code: &str) -> Self {
        Self(code.to_string())
    }
}

impl fmt::Debug for MaskedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&MaskedTail(&self.0), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("hunter2".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn mask_keeps_only_the_tail() {
        assert_eq!(
            mask_tail("1234567890123456789012", 4),
            "******************9012"
        );
        assert_eq!(mask_tail("ab", 4), "ab");
    }

    #[test]
    fn masked_tail_shows_four_characters_of_a_long_code_and_none_of_a_short_one() {
        let code = "1234567890123456789012";
        assert_eq!(
            format!("{:?}", MaskedTail(code)),
            "\"******************9012\""
        );
        assert_eq!(format!("{:?}", MaskedTail("12345")), "\"*****\"");
    }

    #[test]
    fn a_masked_code_shows_only_its_tail_and_derefs_to_the_code() {
        let code = MaskedCode::from("1234567890123456789012");
        assert_eq!(format!("{code:?}"), "\"******************9012\"");
        assert_eq!(&*code, "1234567890123456789012");
    }
}
