//! The sandbox of a chaos run: `regi sandbox --provider P` as a child process with the run's
//! seed, faults and ledger file; the configuration each register is given from what it wrote;
//! and its customer side. Pokepay's sandbox writes an SDK `config.ini`, KOMOJU's and elepay's a
//! `regi.toml` with `[tenders]` and their own table.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use anyhow::{Context, bail};

use super::customer::Customer;
use super::pokepay;
use super::provider::Provider;
use crate::process::{SandboxProcess, SandboxSpec, spawn_until_listening};
use regi_pokepay_emulator::CustomerClient;

/// A running sandbox; stopped when dropped.
pub struct ChaosSandbox {
    running: Running,
    /// Its root URL, where the customer side answers.
    pub base_url: String,
}

enum Running {
    Pokepay(Box<SandboxProcess>),
    Other {
        provider: Provider,
        child: Child,
        /// The `regi.toml` it wrote (it holds the secret key: never printed).
        written: String,
    },
}

impl Drop for ChaosSandbox {
    fn drop(&mut self) {
        if let Running::Other { child, .. } = &mut self.running {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Where the sandbox keeps its ledger in the run's directory.
pub fn ledger_path(root: &Path, provider: Provider) -> PathBuf {
    match provider {
        Provider::Pokepay => root.join("sandbox-ledger.sqlite"),
        other => root.join(format!("sandbox-ledger-{}.json", other.name())),
    }
}

impl ChaosSandbox {
    /// Starts `provider`'s sandbox on a free loopback port, writing its configuration into `dir`.
    pub fn spawn(
        regi: &Path,
        dir: &Path,
        provider: Provider,
        spec: &SandboxSpec,
    ) -> anyhow::Result<Self> {
        if provider == Provider::Pokepay {
            let process = SandboxProcess::spawn(regi, dir, spec)?;
            return Ok(Self {
                base_url: process.base_url.clone(),
                running: Running::Pokepay(Box::new(process)),
            });
        }
        let config_path = dir.join(format!("sandbox-{}.toml", provider.name()));
        let mut command = Command::new(regi);
        command
            .args(["sandbox", "--provider", provider.name()])
            .args(["--listen", "127.0.0.1:0", "--write-config"])
            .arg(&config_path);
        if let Some(seed) = spec.seed {
            command.args(["--seed", &seed.to_string()]);
        }
        for fault in &spec.faults {
            command.args(["--fault", fault]);
        }
        if let Some(state) = &spec.state {
            command.arg("--state").arg(state);
        }
        let (mut child, line) = spawn_until_listening(&mut command, regi)?;
        let started = listening_url(&line)
            .context("the sandbox did not say where it listens")
            .and_then(|url| {
                let written = std::fs::read_to_string(&config_path)
                    .with_context(|| format!("reading {}", config_path.display()))?;
                Ok((url, written))
            });
        match started {
            Ok((base_url, written)) => Ok(Self {
                base_url,
                running: Running::Other {
                    provider,
                    child,
                    written,
                },
            }),
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(err)
            }
        }
    }

    /// The configuration of the register `name` (terminal id `id`).
    pub fn register_config(&self, name: &str, id: usize) -> anyhow::Result<String> {
        match &self.running {
            Running::Pokepay(process) => pokepay::register_config(&process.ini, name, id),
            Running::Other {
                provider, written, ..
            } => provider_register_config(written, *provider, name, id),
        }
    }

    pub fn customer(&self) -> anyhow::Result<Customer> {
        let sandbox = self.base_url.clone();
        Ok(match &self.running {
            Running::Pokepay(_) => Customer::Pokepay(CustomerClient::new(&self.base_url)?),
            Running::Other {
                provider: Provider::Komoju,
                ..
            } => Customer::Komoju { sandbox },
            Running::Other { .. } => Customer::Elepay {
                sandbox,
                payers: Default::default(),
            },
        })
    }
}

/// The address in `regi sandbox`'s first line (`... listening on http://127.0.0.1:PORT, ...`).
fn listening_url(line: &str) -> Option<String> {
    let rest = &line[line.find("listening on ")? + "listening on ".len()..];
    let url = rest.split([' ', ',', '\n']).next()?.trim();
    url.starts_with("http://").then(|| url.to_string())
}

/// The sandbox's `regi.toml` made a chaos register's: short timeouts in the provider's table,
/// so a held answer costs seconds rather than minutes, and a terminal name of its own.
fn provider_register_config(
    written: &str,
    provider: Provider,
    name: &str,
    id: usize,
) -> anyhow::Result<String> {
    let mut config: toml::Table = written
        .parse()
        .context("the sandbox wrote a regi.toml that does not parse")?;
    let Some(toml::Value::Table(table)) = config.get_mut(provider.name()) else {
        bail!("the sandbox's regi.toml has no [{}] table", provider.name());
    };
    table.insert("timeout_secs".into(), 2.into());
    table.insert("connect_timeout_secs".into(), 2.into());
    let mut terminal = toml::Table::new();
    terminal.insert("name".into(), name.into());
    terminal.insert("id".into(), format!("{id:02}").into());
    config.insert("terminal".into(), terminal.into());
    Ok(toml::to_string(&config)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_from_each_sandboxs_first_line() {
        assert_eq!(
            listening_url(
                "regi sandbox (KOMOJU) listening on http://127.0.0.1:4010, API at http://127.0.0.1:4010/api/v1\n"
            )
            .as_deref(),
            Some("http://127.0.0.1:4010")
        );
        assert_eq!(
            listening_url("regi sandbox (elepay) listening on http://127.0.0.1:4020\n").as_deref(),
            Some("http://127.0.0.1:4020")
        );
        assert_eq!(listening_url("regi sandbox: cannot listen"), None);
    }

    #[test]
    fn a_register_keeps_the_sandboxs_tenders_and_key_with_short_timeouts_and_its_own_name() {
        let written = "# regi against the komoju emulator\n[tenders]\nenabled = [\"komoju\"]\n\n\
                       [komoju]\napi_base_url = \"http://127.0.0.1:4010/api/v1\"\nsecret_key = \"sk_test_x\"\n";
        let text = provider_register_config(written, Provider::Komoju, "chaos-3", 3).unwrap();
        let config: toml::Table = text.parse().unwrap();
        assert_eq!(config["tenders"]["enabled"][0].as_str(), Some("komoju"));
        assert_eq!(config["komoju"]["secret_key"].as_str(), Some("sk_test_x"));
        assert_eq!(config["komoju"]["timeout_secs"].as_integer(), Some(2));
        assert_eq!(
            config["komoju"]["connect_timeout_secs"].as_integer(),
            Some(2)
        );
        assert_eq!(config["terminal"]["name"].as_str(), Some("chaos-3"));
        assert_eq!(config["terminal"]["id"].as_str(), Some("03"));
        let err = provider_register_config(written, Provider::Elepay, "chaos-1", 1).unwrap_err();
        assert!(err.to_string().contains("[elepay]"), "{err}");
    }
}
