//! What `regi sandbox --write-config PATH` writes, so that regi and every official SDK run
//! against the sandbox as they are (the API notes, §1.3: no one layout serves them all):
//!
//! - `PATH`: the Python SDK's layout, keys under `[global]` (regi reads it too);
//! - `PATH.flat`: the same keys at the top, for the Node and C# SDKs, which read no section;
//! - in both, a `[sdk-tests]` section with the lower-case `shop_id`, `customer_id` and
//!   `private_money_id` that SDK test suites read (PHP's reads every section; Python, regi, Node
//!   and C# read no other section than theirs), and the customer side's URL;
//! - `PKCS12_FILE` + `PKCS12_PASSWORD` for the Java SDK, which opens that file whatever the
//!   scheme: with `--tls` the client certificate, its key and the CA; without, a client
//!   certificate of its own that the plain-http sandbox never asks for;
//! - with `--tls`: the CA (`SSL_CA_FILE`, what regi trusts the sandbox by), the client certificate
//!   (`SSL_CERT_FILE`) and its key (`SSL_KEY_FILE`), as PEM files beside `PATH`.
//!
//! Every file is written owner-only (0600) and never through a symlink planted at its path;
//! paths in the files are absolute, since most SDKs open them from their working directory.

use std::path::{Path, PathBuf};

use super::state::SandboxState;
use super::tls::{TlsError, TlsMaterial};
use regi_config::write_private_file;
use regi_core::secret::Secret;

/// Why the configuration could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteConfigError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The client-certificate files written beside the configuration under `--tls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca_file: PathBuf,
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
}

/// What a Pokepay SDK needs to talk to this sandbox. `Debug` hides the secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkConfig {
    pub client_id: String,
    pub client_secret: Secret<String>,
    pub api_base_url: String,
    pub shop_id: String,
    pub private_money_id: String,
    /// A customer who can pay (the SDK test suites' `customer_id`).
    pub customer_id: String,
    /// Where the customer side is (`regi customer --sandbox URL`): the sandbox itself over
    /// http; under `--tls`, a plain-http listener of its own beside the https one.
    pub customer_url: String,
    pub tls: Option<TlsFiles>,
    pub pkcs12_file: PathBuf,
    pub pkcs12_password: Secret<String>,
    /// Further `KEY = value` lines for `[global]` and the flat file (ids other features seed).
    pub extra_keys: Vec<(String, String)>,
}

impl SdkConfig {
    /// The keys every SDK reads, one `KEY = value` line each.
    fn keys(&self) -> String {
        let mut keys = format!(
            "CLIENT_ID = {}\n\
             CLIENT_SECRET = {}\n\
             API_BASE_URL = {}\n\
             TIMEZONE = Asia/Tokyo\n\
             TIMEOUT = 10\n\
             CONNECTTIMEOUT = 10\n\
             SHOP_ID = {}\n\
             PRIVATE_MONEY_ID = {}\n\
             PKCS12_FILE = {}\n\
             PKCS12_PASSWORD = {}\n",
            self.client_id,
            self.client_secret.expose(),
            self.api_base_url,
            self.shop_id,
            self.private_money_id,
            self.pkcs12_file.display(),
            self.pkcs12_password.expose(),
        );
        if let Some(tls) = &self.tls {
            keys.push_str(&format!(
                "SSL_CERT_FILE = {}\nSSL_KEY_FILE = {}\nSSL_CA_FILE = {}\n",
                tls.cert_file.display(),
                tls.key_file.display(),
                tls.ca_file.display()
            ));
        }
        for (key, value) in &self.extra_keys {
            keys.push_str(&format!("{key} = {value}\n"));
        }
        keys
    }

    fn header(&self) -> &'static str {
        if self.tls.is_some() {
            "; Pokepay Partner API sandbox (regi): https on loopback with mutual TLS. SSL_CERT_FILE and\n\
             ; SSL_KEY_FILE are the client certificate it requires, SSL_CA_FILE the CA that signed both\n\
             ; certificates (trust it for the server's), PKCS12_FILE the same client certificate for Java.\n"
        } else {
            "; Pokepay Partner API sandbox (regi): plain http on loopback, no client certificate.\n\
             ; PKCS12_FILE holds a client certificate the sandbox never asks for: the Java SDK opens\n\
             ; that file whatever the scheme.\n"
        }
    }

    /// The lower-case ids SDK test suites read, in a section of their own.
    fn test_section(&self) -> String {
        format!(
            "\n[sdk-tests]\nshop_id = {}\ncustomer_id = {}\nprivate_money_id = {}\n\
             sandbox_customer_url = {}\n",
            self.shop_id, self.customer_id, self.private_money_id, self.customer_url
        )
    }

    /// `config.ini` in the Python SDK's layout: the keys under `[global]`.
    pub fn to_ini(&self) -> String {
        format!(
            "{}[global]\n{}{}",
            self.header(),
            self.keys(),
            self.test_section()
        )
    }

    /// The same keys at the top, for the Node and C# SDKs (`PATH.flat`).
    pub fn to_flat_ini(&self) -> String {
        format!("{}{}{}", self.header(), self.keys(), self.test_section())
    }
}

