//! The store's catalog arriving while the till runs: the app swaps it in and tells the clerk, or
//! keeps the catalog it has when the new one is unusable. Lines already rung keep their prices:
//! a cart line holds its own price, not a reference into the catalog.

use crate::app::{App, Command, NoticeMessage};
use crate::domain::{Catalog, Product};

/// A newer version of the store's catalog, as read by the runtime: its products, or why it
/// could not be read.
pub fn on_store_catalog(
    app: &mut App,
    version: i64,
    products: Result<Vec<Product>, String>,
) -> Vec<Command> {
    match products {
        // A catalog without a product would leave every scan unknown: the old one sells on.
        // (The runtime refuses such a file first; this holds whatever it sends.)
        Ok(products) if products.is_empty() => app.notify(NoticeMessage::StoreCatalogRefused {
            version,
            why: String::new(),
        }),
        Ok(products) => {
            let count = products.len();
            app.catalog = Catalog::from_products(products);
            if let Some(file) = &mut app.startup.catalog_file {
                file.rows_left_out = 0;
                file.store_version = Some(version);
            }
            app.notify(NoticeMessage::StoreCatalogTaken {
                version,
                products: count,
            });
        }
        Err(why) => app.notify(NoticeMessage::StoreCatalogRefused { version, why }),
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::domain::{TaxRate, Yen};

    fn onigiri_at(price: i64) -> Vec<Product> {
        vec![Product {
            jan: ONIGIRI.into(),
            name: "おにぎり 鮭".into(),
            unit_price: Yen(price),
            tax_rate: TaxRate::Reduced8,
        }]
    }

    fn price_of_next_scan(app: &mut App) -> Yen {
        update(app, Msg::Scan(ONIGIRI.into()));
        app.cart.lines().last().expect("a line").unit_price
    }

    #[test]
    fn a_newer_store_catalog_prices_the_next_scan_and_is_told_with_its_version_and_size() {
        let mut app = app();
        assert_eq!(price_of_next_scan(&mut app), Yen(150));
        let commands = update(
            &mut app,
            Msg::StoreCatalog {
                version: 7,
                products: Ok(onigiri_at(180)),
            },
        );
        assert!(commands.is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::StoreCatalogTaken {
                version: 7,
                products: 1
            })
        );
        assert_eq!(price_of_next_scan(&mut app), Yen(180));
        let prices: Vec<Yen> = app.cart.lines().iter().map(|l| l.unit_price).collect();
        assert_eq!(
            prices,
            [Yen(150), Yen(180)],
            "the line rung before keeps its price"
        );
    }

    #[test]
    fn a_store_catalog_that_did_not_read_keeps_the_catalog_the_till_has() {
        let mut app = app();
        update(
            &mut app,
            Msg::StoreCatalog {
                version: 8,
                products: Err("line 2: unit_price is not a number".into()),
            },
        );
        assert!(app.notice.as_ref().is_some_and(|n| n.message.is_error()));
        assert_eq!(price_of_next_scan(&mut app), Yen(150));
    }

    #[test]
    fn a_store_catalog_without_a_product_keeps_the_catalog_the_till_has() {
        let mut app = app();
        update(
            &mut app,
            Msg::StoreCatalog {
                version: 9,
                products: Ok(Vec::new()),
            },
        );
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::StoreCatalogRefused { version: 9, .. })
        ));
        assert_eq!(price_of_next_scan(&mut app), Yen(150));
    }
}
