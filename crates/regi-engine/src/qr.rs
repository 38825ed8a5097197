//! A QR the merchant shows (a wallet's payment request or a provider's payment page): create, show,
//! poll until paid / failed / expired / cancelled, capturing a payment the provider holds
//! authorized. A cancel is a request, not a fact: the request is re-read after it, and a payment
//! that slipped in first is reported as paid.

use std::time::Instant;

use tokio::sync::{mpsc, watch};

use uuid::Uuid;

use super::{AttemptOutcome, Engine, EngineError, EngineEvent, Route};
use regi_core::domain::{AttemptEvent, AttemptState, FailReason, Failure, PaymentMethod};
use regi_payment::{
    CaptureRequest, Direction, GatewayError, PaidTransaction, PaymentGateway, PollDecision,
    PollSchedule, QrRequest, QrSession, QrStatus, Refusal, merchant_reference,
};

/// Events go to whoever listens; a listener that went away must not stop the payment.
pub(super) fn emit(events: &mpsc::UnboundedSender<EngineEvent>, event: EngineEvent) {
    let _ = events.send(event);
}

impl Engine {
    /// Takes payment for `sale_id` with a QR the customer scans. `cancel` set to `true` asks to
    /// cancel (the clerk pressed Esc). Returns when the attempt ended, or, if no answer can be had
    /// for `resolve_for`, hands it back unresolved (it stays in the journal).
    pub async fn pay_by_qr(
        &self,
        sale_id: i64,
        cancel: watch::Receiver<bool>,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        self.pay_by_qr_routed(&Route::default(), sale_id, cancel, events)
            .await
    }

