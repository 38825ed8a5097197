//! X report (totals since the day opened) and Z report (closes the day, kept immutable).

use rusqlite::{Connection, params};

use serde_json::json;

use super::Journal;
use super::drawer::cash_summary;
use super::error::JournalError;
use super::rows::{self, UNRESOLVED_ATTEMPT_STATES};
use super::sales::{append_event, current_day};
use regi_core::domain::{PaymentMethod, RateSummary, Rounding, SaleKind, TaxRate, TaxSummary, Yen};
use regi_core::records::{
    BusinessDay, HourTotals, MethodTotals, MoneyNameTotals, ProviderTotals, RateTotals, Report,
    ReportKind, Totals, local_time,
};

const METHODS: [PaymentMethod; 2] = [PaymentMethod::MerchantQr, PaymentMethod::CustomerCode];

struct Accumulator {
    by_method: Vec<MethodTotals>,
    by_provider: Vec<ProviderTotals>,
    by_rate: Vec<RateTotals>,
    totals: Totals,
}

impl Accumulator {
    fn new() -> Self {
        Self {
            by_method: METHODS
                .iter()
                .map(|&method| MethodTotals {
                    method,
                    count: 0,
                    amount: Yen::ZERO,
                })
                .collect(),
            by_provider: Vec::new(),
            by_rate: TaxRate::ALL
                .iter()
                .map(|&rate| RateTotals {
                    rate,
                    taxable: Yen::ZERO,
                    tax: Yen::ZERO,
                })
                .collect(),
            totals: Totals::default(),
        }
    }

    /// A paid sale or a refund: the totals and the taxes per rate.
    fn add_sale(&mut self, row: &MoneyRow) {
        self.totals.add(row.amount);
        for (slot, (taxable, tax)) in self.by_rate.iter_mut().zip(row.rates) {
            slot.taxable = Yen(slot.taxable.value().saturating_add(taxable));
            slot.tax = Yen(slot.tax.value().saturating_add(tax));
        }
    }

    /// A refund: counted as a sale is and under the tender it gave back.
    fn add(&mut self, row: &MoneyRow) {
        self.add_sale(row);
        self.add_tender(row);
    }

    /// One paid tender (or refund of one), with its own amount, under its way to pay and its
    /// provider: a sale paid in cash and by QR adds to both.
    fn add_tender(&mut self, row: &MoneyRow) {
        // The long-standing tenders always have a row; any other appears once it was used.
        let at = match self.by_method.iter().position(|m| m.method == row.method) {
            Some(at) => at,
            None => {
                self.by_method.push(MethodTotals {
                    method: row.method,
                    count: 0,
                    amount: Yen::ZERO,
                });
                self.by_method.len() - 1
            }
        };
        let m = &mut self.by_method[at];
        m.count += 1;
        m.amount = Yen(m.amount.value().saturating_add(row.amount));
        let at = match self
            .by_provider
            .iter()
            .position(|p| p.provider == row.provider)
        {
            Some(at) => at,
            None => {
                self.by_provider.push(ProviderTotals {
                    provider: row.provider.clone(),
                    count: 0,
                    amount: Yen::ZERO,
                    by_money_name: Vec::new(),
                });
                self.by_provider.len() - 1
            }
        };
        let p = &mut self.by_provider[at];
        p.count += 1;
        p.amount = Yen(p.amount.value().saturating_add(row.amount));
        if let Some(name) = &row.money_name {
            let at = match p.by_money_name.iter().position(|m| &m.money_name == name) {
                Some(at) => at,
                None => {
                    p.by_money_name.push(MoneyNameTotals {
                        money_name: name.clone(),
                        count: 0,
                        amount: Yen::ZERO,
                    });
                    p.by_money_name.len() - 1
                }
            };
            let m = &mut p.by_money_name[at];
            m.count += 1;
            m.amount = Yen(m.amount.value().saturating_add(row.amount));
        }
    }
}

/// One paid sale or completed refund, as the report needs it.
struct MoneyRow {
    kind: SaleKind,
    method: PaymentMethod,
    provider: String,
    /// What the provider called the way the customer paid; `None` when it named none.
    money_name: Option<String>,
    amount: i64,
    /// (taxable, tax) in `TaxRate::ALL` order.
    rates: [(i64, i64); 2],
}

