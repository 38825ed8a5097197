//! The plain TOML sections: `[terminal]`, `[store]`, `[ui]`. Each is read straight
//! into its typed form; values that need checking go through a newtype with `try_from`.

use std::fmt;

use serde::Deserialize;

use crate::pin_hash::{ManagerPinHash, StoredPin};
use regi_core::secret::Secret;

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
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreSettings {
    pub name: String,
    /// 適格請求書発行事業者登録番号 (qualified invoice issuer number), required on 適格簡易請求書.
    pub registration_number: Option<RegistrationNumber>,
    pub address: String,
    pub phone: String,
    pub receipt_footer: String,
    /// `false` for a store that is not a qualified invoice issuer (免税事業者): its receipts are
    /// plain 領収書 and live selling needs no registration number.
    pub invoice_issuer: bool,
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

impl Default for StoreSettings {
    fn default() -> Self {
        Self {
            name: String::new(),
            registration_number: None,
            address: String::new(),
            phone: String::new(),
            receipt_footer: String::new(),
            invoice_issuer: true,
            database_url: None,
            store_id: None,
            password_file: None,
            tls_ca_file: None,
        }
    }
}

impl StoreSettings {
    /// What live selling still needs from `[store]`: the keys a qualified simplified invoice
    /// must carry, empty when the receipts can be printed as the law asks.
    pub fn missing_for_live_selling(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.name.trim().is_empty() {
            missing.push("name");
        }
        if self.invoice_issuer && self.registration_number.is_none() {
            missing.push("registration_number");
        }
        missing
    }

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

    /// The check digit the number's first digit should be, by the National Tax Agency's rule for
    /// 法人番号 (which registration numbers share): 9 − (Σ Pn × Qn mod 9) over the other 12
    /// digits, Pn the n-th digit from the right and Qn 1 for odd n, 2 for even n.
    pub fn expected_check_digit(&self) -> u8 {
        let digits = self.0.as_bytes()[1..].iter().map(|b| b - b'0');
        let base: Vec<u8> = digits.skip(1).collect();
        let sum: u32 = base
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &p)| u32::from(p) * if i % 2 == 0 { 1 } else { 2 })
            .sum();
        // `sum % 9` is below 9, so the digit fits.
        (9 - sum % 9) as u8
    }

    /// Whether the first digit is the check digit of the other twelve: a typo in the number
    /// makes every receipt an invalid invoice.
    pub fn has_valid_check_digit(&self) -> bool {
        self.0.as_bytes()[1] - b'0' == self.expected_check_digit()
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

    #[test]
    fn the_check_digit_follows_the_national_tax_agency_rule() {
        let number = |text: &str| RegistrationNumber::try_from(text.to_string()).unwrap();
        // The National Tax Agency's own corporate number.
        assert!(number("T7000012050002").has_valid_check_digit());
        assert!(!number("T1000012050002").has_valid_check_digit());
        assert_eq!(number("T1234567890123").expected_check_digit(), 9);
        assert!(number("T9234567890123").has_valid_check_digit());
    }

    #[test]
    fn live_selling_needs_the_store_name_and_number_unless_not_an_invoice_issuer() {
        let mut store = StoreSettings::default();
        assert_eq!(
            store.missing_for_live_selling(),
            ["name", "registration_number"]
        );
        store.invoice_issuer = false;
        assert_eq!(store.missing_for_live_selling(), ["name"]);
        store.name = "店".into();
        assert!(store.missing_for_live_selling().is_empty());
    }
}
