//! The sale being rung up: product lines from the catalog and manual amount lines.
//!
//! Every operation validates the cart it would produce before changing anything, so an
//! error (unknown JAN, over the limit, overflow) always leaves the cart as it was.

use thiserror::Error;

use super::catalog::{Catalog, Product, UnknownJan};
use super::department::Department;
use super::discount::{Discount, SubtotalDiscount, apportion};
use super::line_adjustments::{LineAdjustments, fits_line, priced_lines};
use super::money::{AmountError, AmountGuard, Yen};
use super::sale::{SaleDraft, SaleKind};
use super::tax::{TaxOverflow, TaxPolicy, TaxRate, TaxSummary};

/// The most units one line may hold; a stuck scanner or a mistyped count stops here.
pub const MAX_QUANTITY: u32 = 999;

/// The name a manual amount line gets when the clerk gives none.
pub const MANUAL_LINE_NAME: &str = "手入力";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    Product {
        jan: String,
    },
    /// An amount typed by the clerk (部門打ち), quantity always 1.
    Manual,
    /// A price rung under a department key, at that department's rate.
    Department {
        number: u8,
    },
    /// A subtotal discount's share at one rate (按分), a negative amount; made at checkout.
    Discount,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleLine {
    pub kind: LineKind,
    pub name: String,
    pub unit_price: Yen,
    pub quantity: u32,
    pub tax_rate: TaxRate,
}

impl SaleLine {
    pub fn jan(&self) -> Option<&str> {
        match &self.kind {
            LineKind::Product { jan } => Some(jan),
            LineKind::Manual | LineKind::Department { .. } | LineKind::Discount => None,
        }
    }

    /// `unit_price × quantity`, `None` on overflow.
    pub fn amount(&self) -> Option<Yen> {
        self.unit_price.checked_mul(i64::from(self.quantity))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CartError {
    #[error(transparent)]
    UnknownJan(#[from] UnknownJan),
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error("amount too large")]
    Overflow,
    #[error("quantity must be 1 to {MAX_QUANTITY} (got {0})")]
    InvalidQuantity(u32),
    #[error("no line {0} in the sale")]
    NoSuchLine(usize),
    #[error("the sale has no lines")]
    Empty,
    #[error("a discount must be 1 to 99 % or 1 yen up to less than the subtotal")]
    BadDiscount,
}

impl From<TaxOverflow> for CartError {
    fn from(_: TaxOverflow) -> Self {
        CartError::Overflow
    }
}

/// Sums of the line amounts for each rate, before tax is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateSubtotals {
    pub standard: Yen,
    pub reduced: Yen,
}

#[derive(Debug, Clone)]
pub struct Cart {
    lines: Vec<SaleLine>,
    /// Discounts and price overrides on single lines, one slot per line.
    adjust: LineAdjustments,
    discount: Option<SubtotalDiscount>,
    policy: TaxPolicy,
    guard: AmountGuard,
}

impl Cart {
    pub fn new(policy: TaxPolicy, guard: AmountGuard) -> Self {
        Self {
            lines: Vec::new(),
            adjust: LineAdjustments::default(),
            discount: None,
            policy,
            guard,
        }
    }

    pub fn lines(&self) -> &[SaleLine] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn policy(&self) -> TaxPolicy {
        self.policy
    }

    /// Adds one unit of `product`; a product already in the cart at the same catalog price and
    /// rate gets its quantity raised. Returns the index of the line that changed.
    pub fn add_product(&mut self, product: &Product) -> Result<usize, CartError> {
        // A line rung before the catalog changed keeps its price: the new price is a line of
        // its own. A line's catalog price is the one it had before any override.
        let existing = self.lines.iter().enumerate().position(|(index, l)| {
            l.jan() == Some(product.jan.as_str())
                && l.tax_rate == product.tax_rate
                && self.adjust.overridden_from(index).unwrap_or(l.unit_price) == product.unit_price
        });
        match existing {
            Some(index) => {
                let quantity = self.lines[index].quantity.saturating_add(1);
                self.set_quantity(index, quantity)?;
                Ok(index)
            }
            None => {
                let line = SaleLine {
                    kind: LineKind::Product {
                        jan: product.jan.clone(),
                    },
                    name: product.name.clone(),
                    unit_price: product.unit_price,
                    quantity: 1,
                    tax_rate: product.tax_rate,
                };
                self.push_checked(line)
            }
        }
    }

