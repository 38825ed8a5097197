//! The payment providers' tables: every top-level table of `regi.toml` the configuration does not
//! read itself is kept as written, by name, for the provider of that name to read. Which names
//! are providers is the caller's to say, so an unknown section is refused only once it has.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::ConfigError;

/// The top-level tables the configuration reads itself, as `ConfigFile` names them. Every other
/// table belongs to a provider.
pub(crate) const OWN_TABLES: [&str; 10] = [
    "departments",
    "drawer",
    "printer",
    "sale",
    "scanner",
    "staff",
    "store",
    "tenders",
    "terminal",
    "ui",
];

/// A provider's own table, handed to its crate as written. `Debug` lists the keys only: the
/// table may hold a secret key.
#[derive(Clone, PartialEq, Default)]
pub struct ProviderTable {
    pub table: toml::Table,
    /// The line (from 1) where the table begins in the file, for messages about it.
    pub line: Option<usize>,
    /// The whole file the table was written in, so that [`ProviderTable::read`] words an error
    /// as the configuration's own tables do (line, column and key; never a secret's value).
    text: Option<Arc<str>>,
}

impl ProviderTable {
    /// The table `name` of the file at `origin`, read into `T` (a `serde` type that refuses its
    /// unknown keys, say). An error names the file, the line and the key as an error in the
    /// configuration's own tables does, and never shows the value of a secret key.
    pub fn read<T: DeserializeOwned>(
        &self,
        name: &str,
        origin: Option<&Path>,
    ) -> Result<T, ConfigError> {
        let from_text = self.text.as_deref().map(|text| {
            toml::Deserializer::parse(text)
                .and_then(|document| {
                    TableNamed {
                        name,
                        read: PhantomData,
                    }
                    .deserialize(document)
                })
                .map_err(|e| crate::describe_toml_error(&e, text))
        });
        match from_text {
            Some(Ok(Some(read))) => Ok(read),
            Some(Err(message)) => Err(match origin {
                Some(path) => ConfigError::Toml {
                    path: path.to_path_buf(),
                    message,
                },
                None => ConfigError::invalid(None, format!("[{name}]"), message),
            }),
            // Without the file's text (a table made in code) the table itself is read; the
            // message then names the table and leaves out every quoted value.
            Some(Ok(None)) | None => {
                toml::Value::Table(self.table.clone())
                    .try_into()
                    .map_err(|e: toml::de::Error| {
                        let message =
                            crate::toml_error::without_quoted_values(e.message().trim_end());
                        ConfigError::invalid(origin, format!("[{name}]"), message)
                    })
            }
        }
    }
}

/// Picks the top-level table `name` out of a whole TOML document, passing every other by.
struct TableNamed<'a, T> {
    name: &'a str,
    read: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for TableNamed<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, document: D) -> Result<Option<T>, D::Error> {
        document.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for TableNamed<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a document holding [{}]", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.name {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

impl fmt::Debug for ProviderTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.table.keys()).finish()
    }
}

/// The providers' tables by name.
pub type ProviderTables = BTreeMap<String, ProviderTable>;

/// Every top-level table of `text` (already parsed once, so it is valid TOML) that is not one of
/// [`OWN_TABLES`]. A top-level key that is not a table has nobody to read it and is refused.
pub(crate) fn provider_tables(text: &str, origin: &Path) -> Result<ProviderTables, ConfigError> {
    let document: toml::Table = toml::from_str(text).map_err(|e| ConfigError::Toml {
        path: origin.to_path_buf(),
        message: crate::describe_toml_error(&e, text),
    })?;
    let lines = header_lines(text);
    let text: Arc<str> = Arc::from(text);
    let mut tables = ProviderTables::new();
    for (name, value) in document {
        if OWN_TABLES.contains(&name.as_str()) {
            continue;
        }
        match value {
            toml::Value::Table(table) => {
                let line = lines.get(&name).copied();
                let text = Some(Arc::clone(&text));
                tables.insert(name, ProviderTable { table, line, text });
            }
            // The value is not shown: the key may be a misplaced secret.
            _ => {
                let at = match lines.get(&name) {
                    Some(line) => format!("line {line}, {name}"),
                    None => name,
                };
                return Err(ConfigError::invalid(
                    Some(origin),
                    at,
                    "unknown key; the top level holds only sections ([name])",
                ));
            }
        }
    }
    Ok(tables)
}

/// The line where each top-level key of `text` is first written (a table's header).
fn header_lines(text: &str) -> BTreeMap<String, usize> {
    let Ok(document) = toml::de::DeTable::parse(text) else {
        return BTreeMap::new();
    };
    document
        .get_ref()
        .keys()
        .map(|key| {
            let start = key.span().start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            (key.get_ref().to_string(), line)
        })
        .collect()
}

