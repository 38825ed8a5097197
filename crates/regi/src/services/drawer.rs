//! The drawer port over the journal: the open day's cash, movements journaled on the journal's
//! thread, and a count's slip printed (shown instead in training).

use regi_core::app::screens::drawer::{DrawerProblem, DrawerRequest};
use regi_core::records::{CashSummary, DrawerMovement};
use regi_journal::JournalError;
use regi_tui::runtime::ports::{Drawer, PrintError};

use super::EngineServices;

impl Drawer for EngineServices {
    async fn cash(&self) -> Result<Option<CashSummary>, String> {
        self.engine
            .journal()
            .call(|j| Ok(j.drawer_status()?.map(|status| status.cash)))
            .await
            .map_err(|e: JournalError| e.to_string())
    }

    async fn move_cash(
        &self,
        request: DrawerRequest,
    ) -> Result<(DrawerMovement, CashSummary), DrawerProblem> {
        self.engine
            .journal()
            .call(move |j| {
                let movement = match request {
                    DrawerRequest::Float(amount) => j.set_float(amount)?,
                    DrawerRequest::PaidIn { amount, reason } => j.paid_in(amount, &reason)?,
                    DrawerRequest::PaidOut { amount, reason } => j.paid_out(amount, &reason)?,
                    DrawerRequest::Count(count) => j.record_count(&count)?,
                };
                let cash = j.drawer_status_of(movement.business_day_id)?.cash;
                Ok((movement, cash))
            })
            .await
            .map_err(|e| match e {
                JournalError::Drawer(refusal) => DrawerProblem::Refused(refusal),
                other => DrawerProblem::Failed(other.to_string()),
            })
    }

    async fn print_count(&self, count: DrawerMovement) -> Result<Option<String>, PrintError> {
        let Some(config) = &self.printing else {
            return Ok(None);
        };
        let training = self.engine.settings().training;
        let report =
            regi_receipts::print_drawer_count(self.engine.journal(), config, &count, training)
                .await;
        self.answer(report)
    }
}
