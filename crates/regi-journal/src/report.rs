//! X report (totals since the day opened) and Z report (closes the day, kept immutable).

use rusqlite::{Connection, params};

use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::rows::{self, UNRESOLVED_ATTEMPT_STATES};
use super::sales::{append_event, current_day};
use regi_core::domain::{PaymentMethod, SaleKind, TaxRate, Yen};
use regi_core::records::{BusinessDay, MethodTotals, RateTotals, Report, ReportKind, Totals};

const METHODS: [PaymentMethod; 2] = [PaymentMethod::MerchantQr, PaymentMethod::CustomerCode];

struct Accumulator {
    by_method: Vec<MethodTotals>,
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

    fn add(&mut self, row: &MoneyRow) {
        self.totals.add(row.amount);
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
        for (slot, (taxable, tax)) in self.by_rate.iter_mut().zip(row.rates) {
            slot.taxable = Yen(slot.taxable.value().saturating_add(taxable));
            slot.tax = Yen(slot.tax.value().saturating_add(tax));
        }
    }
}

/// One paid sale or completed refund, as the report needs it.
struct MoneyRow {
    kind: SaleKind,
    method: PaymentMethod,
    amount: i64,
    /// (taxable, tax) in `TaxRate::ALL` order.
    rates: [(i64, i64); 2],
}

fn money_rows(conn: &Connection, sql: &str, day: i64) -> Result<Vec<MoneyRow>, JournalError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rs = stmt.query([day])?;
    let mut out = Vec::new();
    while let Some(r) = rs.next()? {
        out.push(MoneyRow {
            kind: rows::sale_kind(&r.get::<_, String>(0)?)?,
            method: rows::method(&r.get::<_, String>(1)?)?,
            amount: r.get(2)?,
            rates: [(r.get(3)?, r.get(4)?), (r.get(5)?, r.get(6)?)],
        });
    }
    Ok(out)
}

fn build(
    conn: &Connection,
    kind: ReportKind,
    day: &BusinessDay,
    generated_at: &str,
) -> Result<Report, JournalError> {
    let paid = money_rows(
        conn,
        "SELECT s.kind, a.tender, s.total, s.standard_taxable, s.standard_tax, \
           s.reduced_taxable, s.reduced_tax \
         FROM sales s JOIN payment_attempts a ON a.id = \
           (SELECT id FROM payment_attempts WHERE sale_id = s.id AND state = 'paid' \
            ORDER BY id LIMIT 1) \
         WHERE s.business_day_id = ?1 ORDER BY s.id",
        day.id,
    )?;
    let refunded = money_rows(
        conn,
        "SELECT s.kind, a.tender, r.amount, s.standard_taxable, s.standard_tax, \
           s.reduced_taxable, s.reduced_tax \
         FROM refunds r JOIN sales s ON s.id = r.sale_id \
           JOIN payment_attempts a ON a.id = r.attempt_id \
         WHERE r.business_day_id = ?1 AND r.state = 'done' ORDER BY r.id",
        day.id,
    )?;
    let mut payments = Accumulator::new();
    let mut topups = Accumulator::new();
    for row in &paid {
        match row.kind {
            SaleKind::Payment => payments.add(row),
            SaleKind::Topup => topups.add(row),
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
    let voided_sales: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sales WHERE business_day_id = ?1 AND voided_at IS NOT NULL",
        [day.id],
        |r| r.get(0),
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
        refunds: refunds.totals,
        refunds_by_method: refunds.by_method,
        refunds_by_rate: refunds.by_rate,
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
        unresolved_attempts: unresolved,
    })
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
