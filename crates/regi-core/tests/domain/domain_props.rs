//! Properties of the pure domain over arbitrary input: no panics, consistent arithmetic.

use proptest::prelude::*;
use regi_core::domain::{
    AmountGuard, Cart, PricesInclude, Product, Rounding, TaxPolicy, TaxRate, TaxSummary, Yen,
};

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Down),
        Just(Rounding::Up),
        Just(Rounding::Nearest)
    ]
}

fn rate() -> impl Strategy<Value = TaxRate> {
    prop_oneof![Just(TaxRate::Standard10), Just(TaxRate::Reduced8)]
}

proptest! {
    #[test]
    fn clerk_input_never_panics(text in "\\PC{0,30}") {
        let _ = text.parse::<Yen>();
    }

    #[test]
    fn display_parses_back(value in 0i64..=i64::MAX) {
        prop_assert_eq!(Yen(value).to_string().parse::<Yen>(), Ok(Yen(value)));
    }

    #[test]
    fn inclusive_tax_is_bounded_and_ordered_by_rounding(
        standard in 0i64..10_000_000,
        reduced in 0i64..10_000_000,
    ) {
        let tax = |rounding| {
            TaxSummary::compute(
                Yen(standard),
                Yen(reduced),
                TaxPolicy { prices: PricesInclude::Tax, rounding },
            )
            .unwrap()
        };
        let (down, nearest, up) = (tax(Rounding::Down), tax(Rounding::Nearest), tax(Rounding::Up));
        for rate in TaxRate::ALL {
            let (d, n, u) = (down.for_rate(rate).tax, nearest.for_rate(rate).tax, up.for_rate(rate).tax);
            prop_assert!(d <= n && n <= u && u.value() - d.value() <= 1);
            // The tax is never more than the rate's share of the total.
            let total = down.for_rate(rate).taxable_total.value();
            prop_assert!(d.value() * (100 + rate.percent()) <= total * rate.percent());
        }
        prop_assert_eq!(down.total().unwrap(), Yen(standard + reduced));
    }

    #[test]
    fn exclusive_total_is_net_plus_tax(net in 0i64..10_000_000, rounding in rounding(), rate in rate()) {
        let (s, r) = match rate {
            TaxRate::Standard10 => (Yen(net), Yen::ZERO),
            TaxRate::Reduced8 => (Yen::ZERO, Yen(net)),
        };
        let summary = TaxSummary::compute(s, r, TaxPolicy { prices: PricesInclude::NoTax, rounding }).unwrap();
        let line = summary.for_rate(rate);
        prop_assert_eq!(line.taxable_total.value(), net + line.tax.value());
    }

    /// Any sequence of clerk operations keeps the cart within the guard and consistent.
    #[test]
    fn cart_operations_never_break_the_cart(
        ops in proptest::collection::vec((0u8..4, 0usize..6, 0i64..200_000, 0u32..1_200, rate()), 0..40),
        max in 1i64..500_000,
    ) {
        let guard = AmountGuard::new(Yen(max));
        let mut cart = Cart::new(TaxPolicy::default(), guard);
        for (op, index, amount, quantity, rate) in ops {
            let before = cart.lines().to_vec();
            let result = match op {
                0 => cart
                    .add_product(&Product {
                        jan: format!("49000000000{index:02}"),
                        name: "item".into(),
                        unit_price: Yen(amount),
                        tax_rate: rate,
                    })
                    .map(|_| ()),
                1 => cart.add_manual(Yen(amount), rate, None).map(|_| ()),
                2 => cart.set_quantity(index, quantity),
                _ => cart.remove_line(index).map(|_| ()),
            };
            if result.is_err() {
                prop_assert_eq!(cart.lines(), before.as_slice());
            }
            let total = cart.total().unwrap();
            prop_assert!(total <= guard.max);
            let sum: i64 = cart.lines().iter().map(|l| l.amount().unwrap().value()).sum();
            prop_assert_eq!(total, Yen(sum));
        }
    }
}
