//! Scanner sources started through `scanner::start`, delivering to a channel.

use std::io::Write;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use regi::scanner::{
    ScanEvent, ScanSource, ScannerSettings, SourceKind, SourceState, StartError, start,
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
        .write_all(b"4901234567894\r\n\x02RGI-T1-9\x03")
        .expect("writes");
    assert_eq!(next_scan_from(&rx, ScanSource::Serial), "4901234567894");
    assert_eq!(next_scan_from(&rx, ScanSource::Serial), "RGI-T1-9");
    // Closing the other end is what an unplugged CDC-ACM scanner looks like.
    drop(scanner);
    let lost = next_state(&rx);
    assert!(matches!(lost, SourceState::Disconnected { .. }), "{lost:?}");
    drop(source);
}
