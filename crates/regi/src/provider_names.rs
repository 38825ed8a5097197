//! The providers this binary is built with, by name: what `--provider`, tender specs and
//! `[tenders]` accept, and what the configuration's sections are checked against when it loads.
//! Apart from the providers' wiring, which reads a loaded configuration, so that loading does not
//! depend on it.

use regi_config::ProviderNames;

/// Every provider regi is built with, as the journal, `[tenders]`, `--provider` and tender specs
/// name them, in the order the payment screen offers them when `[tenders]` does not say.
pub const KNOWN_PROVIDERS: [&str; 3] = [
    regi_pokepay::PROVIDER,
    regi_komoju::PROVIDER,
    regi_elepay::PROVIDER,
];

/// The providers as the configuration is checked against them. Pokepay's settings may come from
/// `[api]` (its older table, read by regi-pokepay) or an SDK `config.ini`, so it needs no table
/// of its own (and trains without one).
pub const PROVIDER_NAMES: ProviderNames<'static> = ProviderNames {
    known: &KNOWN_PROVIDERS,
    table_optional: &[regi_pokepay::PROVIDER],
    older_tables: &[regi_pokepay::settings::OLDER_TABLE],
};
