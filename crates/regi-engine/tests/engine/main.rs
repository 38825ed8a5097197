//! Engine tests, one binary: checkouts through the engine against the Pokepay emulator over
//! loopback, their faults, and several providers at once.

mod engine_faults;
mod engine_flows;
mod providers;
