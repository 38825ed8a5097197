//! Customers' tabs: open one on a customer's verified card, charge sales to it, close it to bill
//! the card. Each step is journaled with its key before its request leaves and repeated with
//! the same key when its answer is lost (the provider books a key once), so a tab is opened,
//! a sale charged and a card billed exactly once; what is still unanswered is settled on start.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::qr::{emit, journaled_key};
use super::{AttemptOutcome, Engine, EngineError, EngineEvent};
use regi_core::domain::{AttemptEvent, AttemptState, PaymentMethod, Yen};
use regi_core::records::{NewTab, TabRecord};
use regi_journal::JournalError;
use regi_payment::{
    GatewayError, PaymentGateway, Refusal, TabChargeRequest, TabCloseRequest, TabCustomer,
    TabOpenRequest,
};

/// How opening or closing a tab ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabOutcome {
    /// Done: the tab as the journal now holds it.
    Done(TabRecord),
    /// The provider said no; nothing was authorized or billed.
    Refused { tab: TabRecord, refusal: Refusal },
    /// No answer yet: the step stays journaled and is repeated (same key) on the next start.
    Unknown(TabRecord),
}

impl TabOutcome {
    pub fn tab(&self) -> &TabRecord {
        match self {
            TabOutcome::Done(tab) | TabOutcome::Refused { tab, .. } | TabOutcome::Unknown(tab) => {
                tab
            }
        }
    }

    /// A short name for logs and the command line.
    pub fn kind(&self) -> &'static str {
        match self {
            TabOutcome::Done(_) => "done",
            TabOutcome::Refused { .. } => "refused",
            TabOutcome::Unknown(_) => "unknown",
        }
    }
}

impl Engine {
    /// The provider tabs go to: `provider` by name, else the first enabled that has tabs.
    fn tab_gateway(&self, provider: Option<&str>) -> Result<Arc<dyn PaymentGateway>, EngineError> {
        let found = match provider {
            Some(name) => self.gateways.get(name).cloned(),
            None => self
                .gateways
                .names()
                .into_iter()
                .filter_map(|name| self.gateways.get(name).cloned())
                .find(|g| g.capabilities().tabs),
        };
        found.filter(|g| g.capabilities().tabs).ok_or_else(|| {
            EngineError::Gateway(GatewayError::Fatal(
                "no enabled payment provider keeps tabs".into(),
            ))
        })
    }

    /// The customer a scanned code belongs to, with the cards a tab can be opened on.
    pub async fn tab_customer(
        &self,
        provider: Option<&str>,
        code: &str,
    ) -> Result<TabCustomer, EngineError> {
        let gateway = self.tab_gateway(provider)?;
        gateway
            .tab_customer(code.trim())
            .await
            .map_err(EngineError::Gateway)
    }

    /// Opens a tab labelled `label` on the customer's card `card_id` until `until`.
    pub async fn open_tab(
        &self,
        provider: Option<&str>,
        label: &str,
        customer: &TabCustomer,
        card_id: &str,
        until: DateTime<Utc>,
    ) -> Result<TabOutcome, EngineError> {
        let gateway = self.tab_gateway(provider)?;
        let label = label.trim();
        if label.is_empty() {
            return Err(JournalError::Refused("a tab needs a label".into()).into());
        }
        let card = customer
            .cards
            .iter()
            .find(|c| c.card_id == card_id)
            .ok_or_else(|| {
                EngineError::Journal(JournalError::Refused(format!(
                    "card {card_id} is not one of the customer's verified cards"
                )))
            })?;
        let new = NewTab {
            provider: gateway.provider().to_string(),
            label: label.to_string(),
            customer_id: customer.customer_id.clone(),
            customer_name: customer.name.clone(),
            money_id: customer.money_id.clone(),
            card_id: card.card_id.clone(),
            card_masked: card.masked_number.clone(),
            until,
        };
        let (tab_id, key) = self.journal.call(move |j| j.begin_tab(&new)).await?;
        let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
        self.drive_open(gateway.as_ref(), &tab, journaled_key(&key)?, true)
            .await
    }

