//! Where the bytes go: USB (rusb), TCP port 9100, a device file, or a plain file. Each transport says
//! whether it can ask the printer for its status.

mod device;
mod file;
mod target;
mod tcp;
mod usb;

use std::time::Duration;

pub use device::DeviceTransport;
pub use file::FileTransport;
pub use target::{Target, TargetError};
pub use tcp::TcpTransport;
pub use usb::UsbTransport;

use super::status::{PrinterStatus, StatusError, StatusQuery};

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("USB {what}: {source}")]
    Usb {
        what: String,
        #[source]
        source: rusb::Error,
    },
    #[error("no USB printer found{0}")]
    NoUsbPrinter(String),
    #[error("the printer did not answer the status request")]
    NoStatusAnswer,
    #[error(transparent)]
    Status(#[from] StatusError),
}

impl TransportError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        TransportError::Io {
            what: what.into(),
            source,
        }
    }

    pub(crate) fn usb(what: impl Into<String>, source: rusb::Error) -> Self {
        TransportError::Usb {
            what: what.into(),
            source,
        }
    }
}

/// A connection to a printer.
pub trait PrinterTransport: Send {
    /// Sends all of `bytes` or fails.
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError>;

    /// Asks the printer (`DLE EOT`); `None` when this transport cannot read answers.
    fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>>;

    /// For messages: `tcp:192.168.1.50:9100`, `usb:04b8:0e28`, ….
    fn describe(&self) -> String;
}

impl<T: PrinterTransport + ?Sized> PrinterTransport for Box<T> {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        (**self).write_all(bytes)
    }

    fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>> {
        (**self).status()
    }

    fn describe(&self) -> String {
        (**self).describe()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    /// Per write (or per USB chunk).
    pub write: Duration,
    /// Per status answer.
    pub status: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(3),
            write: Duration::from_secs(10),
            status: Duration::from_millis(1500),
        }
    }
}

/// Runs the three `DLE EOT` queries through `ask`, which sends a request and returns the one-byte
/// answer.
pub(crate) fn query_status(
    mut ask: impl FnMut(&[u8]) -> Result<u8, TransportError>,
) -> Result<PrinterStatus, TransportError> {
    let mut answers = [0u8; 3];
    for (answer, query) in answers.iter_mut().zip(StatusQuery::ALL) {
        *answer = ask(&query.request())?;
    }
    Ok(PrinterStatus::from_bytes(
        answers[0], answers[1], answers[2],
    )?)
}
