//! The manager PIN kept as a slow salted hash (`[ui] manager_pin_hash`, an argon2id PHC string)
//! instead of plain digits, so a copy of regi.toml does not give the PIN away and each guess
//! against it costs tens of milliseconds and 19 MiB of memory. `regi pin set` writes it.

use argon2::{ARGON2ID_IDENT, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier};
use serde::Deserialize;

use crate::ManagerPin;
use regi_core::secret::Secret;

/// Verifying a hash costs what its own parameters say; past these a hand-edited value would stall
/// the register (or exhaust its memory) at every try, so it is refused when the file is read.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_PASSES: u32 = 16;

/// An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`). Never shown in Debug
/// output or logs: the hash still lets a PIN of 4 to 8 digits be guessed offline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ManagerPinHash(Secret<String>);

impl ManagerPinHash {
    /// Hashes `pin` (4 to 8 digits) with a fresh random salt and argon2id at OWASP's minimum
    /// cost (19 MiB, two passes, one lane).
    pub fn new(pin: &ManagerPin) -> Result<Self, String> {
        let hash = Argon2::default()
            .hash_password(pin.digits().as_bytes())
            .map_err(|e| format!("cannot hash the PIN: {e}"))?;
        Ok(Self(Secret::new(hash.to_string())))
    }

    /// Whether `entered` is the PIN. Slow on purpose: run it off the event loop.
    pub fn verify(&self, entered: &str) -> bool {
        Argon2::default()
            .verify_password(entered.as_bytes(), self.0.expose().as_str())
            .is_ok()
    }

    /// The PHC string, for writing it into regi.toml.
    pub fn phc(&self) -> &str {
        self.0.expose()
    }
}

impl TryFrom<String> for ManagerPinHash {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let value = value.trim();
        // The value is not echoed in the message: it is a secret even when malformed.
        let refused = || {
            "manager_pin_hash must be an argon2id hash as written by `regi pin set` \
             ($argon2id$v=19$m=...,t=...,p=...$salt$hash)"
                .to_string()
        };
        let hash = PasswordHash::new(value).map_err(|_| refused())?;
        if hash.algorithm != ARGON2ID_IDENT || hash.salt.is_none() || hash.hash.is_none() {
            return Err(refused());
        }
        let params = Params::try_from(&hash).map_err(|_| refused())?;
        if params.m_cost() > MAX_MEMORY_KIB || params.t_cost() > MAX_PASSES {
            return Err(format!(
                "manager_pin_hash asks for more than {} MiB or {MAX_PASSES} passes; write a new one with `regi pin set`",
                MAX_MEMORY_KIB / 1024
            ));
        }
        Ok(Self(Secret::new(value.to_string())))
    }
}

/// The manager PIN as configured: plain digits (older files) or the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredPin {
    Plain(ManagerPin),
    Hashed(ManagerPinHash),
}

impl StoredPin {
    /// Whether `entered` is the PIN. The hashed form is slow on purpose: run it off the event
    /// loop.
    pub fn matches(&self, entered: &str) -> bool {
        match self {
            StoredPin::Plain(pin) => pin.matches(entered),
            StoredPin::Hashed(hash) => hash.verify(entered),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(digits: &str) -> ManagerPin {
        ManagerPin::try_from(digits.to_string()).unwrap()
    }

    #[test]
    fn a_new_hash_is_salted_argon2id_and_verifies_only_its_pin() {
        let hash = ManagerPinHash::new(&pin("2580")).unwrap();
        assert!(hash.phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hash.verify("2580"));
        assert!(!hash.verify("2581"));
        assert!(!hash.verify(""));
        let again = ManagerPinHash::new(&pin("2580")).unwrap();
        assert_ne!(hash.phc(), again.phc(), "each hash has its own salt");
        let read = ManagerPinHash::try_from(hash.phc().to_string()).unwrap();
        assert!(StoredPin::Hashed(read).matches("2580"));
    }

    #[test]
    fn the_hash_is_not_shown_in_debug_output() {
        let hash = ManagerPinHash::new(&pin("2580")).unwrap();
        let shown = format!("{hash:?} {:?}", StoredPin::Hashed(hash.clone()));
        assert!(!shown.contains("argon2"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }

    #[test]
    fn other_strings_are_refused_without_echoing_them() {
        for bad in [
            "2580",
            "",
            "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
            "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        ] {
            let err = ManagerPinHash::try_from(bad.to_string()).unwrap_err();
            assert!(err.contains("regi pin set"), "{err}");
            assert!(bad.is_empty() || !err.contains(bad), "{err}");
        }
        let greedy = "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        assert!(ManagerPinHash::try_from(greedy.to_string()).is_err());
    }
}
