//! What the client-side benchmarks talk to: the API a `config.ini` names, or a sandbox of our own.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use uuid::Uuid;

use super::process::{SandboxProcess, SandboxSpec, regi_binary};
use regi_pokepay::{ApiSettings, PokepayIni, PokepaySettings};

/// An API endpoint with the shop and money to use there.
pub struct ApiTarget {
    pub api: ApiSettings,
    pub shop_id: Uuid,
    pub private_money_id: Uuid,
    /// The SDK config.ini describing this API (for other clients timed against it).
    pub ini_path: PathBuf,
    /// Set when the benchmark started the sandbox itself.
    pub sandbox: Option<SandboxProcess>,
    /// Keeps the sandbox's directory alive.
    _dir: Option<tempfile::TempDir>,
}

impl ApiTarget {
    /// From `ini` when given, else from a fresh `regi sandbox` child process.
    pub fn open(ini: Option<&Path>, seed: Option<u64>) -> anyhow::Result<Self> {
        match ini {
            Some(path) => {
                let ini = PokepayIni::load(path)?;
                Self::from_ini(ini, path.to_path_buf(), None, None)
            }
            None => {
                let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
                let sandbox = SandboxProcess::spawn(
                    &regi_binary()?,
                    dir.path(),
                    &SandboxSpec {
                        seed,
                        ..SandboxSpec::default()
                    },
                )?;
                let (ini, ini_path) = (sandbox.ini.clone(), sandbox.ini_path.clone());
                Self::from_ini(ini, ini_path, Some(sandbox), Some(dir))
            }
        }
    }

    fn from_ini(
        ini: PokepayIni,
        ini_path: PathBuf,
        sandbox: Option<SandboxProcess>,
        dir: Option<tempfile::TempDir>,
    ) -> anyhow::Result<Self> {
        let (api, shop_id, private_money_id) = api_from_ini(ini)?;
        Ok(Self {
            api,
            shop_id,
            private_money_id,
            ini_path,
            sandbox,
            _dir: dir,
        })
    }
}

/// The client settings, shop and money a `config.ini` names.
pub(super) fn api_from_ini(ini: PokepayIni) -> anyhow::Result<(ApiSettings, Uuid, Uuid)> {
    let mut settings = PokepaySettings::default();
    let shop_id = ini.shop_id.context("the config.ini has no SHOP_ID")?;
    let private_money_id = ini
        .private_money_id
        .context("the config.ini has no PRIVATE_MONEY_ID")?;
    settings.apply_ini(ini);
    let mut api = settings.api;
    // Fail fast rather than hide a stall inside a latency figure.
    api.timeout = api.timeout.min(Duration::from_secs(10));
    Ok((api, shop_id, private_money_id))
}
