//! What the status screen shows, as plain data the runtime fills in. History and reports use the
//! journal's own records (`journal::SaleDetail`, `journal::Report`).

/// A diagnostic check's outcome, with a fix-it hint when it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
    pub hint: Option<String>,
}

impl Check {
    pub fn new(name: &str, ok: bool, detail: impl Into<String>, hint: Option<&str>) -> Self {
        Self {
            name: name.to_string(),
            ok,
            detail: detail.into(),
            hint: hint.map(str::to_string),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusReport {
    pub checks: Vec<Check>,
}

/// Facts known at start-up, shown on the status screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Startup {
    /// Attempts left unfinished by the last run: settled now, and still open.
    pub recovered: usize,
    pub unresolved: usize,
    /// `key = value` lines describing the configuration, secrets masked.
    pub config_summary: Vec<(String, String)>,
    /// Sales left partly paid: taken up one after another, to be paid on or given back.
    pub partly_paid: Vec<crate::records::SaleDetail>,
    /// Carts parked (保留) and not yet recalled.
    pub parked: usize,
    /// Why the till trains (asked for, or no credentials), for the TRAINING banner.
    pub training_reason: Option<String>,
    /// The catalog file the till sells from; the status screen counts the products of the
    /// catalog in use, which a store catalog taken while the till runs replaces.
    pub catalog_file: Option<CatalogFile>,
}

/// Where the till's catalog came from, as the status screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogFile {
    pub path: String,
    /// Rows of the file left out when it was read at start (a store catalog taken since is
    /// whole: one that does not read is refused).
    pub rows_left_out: usize,
    /// The store catalog's version taken while the till runs, if one was.
    pub store_version: Option<i64>,
}

/// Why a scanned receipt code opens no sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptLookupError {
    /// Printed by another till: its receipt numbers are in that till's journal (no store
    /// database to look it up in).
    OtherTerminal { terminal: String },
    /// Another till's receipt the store's database does not hold (not a till of this store, or
    /// not shipped yet).
    NotInStore { terminal: String, receipt_no: u64 },
    /// Another till's sale given back already, at till `at` (in full or in part).
    ReturnedAt { terminal: String, at: String },
    /// Another till's receipt, and the store's database did not answer.
    StoreUnreachable { terminal: String },
    /// No sale of this till's journal has that receipt number.
    Unknown { receipt_no: u64 },
    /// The journal could not be read.
    Failed(String),
}
