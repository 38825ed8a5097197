//! Taking a payment the provider holds for the store (hold-then-capture), from the sale's detail
//! in the history: the clerk types the yen to take (nothing for all that is held), the manager
//! PIN guards it as it guards a refund, and the receipt prints once the money is taken.

use crate::app::screens::Screen;
use crate::app::screens::history::{HistoryMode, held_amount};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PinPurpose, SlipRequest};
use crate::domain::Yen;
use crate::payment::CaptureDone;

/// Digits the amount may have (up to ¥999,999,999).
const MAX_DIGITS: usize = 9;

/// A key while the clerk types the amount to capture.
pub fn on_amount_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let held = history.selected_sale().and_then(held_amount);
    let HistoryMode::CaptureAmount(typed) = &mut history.mode else {
        return Vec::new();
    };
    match key {
        Key::Esc => history.mode = HistoryMode::Detail,
        Key::Backspace => {
            typed.pop();
        }
        key => {
            if let Some(digit) = key.digit() {
                if typed.len() < MAX_DIGITS && !(typed.is_empty() && digit == 0) {
                    typed.push(char::from(b'0' + digit));
                }
            } else if key == Key::Enter {
                let Some(held) = held else {
                    history.mode = HistoryMode::Detail;
                    return Vec::new();
                };
                let amount = match typed.parse::<i64>() {
                    Ok(yen) => Some(Yen(yen)),
                    // Nothing typed: all that is held.
                    Err(_) => None,
                };
                if amount.is_some_and(|a| a.value() > held.value() || !a.is_positive()) {
                    app.notify(NoticeMessage::CaptureOutOfRange { held });
                    return Vec::new();
                }
                history.capture_amount = amount;
                history.guarded = PinPurpose::Capture;
                history.mode = HistoryMode::Pin(String::new());
            }
        }
    }
    Vec::new()
}

/// Captures the held payment on screen once the PIN (if any) was right.
pub fn start(app: &mut App) -> Vec<Command> {
    let Screen::History(history) = &app.screen else {
        return Vec::new();
    };
    let Some(sale_id) = history
        .selected_sale()
        .filter(|s| held_amount(s).is_some())
        .map(|s| s.sale.id)
    else {
        return Vec::new();
    };
    let amount = history.capture_amount;
    let attempt = app.new_attempt();
    if let Screen::History(history) = &mut app.screen {
        history.mode = HistoryMode::Capturing(attempt);
    }
    app.notify(NoticeMessage::Capturing);
    vec![Command::Capture {
        attempt,
        sale_id,
        amount,
    }]
}

/// The capture's answer: taken (the receipt prints), refused (nothing taken) or not known yet.
pub fn on_capture(app: &mut App, attempt: AttemptId, result: CaptureDone) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    if history.mode != HistoryMode::Capturing(attempt) {
        return Vec::new();
    }
    history.mode = HistoryMode::Detail;
    history.capture_amount = None;
    let sale_id = history.selected_sale().map(|s| s.sale.id);
    let load = history.load_command();
    match result {
        CaptureDone::Captured { amount, released } => {
            app.notify(NoticeMessage::Captured {
                amount: Yen(amount),
                released: Yen(released),
            });
            let mut commands = vec![load];
            commands.extend(sale_id.map(|sale_id| Command::Print {
                sale_id,
                slip: SlipRequest::Receipt { money_name: None },
            }));
            commands
        }
        CaptureDone::Refused {
            refusal,
            still_held,
        } => {
            app.notify(NoticeMessage::CaptureRefused {
                refusal,
                still_held,
            });
            vec![load]
        }
        CaptureDone::Unknown => {
            app.notify(NoticeMessage::CaptureUnknown);
            vec![load]
        }
    }
}
