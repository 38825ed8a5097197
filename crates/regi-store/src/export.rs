//! The store's sales for the accountant: every till's sales of a range of shop dates with their
//! lines and tax per rate, and each refund as a row of its own on the date it was made, in shop
//! time (Asia/Tokyo), as JSON or CSV.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Tokyo;
use serde::Serialize;
use serde_json::Value;
use tokio_postgres::Client;

use crate::StoreError;

/// One row of the export: a sale, one of its lines, or a refund. Field names are a stable
/// interface: add, never rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    /// `sale`, `line` or `refund`.
    pub row: &'static str,
    pub terminal_id: String,
    pub sale_id: i64,
    pub receipt_no: i64,
    /// Shop date and time of the sale, or of the refund.
    pub date: String,
    pub time: String,
    /// The sale's state (`paid`, `refunded`, …); a refund's own (`done`, `pending`, `failed`).
    pub state: String,
    /// Yen: the sale's total, the line's amount, or the refund's (negative: given back).
    pub amount: i64,
    /// Per rate, on a sale row: the tax-inclusive amount at 10 % and 8 % and the tax in it.
    pub standard_taxable: Option<i64>,
    pub standard_tax: Option<i64>,
    pub reduced_taxable: Option<i64>,
    pub reduced_tax: Option<i64>,
    /// The ways it was paid (`cash:1000 pokepay:2000`), or the provider that gave it back.
    pub tenders: String,
    /// A line's name, JAN, price, quantity and rate (`standard` or `reduced`).
    pub name: Option<String>,
    pub jan: Option<String>,
    pub unit_price: Option<i64>,
    pub quantity: Option<i64>,
    pub tax_rate: Option<String>,
}

/// Every row of store `store_id` from shop date `from` to `to`, both included: sales of those
/// dates with their lines, and refunds made on those dates (of sales of any date).
pub async fn store_export(
    client: &Client,
    store_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ExportRow>, StoreError> {
    let rows = client
        .query(
            "SELECT s.terminal_id, s.snapshot FROM regi.store_sales s \
             WHERE s.store_id = $1 AND ( \
               ((s.snapshot -> 'sale' ->> 'created_at')::timestamptz AT TIME ZONE 'Asia/Tokyo')::date \
                 BETWEEN $2 AND $3 \
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(s.snapshot -> 'refunds') r \
                 WHERE ((r ->> 'created_at')::timestamptz AT TIME ZONE 'Asia/Tokyo')::date \
                   BETWEEN $2 AND $3)) \
             ORDER BY s.terminal_id, s.sale_id",
            &[&store_id, &from, &to],
        )
        .await?;
    let mut out = Vec::new();
    for row in rows {
        let terminal: String = row.get(0);
        let snapshot: Value = row.get(1);
        rows_of_sale(&terminal, &snapshot, from, to, &mut out);
    }
    out.sort_by(|a, b| (&a.date, &a.time, &a.terminal_id).cmp(&(&b.date, &b.time, &b.terminal_id)));
    Ok(out)
}

fn rows_of_sale(
    terminal: &str,
    snapshot: &Value,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<ExportRow>,
) {
    let sale = &snapshot["sale"];
    let int = |v: &Value, k: &str| v[k].as_i64().unwrap_or(0);
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or("").to_string();
    let base = |at: &str, row: &'static str| {
        let (date, time, day) = shop_time(at);
        (
            ExportRow {
                row,
                terminal_id: terminal.to_string(),
                sale_id: int(sale, "id"),
                receipt_no: int(sale, "receipt_no"),
                date,
                time,
                state: String::new(),
                amount: 0,
                standard_taxable: None,
                standard_tax: None,
                reduced_taxable: None,
                reduced_tax: None,
                tenders: String::new(),
                name: None,
                jan: None,
                unit_price: None,
                quantity: None,
                tax_rate: None,
            },
            day.is_some_and(|d| d >= from && d <= to),
        )
    };
    let attempts = snapshot["attempts"].as_array().cloned().unwrap_or_default();
    let tenders: Vec<String> = attempts
        .iter()
        .filter(|a| a["state"] == "paid")
        .map(|a| format!("{}:{}", text(a, "provider"), int(a, "amount").abs()))
        .collect();
    let (mut row, in_range) = base(&text(sale, "created_at"), "sale");
    // A till's copy of another till's sale, made to return it there, was sold at that other
    // till (whose rows hold it): of the copy, only its refunds are rows.
    let copied = sale["origin_terminal"].is_string();
    if in_range && !copied {
        row.state = text(sale, "state");
        row.amount = int(sale, "total");
        row.standard_taxable = Some(int(sale, "standard_taxable"));
        row.standard_tax = Some(int(sale, "standard_tax"));
        row.reduced_taxable = Some(int(sale, "reduced_taxable"));
        row.reduced_tax = Some(int(sale, "reduced_tax"));
        row.tenders = tenders.join(" ");
        out.push(row.clone());
        for line in snapshot["lines"].as_array().into_iter().flatten() {
            let mut l = row.clone();
            l.row = "line";
            l.amount = int(line, "amount");
            l.standard_taxable = None;
            l.standard_tax = None;
            l.reduced_taxable = None;
            l.reduced_tax = None;
            l.tenders = String::new();
            l.name = Some(text(line, "name"));
            l.jan = line["jan"].as_str().map(String::from);
            l.unit_price = Some(int(line, "unit_price"));
            l.quantity = Some(int(line, "quantity"));
            l.tax_rate = Some(text(line, "tax_rate"));
            out.push(l);
        }
    }
    for refund in snapshot["refunds"].as_array().into_iter().flatten() {
        let (mut r, in_range) = base(&text(refund, "created_at"), "refund");
        if !in_range {
            continue;
        }
        r.state = text(refund, "state");
        r.amount = -int(refund, "amount");
        r.tenders = attempts
            .iter()
            .find(|a| a["id"] == refund["attempt_id"])
            .map(|a| text(a, "provider"))
            .unwrap_or_default();
        out.push(r);
    }
}

