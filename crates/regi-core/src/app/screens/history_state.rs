//! The state of the history screen (today's sales, one sale's detail, what a right PIN goes on
//! to) and what can be done with a sale, apart from the keys that change it, so the screen's
//! parts (amounts, captures) read it without depending on each other.

use crate::app::screens::return_pick::ReturnPick;
use crate::app::{AttemptId, Command, PinPurpose};
use crate::domain::{ReturnedLine, Yen};
use crate::records::{FindBy, SaleDetail, SaleQuery, SaleState};

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryScreen {
    /// `None` while the journal is being read.
    pub sales: Option<Vec<SaleDetail>>,
    pub selected: usize,
    pub mode: HistoryMode,
    /// The sale opened from its receipt code: listed (also when of an earlier day) on every
    /// reload while the screen stays open.
    pub opened: Option<i64>,
    /// Show the opened sale's detail once the list has arrived.
    pub show_opened: bool,
    /// What a right PIN goes on to: a refund, or a capture, of `amount`.
    pub guarded: PinPurpose,
    /// The yen to capture or refund as typed (`None`: all that is held or left).
    pub amount: Option<Yen>,
    /// The lines a right PIN returns (instead of a refund by amount), as picked.
    pub returning: Option<Vec<ReturnedLine>>,
    /// The sales listed are those of any day this finds, instead of the open day's.
    pub filter: Option<SaleQuery>,
    /// Open the one sale found, once the list arrives.
    pub open_found: bool,
}

#[derive(Clone, PartialEq, Eq)]
pub enum HistoryMode {
    List,
    Detail,
    /// Typing the manager PIN; only its length is ever drawn. After repeated wrong PINs the
    /// prompt refuses tries for a while (`App::pin_lockout`).
    Pin(String),
    /// The runtime is checking the typed PIN; keys wait for its answer.
    CheckingPin(AttemptId),
    Refunding(AttemptId),
    /// Typing the yen to capture of a held payment, or to refund of a paid one where its
    /// provider refunds in part (empty: all of it); `guarded` says which.
    Amount(String),
    Capturing(AttemptId),
    /// Picking the lines and quantities the customer brings back.
    Return(ReturnPick),
    /// Typing what to find a sale of any day by.
    Find {
        by: FindBy,
        typed: String,
    },
}

/// The PIN being typed is a secret: Debug (and so every log line of the app state) shows only
/// how many digits it has.
impl std::fmt::Debug for HistoryMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryMode::List => f.write_str("List"),
            HistoryMode::Detail => f.write_str("Detail"),
            HistoryMode::Pin(typed) => write!(f, "Pin(<{} digits>)", typed.chars().count()),
            HistoryMode::CheckingPin(attempt) => {
                f.debug_tuple("CheckingPin").field(attempt).finish()
            }
            HistoryMode::Refunding(attempt) => f.debug_tuple("Refunding").field(attempt).finish(),
            HistoryMode::Amount(typed) => f.debug_tuple("Amount").field(typed).finish(),
            HistoryMode::Capturing(attempt) => f.debug_tuple("Capturing").field(attempt).finish(),
            HistoryMode::Return(pick) => f.debug_tuple("Return").field(pick).finish(),
            HistoryMode::Find { by, typed } => f
                .debug_struct("Find")
                .field("by", by)
                .field("typed", typed)
                .finish(),
        }
    }
}

impl HistoryScreen {
    pub fn loading() -> Self {
        Self {
            sales: None,
            selected: 0,
            mode: HistoryMode::List,
            opened: None,
            show_opened: false,
            guarded: PinPurpose::Refund,
            amount: None,
            returning: None,
            filter: None,
            open_found: false,
        }
    }

    pub fn selected_sale(&self) -> Option<&SaleDetail> {
        self.sales.as_ref()?.get(self.selected)
    }

    /// Reads the list again (keeping the sale opened from a receipt in it).
    pub fn reload(&mut self) -> Command {
        self.sales = None;
        self.load()
    }

    pub(crate) fn load(&self) -> Command {
        match &self.filter {
            Some(query) => Command::FindSales {
                query: query.clone(),
            },
            None => Command::LoadHistory { also: self.opened },
        }
    }

    /// The command that reads the list again, leaving the one on screen until it arrives.
    pub fn load_command(&self) -> Command {
        self.load()
    }
}

/// Paid sales with a transaction can be refunded (what is left of them) and reprinted.
pub fn is_paid(sale: &SaleDetail) -> bool {
    sale.sale.state == SaleState::Paid && sale.sale.transaction_id.is_some()
}

/// A sale paid, or refunded since (its receipt then marks the refunds), can be reprinted.
pub fn is_reprintable(sale: &SaleDetail) -> bool {
    matches!(sale.sale.state, SaleState::Paid | SaleState::Refunded)
        && sale.sale.transaction_id.is_some()
}

/// Whether some refund of the sale went through: its slips can be printed again.
pub fn has_refund_slips(sale: &SaleDetail) -> bool {
    sale.refunds
        .iter()
        .any(|r| r.state == crate::records::RefundState::Done)
}

/// The yen the provider holds for the sale, when it holds its payment for a capture.
pub fn held_amount(sale: &SaleDetail) -> Option<Yen> {
    if sale.sale.state != SaleState::Held {
        return None;
    }
    sale.attempts
        .iter()
        .find_map(|a| a.state.held_amount())
        .map(Yen)
}
