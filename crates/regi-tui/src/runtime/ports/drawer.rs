//! The drawer port: the open day's cash, a movement of it journaled (float, paid-in, paid-out,
//! count), and a count's slip printed. Opening the drawer afterwards is the printing port's.

use std::future::Future;

use regi_core::app::screens::drawer::{DrawerProblem, DrawerRequest};
use regi_core::records::{CashSummary, DrawerMovement};

use super::PrintError;

pub trait Drawer: Send + Sync + 'static {
    /// The open business day's cash; `None` when no day is open.
    fn cash(&self) -> impl Future<Output = Result<Option<CashSummary>, String>> + Send;

    /// Journals the movement; answers with it and the day's cash after it.
    fn move_cash(
        &self,
        request: DrawerRequest,
    ) -> impl Future<Output = Result<(DrawerMovement, CashSummary), DrawerProblem>> + Send;

    /// Prints the slip of a journaled count; `Some(text)` when it is to be shown instead
    /// (training).
    fn print_count(
        &self,
        count: DrawerMovement,
    ) -> impl Future<Output = Result<Option<String>, PrintError>> + Send;
}
