//! The plain records the app shows and the journal hands back: sales, attempts, refunds, reports,
//! PIN tries. No connection attached; the journal fills them, the app and the receipts read them.

mod drawer;
mod find;
mod parked;
mod pin;
mod report;
mod report_text;
mod returns;
mod sales;
mod staff;
mod tabs;
mod time;

pub use drawer::{
    CashCount, CashSummary, DENOMINATIONS, DrawerMovement, DrawerRefusal, DrawerStatus, MAX_PIECES,
    MovementKind,
};
pub use find::{FindBy, SaleQuery};
pub use parked::{CartToPark, ParkedCart};
pub use pin::PinFailures;
pub use report::{
    HourMeasure, HourTotals, MethodTotals, MoneyNameTotals, ProviderTotals, RateTotals, Report,
    ReportKind, Totals, hour_bars, provider_label, providers_shown,
};
pub use report_text::{CASH_EN, CASH_JA, CashWords, signed_yen};
pub use returns::{ReturnRecord, TenderPart};
pub use sales::*;
pub use staff::{StaffOnDuty, StaffRole};
pub use tabs::{NewTab, TabCharge, TabRecord, TabState};
pub use time::local_time;
