//! Codes one per line from a FIFO, a file or stdin: for automation and kiosk test rigs.
//!
//! Any number of writers can come and go on a FIFO (`echo 4901234567894 > /run/regi/scans`). It is
//! opened without blocking and reopened each time its last writer closes, so the reader sees each
//! writer's end: a line a writer left unfinished is discarded (and reported) there instead of
//! being glued to the next writer's first code. A regular file or stdin is read to its end. Lines
//! are split by [`LineAssembler`]: controls removed, over-long lines reported and skipped.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::event::{ScanSink, ScanSource, SourceState};
use super::lines::{Line, LineAssembler};
use super::reporter::Reporter;
use super::source::{ScannerSource, StartError, StopSignal};

/// Starts reading `path` (`-` = stdin) on its own thread.
pub fn spawn_reader(path: &Path, sink: impl ScanSink) -> Result<ScannerSource, StartError> {
    if path == Path::new("-") {
        // A thread blocked on stdin cannot be woken; it ends with the process.
        return ScannerSource::spawn(ScanSource::Fifo, None, false, move |stop| {
            read_lines(std::io::stdin().lock(), sink, &stop);
        })
        .map_err(StartError::Thread);
    }
    let open_error = |source| StartError::Fifo {
        path: path.display().to_string(),
        source,
    };
    #[cfg(unix)]
    if is_fifo(path) {
        let fifo = writers::open(path).map_err(open_error)?;
        let path: PathBuf = path.to_path_buf();
        // The reader polls with a short timeout, so a stop takes effect without waking it.
        return ScannerSource::spawn(ScanSource::Fifo, None, true, move |stop| {
            writers::read(&path, fifo, sink, &stop);
        })
        .map_err(StartError::Thread);
    }
    let file = File::open(path).map_err(open_error)?;
    ScannerSource::spawn(ScanSource::Fifo, None, true, move |stop| {
        read_lines(file, sink, &stop);
    })
    .map_err(StartError::Thread)
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// Delivers one scan per line until the input ends, the receiver goes away or a stop is requested.
pub fn read_lines(mut reader: impl Read, sink: impl ScanSink, stop: &StopSignal) {
    let mut reporter = Reporter::new(sink, ScanSource::Fifo);
    reporter.status(SourceState::Connected {
        device: "line input".into(),
    });
    let mut lines = LineAssembler::text_lines();
    let mut buffer = [0u8; 4096];
    while reporter.listening() {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                if stop.is_stopped() {
                    return;
                }
                deliver(&mut reporter, lines.feed(&buffer[..n]));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                reporter.status(SourceState::Failed {
                    reason: e.to_string(),
                });
                return;
            }
        }
    }
    if let Some(discard) = lines.end_of_input() {
        reporter.discarded(discard);
    }
    reporter.status(SourceState::Ended);
}

fn deliver<S: ScanSink>(reporter: &mut Reporter<S>, lines: Vec<Line>) {
    for line in lines {
        match line {
            Line::Code(code) => reporter.scan(code),
            Line::Discarded(discard) => reporter.discarded(discard),
        }
    }
}

/// A FIFO read writer after writer.
#[cfg(unix)]
mod writers {
    use std::fs::{File, OpenOptions};
    use std::io::{self, Read};
    use std::os::fd::AsFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;

    use nix::errno::Errno;
    use nix::fcntl::OFlag;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

    use super::super::event::{ScanSink, ScanSource, SourceState};
    use super::super::lines::LineAssembler;
    use super::super::reporter::Reporter;
    use super::super::source::StopSignal;
    use super::deliver;

    /// How often a reader waiting for a writer looks at its stop signal.
    const STOP_CHECK_MILLIS: u16 = 100;

    /// Opens the FIFO for reading without waiting for a writer.
    pub(super) fn open(path: &Path) -> io::Result<File> {
        OpenOptions::new()
            .read(true)
            .custom_flags(OFlag::O_NONBLOCK.bits())
            .open(path)
    }

