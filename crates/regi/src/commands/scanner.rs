//! `regi scan-test`: see what the scanner sends, live or from a recorded trace.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use regi_scanner::ScanEvent;
use regi_scanner::classify;
use regi_scanner::hid::{HidScanDecoder, KeyboardLayout};
use regi_scanner::pcap::{CaptureError, capture_format, reports_from_capture};
use regi_scanner::replay::{Trace, decode_reports, parse_trace};
use regi_scanner::settings::{ScannerSettings, SourceKind};
use regi_scanner::usb_hid::{self, DeviceSelector, UsbReaderConfig};
use regi_scanner::{ScannerSource, start};

const AFTER_HELP: &str = "\
Output: one line per scan on stdout, `<kind><TAB><code>`, kind one of customer_code, jan, receipt, unknown.
Device lists, status and warnings go to stderr.

Replay files (--replay FILE, `-` for stdin) hold boot keyboard reports (8 bytes: modifiers,
reserved, 6 key usages). The format is detected:
  capture a pcap or pcapng file captured on a Linux usbmonN interface (Wireshark, tcpdump,
          dumpcap): each completed interrupt-IN transfer of 8 bytes (9 with a non-zero report id)
          is a report; capture or filter to the scanner's device only
  binary  consecutive 8-byte reports (any NUL byte or invalid UTF-8 means binary); 9-byte records
          are taken as report id + report only when the length is not a multiple of 8 and every
          record starts with the same non-zero id
  text    one report per line as hex bytes: `00 00 04 00 00 00 00 00`, `0000040000000000`,
          `0x00, 0x00, 0x04, ...`, `00:00:04:...`, `00-00-04-...`; `#` and `//` start comments.
          The last run of hex bytes on a line counts, so labels and timestamps before it and
          notes after it are skipped: hid-recorder `E: 0.000 8 00 00 04 00 00 00 00 00` lines
          (its R:, N:, I: ... lines are ignored) and usbmon
          `... C Ii:1:003:1 0:8 8 = 00000400 00000000` lines work. 8 bytes make a report,
          9 bytes a non-zero report id and a report, a multiple of 8 several reports.
A key types when it appears in a report (held keys and repeated reports type once); Enter,
keypad Enter and Tab end a scan; reports with ErrorRollOver (0x01) keys are ignored.

Live mode lists USB HID keyboards and reads the configured scanner (or the first one of a known
scanner brand, or --device). Reading a device takes it away from the OS until regi exits.
--serial PORT reads a scanner in serial mode (codes end with CR, LF, Tab or ETX); --fifo PATH
reads codes one per line (a FIFO stays open for writer after writer). Control characters are
removed from codes; a line left unfinished when its writer closes (or the port goes away) and a
line too long to be a code are not scans and are reported on stderr.";

/// Arguments of `regi scan-test`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct ScanTestArgs {
    /// Decode a recorded trace of HID reports instead of reading a device (`-` = stdin).
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,

    /// Keyboard layout the scanner emulates [default: scanner.layout, else us].
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,

    /// Text to cut from the start of each code [default: scanner.prefix].
    #[arg(long, value_name = "TEXT")]
    pub prefix: Option<String>,

    /// Text to cut from the end of each code [default: scanner.suffix].
    #[arg(long, value_name = "TEXT")]
    pub suffix: Option<String>,

    /// Read codes one per line from a FIFO, a file or stdin (`-`) instead of a device.
    #[arg(long, value_name = "PATH", conflicts_with = "replay")]
    pub fifo: Option<PathBuf>,

    /// Read a scanner in serial mode (USB CDC-ACM or RS-232), e.g. /dev/ttyACM0.
    #[arg(long, value_name = "PORT", conflicts_with_all = ["replay", "fifo"])]
    pub serial: Option<PathBuf>,

    /// Baud rate for --serial [default: scanner.serial_baud, else 9600].
    #[arg(long, value_name = "RATE", requires = "serial")]
    pub baud: Option<u32>,

    /// The USB device to read, as VID:PID in hex (e.g. 0c2e:0b61) [default: scanner.usb_device].
    #[arg(long, value_name = "VID:PID", conflicts_with_all = ["replay", "fifo", "serial"])]
    pub device: Option<String>,

    /// Only list candidate USB HID devices.
    #[arg(long, conflicts_with_all = ["replay", "fifo", "serial"])]
    pub list: bool,
}

/// Runs `regi scan-test` with the `[scanner]` settings as defaults for the options not given.
pub fn run(args: &ScanTestArgs, settings: &ScannerSettings) -> ExitCode {
    let mut settings = settings.clone();
    if let Some(layout) = args.layout {
        settings.layout = layout.into();
    }
    if let Some(prefix) = &args.prefix {
        settings.prefix.clone_from(prefix);
    }
    if let Some(suffix) = &args.suffix {
        settings.suffix.clone_from(suffix);
    }
    if let Some(device) = &args.device {
        settings.usb_device.clone_from(device);
    }
    if let Some(baud) = args.baud {
        settings.serial_baud = baud;
    }
    let result = if let Some(path) = &args.replay {
        replay(path, &settings)
    } else if let Some(path) = &args.fifo {
        settings.source = SourceKind::Fifo;
        settings.fifo_path = Some(path.clone());
        live_source(&settings)
    } else if let Some(path) = &args.serial {
        settings.source = SourceKind::Serial;
        settings.serial_path = Some(path.clone());
        live_source(&settings)
    } else {
        live_usb(&settings, args.list)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("regi scan-test: {message}");
            ExitCode::FAILURE
        }
    }
}