    /// [`Engine::pay_by_qr`] through the provider (and wallet) `route` names. A provider whose
    /// page the customer pays on is journaled as a hosted page, one whose QR their app pays as a
    /// merchant QR.
    pub async fn pay_by_qr_routed(
        &self,
        route: &Route,
        sale_id: i64,
        mut cancel: watch::Receiver<bool>,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let gateway = self.route(route)?;
        let method =
            qr_presentation(gateway.capabilities().presentations, route).ok_or_else(|| {
                EngineError::Gateway(GatewayError::Fatal(format!(
                    "{} shows no QR",
                    gateway.provider()
                )))
            })?;
        let sale = self.journal.call(move |j| j.sale(sale_id)).await?.sale;
        let receipt_no = sale.receipt_no;
        let capabilities = gateway.capabilities();
        // Only a payment is held: a top-up's money goes to the customer.
        let hold = (route.hold || capabilities.holds_by_default)
            && sale.kind == regi_core::domain::SaleKind::Payment;
        if hold && !capabilities.capture {
            return Err(EngineError::Gateway(GatewayError::Fatal(format!(
                "{} cannot hold a payment for a later capture",
                gateway.provider()
            ))));
        }
        let mut tries = 0;
        loop {
            tries += 1;
            let attempt = self
                .start_attempt(
                    sale_id,
                    gateway.provider(),
                    method,
                    hold,
                    route.part,
                    events,
                )
                .await?;
            let attempt_id = attempt.attempt_id;
            let request_id = journaled_key(&attempt.request_id)?;
            let signed = attempt.amount.value();
            let request = QrRequest {
                amount: signed.abs(),
                direction: Direction::of_signed(signed),
                description: self.description(sale_id),
                expires_in_secs: u32::try_from(self.settings.qr_expires_in.as_secs())
                    .unwrap_or(u32::MAX)
                    .max(1),
                request_id,
                reference: merchant_reference(request_id),
                wallet: route.wallet.clone(),
                presentation: method,
                terminal: self.settings.terminal.clone(),
                receipt_no,
                hold,
            };
            match gateway.create_qr(&request).await {
                Ok(session) => {
                    let (id, token) = (session.id.clone(), session.token.clone());
                    let presented = self
                        .journal
                        .call(move |j| j.record_presented(attempt_id, &id, &token))
                        .await;
                    if let Err(error) = presented {
                        // The QR is never shown, so nobody can pay it; the tray is withdrawn so it
                        // does not linger, and recovery closes the attempt as never shown.
                        if let Err(cancel) = gateway.cancel_qr(&session.id).await {
                            tracing::warn!(attempt_id, %cancel, "could not withdraw a tray never shown");
                        }
                        return Err(error.into());
                    }
                    emit(
                        events,
                        EngineEvent::Presented {
                            attempt_id,
                            token: session.token.clone(),
                            expires_at: session.expires_at,
                        },
                    );
                    let shown = ShownQr {
                        sale_id,
                        attempt_id,
                        method,
                        request_id,
                        hold,
                    };
                    return self
                        .watch_qr(gateway.as_ref(), &shown, &session, &mut cancel, events)
                        .await;
                }
                Err(GatewayError::Refused(refusal)) => {
                    return self
                        .finish_refused(sale_id, attempt_id, method, refusal, events)
                        .await;
                }
                Err(error) => {
                    // No QR was shown, so no customer can have paid: this attempt is over. A
                    // tray the provider may have made without telling us simply expires.
                    let failure = Failure {
                        reason: FailReason::RejectedOther,
                        error_type: "qr_not_created".into(),
                        message: error.to_string(),
                    };
                    let fatal = matches!(error, GatewayError::Fatal(_));
                    // Nothing was shown, so a journal failure here is a plain "not started".
                    let state = self
                        .journal
                        .call(move |j| {
                            j.record_attempt_event(
                                attempt_id,
                                AttemptEvent::FailedObserved(failure),
                            )
                        })
                        .await?;
                    let outcome = AttemptOutcome {
                        sale_id,
                        attempt_id,
                        method,
                        state,
                        paid: None,
                        refusal: None,
                    };
                    emit(events, EngineEvent::Finished(Box::new(outcome.clone())));
                    if fatal {
                        return Err(EngineError::Gateway(error));
                    }
                    if tries >= self.settings.qr_create_tries.max(1) || *cancel.borrow() {
                        return Ok(outcome);
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
            }
        }
    }

    async fn watch_qr(
        &self,
        gateway: &dyn PaymentGateway,
        shown: &ShownQr,
        session: &QrSession,
        cancel: &mut watch::Receiver<bool>,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let ShownQr {
            sale_id,
            attempt_id,
            method,
            request_id,
            hold,
        } = *shown;
        let presented = Instant::now();
        let mut schedule = PollSchedule::new(self.settings.poll.clone());
        let mut last = PollDecision::Answered;
        let mut cancelling = *cancel.borrow();
        let mut can_cancel = true;
        let mut unanswered_since: Option<Instant> = None;
        loop {
            if !cancelling {
                let delay = schedule.next_delay(presented.elapsed(), last, rand::random::<f64>());
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    changed = cancel.changed(), if can_cancel => match changed {
                        Ok(()) => cancelling = *cancel.borrow(),
                        // Nobody can cancel any more; keep polling.
                        Err(_) => can_cancel = false,
                    },
                }
            }
            if cancelling {
                // The answer to the cancel itself does not matter: the re-read below decides.
                if let Err(error) = gateway.cancel_qr(&session.id).await {
                    tracing::warn!(attempt_id, %error, "cancel request not confirmed; re-reading the tray");
                }
            }
            match read_and_capture(gateway, &session.id, request_id, hold).await {
                Ok(QrStatus::Open { .. }) if cancelling => {
                    // The cancel did not land yet; try again after a pause.
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
                Ok(QrStatus::Open { .. }) => {
                    last = PollDecision::Answered;
                    unanswered_since = None;
                }
                Ok(status) => {
                    return self
                        .settle_qr(sale_id, attempt_id, method, status, events)
                        .await;
                }
                Err(GatewayError::Fatal(message)) => {
                    return Err(EngineError::Gateway(GatewayError::Fatal(message)));
                }
                Err(error) => {
                    last = if matches!(error, GatewayError::Busy(_)) {
                        PollDecision::Busy
                    } else {
                        PollDecision::NoAnswer
                    };
                    let since = *unanswered_since.get_or_insert_with(Instant::now);
                    let past_expiry = self.now() > session.expires_at;
                    if past_expiry || cancelling {
                        emit(
                            events,
                            EngineEvent::Checking {
                                attempt_id,
                                reason: error.to_string(),
                            },
                        );
                    }
                    if since.elapsed() >= self.settings.resolve_for {
                        let at = self.now();
                        self.record_outcome(attempt_id, events, move |j| {
                            j.record_attempt_event(attempt_id, AttemptEvent::OutcomeLost { at })
                        })
                        .await?;
                        return self.unresolved(sale_id, attempt_id, method, events).await;
                    }
                    if cancelling {
                        tokio::time::sleep(self.settings.retry_backoff).await;
                    }
                }
            }
        }
    }

    /// Records a definite tray state and reports it.
    pub(super) async fn settle_qr(
        &self,
        sale_id: i64,
        attempt_id: i64,
        method: PaymentMethod,
        status: QrStatus,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let (event, paid, refusal) = qr_event(status);
        let event = event.expect("settle_qr is only called with a final status");
        self.finish(sale_id, attempt_id, method, event, paid, refusal, events)
            .await
    }

    /// Journals the final event of an attempt and reports the outcome.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn finish(
        &self,
        sale_id: i64,
        attempt_id: i64,
        method: PaymentMethod,
        event: AttemptEvent,
        paid: Option<PaidTransaction>,
        refusal: Option<Refusal>,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let state = self
            .record_outcome(attempt_id, events, move |j| {
                j.record_attempt_event(attempt_id, event.clone())
            })
            .await?;
        // The customer's name is for the receipt, not the money record: not keeping it changes
        // nothing about the payment.
        if let Some(name) = paid.as_ref().and_then(|p| p.customer_name.clone()) {
            let kept = self
                .journal
                .call(move |j| j.record_customer_name(attempt_id, &name))
                .await;
            if let Err(error) = kept {
                tracing::warn!(attempt_id, %error, "customer name not kept");
            }
        }
        // The money or wallet paid with (PayPay, d払い, ...), for receipts, history and the
        // reports' rows per way to pay, whichever front end took the payment.
        if let Some(name) = paid.as_ref().and_then(|p| p.money_name.clone()) {
            let kept = self
                .journal
                .call(move |j| j.record_money_name(sale_id, &name))
                .await;
            if let Err(error) = kept {
                tracing::warn!(attempt_id, %error, "money name not kept");
            }
        }
        let outcome = AttemptOutcome {
            sale_id,
            attempt_id,
            method,
            state,
            paid,
            refusal,
        };
        emit(events, EngineEvent::Finished(Box::new(outcome.clone())));
        Ok(outcome)
    }

    /// Journals a definite refusal from the provider and reports it with its texts.
    pub(super) async fn finish_refused(
        &self,
        sale_id: i64,
        attempt_id: i64,
        method: PaymentMethod,
        refusal: Refusal,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let failure = Failure::new(refusal.reason, &refusal.error_type, &refusal.message_en);
        let event = AttemptEvent::FailedObserved(failure);
        self.finish(
            sale_id,
            attempt_id,
            method,
            event,
            None,
            Some(refusal),
            events,
        )
        .await
    }

    pub(super) async fn unresolved(
        &self,
        sale_id: i64,
        attempt_id: i64,
        method: PaymentMethod,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let outcome = AttemptOutcome {
            sale_id,
            attempt_id,
            method,
            state: AttemptState::Unknown { since: self.now() },
            paid: None,
            refusal: None,
        };
        emit(events, EngineEvent::Finished(Box::new(outcome.clone())));
        Ok(outcome)
    }
}

/// The journal event a tray status stands for (`None` while it is still open).
pub(super) fn qr_event(
    status: QrStatus,
) -> (
    Option<AttemptEvent>,
    Option<PaidTransaction>,
    Option<Refusal>,
) {
    match status {
        QrStatus::Open { .. } => (None, None, None),
        // Seen only for a payment the store holds: `read_and_capture` captures any other.
        QrStatus::Authorized(held) => (
            Some(AttemptEvent::AuthorizedObserved {
                transaction_id: held.transaction_id.clone(),
                amount: held.amount,
            }),
            Some(held),
            None,
        ),
        QrStatus::Paid(paid) => (
            Some(AttemptEvent::PaidObserved {
                transaction_id: paid.transaction_id.clone(),
            }),
            Some(paid),
            None,
        ),
        QrStatus::Failed(refusal) => (
            Some(AttemptEvent::FailedObserved(Failure::new(
                refusal.reason,
                &refusal.error_type,
                &refusal.message_en,
            ))),
            None,
            Some(refusal),
        ),
        QrStatus::Expired => (Some(AttemptEvent::ExpiredObserved), None, None),
        QrStatus::Cancelled => (Some(AttemptEvent::CancelConfirmed), None, None),
    }
}

/// The attempt a shown QR belongs to.
#[derive(Debug, Clone, Copy)]
struct ShownQr {
    sale_id: i64,
    attempt_id: i64,
    method: PaymentMethod,
    request_id: Uuid,
    /// The store holds the payment for a later capture.
    hold: bool,
}

/// Reads a QR request; a payment the provider holds authorized is captured at once (with the
/// attempt's key, so a capture repeated after a lost answer takes the money once) and read as
/// paid, unless the store holds it (`hold`): then it is read as held. A refused capture is the
/// attempt's refusal; no answer is no answer, and the next read captures again.
pub(super) async fn read_and_capture(
    gateway: &dyn PaymentGateway,
    qr_id: &str,
    request_id: Uuid,
    hold: bool,
) -> Result<QrStatus, GatewayError> {
    let held = match gateway.qr_status(qr_id).await? {
        QrStatus::Authorized(held) if !hold => held,
        status => return Ok(status),
    };
    let request = CaptureRequest {
        transaction_id: held.transaction_id.clone(),
        amount: held.amount,
        request_id,
    };
    match gateway.capture(&request).await {
        Ok(paid) => Ok(QrStatus::Paid(paid)),
        Err(GatewayError::Refused(refusal)) => Ok(QrStatus::Failed(refusal)),
        Err(error) => Err(error),
    }
}

/// The attempt's journaled key as the provider gets it.
pub(super) fn journaled_key(request_id: &str) -> Result<Uuid, EngineError> {
    Uuid::parse_str(request_id).map_err(|_| {
        EngineError::Gateway(GatewayError::Fatal(
            "journal request_id is not a UUID".into(),
        ))
    })
}

/// How a QR attempt on `route` is presented: a chosen wallet is paid through its own QR where the
/// provider has one; with no wallet chosen, the customer picks on the provider's page where it has
/// one; otherwise whichever of the two the provider has.
fn qr_presentation(presentations: &[PaymentMethod], route: &Route) -> Option<PaymentMethod> {
    let preferred = if route.wallet.is_some() {
        [PaymentMethod::MerchantQr, PaymentMethod::HostedPage]
    } else {
        [PaymentMethod::HostedPage, PaymentMethod::MerchantQr]
    };
    preferred.into_iter().find(|m| presentations.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(wallet: Option<&str>) -> Route {
        Route {
            provider: None,
            wallet: wallet.map(str::to_string),
            ..Route::default()
        }
    }

    #[test]
    fn a_chosen_wallet_gets_its_own_qr_and_no_choice_gets_the_providers_page() {
        let both = [PaymentMethod::MerchantQr, PaymentMethod::HostedPage];
        assert_eq!(
            qr_presentation(&both, &route(Some("paypay"))),
            Some(PaymentMethod::MerchantQr)
        );
        assert_eq!(
            qr_presentation(&both, &route(None)),
            Some(PaymentMethod::HostedPage)
        );
        let qr_only = [PaymentMethod::MerchantQr, PaymentMethod::CustomerCode];
        assert_eq!(
            qr_presentation(&qr_only, &route(None)),
            Some(PaymentMethod::MerchantQr)
        );
        let page_only = [PaymentMethod::HostedPage];
        assert_eq!(
            qr_presentation(&page_only, &route(Some("paypay"))),
            Some(PaymentMethod::HostedPage)
        );
        assert_eq!(
            qr_presentation(&[PaymentMethod::CustomerCode], &route(None)),
            None
        );
    }
}
