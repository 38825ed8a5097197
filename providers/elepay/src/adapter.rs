//! elepay behind the payment port ([`PaymentGateway`]): a wallet's own QR is a charge with
//! `resource: mpm` (the QR shows its `codeContent`), the provider's page is an EasyQR code (the QR
//! shows its `codeUrl`); held charges are captured, and refunds may be partial.
//!
//! elepay has no idempotency header; the order number (the attempt's merchant reference) is the
//! only key. So a create whose answer was lost is looked for by order number before any new
//! create, a second create for an order paid meanwhile ("order already paid") reads that charge as
//! the answer, and refunds carry the attempt's key in their metadata so a repeated refund finds
//! the first instead of paying back twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use regi_core::domain::PaymentMethod as Presentation;
use regi_payment::{
    Capabilities, CaptureRequest, CodeCharge, Direction, GatewayError, GatewayFuture,
    PaidTransaction, PaymentGateway, QrRequest, QrSession, QrStatus, RefundRequest, RefundResult,
    merchant_reference, unsupported,
};
use uuid::Uuid;

use crate::client::ElepayClient;
use crate::error::{ElepayError, RefusalKind};
use crate::qr_handle::QrHandle;
use crate::refusals::{gateway_error, nothing_left_to_refund};
use crate::status_map::{charge_status, code_status, from_millis, paid_transaction};
use crate::wallets::parse_wallet;
use crate::wire::{
    ChargeDto, ChargeReq, ChargeStatus, CodeDto, CodeReq, EpochMillis, PaymentMethod, RefundDto,
    RefundReq, StringMap,
};

/// The provider's name as the journal records it with each attempt.
pub const PROVIDER: &str = "elepay";

/// The metadata key carrying the attempt's (or the refund's) journaled key.
pub const REQUEST_KEY: &str = "regi_request_id";
/// The metadata keys of the register that made a charge or code, and of the sale's receipt number.
pub const TERMINAL_KEY: &str = "regi_terminal";
pub const RECEIPT_NO_KEY: &str = "regi_receipt_no";

/// How far before a lost create was sent its charge is looked for: covers the difference between
/// this machine's clock and elepay's.
const CLOCK_MARGIN: Duration = Duration::from_secs(60);

/// An EasyQR code lives 3 to 30 minutes.
const CODE_MINUTES: std::ops::RangeInclusive<i64> = 3..=30;

/// Whether a paid charge is taken at once or held for a later capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaptureMode {
    /// `capture: true`: the customer's payment is taken at once.
    #[default]
    Auto,
    /// `capture: false`: the payment is authorized, and the engine captures it at once.
    Manual,
    /// `capture: false`: the payment is authorized and held until the clerk captures it
    /// (hold-then-capture).
    Hold,
}

