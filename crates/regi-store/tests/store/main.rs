//! Store mode against a real PostgreSQL (a throwaway cluster per test): the schema and its
//! roles, the shipper through outages, lost acknowledgements and restored journals.

mod catalog;
mod closed_days;
mod harness;
mod reports;
mod returns;
mod roles;
mod shipping;
mod support;
