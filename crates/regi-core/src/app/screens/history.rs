//! Today's sales from the journal: list, detail, refund behind the manager PIN, reprint. A
//! scanned receipt code opens its sale here, also one of an earlier day.

use chrono::{DateTime, Utc};

use crate::app::screens::{Screen, amount_entry, capture, history_find, pin_entry, return_pick};
use crate::app::{
    App, AttemptId, Command, Key, NoticeMessage, PinPurpose, ReceiptLookupError, SlipRequest,
};
use crate::payment::RefundDone;
use crate::records::SaleDetail;
use crate::scan::{ScanKind, classify};

/// Opens the history of the open day.
pub fn open(app: &mut App) -> Vec<Command> {
    let history = HistoryScreen::loading();
    let load = history.load();
    app.screen = Screen::History(history);
    vec![load]
}

/// Opens the history on its way to the sale of a scanned receipt code.
pub fn open_receipt(app: &mut App, code: &str) -> Vec<Command> {
    app.screen = Screen::History(HistoryScreen::loading());
    vec![Command::FindReceipt {
        code: code.to_string(),
    }]
}

/// A scan on the history screen: a receipt code opens its sale; nothing else means anything here.
pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    let Screen::History(history) = &app.screen else {
        return Vec::new();
    };
    // Not while the manager types the PIN or a refund runs: the sale on screen must stay put.
    if !matches!(history.mode, HistoryMode::List | HistoryMode::Detail) {
        return Vec::new();
    }
    let code = code.trim();
    if classify(code, &app.customer_codes) != ScanKind::Receipt {
        app.notify(NoticeMessage::NotAReceiptCode);
        return Vec::new();
    }
    vec![Command::FindReceipt {
        code: code.to_string(),
    }]
}

pub fn on_receipt_found(app: &mut App, found: Result<i64, ReceiptLookupError>) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    match found {
        Ok(sale_id) => {
            history.opened = Some(sale_id);
            history.show_opened = true;
            history.mode = HistoryMode::List;
            vec![history.reload()]
        }
        Err(why) => {
            // Scanned on the sale screen: back there, rather than a list the clerk did not ask for.
            if history.sales.is_none() {
                app.screen = Screen::Sale;
            }
            app.notify(NoticeMessage::ReceiptNotFound(why));
            Vec::new()
        }
    }
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let locked = pin_entry::locked(app);
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let count = history.sales.as_ref().map_or(0, Vec::len);
    let selected_is_paid = history.selected_sale().is_some_and(is_paid);
    let selected_is_held = history.selected_sale().and_then(held_amount).is_some();
    match (&mut history.mode, key) {
        // A found list goes back to the open day's sales first.
        (HistoryMode::List, Key::Esc) if history.filter.is_some() => {
            return history_find::clear(app);
        }
        (HistoryMode::List, Key::Esc) => app.screen = Screen::Sale,
        (HistoryMode::List, Key::Char('/')) => return history_find::start(app),
        (HistoryMode::Find { .. }, _) => return history_find::on_key(app, key),
        (HistoryMode::List, Key::Up) => history.selected = history.selected.saturating_sub(1),
        (HistoryMode::List, Key::Down) => {
            history.selected = (history.selected + 1).min(count.saturating_sub(1));
        }
        (HistoryMode::List, Key::Enter) if count > 0 => history.mode = HistoryMode::Detail,
        (HistoryMode::List, Key::F(5)) => return vec![history.reload()],
        // `r` is the refund in the whole history: on the list, of the sale under the cursor.
        (HistoryMode::List, Key::Char('r' | 'R')) if count > 0 => {
            history.mode = HistoryMode::Detail;
            return on_key(app, key);
        }
        (HistoryMode::Detail, Key::Esc) => history.mode = HistoryMode::List,
        (HistoryMode::Detail, Key::F(7) | Key::Char('r') | Key::Char('R')) if selected_is_paid => {
            history.returning = None;
            // `r` on goods of several lines, or several of one, asks which of them come back;
            // F7 stays the refund of the sale (all that is left, or an amount).
            if let Some(sale) = history
                .selected_sale()
                .filter(|s| key != Key::F(7) && return_pick::offers_lines(s))
            {
                history.mode = HistoryMode::Return(return_pick::ReturnPick::start(sale));
                return Vec::new();
            }
            return ask_refund(app);
        }
        (HistoryMode::Return(_), _) => return return_pick::on_key(app, key),
        (HistoryMode::Detail, Key::F(6) | Key::Char('c') | Key::Char('C')) if selected_is_held => {
            history.guarded = PinPurpose::Capture;
            history.amount = None;
            history.mode = HistoryMode::Amount(String::new());
        }
        (HistoryMode::Amount(_), _) => return amount_entry::on_key(app, key),
        (HistoryMode::Detail, Key::F(8) | Key::Char('p') | Key::Char('P')) => {
            if let Some(sale) = history.selected_sale().filter(|s| is_reprintable(s)) {
                return vec![Command::Print {
                    sale_id: sale.sale.id,
                    slip: SlipRequest::Reprint,
                }];
            }
        }
        (HistoryMode::Detail, Key::Char('s' | 'S')) => {
            if let Some(sale) = history.selected_sale().filter(|s| has_refund_slips(s)) {
                return vec![Command::Print {
                    sale_id: sale.sale.id,
                    slip: SlipRequest::RefundReprint,
                }];
            }
        }
        (HistoryMode::Pin(_), Key::Esc) => history.mode = HistoryMode::Detail,
        (HistoryMode::Pin(_), Key::Enter) if !locked => return check_pin(app),
        (HistoryMode::Pin(pin), key) => {
            pin_entry::edit(pin, key, locked);
        }
        _ => {}
    }
    Vec::new()
}

