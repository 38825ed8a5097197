//! Short messages at the bottom of the screen that fade after a few seconds.

use chrono::{DateTime, TimeDelta, Utc};

use crate::app::records::ReceiptLookupError;
use crate::domain::Yen;
use crate::payment::Refusal;

/// How long a notice stays up.
pub const NOTICE_SECONDS: i64 = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeMessage {
    UnknownProduct(String),
    AmountTooLarge,
    /// Over the configured per-sale limit.
    OverLimit(Yen),
    BadQuantity,
    NotAProductCode,
    NotAReceiptCode,
    ReceiptNotFound(ReceiptLookupError),
    NothingToPay,
    NotAPaymentCode,
    Cancelled,
    StillChecking,
    WrongPin,
    Refunding,
    Refunded,
    /// No answer to the refund yet; the journal keeps it and it is settled later.
    RefundUnknown,
    RefundRefused(Refusal),
    Capturing,
    /// A held payment was taken: `amount`, with `released` given back.
    Captured {
        amount: Yen,
        released: Yen,
    },
    /// No answer to the capture yet; it is kept and asked again for the same amount.
    CaptureUnknown,
    /// The provider refused the capture and took nothing.
    CaptureRefused {
        refusal: Refusal,
        still_held: bool,
    },
    /// A capture must be ¥1 up to what is held.
    CaptureOutOfRange {
        held: Yen,
    },
    /// A refund must be ¥1 up to what is not yet refunded.
    RefundOutOfRange {
        left: Yen,
    },
    TabClosing,
    TabOpening,
    /// A tab was opened on the customer's card.
    TabOpened {
        label: String,
    },
    /// The customer has no verified card: a tab cannot be opened (cards are added in their app).
    NoVerifiedCard,
    /// A tab's end must be 1 to 30 days ahead.
    TabDaysOutOfRange,
    /// A tab was closed and its card billed for `total`.
    TabClosed {
        label: String,
        total: Yen,
    },
    /// The provider refused to bill a tab; nothing was billed.
    TabRefused {
        message_ja: String,
        message_en: String,
    },
    /// No answer to closing a tab yet: asked again (same key) on the next start.
    TabUnknown,
    Reprinted,
    PrinterUnavailable(String),
    TaskFailed(String),
    /// A tender paid `paid` of the sale; `remaining` is still to be paid another way.
    PartPaid {
        paid: Yen,
        remaining: Yen,
    },
    /// A part must be ¥1 up to less than what remains (all of it needs no amount typed).
    PartOutOfRange {
        remaining: Yen,
    },
    /// The cash could not be journaled, so it was not taken (why).
    CashNotTaken(String),
    /// The drawer did not open (why): the clerk opens it by key.
    DrawerNotOpened(String),
    /// The paid tenders were given back and the sale left.
    GivenBack,
    /// No department is configured on that key.
    NoSuchDepartment(u8),
    /// A subtotal discount must be 1–99 % or leave something to pay.
    BadDiscount,
    /// A key the sale screen has no use for was typed (a letter, say): dropped, and said.
    KeyNotUsed(char),
    /// Ctrl-C with something on the till: once more to quit (`qr`: the QR on screen is
    /// withdrawn first).
    QuitAsks {
        qr: bool,
    },
    /// Quitting once the payment in flight has ended.
    QuitWhenSettled,
    /// F7 with an empty cart: there is nothing to void.
    NothingToVoid,
    /// A void is journaled with its reason: pick one (1, 2) or type it.
    VoidNeedsReason,
    /// The cart was voided (journaled under this receipt number).
    CartVoided {
        receipt_no: i64,
    },
    /// The void could not be journaled (why): the cart is still there.
    VoidFailed(String),
    /// The cart was parked; `waiting` carts are parked now.
    CartParked {
        waiting: usize,
    },
    /// Parking or recalling could not be journaled (why): nothing was lost.
    ParkFailed(String),
    CartRecalled,
    /// F2 overrides a line's price: type the new price first, with a line in the cart.
    OverrideNeedsPrice,
    /// A line is now sold at this unit price.
    PriceOverridden(Yen),
    /// This member of staff is on duty now.
    SignedIn(String),
    /// No such staff code, or not its PIN.
    SignInRefused,
    /// A scanned card belongs to no member of staff.
    UnknownStaffCard,
    /// Signing out waits until the sale on the till is paid, voided or parked.
    FinishSaleFirst,
    /// Rows of the catalog file were left out at start: how many, and the first one's line and
    /// reason in each language.
    CatalogRowsLeftOut {
        count: usize,
        first_ja: String,
        first_en: String,
    },
    /// Enter on the return's lines with none picked.
    NothingToReturn,
    /// What was typed to find a sale is no receipt number, amount or time.
    BadFind,
    /// No sale of any day matches what was typed.
    NoSaleFound,
    /// An unknown JAN priced: Enter needs a department key (`/` and 1-9) for its tax rate.
    PriceNeedsDepartment,
    /// The product priced on the till was added to the catalog file.
    ProductSaved(String),
    /// It could not be: why.
    ProductNotSaved(String),
    /// The store's newer catalog is sold from now: its version and how many products it has.
    StoreCatalogTaken {
        version: i64,
        products: usize,
    },
    /// The store's newer catalog could not be used (why, in the clerk's language; empty: it
    /// had no product): the till sells on from the one it has.
    StoreCatalogRefused {
        version: i64,
        why: String,
    },
}

