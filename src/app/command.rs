//! Effects the app asks the runtime to perform. `update` only returns them; it never does I/O.

use crate::app::msg::AttemptId;
use crate::app::records::ReportKind;
use crate::gateway::{Direction, ProductLine};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Create a Cashtray for the amount and keep reporting its state as `Msg::Payment`.
    StartQr {
        attempt: AttemptId,
        amount: i64,
        direction: Direction,
        products: Vec<ProductLine>,
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
        amount: i64,
        direction: Direction,
        products: Vec<ProductLine>,
    },
    Refund {
        attempt: AttemptId,
        transaction_id: String,
        amount: i64,
    },
    LoadHistory,
    LoadReport(ReportKind),
    CheckStatus,
    PrintReceipt {
        transaction_id: String,
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