    /// Looks `jan` up and adds it; an unknown JAN is an error and the cart is untouched.
    pub fn add_jan(&mut self, catalog: &Catalog, jan: &str) -> Result<usize, CartError> {
        let product = catalog.lookup(jan)?;
        self.add_product(product)
    }

    /// Adds an amount typed by the clerk at `rate` (the UI offers standard 10% first).
    pub fn add_manual(
        &mut self,
        amount: Yen,
        rate: TaxRate,
        name: Option<&str>,
    ) -> Result<usize, CartError> {
        self.guard.check(amount)?;
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(MANUAL_LINE_NAME);
        self.push_checked(SaleLine {
            kind: LineKind::Manual,
            name: name.to_string(),
            unit_price: amount,
            quantity: 1,
            tax_rate: rate,
        })
    }

    /// Rings `price` (or, with none typed, the department's fixed price) under `department`,
    /// named after it and taxed at its rate.
    pub fn add_department(
        &mut self,
        department: &Department,
        price: Option<Yen>,
    ) -> Result<usize, CartError> {
        let price = price
            .or(department.price)
            .ok_or(CartError::Amount(AmountError::NotPositive(Yen::ZERO)))?;
        self.guard.check(price)?;
        self.push_checked(SaleLine {
            kind: LineKind::Department {
                number: department.number,
            },
            name: department.name.clone(),
            unit_price: price,
            quantity: 1,
            tax_rate: department.rate,
        })
    }

    pub fn set_quantity(&mut self, index: usize, quantity: u32) -> Result<(), CartError> {
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err(CartError::InvalidQuantity(quantity));
        }
        let mut lines = self.lines.clone();
        let line = lines.get_mut(index).ok_or(CartError::NoSuchLine(index))?;
        // A typed amount is a whole line's price; a department line is a unit price.
        if line.kind == LineKind::Manual && quantity != 1 {
            return Err(CartError::InvalidQuantity(quantity));
        }
        line.quantity = quantity;
        self.replace_checked(lines)
    }

    pub fn remove_line(&mut self, index: usize) -> Result<SaleLine, CartError> {
        if index >= self.lines.len() {
            return Err(CartError::NoSuchLine(index));
        }
        self.adjust.remove(index);
        Ok(self.lines.remove(index))
    }

    /// Takes `discount` off line `index` alone (replacing one before it; `None` takes it off);
    /// refused when it is not 1–99 % or would leave nothing of the line, the cart unchanged.
    pub fn set_line_discount(
        &mut self,
        index: usize,
        discount: Option<SubtotalDiscount>,
    ) -> Result<(), CartError> {
        let line = self.lines.get(index).ok_or(CartError::NoSuchLine(index))?;
        if line.kind == LineKind::Discount {
            return Err(CartError::BadDiscount);
        }
        if let Some(d) = &discount
            && !fits_line(&d.discount, line.amount().ok_or(CartError::Overflow)?)
        {
            return Err(CartError::BadDiscount);
        }
        let before = self.adjust.clone();
        self.adjust.set_discount(index, discount);
        let lines = self.lines.clone();
        self.replace_checked(lines)
            .inspect_err(|_| self.adjust = before)
    }

    /// The discount on line `index` and the yen it takes off.
    pub fn line_discount(&self, index: usize) -> Option<(&SubtotalDiscount, Yen)> {
        let discount = self.adjust.discount(index)?;
        let amount = self.lines.get(index)?.amount()?;
        Some((discount, discount.yen_off(amount)))
    }

