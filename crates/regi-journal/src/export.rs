//! Sales as JSON or CSV for bookkeeping and audits.

use serde::Serialize;

use super::Journal;
use super::error::JournalError;
use regi_core::records::{SaleFilter, SaleSummary};

/// One exported sale. Field names are a stable interface: add, never rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedSale {
    pub id: i64,
    pub receipt_no: i64,
    pub business_day_id: i64,
    pub kind: &'static str,
    /// `open`, `pending`, `unknown`, `paid`, `failed`, `expired`, `cancelled`, `refunded`.
    pub state: &'static str,
    pub total: i64,
    pub method: Option<&'static str>,
    pub transaction_id: Option<String>,
    pub standard_taxable: i64,
    pub standard_tax: i64,
    pub reduced_taxable: i64,
    pub reduced_tax: i64,
    pub training: bool,
    pub terminal: String,
    pub created_at: String,
}

impl From<SaleSummary> for ExportedSale {
    fn from(s: SaleSummary) -> Self {
        ExportedSale {
            id: s.id,
            receipt_no: s.receipt_no,
            business_day_id: s.business_day_id,
            kind: s.kind.as_str(),
            state: s.state.as_str(),
            total: s.total.value(),
            method: s.method.map(|m| m.as_str()),
            transaction_id: s.transaction_id,
            standard_taxable: s.tax.standard.taxable_total.value(),
            standard_tax: s.tax.standard.tax.value(),
            reduced_taxable: s.tax.reduced.taxable_total.value(),
            reduced_tax: s.tax.reduced.tax.value(),
            training: s.training,
            terminal: s.terminal,
            created_at: s.created_at,
        }
    }
}

impl Journal {
    pub fn export_sales(&self, filter: SaleFilter) -> Result<Vec<ExportedSale>, JournalError> {
        Ok(self
            .list_sales(filter)?
            .into_iter()
            .map(ExportedSale::from)
            .collect())
    }

    /// A JSON array of sales.
    pub fn export_json(&self, filter: SaleFilter) -> Result<String, JournalError> {
        Ok(serde_json::to_string_pretty(&self.export_sales(filter)?)?)
    }

    /// CSV with a header row; empty cells for absent values.
    pub fn export_csv(&self, filter: SaleFilter) -> Result<String, JournalError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for sale in self.export_sales(filter)? {
            writer
                .serialize(&sale)
                .map_err(|e| JournalError::Other(e.to_string()))?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| JournalError::Other(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| JournalError::Other(e.to_string()))
    }
}
