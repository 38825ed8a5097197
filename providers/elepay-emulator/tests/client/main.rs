//! The elepay client against the emulator over real loopback sockets: every operation, its
//! success and each refusal, the error classification (refused / unknown / configuration), a
//! lost create resolved by order number, a revoke racing a payment, hold and capture, partial and
//! full refunds, EasyQR codes, expiry on a manual clock, faults and the state file; and the retry
//! rules against a bare server that only says "busy" or fails.

mod busy;
mod charges;
mod codes;
mod emulator;
mod outcomes;
mod refunds;
mod support;
