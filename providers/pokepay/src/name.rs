//! The name regi knows Pokepay by, in one place: its tender, its configuration table, its rows
//! in the journal. Its own file so that every module of the crate takes it without importing
//! the crate's root.

/// The provider's name as the journal records it with each attempt.
pub const PROVIDER: &str = "pokepay";
