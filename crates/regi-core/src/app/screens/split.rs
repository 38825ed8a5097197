//! A checkout paid by several tenders: what its tenders paid so far and what remains, the part of
//! it the next tender pays when the clerk types one (`*` or F3, the yen, Enter, then the way to
//! pay); a sale an earlier run left partly paid is taken up again here. Leaving a sale with paid
//! tenders is `leaving`'s.

use crate::app::screens::Screen;
use crate::app::screens::leaving::Leaving;
use crate::app::{App, Command, Key, MAX_INPUT_DIGITS, NoticeMessage};
use crate::domain::{AttemptState, PaymentMethod, SaleDraft, SaleKind, Yen};
use crate::records::{CashTendered, SaleDetail};

/// One tender of the checkout that is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidTender {
    pub method: PaymentMethod,
    /// The yen of the sale it pays.
    pub amount: Yen,
    /// Cash: the yen handed over and the change given back.
    pub cash: Option<CashTendered>,
}

/// The tenders of the checkout being paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// The journaled sale, once a tender paid part of it.
    pub sale_id: Option<i64>,
    pub paid: Vec<PaidTender>,
    /// Digits typed for the part the next tender pays, while the clerk types them.
    pub part_typed: Option<String>,
    /// The yen the next tender pays (`None`: all that remains).
    pub part: Option<Yen>,
    pub leaving: Option<Leaving>,
    /// The sale was left partly paid by an earlier run and taken up again at start.
    pub resumed: Option<i64>,
}

impl Split {
    pub fn paid_total(&self) -> Yen {
        Yen(self.paid.iter().map(|t| t.amount.value()).sum())
    }

    /// The change handed back for the checkout's cash.
    pub fn change(&self) -> Yen {
        Yen(self
            .paid
            .iter()
            .filter_map(|t| t.cash.map(|c| c.change.value()))
            .sum())
    }

    pub fn has_cash(&self) -> bool {
        self.paid.iter().any(|t| t.cash.is_some())
    }
}

/// The yen of the checkout still to be paid.
pub fn remaining(app: &App) -> Option<Yen> {
    let total = app.checkout.as_ref()?.draft.total;
    Some(Yen((total.value() - app.split.paid_total().value()).max(0)))
}

/// Some tender is paid and some of the total is not: leaving would strand the paid tenders.
pub fn partly_paid(app: &App) -> bool {
    !app.split.paid.is_empty() && remaining(app).is_some_and(Yen::is_positive)
}

/// The yen the next non-cash tender pays: the typed part, else all that remains.
pub fn next_part(app: &App) -> Option<Yen> {
    let remaining = remaining(app)?;
    app.split.part.filter(|p| p.value() < remaining.value())
}

/// Tells the runtime which journaled sale the checkout pays, once one is known, so a tender
/// after a restart or a part pays the same sale.
pub fn adopt(app: &App) -> Option<Command> {
    let checkout = app.checkout.as_ref()?;
    app.split.sale_id.map(|sale_id| Command::AdoptSale {
        checkout: checkout.id,
        sale_id,
    })
}

/// Records a tender that paid `amount` of `sale_id`; returns what remains after it.
pub fn record(app: &mut App, sale_id: i64, tender: PaidTender) -> Yen {
    app.split.sale_id = Some(sale_id);
    app.split.paid.push(tender);
    app.split.part = None;
    app.split.part_typed = None;
    remaining(app).unwrap_or(Yen::ZERO)
}

/// After a tender paid part of the sale: back to the ways to pay, showing what remains.
pub fn back_for_the_rest(app: &mut App, paid: Yen, remaining: Yen) {
    app.screen = Screen::PayMethod;
    app.notify(NoticeMessage::PartPaid { paid, remaining });
}

/// `*` / F3 on the ways to pay: the clerk types the part the next tender pays.
pub fn start_part(app: &mut App) {
    app.split.part_typed = Some(String::new());
}

