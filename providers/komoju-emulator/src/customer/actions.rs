//! What a customer (or a test) does to the emulator in process: pay a session, let it expire,
//! read the ledger.

use regi_komoju::wire::Session;

use crate::errors::ApiError;
use crate::ids::new_id;
use crate::ledger::CUSTOMER_RICH;
use crate::ops::session_view;
use crate::state::EmulatorState;
use crate::transactions::{self, TransactionRow};

/// The session id in a session URL (`…/sessions/{id}`, with or without a query) or a bare id.
pub fn session_id_from(reference: &str) -> Option<&str> {
    let without_query = reference.trim().split(['?', '#']).next()?;
    let id = without_query.trim_end_matches('/').rsplit('/').next()?;
    crate::ids::is_id(id).then_some(id)
}

impl EmulatorState {
    /// The session as the API shows it.
    pub fn session(&self, id: &str) -> Option<Session> {
        session_view(self, id)
    }

    /// `customer` pays the session (its URL or id) with `method`, or the first method it offers.
    /// A poor customer is declined (402) and the session stays pending.
    pub fn pay_session(
        &self,
        session: &str,
        method: Option<&str>,
        customer: Option<&str>,
    ) -> Result<Session, ApiError> {
        let id = session_id_from(session)
            .ok_or_else(|| ApiError::invalid("session", "Not a session URL or id."))?;
        let first_method = self
            .read(|l| l.session(id).and_then(|s| s.payment_types.first().cloned()))
            .ok_or_else(|| ApiError::not_found("Session"))?;
        let method = method.map_or(first_method, str::to_string);
        let customer = customer.unwrap_or(CUSTOMER_RICH);
        self.mutate(|l, now| l.pay_session(id, &method, customer, None, new_id(), now))?;
        session_view(self, id).ok_or_else(|| ApiError::not_found("Session"))
    }

    /// Ends a pending session's time now (KOMOJU.md §12.11); `expired` reads true from then on.
    pub fn expire_session(&self, session: &str) -> Result<Session, ApiError> {
        let id = session_id_from(session)
            .ok_or_else(|| ApiError::invalid("session", "Not a session URL or id."))?;
        self.mutate(|l, now| l.expire_session(id, now))?;
        session_view(self, id).ok_or_else(|| ApiError::not_found("Session"))
    }

    /// Every payment, oldest first.
    pub fn transactions(&self) -> Vec<TransactionRow> {
        self.read(transactions::rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_found_in_its_url_or_as_a_bare_id() {
        let id = "e9x5mvx3jkpkofzcg7umfael6";
        assert_eq!(session_id_from(id), Some(id));
        assert_eq!(
            session_id_from("http://127.0.0.1:4010/sessions/e9x5mvx3jkpkofzcg7umfael6?x=1"),
            Some(id)
        );
        assert_eq!(session_id_from("http://127.0.0.1:4010/sessions/"), None);
        assert_eq!(session_id_from("paypay"), None);
    }
}
