//! The plain TOML sections: `[pokepay]`, `[terminal]`, `[store]`, `[ui]`. Each is read straight
//! into its typed form; values that need checking go through a newtype with `try_from`.

use std::fmt;

use serde::Deserialize;
use uuid::Uuid;

use crate::pin_hash::{ManagerPinHash, StoredPin};
use regi_core::secret::Secret;

/// Which shop and money regi takes payments for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PokepaySettings {
    pub shop_id: Option<Uuid>,
    pub private_money_id: Option<Uuid>,
    /// Lifetime of a merchant-presented QR (the API's own default, 1800 s, is too long at a till).
    pub cashtray_expires_in_secs: u32,
}

impl Default for PokepaySettings {
    fn default() -> Self {
        Self {
            shop_id: None,
            private_money_id: None,
            cashtray_expires_in_secs: 300,
        }
    }
}

/// This till.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TerminalSettings {
    /// Shown on screen and printed on receipts.
    pub name: String,
    /// Stable identifier written into the journal and receipt numbers.
    pub id: String,
}

impl Default for TerminalSettings {
    fn default() -> Self {
        Self {
            name: "レジ1".into(),
            id: "01".into(),
        }
    }
}

/// The store as printed on receipts.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreSettings {
    pub name: String,
    /// 適格請求書発行事業者登録番号 (qualified invoice issuer number), required on 適格簡易請求書.
    pub registration_number: Option<RegistrationNumber>,
    pub address: String,
    pub phone: String,
    pub receipt_footer: String,
    /// Store mode: the shared PostgreSQL this till ships its journal to
    /// (`postgres://role@host/db`, no password in it). None: a till on its own.
    pub database_url: Option<DatabaseUrl>,
    /// Which store of the database this till belongs to (required with `database_url`).
    pub store_id: Option<String>,
    /// The file holding the database password (first line), readable by its owner only.
    pub password_file: Option<std::path::PathBuf>,
    /// A CA the database server's certificate must chain to (required off the loopback).
    pub tls_ca_file: Option<std::path::PathBuf>,
}

impl StoreSettings {
    /// `[store]` with `database_url` but no `store_id` (or the other way round) is incomplete.
    pub(crate) fn check_store_mode(&self) -> Result<(), String> {
        match (&self.database_url, &self.store_id) {
            (Some(_), None) => {
                Err("database_url needs store_id (which store this till is in)".into())
            }
            (None, Some(_)) => Err("store_id needs database_url (the store's PostgreSQL)".into()),
            (Some(_), Some(id)) if id.trim().is_empty() => Err("store_id is empty".into()),
            _ => Ok(()),
        }
    }
}

/// A `postgres://` URL of the store database. A password is refused here (it belongs in
/// `password_file`), so the URL can be shown and logged as it is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DatabaseUrl {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let url = url::Url::parse(value.trim())
            .map_err(|e| format!("database_url is not a URL ({e})"))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(format!(
                "database_url must start with postgres://, not {}://",
                url.scheme()
            ));
        }
        if url.password().is_some() {
            return Err(
                "database_url must not hold a password; put it in password_file (mode 0600)".into(),
            );
        }
        Ok(Self(value.trim().to_string()))
    }
}

/// A qualified invoice issuer registration number: `T` followed by 13 digits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct RegistrationNumber(String);

impl RegistrationNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegistrationNumber {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let trimmed = value.trim();
        let digits = trimmed.strip_prefix('T').unwrap_or("");
        if digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(trimmed.to_string()))
        } else {
            Err(format!(
                "registration number must be `T` followed by 13 digits (e.g. T1234567890123), got {trimmed:?}"
            ))
        }
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub use regi_core::lang::Lang;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiSettings {
    pub lang: Lang,
    /// Required for refunds and other manager actions; none means those actions need no PIN.
    /// Plain digits, still read from older files; `regi pin set` replaces it with the hash.
    pub manager_pin: Option<ManagerPin>,
    /// The manager PIN as an argon2id hash, written by `regi pin set`.
    pub manager_pin_hash: Option<ManagerPinHash>,
}

impl UiSettings {
    /// The manager PIN in whichever form the file holds it (the loader refuses both at once).
    pub fn stored_pin(&self) -> Option<StoredPin> {
        match (&self.manager_pin_hash, &self.manager_pin) {
            (Some(hash), _) => Some(StoredPin::Hashed(hash.clone())),
            (None, Some(pin)) => Some(StoredPin::Plain(pin.clone())),
            (None, None) => None,
        }
    }
}

/// A manager PIN of 4 to 8 digits. Never shown in Debug output or logs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ManagerPin(Secret<String>);

impl ManagerPin {
    /// Compares without stopping at the first differing digit, so timing does not leak the PIN.
    pub fn matches(&self, entered: &str) -> bool {
        let pin = self.0.expose().as_bytes();
        let entered = entered.as_bytes();
        let diff = pin
            .iter()
            .zip(entered)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        diff == 0 && pin.len() == entered.len()
    }

    /// The digits, for hashing them.
    pub(crate) fn digits(&self) -> &str {
        self.0.expose()
    }
}

impl TryFrom<String> for ManagerPin {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let pin = value.trim();
        if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(Secret::new(pin.to_string())))
        } else {
            // The value itself is not echoed: it is a secret even when malformed.
            Err("manager_pin must be 4 to 8 digits".to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_number_is_t_and_13_digits() {
        let ok = RegistrationNumber::try_from(" T1234567890123 ".to_string()).unwrap();
        assert_eq!(ok.as_str(), "T1234567890123");
        for bad in [
            "1234567890123",
            "T123456789012",
            "T12345678901234",
            "T123456789012X",
            "t1234567890123",
            "Ｔ1234567890123",
        ] {
            assert!(
                RegistrationNumber::try_from(bad.to_string()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn manager_pin_is_digits_and_redacted() {
        let pin = ManagerPin::try_from("2580".to_string()).unwrap();
        assert!(pin.matches("2580"));
        assert!(!pin.matches("258"));
        assert!(!pin.matches("25801"));
        assert!(!pin.matches("0852"));
        assert!(!format!("{pin:?}").contains("2580"));
        assert!(ManagerPin::try_from("12a4".to_string()).is_err());
        assert!(ManagerPin::try_from("123".to_string()).is_err());
        let err = ManagerPin::try_from("999999999".to_string()).unwrap_err();
        assert!(!err.contains("999999999"));
    }

    #[test]
    fn lang_parses_case_insensitively() {
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("ja".parse::<Lang>(), Ok(Lang::Ja));
        assert!("fr".parse::<Lang>().is_err());
        assert_eq!(Lang::default(), Lang::Ja);
    }
}
