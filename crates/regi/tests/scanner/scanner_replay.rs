//! `regi scan-test --replay` on recorded report traces: stdout must be exactly one
//! `<kind>\t<code>` line per scan.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hid")
        .join(name)
}

fn scan_test(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regi"))
        .arg("scan-test")
        .args(args)
        .output()
        .expect("regi runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Replays `trace` with `extra` options and compares stdout with `<stem>.expected`.
fn check(trace: &str, extra: &[&str]) {
    let path = data(trace);
    let path_text = path.to_str().expect("UTF-8 path");
    let mut args = vec!["--replay", path_text];
    args.extend_from_slice(extra);
    let output = scan_test(&args);
    assert!(
        output.status.success(),
        "{trace}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stem = trace.rsplit_once('.').map_or(trace, |(stem, _)| stem);
    let expected = std::fs::read_to_string(data(&format!("{stem}.expected"))).expect("expected");
    assert_eq!(stdout(&output), expected, "{trace}");
}

#[test]
fn us_codes_of_every_kind() {
    check("us_basic.txt", &["--layout", "us"]);
}

#[test]
fn shifted_letters_from_a_binary_trace() {
    check("us_shifted.bin", &[]);
}

#[test]
fn jis_symbols() {
    check("jis_symbols.txt", &["--layout", "jis"]);
}

#[test]
fn jis_trace_read_as_us_types_other_symbols() {
    let path = data("jis_symbols.txt");
    let output = scan_test(&["--replay", path.to_str().expect("UTF-8"), "--layout", "us"]);
    let text = stdout(&output);
    let first = text.lines().next().expect("a scan");
    assert_eq!(first, "unknown\t@^&*(_+[{]\\}|'\":;=");
    // Letters, digits and '-' are layout independent, so receipts and JANs survive.
    assert!(text.contains("receipt\tRGI-JP1-7\n"), "{text}");
    assert!(text.contains("jan\t4901234567894\n"), "{text}");
}

#[test]
fn rollover() {
    check("rollover.txt", &[]);
}

#[test]
fn repeated_reports() {
    check("repeated.txt", &[]);
}

#[test]
fn phantom_reports() {
    check("phantom.txt", &[]);
}

#[test]
fn noise_between_scans() {
    check("noise.txt", &[]);
}

#[test]
fn enter_tab_and_keypad_enter_terminate() {
    check("terminators.txt", &[]);
}

#[test]
fn hid_recorder_capture() {
    check("hid_recorder.txt", &[]);
}

#[test]
fn usbmon_capture() {
    check("usbmon.txt", &[]);
}

#[test]
fn prefix_and_suffix_are_cut() {
    check("affixes.txt", &["--prefix", "]E0", "--suffix", "/"]);
}

#[test]
fn keypad_digits() {
    check("keypad.txt", &[]);
}

#[test]
fn binary_with_report_ids() {
    check("report_id.bin", &[]);
}

#[test]
fn caps_lock_and_unterminated_tail() {
    check("capslock_tail.txt", &[]);
    let path = data("capslock_tail.txt");
    let output = scan_test(&["--replay", path.to_str().expect("UTF-8")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("3 characters after the last Enter/Tab"),
        "{stderr}"
    );
}

#[test]
fn pcapng_capture() {
    check("capture.pcapng", &[]);
}

#[test]
fn pcap_capture() {
    check("capture_189.pcap", &[]);
}

#[test]
fn replay_from_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regi"))
        .args(["scan-test", "--replay", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("regi runs");
    let trace = std::fs::read(data("us_shifted.bin")).expect("trace");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&trace)
        .expect("writes");
    let output = child.wait_with_output().expect("finishes");
    let expected = std::fs::read_to_string(data("us_shifted.expected")).expect("expected");
    assert_eq!(stdout(&output), expected);
}

#[test]
fn missing_file_fails_with_nothing_on_stdout() {
    let output = scan_test(&["--replay", "/nonexistent/trace.txt"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/trace.txt"), "{stderr}");
}

#[test]
fn garbage_file_gives_no_scans_and_no_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("garbage.bin");
    let garbage: Vec<u8> = (0..4099u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, garbage).expect("writes");
    let output = scan_test(&["--replay", path.to_str().expect("UTF-8")]);
    assert!(output.status.success());
    for line in stdout(&output).lines() {
        let (kind, _) = line.split_once('\t').expect("kind<TAB>code");
        assert!(
            ["customer_code", "jan", "receipt", "unknown"].contains(&kind),
            "{line}"
        );
    }
}

#[test]
fn help_documents_the_replay_formats() {
    let output = scan_test(&["--help"]);
    let help = stdout(&output);
    for needle in [
        "--replay",
        "--layout",
        "hid-recorder",
        "usbmon",
        "binary",
        "<kind><TAB><code>",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}

#[test]
fn fifo_option_classifies_each_line_of_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("codes.txt");
    std::fs::write(&path, "4901234567894\nRGI-T1-5\nhello\n").expect("writes");
    let output = scan_test(&["--fifo", path.to_str().expect("UTF-8")]);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "jan\t4901234567894\nreceipt\tRGI-T1-5\nunknown\thello\n"
    );
}
