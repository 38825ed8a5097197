//! Customers' tabs: each opening and closing journaled with its key before its request leaves,
//! the provider's id and expiry kept once opened, and every sale charged to a tab an attempt
//! naming it. The journal is the register's only record of a tab.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;
use uuid::Uuid;

use super::error::JournalError;
use super::sales::{append_event, insert_attempt};
use super::tenders::NewTender;
use super::{Journal, parse_timestamp, timestamp};
use regi_core::domain::{PaymentMethod, Yen};
use regi_core::records::{CreatedAttempt, NewTab, TabCharge, TabRecord, TabState};

const TAB_COLUMNS: &str = "t.id, t.provider, t.label, t.customer_id, t.customer_name, t.money_id, \
     t.card_id, t.card_masked, t.until, t.expires_at, t.open_request_id, t.provider_ref, \
     t.close_request_id, t.state, t.error_type, t.error_message, t.created_at, t.closed_at, \
     (SELECT COUNT(*) FROM payment_attempts a WHERE a.tab_id = t.id AND a.state = 'paid'), \
     (SELECT COALESCE(SUM(-a.amount), 0) FROM payment_attempts a \
        WHERE a.tab_id = t.id AND a.state = 'paid')";

impl Journal {
    /// Journals a tab about to be opened; returns its id and the key to open it with. A label
    /// already used by a live tab is refused.
    pub fn begin_tab(&mut self, tab: &NewTab) -> Result<(i64, String), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM tabs WHERE label = ?1 AND state IN ('opening', 'open', 'closing')",
                [&tab.label],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(JournalError::Refused(format!(
                "a tab labelled {:?} is already open",
                tab.label
            )));
        }
        let request_id = Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO tabs (provider, label, customer_id, customer_name, money_id, card_id, \
               card_masked, until, open_request_id, state, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'opening', ?10, ?10)",
            params![
                tab.provider,
                tab.label.trim(),
                tab.customer_id,
                tab.customer_name,
                tab.money_id,
                tab.card_id,
                tab.card_masked,
                timestamp(tab.until),
                request_id,
                now
            ],
        )?;
        let tab_id = tx.last_insert_rowid();
        append_event(
            &tx,
            &now,
            None,
            None,
            "tab_opening",
            &json!({ "tab_id": tab_id, "label": tab.label, "provider": tab.provider,
                     "card": tab.card_masked, "until": timestamp(tab.until),
                     "request_id": request_id }),
        )?;
        tx.commit()?;
        Ok((tab_id, request_id))
    }

    /// The provider opened the tab.
    pub fn record_tab_opened(
        &mut self,
        tab_id: i64,
        provider_ref: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        self.tab_step(
            tab_id,
            "opening",
            "UPDATE tabs SET state = 'open', updated_at = ?2, provider_ref = ?3, expires_at = ?4 \
             WHERE id = ?1",
            &[&provider_ref, &timestamp(expires_at)],
            "tab_opened",
        )
    }

    /// The provider refused to open the tab: nothing was authorized, the label is free again.
    pub fn record_tab_failed(
        &mut self,
        tab_id: i64,
        error_type: &str,
        message: &str,
    ) -> Result<(), JournalError> {
        self.tab_step(
            tab_id,
            "opening",
            "UPDATE tabs SET state = 'failed', updated_at = ?2, error_type = ?3, \
               error_message = ?4 WHERE id = ?1",
            &[&error_type, &message],
            "tab_failed",
        )
    }

    /// Journals the closing of an open (or expired) tab; returns the key to close it with (the
    /// same one again when a closing was begun before). Refused while a charge to it is
    /// unresolved: the bill must hold it or not.
    pub fn begin_tab_close(&mut self, tab_id: i64) -> Result<String, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let (state, key): (String, Option<String>) = tx
            .query_row(
                "SELECT state, close_request_id FROM tabs WHERE id = ?1",
                [tab_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("tab", tab_id))?;
        match (state.as_str(), key) {
            ("closing", Some(key)) => return Ok(key),
            ("open", _) => {}
            (other, _) => {
                return Err(JournalError::Refused(format!(
                    "tab {tab_id} is {other} and cannot be closed"
                )));
            }
        }
        let unsettled: i64 = tx.query_row(
            "SELECT COUNT(*) FROM payment_attempts WHERE tab_id = ?1 \
             AND state IN ('created', 'sent', 'unknown')",
            [tab_id],
            |r| r.get(0),
        )?;
        if unsettled > 0 {
            return Err(JournalError::Refused(format!(
                "a charge to tab {tab_id} is still being settled; close it once that is done"
            )));
        }
        let key = Uuid::new_v4().to_string();
        tx.execute(
            "UPDATE tabs SET state = 'closing', close_request_id = ?2, updated_at = ?3 \
             WHERE id = ?1",
            params![tab_id, key, now],
        )?;
        append_event(
            &tx,
            &now,
            None,
            None,
            "tab_closing",
            &json!({ "tab_id": tab_id, "request_id": key }),
        )?;
        tx.commit()?;
        Ok(key)
    }

    /// The provider billed the card for the tab.
    pub fn record_tab_closed(&mut self, tab_id: i64) -> Result<(), JournalError> {
        self.tab_step(
            tab_id,
            "closing",
            "UPDATE tabs SET state = 'closed', updated_at = ?2, closed_at = ?2 WHERE id = ?1",
            &[],
            "tab_closed",
        )
    }

    /// Journals a charge of `sale_id` to an open tab that has not expired: an attempt naming the
    /// tab, whose key the charge is sent with.
    pub fn create_tab_attempt(
        &mut self,
        sale_id: i64,
        tab_id: i64,
    ) -> Result<CreatedAttempt, JournalError> {
        self.create_tab_tender(sale_id, tab_id, None)
    }

    /// [`Journal::create_tab_attempt`] for `part` yen of the sale (`None`: all that remains).
    pub fn create_tab_tender(
        &mut self,
        sale_id: i64,
        tab_id: i64,
        part: Option<Yen>,
    ) -> Result<CreatedAttempt, JournalError> {
        let now = self.now();
        let now_text = timestamp(now);
        let tx = self.write()?;
        let (provider, state, expires_at): (String, String, Option<String>) = tx
            .query_row(
                "SELECT provider, state, expires_at FROM tabs WHERE id = ?1",
                [tab_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("tab", tab_id))?;
        if state != "open" {
            return Err(JournalError::Refused(format!(
                "tab {tab_id} is {state} and takes no charge"
            )));
        }
        if let Some(expires_at) = expires_at.as_deref().map(parse_timestamp).transpose()?
            && expires_at <= now
        {
            return Err(JournalError::Refused(format!(
                "tab {tab_id} expired at {expires_at} and takes no charge"
            )));
        }
        let created = insert_attempt(
            &tx,
            &now_text,
            sale_id,
            NewTender {
                provider: &provider,
                method: PaymentMethod::Tab,
                hold: false,
                tab_id: Some(tab_id),
                part,
            },
        )?;
        tx.commit()?;
        Ok(created)
    }

    /// Every tab, newest first, with what was charged to it.
    pub fn tabs(&self) -> Result<Vec<TabRecord>, JournalError> {
        let now = self.now();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {TAB_COLUMNS} FROM tabs t ORDER BY t.id DESC"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(tab_record(row, now)?);
        }
        Ok(out)
    }

    pub fn tab(&self, tab_id: i64) -> Result<TabRecord, JournalError> {
        let now = self.now();
        self.conn
            .query_row(
                &format!("SELECT {TAB_COLUMNS} FROM tabs t WHERE t.id = ?1"),
                [tab_id],
                |row| Ok(tab_record(row, now)),
            )
            .optional()?
            .ok_or_else(|| JournalError::not_found("tab", tab_id))?
    }

    /// The live tab with `label`, else the latest tab that had it.
    pub fn tab_by_label(&self, label: &str) -> Result<Option<TabRecord>, JournalError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM tabs WHERE label = ?1 \
                 ORDER BY state IN ('opening', 'open', 'closing') DESC, id DESC LIMIT 1",
                [label.trim()],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.tab(id)).transpose()
    }

    /// Tabs whose opening or closing was sent without a recorded answer: settled on start.
    pub fn tabs_in_flight(&self) -> Result<Vec<TabRecord>, JournalError> {
        Ok(self
            .tabs()?
            .into_iter()
            .filter(|t| matches!(t.state, TabState::Opening | TabState::Closing))
            .collect())
    }

    /// The sales charged to a tab and paid, oldest first, for its statement.
    pub fn tab_charges(&self, tab_id: i64) -> Result<Vec<TabCharge>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.receipt_no, a.updated_at, s.total, s.standard_taxable, \
               s.standard_tax, s.reduced_taxable, s.reduced_tax, \
               (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r \
                  WHERE r.sale_id = s.id AND r.state = 'done') \
             FROM payment_attempts a JOIN sales s ON s.id = a.sale_id \
             WHERE a.tab_id = ?1 AND a.state = 'paid' ORDER BY a.id",
        )?;
        let charges = stmt
            .query_map([tab_id], |r| {
                Ok(TabCharge {
                    sale_id: r.get(0)?,
                    receipt_no: r.get(1)?,
                    at: r.get(2)?,
                    total: Yen(r.get(3)?),
                    standard_taxable: Yen(r.get(4)?),
                    standard_tax: Yen(r.get(5)?),
                    reduced_taxable: Yen(r.get(6)?),
                    reduced_tax: Yen(r.get(7)?),
                    refunded: Yen(r.get(8)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(charges)
    }

    /// The tab a tab attempt is charged to.
    pub fn tab_of_attempt(&self, attempt_id: i64) -> Result<Option<TabRecord>, JournalError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT tab_id FROM payment_attempts WHERE id = ?1",
                [attempt_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        id.map(|id| self.tab(id)).transpose()
    }

    /// Moves a tab from `from` by `sql` (`?1` its id, `?2` now, then `values`), with an event;
    /// refused when the tab is not in `from`.
    fn tab_step(
        &mut self,
        tab_id: i64,
        from: &str,
        sql: &str,
        values: &[&dyn rusqlite::ToSql],
        event: &str,
    ) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let state: String = tx
            .query_row("SELECT state FROM tabs WHERE id = ?1", [tab_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| JournalError::not_found("tab", tab_id))?;
        if state != from {
            return Err(JournalError::Refused(format!(
                "tab {tab_id} is {state}, not {from}"
            )));
        }
        let mut bound: Vec<&dyn rusqlite::ToSql> = vec![&tab_id, &now];
        bound.extend_from_slice(values);
        tx.execute(sql, bound.as_slice())?;
        append_event(&tx, &now, None, None, event, &json!({ "tab_id": tab_id }))?;
        tx.commit()?;
        Ok(())
    }
}

fn tab_record(row: &Row<'_>, now: DateTime<Utc>) -> Result<TabRecord, JournalError> {
    let expires_at = row
        .get::<_, Option<String>>(9)?
        .as_deref()
        .map(parse_timestamp)
        .transpose()?;
    let stored: String = row.get(13)?;
    let state = match stored.as_str() {
        "opening" => TabState::Opening,
        "open" if expires_at.is_some_and(|at| at <= now) => TabState::Expired,
        "open" => TabState::Open,
        "closing" => TabState::Closing,
        "closed" => TabState::Closed,
        "failed" => TabState::Failed,
        other => {
            return Err(JournalError::Corrupt(format!(
                "unexpected tab state {other:?}"
            )));
        }
    };
    Ok(TabRecord {
        id: row.get(0)?,
        provider: row.get(1)?,
        label: row.get(2)?,
        customer_id: row.get(3)?,
        customer_name: row.get(4)?,
        money_id: row.get(5)?,
        card_id: row.get(6)?,
        card_masked: row.get(7)?,
        until: parse_timestamp(&row.get::<_, String>(8)?)?,
        expires_at,
        open_request_id: row.get(10)?,
        provider_ref: row.get(11)?,
        close_request_id: row.get(12)?,
        state,
        error_type: row.get(14)?,
        error_message: row.get(15)?,
        created_at: row.get(16)?,
        closed_at: row.get(17)?,
        charges: row.get(18)?,
        total: Yen(row.get(19)?),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::SaleMeta;
    use chrono::TimeZone;
    use regi_core::domain::{AmountGuard, AttemptEvent, Cart, TaxPolicy, TaxRate};

    fn t(days: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + chrono::TimeDelta::days(days)
    }

    /// A journal on a clock the test moves.
    fn journal() -> (tempfile::TempDir, Journal, Arc<Mutex<DateTime<Utc>>>) {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(Mutex::new(t(0)));
        let clock = now.clone();
        let journal = Journal::open_with_clock(
            &dir.path().join("j.sqlite"),
            Box::new(move || *clock.lock().unwrap()),
        )
        .unwrap();
        (dir, journal, now)
    }

    fn room(label: &str) -> NewTab {
        NewTab {
            provider: "provider-a".into(),
            label: label.into(),
            customer_id: "c-1".into(),
            customer_name: Some("山田".into()),
            money_id: "m-1".into(),
            card_id: "card-1".into(),
            card_masked: "411111********11".into(),
            until: t(3),
        }
    }

    fn sale(journal: &mut Journal, yen: i64) -> i64 {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(yen), TaxRate::Reduced8, None).unwrap();
        journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap()
            .sale_id
    }

    fn charge(journal: &mut Journal, tab_id: i64, yen: i64) -> i64 {
        let sale_id = sale(journal, yen);
        let attempt = journal.create_tab_attempt(sale_id, tab_id).unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Sent)
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: format!("tx-{sale_id}"),
                },
            )
            .unwrap();
        sale_id
    }

    #[test]
    fn a_tab_is_opened_charged_and_closed_with_its_total_and_statement() {
        let (_dir, mut journal, _now) = journal();
        let (tab_id, key) = journal.begin_tab(&room("301")).unwrap();
        assert_eq!(journal.tab(tab_id).unwrap().state, TabState::Opening);
        assert_eq!(journal.tabs_in_flight().unwrap().len(), 1);
        // A second tab with a live label is refused; the label names one tab.
        assert!(journal.begin_tab(&room("301")).is_err());
        journal
            .record_tab_opened(tab_id, "session-1", t(3))
            .unwrap();
        let sale_id = charge(&mut journal, tab_id, 1_080);
        charge(&mut journal, tab_id, 540);
        let tab = journal.tab_by_label("301").unwrap().unwrap();
        assert_eq!(tab.open_request_id, key);
        assert_eq!(
            (tab.state, tab.charges, tab.total),
            (TabState::Open, 2, Yen(1_620))
        );
        let statement = journal.tab_charges(tab_id).unwrap();
        assert_eq!(statement.len(), 2);
        assert_eq!(statement[0].sale_id, sale_id);
        assert_eq!(statement[0].reduced_tax, Yen(80));
        let close = journal.begin_tab_close(tab_id).unwrap();
        // Asked again (the answer was lost), the same key.
        assert_eq!(journal.begin_tab_close(tab_id).unwrap(), close);
        journal.record_tab_closed(tab_id).unwrap();
        let closed = journal.tab(tab_id).unwrap();
        assert_eq!(closed.state, TabState::Closed);
        assert!(journal.tabs_in_flight().unwrap().is_empty());
        // Closed takes no charge, and the label is free again.
        let another = sale(&mut journal, 100);
        assert!(journal.create_tab_attempt(another, tab_id).is_err());
        assert!(journal.begin_tab(&room("301")).is_ok());
    }

    #[test]
    fn an_expired_tab_takes_no_charge_but_can_still_be_closed() {
        let (_dir, mut journal, now) = journal();
        let (tab_id, _) = journal.begin_tab(&room("7")).unwrap();
        journal
            .record_tab_opened(tab_id, "session-7", t(3))
            .unwrap();
        charge(&mut journal, tab_id, 500);
        *now.lock().unwrap() = t(3);
        assert_eq!(journal.tab(tab_id).unwrap().state, TabState::Expired);
        let sale_id = sale(&mut journal, 100);
        assert!(matches!(
            journal.create_tab_attempt(sale_id, tab_id),
            Err(JournalError::Refused(_))
        ));
        journal.begin_tab_close(tab_id).unwrap();
        journal.record_tab_closed(tab_id).unwrap();
    }

    #[test]
    fn a_tab_the_provider_refused_frees_its_label_and_a_charge_in_doubt_blocks_closing() {
        let (_dir, mut journal, _now) = journal();
        let (refused, _) = journal.begin_tab(&room("9")).unwrap();
        journal
            .record_tab_failed(refused, "unavailable_card_error", "card unavailable")
            .unwrap();
        assert_eq!(journal.tab(refused).unwrap().state, TabState::Failed);
        let (tab_id, _) = journal.begin_tab(&room("9")).unwrap();
        journal
            .record_tab_opened(tab_id, "session-9", t(3))
            .unwrap();
        let sale_id = sale(&mut journal, 300);
        let attempt = journal.create_tab_attempt(sale_id, tab_id).unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Sent)
            .unwrap();
        assert!(matches!(
            journal.begin_tab_close(tab_id),
            Err(JournalError::Refused(_))
        ));
        assert_eq!(
            journal
                .tab_of_attempt(attempt.attempt_id)
                .unwrap()
                .map(|t| t.id),
            Some(tab_id)
        );
    }
}
