//! A throwaway PostgreSQL cluster for tests: `initdb` in a temporary directory, the server on a
//! Unix socket inside it (no port to race for), password authentication for every connection,
//! stopped and removed when dropped. A real server, so store mode is tested against the engine
//! it runs on in a shop.
//!
//! PostgreSQL refuses to run as root, and CI runs tests as root: then the cluster belongs to
//! `nobody` and its programs run through `runuser`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The superuser's name in every test cluster.
pub const SUPERUSER: &str = "postgres";

pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    password: String,
    /// The unprivileged user the server runs as when the tests run as root.
    run_as: Option<String>,
}

impl PgCluster {
    /// Makes a new cluster in the temporary directory and starts it. Panics, naming what is
    /// missing, when PostgreSQL is not installed (`.ci/run` installs it).
    pub fn start() -> PgCluster {
        PgCluster::start_in(&std::env::temp_dir())
    }

    /// [`PgCluster::start`] with the cluster's directory made inside `parent` (a benchmark puts
    /// the server on a disk other than the journals').
    pub fn start_in(parent: &Path) -> PgCluster {
        let bin = find_bin_dir().unwrap_or_else(|| {
            panic!(
                "PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin or on \
                 PATH (apt-get install postgresql, or set REGI_PG_BIN)"
            )
        });
        let dir = tempfile::Builder::new()
            .prefix("regi-pg")
            .tempdir_in(parent)
            .expect("temporary directory");
        let run_as = is_root().then(|| "nobody".to_string());
        if let Some(user) = &run_as {
            let (uid, gid) = user_ids(user);
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let password = format!("pw-{}", std::process::id());
        let cluster = PgCluster {
            dir,
            bin,
            password,
            run_as,
        };
        let pwfile = cluster.dir.path().join("superuser.pw");
        std::fs::write(&pwfile, &cluster.password).expect("password file");
        if let Some(user) = &cluster.run_as {
            let (uid, gid) = user_ids(user);
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).expect("chown");
        }
        cluster.run_checked(
            "initdb",
            &[
                "-D".as_ref(),
                cluster.data_dir().as_os_str(),
                "-U".as_ref(),
                SUPERUSER.as_ref(),
                format!("--pwfile={}", pwfile.display()).as_ref(),
                "-A".as_ref(),
                "scram-sha-256".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
                // A throwaway cluster need not survive a power cut.
                "--no-sync".as_ref(),
            ],
        );
        cluster.resume();
        cluster
    }

    /// The directory holding the server's socket: the host of a connection string.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn superuser_password(&self) -> &str {
        &self.password
    }

    /// A `postgres://` URL for `user` on `database` through the socket, without a password
    /// (regi reads that from its password file).
    pub fn url(&self, user: &str, database: &str) -> String {
        let host: String = self
            .socket_dir()
            .to_string_lossy()
            .bytes()
            .map(|b| match b {
                b'/' => "%2F".to_string(),
                other => (other as char).to_string(),
            })
            .collect();
        format!("postgres://{user}@{host}/{database}")
    }

    /// The superuser's URL on `database`, password included, for set-up in tests.
    pub fn superuser_url(&self, database: &str) -> String {
        self.url(&format!("{SUPERUSER}:{}", self.password), database)
    }

    /// Writes `text` to a file of its own (mode 0600) and returns its path: a password file.
    pub fn write_secret(&self, name: &str, text: &str) -> PathBuf {
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.dir.path().join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .expect("secret file");
        std::io::Write::write_all(&mut file, text.as_bytes()).expect("write secret");
        path
    }

    /// Runs SQL as the superuser on `database` with psql; panics with psql's message on error.
    pub fn psql(&self, database: &str, sql: &str) -> String {
        let output = Command::new(self.bin.join("psql"))
            .env("PGPASSWORD", &self.password)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.socket_dir())
            .args(["-U", SUPERUSER, "-d", database, "-c", sql])
            .output()
            .expect("psql runs");
        assert!(
            output.status.success(),
            "psql failed on {sql:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Creates an empty database owned by the superuser.
    pub fn create_database(&self, name: &str) {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
    }

    /// Stops the server (fast shutdown: sessions are ended, as when a server goes down).
    pub fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "fast", "-w"]);
    }

    /// Starts the stopped server again on the same socket, waiting until it takes connections.
    pub fn resume(&self) {
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c max_connections=300",
            self.socket_dir().display()
        );
        let log = self.dir.path().join("server.log");
        self.pg_ctl(&["start", "-w", "-l", &log.to_string_lossy(), "-o", &options]);
    }

    fn pg_ctl(&self, args: &[&str]) {
        let data = self.data_dir();
        let mut all: Vec<&std::ffi::OsStr> = vec!["-D".as_ref(), data.as_os_str()];
        all.extend(args.iter().map(std::ffi::OsStr::new));
        self.run_checked("pg_ctl", &all);
    }

    fn run_checked(&self, program: &str, args: &[&std::ffi::OsStr]) -> Output {
        let path = self.bin.join(program);
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        let output = command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("{} cannot run: {e}", path.display()));
        assert!(
            output.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Immediate: nothing in a throwaway cluster needs a clean shutdown. Errors are ignored
        // (the server may be stopped already); the directory goes with `dir`.
        let data = self.data_dir();
        let path = self.bin.join("pg_ctl");
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        let _ = command
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "immediate", "-w"])
            .output();
    }
}

/// `REGI_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin` (Debian keeps the server programs
/// off PATH there), else the directory of an `initdb` on PATH.
fn find_bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("REGI_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|dir| dir.join("initdb").exists() && dir.join("psql").exists())
    })
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn user_ids(user: &str) -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, user])
            .output()
            .expect("id runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("no user {user} to run PostgreSQL as"))
    };
    (id("-u"), id("-g"))
}
