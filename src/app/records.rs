//! What the history, report and status screens show, as plain data the runtime fills in.

use chrono::{DateTime, Utc};

use crate::gateway::Direction;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleState {
    Paid,
    Refunded,
    Failed,
    /// Outcome still being resolved.
    Pending,
    Cancelled,
}

/// One journaled sale as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRecord {
    pub at: DateTime<Utc>,
    pub direction: Direction,
    pub amount: i64,
    pub state: SaleState,
    pub method: PayMethod,
    pub transaction_id: Option<String>,
    pub customer_name: Option<String>,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayMethod {
    Qr,
    Code,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// Read today's totals, change nothing.
    X,
    /// Close the day: totals are recorded and the next report starts afresh.
    Z,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    pub kind: ReportKind,
    pub payments: Tally,
    pub topups: Tally,
    pub refunds: Tally,
}

impl ReportSummary {
    pub fn net(&self) -> i64 {
        self.payments.amount.saturating_sub(self.refunds.amount)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u32,
    pub amount: i64,
}

/// A diagnostic check's outcome, with a fix-it hint when it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusReport {
    pub checks: Vec<Check>,
}

/// Facts known at start-up, shown on the status screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Startup {
    /// Unfinished attempts found in the journal, and how many could be settled.
    pub recovered: usize,
    pub unresolved: usize,
    /// `key = value` lines describing the configuration, secrets masked.
    pub config_summary: Vec<(String, String)>,
}
