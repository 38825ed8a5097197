//! Choosing how the customer pays. With no ways to pay configured: `1`/F1 the QR on screen,
//! `2`/F2 the customer's own code. With them: `1`–`9`, or the arrows and Enter, pick one of the
//! listed ways; F1 still starts the first that shows a QR and F2 the first that scans a code, so
//! a clerk's habit keeps working. `0`/F4 takes cash (a payment only: a top-up loads a wallet).
//! `*`/F3 types the part of what remains the next tender pays; after a tender paid a part, the
//! screen lists the paid tenders and the next tender pays the rest.

use crate::app::screens::{QrWait, ScanWait, Screen, cash, leaving, scan_wait, split, tabs};
use crate::app::tenders::{first_code, first_qr};
use crate::app::{App, Command, Key, TenderOption};
use crate::scan::{ScanKind, classify};

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    if app.split.leaving.is_some() {
        return leaving::on_leaving_key(app, key);
    }
    if app.split.part_typed.is_some() {
        return split::on_part_key(app, key);
    }
    let payment = app
        .checkout
        .as_ref()
        .is_some_and(|c| c.draft.kind == crate::domain::SaleKind::Payment);
    match key {
        Key::Esc if !app.split.paid.is_empty() => {
            leaving::ask_to_leave(app, false);
            return Vec::new();
        }
        Key::Char('0') | Key::F(4) if payment => return cash::open(app),
        Key::Char('*') | Key::F(3) if payment => {
            split::start_part(app);
            return Vec::new();
        }
        _ => {}
    }
    if key == Key::F(8) {
        return tabs::open_for_charge(app);
    }
    if app.tenders.is_empty() {
        return on_fixed_choice_key(app, key);
    }
    let last = app.tenders.len() - 1;
    match key {
        Key::Up => {
            app.tender_cursor = app.tender_cursor.saturating_sub(1).min(last);
            Vec::new()
        }
        Key::Down => {
            app.tender_cursor = (app.tender_cursor + 1).min(last);
            Vec::new()
        }
        Key::Enter => choose(app, app.tender_cursor),
        Key::F(1) => first_qr(&app.tenders).map_or_else(Vec::new, |i| choose(app, i)),
        Key::F(2) => first_code(&app.tenders).map_or_else(Vec::new, |i| choose(app, i)),
        Key::Esc => {
            app.screen = Screen::Sale;
            Vec::new()
        }
        key => match key.digit() {
            Some(digit @ 1..=9) => choose(app, usize::from(digit) - 1),
            _ => Vec::new(),
        },
    }
}

