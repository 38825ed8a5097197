//! Receipts for paid sales: the journal's record mapped onto the printer's receipt model, then
//! rendered and sent to the configured printer. Only paid sales get a receipt, so a success slip
//! never exists without its transaction id.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::{AttemptState, SaleKind, TaxRate};
use crate::journal::{SaleDetail, SaleState};
use crate::printer::receipt::{
    PaymentInfo, RateSummary, ReceiptDoc, ReceiptKind, ReceiptLine, StoreHeader, TerminalInfo,
};
use crate::printer::spool::{Blocked, JobKind, MemoryQueue, NewPrintJob, Spooler};
use crate::printer::{PrinterSettings, receipt_bytes};
use crate::scanner::ReceiptCode;

/// Label of the top-up line on a top-up slip.
const TOPUP_LINE: &str = "チャージ";
const METHOD_LABEL: &str = "Pokepay";

/// What a receipt needs besides the sale: the store and the register, from the configuration.
#[derive(Debug, Clone)]
pub struct ReceiptContext {
    pub store: StoreHeader,
    pub terminal: TerminalInfo,
    pub tax_included: bool,
    pub training: bool,
}

impl ReceiptContext {
    pub fn from_config(config: &Config, training: bool) -> Self {
        let lines = |text: &str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        Self {
            store: StoreHeader {
                name: config.store.name.clone(),
                registration_number: config
                    .store
                    .registration_number
                    .as_ref()
                    .map(|n| n.as_str().to_string())
                    .unwrap_or_default(),
                address: lines(&config.store.address),
                phone: config.store.phone.clone(),
                footer: lines(&config.store.receipt_footer),
            },
            terminal: TerminalInfo {
                name: config.terminal.name.clone(),
                id: config.terminal.id.clone(),
            },
            tax_included: config.sale.prices_include_tax,
            training,
        }
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The receipt of a paid sale; `None` for any other state.
pub fn receipt_for(
    sale: &SaleDetail,
    context: &ReceiptContext,
    reprint: bool,
) -> Option<ReceiptDoc> {
    let summary = &sale.sale;
    if summary.state != SaleState::Paid {
        return None;
    }
    let transaction_id = summary.transaction_id.clone()?;
    let paid_at = sale
        .attempts
        .iter()
        .find(|a| matches!(a.state, AttemptState::Paid { .. }))
        .and_then(|a| parse_time(&a.updated_at))
        .or_else(|| parse_time(&summary.created_at))?;
    let lines = match summary.kind {
        SaleKind::Payment => sale
            .lines
            .iter()
            .map(|line| ReceiptLine {
                name: line.name.clone(),
                quantity: u32::try_from(line.quantity).unwrap_or(0),
                unit_price: line.unit_price.value(),
                amount: line.amount.value(),
                reduced_rate: line.tax_rate == TaxRate::Reduced8,
            })
            .collect(),
        SaleKind::Topup => vec![ReceiptLine {
            name: TOPUP_LINE.to_string(),
            quantity: 1,
            unit_price: summary.total.value(),
            amount: summary.total.value(),
            reduced_rate: false,
        }],
    };
    let rate_summaries = [summary.tax.standard, summary.tax.reduced]
        .into_iter()
        .filter(|rate| rate.taxable_total.is_positive())
        .map(|rate| RateSummary {
            rate_percent: u8::try_from(rate.rate.percent()).unwrap_or(0),
            taxable_total: rate.taxable_total.value(),
            tax: rate.tax.value(),
        })
        .collect();
    let receipt_no = u64::try_from(summary.receipt_no).unwrap_or(0);
    Some(ReceiptDoc {
        store: context.store.clone(),
        terminal: context.terminal.clone(),
        receipt_number: format!("{:06}", summary.receipt_no),
        issued_at: paid_at,
        kind: ReceiptKind::Sale,
        training: context.training || summary.training,
        reprint,
        lines,
        tax_included: context.tax_included,
        rate_summaries,
        total: summary.total.value(),
        payment: Some(PaymentInfo {
            method_label: METHOD_LABEL.to_string(),
            transaction_id,
            amount: summary.total.value(),
        }),
        receipt_code: Some(ReceiptCode::format(&context.terminal.id, receipt_no)),
        report_rows: Vec::new(),
    })
}

/// Renders `doc` and sends it to the printer. Blocking: call it off the async threads.
pub fn print(doc: &ReceiptDoc, settings: &PrinterSettings) -> Result<(), String> {
    let profile = settings.resolved_profile().map_err(|e| e.to_string())?;
    let target = settings.target().map_err(|e| e.to_string())?;
    let bytes = receipt_bytes(doc, &profile, settings).map_err(|e| e.to_string())?;
    let transport = target
        .open(settings.timeouts())
        .map_err(|e| format!("{target}: {e}"))?;
    let mut spooler = Spooler::new(MemoryQueue::new(), transport, settings.check_status);
    let job = NewPrintJob {
        kind: if doc.reprint {
            JobKind::Reprint
        } else {
            JobKind::Receipt
        },
        bytes,
        created_at: doc.issued_at,
    };
    let (_, report) = spooler.submit(job).map_err(|e| e.to_string())?;
    match report.blocked {
        Some(Blocked::Printer(problem)) => Err(problem.message_en().to_string()),
        Some(Blocked::Unreachable(detail)) => Err(detail),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PaymentMethod, TaxSummary, Yen};
    use crate::journal::{LineRecord, SaleSummary};

    fn context() -> ReceiptContext {
        ReceiptContext::from_config(&Config::default(), true)
    }

    fn sale(state: SaleState) -> SaleDetail {
        SaleDetail {
            sale: SaleSummary {
                id: 3,
                receipt_no: 42,
                business_day_id: 1,
                kind: SaleKind::Payment,
                state,
                total: Yen(300),
                tax: TaxSummary::compute(Yen(0), Yen(300), Default::default()).expect("tax"),
                method: Some(PaymentMethod::Cashtray),
                transaction_id: (state == SaleState::Paid).then(|| "tx-42".to_string()),
                training: false,
                terminal: "regi".into(),
                created_at: "2026-11-20T01:00:00.000Z".into(),
            },
            lines: vec![LineRecord {
                line_no: 1,
                jan: Some("4901234567894".into()),
                name: "おにぎり".into(),
                unit_price: Yen(150),
                quantity: 2,
                amount: Yen(300),
                tax_rate: TaxRate::Reduced8,
            }],
            attempts: Vec::new(),
            refunds: Vec::new(),
            events: Vec::new(),
        }
    }

    #[test]
    fn a_paid_sale_maps_onto_a_receipt() {
        let doc = receipt_for(&sale(SaleState::Paid), &context(), true).expect("receipt");
        assert_eq!(doc.total, 300);
        assert_eq!(doc.receipt_number, "000042");
        assert!(doc.training && doc.reprint);
        assert!(doc.has_reduced_rate_items());
        assert_eq!(doc.rate_summaries.len(), 1);
        assert_eq!(doc.rate_summaries[0].rate_percent, 8);
        assert_eq!(
            doc.payment.as_ref().map(|p| p.transaction_id.as_str()),
            Some("tx-42")
        );
        let profile = PrinterSettings::default()
            .resolved_profile()
            .expect("profile");
        let bytes = receipt_bytes(&doc, &profile, &PrinterSettings::default()).expect("renders");
        let text = crate::printer::preview_text(&bytes).expect("decodes");
        assert!(text.contains("tx-42"), "{text}");
    }

    #[test]
    fn no_receipt_without_a_payment() {
        for state in [SaleState::Failed, SaleState::Unknown, SaleState::Refunded] {
            assert!(receipt_for(&sale(state), &context(), false).is_none());
        }
    }
}
