//! The customer's side, which KOMOJU's API does not cover: paying or failing a session as a
//! person would on the hosted page, expiring one, and the ledger for comparing with regi's
//! journal. Available as methods on [`EmulatorState`](crate::EmulatorState), as plain JSON under
//! `/_sandbox` (refused to peers that are not on this machine), and as [`pay`] for the
//! `regi customer pay` command.
//!
//! - `POST /_sandbox/sessions/pay` `{"session": URL or id, "method"?, "customer"?}` → Session
//! - `POST /_sandbox/sessions/{id}/expire` → Session
//! - `GET  /_sandbox/transactions` → `[TransactionRow]`
//!
//! Failures answer KOMOJU's error envelope: a poor customer is 402 `request_failed` and the
//! session stays pending.

mod actions;
mod pay;
mod routes;

pub use actions::session_id_from;
pub use pay::{CustomerPayError, pay};
pub(crate) use routes::routes;
