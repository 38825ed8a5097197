//! One module per screen: its state and how keys and results change it.

pub mod history;
pub mod outcome;
pub mod pay_method;
pub mod qr_wait;
pub mod reports;
pub mod sale;
pub mod scan_wait;
pub mod status;

use crate::app::{App, AttemptId, Command, Key, PaymentEvent};

pub use history::{HistoryMode, HistoryScreen};
pub use outcome::{FailReason, Outcome, OutcomeKind};
pub use qr_wait::{QrPhase, QrWait};
pub use reports::ReportsScreen;
pub use scan_wait::ScanWait;

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
    }
}

pub(crate) fn on_scan(app: &mut App, code: String) -> Vec<Command> {
    match app.screen {
        Screen::Sale => sale::on_scan(app, &code),
        Screen::ScanWait(_) => scan_wait::on_scan(app, &code),
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

/// What a scanned code looks like. Interim: the scanner module's classifier replaces this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// A customer's payment code (CPM token).
    Customer,
    /// A product barcode (JAN-13 or JAN-8 with a valid check digit).
    Product,
    Unknown,
}

pub fn classify(code: &str) -> CodeKind {
    if crate::domain::catalog::is_valid_jan(code) {
        return CodeKind::Product;
    }
    if matches!(code.len(), 20 | 22) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return CodeKind::Customer;
    }
    CodeKind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_codes() {
        assert_eq!(classify("4901234567894"), CodeKind::Product);
        assert_eq!(classify("49012347"), CodeKind::Product);
        assert_eq!(classify("4901234567895"), CodeKind::Unknown);
        assert_eq!(classify("1234567890123456789012"), CodeKind::Customer);
        assert_eq!(classify("uGDOLqsy43AtWyT6hyzJkP"), CodeKind::Customer);
        assert_eq!(classify(""), CodeKind::Unknown);
        assert_eq!(classify("日本語のゴミ"), CodeKind::Unknown);
    }
}
