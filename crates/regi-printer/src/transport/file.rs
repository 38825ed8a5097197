//! Bytes to a plain file: for tests, `print-test --to file:PATH` and printers shared by other means.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{PrinterTransport, TransportError};
use crate::status::PrinterStatus;

pub struct FileTransport {
    path: PathBuf,
    file: File,
}

impl FileTransport {
    /// Creates (or empties) the file; every job written after that is appended.
    pub fn create(path: &Path) -> Result<Self, TransportError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // A receipt names the sale and the customer: a new print file is its owner's only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(path)
            .map_err(|e| TransportError::io(format!("cannot create {}", path.display()), e))?;
        Ok(Self {
            path: path.to_owned(),
            file,
        })
    }
}

impl PrinterTransport for FileTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        self.file
            .write_all(bytes)
            .and_then(|()| self.file.flush())
            .map_err(|e| TransportError::io(format!("cannot write {}", self.path.display()), e))
    }

    fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>> {
        None
    }

    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_empties_the_file_and_jobs_append() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.bin");
        std::fs::write(&path, b"old").expect("seed");
        let mut file = FileTransport::create(&path).expect("create");
        file.write_all(b"a").expect("write");
        file.write_all(b"b").expect("write");
        assert!(file.status().is_none());
        assert_eq!(std::fs::read(&path).expect("read"), b"ab");
    }
}