fn replay(path: &Path, settings: &ScannerSettings) -> Result<(), String> {
    let data = if path == Path::new("-") {
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut data)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        data
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    let trace = match reports_from_capture(&data) {
        Ok(reports) => Trace {
            reports,
            warnings: Vec::new(),
        },
        Err(CaptureError::NotACapture) => parse_trace(&data),
        Err(e) => {
            let format = capture_format(&data).unwrap_or("capture");
            return Err(format!("{} ({format}): {e}", path.display()));
        }
    };
    for warning in &trace.warnings {
        eprintln!("{}: {warning}", path.display());
    }
    let mut decoder = HidScanDecoder::new(settings.layout, &settings.prefix, &settings.suffix);
    let (codes, unterminated) = decode_reports(&trace.reports, &mut decoder);
    let mut out = std::io::stdout().lock();
    for code in &codes {
        if print_scan(&mut out, code).is_err() {
            // stdout closed (e.g. piped into `head`): nothing more to do.
            return Ok(());
        }
    }
    if !unterminated.is_empty() {
        eprintln!(
            "{}: {} characters after the last Enter/Tab are not a scan",
            path.display(),
            unterminated.chars().count()
        );
    }
    eprintln!(
        "{}: {} reports, {} scans",
        path.display(),
        trace.reports.len(),
        codes.len()
    );
    Ok(())
}

fn print_scan(out: &mut impl Write, code: &str) -> std::io::Result<()> {
    writeln!(
        out,
        "{}\t{code}",
        classify(code, &[regi_pokepay::CUSTOMER_CODE])
    )?;
    out.flush()
}

/// Starts the source the settings name and prints what it delivers.
fn live_source(settings: &ScannerSettings) -> Result<(), String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    match start(settings, tx) {
        Ok(Some(source)) => print_events(source, rx),
        Ok(None) => Err("this source runs inside the checkout screen only".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn live_usb(settings: &ScannerSettings, list_only: bool) -> Result<(), String> {
    let configured = settings.usb_selector().map_err(|e| e.to_string())?;
    let candidates = usb_hid::list_candidates(configured, true).map_err(|e| {
        format!("{e}\nNo USB access here; try --replay FILE (a recorded trace) or --fifo PATH.")
    })?;
    if candidates.is_empty() {
        eprintln!("No USB HID keyboard interfaces found.");
    } else {
        eprintln!("USB HID keyboard interfaces:");
        for candidate in &candidates {
            eprintln!("  {candidate}");
        }
    }
    if list_only {
        return Ok(());
    }
    let selector = DeviceSelector::from(configured);
    let Some(chosen) = usb_hid::choose_candidate(&candidates, selector) else {
        return Err(no_device_message(selector, !candidates.is_empty()));
    };
    eprintln!("Reading {chosen}; scan codes now, Ctrl-C to stop.");
    let config = UsbReaderConfig {
        selector: DeviceSelector::Exact(chosen.id),
        ..UsbReaderConfig::from_settings(settings).map_err(|e| e.to_string())?
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let source = usb_hid::spawn_reader(config, tx).map_err(|e| e.to_string())?;
    print_events(source, rx)
}

fn no_device_message(selector: DeviceSelector, others: bool) -> String {
    let mut message = format!("nothing to read: found no {selector}.");
    if others && selector == DeviceSelector::KnownScanner {
        message.push_str(
            "\nIf one of the devices above is the scanner, name it: --device VID:PID \
             (or scanner.usb_device in the configuration).",
        );
    }
    message.push_str(
        "\nWithout a device: --replay FILE decodes a recorded trace, --fifo PATH reads codes \
         one per line.",
    );
    message
}

/// Prints scans to stdout and status changes to stderr until the source ends or Ctrl-C.
fn print_events(
    source: ScannerSource,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<ScanEvent>,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the event loop: {e}"))?;
    runtime.block_on(async move {
        let mut out = std::io::stdout().lock();
        loop {
            tokio::select! {
                event = rx.recv() => match event {
                    Some(ScanEvent::Scan(scan)) => {
                        if print_scan(&mut out, &scan.code).is_err() {
                            break;
                        }
                    }
                    Some(ScanEvent::Status(status)) => eprintln!("[{}] {}", status.source, status.state),
                    Some(ScanEvent::Discarded(discarded)) => {
                        eprintln!("[{}] {}", discarded.source, discarded.discard);
                    }
                    None => break,
                },
                _ = tokio::signal::ctrl_c() => break,
            }
        }
    });
    // Stopping joins the reader, which hands the device back to the OS driver.
    drop(source);
    Ok(())
}

/// `--layout`: the keyboard layouts the scanner can emulate, as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LayoutArg {
    Us,
    Jis,
}

impl From<LayoutArg> for KeyboardLayout {
    fn from(arg: LayoutArg) -> Self {
        match arg {
            LayoutArg::Us => KeyboardLayout::Us,
            LayoutArg::Jis => KeyboardLayout::Jis,
        }
    }
}
