//! The diagnostics port: the checks the status screen shows — the payment provider's own, the
//! printer's (blocking, so on its own thread), the scanner source's and, in store mode, how far
//! this till has shipped to the store.

use regi_core::app::records::StatusReport;
use regi_tui::runtime::ports::Diagnostics;
use regi_tui::ui::strings::LangStrings as _;

use super::EngineServices;
use crate::commands::checks;

impl Diagnostics for EngineServices {
    async fn status(&self) -> StatusReport {
        let s = self.lang.strings();
        let mut checks = regi_pokepay::doctor::api_checks(&self.api, self.lang).await;
        if let Some(config) = &self.printing {
            let settings = config.printer.clone();
            match tokio::task::spawn_blocking(move || checks::printer_check(&settings, s)).await {
                Ok(check) => checks.push(check),
                Err(e) => tracing::warn!("printer check did not finish: {e}"),
            }
        }
        if let Some((kind, state)) = &self.scanner {
            checks.push(state.check(*kind, s));
        }
        if let Some(store) = &self.store {
            checks.push(crate::commands::store::shipping_check(&store.borrow(), s));
        }
        StatusReport { checks }
    }
}