/// What the store configured for elepay beyond how to reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayOptions {
    pub capture: CaptureMode,
    /// The wallet of a wallet QR when the clerk chose none.
    pub default_wallet: Option<PaymentMethod>,
    /// How far back a lookup by order number searches when the time of the create is not known
    /// (recovery after a restart, an order already paid).
    pub lookup_window: Duration,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        Self {
            capture: CaptureMode::Auto,
            default_wallet: None,
            lookup_window: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// elepay as a payment gateway for one account.
#[derive(Debug)]
pub struct ElepayGateway {
    client: ElepayClient,
    options: GatewayOptions,
    /// Order numbers whose charge create got no answer, with when it was sent: looked for before
    /// any new create for the same order.
    lost_creates: Mutex<HashMap<String, EpochMillis>>,
}

impl ElepayGateway {
    pub fn new(client: ElepayClient, options: GatewayOptions) -> Self {
        Self {
            client,
            options,
            lost_creates: Mutex::new(HashMap::new()),
        }
    }

    pub fn client(&self) -> &ElepayClient {
        &self.client
    }

    pub fn options(&self) -> &GatewayOptions {
        &self.options
    }

    async fn create_charge_qr(&self, request: &QrRequest) -> Result<QrSession, GatewayError> {
        let order = request.reference.as_str();
        let mut charge = ChargeReq::mpm(
            request.amount,
            order,
            self.wallet_for(request)?,
            self.options.capture == CaptureMode::Auto && !request.hold,
        );
        charge.description = Some(request.description.clone()).filter(|d| !d.is_empty());
        charge.metadata = Some(sale_metadata(request));

        if let Some(sent_at) = self.lost_create(order) {
            match self.find_by_order(order, sent_at).await? {
                Some(found) => return self.session_of_found(order, &found, request),
                None => self.forget_lost_create(order),
            }
        }
        // One more create is safe only when the lookup proved the first made nothing.
        for tries in 1..=2 {
            let sent_at = now_millis();
            match self.client.create_charge(&charge).await {
                Ok(created) => return charge_session(&created, request),
                Err(e) if e.is_order_already_paid() => return self.paid_order(request).await,
                Err(e) if e.is_outcome_unknown() => {
                    self.remember_lost_create(order, sent_at);
                    match self.find_by_order(order, sent_at).await {
                        Ok(Some(found)) => return self.session_of_found(order, &found, request),
                        Ok(None) if tries == 1 => self.forget_lost_create(order),
                        _ => return Err(gateway_error(e)),
                    }
                }
                Err(e) => return Err(gateway_error(e)),
            }
        }
        Err(GatewayError::Unknown(format!(
            "elepay: no answer to the charge for order {order}"
        )))
    }

    async fn create_code_qr(&self, request: &QrRequest) -> Result<QrSession, GatewayError> {
        if request.hold {
            // An EasyQR code takes the money when paid: it has no `capture` field to hold it.
            return Err(GatewayError::Fatal(
                "elepay's payment page cannot hold a payment for a later capture; choose a wallet"
                    .into(),
            ));
        }
        let minutes = i64::from(request.expires_in_secs.div_ceil(60));
        let code = CodeReq {
            amount: request.amount,
            order_no: request.reference.clone(),
            currency: None,
            description: Some(request.description.clone()).filter(|d| !d.is_empty()),
            extra: None,
            metadata: Some(sale_metadata(request)),
            front_url: None,
            expiry_duration: Some(minutes.clamp(*CODE_MINUTES.start(), *CODE_MINUTES.end())),
            items: None,
        };
        for tries in 1..=2 {
            match self.client.create_code(&code).await {
                Ok(created) => return code_session(&created, request),
                Err(e) if e.is_order_already_paid() => return self.paid_order(request).await,
                // elepay cannot find a code by its order number. A code whose answer was lost
                // was never shown, so no customer can open it and it expires unseen; one new
                // code for the same order replaces it.
                Err(e) if e.is_outcome_unknown() && tries == 1 => continue,
                Err(e) => return Err(gateway_error(e)),
            }
        }
        Err(GatewayError::Unknown(format!(
            "elepay: no answer to the code for order {}",
            request.reference
        )))
    }

    /// elepay says the order is paid already: its charge is the answer, never a failure.
    async fn paid_order(&self, request: &QrRequest) -> Result<QrSession, GatewayError> {
        let from = now_millis() - millis(self.options.lookup_window);
        match self
            .client
            .find_charge_by_order_no(&request.reference, from)
            .await
            .map_err(gateway_error)?
        {
            Some(found) => charge_session(&found, request),
            None => Err(GatewayError::Unknown(format!(
                "elepay says order {} is paid, but its charge was not found",
                request.reference
            ))),
        }
    }

    fn session_of_found(
        &self,
        order: &str,
        found: &ChargeDto,
        request: &QrRequest,
    ) -> Result<QrSession, GatewayError> {
        self.forget_lost_create(order);
        charge_session(found, request)
    }

    async fn find_by_order(
        &self,
        order: &str,
        sent_at: EpochMillis,
    ) -> Result<Option<ChargeDto>, GatewayError> {
        self.client
            .find_charge_by_order_no(order, sent_at - millis(CLOCK_MARGIN))
            .await
            .map_err(gateway_error)
    }

    fn wallet_for(&self, request: &QrRequest) -> Result<PaymentMethod, GatewayError> {
        match &request.wallet {
            Some(name) => parse_wallet(name)
                .ok_or_else(|| GatewayError::Fatal(format!("elepay has no wallet named `{name}`"))),
            None => self.options.default_wallet.clone().ok_or_else(|| {
                GatewayError::Fatal(
                    "elepay: a wallet QR needs a wallet; choose one or set [elepay] default_wallet"
                        .into(),
                )
            }),
        }
    }

    fn lost_create(&self, order: &str) -> Option<EpochMillis> {
        self.lost().get(order).copied()
    }

    fn remember_lost_create(&self, order: &str, sent_at: EpochMillis) {
        self.lost().entry(order.to_string()).or_insert(sent_at);
    }

    fn forget_lost_create(&self, order: &str) {
        self.lost().remove(order);
    }

    fn lost(&self) -> std::sync::MutexGuard<'_, HashMap<String, EpochMillis>> {
        // The map holds plain values; one left by a panicking thread is still whole.
        self.lost_creates
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn cancel_charge(&self, id: &str) -> Result<(), GatewayError> {
        let status = self
            .client
            .charge_status(id)
            .await
            .map_err(gateway_error)?
            .status;
        // A held charge was paid a moment ago: the re-read that follows captures it, so the
        // customer's authorization is not released.
        if status != Some(ChargeStatus::Pending) {
            return Ok(());
        }
        match self.client.revoke_charge(id).await {
            Ok(_) => Ok(()),
            // Paid, held or revoked in the meantime: the re-read tells which.
            Err(e)
                if refused_as(
                    &e,
                    &[
                        RefusalKind::StatusDoesNotAllow,
                        RefusalKind::AlreadyCompleted,
                    ],
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(gateway_error(e)),
        }
    }

    async fn cancel_code(&self, id: &str) -> Result<(), GatewayError> {
        match self.client.close_code(id).await {
            Ok(()) => Ok(()),
            // Paid, closed or expired already: the re-read tells which.
            Err(e)
                if refused_as(
                    &e,
                    &[
                        RefusalKind::CodeAlreadyPaidOrClosed,
                        RefusalKind::CodeExpired,
                    ],
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(gateway_error(e)),
        }
    }

    /// The refund made earlier with `key`, if a refund with it reached elepay.
    async fn refund_with_key(
        &self,
        charge_id: &str,
        key: &str,
    ) -> Result<Option<RefundDto>, GatewayError> {
        let listing = self
            .client
            .list_refunds(charge_id)
            .await
            .map_err(gateway_error)?;
        Ok(listing.refunds.unwrap_or_default().into_iter().find(|r| {
            r.metadata
                .as_ref()
                .and_then(|m| m.get(REQUEST_KEY))
                .is_some_and(|k| k == key)
        }))
    }
}

impl PaymentGateway for ElepayGateway {
    fn provider(&self) -> &'static str {
        PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            capture: true,
            holds_by_default: self.options.capture == CaptureMode::Hold,
            tabs: false,
            partial_refund: true,
            presentations: &[Presentation::MerchantQr, Presentation::HostedPage],
        }
    }

    fn create_qr<'a>(&'a self, request: &'a QrRequest) -> GatewayFuture<'a, QrSession> {
        Box::pin(async move {
            if request.direction == Direction::Topup {
                return Err(GatewayError::Fatal("elepay takes no top-ups".into()));
            }
            match request.presentation {
                Presentation::MerchantQr => self.create_charge_qr(request).await,
                Presentation::HostedPage => self.create_code_qr(request).await,
                other => Err(GatewayError::Fatal(format!("elepay shows no {other:?} QR"))),
            }
        })
    }

    fn qr_status<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, QrStatus> {
        Box::pin(async move {
            match QrHandle::parse(qr_id)? {
                QrHandle::Charge(id) => {
                    let charge = self.client.retrieve_charge(&id).await.map_err(read_error)?;
                    charge_status(&charge, Utc::now())
                }
                QrHandle::Code(id) => {
                    let code = self.client.retrieve_code(&id).await.map_err(read_error)?;
                    code_status(&code, Utc::now())
                }
            }
        })
    }

    fn cancel_qr<'a>(&'a self, qr_id: &'a str) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            match QrHandle::parse(qr_id)? {
                QrHandle::Charge(id) => self.cancel_charge(&id).await,
                QrHandle::Code(id) => self.cancel_code(&id).await,
            }
        })
    }

    fn release<'a>(&'a self, transaction_id: &'a str, _request_id: Uuid) -> GatewayFuture<'a, ()> {
        Box::pin(async move {
            let status = self
                .client
                .charge_status(transaction_id)
                .await
                .map_err(gateway_error)?
                .status;
            // Only a held charge is released; anything else is told by the re-read.
            if status != Some(ChargeStatus::Uncaptured) {
                return Ok(());
            }
            match self.client.revoke_charge(transaction_id).await {
                Ok(_) => Ok(()),
                Err(e)
                    if refused_as(
                        &e,
                        &[
                            RefusalKind::StatusDoesNotAllow,
                            RefusalKind::AlreadyCompleted,
                        ],
                    ) =>
                {
                    Ok(())
                }
                Err(e) => Err(gateway_error(e)),
            }
        })
    }

    fn charge_code<'a>(&'a self, request: &'a CodeCharge) -> GatewayFuture<'a, PaidTransaction> {
        // elepay's field for a scanned customer code is not documented.
        let _ = request;
        unsupported(PROVIDER, "customer code payment")
    }

    fn lookup_request(&self, request_id: Uuid) -> GatewayFuture<'_, Option<PaidTransaction>> {
        Box::pin(async move {
            let reference = merchant_reference(request_id);
            let from = now_millis() - millis(self.options.lookup_window);
            let found = self
                .client
                .find_charge_by_order_no(&reference, from)
                .await
                .map_err(gateway_error)?;
            match found {
                // Only money taken counts; a held charge is read and captured through its QR.
                Some(charge) if charge.status.is_some_and(took_money) => {
                    Ok(Some(paid_transaction(&charge, Utc::now())?))
                }
                _ => Ok(None),
            }
        })
    }

    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundResult> {
        Box::pin(async move {
            let charge_id = request.transaction_id.as_str();
            let key = request.request_id.to_string();
            // elepay has no idempotency key for refunds: a refund repeated after a lost answer
            // finds the first by the key in its metadata instead of paying back twice.
            if let Some(done) = self.refund_with_key(charge_id, &key).await? {
                return refund_result(&done);
            }
            let amount = match request.amount {
                Some(amount) => amount,
                None => {
                    let charge = self
                        .client
                        .retrieve_charge(charge_id)
                        .await
                        .map_err(gateway_error)?;
                    let refunded = charge.refunds.as_ref().and_then(|r| r.amount).unwrap_or(0);
                    let left = charge.amount.unwrap_or(0) - refunded;
                    if left <= 0 {
                        return Err(GatewayError::Refused(nothing_left_to_refund()));
                    }
                    left
                }
            };
            let mut metadata = StringMap::new();
            metadata.insert(REQUEST_KEY.into(), key);
            let refund = RefundReq {
                amount,
                currency: None,
                reason: Some(request.reason.clone()).filter(|r| !r.is_empty()),
                metadata: Some(metadata),
            };
            let done = self
                .client
                .create_refund(charge_id, &refund)
                .await
                .map_err(gateway_error)?;
            refund_result(&done)
        })
    }

    fn capture<'a>(&'a self, request: &'a CaptureRequest) -> GatewayFuture<'a, PaidTransaction> {
        Box::pin(async move {
            let id = request.transaction_id.as_str();
            match self.client.capture_charge(id, Some(request.amount)).await {
                Ok(charge) => paid_transaction(&charge, Utc::now()),
                // A capture repeated after its answer was lost finds the charge captured.
                Err(e) if refused_as(&e, &[RefusalKind::AlreadyCompleted]) => {
                    let charge = self
                        .client
                        .retrieve_charge(id)
                        .await
                        .map_err(gateway_error)?;
                    if charge.status.is_some_and(took_money) {
                        paid_transaction(&charge, Utc::now())
                    } else {
                        Err(gateway_error(e))
                    }
                }
                Err(e) => Err(gateway_error(e)),
            }
        })
    }
}

