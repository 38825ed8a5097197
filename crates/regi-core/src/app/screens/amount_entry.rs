//! Typing the yen of a capture (of a held payment) or of a refund (of part of a paid one) on the
//! sale's detail in the history: digits only, nothing typed meaning all of it, more than there
//! is refused with the limit; Enter goes on to the manager PIN.

use crate::app::screens::Screen;
use crate::app::screens::history_state::{HistoryMode, held_amount};
use crate::app::{App, Command, Key, NoticeMessage, PinPurpose};
use crate::domain::Yen;

/// Digits the amount may have (up to ¥999,999,999).
const MAX_DIGITS: usize = 9;

/// A key while the clerk types the amount.
pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let limit = match history.guarded {
        PinPurpose::Capture => history.selected_sale().and_then(held_amount),
        PinPurpose::Refund => history
            .selected_sale()
            .map(|s| s.sale.refundable())
            .filter(|left| left.is_positive()),
        // Not the history's to guard.
        PinPurpose::CloseTab
        | PinPurpose::OpenTab
        | PinPurpose::Drawer
        | PinPurpose::CloseDay
        | PinPurpose::PriceOverride => None,
    };
    let purpose = history.guarded;
    let HistoryMode::Amount(typed) = &mut history.mode else {
        return Vec::new();
    };
    match key {
        Key::Esc => history.mode = HistoryMode::Detail,
        Key::Backspace => {
            typed.pop();
        }
        Key::Enter => {
            let Some(limit) = limit else {
                history.mode = HistoryMode::Detail;
                return Vec::new();
            };
            // Nothing typed: all of it.
            let amount = typed.parse::<i64>().ok().map(Yen);
            if amount.is_some_and(|a| a.value() > limit.value() || !a.is_positive()) {
                app.notify(match purpose {
                    PinPurpose::Capture => NoticeMessage::CaptureOutOfRange { held: limit },
                    PinPurpose::Refund
                    | PinPurpose::CloseTab
                    | PinPurpose::OpenTab
                    | PinPurpose::Drawer
                    | PinPurpose::CloseDay
                    | PinPurpose::PriceOverride => NoticeMessage::RefundOutOfRange { left: limit },
                });
                return Vec::new();
            }
            history.amount = amount;
            history.mode = HistoryMode::Pin(String::new());
        }
        key => {
            if let Some(digit) = key.digit()
                && typed.len() < MAX_DIGITS
                && !(typed.is_empty() && digit == 0)
            {
                typed.push(char::from(b'0' + digit));
            }
        }
    }
    Vec::new()
}
