//! Shared harness for tests that drive regi's real Partner API client against the built-in
//! sandbox over a loopback socket: settings and a client for a `RunningSandbox`, a sandbox with a
//! manual clock, raw requests in every envelope style, and the official error table's texts.
#![allow(dead_code)]

pub use regi_testkit::envelope_style::{ALL_STYLES, Style};

use std::sync::Arc;
use std::time::Duration;

use regi_core::secret::Secret;
use regi_pokepay::ApiSettings;
use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay::{ApiFailure, CallError, Client};
use regi_pokepay_emulator::{
    CpmScope, CustomerBalance, ManualClock, RunningSandbox, SandboxOptions, start_loopback,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// A running sandbox whose clock only moves when told, and a client pointed at it.
pub struct Harness {
    pub sandbox: RunningSandbox,
    pub clock: Arc<ManualClock>,
    pub client: Client,
}

impl Harness {
    pub async fn start() -> Harness {
        Self::start_with(SandboxOptions::default(), |_| {}).await
    }

    /// A sandbox built from `options` (its clock replaced by a manual one) and a client whose
    /// settings `tweak` may change.
    pub async fn start_with(
        options: SandboxOptions,
        tweak: impl FnOnce(&mut ApiSettings),
    ) -> Harness {
        let clock = Arc::new(ManualClock::starting_now());
        let sandbox = start_loopback(SandboxOptions {
            clock: clock.clone(),
            ..options
        })
        .await
        .expect("the sandbox starts on 127.0.0.1:0");
        let client = client_with(&sandbox, tweak);
        Harness {
            sandbox,
            clock,
            client,
        }
    }

    pub fn shop_id(&self) -> Uuid {
        self.sandbox.shop_id
    }

    pub fn money_id(&self) -> Uuid {
        self.sandbox.private_money_id
    }

    /// The sandbox's time.
    pub fn clock_now(&self) -> regi_pokepay::wire::Timestamp {
        use regi_pokepay_emulator::Clock;
        self.clock.now()
    }

    /// Moves the sandbox's clock forward.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(chrono::Duration::seconds(seconds));
    }

    /// A fresh CPM token the named customer's app shows.
    pub fn cpm_token(&self, customer: &str, scopes: &[CpmScope]) -> String {
        self.sandbox
            .state
            .issue_cpm_token(customer, scopes)
            .expect("the customer can show a code")
            .cpm_token
    }

    pub fn customer(&self, name: &str) -> CustomerBalance {
        self.sandbox
            .state
            .customers()
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no customer {name}"))
    }

    pub fn transaction_count(&self) -> usize {
        self.sandbox.state.transactions().len()
    }
}

/// `ApiSettings` for the sandbox, as training mode builds them: its URL, id and secret.
pub fn settings_for(sandbox: &RunningSandbox) -> ApiSettings {
    ApiSettings::new(
        &sandbox.base_url,
        &sandbox.client_id,
        Secret::new(sandbox.client_secret.expose().clone()),
    )
}

/// A client for the sandbox; `tweak` adjusts the settings first. Retries pause only briefly.
pub fn client_with(sandbox: &RunningSandbox, tweak: impl FnOnce(&mut ApiSettings)) -> Client {
    let mut settings = settings_for(sandbox);
    tweak(&mut settings);
    Client::new(&settings)
        .expect("sandbox settings make a client")
        .with_retry_backoff(Duration::from_millis(10))
}

/// A well-formed client secret that is not the sandbox's.
pub fn foreign_secret() -> String {
    regi_pokepay::codec::encode_base64url(&[0x5a; 32])
}

/// The API failure inside a call error, or a panic naming what came instead.
pub fn api_failure<T: std::fmt::Debug>(result: Result<T, CallError>) -> ApiFailure {
    match result {
        Err(CallError::Api(failure)) => failure,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Asserts status and type of an API failure and that its clerk texts are the error table's.
pub fn assert_failure<T: std::fmt::Debug>(
    result: Result<T, CallError>,
    status: u16,
    kind: &str,
) -> ApiFailure {
    let failure = api_failure(result);
    assert_eq!(
        (failure.status, failure.kind.as_str()),
        (status, kind),
        "{failure}"
    );
    assert_table_texts(&failure);
    failure
}

// ---------------------------------------------------------------------------------------------
// The official error table, read independently of the code under test

const ERROR_TABLE: &str = include_str!("../../../pokepay/error-response.csv");

/// One row: method and path of its section, status, type, ja, en.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub kind: String,
    pub ja: String,
    pub en: String,
}

pub fn table_rows() -> Vec<TableRow> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(ERROR_TABLE.as_bytes());
    let (mut method, mut path) = (String::new(), String::new());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.expect("the table is valid CSV");
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        if !field(0).is_empty() {
            (method, path) = (field(0), field(1));
        }
        rows.push(TableRow {
            method: method.clone(),
            path: path.clone(),
            status: field(2).parse().unwrap_or(0),
            kind: field(3),
            ja: field(4),
            en: field(5),
        });
    }
    rows
}