/// A refund of the sale on screen by amount: asks how much where a part can be given back,
/// else goes on to the manager PIN for all that is left.
pub(crate) fn ask_refund(app: &mut App) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    history.guarded = PinPurpose::Refund;
    history.amount = None;
    history.returning = None;
    // A part can be given back when some paid tender can give one: cash always, an
    // electronic payment where its provider refunds by amount.
    let in_part = history.selected_sale().is_some_and(|sale| {
        sale.attempts.iter().any(|a| {
            matches!(a.state, crate::domain::AttemptState::Paid { .. })
                && (a.method == crate::domain::PaymentMethod::Cash
                    || app.partial_refunds.contains(&a.provider))
        })
    }) || history
        .selected_sale()
        .and_then(|s| s.sale.provider.as_ref())
        .is_some_and(|p| app.partial_refunds.contains(p));
    history.mode = if in_part {
        HistoryMode::Amount(String::new())
    } else {
        HistoryMode::Pin(String::new())
    };
    Vec::new()
}

/// Enter on the PIN prompt: without a configured PIN it confirms the refund; with one, the
/// runtime checks the typed PIN and answers with `Msg::PinChecked`.
fn check_pin(app: &mut App) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    let HistoryMode::Pin(typed) = &mut history.mode else {
        return Vec::new();
    };
    if !app.pin_required {
        return go_on(app);
    }
    let mut typed = std::mem::take(typed);
    let purpose = history.guarded;
    let attempt = app.new_attempt();
    if let Screen::History(history) = &mut app.screen {
        history.mode = HistoryMode::CheckingPin(attempt);
    }
    vec![pin_entry::verify(&mut typed, attempt, purpose)]
}

/// The runtime's answer to a PIN check. Every answer counts toward the lockout, also one for a
/// prompt the clerk has left; only the current one goes on to the refund.
pub fn on_pin_checked(
    app: &mut App,
    attempt: AttemptId,
    correct: bool,
    at: DateTime<Utc>,
) -> Vec<Command> {
    pin_entry::count(app, correct, at);
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    if history.mode != HistoryMode::CheckingPin(attempt) {
        return Vec::new();
    }
    if correct {
        // Back to the detail should the sale no longer qualify; the action moves on from here.
        history.mode = HistoryMode::Detail;
        return go_on(app);
    }
    history.mode = HistoryMode::Pin(String::new());
    app.notify(NoticeMessage::WrongPin);
    Vec::new()
}

