//! The elepay payment adapter through the real client against the emulator over loopback: every
//! port operation's success and each error class, the status mapping on live objects, a create
//! whose answer was lost, a cancel racing a payment, hold then capture with the attempt's key,
//! partial then full refunds, and the doctor and settings against a running emulator.

mod capture_refund;
mod errors;
mod lost_answers;
mod lost_in_transit;
mod qr;
mod setup;
mod support;
