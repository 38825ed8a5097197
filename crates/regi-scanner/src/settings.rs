//! The `[scanner]` section of regi's configuration.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::hid::KeyboardLayout;
use super::serial::SUPPORTED_BAUD_RATES;

/// Where scans come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Read the scanner's USB HID keyboard interface directly (bypasses the OS layout and IME).
    /// Keystrokes reaching the terminal are still watched for scanner bursts.
    #[default]
    Usb,
    /// Only watch keystrokes in the terminal for scanner-speed bursts.
    Wedge,
    /// One code per line from a FIFO, a file or stdin (`fifo_path = "-"`), for automation.
    Fifo,
    /// A scanner in serial mode: USB CDC-ACM (`/dev/ttyACM0`) or RS-232 (`serial_path`).
    Serial,
    /// No scanner: nothing is read, and keystrokes in the terminal are never taken for scans.
    None,
}

/// Scanner configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScannerSettings {
    pub source: SourceKind,
    /// `"vvvv:pppp"` (hex) of the scanner to claim; empty = the first known scanner brand found.
    pub usb_device: String,
    /// Layout the scanner emulates: `us` or `jis`.
    pub layout: KeyboardLayout,
    /// Text the scanner puts before every code (an AIM id, a store prefix); cut off when present.
    pub prefix: String,
    /// Text the scanner puts after every code, before the Enter/Tab; cut off when present.
    pub suffix: String,
    pub wedge: WedgeThresholds,
    /// FIFO or file to read codes from when `source = "fifo"`; `"-"` is stdin.
    pub fifo_path: Option<PathBuf>,
    /// Serial port of a scanner in serial mode when `source = "serial"`.
    pub serial_path: Option<PathBuf>,
    /// Baud rate for `serial_path` (USB CDC-ACM ignores it).
    pub serial_baud: u32,
}

impl Default for ScannerSettings {
    fn default() -> Self {
        ScannerSettings {
            source: SourceKind::Usb,
            usb_device: String::new(),
            layout: KeyboardLayout::Us,
            prefix: String::new(),
            suffix: String::new(),
            wedge: WedgeThresholds::default(),
            fifo_path: None,
            serial_path: None,
            serial_baud: 9600,
        }
    }
}

/// When keystrokes in the terminal count as a scan (`[scanner.wedge]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WedgeThresholds {
    /// Fewest characters before the Enter/Tab.
    pub min_chars: usize,
    /// Longest gap between two keystrokes of one scan, terminator included, in milliseconds.
    pub max_gap_ms: u64,
}

impl Default for WedgeThresholds {
    fn default() -> Self {
        WedgeThresholds {
            min_chars: 6,
            max_gap_ms: 35,
        }
    }
}

impl WedgeThresholds {
    pub fn max_gap(&self) -> Duration {
        Duration::from_millis(self.max_gap_ms)
    }
}

/// A USB vendor and product id pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VidPid {
    pub vendor: u16,
    pub product: u16,
}

impl VidPid {
    /// Parses `"0c2e:0b61"` (hex, optional `0x`, either case).
    pub fn parse(text: &str) -> Option<VidPid> {
        let (vendor, product) = text.trim().split_once(':')?;
        Some(VidPid {
            vendor: parse_hex_u16(vendor)?,
            product: parse_hex_u16(product)?,
        })
    }
}

impl std::fmt::Display for VidPid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04x}:{:04x}", self.vendor, self.product)
    }
}

fn parse_hex_u16(text: &str) -> Option<u16> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(digits, 16).ok()
}

/// A `[scanner]` value that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("scanner.usb_device {0:?} is not \"vvvv:pppp\" in hex (for example \"0c2e:0b61\")")]
    BadUsbDevice(String),
    #[error(
        "scanner.source = \"fifo\" needs scanner.fifo_path (a FIFO, a file, or \"-\" for stdin)"
    )]
    MissingFifoPath,
    #[error("scanner.source = \"serial\" needs scanner.serial_path (for example \"/dev/ttyACM0\")")]
    MissingSerialPath,
    #[error(
        "scanner.serial_baud {0} is not one of {rates}",
        rates = supported_baud_rates()
    )]
    BadBaud(u32),
    #[error("scanner.wedge.min_chars must be at least 1")]
    ZeroMinChars,
    #[error("scanner.wedge.max_gap_ms must be between 1 and 1000")]
    BadMaxGap,
}

