//! Cash at the till: the clerk types the yen handed over (Enter on nothing: exactly what remains)
//! or presses a quick key for a note or the next round amount. The cash is journaled first; only
//! then does the drawer open and the change show. Less than what remains is a partial tender: the
//! rest is paid another way.

use crate::app::msg::CashTaken;
use crate::app::screens::split::{self, PaidTender};
use crate::app::screens::{Screen, outcome};
use crate::app::{App, AttemptId, Command, Key, MAX_INPUT_DIGITS, NoticeMessage};
use crate::domain::{PaymentMethod, Yen};
use crate::payment::PaidTransaction;
use crate::records::CashTendered;

/// The cash screen: the yen typed so far, and the tender being journaled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CashEntry {
    pub typed: String,
    pub taking: Option<AttemptId>,
}

/// The function keys of the notes a customer hands over most, in order: F1 ¥1,000, F2 ¥5,000,
/// F3 ¥10,000. F4 is the next round amount (see [`next_round`]).
pub const NOTES: [Yen; 3] = [Yen(1_000), Yen(5_000), Yen(10_000)];

/// The round amount a customer most likely hands over for `remaining`: under ¥1,000 the next
/// ¥100 up (¥780 → ¥800, as coins are given), from ¥1,000 the next ¥1,000 up (¥1,234 → ¥2,000).
/// Always above what remains: exactly what remains is Enter.
pub fn next_round(remaining: Yen) -> Yen {
    let step = if remaining.value() < 1_000 {
        100
    } else {
        1_000
    };
    Yen((remaining.value() / step + 1) * step)
}

/// The quick keys as the screen lists them: the key's number (F1–F4) and the yen it takes.
pub fn quick_keys(remaining: Yen) -> [(u8, Yen); 4] {
    [
        (1, NOTES[0]),
        (2, NOTES[1]),
        (3, NOTES[2]),
        (4, next_round(remaining)),
    ]
}

/// Opens the cash screen for what remains of the checkout.
pub fn open(app: &mut App) -> Vec<Command> {
    if app.checkout.is_none() {
        app.screen = Screen::Sale;
        return Vec::new();
    }
    app.split.part_typed = None;
    app.screen = Screen::Cash(CashEntry::default());
    Vec::new()
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let remaining = split::remaining(app).unwrap_or(Yen::ZERO);
    let Screen::Cash(entry) = &mut app.screen else {
        return Vec::new();
    };
    if entry.taking.is_some() {
        // The cash is being journaled: leaving now could lose track of it.
        if key == Key::Esc {
            app.notify(NoticeMessage::StillChecking);
        }
        return Vec::new();
    }
    match key {
        // As on the sale screen: Esc clears what was typed first, then goes back.
        Key::Esc if !entry.typed.is_empty() => {
            entry.typed.clear();
            Vec::new()
        }
        Key::Esc => {
            app.screen = Screen::PayMethod;
            Vec::new()
        }
        Key::Backspace => {
            entry.typed.pop();
            Vec::new()
        }
        Key::Enter => {
            let received = entry.typed.parse::<i64>().map_or(remaining, Yen);
            take(app, received)
        }
        Key::F(n @ 1..=4) => {
            let (_, received) = quick_keys(remaining)[usize::from(n - 1)];
            take(app, received)
        }
        key => {
            if let Some(digit) = split::typed_digit(key)
                && entry.typed.len() < MAX_INPUT_DIGITS
                && !(entry.typed.is_empty() && digit == 0)
            {
                entry.typed.push(char::from(b'0' + digit));
            }
            Vec::new()
        }
    }
}

/// Asks for `received` yen of cash to be journaled.
fn take(app: &mut App, received: Yen) -> Vec<Command> {
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    if !received.is_positive() {
        return Vec::new();
    }
    let attempt = app.new_attempt();
    if let Screen::Cash(entry) = &mut app.screen {
        entry.typed.clear();
        entry.taking = Some(attempt);
    }
    let mut commands: Vec<Command> = split::adopt(app).into_iter().collect();
    commands.push(Command::TakeCash {
        attempt,
        checkout,
        received,
    });
    commands
}

