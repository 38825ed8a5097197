//! Choosing how the customer pays: `1`/F1 the QR on screen, `2`/F2 the customer's own code.

use crate::app::screens::{QrWait, ScanWait, Screen};
use crate::app::{App, Command, Key};

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    match key {
        Key::Char('1') | Key::F(1) => start_qr(app),
        Key::Char('2') | Key::F(2) => {
            start_scan(app);
            Vec::new()
        }
        Key::Esc => {
            app.screen = Screen::Sale;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Opens a new Cashtray attempt for the current checkout.
pub fn start_qr(app: &mut App) -> Vec<Command> {
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    let attempt = app.new_attempt();
    app.screen = Screen::QrWait(QrWait::new(attempt));
    vec![Command::StartQr {
        attempt,
        amount: checkout.amount,
        direction: checkout.direction,
        products: checkout.products,
    }]
}

pub fn start_scan(app: &mut App) {
    app.screen = if app.checkout.is_some() {
        Screen::ScanWait(ScanWait::default())
    } else {
        Screen::Sale
    };
}
