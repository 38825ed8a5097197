//! Receipts of sales paid through the engine against the sandbox: every item of a qualified
//! simplified invoice on paper, reprints, training stamps, refund slips and the receipt code.

use crate::receipts_support::*;
use chrono::{DateTime, Utc};
use chrono_tz::Asia::Tokyo;
use regi_core::domain::Yen;
use regi_engine::{Engine, RefundDone};
use regi_journal::{Journal, JournalHandle, journal_path};
use regi_pokepay_emulator::{CUSTOMER_RICH, FaultPlan};
use regi_printer::decode;
use regi_receipts::{self as receipts, PrintOutcome, Slip, find_sale_by_code};
use regi_scanner::ReceiptCode;
use regi_testkit::engine::*;

fn tokyo_date(created_at: &str) -> String {
    DateTime::parse_from_rfc3339(created_at)
        .expect("journal time")
        .with_timezone(&Utc)
        .with_timezone(&Tokyo)
        .format("%Y年%m月%d日")
        .to_string()
}

#[tokio::test]
async fn paid_sale_receipt_has_every_qualified_invoice_item() {
    let (sandbox, dir, engine) = sandboxed_engine(61).await;
    let out = dir.path().join("printed.bin");
    let config = store_config(&format!("file:{}", out.display()));
    let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;
    let paid = outcome.paid.clone().expect("paid transaction");
    let money_name = paid
        .money_name
        .clone()
        .expect("the sandbox names its money");
    let id = outcome.sale_id.to_string();

    let report = receipts::print_sale(
        engine.journal(),
        &config,
        outcome.sale_id,
        Some(&money_name),
    )
    .await;
    assert_eq!(
        report.outcome,
        PrintOutcome::Printed,
        "{}",
        report.message_en()
    );
    let printed = std::fs::read(&out).expect("printed bytes");

    // The command shows what the printer got; a second copy is a reprint.
    let text = receipt(dir.path(), &config, &["show", &id]).expect("shows");
    let detail = engine
        .journal()
        .call(move |j| j.sale(outcome.sale_id))
        .await
        .expect("sale");
    let code = format!("RGI-01-{}", detail.sale.receipt_no);
    for expected in [
        STORE_NAME,
        "領収書",
        "適格簡易請求書",
        &format!("登録番号 {REGISTRATION}"),
        "〒150-0041",
        "東京都渋谷区神南1-2-3",
        "TEL 03-9876-5432",
        &tokyo_date(&detail.sale.created_at),
        "端末 test-register (01)",
        &format!("No.{:06}", detail.sale.receipt_no),
        "おにぎり 鮭 ※",
        "2 x ¥150",
        "緑茶 500ml ※",
        "ボールペン 黒",
        "10%対象",
        "8%対象",
        "内消費税",
        "合計",
        "¥690",
        &format!("Pokepay ({money_name})"),
        "取引ID",
        &paid.transaction_id,
        "※は軽減税率対象商品です",
        &format!("[QR: {code}]"),
        "ご来店ありがとうございました",
        "【再発行】",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // The first print was the original: no reprint mark on it.
    let first = decode(&printed).expect("decodes").text();
    assert!(first.contains(&paid.transaction_id), "{first}");
    assert!(!first.contains("再発行"), "{first}");
    // Tax per rate: 460 × 8/108 = 34, 230 × 10/110 = 20.
    assert!(first.contains("¥34)") && first.contains("¥20)"), "{first}");
}

#[tokio::test]
async fn receipt_code_on_paper_finds_the_sale() {
    let (sandbox, dir, engine) = sandboxed_engine(62).await;
    let out = dir.path().join("printed.bin");
    let config = store_config(&format!("file:{}", out.display()));
    // A first sale, so receipt numbers and sale ids are not trivially both 1.
    pay_by_qr(&engine, &sandbox, payment(100)).await;
    let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;
    let report = receipts::print_sale(engine.journal(), &config, outcome.sale_id, None).await;
    assert!(report.is_printed(), "{}", report.message_en());

    let decoded = decode(&std::fs::read(&out).expect("printed")).expect("decodes");
    let payloads = decoded.qr_payloads();
    assert_eq!(payloads.len(), 1);
    let code = ReceiptCode::parse(payloads[0]).expect("a receipt code");
    assert_eq!(code.terminal_id(), "01");
    assert!(
        decoded.text().contains(payloads[0]),
        "code printed under the QR"
    );

    let journal = Journal::open_read_only(&journal_file(dir.path())).expect("journal");
    assert_eq!(
        find_sale_by_code(&journal, &config.terminal.id, payloads[0]).expect("found"),
        outcome.sale_id
    );
    // The command takes the code as well as the sale number.
    let by_code = receipt(dir.path(), &config, &["show", payloads[0]]).expect("shows");
    let by_id =
        receipt(dir.path(), &config, &["show", &outcome.sale_id.to_string()]).expect("shows");
    assert_eq!(by_code, by_id);
    // Another terminal's code is refused rather than matched to a sale here.
    let other = receipt(dir.path(), &config, &["show", "RGI-02-1"]).expect_err("refused");
    assert!(other.contains("terminal"), "{other}");
}

#[tokio::test]
async fn reprints_are_marked_and_unpaid_sales_have_no_receipt() {
    let (sandbox, dir, engine) = sandboxed_engine(63).await;
    let out = dir.path().join("printed.bin");
    let config = store_config(&format!("file:{}", out.display()));
    let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;
    let id = outcome.sale_id.to_string();

    let original = receipt(dir.path(), &config, &["show", &id]).expect("shows");
    assert!(!original.contains("再発行"), "{original}");
    let forced = receipt(dir.path(), &config, &["show", &id, "--reprint"]).expect("shows");
    assert!(forced.contains("【再発行】"), "{forced}");
    let unpaid = engine.create_sale(payment(500)).await.expect("sale");
    // Printing records a print job: the register lets go of its journal first.
    close_register(engine, dir.path());

    let printed = receipt(dir.path(), &config, &["print", &id]).expect("prints");
    assert!(printed.contains("printed receipt"), "{printed}");
    let again = receipt(dir.path(), &config, &["print", &id]).expect("prints");
    assert!(again.contains("reprint"), "{again}");
    let paper = decode(&std::fs::read(&out).expect("printed")).expect("decodes");
    assert!(
        paper.text().contains("【再発行】"),
        "the second copy is marked"
    );

    let err = receipt(dir.path(), &config, &["show", &unpaid.sale_id.to_string()])
        .expect_err("no receipt");
    assert!(err.contains("open") && err.contains("only a paid"), "{err}");
    let err = receipt(dir.path(), &config, &["show", "9999"]).expect_err("no sale");
    assert!(err.contains("not found"), "{err}");
}

#[tokio::test]
async fn training_sales_are_stamped_and_previewed_instead_of_printed() {
    let sandbox = sandbox(FaultPlan::default(), 64).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("printed.bin");
    let config = store_config(&format!("file:{}", out.display()));
    let journal = Journal::open(&journal_path(dir.path(), true)).expect("training journal");
    let (handle, _writer): (JournalHandle, _) = JournalHandle::spawn(journal).expect("writer");
    let mut settings = fast_settings();
    settings.training = true;
    let engine = Engine::new(gateway(&sandbox), handle, settings);
    let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;

    let report = receipts::print_sale(engine.journal(), &config, outcome.sale_id, None).await;
    let PrintOutcome::Preview(preview) = &report.outcome else {
        panic!("training receipts are previewed: {report:?}");
    };
    assert!(preview.contains("【トレーニング】"), "{preview}");
    assert!(preview.contains("練習用のため無効です"), "{preview}");
    assert!(!out.exists(), "nothing was sent to the printer");
    // A reprint from the history is previewed too, marked as the copy it is.
    let report =
        receipts::print_slip(engine.journal(), &config, outcome.sale_id, Slip::Sale, true).await;
    let PrintOutcome::Preview(copy) = &report.outcome else {
        panic!("training reprints are previewed: {report:?}");
    };
    assert!(
        copy.contains("【トレーニング】") && copy.contains("【再発行】"),
        "{copy}"
    );
    assert!(!out.exists(), "nothing was sent to the printer");

    // The preview is the receipt as it would print now.
    let id = outcome.sale_id.to_string();
    let text = receipt(dir.path(), &config, &["show", &id, "--training"]).expect("shows");
    assert_eq!(&text, preview);
    // The live journal has no such sale.
    assert!(receipt(dir.path(), &config, &["show", &id]).is_err());
}

#[tokio::test]
async fn refund_slip_names_the_original_sale_date() {
    let (sandbox, dir, engine) = sandboxed_engine(65).await;
    let config = store_config("file:/dev/null");
    let outcome = pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;
    let id = outcome.sale_id.to_string();
    let err = receipt(dir.path(), &config, &["show", &id, "--refund"]).expect_err("no refund yet");
    assert!(err.contains("no completed refund"), "{err}");

    let done = engine
        .refund(outcome.sale_id, "返品")
        .await
        .expect("refund");
    let RefundDone::Refunded {
        refund_transaction_id,
    } = done
    else {
        panic!("refund went through: {done:?}");
    };
    let detail = engine
        .journal()
        .call(move |j| j.sale(outcome.sale_id))
        .await
        .expect("sale");
    let slip = receipt(dir.path(), &config, &["show", &id, "--refund"]).expect("slip");
    for expected in [
        "返品",
        "適格返還請求書",
        &format!("登録番号 {REGISTRATION}"),
        "元取引日",
        &tokyo_date(&detail.sale.created_at),
        "返金合計",
        "¥690",
        &refund_transaction_id,
        "おにぎり 鮭 ※",
    ] {
        assert!(
            slip.contains(expected),
            "{expected:?} missing from:\n{slip}"
        );
    }
    // The sale's own receipt can still be shown (and reprinted) after the refund.
    let receipt_text = receipt(dir.path(), &config, &["show", &id]).expect("receipt");
    assert!(receipt_text.contains("領収書"), "{receipt_text}");
}

#[tokio::test]
async fn a_sale_paid_in_cash_and_by_qr_prints_both_and_its_whole_refund_lists_both_on_one_slip() {
    let (sandbox, dir, engine) = sandboxed_engine(67).await;
    let config = store_config("file:/dev/null");
    let sale = engine.create_sale(mixed_rate_sale()).await.expect("sale");
    let cash = engine
        .take_cash(sale.sale_id, Yen(500))
        .await
        .expect("cash");
    assert_eq!((cash.applied, cash.remaining), (Yen(500), Yen(190)));
    let (run, _cancel, token) = start_qr(&engine, sale.sale_id).await;
    sandbox
        .state
        .pay_cashtray(&token, CUSTOMER_RICH)
        .expect("customer pays");
    assert!(run.await.expect("task").expect("engine").is_paid());
    let id = sale.sale_id.to_string();

    let text = receipt(dir.path(), &config, &["show", &id]).expect("receipt");
    let squeezed: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for expected in ["合計 ¥690", "現金 ¥500", "お預かり ¥500", "お釣り ¥0"] {
        assert!(
            squeezed.iter().any(|l| l == expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(
        squeezed
            .iter()
            .any(|l| l.starts_with("Pokepay") && l.ends_with("¥190")),
        "{text}"
    );

    engine.refund(sale.sale_id, "返品").await.expect("refund");
    let slip = receipt(
        dir.path(),
        &config,
        &["show", &id, "--refund", "--all-refunds"],
    )
    .expect("slip");
    let squeezed: Vec<String> = slip
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for expected in ["返金合計 ¥690", "現金返金 ¥500"] {
        assert!(
            squeezed.iter().any(|l| l == expected),
            "{expected:?} missing from:\n{slip}"
        );
    }
    assert!(
        squeezed
            .iter()
            .any(|l| l.starts_with("Pokepay") && l.ends_with("¥190")),
        "{slip}"
    );
    assert!(
        slip.contains("おにぎり 鮭 ※"),
        "the whole sale came back:\n{slip}"
    );
    // The latest refund alone (the cash, refunded after the QR payment) on its own slip.
    let last = receipt(dir.path(), &config, &["show", &id, "--refund"]).expect("slip");
    assert!(
        last.contains("現金返金") && !last.contains("Pokepay"),
        "{last}"
    );
}

#[tokio::test]
async fn x_and_z_reports_go_on_paper() {
    let (sandbox, dir, engine) = sandboxed_engine(66).await;
    let out = dir.path().join("report.bin");
    let config = store_config(&format!("file:{}", out.display()));
    pay_by_qr(&engine, &sandbox, mixed_rate_sale()).await;

    let x = receipt(dir.path(), &config, &["report", "x", "--show"]).expect("x report");
    for expected in ["Xレポート(点検)", STORE_NAME, "売上 1件", "¥690", "純売上"] {
        assert!(x.contains(expected), "{expected:?} missing from:\n{x}");
    }
    let err = receipt(dir.path(), &config, &["report", "z", "--show"]).expect_err("no closed day");
    assert!(err.contains("no business day has been closed"), "{err}");
    let busy = receipt(dir.path(), &config, &["report", "x"]).expect_err("register running");
    assert!(busy.contains("another regi"), "{busy}");

    let z = engine
        .journal()
        .call(|j| j.close_day_with_z_report())
        .await
        .expect("day closed");
    close_register(engine, dir.path());
    let printed = receipt(dir.path(), &config, &["report", "z"]).expect("printed");
    assert!(
        printed.contains(&format!("Z-{:04}", z.business_day_id)),
        "{printed}"
    );
    let paper = decode(&std::fs::read(&out).expect("printed"))
        .expect("decodes")
        .text();
    assert!(
        paper.contains("Zレポート(精算)") && paper.contains("売上 1件"),
        "{paper}"
    );
    let again =
        receipt(dir.path(), &config, &["report", "z", "--reprint", "--show"]).expect("shown");
    assert!(again.contains("【再発行】"), "{again}");
}
