//! The app's state and its pure `update`: a message in, the new state and a list of effects out.
//! No I/O, no clock, no randomness here — time arrives in `Msg::Tick`, results in other messages.

pub mod command;
pub mod customer_view;
pub mod keymap;
pub mod msg;
pub mod notice;
pub mod pin_lockout;
pub mod quitting;
pub mod records;
pub mod screens;
pub mod store_catalog;
pub mod tenders;
#[cfg(test)]
pub(crate) mod test_support;

use chrono::{DateTime, Utc};

use crate::domain::{Cart, Catalog, SaleDraft, SaleKind, SaleSettings};
use crate::lang::Lang;
use crate::scan::CustomerCodeFormat;

pub use command::{Command, PinPurpose, SlipRequest};
pub use keymap::Key;
pub use msg::{AttemptId, CashTaken, Msg, PaymentEvent};
pub use notice::{Notice, NoticeMessage};
pub use pin_lockout::PinLockout;
pub use records::{CatalogFile, Check, ReceiptLookupError, Startup, StatusReport};
pub use screens::{ReceiptPreview, Screen, Split};
pub use tenders::TenderOption;

/// Digits the amount input accepts: ¥99,999,999 at most.
pub const MAX_INPUT_DIGITS: usize = 8;

/// Which checkout a payment belongs to: every attempt (new QR, rescan) for the same checkout pays
/// the same journaled sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckoutId(pub u64);

/// What the clerk is about to take payment for, frozen when Enter was pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub id: CheckoutId,
    pub draft: SaleDraft,
}

/// How the app starts: fixed for the life of the process.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    pub lang: Lang,
    pub training: bool,
    pub catalog: Catalog,
    /// Amount limit and tax policy for the cart.
    pub sale: SaleSettings,
    /// A manager PIN is configured and asked before a refund; without one a refund only needs
    /// confirming. The runtime checks the PIN: the app never sees it.
    pub pin_required: bool,
    /// Wrong PINs since the last right one, as the journal recorded them.
    pub pin_lockout: PinLockout,
    pub startup: Startup,
    /// The shapes of the customer codes the enabled providers charge, first match wins.
    pub customer_codes: Vec<CustomerCodeFormat>,
    /// The ways to pay the payment screen offers, in order; empty: the first provider's QR and
    /// a customer code.
    pub tenders: Vec<TenderOption>,
    /// The providers that refund part of a payment (the history then asks how much).
    pub partial_refunds: Vec<String>,
    /// The providers that keep customers' tabs (the tabs screen and the payment screen's F8).
    pub tab_providers: Vec<String>,
    /// Staff are configured: the till opens on the sign-in screen (担当者).
    pub staff_sign_in: bool,
}

#[derive(Debug, Clone)]
pub struct App {
    pub lang: Lang,
    pub training: bool,
    pub now: DateTime<Utc>,
    pub screen: Screen,
    pub cart: Cart,
    /// Digits typed on the sale screen, not yet committed.
    pub input: String,
    /// `/` was pressed on the sale screen: the next digit is a department key.
    pub department_key: bool,
    /// A subtotal discount typed on the sale screen, waiting for its reason.
    pub discount_entry: Option<screens::sale::DiscountEntry>,
    /// A receipt code being typed by hand on the sale screen (`RGI-…`, from a faded receipt).
    pub receipt_entry: Option<String>,
    /// Voiding the whole cart: its reason being typed (F7 on the sale screen).
    pub void_entry: Option<screens::voiding::VoidEntry>,
    /// A line's price override waiting for the manager PIN.
    pub override_entry: Option<screens::price_override::OverrideEntry>,
    /// The cart is being parked (保留): it clears once the journal has it.
    pub parking: bool,
    /// Carts parked and not yet recalled (shown on the sale screen's F9 hint).
    pub parked_count: usize,
    /// What the X report's sales-by-hour bars measure (Tab switches): receipts or yen.
    pub hour_measure: crate::records::HourMeasure,
    /// The member of staff signed in (担当者); `None` where nobody signs in, or before.
    pub on_duty: Option<crate::records::StaffOnDuty>,
    /// An unknown JAN scanned on the sale screen, being priced under a department.
    pub unknown_jan: Option<screens::price_it::UnknownJanEntry>,
    /// Payment, or top-up (チャージ) when the clerk switched the sale screen to it.
    pub mode: SaleKind,
    /// Highlighted cart line, for quantity and delete.
    pub selected: Option<usize>,
    pub checkout: Option<Checkout>,
    pub catalog: Catalog,
    pub sale: SaleSettings,
    pub notice: Option<Notice>,
    pub startup: Startup,
    pub status: Option<StatusReport>,
    /// Training: the last slip that would have been printed, shown instead of paper.
    pub preview: Option<ReceiptPreview>,
    /// A manager PIN is asked before a refund; without one a refund only needs confirming.
    pub pin_required: bool,
    pub pin_lockout: PinLockout,
    pub quitting: bool,
    /// Where a Ctrl-C with something on the till stands.
    pub quit: quitting::QuitState,
    /// The shapes of the customer codes the enabled providers charge, first match wins.
    pub customer_codes: Vec<CustomerCodeFormat>,
    /// The ways to pay the payment screen offers, in order; empty: the first provider's QR and
    /// a customer code.
    pub tenders: Vec<TenderOption>,
    /// The providers that refund part of a payment (the history then asks how much).
    pub partial_refunds: Vec<String>,
    /// The providers that keep customers' tabs (the tabs screen and the payment screen's F8).
    pub tab_providers: Vec<String>,
    /// The highlighted way to pay on the payment screen; it stays on the last one chosen, so a
    /// new code after a failure is of the same kind.
    pub tender_cursor: usize,
    /// The tenders of the checkout paid so far, and leaving a checkout that has some.
    pub split: Split,
    next_attempt: u64,
    next_checkout: u64,
}