    /// Sells line `index` at `price` a unit instead (売価変更); the price it replaced is kept for
    /// the journal. Asked behind the manager PIN by the till.
    pub fn override_price(&mut self, index: usize, price: Yen) -> Result<(), CartError> {
        let line = self.lines.get(index).ok_or(CartError::NoSuchLine(index))?;
        if line.kind == LineKind::Discount {
            return Err(CartError::NoSuchLine(index));
        }
        self.guard.check(price)?;
        let from = line.unit_price;
        let mut lines = self.lines.clone();
        lines[index].unit_price = price;
        self.replace_checked(lines)?;
        self.adjust.note_override(index, from);
        Ok(())
    }

    /// Every line's discount and price override, as a parked cart keeps them.
    pub fn line_adjustments(&self) -> &LineAdjustments {
        &self.adjust
    }

    /// The price line `index` had before the clerk overrode it.
    pub fn overridden_from(&self, index: usize) -> Option<Yen> {
        self.adjust.overridden_from(index)
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.adjust.clear();
        self.discount = None;
    }

    /// Puts back a cart kept aside (a parked sale recalled): its lines as they were rung and
    /// its discount, checked as if rung again. On an error the cart is left as it was.
    pub fn restore(
        &mut self,
        lines: Vec<SaleLine>,
        adjust: LineAdjustments,
        discount: Option<SubtotalDiscount>,
    ) -> Result<(), CartError> {
        let mut trial = Cart::new(self.policy, self.guard);
        trial.adjust = adjust;
        trial.replace_checked(lines)?;
        if let Some(discount) = discount {
            trial.set_discount(discount)?;
        }
        *self = trial;
        Ok(())
    }

    pub fn discount(&self) -> Option<&SubtotalDiscount> {
        self.discount.as_ref()
    }

    /// Takes `discount` off the subtotal (replacing any before it); refused when it is not
    /// 1–99 % or would leave nothing to pay, the cart then unchanged.
    pub fn set_discount(&mut self, discount: SubtotalDiscount) -> Result<(), CartError> {
        let gross = gross(&subtotals(&priced_lines(&self.lines, &self.adjust)?.0)?)?;
        let fits = match discount.discount {
            Discount::Percent(pct) => (1..=99).contains(&pct),
            Discount::Yen(yen) => yen.is_positive() && yen < gross,
        };
        if !fits || !gross.is_positive() {
            return Err(CartError::BadDiscount);
        }
        self.discount = Some(discount);
        Ok(())
    }

    pub fn clear_discount(&mut self) {
        self.discount = None;
    }

    /// The yen the subtotal discount takes off (zero without one).
    pub fn discount_yen(&self) -> Result<Yen, CartError> {
        let gross = gross(&subtotals(&priced_lines(&self.lines, &self.adjust)?.0)?)?;
        Ok(self
            .discount
            .as_ref()
            .map_or(Yen::ZERO, |d| d.yen_off(gross)))
    }

    /// Each rate's amount after the subtotal discount, shared across the rates (按分).
    pub fn subtotals(&self) -> Result<RateSubtotals, CartError> {
        let (lines, _) = priced_lines(&self.lines, &self.adjust)?;
        discounted(&lines, self.discount.as_ref())
    }

    pub fn tax_summary(&self) -> Result<TaxSummary, CartError> {
        let s = self.subtotals()?;
        Ok(TaxSummary::compute(s.standard, s.reduced, self.policy)?)
    }

    /// What the customer pays, tax included.
    pub fn total(&self) -> Result<Yen, CartError> {
        Ok(self.tax_summary()?.total()?)
    }

    /// Freezes the cart into a payment sale.
    pub fn checkout(&self) -> Result<SaleDraft, CartError> {
        if self.lines.is_empty() {
            return Err(CartError::Empty);
        }
        let tax = self.tax_summary()?;
        let total = self.guard.check(tax.total()?)?;
        let (mut lines, price_overrides) = priced_lines(&self.lines, &self.adjust)?;
        lines.extend(self.discount_lines()?);
        Ok(SaleDraft {
            kind: SaleKind::Payment,
            lines,
            tax,
            policy: self.policy,
            total,
            price_overrides,
        })
    }

