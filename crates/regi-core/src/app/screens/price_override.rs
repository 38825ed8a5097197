//! Overriding a line's price on the sale screen (売価変更): type the new unit price, F2. With a
//! manager PIN configured it is asked first (and the try journaled); the sale then journals the
//! price replaced beside the one sold.

use chrono::{DateTime, Utc};

use crate::app::screens::pin_entry;
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PinPurpose};
use crate::domain::{CartError, SaleKind, Yen};

/// A price override waiting for the manager PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideEntry {
    /// The cart line it changes.
    pub line: usize,
    pub price: Yen,
    /// The PIN as typed (digits only).
    pub pin: String,
    /// The check sent, waiting for its answer.
    pub checking: Option<AttemptId>,
}

/// F2 with a price typed: overrides the highlighted (or last) line's unit price.
pub fn begin(app: &mut App) -> Vec<Command> {
    let price = app.input.parse::<i64>().ok().filter(|v| *v > 0).map(Yen);
    let line = app.selected.or(app.cart.lines().len().checked_sub(1));
    let (Some(price), Some(line), SaleKind::Payment) = (price, line, app.mode) else {
        app.notify(NoticeMessage::OverrideNeedsPrice);
        return Vec::new();
    };
    // Checked before the PIN is asked: a price the cart cannot take needs no manager.
    let mut trial = app.cart.clone();
    if let Err(e) = trial.override_price(line, price) {
        notify(app, e);
        return Vec::new();
    }
    app.input.clear();
    if !app.pin_required {
        app.cart = trial;
        app.notify(NoticeMessage::PriceOverridden(price));
        return Vec::new();
    }
    app.override_entry = Some(OverrideEntry {
        line,
        price,
        pin: String::new(),
        checking: None,
    });
    Vec::new()
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let attempt = app.new_attempt();
    let Some(entry) = app.override_entry.as_mut() else {
        return Vec::new();
    };
    if entry.checking.is_some() {
        return Vec::new();
    }
    match key {
        Key::Esc => app.override_entry = None,
        Key::Enter if !locked && !entry.pin.is_empty() => {
            entry.checking = Some(attempt);
            return vec![pin_entry::verify(
                &mut entry.pin,
                attempt,
                PinPurpose::PriceOverride,
            )];
        }
        key => {
            pin_entry::edit(&mut entry.pin, key, locked);
        }
    }
    Vec::new()
}

/// Whether the sale screen's override waits for this PIN check.
pub fn awaits(app: &App, attempt: AttemptId) -> bool {
    app.override_entry
        .as_ref()
        .is_some_and(|e| e.checking == Some(attempt))
}

pub fn on_pin_checked(
    app: &mut App,
    attempt: AttemptId,
    correct: bool,
    at: DateTime<Utc>,
) -> Vec<Command> {
    pin_entry::count(app, correct, at);
    if !awaits(app, attempt) {
        return Vec::new();
    }
    let Some(entry) = app.override_entry.as_mut() else {
        return Vec::new();
    };
    if !correct {
        entry.checking = None;
        app.notify(NoticeMessage::WrongPin);
        return Vec::new();
    }
    let (line, price) = (entry.line, entry.price);
    app.override_entry = None;
    match app.cart.override_price(line, price) {
        Ok(()) => app.notify(NoticeMessage::PriceOverridden(price)),
        Err(e) => notify(app, e),
    }
    Vec::new()
}

/// A price the cart refused is told as any cart error is; a line that is gone needs a price
/// typed for another.
fn notify(app: &mut App, error: CartError) {
    match error {
        CartError::NoSuchLine(_) => app.notify(NoticeMessage::OverrideNeedsPrice),
        other => super::sale::notify_cart_error(app, other),
    }
}

#[cfg(test)]
mod tests {
    use crate::app::test_support::*;
    use crate::app::{Command, Key, Msg, NoticeMessage, PinPurpose, update};
    use crate::domain::Yen;

    #[test]
    fn a_price_and_f2_override_the_last_line_after_the_manager_pin_and_the_draft_keeps_both_prices()
    {
        let mut app = app();
        app.pin_required = true;
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        type_text(&mut app, "100");
        assert!(press(&mut app, &[Key::F(2)]).is_empty());
        assert_eq!(app.cart.total(), Ok(Yen(150)), "not before the PIN");
        type_text(&mut app, "2580");
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::VerifyPin {
                attempt, purpose, ..
            },
        ] = commands[..]
        else {
            panic!("{commands:?}");
        };
        assert_eq!(purpose, PinPurpose::PriceOverride);
        update(
            &mut app,
            Msg::PinChecked {
                attempt,
                correct: true,
                at: t0(),
            },
        );
        assert_eq!(app.cart.total(), Ok(Yen(100)));
        press(&mut app, &[Key::Enter]);
        let draft = &app.checkout.as_ref().expect("checkout").draft;
        assert_eq!(draft.price_overrides.len(), 1);
        assert_eq!(
            (draft.price_overrides[0].from, draft.price_overrides[0].to),
            (Yen(150), Yen(100))
        );
    }

    #[test]
    fn a_wrong_pin_changes_no_price() {
        let mut app = app();
        app.pin_required = true;
        type_text(&mut app, "500+");
        type_text(&mut app, "300");
        press(&mut app, &[Key::F(2)]);
        type_text(&mut app, "1111");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::VerifyPin { attempt, .. }] = commands[..] else {
            panic!("{commands:?}");
        };
        update(
            &mut app,
            Msg::PinChecked {
                attempt,
                correct: false,
                at: t0(),
            },
        );
        assert_eq!(app.cart.total(), Ok(Yen(500)));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::WrongPin)
        );
        press(&mut app, &[Key::Esc]);
        assert!(app.override_entry.is_none());
    }

    #[test]
    fn f2_without_a_price_says_what_it_needs() {
        let mut app = app();
        type_text(&mut app, "500+");
        press(&mut app, &[Key::F(2)]);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::OverrideNeedsPrice)
        );
    }
}
