//! What the clerk changed on single lines of a cart: a discount on one line (単品値引, % or yen,
//! with a reason) and a price overridden (売価変更, behind the manager PIN). A line discount
//! becomes a negative line of the same rate right after its line, so the journal, the receipt and
//! the per-rate tax see it as the subtotal discount's shares are seen; an override is journaled
//! with the price it replaced.

use super::cart::{CartError, LineKind, SaleLine};
use super::discount::{Discount, SubtotalDiscount};
use super::money::Yen;

/// A line's price changed by the clerk: from the catalog's (or the typed) price to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceOverride {
    /// The line's position in the sale's lines as journaled (1-based).
    pub line_no: usize,
    pub from: Yen,
    pub to: Yen,
}

/// Per line of the cart (same order and length as its lines): its discount, and the price it
/// had before an override.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineAdjustments {
    discounts: Vec<Option<SubtotalDiscount>>,
    overridden_from: Vec<Option<Yen>>,
}

impl LineAdjustments {
    /// One line's discount and earlier price per line, as kept for a parked cart.
    pub fn from_lines(lines: Vec<(Option<SubtotalDiscount>, Option<Yen>)>) -> Self {
        let (discounts, overridden_from) = lines.into_iter().unzip();
        Self {
            discounts,
            overridden_from,
        }
    }

    /// Keeps one slot per line: new lines have none, removed ones take theirs along.
    pub fn fit(&mut self, lines: usize) {
        self.discounts.resize(lines, None);
        self.overridden_from.resize(lines, None);
    }

    pub fn remove(&mut self, index: usize) {
        if index < self.discounts.len() {
            self.discounts.remove(index);
        }
        if index < self.overridden_from.len() {
            self.overridden_from.remove(index);
        }
    }

    pub fn clear(&mut self) {
        self.discounts.clear();
        self.overridden_from.clear();
    }

    pub fn discount(&self, index: usize) -> Option<&SubtotalDiscount> {
        self.discounts.get(index).and_then(Option::as_ref)
    }

    pub fn set_discount(&mut self, index: usize, discount: Option<SubtotalDiscount>) {
        if let Some(slot) = self.discounts.get_mut(index) {
            *slot = discount;
        }
    }

    /// The price line `index` had before its first override.
    pub fn overridden_from(&self, index: usize) -> Option<Yen> {
        self.overridden_from.get(index).copied().flatten()
    }

    /// Notes that line `index` was priced `from` before an override (the first price is kept).
    pub fn note_override(&mut self, index: usize, from: Yen) {
        if let Some(slot) = self.overridden_from.get_mut(index) {
            slot.get_or_insert(from);
        }
    }
}

/// Whether `discount` may stand on a line of `amount`: 1–99 %, or yen that leave something.
pub fn fits_line(discount: &Discount, amount: Yen) -> bool {
    match discount {
        Discount::Percent(pct) => (1..=99).contains(pct),
        Discount::Yen(yen) => yen.is_positive() && *yen < amount,
    }
}

/// The lines as sold: each line, then its discount as a negative line of the same rate; and the
/// overrides numbered by those positions. A discount that no longer fits its line (a quantity
/// lowered under a yen discount) is refused.
pub fn priced_lines(
    lines: &[SaleLine],
    adjustments: &LineAdjustments,
) -> Result<(Vec<SaleLine>, Vec<PriceOverride>), CartError> {
    let mut out = Vec::with_capacity(lines.len());
    let mut overrides = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        out.push(line.clone());
        if let Some(from) = adjustments.overridden_from(index)
            && from != line.unit_price
        {
            overrides.push(PriceOverride {
                line_no: out.len(),
                from,
                to: line.unit_price,
            });
        }
        if let Some(discount) = adjustments.discount(index) {
            let amount = line.amount().ok_or(CartError::Overflow)?;
            if !fits_line(&discount.discount, amount) {
                return Err(CartError::BadDiscount);
            }
            out.push(SaleLine {
                kind: LineKind::Discount,
                name: discount.line_name(),
                unit_price: Yen(-discount.yen_off(amount).value()),
                quantity: 1,
                tax_rate: line.tax_rate,
            });
        }
    }
    Ok((out, overrides))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TaxRate;

    fn line(price: i64, quantity: u32) -> SaleLine {
        SaleLine {
            kind: LineKind::Product {
                jan: "4901234567894".into(),
            },
            name: "弁当".into(),
            unit_price: Yen(price),
            quantity,
            tax_rate: TaxRate::Reduced8,
        }
    }

    #[test]
    fn a_line_discount_follows_its_line_at_its_rate_and_an_override_keeps_the_first_price() {
        let mut adjust = LineAdjustments::default();
        adjust.fit(2);
        adjust.set_discount(
            0,
            Some(SubtotalDiscount {
                discount: Discount::Percent(20),
                reason: Some("見切り".into()),
            }),
        );
        adjust.note_override(1, Yen(500));
        adjust.note_override(1, Yen(450));
        let (lines, overrides) = priced_lines(&[line(400, 2), line(300, 1)], &adjust).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (
                lines[1].kind.clone(),
                lines[1].unit_price,
                lines[1].tax_rate
            ),
            (LineKind::Discount, Yen(-160), TaxRate::Reduced8)
        );
        assert_eq!(lines[1].name, "値引 20% (見切り)");
        assert_eq!(
            overrides,
            vec![PriceOverride {
                line_no: 3,
                from: Yen(500),
                to: Yen(300)
            }]
        );
    }

    #[test]
    fn a_yen_discount_must_leave_something_of_its_line() {
        let mut adjust = LineAdjustments::default();
        adjust.fit(1);
        adjust.set_discount(
            0,
            Some(SubtotalDiscount {
                discount: Discount::Yen(Yen(400)),
                reason: None,
            }),
        );
        assert_eq!(
            priced_lines(&[line(400, 1)], &adjust).unwrap_err(),
            CartError::BadDiscount
        );
        assert!(priced_lines(&[line(400, 2)], &adjust).is_ok());
    }
}
