//! Barcode scanner input: customers' payment codes, product JAN codes and our own receipt codes.
//!
//! Sources (USB HID, serial, FIFO/stdin) run on their own threads and deliver [`ScanEvent`]s to a
//! [`ScanSink`]; the text sources (serial, FIFO/stdin) share one [`lines::LineAssembler`]. The
//! keyboard-wedge [`wedge::WedgeDetector`] is pure and driven by the TUI. [`classify`] tells
//! what a code is. `regi scan-test` ([`cli`]) is the diagnostic front end.

mod event;
pub mod fifo;
pub mod hid;
mod keymap_jis;
mod keymap_us;
pub mod lines;
pub mod pcap;
pub mod replay;
mod reporter;
pub mod serial;
pub mod settings;
mod source;
pub mod usb_hid;
pub mod wedge;

pub use event::{
    Discard, Discarded, Scan, ScanEvent, ScanSink, ScanSource, SourceState, SourceStatus,
};
pub use hid::KeyboardLayout;
pub use regi_core::scan::{self as classify, ReceiptCode, ScanKind, classify};
pub use settings::{ScannerSettings, SourceKind, VidPid, WedgeThresholds};
pub use source::{ScannerSource, StartError, StopSignal, start};
