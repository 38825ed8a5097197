//! The printing port: a slip of a sale on paper (or, in training, as text on screen).

use std::future::Future;

use regi_core::app::SlipRequest;

/// Why a slip is not on paper.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// Kept in the print queue; printed when the printer is back.
    #[error("{0}")]
    Queued(String),
    /// Could not be made or queued at all.
    #[error("{0}")]
    Failed(String),
}

pub trait Printing: Send + Sync + 'static {
    /// Prints a slip of a sale. In training nothing is printed and `Ok(Some(text))` is the text
    /// the printer would have received.
    fn print(
        &self,
        sale_id: i64,
        slip: SlipRequest,
    ) -> impl Future<Output = Result<Option<String>, PrintError>> + Send;

    /// Opens the cash drawer for cash just journaled (taken, given back, paid in or out).
    /// `Ok(false)` when nothing was sent (training, no printer); an error says why it did not
    /// open, for the clerk to open it by key. Never queued: a late pulse would open the drawer
    /// with no one at the till.
    fn open_drawer(&self) -> impl Future<Output = Result<bool, PrintError>> + Send;

    /// Prints the statement of a closed tab; `Some(text)` when it is to be shown instead
    /// (training).
    fn print_tab_statement(
        &self,
        tab_id: i64,
    ) -> impl Future<Output = Result<Option<String>, PrintError>> + Send;
}
