//! `--open DEPT:PRICE[*QTY]`, `--item JAN[*QTY]` and `--discount PCT%|YEN` of `regi checkout`:
//! the lines of a sale and its subtotal discount as typed on the command line, put into a cart
//! with the configured departments and catalog.

use std::str::FromStr;

use anyhow::Context;

use regi_core::domain::{
    Cart, Catalog, Departments, Discount, MAX_DEPARTMENT, SubtotalDiscount, Yen,
};

/// An open-price line rung under a department: `2:1000`, `1:500*3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLine {
    pub department: u8,
    pub price: Yen,
    pub quantity: u32,
}

/// A catalog product: `4901234567894`, `4901234567894*2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    pub jan: String,
    pub quantity: u32,
}

/// A subtotal discount: `10%` or `200` (yen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountSpec(pub Discount);

impl FromStr for DiscountSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let spec = spec.trim();
        let refused = || format!("expected PCT% (1 to 99) or YEN, e.g. 10% or 200, got {spec:?}");
        match spec.strip_suffix('%') {
            Some(pct) => pct
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| (1..=99).contains(p))
                .map(|p| DiscountSpec(Discount::Percent(p)))
                .ok_or_else(refused),
            None => spec
                .parse::<Yen>()
                .ok()
                .filter(|y| y.is_positive())
                .map(|y| DiscountSpec(Discount::Yen(y)))
                .ok_or_else(refused),
        }
    }
}

impl DiscountSpec {
    /// Takes the discount off the cart's subtotal.
    pub fn apply(&self, cart: &mut Cart) -> anyhow::Result<()> {
        cart.set_discount(SubtotalDiscount {
            discount: self.0,
            reason: None,
        })
        .context("--discount")
    }
}

/// Splits `TEXT*QTY` into the text and the quantity (1 when none is given).
fn with_quantity(spec: &str) -> Result<(&str, u32), String> {
    match spec.split_once('*') {
        None => Ok((spec, 1)),
        Some((text, qty)) => qty
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|q| (1..=regi_core::domain::cart::MAX_QUANTITY).contains(q))
            .map(|q| (text, q))
            .ok_or_else(|| {
                format!(
                    "the quantity after * must be 1 to {}, got {qty:?}",
                    regi_core::domain::cart::MAX_QUANTITY
                )
            }),
    }
}

impl FromStr for OpenLine {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (line, quantity) = with_quantity(spec)?;
        let (department, price) = line
            .split_once(':')
            .ok_or_else(|| "expected DEPT:PRICE[*QTY], e.g. 2:1000".to_owned())?;
        let department = department
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|d| (1..=MAX_DEPARTMENT).contains(d))
            .ok_or_else(|| format!("the department must be 1 to {MAX_DEPARTMENT}"))?;
        let price: Yen = price
            .trim()
            .parse()
            .map_err(|_| format!("not a price in yen: {price:?}"))?;
        Ok(OpenLine {
            department,
            price,
            quantity,
        })
    }
}

impl FromStr for ItemLine {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (jan, quantity) = with_quantity(spec)?;
        let jan = jan.trim();
        if jan.is_empty() || !jan.bytes().all(|b| b.is_ascii_digit()) {
            return Err("expected JAN[*QTY], e.g. 4901234567894*2".to_owned());
        }
        Ok(ItemLine {
            jan: jan.to_owned(),
            quantity,
        })
    }
}

/// Rings the items, then the open lines, into `cart`; the first line that cannot be rung is
/// the error, naming it.
pub fn ring(
    cart: &mut Cart,
    departments: &Departments,
    catalog: &Catalog,
    items: &[ItemLine],
    open: &[OpenLine],
) -> anyhow::Result<()> {
    for item in items {
        let index = cart
            .add_jan(catalog, &item.jan)
            .with_context(|| format!("--item {}", item.jan))?;
        let quantity = cart.lines()[index].quantity - 1 + item.quantity;
        cart.set_quantity(index, quantity)
            .with_context(|| format!("--item {}", item.jan))?;
    }
    for line in open {
        let named = || format!("--open {}:{}", line.department, line.price.value());
        let department = departments.get(line.department).with_context(|| {
            format!(
                "{}: no department {} is configured",
                named(),
                line.department
            )
        })?;
        let index = cart
            .add_department(department, Some(line.price))
            .with_context(named)?;
        cart.set_quantity(index, line.quantity)
            .with_context(named)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_core::domain::{AmountGuard, TaxPolicy, TaxRate};

    #[test]
    fn open_lines_read_department_price_and_quantity() {
        assert_eq!(
            "2:1000".parse(),
            Ok(OpenLine {
                department: 2,
                price: Yen(1000),
                quantity: 1
            })
        );
        assert_eq!("1:500*3".parse::<OpenLine>().map(|l| l.quantity), Ok(3));
        for bad in ["1000", "0:100", "10:100", "1:abc", "1:100*0", "1:100*x"] {
            assert!(bad.parse::<OpenLine>().is_err(), "{bad}");
        }
    }

    #[test]
    fn discounts_read_a_percentage_or_yen() {
        assert_eq!("10%".parse(), Ok(DiscountSpec(Discount::Percent(10))));
        assert_eq!("200".parse(), Ok(DiscountSpec(Discount::Yen(Yen(200)))));
        for bad in ["0%", "100%", "0", "-5", "ten%"] {
            assert!(bad.parse::<DiscountSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn items_read_a_jan_and_quantity() {
        assert_eq!(
            "4901234567894*2".parse(),
            Ok(ItemLine {
                jan: "4901234567894".into(),
                quantity: 2
            })
        );
        assert!("tea".parse::<ItemLine>().is_err());
    }

    #[test]
    fn lines_ring_at_their_departments_and_catalog_rates() {
        let catalog = Catalog::from_csv_reader(
            "jan,name,unit_price,tax_rate\n4901234567894,お茶,140,8\n".as_bytes(),
        )
        .unwrap();
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        let items = ["4901234567894*2".parse().unwrap()];
        let open = ["1:500*2".parse().unwrap()];
        ring(&mut cart, &Departments::default(), &catalog, &items, &open).unwrap();
        let tax = cart.tax_summary().unwrap();
        assert_eq!(tax.reduced.taxable_total, Yen(280));
        assert_eq!(tax.standard.taxable_total, Yen(1_000));
        assert_eq!(cart.lines()[1].tax_rate, TaxRate::Standard10);
        let unknown = ["3:100".parse().unwrap()];
        let err = ring(&mut cart, &Departments::default(), &catalog, &[], &unknown).unwrap_err();
        assert!(err.to_string().contains("no department 3"), "{err}");
    }
}