impl App {
    pub fn new(options: AppOptions, now: DateTime<Utc>) -> Self {
        let mut app = Self {
            lang: options.lang,
            training: options.training,
            now,
            screen: Screen::Sale,
            cart: Cart::new(options.sale.tax_policy(), options.sale.guard()),
            input: String::new(),
            department_key: false,
            discount_entry: None,
            receipt_entry: None,
            void_entry: None,
            override_entry: None,
            parking: false,
            parked_count: options.startup.parked,
            on_duty: None,
            hour_measure: crate::records::HourMeasure::Count,
            unknown_jan: None,
            mode: SaleKind::Payment,
            selected: None,
            checkout: None,
            catalog: options.catalog,
            sale: options.sale,
            notice: None,
            startup: options.startup,
            status: None,
            preview: None,
            pin_required: options.pin_required,
            pin_lockout: options.pin_lockout,
            quitting: false,
            quit: quitting::QuitState::default(),
            customer_codes: options.customer_codes,
            partial_refunds: options.partial_refunds,
            tab_providers: options.tab_providers,
            tenders: options.tenders,
            tender_cursor: 0,
            split: Split::default(),
            next_attempt: 1,
            next_checkout: 1,
        };
        // With staff configured, someone signs in before anything else; a sale an earlier run
        // left partly paid comes next (paid on, or its tenders given back).
        if options.staff_sign_in {
            screens::sign_in::open(&mut app);
        } else {
            app.resume_next_left_partly_paid();
        }
        app
    }

    pub fn new_attempt(&mut self) -> AttemptId {
        let id = AttemptId(self.next_attempt);
        self.next_attempt += 1;
        id
    }

    /// Freezes `draft` as the checkout being paid.
    pub fn begin_checkout(&mut self, draft: SaleDraft) {
        let id = CheckoutId(self.next_checkout);
        self.next_checkout += 1;
        self.checkout = Some(Checkout { id, draft });
        self.split = Split::default();
    }

    pub fn notify(&mut self, message: NoticeMessage) {
        self.notice = Some(Notice::new(message, self.now));
    }

    /// Forgets the finished sale and returns to an empty sale screen.
    pub fn start_new_sale(&mut self) {
        self.cart.clear();
        self.input.clear();
        self.mode = SaleKind::Payment;
        self.selected = None;
        self.checkout = None;
        self.tender_cursor = 0;
        self.split = Split::default();
        self.screen = Screen::Sale;
        self.resume_next_left_partly_paid();
    }

    /// Takes up the next sale an earlier run left partly paid, if one is still listed.
    fn resume_next_left_partly_paid(&mut self) {
        if self.startup.partly_paid.is_empty() {
            return;
        }
        let sale = self.startup.partly_paid.remove(0);
        screens::split::resume(self, &sale);
    }

    /// The attempt whose results the current screen is waiting for, if any.
    pub fn live_attempt(&self) -> Option<AttemptId> {
        match &self.screen {
            Screen::QrWait(wait) => Some(wait.attempt),
            Screen::ScanWait(wait) => wait.charging,
            Screen::Outcome(outcome) => outcome.checking_attempt(),
            _ => None,
        }
    }
}

