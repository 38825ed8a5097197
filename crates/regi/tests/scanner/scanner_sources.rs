//! Scanner sources started through `scanner::start`, delivering to a channel.

use std::io::Write;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use regi_scanner::{
    Discard, ScanEvent, ScanSource, ScannerSettings, SourceKind, SourceState, StartError, start,
};

/// Only a guard against a hung test; every wait ends on an event long before.
const GUARD: Duration = Duration::from_secs(30);

fn next_event(rx: &Receiver<ScanEvent>) -> ScanEvent {
    rx.recv_timeout(GUARD).expect("an event arrives")
}

fn next_scan(rx: &Receiver<ScanEvent>) -> String {
    next_scan_from(rx, ScanSource::Fifo)
}

fn next_scan_from(rx: &Receiver<ScanEvent>, source: ScanSource) -> String {
    loop {
        if let ScanEvent::Scan(scan) = next_event(rx) {
            assert_eq!(scan.source, source);
            return scan.code;
        }
    }
}

fn next_state(rx: &Receiver<ScanEvent>) -> SourceState {
    loop {
        if let ScanEvent::Status(status) = next_event(rx) {
            return status.state;
        }
    }
}

fn fifo_settings(path: &std::path::Path) -> ScannerSettings {
    ScannerSettings {
        source: SourceKind::Fifo,
        fifo_path: Some(path.to_path_buf()),
        ..ScannerSettings::default()
    }
}

#[test]
fn file_source_reads_every_line_then_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scans.txt");
    std::fs::write(&path, "4901234567894\n1234567890123456789012\n").expect("writes");
    let (tx, rx) = channel();
    let source = start(&fifo_settings(&path), tx)
        .expect("starts")
        .expect("a thread");
    assert_eq!(next_scan(&rx), "4901234567894");
    assert_eq!(next_scan(&rx), "1234567890123456789012");
    assert_eq!(next_state(&rx), SourceState::Ended);
    drop(source);
}

#[cfg(unix)]
#[test]
fn fifo_source_survives_writers_coming_and_going_and_stops_on_drop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scans.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (tx, rx) = channel();
    let source = start(&fifo_settings(&path), tx)
        .expect("starts")
        .expect("a thread");
    for code in ["RGI-T1-1", "4901234567894"] {
        // A new writer each time, as `echo CODE > fifo` does.
        let mut writer = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("opens for writing");
        writeln!(writer, "{code}").expect("writes");
        drop(writer);
        assert_eq!(next_scan(&rx), code);
    }
    // The reader is blocked on the empty FIFO; dropping the source must still return.
    drop(source);
}

#[test]
fn wedge_and_none_need_no_thread() {
    for source in [SourceKind::Wedge, SourceKind::None] {
        let settings = ScannerSettings {
            source,
            ..ScannerSettings::default()
        };
        let (tx, _rx) = channel();
        assert!(start(&settings, tx).expect("starts").is_none());
    }
}

#[test]
fn bad_settings_are_refused_before_starting() {
    let settings = ScannerSettings {
        usb_device: "scanner".into(),
        ..ScannerSettings::default()
    };
    let (tx, _rx) = channel();
    assert!(matches!(start(&settings, tx), Err(StartError::Settings(_))));
}

#[test]
fn usb_source_reports_its_status_and_stops() {
    let (tx, rx) = channel();
    let source = start(&ScannerSettings::default(), tx)
        .expect("starts")
        .expect("a thread");
    // Whatever this machine has (no USB at all, no scanner, a scanner), the first thing the
    // reader says is its status, never a scan.
    match next_event(&rx) {
        ScanEvent::Status(status) => assert_eq!(status.source, ScanSource::Usb),
        ScanEvent::Scan(scan) => panic!("a scan before any status: {scan:?}"),
        ScanEvent::Discarded(discarded) => panic!("a discard before any status: {discarded:?}"),
    }
    drop(source);
}

#[cfg(target_os = "linux")]
#[test]
fn serial_source_reads_a_pty_and_notices_the_hangup() {
    use nix::pty::Winsize;
    use nix::pty::openpty;
    use nix::sys::termios::Termios;

    let pty = openpty(None::<&Winsize>, None::<&Termios>).expect("a pseudo terminal");
    let port = nix::unistd::ttyname(&pty.slave).expect("its name");
    let settings = ScannerSettings {
        source: SourceKind::Serial,
        serial_path: Some(port),
        ..ScannerSettings::default()
    };
    let (tx, rx) = channel();
    let source = start(&settings, tx).expect("starts").expect("a thread");
    let connected = next_state(&rx);
    assert!(
        matches!(connected, SourceState::Connected { .. }),
        "{connected:?}"
    );
    let mut scanner = std::fs::File::from(pty.master);
    scanner
        .write_all(b"4901234567894\r\n\x02RGI-T1-9\x03\x02490")
        .expect("writes");
    assert_eq!(next_scan_from(&rx, ScanSource::Serial), "4901234567894");
    assert_eq!(next_scan_from(&rx, ScanSource::Serial), "RGI-T1-9");
    // Closing the other end is what an unplugged CDC-ACM scanner looks like; the code it cut
    // short is reported, not scanned.
    drop(scanner);
    match next_event(&rx) {
        ScanEvent::Discarded(discarded) => {
            assert_eq!(discarded.discard, Discard::Unfinished { chars: 3 });
        }
        other => panic!("expected the unfinished code to be reported: {other:?}"),
    }
    let lost = next_state(&rx);
    assert!(matches!(lost, SourceState::Disconnected { .. }), "{lost:?}");
    drop(source);
}

/// Lines of a child's output, as they come.
#[cfg(unix)]
fn lines_of(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits for a line containing `needle`; returns it.
#[cfg(unix)]
fn line_containing(lines: &Receiver<String>, needle: &str) -> String {
    loop {
        let line = lines
            .recv_timeout(GUARD)
            .unwrap_or_else(|_| panic!("no line containing {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}

#[cfg(unix)]
#[test]
fn scan_test_on_a_fifo_drops_a_writers_unfinished_line_instead_of_gluing_it_to_the_next_code() {
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scans.fifo");
    let made = Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_regi"))
        .arg("scan-test")
        .arg("--fifo")
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("regi scan-test starts");
    let stdout = lines_of(child.stdout.take().expect("stdout"));
    let stderr = lines_of(child.stderr.take().expect("stderr"));
    let write = |bytes: &[u8]| {
        // Opening blocks until scan-test has the FIFO open for reading.
        let mut writer = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("opens for writing");
        writer.write_all(bytes).expect("writes");
    };

    write(b"4901234");
    let dropped = line_containing(&stderr, "discarded");
    assert!(dropped.contains("7 characters"), "{dropped}");
    // The next writer starts once the first one's end was seen.
    let mut next = b"\x00RGI-T1-5\r\n".to_vec();
    next.extend_from_slice(&[b'9'; 5000]);
    next.extend_from_slice(b"\n4901234567894\n");
    write(&next);
    let too_long = line_containing(&stderr, "discarded");
    assert!(too_long.contains("longer than"), "{too_long}");
    let scans: Vec<String> = (0..2)
        .map(|_| stdout.recv_timeout(GUARD).expect("a scan"))
        .collect();
    assert_eq!(scans, ["receipt\tRGI-T1-5", "jan\t4901234567894"]);
    let _ = child.kill();
    let _ = child.wait();
}
