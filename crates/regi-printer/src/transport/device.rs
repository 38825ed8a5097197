//! A printer device file such as `/dev/usb/lp0` (the kernel's usblp driver). Writes always work;
//! status is read only if the device answers within the status timeout.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{PrinterTransport, Timeouts, TransportError, query_status};
use crate::status::PrinterStatus;

pub struct DeviceTransport {
    path: PathBuf,
    timeouts: Timeouts,
    file: Option<File>,
    readable: bool,
}

impl DeviceTransport {
    pub fn new(path: &Path, timeouts: Timeouts) -> Self {
        Self {
            path: path.to_owned(),
            timeouts,
            file: None,
            readable: false,
        }
    }

    /// The open device, opened read-write if it allows (to read status answers), else write-only.
    fn file(&mut self) -> Result<&mut File, TransportError> {
        let file = match self.file.take() {
            Some(file) => file,
            None => {
                let read_write = OpenOptions::new().read(true).write(true).open(&self.path);
                self.readable = read_write.is_ok();
                match read_write {
                    Ok(file) => file,
                    Err(_) => OpenOptions::new()
                        .write(true)
                        .open(&self.path)
                        .map_err(|e| {
                            TransportError::io(format!("cannot open {}", self.path.display()), e)
                        })?,
                }
            }
        };
        Ok(self.file.insert(file))
    }
}

/// Waits up to `timeout` for `file` to have something to read.
fn readable_within(file: &File, timeout: Duration) -> bool {
    let mut poll = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd for a descriptor that `file` keeps open for the whole call.
    let ready = unsafe { libc::poll(&mut poll, 1, millis) };
    ready == 1 && poll.revents & libc::POLLIN != 0
}

impl PrinterTransport for DeviceTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let what = format!("cannot write to {}", self.path.display());
        let file = self.file()?;
        let result = file.write_all(bytes).and_then(|()| file.flush());
        if result.is_err() {
            self.file = None;
        }
        result.map_err(|e| TransportError::io(what, e))
    }

    fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>> {
        let timeout = self.timeouts.status;
        if let Err(e) = self.file() {
            return Some(Err(e));
        }
        let readable = self.readable;
        let file = self.file.as_mut()?;
        // A write-only device or a regular file never answers.
        let is_regular = file.metadata().is_ok_and(|m| m.is_file());
        if !readable || is_regular {
            return None;
        }
        let mut answered = true;
        let status = query_status(|request| {
            file.write_all(request)
                .map_err(|e| TransportError::io("status request", e))?;
            let mut answer = [0u8; 1];
            if readable_within(file, timeout) && matches!(file.read(&mut answer), Ok(1)) {
                Ok(answer[0])
            } else {
                answered = false;
                Err(TransportError::NoStatusAnswer)
            }
        });
        // The usblp driver without a bulk IN endpoint stays silent: status unknown, not an error.
        answered.then_some(status)
    }

    fn describe(&self) -> String {
        format!("device:{}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_go_to_the_file_and_a_plain_file_has_no_status() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lp0");
        std::fs::write(&path, b"").expect("create");
        let mut device = DeviceTransport::new(&path, Timeouts::default());
        device.write_all(b"\x1b@one").expect("write");
        device.write_all(b"two").expect("write");
        assert!(device.status().is_none());
        assert_eq!(std::fs::read(&path).expect("read"), b"\x1b@onetwo");
        assert_eq!(device.describe(), format!("device:{}", path.display()));
    }

    #[test]
    fn missing_device_is_an_error() {
        let mut device = DeviceTransport::new(Path::new("/nonexistent/lp9"), Timeouts::default());
        assert!(matches!(
            device.write_all(b"x"),
            Err(TransportError::Io { .. })
        ));
        assert!(matches!(device.status(), Some(Err(_))));
    }
}
