//! The shipped example catalog loads and is realistic: valid JANs, both tax rates.

use std::path::Path;

use regi_core::domain::catalog::is_valid_jan;
use regi_core::domain::{AmountGuard, Cart, Catalog, TaxPolicy, TaxRate, Yen};

fn example() -> Catalog {
    let file = std::fs::File::open(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/products.example.csv"
    )))
    .expect("the example catalog is there");
    Catalog::from_csv_reader(file).expect("example catalog loads")
}

#[test]
fn example_catalog_has_valid_japanese_jans_and_both_rates() {
    let catalog = example();
    assert!(catalog.len() >= 25, "{} products", catalog.len());
    for p in catalog.products() {
        assert!(is_valid_jan(&p.jan), "{}", p.jan);
        assert!(
            p.jan.starts_with("49") || p.jan.starts_with("45"),
            "{}",
            p.jan
        );
        assert!(p.unit_price.is_positive(), "{}", p.name);
    }
    let reduced = catalog
        .products()
        .iter()
        .filter(|p| p.tax_rate == TaxRate::Reduced8)
        .count();
    let standard = catalog.len() - reduced;
    assert!(
        reduced >= 5 && standard >= 5,
        "{reduced} reduced, {standard} standard"
    );
}

#[test]
fn alcohol_is_taxed_at_the_standard_rate() {
    let catalog = example();
    let alcohol: Vec<_> = catalog
        .products()
        .iter()
        .filter(|p| {
            ["ビール", "チューハイ", "日本酒"]
                .iter()
                .any(|w| p.name.contains(w))
        })
        .collect();
    assert!(!alcohol.is_empty());
    for p in alcohol {
        assert_eq!(p.tax_rate, TaxRate::Standard10, "{}", p.name);
    }
}

#[test]
fn a_mixed_basket_from_the_catalog() {
    let catalog = example();
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
    let onigiri = catalog
        .products()
        .iter()
        .find(|p| p.name.contains("おにぎり"))
        .unwrap();
    let beer = catalog
        .products()
        .iter()
        .find(|p| p.name.contains("ビール"))
        .unwrap();
    cart.add_jan(&catalog, &onigiri.jan).unwrap();
    cart.add_jan(&catalog, &onigiri.jan).unwrap();
    cart.add_jan(&catalog, &beer.jan).unwrap();
    let draft = cart.checkout().unwrap();
    assert_eq!(draft.lines.len(), 2);
    assert_eq!(
        draft.total,
        Yen(onigiri.unit_price.value() * 2 + beer.unit_price.value())
    );
    assert_eq!(
        draft.tax.reduced.taxable_total,
        Yen(onigiri.unit_price.value() * 2)
    );
    assert_eq!(draft.tax.standard.taxable_total, beer.unit_price);
    assert!(cart.add_jan(&catalog, "4900000000009").is_err());
    assert_eq!(cart.lines().len(), 2);
}
