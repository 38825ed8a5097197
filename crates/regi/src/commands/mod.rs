//! One module per subcommand: each takes the parsed arguments and the global options and runs.

pub mod backup;
pub mod capture;
pub mod catalog;
pub mod checkout;
pub mod checks;
pub mod display;
pub mod doctor;
pub mod drawer;
pub mod journal;
pub mod line_spec;
pub mod print_test;
pub mod receipts;
pub mod refund;
pub mod sandbox;
pub mod scanner;
pub(crate) mod settled;
pub mod site_checks;
pub(crate) mod split_checkout;
pub mod staff;
pub mod store;
pub mod store_catalog;
pub mod tab;
pub mod tender_spec;
pub mod till;
