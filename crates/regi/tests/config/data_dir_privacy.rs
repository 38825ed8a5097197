//! What regi leaves in its data directory, run as the real binary: every directory 0700, every
//! file 0600, and neither a customer's code nor the client secret in any of them, not even in a
//! log written at trace level.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::sandbox_support::process::{REGI, customer, start_sandbox};
use regi_bench::process::{SandboxProcess, SandboxSpec};

/// Every file and directory under `root`, `root` included.
fn everything_under(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![root.to_path_buf()];
    let mut i = 0;
    while i < found.len() {
        if found[i].is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&found[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            children.sort();
            found.extend(children);
        }
        i += 1;
    }
    found
}

#[cfg(unix)]
fn assert_owner_only(root: &Path) {
    assert_all_owner_only(everything_under(root));
}

#[cfg(unix)]
fn assert_all_owner_only(paths: Vec<PathBuf>) {
    use std::os::unix::fs::PermissionsExt;
    for path in paths {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        let expected = if meta.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(
            mode,
            expected,
            "{} is {mode:04o}, expected {expected:04o}",
            path.display()
        );
    }
}

fn assert_nowhere(root: &Path, secret: &str, what: &str) {
    for path in everything_under(root).into_iter().filter(|p| p.is_file()) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{} holds the {what}",
            path.display()
        );
    }
}

fn log_text(data: &Path) -> String {
    everything_under(&data.join("logs"))
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn a_cpm_checkout_logged_at_trace_leaves_no_code_or_secret_and_only_private_files() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), None);
    let secret = sandbox.ini.client_secret.as_ref().unwrap().expose().clone();
    let token = customer(&["cpm-token", "--sandbox", &sandbox.base_url]);
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    assert_eq!(token.len(), 22);

    let data = dir.path().join("data");
    let output = Command::new(REGI)
        .arg("--data-dir")
        .arg(&data)
        .arg("--pokepay-ini")
        .arg(&sandbox.ini_path)
        .args(["checkout", "2500", "--cpm", &token, "--json"])
        .env("REGI_LOG", "trace")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let events = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{events}");
    assert!(events.contains("\"paid\""), "{events}");

    let log = log_text(&data);
    assert!(log.contains("TRACE"), "the log was written at trace level");
    assert!(
        log.contains(&format!("code={}", "*".repeat(18) + &token[18..])),
        "the charge is logged with its code masked"
    );
    assert_nowhere(&data, &token, "customer's code");
    assert_nowhere(&data, &secret, "client secret");
    #[cfg(unix)]
    assert_owner_only(&data);
}

/// The terminal cannot start without one (the child gets no controlling terminal), but by then
/// training mode has made everything it keeps: logs, the training journal, the sandbox ledger.
#[cfg(unix)]
#[test]
fn training_mode_creates_only_owner_only_files_and_directories() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut command = Command::new(REGI);
    command
        .arg("--data-dir")
        .arg(&data)
        .arg("--training")
        .env("REGI_LOG", "trace")
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: setsid is async-signal-safe; it only detaches the child from this terminal.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let output = command.output().unwrap();
    assert!(!output.status.success(), "no terminal, no TUI");
    let training = data.join("training");
    for made in ["journal.sqlite", "sandbox.sqlite"] {
        assert!(
            training.join(made).is_file(),
            "{made} missing: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(!log_text(&data).is_empty());
    assert_owner_only(&data);
}

/// `regi sandbox --state` keeps its ledger (and SQLite's -wal and -shm beside it) owner-only, as
/// the `config.ini` it writes.
#[cfg(unix)]
#[test]
fn the_sandbox_keeps_its_state_and_config_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let spec = SandboxSpec {
        state: Some(dir.path().join("sandbox.sqlite")),
        ..SandboxSpec::default()
    };
    let sandbox = SandboxProcess::spawn(Path::new(REGI), dir.path(), &spec).unwrap();
    let token = customer(&["cpm-token", "--sandbox", &sandbox.base_url]);
    assert!(token.status.success());
    drop(sandbox);
    assert!(dir.path().join("sandbox.sqlite").is_file());
    assert!(dir.path().join("sandbox-config.ini").is_file());
    // The directory itself is the test's; everything in it is the sandbox's.
    assert_all_owner_only(everything_under(dir.path()).split_off(1));
}
