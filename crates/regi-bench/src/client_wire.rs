//! Where the time of a GetCashtray goes: the same enveloped request regi sends, made by hand on a
//! plain HTTP client (so the difference to regi's figure is the client's own overhead), and the
//! CPU cost of the envelope and JSON work alone on one real answer.

use std::time::{Duration, Instant};

use anyhow::Context;
use uuid::Uuid;

use regi_pokepay::ApiSettings;
use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay::endpoints::{Call, GetCashtray};
use regi_pokepay::wire::{CashtrayWithResult, InnerRequest, RequestEnvelope, ResponseEnvelope};

/// GetCashtray made by hand: seal, send, open, parse — no retries, no logging, no timeouts.
pub struct BareGetCashtray {
    http: reqwest::Client,
    key: EnvelopeKey,
    client_id: String,
    method: reqwest::Method,
    url: String,
    /// The last answer's body, for the CPU figures.
    pub last_body: Vec<u8>,
}

impl BareGetCashtray {
    pub fn new(api: &ApiSettings, base_url: &str, tray: Uuid) -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder().build()?,
            key: EnvelopeKey::from_client_secret(api.client_secret.expose())
                .map_err(|_| anyhow::anyhow!("the client secret is not usable"))?,
            client_id: api.client_id.clone(),
            method: reqwest::Method::from_bytes(
                GetCashtray::OPERATION.endpoint().method.as_bytes(),
            )?,
            url: format!("{base_url}{}", GetCashtray::path(&tray)),
            last_body: Vec::new(),
        })
    }

    pub fn envelope(&self) -> RequestEnvelope {
        let inner = InnerRequest {
            request_data: serde_json::json!({}),
            timestamp: chrono::Utc::now().to_rfc3339(),
            partner_call_id: Uuid::new_v4().to_string(),
        };
        RequestEnvelope {
            partner_client_id: self.client_id.clone(),
            data: self
                .key
                .seal(&serde_json::to_string(&inner).unwrap_or_default()),
            request_method: None,
        }
    }

    pub fn decode(&self, body: &[u8]) -> anyhow::Result<CashtrayWithResult> {
        let outer: ResponseEnvelope = serde_json::from_slice(body)?;
        let plain = self
            .key
            .open(&outer.response_data)
            .map_err(|e| anyhow::anyhow!("answer does not open: {e}"))?;
        Ok(serde_json::from_str(&plain)?)
    }

    pub async fn call(&mut self) -> anyhow::Result<()> {
        let envelope = self.envelope();
        let response = self
            .http
            .request(self.method.clone(), &self.url)
            .json(&envelope)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?.to_vec();
        if !status.is_success() {
            anyhow::bail!("HTTP {status}");
        }
        self.decode(&body).context("GetCashtray answer")?;
        self.last_body = body;
        Ok(())
    }

    /// Microseconds per sealing of a request and per opening and parsing of the last answer.
    pub fn codec_cost(&self, rounds: u32) -> (f64, f64) {
        let rounds = rounds.max(1);
        let started = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(serde_json::to_vec(&self.envelope()).unwrap_or_default());
        }
        let seal = per_round(started.elapsed(), rounds);
        let started = Instant::now();
        for _ in 0..rounds {
            let _ = std::hint::black_box(self.decode(&self.last_body));
        }
        (seal, per_round(started.elapsed(), rounds))
    }
}

fn per_round(total: Duration, rounds: u32) -> f64 {
    total.as_secs_f64() * 1e6 / f64::from(rounds)
}
