//! The tabs port: read customers' tabs with their charges, close one (its card is billed), and
//! charge a checkout to an open one, reported as a payment's events.

use std::future::Future;

use regi_core::app::Checkout;
use regi_core::app::screens::TabView;
use regi_core::app::screens::tabs::TabClosed;
use regi_core::app::screens::tabs::opening::TabOpenedAs;
use regi_core::tab::TabCustomer;

use super::PaymentEvents;

/// Why the tabs could not be read or a tab not closed (nothing was sent to the provider).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TabsError {
    #[error("journal: {0}")]
    Journal(String),
    #[error("payment provider: {0}")]
    Provider(String),
}

pub trait Tabs: Send + Sync + 'static {
    /// Every tab, newest first, each with the sales charged to it.
    fn tabs(&self) -> impl Future<Output = Result<Vec<TabView>, TabsError>> + Send;

    /// Who a scanned app code belongs to, with the cards a tab can be opened on.
    fn tab_customer(
        &self,
        code: String,
    ) -> impl Future<Output = Result<TabCustomer, TabsError>> + Send;

    /// Opens a tab labelled `label` on the customer's card until the end of the `days`th day
    /// from today (shop time).
    fn open_tab(
        &self,
        customer: TabCustomer,
        card_id: String,
        label: String,
        days: u32,
    ) -> impl Future<Output = Result<TabOpenedAs, TabsError>> + Send;

    /// Closes a tab: its card is billed for everything charged to it.
    fn close_tab(&self, tab_id: i64) -> impl Future<Output = Result<TabClosed, TabsError>> + Send;

    /// Charges the checkout to an open tab, reporting it as a payment: `part` yen of it (`None`:
    /// all that remains).
    fn charge_tab(
        &self,
        checkout: Checkout,
        tab_id: i64,
        part: Option<regi_core::domain::Yen>,
        events: PaymentEvents,
    ) -> impl Future<Output = ()> + Send;
}
