//! The pure core of regi: the checkout domain (money, tax, cart, sale, payment states), the app
//! (state, messages, `update` returning commands) and the plain records the app shows.
//!
//! Nothing here does I/O, awaits or reads the clock: time and results arrive in messages. The
//! manifest has no I/O dependency, so the compiler keeps it that way.

pub mod app;
pub mod domain;
pub mod lang;
pub mod payment;
pub mod records;
pub mod scan;
pub mod secret;
pub mod tab;
