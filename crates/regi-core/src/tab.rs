//! Provider-neutral types of a customer's tab: a time-boxed card authorization opened once for
//! one customer (a hotel stay, an event wristband, a regular's monthly account), charged at every
//! sale and billed once when it is closed. The register keeps the tab's record itself: a provider
//! may have no way to list or read one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A customer who may open a tab, as the code their app shows identifies them, with the cards a
/// tab can be opened on (only cards the customer verified beforehand; a register cannot enrol
/// one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabCustomer {
    /// The provider's id of the customer.
    pub customer_id: String,
    pub name: Option<String>,
    /// The money (wallet) the tab charges.
    pub money_id: String,
    pub cards: Vec<TabCard>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabCard {
    pub card_id: String,
    /// As the provider masks it, e.g. `411111********11`: printed on receipts and statements.
    pub masked_number: String,
}

/// Opening a tab; `request_id` is journaled first and repeated on a retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabOpenRequest {
    pub customer_id: String,
    pub money_id: String,
    pub card_id: String,
    /// When the tab ends (the provider may bound it, e.g. 30 days).
    pub until: DateTime<Utc>,
    pub request_id: Uuid,
}

/// A tab the provider opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedTab {
    /// The provider's id of the tab (e.g. a Pokepay CreditSession id).
    pub tab_id: String,
    pub expires_at: DateTime<Utc>,
}

/// One sale charged to a tab; `request_id` is journaled first and repeated on a retry, so a
/// charge whose answer was lost is booked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabChargeRequest {
    pub tab_id: String,
    /// Positive yen.
    pub amount: i64,
    pub description: String,
    pub request_id: Uuid,
}

/// Closing a tab: the card is billed for everything charged to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabCloseRequest {
    pub tab_id: String,
    pub request_id: Uuid,
}
