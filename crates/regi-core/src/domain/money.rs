//! Money as integer yen, its display (`¥1,234`) and the clerk's entry of amounts.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An amount of Japanese yen. The yen has no minor unit, so an `i64` is exact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Yen(pub i64);

impl Yen {
    pub const ZERO: Yen = Yen(0);

    pub const fn new(amount: i64) -> Self {
        Self(amount)
    }

    pub const fn value(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Yen) -> Option<Yen> {
        self.0.checked_add(other.0).map(Yen)
    }

    pub fn checked_sub(self, other: Yen) -> Option<Yen> {
        self.0.checked_sub(other.0).map(Yen)
    }

    pub fn checked_mul(self, factor: i64) -> Option<Yen> {
        self.0.checked_mul(factor).map(Yen)
    }

    pub fn checked_neg(self) -> Option<Yen> {
        self.0.checked_neg().map(Yen)
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Sums amounts, `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Yen>>(amounts: I) -> Option<Yen> {
        amounts
            .into_iter()
            .try_fold(Yen::ZERO, |acc, y| acc.checked_add(y))
    }
}

impl fmt::Display for Yen {
    /// `¥1,234`, `-¥1,234`, `¥0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // unsigned_abs keeps i64::MIN printable.
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 2);
        if self.0 < 0 {
            grouped.push('-');
        }
        grouped.push('¥');
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        f.pad(&grouped)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseYenError {
    #[error("no amount entered")]
    Empty,
    #[error("not an amount: {0:?}")]
    Invalid(String),
    #[error("amount too large")]
    TooLarge,
}

impl std::str::FromStr for Yen {
    type Err = ParseYenError;

    /// Parses what a clerk types: digits (ASCII or full-width), optional `¥`/`￥` in front,
    /// optional `円` behind, thousands separators (`,` or `，`), surrounding spaces.
    /// Negative amounts are not clerk input and are refused.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim();
        let trimmed = trimmed
            .strip_prefix(['¥', '￥', '\\'])
            .unwrap_or(trimmed)
            .trim_start();
        let trimmed = trimmed.strip_suffix('円').unwrap_or(trimmed).trim_end();
        if trimmed.is_empty() {
            return Err(ParseYenError::Empty);
        }
        let mut value: i64 = 0;
        let mut seen_digit = false;
        for c in trimmed.chars() {
            let digit = match c {
                '0'..='9' => c as i64 - '0' as i64,
                '０'..='９' => c as i64 - '０' as i64,
                ',' | '，' if seen_digit => continue,
                _ => return Err(ParseYenError::Invalid(input.to_string())),
            };
            seen_digit = true;
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(digit))
                .ok_or(ParseYenError::TooLarge)?;
        }
        Ok(Yen(value))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AmountError {
    #[error("amount must be more than ¥0 (got {0})")]
    NotPositive(Yen),
    #[error("{amount} is over the limit of {max}")]
    OverLimit { amount: Yen, max: Yen },
}

/// The largest amount a clerk may charge or enter at once; catches a mistyped extra zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountGuard {
    pub max: Yen,
}

impl AmountGuard {
    pub const fn new(max: Yen) -> Self {
        Self { max }
    }

    /// Accepts amounts in `¥1..=max`.
    pub fn check(&self, amount: Yen) -> Result<Yen, AmountError> {
        if !amount.is_positive() {
            Err(AmountError::NotPositive(amount))
        } else if amount > self.max {
            Err(AmountError::OverLimit {
                amount,
                max: self.max,
            })
        } else {
            Ok(amount)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_groups_thousands() {
        let cases = [
            (0, "¥0"),
            (5, "¥5"),
            (999, "¥999"),
            (1_000, "¥1,000"),
            (1_234, "¥1,234"),
            (12_345, "¥12,345"),
            (123_456, "¥123,456"),
            (1_234_567, "¥1,234,567"),
            (-1_234, "-¥1,234"),
            (-5, "-¥5"),
            (i64::MIN, "-¥9,223,372,036,854,775,808"),
            (i64::MAX, "¥9,223,372,036,854,775,807"),
        ];
        for (value, shown) in cases {
            assert_eq!(Yen(value).to_string(), shown, "{value}");
        }
    }

    #[test]
    fn display_honours_width() {
        assert_eq!(format!("{:>8}", Yen(1_234)), "  ¥1,234");
    }

    #[test]
    fn parses_clerk_input() {
        let ok = [
            ("1234", 1234),
            ("  1234 ", 1234),
            ("1,234", 1234),
            ("¥1,234", 1234),
            ("￥１，２３４", 1234),
            ("１２３４円", 1234),
            ("0", 0),
            ("9223372036854775807", i64::MAX),
        ];
        for (input, value) in ok {
            assert_eq!(input.parse::<Yen>(), Ok(Yen(value)), "{input}");
        }
        assert_eq!("".parse::<Yen>(), Err(ParseYenError::Empty));
        assert_eq!(" ¥ ".parse::<Yen>(), Err(ParseYenError::Empty));
        assert_eq!(
            "9223372036854775808".parse::<Yen>(),
            Err(ParseYenError::TooLarge)
        );
        for bad in ["-5", "12a", "1.5", ",123", "１２x", "¥¥1", "1 2"] {
            assert!(
                matches!(bad.parse::<Yen>(), Err(ParseYenError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(Yen(2).checked_add(Yen(3)), Some(Yen(5)));
        assert_eq!(Yen(i64::MAX).checked_add(Yen(1)), None);
        assert_eq!(Yen(i64::MAX / 2 + 1).checked_mul(2), None);
        assert_eq!(Yen(300).checked_mul(3), Some(Yen(900)));
        assert_eq!(Yen::checked_sum([Yen(1), Yen(2), Yen(3)]), Some(Yen(6)));
        assert_eq!(Yen::checked_sum([Yen(i64::MAX), Yen(1)]), None);
        assert_eq!(Yen(i64::MIN).checked_neg(), None);
    }

    #[test]
    fn guard_accepts_one_yen_up_to_max() {
        let guard = AmountGuard::new(Yen(10_000));
        assert_eq!(guard.check(Yen(1)), Ok(Yen(1)));
        assert_eq!(guard.check(Yen(10_000)), Ok(Yen(10_000)));
        assert_eq!(
            guard.check(Yen(10_001)),
            Err(AmountError::OverLimit {
                amount: Yen(10_001),
                max: Yen(10_000)
            })
        );
        assert_eq!(guard.check(Yen(0)), Err(AmountError::NotPositive(Yen(0))));
        assert_eq!(guard.check(Yen(-1)), Err(AmountError::NotPositive(Yen(-1))));
    }
}
