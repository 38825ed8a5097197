//! The plain records the app shows and the journal hands back: sales, attempts, refunds, reports,
//! PIN tries. No connection attached; the journal fills them, the app and the receipts read them.

mod pin;
mod report;
mod sales;
mod tabs;
mod time;

pub use pin::PinFailures;
pub use report::{
    MethodTotals, MoneyNameTotals, ProviderTotals, RateTotals, Report, ReportKind, Totals,
    providers_shown,
};
pub use sales::*;
pub use tabs::{NewTab, TabCharge, TabRecord, TabState};
pub use time::local_time;