/// The QR of a wallet charge: its `codeContent`. A charge found already paid may carry none;
/// nothing is left to scan then, and the first read says paid.
fn charge_session(charge: &ChargeDto, request: &QrRequest) -> Result<QrSession, GatewayError> {
    let id = charge
        .id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| GatewayError::Fatal("elepay answered a charge without an id".into()))?;
    let token = match (&charge.code_content, charge.status) {
        (Some(content), _) => content.clone(),
        (None, Some(ChargeStatus::Pending) | None) => {
            return Err(GatewayError::Fatal(
                "elepay answered a wallet QR charge without codeContent".into(),
            ));
        }
        (None, Some(_)) => String::new(),
    };
    Ok(QrSession {
        id: QrHandle::Charge(id).to_string(),
        token,
        expires_at: expiry(charge.expiry_time, request),
    })
}

/// The QR of an EasyQR code: its `codeUrl`.
fn code_session(code: &CodeDto, request: &QrRequest) -> Result<QrSession, GatewayError> {
    match (&code.id, &code.code_url) {
        (Some(id), Some(url)) if !id.is_empty() && !url.is_empty() => Ok(QrSession {
            id: QrHandle::Code(id.clone()).to_string(),
            token: url.clone(),
            expires_at: expiry(code.expiry_time, request),
        }),
        _ => Err(GatewayError::Fatal(
            "elepay answered a code without an id or codeUrl".into(),
        )),
    }
}

