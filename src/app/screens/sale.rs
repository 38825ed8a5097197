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
