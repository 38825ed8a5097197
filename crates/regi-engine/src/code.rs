//! Customer-presented code: one `request_id`, journaled before the first request and reused
//! for every retry, so the customer is charged at most once however often the network fails.

use std::time::Instant;

use tokio::sync::mpsc;
use uuid::Uuid;

use super::qr::emit;
use super::{AttemptOutcome, Engine, EngineError, EngineEvent, Route};
use regi_core::domain::{AttemptEvent, PaymentMethod};
use regi_core::secret::mask_tail;
use regi_payment::{CodeCharge, Direction, GatewayError, PaymentGateway, ProductLine};

impl Engine {
    /// Charges (or tops up) the wallet behind the scanned customer `code` with the first
    /// enabled provider.
    pub async fn pay_by_code(
        &self,
        sale_id: i64,
        code: &str,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        self.pay_by_code_routed(&Route::default(), sale_id, code, events)
            .await
    }

    /// [`Engine::pay_by_code`] through the provider `route` names (whose code shape the code
    /// has); a wallet in the route is not used, the code itself says which wallet pays.
    pub async fn pay_by_code_routed(
        &self,
        route: &Route,
        sale_id: i64,
        code: &str,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let gateway = self.route(route)?;
        let detail = self.journal.call(move |j| j.sale(sale_id)).await?;
        let attempt = self
            .start_attempt(
                sale_id,
                gateway.provider(),
                PaymentMethod::CustomerCode,
                // A customer-code charge is taken at once: no provider holds one.
                false,
                route.part,
                events,
            )
            .await?;
        let attempt_id = attempt.attempt_id;
        let request_id = Uuid::parse_str(&attempt.request_id).map_err(|_| {
            EngineError::Gateway(GatewayError::Fatal(
                "journal request_id is not a UUID".into(),
            ))
        })?;
        let signed = attempt.amount.value();
        let charge = CodeCharge {
            code: code.trim().to_string(),
            amount: signed.abs(),
            direction: Direction::of_signed(signed),
            request_id,
            description: self.description(sale_id),
            // The goods are listed only with a charge for all of them: one tender of several
            // pays part of the sale, and its goods would claim more than it charged.
            products: if signed.abs() == detail.sale.total.value() {
                detail
                    .lines
                    .iter()
                    .map(|line| ProductLine {
                        jan_code: line.jan.clone().unwrap_or_default(),
                        name: line.name.clone(),
                        unit_price: line.unit_price.value(),
                        quantity: line.quantity,
                        price: line.amount.value(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        };
        tracing::info!(sale_id, attempt_id, %request_id, code = %mask_tail(code, 4), "charging customer code");
        self.journal
            .call(move |j| j.record_attempt_event(attempt_id, AttemptEvent::Sent))
            .await?;
        self.drive_charge(gateway.as_ref(), sale_id, attempt_id, &charge, events)
            .await
    }

    /// Sends the charge until a definite answer: a retry reuses the request_id, and a lost answer
    /// is looked up by it before anything else is concluded.
    async fn drive_charge(
        &self,
        gateway: &dyn PaymentGateway,
        sale_id: i64,
        attempt_id: i64,
        charge: &CodeCharge,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let started = Instant::now();
        let mut lost = false;
        loop {
            match gateway.charge_code(charge).await {
                Ok(paid) => {
                    return self.finish_paid(sale_id, attempt_id, paid, events).await;
                }
                Err(GatewayError::Refused(refusal)) => {
                    // After a lost answer, a refusal such as "token already used" may be our own
                    // earlier request succeeding: the request_id settles it.
                    if lost {
                        match gateway.lookup_request(charge.request_id).await {
                            Ok(Some(paid)) => {
                                return self.finish_paid(sale_id, attempt_id, paid, events).await;
                            }
                            Ok(None) => {}
                            Err(error) => {
                                // Cannot tell yet whether the earlier request went through.
                                emit(
                                    events,
                                    EngineEvent::Checking {
                                        attempt_id,
                                        reason: error.to_string(),
                                    },
                                );
                                tokio::time::sleep(self.settings.retry_backoff).await;
                                continue;
                            }
                        }
                    }
                    return self
                        .finish_refused(
                            sale_id,
                            attempt_id,
                            PaymentMethod::CustomerCode,
                            refusal,
                            events,
                        )
                        .await;
                }
                Err(GatewayError::Fatal(message)) => {
                    // Not sent in a usable form; whether anything happened is still checked at the
                    // next start, so the attempt is left unresolved rather than called failed.
                    let at = self.now();
                    self.record_outcome(attempt_id, events, move |j| {
                        j.record_attempt_event(attempt_id, AttemptEvent::OutcomeLost { at })
                    })
                    .await?;
                    return Err(EngineError::Gateway(GatewayError::Fatal(message)));
                }
                Err(error) => {
                    if !lost {
                        lost = true;
                        let at = self.now();
                        self.record_outcome(attempt_id, events, move |j| {
                            j.record_attempt_event(attempt_id, AttemptEvent::OutcomeLost { at })
                        })
                        .await?;
                    }
                    emit(
                        events,
                        EngineEvent::Checking {
                            attempt_id,
                            reason: error.to_string(),
                        },
                    );
                    if let Ok(Some(paid)) = gateway.lookup_request(charge.request_id).await {
                        return self.finish_paid(sale_id, attempt_id, paid, events).await;
                    }
                    if started.elapsed() >= self.settings.resolve_for {
                        return self
                            .unresolved(sale_id, attempt_id, PaymentMethod::CustomerCode, events)
                            .await;
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
            }
        }
    }

    /// Journals a charge the provider confirmed and reports it.
    async fn finish_paid(
        &self,
        sale_id: i64,
        attempt_id: i64,
        paid: regi_payment::PaidTransaction,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let event = AttemptEvent::PaidObserved {
            transaction_id: paid.transaction_id.clone(),
        };
        self.finish(
            sale_id,
            attempt_id,
            PaymentMethod::CustomerCode,
            event,
            Some(paid),
            None,
            events,
        )
        .await
    }
}
