//! Business days, sales, payment attempts and the event log.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Value, json};
use uuid::Uuid;

use super::error::JournalError;
use super::rows::{
    self, ATTEMPT_COLUMNS, ATTEMPT_STATE_COLUMNS, SALE_COLUMNS, UNRESOLVED_ATTEMPT_STATES,
};
use super::tenders::{NewTender, remaining_to_pay};
use super::{Journal, timestamp};
use regi_core::domain::{
    Attempt, AttemptEvent, AttemptState, PaymentMethod, Resolution, SaleDraft, SaleKind, Yen,
};
use regi_core::records::{
    AttemptRecord, BusinessDay, CreatedAttempt, CreatedSale, EventRecord, LineRecord, SaleDetail,
    SaleFilter, SaleMeta, SaleState, SaleSummary, UnresolvedAttempt,
};

impl Journal {
    /// Starts a write transaction that takes the write lock at once, so a busy database
    /// waits here rather than failing half-way.
    pub(super) fn write(&mut self) -> Result<Transaction<'_>, JournalError> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// The open business day, opening a new one if the last was closed by its Z report.
    pub fn open_business_day(&mut self) -> Result<BusinessDay, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let day = ensure_day(&tx, &now)?;
        tx.commit()?;
        Ok(day)
    }

    pub fn current_business_day(&self) -> Result<Option<BusinessDay>, JournalError> {
        current_day(&self.conn)
    }

    pub fn business_days(&self) -> Result<Vec<BusinessDay>, JournalError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, opened_at, closed_at FROM business_days ORDER BY id")?;
        let days = stmt
            .query_map([], business_day)?
            .collect::<Result<_, _>>()?;
        Ok(days)
    }

    /// Records a checked-out sale with its lines in the open business day.
    pub fn create_sale(
        &mut self,
        draft: &SaleDraft,
        meta: &SaleMeta,
    ) -> Result<CreatedSale, JournalError> {
        if !draft.total.is_positive() {
            return Err(JournalError::Refused(format!(
                "a sale must total more than ¥0 (got {})",
                draft.total
            )));
        }
        if draft.kind == SaleKind::Payment && draft.lines.is_empty() {
            return Err(JournalError::Refused("a payment sale needs lines".into()));
        }
        let now = self.now_text();
        let tx = self.write()?;
        let created = insert_sale(&tx, draft, meta, &now)?;
        tx.commit()?;
        Ok(created)
    }

    /// Journals a new payment attempt with a fresh request_id. Committed before returning:
    /// only then may the caller create the QR or send the customer-code charge.
    pub fn create_attempt(
        &mut self,
        sale_id: i64,
        provider: &str,
        method: PaymentMethod,
    ) -> Result<CreatedAttempt, JournalError> {
        self.create_attempt_with(sale_id, provider, method, false)
    }

    /// [`Journal::create_attempt`], saying whether the store asks the provider to hold the
    /// payment for a later capture (`hold`).
    pub fn create_attempt_with(
        &mut self,
        sale_id: i64,
        provider: &str,
        method: PaymentMethod,
        hold: bool,
    ) -> Result<CreatedAttempt, JournalError> {
        self.create_tender(sale_id, provider, method, hold, None)
    }

    /// Journals a new attempt for `part` yen of the sale (`None`: all that remains to be paid),
    /// one tender of a sale paid in several. See [`Journal::create_attempt`].
    pub fn create_tender(
        &mut self,
        sale_id: i64,
        provider: &str,
        method: PaymentMethod,
        hold: bool,
        part: Option<Yen>,
    ) -> Result<CreatedAttempt, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let created = insert_attempt(
            &tx,
            &now,
            sale_id,
            NewTender {
                provider,
                method,
                hold,
                tab_id: None,
                part,
            },
        )?;
        tx.commit()?;
        Ok(created)
    }
}

