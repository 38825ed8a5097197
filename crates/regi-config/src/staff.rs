//! `[[staff]]`: who may work the register (担当者), each with a staff code, the name printed on
//! receipts, a role (clerk or manager: a manager's PIN also opens what the manager PIN guards) and
//! a PIN kept as an argon2id hash (`regi staff add` writes it). A staff card's barcode may sign
//! its holder in without the PIN. With none configured, the register asks nobody to sign in.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use crate::{ConfigError, ManagerPinHash};
use regi_core::records::{StaffOnDuty, StaffRole};

/// The longest staff code, in digits.
pub const MAX_STAFF_CODE: usize = 8;

#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub role: StaffRole,
    pub pin_hash: ManagerPinHash,
    /// A staff card's barcode; scanning it signs this member in.
    #[serde(default)]
    pub card: Option<String>,
}

impl std::fmt::Debug for StaffMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffMember")
            .field("code", &self.code)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("pin_hash", &"********")
            .field("card", &self.card.as_ref().map(|_| "********"))
            .finish()
    }
}

impl StaffMember {
    pub fn on_duty(&self) -> StaffOnDuty {
        StaffOnDuty {
            code: self.code.clone(),
            name: self.name.clone(),
            role: self.role,
        }
    }
}

/// The staff as configured, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staff(Vec<StaffMember>);

impl Staff {
    pub fn members(&self) -> &[StaffMember] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn find(&self, code: &str) -> Option<&StaffMember> {
        self.0.iter().find(|m| m.code == code)
    }

    pub fn by_card(&self, card: &str) -> Option<&StaffMember> {
        self.0
            .iter()
            .find(|m| m.card.as_deref().is_some_and(|c| c == card.trim()))
    }

    pub fn managers(&self) -> impl Iterator<Item = &StaffMember> {
        self.0.iter().filter(|m| m.role == StaffRole::Manager)
    }

    /// Codes of 1–8 digits, each once; names set; each card once.
    pub(crate) fn validate(members: Vec<StaffMember>, path: &Path) -> Result<Self, ConfigError> {
        let mut codes = HashSet::new();
        let mut cards = HashSet::new();
        for member in &members {
            let key = format!("[[staff]] code = \"{}\"", member.code);
            let digits = member.code.chars().all(|c| c.is_ascii_digit());
            if member.code.is_empty() || member.code.len() > MAX_STAFF_CODE || !digits {
                return Err(ConfigError::invalid(
                    Some(path),
                    "[[staff]] code",
                    format!("must be 1 to {MAX_STAFF_CODE} digits"),
                ));
            }
            if !codes.insert(member.code.clone()) {
                return Err(ConfigError::invalid(Some(path), &key, "is listed twice"));
            }
            if member.name.trim().is_empty() {
                return Err(ConfigError::invalid(Some(path), &key, "needs a name"));
            }
            if let Some(card) = &member.card
                && !cards.insert(card.trim().to_owned())
            {
                return Err(ConfigError::invalid(
                    Some(path),
                    &key,
                    "has a card another member has",
                ));
            }
        }
        Ok(Self(members))
    }
}

impl crate::Config {
    /// A manager PIN guards refunds, the drawer, Z and price overrides: `[ui]`'s, or a manager's
    /// of `[[staff]]`.
    pub fn manager_pin_set(&self) -> bool {
        self.ui.stored_pin().is_some() || self.staff.managers().next().is_some()
    }

    /// Whether `entered` is the manager PIN or a manager's PIN. Slow on purpose (argon2id): run
    /// it off an event loop.
    pub fn is_manager_pin(&self, entered: &str) -> bool {
        opens_manager_pin(self.ui.stored_pin().as_ref(), &self.staff, entered)
    }
}

/// Whether `entered` is `pin` (the `[ui]` manager PIN) or the PIN of a manager of `staff`.
pub fn opens_manager_pin(pin: Option<&crate::StoredPin>, staff: &Staff, entered: &str) -> bool {
    pin.is_some_and(|pin| pin.matches(entered))
        || staff.managers().any(|m| m.pin_hash.verify(entered))
}

#[cfg(test)]
mod tests {
    use crate::{Config, ManagerPin, ManagerPinHash};
    use regi_core::records::StaffRole;
    use std::path::Path;

    fn hash() -> String {
        ManagerPinHash::new(&ManagerPin::try_from("2580".to_string()).unwrap())
            .unwrap()
            .phc()
            .to_owned()
    }

    #[test]
    fn staff_are_read_with_their_roles_and_the_pin_never_shows_in_debug() {
        let text = format!(
            "[[staff]]\ncode = \"101\"\nname = \"山田\"\npin_hash = \"{h}\"\n\n\
             [[staff]]\ncode = \"7\"\nname = \"佐藤\"\nrole = \"manager\"\npin_hash = \"{h}\"\ncard = \"S0007\"\n",
            h = hash()
        );
        let config = Config::from_toml_str(&text, Path::new("regi.toml")).unwrap();
        let staff = &config.staff;
        assert_eq!(staff.members().len(), 2);
        assert_eq!(staff.find("101").unwrap().role, StaffRole::Clerk);
        assert_eq!(staff.by_card("S0007").unwrap().name, "佐藤");
        assert_eq!(staff.managers().count(), 1);
        assert!(staff.find("101").unwrap().pin_hash.verify("2580"));
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("argon2") && !shown.contains("S0007"),
            "{shown}"
        );
    }

    #[test]
    fn a_code_twice_or_not_digits_is_refused_naming_it() {
        let h = hash();
        for (text, says) in [
            (
                format!(
                    "[[staff]]\ncode = \"1\"\nname = \"a\"\npin_hash = \"{h}\"\n[[staff]]\ncode = \"1\"\nname = \"b\"\npin_hash = \"{h}\"\n"
                ),
                "twice",
            ),
            (
                format!("[[staff]]\ncode = \"A1\"\nname = \"a\"\npin_hash = \"{h}\"\n"),
                "digits",
            ),
            (
                format!("[[staff]]\ncode = \"1\"\nname = \" \"\npin_hash = \"{h}\"\n"),
                "name",
            ),
        ] {
            let err = Config::from_toml_str(&text, Path::new("regi.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{err}");
        }
    }
}
