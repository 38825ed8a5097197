//! One method per elepay operation, each a thin call through the endpoint table.

use super::ElepayClient;
use crate::endpoints::{
    CaptureCharge, CloseCode, CreateCharge, CreateCode, CreateRefund, ListChargeRefunds,
    ListCharges, RetrieveCharge, RetrieveChargeRefund, RetrieveChargeStatus, RetrieveCode,
    RevokeCharge,
};
use crate::error::ElepayError;
use crate::wire::{
    ChargeCaptureReq, ChargeDto, ChargeReq, ChargeStatusDto, ChargesResponse, CodeDto, CodeReq,
    ListChargesQuery, RefundDto, RefundReq, RefundsResponse,
};

impl ElepayClient {
    /// `POST /charges`. Never repeated: a lost answer is [`ElepayError::Unknown`] and must be
    /// resolved with [`ElepayClient::find_charge_by_order_no`] before any new create.
    pub async fn create_charge(&self, request: &ChargeReq) -> Result<ChargeDto, ElepayError> {
        self.send::<CreateCharge>(&[], None, Some(request)).await
    }

    /// `GET /charges/{id}`.
    pub async fn retrieve_charge(&self, charge_id: &str) -> Result<ChargeDto, ElepayError> {
        self.send::<RetrieveCharge>(&[charge_id], None, None).await
    }

    /// `GET /charges/{id}/status`: the light poll.
    pub async fn charge_status(&self, charge_id: &str) -> Result<ChargeStatusDto, ElepayError> {
        self.send::<RetrieveChargeStatus>(&[charge_id], None, None)
            .await
    }

    /// `POST /charges/{id}/capture`: captures a held charge, all of it (`None`) or a smaller
    /// amount.
    pub async fn capture_charge(
        &self,
        charge_id: &str,
        amount: Option<i64>,
    ) -> Result<ChargeDto, ElepayError> {
        let body = ChargeCaptureReq {
            amount,
            extra: None,
        };
        self.send::<CaptureCharge>(&[charge_id], None, Some(&body))
            .await
    }

    /// `POST /charges/{id}/revoke`: cancels a pending or held charge. A refusal with
    /// [`crate::RefusalKind::StatusDoesNotAllow`] may mean it was paid a moment before: read the
    /// charge again.
    pub async fn revoke_charge(&self, charge_id: &str) -> Result<ChargeDto, ElepayError> {
        self.send::<RevokeCharge>(&[charge_id], None, None).await
    }

    /// `POST /charges/{id}/refunds`: a full or partial refund. Never repeated: after a lost
    /// answer, read [`ElepayClient::list_refunds`] before trying again.
    pub async fn create_refund(
        &self,
        charge_id: &str,
        request: &RefundReq,
    ) -> Result<RefundDto, ElepayError> {
        self.send::<CreateRefund>(&[charge_id], None, Some(request))
            .await
    }

    /// `GET /charges/{id}/refunds`.
    pub async fn list_refunds(&self, charge_id: &str) -> Result<RefundsResponse, ElepayError> {
        self.send::<ListChargeRefunds>(&[charge_id], None, None)
            .await
    }

    /// `GET /charges/{id}/refunds/{refundId}`.
    pub async fn retrieve_refund(
        &self,
        charge_id: &str,
        refund_id: &str,
    ) -> Result<RefundDto, ElepayError> {
        self.send::<RetrieveChargeRefund>(&[charge_id, refund_id], None, None)
            .await
    }

    /// `GET /charges` with a query (a page of at most 100).
    pub async fn list_charges(
        &self,
        query: &ListChargesQuery,
    ) -> Result<ChargesResponse, ElepayError> {
        self.send::<ListCharges>(&[], Some(query), None).await
    }

    /// `POST /codes`: an EasyQR code; the customer picks the wallet on elepay's page.
    pub async fn create_code(&self, request: &CodeReq) -> Result<CodeDto, ElepayError> {
        self.send::<CreateCode>(&[], None, Some(request)).await
    }

    /// `GET /codes/{codeId}`.
    pub async fn retrieve_code(&self, code_id: &str) -> Result<CodeDto, ElepayError> {
        self.send::<RetrieveCode>(&[code_id], None, None).await
    }

    /// `DELETE /codes/{codeId}`: closes an unpaid code. Read it again afterwards: a code paid a
    /// moment before is paid.
    pub async fn close_code(&self, code_id: &str) -> Result<(), ElepayError> {
        self.send::<CloseCode>(&[code_id], None, None).await?;
        Ok(())
    }

    /// The cheapest authenticated call (one charge listed), for `doctor`: `Ok` when the key
    /// works, [`ElepayError::Config`] when elepay refuses it.
    pub async fn check_key(&self) -> Result<(), ElepayError> {
        let query = ListChargesQuery {
            limit: Some(1),
            ..Default::default()
        };
        self.list_charges(&query).await.map(|_| ())
    }
}
