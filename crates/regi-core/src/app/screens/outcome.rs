//! The result of a payment: paid, failed (with what to do next), still being checked, or handed
//! to reconciliation because no answer could be had.

use crate::app::screens::split::{self, PaidTender};
use crate::app::screens::{Screen, cash, pay_method, preview, sale};
use crate::app::{App, AttemptId, Command, Key, NoticeMessage, PaymentEvent, SlipRequest};
use crate::domain::{FailReason as Why, Failure, PaymentMethod, SaleKind, Yen};
use crate::payment::PaidTransaction;

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub amount: Yen,
    pub kind_of_sale: SaleKind,
    pub method: PaymentMethod,
    pub kind: OutcomeKind,
    /// Every tender paid so far, in order (one for a sale paid one way).
    pub tenders: Vec<PaidTender>,
    /// The change handed back for cash.
    pub change: Yen,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeKind {
    Paid {
        sale_id: i64,
        transaction: PaidTransaction,
        /// The clerk pressed cancel, but the customer had paid first.
        before_cancel: bool,
    },
    /// The customer paid and the provider holds the money until the clerk captures it from the
    /// history (the receipt prints then).
    Held {
        sale_id: i64,
        transaction: PaidTransaction,
    },
    Failed(FailReason),
    /// Unknown outcome; never shown as a failure. The engine reports the answer when it has one.
    Checking {
        attempt: AttemptId,
        /// Checking started from a cancel: a late "paid" means the customer paid first.
        after_cancel: bool,
    },
    /// No answer in time; the journal keeps the attempt and reconciliation settles it.
    Unresolved,
    /// The customer may have paid, but the journal cannot record it yet: the clerk must not take
    /// the payment again and cannot leave this screen; the final answer arrives by itself once
    /// the journal takes it.
    Unrecorded {
        attempt: AttemptId,
        disk_full: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailReason {
    Refused(Failure),
    Expired,
    /// Could not start (network, configuration): nothing was charged.
    NotStarted(String),
    /// The journal cannot record the sale (a full disk): nothing was sent, nothing charged.
    JournalStopped {
        disk_full: bool,
    },
}

impl FailReason {
    /// The category the clerk's explanation is chosen by; `None` when nothing was sent.
    pub fn why(&self) -> Option<Why> {
        match self {
            FailReason::Refused(failure) => Some(failure.reason),
            FailReason::Expired => Some(Why::TrayExpired),
            FailReason::NotStarted(_) | FailReason::JournalStopped { .. } => None,
        }
    }
}

impl Outcome {
    pub fn checking_attempt(&self) -> Option<AttemptId> {
        match self.kind {
            OutcomeKind::Checking { attempt, .. } | OutcomeKind::Unrecorded { attempt, .. } => {
                Some(attempt)
            }
            _ => None,
        }
    }
}

fn show(app: &mut App, method: PaymentMethod, kind: OutcomeKind) {
    let (amount, kind_of_sale) = app
        .checkout
        .as_ref()
        .map_or((Yen::ZERO, SaleKind::Payment), |c| {
            (c.draft.total, c.draft.kind)
        });
    app.screen = Screen::Outcome(Outcome {
        amount,
        kind_of_sale,
        method,
        kind,
        tenders: app.split.paid.clone(),
        change: app.split.change(),
    });
}

/// A tender is paid: of all that remained (the sale is done), or of a part (the rest is paid
/// another way).
pub fn paid(
    app: &mut App,
    method: PaymentMethod,
    sale_id: i64,
    transaction: PaidTransaction,
    before_cancel: bool,
) -> Vec<Command> {
    if let Some(remaining) = split::remaining(app) {
        let amount = split::next_part(app).unwrap_or(remaining);
        let tender = PaidTender {
            method,
            amount,
            cash: None,
        };
        let left = split::record(app, sale_id, tender);
        if left.is_positive() {
            split::back_for_the_rest(app, amount, left);
            return Vec::new();
        }
    }
    settled(app, method, sale_id, transaction, before_cancel)
}

/// The sale is done: show it, forget the cart, print the receipt.
pub fn settled(
    app: &mut App,
    method: PaymentMethod,
    sale_id: i64,
    transaction: PaidTransaction,
    before_cancel: bool,
) -> Vec<Command> {
    let money_name = transaction.money_name.clone();
    app.preview = None;
    show(
        app,
        method,
        OutcomeKind::Paid {
            sale_id,
            transaction,
            before_cancel,
        },
    );
    app.cart.clear();
    app.input.clear();
    app.selected = None;
    vec![Command::Print {
        sale_id,
        slip: SlipRequest::Receipt { money_name },
    }]
}

/// The sale is paid and held for a later capture: show it and forget the cart. Nothing prints
/// yet: the receipt is for what is captured.
pub fn held(
    app: &mut App,
    method: PaymentMethod,
    sale_id: i64,
    transaction: PaidTransaction,
) -> Vec<Command> {
    app.preview = None;
    show(
        app,
        method,
        OutcomeKind::Held {
            sale_id,
            transaction,
        },
    );
    app.cart.clear();
    app.input.clear();
    app.selected = None;
    Vec::new()
}

pub fn failed(app: &mut App, method: PaymentMethod, reason: FailReason) {
    show(app, method, OutcomeKind::Failed(reason));
}

pub fn checking(app: &mut App, method: PaymentMethod, attempt: AttemptId, after_cancel: bool) {
    show(
        app,
        method,
        OutcomeKind::Checking {
            attempt,
            after_cancel,
        },
    );
}

pub fn unresolved(app: &mut App, method: PaymentMethod) {
    show(app, method, OutcomeKind::Unresolved);
}

pub fn unrecorded(app: &mut App, method: PaymentMethod, attempt: AttemptId, disk_full: bool) {
    show(app, method, OutcomeKind::Unrecorded { attempt, disk_full });
}

/// A product scanned on the result of a paid sale is the next customer's first item: the next
/// sale starts with it (before, it was lost).
pub fn on_scan(app: &mut App, code: &str) -> Vec<Command> {
    let Screen::Outcome(outcome) = &app.screen else {
        return Vec::new();
    };
    if !matches!(
        outcome.kind,
        OutcomeKind::Paid { .. } | OutcomeKind::Held { .. }
    ) {
        return Vec::new();
    }
    app.start_new_sale();
    if app.screen == Screen::Sale {
        sale::on_scan(app, code)
    } else {
        Vec::new()
    }
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    let Screen::Outcome(outcome) = &app.screen else {
        return Vec::new();
    };
    match (&outcome.kind, key) {
        (OutcomeKind::Paid { .. } | OutcomeKind::Held { .. }, Key::Enter | Key::Esc) => {
            app.start_new_sale();
            Vec::new()
        }
        // The next customer's first amount: it starts the next sale and lands in it.
        (OutcomeKind::Paid { .. } | OutcomeKind::Held { .. }, key) if key.digit().is_some() => {
            app.start_new_sale();
            if app.screen == Screen::Sale {
                sale::on_key(app, key)
            } else {
                Vec::new()
            }
        }
        (OutcomeKind::Paid { sale_id, .. }, Key::F(7)) => {
            let sale_id = *sale_id;
            preview::open_for_sale(app, sale_id);
            Vec::new()
        }
        (OutcomeKind::Failed(_), Key::Char('1') | Key::F(1)) => pay_method::start_qr(app),
        (OutcomeKind::Failed(_), Key::Char('2') | Key::F(2)) => {
            pay_method::start_scan(app);
            Vec::new()
        }
        (OutcomeKind::Failed(_), Key::Char('0') | Key::F(4))
            if outcome.kind_of_sale == SaleKind::Payment =>
        {
            cash::open(app)
        }
        // A wallet short of the total pays what it holds: the clerk types that part, then
        // chooses the way again; the rest is paid another way after it.
        (OutcomeKind::Failed(_), Key::Char('*') | Key::F(3))
            if outcome.kind_of_sale == SaleKind::Payment =>
        {
            app.screen = Screen::PayMethod;
            split::start_part(app);
            Vec::new()
        }
        (OutcomeKind::Failed(_), Key::Esc | Key::Enter) => {
            app.screen = Screen::PayMethod;
            Vec::new()
        }
        (OutcomeKind::Checking { .. }, Key::Esc) => {
            app.notify(NoticeMessage::StillChecking);
            Vec::new()
        }
        // Leaving would invite a second charge: the screen stays until the journal takes it.
        (OutcomeKind::Unrecorded { .. }, Key::Esc | Key::Enter) => {
            app.notify(NoticeMessage::StillChecking);
            Vec::new()
        }
        // The customer may have paid: the clerk checks their app before anything else.
        (OutcomeKind::Unresolved, Key::Enter) => {
            app.start_new_sale();
            Vec::new()
        }
        (OutcomeKind::Unresolved, Key::Esc) => {
            app.screen = Screen::PayMethod;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn on_payment(app: &mut App, attempt: AttemptId, event: PaymentEvent) -> Vec<Command> {
    let Screen::Outcome(outcome) = &app.screen else {
        return Vec::new();
    };
    let method = outcome.method;
    let after_cancel = matches!(
        outcome.kind,
        OutcomeKind::Checking {
            after_cancel: true,
            ..
        }
    );
    match event {
        PaymentEvent::Paid {
            sale_id,
            transaction,
        } => paid(app, method, sale_id, transaction, after_cancel),
        PaymentEvent::Held {
            sale_id,
            transaction,
        } => held(app, method, sale_id, transaction),
        PaymentEvent::Refused(failure) => {
            failed(app, method, FailReason::Refused(failure));
            Vec::new()
        }
        PaymentEvent::Expired => {
            failed(app, method, FailReason::Expired);
            Vec::new()
        }
        PaymentEvent::NotStarted(reason) => {
            failed(app, method, FailReason::NotStarted(reason));
            Vec::new()
        }
        PaymentEvent::JournalStopped { disk_full } => {
            failed(app, method, FailReason::JournalStopped { disk_full });
            Vec::new()
        }
        PaymentEvent::Unrecorded { disk_full } => {
            unrecorded(app, method, attempt, disk_full);
            Vec::new()
        }
        PaymentEvent::Unresolved => {
            unresolved(app, method);
            Vec::new()
        }
        PaymentEvent::Cancelled => {
            app.screen = Screen::PayMethod;
            app.notify(NoticeMessage::Cancelled);
            Vec::new()
        }
        PaymentEvent::Checking | PaymentEvent::QrReady(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::*;

    /// ¥1,200 paid by QR: the result screen is up.
    fn paid_result() -> App {
        let mut app = showing_qr(false);
        answer(&mut app, paid_event(1_200));
        assert!(matches!(app.screen, Screen::Outcome(_)), "{:?}", app.screen);
        app
    }

    #[test]
    fn the_next_customers_first_digits_on_the_result_start_the_next_sale() {
        let mut app = paid_result();
        // Full-width digits too: an input method left on sends them.
        type_text(&mut app, "５00");
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.input, "500");
        assert!(app.cart.is_empty());
    }

    #[test]
    fn a_product_scanned_on_the_result_is_the_next_sales_first_line() {
        let mut app = paid_result();
        crate::app::update(&mut app, crate::app::Msg::Scan(ONIGIRI.into()));
        assert_eq!(app.screen, Screen::Sale);
        assert_eq!(app.cart.lines().len(), 1);
    }

    #[test]
    fn an_outcome_the_journal_cannot_take_holds_the_screen_until_its_answer_arrives() {
        let mut app = showing_qr(false);
        answer(&mut app, PaymentEvent::Unrecorded { disk_full: true });
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("{:?}", app.screen);
        };
        assert!(matches!(
            outcome.kind,
            OutcomeKind::Unrecorded {
                disk_full: true,
                ..
            }
        ));
        // No way back to another payment or a new sale: either could charge twice.
        for key in [Key::Esc, Key::Enter, Key::F(1), Key::F(2), Key::Char('1')] {
            assert!(press(&mut app, &[key]).is_empty());
            assert!(
                matches!(&app.screen, Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Unrecorded { .. })),
                "{key:?} left the screen"
            );
        }
        assert!(!app.cart.is_empty(), "the sale is kept");
        // Once recorded, the answer is shown and the receipt printed.
        let commands = answer(
            &mut app,
            PaymentEvent::Paid {
                sale_id: 7,
                transaction: crate::app::test_support::paid(1200),
            },
        );
        assert!(matches!(
            &app.screen,
            Screen::Outcome(o) if matches!(o.kind, OutcomeKind::Paid { sale_id: 7, .. })
        ));
        assert!(matches!(
            commands.as_slice(),
            [Command::Print { sale_id: 7, .. }]
        ));
    }

    #[test]
    fn an_unknown_outcome_the_journal_took_at_last_can_be_left_like_any_other() {
        let mut app = showing_qr(false);
        answer(&mut app, PaymentEvent::Unrecorded { disk_full: true });
        // The engine sends this only once the journal holds the attempt as unknown:
        // reconciliation settles it from there.
        answer(&mut app, PaymentEvent::Unresolved);
        assert!(matches!(
            &app.screen,
            Screen::Outcome(o) if o.kind == OutcomeKind::Unresolved
        ));
        press(&mut app, &[Key::Esc]);
        assert_eq!(app.screen, Screen::PayMethod);
    }

    #[test]
    fn a_journal_that_cannot_record_the_sale_is_not_blamed_on_the_network() {
        let mut app = showing_qr(false);
        answer(&mut app, PaymentEvent::JournalStopped { disk_full: true });
        let Screen::Outcome(outcome) = &app.screen else {
            panic!("{:?}", app.screen);
        };
        assert_eq!(
            outcome.kind,
            OutcomeKind::Failed(FailReason::JournalStopped { disk_full: true })
        );
    }
}