/// The one entry point: applies `msg` to `app` and returns the effects to run.
pub fn update(app: &mut App, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Tick(now) => {
            app.now = now;
            if app.notice.as_ref().is_some_and(|n| n.expired(now)) {
                app.notice = None;
            }
            Vec::new()
        }
        Msg::Key(Key::Interrupt) => quitting::on_interrupt(app),
        Msg::Shutdown => {
            app.quitting = true;
            vec![Command::Quit]
        }
        Msg::Key(key) => {
            quitting::on_other_key(app);
            screens::on_key(app, key)
        }
        Msg::Scan(code) => screens::on_scan(app, code.into_string()),
        Msg::Resize { .. } => Vec::new(),
        Msg::Payment { attempt, event } => {
            if app.live_attempt() != Some(attempt) {
                // A late answer for an attempt the clerk already left; the engine journals it.
                return Vec::new();
            }
            let commands = screens::on_payment(app, attempt, event);
            quitting::after_payment(app, commands)
        }
        Msg::Refund { attempt, result } if screens::leaving::awaits(app, attempt) => {
            screens::leaving::on_refund(app, attempt, result)
        }
        Msg::Refund { attempt, result } => screens::history::on_refund(app, attempt, result),
        Msg::Capture { attempt, result } => screens::history::on_capture(app, attempt, result),
        Msg::PinChecked {
            attempt,
            correct,
            at,
        } if screens::leaving::awaits(app, attempt) => {
            screens::leaving::on_pin_checked(app, attempt, correct, at)
        }
        Msg::PinChecked {
            attempt,
            correct,
            at,
        } if screens::price_override::awaits(app, attempt) => {
            screens::price_override::on_pin_checked(app, attempt, correct, at)
        }
        Msg::PinChecked {
            attempt,
            correct,
            at,
        } => match app.screen {
            Screen::Tabs(_) => screens::tabs::on_pin_checked(app, attempt, correct, at),
            Screen::Drawer(_) => screens::drawer::on_pin_checked(app, attempt, correct, at),
            Screen::Reports(_) => screens::reports::on_pin_checked(app, attempt, correct, at),
            _ => screens::history::on_pin_checked(app, attempt, correct, at),
        },
        Msg::TabsLoaded(tabs) => screens::tabs::on_loaded(app, tabs),
        Msg::TabClosed { attempt, result } => screens::tabs::on_closed(app, attempt, result),
        Msg::TabPrinted(result) | Msg::ReportPrinted(result) => {
            match result {
                Ok(Some(text)) => screens::preview::open(app, &text),
                Ok(None) => {}
                Err(reason) => app.notify(NoticeMessage::PrinterUnavailable(reason)),
            }
            Vec::new()
        }
        Msg::TabCustomerFound { attempt, result } => {
            screens::tabs::opening::on_customer(app, attempt, result)
        }
        Msg::TabOpened { attempt, result } => {
            screens::tabs::opening::on_opened(app, attempt, result)
        }
        Msg::HistoryLoaded(sales) => screens::history::on_loaded(app, sales),
        Msg::ReceiptFound(found) => screens::history::on_receipt_found(app, found),
        Msg::ReportLoaded { kind, report } => screens::reports::on_loaded(app, kind, report),
        Msg::StatusChecked(report) => {
            app.status = Some(report);
            Vec::new()
        }
        Msg::Printed {
            sale_id,
            shown,
            result,
        } => {
            match result {
                Ok(Some(text)) => {
                    // A reprint asked for in training is answered by showing it.
                    if shown {
                        screens::preview::open(app, &text);
                    }
                    app.preview = Some(ReceiptPreview { sale_id, text });
                }
                Ok(None) if shown => app.notify(NoticeMessage::Reprinted),
                Ok(None) => {}
                Err(reason) => app.notify(NoticeMessage::PrinterUnavailable(reason)),
            }
            Vec::new()
        }
        Msg::TaskFailed(reason) => {
            // A refund of the paid tenders that could not run leaves them paid: ask again.
            if let Some(screens::Leaving::GivingBack(_)) = app.split.leaving {
                app.split.leaving = Some(screens::Leaving::Asking { quit: false });
            }
            app.notify(NoticeMessage::TaskFailed(reason));
            Vec::new()
        }
        Msg::SignedIn {
            attempt,
            result,
            at,
        } => {
            let commands = screens::sign_in::on_signed_in(app, attempt, result, at);
            if app.on_duty.is_some() && app.screen == Screen::Sale {
                app.resume_next_left_partly_paid();
            }
            commands
        }
        Msg::CartVoided(result) => screens::voiding::on_voided(app, result),
        Msg::CartParked(result) => screens::parked::on_parked(app, result),
        Msg::ParkedLoaded(result) => screens::parked::on_loaded(app, result),
        Msg::CartRecalled(result) => screens::parked::on_recalled(app, result),
        Msg::DrawerLoaded(cash) => screens::drawer::on_loaded(app, cash),
        Msg::DrawerMoved { attempt, result } => screens::drawer::on_moved(app, attempt, result),
        Msg::CashTaken { attempt, result } => screens::cash::on_taken(app, attempt, result),
        Msg::DrawerOpened(result) => {
            if let Err(reason) = result {
                app.notify(NoticeMessage::DrawerNotOpened(reason));
            }
            Vec::new()
        }
        Msg::CatalogSaved(result) => screens::price_it::on_saved(app, result),
        Msg::StoreCatalog { version, products } => {
            store_catalog::on_store_catalog(app, version, products)
        }
    }
}
