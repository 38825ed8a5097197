//! A fake network printer on loopback that answers `DLE EOT` like an Epson TM and records what it is
//! sent; the spooler must hold jobs while it reports a problem and print them once it is ready.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use chrono::DateTime;
use regi_printer::spool::{Blocked, JobKind, MemoryQueue, NewPrintJob, PrintQueueStore, Spooler};
use regi_printer::transport::{PrinterTransport, TcpTransport, Timeouts};
use regi_printer::{PrinterProblem, PrinterStatus};

struct FakePrinter {
    port: u16,
    status: Arc<Mutex<PrinterStatus>>,
    /// Bytes received on each connection (status requests removed), sent when it closes.
    connections: Receiver<Vec<u8>>,
}

impl FakePrinter {
    fn start(status: PrinterStatus) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let status = Arc::new(Mutex::new(status));
        let (tx, connections) = mpsc::channel();
        let shared = Arc::clone(&status);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (tx, shared) = (tx.clone(), Arc::clone(&shared));
                thread::spawn(move || {
                    let received = serve(stream, &shared);
                    let _ = tx.send(received);
                });
            }
        });
        FakePrinter {
            port,
            status,
            connections,
        }
    }

    fn set(&self, status: PrinterStatus) {
        *self.status.lock().expect("status lock") = status;
    }

    fn transport(&self) -> TcpTransport {
        TcpTransport::new("127.0.0.1", self.port, Timeouts::default())
    }

    /// What the next closed connection carried.
    fn next_connection(&self) -> Vec<u8> {
        self.connections
            .recv_timeout(Duration::from_secs(10))
            .expect("connection closed")
    }
}

/// Answers `DLE EOT n` from the shared status; keeps every other byte.
fn serve(mut stream: TcpStream, status: &Mutex<PrinterStatus>) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        pending.extend_from_slice(&buf[..n]);
        let mut i = 0;
        while i < pending.len() {
            if pending[i] == 0x10 {
                if pending.len() < i + 3 {
                    break;
                }
                if pending[i + 1] == 0x04 {
                    let answer = status
                        .lock()
                        .expect("status lock")
                        .answer(pending[i + 2])
                        .unwrap_or(0);
                    let _ = stream.write_all(&[answer]);
                    i += 3;
                    continue;
                }
            }
            received.push(pending[i]);
            i += 1;
        }
        pending.drain(..i);
    }
    received
}

fn job(bytes: &[u8]) -> NewPrintJob {
    NewPrintJob {
        kind: JobKind::Receipt,
        bytes: bytes.to_vec(),
        created_at: DateTime::UNIX_EPOCH,
    }
}

#[test]
fn status_is_read_over_tcp() {
    let printer = FakePrinter::start(PrinterStatus::READY);
    let mut transport = printer.transport();
    assert_eq!(
        transport.status().map(|r| r.ok()),
        Some(Some(PrinterStatus::READY))
    );
    let cover_open = PrinterStatus {
        online: false,
        cover_open: true,
        ..PrinterStatus::READY
    };
    printer.set(cover_open);
    let status = transport.status().expect("tcp answers").expect("valid");
    assert_eq!(status.problem(), Some(PrinterProblem::CoverOpen));
}

#[test]
fn online_printer_gets_the_job() {
    let printer = FakePrinter::start(PrinterStatus::READY);
    let mut spooler = Spooler::new(MemoryQueue::new(), printer.transport(), true);
    let (id, report) = spooler.submit(job(b"\x1b@receipt\n")).expect("queued");
    assert_eq!(report.printed, [id]);
    assert!(report.blocked.is_none());
    drop(spooler);
    assert_eq!(printer.next_connection(), b"\x1b@receipt\n");
}

#[test]
fn paper_out_holds_the_job_until_the_printer_is_back() {
    let paper_out = PrinterStatus {
        online: false,
        paper_out: true,
        ..PrinterStatus::READY
    };
    let printer = FakePrinter::start(paper_out);
    let mut spooler = Spooler::new(MemoryQueue::new(), printer.transport(), true);

    let (id, report) = spooler.submit(job(b"first")).expect("queued");
    assert_eq!(
        report.blocked,
        Some(Blocked::Printer(PrinterProblem::PaperOut))
    );
    assert!(
        report
            .blocked
            .as_ref()
            .is_some_and(|b| b.message_ja().contains("用紙"))
    );
    let (_, report) = spooler.submit(job(b"second")).expect("queued");
    assert_eq!(report.waiting, 2);
    let pending = spooler.store().pending().expect("pending");
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0].id, id);

    printer.set(PrinterStatus::READY);
    let report = spooler.flush().expect("flush");
    assert_eq!(report.printed.len(), 2);
    assert!(spooler.store().pending().expect("pending").is_empty());
    drop(spooler);
    assert_eq!(printer.next_connection(), b"firstsecond");
}

#[test]
fn cover_open_gives_a_clear_message() {
    let printer = FakePrinter::start(PrinterStatus {
        online: false,
        cover_open: true,
        ..PrinterStatus::READY
    });
    let mut spooler = Spooler::new(MemoryQueue::new(), printer.transport(), true);
    let (_, report) = spooler.submit(job(b"x")).expect("queued");
    let blocked = report.blocked.expect("blocked");
    assert_eq!(blocked, Blocked::Printer(PrinterProblem::CoverOpen));
    assert!(blocked.message_ja().contains("カバー"));
    assert!(blocked.message_en().contains("cover"));
}

#[test]
fn unreachable_printer_keeps_the_job() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let transport = TcpTransport::new("127.0.0.1", port, Timeouts::default());
    let mut spooler = Spooler::new(MemoryQueue::new(), transport, true);
    let (_, report) = spooler.submit(job(b"x")).expect("queued");
    assert!(matches!(report.blocked, Some(Blocked::Unreachable(_))));
    let pending = spooler.store().pending().expect("pending");
    assert_eq!(pending.len(), 1);
    assert!(pending[0].last_error.is_some());
}
