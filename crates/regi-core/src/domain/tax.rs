//! Consumption tax: standard 10% and reduced 8% (軽減税率), computed once per rate per sale.
//!
//! Japanese invoice rules (適格請求書) allow one rounding per rate per receipt, not per line,
//! so the per-rate totals are summed first and the tax is derived from each sum.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::money::Yen;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub enum TaxRate {
    /// 10%: alcohol, household goods, dine-in, everything not reduced.
    #[default]
    #[serde(rename = "standard")]
    Standard10,
    /// 8% 軽減税率: food and non-alcoholic drinks to take away, newspapers.
    #[serde(rename = "reduced")]
    Reduced8,
}

impl TaxRate {
    pub const ALL: [TaxRate; 2] = [TaxRate::Standard10, TaxRate::Reduced8];

    pub const fn percent(self) -> i64 {
        match self {
            TaxRate::Standard10 => 10,
            TaxRate::Reduced8 => 8,
        }
    }

    /// The stable word used in files and the journal: `standard` / `reduced`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TaxRate::Standard10 => "standard",
            TaxRate::Reduced8 => "reduced",
        }
    }

    /// Accepts `10`, `10%`, `standard`, `8`, `8%`, `reduced`, `軽減` (as written in a catalog).
    pub fn parse(text: &str) -> Option<TaxRate> {
        match text.trim().to_ascii_lowercase().as_str() {
            "10" | "10%" | "standard" | "standard10" => Some(TaxRate::Standard10),
            "8" | "8%" | "reduced" | "reduced8" | "軽減" => Some(TaxRate::Reduced8),
            _ => None,
        }
    }
}

impl fmt::Display for TaxRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

/// How a fractional yen of tax is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rounding {
    /// 切り捨て, the common choice in Japanese retail.
    #[default]
    Down,
    /// 切り上げ.
    Up,
    /// 四捨五入: halves round up.
    Nearest,
}

impl Rounding {
    pub const fn as_str(self) -> &'static str {
        match self {
            Rounding::Down => "down",
            Rounding::Up => "up",
            Rounding::Nearest => "nearest",
        }
    }

    pub fn parse(text: &str) -> Option<Rounding> {
        match text {
            "down" => Some(Rounding::Down),
            "up" => Some(Rounding::Up),
            "nearest" => Some(Rounding::Nearest),
            _ => None,
        }
    }

    /// `numerator / denominator` rounded; the denominator is positive and the sign is applied
    /// to the magnitude, so `Down` rounds toward zero for refunds as for sales.
    fn divide(self, numerator: i128, denominator: i128) -> i128 {
        let magnitude = numerator.abs();
        let quotient = magnitude / denominator;
        let remainder = magnitude % denominator;
        let rounded = match self {
            Rounding::Down => quotient,
            Rounding::Up if remainder > 0 => quotient + 1,
            Rounding::Up => quotient,
            Rounding::Nearest if remainder * 2 >= denominator => quotient + 1,
            Rounding::Nearest => quotient,
        };
        if numerator < 0 { -rounded } else { rounded }
    }
}

/// Whether catalog and manual prices already contain the tax (内税) or not (外税).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PricesInclude {
    #[default]
    Tax,
    NoTax,
}

/// Everything needed to turn per-rate sums into a total and taxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaxPolicy {
    pub prices: PricesInclude,
    pub rounding: Rounding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("amount too large to compute tax")]
pub struct TaxOverflow;

/// One rate's line on a receipt: `10%対象 ¥1,100 (内消費税 ¥100)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateSummary {
    pub rate: TaxRate,
    /// What the customer pays for goods at this rate, tax included.
    pub taxable_total: Yen,
    /// The tax contained in (or added to reach) `taxable_total`.
    pub tax: Yen,
}

/// The tax of a whole sale, one entry per rate (zero when no line has that rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxSummary {
    pub standard: RateSummary,
    pub reduced: RateSummary,
}

impl Default for TaxSummary {
    fn default() -> Self {
        Self {
            standard: RateSummary {
                rate: TaxRate::Standard10,
                taxable_total: Yen::ZERO,
                tax: Yen::ZERO,
            },
            reduced: RateSummary {
                rate: TaxRate::Reduced8,
                taxable_total: Yen::ZERO,
                tax: Yen::ZERO,
            },
        }
    }
}

impl TaxSummary {
    /// Computes tax once per rate from the sum of the line amounts at that rate.
    ///
    /// Inclusive prices: `tax = round(sum * r / (100 + r))`, total = sum.
    /// Exclusive prices: `tax = round(sum * r / 100)`, total = sum + tax.
    pub fn compute(
        standard_sum: Yen,
        reduced_sum: Yen,
        policy: TaxPolicy,
    ) -> Result<TaxSummary, TaxOverflow> {
        Ok(TaxSummary {
            standard: rate_summary(TaxRate::Standard10, standard_sum, policy)?,
            reduced: rate_summary(TaxRate::Reduced8, reduced_sum, policy)?,
        })
    }