/// What the PIN guarded, once it (if any) was right.
fn go_on(app: &mut App) -> Vec<Command> {
    match &app.screen {
        Screen::History(history) if history.guarded == PinPurpose::Capture => capture::start(app),
        _ => start_refund(app),
    }
}

/// Refunds the sale on screen once the PIN (if any) was right.
fn start_refund(app: &mut App) -> Vec<Command> {
    let Screen::History(history) = &app.screen else {
        return Vec::new();
    };
    let Some(sale_id) = history
        .selected_sale()
        .filter(|s| is_paid(s))
        .map(|s| s.sale.id)
    else {
        return Vec::new();
    };
    let amount = history.amount;
    let returning = history.returning.clone();
    let attempt = app.new_attempt();
    if let Screen::History(history) = &mut app.screen {
        history.mode = HistoryMode::Refunding(attempt);
    }
    app.notify(NoticeMessage::Refunding);
    match returning {
        Some(lines) => vec![Command::ReturnLines {
            attempt,
            sale_id,
            lines,
        }],
        None => vec![Command::Refund {
            attempt,
            sale_id,
            amount,
        }],
    }
}

pub use super::history_state::{
    HistoryMode, HistoryScreen, has_refund_slips, held_amount, is_paid, is_reprintable,
};
pub use capture::on_capture;

pub fn on_refund(app: &mut App, attempt: AttemptId, result: RefundDone) -> Vec<Command> {
    let Screen::History(history) = &mut app.screen else {
        return Vec::new();
    };
    if history.mode != HistoryMode::Refunding(attempt) {
        return Vec::new();
    }
    history.mode = HistoryMode::Detail;
    let returning = history.returning.take();
    let cash_back = history.selected_sale().is_some_and(|s| match &returning {
        // The plan the clerk was shown, of the sale as it was before the return.
        Some(lines) => return_pick::preview(s, lines, &app.partial_refunds)
            .and_then(Result::ok)
            .and_then(|p| p.tenders)
            .is_some_and(|t| return_pick::gives_cash(&t)),
        None => cash_given_back(s, history.amount),
    });
    history.amount = None;
    let sale_id = history.selected_sale().map(|s| s.sale.id);
    let load = history.load();
    match result {
        RefundDone::Refunded { .. } => {
            app.notify(NoticeMessage::Refunded);
            let mut commands = vec![load];
            if cash_back {
                commands.push(Command::OpenDrawer);
            }
            commands.extend(sale_id.map(|sale_id| Command::Print {
                sale_id,
                slip: SlipRequest::Refund,
            }));
            commands
        }
        RefundDone::Refused(refusal) => {
            app.notify(NoticeMessage::RefundRefused(refusal));
            Vec::new()
        }
        RefundDone::Unknown => {
            app.notify(NoticeMessage::RefundUnknown);
            vec![load]
        }
    }
}

/// Whether a refund of `amount` (`None`: all that is left) gives cash back from the drawer: the
/// engine refunds the latest tender first, so cash comes back when it is the latest paid tender,
/// or when all that is left is refunded and some tender was cash, or some part of a payment
/// refunded only whole already went back in cash (its rest goes back in cash too).
fn cash_given_back(sale: &SaleDetail, amount: Option<crate::domain::Yen>) -> bool {
    let paid: Vec<_> = super::split::paid_tenders(sale);
    let latest_is_cash = paid.last().is_some_and(|t| t.cash.is_some());
    let whole_only_gave_cash = sale
        .refunds
        .iter()
        .any(|r| r.cash_back && r.state == crate::records::RefundState::Done);
    latest_is_cash
        || (amount.is_none() && paid.iter().any(|t| t.cash.is_some()))
        || whole_only_gave_cash
}

