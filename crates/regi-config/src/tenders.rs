//! `[tenders]`: which payment providers the register takes, in the order the payment screen shows
//! them, and the raw tables of the providers whose settings their own crates read
//! (`[komoju]`, `[elepay]`): the configuration knows their names, each provider knows its keys.

use std::fmt;

use serde::Deserialize;

use crate::ConfigError;

/// The providers regi can take payments through, as the journal and `[tenders]` name them.
pub const KNOWN_PROVIDERS: [&str; 3] = ["pokepay", "komoju", "elepay"];

/// The enabled providers, in the payment screen's order; Pokepay alone unless configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenders(pub Vec<String>);

impl Default for Tenders {
    fn default() -> Self {
        Self(vec!["pokepay".to_string()])
    }
}

impl Tenders {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn contains(&self, provider: &str) -> bool {
        self.names().any(|name| name == provider)
    }
}

/// `[tenders]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(super) struct TendersSection {
    enabled: Option<Vec<String>>,
}

/// A provider's own table, handed to its crate as written. `Debug` lists the keys only: the
/// table may hold a secret key.
#[derive(Clone, PartialEq, Default)]
pub struct ProviderTable(pub toml::Table);

impl fmt::Debug for ProviderTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl TendersSection {
    /// The enabled providers: as listed, each known and listed once, each with its table unless it
    /// is Pokepay (whose settings also come from `[api]` or an SDK `.ini`). Without a list:
    /// Pokepay, then every other provider whose table is present.
    pub(super) fn enabled(
        self,
        origin: &std::path::Path,
        tables: &[(&str, bool)],
    ) -> Result<Tenders, ConfigError> {
        let bad = |reason: String| ConfigError::invalid(Some(origin), "[tenders] enabled", reason);
        let Some(listed) = self.enabled else {
            let mut enabled = vec!["pokepay".to_string()];
            enabled.extend(
                tables
                    .iter()
                    .filter(|(_, present)| *present)
                    .map(|(name, _)| name.to_string()),
            );
            return Ok(Tenders(enabled));
        };
        if listed.is_empty() {
            return Err(bad("list at least one provider".into()));
        }
        let mut enabled: Vec<String> = Vec::new();
        for name in listed {
            let name = name.trim().to_ascii_lowercase();
            if !KNOWN_PROVIDERS.contains(&name.as_str()) {
                return Err(bad(format!(
                    "unknown provider {name:?}; expected one of {}",
                    KNOWN_PROVIDERS.join(", ")
                )));
            }
            if enabled.contains(&name) {
                return Err(bad(format!("{name} is listed twice")));
            }
            if tables
                .iter()
                .any(|(table, present)| *table == name && !present)
            {
                return Err(bad(format!("{name} is enabled but has no [{name}] table")));
            }
            enabled.push(name);
        }
        Ok(Tenders(enabled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn section(list: Option<&[&str]>) -> TendersSection {
        TendersSection {
            enabled: list.map(|l| l.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn without_a_list_pokepay_comes_first_then_every_provider_with_a_table() {
        let tables = [("komoju", false), ("elepay", true)];
        let enabled = section(None).enabled(Path::new("r.toml"), &tables).unwrap();
        assert_eq!(enabled.0, ["pokepay", "elepay"]);
    }

    #[test]
    fn the_list_gives_the_order_and_each_entry_is_checked() {
        let tables = [("komoju", true), ("elepay", true)];
        let path = Path::new("r.toml");
        let enabled = section(Some(&["komoju", "Pokepay"]))
            .enabled(path, &tables)
            .unwrap();
        assert_eq!(enabled.0, ["komoju", "pokepay"]);
        let err = section(Some(&["paypal"]))
            .enabled(path, &tables)
            .unwrap_err();
        assert!(
            err.to_string().contains("unknown provider \"paypal\""),
            "{err}"
        );
        let err = section(Some(&["komoju", "komoju"]))
            .enabled(path, &tables)
            .unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
        let err = section(Some(&[])).enabled(path, &tables).unwrap_err();
        assert!(err.to_string().contains("at least one"), "{err}");
        let missing = [("komoju", false), ("elepay", true)];
        let err = section(Some(&["komoju"]))
            .enabled(path, &missing)
            .unwrap_err();
        assert!(err.to_string().contains("has no [komoju] table"), "{err}");
    }

    #[test]
    fn a_provider_table_shows_its_keys_but_never_its_values() {
        let mut table = toml::Table::new();
        table.insert(
            "secret_key".into(),
            toml::Value::String("sk_live_123".into()),
        );
        let shown = format!("{:?}", ProviderTable(table));
        assert!(
            shown.contains("secret_key") && !shown.contains("sk_live_123"),
            "{shown}"
        );
    }
}
