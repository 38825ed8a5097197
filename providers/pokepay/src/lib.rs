//! The Pokepay Partner API: endpoint table, envelope codec, wire types, the HTTP client and its
//! errors.

pub mod adapter;
pub mod client;
pub mod codec;
pub mod endpoints;
pub mod error;
pub mod error_table;
pub mod wire;

pub use adapter::{PokepayGateway, cashtray_status, gateway_error};
pub use client::Client;
pub use error::{ApiFailure, CallError};
