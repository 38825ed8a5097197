//! Network printers on a raw TCP port (9100). One connection, opened on first use and again after
//! any failure.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};

use super::{PrinterTransport, Timeouts, TransportError, query_status};
use crate::status::PrinterStatus;

pub struct TcpTransport {
    host: String,
    port: u16,
    timeouts: Timeouts,
    stream: Option<TcpStream>,
}

impl TcpTransport {
    pub fn new(host: &str, port: u16, timeouts: Timeouts) -> Self {
        Self {
            host: host.to_owned(),
            port,
            timeouts,
            stream: None,
        }
    }

    fn connect(&self) -> Result<TcpStream, TransportError> {
        let what = || format!("cannot connect to {}", self.describe());
        let addrs = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| TransportError::io(what(), e))?;
        let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.timeouts.connect) {
                Ok(stream) => {
                    let setup = stream
                        .set_write_timeout(Some(self.timeouts.write))
                        .and_then(|()| stream.set_read_timeout(Some(self.timeouts.status)))
                        .and_then(|()| stream.set_nodelay(true));
                    setup.map_err(|e| TransportError::io(what(), e))?;
                    return Ok(stream);
                }
                Err(e) => last = e,
            }
        }
        Err(TransportError::io(what(), last))
    }

    /// Runs `f` on the connection; a failure drops it so the next call reconnects.
    fn with_stream<T>(
        &mut self,
        f: impl FnOnce(&mut TcpStream) -> Result<T, TransportError>,
    ) -> Result<T, TransportError> {
        let mut stream = match self.stream.take() {
            Some(stream) => stream,
            None => self.connect()?,
        };
        let result = f(&mut stream);
        if result.is_ok() {
            self.stream = Some(stream);
        }
        result
    }
}

impl PrinterTransport for TcpTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let what = format!("cannot send to {}", self.describe());
        self.with_stream(|s| {
            s.write_all(bytes)
                .and_then(|()| s.flush())
                .map_err(|e| TransportError::io(what, e))
        })
    }

    fn status(&mut self) -> Option<Result<PrinterStatus, TransportError>> {
        Some(self.with_stream(|s| {
            query_status(|request| {
                s.write_all(request)
                    .map_err(|e| TransportError::io("status request", e))?;
                let mut answer = [0u8; 1];
                match s.read(&mut answer) {
                    Ok(1) => Ok(answer[0]),
                    Ok(_) => Err(TransportError::NoStatusAnswer),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        Err(TransportError::NoStatusAnswer)
                    }
                    Err(e) => Err(TransportError::io("status answer", e)),
                }
            })
        }))
    }

    fn describe(&self) -> String {
        if self.host.contains(':') {
            format!("tcp:[{}]:{}", self.host, self.port)
        } else {
            format!("tcp:{}:{}", self.host, self.port)
        }
    }
}
