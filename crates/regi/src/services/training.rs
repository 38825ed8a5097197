//! The training customer port: F9/F10/F11 act as a simulated customer of the emulator that made
//! the QR on screen (or, for a customer code, of the first training provider that shows codes).

use regi_pokepay_emulator::{
    CUSTOMER_CARD, CUSTOMER_EMPTY, CUSTOMER_POOR, CUSTOMER_RICH, CpmScope, CustomerError,
    SandboxState,
};
use regi_tui::runtime::ports::{TrainingCustomer, TrainingError};

use super::EngineServices;

/// One training provider's simulated customer, acting on its emulator in process.
pub trait ProviderCustomer: Send + Sync {
    /// Pays the QR `token` as a customer who can afford it; `UnknownQr` when this emulator did not
    /// make it.
    fn pay(&self, token: &str) -> Result<(), TrainingError>;
    /// Tries to pay the QR `token` as a customer who cannot; the refusal is the point.
    fn fail(&self, token: &str) -> Result<(), TrainingError>;
    /// A fresh customer code, for providers whose customers show one.
    fn present_code(&self) -> Option<Result<String, TrainingError>>;
    /// A fresh code of a customer with a verified card, for providers that keep tabs.
    fn present_tab_code(&self) -> Option<Result<String, TrainingError>> {
        None
    }
}

/// Every training provider's customer, in the order of the enabled tenders.
#[derive(Default)]
pub struct TrainingCustomers {
    customers: Vec<Box<dyn ProviderCustomer>>,
}

impl TrainingCustomers {
    pub fn with(mut self, customer: impl ProviderCustomer + 'static) -> Self {
        self.customers.push(Box::new(customer));
        self
    }

    /// The first customer whose emulator knows `token` acts on it.
    fn on_qr(
        &self,
        token: &str,
        act: impl Fn(&dyn ProviderCustomer, &str) -> Result<(), TrainingError>,
    ) -> Result<(), TrainingError> {
        for customer in &self.customers {
            match act(customer.as_ref(), token) {
                Err(TrainingError::UnknownQr) => continue,
                other => return other,
            }
        }
        Err(TrainingError::UnknownQr)
    }
}

impl TrainingCustomers {
    /// F9: the emulator that made the QR `token` has a customer pay it.
    pub fn pay(&self, token: &str) -> Result<(), TrainingError> {
        self.on_qr(token, |c, t| c.pay(t))
    }

    /// F10: the emulator that made the QR `token` has a customer fail to pay it.
    pub fn fail(&self, token: &str) -> Result<(), TrainingError> {
        self.on_qr(token, |c, t| c.fail(t))
    }

    /// F11 when opening a tab: the code of the first training customer with a verified card.
    pub fn present_tab_code(&self) -> Result<String, TrainingError> {
        self.customers
            .iter()
            .find_map(|c| c.present_tab_code())
            .unwrap_or(Err(TrainingError::Refused(
                "no training provider keeps tabs".into(),
            )))
    }
}

impl EngineServices {
    fn training(&self) -> Result<&TrainingCustomers, TrainingError> {
        self.training.as_ref().ok_or(TrainingError::NotTraining)
    }
}

impl TrainingCustomer for EngineServices {
    async fn training_pay_qr(&self, token: String) -> Result<(), TrainingError> {
        self.training()?.pay(&token)
    }

    async fn training_fail_qr(&self, token: String) -> Result<(), TrainingError> {
        self.training()?.fail(&token)
    }

    async fn training_present_code(&self) -> Result<String, TrainingError> {
        self.training()?
            .customers
            .iter()
            .find_map(|c| c.present_code())
            .unwrap_or(Err(TrainingError::Refused(
                "no training provider takes customer codes".into(),
            )))
    }

    async fn training_present_tab_code(&self) -> Result<String, TrainingError> {
        self.training()?.present_tab_code()
    }
}

/// The Pokepay sandbox's customers: the rich one pays, the empty one is refused.
impl ProviderCustomer for SandboxState {
    fn pay(&self, token: &str) -> Result<(), TrainingError> {
        self.pay_cashtray(token, CUSTOMER_RICH)
            .map(|_| ())
            .map_err(pokepay_refusal)
    }

    fn fail(&self, token: &str) -> Result<(), TrainingError> {
        // The empty wallet holds nothing, so the scan is refused for lack of balance whatever the
        // amount; the engine then sees it on the tray like any real refusal. A training ledger
        // kept from before that customer existed falls back to the nearly empty one.
        let scan = match self.pay_cashtray(token, CUSTOMER_EMPTY) {
            Err(CustomerError::UnknownCustomer(_)) => self.pay_cashtray(token, CUSTOMER_POOR),
            other => other,
        };
        match scan {
            Ok(_) | Err(CustomerError::Refused(_)) => Ok(()),
            Err(e) => Err(pokepay_refusal(e)),
        }
    }

    fn present_code(&self) -> Option<Result<String, TrainingError>> {
        Some(
            self.issue_cpm_token(CUSTOMER_RICH, &[CpmScope::Payment, CpmScope::Topup])
                .map(|token| token.cpm_token)
                .map_err(pokepay_refusal),
        )
    }

    fn present_tab_code(&self) -> Option<Result<String, TrainingError>> {
        Some(
            self.issue_cpm_token(CUSTOMER_CARD, &[CpmScope::Payment])
                .map(|token| token.cpm_token)
                .map_err(pokepay_refusal),
        )
    }
}

fn pokepay_refusal(error: CustomerError) -> TrainingError {
    match error {
        CustomerError::NotACashtray(_) => TrainingError::UnknownQr,
        other => TrainingError::Refused(other.to_string()),
    }
}