/// A journal time (UTC RFC 3339) as the shop's date and time.
fn shop_time(at: &str) -> (String, String, Option<NaiveDate>) {
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let local = t.with_timezone(&Utc).with_timezone(&Tokyo);
            (
                local.format("%Y-%m-%d").to_string(),
                local.format("%H:%M:%S").to_string(),
                Some(local.date_naive()),
            )
        }
        Err(_) => (String::new(), String::new(), None),
    }
}

/// The rows as CSV with a header, one row per line.
pub fn to_csv(rows: &[ExportRow]) -> String {
    let mut out = String::from(
        "row,terminal_id,sale_id,receipt_no,date,time,state,amount,standard_taxable,\
         standard_tax,reduced_taxable,reduced_tax,tenders,name,jan,unit_price,quantity,tax_rate\n",
    );
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    for r in rows {
        let fields = [
            r.row.to_string(),
            r.terminal_id.clone(),
            r.sale_id.to_string(),
            r.receipt_no.to_string(),
            r.date.clone(),
            r.time.clone(),
            r.state.clone(),
            r.amount.to_string(),
            opt(r.standard_taxable),
            opt(r.standard_tax),
            opt(r.reduced_taxable),
            opt(r.reduced_tax),
            r.tenders.clone(),
            r.name.clone().unwrap_or_default(),
            r.jan.clone().unwrap_or_default(),
            opt(r.unit_price),
            opt(r.quantity),
            r.tax_rate.clone().unwrap_or_default(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snapshot() -> Value {
        json!({
            "sale": {"id": 7, "receipt_no": 12, "created_at": "2026-03-31T15:30:00.000Z",
                     "state": "paid", "total": 1630, "standard_taxable": 550, "standard_tax": 50,
                     "reduced_taxable": 1080, "reduced_tax": 80},
            "lines": [{"name": "弁当, 大", "jan": null, "unit_price": 1080, "quantity": 1,
                       "tax_rate": "reduced", "amount": 1080}],
            "attempts": [{"id": 3, "provider": "cash", "state": "paid", "amount": -1630}],
            "refunds": [{"attempt_id": 3, "amount": 550, "state": "done",
                         "created_at": "2026-04-02T01:00:00.000Z"}],
        })
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_sale_is_dated_in_shop_time_with_its_lines_and_its_refund_on_its_own_date() {
        let mut rows = Vec::new();
        rows_of_sale(
            "01",
            &snapshot(),
            day("2026-04-01"),
            day("2026-04-02"),
            &mut rows,
        );
        let kinds: Vec<(&str, &str, i64)> = rows
            .iter()
            .map(|r| (r.row, r.date.as_str(), r.amount))
            .collect();
        // 15:30 UTC on 31 March is 00:30 on 1 April in Tokyo.
        assert_eq!(
            kinds,
            [
                ("sale", "2026-04-01", 1630),
                ("line", "2026-04-01", 1080),
                ("refund", "2026-04-02", -550)
            ]
        );
        assert_eq!(rows[0].reduced_tax, Some(80));
        assert_eq!(rows[0].tenders, "cash:1630");
        assert_eq!(rows[2].tenders, "cash");
    }

    #[test]
    fn a_refund_outside_the_range_is_left_out_and_its_sale_kept_and_the_other_way_round() {
        let mut rows = Vec::new();
        rows_of_sale(
            "01",
            &snapshot(),
            day("2026-04-01"),
            day("2026-04-01"),
            &mut rows,
        );
        assert!(rows.iter().all(|r| r.row != "refund"));
        let mut rows = Vec::new();
        rows_of_sale(
            "01",
            &snapshot(),
            day("2026-04-02"),
            day("2026-04-02"),
            &mut rows,
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, "refund");
    }

    #[test]
    fn csv_quotes_a_name_with_a_comma() {
        let mut rows = Vec::new();
        rows_of_sale(
            "01",
            &snapshot(),
            day("2026-04-01"),
            day("2026-04-02"),
            &mut rows,
        );
        let csv = to_csv(&rows);
        assert!(csv.starts_with("row,terminal_id,"));
        assert!(csv.contains("\"弁当, 大\""), "{csv}");
        assert_eq!(csv.lines().count(), 4);
    }
}
