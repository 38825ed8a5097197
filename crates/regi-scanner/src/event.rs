//! What scanner sources deliver: scans and changes of their own status.

use std::fmt;

/// Which source a scan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanSource {
    Usb,
    Fifo,
    Serial,
}

impl ScanSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanSource::Usb => "usb",
            ScanSource::Fifo => "fifo",
            ScanSource::Serial => "serial",
        }
    }
}

impl fmt::Display for ScanSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One scanned code. `Debug` masks the code, which may be a customer's payment token.
#[derive(Clone, PartialEq, Eq)]
pub struct Scan {
    pub code: String,
    pub source: ScanSource,
}

impl Scan {
    pub fn new(code: String, source: ScanSource) -> Self {
        Scan { code, source }
    }
}

impl fmt::Debug for Scan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scan")
            .field("code", &regi_core::secret::mask_tail(&self.code, 4))
            .field("source", &self.source)
            .finish()
    }
}

/// The state of a source, for the TUI's status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    /// No matching device is attached; looking again periodically.
    NotFound { looking_for: String },
    /// Claimed and reading.
    Connected { device: String },
    /// The device went away or failed; it will be picked up again when it comes back.
    Disconnected { device: String, reason: String },
    /// Found again after a disconnect; claiming it.
    Reconnecting { device: String },
    /// The OS refused access; `fix` says what to do.
    PermissionDenied { device: String, fix: String },
    /// Something else went wrong; retrying.
    Failed { reason: String },
    /// The input ended (a file or stdin reached its end); no more scans from this source.
    Ended,
}

impl fmt::Display for SourceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceState::NotFound { looking_for } => {
                write!(f, "no scanner found ({looking_for}); waiting for one")
            }
            SourceState::Connected { device } => write!(f, "scanner connected: {device}"),
            SourceState::Disconnected { device, reason } => {
                write!(
                    f,
                    "scanner disconnected: {device} ({reason}); waiting for it"
                )
            }
            SourceState::Reconnecting { device } => write!(f, "scanner reconnecting: {device}"),
            SourceState::PermissionDenied { device, fix } => {
                write!(f, "no permission to use scanner {device}: {fix}")
            }
            SourceState::Failed { reason } => write!(f, "scanner error: {reason}; retrying"),
            SourceState::Ended => f.write_str("scanner input ended"),
        }
    }
}

/// A source's status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub source: ScanSource,
    pub state: SourceState,
}

/// Input a source threw away instead of delivering it as a scan. It says how much, never what:
/// the text may be part of a customer's payment token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discard {
    /// Characters with no line end when the input ended (the writer closed, the port went away).
    Unfinished { chars: usize },
    /// A line longer than any code, dropped up to its end.
    TooLong { limit: usize },
}

impl fmt::Display for Discard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Discard::Unfinished { chars } => write!(
                f,
                "discarded {chars} characters that had no line end when the input stopped (not a scan)"
            ),
            Discard::TooLong { limit } => {
                write!(
                    f,
                    "discarded a line longer than {limit} characters (not a scan)"
                )
            }
        }
    }
}

/// A source's discarded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discarded {
    pub source: ScanSource,
    pub discard: Discard,
}

/// What sources send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanEvent {
    Scan(Scan),
    Status(SourceStatus),
    Discarded(Discarded),
}

/// Where a source delivers its events. Implemented for std and tokio unbounded senders, so a source
/// thread can feed a blocking consumer (`regi scan-test`) or the TUI's async loop alike.
pub trait ScanSink: Send + 'static {
    /// Delivers an event; `false` once nobody is listening, which stops the source.
    fn deliver(&self, event: ScanEvent) -> bool;
}

impl ScanSink for std::sync::mpsc::Sender<ScanEvent> {
    fn deliver(&self, event: ScanEvent) -> bool {
        self.send(event).is_ok()
    }
}

impl ScanSink for tokio::sync::mpsc::UnboundedSender<ScanEvent> {
    fn deliver(&self, event: ScanEvent) -> bool {
        self.send(event).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_masks_the_code() {
        let scan = Scan::new("1234567890123456789012".into(), ScanSource::Usb);
        let shown = format!("{scan:?}");
        assert!(!shown.contains("1234567890"), "{shown}");
        assert!(shown.contains("9012"), "{shown}");
        assert_eq!(scan.code.len(), 22);
    }

    #[test]
    fn senders_report_a_closed_receiver() {
        let (tx, rx) = std::sync::mpsc::channel();
        assert!(tx.deliver(ScanEvent::Status(SourceStatus {
            source: ScanSource::Fifo,
            state: SourceState::Ended,
        })));
        drop(rx);
        assert!(!tx.deliver(ScanEvent::Status(SourceStatus {
            source: ScanSource::Fifo,
            state: SourceState::Ended,
        })));
    }
}
