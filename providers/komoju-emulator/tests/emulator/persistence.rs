//! The state file: kept across restarts, owner-only; and the regi configuration file.

use regi_komoju_emulator::{EmulatorConfig, render_regi_config, write_private};

use crate::support::{raw_with, session_body};

#[tokio::test]
async fn a_restart_on_the_same_state_file_keeps_sessions_key_and_idempotent_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("komoju-state.json");
    let config = || EmulatorConfig {
        state_file: Some(path.clone()),
        ..Default::default()
    };
    let first = raw_with(config()).await;
    let created = first
        .post("/sessions", &session_body(900), Some("k-1"))
        .await;
    let id = created.1["id"].as_str().unwrap().to_string();
    first.emulator.state.pay_session(&id, None, None).unwrap();
    let key = first.emulator.secret_key.clone();
    first.emulator.shutdown().await.unwrap();

    let second = raw_with(config()).await;
    assert_eq!(second.emulator.secret_key, key);
    let (status, shown) = second.get(&format!("/sessions/{id}")).await;
    assert_eq!((status, shown["status"].as_str()), (200, Some("completed")));
    let replay = second
        .post("/sessions", &session_body(900), Some("k-1"))
        .await;
    assert_eq!(replay.1["id"], created.1["id"]);
    assert_eq!(second.emulator.state.read(|l| l.sessions.len()), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test]
async fn the_written_regi_configuration_points_at_the_api_with_the_key_and_is_private() {
    let r = raw_with(EmulatorConfig::default()).await;
    let text = r.emulator.regi_config();
    assert_eq!(
        text,
        render_regi_config(&r.emulator.api_base_url, &r.emulator.secret_key)
    );
    let table: toml::Table = toml::from_str(&text).unwrap();
    let base = table["komoju"]["api_base_url"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/api/v1"));
    assert_eq!(
        table["komoju"]["secret_key"].as_str(),
        Some(r.emulator.secret_key.expose())
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regi.toml");
    write_private(&path, &text).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
