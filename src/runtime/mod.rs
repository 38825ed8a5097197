//! The imperative shell: event loop, effect runner, terminal input, logging, diagnostics.

pub mod checks;
pub mod doctor;
pub mod effects;
pub mod engine_services;
pub mod event_loop;
pub mod input;
pub mod logging;
pub mod pin_command;
pub mod scanner_feed;
pub mod services;
pub mod tui;

pub use event_loop::EventLoop;
pub use services::{PaymentEvents, PinVerdict, Services};
