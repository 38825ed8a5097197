//! The client against a real emulator on 127.0.0.1:0 (real sockets, no mocks): every operation,
//! its success and each way it can fail, classified as the adapter will read it.

mod errors;
mod payments;
mod retries;
mod sessions;
mod support;
