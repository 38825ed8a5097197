//! Effects the app asks the runtime to perform. `update` only returns them; it never does I/O.

use std::fmt;

use crate::app::Checkout;
use crate::app::msg::AttemptId;
use crate::journal::ReportKind;
use crate::secret::MaskedTail;

/// Which slip a print asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlipRequest {
    /// The receipt of a sale just paid; the money's name as the provider reported it.
    Receipt { money_name: Option<String> },
    /// A copy of the receipt from the history, marked 再発行.
    Reprint,
    /// The slip of a completed refund.
    Refund,
}

/// `Debug` (the runtime logs every command) masks the customer's code: written by hand for that.
#[derive(Clone, PartialEq, Eq)]
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
    /// The open day's sales, newest first, and sale `also` (opened from its receipt) when it is
    /// of an earlier day.
    LoadHistory {
        also: Option<i64>,
    },
    /// Find the sale a scanned receipt code stands for; answered by `Msg::ReceiptFound`.
    FindReceipt {
        code: String,
    },
    LoadReport(ReportKind),
    CheckStatus,
    /// Print a slip of a sale: its receipt just after payment, a copy, or its refund slip.
    Print {
        sale_id: i64,
        slip: SlipRequest,
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

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::StartQr { attempt, checkout } => f
                .debug_struct("StartQr")
                .field("attempt", attempt)
                .field("checkout", checkout)
                .finish(),
            Command::CancelQr { attempt } => f
                .debug_struct("CancelQr")
                .field("attempt", attempt)
                .finish(),
            Command::ChargeCode {
                attempt,
                code,
                checkout,
            } => f
                .debug_struct("ChargeCode")
                .field("attempt", attempt)
                .field("code", &MaskedTail(code))
                .field("checkout", checkout)
                .finish(),
            Command::Refund { attempt, sale_id } => f
                .debug_struct("Refund")
                .field("attempt", attempt)
                .field("sale_id", sale_id)
                .finish(),
            Command::LoadHistory { also } => {
                f.debug_struct("LoadHistory").field("also", also).finish()
            }
            Command::FindReceipt { code } => {
                f.debug_struct("FindReceipt").field("code", code).finish()
            }
            Command::LoadReport(kind) => f.debug_tuple("LoadReport").field(kind).finish(),
            Command::CheckStatus => f.write_str("CheckStatus"),
            Command::Print { sale_id, slip } => f
                .debug_struct("Print")
                .field("sale_id", sale_id)
                .field("slip", slip)
                .finish(),
            Command::TrainingPayQr { token } => f
                .debug_struct("TrainingPayQr")
                .field("token", token)
                .finish(),
            Command::TrainingFailQr { token } => f
                .debug_struct("TrainingFailQr")
                .field("token", token)
                .finish(),
            Command::TrainingPresentCode => f.write_str("TrainingPresentCode"),
            Command::Quit => f.write_str("Quit"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::app::test_support::*;
    use crate::app::{Command, Key, Msg, update};

    #[test]
    fn debug_of_a_charge_masks_the_customer_code() {
        let mut app = app();
        type_text(&mut app, "800");
        press(&mut app, &[Key::Enter, Key::Char('2')]);
        let commands = update(&mut app, Msg::Scan(CPM.into()));
        assert!(matches!(commands[..], [Command::ChargeCode { .. }]));
        let shown = format!("{commands:?} {commands:#?}");
        assert!(!shown.contains(CPM), "{shown}");
        assert!(
            shown.contains("ChargeCode") && shown.contains("9012"),
            "{shown}"
        );
    }
}
