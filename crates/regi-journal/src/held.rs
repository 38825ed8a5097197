//! Payments held for a later capture (hold-then-capture): the capture is journaled with its
//! amount before it leaves, so that a capture whose answer was lost is repeated for the same
//! amount with the same key and takes the money once.

use rusqlite::params;
use serde_json::json;

use super::Journal;
use super::error::JournalError;
use super::rows::{self, ATTEMPT_STATE_COLUMNS};
use super::sales::append_event;
use regi_core::domain::{AttemptState, Yen};
use regi_core::records::CaptureIntent;

/// What the capture needs of its attempt: sale, state, key, a capture asked for before, and
/// the provider's id of the paid request, and the provider.
type Row = (
    i64,
    AttemptState,
    String,
    Option<i64>,
    Option<String>,
    String,
);

impl Journal {
    /// Journals the capture of a held payment before it leaves: `amount` yen, at most the yen
    /// held. A capture asked for before (its answer lost) keeps its amount: the provider may
    /// have taken it, so a repeat must ask for the same, and a different amount is refused.
    /// Returns the yen to capture and the attempt's key to send with it.
    pub fn record_capture_request(
        &mut self,
        attempt_id: i64,
        amount: Option<Yen>,
    ) -> Result<CaptureIntent, JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        // The state columns end with the provider: one read gives all a capture needs.
        let (sale_id, state, request_id, asked, provider_ref, provider): Row = rows::query_one(
            &tx,
            &format!(
                "SELECT sale_id, request_id, capture_amount, provider_ref, \
                 {ATTEMPT_STATE_COLUMNS} FROM payment_attempts WHERE id = ?1"
            ),
            [attempt_id],
            |r| {
                Ok((
                    r.get(0)?,
                    rows::attempt_state(r, 4)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4 + 6)?,
                ))
            },
        )?
        .ok_or_else(|| JournalError::not_found("attempt", attempt_id))?;
        let AttemptState::Authorized {
            transaction_id,
            amount: held,
        } = state
        else {
            return Err(JournalError::Refused(format!(
                "attempt {attempt_id} is {}, not held for capture",
                state.name()
            )));
        };
        let wanted = amount.map_or(held, Yen::value);
        if wanted <= 0 || wanted > held {
            return Err(JournalError::Refused(format!(
                "a capture must be between ¥1 and the ¥{held} held (got ¥{wanted})"
            )));
        }
        if let Some(asked) = asked {
            if amount.is_some() && asked != wanted {
                return Err(JournalError::Refused(format!(
                    "a capture of ¥{asked} was already asked for; it is repeated for the same amount"
                )));
            }
            tx.commit()?;
            return Ok(CaptureIntent {
                attempt_id,
                sale_id,
                provider,
                provider_ref,
                transaction_id,
                request_id,
                amount: Yen(asked),
                held: Yen(held),
            });
        }
        tx.execute(
            "UPDATE payment_attempts SET capture_amount = ?2, updated_at = ?3 WHERE id = ?1",
            params![attempt_id, wanted, now],
        )?;
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "capture_requested",
            &json!({ "amount": wanted, "held": held }),
        )?;
        tx.commit()?;
        Ok(CaptureIntent {
            attempt_id,
            sale_id,
            provider,
            provider_ref,
            transaction_id,
            request_id,
            amount: Yen(wanted),
            held: Yen(held),
        })
    }

    /// The provider refused the capture asked for (nothing was taken): it is withdrawn, so the
    /// clerk may ask again, for another amount if need be. The payment stays held.
    pub fn record_capture_refused(
        &mut self,
        attempt_id: i64,
        reason: &str,
    ) -> Result<(), JournalError> {
        let now = self.now_text();
        let tx = self.write()?;
        let sale_id: i64 = tx.query_row(
            "SELECT sale_id FROM payment_attempts WHERE id = ?1",
            [attempt_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "UPDATE payment_attempts SET capture_amount = NULL, updated_at = ?2 \
             WHERE id = ?1 AND state = 'authorized'",
            params![attempt_id, now],
        )?;
        append_event(
            &tx,
            &now,
            Some(sale_id),
            Some(attempt_id),
            "capture_refused",
            &json!({ "reason": reason }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Captures of held payments asked for whose answer never came, oldest first: each is
    /// repeated (same key, same amount) or read again before selling resumes.
    pub fn captures_in_flight(&self) -> Result<Vec<CaptureIntent>, JournalError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, sale_id, transaction_id, request_id, capture_amount, authorized_amount, \
               provider, provider_ref \
             FROM payment_attempts WHERE state = 'authorized' AND capture_amount IS NOT NULL \
             ORDER BY id",
        )?;
        let intents = stmt
            .query_map([], |r| {
                Ok(CaptureIntent {
                    attempt_id: r.get(0)?,
                    sale_id: r.get(1)?,
                    provider: r.get(6)?,
                    provider_ref: r.get(7)?,
                    transaction_id: r.get(2)?,
                    request_id: r.get(3)?,
                    amount: Yen(r.get(4)?),
                    held: Yen(r.get(5)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(intents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SaleMeta;
    use regi_core::domain::{AmountGuard, AttemptEvent, Cart, PaymentMethod, TaxPolicy, TaxRate};
    use regi_core::records::SaleState;

    /// A ¥`yen` sale whose QR the customer paid and the provider holds.
    fn held_sale(journal: &mut Journal, yen: i64) -> (i64, i64) {
        let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
        cart.add_manual(Yen(yen), TaxRate::Standard10, None)
            .unwrap();
        let sale = journal
            .create_sale(&cart.checkout().unwrap(), &SaleMeta::default())
            .unwrap();
        let attempt = journal
            .create_attempt_with(sale.sale_id, "provider-a", PaymentMethod::HostedPage, true)
            .unwrap();
        journal
            .record_attempt_event(attempt.attempt_id, AttemptEvent::Presented)
            .unwrap();
        journal
            .record_attempt_event(
                attempt.attempt_id,
                AttemptEvent::AuthorizedObserved {
                    transaction_id: "pay-1".into(),
                    amount: yen,
                },
            )
            .unwrap();
        (sale.sale_id, attempt.attempt_id)
    }

    fn journal() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        (dir, journal)
    }

    #[test]
    fn a_held_payment_leaves_the_sale_held_and_no_other_attempt_may_start() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = held_sale(&mut journal, 3_000);
        let report = journal.x_report().unwrap().unwrap();
        assert_eq!(report.payments.count, 0, "nothing is taken while held");
        let detail = journal.sale(sale_id).unwrap();
        assert_eq!(detail.sale.state, SaleState::Held);
        assert_eq!(detail.sale.transaction_id.as_deref(), Some("pay-1"));
        assert!(detail.attempts[0].hold);
        assert_eq!(detail.attempts[0].state.held_amount(), Some(3_000));
        assert!(journal.unresolved_attempts().unwrap().is_empty());
        let again = journal.create_attempt(sale_id, "provider-a", PaymentMethod::HostedPage);
        assert!(matches!(again, Err(JournalError::Refused(_))), "{again:?}");
        assert!(journal.captures_in_flight().unwrap().is_empty());
        assert_eq!(journal.attempt(attempt_id).unwrap().capture_amount, None);
    }

    #[test]
    fn a_smaller_capture_is_journaled_first_and_releases_the_rest_once_taken() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = held_sale(&mut journal, 3_000);
        let intent = journal
            .record_capture_request(attempt_id, Some(Yen(2_400)))
            .unwrap();
        assert_eq!(intent.amount, Yen(2_400));
        assert_eq!(intent.held, Yen(3_000));
        assert_eq!(intent.transaction_id, "pay-1");
        // The answer is lost: the capture is in flight and is repeated for the same amount.
        let in_flight = journal.captures_in_flight().unwrap();
        assert_eq!(in_flight, vec![intent.clone()]);
        let repeat = journal.record_capture_request(attempt_id, None).unwrap();
        assert_eq!(repeat, intent);
        let other = journal.record_capture_request(attempt_id, Some(Yen(2_000)));
        assert!(matches!(other, Err(JournalError::Refused(_))), "{other:?}");

        journal
            .record_attempt_event(
                attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "pay-1".into(),
                },
            )
            .unwrap();
        let sale = journal.sale(sale_id).unwrap().sale;
        assert_eq!(sale.state, SaleState::Paid);
        assert_eq!(sale.released, Yen(600));
        assert_eq!(sale.paid_amount(), Yen(2_400));
        assert!(journal.captures_in_flight().unwrap().is_empty());
        // The day's report counts what was taken, with its tax.
        let report = journal.x_report().unwrap().unwrap();
        assert_eq!(report.payments.amount, Yen(2_400));
        let standard = &report.payments_by_rate[0];
        assert_eq!((standard.taxable, standard.tax), (Yen(2_400), Yen(218)));
    }

    #[test]
    fn a_capture_outside_what_is_held_is_refused_and_nothing_is_journaled() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = held_sale(&mut journal, 1_000);
        for yen in [0, -5, 1_001] {
            let refused = journal.record_capture_request(attempt_id, Some(Yen(yen)));
            assert!(matches!(refused, Err(JournalError::Refused(_))), "{yen}");
        }
        assert!(journal.captures_in_flight().unwrap().is_empty());
        // A whole capture releases nothing.
        journal.record_capture_request(attempt_id, None).unwrap();
        journal
            .record_attempt_event(
                attempt_id,
                AttemptEvent::PaidObserved {
                    transaction_id: "pay-1".into(),
                },
            )
            .unwrap();
        let sale = journal.sale(sale_id).unwrap().sale;
        assert_eq!((sale.state, sale.released), (SaleState::Paid, Yen(0)));
        let paid_again = journal.record_capture_request(attempt_id, None);
        assert!(matches!(paid_again, Err(JournalError::Refused(_))));
    }

    #[test]
    fn a_held_payment_the_provider_released_cancels_the_sale() {
        let (_dir, mut journal) = journal();
        let (sale_id, attempt_id) = held_sale(&mut journal, 1_000);
        journal
            .record_attempt_event(attempt_id, AttemptEvent::CancelConfirmed)
            .unwrap();
        let sale = journal.sale(sale_id).unwrap().sale;
        assert_eq!(sale.state, SaleState::Cancelled);
        assert_eq!(sale.transaction_id, None);
    }
}
