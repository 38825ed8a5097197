//! A journal that runs out of room in the middle of a customer-code sale, with the real binary:
//! `regi checkout --cpm` runs with a file-size limit that makes the journal's writes fail at every
//! point of the sale in turn. Whatever the point, a run whose charge reached the ledger never
//! says "failed" or "error" (it exits 0 paid or 4 unknown), and once the journal has room again
//! `regi recover` settles it so the journal's paid sales are exactly the ledger's charges.

use std::collections::BTreeSet;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::sandbox_support::process::{customer, regi_on, start_sandbox};
use regi_pokepay_emulator::CustomerClient;

fn regi(data_dir: &Path, ini: &Path, args: &[&str]) -> Command {
    let mut command = regi_on(data_dir, ini);
    command.args(args);
    command
}

/// Runs `command` unable to grow any file past `limit` bytes, as on a disk that fills up.
fn with_file_size_limit(mut command: Command, limit: u64) -> Output {
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // A write past the limit then fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    command.output().expect("regi runs")
}

fn ledger_ids(base_url: &str) -> BTreeSet<String> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(async { CustomerClient::new(base_url)?.transactions().await })
        .expect("ledger")
        .into_iter()
        .map(|t| t.transaction.id.to_string())
        .collect()
}

fn journal_paid_ids(data_dir: &Path, ini: &Path) -> BTreeSet<String> {
    let out = regi(data_dir, ini, &["journal", "export", "--format", "json"])
        .output()
        .expect("runs");
    if !out.status.success() {
        return BTreeSet::new();
    }
    let sales: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    sales
        .iter()
        .filter(|s| s["state"] == "paid")
        .filter_map(|s| s["transaction_id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_journal_that_fills_up_mid_sale_never_reports_a_charged_customer_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox(dir.path(), Some(31));
    let ini = sandbox.ini_path.clone();
    let mut exits = Vec::new();
    for step in 0..48u64 {
        let data_dir = dir.path().join(format!("data-{step}"));
        // A journal made and closed with room to spare, as on the day before.
        let made = regi(&data_dir, &ini, &["recover"]).output().expect("runs");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let token = customer(&["cpm-token", "--sandbox", &sandbox.base_url]);
        let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
        let before = ledger_ids(&sandbox.base_url);

        // From under the journal's size, where opening it fails, to well past it,
        // where the whole sale fits: every write of the sale is the first to fail once.
        let journal_size = std::fs::metadata(data_dir.join("journal.sqlite"))
            .unwrap()
            .len();
        let limit = journal_size - 64 * 1024 + step * 2048;
        let run = with_file_size_limit(
            regi(
                &data_dir,
                &ini,
                &["checkout", "2500", "--cpm", &token, "--json"],
            ),
            limit,
        );
        let charged = ledger_ids(&sandbox.base_url).len() > before.len();
        let code = run.status.code();
        let stdout = String::from_utf8_lossy(&run.stdout);
        if charged {
            assert!(
                matches!(code, Some(0 | 4)),
                "limit {limit}: the customer was charged but regi exited {code:?}:\n{stdout}"
            );
            assert!(
                !stdout.contains("\"failed\"") && !stdout.contains("nothing was charged"),
                "limit {limit}: {stdout}"
            );
        } else {
            assert_ne!(
                code,
                Some(0),
                "limit {limit}: paid without a charge:\n{stdout}"
            );
        }
        exits.push((limit, code, charged));

        // Room again: recovery settles whatever was left, and the journal matches the ledger.
        let settled = regi(&data_dir, &ini, &["recover", "--json"])
            .output()
            .expect("runs");
        assert!(
            settled.status.success(),
            "limit {limit}: {}{}",
            String::from_utf8_lossy(&settled.stdout),
            String::from_utf8_lossy(&settled.stderr)
        );
        let new_charges: BTreeSet<String> = ledger_ids(&sandbox.base_url)
            .difference(&before)
            .cloned()
            .collect();
        assert_eq!(
            journal_paid_ids(&data_dir, &ini),
            new_charges,
            "limit {limit}: the journal's paid sales are the ledger's charges"
        );
    }
    // The sweep reached every kind of ending: refused before sending, unknown after, and paid.
    let unknown_after_charge = exits.iter().filter(|e| e.1 == Some(4) && e.2).count();
    let stopped_before = exits.iter().filter(|e| !e.2).count();
    let paid = exits.iter().filter(|e| e.1 == Some(0)).count();
    assert!(
        unknown_after_charge > 0 && stopped_before > 0 && paid > 0,
        "{exits:?}"
    );
}
