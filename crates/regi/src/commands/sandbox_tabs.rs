//! The tab fixtures `regi sandbox --write-config` adds to the Pokepay `config.ini`: the seeded
//! customer with a verified card (`CUSTOMER_ID`, `CARD_ID`) and the one without
//! (`CARDLESS_CUSTOMER_ID`), the ids a CreditSession conversation needs. Kept apart from the
//! SDK keys so the two can change independently.

use regi_pokepay_emulator::{CUSTOMER_CARD, CUSTOMER_CARDLESS, SandboxState};

/// The ids of the seeded tab customers (absent from a state file older than tabs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TabFixtures {
    pub customer_id: Option<String>,
    pub card_id: Option<String>,
    pub cardless_customer_id: Option<String>,
}

impl TabFixtures {
    pub fn of(state: &SandboxState) -> Self {
        let card = state.customer_and_card(CUSTOMER_CARD);
        let cardless = state.customer_and_card(CUSTOMER_CARDLESS);
        Self {
            customer_id: card.map(|(customer, _)| customer.to_string()),
            card_id: card.and_then(|(_, card)| card).map(|id| id.to_string()),
            cardless_customer_id: cardless.map(|(customer, _)| customer.to_string()),
        }
    }

    /// `ini` with these keys at the top of its `[global]` section (where the SDKs read their
    /// keys), or appended when it has none.
    pub fn add_to_ini(&self, ini: &str) -> String {
        let lines: String = [
            ("CUSTOMER_ID", &self.customer_id),
            ("CARD_ID", &self.card_id),
            ("CARDLESS_CUSTOMER_ID", &self.cardless_customer_id),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| format!("{key} = {v}\n")))
        .collect();
        match ini.find("[global]\n") {
            Some(at) => {
                let end = at + "[global]\n".len();
                format!("{}{lines}{}", &ini[..end], &ini[end..])
            }
            None => format!("{ini}{lines}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_pokepay_emulator::SandboxOptions;

    #[test]
    fn the_seeded_tab_customers_go_under_global() {
        let state = SandboxState::new(SandboxOptions {
            seed: Some(3),
            ..Default::default()
        })
        .unwrap();
        let fixtures = TabFixtures::of(&state);
        let ini = fixtures.add_to_ini("; note\n[global]\nCLIENT_ID = a\n[other]\nX = 1\n");
        let parsed = ini::Ini::load_from_str(&ini).unwrap();
        let global = parsed.section(Some("global")).unwrap();
        let (customer, card) = state.customer_and_card(CUSTOMER_CARD).unwrap();
        let (cardless, none) = state.customer_and_card(CUSTOMER_CARDLESS).unwrap();
        assert_eq!(
            global.get("CUSTOMER_ID"),
            Some(customer.to_string().as_str())
        );
        assert_eq!(
            global.get("CARD_ID"),
            Some(card.unwrap().to_string().as_str())
        );
        assert_eq!(
            global.get("CARDLESS_CUSTOMER_ID"),
            Some(cardless.to_string().as_str())
        );
        assert_eq!(none, None);
        assert_eq!(global.get("CLIENT_ID"), Some("a"));
        assert_eq!(
            parsed.section(Some("other")).unwrap().get("CUSTOMER_ID"),
            None
        );
    }

    #[test]
    fn missing_fixtures_add_no_keys() {
        assert_eq!(
            TabFixtures::default().add_to_ini("[global]\nA = 1\n"),
            "[global]\nA = 1\n"
        );
    }
}