/// A key while the part is typed: digits (also full-width), Backspace, Enter sets it, Esc drops
/// it. A part of all that remains or more is no part: it is refused with the limit.
pub fn on_part_key(app: &mut App, key: Key) -> Vec<Command> {
    let Some(typed) = app.split.part_typed.as_mut() else {
        return Vec::new();
    };
    match key {
        Key::Esc => {
            app.split.part_typed = None;
            app.split.part = None;
        }
        Key::Backspace => {
            typed.pop();
        }
        Key::Enter => {
            let remaining = remaining(app).unwrap_or(Yen::ZERO);
            let typed = app.split.part_typed.take().unwrap_or_default();
            match typed.parse::<i64>() {
                Ok(yen) if yen > 0 && yen < remaining.value() => app.split.part = Some(Yen(yen)),
                // Nothing typed: the next tender pays all that remains.
                Err(_) if typed.is_empty() => app.split.part = None,
                _ => {
                    app.split.part_typed = Some(typed);
                    app.notify(NoticeMessage::PartOutOfRange { remaining });
                }
            }
        }
        key => {
            if let Some(digit) = typed_digit(key)
                && typed.len() < MAX_INPUT_DIGITS
                && !(typed.is_empty() && digit == 0)
            {
                typed.push(char::from(b'0' + digit));
            }
        }
    }
    Vec::new()
}

/// A digit from the main row, the keypad, or typed full-width (an IME left on).
pub fn typed_digit(key: Key) -> Option<u8> {
    match key {
        Key::Char(c @ '０'..='９') => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        key => key.digit(),
    }
}

/// The tenders of a journaled sale that are paid, as the payment screen lists them.
pub fn paid_tenders(sale: &SaleDetail) -> Vec<PaidTender> {
    sale.attempts
        .iter()
        .filter(|a| matches!(a.state, AttemptState::Paid { .. }))
        .map(|a| PaidTender {
            method: a.method,
            amount: a
                .cash
                .map_or_else(|| Yen(a.amount.value().abs()), |c| c.applied()),
            cash: a.cash,
        })
        .collect()
}

