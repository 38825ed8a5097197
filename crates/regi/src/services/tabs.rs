//! The tabs port over the checkout engine: the journal's tabs with their charges, closing one
//! through its provider, and charging a checkout to one as an attempt the engine drives.

use regi_core::app::Checkout;
use regi_core::app::screens::TabView;
use regi_core::app::screens::tabs::TabClosed;
use regi_engine::{EngineError, TabOutcome};
use regi_tui::runtime::ports::{PaymentEvents, Tabs, TabsError};

use super::{EngineServices, not_finished};

impl Tabs for EngineServices {
    async fn tabs(&self) -> Result<Vec<TabView>, TabsError> {
        self.engine
            .journal()
            .call(|j| {
                j.tabs()?
                    .into_iter()
                    .map(|tab| {
                        let charges = j.tab_charges(tab.id)?;
                        Ok(TabView { tab, charges })
                    })
                    .collect()
            })
            .await
            .map_err(|e| TabsError::Journal(e.to_string()))
    }

    async fn close_tab(&self, tab_id: i64) -> Result<TabClosed, TabsError> {
        let outcome = self.engine.close_tab(tab_id).await.map_err(port_error)?;
        Ok(match outcome {
            TabOutcome::Done(tab) => TabClosed::Billed {
                label: tab.label,
                total: tab.total,
            },
            TabOutcome::Refused { refusal, .. } => TabClosed::Refused {
                message_ja: refusal.message_ja,
                message_en: refusal.message_en,
            },
            TabOutcome::Unknown(_) => TabClosed::Unknown,
        })
    }

    async fn charge_tab(&self, checkout: Checkout, tab_id: i64, events: PaymentEvents) {
        let sale_id = match self.sale_for(&checkout).await {
            Ok(id) => id,
            Err(e) => {
                events.send(not_finished(&e));
                return;
            }
        };
        self.run_attempt(&events, async |tx| {
            self.engine.charge_tab(sale_id, tab_id, tx).await
        })
        .await;
    }
}

fn port_error(error: EngineError) -> TabsError {
    match error {
        EngineError::Gateway(gateway) => TabsError::Provider(gateway.to_string()),
        other => TabsError::Journal(other.to_string()),
    }
}
