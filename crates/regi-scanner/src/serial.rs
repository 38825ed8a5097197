//! Scanners in serial mode: USB CDC-ACM (`/dev/ttyACM0`) or an RS-232 port.
//!
//! The scanner sends each code as ASCII followed by CR, LF, CR LF, Tab or ETX; the bytes are split
//! by [`LineAssembler::serial`](super::lines::LineAssembler::serial), and a code cut short by an
//! unplug is discarded and reported. The port is put in raw mode, read with a short poll so a stop
//! takes effect at once, and reopened after an unplug.

use std::path::PathBuf;
use std::time::Duration;

/// Baud rates accepted in `scanner.serial_baud` (CDC-ACM ignores the rate; RS-232 needs it).
/// The port code has a termios speed for each of these and for no other rate.
pub const SUPPORTED_BAUD_RATES: &[u32] = &[1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// How to fix "permission denied" on a serial port.
pub const SERIAL_PERMISSION_FIX: &str = "add the user to the dialout group \
(sudo usermod -aG dialout $USER) and log in again";

#[cfg_attr(not(unix), allow(dead_code))]
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// What the serial reader thread needs.
#[derive(Debug, Clone)]
pub struct SerialConfig {
    pub path: PathBuf,
    pub baud: u32,
    pub prefix: String,
    pub suffix: String,
}

#[cfg(unix)]
pub use port::spawn_reader;

#[cfg(unix)]
mod port {
    use std::fs::{File, OpenOptions};
    use std::io::{self, Read};
    use std::os::fd::AsFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;

    use nix::errno::Errno;
    use nix::fcntl::OFlag;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use nix::sys::termios::{
        BaudRate, ControlFlags, FlushArg, SetArg, cfmakeraw, cfsetspeed, tcflush, tcgetattr,
        tcsetattr,
    };

    use super::super::event::{ScanSink, ScanSource, SourceState};
    use super::super::lines::{Line, LineAssembler};
    use super::super::reporter::Reporter;
    use super::super::source::{ScannerSource, StopSignal};
    use super::*;

    /// Starts the serial reader thread.
    pub fn spawn_reader(config: SerialConfig, sink: impl ScanSink) -> io::Result<ScannerSource> {
        ScannerSource::spawn(ScanSource::Serial, None, true, move |stop| {
            run(&config, &mut Reporter::new(sink, ScanSource::Serial), &stop);
        })
    }

    fn run<S: ScanSink>(config: &SerialConfig, reporter: &mut Reporter<S>, stop: &StopSignal) {
        let device = config.path.display().to_string();
        let mut lines = LineAssembler::serial(&config.prefix, &config.suffix);
        let mut was_connected = false;
        while reporter.listening() && !stop.is_stopped() {
            match open_raw(&config.path, config.baud) {
                Ok(port) => {
                    reporter.status(SourceState::Connected {
                        device: device.clone(),
                    });
                    match read_until_lost(&port, &mut lines, reporter, stop) {
                        None => return,
                        Some(reason) => {
                            was_connected = true;
                            if let Some(discard) = lines.end_of_input() {
                                reporter.discarded(discard);
                            }
                            reporter.status(SourceState::Disconnected {
                                device: device.clone(),
                                reason,
                            });
                        }
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if !was_connected {
                        reporter.status(SourceState::NotFound {
                            looking_for: device.clone(),
                        });
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    reporter.status(SourceState::PermissionDenied {
                        device: device.clone(),
                        fix: SERIAL_PERMISSION_FIX.to_string(),
                    });
                }
                Err(e) => reporter.status(SourceState::Failed {
                    reason: format!("{device}: {e}"),
                }),
            }
            if stop.wait(POLL_INTERVAL) {
                return;
            }
        }
    }

    /// Opens the port without making it our controlling terminal or waiting for carrier, in raw
    /// mode at `baud`, with stale input dropped.
    fn open_raw(path: &Path, baud: u32) -> io::Result<File> {
        let port = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags((OFlag::O_NOCTTY | OFlag::O_NONBLOCK).bits())
            .open(path)?;
        let mut termios = tcgetattr(&port)?;
        cfmakeraw(&mut termios);
        termios.control_flags |= ControlFlags::CLOCAL | ControlFlags::CREAD;
        let speed = baud_rate(baud).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsupported baud rate {baud}"),
            )
        })?;
        cfsetspeed(&mut termios, speed)?;
        tcsetattr(&port, SetArg::TCSANOW, &termios)?;
        let _ = tcflush(&port, FlushArg::TCIFLUSH);
        Ok(port)
    }

    /// The termios speed for one of [`SUPPORTED_BAUD_RATES`]; `None` for any other rate.
    fn baud_rate(baud: u32) -> Option<BaudRate> {
        Some(match baud {
            1200 => BaudRate::B1200,
            2400 => BaudRate::B2400,
            4800 => BaudRate::B4800,
            9600 => BaudRate::B9600,
            19200 => BaudRate::B19200,
            38400 => BaudRate::B38400,
            57600 => BaudRate::B57600,
            115200 => BaudRate::B115200,
            _ => return None,
        })
    }

    /// Reads until stopped (`None`) or the port fails (`Some(reason)`).
    fn read_until_lost<S: ScanSink>(
        mut port: &File,
        lines: &mut LineAssembler,
        reporter: &mut Reporter<S>,
        stop: &StopSignal,
    ) -> Option<String> {
        let mut buffer = [0u8; 256];
        while reporter.listening() && !stop.is_stopped() {
            let mut fds = [PollFd::new(port.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(100u16)) {
                Ok(0) | Err(Errno::EINTR) => continue,
                Ok(_) => {}
                Err(e) => return Some(e.to_string()),
            }
            let events = fds[0].revents().unwrap_or(PollFlags::empty());
            if events.intersects(PollFlags::POLLERR | PollFlags::POLLNVAL) {
                return Some("port error".into());
            }
            match port.read(&mut buffer) {
                // Readable yet nothing to read: the device hung up.
                Ok(0) => return Some("unplugged".into()),
                Ok(n) => {
                    for line in lines.feed(&buffer[..n]) {
                        match line {
                            Line::Code(code) => reporter.scan(code),
                            Line::Discarded(discard) => reporter.discarded(discard),
                        }
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Some(e.to_string()),
            }
        }
        None
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn supported_rates_and_no_others_have_a_termios_speed() {
            for &rate in SUPPORTED_BAUD_RATES {
                assert!(baud_rate(rate).is_some(), "{rate}");
            }
            for rate in [0, 300, 9601, 230400] {
                assert!(baud_rate(rate).is_none(), "{rate}");
            }
        }
    }
}
