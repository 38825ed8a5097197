//! `[drawer]`: where the cash drawer hangs and the pulse that opens it. Most drawers hang on the
//! receipt printer's drawer connector and open on ESC p; some have their own serial (or
//! USB-serial) port and open on any byte written to it; a till without a drawer sends nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ConfigError;

/// Where the drawer's pulse goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DrawerConnection {
    /// ESC p through the receipt printer (`[printer] target`).
    #[default]
    Printer,
    /// Its own serial or USB-serial port, e.g. `/dev/ttyUSB0`.
    Port(PathBuf),
    /// No drawer: opening it sends nothing.
    None,
}

/// The drawer connector pin the drawer is wired to (ESC p `m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DrawerPin {
    #[default]
    Pin2,
    Pin5,
}

/// The validated `[drawer]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerSettings {
    pub connection: DrawerConnection,
    pub pin: DrawerPin,
    /// How long the drawer's solenoid is driven, in milliseconds (2 to 510).
    pub pulse_on_ms: u16,
    /// The pause after the pulse, in milliseconds (2 to 510).
    pub pulse_off_ms: u16,
}

impl Default for DrawerSettings {
    fn default() -> Self {
        Self {
            connection: DrawerConnection::Printer,
            pin: DrawerPin::Pin2,
            pulse_on_ms: 50,
            pulse_off_ms: 500,
        }
    }
}

impl DrawerSettings {
    /// The ESC p parameters `m`, `t1`, `t2`: the pin, then the on and off times in the
    /// command's units of 2 ms (a time between two units is rounded up, so the drawer gets at
    /// least the pulse asked for).
    pub fn pulse_parameters(&self) -> (u8, u8, u8) {
        let pin = match self.pin {
            DrawerPin::Pin2 => 0,
            DrawerPin::Pin5 => 1,
        };
        let units = |ms: u16| u8::try_from(ms.div_ceil(2)).unwrap_or(u8::MAX);
        (pin, units(self.pulse_on_ms), units(self.pulse_off_ms))
    }
}

/// How the drawer is connected, as written.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum ConnectionKind {
    Printer,
    Port,
    None,
}

/// `[drawer]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub(super) struct DrawerSection {
    connection: Option<ConnectionKind>,
    port: Option<PathBuf>,
    pin: Option<u8>,
    pulse_on_ms: Option<u16>,
    pulse_off_ms: Option<u16>,
}

/// The longest time ESC p can express: 255 units of 2 ms.
const LONGEST_PULSE_MS: u16 = 510;

