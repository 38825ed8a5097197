//! One module per screen: its state and how keys and results change it.

pub mod amount_entry;
pub mod capture;
pub mod cash;
pub mod drawer;
pub mod drawer_count;
pub mod history;
pub mod history_find;
pub mod history_state;
pub mod leaving;
pub mod outcome;
pub mod parked;
pub mod pay_method;
pub mod pin_entry;
pub mod preview;
pub mod price_it;
pub mod price_override;
pub mod qr_wait;
pub mod reports;
pub mod return_pick;
pub mod sale;
pub mod scan_wait;
pub mod sign_in;
pub mod split;
pub mod status;
pub mod tabs;
pub mod voiding;

use crate::app::{App, AttemptId, Command, Key, PaymentEvent};

pub use cash::CashEntry;
pub use history::{HistoryMode, HistoryScreen};
pub use leaving::Leaving;
pub use outcome::{FailReason, Outcome, OutcomeKind};
pub use parked::ParkedList;
pub use preview::{PreviewScreen, ReceiptPreview};
pub use qr_wait::{QrPhase, QrWait};
pub use reports::ReportsScreen;
pub use scan_wait::ScanWait;
pub use split::{PaidTender, Split};
pub use tabs::{TabView, TabsMode, TabsPurpose, TabsScreen};

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Sale,
    PayMethod,
    QrWait(QrWait),
    ScanWait(ScanWait),
    Outcome(Outcome),
    History(HistoryScreen),
    Reports(ReportsScreen),
    Status,
    Preview(PreviewScreen),
    Tabs(TabsScreen),
    Drawer(drawer::DrawerScreen),
    /// Taking cash: the yen received typed or chosen by a quick key.
    Cash(CashEntry),
    /// The carts parked (保留), to recall one.
    Parked(ParkedList),
    /// Signing in (担当者): nothing is sold until someone is on duty.
    SignIn(sign_in::SignIn),
}

pub(crate) fn on_key(app: &mut App, key: Key) -> Vec<Command> {
    match app.screen {
        Screen::Sale => sale::on_key(app, key),
        Screen::PayMethod => pay_method::on_key(app, key),
        Screen::QrWait(_) => qr_wait::on_key(app, key),
        Screen::ScanWait(_) => scan_wait::on_key(app, key),
        Screen::Outcome(_) => outcome::on_key(app, key),
        Screen::History(_) => history::on_key(app, key),
        Screen::Reports(_) => reports::on_key(app, key),
        Screen::Status => status::on_key(app, key),
        Screen::Preview(_) => preview::on_key(app, key),
        Screen::Tabs(_) => tabs::on_key(app, key),
        Screen::Drawer(_) => drawer::on_key(app, key),
        Screen::Cash(_) => cash::on_key(app, key),
        Screen::Parked(_) => parked::on_key(app, key),
        Screen::SignIn(_) => sign_in::on_key(app, key),
    }
}

pub(crate) fn on_scan(app: &mut App, code: String) -> Vec<Command> {
    match app.screen {
        Screen::Sale => sale::on_scan(app, &code),
        Screen::PayMethod => pay_method::on_scan(app, &code),
        Screen::ScanWait(_) => scan_wait::on_scan(app, &code),
        Screen::History(_) => history::on_scan(app, &code),
        Screen::Tabs(_) => tabs::opening::on_scan(app, &code),
        Screen::Outcome(_) => outcome::on_scan(app, &code),
        Screen::SignIn(_) => sign_in::on_scan(app, &code),
        _ => Vec::new(),
    }
}

pub(crate) fn on_payment(app: &mut App, attempt: AttemptId, event: PaymentEvent) -> Vec<Command> {
    match app.screen {
        Screen::QrWait(_) => qr_wait::on_payment(app, event),
        Screen::ScanWait(_) => scan_wait::on_payment(app, attempt, event),
        Screen::Outcome(_) => outcome::on_payment(app, attempt, event),
        _ => Vec::new(),
    }
}
