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

/// Opens a new merchant QR attempt for the current checkout.
pub fn start_qr(app: &mut App) -> Vec<Command> {
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    let attempt = app.new_attempt();
    app.screen = Screen::QrWait(QrWait::new(attempt));
    vec![Command::StartQr { attempt, checkout }]
}

pub fn start_scan(app: &mut App) {
    app.screen = if app.checkout.is_some() {
        Screen::ScanWait(ScanWait::default())
    } else {
        Screen::Sale
    };
}

#[cfg(test)]
mod tests {
    use crate::app::screens::{QrPhase, Screen};
    use crate::app::test_support::*;
    use crate::app::{AttemptId, Command, Key};
    use crate::domain::{SaleKind, Yen};

    #[test]
    fn one_or_f1_starts_a_merchant_qr_for_the_total() {
        for key in [Key::Char('1'), Key::F(1)] {
            let mut app = app();
            type_text(&mut app, "1200");
            press(&mut app, &[Key::Enter]);
            let commands = press(&mut app, &[key]);
            let [Command::StartQr { attempt, checkout }] = commands.as_slice() else {
                panic!("expected a merchant QR, got {commands:?}")
            };
            assert_eq!(*attempt, AttemptId(1));
            assert_eq!(checkout.draft.total, Yen(1200));
            assert_eq!(checkout.draft.kind, SaleKind::Payment);
            let Screen::QrWait(wait) = &app.screen else {
                panic!("expected QR wait, got {:?}", app.screen)
            };
            assert_eq!(wait.phase, QrPhase::Creating);
        }
    }

    #[test]
    fn two_or_f2_waits_for_the_customer_code_and_esc_goes_back() {
        let mut app = app();
        type_text(&mut app, "500");
        press(&mut app, &[Key::Enter, Key::F(2)]);
        assert!(matches!(app.screen, Screen::ScanWait(_)));
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::PayMethod);
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.cart.total(), Ok(Yen(500)), "going back keeps the cart");
    }
}
