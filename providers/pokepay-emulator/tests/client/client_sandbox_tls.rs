//! regi's client against the sandbox over https with mutual TLS (`regi sandbox --tls`): the
//! client certificate and CA from the configuration it writes make calls work as over http; no
//! client certificate, or one another CA signed, is refused during the handshake with words
//! that say so, promptly.

use std::time::Duration;

use regi_core::secret::Secret;
use regi_pokepay::ApiSettings;
use regi_pokepay::wire::{CreateCashtrayRequest, Num};
use regi_pokepay::{CallError, Client};
use regi_pokepay_emulator::tls::{TlsMaterial, serve_tls};
use regi_pokepay_emulator::{
    CUSTOMER_RICH, CallChecks, SandboxOptions, SandboxState, ServerSettings,
};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

struct TlsSandbox {
    state: SandboxState,
    base_url: String,
    material: TlsMaterial,
    dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

async fn start() -> TlsSandbox {
    let state = SandboxState::new(SandboxOptions {
        call_checks: CallChecks::API,
        ..Default::default()
    })
    .expect("a sandbox");
    let material = TlsMaterial::generate().expect("certificates");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base_url = format!("https://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let config = material.server_config().expect("a TLS server config");
    tokio::spawn(serve_tls(
        listener,
        state.clone(),
        ServerSettings::default(),
        config,
        async move {
            let _ = stopped.await;
        },
    ));
    TlsSandbox {
        state,
        base_url,
        material,
        dir: tempfile::tempdir().unwrap(),
        _stop: stop,
    }
}

impl TlsSandbox {
    /// Settings that trust the sandbox's CA and present `identity`'s client certificate.
    fn settings(&self, identity: Option<&TlsMaterial>) -> ApiSettings {
        let mut settings = ApiSettings::new(
            &self.base_url,
            self.state.client_id(),
            Secret::new(self.state.client_secret().expose().clone()),
        );
        let ca = self.dir.path().join("ca.pem");
        std::fs::write(&ca, self.material.ca_pem()).unwrap();
        settings.tls_ca_file = Some(ca);
        if let Some(identity) = identity {
            let n = rand_name();
            let (cert, key) = (
                self.dir.path().join(format!("{n}.pem")),
                self.dir.path().join(format!("{n}.key")),
            );
            std::fs::write(&cert, identity.client_cert_pem()).unwrap();
            std::fs::write(&key, identity.client_key_pem().expose()).unwrap();
            settings.tls_cert_file = Some(cert);
            settings.tls_key_file = Some(key);
        }
        settings.max_retries = 0;
        settings.timeout = Duration::from_secs(5);
        settings
    }

    fn client(&self, identity: Option<&TlsMaterial>) -> Client {
        Client::new(&self.settings(identity)).expect("a client")
    }
}

fn rand_name() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[tokio::test]
async fn with_the_client_certificate_a_payment_goes_through_over_https() {
    let sandbox = start().await;
    let client = sandbox.client(Some(&sandbox.material));
    assert_eq!(client.echo("over tls").await.unwrap().message, "over tls");
    let tray = client
        .create_cashtray(&CreateCashtrayRequest {
            private_money_id: sandbox.state.private_money_id(),
            shop_id: sandbox.state.shop_id(),
            amount: Num::yen(-1_200),
            description: Some("tls".into()),
            expires_in: None,
        })
        .await
        .unwrap();
    sandbox
        .state
        .pay_cashtray(&tray.id.to_string(), CUSTOMER_RICH)
        .expect("the customer pays");
    let paid = client.get_cashtray(tray.id).await.unwrap();
    assert_eq!(paid.transaction.unwrap().amount, Num::yen(1_200));
}

fn assert_refused(result: Result<impl std::fmt::Debug, CallError>, words: &[&str]) {
    let error = result.expect_err("the sandbox refuses the connection");
    assert!(matches!(error, CallError::Unknown { .. }), "{error:?}");
    let text = error.to_string().to_lowercase();
    assert!(
        words.iter().any(|w| text.contains(w)),
        "{text} names none of {words:?}"
    );
}

#[tokio::test]
async fn without_a_client_certificate_the_handshake_is_refused() {
    let sandbox = start().await;
    let client = sandbox.client(None);
    assert_refused(
        client.echo("no cert").await,
        &["the server requires a client certificate"],
    );
}

#[tokio::test]
async fn a_client_certificate_of_another_ca_is_refused() {
    let sandbox = start().await;
    let stranger = TlsMaterial::generate().unwrap();
    let client = sandbox.client(Some(&stranger));
    assert_refused(
        client.echo("wrong cert").await,
        &["the server refused the client certificate"],
    );
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_refuses_the_server() {
    let sandbox = start().await;
    let mut settings = sandbox.settings(Some(&sandbox.material));
    let other_ca = sandbox.dir.path().join("other-ca.pem");
    std::fs::write(&other_ca, TlsMaterial::generate().unwrap().ca_pem()).unwrap();
    settings.tls_ca_file = Some(other_ca);
    let client = Client::new(&settings).unwrap();
    assert_refused(
        client.echo("untrusted").await,
        &["not one this machine trusts"],
    );
}
