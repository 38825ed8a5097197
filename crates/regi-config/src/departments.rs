//! `[departments]`: the department keys 1–9 of the sale screen, each with a name, a tax rate
//! (8 or 10) and an optional fixed price. Without the table the register has 一般 (10 %) on 1
//! and 食品 (8 %) on 2.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use regi_core::domain::{Department, Departments, MAX_DEPARTMENT, TaxRate, Yen};

use crate::ConfigError;

/// One department as written, e.g. `2 = { name = "食品", rate = 8 }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DepartmentEntry {
    name: Option<String>,
    rate: Option<i64>,
    price: Option<i64>,
}

/// `[departments]` as written: keys "1" to "9".
#[derive(Deserialize, Default)]
#[serde(transparent)]
pub(super) struct DepartmentsSection(Option<BTreeMap<String, DepartmentEntry>>);

impl DepartmentsSection {
    /// Checks every entry; a table left out gives the default departments.
    pub(super) fn validate(self, origin: &Path) -> Result<Departments, ConfigError> {
        let Some(entries) = self.0 else {
            return Ok(Departments::default());
        };
        let mut departments = Vec::with_capacity(entries.len());
        for (key, entry) in entries {
            let invalid = |field: &str, reason: String| {
                let key = if field.is_empty() {
                    format!("[departments] {key}")
                } else {
                    format!("[departments] {key}.{field}")
                };
                ConfigError::invalid(Some(origin), key, reason)
            };
            let number = key
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=MAX_DEPARTMENT).contains(n))
                .ok_or_else(|| {
                    invalid(
                        "",
                        format!("a department key must be 1 to {MAX_DEPARTMENT}"),
                    )
                })?;
            let name = entry
                .name
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .ok_or_else(|| invalid("name", "needs a name, e.g. name = \"食品\"".to_owned()))?;
            let rate = match entry.rate {
                Some(10) => TaxRate::Standard10,
                Some(8) => TaxRate::Reduced8,
                Some(other) => {
                    return Err(invalid("rate", format!("must be 8 or 10, got {other}")));
                }
                None => return Err(invalid("rate", "needs a tax rate: 8 or 10".to_owned())),
            };
            let price = match entry.price {
                None => None,
                Some(yen) if yen >= 1 => Some(Yen(yen)),
                Some(yen) => {
                    return Err(invalid(
                        "price",
                        format!("must be at least 1 yen, got {yen}"),
                    ));
                }
            };
            departments.push(Department {
                number,
                name,
                rate,
                price,
            });
        }
        Ok(Departments::new(departments))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, ConfigError};
    use regi_core::domain::{TaxRate, Yen};
    use std::path::Path;

    fn load(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml_str(text, Path::new("regi.toml"))
    }

    fn refusal(text: &str) -> String {
        load(text).expect_err("refused").to_string()
    }

    #[test]
    fn without_a_table_general_and_food_are_the_departments() {
        let config = load("").unwrap();
        let d = &config.sale.departments;
        assert_eq!(d.get(1).map(|d| d.rate), Some(TaxRate::Standard10));
        assert_eq!(d.get(2).map(|d| d.name.as_str()), Some("食品"));
    }

    #[test]
    fn configured_departments_replace_the_defaults() {
        let config = load(
            "[departments]\n\
             1 = { name = \"惣菜\", rate = 8 }\n\
             [departments.3]\nname = \"切手\"\nrate = 10\nprice = 110\n",
        )
        .unwrap();
        let d = &config.sale.departments;
        let one = d.get(1).unwrap();
        assert_eq!(
            (one.name.as_str(), one.rate, one.price),
            ("惣菜", TaxRate::Reduced8, None)
        );
        assert_eq!(d.get(3).unwrap().price, Some(Yen(110)));
        assert_eq!(d.get(2), None);
    }

    #[test]
    fn bad_department_values_are_refused_naming_the_key() {
        let cases = [
            (
                "[departments]\n0 = { name = \"x\", rate = 10 }",
                "[departments] 0",
            ),
            (
                "[departments]\n10 = { name = \"x\", rate = 10 }",
                "[departments] 10",
            ),
            (
                "[departments]\n1 = { name = \"x\", rate = 5 }",
                "[departments] 1.rate",
            ),
            (
                "[departments]\n1 = { name = \"x\" }",
                "[departments] 1.rate",
            ),
            (
                "[departments]\n1 = { name = \" \", rate = 8 }",
                "[departments] 1.name",
            ),
            (
                "[departments]\n1 = { name = \"x\", rate = 8, price = 0 }",
                "[departments] 1.price",
            ),
        ];
        for (text, key) in cases {
            let message = refusal(text);
            assert!(message.contains(key), "{text:?} gave {message:?}");
        }
        let message = refusal("[departments]\n1 = { name = \"x\", rate = 8, colour = 1 }");
        assert!(message.contains("colour"), "{message}");
    }
}
