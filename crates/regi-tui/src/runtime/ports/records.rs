//! The records port: the day's sales, receipts scanned back, X/Z reports and manager PIN tries,
//! all read from (or written to) the journal.

use std::future::Future;

use regi_core::app::PinPurpose;
use regi_core::app::records::ReceiptLookupError;
use regi_core::domain::Product;
use regi_core::records::SaleQuery;
use regi_core::secret::Secret;
use regi_journal::{Report, ReportKind, SaleDetail};

use super::{PinVerdict, PrintError};

/// Why the journal could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordsError {
    #[error("journal: {0}")]
    Journal(String),
}

pub trait Records: Send + Sync + 'static {
    /// Checks a manager PIN against the configured one (slow on purpose, so on a blocking
    /// thread) and journals the try with what it was asked for. Never fails: a PIN that could not
    /// be checked is wrong.
    fn verify_pin(
        &self,
        entered: Secret<String>,
        purpose: PinPurpose,
    ) -> impl Future<Output = PinVerdict> + Send;

    /// Sales of the open business day, newest first, and sale `also` first when it is not
    /// among them (a sale of an earlier day opened from its receipt).
    fn history(
        &self,
        also: Option<i64>,
    ) -> impl Future<Output = Result<Vec<SaleDetail>, RecordsError>> + Send;

    /// Sales of any day `query` finds, newest first. Without a journal behind it (a test's
    /// fake), none.
    fn find_sales(
        &self,
        query: SaleQuery,
    ) -> impl Future<Output = Result<Vec<SaleDetail>, RecordsError>> + Send {
        let _ = query;
        async { Ok(Vec::new()) }
    }

    /// Appends a product priced on the till to the catalog file and reads the file back: its
    /// products, or why not. Without a catalog file (or a test's fake), refused.
    fn save_product(
        &self,
        product: Product,
    ) -> impl Future<Output = Result<Vec<Product>, RecordsError>> + Send {
        let _ = product;
        async {
            Err(RecordsError::Journal(
                "no catalog file: set [sale] catalog".into(),
            ))
        }
    }

    /// The sale a scanned receipt code of this till stands for.
    fn find_receipt(
        &self,
        code: String,
    ) -> impl Future<Output = Result<i64, ReceiptLookupError>> + Send;

    /// X reads the open day; Z closes it. `None` when no day is open.
    fn report(
        &self,
        kind: ReportKind,
    ) -> impl Future<Output = Result<Option<Box<Report>>, RecordsError>> + Send;

    /// Prints the slip of a report; `Some(text)` when it is to be shown instead (training). A
    /// till without a printer prints nothing.
    fn print_report(
        &self,
        _report: Box<Report>,
    ) -> impl Future<Output = Result<Option<String>, PrintError>> + Send {
        async { Ok(None) }
    }
}
