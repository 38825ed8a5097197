//! The imperative shell: event loop, effect runner, logging.

pub mod logging;
