//! The elepay API client for regi: the wire types exactly as elepay's OpenAPI spec declares them
//! ([`wire`]), the endpoint table shared with the emulator ([`endpoints`]), the secret key type
//! ([`SecretKey`]) and an HTTP client whose every error says what the caller must do about it
//! ([`ElepayError`]: a definite refusal with elepay's code, an unknown outcome, or a configuration
//! problem).
//!
//! elepay has no idempotency header: a charge's `orderNo` is the only merchant key. A create whose
//! answer was lost must be resolved with [`ElepayClient::find_charge_by_order_no`] before any new
//! create, and a second create for a sale that was paid meanwhile is refused with `M002007`, which
//! [`RefusalKind::OrderAlreadyPaid`] names so the caller can treat it as paid.

pub mod client;
pub mod endpoints;
pub mod error;
pub mod secret;
pub mod wire;

pub use client::{ClientConfig, ElepayClient, is_loopback_url};
pub use error::{ElepayError, Refusal, RefusalKind};
pub use secret::{AuthScheme, SecretKey};