    /// The discount as a negative line per rate it reaches, so the journal and the receipt
    /// carry each rate's share and the lines of each rate still add up to its amount.
    fn discount_lines(&self) -> Result<Vec<SaleLine>, CartError> {
        let Some(discount) = &self.discount else {
            return Ok(Vec::new());
        };
        let (lines, _) = priced_lines(&self.lines, &self.adjust)?;
        let before = subtotals(&lines)?;
        let after = self.subtotals()?;
        let shares = [
            (TaxRate::Standard10, before.standard, after.standard),
            (TaxRate::Reduced8, before.reduced, after.reduced),
        ];
        Ok(shares
            .into_iter()
            .filter(|(_, before, after)| before != after)
            .map(|(rate, before, after)| SaleLine {
                kind: LineKind::Discount,
                name: discount.line_name(),
                unit_price: Yen(after.value() - before.value()),
                quantity: 1,
                tax_rate: rate,
            })
            .collect())
    }

    fn push_checked(&mut self, line: SaleLine) -> Result<usize, CartError> {
        let mut lines = self.lines.clone();
        lines.push(line);
        self.replace_checked(lines)?;
        Ok(self.lines.len() - 1)
    }

    /// Installs `lines` only if their total is computable and within the guard.
    fn replace_checked(&mut self, lines: Vec<SaleLine>) -> Result<(), CartError> {
        let mut adjust = self.adjust.clone();
        adjust.fit(lines.len());
        let (priced, _) = priced_lines(&lines, &adjust)?;
        let s = discounted(&priced, self.discount.as_ref())?;
        let total = TaxSummary::compute(s.standard, s.reduced, self.policy)?.total()?;
        if total > self.guard.max {
            return Err(AmountError::OverLimit {
                amount: total,
                max: self.guard.max,
            }
            .into());
        }
        self.lines = lines;
        self.adjust = adjust;
        Ok(())
    }
}

fn gross(s: &RateSubtotals) -> Result<Yen, CartError> {
    s.standard.checked_add(s.reduced).ok_or(CartError::Overflow)
}

/// The lines' amounts per rate less `discount`, shared across the rates in proportion.
fn discounted(
    lines: &[SaleLine],
    discount: Option<&SubtotalDiscount>,
) -> Result<RateSubtotals, CartError> {
    let before = subtotals(lines)?;
    let Some(discount) = discount else {
        return Ok(before);
    };
    let whole = gross(&before)?;
    let after = Yen(whole.value() - discount.yen_off(whole).value());
    let (standard, reduced) = apportion(before.standard, before.reduced, after);
    Ok(RateSubtotals { standard, reduced })
}

