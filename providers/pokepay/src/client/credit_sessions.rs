//! The client's CreditSession and customer-card operations (a customer's tab). Each write carries
//! its `request_id`, so the endpoint table lets a lost answer or a 5xx be repeated with it.

use uuid::Uuid;

use super::Client;
use crate::credit_sessions::{
    CaptureCreditSessionRequest, CapturedCreditSession, CreateCreditSessionTransactionRequest,
    CreditSession, CreditSessionTransactionResult, GetCustomerCardsRequest, PaginatedUserCards,
    PostCreditSessionRequest,
};
use crate::endpoints::{
    CaptureCreditSession, CreateCreditSessionTransaction, GetCustomerCards, PostCreditSession,
};
use crate::error::CallError;

impl Client {
    /// [`GetCustomerCards`]: one page of the customer's 3-D-Secure-verified cards.
    pub async fn get_customer_cards(
        &self,
        customer_id: Uuid,
        params: &GetCustomerCardsRequest,
    ) -> Result<PaginatedUserCards, CallError> {
        self.call::<GetCustomerCards>(&customer_id, params).await
    }

    /// [`PostCreditSession`]: opens a session; repeated with its `request_id` when the answer was
    /// lost.
    pub async fn post_credit_session(
        &self,
        params: &PostCreditSessionRequest,
    ) -> Result<CreditSession, CallError> {
        self.call::<PostCreditSession>(&(), params).await
    }

    /// [`CreateCreditSessionTransaction`]: charges the session; repeated with its `request_id`.
    pub async fn create_credit_session_transaction(
        &self,
        session_id: Uuid,
        params: &CreateCreditSessionTransactionRequest,
    ) -> Result<CreditSessionTransactionResult, CallError> {
        self.call::<CreateCreditSessionTransaction>(&session_id, params)
            .await
    }

    /// [`CaptureCreditSession`]: bills the card for the session's total; repeated with its
    /// `request_id`.
    pub async fn capture_credit_session(
        &self,
        session_id: Uuid,
        params: &CaptureCreditSessionRequest,
    ) -> Result<CapturedCreditSession, CallError> {
        self.call::<CaptureCreditSession>(&session_id, params).await
    }
}
