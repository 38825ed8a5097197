//! A return of some of a sale's lines (返品): which lines and quantities may go back, and how
//! much of each tax rate they give back. The returned part bears its share of the sale's
//! discounts, as the rest of the rate does: each rate's refund is its part of what that rate
//! was sold for after the discount (按分), taken cumulatively so that returning every line,
//! in whatever steps, gives back exactly what the rate was paid, tax included.

use std::collections::BTreeMap;

use thiserror::Error;

use super::money::Yen;
use super::tax::{RateSummary, TaxRate, TaxSummary};

/// One line of the sale as it was sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoldLine {
    /// Its number on the receipt (1 for the first line).
    pub line_no: i64,
    pub quantity: i64,
    pub rate: TaxRate,
    /// What the line came to before any subtotal discount; a discount is a negative line.
    pub amount: Yen,
}

/// A quantity of one line going back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnedLine {
    pub line_no: i64,
    pub quantity: i64,
}

/// Why a return cannot be taken as asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReturnError {
    #[error("nothing to return: name at least one line")]
    Nothing,
    #[error("the sale has no line {0}")]
    NoSuchLine(i64),
    #[error("line {0} is a discount, not goods; return the goods it was taken off")]
    NotGoods(i64),
    #[error("a quantity must be at least 1 (line {0})")]
    BadQuantity(i64),
    #[error("line {line_no} sold {sold}, {returned} already returned: {asked} more cannot go back")]
    TooMany {
        line_no: i64,
        sold: i64,
        returned: i64,
        asked: i64,
    },
}

/// What a return gives back: each rate's part of what was paid (its tax in it), and the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnAmounts {
    pub tax: TaxSummary,
    /// The asked lines, one entry per line, in line order.
    pub lines: Vec<ReturnedLine>,
}

impl ReturnAmounts {
    pub fn total(&self) -> Yen {
        Yen(self.tax.standard.taxable_total.value() + self.tax.reduced.taxable_total.value())
    }
}

/// What returning `asked` gives back, after the `before` returns, of a sale of `lines` whose
/// taxes were `sale_tax` (each rate's amount after its discounts, the tax in it).
pub fn return_amounts(
    lines: &[SoldLine],
    sale_tax: &TaxSummary,
    before: &[ReturnedLine],
    asked: &[ReturnedLine],
) -> Result<ReturnAmounts, ReturnError> {
    let asked_by_line = merged(asked, lines, true)?;
    if asked_by_line.is_empty() {
        return Err(ReturnError::Nothing);
    }
    let before_by_line = merged(before, lines, false)?;
    for (&line_no, &asked) in &asked_by_line {
        let sold = sold_line(lines, line_no)?;
        let returned = before_by_line.get(&line_no).copied().unwrap_or(0);
        if returned + asked > sold.quantity {
            return Err(ReturnError::TooMany {
                line_no,
                sold: sold.quantity,
                returned,
                asked,
            });
        }
    }
    let mut after_by_line = before_by_line.clone();
    for (&line_no, &asked) in &asked_by_line {
        *after_by_line.entry(line_no).or_insert(0) += asked;
    }
    let part = |rate: &RateSummary| -> RateSummary {
        let goods = goods_of(lines, rate.rate, None);
        let was = share(
            rate,
            goods,
            goods_of(lines, rate.rate, Some(&before_by_line)),
        );
        let now = share(
            rate,
            goods,
            goods_of(lines, rate.rate, Some(&after_by_line)),
        );
        RateSummary {
            rate: rate.rate,
            taxable_total: Yen(now.0 - was.0),
            tax: Yen(now.1 - was.1),
        }
    };
    Ok(ReturnAmounts {
        tax: TaxSummary {
            standard: part(&sale_tax.standard),
            reduced: part(&sale_tax.reduced),
        },
        lines: asked_by_line
            .into_iter()
            .map(|(line_no, quantity)| ReturnedLine { line_no, quantity })
            .collect(),
    })
}

/// The quantities per line, merged; `checked` refuses lines that are no goods of the sale.
fn merged(
    returned: &[ReturnedLine],
    lines: &[SoldLine],
    checked: bool,
) -> Result<BTreeMap<i64, i64>, ReturnError> {
    let mut out = BTreeMap::new();
    for r in returned {
        if checked {
            if r.quantity < 1 {
                return Err(ReturnError::BadQuantity(r.line_no));
            }
            sold_line(lines, r.line_no)?;
        }
        *out.entry(r.line_no).or_insert(0) += r.quantity;
    }
    Ok(out)
}

fn sold_line(lines: &[SoldLine], line_no: i64) -> Result<&SoldLine, ReturnError> {
    let line = lines
        .iter()
        .find(|l| l.line_no == line_no)
        .ok_or(ReturnError::NoSuchLine(line_no))?;
    if line.amount.value() <= 0 {
        return Err(ReturnError::NotGoods(line_no));
    }
    Ok(line)
}