/// The two fixed choices of a register with no ways to pay configured.
fn on_fixed_choice_key(app: &mut App, key: Key) -> Vec<Command> {
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

/// Starts the listed way to pay at `index`; a number past the list does nothing.
fn choose(app: &mut App, index: usize) -> Vec<Command> {
    let Some(tender) = app.tenders.get(index).cloned() else {
        return Vec::new();
    };
    app.tender_cursor = index;
    if tender.shows_qr() {
        start_qr_with(app, Some(tender))
    } else {
        start_scan(app);
        Vec::new()
    }
}

/// Opens a new merchant QR attempt for the current checkout: of the way to pay last chosen when
/// it shows a QR, else of the first listed that does (a new code after a failed scan), else of
/// the first provider when none are listed.
pub fn start_qr(app: &mut App) -> Vec<Command> {
    if app.tenders.is_empty() {
        return start_qr_with(app, None);
    }
    let chosen = app
        .tenders
        .get(app.tender_cursor)
        .filter(|t| t.shows_qr())
        .or_else(|| first_qr(&app.tenders).map(|i| &app.tenders[i]))
        .cloned();
    match chosen {
        Some(tender) => start_qr_with(app, Some(tender)),
        // Only codes are taken here: there is no QR to show.
        None => Vec::new(),
    }
}

fn start_qr_with(app: &mut App, tender: Option<TenderOption>) -> Vec<Command> {
    let Some(checkout) = app.checkout.clone() else {
        app.screen = Screen::Sale;
        return Vec::new();
    };
    let attempt = app.new_attempt();
    let part = split::next_part(app);
    let mut commands: Vec<Command> = split::adopt(app).into_iter().collect();
    app.screen = Screen::QrWait(QrWait::new(attempt, tender.clone()));
    commands.push(Command::StartQr {
        attempt,
        checkout,
        tender,
        part,
    });
    commands
}

/// A customer who holds out their code before the clerk picked a way to pay: it is charged as if
/// the code prompt were open. Anything else scanned here is ignored, as before.
pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    if classify(code.trim(), &app.customer_codes) != ScanKind::CustomerCode {
        return Vec::new();
    }
    start_scan(app);
    scan_wait::on_scan(app, code)
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
    use crate::app::{AttemptId, Command, Key, Msg, PaymentEvent};
    use crate::domain::{SaleKind, Yen};

    #[test]
    fn one_or_f1_starts_a_merchant_qr_for_the_total() {
        for key in [Key::Char('1'), Key::F(1)] {
            let mut app = app();
            type_text(&mut app, "1200");
            press(&mut app, &[Key::Enter]);
            let commands = press(&mut app, &[key]);
            let [
                Command::StartQr {
                    attempt,
                    checkout,
                    tender: None,
                    part: None,
                },
            ] = commands.as_slice()
            else {
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

    fn started_tender(commands: &[Command]) -> Option<&crate::app::TenderOption> {
        match commands {
            [Command::StartQr { tender, .. }] => tender.as_ref(),
            _ => panic!("expected a merchant QR, got {commands:?}"),
        }
    }

    #[test]
    fn a_number_key_starts_the_listed_way_to_pay_with_its_provider_and_wallet() {
        let mut app = choosing_tender();
        let commands = press(&mut app, &[Key::Char('4')]);
        let tender = started_tender(&commands).expect("a chosen tender");
        assert_eq!(tender.provider, "qrhub");
        assert_eq!(tender.wallet.as_deref(), Some("paypay"));
        let Screen::QrWait(wait) = &app.screen else {
            panic!("expected QR wait, got {:?}", app.screen)
        };
        assert_eq!(wait.tender.as_ref(), Some(tender));

        let mut app = choosing_tender();
        let commands = press(&mut app, &[Key::Char('3')]);
        assert_eq!(
            started_tender(&commands).map(|t| t.provider.as_str()),
            Some("pagepay")
        );
    }

    #[test]
    fn the_code_option_opens_the_code_prompt_and_a_number_past_the_list_does_nothing() {
        let mut app = choosing_tender();
        assert!(press(&mut app, &[Key::Char('6'), Key::Char('9')]).is_empty());
        assert_eq!(app.screen, Screen::PayMethod);
        assert!(press(&mut app, &[Key::Char('2')]).is_empty());
        assert!(matches!(app.screen, Screen::ScanWait(_)));
    }

    #[test]
    fn arrows_move_the_highlight_within_the_list_and_enter_starts_it() {
        let mut app = choosing_tender();
        press(&mut app, &[Key::Up]);
        assert_eq!(app.tender_cursor, 0, "the highlight stops at the top");
        press(&mut app, &[Key::Down; 9]);
        assert_eq!(app.tender_cursor, 4, "and at the bottom");
        press(&mut app, &[Key::Up]);
        let commands = press(&mut app, &[Key::Enter]);
        let tender = started_tender(&commands).expect("a chosen tender");
        assert_eq!(tender.wallet.as_deref(), Some("paypay"));
    }

    #[test]
    fn f1_and_f2_keep_starting_the_first_qr_and_the_code_prompt() {
        let mut app = choosing_tender();
        app.tenders.swap(0, 1);
        let commands = press(&mut app, &[Key::F(1)]);
        let tender = started_tender(&commands).expect("a chosen tender");
        assert_eq!(
            (tender.provider.as_str(), tender.presentation),
            ("wallet", crate::domain::PaymentMethod::MerchantQr)
        );
        assert_eq!(app.tender_cursor, 1, "the highlight follows the choice");

        let mut app = choosing_tender();
        press(&mut app, &[Key::F(2)]);
        assert!(matches!(app.screen, Screen::ScanWait(_)));
    }

    #[test]
    fn a_new_code_after_a_failure_is_of_the_way_to_pay_chosen_before() {
        let mut app = choosing_tender();
        press(&mut app, &[Key::Char('5')]);
        answer(&mut app, PaymentEvent::Expired);
        let commands = press(&mut app, &[Key::F(1)]);
        let tender = started_tender(&commands).expect("a chosen tender");
        assert_eq!(tender.wallet.as_deref(), Some("linepay"));
    }

    #[test]
    fn a_new_sale_starts_with_the_first_way_to_pay_highlighted() {
        let mut app = choosing_tender();
        press(&mut app, &[Key::Down, Key::Down, Key::Esc]);
        app.start_new_sale();
        assert_eq!(app.tender_cursor, 0);
    }

    #[test]
    fn a_customer_code_scanned_before_choosing_is_charged_with_its_provider() {
        for tenders in [Vec::new(), tenders()] {
            let mut app = app();
            app.tenders = tenders;
            type_text(&mut app, "1200");
            press(&mut app, &[Key::Enter]);
            assert!(crate::app::update(&mut app, Msg::Scan(ONIGIRI.into())).is_empty());
            assert_eq!(app.screen, Screen::PayMethod, "a product code is ignored");
            let commands = crate::app::update(&mut app, Msg::Scan(CUSTOMER_CODE.into()));
            let [Command::ChargeCode { provider, .. }] = commands.as_slice() else {
                panic!("expected a charge, got {commands:?}")
            };
            assert_eq!(provider.as_deref(), Some(WALLET_CODES.provider));
            assert!(matches!(&app.screen, Screen::ScanWait(w) if w.charging.is_some()));
        }
    }
}
