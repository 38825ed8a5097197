//! Why a configuration could not be loaded or used. Messages name the file and the key, never a
//! secret value.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A TOML syntax error, an unknown key or a value of the wrong type; `message` names the key
    /// and shows the line.
    #[error("{}: {message}", path.display())]
    Toml { path: PathBuf, message: String },

    #[error("{}: {message}", path.display())]
    Ini { path: PathBuf, message: String },

    /// A value that parsed but makes no sense, e.g. `[store] registration_number = "T12"`.
    #[error("{}{key}: {reason}", origin_prefix(.origin))]
    Invalid {
        origin: Option<PathBuf>,
        key: String,
        reason: String,
    },

    #[error("Partner API credentials are incomplete: missing {}", .0.join(", "))]
    MissingCredentials(Vec<&'static str>),

    /// Plain `http://` to a host that is not this machine would expose the sealed traffic.
    #[error("refusing plain http to non-loopback host in {url}; use https")]
    InsecureBaseUrl { url: String },

    #[error("TLS client identity: {reason}")]
    Tls { reason: String },

    #[error("cannot build the HTTP client: {reason}")]
    Http { reason: String },
}

impl ConfigError {
    /// The file the error is about, when it names one: the doctor's fix-it line points there.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            ConfigError::Read { path, .. }
            | ConfigError::Write { path, .. }
            | ConfigError::Toml { path, .. }
            | ConfigError::Ini { path, .. } => Some(path),
            ConfigError::Invalid { origin, .. } => origin.as_deref(),
            _ => None,
        }
    }
}

fn origin_prefix(origin: &Option<PathBuf>) -> String {
    origin
        .as_ref()
        .map(|p| format!("{}: ", p.display()))
        .unwrap_or_default()
}

impl ConfigError {
    pub fn invalid(
        origin: Option<&std::path::Path>,
        key: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            origin: origin.map(|p| p.to_path_buf()),
            key: key.into(),
            reason: reason.into(),
        }
    }
}