pub fn on_loaded(app: &mut App, sales: Result<Vec<SaleDetail>, String>) -> Vec<Command> {
    let sales = match sales {
        Ok(sales) => sales,
        Err(reason) => {
            // Back to the sale screen rather than an empty list that looks like "no sales".
            if matches!(&app.screen, Screen::History(h) if h.sales.is_none()) {
                app.screen = Screen::Sale;
            }
            app.notify(NoticeMessage::TaskFailed(reason));
            return Vec::new();
        }
    };
    let mut none_found = false;
    if let Screen::History(history) = &mut app.screen {
        history.selected = history.selected.min(sales.len().saturating_sub(1));
        // A find just made: the one sale found opens, none found is said.
        if std::mem::take(&mut history.open_found) {
            match sales.len() {
                0 => none_found = true,
                1 => history.mode = HistoryMode::Detail,
                _ => {}
            }
        }
        if history.show_opened {
            if let Some(index) = sales.iter().position(|s| Some(s.sale.id) == history.opened) {
                history.selected = index;
                history.mode = HistoryMode::Detail;
            }
            history.show_opened = false;
        }
        history.sales = Some(sales);
    }
    if none_found {
        app.notify(NoticeMessage::NoSaleFound);
    }
    Vec::new()
}

#[cfg(test)]
mod debug_tests {
    use super::HistoryMode;