/// Refuses a table no provider of `known` owns (a misspelt provider, `[printr]`), naming it
/// and every section the file may have.
pub(crate) fn refuse_unknown_tables(
    tables: &ProviderTables,
    known: &[&str],
    origin: Option<&Path>,
) -> Result<(), ConfigError> {
    let Some((unknown, table)) = tables
        .iter()
        .find(|(name, _)| !known.contains(&name.as_str()))
    else {
        return Ok(());
    };
    let at = match table.line {
        Some(line) => format!("line {line}, [{unknown}]"),
        None => format!("[{unknown}]"),
    };
    let mut sections: Vec<&str> = OWN_TABLES.iter().chain(known).copied().collect();
    sections.sort_unstable();
    let sections: Vec<String> = sections.iter().map(|name| format!("[{name}]")).collect();
    Err(ConfigError::invalid(
        origin,
        at,
        format!("unknown section; expected one of {}", sections.join(", ")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_but_the_configurations_own_is_kept_by_name() {
        let tables = provider_tables(
            "[ui]\nlang = \"en\"\n[alpha]\nkey = \"k\"\n[beta.nested]\nx = 1\n",
            Path::new("r.toml"),
        )
        .unwrap();
        assert_eq!(tables.keys().collect::<Vec<_>>(), ["alpha", "beta"]);
        assert_eq!(tables["alpha"].table["key"].as_str(), Some("k"));
        assert_eq!(
            (tables["alpha"].line, tables["beta"].line),
            (Some(3), Some(5))
        );
    }

    #[test]
    fn a_top_level_value_that_is_not_a_table_is_refused_without_showing_it() {
        let err = provider_tables("\nclient_secret = \"s3cr3t\"\n", Path::new("r.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("r.toml: line 2, client_secret: unknown key"),
            "{err}"
        );
        assert!(!err.contains("s3cr3t"), "{err}");
    }

    #[test]
    fn an_unknown_table_is_refused_naming_it_and_every_section_there_is() {
        let text = "[ui]\nlang = \"en\"\n\n[alphaa]\nx = 1\n";
        let tables = provider_tables(text, Path::new("r.toml")).unwrap();
        let err = refuse_unknown_tables(&tables, &["alpha"], Some(Path::new("r.toml")))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("r.toml: line 4, [alphaa]: unknown section"),
            "{err}"
        );
        assert!(
            err.contains("[alpha], [departments]") && err.contains("[ui]"),
            "{err}"
        );
        assert!(refuse_unknown_tables(&tables, &["alphaa"], None).is_ok());
    }

    #[test]
    fn a_provider_reads_its_table_with_the_files_line_and_key_in_a_message() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct Alpha {
            #[allow(dead_code)]
            key: String,
        }
        let text = "[ui]\nlang = \"en\"\n[alpha]\nkey = \"k\"\nkye = \"k\"\n";
        let tables = provider_tables(text, Path::new("r.toml")).unwrap();
        let err = tables["alpha"]
            .read::<Alpha>("alpha", Some(Path::new("r.toml")))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("r.toml: line 5, column 1, [alpha] kye: unknown field"),
            "{err}"
        );
        let text = "[alpha]\nkey = \"k\"\nclient_secret = 12345\n";
        let tables = provider_tables(text, Path::new("r.toml")).unwrap();
        let err = tables["alpha"]
            .read::<Alpha>("alpha", Some(Path::new("r.toml")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3, [alpha] client_secret"), "{err}");
        assert!(!err.contains("12345"), "{err}");
    }

    #[test]
    fn a_table_made_in_code_is_read_without_showing_a_value() {
        #[derive(serde::Deserialize, Debug)]
        struct Alpha {
            #[allow(dead_code)]
            secret_key: String,
        }
        let mut table = toml::Table::new();
        table.insert("secret_key".into(), toml::Value::Integer(2580));
        let provider = ProviderTable {
            table,
            ..ProviderTable::default()
        };
        let err = provider
            .read::<Alpha>("alpha", None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("[alpha]: invalid type"), "{err}");
        assert!(!err.contains("2580"), "{err}");
    }

    #[test]
    fn each_own_table_is_read_by_the_configuration_which_refuses_its_unknown_keys() {
        for name in OWN_TABLES {
            let text = match name {
                "staff" => "[[staff]]\nno_such_key = 1\n".to_string(),
                _ => format!("[{name}]\nno_such_key = 1\n"),
            };
            let err = crate::Config::from_toml_str(&text, Path::new("r.toml")).unwrap_err();
            assert!(err.to_string().contains("no_such_key"), "[{name}]: {err}");
        }
    }

    #[test]
    fn a_provider_table_shows_its_keys_but_never_its_values() {
        let mut table = toml::Table::new();
        table.insert(
            "secret_key".into(),
            toml::Value::String("sk_live_123".into()),
        );
        let shown = format!(
            "{:?}",
            ProviderTable {
                table,
                ..ProviderTable::default()
            }
        );
        assert!(
            shown.contains("secret_key") && !shown.contains("sk_live_123"),
            "{shown}"
        );
    }
}
