//! X report (totals since the day opened) and Z report (closes the day, kept immutable).

use std::fmt::Write as _;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::error::JournalError;
use super::records::BusinessDay;
use super::rows::{self, UNRESOLVED_ATTEMPT_STATES};
use super::sales::{append_event, current_day};
use super::{Journal, local_time};
use crate::domain::{PaymentMethod, SaleKind, TaxRate, Yen};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    X,
    Z,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub count: i64,
    pub amount: Yen,
}

impl Totals {
    fn add(&mut self, amount: i64) {
        self.count += 1;
        self.amount = Yen(self.amount.value().saturating_add(amount));
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodTotals {
    pub method: PaymentMethod,
    pub count: i64,
    pub amount: Yen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTotals {
    pub rate: TaxRate,
    /// Tax-inclusive amount of goods at this rate.
    pub taxable: Yen,
    pub tax: Yen,
}

/// Totals of one business day. Payments and top-ups are kept apart: a top-up is money the
/// customer loads, not a sale of goods, and carries no tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub business_day_id: i64,
    pub opened_at: String,
    /// When the report was made; for a Z report, when the day closed.
    pub generated_at: String,
    pub first_receipt_no: Option<i64>,
    pub last_receipt_no: Option<i64>,
    /// Paid payment sales (including ones refunded later).
    pub payments: Totals,
    pub payments_by_method: Vec<MethodTotals>,
    pub payments_by_rate: Vec<RateTotals>,
    /// Payment refunds completed this day.
    pub refunds: Totals,
    pub refunds_by_method: Vec<MethodTotals>,
    pub refunds_by_rate: Vec<RateTotals>,
    /// `payments − refunds`.
    pub net_sales: Yen,
    pub topups: Totals,
    pub topups_by_method: Vec<MethodTotals>,
    pub topup_refunds: Totals,
    pub net_topups: Yen,
    pub failed_attempts: i64,
    pub expired_attempts: i64,
    pub cancelled_attempts: i64,
    pub voided_sales: i64,
    /// Always 0 in a Z report: a day with open outcomes cannot be closed.
    pub unresolved_attempts: i64,
}

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
        if let Some(m) = self.by_method.iter_mut().find(|m| m.method == row.method) {
            m.count += 1;
            m.amount = Yen(m.amount.value().saturating_add(row.amount));
        }
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

/// Pads by terminal columns, so full-width Japanese labels line up.
fn pad_to_width(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

fn pad_left_to_width(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{}{text}", " ".repeat(fill))
}

fn method_label(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::MerchantQr => "QR提示 (Cashtray)",
        PaymentMethod::CustomerCode => "コード読取 (CPM)",
    }
}

impl Report {
    /// A plain-text rendering for the terminal or a receipt-width printout.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let title = match self.kind {
            ReportKind::X => "X レポート（点検）",
            ReportKind::Z => "Z レポート（精算）",
        };
        let row = |out: &mut String, label: &str, count: Option<i64>, amount: Yen| {
            let count = count.map(|c| format!("{c}件")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{} {amount:>12}",
                pad_to_width(label, 20),
                pad_left_to_width(&count, 7)
            );
        };
        let _ = writeln!(out, "{title}");
        let _ = writeln!(out, "営業日 #{}", self.business_day_id);
        let _ = writeln!(
            out,
            "開始 {}",
            local_time(&self.opened_at, "%Y-%m-%d %H:%M")
        );
        let _ = writeln!(
            out,
            "作成 {}",
            local_time(&self.generated_at, "%Y-%m-%d %H:%M")
        );
        if let (Some(first), Some(last)) = (self.first_receipt_no, self.last_receipt_no) {
            let _ = writeln!(out, "レシート No.{first}〜{last}");
        }
        let _ = writeln!(out, "\n売上");
        row(
            &mut out,
            "合計",
            Some(self.payments.count),
            self.payments.amount,
        );
        for m in &self.payments_by_method {
            row(&mut out, method_label(m.method), Some(m.count), m.amount);
        }
        for r in &self.payments_by_rate {
            row(&mut out, &format!("{}対象", r.rate), None, r.taxable);
            row(&mut out, &format!("  内消費税 {}", r.rate), None, r.tax);
        }
        let _ = writeln!(out, "\n返金");
        row(
            &mut out,
            "合計",
            Some(self.refunds.count),
            self.refunds.amount,
        );
        for m in &self.refunds_by_method {
            row(&mut out, method_label(m.method), Some(m.count), m.amount);
        }
        let _ = writeln!(out);
        row(&mut out, "純売上", None, self.net_sales);
        let _ = writeln!(out, "\nチャージ");
        row(
            &mut out,
            "合計",
            Some(self.topups.count),
            self.topups.amount,
        );
        for m in &self.topups_by_method {
            row(&mut out, method_label(m.method), Some(m.count), m.amount);
        }
        row(
            &mut out,
            "チャージ取消",
            Some(self.topup_refunds.count),
            self.topup_refunds.amount,
        );
        row(&mut out, "純チャージ", None, self.net_topups);
        let _ = writeln!(
            out,
            "\n決済失敗 {}件 / 期限切れ {}件 / 取消 {}件 / 中止 {}件",
            self.failed_attempts, self.expired_attempts, self.cancelled_attempts, self.voided_sales
        );
        if self.unresolved_attempts > 0 {
            let _ = writeln!(out, "未確定の決済 {}件", self.unresolved_attempts);
        }
        out
    }
}