    pub fn for_rate(&self, rate: TaxRate) -> RateSummary {
        match rate {
            TaxRate::Standard10 => self.standard,
            TaxRate::Reduced8 => self.reduced,
        }
    }

    /// The amount the customer pays.
    pub fn total(&self) -> Result<Yen, TaxOverflow> {
        self.standard
            .taxable_total
            .checked_add(self.reduced.taxable_total)
            .ok_or(TaxOverflow)
    }

    pub fn tax_total(&self) -> Result<Yen, TaxOverflow> {
        self.standard
            .tax
            .checked_add(self.reduced.tax)
            .ok_or(TaxOverflow)
    }

    /// The sale's taxes when the customer pays `paid` yen of its total (e.g. a held payment
    /// captured for less): the reduction is apportioned across the rates by their tax-included
    /// totals (按分), the larger rate taking the yen the division leaves, and each rate's tax is
    /// computed again from its new total.
    pub fn apportioned(&self, paid: Yen, rounding: Rounding) -> TaxSummary {
        let whole = i128::from(self.standard.taxable_total.value())
            + i128::from(self.reduced.taxable_total.value());
        let paid_yen = i128::from(paid.value());
        if whole <= 0 || paid_yen >= whole {
            return *self;
        }
        let share =
            |rate: &RateSummary| i128::from(rate.taxable_total.value()) * paid_yen.max(0) / whole;
        let (mut standard, mut reduced) = (share(&self.standard), share(&self.reduced));
        let left = paid_yen.max(0) - standard - reduced;
        if self.standard.taxable_total >= self.reduced.taxable_total {
            standard += left;
        } else {
            reduced += left;
        }
        let at = |rate: &RateSummary, total: i128| {
            let r = i128::from(rate.rate.percent());
            // Both fit: each is at most the rate's old total.
            let tax = rounding.divide(total * r, 100 + r);
            RateSummary {
                rate: rate.rate,
                taxable_total: Yen(total as i64),
                tax: Yen(tax as i64),
            }
        };
        TaxSummary {
            standard: at(&self.standard, standard),
            reduced: at(&self.reduced, reduced),
        }
    }
}

