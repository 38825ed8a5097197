//! Parking a sale (保留) and taking it back: F9 with a cart puts it aside in the journal (a
//! customer went back for something) and the till serves the next; F9 with an empty cart lists
//! the parked carts, Enter recalls one into the sale screen as it was rung.

use crate::app::screens::Screen;
use crate::app::{App, Command, Key, NoticeMessage};
use crate::domain::SaleKind;
use crate::records::{CartToPark, ParkedCart};

/// The list of parked carts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParkedList {
    /// `None` while being read.
    pub carts: Option<Vec<ParkedCart>>,
    pub cursor: usize,
    /// A recall was sent; keys wait for the answer.
    pub recalling: bool,
}

/// F9 on the sale screen: park the cart, or with none, open the list.
pub fn on_f9(app: &mut App) -> Vec<Command> {
    if app.parking {
        return Vec::new();
    }
    if app.mode == SaleKind::Payment && !app.cart.is_empty() {
        let total = match app.cart.total() {
            Ok(total) => total,
            Err(_) => {
                app.notify(NoticeMessage::AmountTooLarge);
                return Vec::new();
            }
        };
        app.parking = true;
        return vec![Command::ParkCart(CartToPark {
            lines: app.cart.lines().to_vec(),
            adjustments: app.cart.line_adjustments().clone(),
            discount: app.cart.discount().cloned(),
            total,
        })];
    }
    app.screen = Screen::Parked(ParkedList::default());
    vec![Command::LoadParked]
}

/// The journal kept the cart aside (its id), or why not — then the cart stays.
pub fn on_parked(app: &mut App, result: Result<i64, String>) -> Vec<Command> {
    app.parking = false;
    match result {
        Ok(_) => {
            app.cart.clear();
            app.input.clear();
            app.selected = None;
            app.parked_count += 1;
            app.notify(NoticeMessage::CartParked {
                waiting: app.parked_count,
            });
        }
        Err(reason) => app.notify(NoticeMessage::ParkFailed(reason)),
    }
    Vec::new()
}

pub fn on_loaded(app: &mut App, result: Result<Vec<ParkedCart>, String>) -> Vec<Command> {
    let Screen::Parked(list) = &mut app.screen else {
        return Vec::new();
    };
    match result {
        Ok(carts) => {
            app.parked_count = carts.len();
            list.cursor = list.cursor.min(carts.len().saturating_sub(1));
            list.carts = Some(carts);
        }
        Err(reason) => {
            app.screen = Screen::Sale;
            app.notify(NoticeMessage::ParkFailed(reason));
        }
    }
    Vec::new()
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::Parked(list) = &mut app.screen else {
        return Vec::new();
    };
    if list.recalling {
        return Vec::new();
    }
    let count = list.carts.as_ref().map_or(0, Vec::len);
    match key {
        Key::Esc | Key::F(9) => app.screen = Screen::Sale,
        Key::Up => list.cursor = list.cursor.saturating_sub(1),
        Key::Down => list.cursor = (list.cursor + 1).min(count.saturating_sub(1)),
        Key::Enter => {
            let id = list
                .carts
                .as_ref()
                .and_then(|carts| carts.get(list.cursor))
                .map(|cart| cart.id);
            if let Some(id) = id {
                list.recalling = true;
                return vec![Command::RecallCart { id }];
            }
        }
        key => {
            // 1–9 recall that row at once.
            if let Some(digit) = key.digit().filter(|d| (1..=9).contains(d))
                && usize::from(digit) <= count
            {
                list.cursor = usize::from(digit) - 1;
                return on_key(app, Key::Enter);
            }
        }
    }
    Vec::new()
}

/// The recalled cart goes back on the sale screen as it was rung; the till's current cart is
/// empty (F9 with a cart parks it instead of listing).
pub fn on_recalled(app: &mut App, result: Result<ParkedCart, String>) -> Vec<Command> {
    if let Screen::Parked(list) = &mut app.screen {
        list.recalling = false;
    }
    match result {
        Ok(cart) => {
            let restored = app
                .cart
                .restore(cart.lines, cart.adjustments, cart.discount);
            app.parked_count = app.parked_count.saturating_sub(1);
            app.screen = Screen::Sale;
            app.mode = SaleKind::Payment;
            app.selected = None;
            match restored {
                Ok(()) => app.notify(NoticeMessage::CartRecalled),
                // Over a limit lowered since it was parked: its lines are shown in the journal.
                Err(_) => app.notify(NoticeMessage::ParkFailed(format!(
                    "parked cart {} no longer fits the sale limit",
                    cart.id
                ))),
            }
        }
        Err(reason) => app.notify(NoticeMessage::ParkFailed(reason)),
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use crate::app::screens::Screen;
    use crate::app::test_support::*;
    use crate::app::{Command, Key, Msg, NoticeMessage, update};
    use crate::domain::Yen;
    use crate::records::ParkedCart;

    #[test]
    fn f9_parks_the_cart_once_the_journal_has_it_and_serves_the_next_customer() {
        let mut app = app();
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        type_text(&mut app, "500+");
        let commands = press(&mut app, &[Key::F(9)]);
        let [Command::ParkCart(cart)] = &commands[..] else {
            panic!("{commands:?}");
        };
        assert_eq!((cart.lines.len(), cart.total), (2, Yen(650)));
        assert!(!app.cart.is_empty(), "kept until the journal has it");
        assert!(press(&mut app, &[Key::F(9)]).is_empty(), "not parked twice");
        update(&mut app, Msg::CartParked(Ok(1)));
        assert!(app.cart.is_empty());
        assert_eq!(app.parked_count, 1);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::CartParked { waiting: 1 })
        );
    }

    #[test]
    fn a_park_the_journal_refused_keeps_the_cart() {
        let mut app = app();
        type_text(&mut app, "500+");
        press(&mut app, &[Key::F(9)]);
        update(&mut app, Msg::CartParked(Err("disk full".into())));
        assert_eq!(app.cart.total(), Ok(Yen(500)));
        assert_eq!(app.parked_count, 0);
    }

    #[test]
    fn f9_on_an_empty_cart_lists_the_parked_and_enter_recalls_one_as_rung() {
        let mut app = app();
        let mut rung = app.cart.clone();
        rung.add_manual(Yen(700), crate::domain::TaxRate::Reduced8, None)
            .unwrap();
        let parked = ParkedCart {
            id: 4,
            parked_at: "2026-12-06T01:00:00Z".into(),
            total: Yen(700),
            lines: rung.lines().to_vec(),
            adjustments: Default::default(),
            discount: None,
        };
        assert_eq!(press(&mut app, &[Key::F(9)]), vec![Command::LoadParked]);
        assert!(matches!(app.screen, Screen::Parked(_)));
        update(&mut app, Msg::ParkedLoaded(Ok(vec![parked.clone()])));
        assert_eq!(
            press(&mut app, &[Key::Enter]),
            vec![Command::RecallCart { id: 4 }]
        );
        update(&mut app, Msg::CartRecalled(Ok(parked)));
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.cart.total(), Ok(Yen(700)));
        assert_eq!(app.cart.lines(), rung.lines());
    }

    #[test]
    fn esc_leaves_the_parked_list_with_the_carts_still_parked() {
        let mut app = app();
        press(&mut app, &[Key::F(9)]);
        update(&mut app, Msg::ParkedLoaded(Ok(Vec::new())));
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
    }
}
