//! The journal as the print queue: a printer out of paper keeps the receipt in the journal, across
//! a restart, and the printer gets exactly the same bytes once it is back.

use crate::receipts_support::*;
use regi_journal::Journal;
use regi_pokepay_emulator::FaultPlan;
use regi_printer::PrinterStatus;
use regi_receipts::{self as receipts, PrintOutcome, Slip, load_slip, prepare_slip};
use regi_testkit::engine::*;

const PAPER_OUT: PrinterStatus = PrinterStatus {
    online: false,
    paper_out: true,
    ..PrinterStatus::READY
};

#[tokio::test]
async fn paper_out_keeps_the_receipt_across_a_restart_and_prints_it_when_back() {
    let sandbox = sandbox(FaultPlan::default(), 71).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let printer = LoopbackPrinter::start(PAPER_OUT);
    let config = store_config(&printer.target());
    let sale_id = {
        let (handle, writer) = journal(dir.path());
        let engine = regi_engine::Engine::new(gateway(&sandbox), handle, fast_settings());
        let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;

        let report = receipts::print_sale(engine.journal(), &config, outcome.sale_id, None).await;
        let PrintOutcome::Queued { waiting, .. } = &report.outcome else {
            panic!("paper out must queue the receipt: {report:?}");
        };
        assert_eq!(*waiting, 1);
        assert!(
            report.message_ja().contains("用紙"),
            "{}",
            report.message_ja()
        );
        assert!(
            report.message_en().contains("paper"),
            "{}",
            report.message_en()
        );
        drop(engine);
        writer.join().expect("journal closed");
        outcome.sale_id
    };
    // Only status requests reached the printer.
    assert!(printer.next_connection().is_empty());

    // After a restart the job is still there, with the failed attempt and its reason.
    let journal = Journal::open(&journal_file(dir.path())).expect("reopened");
    let pending = journal.pending_print_jobs().expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].sale_id, Some(sale_id));
    assert_eq!(pending[0].kind, "receipt");
    assert_eq!(pending[0].attempts, 1);
    assert!(
        pending[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("paper")),
        "{:?}",
        pending[0].last_error
    );
    let queued_bytes = pending[0].bytes.clone();
    // They are the bytes of the original receipt, as `regi receipt show` would decode them.
    let record = load_slip(&journal, sale_id, Slip::Sale).expect("record");
    let mut original = record.clone();
    original.queued_before = false;
    assert_eq!(
        prepare_slip(&original, &config, None, false)
            .expect("slip")
            .bytes,
        queued_bytes
    );
    drop(journal);

    let listed = receipt(dir.path(), &config, &["queue"]).expect("lists");
    assert!(listed.contains(&format!("sale {sale_id}")), "{listed}");
    assert!(listed.contains("1 attempt(s)"), "{listed}");

    printer.set(PrinterStatus::READY);
    let retried = receipt(dir.path(), &config, &["queue", "--retry"]).expect("prints");
    assert!(retried.contains("printed 1 job(s)"), "{retried}");
    assert_eq!(printer.next_connection(), queued_bytes);
    let journal = Journal::open(&journal_file(dir.path())).expect("reopened");
    assert!(journal.pending_print_jobs().expect("pending").is_empty());
}

#[tokio::test]
async fn receipt_print_says_why_and_keeps_the_job_then_retry_prints_it() {
    let (sandbox, dir, engine) = sandboxed_engine(72).await;
    let printer = LoopbackPrinter::start(PrinterStatus {
        online: false,
        cover_open: true,
        ..PrinterStatus::READY
    });
    let config = store_config("usb:ffff:fffe");
    let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;
    let id = outcome.sale_id.to_string();
    let to = printer.target();
    // The print commands record jobs: the register lets go of its journal first.
    close_register(engine, dir.path());

    let err = receipt(dir.path(), &config, &["print", &id, "--to", &to]).expect_err("not printed");
    assert!(err.contains("カバー"), "{err}");
    assert!(err.contains("cover"), "{err}");
    assert!(err.contains("kept in the print queue"), "{err}");
    assert!(printer.next_connection().is_empty());

    // Still blocked: retry fails the same way and keeps the job.
    let err =
        receipt(dir.path(), &config, &["queue", "--retry", "--to", &to]).expect_err("blocked");
    assert!(err.contains("cover"), "{err}");
    assert!(printer.next_connection().is_empty());

    printer.set(PrinterStatus::READY);
    receipt(dir.path(), &config, &["queue", "--retry", "--to", &to]).expect("printed");
    let paper = printer.next_connection();
    let text = regi_printer::decode(&paper).expect("decodes").text();
    assert!(
        text.contains(STORE_NAME) && text.contains("領収書"),
        "{text}"
    );
    let listed = receipt(dir.path(), &config, &["queue"]).expect("lists");
    assert!(listed.contains("empty"), "{listed}");
}

#[tokio::test]
async fn an_unreachable_printer_keeps_the_job_and_queue_retry_prints_it() {
    let (sandbox, dir, engine) = sandboxed_engine(73).await;
    let outcome = pay_by_qr(&engine, &sandbox, payment(1_000)).await;

    // Nothing listens on a port that was just free.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let config = store_config(&format!("tcp:127.0.0.1:{closed_port}"));
    let report = receipts::print_sale(engine.journal(), &config, outcome.sale_id, None).await;
    assert!(
        matches!(report.outcome, PrintOutcome::Queued { .. }),
        "{report:?}"
    );
    assert!(
        report.message_ja().contains("印刷待ち"),
        "{}",
        report.message_ja()
    );

    let printer = LoopbackPrinter::start(PrinterStatus::READY);
    let config = store_config(&printer.target());
    close_register(engine, dir.path());
    let retried = receipt(dir.path(), &config, &["queue", "--retry"]).expect("prints");
    assert!(retried.contains("printed 1 job(s)"), "{retried}");
    let text = regi_printer::decode(&printer.next_connection())
        .expect("decodes")
        .text();
    assert!(text.contains("¥1,000"), "{text}");
}
