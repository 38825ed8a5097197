//! The Pokepay Partner API: endpoint table, envelope codec, wire types, the HTTP client and its
//! errors, and Pokepay's settings (`[pokepay]`, the older `[api]`, an SDK `config.ini`).

pub mod adapter;
pub mod api_settings;
pub mod client;
pub mod codec;
pub mod credit_sessions;
pub mod customer_code;
pub mod doctor;
pub mod endpoints;
pub mod error;
pub mod error_table;
pub mod ini;
mod name;
pub mod settings;
mod table;
pub mod tabs;
pub mod wire;

pub use adapter::{PokepayGateway, cashtray_status, gateway_error};
pub use api_settings::{ApiSettings, ProxyUrl};
pub use client::Client;
pub use customer_code::CUSTOMER_CODE;
pub use ini::PokepayIni;
pub use settings::PokepaySettings;

pub use error::{ApiFailure, CallError};
pub use name::PROVIDER;
