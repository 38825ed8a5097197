//! The tabs port over the checkout engine: the journal's tabs with their charges, closing one
//! through its provider, and charging a checkout to one as an attempt the engine drives.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Tokyo;
use regi_core::app::Checkout;
use regi_core::app::screens::TabView;
use regi_core::app::screens::tabs::TabClosed;
use regi_core::app::screens::tabs::opening::TabOpenedAs;
use regi_core::tab::TabCustomer;
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

    async fn tab_customer(&self, code: String) -> Result<TabCustomer, TabsError> {
        self.engine
            .tab_customer(None, &code)
            .await
            .map_err(port_error)
    }

    async fn open_tab(
        &self,
        customer: TabCustomer,
        card_id: String,
        label: String,
        days: u32,
    ) -> Result<TabOpenedAs, TabsError> {
        let until = end_of_day_after(chrono::Utc::now(), days);
        let outcome = self
            .engine
            .open_tab(None, &label, &customer, &card_id, until)
            .await
            .map_err(port_error)?;
        Ok(match outcome {
            TabOutcome::Done(tab) => TabOpenedAs::Opened { label: tab.label },
            TabOutcome::Refused { refusal, .. } => TabOpenedAs::Refused {
                message_ja: refusal.message_ja,
                message_en: refusal.message_en,
            },
            TabOutcome::Unknown(_) => TabOpenedAs::Unknown,
        })
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

    async fn charge_tab(
        &self,
        checkout: Checkout,
        tab_id: i64,
        part: Option<regi_core::domain::Yen>,
        events: PaymentEvents,
    ) {
        let sale_id = match self.sale_for(&checkout).await {
            Ok(id) => id,
            Err(e) => {
                events.send(not_finished(&e));
                return;
            }
        };
        self.run_attempt(&events, async |tx| {
            self.engine.charge_tab_part(sale_id, tab_id, part, tx).await
        })
        .await;
    }
}

/// The end of the `days`th day from `now`'s day in shop time (1: tonight's midnight).
pub fn end_of_day_after(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let today = now.with_timezone(&Tokyo).date_naive();
    let last = today + chrono::Days::new(u64::from(days.max(1)));
    Tokyo
        .from_local_datetime(&last.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or(now + chrono::TimeDelta::days(i64::from(days)), |t| {
            t.with_timezone(&Utc)
        })
}

fn port_error(error: EngineError) -> TabsError {
    match error {
        EngineError::Gateway(gateway) => TabsError::Provider(gateway.to_string()),
        other => TabsError::Journal(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_day_tab_ends_at_midnight_in_japan_and_longer_ones_days_later() {
        let now = DateTime::parse_from_rfc3339("2026-12-06T20:30:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        let tonight = DateTime::parse_from_rfc3339("2026-12-07T00:00:00+09:00").unwrap();
        assert_eq!(end_of_day_after(now, 1), tonight);
        let in_three = DateTime::parse_from_rfc3339("2026-12-09T00:00:00+09:00").unwrap();
        assert_eq!(end_of_day_after(now, 3), in_three);
    }
}
