//! Where the store's PostgreSQL is and how this terminal logs in to it: the URL, the password
//! read from its own owner-only file (never from the URL, never logged), and TLS, required for
//! any host but a Unix socket or the loopback address.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use regi_core::secret::Secret;
use tokio_postgres::config::{Host, SslMode};

use crate::StoreError;

/// The store database as this terminal reaches it. `Debug` masks the password.
#[derive(Debug, Clone)]
pub struct StoreTarget {
    /// `postgres://user@host[:port]/database`; a host may be a socket directory (`%2Frun%2Fpg`).
    pub database_url: String,
    pub password: Option<Secret<String>>,
    /// A CA the server's certificate must chain to (required off the loopback).
    pub tls_ca_file: Option<PathBuf>,
}

/// How long a connection attempt may take before the server counts as down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl StoreTarget {
    /// The target with the password read from `password_file` (when given).
    pub fn new(
        database_url: &str,
        password_file: Option<&Path>,
        tls_ca_file: Option<PathBuf>,
    ) -> Result<StoreTarget, StoreError> {
        let password = password_file.map(read_password_file).transpose()?;
        Ok(StoreTarget {
            database_url: database_url.to_string(),
            password,
            tls_ca_file,
        })
    }

    /// The driver's settings: password added, TLS required unless every host is local.
    pub fn config(&self) -> Result<tokio_postgres::Config, StoreError> {
        let mut config: tokio_postgres::Config = self.database_url.parse().map_err(|e| {
            StoreError::Settings(format!("database_url is not a postgres:// URL: {e}"))
        })?;
        if config.get_password().is_some() {
            return Err(StoreError::Settings(
                "database_url must not hold a password; put it in password_file (mode 0600)".into(),
            ));
        }
        if let Some(password) = &self.password {
            config.password(password.expose().as_bytes());
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("regi");
        if config.get_hosts().iter().all(is_local) {
            if self.tls_ca_file.is_none() {
                config.ssl_mode(SslMode::Disable);
            }
        } else {
            if self.tls_ca_file.is_none() {
                return Err(StoreError::Settings(
                    "a database off this machine is reached over TLS: set tls_ca_file to the CA \
                     of its certificate"
                        .into(),
                ));
            }
            config.ssl_mode(SslMode::Require);
        }
        Ok(config)
    }

    /// A small pool of connections; nothing connects until a connection is asked for.
    pub fn pool(&self, size: usize) -> Result<Pool, StoreError> {
        let config = self.config()?;
        let recycling = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        // Without TLS the plain connector: the rustls one refuses a socket path as a name.
        let manager = if config.get_ssl_mode() == SslMode::Disable {
            Manager::from_config(config, tokio_postgres::NoTls, recycling)
        } else {
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.tls_config()?);
            Manager::from_config(config, tls, recycling)
        };
        Pool::builder(manager)
            .max_size(size)
            .build()
            .map_err(|e| StoreError::Settings(e.to_string()))
    }

    pub(crate) fn tls_config(&self) -> Result<rustls::ClientConfig, StoreError> {
        let mut roots = rustls::RootCertStore::empty();
        if let Some(path) = &self.tls_ca_file {
            use rustls_pki_types::CertificateDer;
            use rustls_pki_types::pem::PemObject;
            let certs = CertificateDer::pem_file_iter(path).map_err(|e| {
                StoreError::Settings(format!("tls_ca_file {}: {e}", path.display()))
            })?;
            for cert in certs {
                let cert = cert.map_err(|e| {
                    StoreError::Settings(format!("tls_ca_file {}: {e}", path.display()))
                })?;
                roots.add(cert).map_err(|e| {
                    StoreError::Settings(format!("tls_ca_file {}: {e}", path.display()))
                })?;
            }
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| StoreError::Settings(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth())
    }
}

fn is_local(host: &Host) -> bool {
    match host {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            name == "localhost"
                || name
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
    }
}

/// Reads the password from its file: the first line, which must not be empty, from a file no one
/// but its owner can read.
pub fn read_password_file(path: &Path) -> Result<Secret<String>, StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| {
        StoreError::Settings(format!(
            "password_file {} cannot be read: {e}",
            path.display()
        ))
    })?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(StoreError::Settings(format!(
            "password_file {} can be read by others; chmod 600 it",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        StoreError::Settings(format!(
            "password_file {} cannot be read: {e}",
            path.display()
        ))
    })?;
    let password = text.lines().next().unwrap_or("").trim_end().to_string();
    if password.is_empty() {
        return Err(StoreError::Settings(format!(
            "password_file {} is empty",
            path.display()
        )));
    }
    Ok(Secret::new(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, ca: Option<&str>) -> StoreTarget {
        StoreTarget {
            database_url: url.into(),
            password: Some(Secret::new("hunter2".into())),
            tls_ca_file: ca.map(PathBuf::from),
        }
    }

    #[test]
    fn a_remote_database_without_a_ca_file_is_refused() {
        let error = target("postgres://till@db.example.com/shop", None)
            .config()
            .unwrap_err();
        assert!(error.to_string().contains("tls_ca_file"), "{error}");
    }

    #[test]
    fn a_remote_database_with_a_ca_file_requires_tls() {
        let config = target("postgres://till@db.example.com/shop", Some("/ca.pem"))
            .config()
            .unwrap();
        assert_eq!(config.get_ssl_mode(), SslMode::Require);
    }

    #[test]
    fn loopback_and_a_socket_need_no_tls() {
        for url in [
            "postgres://till@127.0.0.1:5432/shop",
            "postgres://till@localhost/shop",
            "postgres://till@%2Frun%2Fpostgresql/shop",
        ] {
            assert_eq!(
                target(url, None).config().unwrap().get_ssl_mode(),
                SslMode::Disable
            );
        }
    }

    #[test]
    fn a_password_in_the_url_is_refused() {
        let error = target("postgres://till:secret@127.0.0.1/shop", None)
            .config()
            .unwrap_err();
        assert!(error.to_string().contains("password_file"), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
    }

    #[test]
    fn the_password_is_masked_in_debug_output() {
        let shown = format!("{:?}", target("postgres://till@127.0.0.1/shop", None));
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn a_password_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "hunter2\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = read_password_file(&path).unwrap_err();
        assert!(error.to_string().contains("chmod 600"), "{error}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_password_file(&path).unwrap().expose(), "hunter2");
    }
}
