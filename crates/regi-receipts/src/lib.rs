//! Receipts from the journal: journal records become printer documents (`sale`, `report`), are
//! rendered with the configured printer profile and kept in the journal's print queue until the
//! printer has taken them (`queue`, `printing`). `service` holds the async entry points the TUI
//! calls after a payment and from the sales history; `cli` is `regi receipt`.

mod code;
mod drawer;
mod drawer_slip;
mod error;
mod header;
mod printing;
mod queue;
mod report;
mod sale;
mod service;
mod slip;
mod tab_statement;
mod tenders;

pub use code::{SaleRef, find_sale_by_code, receipt_code};
pub use drawer::{DrawerOutcome, configured_pulse, drawer_pulse, open_drawer};
pub use drawer_slip::{DRAWER_COUNT_JOB, drawer_count_slip, print_drawer_count};
pub use error::ReceiptError;
pub use header::{store_header, terminal_info};
pub use printing::{PrintOutcome, PrintReport, flush_queue, preview, render};
pub use queue::{HandleQueue, JournalQueue, job_kind, job_kind_name};
pub use report::{SlipMarks, print_report, report_slip};
pub use sale::{all_refunds_slip, completed_refund, payment_label, refund_slip, sale_receipt};
pub use service::{print_sale, print_slip};
pub use slip::{PreparedSlip, Slip, SlipRecord, load_slip, prepare_slip};
pub use tab_statement::{print_tab_statement, tab_statement};
