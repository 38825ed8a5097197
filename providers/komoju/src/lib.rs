//! regi's KOMOJU provider: the wire types of the Sessions and Payments API exactly as KOMOJU
//! names them ([`wire`]), the endpoint table shared with the emulator ([`endpoints`]), an HTTP
//! client ([`Client`]) that sends Basic auth with the secret key, `X-KOMOJU-API-VERSION`, JSON
//! bodies and a caller-given `X-KOMOJU-IDEMPOTENCY` key on every POST; and, on top of it, the
//! gateway regi's engine pays through ([`KomojuGateway`]), the `[komoju]` settings
//! ([`settings`]) and the `regi doctor` checks ([`doctor`]).
//!
//! Every failure is a [`KomojuError`] sorted by what the caller must do ([`ErrorClass`]): a
//! definite refusal carrying KOMOJU's error code, an unknown outcome (no answer, 5xx, a request
//! still in progress after the retries) that must be resolved and never shown as failed, a
//! configuration problem (401, bad URL), or a request refused before it was sent.

pub mod adapter;
pub mod client;
pub mod doctor;
pub mod endpoints;
pub mod error;
pub mod error_table;
pub mod idempotency;
pub mod payment_types;
pub mod secret;
pub mod settings;
pub mod wire;

pub use adapter::{KomojuGateway, SessionOptions, gateway_error, session_status};
pub use client::{Client, ClientSettings, DEFAULT_API_VERSION};
pub use error::{ConfigurationError, ErrorClass, KomojuError, UnknownCause};
pub use idempotency::{IdempotencyKey, InvalidIdempotencyKey};
pub use secret::SecretKey;
pub use settings::{KomojuSettings, SettingsError, build_gateway};

/// The provider's name as the journal records it with each attempt.
pub const PROVIDER: &str = "komoju";
