//! The Partner API client against a scripted HTTP server on 127.0.0.1:0.
//!
//! The server answers each request with the next scripted reply (sealed object, sealed or plain
//! error, garbage, or a connection closed without answer) and records what it received, so the
//! tests can open the envelope and check verb, path, parameters and `partner_call_id`. It speaks
//! just enough HTTP/1.1 by hand to be able to drop a connection mid-exchange.
//!
//! A test binary of its own, not a module of `client`: the log test installs a tracing subscriber
//! while every other test of its process waits on `LOG_TEST_LOCK`, which tests elsewhere do not take.

use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

use regi_core::secret::Secret;
use regi_pokepay::ApiSettings;
use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay::wire::{
    CreateCashtrayRequest, CreateCpmTransactionRequest, GetPrivateMoneysRequest,
    GetShopAccountsRequest, InnerRequest, ListTransactionsV2Request, Num, RefundTransactionRequest,
    RequestEnvelope, UpdateCashtrayRequest,
};
use regi_pokepay::{CallError, Client};

const CLIENT_ID: &str = "8e1c5a0e-2b5f-4d59-9f4c-5b6f0e1d2c3a";
const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const CPM_TOKEN: &str = "4839201746581920375512";

/// Every test reads this lock; the one that captures logs takes it exclusively.
static LOG_TEST_LOCK: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

// ---------------------------------------------------------------------------------------------
// Scripted server

enum Reply {
    /// `{"response_data": seal(json)}` with this status.
    Sealed(u16, Value),
    /// This body as-is.
    Raw(u16, String),
    /// Read the request, then close the connection without answering.
    Close,
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn envelope(&self) -> RequestEnvelope {
        serde_json::from_slice(&self.body).expect("request body is a JSON envelope")
    }

    fn inner(&self) -> InnerRequest {
        let plain = key()
            .open(&self.envelope().data)
            .expect("data opens with the secret");
        serde_json::from_str(&plain).expect("inner request JSON")
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    seen: Vec<Seen>,
}

struct Server {
    base_url: String,
    script: Arc<Mutex<Script>>,
}

impl Server {
    async fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script {
            replies: replies.into(),
            seen: Vec::new(),
        }));
        let shared = script.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_one(stream, shared.clone()));
            }
        });
        Server { base_url, script }
    }

    fn seen(&self) -> Vec<Seen> {
        self.script.lock().unwrap().seen.clone()
    }

    fn replies_left(&self) -> usize {
        self.script.lock().unwrap().replies.len()
    }

    fn client(&self) -> Client {
        let mut settings = ApiSettings::new(&self.base_url, CLIENT_ID, Secret::new(SECRET.into()));
        settings.accept_language = Some("ja".into());
        Client::new(&settings)
            .unwrap()
            .with_retry_backoff(Duration::from_millis(1))
    }
}

async fn serve_one(mut stream: TcpStream, script: Arc<Mutex<Script>>) {
    let Some(seen) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut script = script.lock().unwrap();
        script.seen.push(seen);
        script.replies.pop_front()
    };
    let (status, body) = match reply {
        Some(Reply::Sealed(status, value)) => (
            status,
            json!({
                "response_data": key().seal(&value.to_string()),
                "timestamp": "2024-01-01T12:00:00+09:00",
                "partner_call_id": Uuid::new_v4().to_string(),
            })
            .to_string(),
        ),
        Some(Reply::Raw(status, body)) => (status, body),
        Some(Reply::Close) => return,
        None => (
            500,
            r#"{"type":"test_script_exhausted","message":"no reply"}"#.into(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let path = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen {
        method,
        path,
        headers,
        body,
    })
}

