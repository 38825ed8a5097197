//! Taking a payment the provider holds for the store (hold-then-capture), from the sale's detail
//! in the history: the clerk types the yen to take (`amount_entry`; nothing for all that is
//! held), the manager PIN guards it as it guards a refund, and the receipt prints once the money
//! is taken.

use crate::app::screens::Screen;
use crate::app::screens::history_state::{HistoryMode, held_amount};
use crate::app::{App, AttemptId, Command, NoticeMessage, SlipRequest};
use crate::domain::Yen;
use crate::payment::CaptureDone;

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
    let amount = history.amount;
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
    history.amount = None;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Key, Msg, PinPurpose, update};
    use crate::domain::{AttemptState, PaymentMethod};
    use crate::records::{AttemptRecord, SaleDetail, SaleState};

    /// Sale 9, paid and held for ¥1,200.
    fn held_sale() -> SaleDetail {
        let mut detail = sale(9, SaleState::Held);
        detail.attempts.push(AttemptRecord {
            id: 1,
            sale_id: 9,
            provider: "provider-a".into(),
            method: PaymentMethod::HostedPage,
            request_id: "r".into(),
            amount: Yen(-1_200),
            provider_ref: Some("s".into()),
            presented_code: None,
            state: AttemptState::Authorized {
                transaction_id: "pay-9".into(),
                amount: 1_200,
            },
            customer_name: None,
            created_at: String::new(),
            updated_at: String::new(),
            hold: true,
            capture_amount: None,
            cash: None,
            money_name: None,
        });
        detail
    }

    fn in_held_detail() -> App {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        update(&mut app, Msg::HistoryLoaded(Ok(vec![held_sale()])));
        press(&mut app, &[Key::Enter]);
        app
    }

    fn mode(app: &App) -> HistoryMode {
        match &app.screen {
            Screen::History(h) => h.mode.clone(),
            other => panic!("not history: {other:?}"),
        }
    }

    /// Types the PIN 1234 and answers its check as the runtime would.
    fn right_pin(app: &mut App) -> Vec<Command> {
        type_text(app, "1234");
        let commands = press(app, &[Key::Enter]);
        let [
            Command::VerifyPin {
                attempt, purpose, ..
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        assert_eq!(*purpose, PinPurpose::Capture);
        update(
            app,
            Msg::PinChecked {
                attempt: *attempt,
                correct: true,
                at: t0(),
            },
        )
    }

    #[test]
    fn a_held_sale_is_captured_for_the_amount_typed_behind_the_pin_and_its_receipt_prints() {
        let mut app = in_held_detail();
        // Refund does not apply to a payment not yet taken.
        press(&mut app, &[Key::Char('r')]);
        assert_eq!(mode(&app), HistoryMode::Detail);
        press(&mut app, &[Key::Char('c')]);
        type_text(&mut app, "1000");
        assert_eq!(mode(&app), HistoryMode::Amount("1000".into()));
        press(&mut app, &[Key::Enter]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        let commands = right_pin(&mut app);
        let [
            Command::Capture {
                attempt,
                sale_id: 9,
                amount: Some(Yen(1_000)),
            },
        ] = commands.as_slice()
        else {
            panic!("{commands:?}")
        };
        let attempt = *attempt;
        assert_eq!(mode(&app), HistoryMode::Capturing(attempt));
        let after = update(
            &mut app,
            Msg::Capture {
                attempt,
                result: CaptureDone::Captured {
                    amount: 1_000,
                    released: 200,
                },
            },
        );
        assert!(
            matches!(
                after.as_slice(),
                [
                    Command::LoadHistory { .. },
                    Command::Print { sale_id: 9, .. }
                ]
            ),
            "{after:?}"
        );
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::Captured {
                amount: Yen(1_000),
                released: Yen(200)
            })
        );
    }

    #[test]
    fn more_than_is_held_is_refused_and_nothing_typed_captures_all() {
        let mut app = in_held_detail();
        press(&mut app, &[Key::F(6)]);
        type_text(&mut app, "1201");
        press(&mut app, &[Key::Enter]);
        assert_eq!(mode(&app), HistoryMode::Amount("1201".into()));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::CaptureOutOfRange { held: Yen(1_200) })
        );
        press(
            &mut app,
            &[
                Key::Backspace,
                Key::Backspace,
                Key::Backspace,
                Key::Backspace,
            ],
        );
        press(&mut app, &[Key::Enter]);
        let commands = right_pin(&mut app);
        assert!(
            matches!(commands.as_slice(), [Command::Capture { amount: None, .. }]),
            "{commands:?}"
        );
    }

    #[test]
    fn a_refused_or_unanswered_capture_prints_nothing() {
        for (result, notice) in [
            (CaptureDone::Unknown, NoticeMessage::CaptureUnknown),
            (
                CaptureDone::Refused {
                    refusal: crate::payment::Refusal {
                        reason: crate::domain::FailReason::RejectedOther,
                        error_type: "x".into(),
                        message_ja: "x".into(),
                        message_en: "x".into(),
                    },
                    still_held: true,
                },
                NoticeMessage::CaptureRefused {
                    refusal: crate::payment::Refusal {
                        reason: crate::domain::FailReason::RejectedOther,
                        error_type: "x".into(),
                        message_ja: "x".into(),
                        message_en: "x".into(),
                    },
                    still_held: true,
                },
            ),
        ] {
            let mut app = in_held_detail();
            press(&mut app, &[Key::Char('C'), Key::Enter]);
            let commands = right_pin(&mut app);
            let [Command::Capture { attempt, .. }] = commands.as_slice() else {
                panic!("{commands:?}")
            };
            let attempt = *attempt;
            let after = update(&mut app, Msg::Capture { attempt, result });
            assert!(
                after.iter().all(|c| !matches!(c, Command::Print { .. })),
                "{after:?}"
            );
            assert_eq!(app.notice.as_ref().map(|n| &n.message), Some(&notice));
            assert_eq!(mode(&app), HistoryMode::Detail);
        }
    }
}
