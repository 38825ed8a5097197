//! The sale screen: amounts on the number keys, scanned products in a cart, Enter to pay.
//! A price then `/` and a department key (1–9) rings it at that department's tax rate; a number
//! then `%` (percent) or `-` (yen) takes a discount off the subtotal, asking its reason.

use crate::app::screens::{
    ReportsScreen, Screen, history, parked, price_override, sign_in, tabs, voiding,
};
use crate::app::{App, Command, Key, MAX_INPUT_DIGITS, NoticeMessage};
use crate::domain::{CartError, Discount, SaleDraft, SaleKind, SubtotalDiscount, TaxRate, Yen};
use crate::records::{FindBy, SaleQuery};
use crate::scan::{ReceiptCode, ScanKind, classify};

/// A subtotal discount typed, its reason being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountEntry {
    pub discount: Discount,
    pub reason: String,
    /// The cart line it comes off (a line discount, 単品値引); `None`: the subtotal.
    pub line: Option<usize>,
}

/// The longest reason kept, in characters: it is printed on one receipt line.
const MAX_REASON_CHARS: usize = 16;

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    if app.discount_entry.is_some() {
        on_reason_key(app, key);
        return Vec::new();
    }
    if app.receipt_entry.is_some() {
        return on_receipt_code_key(app, key);
    }
    if app.void_entry.is_some() {
        return voiding::on_key(app, key);
    }
    if app.override_entry.is_some() {
        return price_override::on_key(app, key);
    }
    if app.parking {
        // The cart is being parked: it clears in a moment, nothing typed may land in it.
        return Vec::new();
    }
    if app.unknown_jan.is_some() {
        return super::price_it::on_key(app, key);
    }
    // `R` with nothing typed begins a receipt code typed by hand (`RGI-…`).
    if matches!(key, Key::Char('R' | 'r')) && app.input.is_empty() && !app.department_key {
        app.receipt_entry = Some("R".to_owned());
        return Vec::new();
    }
    if let Some(digit) = key.digit() {
        if app.department_key {
            ring_department(app, digit);
        } else {
            type_digit(app, digit);
        }
        return Vec::new();
    }
    if app.department_key && matches!(key, Key::Esc | Key::Backspace) {
        app.department_key = false;
        return Vec::new();
    }
    match key {
        Key::Char('/') if app.mode == SaleKind::Payment => app.department_key = true,
        Key::Char('%') if app.mode == SaleKind::Payment => begin_discount(app, true),
        Key::Char('-') if app.mode == SaleKind::Payment => begin_discount(app, false),
        Key::Backspace => {
            app.input.pop();
        }
        Key::Esc if !app.input.is_empty() => app.input.clear(),
        Key::Esc => app.selected = None,
        Key::Char('+') => {
            commit_input(app);
        }
        Key::Char('*') | Key::Char('x') => set_quantity(app),
        Key::Delete => delete_line(app),
        Key::Up => move_selection(app, -1),
        Key::Down => move_selection(app, 1),
        Key::Enter => go_to_payment(app),
        Key::F(3) => {
            app.mode = match app.mode {
                SaleKind::Payment => SaleKind::Topup,
                SaleKind::Topup => SaleKind::Payment,
            };
            app.selected = None;
        }
        Key::F(4) => return history::open(app),
        Key::F(2) => return price_override::begin(app),
        Key::F(7) => voiding::begin(app),
        Key::F(8) if !app.tab_providers.is_empty() => return tabs::open(app),
        Key::F(9) => return parked::on_f9(app),
        Key::F(12) => return sign_in::sign_out(app),
        Key::F(5) => app.screen = Screen::Reports(ReportsScreen::Menu),
        Key::F(6) => {
            app.screen = Screen::Status;
            app.status = None;
            return vec![Command::CheckStatus];
        }
        // Anything else typed is dropped, and the clerk is told (an input method left on, a
        // letter by mistake), so nothing vanishes silently.
        Key::Char(c) if !c.is_control() && !c.is_whitespace() => {
            app.notify(NoticeMessage::KeyNotUsed(c))
        }
        _ => {}
    }
    Vec::new()
}

pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    let code = code.trim();
    let kind = classify(code, &app.customer_codes);
    // A customer back with a receipt: its sale opens for a refund or a copy; the cart stays.
    if kind == ScanKind::Receipt {
        return history::open_receipt(app, code);
    }
    if app.mode == SaleKind::Topup || kind != ScanKind::Jan {
        app.notify(NoticeMessage::NotAProductCode);
        return Vec::new();
    }
    match app.cart.add_jan(&app.catalog, code) {
        Ok(_) => app.selected = None,
        // Not in the catalog: priced now under a department rather than turned away.
        Err(CartError::UnknownJan(unknown)) => super::price_it::start(app, &unknown.jan),
        Err(e) => notify_cart_error(app, e),
    }
    Vec::new()
}

/// The longest receipt code kept while typing: `RGI-` and a terminal id and number.
const MAX_RECEIPT_CODE_CHARS: usize = 40;

/// A key while a receipt code is typed: letters, digits (full-width too) and `-` build it, Enter
/// opens its sale (a code that is not one says so and stays to be corrected), Esc drops it.
fn on_receipt_code_key(app: &mut App, key: Key) -> Vec<Command> {
    let Some(code) = app.receipt_entry.as_mut() else {
        return Vec::new();
    };
    match key {
        Key::Enter => {
            let typed = code.clone();
            if ReceiptCode::parse(&typed).is_some() {
                app.receipt_entry = None;
                return history::open_receipt(app, &typed);
            }
            // `R` and the receipt number alone (all a faded receipt still shows): the sale of
            // any day with that number.
            if let Some(query) = typed
                .strip_prefix('R')
                .filter(|no| !no.is_empty() && no.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|no| SaleQuery::parse(FindBy::ReceiptNo, no))
            {
                app.receipt_entry = None;
                return super::history_find::open(app, query);
            }
            app.notify(NoticeMessage::NotAReceiptCode);
        }
        Key::Esc => app.receipt_entry = None,
        Key::Backspace => {
            code.pop();
            if code.is_empty() {
                app.receipt_entry = None;
            }
        }
        key => {
            let typed = match key {
                Key::Char(c) if c.is_ascii_alphanumeric() || c == '-' => {
                    Some(c.to_ascii_uppercase())
                }
                other => other.digit().map(|d| char::from(b'0' + d)),
            };
            if let Some(c) = typed
                && code.chars().count() < MAX_RECEIPT_CODE_CHARS
            {
                code.push(c);
            }
        }
    }
    Vec::new()
}

fn type_digit(app: &mut App, digit: u8) {
    if app.input == "0" {
        app.input.clear();
    }
    if app.input.len() < MAX_INPUT_DIGITS {
        app.input.push(char::from(b'0' + digit));
    }
}

fn input_amount(app: &App) -> Option<i64> {
    app.input.parse::<i64>().ok().filter(|v| *v > 0)
}

/// Adds the typed amount as a cart line (standard rate). `false` when it could not be added.
fn commit_input(app: &mut App) -> bool {
    if app.input.is_empty() || app.mode == SaleKind::Topup {
        return true;
    }
    let Some(amount) = input_amount(app) else {
        app.input.clear();
        return true;
    };
    match app.cart.add_manual(Yen(amount), TaxRate::Standard10, None) {
        Ok(_) => {
            app.input.clear();
            app.selected = None;
            true
        }
        Err(e) => {
            notify_cart_error(app, e);
            false
        }
    }
}

/// Rings the typed price (or the department's fixed price) under department `number`.
fn ring_department(app: &mut App, number: u8) {
    app.department_key = false;
    let Some(department) = app.sale.departments.get(number).cloned() else {
        app.notify(NoticeMessage::NoSuchDepartment(number));
        return;
    };
    match app
        .cart
        .add_department(&department, input_amount(app).map(Yen))
    {
        Ok(_) => {
            app.input.clear();
            app.selected = None;
        }
        Err(e) => notify_cart_error(app, e),
    }
}

