//! `[tenders]`: which payment providers the register takes, in the order the payment screen shows
//! them. The configuration does not know which providers exist: the binary names them
//! ([`ProviderNames`]) and the list is checked and completed against those names.

use serde::Deserialize;

use crate::ConfigError;

/// The enabled providers, in the payment screen's order. As read from the file it holds what
/// `[tenders] enabled` lists (nothing when it lists nothing); [`crate::Config::check_providers`]
/// checks it and fills in the default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tenders {
    names: Vec<String>,
    /// Whether `[tenders] enabled` gave the list (else the default applies).
    listed: bool,
}

impl Tenders {
    /// The providers listed in this order, as `[tenders] enabled` would.
    pub fn listed<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Self {
            names: names.into_iter().map(Into::into).collect(),
            listed: true,
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    pub fn contains(&self, provider: &str) -> bool {
        self.names().any(|name| name == provider)
    }

    pub fn is_listed(&self) -> bool {
        self.listed
    }
}

/// The payment providers the program is built with, as the caller knows them.
#[derive(Debug, Clone, Copy)]
pub struct ProviderNames<'a> {
    /// Every provider, in the order the payment screen offers them when `[tenders]` does not say.
    pub known: &'a [&'a str],
    /// Providers whose settings may come from elsewhere than a table of their own (an SDK file,
    /// an older section): enabled without a list even with no table, and listable without one.
    pub table_optional: &'a [&'a str],
    /// Top-level tables a provider reads besides its own (an older name of its settings): known
    /// sections, though no provider of that name exists.
    pub older_tables: &'a [&'a str],
}

/// `[tenders]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(super) struct TendersSection {
    enabled: Option<Vec<String>>,
}

impl TendersSection {
    /// The list as written, each name trimmed and lower-cased; an empty list and a name listed
    /// twice are refused here, as neither depends on which providers exist.
    pub(super) fn read(self, origin: &std::path::Path) -> Result<Tenders, ConfigError> {
        let Some(listed) = self.enabled else {
            return Ok(Tenders::default());
        };
        if listed.is_empty() {
            return Err(bad(origin, "list at least one provider".into()));
        }
        let mut names: Vec<String> = Vec::new();
        for name in listed {
            let name = name.trim().to_ascii_lowercase();
            if names.contains(&name) {
                return Err(bad(origin, format!("{name} is listed twice")));
            }
            names.push(name);
        }
        Ok(Tenders::listed(names))
    }
}

impl Tenders {
    /// Checks a listed provider against `providers` (known, and with its table unless that is
    /// optional), or, without a list, enables the providers that need no table and every other
    /// one whose table is present, in the order of `providers.known`.
    pub(super) fn resolve(
        self,
        providers: ProviderNames<'_>,
        has_table: impl Fn(&str) -> bool,
        origin: Option<&std::path::Path>,
    ) -> Result<Tenders, ConfigError> {
        if !self.listed {
            let names = providers
                .known
                .iter()
                .filter(|name| providers.table_optional.contains(name) || has_table(name))
                .map(|name| name.to_string());
            return Ok(Tenders {
                names: names.collect(),
                listed: false,
            });
        }
        let bad = |reason: String| ConfigError::invalid(origin, "[tenders] enabled", reason);
        for name in self.names() {
            if !providers.known.contains(&name) {
                return Err(bad(format!(
                    "unknown provider {name:?}; expected one of {}",
                    providers.known.join(", ")
                )));
            }
            if !providers.table_optional.contains(&name) && !has_table(name) {
                return Err(bad(format!("{name} is enabled but has no [{name}] table")));
            }
        }
        Ok(self)
    }
}

fn bad(origin: &std::path::Path, reason: String) -> ConfigError {
    ConfigError::invalid(Some(origin), "[tenders] enabled", reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const PROVIDERS: ProviderNames<'static> = ProviderNames {
        known: &["alpha", "beta", "gamma"],
        table_optional: &["alpha"],
        older_tables: &[],
    };

    fn section(list: Option<&[&str]>) -> TendersSection {
        TendersSection {
            enabled: list.map(|l| l.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn resolved(list: Option<&[&str]>, tables: &[&str]) -> Result<Vec<String>, ConfigError> {
        let path = Path::new("r.toml");
        let tenders = section(list).read(path)?;
        let tenders = tenders.resolve(PROVIDERS, |name| tables.contains(&name), Some(path))?;
        Ok(tenders.names().map(str::to_string).collect())
    }

    #[test]
    fn without_a_list_the_table_optional_providers_and_every_one_with_a_table_are_enabled_in_the_known_order()
     {
        assert_eq!(resolved(None, &["gamma"]).unwrap(), ["alpha", "gamma"]);
        assert_eq!(
            resolved(None, &["gamma", "beta"]).unwrap(),
            ["alpha", "beta", "gamma"]
        );
    }

    #[test]
    fn the_list_gives_the_order_and_each_entry_is_checked_against_the_names_given() {
        assert_eq!(
            resolved(Some(&["beta", "Alpha"]), &["beta"]).unwrap(),
            ["beta", "alpha"]
        );
        let err = resolved(Some(&["paypal"]), &[]).unwrap_err().to_string();
        assert!(
            err.contains("unknown provider \"paypal\"; expected one of alpha, beta, gamma"),
            "{err}"
        );
        let err = resolved(Some(&["beta", "beta"]), &["beta"]).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
        let err = resolved(Some(&[]), &[]).unwrap_err();
        assert!(err.to_string().contains("at least one"), "{err}");
        let err = resolved(Some(&["beta"]), &["gamma"]).unwrap_err();
        assert!(err.to_string().contains("has no [beta] table"), "{err}");
    }
}
