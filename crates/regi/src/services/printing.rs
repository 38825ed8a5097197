//! The printing port over the receipts crate: slips printed as the configuration says, queued when
//! the printer cannot take them, shown as text in training.

use regi_config::Lang;
use regi_core::app::SlipRequest;
use regi_journal::{RefundState, SaleState};
use regi_receipts::{DrawerOutcome, PrintOutcome, Slip};
use regi_tui::runtime::ports::{PrintError, Printing};

use super::EngineServices;

impl Printing for EngineServices {
    async fn print(&self, sale_id: i64, slip: SlipRequest) -> Result<Option<String>, PrintError> {
        let Some(config) = &self.printing else {
            return Ok(None);
        };
        let journal = self.engine.journal();
        let report = match slip {
            SlipRequest::Receipt { money_name } => {
                regi_receipts::print_sale(journal, config, sale_id, money_name.as_deref()).await
            }
            SlipRequest::Reprint => {
                regi_receipts::print_slip(journal, config, sale_id, Slip::Sale, true).await
            }
            SlipRequest::Refund => {
                // A sale given back whole across several tenders gets one slip listing each
                // tender's refund; otherwise the slip of the refund just made.
                let slip = match journal.call(move |j| j.sale(sale_id)).await {
                    Ok(detail)
                        if detail.sale.state == SaleState::Refunded
                            && detail
                                .refunds
                                .iter()
                                .filter(|r| r.state == RefundState::Done)
                                .count()
                                > 1 =>
                    {
                        Slip::AllRefunds
                    }
                    _ => Slip::Refund,
                };
                regi_receipts::print_slip(journal, config, sale_id, slip, false).await
            }
            SlipRequest::RefundReprint => {
                regi_receipts::print_slip(journal, config, sale_id, Slip::AllRefunds, true).await
            }
        };
        self.answer(report)
    }

    async fn open_drawer(&self) -> Result<bool, PrintError> {
        let Some(config) = &self.printing else {
            return Ok(false);
        };
        match regi_receipts::open_drawer(config, self.engine.settings().training).await {
            DrawerOutcome::Opened => Ok(true),
            DrawerOutcome::NotSent => Ok(false),
            DrawerOutcome::Failed(detail) => Err(PrintError::Failed(match self.lang {
                Lang::Ja => format!("ドロアが開きません（{detail}）。キーで開けてください。"),
                Lang::En => {
                    format!("The cash drawer did not open ({detail}); open it with its key.")
                }
            })),
        }
    }

    async fn print_tab_statement(&self, tab_id: i64) -> Result<Option<String>, PrintError> {
        let Some(config) = &self.printing else {
            return Ok(None);
        };
        let training = self.engine.settings().training;
        let report =
            regi_receipts::print_tab_statement(self.engine.journal(), config, tab_id, training)
                .await;
        self.answer(report)
    }
}

impl EngineServices {
    /// What the clerk is told of a print: nothing, a text to show, or why it did not print.
    pub(super) fn answer(
        &self,
        report: regi_receipts::PrintReport,
    ) -> Result<Option<String>, PrintError> {
        match report.outcome {
            PrintOutcome::Printed => Ok(None),
            PrintOutcome::Preview(text) => Ok(Some(text)),
            PrintOutcome::Queued { .. } => Err(PrintError::Queued(report.message(self.lang))),
            PrintOutcome::Failed(_) => Err(PrintError::Failed(report.message(self.lang))),
        }
    }
}
