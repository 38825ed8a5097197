//! One sale's slip made ready for the queue: which document, whether it is a reprint, its bytes.
//! Shared by the command line (which holds the journal) and the async helpers (which ask its
//! writer thread), so both print exactly the same thing.

use super::error::ReceiptError;
use super::printing::render;
use super::sale::{all_refunds_slip, completed_refund, refund_slip, sale_receipt};
use regi_config::Config;
use regi_journal::{Journal, JournalError, SaleDetail};
use regi_printer::ReceiptDoc;
use regi_printer::spool::JobKind;

use super::queue::job_kind_name;

/// Which of a sale's slips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// The receipt (適格簡易請求書).
    Sale,
    /// The refund slip (返品) of its latest completed refund.
    Refund,
    /// One refund slip listing every completed refund of the sale, each tender given back:
    /// a sale refunded whole across its tenders.
    AllRefunds,
}

impl Slip {
    /// The queue kind of the first print; later prints are reprints.
    fn first_kind(self) -> JobKind {
        match self {
            Slip::Sale => JobKind::Receipt,
            Slip::Refund | Slip::AllRefunds => JobKind::Refund,
        }
    }
}

/// What the journal holds for a slip.
#[derive(Debug, Clone)]
pub struct SlipRecord {
    pub slip: Slip,
    pub detail: SaleDetail,
    /// The slip was queued before (printed or still waiting): another copy is a reprint.
    pub queued_before: bool,
}

/// Reads what a slip needs from the journal.
pub fn load_slip(journal: &Journal, sale_id: i64, slip: Slip) -> Result<SlipRecord, JournalError> {
    let detail = journal.sale(sale_id)?;
    let queued_before = journal.print_job_count(sale_id, job_kind_name(slip.first_kind()))? > 0;
    Ok(SlipRecord {
        slip,
        detail,
        queued_before,
    })
}

/// A slip ready to queue.
#[derive(Debug, Clone)]
pub struct PreparedSlip {
    pub sale_id: i64,
    pub kind: JobKind,
    pub doc: ReceiptDoc,
    /// Exactly what goes to the printer.
    pub bytes: Vec<u8>,
}

/// Builds and renders the slip. It is marked 再発行 when asked, or when it was queued before.
pub fn prepare_slip(
    record: &SlipRecord,
    config: &Config,
    money_name: Option<&str>,
    reprint: bool,
) -> Result<PreparedSlip, ReceiptError> {
    let reprint = reprint || record.queued_before;
    let detail = &record.detail;
    let doc = match record.slip {
        Slip::Sale => sale_receipt(detail, config, money_name, reprint)?,
        Slip::Refund => {
            let refund = completed_refund(detail).ok_or(ReceiptError::NoRefund {
                sale_id: detail.sale.id,
            })?;
            refund_slip(detail, refund, config, reprint)?
        }
        Slip::AllRefunds => all_refunds_slip(detail, config, reprint)?,
    };
    let kind = match record.slip {
        Slip::Sale if reprint => JobKind::Reprint,
        slip => slip.first_kind(),
    };
    let bytes = render(&doc, &config.printer)?;
    Ok(PreparedSlip {
        sale_id: detail.sale.id,
        kind,
        doc,
        bytes,
    })
}
