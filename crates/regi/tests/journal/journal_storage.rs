//! The journal file itself: permissions, WAL, durability, immutability, failures.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use regi_core::domain::{
    AmountGuard, Cart, PaymentMethod, Product, SaleDraft, TaxPolicy, TaxRate, Yen,
};
use regi_journal::{CreatedSale, Journal, JournalError, SaleFilter, SaleMeta, journal_path};
use rusqlite::Connection;

fn draft(price: i64) -> SaleDraft {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
    cart.add_product(&Product {
        jan: "4902100001016".into(),
        name: "おにぎり 鮭".into(),
        unit_price: Yen(price),
        tax_rate: TaxRate::Reduced8,
    })
    .unwrap();
    cart.checkout().unwrap()
}

/// Records a one-line sale at `price`.
fn sell(journal: &mut Journal, price: i64) -> CreatedSale {
    journal
        .create_sale(&draft(price), &SaleMeta::default())
        .unwrap()
}

/// The file's permission bits.
fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn raw(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

#[test]
fn file_is_private_and_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_path(dir.path(), false);
    let journal = Journal::open(&path).unwrap();
    assert_eq!(mode_of(&path), 0o600);
    let conn = raw(&path);
    let journal_mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal_mode, "wal");
    drop(journal);
}

#[test]
fn training_journal_lives_in_its_own_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_path(dir.path(), true);
    assert!(path.ends_with("training/journal.sqlite"));
    Journal::open(&path).unwrap();
    assert!(path.exists());
    assert!(!journal_path(dir.path(), false).exists());
}

#[test]
fn an_existing_open_file_is_tightened_to_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    Journal::open(&path).unwrap();
    assert_eq!(mode_of(&path), 0o600);
}

#[test]
fn an_attempt_is_committed_before_create_attempt_returns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut journal = Journal::open(&path).unwrap();
    let sale = sell(&mut journal, 160);
    let attempt = journal
        .create_attempt(sale.sale_id, "pokepay", PaymentMethod::CustomerCode)
        .unwrap();

    // Another connection, as another process would see the file, while the journal is open.
    let conn = raw(&path);
    let (state, amount): (String, i64) = conn
        .query_row(
            "SELECT state, amount FROM payment_attempts WHERE request_id = ?1",
            [&attempt.request_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(state, "created");
    assert_eq!(amount, -160);
    drop(journal);
}

#[test]
fn the_event_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut journal = Journal::open(&path).unwrap();
    sell(&mut journal, 160);
    let conn = raw(&path);
    let count = |c: &Connection| -> i64 {
        c.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&conn);
    assert!(before >= 2, "day opened + sale created");
    let update = conn.execute("UPDATE events SET kind = 'forged'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM events", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(count(&conn), before);
}

#[test]
fn a_z_report_is_immutable_and_a_second_z_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut journal = Journal::open(&path).unwrap();
    sell(&mut journal, 160);
    let z = journal.close_day_with_z_report().unwrap();

    let second = journal.close_day_with_z_report().unwrap_err();
    assert!(matches!(second, JournalError::Refused(_)), "{second:?}");

    let conn = raw(&path);
    let tamper = conn.execute(
        "UPDATE business_days SET z_report_json = '{}' WHERE id = ?1",
        [z.business_day_id],
    );
    assert!(tamper.unwrap_err().to_string().contains("immutable"));
    let reopen = conn.execute(
        "UPDATE business_days SET closed_at = NULL, z_report_json = NULL WHERE id = ?1",
        [z.business_day_id],
    );
    assert!(reopen.is_err());
    let delete = conn.execute(
        "DELETE FROM business_days WHERE id = ?1",
        [z.business_day_id],
    );
    assert!(delete.is_err());
    assert_eq!(
        journal.z_report(z.business_day_id).unwrap(),
        Some(z.clone())
    );

    // The next sale opens a new day.
    let next = sell(&mut journal, 130);
    assert_ne!(next.business_day_id, z.business_day_id);
    assert_eq!(journal.business_days().unwrap().len(), 2);
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let (sale, request_id) = {
        let mut journal = Journal::open(&path).unwrap();
        let sale = sell(&mut journal, 160);
        let attempt = journal
            .create_attempt(sale.sale_id, "pokepay", PaymentMethod::MerchantQr)
            .unwrap();
        journal
            .enqueue_print(Some(sale.sale_id), "receipt", b"\x1b@hello")
            .unwrap();
        (sale, attempt.request_id)
    };
    let journal = Journal::open(&path).unwrap();
    let detail = journal.sale(sale.sale_id).unwrap();
    assert_eq!(detail.sale.receipt_no, sale.receipt_no);
    assert_eq!(detail.lines.len(), 1);
    assert_eq!(detail.attempts[0].request_id, request_id);
    assert_eq!(journal.unresolved_attempts().unwrap().len(), 1);
    assert_eq!(
        journal.pending_print_jobs().unwrap()[0].bytes,
        b"\x1b@hello"
    );
}

#[test]
fn a_full_disk_is_disk_full_and_earlier_data_survives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut journal = Journal::open(&path).unwrap();
    let first = sell(&mut journal, 160);
    // No room to grow beyond the current size.
    journal.limit_size_pages(1).unwrap();
    let big = vec![0u8; 256 * 1024];
    let err = journal
        .enqueue_print(Some(first.sale_id), "receipt", &big)
        .unwrap_err();
    assert!(matches!(err, JournalError::DiskFull(_)), "{err:?}");
    assert!(err.stops_selling());
    assert!(err.clerk_message_ja().contains("ディスクがいっぱい"));
    drop(journal);

    let journal = Journal::open(&path).unwrap();
    let sales = journal.list_sales(SaleFilter::All).unwrap();
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].id, first.sale_id);
    assert!(journal.pending_print_jobs().unwrap().is_empty());
}

#[test]
fn an_unusable_path_is_unwritable() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the data directory should be: even root cannot create inside it.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, b"").unwrap();
    let err = Journal::open(&blocker.join("journal.sqlite")).unwrap_err();
    assert!(matches!(err, JournalError::Unwritable(_)), "{err:?}");
    assert!(err.stops_selling());
}

#[test]
fn a_read_only_journal_refuses_to_record_a_sale() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    sell(&mut Journal::open(&path).unwrap(), 160);
    let mut journal = Journal::open_read_only(&path).unwrap();
    assert_eq!(journal.list_sales(SaleFilter::All).unwrap().len(), 1);
    let err = journal
        .create_sale(&draft(130), &SaleMeta::default())
        .unwrap_err();
    assert!(matches!(err, JournalError::Unwritable(_)), "{err:?}");
    assert!(err.clerk_message_en().contains("Selling is stopped"));
}

#[test]
fn a_damaged_file_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert!(matches!(err, JournalError::Corrupt(_)), "{err:?}");
}