    async fn drive_open(
        &self,
        gateway: &dyn PaymentGateway,
        tab: &TabRecord,
        request_id: Uuid,
        patient: bool,
    ) -> Result<TabOutcome, EngineError> {
        let tab_id = tab.id;
        let request = TabOpenRequest {
            customer_id: tab.customer_id.clone(),
            money_id: tab.money_id.clone(),
            card_id: tab.card_id.clone(),
            until: tab.until,
            request_id,
        };
        let started = Instant::now();
        loop {
            match gateway.open_tab(&request).await {
                Ok(opened) => {
                    self.journal
                        .call(move |j| {
                            j.record_tab_opened(tab_id, &opened.tab_id, opened.expires_at)
                        })
                        .await?;
                    let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
                    tracing::info!(tab_id, "tab opened");
                    return Ok(TabOutcome::Done(tab));
                }
                Err(GatewayError::Refused(refusal)) => {
                    let (error_type, message) =
                        (refusal.error_type.clone(), refusal.message_en.clone());
                    self.journal
                        .call(move |j| j.record_tab_failed(tab_id, &error_type, &message))
                        .await?;
                    let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
                    return Ok(TabOutcome::Refused { tab, refusal });
                }
                Err(GatewayError::Fatal(message)) => {
                    return Err(EngineError::Gateway(GatewayError::Fatal(message)));
                }
                Err(error) => {
                    tracing::warn!(tab_id, %error, "tab opening not answered; asking again");
                    if !patient || started.elapsed() >= self.settings.resolve_for {
                        let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
                        return Ok(TabOutcome::Unknown(tab));
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
            }
        }
    }

    /// Charges sale `sale_id` to the open tab `tab_id`; a lost answer is asked again with the
    /// same key, so the sale is booked once.
    pub async fn charge_tab(
        &self,
        sale_id: i64,
        tab_id: i64,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        self.charge_tab_part(sale_id, tab_id, None, events).await
    }

    /// [`Engine::charge_tab`] for `part` yen of the sale (`None`: all that remains), one tender
    /// of a sale paid in several.
    pub async fn charge_tab_part(
        &self,
        sale_id: i64,
        tab_id: i64,
        part: Option<Yen>,
        events: &mpsc::UnboundedSender<EngineEvent>,
    ) -> Result<AttemptOutcome, EngineError> {
        let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
        let gateway = self.tab_gateway(Some(&tab.provider))?;
        let attempt = self
            .journal
            .call(move |j| j.create_tab_tender(sale_id, tab_id, part))
            .await?;
        let attempt_id = attempt.attempt_id;
        emit(
            events,
            EngineEvent::Started {
                sale_id,
                attempt_id,
                method: PaymentMethod::Tab,
            },
        );
        let request = TabChargeRequest {
            tab_id: tab.provider_ref.clone().unwrap_or_default(),
            amount: attempt.amount.value().abs(),
            description: self.description(sale_id),
            request_id: journaled_key(&attempt.request_id)?,
        };
        self.journal
            .call(move |j| j.record_attempt_event(attempt_id, AttemptEvent::Sent))
            .await?;
        self.drive_tab_charge(
            gateway.as_ref(),
            sale_id,
            attempt_id,
            &tab,
            &request,
            events,
            true,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn drive_tab_charge(
        &self,
        gateway: &dyn PaymentGateway,
        sale_id: i64,
        attempt_id: i64,
        tab: &TabRecord,
        request: &TabChargeRequest,
        events: &mpsc::UnboundedSender<EngineEvent>,
        patient: bool,
    ) -> Result<AttemptOutcome, EngineError> {
        let started = Instant::now();
        let mut lost = false;
        loop {
            match gateway.charge_tab(request).await {
                Ok(mut paid) => {
                    // The receipt, history and reports name the tab and its card.
                    paid.money_name.get_or_insert_with(|| tab_payment_name(tab));
                    let event = AttemptEvent::PaidObserved {
                        transaction_id: paid.transaction_id.clone(),
                    };
                    return self
                        .finish(
                            sale_id,
                            attempt_id,
                            PaymentMethod::Tab,
                            event,
                            Some(paid),
                            None,
                            events,
                        )
                        .await;
                }
                // The same key is booked once: a refusal after a lost answer is a refusal.
                Err(GatewayError::Refused(refusal)) => {
                    return self
                        .finish_refused(sale_id, attempt_id, PaymentMethod::Tab, refusal, events)
                        .await;
                }
                Err(GatewayError::Fatal(message)) => {
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
                    if !patient || started.elapsed() >= self.settings.resolve_for {
                        return self
                            .unresolved(sale_id, attempt_id, PaymentMethod::Tab, events)
                            .await;
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
            }
        }
    }

    /// Closes the tab `tab_id`: the card is billed for all that was charged to it.
    pub async fn close_tab(&self, tab_id: i64) -> Result<TabOutcome, EngineError> {
        let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
        let gateway = self.tab_gateway(Some(&tab.provider))?;
        let key = self
            .journal
            .call(move |j| j.begin_tab_close(tab_id))
            .await?;
        let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
        self.drive_close(gateway.as_ref(), &tab, journaled_key(&key)?, true)
            .await
    }

    async fn drive_close(
        &self,
        gateway: &dyn PaymentGateway,
        tab: &TabRecord,
        request_id: Uuid,
        patient: bool,
    ) -> Result<TabOutcome, EngineError> {
        let tab_id = tab.id;
        let request = TabCloseRequest {
            tab_id: tab.provider_ref.clone().unwrap_or_default(),
            request_id,
        };
        let started = Instant::now();
        loop {
            match gateway.close_tab(&request).await {
                Ok(()) => {
                    self.journal
                        .call(move |j| j.record_tab_closed(tab_id))
                        .await?;
                    let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
                    tracing::info!(tab_id, total = tab.total.value(), "tab closed and billed");
                    return Ok(TabOutcome::Done(tab));
                }
                // The bill was refused (e.g. the card): the tab stays closing, asked again on
                // the next start or the next close; nothing was billed.
                Err(GatewayError::Refused(refusal)) => {
                    let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
                    return Ok(TabOutcome::Refused { tab, refusal });
                }
                Err(GatewayError::Fatal(message)) => {
                    return Err(EngineError::Gateway(GatewayError::Fatal(message)));
                }
                Err(error) => {
                    tracing::warn!(tab_id, %error, "tab closing not answered; asking again");
                    if !patient || started.elapsed() >= self.settings.resolve_for {
                        let tab = self.journal.call(move |j| j.tab(tab_id)).await?;
                        return Ok(TabOutcome::Unknown(tab));
                    }
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
            }
        }
    }

    /// Settles tabs whose opening or closing was left unanswered: each is asked again once
    /// with its own key.
    pub(super) async fn recover_tabs(&self) -> Result<Vec<TabOutcome>, EngineError> {
        let tabs = self.journal.call(|j| j.tabs_in_flight()).await?;
        let mut outcomes = Vec::with_capacity(tabs.len());
        for tab in tabs {
            let Some(gateway) = self.gateway_of(&tab.provider) else {
                continue;
            };
            let outcome = if tab.provider_ref.is_none() {
                let key = journaled_key(&tab.open_request_id)?;
                self.drive_open(gateway.as_ref(), &tab, key, false).await?
            } else {
                let key = journaled_key(tab.close_request_id.as_deref().unwrap_or_default())?;
                self.drive_close(gateway.as_ref(), &tab, key, false).await?
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// A tab charge left unresolved: asked again once with its key (booked once either way).
    pub(super) async fn settle_tab_charge(
        &self,
        attempt_id: i64,
        sale_id: i64,
        request_id: &str,
        amount: i64,
    ) -> Result<Option<AttemptState>, EngineError> {
        let Some(tab) = self
            .journal
            .call(move |j| j.tab_of_attempt(attempt_id))
            .await?
        else {
            return Ok(None);
        };
        let Some(gateway) = self.gateway_of(&tab.provider) else {
            return Ok(None);
        };
        let request = TabChargeRequest {
            tab_id: tab.provider_ref.clone().unwrap_or_default(),
            amount: amount.abs(),
            description: self.description(sale_id),
            request_id: journaled_key(request_id)?,
        };
        let (events, _) = mpsc::unbounded_channel();
        let outcome = self
            .drive_tab_charge(
                gateway.as_ref(),
                sale_id,
                attempt_id,
                &tab,
                &request,
                &events,
                false,
            )
            .await?;
        Ok(Some(outcome.state))
    }
}

/// How a sale charged to a tab is named where the money paid with is: the tab's label and card.
fn tab_payment_name(tab: &TabRecord) -> String {
    format!("Tab {} {}", tab.label, tab.card_masked)
}
