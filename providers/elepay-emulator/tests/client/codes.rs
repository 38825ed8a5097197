//! EasyQR codes: create, read, pay through the code URL, close, and expiry on the manual clock.

use std::time::Duration;

use regi_elepay::RefusalKind;
use regi_elepay::wire::{ChargeStatus, CodeReq, CodeStatus, KnownPaymentMethod, PaymentMethod};
use regi_elepay_emulator::customer;

use crate::support::{Harness, order_no};

fn code_req(amount: i64, minutes: Option<i64>) -> CodeReq {
    CodeReq {
        amount,
        order_no: order_no(),
        currency: None,
        description: Some("regi sale".into()),
        extra: None,
        metadata: None,
        front_url: None,
        expiry_duration: minutes,
        items: None,
    }
}

#[tokio::test]
async fn a_code_paid_through_its_url_shows_the_charge_in_the_customers_wallet() {
    let h = Harness::start().await;
    let code = h
        .client
        .create_code(&code_req(1200, Some(5)))
        .await
        .unwrap();
    assert_eq!(code.object.as_deref(), Some("code"));
    assert_eq!(code.status, Some(CodeStatus::Pending));
    assert_eq!(code.expired, Some(false));
    assert_eq!(code.expiry_period, Some(5 * 60_000));
    assert!(code.charge.is_none());
    let url = code.code_url.clone().unwrap();
    customer::pay(h.url(), &url, "bob").await.unwrap();
    let paid = h
        .client
        .retrieve_code(code.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(paid.status, Some(CodeStatus::Captured));
    let charge = paid.charge.unwrap();
    assert_eq!(charge.status, Some(ChargeStatus::Captured));
    assert_eq!(charge.order_no, code.order_no);
    assert_eq!(
        charge.payment_method,
        Some(PaymentMethod::Known(KnownPaymentMethod::Linepay))
    );
}

#[tokio::test]
async fn a_closed_code_can_no_longer_be_paid_or_closed() {
    let h = Harness::start().await;
    let code = h.client.create_code(&code_req(800, None)).await.unwrap();
    let code_id = code.id.as_deref().unwrap();
    h.client.close_code(code_id).await.unwrap();
    let closed = h.client.retrieve_code(code_id).await.unwrap();
    assert_eq!(closed.status, Some(CodeStatus::Closed));
    let err = customer::pay(h.url(), code.code_url.as_deref().unwrap(), "alice")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("not_payable"));
    let again = h.client.close_code(code_id).await.unwrap_err();
    assert_eq!(
        again.refusal_kind(),
        Some(RefusalKind::CodeAlreadyPaidOrClosed)
    );
}

#[tokio::test]
async fn closing_a_paid_code_is_refused_and_it_stays_paid() {
    let h = Harness::start().await;
    let code = h.client.create_code(&code_req(800, None)).await.unwrap();
    customer::pay(h.url(), code.code_url.as_deref().unwrap(), "alice")
        .await
        .unwrap();
    let code_id = code.id.as_deref().unwrap();
    let err = h.client.close_code(code_id).await.unwrap_err();
    assert_eq!(
        err.refusal_kind(),
        Some(RefusalKind::CodeAlreadyPaidOrClosed)
    );
    let read = h.client.retrieve_code(code_id).await.unwrap();
    assert_eq!(read.status, Some(CodeStatus::Captured));
}

#[tokio::test]
async fn a_code_past_its_expiry_says_so_and_cannot_be_paid() {
    let h = Harness::start().await;
    let code = h.client.create_code(&code_req(500, Some(3))).await.unwrap();
    h.clock.advance(Duration::from_secs(3 * 60));
    let read = h
        .client
        .retrieve_code(code.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(read.expired, Some(true));
    assert_eq!(read.expiry_period, Some(0));
    assert_eq!(read.status, Some(CodeStatus::Pending));
    let err = customer::pay(h.url(), code.code_url.as_deref().unwrap(), "alice")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("expired"));
}

#[tokio::test]
async fn a_charge_past_its_expiry_stays_pending_and_cannot_be_paid() {
    let h = Harness::start().await;
    let charge = h.charge(500, true).await;
    let left = charge.expiry_time.unwrap() - charge.create_time.unwrap();
    h.clock.advance(Duration::from_millis(left as u64));
    let err = customer::pay(h.url(), charge.code_content.as_deref().unwrap(), "alice")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("expired"));
    let status = h
        .client
        .charge_status(charge.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(status.status, Some(ChargeStatus::Pending));
}

#[tokio::test]
async fn code_requests_outside_elepays_rules_are_refused() {
    let h = Harness::start().await;
    let mut front = code_req(500, None);
    front.front_url = Some("javascript:alert(1)".into());
    for req in [
        code_req(500, Some(2)),
        code_req(500, Some(31)),
        code_req(0, None),
        front,
    ] {
        let err = h.client.create_code(&req).await.unwrap_err();
        assert_eq!(
            err.refusal_kind(),
            Some(RefusalKind::InvalidRequest),
            "{err}"
        );
    }
    let err = h.client.retrieve_code("cod_missing").await.unwrap_err();
    assert_eq!(err.refusal_kind(), Some(RefusalKind::NotFound));
}
