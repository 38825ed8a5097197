//! Printer addresses as written in the configuration and on the command line.

use std::fmt;
use std::path::PathBuf;

use super::{
    DeviceTransport, FileTransport, PrinterTransport, TcpTransport, Timeouts, TransportError,
    UsbTransport,
};

pub const DEFAULT_TCP_PORT: u16 = 9100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `usb` (the first printer-class device), `usb:04b8` or `usb:04b8:0e28`.
    Usb {
        vendor_id: Option<u16>,
        product_id: Option<u16>,
    },
    /// `tcp:HOST:9100` or `tcp:HOST`.
    Tcp { host: String, port: u16 },
    /// `device:/dev/usb/lp0`.
    Device(PathBuf),
    /// `file:PATH`: the bytes are written to a file.
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error(
        "printer target {0:?} is not one of usb[:VID[:PID]], tcp:HOST[:PORT], device:PATH, file:PATH"
    )]
    Unknown(String),
    #[error("{0:?} is not a hexadecimal USB id (like 04b8)")]
    BadUsbId(String),
    #[error("{0:?} is not a TCP port")]
    BadPort(String),
    #[error("printer target {0:?} has an empty host or path")]
    Empty(String),
}

fn usb_id(text: &str) -> Result<u16, TargetError> {
    u16::from_str_radix(text, 16).map_err(|_| TargetError::BadUsbId(text.to_owned()))
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, TargetError> {
        let text = text.trim();
        let (scheme, rest) = text.split_once(':').unwrap_or((text, ""));
        let non_empty = |rest: &str| {
            if rest.is_empty() {
                Err(TargetError::Empty(text.to_owned()))
            } else {
                Ok(PathBuf::from(rest))
            }
        };
        match scheme {
            "usb" => {
                let mut ids = rest.split(':').filter(|s| !s.is_empty());
                let vendor_id = ids.next().map(usb_id).transpose()?;
                let product_id = ids.next().map(usb_id).transpose()?;
                if ids.next().is_some() {
                    return Err(TargetError::Unknown(text.to_owned()));
                }
                Ok(Target::Usb {
                    vendor_id,
                    product_id,
                })
            }
            "tcp" => {
                let (host, port) = split_host_port(rest)?;
                if host.is_empty() {
                    return Err(TargetError::Empty(text.to_owned()));
                }
                Ok(Target::Tcp { host, port })
            }
            "device" => Ok(Target::Device(non_empty(rest)?)),
            "file" => Ok(Target::File(non_empty(rest)?)),
            _ => Err(TargetError::Unknown(text.to_owned())),
        }
    }

    pub fn open(&self, timeouts: Timeouts) -> Result<Box<dyn PrinterTransport>, TransportError> {
        Ok(match self {
            Target::Usb {
                vendor_id,
                product_id,
            } => Box::new(UsbTransport::open(*vendor_id, *product_id, timeouts)?),
            Target::Tcp { host, port } => Box::new(TcpTransport::new(host, *port, timeouts)),
            Target::Device(path) => Box::new(DeviceTransport::new(path, timeouts)),
            Target::File(path) => Box::new(FileTransport::create(path)?),
        })
    }
}

/// `HOST`, `HOST:PORT`, `[v6]:PORT`, `[v6]`.
fn split_host_port(rest: &str) -> Result<(String, u16), TargetError> {
    let port = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| TargetError::BadPort(p.to_owned()))
    };
    if let Some(bracketed) = rest.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| TargetError::Unknown(format!("tcp:{rest}")))?;
        return match after.strip_prefix(':') {
            Some(p) => Ok((host.to_owned(), port(p)?)),
            None if after.is_empty() => Ok((host.to_owned(), DEFAULT_TCP_PORT)),
            None => Err(TargetError::Unknown(format!("tcp:{rest}"))),
        };
    }
    match rest.rsplit_once(':') {
        Some((host, p)) if !host.contains(':') => Ok((host.to_owned(), port(p)?)),
        _ => Ok((rest.to_owned(), DEFAULT_TCP_PORT)),
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Usb {
                vendor_id,
                product_id,
            } => {
                f.write_str("usb")?;
                if let Some(v) = vendor_id {
                    write!(f, ":{v:04x}")?;
                }
                if let Some(p) = product_id {
                    write!(f, ":{p:04x}")?;
                }
                Ok(())
            }
            Target::Tcp { host, port } if host.contains(':') => write!(f, "tcp:[{host}]:{port}"),
            Target::Tcp { host, port } => write!(f, "tcp:{host}:{port}"),
            Target::Device(path) => write!(f, "device:{}", path.display()),
            Target::File(path) => write!(f, "file:{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        assert_eq!(
            Target::parse("usb:04b8:0e28"),
            Ok(Target::Usb {
                vendor_id: Some(0x04b8),
                product_id: Some(0x0e28)
            })
        );
        assert_eq!(
            Target::parse("usb"),
            Ok(Target::Usb {
                vendor_id: None,
                product_id: None
            })
        );
        assert_eq!(
            Target::parse("tcp:192.168.1.50:9100"),
            Ok(Target::Tcp {
                host: "192.168.1.50".into(),
                port: 9100
            })
        );
        assert_eq!(
            Target::parse("tcp:printer.local"),
            Ok(Target::Tcp {
                host: "printer.local".into(),
                port: 9100
            })
        );
        assert_eq!(
            Target::parse("tcp:[::1]:9101"),
            Ok(Target::Tcp {
                host: "::1".into(),
                port: 9101
            })
        );
        assert_eq!(
            Target::parse("device:/dev/usb/lp0"),
            Ok(Target::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            Target::parse("file:/tmp/r.bin"),
            Ok(Target::File("/tmp/r.bin".into()))
        );
    }

    #[test]
    fn rejects_nonsense() {
        assert!(matches!(
            Target::parse("usb:zz"),
            Err(TargetError::BadUsbId(_))
        ));
        assert!(matches!(
            Target::parse("usb:1:2:3"),
            Err(TargetError::Unknown(_))
        ));
        assert!(matches!(
            Target::parse("tcp:host:99999"),
            Err(TargetError::BadPort(_))
        ));
        assert!(matches!(Target::parse("tcp:"), Err(TargetError::Empty(_))));
        assert!(matches!(Target::parse("file:"), Err(TargetError::Empty(_))));
        assert!(matches!(
            Target::parse("lpt1"),
            Err(TargetError::Unknown(_))
        ));
        assert!(matches!(Target::parse(""), Err(TargetError::Unknown(_))));
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "usb",
            "usb:04b8:0e28",
            "tcp:10.0.0.9:9100",
            "tcp:[::1]:9100",
            "device:/dev/usb/lp0",
            "file:out.bin",
        ] {
            let target = Target::parse(text).expect("valid");
            assert_eq!(target.to_string(), text);
        }
    }
}
