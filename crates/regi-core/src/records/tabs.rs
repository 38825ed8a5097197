//! Customers' tabs as the journal keeps them: the register's only record of a tab, since a
//! provider may have no way to list or read one.

use chrono::{DateTime, Utc};

use crate::domain::Yen;

/// Where a tab is in its life. An open tab past its expiry is `Expired` when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TabState {
    /// Journaled, the opening sent or about to be: settled against the provider.
    Opening,
    Open,
    /// Open, but past its expiry: no charge may be made; it can still be closed.
    Expired,
    /// The billing was sent; its answer is awaited (settled on the next start).
    Closing,
    Closed,
    /// The provider refused to open it.
    Failed,
}

impl TabState {
    pub const fn as_str(self) -> &'static str {
        match self {
            TabState::Opening => "opening",
            TabState::Open => "open",
            TabState::Expired => "expired",
            TabState::Closing => "closing",
            TabState::Closed => "closed",
            TabState::Failed => "failed",
        }
    }

    /// A tab that may still take charges or is being settled: its label is taken.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            TabState::Opening | TabState::Open | TabState::Expired | TabState::Closing
        )
    }
}

/// One tab with what was charged to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabRecord {
    pub id: i64,
    pub provider: String,
    pub label: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub money_id: String,
    pub card_id: String,
    pub card_masked: String,
    /// The end the clerk asked for.
    pub until: DateTime<Utc>,
    /// The provider's expiry, once opened.
    pub expires_at: Option<DateTime<Utc>>,
    pub open_request_id: String,
    /// The provider's id of the tab, once opened.
    pub provider_ref: Option<String>,
    pub close_request_id: Option<String>,
    pub state: TabState,
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// The sales charged to it and paid, and their sum.
    pub charges: i64,
    pub total: Yen,
}

/// A tab journaled for opening: send the opening with `request_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTab {
    pub provider: String,
    pub label: String,
    pub customer_id: String,
    pub customer_name: Option<String>,
    pub money_id: String,
    pub card_id: String,
    pub card_masked: String,
    pub until: DateTime<Utc>,
}

/// One sale charged to a tab, for its statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabCharge {
    pub sale_id: i64,
    pub receipt_no: i64,
    pub at: String,
    pub total: Yen,
    pub standard_taxable: Yen,
    pub standard_tax: Yen,
    pub reduced_taxable: Yen,
    pub reduced_tax: Yen,
    /// Refunded since (whole or in part), in yen.
    pub refunded: Yen,
}