fn expiry(time: Option<EpochMillis>, request: &QrRequest) -> chrono::DateTime<Utc> {
    time.and_then(from_millis).unwrap_or_else(|| {
        Utc::now() + chrono::Duration::seconds(i64::from(request.expires_in_secs))
    })
}

fn refund_result(refund: &RefundDto) -> Result<RefundResult, GatewayError> {
    let id = refund
        .id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| GatewayError::Fatal("elepay answered a refund without an id".into()))?;
    let done_at = refund
        .refunded_time
        .or(refund.create_time)
        .and_then(from_millis)
        .unwrap_or_else(Utc::now);
    Ok(RefundResult {
        refund_transaction_id: id,
        done_at,
    })
}

/// A charge's or code's metadata: the attempt's key, the register and the sale's receipt number.
fn sale_metadata(request: &QrRequest) -> StringMap {
    let mut metadata = request_metadata(request.request_id);
    metadata.insert(TERMINAL_KEY.into(), request.terminal.clone());
    metadata.insert(RECEIPT_NO_KEY.into(), request.receipt_no.to_string());
    metadata
}

fn request_metadata(request_id: Uuid) -> StringMap {
    let mut metadata = StringMap::new();
    metadata.insert(REQUEST_KEY.into(), request_id.to_string());
    metadata
}

