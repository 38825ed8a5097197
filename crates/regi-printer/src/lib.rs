//! Receipt printing on ESC/POS printers: a receipt as data (`receipt`) is laid out as print operations
//! (`layout`), rendered to bytes for a printer profile (`render`, `escpos`), and sent through a
//! transport (`transport`) by the spooler (`spool`), which asks the printer's status first and keeps
//! jobs queued until it can print. `decode` reads the bytes back as text for previews and tests.

pub mod charset;
pub mod decode;
pub mod escpos;
pub mod labels;
pub mod layout;
pub mod profile;
pub mod raster;
pub mod receipt;
pub mod render;
mod romaji;
pub mod sample;
pub mod settings;
pub mod spool;
pub mod status;
pub mod transport;

pub use decode::{DecodeError, Decoded, decode};
pub use profile::Profile;
pub use receipt::ReceiptDoc;
pub use settings::PrinterSettings;
pub use status::{PrinterProblem, PrinterStatus};
pub use transport::{PrinterTransport, Target};

/// The paper a receipt's bytes would produce, as text (for `regi receipt show` and the training-mode
/// preview). Fails if the bytes hold anything the decoder does not understand.
pub fn preview_text(bytes: &[u8]) -> Result<String, DecodeError> {
    let decoded = decode(bytes)?;
    Ok(decoded.to_text(decoded.widest_line().max(32)))
}

/// A receipt as the bytes to send to a printer with `profile`.
pub fn receipt_bytes(
    doc: &ReceiptDoc,
    profile: &Profile,
    settings: &PrinterSettings,
) -> Result<Vec<u8>, render::RenderError> {
    let mut options = settings.layout_options(profile);
    // `drawer_kick` opens the drawer with every receipt; where cash changed hands the cash flow
    // has opened it already, and a second pulse would open it again once the clerk had shut it.
    options.drawer_kick &= !doc.has_cash();
    render::render(&layout::layout(doc, options), profile)
}