fn key() -> EnvelopeKey {
    EnvelopeKey::from_client_secret(SECRET).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Response fixtures (wire shapes of PARTNER_API.md §3)

fn user(name: &str, is_merchant: bool) -> Value {
    json!({ "id": Uuid::new_v4(), "name": name, "is_merchant": is_merchant })
}

fn private_money() -> Value {
    json!({
        "id": "4b138a4c-8944-4f98-a5c4-96d3c1c415eb", "name": "サンプルマネー", "unit": "円",
        "is_exclusive": false, "description": "", "oneline_message": "",
        "organization": { "code": "sample-org", "name": "株式会社サンプル商店" },
        "max_balance": 1000000, "transfer_limit": 100000, "money_topup_transfer_limit": 50000,
        "type": "own", "expiration_type": "static", "enable_topup_by_member": false,
        "display_money_and_point": "both"
    })
}

fn account(name: &str) -> Value {
    json!({
        "id": Uuid::new_v4(), "name": name, "is_suspended": false, "status": "active",
        "private_money": private_money()
    })
}

fn account_with_user(name: &str) -> Value {
    let mut a = account(name);
    a["user"] = user(name, true);
    a
}

fn transaction(amount: i64) -> Value {
    json!({
        "id": Uuid::new_v4(), "type": "payment", "is_modified": false,
        "sender": user("お客様", false), "sender_account": account("お客様"),
        "receiver": user("サンプル商店", true), "receiver_account": account("サンプル商店"),
        "amount": amount, "money_amount": amount, "point_amount": 0,
        "raw_point_amount": 0, "campaign_point_amount": 0,
        "done_at": "2024-05-01T10:15:00+09:00", "description": "お買い上げ"
    })
}

fn transaction_detail(amount: i64) -> Value {
    let mut t = transaction(amount);
    t["transfers"] = json!([]);
    t
}

fn cashtray(id: Uuid, amount: i64) -> Value {
    json!({
        "id": id, "amount": amount, "description": "お会計", "account": account_with_user("サンプル商店"),
        "expires_at": "2024-05-01T10:20:00+09:00", "canceled_at": null,
        "token": format!("https://www-sandbox.pokepay.jp/cashtrays/{id}")
    })
}

fn cashtray_with_result(id: Uuid) -> Value {
    let mut c = cashtray(id, -1200);
    c["attempt"] = Value::Null;
    c["transaction"] = Value::Null;
    c
}

fn sealed_error(status: u16, kind: &str, message: &str) -> Reply {
    Reply::Sealed(status, json!({ "type": kind, "message": message }))
}

fn unavailable() -> Reply {
    sealed_error(503, "temporarily_unavailable", "Service Unavailable")
}

fn cashtray_request() -> CreateCashtrayRequest {
    CreateCashtrayRequest {
        private_money_id: Uuid::parse_str("4b138a4c-8944-4f98-a5c4-96d3c1c415eb").unwrap(),
        shop_id: Uuid::new_v4(),
        amount: Num::yen(-1200),
        description: Some("お会計".into()),
        expires_in: Some(300),
    }
}

fn cpm_request(request_id: Option<Uuid>) -> CreateCpmTransactionRequest {
    CreateCpmTransactionRequest {
        cpm_token: CPM_TOKEN.into(),
        shop_id: Uuid::new_v4(),
        amount: Num::yen(-880),
        description: Some("お買い上げ".into()),
        metadata: None,
        products: None,
        request_id,
        strategy: None,
    }
}

fn call_ids(seen: &[Seen]) -> HashSet<String> {
    seen.iter().map(|s| s.inner().partner_call_id).collect()
}

// ---------------------------------------------------------------------------------------------
// Envelope and verbs

#[tokio::test]
async fn echo_sends_a_sealed_envelope_with_the_real_verb() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![Reply::Sealed(
        200,
        json!({ "status": "ok", "message": "こんにちは" }),
    )])
    .await;
    let echo = server.client().echo("こんにちは").await.unwrap();
    assert_eq!(
        (echo.status.as_str(), echo.message.as_str()),
        ("ok", "こんにちは")
    );

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/echo")
    );
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(request.header("accept-language"), Some("ja"));
    let envelope = request.envelope();
    assert_eq!(envelope.partner_client_id, CLIENT_ID);
    assert!(envelope.request_method.is_none());
    let inner = request.inner();
    assert_eq!(inner.request_data, json!({ "message": "こんにちは" }));
    assert!(inner.timestamp.ends_with("+09:00"), "{}", inner.timestamp);
    assert!(chrono::DateTime::parse_from_rfc3339(&inner.timestamp).is_ok());
    let call_id = Uuid::parse_str(&inner.partner_call_id).unwrap();
    assert_eq!(call_id.get_version_num(), 4);
}

