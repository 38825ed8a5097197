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
    /// The provider that took the payment, as its gateway names itself; empty until one did.
    pub provider: Option<String>,
    /// What the provider called the way the customer paid (the wallet, card brand or money the
    /// customer chose, e.g. `PayPay`); empty when it named none.
    pub money_name: Option<String>,
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
            provider: s.provider,
            money_name: s.money_name,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SaleMeta;
    use regi_core::domain::{
        AmountGuard, AttemptEvent, Cart, PaymentMethod, TaxPolicy, TaxRate, Yen,
    };

    fn sale(journal: &mut Journal, paid_with: Option<&str>) {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(1_200), TaxRate::Standard10, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let attempt = journal
            .create_attempt(sale.sale_id, "provider-a", PaymentMethod::HostedPage)
            .unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
            .unwrap();
        let Some(money_name) = paid_with else {
            return;
        };
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "tx-1".into(),
                },
            )
            .unwrap();
        journal.record_money_name(sale.sale_id, money_name).unwrap();
    }

    #[test]
    fn an_exported_sale_names_the_provider_and_the_way_its_payment_was_made() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        sale(&mut journal, Some("PayPay"));
        sale(&mut journal, None);

        let json: serde_json::Value =
            serde_json::from_str(&journal.export_json(SaleFilter::All).unwrap()).unwrap();
        assert_eq!(json[0]["provider"], "provider-a");
        assert_eq!(json[0]["money_name"], "PayPay");
        // A sale still waiting has no paid attempt to name.
        assert_eq!(json[1]["provider"], serde_json::Value::Null);

        let csv = journal.export_csv(SaleFilter::All).unwrap();
        let mut lines = csv.lines();
        assert!(
            lines
                .next()
                .unwrap()
                .ends_with(",created_at,provider,money_name")
        );
        assert!(
            lines.next().unwrap().ends_with(",provider-a,PayPay"),
            "{csv}"
        );
        assert!(lines.next().unwrap().ends_with(",,"), "{csv}");
    }
}
