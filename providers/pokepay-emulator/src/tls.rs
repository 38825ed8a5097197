//! `regi sandbox --tls`: the sandbox over https with mutual TLS, the way the Partner API is
//! reached in production (a client certificate issued with the partner contract).
//!
//! Each start makes a throwaway CA, a server certificate for `127.0.0.1`, `::1` and `localhost`,
//! and a client certificate (an RSA key: the Ruby SDK reads it as one). A connection without a
//! client certificate the CA signed is refused during the handshake.
//!
//! TLS is terminated in front of the ordinary plain server (the emulator kit's, on a second
//! loopback listener only this front connects to), so every connection behaves exactly as over
//! http: the same watchdog, connection cap and faults; a `drop` cuts the plain connection and
//! with it the TLS one.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use p12_keystore::{Certificate as P12Certificate, KeyStore, KeyStoreEntry, PrivateKeyChain};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256, RsaKeySize,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};

use super::limits::ServerSettings;
use super::routes::customer_side_router;
use super::server::serve_with;
use super::state::{SandboxError, SandboxState};
use regi_core::secret::Secret;
use regi_emulator_kit::loopback::require_loopback;
use regi_emulator_kit::server::accept_loop;

/// Why the certificates or the TLS server could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot make the sandbox certificates: {0}")]
    Certificates(#[from] rcgen::Error),
    #[error("cannot set up TLS: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("cannot accept client certificates: {0}")]
    ClientVerifier(#[from] rustls::server::VerifierBuilderError),
    #[error("cannot write the PKCS#12 keystore: {0}")]
    Pkcs12(String),
}

/// One start's certificates: the CA, the server's and the client's. `Debug` hides the keys.
pub struct TlsMaterial {
    ca: CertificateDer<'static>,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: Secret<Vec<u8>>,
    client_cert: CertificateDer<'static>,
    client_key: Secret<Vec<u8>>,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial").finish_non_exhaustive()
    }
}

/// The names the server certificate is good for: every way a client on this machine may write
/// the sandbox's address.
pub const SERVER_NAMES: [&str; 3] = ["127.0.0.1", "::1", "localhost"];

impl TlsMaterial {
    /// A fresh CA, server and client certificate, valid from now for a year.
    pub fn generate() -> Result<TlsMaterial, TlsError> {
        let ca_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        // A name of its own: a certificate of another start's CA then reads as an unknown CA,
        // not as one whose signature is wrong.
        let serial: [u8; 6] = rand::random();
        let serial: String = serial.iter().map(|b| format!("{b:02x}")).collect();
        ca_params.distinguished_name = named(&format!("regi sandbox CA {serial}"));
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        valid_for_a_year(&mut ca_params);
        let ca_cert = ca_params.self_signed(&ca_key)?;
        let ca = Issuer::new(ca_params, ca_key);

        let server_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut server_params = CertificateParams::new(SERVER_NAMES.map(str::to_string).to_vec())?;
        server_params.distinguished_name = named("regi sandbox");
        server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        valid_for_a_year(&mut server_params);
        let server_cert = server_params.signed_by(&server_key, &ca)?;

        let client_key = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)?;
        let mut client_params = CertificateParams::new(Vec::<String>::new())?;
        client_params.distinguished_name = named("regi sandbox partner client");
        client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        client_params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        valid_for_a_year(&mut client_params);
        let client_cert = client_params.signed_by(&client_key, &ca)?;

