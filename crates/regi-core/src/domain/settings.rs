//! The `[sale]` section of the configuration file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::department::Departments;
use super::money::{AmountGuard, Yen};
use super::tax::{PricesInclude, Rounding, TaxPolicy};

/// Default ceiling for one sale or one top-up: high enough for any convenience-store basket,
/// low enough that a mistyped extra zero on a five-figure amount is caught.
pub const DEFAULT_MAX_AMOUNT: Yen = Yen(100_000);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SaleSettings {
    /// Largest total (or manual entry, or top-up) a clerk may charge, in yen.
    pub max_amount: Yen,
    /// Catalog and manual prices include consumption tax (内税); false means tax is added (外税).
    pub prices_include_tax: bool,
    /// How fractional tax is settled, once per rate per sale: `down`, `up` or `nearest`.
    pub tax_rounding: Rounding,
    /// Product catalog CSV (`jan,name,unit_price,tax_rate`); without one only manual lines work.
    pub catalog: Option<PathBuf>,
    /// The department keys; filled from `[departments]` by the configuration loader.
    #[serde(skip)]
    pub departments: Departments,
}

impl Default for SaleSettings {
    fn default() -> Self {
        Self {
            max_amount: DEFAULT_MAX_AMOUNT,
            prices_include_tax: true,
            tax_rounding: Rounding::Down,
            catalog: None,
            departments: Departments::default(),
        }
    }
}

impl SaleSettings {
    pub fn guard(&self) -> AmountGuard {
        AmountGuard::new(self.max_amount)
    }

    pub fn tax_policy(&self) -> TaxPolicy {
        TaxPolicy {
            prices: if self.prices_include_tax {
                PricesInclude::Tax
            } else {
                PricesInclude::NoTax
            },
            rounding: self.tax_rounding,
        }
    }

    /// Problems a config loader should report; `max_amount` must be at least ¥1.
    pub fn validate(&self) -> Result<(), String> {
        if !self.max_amount.is_positive() {
            return Err(format!(
                "sale.max_amount must be at least 1 (got {})",
                self.max_amount.value()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_section_gives_defaults() {
        let s: SaleSettings = toml::from_str("").unwrap();
        assert_eq!(s, SaleSettings::default());
        assert_eq!(s.max_amount, Yen(100_000));
        assert_eq!(s.tax_policy(), TaxPolicy::default());
        assert!(s.validate().is_ok());
    }

    #[test]
    fn reads_every_key() {
        let s: SaleSettings = toml::from_str(
            "max_amount = 50000\nprices_include_tax = false\ntax_rounding = \"nearest\"\n\
             catalog = \"/etc/regi/products.csv\"\n",
        )
        .unwrap();
        assert_eq!(s.guard().max, Yen(50_000));
        assert_eq!(s.tax_policy().prices, PricesInclude::NoTax);
        assert_eq!(s.tax_policy().rounding, Rounding::Nearest);
        assert_eq!(
            s.catalog.as_deref(),
            Some(std::path::Path::new("/etc/regi/products.csv"))
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<SaleSettings>("max_amont = 5").is_err());
        assert!(toml::from_str::<SaleSettings>("tax_rounding = \"half\"").is_err());
        let s: SaleSettings = toml::from_str("max_amount = 0").unwrap();
        assert!(s.validate().is_err());
    }
}
