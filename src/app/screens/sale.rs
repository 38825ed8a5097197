//! The sale screen: amounts on the number keys, scanned products in a cart, Enter to pay.

use crate::app::cart::CartError;
use crate::app::screens::{CodeKind, HistoryScreen, ReportsScreen, Screen, classify};
use crate::app::{App, Checkout, Command, Key, MAX_INPUT_DIGITS, NoticeMessage};
use crate::gateway::{Direction, ProductLine};

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    if let Some(digit) = key.digit() {
        type_digit(app, digit);
        return Vec::new();
    }
    match key {
        Key::Backspace => {
            app.input.pop();
        }
        Key::Esc if !app.input.is_empty() => app.input.clear(),
        Key::Esc => app.selected = None,
        Key::Char('+') => {
            commit_input(app);
        }
        Key::Char('*') | Key::Char('x') => set_quantity(app),
        Key::Delete => delete_line(app),
        Key::Up => move_selection(app, -1),
        Key::Down => move_selection(app, 1),
        Key::Enter => return go_to_payment(app),
        Key::F(3) => {
            app.mode = match app.mode {
                Direction::Payment => Direction::Topup,
                Direction::Topup => Direction::Payment,
            };
            app.selected = None;
        }
        Key::F(4) => {
            app.screen = Screen::History(HistoryScreen::loading());
            return vec![Command::LoadHistory];
        }
        Key::F(5) => app.screen = Screen::Reports(ReportsScreen::Menu),
        Key::F(6) => {
            app.screen = Screen::Status;
            app.status = None;
            return vec![Command::CheckStatus];
        }
        _ => {}
    }
    Vec::new()
}

pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    let code = code.trim();
    if app.mode == Direction::Topup || classify(code) != CodeKind::Product {
        app.notify(NoticeMessage::NotAPaymentCode);
        return Vec::new();
    }
    let Some(product) = app.catalog.find(code).cloned() else {
        app.notify(NoticeMessage::UnknownProduct(code.to_string()));
        return Vec::new();
    };
    match app.cart.add_product(&product) {
        Ok(()) => app.selected = None,
        Err(e) => notify_cart_error(app, e),
    }
    Vec::new()
}

fn type_digit(app: &mut App, digit: u8) {
    if app.input == "0" {
        app.input.clear();
    }
    if app.input.len() < MAX_INPUT_DIGITS {
        app.input.push(char::from(b'0' + digit));
    }
}

fn input_amount(app: &App) -> Option<i64> {
    app.input.parse::<i64>().ok().filter(|v| *v > 0)
}

/// Adds the typed amount as a cart line. `false` when it could not be added.
fn commit_input(app: &mut App) -> bool {
    if app.input.is_empty() || app.mode == Direction::Topup {
        return true;
    }
    let Some(amount) = input_amount(app) else {
        app.input.clear();
        return true;
    };
    match app.cart.add_amount(amount) {
        Ok(()) => {
            app.input.clear();
            app.selected = None;
            true
        }
        Err(e) => {
            notify_cart_error(app, e);
            false
        }
    }
}

/// `3 *` sets the highlighted (or last) line's quantity to 3.
fn set_quantity(app: &mut App) {
    let Some(index) = app.selected.or(app.cart.lines().len().checked_sub(1)) else {
        return;
    };
    let Some(quantity) = input_amount(app) else {
        return;
    };
    match app.cart.set_quantity(index, quantity) {
        Ok(()) => app.input.clear(),
        Err(e) => notify_cart_error(app, e),
    }
}

fn delete_line(app: &mut App) {
    let Some(index) = app.selected.or(app.cart.lines().len().checked_sub(1)) else {
        return;
    };
    if app.cart.remove(index).is_ok() {
        let remaining = app.cart.lines().len();
        app.selected = app
            .selected
            .and_then(|_| remaining.checked_sub(1).map(|last| index.min(last)));
    }
}

fn move_selection(app: &mut App, step: isize) {
    let count = app.cart.lines().len();
    if count == 0 {
        app.selected = None;
        return;
    }
    let current = app.selected.unwrap_or(count) as isize;
    app.selected = Some((current + step).clamp(0, count as isize - 1) as usize);
}