        Ok(TlsMaterial {
            ca: ca_cert.der().clone(),
            server_chain: vec![server_cert.der().clone(), ca_cert.der().clone()],
            server_key: Secret::new(server_key.serialize_der()),
            client_cert: client_cert.der().clone(),
            client_key: Secret::new(client_key.serialize_der()),
        })
    }

    /// The CA certificate (PEM): what a client trusts the sandbox's certificate by.
    pub fn ca_pem(&self) -> String {
        pem_block("CERTIFICATE", &self.ca)
    }

    /// The client certificate (PEM), for `SSL_CERT_FILE`.
    pub fn client_cert_pem(&self) -> String {
        pem_block("CERTIFICATE", &self.client_cert)
    }

    /// The client's private key (PKCS#8 PEM), for `SSL_KEY_FILE`.
    pub fn client_key_pem(&self) -> Secret<String> {
        Secret::new(pem_block("PRIVATE KEY", self.client_key.expose()))
    }

    /// The client certificate, its key and the CA as a PKCS#12 keystore (the Java SDK's
    /// `PKCS12_FILE`), protected by `password`.
    pub fn client_pkcs12(&self, password: &str) -> Result<Vec<u8>, TlsError> {
        let p12 = |e: p12_keystore::error::Error| TlsError::Pkcs12(e.to_string());
        let key = p12_keystore::PrivateKey::from_der(self.client_key.expose()).map_err(p12)?;
        let certs = [
            P12Certificate::from_der(&self.client_cert).map_err(p12)?,
            P12Certificate::from_der(&self.ca).map_err(p12)?,
        ];
        let mut store = KeyStore::new();
        store.add_entry(
            "regi-sandbox-client",
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
                b"regi-sandbox-client".to_vec(),
                key,
                certs,
            )),
        );
        store.writer(password).write().map_err(p12)
    }

    /// The server side: this certificate, and a client certificate signed by the CA required.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(self.ca.clone())?;
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server_key.expose().clone()));
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(verifier)
            .with_single_cert(self.server_chain.clone(), key)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

fn named(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name
}

/// From a day ago (a client clock a little behind still accepts it) to a year from now.
fn valid_for_a_year(params: &mut CertificateParams) {
    let now = std::time::SystemTime::now();
    let day = std::time::Duration::from_secs(86_400);
    params.not_before = (now - day).into();
    params.not_after = (now + day * 365).into();
}

fn pem_block(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// Serves the sandbox over https (mutual TLS) on `listener` until `shutdown` completes.
/// Refuses listeners that are not on a loopback address.
pub async fn serve_tls(
    listener: TcpListener,
    state: SandboxState,
    settings: ServerSettings,
    tls: Arc<ServerConfig>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), SandboxError> {
    let addr = require_loopback(listener.local_addr()?).map_err(SandboxError::NotLoopback)?;
    let plain = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let plain_addr = plain.local_addr()?;
    let (stop_plain, plain_stopped) = oneshot::channel::<()>();
    let plain_server = tokio::spawn(serve_with(plain, state, settings, async move {
        let _ = plain_stopped.await;
    }));
    let acceptor = TlsAcceptor::from(tls);
    let what = format!("TLS sandbox on {addr}");
    accept_loop(&listener, settings, &what, shutdown, |stream, peer| {
        relay(acceptor.clone(), stream, peer, plain_addr, settings)
    })
    .await;
    let _ = stop_plain.send(());
    plain_server.await.unwrap_or(Ok(()))
}

/// Serves the customer side alone ([`customer_side_router`]) over plain http on `listener`
/// until `shutdown` completes. Refuses listeners that are not on a loopback address.
pub async fn serve_customer_side(
    listener: TcpListener,
    state: SandboxState,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), SandboxError> {
    require_loopback(listener.local_addr()?).map_err(SandboxError::NotLoopback)?;
    let router = customer_side_router(state);
    regi_emulator_kit::serve_with(listener, router, settings, shutdown).await?;
    Ok(())
}

/// One connection: the handshake (as long as a request head may take), then bytes both ways
/// between it and the plain server until either side closes.
async fn relay(
    acceptor: TlsAcceptor,
    stream: TcpStream,
    peer: SocketAddr,
    plain_addr: SocketAddr,
    settings: ServerSettings,
) {
    let handshake = tokio::time::timeout(settings.header_timeout, acceptor.accept(stream)).await;
    let mut tls = match handshake {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            // The usual reason: no client certificate, or one the sandbox's CA did not sign.
            tracing::warn!("TLS sandbox refused a connection from {peer}: {e}");
            return;
        }
        Err(_) => {
            tracing::debug!("TLS sandbox closed a connection from {peer}: no handshake in time");
            return;
        }
    };
    let Ok(mut plain) = TcpStream::connect(plain_addr).await else {
        return;
    };
    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
}