/// `10 %` or `200 -`: checks the discount against the cart, then asks its reason. `%` or `-`
/// with nothing typed takes the discount off again. With a line highlighted (↑/↓) the discount
/// is that line's alone.
fn begin_discount(app: &mut App, percent: bool) {
    let line = app.selected;
    if app.input.is_empty() {
        match line {
            Some(index) => {
                let _ = app.cart.set_line_discount(index, None);
            }
            None => app.cart.clear_discount(),
        }
        return;
    }
    let typed = input_amount(app).unwrap_or(0);
    let discount = if percent {
        Discount::Percent(u8::try_from(typed).unwrap_or(0))
    } else {
        Discount::Yen(Yen(typed))
    };
    let mut trial = app.cart.clone();
    let tried = match line {
        Some(index) => trial.set_line_discount(
            index,
            Some(SubtotalDiscount {
                discount,
                reason: None,
            }),
        ),
        None => trial.set_discount(SubtotalDiscount {
            discount,
            reason: None,
        }),
    };
    match tried {
        Ok(()) => {
            app.input.clear();
            app.discount_entry = Some(DiscountEntry {
                discount,
                reason: String::new(),
                line,
            });
        }
        Err(e) => notify_cart_error(app, e),
    }
}

/// Writing the discount's reason: Enter takes the discount, Esc forgets it.
fn on_reason_key(app: &mut App, key: Key) {
    let Some(entry) = app.discount_entry.as_mut() else {
        return;
    };
    match key {
        Key::Char(c) if !c.is_control() && entry.reason.chars().count() < MAX_REASON_CHARS => {
            entry.reason.push(c);
        }
        Key::Backspace => {
            entry.reason.pop();
        }
        Key::Esc => app.discount_entry = None,
        Key::Enter => {
            let Some(entry) = app.discount_entry.take() else {
                return;
            };
            let reason = Some(entry.reason.trim().to_owned()).filter(|r| !r.is_empty());
            let discount = SubtotalDiscount {
                discount: entry.discount,
                reason,
            };
            let taken = match entry.line {
                Some(index) => app.cart.set_line_discount(index, Some(discount)),
                None => app.cart.set_discount(discount),
            };
            if let Err(e) = taken {
                notify_cart_error(app, e);
            }
        }
        _ => {}
    }
}

/// `3 *` sets the highlighted (or last) line's quantity to 3.
fn set_quantity(app: &mut App) {
    let Some(index) = app.selected.or(app.cart.lines().len().checked_sub(1)) else {
        return;
    };
    let Some(quantity) = input_amount(app).and_then(|q| u32::try_from(q).ok()) else {
        return;
    };
    match app.cart.set_quantity(index, quantity) {
        Ok(()) => app.input.clear(),
        Err(e) => notify_cart_error(app, e),
    }
}

fn delete_line(app: &mut App) {
    let Some(index) = app.selected.or(app.cart.lines().len().checked_sub(1)) else {
        return;
    };
    if app.cart.remove_line(index).is_ok() {
        let remaining = app.cart.lines().len();
        app.selected = app
            .selected
            .and_then(|_| remaining.checked_sub(1).map(|last| index.min(last)));
    }
}

fn move_selection(app: &mut App, step: isize) {
    let count = app.cart.lines().len();
    if count == 0 {
        app.selected = None;
        return;
    }
    let current = app.selected.unwrap_or(count) as isize;
    app.selected = Some((current + step).clamp(0, count as isize - 1) as usize);
}

fn go_to_payment(app: &mut App) {
    let draft = match app.mode {
        SaleKind::Payment => {
            if !commit_input(app) {
                return;
            }
            app.cart.checkout()
        }
        SaleKind::Topup => {
            let amount = Yen(input_amount(app).unwrap_or(0));
            SaleDraft::topup(amount, &app.sale.guard(), app.sale.tax_policy())
                .map_err(CartError::from)
        }
    };
    match draft {
        Ok(draft) => {
            app.begin_checkout(draft);
            app.screen = Screen::PayMethod;
        }
        Err(e) => notify_cart_error(app, e),
    }
}

