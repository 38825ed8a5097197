//! The imperative shell: event loop, effect runner, terminal input, logging, diagnostics.

pub mod customer_display;
pub mod customer_feed;
pub mod effects;
pub mod event_loop;
pub mod input;
pub mod keys;
pub mod log_cap;
pub mod logging;
pub mod pin_command;
pub mod ports;
pub mod scanner_feed;

pub use event_loop::EventLoop;
pub use ports::{PaymentEvents, PinVerdict, Services};