impl DrawerSection {
    /// Checks the table: `port` goes with `connection = "port"` (which it implies when
    /// `connection` is left out), the pin is 2 or 5, the times fit ESC p.
    pub(super) fn validate(self, origin: &Path) -> Result<DrawerSettings, ConfigError> {
        let invalid = |key: &str, reason: String| {
            ConfigError::invalid(Some(origin), format!("[drawer] {key}"), reason)
        };
        let kind = self.connection.unwrap_or(match self.port {
            Some(_) => ConnectionKind::Port,
            None => ConnectionKind::Printer,
        });
        let connection = match (kind, self.port) {
            (ConnectionKind::Port, None) => {
                return Err(invalid(
                    "port",
                    "connection = \"port\" needs the drawer's device, e.g. port = \"/dev/ttyUSB0\""
                        .to_owned(),
                ));
            }
            (ConnectionKind::Port, Some(port)) if !port.is_absolute() => {
                return Err(invalid(
                    "port",
                    format!(
                        "must be a device path such as \"/dev/ttyUSB0\", got {:?}",
                        port.display().to_string()
                    ),
                ));
            }
            (ConnectionKind::Port, Some(port)) => DrawerConnection::Port(port),
            (other, Some(_)) => {
                let named = if other == ConnectionKind::None {
                    "none"
                } else {
                    "printer"
                };
                return Err(invalid(
                    "port",
                    format!("is only used with connection = \"port\" (connection is \"{named}\")"),
                ));
            }
            (ConnectionKind::Printer, None) => DrawerConnection::Printer,
            (ConnectionKind::None, None) => DrawerConnection::None,
        };
        let pin = match self.pin {
            None | Some(2) => DrawerPin::Pin2,
            Some(5) => DrawerPin::Pin5,
            Some(other) => {
                return Err(invalid(
                    "pin",
                    format!("must be 2 or 5 (the drawer connector pin), got {other}"),
                ));
            }
        };
        let defaults = DrawerSettings::default();
        let time = |key: &str, value: Option<u16>, default: u16| match value {
            None => Ok(default),
            Some(ms) if (1..=LONGEST_PULSE_MS).contains(&ms) => Ok(ms),
            Some(ms) => Err(invalid(
                key,
                format!("must be 1 to {LONGEST_PULSE_MS} milliseconds, got {ms}"),
            )),
        };
        Ok(DrawerSettings {
            connection,
            pin,
            pulse_on_ms: time("pulse_on_ms", self.pulse_on_ms, defaults.pulse_on_ms)?,
            pulse_off_ms: time("pulse_off_ms", self.pulse_off_ms, defaults.pulse_off_ms)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, DrawerConnection, DrawerPin, DrawerSettings};
    use std::path::{Path, PathBuf};

    fn parse(text: &str) -> Result<DrawerSettings, String> {
        Config::from_toml_str(text, Path::new("/etc/regi/regi.toml"))
            .map(|c| c.drawer)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn without_a_drawer_table_the_drawer_hangs_on_the_printer_with_the_usual_pulse() {
        let drawer = parse("").unwrap();
        assert_eq!(drawer, DrawerSettings::default());
        assert_eq!(drawer.connection, DrawerConnection::Printer);
        assert_eq!(drawer.pulse_parameters(), (0, 25, 250));
    }

    #[test]
    fn each_form_of_the_drawer_table_reads_as_written() {
        assert_eq!(
            parse("[drawer]\nconnection = \"printer\"\npin = 5\n")
                .unwrap()
                .pin,
            DrawerPin::Pin5
        );
        let port = DrawerConnection::Port(PathBuf::from("/dev/ttyUSB0"));
        assert_eq!(
            parse("[drawer]\nconnection = \"port\"\nport = \"/dev/ttyUSB0\"\n")
                .unwrap()
                .connection,
            port
        );
        // A port alone says where the drawer is.
        assert_eq!(
            parse("[drawer]\nport = \"/dev/ttyUSB0\"\n")
                .unwrap()
                .connection,
            port
        );
        assert_eq!(
            parse("[drawer]\nconnection = \"none\"\n")
                .unwrap()
                .connection,
            DrawerConnection::None
        );
        let timed = parse("[drawer]\npin = 5\npulse_on_ms = 101\npulse_off_ms = 200\n").unwrap();
        assert_eq!(timed.pulse_parameters(), (1, 51, 100));
    }

    #[test]
    fn bad_drawer_values_are_refused_naming_the_key_and_what_is_allowed() {
        for (text, key, says) in [
            ("[drawer]\npin = 3\n", "[drawer] pin", "2 or 5"),
            (
                "[drawer]\nconnection = \"port\"\n",
                "[drawer] port",
                "/dev/ttyUSB0",
            ),
            (
                "[drawer]\nconnection = \"none\"\nport = \"/dev/ttyUSB0\"\n",
                "[drawer] port",
                "only used with connection = \"port\"",
            ),
            (
                "[drawer]\nport = \"ttyUSB0\"\n",
                "[drawer] port",
                "device path",
            ),
            (
                "[drawer]\npulse_on_ms = 0\n",
                "[drawer] pulse_on_ms",
                "1 to 510",
            ),
            (
                "[drawer]\npulse_off_ms = 600\n",
                "[drawer] pulse_off_ms",
                "1 to 510",
            ),
            ("[drawer]\nconnection = \"usb\"\n", "connection", "printer"),
            ("[drawer]\nkick = true\n", "kick", "drawer"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(key), "{text}: {err}");
            assert!(err.contains(says), "{text}: {err}");
            assert!(err.contains("/etc/regi/regi.toml"), "{text}: {err}");
        }
    }

    #[test]
    fn the_old_printer_drawer_kick_is_still_accepted() {
        let config = Config::from_toml_str(
            "[printer]\ndrawer_kick = true\n",
            Path::new("/etc/regi/regi.toml"),
        )
        .unwrap();
        assert!(config.printer.drawer_kick);
        assert_eq!(config.drawer.connection, DrawerConnection::Printer);
    }
}
