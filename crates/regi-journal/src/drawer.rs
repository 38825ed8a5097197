//! The drawer's cash: the opening float, paid-in and paid-out, cash counts by denomination, and
//! the cash a day's drawer should hold. Each movement is one transaction with its event, written
//! into the open business day; a day closed by its Z report takes none.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::sales::{append_event, current_day, ensure_day};
use regi_core::domain::Yen;
use regi_core::records::{
    BusinessDay, CashCount, CashSummary, DrawerMovement, DrawerRefusal, DrawerStatus, MovementKind,
};

const MOVEMENT_COLUMNS: &str =
    "id, business_day_id, kind, amount, reason, expected, denominations_json, created_at";

impl Journal {
    /// Sets the opening float (釣銭準備金) of the open business day, opening one if the last was
    /// closed. One per day: a second is refused, the change goes through paid-in or paid-out.
    pub fn set_float(&mut self, amount: Yen) -> Result<DrawerMovement, JournalError> {
        positive(amount)?;
        let now = self.now_text();
        let tx = self.write()?;
        let day = ensure_day(&tx, &now)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT amount FROM drawer_movements WHERE business_day_id = ?1 AND kind = 'float'",
                [day.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(existing) = existing {
            return Err(DrawerRefusal::FloatAlreadySet(Yen(existing)).into());
        }
        let movement = insert(&tx, &now, &day, MovementKind::Float, amount, "", None)?;
        tx.commit()?;
        Ok(movement)
    }

    /// Cash put into the drawer that is no sale (入金), with why.
    pub fn paid_in(&mut self, amount: Yen, reason: &str) -> Result<DrawerMovement, JournalError> {
        self.paid(MovementKind::PaidIn, amount, reason)
    }

    /// Cash taken out of the drawer that is no refund (出金), with why; never more than the
    /// drawer should hold.
    pub fn paid_out(&mut self, amount: Yen, reason: &str) -> Result<DrawerMovement, JournalError> {
        self.paid(MovementKind::PaidOut, amount, reason)
    }

    fn paid(
        &mut self,
        kind: MovementKind,
        amount: Yen,
        reason: &str,
    ) -> Result<DrawerMovement, JournalError> {
        positive(amount)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DrawerRefusal::ReasonMissing.into());
        }
        let now = self.now_text();
        let tx = self.write()?;
        let day = ensure_day(&tx, &now)?;
        if kind == MovementKind::PaidOut {
            let expected = cash_summary(&tx, day.id)?.expected;
            if amount > expected {
                return Err(DrawerRefusal::PaidOutExceedsCash { expected }.into());
            }
        }
        let movement = insert(&tx, &now, &day, kind, amount, reason, None)?;
        tx.commit()?;
        Ok(movement)
    }

    /// Journals a count of the drawer (精算) with the cash expected at this moment; its over or
    /// short is counted − expected. Refused when no day is open: there is nothing to count
    /// against.
    pub fn record_count(&mut self, count: &CashCount) -> Result<DrawerMovement, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let day = current_day(&tx)?.ok_or(DrawerRefusal::NoOpenDay)?;
        let expected = cash_summary(&tx, day.id)?.expected;
        let movement = insert(
            &tx,
            &now,
            &day,
            MovementKind::Count,
            count.total(),
            "",
            Some((expected, count)),
        )?;
        tx.commit()?;
        Ok(movement)
    }

    /// The cash the drawer of `business_day_id` should hold: float + cash sales − cash refunds
    /// − paid-out + paid-in.
    pub fn cash_expected(&self, business_day_id: i64) -> Result<Yen, JournalError> {
        Ok(cash_summary(&self.conn, business_day_id)?.expected)
    }

    /// The drawer of `business_day_id`: its cash and every movement, oldest first.
    pub fn drawer_status_of(&self, business_day_id: i64) -> Result<DrawerStatus, JournalError> {
        Ok(DrawerStatus {
            business_day_id,
            cash: cash_summary(&self.conn, business_day_id)?,
            movements: movements(&self.conn, business_day_id)?,
        })
    }

    /// The drawer of the open business day; `None` when none is open.
    pub fn drawer_status(&self) -> Result<Option<DrawerStatus>, JournalError> {
        current_day(&self.conn)?
            .map(|day| self.drawer_status_of(day.id))
            .transpose()
    }
}

fn positive(amount: Yen) -> Result<(), JournalError> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(DrawerRefusal::AmountNotPositive.into())
    }
}

