//! The checkout engine with Pokepay: checkouts against the Pokepay emulator over loopback, their
//! faults, and several providers at once (Pokepay gateways under other names).

mod engine_faults;
mod engine_flows;
mod providers;
mod returns;
mod tenders;