fn subtotals(lines: &[SaleLine]) -> Result<RateSubtotals, CartError> {
    let mut totals = RateSubtotals::default();
    for line in lines {
        let amount = line.amount().ok_or(CartError::Overflow)?;
        let slot = match line.tax_rate {
            TaxRate::Standard10 => &mut totals.standard,
            TaxRate::Reduced8 => &mut totals.reduced,
        };
        *slot = slot.checked_add(amount).ok_or(CartError::Overflow)?;
    }
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tax::{PricesInclude, Rounding};

    fn product(jan: &str, price: i64, rate: TaxRate) -> Product {
        Product {
            jan: jan.to_string(),
            name: format!("item {jan}"),
            unit_price: Yen(price),
            tax_rate: rate,
        }
    }

    fn cart() -> Cart {
        Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)))
    }

    #[test]
    fn same_jan_increments_quantity() {
        let mut c = cart();
        let tea = product("4901234567894", 140, TaxRate::Reduced8);
        assert_eq!(c.add_product(&tea), Ok(0));
        assert_eq!(c.add_product(&tea), Ok(0));
        assert_eq!(c.lines().len(), 1);
        assert_eq!(c.lines()[0].quantity, 2);
        assert_eq!(c.total(), Ok(Yen(280)));
    }

    #[test]
    fn a_jan_at_a_new_catalog_price_is_a_line_of_its_own_and_the_old_line_keeps_its_price() {
        let mut c = cart();
        let tea = product("4901234567894", 140, TaxRate::Reduced8);
        assert_eq!(c.add_product(&tea), Ok(0));
        let dearer = Product {
            unit_price: Yen(160),
            ..tea.clone()
        };
        assert_eq!(c.add_product(&dearer), Ok(1));
        assert_eq!(c.add_product(&dearer), Ok(1));
        let lines: Vec<(Yen, u32)> = c
            .lines()
            .iter()
            .map(|l| (l.unit_price, l.quantity))
            .collect();
        assert_eq!(lines, [(Yen(140), 1), (Yen(160), 2)]);
    }

    #[test]
    fn a_jan_scanned_again_after_its_price_was_overridden_still_adds_to_that_line() {
        let mut c = cart();
        let tea = product("4901234567894", 140, TaxRate::Reduced8);
        c.add_product(&tea).unwrap();
        c.override_price(0, Yen(100)).unwrap();
        assert_eq!(c.add_product(&tea), Ok(0));
        assert_eq!(c.lines()[0].quantity, 2);
    }

    #[test]
    fn unknown_jan_leaves_the_cart_untouched() {
        let catalog = Catalog::from_csv_reader(
            "jan,name,unit_price,tax_rate\n4901234567894,お茶,140,8\n".as_bytes(),
        )
        .unwrap();
        let mut c = cart();
        c.add_jan(&catalog, "4901234567894").unwrap();
        let before = c.lines().to_vec();
        let err = c.add_jan(&catalog, "4512345678906").unwrap_err();
        assert!(matches!(err, CartError::UnknownJan(ref u) if u.jan == "4512345678906"));
        assert_eq!(c.lines(), before.as_slice());
    }

    #[test]
    fn mixed_rates_sum_per_rate() {
        let mut c = cart();
        c.add_product(&product("4901234567894", 150, TaxRate::Reduced8))
            .unwrap();
        c.add_product(&product("4512345678906", 330, TaxRate::Standard10))
            .unwrap();
        c.add_manual(Yen(200), TaxRate::Reduced8, None).unwrap();
        let s = c.subtotals().unwrap();
        assert_eq!(s.reduced, Yen(350));
        assert_eq!(s.standard, Yen(330));
        let tax = c.tax_summary().unwrap();
        assert_eq!(tax.reduced.tax, Yen(25)); // 350*8/108 = 25.9
        assert_eq!(tax.standard.tax, Yen(30)); // 330*10/110 = 30
        assert_eq!(c.total(), Ok(Yen(680)));
        assert_eq!(c.lines()[2].name, MANUAL_LINE_NAME);
    }

    #[test]
    fn tax_is_rounded_per_rate_not_per_line() {
        // Three lines of ¥105 at 8% inclusive: per line 105*8/108 = 7.78 → 7 each → 21;
        // once on the sum 315*8/108 = 23.33 → 23.
        let mut c = cart();
        for jan in ["4901234567894", "4512345678906", "4900000000003"] {
            c.add_product(&product(jan, 105, TaxRate::Reduced8))
                .unwrap();
        }
        let per_line: i64 = c
            .lines()
            .iter()
            .map(|l| l.unit_price.value() * 8 / 108)
            .sum();
        assert_eq!(per_line, 21);
        assert_eq!(c.tax_summary().unwrap().reduced.tax, Yen(23));
    }

    #[test]
    fn exclusive_prices_add_tax_to_the_total() {
        let policy = TaxPolicy {
            prices: PricesInclude::NoTax,
            rounding: Rounding::Down,
        };
        let mut c = Cart::new(policy, AmountGuard::new(Yen(100_000)));
        c.add_product(&product("4901234567894", 199, TaxRate::Reduced8))
            .unwrap();
        c.add_product(&product("4512345678906", 199, TaxRate::Standard10))
            .unwrap();
        // 199*0.08 = 15.92 → 15; 199*0.10 = 19.9 → 19
        assert_eq!(c.total(), Ok(Yen(199 + 15 + 199 + 19)));
    }

    #[test]
    fn over_the_guard_is_refused_and_the_cart_kept() {
        let mut c = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(1_000)));
        let item = product("4901234567894", 400, TaxRate::Reduced8);
        c.add_product(&item).unwrap();
        c.add_product(&item).unwrap();
        let err = c.add_product(&item).unwrap_err();
        assert_eq!(
            err,
            CartError::Amount(AmountError::OverLimit {
                amount: Yen(1_200),
                max: Yen(1_000)
            })
        );
        assert_eq!(c.lines()[0].quantity, 2);
        assert!(matches!(
            c.add_manual(Yen(1_001), TaxRate::Standard10, None),
            Err(CartError::Amount(AmountError::OverLimit { .. }))
        ));
        assert!(matches!(
            c.add_manual(Yen(0), TaxRate::Standard10, None),
            Err(CartError::Amount(AmountError::NotPositive(_)))
        ));
        assert_eq!(c.lines().len(), 1);
    }

    #[test]
    fn overflow_is_an_error() {
        let mut c = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(i64::MAX)));
        c.add_product(&product("4901234567894", i64::MAX / 2, TaxRate::Reduced8))
            .unwrap();
        assert_eq!(c.set_quantity(0, 3), Err(CartError::Overflow));
        assert_eq!(c.lines()[0].quantity, 1);
    }

    #[test]
    fn quantities_and_removal() {
        let mut c = cart();
        c.add_product(&product("4901234567894", 100, TaxRate::Reduced8))
            .unwrap();
        c.add_manual(Yen(50), TaxRate::Standard10, Some(" 雑貨 "))
            .unwrap();
        assert_eq!(c.lines()[1].name, "雑貨");
        c.set_quantity(0, 5).unwrap();
        assert_eq!(c.total(), Ok(Yen(550)));
        assert_eq!(c.set_quantity(0, 0), Err(CartError::InvalidQuantity(0)));
        assert_eq!(
            c.set_quantity(0, 1000),
            Err(CartError::InvalidQuantity(1000))
        );
        assert_eq!(c.set_quantity(1, 2), Err(CartError::InvalidQuantity(2)));
        assert_eq!(c.set_quantity(7, 2), Err(CartError::NoSuchLine(7)));
        assert_eq!(c.remove_line(7), Err(CartError::NoSuchLine(7)));
        let removed = c.remove_line(0).unwrap();
        assert_eq!(removed.quantity, 5);
        assert_eq!(c.total(), Ok(Yen(50)));
    }

    #[test]
    fn checkout_freezes_a_payment() {
        let mut c = cart();
        assert_eq!(c.checkout(), Err(CartError::Empty));
        c.add_product(&product("4901234567894", 1080, TaxRate::Reduced8))
            .unwrap();
        let draft = c.checkout().unwrap();
        assert_eq!(draft.kind, SaleKind::Payment);
        assert_eq!(draft.total, Yen(1080));
        assert_eq!(draft.tax.reduced.tax, Yen(80));
        assert_eq!(draft.api_amount(), Yen(-1080));
        assert_eq!(draft.lines.len(), 1);
    }

    #[test]
    fn a_department_line_is_named_and_taxed_after_its_department() {
        let mut c = cart();
        let food = Department {
            number: 2,
            name: "食品".into(),
            rate: TaxRate::Reduced8,
            price: None,
        };
        let stamp = Department {
            number: 3,
            name: "切手".into(),
            rate: TaxRate::Standard10,
            price: Some(Yen(110)),
        };
        c.add_department(&food, Some(Yen(1_080))).unwrap();
        c.add_department(&stamp, None).unwrap();
        assert_eq!(c.lines()[0].name, "食品");
        assert_eq!(c.lines()[0].kind, LineKind::Department { number: 2 });
        assert_eq!(c.lines()[1].unit_price, Yen(110));
        c.set_quantity(1, 3).unwrap();
        let tax = c.tax_summary().unwrap();
        assert_eq!(
            (tax.reduced.taxable_total, tax.reduced.tax),
            (Yen(1_080), Yen(80))
        );
        assert_eq!(
            (tax.standard.taxable_total, tax.standard.tax),
            (Yen(330), Yen(30))
        );
        assert!(matches!(
            c.add_department(&food, None),
            Err(CartError::Amount(AmountError::NotPositive(_)))
        ));
        assert_eq!(c.lines().len(), 2);
    }

    fn ten_percent_off() -> SubtotalDiscount {
        SubtotalDiscount {
            discount: Discount::Percent(10),
            reason: None,
        }
    }

    #[test]
    fn a_subtotal_discount_is_apportioned_before_each_rates_tax() {
        let mut c = cart();
        c.add_manual(Yen(1_000), TaxRate::Reduced8, None).unwrap();
        c.add_manual(Yen(500), TaxRate::Standard10, None).unwrap();
        c.set_discount(ten_percent_off()).unwrap();
        assert_eq!(c.discount_yen(), Ok(Yen(150)));
        let tax = c.tax_summary().unwrap();
        assert_eq!(
            (tax.reduced.taxable_total, tax.reduced.tax),
            (Yen(900), Yen(66))
        );
        assert_eq!(
            (tax.standard.taxable_total, tax.standard.tax),
            (Yen(450), Yen(40))
        );
        let draft = c.checkout().unwrap();
        assert_eq!(draft.total, Yen(1_350));
        let discounts: Vec<_> = draft
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Discount)
            .map(|l| (l.tax_rate, l.unit_price))
            .collect();
        assert_eq!(
            discounts,
            vec![
                (TaxRate::Standard10, Yen(-50)),
                (TaxRate::Reduced8, Yen(-100))
            ]
        );
    }

    #[test]
    fn an_odd_yen_of_discount_lands_on_the_larger_rate() {
        let mut c = cart();
        c.add_manual(Yen(1_000), TaxRate::Reduced8, None).unwrap();
        c.add_manual(Yen(500), TaxRate::Standard10, None).unwrap();
        c.set_discount(SubtotalDiscount {
            discount: Discount::Yen(Yen(499)),
            reason: Some("会員".into()),
        })
        .unwrap();
        // 1,001 left: 10 % gets 333 (333.67 down), 8 % the rest, 668.
        let s = c.subtotals().unwrap();
        assert_eq!((s.standard, s.reduced), (Yen(333), Yen(668)));
        assert_eq!(c.total(), Ok(Yen(1_001)));
        let draft = c.checkout().unwrap();
        let sum: i64 = draft
            .lines
            .iter()
            .map(|l| l.amount().unwrap().value())
            .sum();
        assert_eq!(sum, 1_001, "the lines add up to what is paid");
        assert_eq!(draft.lines[2].name, "値引 (会員)");
    }

    #[test]
    fn a_discount_leaving_nothing_to_pay_is_refused_and_the_cart_kept() {
        let mut c = cart();
        assert_eq!(
            c.set_discount(ten_percent_off()),
            Err(CartError::BadDiscount)
        );
        c.add_manual(Yen(500), TaxRate::Standard10, None).unwrap();
        for discount in [
            Discount::Yen(Yen(500)),
            Discount::Percent(100),
            Discount::Percent(0),
        ] {
            let refused = c.set_discount(SubtotalDiscount {
                discount,
                reason: None,
            });
            assert_eq!(refused, Err(CartError::BadDiscount));
        }
        assert_eq!(c.discount(), None);
        assert_eq!(c.total(), Ok(Yen(500)));
    }
}
