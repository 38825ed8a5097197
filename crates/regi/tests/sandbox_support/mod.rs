//! Shared helpers for the sandbox integration tests: a sandbox behind `oneshot`, requests in
//! each envelope style the SDKs use, and (in `process`) the real binary.
#![allow(dead_code)]

pub mod process;

#[allow(unused_imports)]
pub use regi_testkit::envelope_style::{ALL_STYLES, Style};

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay_emulator::{ManualClock, SandboxOptions, SandboxState, router};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const TIMESTAMP: &str = "2024-01-01T12:00:00+09:00";

/// An answer, opened: the HTTP status, whether it came sealed, and the JSON inside.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub sealed: bool,
    pub content_type: String,
    pub outer: Value,
    pub body: Value,
}

impl Answer {
    pub fn error_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or("")
    }
}

pub struct Harness {
    pub state: SandboxState,
    pub clock: Arc<ManualClock>,
    pub router: Router,
    pub key: EnvelopeKey,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_options(SandboxOptions::default())
    }

    pub fn with_options(options: SandboxOptions) -> Self {
        let clock = Arc::new(ManualClock::starting_now());
        let state = SandboxState::new(SandboxOptions {
            seed: options.seed.or(Some(11)),
            clock: clock.clone(),
            ..options
        })
        .expect("sandbox state");
        let key = EnvelopeKey::from_client_secret(state.client_secret().expose()).unwrap();
        Self {
            router: router(state.clone()),
            state,
            clock,
            key,
        }
    }

    pub fn client_id(&self) -> String {
        self.state.client_id().to_string()
    }

    pub fn shop_id(&self) -> String {
        self.state.shop_id().to_string()
    }

    pub fn money_id(&self) -> String {
        self.state.private_money_id().to_string()
    }

    pub fn customer_id(&self, name: &str) -> String {
        self.state
            .customers()
            .into_iter()
            .find(|c| c.name == name)
            .map(|c| c.user_id.to_string())
            .unwrap()
    }

    /// The sealed `data` of a request with these parameters.
    pub fn seal_params(&self, params: &Value) -> String {
        self.seal_inner(&json!({
            "request_data": params,
            "timestamp": TIMESTAMP,
            "partner_call_id": uuid::Uuid::new_v4().to_string(),
        }))
    }

    pub fn seal_inner(&self, inner: &Value) -> String {
        self.key.seal(&inner.to_string())
    }

    /// A request in the given style carrying already-sealed `data`.
    pub fn request_with_data(
        &self,
        style: Style,
        method: &str,
        path: &str,
        data: &str,
    ) -> Request<Body> {
        let outer = style.outer(method, &self.client_id(), data);
        Request::builder()
            .method(outer.verb.as_str())
            .uri(path)
            .header(header::CONTENT_TYPE, outer.content_type)
            .body(Body::from(outer.body))
            .unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let outer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        match outer.get("response_data").and_then(Value::as_str) {
            Some(sealed) => {
                let plain = self.key.open(sealed).expect("response opens with our key");
                let body: Value = serde_json::from_str(&plain).unwrap();
                if status == 200 {
                    // JAVA reads any object with top-level `type` and `message` as an error.
                    assert!(
                        body.get("type").is_none() || body.get("message").is_none(),
                        "success body looks like an error: {body}"
                    );
                }
                Answer {
                    status,
                    sealed: true,
                    content_type,
                    body,
                    outer,
                }
            }
            None => Answer {
                status,
                sealed: false,
                content_type,
                body: outer.clone(),
                outer,
            },
        }
    }

    pub async fn call_styled(
        &self,
        style: Style,
        method: &str,
        path: &str,
        params: Value,
    ) -> Answer {
        let data = self.seal_params(&params);
        self.send(self.request_with_data(style, method, path, &data))
            .await
    }

    /// A call in the PHP/NODE style (real verb, JSON).
    pub async fn call(&self, method: &str, path: &str, params: Value) -> Answer {
        self.call_styled(Style::JsonVerb, method, path, params)
            .await
    }

    pub async fn create_cashtray(&self, amount: i64) -> Answer {
        self.call(
            "POST",
            "/cashtrays",
            json!({"private_money_id": self.money_id(), "shop_id": self.shop_id(), "amount": amount, "description": "test tray", "expires_in": 300}),
        )
        .await
    }

    pub fn cpm_token(&self, customer: &str, scope: regi_pokepay_emulator::CpmScope) -> String {
        self.state
            .issue_cpm_token(customer, &[scope])
            .unwrap()
            .cpm_token
    }

    pub async fn cpm_payment(&self, token: &str, amount: i64, request_id: Option<&str>) -> Answer {
        let mut params = json!({"cpm_token": token, "shop_id": self.shop_id(), "amount": amount});
        if let Some(rid) = request_id {
            params["request_id"] = json!(rid);
        }
        self.call("POST", "/transactions/cpm", params).await
    }

    pub fn balance(&self, customer: &str) -> (i64, i64) {
        let c = self
            .state
            .customers()
            .into_iter()
            .find(|c| c.name == customer)
            .unwrap();
        (c.money_balance, c.point_balance)
    }
}
