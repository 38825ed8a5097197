//! Hold-then-capture on KOMOJU: a session made with manual capture, the payment the customer
//! made left authorized and the sale held, then captured by the clerk for all of it or less.

use super::*;
use regi_core::records::SaleState;
use regi_engine::CaptureOutcome;

fn holding() -> Route {
    Route {
        hold: true,
        ..Route::default()
    }
}

impl Register {
    async fn sale(&self, sale_id: i64) -> regi_journal::SaleDetail {
        self.engine
            .journal()
            .call(move |j| j.sale(sale_id))
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_held_sale_stays_authorized_on_komoju_until_the_clerk_captures_less_than_was_held() {
    let r = register(CaptureMode::Auto).await;
    let (sale_id, run, _cancel, session_url) = r.show_qr_on(holding(), 2_000).await;
    let payment_id = r.customer_pays(&session_url);
    let outcome = run.await.unwrap().unwrap();
    assert!(outcome.is_held(), "{outcome:?}");
    assert_eq!(outcome.kind(), "held");
    assert_eq!(
        r.payment(&payment_id),
        (PaymentStatus::Authorized, 2_000, 0)
    );
    let detail = r.sale(sale_id).await;
    assert_eq!(detail.sale.state, SaleState::Held);
    assert_eq!(detail.attempts[0].state.held_amount(), Some(2_000));

    let captured = r
        .engine
        .capture_held(sale_id, Some(Yen(1_500)))
        .await
        .unwrap();
    let CaptureOutcome::Captured {
        amount, released, ..
    } = captured
    else {
        panic!("{captured:?}");
    };
    assert_eq!((amount, released), (Yen(1_500), Yen(500)));
    assert_eq!(r.payment(&payment_id).0, PaymentStatus::Captured);
    let sale = r.sale(sale_id).await.sale;
    assert_eq!(
        (sale.state, sale.paid_amount()),
        (SaleState::Paid, Yen(1_500))
    );
    // Captured once: asking again is refused by the journal and sends nothing.
    assert!(r.engine.capture_held(sale_id, None).await.is_err());
}

#[tokio::test]
async fn a_store_that_holds_every_payment_needs_no_flag_and_a_whole_capture_releases_nothing() {
    let r = register_with(SessionOptions {
        capture: CaptureMode::Auto,
        hold: true,
        ..SessionOptions::default()
    })
    .await;
    let (sale_id, run, _cancel, session_url) = r.show_qr(1_200).await;
    let payment_id = r.customer_pays(&session_url);
    assert!(run.await.unwrap().unwrap().is_held());
    let captured = r.engine.capture_held(sale_id, None).await.unwrap();
    assert!(
        matches!(
            captured,
            CaptureOutcome::Captured {
                amount: Yen(1_200),
                released: Yen(0),
                ..
            }
        ),
        "{captured:?}"
    );
    assert_eq!(r.payment(&payment_id), (PaymentStatus::Captured, 1_200, 0));
}

#[tokio::test]
async fn a_held_payment_found_on_restart_stays_held_and_is_not_captured_by_recovery() {
    let r = register(CaptureMode::Auto).await;
    let (sale_id, run, _cancel, session_url) = r.show_qr_on(holding(), 900).await;
    run.abort();
    assert!(run.await.unwrap_err().is_cancelled());
    let payment_id = r.customer_pays(&session_url);
    let report = r.engine.recover().await.unwrap();
    assert!(report.all_resolved(), "{report:?}");
    assert_eq!(r.payment(&payment_id).0, PaymentStatus::Authorized);
    assert_eq!(r.sale(sale_id).await.sale.state, SaleState::Held);
}

#[tokio::test]
async fn a_capture_whose_answer_was_lost_is_repeated_on_restart_for_the_same_amount_and_takes_once()
{
    let r = register(CaptureMode::Auto).await;
    let (sale_id, run, _cancel, session_url) = r.show_qr_on(holding(), 3_000).await;
    let payment_id = r.customer_pays(&session_url);
    assert!(run.await.unwrap().unwrap().is_held());
    // The capture was journaled, then the register stopped before its answer came.
    let attempt_id = r.sale(sale_id).await.attempts[0].id;
    r.engine
        .journal()
        .call(move |j| j.record_capture_request(attempt_id, Some(Yen(2_500))))
        .await
        .unwrap();
    let report = r.engine.recover().await.unwrap();
    assert_eq!(report.captures.len(), 1, "{report:?}");
    assert!(
        matches!(
            report.captures[0],
            CaptureOutcome::Captured {
                amount: Yen(2_500),
                ..
            }
        ),
        "{report:?}"
    );
    assert_eq!(r.payment(&payment_id).0, PaymentStatus::Captured);
    // Nothing left to repeat.
    assert!(r.engine.recover().await.unwrap().captures.is_empty());
}