fn money_rows(conn: &Connection, sql: &str, day: i64) -> Result<Vec<MoneyRow>, JournalError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rs = stmt.query([day])?;
    let mut out = Vec::new();
    while let Some(r) = rs.next()? {
        let mut rates = [(r.get(3)?, r.get(4)?), (r.get(5)?, r.get(6)?)];
        let amount: i64 = r.get(2)?;
        if amount < rates[0].0 + rates[1].0 {
            // Less than the goods rung up (a held payment captured for less, a partial refund):
            // its taxes are those of the part, apportioned across the rates.
            let rounding = Rounding::parse(&r.get::<_, String>(9)?)
                .ok_or_else(|| JournalError::Corrupt("unexpected tax rounding".into()))?;
            let rate = |rate, (taxable, tax)| RateSummary {
                rate,
                taxable_total: Yen(taxable),
                tax: Yen(tax),
            };
            let whole = TaxSummary {
                standard: rate(TaxRate::Standard10, rates[0]),
                reduced: rate(TaxRate::Reduced8, rates[1]),
            };
            let paid = whole.apportioned(Yen(amount), rounding);
            rates = [
                (
                    paid.standard.taxable_total.value(),
                    paid.standard.tax.value(),
                ),
                (paid.reduced.taxable_total.value(), paid.reduced.tax.value()),
            ];
        }
        out.push(MoneyRow {
            kind: rows::sale_kind(&r.get::<_, String>(0)?)?,
            method: rows::method(&r.get::<_, String>(1)?)?,
            amount: r.get(2)?,
            rates,
            provider: r.get(7)?,
            // A blank name says nothing a row could be labelled with.
            money_name: r
                .get::<_, Option<String>>(8)?
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
        });
    }
    Ok(out)
}

