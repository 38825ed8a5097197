//! Effects the app asks the runtime to perform. `update` only returns them; it never does I/O.

use crate::app::msg::AttemptId;
use crate::app::{Checkout, TenderOption};
use crate::domain::Yen;
use crate::records::ReportKind;
use crate::secret::Secret;

/// Which slip a print asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlipRequest {
    /// The receipt of a sale just paid; the money's name as the provider reported it.
    Receipt { money_name: Option<String> },
    /// A copy of the receipt from the history, marked 再発行.
    Reprint,
    /// The slip of a completed refund.
    Refund,
    /// A copy of the sale's refund slips from the history (every refund done), marked 再発行.
    RefundReprint,
}

/// What the manager PIN was asked for; journaled with every try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinPurpose {
    Refund,
    /// Taking a held payment (hold-then-capture).
    Capture,
    /// Closing a customer's tab (its card is billed).
    CloseTab,
    /// Opening a tab on a customer's card.
    OpenTab,
    /// Paid-in, paid-out or a count of the drawer.
    Drawer,
    /// Closing the business day with a Z report.
    CloseDay,
    /// Selling a line at another price than its own (売価変更).
    PriceOverride,
}

impl PinPurpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            PinPurpose::Refund => "refund",
            PinPurpose::Capture => "capture",
            PinPurpose::CloseTab => "close_tab",
            PinPurpose::OpenTab => "open_tab",
            PinPurpose::Drawer => "drawer",
            PinPurpose::CloseDay => "close_day",
            PinPurpose::PriceOverride => "price_override",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Create a merchant QR for the checkout and keep reporting its state as `Msg::Payment`:
    /// through the way to pay the clerk chose (its provider and wallet), or, with `None`, the
    /// first provider's.
    StartQr {
        attempt: AttemptId,
        checkout: Checkout,
        tender: Option<TenderOption>,
        /// The yen of the sale this tender pays (`None`: all that remains).
        part: Option<Yen>,
    },
    /// Cancel the merchant QR, then re-read it: the customer may have paid a moment before.
    CancelQr {
        attempt: AttemptId,
    },
    /// Charge a customer-presented code. The engine journals the attempt with a fresh request id
    /// before sending and reuses that id for every retry of this attempt. `Debug` (the runtime
    /// logs every command) masks the code.
    ChargeCode {
        attempt: AttemptId,
        code: crate::secret::MaskedCode,
        checkout: Checkout,
        /// The provider whose code shape the code has; `None`: the first provider.
        provider: Option<String>,
        /// The yen of the sale this tender pays (`None`: all that remains).
        part: Option<Yen>,
    },
    /// Read the tabs with their charges; answered with `Msg::TabsLoaded`.
    LoadTabs,
    /// Read who a scanned code belongs to and their verified cards; answered with
    /// `Msg::TabCustomerFound`. `Debug` masks the code.
    FindTabCustomer {
        attempt: AttemptId,
        code: crate::secret::MaskedCode,
    },
    /// Open a tab on the customer's card until the end of the `days`th day from today (shop
    /// time); answered with `Msg::TabOpened`.
    OpenTab {
        attempt: AttemptId,
        customer: crate::tab::TabCustomer,
        card_id: String,
        label: String,
        days: u32,
    },
    /// Print the statement of a closed tab; answered with `Msg::TabPrinted`.
    PrintTabStatement {
        tab_id: i64,
    },
    /// Close the tab (bill its card); answered with `Msg::TabClosed`.
    CloseTab {
        attempt: AttemptId,
        tab_id: i64,
    },
    /// Charge the checkout to an open tab; reported as `Msg::Payment` like any payment.
    ChargeTab {
        attempt: AttemptId,
        checkout: Checkout,
        tab_id: i64,
        /// The yen of the sale this tender pays (`None`: all that remains).
        part: Option<Yen>,
    },
    /// Journal `received` yen of cash handed over for the checkout's sale (paid at once, the
    /// change computed); answered with `Msg::CashTaken`. The drawer opens only after that.
    TakeCash {
        attempt: AttemptId,
        checkout: Checkout,
        received: Yen,
    },
    /// Open the cash drawer for cash already journaled; answered with `Msg::DrawerOpened`.
    OpenDrawer,
    /// Pay `sale_id` (a sale left partly paid, resumed) by the checkout's further tenders.
    /// Carried out before the commands after it.
    AdoptSale {
        checkout: crate::app::CheckoutId,
        sale_id: i64,
    },
    /// Refund `amount` yen of the sale (`None`: all that is left); answered with `Msg::Refund`.
    Refund {
        attempt: AttemptId,
        sale_id: i64,
        amount: Option<Yen>,
    },
    /// Take the payment held for `sale_id`: `amount` yen, or all that is held; answered with
    /// `Msg::Capture`.
    Capture {
        attempt: AttemptId,
        sale_id: i64,
        amount: Option<Yen>,
    },
    /// Check the manager PIN the clerk typed (slow on purpose, so off the event loop), journal
    /// the try, and answer with `Msg::PinChecked`.
    VerifyPin {
        attempt: AttemptId,
        entered: Secret<String>,
        purpose: PinPurpose,
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
    /// Print the slip of a report just made (a Z as the day closes); answered by
    /// `Msg::ReportPrinted`.
    PrintReport(Box<crate::records::Report>),
    CheckStatus,
    /// Print a slip of a sale: its receipt just after payment, a copy, or its refund slip.
    Print {
        sale_id: i64,
        slip: SlipRequest,
    },
    /// Training only: the simulated customer pays / fails to pay the QR on screen.
    TrainingPayQr {
        token: String,
    },
    TrainingFailQr {
        token: String,
    },
    /// Training only: the simulated customer shows a CUSTOMER_CODE code; it comes back as `Msg::Scan`.
    TrainingPresentCode,
    /// Training: show the code of a customer with a verified card (to open a tab), as if scanned.
    TrainingPresentTabCode,
    Quit,
    /// Read the open day's cash; answered with `Msg::DrawerLoaded`.
    LoadDrawer,
    /// Check a staff code and PIN against `[[staff]]` (slow on purpose, off the loop), journal
    /// the try and, when right, the sign-in; answered with `Msg::SignedIn`. `Debug` masks the PIN.
    SignIn {
        attempt: AttemptId,
        code: String,
        pin: Secret<String>,
    },
    /// Sign in the holder of a scanned staff card; answered with `Msg::SignedIn`. `Debug` masks
    /// the card.
    SignInByCard {
        attempt: AttemptId,
        card: crate::secret::MaskedCode,
    },
    /// The member on duty signs out (journaled).
    SignOut,
    /// Journal the cart as a sale voided for `reason` before payment; answered with
    /// `Msg::CartVoided`.
    VoidCart {
        draft: crate::domain::SaleDraft,
        reason: String,
    },
    /// Keep the cart aside in the journal; answered with `Msg::CartParked`.
    ParkCart(crate::records::CartToPark),
    /// Read the parked carts; answered with `Msg::ParkedLoaded`.
    LoadParked,
    /// Take parked cart `id` back; answered with `Msg::CartRecalled`.
    RecallCart {
        id: i64,
    },
    /// Journal a movement of the drawer's cash, then open the drawer (or print a count's slip);
    /// answered with `Msg::DrawerMoved`.
    MoveDrawer {
        attempt: AttemptId,
        request: crate::app::screens::drawer::DrawerRequest,
    },
    /// Return `lines` of the sale: each rate's part refunded tender by tender (cash from the
    /// drawer for a part of a payment refunded only whole); answered with `Msg::Refund`.
    ReturnLines {
        attempt: AttemptId,
        sale_id: i64,
        lines: Vec<crate::domain::ReturnedLine>,
    },
    /// Read the sales of any day `query` finds, newest first; answered with
    /// `Msg::HistoryLoaded`.
    FindSales {
        query: crate::records::SaleQuery,
    },
    /// Append `product` (an unknown JAN priced on the till) to the catalog file and read it
    /// back; answered with `Msg::CatalogSaved`.
    SaveProduct {
        product: crate::domain::Product,
    },
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
        let commands = update(&mut app, Msg::Scan(CUSTOMER_CODE.into()));
        assert!(matches!(commands[..], [Command::ChargeCode { .. }]));
        let shown = format!("{commands:?} {commands:#?}");
        assert!(!shown.contains(CUSTOMER_CODE), "{shown}");
        assert!(
            shown.contains("ChargeCode") && shown.contains("9012"),
            "{shown}"
        );
    }
}
