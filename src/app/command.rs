//! Effects the app asks the runtime to perform. `update` only returns them; it never does I/O.

use crate::app::Checkout;
use crate::app::msg::AttemptId;
use crate::journal::ReportKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Create a Cashtray for the checkout and keep reporting its state as `Msg::Payment`.
    StartQr {
        attempt: AttemptId,
        checkout: Checkout,
    },
    /// Cancel the Cashtray, then re-read it: the customer may have paid a moment before.
    CancelQr {
        attempt: AttemptId,
    },
    /// Charge a customer-presented code. The engine journals the attempt with a fresh request id
    /// before sending and reuses that id for every retry of this attempt.
    ChargeCode {
        attempt: AttemptId,
        code: String,
        checkout: Checkout,
    },
    Refund {
        attempt: AttemptId,
        sale_id: i64,
    },
    LoadHistory,
    LoadReport(ReportKind),
    CheckStatus,
    PrintReceipt {
        sale_id: i64,
    },
    /// Training only: the simulated customer pays / fails to pay the Cashtray on screen.
    TrainingPayQr {
        token: String,
    },
    TrainingFailQr {
        token: String,
    },
    /// Training only: the simulated customer shows a CPM code; it comes back as `Msg::Scan`.
    TrainingPresentCode,
    Quit,
}
