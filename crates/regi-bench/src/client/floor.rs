//! The floor every provider's read is measured against: the same server answering a request with
//! no body, on a kept-alive connection, once with a plain reqwest client (the library regi's
//! clients use) and once with a hand-written HTTP/1.1 exchange.

use std::time::Instant;

use anyhow::Context;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use super::raw::RawGet;
use super::timing::Samples;

/// The two floor clients, aimed at one URL.
pub struct Floor {
    plain: reqwest::Client,
    url: String,
    authorization: Option<HeaderValue>,
    raw: Option<RawGet>,
}

impl Floor {
    /// `GET base_url + path`, with `authorization` (marked sensitive, never printed) when the
    /// server wants a key.
    pub fn new(
        base_url: &str,
        path: &str,
        authorization: Option<HeaderValue>,
    ) -> anyhow::Result<Self> {
        let plain = reqwest::Client::builder()
            .build()
            .context("cannot build the plain HTTP client")?;
        let authorization = authorization.map(|mut value| {
            value.set_sensitive(true);
            value
        });
        let header_lines: Vec<String> = authorization
            .iter()
            .filter_map(|value| value.to_str().ok())
            .map(|value| format!("Authorization: {value}"))
            .collect();
        let raw_path = format!("{}{path}", path_prefix(base_url));
        Ok(Self {
            plain,
            url: format!("{}{path}", base_url.trim_end_matches('/')),
            authorization,
            raw: RawGet::connect(base_url, &raw_path, &header_lines)?,
        })
    }

    /// Whether the hand-written floor is measured (plain http only).
    pub fn has_raw(&self) -> bool {
        self.raw.is_some()
    }

    /// `n` calls of each floor kind, reqwest first.
    pub async fn round(&mut self, n: usize, samples: &mut Samples) -> anyhow::Result<()> {
        for _ in 0..n {
            let started = Instant::now();
            let mut request = self.plain.get(&self.url);
            if let Some(value) = &self.authorization {
                request = request.header(AUTHORIZATION, value.clone());
            }
            let ok = match request.send().await {
                Ok(response) if response.status().is_success() => response.bytes().await.is_ok(),
                _ => false,
            };
            if ok {
                samples.floor.push(started.elapsed());
            } else {
                samples.errors += 1;
            }
        }
        // The raw floor blocks this worker on its socket; nothing else runs here meanwhile.
        if let Some(raw) = self.raw.as_mut() {
            for _ in 0..n {
                let started = Instant::now();
                raw.get()?;
                samples.raw_floor.push(started.elapsed());
            }
        }
        Ok(())
    }
}

/// The path part of a base URL (`/api/v1` of `http://127.0.0.1:4010/api/v1`), without a
/// trailing slash; empty for a bare host.
fn path_prefix(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.find('/')
        .map_or("", |at| rest[at..].trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_written_request_keeps_the_base_urls_path() {
        assert_eq!(path_prefix("http://127.0.0.1:4010/api/v1"), "/api/v1");
        assert_eq!(path_prefix("http://127.0.0.1:4010/api/v1/"), "/api/v1");
        assert_eq!(path_prefix("http://127.0.0.1:4010"), "");
        assert_eq!(path_prefix("http://127.0.0.1:4010/"), "");
    }
}
