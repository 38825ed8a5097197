//! Client tests that run the `regi` binary: the Partner API client through a proxy and the
//! sandbox's command line. (The client against the emulator directly is tested in
//! `providers/pokepay-emulator/tests/client`, the codec and wire types in `providers/pokepay`.)

#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod client_proxy;
mod client_sandbox_cli;