#[tokio::test]
async fn ping_is_a_bodiless_get_answered_in_plain_json() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![Reply::Raw(200, r#"{"pong":"ok"}"#.into())]).await;
    let pong = server.client().ping().await.unwrap();
    assert_eq!(pong.pong, "ok");
    let seen = server.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("GET", "/ping")
    );
    assert!(seen[0].body.is_empty());
}

#[tokio::test]
async fn get_cashtray_sends_empty_parameters_in_a_get_body() {
    let _shared = LOG_TEST_LOCK.read().await;
    let id = Uuid::new_v4();
    let server = Server::start(vec![Reply::Sealed(200, cashtray_with_result(id))]).await;
    let tray = server.client().get_cashtray(id).await.unwrap();
    assert_eq!(tray.cashtray.id, id);
    assert_eq!(tray.cashtray.amount.as_yen(), Some(-1200));
    assert!(tray.attempt.is_none() && tray.transaction.is_none());
    let seen = server.seen();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, format!("/cashtrays/{id}"));
    assert_eq!(seen[0].inner().request_data, json!({}));
}

#[tokio::test]
async fn every_operation_uses_its_verb_path_and_parameters() {
    let _shared = LOG_TEST_LOCK.read().await;
    let tray = Uuid::new_v4();
    let txn = Uuid::new_v4();
    let request_id = Uuid::new_v4();
    let shop = Uuid::new_v4();
    let money = Uuid::parse_str("4b138a4c-8944-4f98-a5c4-96d3c1c415eb").unwrap();
    let pagination = json!({ "current": 1, "per_page": 50, "max_page": 1, "has_prev": false, "has_next": false });
    let cpm = json!({
        "cpm_token": CPM_TOKEN, "account": {
            "id": Uuid::new_v4(), "name": "お客様", "is_suspended": false, "status": "active",
            "private_money": private_money(), "user": user("お客様", false),
            "balance": 5000, "money_balance": 4000, "point_balance": 1000, "point_debt": 0, "external_id": null
        },
        "transaction": null, "event": null, "scopes": ["payment"],
        "expires_at": "2024-05-01T10:20:00+09:00", "metadata": "{}"
    });
    let shop_body = json!({
        "id": shop, "name": "サンプル商店 渋谷店", "organization_code": "sample-org", "status": "active",
        "postal_code": "150-0041", "address": "東京都渋谷区神南1-2-3", "tel": "03-1234-5678",
        "email": null, "external_id": null,
        "accounts": [{ "id": Uuid::new_v4(), "name": "サンプル商店", "is_suspended": false,
                       "can_transfer_topup": true, "private_money": private_money() }]
    });
    let server = Server::start(vec![
        Reply::Sealed(200, cashtray(tray, -1200)),
        Reply::Sealed(200, cashtray(tray, -1200)),
        Reply::Sealed(200, cashtray(tray, -1500)),
        Reply::Sealed(200, cpm),
        Reply::Sealed(200, transaction_detail(-880)),
        Reply::Sealed(200, transaction_detail(-880)),
        Reply::Sealed(200, transaction_detail(-880)),
        Reply::Sealed(200, transaction_detail(-880)),
        Reply::Sealed(200, json!({ "rows": [private_money()], "count": 1, "pagination": pagination })),
        Reply::Sealed(200, shop_body),
        Reply::Sealed(200, json!({ "rows": [account_with_user("サンプル商店")], "count": 1, "pagination": pagination })),
        Reply::Sealed(200, json!({ "rows": [transaction(-880)], "per_page": 50, "count": 1,
                                   "next_page_cursor_id": null, "prev_page_cursor_id": null })),
    ])
    .await;
    let client = server.client();

    client.create_cashtray(&cashtray_request()).await.unwrap();
    client.cancel_cashtray(tray).await.unwrap();
    let update = UpdateCashtrayRequest {
        amount: Some(Num::yen(-1500)),
        ..Default::default()
    };
    assert_eq!(
        client
            .update_cashtray(tray, &update)
            .await
            .unwrap()
            .amount
            .as_yen(),
        Some(-1500)
    );
    assert_eq!(
        client.get_cpm_token(CPM_TOKEN).await.unwrap().scopes,
        vec!["payment"]
    );
    client
        .create_cpm_transaction(&cpm_request(Some(request_id)))
        .await
        .unwrap();
    client.get_transaction(txn).await.unwrap();
    client
        .get_transaction_by_request_id(request_id)
        .await
        .unwrap();
    let refund = RefundTransactionRequest {
        description: Some("返品".into()),
        returning_point_expires_at: None,
    };
    client.refund_transaction(txn, &refund).await.unwrap();
    let moneys = client
        .get_private_moneys(&GetPrivateMoneysRequest::default())
        .await
        .unwrap();
    assert_eq!(moneys.rows[0].unit, "円");
    assert_eq!(client.get_shop(shop).await.unwrap().accounts.len(), 1);
    let accounts = GetShopAccountsRequest {
        private_money_id: money,
        page: None,
        per_page: Some(50),
        created_at_from: None,
        created_at_to: None,
        is_suspended: None,
    };
    client.get_shop_accounts(&accounts).await.unwrap();
    let list = ListTransactionsV2Request {
        shop_id: Some(shop),
        per_page: Some(10),
        ..Default::default()
    };
    assert_eq!(
        client.list_transactions_v2(&list).await.unwrap().rows.len(),
        1
    );

    let seen = server.seen();
    let got: Vec<(String, String, Value)> = seen
        .iter()
        .map(|s| (s.method.clone(), s.path.clone(), s.inner().request_data))
        .collect();
    let request = |m: &str, p: String, data: Value| (m.to_string(), p, data);
    let expected = vec![
        request(
            "POST",
            "/cashtrays".into(),
            json!({
                "private_money_id": money, "shop_id": got[0].2["shop_id"], "amount": -1200,
                "description": "お会計", "expires_in": 300
            }),
        ),
        request("DELETE", format!("/cashtrays/{tray}"), json!({})),
        request(
            "PATCH",
            format!("/cashtrays/{tray}"),
            json!({ "amount": -1500 }),
        ),
        request("GET", format!("/cpm/{CPM_TOKEN}"), json!({})),
        request(
            "POST",
            "/transactions/cpm".into(),
            json!({
                "cpm_token": CPM_TOKEN, "shop_id": got[4].2["shop_id"], "amount": -880,
                "description": "お買い上げ", "request_id": request_id
            }),
        ),
        request("GET", format!("/transactions/{txn}"), json!({})),
        request(
            "GET",
            format!("/transactions/requests/{request_id}"),
            json!({}),
        ),
        request(
            "POST",
            format!("/transactions/{txn}/refund"),
            json!({ "description": "返品" }),
        ),
        request("GET", "/private-moneys".into(), json!({})),
        request("GET", format!("/shops/{shop}"), json!({})),
        request(
            "GET",
            "/accounts/shops".into(),
            json!({ "private_money_id": money, "per_page": 50 }),
        ),
        request(
            "GET",
            "/transactions-v2".into(),
            json!({ "shop_id": shop, "per_page": 10 }),
        ),
    ];
    assert_eq!(got, expected);
    assert_eq!(
        call_ids(&seen).len(),
        seen.len(),
        "a fresh partner_call_id per call"
    );
}

