//! The bookkeeping CSV: one row per line item of every sale and one dated row per completed
//! refund, times in Japan's local time, written so Excel opens it as is (UTF-8 with a BOM, or
//! Shift_JIS for older spreadsheets).

use chrono::NaiveDate;
use serde::Serialize;

use super::Journal;
use super::error::JournalError;
use regi_core::records::{RefundState, SaleDetail, SaleFilter, local_time};

/// How the CSV's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 starting with a byte order mark, by which Excel knows it is UTF-8.
    #[default]
    Utf8Bom,
    /// Shift_JIS (CP932), what Excel in Japan reads without asking.
    ShiftJis,
}

/// Which rows to write: the business day (or all), and local dates from and to (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineExportFilter {
    pub sales: SaleFilter,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl LineExportFilter {
    fn takes(&self, date: Option<NaiveDate>) -> bool {
        let Some(date) = date else {
            return self.from.is_none() && self.to.is_none();
        };
        self.from.is_none_or(|from| date >= from) && self.to.is_none_or(|to| date <= to)
    }
}

/// One CSV row. Column names are a stable interface: add, never rename.
#[derive(Debug, Serialize)]
struct LineRow<'a> {
    /// Japan time, `2026-11-20 10:00:00`: the sale's, or the refund's when it went through.
    local_time: String,
    /// `sale` (a line item) or `refund` (money given back, a negative amount).
    row: &'static str,
    sale_id: i64,
    receipt_no: i64,
    business_day_id: i64,
    kind: &'static str,
    state: &'static str,
    line_no: Option<i64>,
    jan: Option<&'a str>,
    name: &'a str,
    unit_price: Option<i64>,
    quantity: Option<i64>,
    amount: i64,
    tax_rate: Option<String>,
    provider: Option<&'a str>,
    money_name: Option<&'a str>,
    transaction_id: Option<&'a str>,
    terminal: &'a str,
    training: bool,
}

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

fn local_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&local_time(text, "%Y-%m-%d"), "%Y-%m-%d").ok()
}