pub(crate) fn notify_cart_error(app: &mut App, error: CartError) {
    let message = match error {
        CartError::UnknownJan(unknown) => NoticeMessage::UnknownProduct(unknown.jan),
        CartError::Empty | CartError::Amount(crate::domain::AmountError::NotPositive(_)) => {
            NoticeMessage::NothingToPay
        }
        CartError::Amount(crate::domain::AmountError::OverLimit { max, .. }) => {
            NoticeMessage::OverLimit(max)
        }
        CartError::Overflow => NoticeMessage::AmountTooLarge,
        CartError::InvalidQuantity(_) => NoticeMessage::BadQuantity,
        CartError::BadDiscount => NoticeMessage::BadDiscount,
        CartError::NoSuchLine(_) => return,
    };
    app.notify(message);
}

#[cfg(test)]
mod tests {
    use crate::app::screens::Screen;
    use crate::app::test_support::*;
    use crate::app::{Command, Key, Msg, NoticeMessage, update};
    use crate::domain::{Department, Departments, SaleKind, TaxRate, Yen};

    #[test]
    fn typed_amount_and_enter_go_to_payment_choice() {
        let mut app = app();
        assert!(type_text(&mut app, "1200").is_empty());
        assert_eq!(app.input, "1200");
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        assert_eq!(app.screen, Screen::PayMethod);
        let checkout = app.checkout.clone().expect("checkout");
        assert_eq!(checkout.draft.total, Yen(1200));
        assert_eq!(checkout.draft.kind, SaleKind::Payment);
        assert!(app.input.is_empty());
    }