/// `PATH.flat`.
pub fn flat_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".flat");
    PathBuf::from(name)
}

/// A file beside `path` named after it: `/tmp/sandbox.ini` + `ca.pem` → `/tmp/sandbox-ca.pem`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sandbox".to_string());
    path.with_file_name(format!("{stem}-{suffix}"))
}

/// Where a sandbox serves: its Partner API and its customer side.
#[derive(Debug, Clone, Copy)]
pub struct SandboxUrls<'a> {
    pub api_base_url: &'a str,
    pub customer_url: &'a str,
}

/// Writes `path`, `path.flat` and the certificate files for a sandbox serving `state` at `urls`
/// (with `tls`, the certificates it serves with). Returns the paths written.
pub fn write_sdk_config(
    path: &Path,
    state: &SandboxState,
    urls: SandboxUrls<'_>,
    tls: Option<&TlsMaterial>,
) -> Result<Vec<PathBuf>, WriteConfigError> {
    let path = std::path::absolute(path).map_err(|source| WriteConfigError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    let mut write = |file: PathBuf, bytes: &[u8]| {
        write_private_file(&file, bytes).map_err(|source| WriteConfigError::Write {
            path: file.clone(),
            source,
        })?;
        written.push(file);
        Ok::<_, WriteConfigError>(())
    };

    // Without --tls the keystore only has to exist and open: a certificate of its own does.
    let own_material;
    let material = match tls {
        Some(material) => material,
        None => {
            own_material = TlsMaterial::generate()?;
            &own_material
        }
    };
    let pkcs12_password = Secret::new(random_password());
    let pkcs12_file = beside(&path, "client.p12");
    write(
        pkcs12_file.clone(),
        &material.client_pkcs12(pkcs12_password.expose())?,
    )?;
    let tls_files = match tls {
        Some(material) => {
            let files = TlsFiles {
                ca_file: beside(&path, "ca.pem"),
                cert_file: beside(&path, "client.pem"),
                key_file: beside(&path, "client.key"),
            };
            write(files.ca_file.clone(), material.ca_pem().as_bytes())?;
            write(
                files.cert_file.clone(),
                material.client_cert_pem().as_bytes(),
            )?;
            write(
                files.key_file.clone(),
                material.client_key_pem().expose().as_bytes(),
            )?;
            Some(files)
        }
        None => None,
    };

    let customer_id = state
        .customers()
        .into_iter()
        .find(|c| c.name == super::ledger::CUSTOMER_RICH)
        .map(|c| c.user_id.to_string())
        .unwrap_or_default();
    let config = SdkConfig {
        client_id: state.client_id().to_string(),
        client_secret: state.client_secret().clone(),
        api_base_url: urls.api_base_url.to_string(),
        shop_id: state.shop_id().to_string(),
        private_money_id: state.private_money_id().to_string(),
        customer_id,
        customer_url: urls.customer_url.to_string(),
        tls: tls_files,
        pkcs12_file,
        pkcs12_password,
        extra_keys: tab_keys(state),
    };
    write(flat_path(&path), config.to_flat_ini().as_bytes())?;
    // The main file last: a client waiting for it finds everything it names in place.
    write(path.clone(), config.to_ini().as_bytes())?;
    Ok(written)
}

/// The ids a tab (CreditSession) conversation needs, for `[global]`: the seeded customer with a
/// verified card and that card (`CUSTOMER_ID`, `CARD_ID`), and the one without
/// (`CARDLESS_CUSTOMER_ID`).
fn tab_keys(state: &SandboxState) -> Vec<(String, String)> {
    let card = state.customer_and_card(crate::CUSTOMER_CARD);
    let cardless = state.customer_and_card(crate::CUSTOMER_CARDLESS);
    [
        (
            "CUSTOMER_ID",
            card.map(|(customer, _)| customer.to_string()),
        ),
        (
            "CARD_ID",
            card.and_then(|(_, card)| card).map(|id| id.to_string()),
        ),
        (
            "CARDLESS_CUSTOMER_ID",
            cardless.map(|(customer, _)| customer.to_string()),
        ),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.map(|v| (key.to_string(), v)))
    .collect()
}

/// A password for the keystore: it sits in the owner-only config beside it, so it only has to
/// be unguessable by whoever might get the keystore alone.
fn random_password() -> String {
    let bytes: [u8; 18] = rand::random();
    regi_pokepay::codec::encode_base64url(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SandboxOptions;

    const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    const SHOP: &str = "6b2d7b3e-1f0a-4c55-9c1e-2f4b8a1d9e00";
    const MONEY: &str = "4b138a4c-8944-4f98-a5c4-96d3c1c415eb";

    fn config(tls: Option<TlsFiles>) -> SdkConfig {
        SdkConfig {
            client_id: "cid".into(),
            client_secret: Secret::new(SECRET.into()),
            api_base_url: "http://127.0.0.1:4010".into(),
            shop_id: SHOP.into(),
            private_money_id: MONEY.into(),
            customer_id: "customer".into(),
            customer_url: "http://127.0.0.1:4011".into(),
            tls,
            pkcs12_file: "/tmp/s-client.p12".into(),
            pkcs12_password: Secret::new("p12-pass".into()),
            extra_keys: vec![("CARD_ID".into(), "card".into())],
        }
    }

    fn tls_files() -> TlsFiles {
        TlsFiles {
            ca_file: "/tmp/s-ca.pem".into(),
            cert_file: "/tmp/s-client.pem".into(),
            key_file: "/tmp/s-client.key".into(),
        }
    }

    fn get<'a>(ini: &'a ini::Ini, section: Option<&str>, key: &str) -> Option<&'a str> {
        ini.section(section).and_then(|s| s.get(key))
    }

    #[test]
    fn the_python_file_has_every_key_under_global_and_the_test_ids_apart() {
        let ini = ini::Ini::load_from_str(&config(None).to_ini()).unwrap();
        let global = Some("global");
        for (key, value) in [
            ("CLIENT_ID", "cid"),
            ("CLIENT_SECRET", SECRET),
            ("API_BASE_URL", "http://127.0.0.1:4010"),
            ("TIMEZONE", "Asia/Tokyo"),
            ("TIMEOUT", "10"),
            ("CONNECTTIMEOUT", "10"),
            ("SHOP_ID", SHOP),
            ("PRIVATE_MONEY_ID", MONEY),
            ("PKCS12_FILE", "/tmp/s-client.p12"),
            ("PKCS12_PASSWORD", "p12-pass"),
            ("CARD_ID", "card"),
        ] {
            assert_eq!(get(&ini, global, key), Some(value), "{key}");
        }
        assert_eq!(get(&ini, global, "SSL_CERT_FILE"), None);
        assert_eq!(ini.general_section().len(), 0, "nothing outside a section");
        let tests = Some("sdk-tests");
        assert_eq!(get(&ini, tests, "shop_id"), Some(SHOP));
        assert_eq!(get(&ini, tests, "customer_id"), Some("customer"));
        assert_eq!(get(&ini, tests, "private_money_id"), Some(MONEY));
        assert_eq!(
            get(&ini, tests, "sandbox_customer_url"),
            Some("http://127.0.0.1:4011")
        );
    }

    #[test]
    fn the_flat_file_has_the_same_keys_at_the_top() {
        let config = config(Some(tls_files()));
        let python = ini::Ini::load_from_str(&config.to_ini()).unwrap();
        let flat = ini::Ini::load_from_str(&config.to_flat_ini()).unwrap();
        let global: Vec<_> = python.section(Some("global")).unwrap().iter().collect();
        let top: Vec<_> = flat.general_section().iter().collect();
        assert_eq!(global, top);
        assert_eq!(get(&flat, None, "SSL_CERT_FILE"), Some("/tmp/s-client.pem"));
        assert_eq!(get(&flat, None, "SSL_KEY_FILE"), Some("/tmp/s-client.key"));
        assert_eq!(get(&flat, None, "SSL_CA_FILE"), Some("/tmp/s-ca.pem"));
        assert_eq!(
            get(&flat, Some("sdk-tests"), "customer_id"),
            Some("customer")
        );
    }

    #[test]
    fn regi_reads_both_files_alike_and_ignores_the_test_section() {
        let config = config(Some(tls_files()));
        let origin = Path::new("/tmp/s.ini");
        let python = regi_pokepay::PokepayIni::parse(&config.to_ini(), origin).unwrap();
        let flat = regi_pokepay::PokepayIni::parse(&config.to_flat_ini(), origin).unwrap();
        assert_eq!(python, flat);
        assert_eq!(
            python.ssl_ca_file.as_deref(),
            Some(Path::new("/tmp/s-ca.pem"))
        );
        assert_eq!(python.client_id.as_deref(), Some("cid"));
    }

    #[test]
    fn debug_hides_the_secret_and_the_keystore_password() {
        let shown = format!("{:?}", config(None));
        assert!(!shown.contains("AAECAwQFBgcICQ"), "{shown}");
        assert!(!shown.contains("p12-pass"), "{shown}");
    }

    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn keystore(config: &ini::Ini) -> p12_keystore::KeyStore {
        let global = Some("global");
        let file = get(config, global, "PKCS12_FILE").unwrap();
        let password = get(config, global, "PKCS12_PASSWORD").unwrap();
        p12_keystore::KeyStore::from_pkcs12(
            &std::fs::read(file).unwrap(),
            password,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .unwrap()
    }

    #[test]
    fn with_tls_every_file_is_written_owner_only_and_the_keystore_holds_the_client_cert() {
        let dir = tempfile::tempdir().unwrap();
        let state = SandboxState::new(SandboxOptions::default()).unwrap();
        let material = TlsMaterial::generate().unwrap();
        let path = dir.path().join("sandbox.ini");
        let urls = SandboxUrls {
            api_base_url: "https://127.0.0.1:4010",
            customer_url: "http://127.0.0.1:4011",
        };
        let written = write_sdk_config(&path, &state, urls, Some(&material)).unwrap();
        assert_eq!(written.len(), 6, "{written:?}");
        for file in &written {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
        let ini = ini::Ini::load_from_file(&path).unwrap();
        let global = Some("global");
        let ca = get(&ini, global, "SSL_CA_FILE").unwrap();
        assert_eq!(std::fs::read_to_string(ca).unwrap(), material.ca_pem());
        let cert = get(&ini, global, "SSL_CERT_FILE").unwrap();
        assert_eq!(
            std::fs::read_to_string(cert).unwrap(),
            material.client_cert_pem()
        );
        let key = get(&ini, global, "SSL_KEY_FILE").unwrap();
        assert!(
            std::fs::read_to_string(key)
                .unwrap()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        let (_, chain) = keystore(&ini)
            .private_key_chain()
            .map(|(a, c)| (a.to_string(), c.clone()))
            .unwrap();
        assert_eq!(
            chain.certs()[0].as_der(),
            pem_der(&material.client_cert_pem())
        );
        let flat = ini::Ini::load_from_file(flat_path(&path)).unwrap();
        assert_eq!(get(&flat, None, "SSL_CERT_FILE"), Some(cert));
        assert_eq!(
            get(&ini, Some("sdk-tests"), "customer_id").map(str::len),
            Some(36)
        );
    }

    #[test]
    fn without_tls_the_keystore_still_opens_and_no_pem_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let state = SandboxState::new(SandboxOptions::default()).unwrap();
        let path = dir.path().join("config.ini");
        let urls = SandboxUrls {
            api_base_url: "http://127.0.0.1:4010",
            customer_url: "http://127.0.0.1:4010",
        };
        let written = write_sdk_config(&path, &state, urls, None).unwrap();
        assert_eq!(written.len(), 3, "{written:?}");
        let ini = ini::Ini::load_from_file(&path).unwrap();
        assert_eq!(get(&ini, Some("global"), "SSL_CERT_FILE"), None);
        assert!(keystore(&ini).private_key_chain().is_some());
        assert!(Path::new(get(&ini, Some("global"), "PKCS12_FILE").unwrap()).is_absolute());
    }

    #[test]
    fn the_seeded_tab_customers_and_the_verified_card_go_under_global_and_in_the_flat_file() {
        let dir = tempfile::tempdir().unwrap();
        let state = SandboxState::new(SandboxOptions {
            seed: Some(3),
            ..Default::default()
        })
        .unwrap();
        let path = dir.path().join("config.ini");
        let urls = SandboxUrls {
            api_base_url: "http://127.0.0.1:4010",
            customer_url: "http://127.0.0.1:4010",
        };
        write_sdk_config(&path, &state, urls, None).unwrap();
        let (customer, card) = state.customer_and_card(crate::CUSTOMER_CARD).unwrap();
        let (cardless, none) = state.customer_and_card(crate::CUSTOMER_CARDLESS).unwrap();
        assert_eq!(none, None, "the cardless customer has no verified card");
        let ini = ini::Ini::load_from_file(&path).unwrap();
        let global = Some("global");
        assert_eq!(
            get(&ini, global, "CUSTOMER_ID"),
            Some(customer.to_string().as_str())
        );
        assert_eq!(
            get(&ini, global, "CARD_ID"),
            Some(card.unwrap().to_string().as_str())
        );
        assert_eq!(
            get(&ini, global, "CARDLESS_CUSTOMER_ID"),
            Some(cardless.to_string().as_str())
        );
        let flat = std::fs::read_to_string(flat_path(&path)).unwrap();
        assert!(
            flat.contains(&format!("CARDLESS_CUSTOMER_ID = {cardless}")),
            "{flat}"
        );
    }

    fn pem_der(pem: &str) -> Vec<u8> {
        use base64::Engine as _;
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    }
}