impl NoticeMessage {
    /// Errors are drawn louder than confirmations.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            NoticeMessage::UnknownProduct(_)
                | NoticeMessage::AmountTooLarge
                | NoticeMessage::OverLimit(_)
                | NoticeMessage::BadQuantity
                | NoticeMessage::NoSuchDepartment(_)
                | NoticeMessage::BadDiscount
                | NoticeMessage::KeyNotUsed(_)
                | NoticeMessage::NotAProductCode
                | NoticeMessage::NotAReceiptCode
                | NoticeMessage::ReceiptNotFound(_)
                | NoticeMessage::NothingToPay
                | NoticeMessage::NotAPaymentCode
                | NoticeMessage::WrongPin
                | NoticeMessage::RefundRefused(_)
                | NoticeMessage::CaptureRefused { .. }
                | NoticeMessage::CaptureOutOfRange { .. }
                | NoticeMessage::RefundOutOfRange { .. }
                | NoticeMessage::TabRefused { .. }
                | NoticeMessage::NoVerifiedCard
                | NoticeMessage::TabDaysOutOfRange
                | NoticeMessage::PrinterUnavailable(_)
                | NoticeMessage::TaskFailed(_)
                | NoticeMessage::PartOutOfRange { .. }
                | NoticeMessage::CashNotTaken(_)
                | NoticeMessage::DrawerNotOpened(_)
                | NoticeMessage::NothingToVoid
                | NoticeMessage::VoidNeedsReason
                | NoticeMessage::VoidFailed(_)
                | NoticeMessage::ParkFailed(_)
                | NoticeMessage::OverrideNeedsPrice
                | NoticeMessage::SignInRefused
                | NoticeMessage::UnknownStaffCard
                | NoticeMessage::FinishSaleFirst
                | NoticeMessage::CatalogRowsLeftOut { .. }
                | NoticeMessage::NothingToReturn
                | NoticeMessage::BadFind
                | NoticeMessage::NoSaleFound
                | NoticeMessage::PriceNeedsDepartment
                | NoticeMessage::ProductNotSaved(_)
                | NoticeMessage::StoreCatalogRefused { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub message: NoticeMessage,
    pub until: DateTime<Utc>,
}

impl Notice {
    pub fn new(message: NoticeMessage, now: DateTime<Utc>) -> Self {
        Self {
            message,
            until: now + TimeDelta::seconds(NOTICE_SECONDS),
        }
    }

    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.until
    }
}
