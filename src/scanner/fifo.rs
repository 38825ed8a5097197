//! Codes one per line from a FIFO, a file or stdin: for automation and kiosk test rigs.
//!
//! A FIFO is opened for reading and writing, so it stays open when a writer closes it and any
//! number of writers can come and go (`echo 4901234567894 > /run/regi/scans`). A regular file or
//! stdin is read to its end. Lines are taken as they are, minus the line ending; empty lines and
//! lines longer than [`MAX_SCAN_CHARS`] are skipped.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::event::{ScanSink, ScanSource, SourceState};
use super::hid::MAX_SCAN_CHARS;
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
    let is_fifo = is_fifo(path);
    let file = OpenOptions::new()
        .read(true)
        .write(is_fifo)
        .open(path)
        .map_err(open_error)?;
    let wake = is_fifo.then(|| {
        let path: PathBuf = path.to_path_buf();
        // We hold the FIFO open, so opening it to write cannot block; the newline wakes the read.
        Box::new(move || {
            if let Ok(mut writer) = OpenOptions::new().write(true).open(&path) {
                let _ = writer.write_all(b"\n");
            }
        }) as Box<dyn FnOnce() + Send>
    });
    ScannerSource::spawn(ScanSource::Fifo, wake, true, move |stop| {
        read_lines(BufReader::new(file), sink, &stop);
    })
    .map_err(StartError::Thread)
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[cfg(not(unix))]
fn is_fifo(_path: &Path) -> bool {
    false
}

/// Delivers one scan per line until the input ends, the receiver goes away or a stop is requested.
pub fn read_lines(mut reader: impl BufRead, sink: impl ScanSink, stop: &StopSignal) {
    let mut reporter = Reporter::new(sink, ScanSource::Fifo);
    reporter.status(SourceState::Connected {
        device: "line input".into(),
    });
    while reporter.listening() {
        let line = match next_line(&mut reader, MAX_SCAN_CHARS) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                reporter.status(SourceState::Failed {
                    reason: e.to_string(),
                });
                return;
            }
        };
        if stop.is_stopped() {
            return;
        }
        let Line::Text(code) = line else { continue };
        if code.is_empty() {
            continue;
        }
        reporter.scan(code);
    }
    reporter.status(SourceState::Ended);
}

/// One line of input.
enum Line {
    Text(String),
    TooLong,
}

/// Reads one line without its `\n`/`\r\n`, keeping a bounded amount in memory. `Ok(None)` at the
/// end of input.
fn next_line(reader: &mut impl BufRead, limit_chars: usize) -> std::io::Result<Option<Line>> {
    // UTF-8 needs at most 4 bytes a character.
    let byte_limit = limit_chars.saturating_mul(4);
    let mut line = Vec::new();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        read_any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        if line.len() + chunk.len() > byte_limit {
            too_long = true;
        } else {
            line.extend_from_slice(chunk);
        }
        let used = newline.map_or(available.len(), |i| i + 1);
        reader.consume(used);
        if newline.is_some() {
            break;
        }
    }
    if !read_any {
        return Ok(None);
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let text = String::from_utf8_lossy(&line).into_owned();
    if too_long || text.chars().count() > limit_chars {
        return Ok(Some(Line::TooLong));
    }
    Ok(Some(Line::Text(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scanner::event::ScanEvent;
    use std::sync::mpsc;

    fn scans_from(input: &[u8]) -> (Vec<String>, Vec<SourceState>) {
        let (tx, rx) = mpsc::channel();
        read_lines(input, tx, &StopSignal::new());
        let mut codes = Vec::new();
        let mut states = Vec::new();
        for event in rx {
            match event {
                ScanEvent::Scan(scan) => {
                    assert_eq!(scan.source, ScanSource::Fifo);
                    codes.push(scan.code);
                }
                ScanEvent::Status(status) => states.push(status.state),
            }
        }
        (codes, states)
    }

    #[test]
    fn one_scan_per_line() {
        let (codes, states) = scans_from(b"4901234567894\r\n\nRGI-T1-5\nlast");
        assert_eq!(codes, ["4901234567894", "RGI-T1-5", "last"]);
        assert_eq!(states.last(), Some(&SourceState::Ended));
    }

    #[test]
    fn overlong_lines_are_skipped() {
        let mut input = vec![b'9'; MAX_SCAN_CHARS * 5];
        input.extend_from_slice(b"\nok\n");
        let (codes, _) = scans_from(&input);
        assert_eq!(codes, ["ok"]);
    }

    #[test]
    fn invalid_utf8_does_not_stop_reading() {
        let (codes, _) = scans_from(b"\xff\xfe\nok\n");
        assert_eq!(codes, ["\u{fffd}\u{fffd}", "ok"]);
    }
}
