//! Routing over a real socket: a literal path segment is never read as an id, and an operation
//! the sandbox does not implement is the same 404 whatever its path looks like.

use serde_json::json;

use crate::common::{ALL_STYLES, Harness, raw_call};

#[tokio::test]
async fn list_bill_transactions_is_an_unimplemented_404_not_a_transaction_id() {
    let h = Harness::start().await;
    for style in ALL_STYLES {
        let answer = raw_call(&h.sandbox, style, "GET", "/transactions/bill", json!({})).await;
        assert_eq!(answer.status, 404, "{style:?}: {answer:?}");
        assert!(answer.sealed, "{style:?}");
        assert_eq!(answer.body["type"], "notfound", "{style:?}");
        // The same answer as any other operation the sandbox does not serve.
        let other = raw_call(&h.sandbox, style, "GET", "/bills", json!({})).await;
        assert_eq!((other.status, &other.body), (answer.status, &answer.body));
    }
}

#[tokio::test]
async fn any_other_segment_there_still_reaches_get_transaction() {
    let h = Harness::start().await;
    // GetTransaction checks its id: only a path it serves answers with its parameter error.
    let answer = raw_call(
        &h.sandbox,
        ALL_STYLES[0],
        "GET",
        "/transactions/billing",
        json!({}),
    )
    .await;
    assert_eq!(
        (answer.status, answer.body["type"].as_str()),
        (400, Some("invalid_parameters")),
        "{answer:?}"
    );
    let path = format!("/transactions/{}", uuid::Uuid::new_v4());
    let unknown = raw_call(&h.sandbox, ALL_STYLES[0], "GET", &path, json!({})).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
}
