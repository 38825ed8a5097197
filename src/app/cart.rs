//! The sale being rung up. Interim model: replaced by `domain::cart` once the domain lands.

use std::collections::BTreeMap;

/// Consumption tax rates in force: standard 10 % and the reduced 8 % (food, newspapers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaxRate {
    Standard,
    Reduced,
}

impl TaxRate {
    pub fn percent(self) -> i64 {
        match self {
            TaxRate::Standard => 10,
            TaxRate::Reduced => 8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub jan: String,
    pub name: String,
    /// Tax-included unit price in yen.
    pub price: i64,
    pub tax_rate: TaxRate,
}

/// Products the scanner can ring up, by JAN code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    by_jan: BTreeMap<String, Product>,
}

impl Catalog {
    pub fn new(products: impl IntoIterator<Item = Product>) -> Self {
        Self {
            by_jan: products.into_iter().map(|p| (p.jan.clone(), p)).collect(),
        }
    }

    pub fn find(&self, jan: &str) -> Option<&Product> {
        self.by_jan.get(jan)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    /// `None` for an amount typed on the keys.
    pub jan: Option<String>,
    pub name: Option<String>,
    pub unit_price: i64,
    pub quantity: i64,
    pub tax_rate: TaxRate,
}

impl CartLine {
    pub fn total(&self) -> Option<i64> {
        self.unit_price.checked_mul(self.quantity)
    }
}

/// Tax-included subtotal of one rate and the tax it contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateSubtotal {
    pub rate: TaxRate,
    pub amount: i64,
    pub tax: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    #[error("the amount is too large")]
    TooLarge,
    #[error("no such line")]
    NoSuchLine,
    #[error("quantity must be between 1 and {MAX_QUANTITY}")]
    BadQuantity,
}

/// Highest total a cart may reach; far above any shop sale, far below overflow.
pub const MAX_TOTAL: i64 = 100_000_000;
pub const MAX_QUANTITY: i64 = 999;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    lines: Vec<CartLine>,
}

impl Cart {
    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Adds a typed amount (taxed at the standard rate).
    pub fn add_amount(&mut self, yen: i64) -> Result<(), CartError> {
        self.push_checked(CartLine {
            jan: None,
            name: None,
            unit_price: yen,
            quantity: 1,
            tax_rate: TaxRate::Standard,
        })
    }

    /// Adds one of `product`; scanning the same product again raises the last line's quantity.
    pub fn add_product(&mut self, product: &Product) -> Result<(), CartError> {
        if let Some(last) = self.lines.last()
            && last.jan.as_deref() == Some(product.jan.as_str())
        {
            let index = self.lines.len() - 1;
            let quantity = last.quantity + 1;
            return self.set_quantity(index, quantity);
        }
        self.push_checked(CartLine {
            jan: Some(product.jan.clone()),
            name: Some(product.name.clone()),
            unit_price: product.price,
            quantity: 1,
            tax_rate: product.tax_rate,
        })
    }

    pub fn set_quantity(&mut self, index: usize, quantity: i64) -> Result<(), CartError> {
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err(CartError::BadQuantity);
        }
        let mut changed = self.clone();
        let line = changed.lines.get_mut(index).ok_or(CartError::NoSuchLine)?;
        line.quantity = quantity;
        changed.total().ok_or(CartError::TooLarge)?;
        *self = changed;
        Ok(())
    }

    pub fn remove(&mut self, index: usize) -> Result<CartLine, CartError> {
        if index < self.lines.len() {
            Ok(self.lines.remove(index))
        } else {
            Err(CartError::NoSuchLine)
        }
    }

    /// The tax-included total, or `None` above [`MAX_TOTAL`].
    pub fn total(&self) -> Option<i64> {
        self.lines
            .iter()
            .try_fold(0i64, |sum, line| sum.checked_add(line.total()?))
            .filter(|total| *total <= MAX_TOTAL)
    }

    /// Subtotals per tax rate with the included tax, rounded down per rate as on a receipt.
    pub fn subtotals(&self) -> Vec<RateSubtotal> {
        [TaxRate::Standard, TaxRate::Reduced]
            .into_iter()
            .filter_map(|rate| {
                let lines: Vec<_> = self.lines.iter().filter(|l| l.tax_rate == rate).collect();
                if lines.is_empty() {
                    return None;
                }
                let amount = lines.iter().filter_map(|l| l.total()).sum::<i64>();
                let tax = amount * rate.percent() / (100 + rate.percent());
                Some(RateSubtotal { rate, amount, tax })
            })
            .collect()
    }

    pub fn item_count(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    fn push_checked(&mut self, line: CartLine) -> Result<(), CartError> {
        if line.unit_price <= 0 || line.unit_price > MAX_TOTAL {
            return Err(CartError::TooLarge);
        }
        self.lines.push(line);
        if self.total().is_none() {
            self.lines.pop();
            return Err(CartError::TooLarge);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn onigiri() -> Product {
        Product {
            jan: "4901234567894".into(),
            name: "おにぎり".into(),
            price: 150,
            tax_rate: TaxRate::Reduced,
        }
    }

    #[test]
    fn rescanning_raises_quantity_and_subtotals_split_by_rate() {
        let mut cart = Cart::default();
        cart.add_product(&onigiri()).unwrap();
        cart.add_product(&onigiri()).unwrap();
        cart.add_amount(1100).unwrap();
        assert_eq!(cart.lines().len(), 2);
        assert_eq!(cart.lines()[0].quantity, 2);
        assert_eq!(cart.total(), Some(1400));
        assert_eq!(
            cart.subtotals(),
            vec![
                RateSubtotal {
                    rate: TaxRate::Standard,
                    amount: 1100,
                    tax: 100
                },
                RateSubtotal {
                    rate: TaxRate::Reduced,
                    amount: 300,
                    tax: 22
                },
            ]
        );
    }

    #[test]
    fn refuses_totals_beyond_the_limit_without_changing() {
        let mut cart = Cart::default();
        cart.add_amount(MAX_TOTAL).unwrap();
        assert_eq!(cart.add_amount(1), Err(CartError::TooLarge));
        assert_eq!(cart.lines().len(), 1);
        assert_eq!(cart.set_quantity(0, 2), Err(CartError::TooLarge));
        assert_eq!(cart.lines()[0].quantity, 1);
        assert_eq!(cart.remove(5), Err(CartError::NoSuchLine));
        assert_eq!(cart.set_quantity(0, 0), Err(CartError::BadQuantity));
    }
}
