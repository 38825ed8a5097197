//! One GET written by hand on one kept-alive blocking socket: the least any client can do to read
//! the same answer, so the floor has no HTTP library in it at all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{Context, bail};

/// `GET path` with fixed headers, sent again and again on one connection.
pub struct RawGet {
    reader: BufReader<TcpStream>,
    request: Vec<u8>,
}

impl RawGet {
    /// Only for plain `http://host:port…` (a sandbox or emulator on loopback); `None` for https.
    /// `headers` are whole lines without the line end, e.g. an `Authorization` line.
    pub fn connect(base_url: &str, path: &str, headers: &[String]) -> anyhow::Result<Option<Self>> {
        let Some(rest) = base_url.strip_prefix("http://") else {
            return Ok(None);
        };
        // The base may carry a prefix (`/api/v1`); the socket only needs the authority.
        let authority = rest.split('/').next().unwrap_or(rest);
        let stream = TcpStream::connect(authority)
            .with_context(|| format!("cannot connect to {authority}"))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Some(Self {
            reader: BufReader::new(stream),
            request: request_bytes(authority, path, headers),
        }))
    }

    /// Sends the request and reads the whole answer; an error unless it is a 2xx.
    pub fn get(&mut self) -> anyhow::Result<()> {
        self.reader.get_mut().write_all(&self.request)?;
        let mut length = None;
        let mut status_ok = false;
        let mut line = String::new();
        let mut first = true;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("the server closed the connection");
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if first {
                status_ok = is_success_status_line(trimmed);
                first = false;
            }
            if let Some((name, value)) = trimmed.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length.context("the answer has no Content-Length")?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        if !status_ok {
            bail!("the hand-written GET did not answer 2xx");
        }
        Ok(())
    }
}

fn request_bytes(authority: &str, path: &str, headers: &[String]) -> Vec<u8> {
    let mut text = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.into_bytes()
}

fn is_success_status_line(line: &str) -> bool {
    line.strip_prefix("HTTP/1.1 ")
        .is_some_and(|rest| rest.starts_with('2'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_carries_its_headers_and_ends_with_a_blank_line() {
        let bytes = request_bytes(
            "127.0.0.1:4010",
            "/api/v1/sessions/abc",
            &["Authorization: Basic eDo=".to_string()],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "GET /api/v1/sessions/abc HTTP/1.1\r\nHost: 127.0.0.1:4010\r\n\
             Authorization: Basic eDo=\r\n\r\n"
        );
    }

    #[test]
    fn only_a_2xx_status_line_counts_as_success() {
        assert!(is_success_status_line("HTTP/1.1 200 OK"));
        assert!(is_success_status_line("HTTP/1.1 201 Created"));
        assert!(!is_success_status_line("HTTP/1.1 401 Unauthorized"));
        assert!(!is_success_status_line("garbage"));
    }

    #[test]
    fn https_has_no_hand_written_floor() {
        assert!(
            RawGet::connect("https://komoju.com/api/v1", "/sessions/x", &[])
                .unwrap()
                .is_none()
        );
    }
}
