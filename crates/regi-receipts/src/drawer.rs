//! Opening the cash drawer: a pulse sent straight to where `[drawer]` says the drawer hangs (the
//! receipt printer's connector by ESC p, or the drawer's own port), never queued. A drawer pulse
//! printed later, when the printer is back, would open the drawer with no one at the till; so a
//! drawer that cannot be opened now is reported, and the clerk opens it by key.

use std::io::Write;
use std::path::Path;

use regi_config::{Config, DrawerConnection, DrawerSettings};
use regi_printer::escpos::EscPos;

/// How a request to open the drawer ended. The sale or movement it was for is already journaled,
/// whatever this says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawerOutcome {
    /// The pulse reached the printer or the drawer's port.
    Opened,
    /// Training, or no drawer configured (`[drawer] connection = "none"`): nothing was sent.
    NotSent,
    /// The printer or port could not be reached; `detail` says why.
    Failed(String),
}

/// The ESC/POS bytes that open the drawer with the default pulse (pin 2, 50 ms).
pub fn drawer_pulse() -> Vec<u8> {
    configured_pulse(&DrawerSettings::default())
}

/// The ESC p pulse `[drawer]` asks for: its pin and timings.
pub fn configured_pulse(settings: &DrawerSettings) -> Vec<u8> {
    let (pin, on, off) = settings.pulse_parameters();
    let mut out = EscPos::new();
    out.drawer_pulse(pin, on, off);
    out.into_bytes()
}

/// Sends the drawer pulse where `[drawer]` says, off the async runtime (a USB or network write
/// can block for its timeout). `training` opens nothing unless training prints too.
pub async fn open_drawer(config: &Config, training: bool) -> DrawerOutcome {
    if training && !config.printer.print_on_training {
        return DrawerOutcome::NotSent;
    }
    let drawer = config.drawer.clone();
    let printer = config.printer.clone();
    let pulse = configured_pulse(&drawer);
    let task = tokio::task::spawn_blocking(move || -> Result<bool, String> {
        match &drawer.connection {
            DrawerConnection::None => Ok(false),
            DrawerConnection::Port(path) => write_to_port(path, &pulse).map(|()| true),
            DrawerConnection::Printer => {
                let target = printer.target().map_err(|e| e.to_string())?;
                let mut transport = target
                    .open(printer.timeouts())
                    .map_err(|e| format!("{target}: {e}"))?;
                transport
                    .write_all(&pulse)
                    .map_err(|e| format!("{target}: {e}"))?;
                Ok(true)
            }
        }
    });
    match task.await {
        Ok(Ok(true)) => DrawerOutcome::Opened,
        Ok(Ok(false)) => DrawerOutcome::NotSent,
        Ok(Err(detail)) => {
            tracing::warn!(%detail, "the cash drawer could not be opened");
            DrawerOutcome::Failed(detail)
        }
        Err(join) => DrawerOutcome::Failed(join.to_string()),
    }
}

/// Writes the pulse to the drawer's own port. A drawer on a serial port opens on any byte, so
/// the port's speed does not matter; it is opened without becoming the till's controlling
/// terminal and without waiting for a carrier the drawer never raises. Nothing is created: a
/// drawer unplugged must not leave a plain file where its device was.
fn write_to_port(path: &Path, pulse: &[u8]) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK);
    }
    let shown = path.display();
    let mut port = options.open(path).map_err(|e| format!("{shown}: {e}"))?;
    port.write_all(pulse)
        .and_then(|()| port.flush())
        .map_err(|e| format!("{shown}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regi_config::DrawerPin;
    use std::path::PathBuf;

    #[test]
    fn the_pulse_is_esc_p_on_pin_2() {
        assert_eq!(drawer_pulse(), vec![0x1b, b'p', 0, 25, 250]);
    }

    fn config_with(connection: DrawerConnection) -> Config {
        let mut config = Config::default();
        config.drawer.connection = connection;
        config
    }

    #[tokio::test]
    async fn a_drawer_on_its_own_port_gets_the_configured_pulse_written_there() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A plain file takes writes as a tty does.
        let port = dir.path().join("ttyUSB0");
        std::fs::write(&port, b"").expect("port");
        let mut config = config_with(DrawerConnection::Port(port.clone()));
        config.drawer.pin = DrawerPin::Pin5;
        config.drawer.pulse_on_ms = 100;
        // The printer is nowhere: the port alone is used.
        config.printer.target = format!("file:{}", dir.path().join("no/such/dir").display());
        assert_eq!(open_drawer(&config, false).await, DrawerOutcome::Opened);
        assert_eq!(
            std::fs::read(&port).expect("read"),
            [0x1b, b'p', 1, 50, 250]
        );
    }

    #[tokio::test]
    async fn a_missing_drawer_port_fails_naming_it_and_creates_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = dir.path().join("ttyUSB9");
        let config = config_with(DrawerConnection::Port(port.clone()));
        match open_drawer(&config, false).await {
            DrawerOutcome::Failed(detail) => assert!(detail.contains("ttyUSB9"), "{detail}"),
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(!port.exists());
    }

    #[tokio::test]
    async fn an_unreachable_printer_fails_with_a_message_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = config_with(DrawerConnection::Printer);
        let missing: PathBuf = dir.path().join("missing").join("printer.bin");
        config.printer.target = format!("file:{}", missing.display());
        match open_drawer(&config, false).await {
            DrawerOutcome::Failed(detail) => assert!(detail.contains("printer.bin"), "{detail}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn no_drawer_and_training_send_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("printer.bin");
        let mut config = config_with(DrawerConnection::None);
        config.printer.target = format!("file:{}", out.display());
        assert_eq!(open_drawer(&config, false).await, DrawerOutcome::NotSent);
        config.drawer.connection = DrawerConnection::Printer;
        assert_eq!(open_drawer(&config, true).await, DrawerOutcome::NotSent);
        assert!(!out.exists());
        assert_eq!(open_drawer(&config, false).await, DrawerOutcome::Opened);
        assert_eq!(std::fs::read(&out).expect("read"), drawer_pulse());
    }
}
