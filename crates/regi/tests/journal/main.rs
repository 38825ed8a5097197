//! Journal tests, one binary: storage, recovery flows and the `regi journal` commands.

mod drawer_cli;
mod journal_cli;
mod journal_flow;
mod journal_storage;
mod journal_upgrade;