/// Journals a new attempt in `tx` (see [`Journal::create_attempt`]); `tab_id` names the tab a
/// tab attempt is charged to.
pub(super) fn insert_attempt(
    tx: &Transaction<'_>,
    now: &str,
    sale_id: i64,
    tender: NewTender<'_>,
) -> Result<CreatedAttempt, JournalError> {
    let NewTender {
        provider,
        method,
        hold,
        tab_id,
        part,
    } = tender;
    {
        let (kind, total, state, voided): (String, i64, String, Option<String>) = tx
            .query_row(
                "SELECT kind, total, state, voided_at FROM sales WHERE id = ?1",
                [sale_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("sale", sale_id))?;
        let state = rows::sale_state(&state)?;
        if matches!(state, SaleState::Paid | SaleState::Refunded) {
            return Err(JournalError::Refused(format!(
                "sale {sale_id} is already paid"
            )));
        }
        if state == SaleState::Held {
            return Err(JournalError::Refused(format!(
                "sale {sale_id} is paid and held for capture"
            )));
        }
        if voided.is_some() {
            return Err(JournalError::Refused(format!("sale {sale_id} was voided")));
        }
        let in_flight: Option<i64> = tx
            .query_row(
                &format!(
                    "SELECT id FROM payment_attempts WHERE sale_id = ?1 \
                     AND state IN {UNRESOLVED_ATTEMPT_STATES} LIMIT 1"
                ),
                [sale_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = in_flight {
            return Err(JournalError::Refused(format!(
                "sale {sale_id} already has attempt {other} in progress"
            )));
        }
        let remaining = remaining_to_pay(tx, sale_id)?.value();
        let part = part.map_or(remaining, Yen::value);
        if part <= 0 || part > remaining {
            return Err(JournalError::Refused(format!(
                "a tender of sale {sale_id} must be between ¥1 and the ¥{remaining} still to pay \
                 (got ¥{part})"
            )));
        }
        if hold && part != total {
            return Err(JournalError::Refused(format!(
                "a held payment must pay all of sale {sale_id}, not one tender of several"
            )));
        }
        let kind = rows::sale_kind(&kind)?;
        if kind == SaleKind::Topup && (method == PaymentMethod::Cash || part != total) {
            return Err(JournalError::Refused(format!(
                "sale {sale_id} is a top-up: its provider loads it whole, in one attempt"
            )));
        }
        let amount = match kind {
            SaleKind::Payment => Yen(-part),
            SaleKind::Topup => Yen(part),
        };
        let request_id = Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO payment_attempts (sale_id, provider, tender, request_id, amount, state, \
               created_at, updated_at, hold, tab_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'created', ?6, ?6, ?7, ?8)",
            params![
                sale_id,
                provider,
                method.as_str(),
                request_id,
                amount.value(),
                now,
                hold,
                tab_id
            ],
        )?;
        let attempt_id = tx.last_insert_rowid();
        append_event(
            tx,
            now,
            Some(sale_id),
            Some(attempt_id),
            "attempt_created",
            &json!({ "provider": provider, "tender": method.as_str(), "request_id": request_id, "amount": amount.value(), "hold": hold, "tab_id": tab_id }),
        )?;
        refresh_sale_state(tx, sale_id, now)?;
        Ok(CreatedAttempt {
            attempt_id,
            request_id,
            amount,
        })
    }
}

impl Journal {
    /// Applies `event` to the attempt: the row and an event entry change together. A refused
    /// transition writes nothing. Returns the new state (unchanged when the event was
    /// absorbed, e.g. a cancel confirmation after payment; the event is still logged).
    pub fn record_attempt_event(
        &mut self,
        attempt_id: i64,
        event: AttemptEvent,
    ) -> Result<AttemptState, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let state = apply_event(&tx, &now, attempt_id, event, json!({}))?;
        tx.commit()?;
        Ok(state)
    }

    /// The QR was created: keeps the provider's id for it and the code to show, and moves the
    /// attempt to presented.
    pub fn record_presented(
        &mut self,
        attempt_id: i64,
        provider_ref: &str,
        presented_code: &str,
    ) -> Result<AttemptState, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        tx.execute(
            "UPDATE payment_attempts SET provider_ref = ?2, presented_code = ?3 WHERE id = ?1",
            params![attempt_id, provider_ref, presented_code],
        )?;
        let state = apply_event(
            &tx,
            &now,
            attempt_id,
            AttemptEvent::Presented,
            json!({ "provider_ref": provider_ref }),
        )?;
        tx.commit()?;
        Ok(state)
    }

    /// Reconciliation settled an attempt that was unresolved at start.
    pub fn record_resolution(
        &mut self,
        attempt_id: i64,
        resolution: Resolution,
    ) -> Result<AttemptState, JournalError> {
        self.record_attempt_event(attempt_id, AttemptEvent::Resolved(resolution))
    }

    pub fn record_customer_name(
        &mut self,
        attempt_id: i64,
        name: &str,
    ) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let sale_id = attempt_sale(&tx, attempt_id)?;
        tx.execute(
            "UPDATE payment_attempts SET customer_name = ?2, updated_at = ?3 WHERE id = ?1",
            params![attempt_id, name, now],
        )?;
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "customer",
            &json!({ "name": name }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Voids a sale nobody paid (e.g. the customer left). Refused while an attempt is in
    /// progress or after payment: those need resolving or a refund.
    pub fn void_sale(&mut self, sale_id: i64, reason: &str) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        void_in(&tx, sale_id, reason, &now)?;
        tx.commit()?;
        Ok(())
    }

    pub fn list_sales(&self, filter: SaleFilter) -> Result<Vec<SaleSummary>, JournalError> {
        let day = match filter {
            SaleFilter::All => None,
            SaleFilter::Day(id) => Some(id),
            SaleFilter::OpenDay => match current_day(&self.conn)? {
                Some(day) => Some(day.id),
                None => return Ok(Vec::new()),
            },
        };
        let sql = format!(
            "SELECT {SALE_COLUMNS} FROM sales s WHERE ?1 IS NULL OR s.business_day_id = ?1 \
             ORDER BY s.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([day])?;
        let mut sales = Vec::new();
        while let Some(row) = rows.next()? {
            sales.push(rows::sale(row)?);
        }
        Ok(sales)
    }

    pub fn sale(&self, sale_id: i64) -> Result<SaleDetail, JournalError> {
        let sale = rows::query_one(
            &self.conn,
            &format!("SELECT {SALE_COLUMNS} FROM sales s WHERE s.id = ?1"),
            [sale_id],
            rows::sale,
        )?
        .ok_or_else(|| JournalError::not_found("sale", sale_id))?;

        let mut stmt = self.conn.prepare(
            "SELECT line_no, jan, name, unit_price, quantity, tax_rate, amount \
             FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
        )?;
        let mut lines = Vec::new();
        let mut rs = stmt.query([sale_id])?;
        while let Some(r) = rs.next()? {
            lines.push(LineRecord {
                line_no: r.get(0)?,
                jan: r.get(1)?,
                name: r.get(2)?,
                unit_price: Yen(r.get(3)?),
                quantity: r.get(4)?,
                tax_rate: rows::tax_rate(&r.get::<_, String>(5)?)?,
                amount: Yen(r.get(6)?),
            });
        }

        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE sale_id = ?1 ORDER BY id"
        ))?;
        let mut attempts: Vec<AttemptRecord> = Vec::new();
        let mut rs = stmt.query([sale_id])?;
        while let Some(r) = rs.next()? {
            attempts.push(rows::attempt(r)?);
        }

        let refunds = self.refunds_of(sale_id)?;
        let returns = self.returns_of(sale_id)?;

        let mut stmt = self.conn.prepare(
            "SELECT id, at, sale_id, attempt_id, kind, detail_json FROM events \
             WHERE sale_id = ?1 ORDER BY id",
        )?;
        let mut events = Vec::new();
        let mut rs = stmt.query([sale_id])?;
        while let Some(r) = rs.next()? {
            let detail: String = r.get(5)?;
            events.push(EventRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                sale_id: r.get(2)?,
                attempt_id: r.get(3)?,
                kind: r.get(4)?,
                detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
            });
        }

        Ok(SaleDetail {
            sale,
            lines,
            attempts,
            refunds,
            events,
            returns,
        })
    }

    pub fn attempt(&self, attempt_id: i64) -> Result<AttemptRecord, JournalError> {
        rows::query_one(
            &self.conn,
            &format!("SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE id = ?1"),
            [attempt_id],
            rows::attempt,
        )?
        .ok_or_else(|| JournalError::not_found("attempt", attempt_id))
    }

    /// Attempts not yet final, oldest first: settle each against the API before selling.
    /// Sales rung up whose payment never started (the register stopped between recording the
    /// sale and its first attempt): nothing was sent for them.
    pub fn sales_never_attempted(&self) -> Result<Vec<i64>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id FROM sales s WHERE s.state = 'open' AND s.voided_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.sale_id = s.id) \
             ORDER BY s.id",
        )?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }

    pub fn unresolved_attempts(&self) -> Result<Vec<UnresolvedAttempt>, JournalError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts \
             WHERE state IN {UNRESOLVED_ATTEMPT_STATES} ORDER BY id"
        ))?;
        let mut rs = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rs.next()? {
            let a = rows::attempt(r)?;
            out.push(UnresolvedAttempt {
                attempt_id: a.id,
                sale_id: a.sale_id,
                provider: a.provider,
                method: a.method,
                request_id: a.request_id,
                provider_ref: a.provider_ref,
                amount: a.amount,
                state: a.state,
                created_at: a.created_at,
                hold: a.hold,
            });
        }
        Ok(out)
    }
}