// ---------------------------------------------------------------------------------------------
// Error answers

#[tokio::test]
async fn a_sealed_api_error_carries_status_type_and_table_messages() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![sealed_error(
        422,
        "cpm_token_already_proceed",
        "The CPM token is already proceed",
    )])
    .await;
    let err = server
        .client()
        .create_cpm_transaction(&cpm_request(Some(Uuid::new_v4())))
        .await
        .unwrap_err();
    let failure = err.api().expect("an API failure");
    assert_eq!(failure.status, 422);
    assert_eq!(failure.kind, "cpm_token_already_proceed");
    assert_eq!(failure.message, "The CPM token is already proceed");
    assert_eq!(failure.ja(), "このCPMトークンは既に処理されています。");
    assert_eq!(failure.en(), "The CPM token is already proceed");
    assert!(!err.is_outcome_unknown() && !err.is_retryable());
    assert_eq!(server.seen().len(), 1, "a definite answer is not retried");
}

#[tokio::test]
async fn a_plain_error_is_an_api_failure_too() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![Reply::Raw(
        400,
        r#"{"type":"partner_decryption_failed","message":"Could not decrypt the data."}"#.into(),
    )])
    .await;
    let err = server.client().echo("hello").await.unwrap_err();
    let failure = err.api().unwrap();
    assert_eq!(
        (failure.status, failure.kind.as_str()),
        (400, "partner_decryption_failed")
    );
    assert_eq!(failure.en(), "Could not decrypt the data.");
}