fn insert(
    tx: &Transaction<'_>,
    now: &str,
    day: &BusinessDay,
    kind: MovementKind,
    amount: Yen,
    reason: &str,
    count: Option<(Yen, &CashCount)>,
) -> Result<DrawerMovement, JournalError> {
    let expected = count.map(|(e, _)| e);
    let count = count.map(|(_, c)| *c);
    let denominations = count.as_ref().map(CashCount::to_json);
    tx.execute(
        "INSERT INTO drawer_movements (business_day_id, kind, amount, reason, expected, \
           denominations_json, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            day.id,
            kind.as_str(),
            amount.value(),
            reason,
            expected.map(Yen::value),
            denominations,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut detail = json!({
        "movement_id": id,
        "business_day_id": day.id,
        "amount": amount.value(),
    });
    if !reason.is_empty() {
        detail["reason"] = json!(reason);
    }
    if let Some(expected) = expected {
        detail["expected"] = json!(expected.value());
        detail["over_short"] = json!(amount.value() - expected.value());
    }
    append_event(
        tx,
        now,
        None,
        None,
        &format!("drawer_{}", kind.as_str()),
        &detail,
    )?;
    Ok(DrawerMovement {
        id,
        business_day_id: day.id,
        kind,
        amount,
        reason: reason.to_string(),
        expected,
        count,
        created_at: now.to_string(),
    })
}

fn movements(conn: &Connection, day_id: i64) -> Result<Vec<DrawerMovement>, JournalError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {MOVEMENT_COLUMNS} FROM drawer_movements WHERE business_day_id = ?1 ORDER BY id"
    ))?;
    let mut rows = stmt.query([day_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let denominations: Option<String> = r.get(6)?;
        out.push(DrawerMovement {
            id: r.get(0)?,
            business_day_id: r.get(1)?,
            kind: MovementKind::parse(&kind)
                .ok_or_else(|| JournalError::Corrupt(format!("drawer movement kind {kind:?}")))?,
            amount: Yen(r.get(3)?),
            reason: r.get(4)?,
            expected: r.get::<_, Option<i64>>(5)?.map(Yen),
            count: denominations
                .map(|text| {
                    CashCount::from_json(&text).ok_or_else(|| {
                        JournalError::Corrupt(format!("drawer count denominations {text:?}"))
                    })
                })
                .transpose()?,
            created_at: r.get(7)?,
        });
    }
    Ok(out)
}

/// The day's cash. Cash tenders count on the day of their sale (a sale's tenders are all taken
/// the day it is rung up: a day with a partly paid sale cannot be closed); cash refunds on the
/// day they were given back.
pub(super) fn cash_summary(conn: &Connection, day_id: i64) -> Result<CashSummary, JournalError> {
    let (received, change): (i64, i64) = conn.query_row(
        "SELECT COALESCE(SUM(a.cash_received), 0), COALESCE(SUM(a.cash_change), 0) \
         FROM payment_attempts a JOIN sales s ON s.id = a.sale_id \
         WHERE s.business_day_id = ?1 AND a.tender = 'cash' AND a.state = 'paid'",
        [day_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let refunds: i64 = conn.query_row(
        "SELECT COALESCE(SUM(r.amount), 0) FROM refunds r \
           JOIN payment_attempts a ON a.id = r.attempt_id \
         WHERE r.business_day_id = ?1 AND r.state = 'done' \
           AND (a.tender = 'cash' OR r.cash_back)",
        [day_id],
        |r| r.get(0),
    )?;
    let sum = |kind: MovementKind| -> Result<i64, JournalError> {
        Ok(conn.query_row(
            "SELECT COALESCE(SUM(amount), 0) FROM drawer_movements \
             WHERE business_day_id = ?1 AND kind = ?2",
            params![day_id, kind.as_str()],
            |r| r.get(0),
        )?)
    };
    let last_count: Option<(i64, i64)> = conn
        .query_row(
            "SELECT amount, expected FROM drawer_movements \
             WHERE business_day_id = ?1 AND kind = 'count' ORDER BY id DESC LIMIT 1",
            [day_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut cash = CashSummary {
        float: Yen(sum(MovementKind::Float)?),
        received: Yen(received),
        change: Yen(change),
        sales: Yen(received - change),
        refunds: Yen(refunds),
        paid_in: Yen(sum(MovementKind::PaidIn)?),
        paid_out: Yen(sum(MovementKind::PaidOut)?),
        expected: Yen::ZERO,
        counted: last_count.map(|(counted, _)| Yen(counted)),
        over_short: last_count.map(|(counted, expected)| Yen(counted - expected)),
    };
    cash.expected = cash.expected_from_parts();
    Ok(cash)
}

#[cfg(test)]
#[path = "drawer_tests.rs"]
mod tests;
