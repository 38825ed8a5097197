//! What the journal hands back: plain records, no connection attached.

use serde::Serialize;

use super::returns::ReturnRecord;
use crate::domain::{AttemptState, PaymentMethod, SaleKind, TaxRate, TaxSummary, Yen};

/// Recorded with each sale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaleMeta {
    pub training: bool,
    /// The register's name, printed on receipts and kept for audits.
    pub terminal: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedSale {
    pub sale_id: i64,
    pub receipt_no: i64,
    pub business_day_id: i64,
}

/// A journaled attempt; send nothing before this exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAttempt {
    pub attempt_id: i64,
    /// A fresh UUID: the attempt's idempotency key (reuse it on every retry of this attempt).
    pub request_id: String,
    /// Signed as the API wants it: negative for a payment, positive for a top-up.
    pub amount: Yen,
}

/// Cash journaled as a tender of a sale, paid the moment it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashTender {
    pub attempt_id: i64,
    /// The yen of the sale the cash pays.
    pub applied: Yen,
    pub received: Yen,
    /// The yen to hand back (お釣り).
    pub change: Yen,
    /// The yen still to be paid by further tenders.
    pub remaining: Yen,
    /// The sale once the cash was taken: paid, or partly paid.
    pub sale_state: SaleState,
}

/// A journaled capture of a held payment; send it only after this exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureIntent {
    pub attempt_id: i64,
    pub sale_id: i64,
    /// The provider holding the payment, and its id of the request the customer paid.
    pub provider: String,
    pub provider_ref: Option<String>,
    /// The held payment to capture.
    pub transaction_id: String,
    /// The attempt's key, sent with the capture so a repeat takes the money once.
    pub request_id: String,
    /// The yen to capture: what was asked for first, if a capture was asked for before.
    pub amount: Yen,
    /// The yen the provider holds.
    pub held: Yen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SaleState {
    /// Rung up, no payment attempt yet.
    Open,
    /// An attempt is in progress.
    Pending,
    /// An attempt's outcome is not known yet.
    Unknown,
    /// Some tenders are paid but not yet the whole total: the rest is still owed (or the paid
    /// tenders are to be given back before the sale is abandoned).
    PartlyPaid,
    Paid,
    /// The customer paid and the provider holds the money until the clerk captures it.
    Held,
    /// The last attempt failed (the clerk may try again).
    Failed,
    /// The last merchant QR expired.
    Expired,
    /// Voided by the clerk, or the last attempt was cancelled.
    Cancelled,
    Refunded,
}