/// The table's (ja, en) texts for a type, each falling back to the generic text, then to the
/// other language when blank:
/// the row of `endpoint` (method, path template) when it lists the type, else the first row
/// with any text.
pub fn table_texts(kind: &str, endpoint: Option<(&str, &str)>) -> Option<(String, String)> {
    let rows = table_rows();
    let has_text = |r: &&TableRow| r.kind == kind && !(r.ja.is_empty() && r.en.is_empty());
    let row = endpoint
        .and_then(|(m, p)| {
            rows.iter()
                .filter(has_text)
                .find(|r| r.method == m && r.path == p)
        })
        .or_else(|| rows.iter().find(has_text))?;
    // Generic types (`notfound`, ...) have regi's own text where the row leaves a language blank.
    let generic = regi_pokepay::error_table::generic()
        .iter()
        .find(|g| g.kind == kind);
    let pick = |first: &str, generic_text: Option<&str>, second: &str| {
        if !first.is_empty() {
            first.to_string()
        } else if let Some(text) = generic_text {
            text.to_string()
        } else {
            second.to_string()
        }
    };
    Some((
        pick(&row.ja, generic.map(|g| g.ja.as_str()), &row.en),
        pick(&row.en, generic.map(|g| g.en.as_str()), &row.ja),
    ))
}

/// `ja()`/`en()` of a failure are the table's texts for its type.
pub fn assert_table_texts(failure: &ApiFailure) {
    let endpoint = failure.endpoint.map(|e| (e.method, e.template));
    match table_texts(&failure.kind, endpoint) {
        Some((ja, en)) => {
            assert_eq!(failure.ja(), ja, "ja text of {}", failure.kind);
            assert_eq!(failure.en(), en, "en text of {}", failure.kind);
        }
        // Types the table has no text for read as the server's message.
        None => {
            assert!(!failure.message.is_empty(), "{failure:?}");
            assert_eq!(failure.en(), failure.message.trim());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Raw requests over the socket, in each envelope style of the SDKs

/// An answer as read off the socket: status, whether it was sealed, and the JSON inside.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    pub status: u16,
    pub sealed: bool,
    pub body: Value,
}

/// Sends `params` to `method path` in `style`, sealed with the sandbox's own key.
pub async fn raw_call(
    sandbox: &RunningSandbox,
    style: Style,
    method: &str,
    path: &str,
    params: Value,
) -> RawAnswer {
    let inner = json!({
        "request_data": params,
        "timestamp": chrono::Utc::now().to_rfc3339(),
        "partner_call_id": Uuid::new_v4().to_string(),
    });
    raw_call_inner(sandbox, style, method, path, inner).await
}

/// Sends the given inner JSON (`request_data`, `timestamp`, `partner_call_id` as the caller
/// chose them) to `method path` in `style`, sealed with the sandbox's own key.
pub async fn raw_call_inner(
    sandbox: &RunningSandbox,
    style: Style,
    method: &str,
    path: &str,
    inner: Value,
) -> RawAnswer {
    let key = EnvelopeKey::from_client_secret(sandbox.client_secret.expose())
        .expect("the sandbox secret is a key");
    let data = key.seal(&inner.to_string());
    let outer = style.outer(method, &sandbox.client_id, &data);
    let verb = reqwest::Method::from_bytes(outer.verb.as_bytes()).expect("a valid verb");
    let response = reqwest::Client::new()
        .request(verb, format!("{}{path}", sandbox.base_url))
        .header(reqwest::header::CONTENT_TYPE, outer.content_type)
        .body(outer.body)
        .send()
        .await
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let outer: Value = response.json().await.expect("a JSON answer");
    match outer.get("response_data").and_then(Value::as_str) {
        Some(sealed) => {
            let plain = key.open(sealed).expect("the answer opens with the secret");
            RawAnswer {
                status,
                sealed: true,
                body: serde_json::from_str(&plain).expect("sealed JSON"),
            }
        }
        None => RawAnswer {
            status,
            sealed: false,
            body: outer,
        },
    }
}