fn go_to_payment(app: &mut App) -> Vec<Command> {
    let checkout = match app.mode {
        Direction::Payment => {
            if !commit_input(app) {
                return Vec::new();
            }
            let products = app
                .cart
                .lines()
                .iter()
                .filter_map(|line| {
                    Some(ProductLine {
                        jan_code: line.jan.clone()?,
                        name: line.name.clone().unwrap_or_default(),
                        unit_price: line.unit_price,
                        quantity: line.quantity,
                        price: line.total()?,
                    })
                })
                .collect();
            app.cart.total().map(|amount| Checkout {
                amount,
                direction: Direction::Payment,
                products,
            })
        }
        Direction::Topup => input_amount(app).map(|amount| Checkout {
            amount,
            direction: Direction::Topup,
            products: Vec::new(),
        }),
    };
    match checkout.filter(|c| c.amount > 0) {
        Some(checkout) => {
            app.checkout = Some(checkout);
            app.screen = Screen::PayMethod;
        }
        None => app.notify(NoticeMessage::NothingToPay),
    }
    Vec::new()
}

fn notify_cart_error(app: &mut App, error: CartError) {
    let message = match error {
        CartError::TooLarge | CartError::BadQuantity => NoticeMessage::AmountTooLarge,
        CartError::NoSuchLine => return,
    };
    app.notify(message);
}

#[cfg(test)]
mod tests {
    use crate::app::screens::Screen;
    use crate::app::test_support::*;
    use crate::app::{Command, Key, Msg, NoticeMessage, update};
    use crate::gateway::Direction;

    #[test]
    fn typed_amount_and_enter_go_to_payment_choice() {
        let mut app = app();
        assert!(type_text(&mut app, "1200").is_empty());
        assert_eq!(app.input, "1200");
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        assert_eq!(app.screen, Screen::PayMethod);
        let checkout = app.checkout.clone().expect("checkout");
        assert_eq!(checkout.amount, 1200);
        assert_eq!(checkout.direction, Direction::Payment);
        assert!(app.input.is_empty());
    }

    #[test]
    fn scans_build_a_cart_with_quantities() {
        let mut app = app();
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        type_text(&mut app, "500+");
        assert_eq!(app.cart.lines().len(), 2);
        assert_eq!(app.cart.total(), Some(800));
        // 3 * sets the last line's quantity.
        type_text(&mut app, "3*");
        assert_eq!(app.cart.lines()[1].quantity, 3);
        assert_eq!(app.cart.total(), Some(1800));
        press(&mut app, &[Key::Up, Key::Up, Key::Delete]);
        assert_eq!(app.cart.lines().len(), 1);
        assert_eq!(app.cart.total(), Some(1500));
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.checkout.as_ref().map(|c| c.products.len()), Some(0));
    }

    #[test]
    fn scanned_products_travel_with_the_checkout() {
        let mut app = app();
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        press(&mut app, &[Key::Enter]);
        let checkout = app.checkout.clone().expect("checkout");
        assert_eq!(checkout.amount, 150);
        assert_eq!(checkout.products.len(), 1);
        assert_eq!(checkout.products[0].jan_code, ONIGIRI);
    }

    #[test]
    fn unknown_products_and_empty_sales_are_explained() {
        let mut app = app();
        update(&mut app, Msg::Scan("4901234567801".into()));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::UnknownProduct("4901234567801".into()))
        );
        assert!(app.cart.is_empty());
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NothingToPay)
        );
    }

    #[test]
    fn input_is_bounded_and_esc_clears_it() {
        let mut app = app();
        type_text(&mut app, "0001234567890123");
        assert_eq!(app.input.len(), crate::app::MAX_INPUT_DIGITS);
        press(&mut app, &[Key::Esc]);
        assert!(app.input.is_empty());
        type_text(&mut app, "99999999+99999999+");
        assert_eq!(app.cart.total(), Some(99_999_999));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::AmountTooLarge)
        );
    }

    #[test]
    fn top_up_mode_takes_the_typed_amount() {
        let mut app = app();
        press(&mut app, &[Key::F(3)]);
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter]);
        let checkout = app.checkout.clone().expect("checkout");
        assert_eq!(
            (checkout.amount, checkout.direction),
            (3000, Direction::Topup)
        );
    }

    #[test]
    fn function_keys_open_history_reports_and_status() {
        let mut app = app();
        assert_eq!(press(&mut app, &[Key::F(4)]), vec![Command::LoadHistory]);
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
        press(&mut app, &[Key::F(5)]);
        assert!(matches!(app.screen, Screen::Reports(_)));
        press(&mut app, &[Key::Esc]);
        assert_eq!(press(&mut app, &[Key::F(6)]), vec![Command::CheckStatus]);
        assert_eq!(app.screen, Screen::Status);
    }

    #[test]
    fn ctrl_c_quits_from_anywhere() {
        let mut app = app();
        type_text(&mut app, "100");
        press(&mut app, &[Key::Enter]);
        assert_eq!(press(&mut app, &[Key::Interrupt]), vec![Command::Quit]);
        assert!(app.quitting);
    }
}