pub(super) fn current_day(
    conn: &rusqlite::Connection,
) -> Result<Option<BusinessDay>, JournalError> {
    Ok(conn
        .query_row(
            "SELECT id, opened_at, closed_at FROM business_days WHERE closed_at IS NULL",
            [],
            business_day,
        )
        .optional()?)
}

/// A `business_days` row selected as `id, opened_at, closed_at`.
fn business_day(r: &rusqlite::Row<'_>) -> rusqlite::Result<BusinessDay> {
    Ok(BusinessDay {
        id: r.get(0)?,
        opened_at: r.get(1)?,
        closed_at: r.get(2)?,
    })
}

pub(super) fn ensure_day(tx: &Transaction<'_>, now: &str) -> Result<BusinessDay, JournalError> {
    if let Some(day) = current_day(tx)? {
        return Ok(day);
    }
    tx.execute("INSERT INTO business_days (opened_at) VALUES (?1)", [now])?;
    let id = tx.last_insert_rowid();
    append_event(
        tx,
        now,
        None,
        None,
        "day_opened",
        &json!({ "business_day_id": id }),
    )?;
    Ok(BusinessDay {
        id,
        opened_at: now.to_string(),
        closed_at: None,
    })
}

/// Marks a sale nobody paid as voided, with `reason`, inside the caller's transaction.
pub(super) fn void_in(
    tx: &Transaction<'_>,
    sale_id: i64,
    reason: &str,
    now: &str,
) -> Result<(), JournalError> {
    let state: String = tx
        .query_row("SELECT state FROM sales WHERE id = ?1", [sale_id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| JournalError::not_found("sale", sale_id))?;
    match rows::sale_state(&state)? {
        SaleState::Open | SaleState::Failed | SaleState::Expired | SaleState::Cancelled => {}
        other => {
            return Err(JournalError::Refused(format!(
                "sale {sale_id} is {} and cannot be voided",
                other.as_str()
            )));
        }
    }
    tx.execute(
        "UPDATE sales SET voided_at = ?2 WHERE id = ?1 AND voided_at IS NULL",
        params![sale_id, now],
    )?;
    append_event(
        tx,
        now,
        Some(sale_id),
        None,
        "sale_voided",
        &json!({ "reason": reason }),
    )?;
    refresh_sale_state(tx, sale_id, now)?;
    Ok(())
}

/// Inserts a checked-out sale with its lines (state `open`) in the open business day, inside
/// the caller's transaction.
pub(super) fn insert_sale(
    tx: &Transaction<'_>,
    draft: &SaleDraft,
    meta: &SaleMeta,
    now: &str,
) -> Result<CreatedSale, JournalError> {
    let day = ensure_day(tx, now)?;
    let receipt_no: i64 = tx.query_row(
        "SELECT COALESCE(MAX(receipt_no), 0) + 1 FROM sales WHERE origin_sale_id IS NULL",
        [],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO sales (business_day_id, receipt_no, kind, state, total, \
           standard_taxable, standard_tax, reduced_taxable, reduced_tax, \
           prices_include_tax, tax_rounding, training, terminal, created_at, updated_at) \
         VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        params![
            day.id,
            receipt_no,
            draft.kind.as_str(),
            draft.total.value(),
            draft.tax.standard.taxable_total.value(),
            draft.tax.standard.tax.value(),
            draft.tax.reduced.taxable_total.value(),
            draft.tax.reduced.tax.value(),
            draft.policy.prices == regi_core::domain::PricesInclude::Tax,
            draft.policy.rounding.as_str(),
            meta.training,
            meta.terminal,
            now,
        ],
    )?;
    let sale_id = tx.last_insert_rowid();
    for (line_no, line) in draft.lines.iter().enumerate() {
        let amount = line
            .amount()
            .ok_or_else(|| JournalError::Refused("line amount overflows".into()))?;
        tx.execute(
            "INSERT INTO sale_lines (sale_id, line_no, jan, name, unit_price, quantity, \
               tax_rate, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                sale_id,
                line_no as i64 + 1,
                line.jan(),
                line.name,
                line.unit_price.value(),
                line.quantity,
                line.tax_rate.as_str(),
                amount.value(),
            ],
        )?;
    }
    // A price the clerk overrode (behind the manager PIN) stays on record with the one it replaced.
    for changed in &draft.price_overrides {
        append_event(
            tx,
            now,
            Some(sale_id),
            None,
            "price_overridden",
            &json!({
                "line_no": changed.line_no,
                "from": changed.from.value(),
                "to": changed.to.value(),
            }),
        )?;
    }
    append_event(
        tx,
        now,
        Some(sale_id),
        None,
        "sale_created",
        &json!({
            "receipt_no": receipt_no,
            "kind": draft.kind.as_str(),
            "total": draft.total.value(),
            "lines": draft.lines.len(),
        }),
    )?;
    Ok(CreatedSale {
        sale_id,
        receipt_no,
        business_day_id: day.id,
    })
}