pub(super) fn build(
    conn: &Connection,
    kind: ReportKind,
    day: &BusinessDay,
    generated_at: &str,
) -> Result<Report, JournalError> {
    let paid = money_rows(
        conn,
        "SELECT s.kind, a.tender, s.total - s.released, s.standard_taxable, s.standard_tax, \
           s.reduced_taxable, s.reduced_tax, a.provider, a.money_name, s.tax_rounding \
         FROM sales s JOIN payment_attempts a ON a.id = \
           (SELECT id FROM payment_attempts WHERE sale_id = s.id AND state = 'paid' \
            ORDER BY id LIMIT 1) \
         WHERE s.business_day_id = ?1 AND s.state <> 'partly_paid' ORDER BY s.id",
        day.id,
    )?;
    // Each paid tender by itself, for what it paid (a held payment captured for less, what was
    // captured); also those of a sale still partly paid, whose money is taken already.
    let tenders = money_rows(
        conn,
        "SELECT s.kind, a.tender, COALESCE(a.capture_amount, ABS(a.amount)), \
           s.standard_taxable, s.standard_tax, s.reduced_taxable, s.reduced_tax, a.provider, \
           a.money_name, s.tax_rounding \
         FROM payment_attempts a JOIN sales s ON s.id = a.sale_id \
         WHERE s.business_day_id = ?1 AND a.state = 'paid' ORDER BY a.id",
        day.id,
    )?;
    // A refund of a return of lines is taxed as the return's rates (not the sale's mix); any
    // other refund as what the sale has left at each rate after the returns given back before
    // it. One given back in cash for a tender that refunds only whole payments counts as cash,
    // once.
    let left_at = |sale_column: &str, return_column: &str| {
        format!(
            "s.{sale_column} - (SELECT COALESCE(SUM(x.{return_column}), 0) FROM returns x \
               WHERE x.sale_id = s.id AND x.created_at <= r.created_at \
                 AND EXISTS (SELECT 1 FROM refunds y WHERE y.return_id = x.id \
                               AND y.state = 'done'))"
        )
    };
    let refunded = money_rows(
        conn,
        &format!(
            "SELECT s.kind, CASE WHEN r.cash_back THEN 'cash' ELSE a.tender END, r.amount, \
               COALESCE(ret.standard_amount, {}), COALESCE(ret.standard_tax, {}), \
               COALESCE(ret.reduced_amount, {}), COALESCE(ret.reduced_tax, {}), \
               CASE WHEN r.cash_back THEN 'cash' ELSE a.provider END, \
               CASE WHEN r.cash_back THEN NULL ELSE a.money_name END, s.tax_rounding \
             FROM refunds r JOIN sales s ON s.id = r.sale_id \
               JOIN payment_attempts a ON a.id = r.attempt_id \
               LEFT JOIN returns ret ON ret.id = r.return_id \
             WHERE r.business_day_id = ?1 AND r.state = 'done' ORDER BY r.id",
            left_at("standard_taxable", "standard_amount"),
            left_at("standard_tax", "standard_tax"),
            left_at("reduced_taxable", "reduced_amount"),
            left_at("reduced_tax", "reduced_tax"),
        ),
        day.id,
    )?;
    let mut payments = Accumulator::new();
    let mut topups = Accumulator::new();
    for row in &paid {
        match row.kind {
            SaleKind::Payment => payments.add_sale(row),
            SaleKind::Topup => topups.add_sale(row),
        }
    }
    for row in &tenders {
        match row.kind {
            SaleKind::Payment => payments.add_tender(row),
            SaleKind::Topup => topups.add_tender(row),
        }
    }
    let mut refunds = Accumulator::new();
    let mut topup_refunds = Totals::default();
    for row in &refunded {
        match row.kind {
            SaleKind::Payment => refunds.add(row),
            SaleKind::Topup => topup_refunds.add(row.amount),
        }
    }

    let count_attempts = |state: &str| -> Result<i64, JournalError> {
        Ok(conn.query_row(
            "SELECT COUNT(*) FROM payment_attempts a JOIN sales s ON s.id = a.sale_id \
             WHERE s.business_day_id = ?1 AND a.state = ?2",
            params![day.id, state],
            |r| r.get(0),
        )?)
    };
    let unresolved: i64 = conn.query_row(
        &format!(
            "SELECT COUNT(*) FROM payment_attempts a JOIN sales s ON s.id = a.sale_id \
             WHERE s.business_day_id = ?1 AND a.state IN {UNRESOLVED_ATTEMPT_STATES}"
        ),
        [day.id],
        |r| r.get(0),
    )?;
    let (voided_sales, voided_amount): (i64, i64) = conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(total), 0) FROM sales \
         WHERE business_day_id = ?1 AND voided_at IS NOT NULL",
        [day.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // A discount is journaled as the sale's negative lines, one per tax rate it was shared to.
    let (discounted, discount_yen): (i64, i64) = conn.query_row(
        "SELECT COUNT(DISTINCT l.sale_id), COALESCE(SUM(-l.amount), 0) \
         FROM sale_lines l JOIN sales s ON s.id = l.sale_id \
         WHERE s.business_day_id = ?1 AND s.kind = 'payment' AND l.amount < 0 \
           AND s.state IN ('paid', 'refunded')",
        [day.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (first_receipt_no, last_receipt_no): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT MIN(receipt_no), MAX(receipt_no) FROM sales WHERE business_day_id = ?1",
        [day.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;

    Ok(Report {
        kind,
        business_day_id: day.id,
        opened_at: day.opened_at.clone(),
        generated_at: generated_at.to_string(),
        first_receipt_no,
        last_receipt_no,
        net_sales: Yen(payments
            .totals
            .amount
            .value()
            .saturating_sub(refunds.totals.amount.value())),
        payments: payments.totals,
        payments_by_method: payments.by_method,
        payments_by_rate: payments.by_rate,
        payments_by_provider: payments.by_provider,
        refunds: refunds.totals,
        refunds_by_method: refunds.by_method,
        refunds_by_rate: refunds.by_rate,
        refunds_by_provider: refunds.by_provider,
        net_topups: Yen(topups
            .totals
            .amount
            .value()
            .saturating_sub(topup_refunds.amount.value())),
        topups: topups.totals,
        topups_by_method: topups.by_method,
        topup_refunds,
        failed_attempts: count_attempts("failed")?,
        expired_attempts: count_attempts("expired")?,
        cancelled_attempts: count_attempts("cancelled")?,
        voided_sales,
        voided_amount: Yen(voided_amount),
        unresolved_attempts: unresolved,
        cash: cash_summary(conn, day.id)?,
        sales_by_hour: sales_by_hour(conn, day.id)?,
        discounts: Totals {
            count: discounted,
            amount: Yen(discount_yen),
        },
    })
}

/// The paid payment sales of `day` (those the report's sales line counts) per hour of the shop's
/// clock when each was rung up, in the order the hours came.
fn sales_by_hour(conn: &Connection, day: i64) -> Result<Vec<HourTotals>, JournalError> {
    let mut stmt = conn.prepare(
        "SELECT s.created_at, s.total - s.released FROM sales s \
         WHERE s.business_day_id = ?1 AND s.kind = 'payment' AND s.state <> 'partly_paid' \
           AND EXISTS (SELECT 1 FROM payment_attempts a WHERE a.sale_id = s.id AND a.state = 'paid') \
         ORDER BY s.id",
    )?;
    let mut rs = stmt.query([day])?;
    let mut out: Vec<HourTotals> = Vec::new();
    while let Some(r) = rs.next()? {
        let at: String = r.get(0)?;
        let amount: i64 = r.get(1)?;
        let hour = local_time(&at, "%H")
            .parse::<u8>()
            .map_err(|_| JournalError::Corrupt(format!("unexpected sale time {at:?}")))?;
        // Sales come in the order they were rung: a new hour starts a new row.
        match out.last_mut() {
            Some(last) if last.hour == hour => {
                last.count += 1;
                last.amount = Yen(last.amount.value().saturating_add(amount));
            }
            _ => out.push(HourTotals {
                hour,
                count: 1,
                amount: Yen(amount),
            }),
        }
    }
    Ok(out)
}

impl Journal {
    /// Totals since the open day began; `None` when no day is open (the last Z closed it and
    /// nothing has been sold since).
    pub fn x_report(&self) -> Result<Option<Report>, JournalError> {
        let Some(day) = current_day(&self.conn)? else {
            return Ok(None);
        };
        build(&self.conn, ReportKind::X, &day, &self.now_text()).map(Some)
    }

    /// Closes the open day and stores its Z report, which can never change afterwards.
    /// Refused when no day is open (e.g. a second Z) or an attempt is still unresolved.
    pub fn close_day_with_z_report(&mut self) -> Result<Report, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let day = current_day(&tx)?.ok_or_else(|| {
            JournalError::Refused(
                "no business day is open: the last one was already closed by its Z report".into(),
            )
        })?;
        let report = build(&tx, ReportKind::Z, &day, &now)?;
        if report.unresolved_attempts > 0 {
            return Err(JournalError::Refused(format!(
                "{} payment attempt(s) are still unresolved; settle them before the Z report",
                report.unresolved_attempts
            )));
        }
        let partly_paid: Vec<(i64, i64)> = {
            let mut stmt = tx.prepare(
                "SELECT id, receipt_no FROM sales \
                 WHERE business_day_id = ?1 AND state = 'partly_paid' ORDER BY id",
            )?;
            stmt.query_map([day.id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        if !partly_paid.is_empty() {
            let named: Vec<String> = partly_paid
                .iter()
                .map(|(id, no)| format!("#{id} (receipt No.{no})"))
                .collect();
            return Err(JournalError::Refused(format!(
                "sale {} is only partly paid; take the rest or give its tenders back before the \
                 Z report",
                named.join(", ")
            )));
        }
        let pending_refunds: i64 = tx.query_row(
            "SELECT COUNT(*) FROM refunds WHERE business_day_id = ?1 AND state = 'pending'",
            [day.id],
            |r| r.get(0),
        )?;
        if pending_refunds > 0 {
            return Err(JournalError::Refused(format!(
                "{pending_refunds} refund(s) are still pending; settle them before the Z report"
            )));
        }
        let snapshot = serde_json::to_string(&report)?;
        tx.execute(
            "UPDATE business_days SET closed_at = ?2, z_report_json = ?3 WHERE id = ?1",
            params![day.id, now, snapshot],
        )?;
        append_event(
            &tx,
            &now,
            None,
            None,
            "z_report",
            &json!({ "business_day_id": day.id, "net_sales": report.net_sales.value() }),
        )?;
        tx.commit()?;
        Ok(report)
    }

    /// The Z report stored when `business_day_id` closed.
    pub fn z_report(&self, business_day_id: i64) -> Result<Option<Report>, JournalError> {
        let json: Option<String> = rows::query_one(
            &self.conn,
            "SELECT z_report_json FROM business_days WHERE id = ?1",
            [business_day_id],
            |r| Ok(r.get(0)?),
        )?
        .flatten();
        json.map(|j| serde_json::from_str(&j).map_err(|e| JournalError::Corrupt(e.to_string())))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SaleMeta;
    use chrono::{DateTime, Utc};
    use regi_core::domain::{AmountGuard, AttemptEvent, Cart, TaxPolicy};
    use regi_core::records::RefundOutcome;

    /// A paid sale whose provider named the way the customer paid (as receipts record it).
    fn paid_with(journal: &mut Journal, yen: i64, provider: &str, money_name: &str) -> i64 {
        let sale_id = paid_sale(journal, yen, provider, PaymentMethod::HostedPage);
        journal.record_money_name(sale_id, money_name).unwrap();
        sale_id
    }

    fn refund(journal: &mut Journal, sale_id: i64) {
        let started = journal.begin_refund(sale_id, "returned").unwrap();
        journal
            .finish_refund(
                started.refund_id,
                RefundOutcome::Done {
                    refund_transaction_id: format!("rf-{sale_id}"),
                },
            )
            .unwrap();
    }

    fn paid_sale(journal: &mut Journal, yen: i64, provider: &str, method: PaymentMethod) -> i64 {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(yen), TaxRate::Standard10, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let attempt = journal
            .create_attempt(sale.sale_id, provider, method)
            .unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: format!("tx-{}", sale.sale_id),
                },
            )
            .unwrap();
        sale.sale_id
    }

    #[test]
    fn the_day_is_summed_per_provider_and_shown_so_when_more_than_one_took_payments() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_sale(&mut journal, 1_000, "provider-a", PaymentMethod::MerchantQr);
        let alone = journal.x_report().unwrap().unwrap();
        assert_eq!(alone.payments_by_provider.len(), 1);
        assert!(
            !alone.to_text().contains("provider-a"),
            "{}",
            alone.to_text()
        );

        paid_sale(&mut journal, 2_500, "provider-b", PaymentMethod::HostedPage);
        paid_sale(&mut journal, 500, "provider-a", PaymentMethod::MerchantQr);
        let report = journal.x_report().unwrap().unwrap();
        let by: Vec<(String, i64, i64)> = report
            .payments_by_provider
            .iter()
            .map(|p| (p.provider.clone(), p.count, p.amount.value()))
            .collect();
        assert_eq!(
            by,
            [
                ("provider-a".into(), 2, 1_500),
                ("provider-b".into(), 1, 2_500)
            ]
        );
        let text = report.to_text();
        assert!(
            text.contains("provider-b") && text.contains("決済ページ"),
            "{text}"
        );
    }

    #[test]
    fn sales_are_counted_per_hour_of_the_shop_clock_and_old_z_reports_read_without_them() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicI64, Ordering};
        let dir = tempfile::tempdir().unwrap();
        // 00:30 UTC is 09:30 in Tokyo.
        let now = Arc::new(AtomicI64::new(
            "2026-12-01T00:30:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp(),
        ));
        let clock = {
            let now = Arc::clone(&now);
            move || DateTime::from_timestamp(now.load(Ordering::SeqCst), 0).unwrap()
        };
        let mut journal =
            Journal::open_with_clock(&dir.path().join("j.sqlite"), Box::new(clock)).unwrap();
        let at = |time: &str| {
            now.store(
                time.parse::<DateTime<Utc>>().unwrap().timestamp(),
                Ordering::SeqCst,
            )
        };
        paid_sale(&mut journal, 1_000, "provider-a", PaymentMethod::MerchantQr);
        at("2026-12-01T00:50:00Z");
        paid_sale(&mut journal, 500, "provider-a", PaymentMethod::MerchantQr);
        at("2026-12-01T03:10:00Z");
        let later = paid_sale(&mut journal, 2_000, "provider-a", PaymentMethod::MerchantQr);
        // A sale given back later still counts in the hour it was sold, as in the sales line.
        refund(&mut journal, later);
        // A sale not paid is not a sale.
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(700), TaxRate::Standard10, None)
            .unwrap();
        journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();

        let report = journal.x_report().unwrap().unwrap();
        let by: Vec<(u8, i64, i64)> = report
            .sales_by_hour
            .iter()
            .map(|h| (h.hour, h.count, h.amount.value()))
            .collect();
        assert_eq!(by, [(9, 2, 1_500), (12, 1, 2_000)]);
        assert_eq!(
            report
                .sales_by_hour
                .iter()
                .map(|h| h.amount.value())
                .sum::<i64>(),
            report.payments.amount.value()
        );

        let z = journal.close_day_with_z_report().unwrap();
        let mut stored = serde_json::to_value(&z).unwrap();
        stored.as_object_mut().unwrap().remove("sales_by_hour");
        let old: Report = serde_json::from_value(stored).unwrap();
        assert!(old.sales_by_hour.is_empty());
    }

    #[test]
    fn a_z_report_stored_before_providers_were_counted_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_sale(&mut journal, 800, "provider-a", PaymentMethod::MerchantQr);
        let z = journal.close_day_with_z_report().unwrap();
        let mut stored = serde_json::to_value(&z).unwrap();
        let object = stored.as_object_mut().unwrap();
        object.remove("payments_by_provider");
        object.remove("refunds_by_provider");
        let old: Report = serde_json::from_value(stored).unwrap();
        assert!(old.payments_by_provider.is_empty());
        assert_eq!(old.payments, z.payments);
    }

    fn by_money_name(totals: &ProviderTotals) -> Vec<(String, i64, i64)> {
        totals
            .by_money_name
            .iter()
            .map(|m| (m.money_name.clone(), m.count, m.amount.value()))
            .collect()
    }

    #[test]
    fn each_provider_is_summed_per_way_to_pay_and_an_unnamed_payment_counts_under_the_provider_alone()
     {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_with(&mut journal, 1_000, "provider-a", "PayPay");
        let linepay = paid_with(&mut journal, 700, "provider-a", "LINE Pay");
        paid_with(&mut journal, 300, "provider-a", "PayPay");
        paid_sale(&mut journal, 50, "provider-a", PaymentMethod::HostedPage);
        refund(&mut journal, linepay);

        let report = journal.x_report().unwrap().unwrap();
        let a = &report.payments_by_provider[0];
        assert_eq!((a.count, a.amount.value()), (4, 2_050));
        assert_eq!(
            by_money_name(a),
            [("PayPay".into(), 2, 1_300), ("LINE Pay".into(), 1, 700)]
        );
        assert_eq!(
            by_money_name(&report.refunds_by_provider[0]),
            [("LINE Pay".into(), 1, 700)]
        );
        // One provider with two ways to pay: its row and theirs, indented under it.
        let text = report.to_text();
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with("provider-a"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(lines[at + 1].starts_with("    PayPay"), "{text}");
        assert!(lines[at + 1].contains("2件"), "{text}");
        assert!(lines[at + 2].starts_with("    LINE Pay"), "{text}");
    }

    #[test]
    fn one_provider_with_one_way_to_pay_adds_no_rows_and_two_providers_show_each_way() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_with(&mut journal, 1_000, "provider-a", "PayPay");
        paid_with(&mut journal, 500, "provider-a", "PayPay");
        let alone = journal.x_report().unwrap().unwrap().to_text();
        assert!(
            !alone.contains("provider-a") && !alone.contains("PayPay"),
            "{alone}"
        );

        paid_with(&mut journal, 800, "provider-b", "d払い");
        let text = journal.x_report().unwrap().unwrap().to_text();
        assert!(
            text.contains("    PayPay") && text.contains("    d払い"),
            "{text}"
        );
    }

    #[test]
    fn a_z_report_stored_before_ways_to_pay_were_counted_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        paid_with(&mut journal, 800, "provider-a", "PayPay");
        let z = journal.close_day_with_z_report().unwrap();
        let mut stored = serde_json::to_value(&z).unwrap();
        for provider in stored["payments_by_provider"].as_array_mut().unwrap() {
            provider.as_object_mut().unwrap().remove("by_money_name");
        }
        let old: Report = serde_json::from_value(stored).unwrap();
        assert_eq!(old.payments_by_provider[0].count, 1);
        assert!(old.payments_by_provider[0].by_money_name.is_empty());
        assert_eq!(old.payments, z.payments);
    }

    #[test]
    fn a_subtotal_discount_counts_once_per_sale_with_the_yen_taken_off() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        // ¥1,000 at 8 % and ¥500 at 10 %, 10 % off: ¥150 off, shared across both rates.
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(1_000), TaxRate::Reduced8, None)
            .unwrap();
        cart.add_manual(Yen(500), TaxRate::Standard10, None)
            .unwrap();
        cart.set_discount(regi_core::domain::SubtotalDiscount {
            discount: regi_core::domain::Discount::Percent(10),
            reason: None,
        })
        .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        journal
            .record_cash_tender(sale.sale_id, Yen(1_350))
            .unwrap();
        // A sale without a discount, and one discounted but never paid, count for nothing.
        paid_sale(&mut journal, 700, "provider-a", PaymentMethod::MerchantQr);
        let mut unpaid = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        unpaid
            .add_manual(Yen(900), TaxRate::Standard10, None)
            .unwrap();
        unpaid
            .set_discount(regi_core::domain::SubtotalDiscount {
                discount: regi_core::domain::Discount::Yen(Yen(100)),
                reason: None,
            })
            .unwrap();
        journal
            .create_sale(&unpaid.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let report = journal.x_report().unwrap().unwrap();
        assert_eq!(
            (report.discounts.count, report.discounts.amount),
            (1, Yen(150))
        );
        assert!(report.to_text().contains("値引"), "{}", report.to_text());
    }
}
