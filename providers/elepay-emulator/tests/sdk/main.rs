//! The official elepay Python SDK (elepay-python-sdk 1.2.0), unmodified, holds a whole
//! conversation with the emulator (`conversation.py` beside this file). The Python with the SDK
//! installed is named by `REGI_ELEPAY_SDK_PYTHON` (`.ci/run` sets it up); without it the check
//! is reported as not run.

use std::path::Path;
use std::process::Command;

use regi_elepay_emulator::{EmulatorConfig, start_loopback};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_holds_a_whole_conversation_with_the_emulator() {
    let Some(python) = std::env::var_os("REGI_ELEPAY_SDK_PYTHON") else {
        println!("REGI_ELEPAY_SDK_PYTHON is not set: the elepay SDK check was not run");
        return;
    };
    let emulator = start_loopback(EmulatorConfig::default()).await.unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/conversation.py");
    let base_url = emulator.base_url.clone();
    let key = emulator.secret_key.expose().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(&python)
            .arg(&script)
            .arg(&base_url)
            .arg(&key)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", Path::new(&python).display()))
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the elepay SDK conversation failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    emulator.shutdown().await.unwrap();
}
