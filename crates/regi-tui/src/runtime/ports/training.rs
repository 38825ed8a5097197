//! The training customer port: in training mode, F9/F10/F11 make a simulated customer pay or
//! fail the QR on screen, or show a fresh customer code, through the emulator of the provider that
//! made it. Outside training the app never asks.

use std::future::Future;

/// Why the simulated customer could not act.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainingError {
    #[error("the simulated customer exists only in training")]
    NotTraining,
    /// No emulator knows the QR on screen (it expired, or belongs to no training provider).
    #[error("no training provider knows this QR")]
    UnknownQr,
    /// The emulator refused (a poor customer, a used QR...): shown as is.
    #[error("{0}")]
    Refused(String),
}

pub trait TrainingCustomer: Send + Sync + 'static {
    fn training_pay_qr(
        &self,
        token: String,
    ) -> impl Future<Output = Result<(), TrainingError>> + Send;
    fn training_fail_qr(
        &self,
        token: String,
    ) -> impl Future<Output = Result<(), TrainingError>> + Send;
    /// A fresh customer code, delivered to the app as if scanned.
    fn training_present_code(&self) -> impl Future<Output = Result<String, TrainingError>> + Send;
    /// The code of a customer with a verified card, for opening a tab; delivered as if scanned.
    fn training_present_tab_code(
        &self,
    ) -> impl Future<Output = Result<String, TrainingError>> + Send;
}