/// The goods of `rate` before discounts: all of them, or the part `returned` names.
fn goods_of(lines: &[SoldLine], rate: TaxRate, returned: Option<&BTreeMap<i64, i64>>) -> i128 {
    lines
        .iter()
        .filter(|l| l.rate == rate && l.amount.value() > 0 && l.quantity > 0)
        .map(|l| {
            let amount = i128::from(l.amount.value());
            match returned {
                None => amount,
                Some(by_line) => {
                    let q = by_line
                        .get(&l.line_no)
                        .copied()
                        .unwrap_or(0)
                        .min(l.quantity);
                    amount * i128::from(q) / i128::from(l.quantity)
                }
            }
        })
        .sum()
}

/// The part of `rate` (amount, tax) that `part` of its `goods` came to, rounded down; all of
/// the goods give exactly the rate's amount and tax.
fn share(rate: &RateSummary, goods: i128, part: i128) -> (i64, i64) {
    if goods <= 0 || part <= 0 {
        return (0, 0);
    }
    let of = |whole: Yen| (i128::from(whole.value()) * part.min(goods) / goods) as i64;
    (of(rate.taxable_total), of(rate.tax))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(line_no: i64, quantity: i64, rate: TaxRate, amount: i64) -> SoldLine {
        SoldLine {
            line_no,
            quantity,
            rate,
            amount: Yen(amount),
        }
    }

    fn rate(rate: TaxRate, taxable: i64, tax: i64) -> RateSummary {
        RateSummary {
            rate,
            taxable_total: Yen(taxable),
            tax: Yen(tax),
        }
    }

    fn back(line_no: i64, quantity: i64) -> ReturnedLine {
        ReturnedLine { line_no, quantity }
    }

    /// ¥1,000 of food (8 %, 2 × ¥500) and ¥500 at 10 %, 10 % off the subtotal: 8 % ¥900
    /// (tax ¥66), 10 % ¥450 (tax ¥40), the discount journaled as a negative line per rate.
    fn discounted_sale() -> (Vec<SoldLine>, TaxSummary) {
        let lines = vec![
            line(1, 2, TaxRate::Reduced8, 1_000),
            line(2, 1, TaxRate::Standard10, 500),
            line(3, 1, TaxRate::Standard10, -50),
            line(4, 1, TaxRate::Reduced8, -100),
        ];
        let tax = TaxSummary {
            standard: rate(TaxRate::Standard10, 450, 40),
            reduced: rate(TaxRate::Reduced8, 900, 66),
        };
        (lines, tax)
    }

    #[test]
    fn a_returned_item_gives_back_its_price_less_its_share_of_the_subtotal_discount() {
        let (lines, tax) = discounted_sale();
        let got = return_amounts(&lines, &tax, &[], &[back(1, 1)]).unwrap();
        assert_eq!(got.tax.reduced, rate(TaxRate::Reduced8, 450, 33));
        assert_eq!(got.tax.standard, rate(TaxRate::Standard10, 0, 0));
        assert_eq!(got.total(), Yen(450));
    }

    #[test]
    fn returning_every_line_in_steps_gives_back_exactly_what_each_rate_was_paid() {
        let (lines, tax) = discounted_sale();
        // ¥333 of ¥1,000 at a time would leave a yen behind if each step rounded on its own.
        let lines: Vec<SoldLine> = lines
            .into_iter()
            .map(|l| {
                if l.line_no == 1 {
                    line(1, 3, TaxRate::Reduced8, 1_000)
                } else {
                    l
                }
            })
            .collect();
        let mut before = Vec::new();
        let mut given = (0, 0);
        for step in [back(1, 1), back(2, 1), back(1, 1), back(1, 1)] {
            let got = return_amounts(&lines, &tax, &before, &[step]).unwrap();
            given.0 +=
                got.tax.reduced.taxable_total.value() + got.tax.standard.taxable_total.value();
            given.1 += got.tax.reduced.tax.value() + got.tax.standard.tax.value();
            before.push(step);
        }
        assert_eq!(given, (1_350, 106));
    }

    #[test]
    fn more_of_a_line_than_was_sold_less_returned_is_refused() {
        let (lines, tax) = discounted_sale();
        assert_eq!(
            return_amounts(&lines, &tax, &[back(1, 1)], &[back(1, 2)]),
            Err(ReturnError::TooMany {
                line_no: 1,
                sold: 2,
                returned: 1,
                asked: 2
            })
        );
        // The same line named twice counts together.
        assert!(matches!(
            return_amounts(&lines, &tax, &[], &[back(1, 2), back(1, 1)]),
            Err(ReturnError::TooMany { .. })
        ));
    }

    #[test]
    fn a_discount_line_or_a_line_the_sale_lacks_cannot_be_returned() {
        let (lines, tax) = discounted_sale();
        assert_eq!(
            return_amounts(&lines, &tax, &[], &[back(3, 1)]),
            Err(ReturnError::NotGoods(3))
        );
        assert_eq!(
            return_amounts(&lines, &tax, &[], &[back(9, 1)]),
            Err(ReturnError::NoSuchLine(9))
        );
        assert_eq!(
            return_amounts(&lines, &tax, &[], &[]),
            Err(ReturnError::Nothing)
        );
    }
}
