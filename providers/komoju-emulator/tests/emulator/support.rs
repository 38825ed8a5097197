//! A running emulator with a manual clock and a plain HTTP client that authenticates like the
//! cURL samples (`-u sk_…:`).

use std::sync::Arc;

use regi_komoju_emulator::{EmulatorConfig, ManualClock, RunningEmulator};
use serde_json::{Value, json};

pub struct Raw {
    pub emulator: RunningEmulator,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
}

pub async fn raw() -> Raw {
    raw_with(EmulatorConfig::default()).await
}

pub async fn raw_with(config: EmulatorConfig) -> Raw {
    let clock = Arc::new(ManualClock::starting_now());
    let config = EmulatorConfig {
        clock: clock.clone(),
        ..config
    };
    let emulator = regi_komoju_emulator::start(config).await.unwrap();
    Raw {
        emulator,
        clock,
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
    }
}

pub fn session_body(amount: i64) -> Value {
    json!({
        "mode": "payment",
        "amount": amount,
        "currency": "JPY",
        "payment_types": ["paypay", "linepay"],
        "expires_in_seconds": 600,
        "default_locale": "ja",
        "payment_data": {"external_order_num": "R-1", "capture": "auto"},
        "metadata": {"terminal": "till-1"}
    })
}

impl Raw {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.api_base_url)
    }

    pub fn key(&self) -> &str {
        self.emulator.secret_key.expose()
    }

    pub async fn post(&self, path: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
        let mut request = self
            .http
            .post(self.url(path))
            .basic_auth(self.key(), Some(""))
            .header("X-KOMOJU-API-VERSION", "2025-01-28")
            .json(body);
        if let Some(key) = key {
            request = request.header("X-KOMOJU-IDEMPOTENCY", key);
        }
        read(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .http
            .get(self.url(path))
            .basic_auth(self.key(), Some(""))
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// A pending session's JSON.
    pub async fn session(&self, amount: i64) -> Value {
        let (status, session) = self.post("/sessions", &session_body(amount), None).await;
        assert_eq!(status, 200, "{session}");
        session
    }
}

pub async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The error envelope's code and param.
pub fn code_and_param(body: &Value) -> (&str, Option<&str>) {
    (
        body["error"]["code"].as_str().unwrap_or(""),
        body["error"]["param"].as_str(),
    )
}
