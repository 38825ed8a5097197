//! The KOMOJU gateway against a real emulator on 127.0.0.1:0 (real client, real sockets, no
//! mocks): every operation of the payment port, its success and each class of error, a lost
//! create answer, a cancel racing a payment, capture, partial and full refunds, and the
//! `[komoju]` settings and doctor checks against a running KOMOJU.

mod errors;
mod payments;
mod sessions;
mod setup;
mod support;
