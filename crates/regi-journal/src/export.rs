//! Sales as JSON or CSV for bookkeeping and audits.

use serde::Serialize;

use super::Journal;
use super::error::JournalError;
use super::rows::{self, ATTEMPT_COLUMNS};
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
    /// On a copy of another till's sale returned here: `<its terminal id>#<its sale id>`. Its
    /// business day is 0, none of this till's. In the JSON export only, as the attempts.
    #[serde(skip)]
    pub copied_from: Option<String>,
    /// The sale's payment attempts, oldest first. In the JSON export only: a CSV row has no
    /// room for a list, and its columns stay as they were.
    #[serde(skip)]
    pub attempts: Vec<ExportedAttempt>,
}

/// One payment attempt of an exported sale: which provider it went to and the request id it
/// was sent under, by which an audit finds it in the provider's books (a provider given a
/// merchant reference gets the request id's 32 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedAttempt {
    pub request_id: String,
    pub provider: String,
    pub method: &'static str,
    /// `created`, `presented`, `sent`, `paid`, `failed`, `expired`, `cancelled`, `unknown`.
    pub state: &'static str,
    pub transaction_id: Option<String>,
    /// The yen this tender pays of the sale (all of it, unless the sale is paid by several).
    pub amount: i64,
    /// A cash tender's yen received and change given.
    pub cash_received: Option<i64>,
    pub cash_change: Option<i64>,
    /// The yen of this tender given back by done refunds through its own means (its provider,
    /// or the drawer for a cash tender): what the provider's books show refunded.
    pub refunded: i64,
    /// The yen of this tender given back in cash from the drawer instead, its provider refunding
    /// only whole payments (a part of the sale returned).
    pub cash_back: i64,
}

/// A sale as the JSON export writes it: every field of [`ExportedSale`] and its attempts.
#[derive(Serialize)]
struct JsonSale<'a> {
    #[serde(flatten)]
    sale: &'a ExportedSale,
    #[serde(skip_serializing_if = "Option::is_none")]
    copied_from: Option<&'a str>,
    attempts: &'a [ExportedAttempt],
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
            copied_from: s
                .origin
                .map(|origin| format!("{}#{}", origin.terminal_id, origin.sale_id)),
            attempts: Vec::new(),
        }
    }
}

impl Journal {
    pub fn export_sales(&self, filter: SaleFilter) -> Result<Vec<ExportedSale>, JournalError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE sale_id = ?1 ORDER BY id"
        ))?;
        let mut refunded = self.conn.prepare(
            "SELECT COALESCE(SUM(CASE WHEN cash_back THEN 0 ELSE amount END), 0), \
               COALESCE(SUM(CASE WHEN cash_back THEN amount ELSE 0 END), 0) \
             FROM refunds WHERE attempt_id = ?1 AND state = 'done'",
        )?;
        self.list_sales(filter)?
            .into_iter()
            .map(|summary| {
                let mut sale = ExportedSale::from(summary);
                let mut rs = stmt.query([sale.id])?;
                while let Some(row) = rs.next()? {
                    let a = rows::attempt(row)?;
                    let (given_back, cash_back): (i64, i64) =
                        refunded.query_row([a.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    sale.attempts.push(ExportedAttempt {
                        transaction_id: a.state.transaction_id().map(str::to_string),
                        amount: a.amount.value().abs(),
                        cash_received: a.cash.map(|c| c.received.value()),
                        cash_change: a.cash.map(|c| c.change.value()),
                        refunded: given_back,
                        cash_back,
                        request_id: a.request_id,
                        provider: a.provider,
                        method: a.method.as_str(),
                        state: a.state.name(),
                    });
                }
                Ok(sale)
            })
            .collect()
    }

    /// A JSON array of sales, each with its attempts.
    pub fn export_json(&self, filter: SaleFilter) -> Result<String, JournalError> {
        let sales = self.export_sales(filter)?;
        let json: Vec<JsonSale<'_>> = sales
            .iter()
            .map(|sale| JsonSale {
                sale,
                copied_from: sale.copied_from.as_deref(),
                attempts: &sale.attempts,
            })
            .collect();
        Ok(serde_json::to_string_pretty(&json)?)
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

    #[test]
    fn the_json_export_lists_each_sales_attempts_with_their_request_ids_and_csv_keeps_its_columns()
    {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(800), TaxRate::Standard10, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let first = journal
            .create_attempt(sale.sale_id, "provider-a", PaymentMethod::HostedPage)
            .unwrap();
        journal
            .record_attempt_event(first.attempt_id, AttemptEvent::Presented)
            .unwrap();
        journal
            .record_attempt_event(first.attempt_id, AttemptEvent::CancelConfirmed)
            .unwrap();
        let second = journal
            .create_attempt(sale.sale_id, "provider-b", PaymentMethod::MerchantQr)
            .unwrap();
        journal
            .record_attempt_event(second.attempt_id, AttemptEvent::Presented)
            .unwrap();
        journal
            .record_attempt_event(
                second.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "tx-9".into(),
                },
            )
            .unwrap();

        let json: serde_json::Value =
            serde_json::from_str(&journal.export_json(SaleFilter::All).unwrap()).unwrap();
        let exported = &json[0];
        assert_eq!(exported["transaction_id"], "tx-9", "old fields stay");
        let attempts = exported["attempts"].as_array().unwrap();
        let seen: Vec<(&str, &str, &str)> = attempts
            .iter()
            .map(|a| {
                (
                    a["request_id"].as_str().unwrap(),
                    a["provider"].as_str().unwrap(),
                    a["state"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (first.request_id.as_str(), "provider-a", "cancelled"),
                (second.request_id.as_str(), "provider-b", "paid"),
            ]
        );
        assert_eq!(attempts[0]["method"], "hosted_page");
        assert_eq!(attempts[1]["transaction_id"], "tx-9");

        let csv = journal.export_csv(SaleFilter::All).unwrap();
        let header = csv.lines().next().unwrap();
        assert!(
            header.ends_with(",terminal,created_at,provider,money_name"),
            "{header}"
        );
    }
}