/// A charge whose money was taken (refunds after that do not undo the sale).
fn took_money(status: ChargeStatus) -> bool {
    matches!(
        status,
        ChargeStatus::Captured | ChargeStatus::PartiallyRefunded | ChargeStatus::Refunded
    )
}

fn refused_as(error: &ElepayError, kinds: &[RefusalKind]) -> bool {
    error.refusal_kind().is_some_and(|k| kinds.contains(&k))
}

/// A read of a QR request elepay does not know: asking again will not help.
fn read_error(error: ElepayError) -> GatewayError {
    if error.refusal_kind() == Some(RefusalKind::NotFound) {
        return GatewayError::Fatal(format!("elepay does not know this QR request: {error}"));
    }
    gateway_error(error)
}

fn now_millis() -> EpochMillis {
    Utc::now().timestamp_millis()
}

fn millis(duration: Duration) -> EpochMillis {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(presentation: Presentation, wallet: Option<&str>) -> QrRequest {
        let request_id = Uuid::new_v4();
        QrRequest {
            amount: 500,
            direction: Direction::Payment,
            description: "regi".into(),
            expires_in_secs: 300,
            request_id,
            reference: merchant_reference(request_id),
            wallet: wallet.map(str::to_string),
            presentation,
            terminal: "レジ1".into(),
            receipt_no: 42,
            hold: false,
        }
    }

    #[test]
    fn a_pending_charge_without_its_qr_content_is_a_broken_answer() {
        let charge = ChargeDto {
            id: Some("cha_1".into()),
            status: Some(ChargeStatus::Pending),
            ..Default::default()
        };
        let err = charge_session(&charge, &request(Presentation::MerchantQr, None)).unwrap_err();
        assert!(matches!(err, GatewayError::Fatal(_)));
    }

    #[test]
    fn a_charge_found_paid_needs_no_qr_content() {
        let charge = ChargeDto {
            id: Some("cha_1".into()),
            status: Some(ChargeStatus::Captured),
            ..Default::default()
        };
        let session = charge_session(&charge, &request(Presentation::MerchantQr, None)).unwrap();
        assert_eq!(session.id, "charge:cha_1");
        assert_eq!(session.token, "");
    }
}
