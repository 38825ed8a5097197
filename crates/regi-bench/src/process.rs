//! The real `regi` binary next to this one, and a `regi sandbox` child process to measure against.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};

use regi_pokepay::PokepayIni;

/// `regi` from the directory this benchmark binary runs from (cargo builds both there).
pub fn regi_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let dir = exe
        .parent()
        .context("this program's path has no directory")?;
    let regi = dir.join(format!("regi{}", std::env::consts::EXE_SUFFIX));
    if !regi.is_file() {
        bail!(
            "{} is missing; build both binaries first (cargo build --release)",
            regi.display()
        );
    }
    Ok(regi)
}

/// How to start the sandbox.
#[derive(Debug, Clone, Default)]
pub struct SandboxSpec {
    pub seed: Option<u64>,
    pub faults: Vec<String>,
    /// Keep the ledger here (SQLite), so it survives the process.
    pub state: Option<PathBuf>,
}

/// A running `regi sandbox`; killed when dropped.
#[derive(Debug)]
pub struct SandboxProcess {
    child: Child,
    pub base_url: String,
    /// The SDK `config.ini` the sandbox wrote for itself.
    pub ini_path: PathBuf,
    pub ini: PokepayIni,
}

impl SandboxProcess {
    /// Starts the sandbox on a free loopback port and waits until it says it is listening (it
    /// writes its `config.ini` into `dir` before that).
    pub fn spawn(regi: &Path, dir: &Path, spec: &SandboxSpec) -> anyhow::Result<Self> {
        let ini_path = dir.join("sandbox-config.ini");
        let mut command = Command::new(regi);
        command
            .args(["sandbox", "--listen", "127.0.0.1:0", "--write-config"])
            .arg(&ini_path);
        if let Some(seed) = spec.seed {
            command.args(["--seed", &seed.to_string()]);
        }
        for fault in &spec.faults {
            command.args(["--fault", fault]);
        }
        if let Some(state) = &spec.state {
            command.arg("--state").arg(state);
        }
        let (child, _) = spawn_until_listening(&mut command, regi)?;
        let ini = PokepayIni::load(&ini_path)?;
        let base_url = ini
            .api_base_url
            .clone()
            .context("the sandbox's config.ini has no API_BASE_URL")?;
        Ok(Self {
            child,
            base_url,
            ini_path,
            ini,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Starts `regi sandbox ...` (`command`) and waits until it says it is listening (it writes its
/// configuration before that). Returns the child and that line, which names its address.
pub fn spawn_until_listening(
    command: &mut Command,
    regi: &Path,
) -> anyhow::Result<(Child, String)> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {}", regi.display()))?;
    let stderr = child.stderr.take().context("sandbox stderr")?;
    let mut lines = BufReader::new(stderr);
    let mut first = String::new();
    let listening = loop {
        let mut line = String::new();
        match lines.read_line(&mut line) {
            Ok(0) | Err(_) => break false,
            Ok(_) if line.contains("listening on") => {
                first = line;
                break true;
            }
            Ok(_) => first.push_str(&line),
        }
    };
    if !listening {
        let _ = child.kill();
        let _ = child.wait();
        bail!("the sandbox did not start: {}", first.trim());
    }
    // Keep reading so the sandbox never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = lines.read_to_end(&mut sink);
    });
    Ok((child, first))
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
