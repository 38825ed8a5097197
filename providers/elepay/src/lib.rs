//! elepay for regi: the wire types exactly as elepay's OpenAPI spec declares them ([`wire`]), the
//! endpoint table shared with the emulator ([`endpoints`]), the secret key type ([`SecretKey`]),
//! an HTTP client whose every error says what the caller must do about it ([`ElepayError`]: a
//! definite refusal with elepay's code, an unknown outcome, or a configuration problem), and on
//! top of it the payment port's adapter ([`ElepayGateway`]), the `[elepay]` settings
//! ([`settings`]) and the `regi doctor` checks ([`doctor`]).
//!
//! elepay has no idempotency header: a charge's `orderNo` is the only merchant key. A create whose
//! answer was lost must be resolved with [`ElepayClient::find_charge_by_order_no`] before any new
//! create, and a second create for a sale that was paid meanwhile is refused with `M002007`, which
//! [`RefusalKind::OrderAlreadyPaid`] names so the caller can treat it as paid.

pub mod adapter;
pub mod client;
pub mod doctor;
pub mod endpoints;
pub mod error;
pub mod qr_handle;
pub mod refusals;
pub mod secret;
pub mod settings;
pub mod status_map;
pub mod wallets;
pub mod wire;

pub use adapter::{CaptureMode, ElepayGateway, GatewayOptions, PROVIDER};
pub use client::{ClientConfig, ElepayClient, is_loopback_url};
pub use error::{ElepayError, Refusal, RefusalKind};
pub use secret::{AuthScheme, SecretKey};
pub use settings::{ElepaySettings, SettingsError, build_gateway};
