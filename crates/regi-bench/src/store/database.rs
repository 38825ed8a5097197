//! The PostgreSQL the store bench ships into: a throwaway cluster it starts (and can stop and
//! start again for the outage figures), or a database named by `--database-url`. Either way the
//! bench migrates it and makes each simulated terminal a login role of its own, as a shop's
//! administrator would, with its password in a file of mode 0600.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rand::Rng;
use regi_store::StoreTarget;
use regi_testkit::postgres::PgCluster;
use tokio_postgres::{Client, NoTls};

/// The database the bench makes in its own cluster.
const DATABASE: &str = "regi_store";

pub struct BenchDatabase {
    /// Set when the bench started the server itself (only then can it stop it).
    cluster: Option<PgCluster>,
    admin_url: String,
    /// Password files of the terminals' roles.
    secrets: tempfile::TempDir,
    /// Makes role names of this run unique in a database that outlives it.
    run: String,
}

impl BenchDatabase {
    /// A fresh cluster (`max_connections` 300: one connection per register's shipper and the
    /// bench's own), or the database at `url`, reached as a role that may create roles.
    pub async fn open(
        url: Option<&str>,
        server_dir: Option<&Path>,
    ) -> anyhow::Result<BenchDatabase> {
        let (cluster, admin_url) = match url {
            Some(url) => {
                require_local(url)?;
                (None, url.to_string())
            }
            None => {
                let cluster = match server_dir {
                    Some(dir) => PgCluster::start_in(dir),
                    None => PgCluster::start(),
                };
                cluster.create_database(DATABASE);
                let url = cluster.superuser_url(DATABASE);
                (Some(cluster), url)
            }
        };
        let db = BenchDatabase {
            cluster,
            admin_url,
            secrets: tempfile::Builder::new()
                .prefix("regi-bench-store")
                .tempdir()?,
            run: format!("{:x}", std::process::id()),
        };
        let mut admin = db.admin().await?;
        regi_store::migrate(&mut admin)
            .await
            .context("the store schema could not be set up")?;
        Ok(db)
    }

    /// Whether the bench can stop and start the server (only a cluster of its own).
    pub fn can_stop(&self) -> bool {
        self.cluster.is_some()
    }

    pub fn stop(&self) {
        if let Some(cluster) = &self.cluster {
            cluster.stop();
        }
    }

    /// Starts the stopped server; returns once it takes connections.
    pub fn resume(&self) {
        if let Some(cluster) = &self.cluster {
            cluster.resume();
        }
    }

    pub async fn admin(&self) -> anyhow::Result<Client> {
        let (client, connection) = tokio_postgres::connect(&self.admin_url, NoTls)
            .await
            .context("cannot reach the store database as its administrator")?;
        tokio::spawn(connection);
        Ok(client)
    }

    /// Makes the login role of terminal `terminal_id` of `store_id` and registers it, as
    /// `regi.add_terminal` does for a shop; returns how the terminal logs in.
    pub async fn terminal(
        &self,
        admin: &Client,
        terminal_id: &str,
        store_id: &str,
    ) -> anyhow::Result<StoreTarget> {
        let role = self.role_of(terminal_id);
        let password: String = rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(24)
            .map(char::from)
            .collect();
        admin
            .batch_execute(&format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
            .await
            .with_context(|| format!("cannot create the role of terminal {terminal_id}"))?;
        admin
            .execute(
                "SELECT regi.add_terminal($1, $2, $3)",
                &[&terminal_id, &store_id, &role],
            )
            .await
            .with_context(|| format!("cannot register terminal {terminal_id}"))?;
        let file = write_secret(&self.secrets.path().join(&role), &password)?;
        let url = with_user(&self.admin_url, &role)?;
        Ok(StoreTarget::new(&url, Some(&file), None)?)
    }

    /// The role name of a terminal in this run: lower case letters, digits and `_` only.
    fn role_of(&self, terminal_id: &str) -> String {
        let id: String = terminal_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("bench_{}_{id}", self.run)
    }
}

/// The bench connects without TLS: only to this machine (a Unix socket or loopback).
fn require_local(url: &str) -> anyhow::Result<()> {
    let config: tokio_postgres::Config = url
        .parse()
        .context("--database-url is not a postgres:// URL")?;
    let local = config.get_hosts().iter().all(|host| match host {
        tokio_postgres::config::Host::Unix(_) => true,
        tokio_postgres::config::Host::Tcp(name) => {
            name == "localhost"
                || name
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
    });
    if !local {
        bail!("--database-url must be on this machine (a Unix socket, localhost or 127.0.0.1)");
    }
    Ok(())
}

/// `url` logging in as `user`, without a password (the terminal reads its own from a file).
fn with_user(url: &str, user: &str) -> anyhow::Result<String> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .context("--database-url must start with postgres://")?;
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let host_start = rest[..authority_end].rfind('@').map_or(0, |at| at + 1);
    Ok(format!("postgres://{user}@{}", &rest[host_start..]))
}

fn write_secret(path: &Path, text: &str) -> anyhow::Result<PathBuf> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_logs_in_as_its_own_role_on_the_same_server_and_database() {
        assert_eq!(
            with_user("postgres://admin:secret@%2Ftmp%2Fpg/regi_store", "till").unwrap(),
            "postgres://till@%2Ftmp%2Fpg/regi_store"
        );
        assert_eq!(
            with_user("postgresql://localhost:5433/db?sslmode=disable", "till").unwrap(),
            "postgres://till@localhost:5433/db?sslmode=disable"
        );
        assert!(with_user("mysql://x/y", "till").is_err());
    }

    #[test]
    fn only_a_database_on_this_machine_is_reached_without_tls() {
        assert!(require_local("postgres://u@localhost/db").is_ok());
        assert!(require_local("postgres://u@127.0.0.1:5432/db").is_ok());
        assert!(require_local("postgres://u@%2Frun%2Fpostgresql/db").is_ok());
        assert!(require_local("postgres://u@db.example.com/db").is_err());
    }
}