    #[test]
    fn scans_build_a_cart_with_quantities() {
        let mut app = app();
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        type_text(&mut app, "500+");
        assert_eq!(app.cart.lines().len(), 2);
        assert_eq!(app.cart.total(), Ok(Yen(800)));
        // A manual line's quantity stays 1; 3 * on the product line sets it.
        type_text(&mut app, "3*");
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::BadQuantity)
        );
        press(&mut app, &[Key::Esc, Key::Up, Key::Up]);
        type_text(&mut app, "3*");
        assert_eq!(app.cart.lines()[0].quantity, 3);
        assert_eq!(app.cart.total(), Ok(Yen(950)));
        press(&mut app, &[Key::Down, Key::Delete]);
        assert_eq!(app.cart.lines().len(), 1);
        assert_eq!(app.cart.total(), Ok(Yen(450)));
        press(&mut app, &[Key::Enter]);
        let draft = &app.checkout.as_ref().expect("checkout").draft;
        assert_eq!(draft.total, Yen(450));
        assert_eq!(draft.lines.len(), 1);
    }

    #[test]
    fn scanned_products_travel_with_the_checkout() {
        let mut app = app();
        update(&mut app, Msg::Scan(ONIGIRI.into()));
        press(&mut app, &[Key::Enter]);
        let checkout = app.checkout.clone().expect("checkout");
        assert_eq!(checkout.draft.total, Yen(150));
        assert_eq!(checkout.draft.lines[0].jan(), Some(ONIGIRI));
    }

    #[test]
    fn unknown_products_and_empty_sales_are_explained() {
        let mut app = app();
        update(&mut app, Msg::Scan("4901234567801".into()));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::UnknownProduct("4901234567801".into()))
        );
        assert!(app.cart.is_empty());
        // Esc leaves the unknown product out rather than pricing it.
        press(&mut app, &[Key::Esc, Key::Enter]);
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NothingToPay)
        );
    }

    #[test]
    fn input_is_bounded_and_esc_clears_it() {
        let mut app = app();
        type_text(&mut app, "0001234567890123");
        assert_eq!(app.input.len(), crate::app::MAX_INPUT_DIGITS);
        press(&mut app, &[Key::Esc]);
        assert!(app.input.is_empty());
        type_text(&mut app, "60000+60000+");
        assert_eq!(app.cart.total(), Ok(Yen(60_000)));
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::OverLimit(Yen(100_000)))
        );
        assert_eq!(
            app.input, "60000",
            "the rejected amount stays to be corrected"
        );
    }

    #[test]
    fn top_up_mode_takes_the_typed_amount() {
        let mut app = app();
        press(&mut app, &[Key::F(3)]);
        type_text(&mut app, "3000");
        press(&mut app, &[Key::Enter]);
        let draft = app.checkout.clone().expect("checkout").draft;
        assert_eq!((draft.total, draft.kind), (Yen(3000), SaleKind::Topup));
        assert!(draft.lines.is_empty());
    }

    #[test]
    fn function_keys_open_history_reports_and_status() {
        let mut app = app();
        assert_eq!(
            press(&mut app, &[Key::F(4)]),
            vec![Command::LoadHistory { also: None }]
        );
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
        press(&mut app, &[Key::F(5)]);
        assert!(matches!(app.screen, Screen::Reports(_)));
        press(&mut app, &[Key::Esc]);
        assert_eq!(press(&mut app, &[Key::F(6)]), vec![Command::CheckStatus]);
        assert_eq!(app.screen, Screen::Status);
    }

    #[test]
    fn ctrl_c_quits_from_anywhere_asking_first_when_a_checkout_is_on_the_till() {
        let mut app = app();
        type_text(&mut app, "100");
        press(&mut app, &[Key::Enter]);
        assert!(press(&mut app, &[Key::Interrupt]).is_empty());
        assert_eq!(press(&mut app, &[Key::Interrupt]), vec![Command::Quit]);
        assert!(app.checkout.is_some());
        assert!(app.quitting);
    }

    #[test]
    fn a_receipt_code_typed_by_hand_opens_its_sale_instead_of_ringing_digits() {
        let mut app = app();
        type_text(&mut app, "rgi-01-０07");
        assert_eq!(app.receipt_entry.as_deref(), Some("RGI-01-007"));
        assert!(app.input.is_empty() && app.cart.is_empty());
        let commands = press(&mut app, &[Key::Enter]);
        assert_eq!(
            commands,
            vec![Command::FindReceipt {
                code: "RGI-01-007".into()
            }]
        );
        assert!(app.receipt_entry.is_none());
    }

    #[test]
    fn r_and_a_receipt_number_alone_finds_that_sale_on_any_day() {
        let mut app = app();
        type_text(&mut app, "R000１23");
        let commands = press(&mut app, &[Key::Enter]);
        assert_eq!(
            commands,
            vec![Command::FindSales {
                query: crate::records::SaleQuery {
                    receipt_no: Some(123),
                    ..crate::records::SaleQuery::default()
                }
            }]
        );
        assert!(matches!(app.screen, Screen::History(_)));
    }

    #[test]
    fn a_typed_code_that_is_not_a_receipt_code_says_so_and_stays_to_be_corrected() {
        let mut app = app();
        type_text(&mut app, "RGI-01");
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        assert_eq!(app.receipt_entry.as_deref(), Some("RGI-01"));
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::NotAReceiptCode)
        ));
        press(&mut app, &[Key::Esc]);
        assert!(app.receipt_entry.is_none());
        // R after digits is no code: the amount stays as typed.
        type_text(&mut app, "12r");
        assert_eq!(app.input, "12");
        assert!(app.receipt_entry.is_none());
    }

    #[test]
    fn a_price_slash_and_a_department_key_ring_at_that_departments_rate() {
        let mut app = app();
        type_text(&mut app, "1000/2");
        type_text(&mut app, "500/1");
        let lines = app.cart.lines();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (lines[0].name.as_str(), lines[0].tax_rate),
            ("食品", TaxRate::Reduced8)
        );
        assert_eq!(
            (lines[1].name.as_str(), lines[1].tax_rate),
            ("一般", TaxRate::Standard10)
        );
        let tax = app.cart.tax_summary().unwrap();
        assert_eq!(
            (tax.reduced.taxable_total, tax.standard.taxable_total),
            (Yen(1_000), Yen(500))
        );
        assert!(app.input.is_empty());
        assert!(!app.department_key);
    }

    #[test]
    fn a_department_key_without_a_price_rings_its_fixed_price_or_asks_for_one() {
        let mut app = app();
        app.sale.departments = Departments::new(vec![Department {
            number: 3,
            name: "切手".into(),
            rate: TaxRate::Standard10,
            price: Some(Yen(110)),
        }]);
        type_text(&mut app, "/3");
        assert_eq!(app.cart.lines()[0].unit_price, Yen(110));
        type_text(&mut app, "700/1");
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NoSuchDepartment(1))
        );
        assert_eq!(app.input, "700", "the price stays for another key");
        assert_eq!(app.cart.lines().len(), 1);
    }

    #[test]
    fn an_open_department_without_a_price_says_there_is_nothing_to_ring() {
        let mut app = app();
        type_text(&mut app, "/2");
        assert!(app.cart.is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NothingToPay)
        );
    }

    #[test]
    fn esc_after_the_slash_cancels_only_the_department_key() {
        let mut app = app();
        type_text(&mut app, "800/");
        assert!(app.department_key);
        press(&mut app, &[Key::Esc]);
        assert!(!app.department_key);
        assert_eq!(app.input, "800");
    }

    #[test]
    fn ten_percent_off_the_subtotal_with_a_reason_is_apportioned_across_the_rates() {
        let mut app = app();
        type_text(&mut app, "1000/2");
        type_text(&mut app, "500/1");
        type_text(&mut app, "10%");
        assert!(app.discount_entry.is_some(), "the reason is asked");
        type_text(&mut app, "会員");
        press(&mut app, &[Key::Enter]);
        assert_eq!(
            app.screen,
            Screen::Sale,
            "Enter takes the discount, not the payment"
        );
        assert_eq!(
            app.cart.discount().and_then(|d| d.reason.as_deref()),
            Some("会員")
        );
        let tax = app.cart.tax_summary().unwrap();
        assert_eq!(
            (tax.reduced.taxable_total, tax.reduced.tax),
            (Yen(900), Yen(66))
        );
        assert_eq!(
            (tax.standard.taxable_total, tax.standard.tax),
            (Yen(450), Yen(40))
        );
        press(&mut app, &[Key::Enter]);
        let draft = &app.checkout.as_ref().expect("checkout").draft;
        assert_eq!(draft.total, Yen(1_350));
    }

    #[test]
    fn a_yen_discount_of_the_whole_subtotal_is_refused_and_the_typed_amount_kept() {
        let mut app = app();
        type_text(&mut app, "500+");
        type_text(&mut app, "500-");
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::BadDiscount)
        );
        assert!(app.discount_entry.is_none());
        assert_eq!(app.input, "500");
        press(&mut app, &[Key::Esc]);
        type_text(&mut app, "50-");
        press(&mut app, &[Key::Esc]);
        assert_eq!(
            app.cart.discount(),
            None,
            "Esc while asking the reason forgets it"
        );
        type_text(&mut app, "50-");
        press(&mut app, &[Key::Enter]);
        assert_eq!(app.cart.total(), Ok(Yen(450)));
        type_text(&mut app, "%");
        assert_eq!(
            app.cart.total(),
            Ok(Yen(500)),
            "% with nothing typed takes it off"
        );
    }

    #[test]
    fn a_discount_typed_on_a_highlighted_line_comes_off_that_line_at_its_rate() {
        let mut app = app();
        type_text(&mut app, "1000/2");
        type_text(&mut app, "500/1");
        press(&mut app, &[Key::Up, Key::Up]);
        type_text(&mut app, "20%");
        type_text(&mut app, "見切り");
        press(&mut app, &[Key::Enter]);
        let (discount, off) = app.cart.line_discount(0).expect("on the first line");
        assert_eq!(
            (discount.reason.as_deref(), off),
            (Some("見切り"), Yen(200))
        );
        assert_eq!(app.cart.discount(), None, "not the subtotal");
        let tax = app.cart.tax_summary().unwrap();
        assert_eq!(
            (tax.reduced.taxable_total, tax.standard.taxable_total),
            (Yen(800), Yen(500))
        );
        // % with nothing typed on the line takes it off again.
        type_text(&mut app, "%");
        assert!(app.cart.line_discount(0).is_none());
        type_text(&mut app, "20%");
        press(&mut app, &[Key::Enter]);
        press(&mut app, &[Key::Esc, Key::Enter]);
        let draft = &app.checkout.as_ref().expect("checkout").draft;
        assert_eq!(draft.total, Yen(1_300));
        assert_eq!(
            draft.lines.len(),
            3,
            "the line, its discount, the other line"
        );
        assert_eq!(
            (draft.lines[1].unit_price, draft.lines[1].tax_rate),
            (Yen(-200), TaxRate::Reduced8)
        );
    }
}
