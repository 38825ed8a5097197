//! `regi sandbox --tls` as the real binary: a checkout paid end to end over https with the
//! client certificate of the configuration it wrote, taken as is; the same configuration without
//! the certificate, or with another sandbox's, is refused promptly with words that say why.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::sandbox_support::process::{REGI, customer, regi_on};

/// A running `regi sandbox --tls`; killed when dropped.
struct TlsSandbox {
    child: Child,
    ini: PathBuf,
}

impl Drop for TlsSandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TlsSandbox {
    /// Starts it with its configuration written to `dir/name.ini`, and waits until it listens
    /// (the configuration is written before that).
    fn start(dir: &Path, name: &str) -> TlsSandbox {
        let ini = dir.join(format!("{name}.ini"));
        let mut child = Command::new(REGI)
            .args([
                "sandbox",
                "--tls",
                "--listen",
                "127.0.0.1:0",
                "--write-config",
            ])
            .arg(&ini)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("regi sandbox starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        while lines.read_line(&mut line).expect("reads stderr") > 0 {
            if line.contains("listening on") {
                break;
            }
            line.clear();
        }
        assert!(line.contains("with mutual TLS"), "{line}");
        // Keep reading so the sandbox never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        TlsSandbox { child, ini }
    }

    fn value(&self, section: &str, key: &str) -> String {
        let ini = ini::Ini::load_from_file(&self.ini).expect("the config it wrote");
        ini.section(Some(section))
            .and_then(|s| s.get(key))
            .unwrap_or_else(|| panic!("{key} missing"))
            .to_string()
    }

    /// A copy of its configuration with the client certificate lines replaced by `cert`.
    fn config_with(&self, dir: &Path, name: &str, cert: Option<(&str, &str)>) -> PathBuf {
        let text = std::fs::read_to_string(&self.ini).unwrap();
        let mut kept: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("SSL_CERT_FILE") && !l.starts_with("SSL_KEY_FILE"))
            .map(str::to_string)
            .collect();
        if let Some((cert_file, key_file)) = cert {
            let at = kept.iter().position(|l| l == "[global]").unwrap() + 1;
            kept.insert(at, format!("SSL_CERT_FILE = {cert_file}"));
            kept.insert(at, format!("SSL_KEY_FILE = {key_file}"));
        }
        let path = dir.join(name);
        regi_config::write_private_file(&path, kept.join("\n").as_bytes()).unwrap();
        path
    }
}

fn mode(path: &str) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_qr_checkout_is_paid_over_https_with_the_written_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = TlsSandbox::start(dir.path(), "sandbox");
    assert!(
        sandbox
            .value("global", "API_BASE_URL")
            .starts_with("https://127.0.0.1:")
    );
    for key in [
        "SSL_CERT_FILE",
        "SSL_KEY_FILE",
        "SSL_CA_FILE",
        "PKCS12_FILE",
    ] {
        assert_eq!(mode(&sandbox.value("global", key)), 0o600, "{key}");
    }

    let mut checkout = regi_on(&dir.path().join("till"), &sandbox.ini)
        .args(["checkout", "1200", "--qr", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("regi checkout starts");
    let mut events = BufReader::new(checkout.stdout.take().unwrap()).lines();
    let presented = events
        .by_ref()
        .map(|line| serde_json::from_str::<serde_json::Value>(&line.unwrap()).unwrap())
        .find(|event| event["event"] != "started")
        .expect("an event after started");
    assert_eq!(presented["event"], "presented", "{presented}");
    let token = presented["token"].as_str().unwrap();

    let customer_url = sandbox.value("sdk-tests", "sandbox_customer_url");
    let paid = customer(&["pay", token, "--sandbox", &customer_url]);
    assert!(paid.status.success(), "{paid:?}");

    let last: serde_json::Value =
        serde_json::from_str(&events.last().expect("a final event").unwrap()).unwrap();
    let status = checkout.wait().unwrap();
    assert_eq!(last["event"], "paid", "{last}");
    assert_eq!(last["amount"], 1200);
    assert_eq!(status.code(), Some(0));
}

/// `regi doctor` (its SendEcho) with `ini`, the hardware checks kept off the hardware.
fn doctor(dir: &Path, ini: &Path) -> String {
    let toml = dir.join("regi.toml");
    std::fs::write(
        &toml,
        format!(
            "[printer]\ntarget = \"file:{}\"\n[scanner]\nsource = \"none\"\n",
            dir.join("paper.bin").display()
        ),
    )
    .unwrap();
    let output = Command::new(REGI)
        .arg("--data-dir")
        .arg(dir.join("doctor"))
        .arg("--config")
        .arg(&toml)
        .arg("--pokepay-ini")
        .arg(ini)
        .args(["--lang", "en", "doctor"])
        .stdin(Stdio::null())
        .output()
        .expect("regi doctor runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!text.contains("panicked"), "{text}");
    text
}

/// A checkout with `ini` ends at once as failed, nothing charged.
fn assert_checkout_refused(dir: &Path, ini: &Path) {
    let output = regi_on(&dir.join("refused-till"), ini)
        .args(["checkout", "500", "--qr", "--json"])
        .output()
        .expect("regi checkout runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("\"presented\""), "{stdout}");
}

#[test]
fn without_a_client_certificate_the_sandbox_refuses_and_regi_says_one_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = TlsSandbox::start(dir.path(), "sandbox");
    let bare = sandbox.config_with(dir.path(), "no-cert.ini", None);
    let report = doctor(dir.path(), &bare);
    assert!(
        report.contains("the server requires a client certificate"),
        "{report}"
    );
    assert_checkout_refused(dir.path(), &bare);
    // The configuration as written passes the same check.
    let report = doctor(dir.path(), &sandbox.ini);
    assert!(!report.contains("client certificate"), "{report}");
}

#[test]
fn another_sandboxes_client_certificate_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = TlsSandbox::start(dir.path(), "sandbox");
    let other = TlsSandbox::start(dir.path(), "other");
    let (cert, key) = (
        other.value("global", "SSL_CERT_FILE"),
        other.value("global", "SSL_KEY_FILE"),
    );
    let wrong = sandbox.config_with(dir.path(), "wrong-cert.ini", Some((&cert, &key)));
    let report = doctor(dir.path(), &wrong);
    assert!(
        report.contains("the server refused the client certificate"),
        "{report}"
    );
    assert_checkout_refused(dir.path(), &wrong);
}