/// Takes up a sale an earlier run left partly paid: its paid tenders and what remains are on
/// the payment screen, to be paid or given back.
pub fn resume(app: &mut App, sale: &SaleDetail) {
    let draft = SaleDraft {
        kind: SaleKind::Payment,
        // Its lines are in the journal already; the draft only carries what is to be paid.
        lines: Vec::new(),
        tax: sale.sale.tax,
        policy: app.sale.tax_policy(),
        total: sale.sale.total,
        price_overrides: Vec::new(),
    };
    app.begin_checkout(draft);
    app.split.sale_id = Some(sale.sale.id);
    app.split.paid = paid_tenders(sale);
    app.split.resumed = Some(sale.sale.receipt_no);
    app.screen = Screen::PayMethod;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::app::msg::CashTaken;
    use crate::app::screens::OutcomeKind;
    use crate::app::test_support::*;
    use crate::app::{Msg, PaymentEvent, update};
    use crate::domain::FailReason;
    use crate::records::{AttemptRecord, CashTender, SaleState};

    /// ¥`total` keyed in and ¥`received` cash (less than the total) taken for it.
    pub(crate) fn partly_paid_in_cash(total: &str, received: i64) -> App {
        let mut app = app();
        type_text(&mut app, total);
        press(&mut app, &[Key::Enter, Key::Char('0')]);
        let commands = type_text(&mut app, &received.to_string());
        assert!(commands.is_empty());
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::TakeCash { attempt, .. }] = commands.as_slice() else {
            panic!("{commands:?}")
        };
        let owed = remaining(&app).expect("checkout").value();
        let commands = update(
            &mut app,
            Msg::CashTaken {
                attempt: *attempt,
                result: Ok(CashTaken {
                    sale_id: 1,
                    tender: CashTender {
                        attempt_id: 10,
                        applied: Yen(received),
                        received: Yen(received),
                        change: Yen::ZERO,
                        remaining: Yen(owed - received),
                        sale_state: SaleState::PartlyPaid,
                    },
                }),
            },
        );
        assert_eq!(commands, [Command::OpenDrawer], "the drawer opens for it");
        app
    }

    #[test]
    fn partial_cash_comes_back_to_the_ways_to_pay_and_a_qr_pays_the_rest() {
        let mut app = partly_paid_in_cash("3000", 1_000);
        assert_eq!(app.screen, Screen::PayMethod);
        assert_eq!(remaining(&app), Some(Yen(2_000)));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::PartPaid {
                paid: Yen(1_000),
                remaining: Yen(2_000)
            })
        );
        let commands = press(&mut app, &[Key::Char('1')]);
        let [
            Command::AdoptSale { sale_id: 1, .. },
            Command::StartQr { part: None, .. },
        ] = commands.as_slice()
        else {
            panic!("the QR pays the rest of the same sale: {commands:?}")
        };
        let commands = answer(&mut app, paid_event(2_000));
        assert!(matches!(
            commands.as_slice(),
            [Command::Print { sale_id: 1, .. }]
        ));
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("{:?}", app.screen)
        };
        assert!(matches!(outcome.kind, OutcomeKind::Paid { .. }));
        let paid: Vec<_> = outcome
            .tenders
            .iter()
            .map(|t| (t.method, t.amount))
            .collect();
        assert_eq!(
            paid,
            [
                (PaymentMethod::Cash, Yen(1_000)),
                (PaymentMethod::MerchantQr, Yen(2_000))
            ]
        );
    }

    #[test]
    fn a_typed_part_goes_with_the_next_tender_and_the_rest_is_asked_for_after_it() {
        let mut app = app();
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter, Key::Char('*')]);
        type_text(&mut app, "１000");
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.split.part, Some(Yen(1_000)));
        let commands = press(&mut app, &[Key::Char('1')]);
        assert!(
            matches!(
                commands.as_slice(),
                [Command::StartQr {
                    part: Some(Yen(1_000)),
                    ..
                }]
            ),
            "{commands:?}"
        );
        assert!(
            answer(&mut app, paid_event(1_000)).is_empty(),
            "no receipt yet"
        );
        assert_eq!(app.screen, Screen::PayMethod);
        assert_eq!(remaining(&app), Some(Yen(2_000)));
        assert_eq!(app.split.part, None, "the next tender pays the rest");
        let commands = press(&mut app, &[Key::Char('2')]);
        assert!(commands.is_empty());
        let commands = update(&mut app, Msg::Scan(CUSTOMER_CODE.into()));
        assert!(
            matches!(
                commands.as_slice(),
                [
                    Command::AdoptSale { .. },
                    Command::ChargeCode { part: None, .. }
                ]
            ),
            "{commands:?}"
        );
    }

    #[test]
    fn a_part_of_all_that_remains_or_more_is_refused_with_the_limit() {
        let mut app = app();
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter, Key::F(3)]);
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.split.part, None);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::PartOutOfRange {
                remaining: Yen(3_000)
            })
        );
        assert_eq!(app.split.part_typed.as_deref(), Some("3000"), "kept to fix");
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.split.part_typed, None);
        assert_eq!(app.screen, Screen::PayMethod);
    }

    #[test]
    fn a_refused_qr_after_cash_keeps_the_cash_and_cash_pays_the_rest() {
        let mut app = partly_paid_in_cash("3000", 1_000);
        press(&mut app, &[Key::F(1)]);
        answer(
            &mut app,
            refused(
                FailReason::InsufficientBalance,
                "account_balance_not_enough",
            ),
        );
        assert!(
            matches!(&app.screen, Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Failed(_)))
        );
        assert_eq!(app.split.paid.len(), 1, "the cash stays paid");
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::PayMethod);
        assert_eq!(remaining(&app), Some(Yen(2_000)));
        press(&mut app, &[Key::Char('0')]);
        let commands = press(&mut app, &[Key::Enter]);
        assert!(
            matches!(
                commands.as_slice(),
                [
                    Command::AdoptSale { sale_id: 1, .. },
                    Command::TakeCash {
                        received: Yen(2_000),
                        ..
                    }
                ]
            ),
            "{commands:?}"
        );
    }

    #[test]
    fn a_wallet_refused_for_the_total_pays_the_part_the_clerk_types_then_cash_the_rest() {
        let mut app = app();
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter, Key::F(1)]);
        answer(
            &mut app,
            refused(
                FailReason::InsufficientBalance,
                "account_balance_not_enough",
            ),
        );
        press(&mut app, &[Key::F(3)]);
        assert_eq!(app.screen, Screen::PayMethod);
        type_text(&mut app, "2700");
        press(&mut app, &[Key::Enter]);
        let commands = press(&mut app, &[Key::F(1)]);
        assert!(
            matches!(
                commands.as_slice(),
                [Command::StartQr {
                    part: Some(Yen(2_700)),
                    ..
                }]
            ),
            "{commands:?}"
        );
        answer(&mut app, paid_event(2_700));
        assert_eq!(remaining(&app), Some(Yen(300)));
        press(&mut app, &[Key::Char('0')]);
        let commands = press(&mut app, &[Key::Enter]);
        assert!(
            matches!(
                commands.as_slice(),
                [
                    Command::AdoptSale { sale_id: 1, .. },
                    Command::TakeCash {
                        received: Yen(300),
                        ..
                    }
                ]
            ),
            "{commands:?}"
        );
    }

    #[test]
    fn a_sale_left_partly_paid_is_taken_up_at_start_and_paid_on_as_the_same_sale() {
        let mut sale = sale(42, SaleState::PartlyPaid);
        sale.sale.total = Yen(3_000);
        sale.sale.tendered = Yen(1_000);
        sale.attempts.push(AttemptRecord {
            id: 7,
            sale_id: 42,
            provider: "cash".into(),
            method: PaymentMethod::Cash,
            request_id: String::new(),
            money_name: None,
            amount: Yen(-1_000),
            provider_ref: None,
            presented_code: None,
            state: AttemptState::Paid {
                transaction_id: String::new(),
            },
            customer_name: None,
            created_at: String::new(),
            updated_at: String::new(),
            hold: false,
            capture_amount: None,
            cash: Some(CashTendered {
                received: Yen(1_000),
                change: Yen::ZERO,
            }),
        });
        let mut options = crate::app::AppOptions {
            pin_required: false,
            ..crate::app::AppOptions::default()
        };
        options.startup.partly_paid = vec![sale];
        let mut app = App::new(options, t0());
        assert_eq!(app.screen, Screen::PayMethod);
        assert_eq!(app.split.resumed, Some(42));
        assert_eq!(remaining(&app), Some(Yen(2_000)));
        let commands = press(&mut app, &[Key::F(1)]);
        assert!(
            matches!(
                commands.as_slice(),
                [
                    Command::AdoptSale { sale_id: 42, .. },
                    Command::StartQr { part: None, .. }
                ]
            ),
            "{commands:?}"
        );
        let commands = answer(
            &mut app,
            PaymentEvent::Paid {
                sale_id: 42,
                transaction: crate::app::test_support::paid(2_000),
            },
        );
        assert!(matches!(
            commands.as_slice(),
            [Command::Print { sale_id: 42, .. }]
        ));
    }

    #[test]
    fn sales_left_partly_paid_are_taken_up_one_after_another_each_once() {
        let left = |id| {
            let mut sale = sale(id, SaleState::PartlyPaid);
            sale.sale.tendered = Yen(200);
            sale
        };
        let mut options = crate::app::AppOptions::default();
        options.startup.partly_paid = vec![left(42), left(43)];
        let mut app = App::new(options, t0());
        assert_eq!(app.split.resumed, Some(42));
        app.start_new_sale();
        assert_eq!(
            app.split.resumed,
            Some(43),
            "the next one, not the same again"
        );
        app.start_new_sale();
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.split.resumed, None);
    }
}
