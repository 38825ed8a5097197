//! `regi pin set` / `regi pin clear` and the doctor's word on a plain PIN, run as the real binary
//! against a regi.toml in a temporary data directory, the PIN piped in on standard input.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use regi_config::{Config, StoredPin};

const PLAIN: &str = "# The front till.\n[terminal]\nname = \"レジ1\"\n\n[ui]\nlang = \"en\"\n# Asked for refunds.\nmanager_pin = \"2580\"\n";

/// Runs `regi --data-dir DIR ARGS...` with `stdin` piped in.
fn regi(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regi"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("REGI_CONFIG")
        .env_remove("POKEPAY_PARTNER_CONFIG_FILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("regi runs");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    // A run refused before it reads the PIN may be gone before the write.
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().expect("regi finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn load(path: &Path) -> Config {
    Config::load(Some(path)).expect("the written file loads")
}

#[test]
fn pin_set_reads_the_pin_from_stdin_and_writes_a_private_hash_in_place_of_the_plain_pin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regi.toml");
    std::fs::write(&path, PLAIN).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = regi(dir.path(), &["pin", "set"], "7391\n7391\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Manager PIN set"),
        "{}",
        text(&out.stdout)
    );
    assert!(!text(&out.stdout).contains("7391") && !text(&out.stderr).contains("7391"));

    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        !written.contains("2580") && !written.contains("7391"),
        "{written}"
    );
    assert!(written.contains("# The front till.") && written.contains("name = \"レジ1\""));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let config = load(&path);
    assert!(config.ui.manager_pin.is_none());
    let stored = config.ui.stored_pin().expect("a PIN is set");
    assert!(matches!(stored, StoredPin::Hashed(_)));
    assert!(stored.matches("7391"));
    assert!(!stored.matches("2580"));

    let out = regi(dir.path(), &["pin", "clear"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(load(&path).ui.stored_pin(), None);
}

#[test]
fn pin_set_refuses_a_bad_or_unrepeated_pin_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regi.toml");
    std::fs::write(&path, PLAIN).unwrap();
    for (piped, why) in [
        ("12\n", "4 to 8 digits"),
        ("12345678901\n", "4 to 8 digits"),
        ("12a4\n", "4 to 8 digits"),
        ("1234\n4321\n", "differ"),
        ("", "4 to 8 digits"),
    ] {
        let out = regi(dir.path(), &["pin", "set"], piped);
        assert!(!out.status.success(), "{piped:?} was accepted");
        let err = text(&out.stderr);
        assert!(err.contains(why), "{piped:?}: {err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), PLAIN);
    }
}

#[test]
fn pin_set_creates_the_configuration_when_there_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("regi-data");
    let out = regi(&data_dir, &["--lang", "ja", "pin", "set"], "24680\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("責任者暗証番号を設定しました"));
    let path = data_dir.join("regi.toml");
    assert!(load(&path).ui.stored_pin().unwrap().matches("24680"));
    let mode = std::fs::metadata(&data_dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn doctor_warns_about_a_plain_manager_pin_and_names_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("paper.bin");
    let config = format!(
        "[ui]\nlang = \"en\"\nmanager_pin = \"2580\"\n[printer]\ntarget = \"file:{}\"\n",
        paper.display()
    );
    std::fs::write(dir.path().join("regi.toml"), config).unwrap();
    let out = regi(dir.path(), &["doctor"], "");
    let report = text(&out.stdout);
    assert!(
        report.contains("[WARN] Manager PIN: stored as plain text in regi.toml"),
        "{report}"
    );
    assert!(report.contains("→ Run `regi pin set`"), "{report}");
    assert!(!report.contains("2580"), "{report}");
}