pub(super) fn append_event(
    tx: &Transaction<'_>,
    now: &str,
    sale_id: Option<i64>,
    attempt_id: Option<i64>,
    kind: &str,
    detail: &Value,
) -> Result<(), JournalError> {
    tx.execute(
        "INSERT INTO events (at, sale_id, attempt_id, kind, detail_json) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now, sale_id, attempt_id, kind, detail.to_string()],
    )?;
    super::outbox::capture(tx, tx.last_insert_rowid(), sale_id, kind, detail)
}

fn attempt_sale(tx: &Transaction<'_>, attempt_id: i64) -> Result<i64, JournalError> {
    tx.query_row(
        "SELECT sale_id FROM payment_attempts WHERE id = ?1",
        [attempt_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| JournalError::not_found("attempt", attempt_id))
}

pub(super) fn apply_event(
    tx: &Transaction<'_>,
    now: &str,
    attempt_id: i64,
    event: AttemptEvent,
    mut detail: Value,
) -> Result<AttemptState, JournalError> {
    let (sale_id, method, current) = rows::query_one(
        tx,
        &format!(
            "SELECT sale_id, tender, {ATTEMPT_STATE_COLUMNS} FROM payment_attempts WHERE id = ?1"
        ),
        [attempt_id],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                rows::method(&r.get::<_, String>(1)?)?,
                rows::attempt_state(r, 2)?,
            ))
        },
    )?
    .ok_or_else(|| JournalError::not_found("attempt", attempt_id))?;

    let event_name = event.name();
    describe_event(&event, &mut detail);
    let from = current.name();
    let next = Attempt {
        method,
        state: current.clone(),
    }
    .apply(event)?
    .state;
    detail["from"] = json!(from);
    detail["to"] = json!(next.name());
    detail["changed"] = json!(next != current);

    if next != current {
        if let (AttemptState::Authorized { amount: held, .. }, AttemptState::Paid { .. }) =
            (&current, &next)
        {
            // The capture took the held payment, all of it or less: the rest is released.
            tx.execute(
                "UPDATE sales SET released = ?2 - (SELECT COALESCE(capture_amount, ?2) \
                   FROM payment_attempts WHERE id = ?3) WHERE id = ?1",
                params![sale_id, held, attempt_id],
            )?;
        }
        let (reason, error_type, message) = match &next {
            AttemptState::Failed(f) => (
                Some(f.reason.as_str()),
                Some(f.error_type.as_str()),
                Some(f.message.as_str()),
            ),
            _ => (None, None, None),
        };
        let since = match &next {
            AttemptState::Unknown { since } => Some(timestamp(*since)),
            _ => None,
        };
        tx.execute(
            "UPDATE payment_attempts SET state = ?2, transaction_id = ?3, fail_reason = ?4, \
               error_type = ?5, error_message = ?6, unknown_since = ?7, updated_at = ?8, \
               authorized_amount = COALESCE(?9, authorized_amount) \
             WHERE id = ?1",
            params![
                attempt_id,
                next.name(),
                next.transaction_id(),
                reason,
                error_type,
                message,
                since,
                now,
                next.held_amount()
            ],
        )?;
    }
    append_event(
        tx,
        now,
        Some(sale_id),
        Some(attempt_id),
        &format!("attempt_{event_name}"),
        &detail,
    )?;
    refresh_sale_state(tx, sale_id, now)?;
    Ok(next)
}

