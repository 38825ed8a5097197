//! An unknown JAN scanned on the sale screen is priced now instead of turned away: the clerk
//! types its price, then `/` and a department key, which rings it under that department's name
//! at its tax rate (with nothing typed, at the department's fixed price). `S` also saves it to
//! the catalog file, so the next scan knows it; Esc leaves it out of the sale.

use crate::app::{App, Command, Key, MAX_INPUT_DIGITS, NoticeMessage};
use crate::domain::{CartError, Catalog, Product, Yen};

/// The unknown product being priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownJanEntry {
    pub jan: String,
    /// The price typed so far, in yen.
    pub price: String,
    /// `/` was pressed: the next digit is a department key.
    pub department_key: bool,
    /// Add it to the catalog file once it is rung.
    pub save: bool,
}

/// A scanned JAN not in the catalog: rung again if this sale has it already (priced before),
/// else asked for its price.
pub fn start(app: &mut App, jan: &str) {
    let priced = app
        .cart
        .lines()
        .iter()
        .find(|l| l.jan() == Some(jan))
        .map(|l| Product {
            jan: jan.to_string(),
            name: l.name.clone(),
            unit_price: l.unit_price,
            tax_rate: l.tax_rate,
        });
    if let Some(product) = priced {
        if let Err(e) = app.cart.add_product(&product) {
            notify(app, &e);
        }
        return;
    }
    // Digits typed before the scan are its price, not lost.
    let price = std::mem::take(&mut app.input);
    app.department_key = false;
    app.notify(NoticeMessage::UnknownProduct(jan.to_string()));
    app.unknown_jan = Some(UnknownJanEntry {
        jan: jan.to_string(),
        price,
        department_key: false,
        save: false,
    });
}

/// A key while the unknown product is priced.
pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Some(entry) = app.unknown_jan.as_mut() else {
        return Vec::new();
    };
    if let Some(digit) = key.digit() {
        if entry.department_key {
            return ring(app, digit);
        }
        if entry.price.len() < MAX_INPUT_DIGITS && !(entry.price.is_empty() && digit == 0) {
            entry.price.push(char::from(b'0' + digit));
        }
        return Vec::new();
    }
    match key {
        Key::Char('/') => entry.department_key = true,
        Key::Char('s' | 'S') => entry.save = !entry.save,
        Key::Backspace if entry.department_key => entry.department_key = false,
        Key::Backspace => {
            entry.price.pop();
        }
        Key::Esc => app.unknown_jan = None,
        Key::Enter => app.notify(NoticeMessage::PriceNeedsDepartment),
        Key::Char(c) if !c.is_control() && !c.is_whitespace() => {
            app.notify(NoticeMessage::KeyNotUsed(c));
        }
        _ => {}
    }
    Vec::new()
}

/// Rings the product under department `number`; saves it to the catalog when asked.
fn ring(app: &mut App, number: u8) -> Vec<Command> {
    let Some(entry) = app.unknown_jan.as_mut() else {
        return Vec::new();
    };
    entry.department_key = false;
    let Some(department) = app.sale.departments.get(number).cloned() else {
        app.notify(NoticeMessage::NoSuchDepartment(number));
        return Vec::new();
    };
    let Some(price) = entry
        .price
        .parse::<i64>()
        .ok()
        .map(Yen)
        .or(department.price)
    else {
        app.notify(NoticeMessage::NothingToPay);
        return Vec::new();
    };
    let product = Product {
        jan: entry.jan.clone(),
        name: department.name.clone(),
        unit_price: price,
        tax_rate: department.rate,
    };
    let save = entry.save;
    if let Err(e) = app.cart.add_product(&product) {
        notify(app, &e);
        return Vec::new();
    }
    app.unknown_jan = None;
    app.selected = None;
    if save {
        vec![Command::SaveProduct { product }]
    } else {
        Vec::new()
    }
}

/// The catalog file's answer: the catalog read back from it, or why the product is not in it
/// (the sale keeps its line either way).
pub fn on_saved(app: &mut App, result: Result<Vec<Product>, String>) -> Vec<Command> {
    match result {
        Ok(products) => {
            let added = products.last().map(|p| p.jan.clone()).unwrap_or_default();
            app.catalog = Catalog::from_products(products);
            app.notify(NoticeMessage::ProductSaved(added));
        }
        Err(why) => app.notify(NoticeMessage::ProductNotSaved(why)),
    }
    Vec::new()
}

fn notify(app: &mut App, error: &CartError) {
    app.notify(match error {
        CartError::Amount(crate::domain::AmountError::OverLimit { max, .. }) => {
            NoticeMessage::OverLimit(*max)
        }
        CartError::Overflow => NoticeMessage::AmountTooLarge,
        _ => NoticeMessage::NothingToPay,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::domain::TaxRate;

    const UNKNOWN: &str = "4901234567801";

    fn scanned_unknown() -> App {
        let mut app = app();
        update(&mut app, Msg::Scan(UNKNOWN.into()));
        app
    }

    #[test]
    fn an_unknown_jan_is_priced_under_a_department_and_rung_at_its_rate() {
        let mut app = scanned_unknown();
        assert_eq!(
            app.unknown_jan.as_ref().map(|e| e.jan.as_str()),
            Some(UNKNOWN)
        );
        type_text(&mut app, "300/2");
        assert!(app.unknown_jan.is_none());
        let line = &app.cart.lines()[0];
        assert_eq!(
            (
                line.jan(),
                line.name.as_str(),
                line.unit_price,
                line.tax_rate
            ),
            (Some(UNKNOWN), "食品", Yen(300), TaxRate::Reduced8)
        );
        // Scanned again in the same sale: one more, at the price given.
        update(&mut app, Msg::Scan(UNKNOWN.into()));
        assert!(app.unknown_jan.is_none());
        assert_eq!(app.cart.lines()[0].quantity, 2);
    }

    #[test]
    fn s_saves_it_to_the_catalog_and_the_catalog_read_back_knows_it() {
        let mut app = scanned_unknown();
        type_text(&mut app, "150s");
        assert!(app.unknown_jan.as_ref().is_some_and(|e| e.save));
        let commands = press(&mut app, &[Key::Char('/'), Key::Char('1')]);
        let [Command::SaveProduct { product }] = commands.as_slice() else {
            panic!("expected a save, got {commands:?}");
        };
        assert_eq!(
            (product.unit_price, product.tax_rate),
            (Yen(150), TaxRate::Standard10)
        );
        update(&mut app, Msg::CatalogSaved(Ok(vec![product.clone()])));
        assert!(app.catalog.get(UNKNOWN).is_some());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::ProductSaved(UNKNOWN.into()))
        );
    }

    #[test]
    fn enter_without_a_department_and_an_unset_department_key_say_so_and_keep_the_price() {
        let mut app = scanned_unknown();
        type_text(&mut app, "300");
        press(&mut app, &[Key::Enter]);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::PriceNeedsDepartment)
        );
        type_text(&mut app, "/9");
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NoSuchDepartment(9))
        );
        assert_eq!(
            app.unknown_jan.as_ref().map(|e| e.price.as_str()),
            Some("300")
        );
        assert!(app.cart.is_empty());
        press(&mut app, &[Key::Esc]);
        assert!(app.unknown_jan.is_none() && app.cart.is_empty());
    }
}