#[tokio::test]
async fn garbage_answers_are_bad_responses() {
    let _shared = LOG_TEST_LOCK.read().await;
    let other_key = EnvelopeKey::from_bytes([42; 32]);
    let server = Server::start(vec![
        Reply::Raw(200, "<html>maintenance</html>".into()),
        Reply::Raw(
            200,
            json!({ "response_data": other_key.seal("{}") }).to_string(),
        ),
        Reply::Sealed(200, json!({ "unexpected": "shape" })),
    ])
    .await;
    let client = server.client();
    for _ in 0..3 {
        let err = client.echo("hello").await.unwrap_err();
        assert!(
            matches!(err, CallError::BadResponse { status: 200, .. }),
            "{err:?}"
        );
        assert!(err.is_outcome_unknown());
    }
}

#[tokio::test]
async fn a_connection_closed_without_answer_is_unknown_and_never_retried_for_a_new_cashtray() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![
        Reply::Close,
        Reply::Sealed(200, cashtray(Uuid::new_v4(), -1200)),
    ])
    .await;
    let err = server
        .client()
        .create_cashtray(&cashtray_request())
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Unknown { .. }), "{err:?}");
    assert!(err.is_outcome_unknown());
    assert_eq!(server.seen().len(), 1);
    assert_eq!(server.replies_left(), 1);
}

#[tokio::test]
async fn no_server_at_all_is_unknown() {
    let _shared = LOG_TEST_LOCK.read().await;
    // A port held but never listened on: connections are refused, and no other test's server
    // can take the port meanwhile (a port merely closed again could be handed to one).
    let held = tokio::net::TcpSocket::new_v4().unwrap();
    held.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let url = format!("http://{}", held.local_addr().unwrap());
    let settings = ApiSettings::new(&url, CLIENT_ID, Secret::new(SECRET.into()));
    let client = Client::new(&settings)
        .unwrap()
        .with_retry_backoff(Duration::from_millis(1));
    let err = client.get_transaction(Uuid::new_v4()).await.unwrap_err();
    assert!(matches!(err, CallError::Unknown { .. }), "{err:?}");
    assert!(
        !err.to_string().contains(&url),
        "no URL in the message: {err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn a_get_is_retried_with_a_new_call_id() {
    let _shared = LOG_TEST_LOCK.read().await;
    let id = Uuid::new_v4();
    let server = Server::start(vec![
        Reply::Close,
        unavailable(),
        Reply::Sealed(200, cashtray_with_result(id)),
    ])
    .await;
    let tray = server.client().get_cashtray(id).await.unwrap();
    assert_eq!(tray.cashtray.id, id);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" && s.path == format!("/cashtrays/{id}"))
    );
    assert_eq!(
        call_ids(&seen).len(),
        3,
        "each attempt has its own partner_call_id"
    );
}

