//! Why a receipt could not be made or printed.

use regi_journal::JournalError;
use regi_printer::DecodeError;
use regi_printer::render::RenderError;
use regi_printer::settings::SettingsError;
use regi_printer::spool::QueueError;
use regi_printer::transport::TargetError;

#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error("sale {sale_id} is {state}: only a paid (or refunded) sale has a receipt")]
    NotPaid { sale_id: i64, state: &'static str },
    #[error("sale {sale_id} has no completed refund, so there is no refund slip")]
    NoRefund { sale_id: i64 },
    #[error("{0:?} is neither a sale number nor a receipt code (RGI-<terminal>-<number>)")]
    BadReference(String),
    #[error(
        "receipt {code} was printed by terminal {code_terminal}, not this one ({own_terminal})"
    )]
    OtherTerminal {
        code: String,
        code_terminal: String,
        own_terminal: String,
    },
    #[error("no sale has receipt number {0} in this journal")]
    UnknownReceipt(u64),
    #[error("sale {sale_id} cannot be put on paper: {why}")]
    BadRecord { sale_id: i64, why: String },
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("printer settings: {0}")]
    Settings(#[from] SettingsError),
    #[error("printer target: {0}")]
    Target(#[from] TargetError),
    #[error("rendering the receipt: {0}")]
    Render(#[from] RenderError),
    #[error("reading the receipt bytes back: {0}")]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}