fn describe_event(event: &AttemptEvent, detail: &mut Value) {
    let resolution = match event {
        AttemptEvent::Resolved(r) => Some(r),
        _ => None,
    };
    match event {
        AttemptEvent::PaidObserved { transaction_id }
        | AttemptEvent::Resolved(Resolution::Paid { transaction_id }) => {
            detail["transaction_id"] = json!(transaction_id);
        }
        AttemptEvent::FailedObserved(f) | AttemptEvent::Resolved(Resolution::Failed(f)) => {
            detail["error_type"] = json!(f.error_type);
            detail["message"] = json!(f.message);
            detail["reason"] = json!(f.reason.as_str());
        }
        AttemptEvent::OutcomeLost { at } => {
            detail["lost_at"] = json!(timestamp(*at));
        }
        AttemptEvent::AuthorizedObserved {
            transaction_id,
            amount,
        } => {
            detail["transaction_id"] = json!(transaction_id);
            detail["held"] = json!(amount);
        }
        _ => {}
    }
    if let Some(r) = resolution {
        let outcome = match r {
            Resolution::Paid { .. } => "paid",
            Resolution::Failed(_) => "failed",
            Resolution::Expired => "expired",
            Resolution::Cancelled => "cancelled",
        };
        detail["resolution"] = json!(outcome);
    }
}