#[tokio::test]
async fn retries_are_bounded_by_max_retries() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
    ])
    .await;
    let err = server
        .client()
        .get_transaction(Uuid::new_v4())
        .await
        .unwrap_err();
    assert_eq!(err.api().map(|f| f.status), Some(503));
    assert!(err.is_retryable() && err.is_outcome_unknown());
    assert_eq!(
        server.seen().len(),
        3,
        "one try and max_retries = 2 retries"
    );
    assert_eq!(server.replies_left(), 1);
}

#[tokio::test]
async fn creating_a_cashtray_is_never_retried_on_503() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![
        unavailable(),
        Reply::Sealed(200, cashtray(Uuid::new_v4(), -1200)),
    ])
    .await;
    let err = server
        .client()
        .create_cashtray(&cashtray_request())
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some("temporarily_unavailable"));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn refund_cancel_and_update_are_never_retried() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![
        Reply::Close,
        Reply::Close,
        unavailable(),
        Reply::Close,
    ])
    .await;
    let client = server.client();
    let id = Uuid::new_v4();
    assert!(
        client
            .refund_transaction(id, &RefundTransactionRequest::default())
            .await
            .unwrap_err()
            .is_outcome_unknown()
    );
    assert!(
        client
            .cancel_cashtray(id)
            .await
            .unwrap_err()
            .is_outcome_unknown()
    );
    assert!(
        client
            .update_cashtray(id, &UpdateCashtrayRequest::default())
            .await
            .is_err()
    );
    assert_eq!(server.seen().len(), 3);
    assert_eq!(server.replies_left(), 1);
}

#[tokio::test]
async fn a_cpm_payment_with_request_id_is_retried_with_the_same_request_id() {
    let _shared = LOG_TEST_LOCK.read().await;
    let request_id = Uuid::new_v4();
    let server = Server::start(vec![
        Reply::Close,
        unavailable(),
        Reply::Sealed(200, transaction_detail(-880)),
    ])
    .await;
    let done = server
        .client()
        .create_cpm_transaction(&cpm_request(Some(request_id)))
        .await
        .unwrap();
    assert_eq!(done.transaction.amount.as_yen(), Some(-880));
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(
            (s.method.as_str(), s.path.as_str()),
            ("POST", "/transactions/cpm")
        );
        assert_eq!(s.inner().request_data["request_id"], json!(request_id));
    }
    assert_eq!(
        call_ids(&seen).len(),
        3,
        "a new partner_call_id per attempt"
    );
}

#[tokio::test]
async fn a_cpm_payment_without_request_id_is_never_retried() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![
        Reply::Close,
        Reply::Sealed(200, transaction_detail(-880)),
    ])
    .await;
    let err = server
        .client()
        .create_cpm_transaction(&cpm_request(None))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown());
    assert_eq!(server.seen().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Refusals and logging

#[tokio::test]
async fn a_token_that_would_change_the_path_is_refused_before_sending() {
    let _shared = LOG_TEST_LOCK.read().await;
    let server = Server::start(vec![]).await;
    for token in ["../../shops/x", "1234?per_page=1", ""] {
        let err = server.client().get_cpm_token(token).await.unwrap_err();
        assert!(matches!(err, CallError::Refused { .. }), "{err:?}");
        assert!(!err.is_outcome_unknown());
    }
    assert!(server.seen().is_empty());
}

#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn debug_logs_mask_the_cpm_token_and_never_show_secret_or_sealed_data() {
    // Alone: tracing caches per-callsite interest globally, and a callsite first hit on
    // another test's thread while this subscriber is being installed could stay disabled.
    let _alone = LOG_TEST_LOCK.write().await;
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = Server::start(vec![
        Reply::Close,
        sealed_error(422, "cpm_token_not_found", "CPM token is not found"),
    ])
    .await;
    let err = server.client().get_cpm_token(CPM_TOKEN).await.unwrap_err();
    assert_eq!(err.api_kind(), Some("cpm_token_not_found"));

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("get_cpm_token"), "{text}");
    assert!(text.contains("status=422"), "{text}");
    assert!(text.contains("******************5512"), "{text}");
    assert!(!text.contains(CPM_TOKEN), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    for seen in server.seen() {
        assert!(!text.contains(&seen.envelope().data), "sealed data logged");
    }
}