/// [`SUPPORTED_BAUD_RATES`] for messages: `1200, 2400, …`.
fn supported_baud_rates() -> String {
    SUPPORTED_BAUD_RATES
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl ScannerSettings {
    /// Checks what serde cannot: the device id, the FIFO path, the thresholds.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.usb_selector()?;
        if self.source == SourceKind::Fifo && self.fifo_path.is_none() {
            return Err(SettingsError::MissingFifoPath);
        }
        if self.source == SourceKind::Serial && self.serial_path.is_none() {
            return Err(SettingsError::MissingSerialPath);
        }
        if !SUPPORTED_BAUD_RATES.contains(&self.serial_baud) {
            return Err(SettingsError::BadBaud(self.serial_baud));
        }
        if self.wedge.min_chars == 0 {
            return Err(SettingsError::ZeroMinChars);
        }
        if !(1..=1000).contains(&self.wedge.max_gap_ms) {
            return Err(SettingsError::BadMaxGap);
        }
        Ok(())
    }

    /// The configured device, or `None` to pick a known scanner brand.
    pub fn usb_selector(&self) -> Result<Option<VidPid>, SettingsError> {
        if self.usb_device.trim().is_empty() {
            return Ok(None);
        }
        VidPid::parse(&self.usb_device)
            .map(Some)
            .ok_or_else(|| SettingsError::BadUsbDevice(self.usb_device.clone()))
    }

    /// Whether the TUI should watch its keystrokes for scanner bursts.
    pub fn wedge_enabled(&self) -> bool {
        self.source != SourceKind::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_parses() {
        let text = r#"
            source = "usb"
            usb_device = "0c2e:0b61"
            layout = "jis"
            prefix = ""
            suffix = ""
            fifo_path = "/run/regi/scans"
            serial_path = "/dev/ttyACM0"
            serial_baud = 9600
            [wedge]
            min_chars = 6
            max_gap_ms = 35
        "#;
        let settings: ScannerSettings = toml::from_str(text).expect("parses");
        assert_eq!(settings.layout, KeyboardLayout::Jis);
        assert_eq!(
            settings.usb_selector(),
            Ok(Some(VidPid {
                vendor: 0x0c2e,
                product: 0x0b61
            }))
        );
        assert_eq!(settings.validate(), Ok(()));
    }

    #[test]
    fn empty_section_gives_defaults() {
        let settings: ScannerSettings = toml::from_str("").expect("parses");
        assert_eq!(settings, ScannerSettings::default());
        assert_eq!(settings.usb_selector(), Ok(None));
    }

    #[test]
    fn unknown_keys_and_values_are_rejected() {
        assert!(toml::from_str::<ScannerSettings>("sauce = \"usb\"").is_err());
        assert!(toml::from_str::<ScannerSettings>("layout = \"dvorak\"").is_err());
        assert!(toml::from_str::<ScannerSettings>("[wedge]\nmin = 3").is_err());
    }

    #[test]
    fn validation_names_the_problem() {
        let mut s = ScannerSettings {
            usb_device: "0c2e-0b61".into(),
            ..ScannerSettings::default()
        };
        assert!(matches!(s.validate(), Err(SettingsError::BadUsbDevice(_))));
        s.usb_device = "0x0C2E:0b61".into();
        assert_eq!(s.validate(), Ok(()));
        s.source = SourceKind::Fifo;
        assert_eq!(s.validate(), Err(SettingsError::MissingFifoPath));
        s.source = SourceKind::Serial;
        assert_eq!(s.validate(), Err(SettingsError::MissingSerialPath));
        s.serial_path = Some("/dev/ttyACM0".into());
        s.serial_baud = 9601;
        assert_eq!(s.validate(), Err(SettingsError::BadBaud(9601)));
        assert_eq!(
            SettingsError::BadBaud(9601).to_string(),
            "scanner.serial_baud 9601 is not one of \
             1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200"
        );
        s.serial_baud = 115200;
        assert_eq!(s.validate(), Ok(()));
        s.source = SourceKind::Wedge;
        s.wedge.max_gap_ms = 0;
        assert_eq!(s.validate(), Err(SettingsError::BadMaxGap));
    }

    #[test]
    fn only_source_none_turns_the_wedge_off() {
        for source in [
            SourceKind::Usb,
            SourceKind::Wedge,
            SourceKind::Fifo,
            SourceKind::Serial,
        ] {
            let s = ScannerSettings {
                source,
                ..ScannerSettings::default()
            };
            assert!(s.wedge_enabled(), "{source:?}");
        }
        let none = ScannerSettings {
            source: SourceKind::None,
            ..ScannerSettings::default()
        };
        assert!(!none.wedge_enabled());
    }

    #[test]
    fn vid_pid_parsing_is_strict_about_shape() {
        assert_eq!(
            VidPid::parse("05e0:1200").map(|v| v.to_string()),
            Some("05e0:1200".into())
        );
        for bad in [
            "",
            ":",
            "05e0",
            "05e0:",
            "12345:1",
            "zz:01",
            "05e0:1200:1",
            "+5e0:1",
        ] {
            assert_eq!(VidPid::parse(bad), None, "{bad}");
        }
    }
}