    #[test]
    fn debug_of_the_pin_prompt_shows_only_how_many_digits_were_typed() {
        let shown = format!("{:?}", HistoryMode::Pin("2580".into()));
        assert!(!shown.contains("2580"), "{shown}");
        assert!(shown.contains("4 digits"), "{shown}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;
    use crate::app::{Msg, update};
    use crate::domain::{PaymentMethod, Yen};
    use crate::payment::Refusal;
    use crate::records::SaleState;

    fn in_detail() -> App {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![
                sale(7, SaleState::Paid),
                sale(8, SaleState::Failed),
            ])),
        );
        press(&mut app, &[Key::Enter]);
        app
    }

    fn mode(app: &App) -> HistoryMode {
        match &app.screen {
            Screen::History(h) => h.mode.clone(),
            other => panic!("not history: {other:?}"),
        }
    }

    fn refund_command(app: &mut App) -> AttemptId {
        let commands = try_pin(app, "", t0());
        let [
            Command::Refund {
                attempt,
                sale_id,
                amount: None,
            },
        ] = commands.as_slice()
        else {
            panic!("expected a refund, got {commands:?}")
        };
        assert_eq!(*sale_id, 7);
        *attempt
    }

    /// Types `pin` and presses Enter; when that asks for a check, answers it as the runtime would
    /// for the PIN 1234, with the try journaled at `at`.
    fn try_pin(app: &mut App, pin: &str, at: DateTime<Utc>) -> Vec<Command> {
        type_text(app, pin);
        let commands = press(app, &[Key::Enter]);
        let [
            Command::VerifyPin {
                attempt,
                entered,
                purpose,
            },
        ] = commands.as_slice()
        else {
            return commands;
        };
        assert_eq!(*purpose, PinPurpose::Refund);
        assert_eq!(mode(app), HistoryMode::CheckingPin(*attempt));
        let msg = Msg::PinChecked {
            attempt: *attempt,
            correct: entered.expose() == "1234",
            at,
        };
        update(app, msg)
    }

    fn tick(app: &mut App, at: DateTime<Utc>) {
        update(app, Msg::Tick(at));
    }

    fn secs(n: i64) -> chrono::TimeDelta {
        chrono::TimeDelta::seconds(n)
    }

    /// The detail of paid sale 7 with the PIN prompt open.
    fn at_pin_prompt() -> App {
        let mut app = in_detail();
        press(&mut app, &[Key::F(7)]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        app
    }

    #[test]
    fn a_provider_that_refunds_in_part_is_asked_how_much_and_no_more_than_is_left() {
        let mut app = app();
        app.partial_refunds = vec!["provider-a".into()];
        press(&mut app, &[Key::F(4)]);
        let mut paid = sale(7, SaleState::Paid);
        paid.sale.provider = Some("provider-a".into());
        paid.sale.refunded = Yen(200);
        update(&mut app, Msg::HistoryLoaded(Ok(vec![paid])));
        press(&mut app, &[Key::Enter, Key::Char('r')]);
        assert_eq!(mode(&app), HistoryMode::Amount(String::new()));
        // ¥1,200 paid, ¥200 refunded before: ¥1,000 is left.
        type_text(&mut app, "1001");
        press(&mut app, &[Key::Enter]);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::RefundOutOfRange { left: Yen(1_000) })
        );
        press(&mut app, &[Key::Backspace]);
        press(&mut app, &[Key::Enter]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        let commands = try_pin(&mut app, "1234", t0());
        assert!(
            matches!(
                commands.as_slice(),
                [Command::Refund {
                    sale_id: 7,
                    amount: Some(Yen(100)),
                    ..
                }]
            ),
            "{commands:?}"
        );
    }

    #[test]
    fn refund_needs_the_right_pin_and_shows_a_refusal() {
        let mut app = in_detail();
        press(&mut app, &[Key::Char('r')]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        assert!(try_pin(&mut app, "9999", t0()).is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::WrongPin)
        );
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        type_text(&mut app, "1234");
        let attempt = refund_command(&mut app);
        let refusal = Refusal {
            reason: crate::domain::FailReason::AlreadyRefunded,
            error_type: "already_refunded".into(),
            message_ja: String::new(),
            message_en: String::new(),
        };
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt,
                result: RefundDone::Refused(refusal),
            },
        );
        assert!(commands.is_empty());
        assert!(matches!(
            app.notice.as_ref().map(|n| &n.message),
            Some(NoticeMessage::RefundRefused(r)) if r.reason == crate::domain::FailReason::AlreadyRefunded
        ));
        assert_eq!(mode(&app), HistoryMode::Detail);
    }

    #[test]
    fn the_typed_pin_goes_to_the_runtime_masked_and_keys_wait_for_its_answer() {
        let mut app = at_pin_prompt();
        type_text(&mut app, "9876");
        let commands = press(&mut app, &[Key::Enter]);
        let [
            Command::VerifyPin {
                attempt, entered, ..
            },
        ] = commands.as_slice()
        else {
            panic!("expected a PIN check, got {commands:?}")
        };
        assert_eq!(entered.expose(), "9876");
        assert!(!format!("{commands:?}").contains("9876"));
        assert!(press(&mut app, &[Key::Enter, Key::Esc, Key::Char('1')]).is_empty());
        assert_eq!(mode(&app), HistoryMode::CheckingPin(*attempt));
    }

    #[test]
    fn five_wrong_pins_lock_the_prompt_and_enter_is_ignored_until_the_wait_is_over() {
        let mut app = at_pin_prompt();
        for _ in 0..5 {
            assert!(try_pin(&mut app, "0000", t0()).is_empty());
        }
        assert_eq!(app.pin_lockout.failures(), 5);
        assert_eq!(app.pin_lockout.remaining(app.now), Some(secs(30)));
        // Even the right PIN is not checked while locked: nothing reaches the runtime.
        type_text(&mut app, "1234");
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        tick(&mut app, t0() + secs(29));
        assert!(press(&mut app, &[Key::Enter]).is_empty());
        // Esc still leaves the prompt.
        press(&mut app, &[Key::Esc]);
        assert_eq!(mode(&app), HistoryMode::Detail);
        tick(&mut app, t0() + secs(30));
        press(&mut app, &[Key::F(7)]);
        type_text(&mut app, "1234");
        refund_command(&mut app);
    }

    #[test]
    fn each_further_wrong_pin_doubles_the_wait() {
        let mut app = at_pin_prompt();
        for _ in 0..5 {
            try_pin(&mut app, "0000", t0());
        }
        let after_first_wait = t0() + secs(30);
        tick(&mut app, after_first_wait);
        try_pin(&mut app, "0000", after_first_wait);
        assert_eq!(app.pin_lockout.remaining(app.now), Some(secs(60)));
        tick(&mut app, after_first_wait + secs(59));
        assert!(try_pin(&mut app, "1234", after_first_wait + secs(59)).is_empty());
        assert_eq!(app.pin_lockout.failures(), 6, "a refused Enter is no try");
        let after_second_wait = after_first_wait + secs(60);
        tick(&mut app, after_second_wait);
        try_pin(&mut app, "0000", after_second_wait);
        assert_eq!(app.pin_lockout.remaining(app.now), Some(secs(120)));
    }

    #[test]
    fn the_right_pin_resets_the_count() {
        let mut app = at_pin_prompt();
        for _ in 0..4 {
            try_pin(&mut app, "0000", t0());
        }
        assert_eq!(app.pin_lockout.failures(), 4);
        type_text(&mut app, "1234");
        refund_command(&mut app);
        assert_eq!(app.pin_lockout.failures(), 0);
        assert_eq!(app.pin_lockout.remaining(app.now), None);
    }

    #[test]
    fn the_wait_runs_from_the_time_in_the_answer_not_the_screen_clock() {
        let mut app = at_pin_prompt();
        // The tries were journaled later than the last tick the app saw.
        let journaled = t0() + secs(100);
        for _ in 0..5 {
            try_pin(&mut app, "0000", journaled);
        }
        assert_eq!(app.now, t0());
        tick(&mut app, journaled + secs(29));
        assert!(try_pin(&mut app, "1234", journaled + secs(29)).is_empty());
        tick(&mut app, journaled + secs(30));
        assert!(!try_pin(&mut app, "1234", journaled + secs(30)).is_empty());
    }

    #[test]
    fn a_lock_rebuilt_from_the_journal_holds_after_a_restart() {
        let mut app = App::new(
            crate::app::AppOptions {
                pin_required: true,
                pin_lockout: crate::records::PinFailures {
                    consecutive: 7,
                    last_at: Some(t0() - secs(60)),
                }
                .into(),
                ..Default::default()
            },
            t0(),
        );
        press(&mut app, &[Key::F(4)]);
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(7, SaleState::Paid)])),
        );
        press(&mut app, &[Key::Enter, Key::F(7)]);
        // Seven wrong PINs: two minutes from the last one, so one minute left.
        assert_eq!(app.pin_lockout.remaining(app.now), Some(secs(60)));
        assert!(try_pin(&mut app, "1234", t0()).is_empty());
    }

    #[test]
    fn a_right_pin_for_a_sale_refunded_meanwhile_returns_to_its_detail() {
        let mut app = at_pin_prompt();
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::VerifyPin { attempt, .. }] = commands.as_slice() else {
            panic!("expected a PIN check, got {commands:?}")
        };
        let attempt = *attempt;
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(7, SaleState::Refunded)])),
        );
        let msg = Msg::PinChecked {
            attempt,
            correct: true,
            at: t0(),
        };
        assert!(update(&mut app, msg).is_empty());
        assert_eq!(mode(&app), HistoryMode::Detail);
    }

    #[test]
    fn a_late_answer_counts_but_refunds_nothing() {
        let mut app = at_pin_prompt();
        type_text(&mut app, "1234");
        let commands = press(&mut app, &[Key::Enter]);
        let [Command::VerifyPin { attempt, .. }] = commands.as_slice() else {
            panic!("expected a PIN check, got {commands:?}")
        };
        let stale = AttemptId(attempt.0 + 100);
        let msg = Msg::PinChecked {
            attempt: stale,
            correct: false,
            at: t0(),
        };
        assert!(update(&mut app, msg).is_empty());
        assert_eq!(app.pin_lockout.failures(), 1);
        assert_eq!(mode(&app), HistoryMode::CheckingPin(*attempt));
    }

    #[test]
    fn successful_refund_reloads_and_stale_results_are_ignored() {
        let mut app = in_detail();
        press(&mut app, &[Key::F(7)]);
        type_text(&mut app, "1234");
        let attempt = refund_command(&mut app);
        let stale = update(
            &mut app,
            Msg::Refund {
                attempt: AttemptId(attempt.0 + 100),
                result: RefundDone::Unknown,
            },
        );
        assert!(stale.is_empty());
        assert_eq!(mode(&app), HistoryMode::Refunding(attempt));
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt,
                result: RefundDone::Refunded {
                    refund_transaction_id: "r-1".into(),
                },
            },
        );
        assert_eq!(
            commands,
            vec![
                Command::LoadHistory { also: None },
                Command::Print {
                    sale_id: 7,
                    slip: SlipRequest::Refund
                }
            ]
        );
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::Refunded)
        );
    }

    #[test]
    fn refunding_a_sale_paid_partly_in_cash_opens_the_drawer_for_the_cash_given_back() {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        let mut split = sale(7, SaleState::Paid);
        for (id, method, yen, cash) in [
            (1, PaymentMethod::Cash, 1_000, true),
            (2, PaymentMethod::MerchantQr, 200, false),
        ] {
            split.attempts.push(crate::records::AttemptRecord {
                id,
                sale_id: 7,
                provider: if cash { "cash" } else { "wallet" }.into(),
                method,
                request_id: String::new(),
                money_name: None,
                amount: Yen(-yen),
                provider_ref: None,
                presented_code: None,
                state: crate::domain::AttemptState::Paid {
                    transaction_id: format!("tx-{id}"),
                },
                customer_name: None,
                created_at: String::new(),
                updated_at: String::new(),
                hold: false,
                capture_amount: None,
                cash: cash.then_some(crate::records::CashTendered {
                    received: Yen(yen),
                    change: Yen::ZERO,
                }),
            });
        }
        update(&mut app, Msg::HistoryLoaded(Ok(vec![split])));
        press(&mut app, &[Key::Enter, Key::F(7)]);
        // Cash can give back a part: the amount is asked first (nothing typed: all of it).
        assert_eq!(mode(&app), HistoryMode::Amount(String::new()));
        press(&mut app, &[Key::Enter]);
        type_text(&mut app, "1234");
        let attempt = refund_command(&mut app);
        let commands = update(
            &mut app,
            Msg::Refund {
                attempt,
                result: RefundDone::Refunded {
                    refund_transaction_id: String::new(),
                },
            },
        );
        assert!(commands.contains(&Command::OpenDrawer), "{commands:?}");
    }

    #[test]
    fn r_on_the_list_is_the_refund_of_the_sale_under_the_cursor_and_f5_reloads() {
        let mut app = in_detail();
        press(&mut app, &[Key::Esc]);
        assert_eq!(mode(&app), HistoryMode::List);
        press(&mut app, &[Key::Char('r')]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        press(&mut app, &[Key::Esc, Key::Esc]);
        assert_eq!(mode(&app), HistoryMode::List);
        let reload = press(&mut app, &[Key::F(5)]);
        assert_eq!(reload.len(), 1, "{reload:?}");
    }

    #[test]
    fn failed_sales_cannot_be_refunded_or_reprinted() {
        let mut app = in_detail();
        press(&mut app, &[Key::Esc, Key::Down, Key::Enter]);
        assert!(press(&mut app, &[Key::Char('r'), Key::Char('p')]).is_empty());
        assert_eq!(mode(&app), HistoryMode::Detail);
    }

    #[test]
    fn a_refunded_sale_reprints_its_receipt_and_its_refund_slips() {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        let mut refunded = sale(7, SaleState::Refunded);
        refunded.sale.transaction_id = Some("tx-7".into());
        refunded.refunds.push(crate::records::RefundRecord {
            id: 1,
            sale_id: 7,
            attempt_id: 1,
            transaction_id: "tx-7".into(),
            request_id: "q".into(),
            amount: Yen(1_200),
            reason: String::new(),
            state: crate::records::RefundState::Done,
            error_type: None,
            error_message: None,
            refund_transaction_id: Some("r-1".into()),
            created_at: String::new(),
            updated_at: String::new(),
            cash_back: false,
            return_id: None,
        });
        update(&mut app, Msg::HistoryLoaded(Ok(vec![refunded])));
        press(&mut app, &[Key::Enter]);
        assert_eq!(
            press(&mut app, &[Key::Char('p')]),
            vec![Command::Print {
                sale_id: 7,
                slip: SlipRequest::Reprint
            }]
        );
        assert_eq!(
            press(&mut app, &[Key::Char('s')]),
            vec![Command::Print {
                sale_id: 7,
                slip: SlipRequest::RefundReprint
            }]
        );
        // Nothing is left to refund.
        assert!(press(&mut app, &[Key::Char('r')]).is_empty());
        assert_eq!(mode(&app), HistoryMode::Detail);
    }

    #[test]
    fn reprint_and_refund_without_a_configured_pin() {
        let mut app = in_detail();
        assert_eq!(
            press(&mut app, &[Key::F(8)]),
            vec![Command::Print {
                sale_id: 7,
                slip: SlipRequest::Reprint
            }]
        );
        app.pin_required = false;
        press(&mut app, &[Key::F(7)]);
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
        refund_command(&mut app);
    }

    #[test]
    fn an_unreadable_journal_is_reported_not_shown_as_empty() {
        let mut app = app();
        press(&mut app, &[Key::F(4)]);
        update(&mut app, Msg::HistoryLoaded(Err("disk I/O error".into())));
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::TaskFailed("disk I/O error".into()))
        );
    }

    #[test]
    fn esc_backs_out_of_each_level() {
        let mut app = in_detail();
        press(&mut app, &[Key::F(7)]);
        press(&mut app, &[Key::Esc]);
        assert_eq!(mode(&app), HistoryMode::Detail);
        press(&mut app, &[Key::Esc, Key::Esc]);
        assert_eq!(app.screen, Screen::Sale);
    }

    fn scan(app: &mut App, code: &str) -> Vec<Command> {
        update(app, Msg::Scan(code.into()))
    }

    fn find(code: &str) -> Vec<Command> {
        vec![Command::FindReceipt { code: code.into() }]
    }

    #[test]
    fn a_receipt_scanned_at_the_sale_screen_opens_its_sale() {
        let mut app = app();
        type_text(&mut app, "300");
        assert_eq!(scan(&mut app, " RGI-01-8 "), find("RGI-01-8"));
        assert!(matches!(&app.screen, Screen::History(h) if h.sales.is_none()));
        let commands = update(&mut app, Msg::ReceiptFound(Ok(8)));
        assert_eq!(commands, vec![Command::LoadHistory { also: Some(8) }]);
        let sales = vec![sale(9, SaleState::Paid), sale(8, SaleState::Paid)];
        update(&mut app, Msg::HistoryLoaded(Ok(sales)));
        assert_eq!(mode(&app), HistoryMode::Detail);
        let Screen::History(history) = &app.screen else {
            unreachable!()
        };
        assert_eq!(history.selected_sale().map(|s| s.sale.id), Some(8));
        // Refreshing keeps the opened sale in the list, and so does the reload after a refund.
        press(&mut app, &[Key::Esc]);
        assert_eq!(
            press(&mut app, &[Key::F(5)]),
            vec![Command::LoadHistory { also: Some(8) }]
        );
        update(
            &mut app,
            Msg::HistoryLoaded(Ok(vec![sale(9, SaleState::Paid), sale(8, SaleState::Paid)])),
        );
        assert_eq!(mode(&app), HistoryMode::List, "a refresh opens no detail");
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.input, "300", "the sale in progress is kept");
    }

    #[test]
    fn a_receipt_that_opens_nothing_says_why_where_it_was_scanned() {
        let mut app = app();
        scan(&mut app, "RGI-02-8");
        let other = ReceiptLookupError::OtherTerminal {
            terminal: "02".into(),
        };
        assert!(update(&mut app, Msg::ReceiptFound(Err(other.clone()))).is_empty());
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::ReceiptNotFound(other))
        );

        let mut app = in_detail();
        assert_eq!(scan(&mut app, "RGI-01-99"), find("RGI-01-99"));
        let unknown = ReceiptLookupError::Unknown { receipt_no: 99 };
        update(&mut app, Msg::ReceiptFound(Err(unknown)));
        assert_eq!(mode(&app), HistoryMode::Detail, "the sale on screen stays");
    }

    #[test]
    fn other_scans_in_the_history_are_refused_and_none_during_a_refund() {
        let mut app = in_detail();
        assert!(scan(&mut app, "4901234567894").is_empty());
        assert_eq!(
            app.notice.as_ref().map(|n| &n.message),
            Some(&NoticeMessage::NotAReceiptCode)
        );
        press(&mut app, &[Key::F(7)]);
        assert!(scan(&mut app, "RGI-01-8").is_empty());
        assert_eq!(mode(&app), HistoryMode::Pin(String::new()));
    }
}
