//! The sandbox serves every operation of the endpoint table the client is built from: no table
//! entry is left without a route.

use regi_pokepay::endpoints::Operation;
use serde_json::json;

use crate::sandbox_support::Harness;

/// A path parameter no operation accepts: a routed operation refuses it as a bad parameter, so
/// only a request that was not routed answers 404.
const MALFORMED_ID: &str = "not-an-id";

#[tokio::test]
async fn the_sandbox_answers_every_operation_of_the_endpoint_table() {
    let h = Harness::new();
    for &operation in Operation::ALL {
        let endpoint = operation.endpoint();
        let path = endpoint.path(MALFORMED_ID);
        let answer = h.call(endpoint.method, &path, json!({})).await;
        assert!(
            answer.sealed && answer.status != 404 && answer.status != 405,
            "{operation:?}: {} {path} answered {} {}",
            endpoint.method,
            answer.status,
            answer.body
        );
    }
}

#[tokio::test]
async fn a_verb_the_table_does_not_list_for_a_path_is_not_routed() {
    let h = Harness::new();
    let path = Operation::GetCashtray.endpoint().path(MALFORMED_ID);
    let answer = h.call("PUT", &path, json!({})).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_type(), "notfound");
}
