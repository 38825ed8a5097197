//! A discount on a sale's subtotal (小計値引), as a percentage or in yen, and its 按分: the
//! qualified-invoice rules tax each rate's amount after the discount, so the discount is shared
//! across the rates in proportion to each rate's amount.

use super::money::Yen;

/// How much comes off the subtotal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// 1 to 99 percent of the subtotal, the fraction of a yen left to the customer's cost
    /// (rounded down: the shop never gives more than it said).
    Percent(u8),
    /// A fixed number of yen.
    Yen(Yen),
}

/// A subtotal discount and why it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtotalDiscount {
    pub discount: Discount,
    /// E.g. 見切り, 会員; printed with the discount line.
    pub reason: Option<String>,
}

impl SubtotalDiscount {
    /// The yen that come off `subtotal`, never more than it.
    pub fn yen_off(&self, subtotal: Yen) -> Yen {
        let whole = subtotal.value().max(0);
        let off = match self.discount {
            Discount::Percent(pct) => (i128::from(whole) * i128::from(pct) / 100) as i64,
            Discount::Yen(yen) => yen.value().max(0),
        };
        Yen(off.min(whole))
    }

    /// The name of its receipt line: `値引 10%` or `値引`, then the reason.
    pub fn line_name(&self) -> String {
        let mut name = match self.discount {
            Discount::Percent(pct) => format!("値引 {pct}%"),
            Discount::Yen(_) => "値引".to_owned(),
        };
        if let Some(reason) = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            name.push_str(&format!(" ({reason})"));
        }
        name
    }
}

/// Splits what is left after the discount, `after`, across the two rates' amounts
/// (`standard`, `reduced`) in proportion to them (按分), the larger rate taking the yen the
/// division leaves, as `TaxSummary::apportioned` does for a payment taken for less.
pub fn apportion(standard: Yen, reduced: Yen, after: Yen) -> (Yen, Yen) {
    let (s, r) = (i128::from(standard.value()), i128::from(reduced.value()));
    let whole = s + r;
    let after = i128::from(after.value()).clamp(0, whole.max(0));
    if whole <= 0 {
        return (standard, reduced);
    }
    let (mut s_after, mut r_after) = (s * after / whole, r * after / whole);
    let left = after - s_after - r_after;
    if s >= r {
        s_after += left;
    } else {
        r_after += left;
    }
    // Each share is at most its rate's amount, so it fits.
    (Yen(s_after as i64), Yen(r_after as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(pct: u8) -> SubtotalDiscount {
        SubtotalDiscount {
            discount: Discount::Percent(pct),
            reason: None,
        }
    }

    #[test]
    fn a_percentage_rounds_the_yen_off_down_and_yen_never_exceed_the_subtotal() {
        assert_eq!(percent(10).yen_off(Yen(1_500)), Yen(150));
        assert_eq!(percent(10).yen_off(Yen(1_499)), Yen(149));
        let big = SubtotalDiscount {
            discount: Discount::Yen(Yen(5_000)),
            reason: None,
        };
        assert_eq!(big.yen_off(Yen(1_000)), Yen(1_000));
    }

    #[test]
    fn the_rest_is_shared_in_proportion_with_the_odd_yen_to_the_larger_rate() {
        assert_eq!(
            apportion(Yen(500), Yen(1_000), Yen(1_350)),
            (Yen(450), Yen(900))
        );
        // 1,001 of 1,500 yen left: 333.67 and 667.33 → 333 and 667, the odd yen to the larger.
        assert_eq!(
            apportion(Yen(500), Yen(1_000), Yen(1_001)),
            (Yen(333), Yen(668))
        );
        assert_eq!(apportion(Yen(700), Yen(0), Yen(650)), (Yen(650), Yen(0)));
    }

    #[test]
    fn the_line_name_carries_the_percentage_and_reason() {
        let d = SubtotalDiscount {
            discount: Discount::Percent(20),
            reason: Some(" 見切り ".into()),
        };
        assert_eq!(d.line_name(), "値引 20% (見切り)");
    }
}