impl Journal {
    /// The bookkeeping CSV's bytes, header row first.
    pub fn export_csv_lines(
        &self,
        filter: LineExportFilter,
        encoding: CsvEncoding,
    ) -> Result<Vec<u8>, JournalError> {
        let mut details = Vec::new();
        for summary in self.list_sales(filter.sales)? {
            details.push(self.sale(summary.id)?);
        }
        let text = csv_text(&details, filter)?;
        Ok(match encoding {
            CsvEncoding::Utf8Bom => [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
            // A character Shift_JIS lacks becomes an HTML character reference, still readable.
            CsvEncoding::ShiftJis => encoding_rs::SHIFT_JIS.encode(&text).0.into_owned(),
        })
    }
}

fn csv_text(details: &[SaleDetail], filter: LineExportFilter) -> Result<String, JournalError> {
    let other = |e: csv::Error| JournalError::Other(e.to_string());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut wrote_any = false;
    for detail in details {
        let sale = &detail.sale;
        let row = |row, name, amount| LineRow {
            local_time: local_time(&sale.created_at, TIME_FORMAT),
            row,
            sale_id: sale.id,
            receipt_no: sale.receipt_no,
            business_day_id: sale.business_day_id,
            kind: sale.kind.as_str(),
            state: sale.state.as_str(),
            line_no: None,
            jan: None,
            name,
            unit_price: None,
            quantity: None,
            amount,
            tax_rate: None,
            provider: sale.provider.as_deref(),
            money_name: sale.money_name.as_deref(),
            transaction_id: sale.transaction_id.as_deref(),
            terminal: &sale.terminal,
            training: sale.training,
        };
        // A copy of another till's sale was sold there: here only its refunds are rows.
        if sale.origin.is_none() && filter.takes(local_date(&sale.created_at)) {
            for line in &detail.lines {
                writer
                    .serialize(LineRow {
                        line_no: Some(line.line_no),
                        jan: line.jan.as_deref(),
                        unit_price: Some(line.unit_price.value()),
                        quantity: Some(line.quantity),
                        tax_rate: Some(line.tax_rate.to_string()),
                        ..row("sale", &line.name, line.amount.value())
                    })
                    .map_err(other)?;
                wrote_any = true;
            }
        }
        // A refund is dated when it went through, which may be another day than the sale.
        for refund in detail
            .refunds
            .iter()
            .filter(|r| r.state == RefundState::Done)
        {
            if !filter.takes(local_date(&refund.updated_at)) {
                continue;
            }
            writer
                .serialize(LineRow {
                    local_time: local_time(&refund.updated_at, TIME_FORMAT),
                    transaction_id: refund
                        .refund_transaction_id
                        .as_deref()
                        .or(Some(refund.transaction_id.as_str())),
                    ..row("refund", &refund.reason, -refund.amount.value())
                })
                .map_err(other)?;
            wrote_any = true;
        }
    }
    if !wrote_any {
        // The header alone, so a spreadsheet still shows the columns.
        writer.write_record(HEADER).map_err(other)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| JournalError::Other(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| JournalError::Other(e.to_string()))
}

const HEADER: [&str; 19] = [
    "local_time",
    "row",
    "sale_id",
    "receipt_no",
    "business_day_id",
    "kind",
    "state",
    "line_no",
    "jan",
    "name",
    "unit_price",
    "quantity",
    "amount",
    "tax_rate",
    "provider",
    "money_name",
    "transaction_id",
    "terminal",
    "training",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SaleMeta;
    use regi_core::domain::{
        AmountGuard, AttemptEvent, Cart, PaymentMethod, TaxPolicy, TaxRate, Yen,
    };

    const ALL: LineExportFilter = LineExportFilter {
        sales: SaleFilter::All,
        from: None,
        to: None,
    };

    fn paid_sale(journal: &mut Journal) -> i64 {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(1_000), TaxRate::Reduced8, Some("お弁当"))
            .unwrap();
        cart.add_manual(Yen(200), TaxRate::Standard10, Some("袋"))
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let attempt = journal
            .create_attempt(sale.sale_id, "pokepay", PaymentMethod::MerchantQr)
            .unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "tx-1".into(),
                },
            )
            .unwrap();
        sale.sale_id
    }

    fn rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
        let text =
            std::str::from_utf8(bytes.strip_prefix(b"\xef\xbb\xbf").expect("a BOM")).unwrap();
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn each_line_item_is_a_row_with_a_bom_and_japan_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_sale(&mut journal);
        let bytes = journal.export_csv_lines(ALL, CsvEncoding::Utf8Bom).unwrap();
        let rows = rows(&bytes);
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][9], "お弁当");
        assert_eq!(&rows[0][12], "1000");
        assert_eq!(&rows[0][13], "8%");
        assert_eq!(&rows[1][9], "袋");
        let time = &rows[0][0];
        assert!(!time.contains('Z') && !time.contains('T'), "{time}");
        assert_eq!(time.len(), "2026-11-20 10:00:00".len(), "{time}");
    }

    #[test]
    fn the_shift_jis_export_decodes_to_the_same_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_sale(&mut journal);
        let bytes = journal
            .export_csv_lines(ALL, CsvEncoding::ShiftJis)
            .unwrap();
        assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad);
        assert!(
            text.starts_with("local_time,row,") && text.contains("お弁当"),
            "{text}"
        );
    }

    #[test]
    fn a_done_refund_is_a_dated_negative_row_and_dates_filter_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let sale_id = paid_sale(&mut journal);
        let refund = journal.begin_refund(sale_id, "返品").unwrap();
        journal
            .finish_refund(
                refund.refund_id,
                regi_core::records::RefundOutcome::Done {
                    refund_transaction_id: "tx-r".into(),
                },
            )
            .unwrap();
        let rows_all = rows(&journal.export_csv_lines(ALL, CsvEncoding::Utf8Bom).unwrap());
        let refund_row = rows_all
            .iter()
            .find(|r| &r[1] == "refund")
            .expect("a refund row");
        assert_eq!(&refund_row[12], "-1200");
        assert_eq!(&refund_row[16], "tx-r");
        assert!(!refund_row[0].is_empty());

        let today = NaiveDate::parse_from_str(&refund_row[0][..10], "%Y-%m-%d").ok();
        let next_day = today.unwrap().succ_opt();
        let later = LineExportFilter {
            from: next_day,
            ..ALL
        };
        let bytes = journal
            .export_csv_lines(later, CsvEncoding::Utf8Bom)
            .unwrap();
        assert!(rows(&bytes).is_empty());
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains("local_time,row,sale_id"),
            "the header stays: {text}"
        );
        let up_to_today = LineExportFilter { to: today, ..ALL };
        assert_eq!(
            rows(
                &journal
                    .export_csv_lines(up_to_today, CsvEncoding::Utf8Bom)
                    .unwrap()
            )
            .len(),
            3
        );
    }
}
