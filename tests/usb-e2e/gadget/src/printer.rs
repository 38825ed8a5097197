//! An ESC/POS printer on the printer gadget: answers real-time status requests (`DLE EOT n`) the
//! way an Epson TM printer does and keeps every other byte for comparison.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::time::Duration;

use crate::poll;

const DLE: u8 = 0x10;
const EOT: u8 = 0x04;
/// Longest quiet spell allowed while the host program runs.
const IDLE_LIMIT: Duration = Duration::from_secs(120);

/// The answer bytes to `DLE EOT 1`..`4`, from Epson's ESC/POS reference (bits 1 and 4 always set).
fn answers(status: &str) -> Result<[u8; 4], String> {
    match status {
        // Online, drawer pin low; no offline cause; no error; paper present.
        "online" => Ok([0x16, 0x12, 0x12, 0x12]),
        // Offline; stopped by paper end; roll paper end detected.
        "paper-out" => Ok([0x1e, 0x32, 0x12, 0x72]),
        other => Err(format!(
            "unknown printer status {other:?} (online, paper-out)"
        )),
    }
}

/// Splits the byte stream into status requests and print data.
struct EscPosStream {
    answers: [u8; 4],
    /// A `DLE` or `DLE EOT` seen at the end of the last read.
    partial: Vec<u8>,
    data: Vec<u8>,
    queries: Vec<u8>,
}

impl EscPosStream {
    fn new(answers: [u8; 4]) -> Self {
        EscPosStream {
            answers,
            partial: Vec::new(),
            data: Vec::new(),
            queries: Vec::new(),
        }
    }

    /// Takes bytes from the host; returns the status answers to send back, in order.
    fn feed(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut replies = Vec::new();
        for &byte in bytes {
            match (self.partial.as_slice(), byte) {
                ([], DLE) | ([DLE], EOT) => self.partial.push(byte),
                ([DLE, EOT], n @ 1..=4) => {
                    self.partial.clear();
                    self.queries.push(n);
                    replies.push(self.answers[usize::from(n - 1)]);
                }
                ([], _) => self.data.push(byte),
                _ => {
                    // Not a status request after all: what was held back is data.
                    self.data.append(&mut self.partial);
                    if byte == DLE {
                        self.partial.push(byte);
                    } else {
                        self.data.push(byte);
                    }
                }
            }
        }
        replies
    }

    fn finish(&mut self) {
        self.data.append(&mut self.partial);
    }
}

pub fn serve(device: &str, status: &str, expected: &str) -> Result<(), String> {
    let answers = answers(status)?;
    let expected = match expected {
        "-" => Vec::new(),
        path => std::fs::read(path).map_err(|e| format!("read {path}: {e}"))?,
    };
    let mut printer = OpenOptions::new()
        .read(true)
        .write(true)
        .open(device)
        .map_err(|e| format!("open {device}: {e}"))?;
    let mut stream = EscPosStream::new(answers);
    println!("printer gadget ready ({status})");
    serve_until_host_exits(&mut printer, &mut stream, device)?;
    stream.finish();
    let queries: Vec<String> = stream.queries.iter().map(u8::to_string).collect();
    println!(
        "answered DLE EOT {} as {status}; received {} bytes of print data",
        queries.join(","),
        stream.data.len()
    );
    if stream.queries.is_empty() {
        return Err("the host never asked for the printer status".into());
    }
    compare(&stream.data, &expected)
}

/// Answers and collects until stdin ends, then takes what is still buffered.
fn serve_until_host_exits(
    printer: &mut File,
    stream: &mut EscPosStream,
    device: &str,
) -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut buffer = vec![0u8; 16384];
    loop {
        let ready = poll::wait(
            &[
                (printer.as_fd(), libc::POLLIN),
                (stdin.as_fd(), libc::POLLIN),
            ],
            IDLE_LIMIT,
        )?;
        match ready.as_slice() {
            [false, false] => return Err(format!("nothing happened for {IDLE_LIMIT:?}")),
            [true, _] => take(printer, stream, &mut buffer, device)?,
            _ => {
                // The host side is done (end of file) or wrote a line: either way, drain and stop.
                let mut line = [0u8; 64];
                let _ = stdin.lock().read(&mut line);
                break;
            }
        }
    }
    while poll::wait(&[(printer.as_fd(), libc::POLLIN)], Duration::ZERO)?
        .first()
        .copied()
        .unwrap_or(false)
    {
        take(printer, stream, &mut buffer, device)?;
    }
    Ok(())
}

fn take(
    printer: &mut File,
    stream: &mut EscPosStream,
    buffer: &mut [u8],
    device: &str,
) -> Result<(), String> {
    let n = printer
        .read(buffer)
        .map_err(|e| format!("read {device}: {e}"))?;
    let received = buffer.get(..n).unwrap_or_default();
    for reply in stream.feed(received) {
        // One answer per write, so each is its own bulk IN transfer like a real printer's.
        printer
            .write_all(&[reply])
            .map_err(|e| format!("answer on {device}: {e}"))?;
    }
    Ok(())
}

fn compare(received: &[u8], expected: &[u8]) -> Result<(), String> {
    if received == expected {
        println!("print data matches the expected {} bytes", expected.len());
        return Ok(());
    }
    let at = received
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(received.len().min(expected.len()));
    Err(format!(
        "print data differs from the expected bytes at offset {at} (received {}, expected {})",
        received.len(),
        expected.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_answered_and_the_rest_is_data_even_across_reads() {
        let mut stream = EscPosStream::new(answers("paper-out").expect("known"));
        assert_eq!(stream.feed(&[DLE, EOT, 1, DLE]), vec![0x1e]);
        assert_eq!(stream.feed(&[EOT]), Vec::<u8>::new());
        assert_eq!(
            stream.feed(&[4, 0x1b, b'@', DLE, DLE, EOT, 2]),
            vec![0x72, 0x32]
        );
        assert_eq!(stream.feed(&[DLE, EOT, 9, b'x', DLE]), Vec::<u8>::new());
        stream.finish();
        assert_eq!(stream.queries, vec![1, 4, 2]);
        assert_eq!(stream.data, vec![0x1b, b'@', DLE, DLE, EOT, 9, b'x', DLE]);
    }

    #[test]
    fn comparison_names_the_first_difference() {
        assert!(compare(b"abc", b"abc").is_ok());
        let err = compare(b"abd", b"abc").expect_err("differs");
        assert!(err.contains("offset 2"), "{err}");
        let err = compare(b"ab", b"abc").expect_err("short");
        assert!(
            err.contains("offset 2") && err.contains("received 2"),
            "{err}"
        );
    }
}
