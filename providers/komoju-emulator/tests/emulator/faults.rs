//! Faults over HTTP: deterministic under a seed, and a 503 carries nothing out.

use regi_komoju_emulator::{EmulatorConfig, FaultPlan};

use crate::support::{raw_with, session_body};

async fn statuses(seed: u64) -> Vec<u16> {
    let r = raw_with(EmulatorConfig {
        faults: FaultPlan::from_specs(&["unavailable=0.5"]).unwrap(),
        seed,
        ..Default::default()
    })
    .await;
    let mut out = Vec::new();
    for _ in 0..24 {
        out.push(r.get("/payments").await.0);
    }
    out
}

#[tokio::test]
async fn the_same_seed_gives_the_same_faults_run_after_run() {
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
}

#[tokio::test]
async fn an_unavailable_answer_carries_nothing_out() {
    let r = raw_with(EmulatorConfig {
        faults: FaultPlan::from_specs(&["unavailable=1"]).unwrap(),
        ..Default::default()
    })
    .await;
    let (status, body) = r.post("/sessions", &session_body(100), Some("k")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (503, Some("service_unavailable"))
    );
    assert_eq!(r.emulator.state.read(|l| l.sessions.len()), 0);
}