    pub(super) fn read<S: ScanSink>(path: &Path, mut fifo: File, sink: S, stop: &StopSignal) {
        let mut reporter = Reporter::new(sink, ScanSource::Fifo);
        reporter.status(SourceState::Connected {
            device: "line input".into(),
        });
        let mut lines = LineAssembler::text_lines();
        let mut buffer = [0u8; 4096];
        while reporter.listening() && !stop.is_stopped() {
            let mut fds = [PollFd::new(fifo.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(STOP_CHECK_MILLIS)) {
                Ok(0) | Err(Errno::EINTR) => continue,
                Ok(_) => {}
                Err(e) => return failed(&mut reporter, e.to_string()),
            }
            match fifo.read(&mut buffer) {
                // Empty and no writer left: this writer's input is over.
                Ok(0) => {
                    if let Some(discard) = lines.end_of_input() {
                        reporter.discarded(discard);
                    }
                    // A descriptor that saw its writers leave polls as hung up until another
                    // comes, which would spin this loop; a fresh one waits. It is opened before
                    // the old one closes, so a writer never finds the FIFO without a reader.
                    match open(path) {
                        Ok(fresh) => fifo = fresh,
                        Err(e) => return failed(&mut reporter, e.to_string()),
                    }
                }
                Ok(n) => {
                    if stop.is_stopped() {
                        return;
                    }
                    deliver(&mut reporter, lines.feed(&buffer[..n]));
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return failed(&mut reporter, e.to_string()),
            }
        }
    }

    fn failed<S: ScanSink>(reporter: &mut Reporter<S>, reason: String) {
        reporter.status(SourceState::Failed { reason });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Discard, ScanEvent};
    use crate::hid::MAX_SCAN_CHARS;
    use std::sync::mpsc;

    struct Read {
        codes: Vec<String>,
        states: Vec<SourceState>,
        discards: Vec<Discard>,
    }

    fn read_all(input: &[u8]) -> Read {
        let (tx, rx) = mpsc::channel();
        read_lines(input, tx, &StopSignal::new());
        let mut read = Read {
            codes: Vec::new(),
            states: Vec::new(),
            discards: Vec::new(),
        };
        for event in rx {
            match event {
                ScanEvent::Scan(scan) => {
                    assert_eq!(scan.source, ScanSource::Fifo);
                    read.codes.push(scan.code);
                }
                ScanEvent::Status(status) => read.states.push(status.state),
                ScanEvent::Discarded(discarded) => read.discards.push(discarded.discard),
            }
        }
        read
    }

    #[test]
    fn one_scan_per_finished_line_and_the_unfinished_last_one_is_reported_not_scanned() {
        let read = read_all(b"4901234567894\r\n\nRGI-T1-5\nlast");
        assert_eq!(read.codes, ["4901234567894", "RGI-T1-5"]);
        assert_eq!(read.discards, [Discard::Unfinished { chars: 4 }]);
        assert_eq!(read.states.last(), Some(&SourceState::Ended));
    }

    #[test]
    fn overlong_lines_are_reported_and_skipped() {
        let mut input = vec![b'9'; MAX_SCAN_CHARS * 5];
        input.extend_from_slice(b"\nok\n");
        let read = read_all(&input);
        assert_eq!(read.codes, ["ok"]);
        assert_eq!(
            read.discards,
            [Discard::TooLong {
                limit: MAX_SCAN_CHARS
            }]
        );
    }

    #[test]
    fn control_characters_never_reach_a_code() {
        let read = read_all(b"\x00RGI-\x1bT1-5\x00\n\x00\x00\n");
        assert_eq!(read.codes, ["RGI-T1-5"]);
        assert!(read.discards.is_empty());
    }

    #[test]
    fn invalid_utf8_does_not_stop_reading() {
        let read = read_all(b"\xff\xfe\nok\n");
        assert_eq!(read.codes, ["\u{fffd}\u{fffd}", "ok"]);
    }
}