/// The cash is journaled (then the drawer opens and the change shows), or it could not be, and
/// nothing was taken.
pub fn on_taken(
    app: &mut App,
    attempt: AttemptId,
    result: Result<CashTaken, String>,
) -> Vec<Command> {
    let waiting = matches!(&app.screen, Screen::Cash(e) if e.taking == Some(attempt));
    match result {
        Err(reason) => {
            if let Screen::Cash(entry) = &mut app.screen
                && waiting
            {
                entry.taking = None;
            }
            app.notify(NoticeMessage::CashNotTaken(reason));
            Vec::new()
        }
        Ok(CashTaken { sale_id, tender }) => {
            // On record whatever the screen: it is money in the drawer.
            let remaining = split::record(
                app,
                sale_id,
                PaidTender {
                    method: PaymentMethod::Cash,
                    amount: tender.applied,
                    cash: Some(CashTendered {
                        received: tender.received,
                        change: tender.change,
                    }),
                },
            );
            let mut commands = vec![Command::OpenDrawer];
            if remaining.is_positive() {
                split::back_for_the_rest(app, tender.applied, remaining);
                return commands;
            }
            let transaction = PaidTransaction {
                // Cash has no provider's transaction.
                transaction_id: String::new(),
                amount: tender.applied.value(),
                customer_name: None,
                money_name: None,
                done_at: app.now,
            };
            commands.extend(outcome::settled(
                app,
                PaymentMethod::Cash,
                sale_id,
                transaction,
                false,
            ));
            commands
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::screens::OutcomeKind;
    use crate::app::test_support::*;
    use crate::app::{Msg, SlipRequest, update};
    use crate::records::{CashTender, SaleState};

    /// ¥`total` keyed in and the cash screen open.
    fn paying_cash(total: &str) -> App {
        let mut app = app();
        type_text(&mut app, total);
        press(&mut app, &[Key::Enter, Key::Char('0')]);
        assert!(matches!(app.screen, Screen::Cash(_)), "{:?}", app.screen);
        app
    }

    fn taking(commands: &[Command]) -> (AttemptId, Yen) {
        match commands {
            [
                ..,
                Command::TakeCash {
                    attempt, received, ..
                },
            ] => (*attempt, *received),
            _ => panic!("expected cash to be taken, got {commands:?}"),
        }
    }

    /// The journal's answer to cash `received` for a sale with `remaining` left.
    fn taken(app: &mut App, attempt: AttemptId, received: i64, remaining: i64) -> Vec<Command> {
        let owed = split::remaining(app).expect("a checkout").value();
        let applied = received.min(owed);
        update(
            app,
            Msg::CashTaken {
                attempt,
                result: Ok(CashTaken {
                    sale_id: 1,
                    tender: CashTender {
                        attempt_id: 10,
                        applied: Yen(applied),
                        received: Yen(received),
                        change: Yen(received - applied),
                        remaining: Yen(remaining),
                        sale_state: if remaining == 0 {
                            SaleState::Paid
                        } else {
                            SaleState::PartlyPaid
                        },
                    },
                }),
            },
        )
    }

    #[test]
    fn the_next_round_amount_is_the_next_hundred_under_a_thousand_else_the_next_thousand() {
        assert_eq!(next_round(Yen(780)), Yen(800));
        assert_eq!(next_round(Yen(800)), Yen(900));
        assert_eq!(next_round(Yen(1_234)), Yen(2_000));
        assert_eq!(next_round(Yen(2_000)), Yen(3_000));
        assert_eq!(next_round(Yen(9_999)), Yen(10_000));
    }

    #[test]
    fn enter_on_nothing_typed_takes_exactly_what_remains() {
        let mut app = paying_cash("1234");
        let (_, received) = taking(&press(&mut app, &[Key::Enter]));
        assert_eq!(received, Yen(1_234));
    }

    #[test]
    fn quick_keys_take_a_note_or_the_next_round_amount() {
        for (key, yen) in [
            (Key::F(1), 1_000),
            (Key::F(2), 5_000),
            (Key::F(3), 10_000),
            (Key::F(4), 2_000),
        ] {
            let mut app = paying_cash("1234");
            let (_, received) = taking(&press(&mut app, &[key]));
            assert_eq!(received, Yen(yen), "{key:?}");
        }
    }

    #[test]
    fn typed_digits_also_full_width_and_backspace_make_the_amount_received() {
        let mut app = paying_cash("1234");
        type_text(&mut app, "２０09");
        press(&mut app, &[Key::Backspace, Key::Char('0')]);
        let (_, received) = taking(&press(&mut app, &[Key::Enter]));
        assert_eq!(received, Yen(2_000));
    }

    #[test]
    fn change_shows_only_after_the_cash_is_journaled_then_the_drawer_opens_and_the_receipt_prints()
    {
        let mut app = paying_cash("1234");
        type_text(&mut app, "2000");
        let (attempt, _) = taking(&press(&mut app, &[Key::Enter]));
        assert!(
            matches!(&app.screen, Screen::Cash(e) if e.taking == Some(attempt)),
            "nothing is shown as paid before the journal has it"
        );
        assert!(press(&mut app, &[Key::Esc]).is_empty());
        assert!(
            matches!(app.screen, Screen::Cash(_)),
            "no leaving meanwhile"
        );
        let commands = taken(&mut app, attempt, 2_000, 0);
        assert_eq!(
            commands,
            [
                Command::OpenDrawer,
                Command::Print {
                    sale_id: 1,
                    slip: SlipRequest::Receipt { money_name: None }
                }
            ]
        );
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("{:?}", app.screen)
        };
        assert!(matches!(outcome.kind, OutcomeKind::Paid { sale_id: 1, .. }));
        assert_eq!(outcome.method, PaymentMethod::Cash);
        assert_eq!(outcome.change, Yen(766));
        assert_eq!(outcome.tenders.len(), 1);
        assert!(app.cart.is_empty());
    }

    #[test]
    fn esc_clears_the_amount_typed_then_goes_back_to_the_ways_to_pay() {
        let mut app = paying_cash("1234");
        type_text(&mut app, "50");
        press(&mut app, &[Key::Esc]);
        assert!(matches!(&app.screen, Screen::Cash(e) if e.typed.is_empty()));
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::PayMethod);
    }

    #[test]
    fn cash_the_journal_refused_is_not_taken_and_can_be_tried_again() {
        let mut app = paying_cash("500");
        let (attempt, _) = taking(&press(&mut app, &[Key::Enter]));
        let commands = update(
            &mut app,
            Msg::CashTaken {
                attempt,
                result: Err("disk full".into()),
            },
        );
        assert!(commands.is_empty(), "no drawer for cash not on record");
        assert!(matches!(&app.screen, Screen::Cash(e) if e.taking.is_none()));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::CashNotTaken("disk full".into()))
        );
        assert!(app.split.paid.is_empty());
    }
}