impl SaleState {
    pub const ALL: [SaleState; 10] = [
        SaleState::Open,
        SaleState::Pending,
        SaleState::Unknown,
        SaleState::PartlyPaid,
        SaleState::Paid,
        SaleState::Held,
        SaleState::Failed,
        SaleState::Expired,
        SaleState::Cancelled,
        SaleState::Refunded,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            SaleState::Open => "open",
            SaleState::Pending => "pending",
            SaleState::Unknown => "unknown",
            SaleState::PartlyPaid => "partly_paid",
            SaleState::Paid => "paid",
            SaleState::Held => "held",
            SaleState::Failed => "failed",
            SaleState::Expired => "expired",
            SaleState::Cancelled => "cancelled",
            SaleState::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<SaleState> {
        SaleState::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleFilter {
    /// The business day currently open (nothing if none is).
    OpenDay,
    Day(i64),
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessDay {
    pub id: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleSummary {
    pub id: i64,
    pub receipt_no: i64,
    pub business_day_id: i64,
    pub kind: SaleKind,
    pub state: SaleState,
    pub total: Yen,
    pub tax: TaxSummary,
    /// The paying attempt's method, else the latest attempt's.
    pub method: Option<PaymentMethod>,
    pub transaction_id: Option<String>,
    pub training: bool,
    pub terminal: String,
    pub created_at: String,
    /// Prices include consumption tax (内税); otherwise it was added on top (外税).
    pub prices_include_tax: bool,
    /// The money the paying attempt used (e.g. `ポケペイマネー`), when it was recorded.
    pub money_name: Option<String>,
    /// The provider of the paying attempt, as its gateway names itself; `None` until one paid.
    pub provider: Option<String>,
    /// Yen of the total a held payment was not captured for (a capture of less than was held).
    pub released: Yen,
    /// Yen given back by the sale's done refunds (less than paid: partly refunded).
    pub refunded: Yen,
    /// Yen the sale's paid tenders pay of it, together (the whole total once it is paid; less
    /// while it is partly paid).
    pub tendered: Yen,
    /// Who rang it (担当), by the name printed on receipts; `None` with no staff signed in.
    pub staff: Option<String>,
    /// Set on a copy of another till's sale, made to return it at this till (store mode).
    pub origin: Option<SaleOrigin>,
}

/// Where a sale copied from another till of the store was rung: that till's `[terminal] id` and
/// its sale id there. The copy keeps that till's receipt number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleOrigin {
    pub terminal_id: String,
    pub sale_id: i64,
}

impl SaleSummary {
    /// The yen the customer paid: the total less what a smaller capture released.
    pub fn paid_amount(&self) -> Yen {
        Yen(self.total.value() - self.released.value())
    }

    /// The yen a further refund may give back: of a partly paid sale, what its tenders paid.
    pub fn refundable(&self) -> Yen {
        // What the tenders paid, where that is less than the total (a sale partly paid, or
        // given back before it was paid in full).
        let paid = self.paid_amount().value().min(self.tendered.value());
        Yen((paid - self.refunded.value()).max(0))
    }

    /// The yen still to be paid by further tenders (0 once paid or held).
    pub fn remaining(&self) -> Yen {
        match self.state {
            SaleState::Paid | SaleState::Held | SaleState::Refunded => Yen(0),
            _ => Yen((self.total.value() - self.tendered.value()).max(0)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRecord {
    pub line_no: i64,
    pub jan: Option<String>,
    pub name: String,
    pub unit_price: Yen,
    pub quantity: i64,
    pub tax_rate: TaxRate,
    pub amount: Yen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    pub id: i64,
    pub sale_id: i64,
    /// The provider the attempt went to, as its gateway names itself.
    pub provider: String,
    pub method: PaymentMethod,
    pub request_id: String,
    pub amount: Yen,
    /// The provider's id of what it created for the attempt (e.g. the QR), once known.
    pub provider_ref: Option<String>,
    /// What the customer was shown to scan, once known.
    pub presented_code: Option<String>,
    pub state: AttemptState,
    pub customer_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The store asked the provider to hold the payment for a later capture.
    pub hold: bool,
    /// The capture asked for, journaled before it left (yen, at most the held amount).
    pub capture_amount: Option<Yen>,
    /// A cash tender's yen received and change given.
    pub cash: Option<CashTendered>,
    /// The provider's name for the money or wallet paid with, once reported (for receipts).
    pub money_name: Option<String>,
}

/// What a cash tender took: the yen the customer handed over and the change given back. The
/// tender pays `received − change` of the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CashTendered {
    pub received: Yen,
    pub change: Yen,
}

impl CashTendered {
    /// The yen of the sale this cash pays.
    pub fn applied(&self) -> Yen {
        Yen(self.received.value() - self.change.value())
    }
}

/// An attempt whose outcome must be settled with its provider before selling resumes: a merchant
/// QR by reading it again, a customer code by looking its request id up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedAttempt {
    pub attempt_id: i64,
    pub sale_id: i64,
    /// The provider to settle it with.
    pub provider: String,
    pub method: PaymentMethod,
    pub request_id: String,
    /// `None` when the QR was never confirmed created: no customer saw it.
    pub provider_ref: Option<String>,
    pub amount: Yen,
    pub state: AttemptState,
    pub created_at: String,
    /// The store asked the provider to hold the payment: a payment found held stays held.
    pub hold: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundState {
    Pending,
    Done,
    Failed,
}

impl RefundState {
    pub const fn as_str(self) -> &'static str {
        match self {
            RefundState::Pending => "pending",
            RefundState::Done => "done",
            RefundState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<RefundState> {
        [RefundState::Pending, RefundState::Done, RefundState::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A journaled refund; call the API only after this exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedRefund {
    pub refund_id: i64,
    /// The provider that took the payment, and so gives it back.
    pub provider: String,
    /// The payment to refund.
    pub transaction_id: String,
    pub request_id: String,
    pub amount: Yen,
    /// Done as journaled: cash given back from the drawer, nothing to send to a provider.
    pub settled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Done { refund_transaction_id: String },
    Failed { error_type: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    pub id: i64,
    pub sale_id: i64,
    pub attempt_id: i64,
    pub transaction_id: String,
    pub request_id: String,
    pub amount: Yen,
    pub reason: String,
    pub state: RefundState,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub refund_transaction_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Given back in cash from the drawer for a tender whose provider refunds only whole
    /// payments (a part of a Pokepay sale returned): counted as cash, never sent anywhere.
    pub cash_back: bool,
    /// The return of lines this refund gives back (or a part of), if it was one.
    pub return_id: Option<i64>,
}

/// A refund begun but never finished (e.g. the terminal stopped mid-request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedRefund {
    pub refund_id: i64,
    pub sale_id: i64,
    /// The provider that took the payment.
    pub provider: String,
    pub transaction_id: String,
    /// The key journaled with the refund.
    pub request_id: String,
    pub reason: String,
    /// The yen the refund gives back, as journaled.
    pub amount: Yen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: i64,
    pub at: String,
    pub sale_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub kind: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleDetail {
    pub sale: SaleSummary,
    pub lines: Vec<LineRecord>,
    pub attempts: Vec<AttemptRecord>,
    pub refunds: Vec<RefundRecord>,
    pub events: Vec<EventRecord>,
    /// Lines and quantities given back, each return with its amounts per rate.
    pub returns: Vec<ReturnRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SaleKind, TaxSummary};

    fn summary(state: SaleState, total: i64, tendered: i64, refunded: i64) -> SaleSummary {
        SaleSummary {
            id: 1,
            receipt_no: 1,
            business_day_id: 1,
            kind: SaleKind::Payment,
            state,
            total: Yen(total),
            tax: TaxSummary::default(),
            method: None,
            transaction_id: None,
            training: false,
            terminal: String::new(),
            created_at: String::new(),
            prices_include_tax: true,
            money_name: None,
            provider: None,
            released: Yen(0),
            refunded: Yen(refunded),
            tendered: Yen(tendered),
            staff: None,
            origin: None,
        }
    }

    #[test]
    fn a_sale_given_back_before_it_was_paid_in_full_has_nothing_left_to_refund_or_pay() {
        let owed = summary(SaleState::PartlyPaid, 3_000, 1_000, 0);
        assert_eq!(
            (owed.refundable(), owed.remaining()),
            (Yen(1_000), Yen(2_000))
        );
        let given_back = summary(SaleState::Refunded, 3_000, 1_000, 1_000);
        assert_eq!(
            (given_back.refundable(), given_back.remaining()),
            (Yen(0), Yen(0))
        );
        let paid = summary(SaleState::Paid, 3_000, 3_000, 500);
        assert_eq!((paid.refundable(), paid.remaining()), (Yen(2_500), Yen(0)));
    }
}