fn rate_summary(rate: TaxRate, sum: Yen, policy: TaxPolicy) -> Result<RateSummary, TaxOverflow> {
    let r = i128::from(rate.percent());
    let base = i128::from(sum.value());
    let (taxable_total, tax) = match policy.prices {
        PricesInclude::Tax => (base, policy.rounding.divide(base * r, 100 + r)),
        PricesInclude::NoTax => {
            let tax = policy.rounding.divide(base * r, 100);
            (base + tax, tax)
        }
    };
    let to_yen = |v: i128| i64::try_from(v).map(Yen).map_err(|_| TaxOverflow);
    Ok(RateSummary {
        rate,
        taxable_total: to_yen(taxable_total)?,
        tax: to_yen(tax)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(prices: PricesInclude, rounding: Rounding) -> TaxPolicy {
        TaxPolicy { prices, rounding }
    }

    #[test]
    fn inclusive_tax_for_each_rounding() {
        // 1,000 at 10% inclusive: 1000*10/110 = 90.909…
        // 1,000 at 8% inclusive: 1000*8/108 = 74.074…
        let cases = [
            (Rounding::Down, 90, 74),
            (Rounding::Up, 91, 75),
            (Rounding::Nearest, 91, 74),
        ];
        for (rounding, standard_tax, reduced_tax) in cases {
            let s = TaxSummary::compute(Yen(1000), Yen(1000), policy(PricesInclude::Tax, rounding))
                .unwrap();
            assert_eq!(s.standard.tax, Yen(standard_tax), "{rounding:?}");
            assert_eq!(s.reduced.tax, Yen(reduced_tax), "{rounding:?}");
            assert_eq!(s.standard.taxable_total, Yen(1000));
            assert_eq!(s.reduced.taxable_total, Yen(1000));
            assert_eq!(s.total().unwrap(), Yen(2000));
        }
    }

    #[test]
    fn exclusive_tax_is_added_per_rate() {
        // 1,234 net at 10%: 123.4; 1,234 net at 8%: 98.72
        let cases = [
            (Rounding::Down, 123, 98),
            (Rounding::Up, 124, 99),
            (Rounding::Nearest, 123, 99),
        ];
        for (rounding, standard_tax, reduced_tax) in cases {
            let s =
                TaxSummary::compute(Yen(1234), Yen(1234), policy(PricesInclude::NoTax, rounding))
                    .unwrap();
            assert_eq!(s.standard.tax, Yen(standard_tax), "{rounding:?}");
            assert_eq!(s.reduced.tax, Yen(reduced_tax), "{rounding:?}");
            assert_eq!(s.standard.taxable_total, Yen(1234 + standard_tax));
            assert_eq!(s.reduced.taxable_total, Yen(1234 + reduced_tax));
            assert_eq!(s.tax_total().unwrap(), Yen(standard_tax + reduced_tax));
        }
    }

    #[test]
    fn nearest_rounds_exact_halves_up() {
        // 5 net at 10% = 0.5 tax
        let s = TaxSummary::compute(
            Yen(5),
            Yen::ZERO,
            policy(PricesInclude::NoTax, Rounding::Nearest),
        )
        .unwrap();
        assert_eq!(s.standard.tax, Yen(1));
        // 5 net at 10% = 0.5, rounded down
        let s = TaxSummary::compute(
            Yen(5),
            Yen::ZERO,
            policy(PricesInclude::NoTax, Rounding::Down),
        )
        .unwrap();
        assert_eq!(s.standard.tax, Yen(0));
    }

    #[test]
    fn exact_division_is_not_rounded() {
        for rounding in [Rounding::Down, Rounding::Up, Rounding::Nearest] {
            let s = TaxSummary::compute(Yen(1100), Yen(1080), policy(PricesInclude::Tax, rounding))
                .unwrap();
            assert_eq!(s.standard.tax, Yen(100));
            assert_eq!(s.reduced.tax, Yen(80));
        }
    }

    #[test]
    fn empty_rate_has_zero_tax() {
        let s = TaxSummary::compute(Yen::ZERO, Yen(108), TaxPolicy::default()).unwrap();
        assert_eq!(s.standard.tax, Yen::ZERO);
        assert_eq!(s.standard.taxable_total, Yen::ZERO);
        assert_eq!(s.reduced.tax, Yen(8));
    }

    #[test]
    fn negative_amounts_round_toward_zero_when_down() {
        let s = TaxSummary::compute(Yen(-1000), Yen::ZERO, TaxPolicy::default()).unwrap();
        assert_eq!(s.standard.tax, Yen(-90));
    }

    #[test]
    fn huge_amounts_report_overflow_instead_of_wrapping() {
        let s = TaxSummary::compute(
            Yen(i64::MAX),
            Yen::ZERO,
            policy(PricesInclude::NoTax, Rounding::Down),
        );
        assert_eq!(s, Err(TaxOverflow));
        let s = TaxSummary::compute(Yen(i64::MAX), Yen(i64::MAX), TaxPolicy::default()).unwrap();
        assert_eq!(s.total(), Err(TaxOverflow));
    }

    #[test]
    fn rate_words_parse() {
        assert_eq!(TaxRate::parse(" 10 "), Some(TaxRate::Standard10));
        assert_eq!(TaxRate::parse("8%"), Some(TaxRate::Reduced8));
        assert_eq!(TaxRate::parse("Reduced"), Some(TaxRate::Reduced8));
        assert_eq!(TaxRate::parse("軽減"), Some(TaxRate::Reduced8));
        assert_eq!(TaxRate::parse("5"), None);
        assert_eq!(TaxRate::Reduced8.to_string(), "8%");
        for r in TaxRate::ALL {
            assert_eq!(TaxRate::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn rounding_serde_is_lowercase() {
        #[derive(Deserialize)]
        struct W {
            r: Rounding,
        }
        let w: W = toml::from_str("r = \"nearest\"").unwrap();
        assert_eq!(w.r, Rounding::Nearest);
        assert!(toml::from_str::<W>("r = \"Nearest\"").is_err());
    }
}

#[cfg(test)]
mod apportion_tests {
    use super::*;

    fn summary(standard: i64, reduced: i64) -> TaxSummary {
        TaxSummary::compute(Yen(standard), Yen(reduced), TaxPolicy::default()).unwrap()
    }

    #[test]
    fn paying_less_apportions_the_reduction_by_each_rates_share_and_taxes_again() {
        // ¥2,200 at 10 % and ¥1,080 at 8 %, paid ¥3,000 of ¥3,280.
        let paid = summary(2_200, 1_080).apportioned(Yen(3_000), Rounding::Down);
        assert_eq!(paid.standard.taxable_total, Yen(2_013)); // 2200*3000/3280 = 2012.19 + 1 left over
        assert_eq!(paid.reduced.taxable_total, Yen(987)); // 1080*3000/3280 = 987.8
        assert_eq!(paid.total().unwrap(), Yen(3_000));
        assert_eq!(paid.standard.tax, Yen(183)); // 2013*10/110 = 183.0
        assert_eq!(paid.reduced.tax, Yen(73)); // 987*8/108 = 73.1
    }

    #[test]
    fn paying_all_or_one_rate_only_changes_nothing_but_that_rate() {
        let whole = summary(2_200, 1_080);
        assert_eq!(whole.apportioned(Yen(3_280), Rounding::Down), whole);
        let standard_only = summary(1_000, 0).apportioned(Yen(550), Rounding::Down);
        assert_eq!(standard_only.standard.taxable_total, Yen(550));
        assert_eq!(standard_only.standard.tax, Yen(50));
        assert_eq!(standard_only.reduced.taxable_total, Yen(0));
        assert_eq!(standard_only.reduced.tax, Yen(0));
    }
}