/// Derives the sale's state from its attempts, refunds and void mark, and stores it (with
/// an event) when it changed.
pub(super) fn refresh_sale_state(
    tx: &Transaction<'_>,
    sale_id: i64,
    now: &str,
) -> Result<SaleState, JournalError> {
    // Refunded once the done refunds give back all that was paid (partial refunds leave it paid).
    let (stored, voided, total, released, refunded, tendered): (String, bool, i64, i64, i64, i64) =
        tx.query_row(
            "SELECT state, voided_at IS NOT NULL, total, released, \
               (SELECT COALESCE(SUM(amount), 0) FROM refunds \
                  WHERE sale_id = ?1 AND state = 'done'), \
               (SELECT COALESCE(SUM(ABS(amount)), 0) FROM payment_attempts \
                  WHERE sale_id = ?1 AND state = 'paid') \
             FROM sales WHERE id = ?1",
            [sale_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
    let mut stmt =
        tx.prepare_cached("SELECT state FROM payment_attempts WHERE sale_id = ?1 ORDER BY id")?;
    let states: Vec<String> = stmt
        .query_map([sale_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let has = |s: &str| states.iter().any(|x| x == s);
    let in_flight = has("created") || has("presented") || has("sent");
    let derived = if tendered >= total {
        if refunded >= total - released {
            SaleState::Refunded
        } else {
            SaleState::Paid
        }
    } else if tendered > 0 {
        // Some tenders paid, not all of the total: the rest is owed, unless what was paid has
        // all been given back (the sale abandoned).
        if has("unknown") {
            SaleState::Unknown
        } else if in_flight {
            SaleState::Pending
        } else if refunded >= tendered {
            SaleState::Refunded
        } else {
            SaleState::PartlyPaid
        }
    } else if has("authorized") {
        SaleState::Held
    } else if has("unknown") {
        SaleState::Unknown
    } else if in_flight {
        SaleState::Pending
    } else if voided {
        SaleState::Cancelled
    } else {
        match states.last().map(String::as_str) {
            Some("failed") => SaleState::Failed,
            Some("expired") => SaleState::Expired,
            Some("cancelled") => SaleState::Cancelled,
            _ => SaleState::Open,
        }
    };
    if derived.as_str() != stored {
        tx.execute(
            "UPDATE sales SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![sale_id, derived.as_str(), now],
        )?;
        append_event(
            tx,
            now,
            Some(sale_id),
            None,
            "sale_state",
            &json!({ "from": stored, "to": derived.as_str() }),
        )?;
    }
    Ok(derived)
}
