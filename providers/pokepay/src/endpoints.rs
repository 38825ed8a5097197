//! The Partner API endpoint table, written once: each operation's verb, path template and whether
//! it may be repeated, tied to its request and response wire types. The client builds its requests
//! from it and the sandbox routes by it, so the two cannot disagree about an endpoint.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::credit_sessions::{
    CaptureCreditSessionRequest, CapturedCreditSession, CreateCreditSessionTransactionRequest,
    CreditSession, CreditSessionTransactionResult, GetCustomerCardsRequest, PaginatedUserCards,
    PostCreditSessionRequest,
};
use crate::wire::{
    self, Cashtray, CashtrayWithResult, CpmToken, CreateCashtrayRequest,
    CreateCpmTransactionRequest, EchoRequest, GetPrivateMoneysRequest, GetShopAccountsRequest,
    ListTransactionsV2Request, NoParams, PaginatedAccountWithUsers, PaginatedPrivateMoneys,
    PaginatedTransactionV2, Pong, RefundTransactionRequest, ShopWithAccounts, TransactionDetail,
    UpdateCashtrayRequest,
};

/// Whether a request may be sent again after its answer was lost or was a server error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// A read: repeating it changes nothing.
    Repeatable,
    /// A write the server deduplicates by the `request_id` in its parameters: repeatable only
    /// when the request carries one.
    OnlyWithRequestId,
    /// Could act twice (a new cashtray, a cancel, a refund): never repeated.
    Never,
}

impl Retry {
    /// Whether a request with these parameters may be repeated. The `request_id` is read from the
    /// parameters as sent, the way the server reads it (`null` counts as absent).
    pub fn allows_repeat(self, request_data: &Value) -> bool {
        match self {
            Retry::Repeatable => true,
            Retry::OnlyWithRequestId => request_data
                .get("request_id")
                .is_some_and(|id| !id.is_null()),
            Retry::Never => false,
        }
    }
}

/// One endpoint: the verb and the path template as the API documents them (and as its published
/// error table names them), and its retry rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: &'static str,
    /// The path with `:name` for its parameter, e.g. `/cashtrays/:uuid`.
    pub template: &'static str,
    pub retry: Retry,
}

impl Endpoint {
    /// The concrete path: the template with its parameter segment filled in.
    pub fn path<P: PathParam + ?Sized>(&self, param: &P) -> String {
        let mut path = String::with_capacity(self.template.len() + 36);
        for segment in self.template.split('/').skip(1) {
            path.push('/');
            if segment.starts_with(':') {
                param.write_to(&mut path);
            } else {
                path.push_str(segment);
            }
        }
        path
    }

    /// The value of the parameter segment when `path` is one of this endpoint's paths (`None`
    /// inside for a template without one). Empty segments are ignored, as the API ignores a
    /// trailing slash.
    fn match_path<'p>(&self, path: &'p str) -> Option<Option<&'p str>> {
        let mut expected = self.template.split('/').filter(|s| !s.is_empty());
        let mut given = path.split('/').filter(|s| !s.is_empty());
        let mut param = None;
        loop {
            match (expected.next(), given.next()) {
                (None, None) => return Some(param),
                (Some(wanted), Some(value)) if wanted.starts_with(':') => param = Some(value),
                (Some(wanted), Some(value)) if wanted == value => {}
                _ => return None,
            }
        }
    }
}

/// What fills a path's parameter segment: nothing, an id, or a token.
pub trait PathParam {
    /// How many parameter segments it fills (0 or 1); checked against each template at compile
    /// time.
    const SEGMENTS: usize;
    fn write_to(&self, path: &mut String);
}

impl PathParam for () {
    const SEGMENTS: usize = 0;
    fn write_to(&self, _path: &mut String) {}
}

impl PathParam for Uuid {
    const SEGMENTS: usize = 1;
    fn write_to(&self, path: &mut String) {
        path.push_str(self.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
    }
}

impl PathParam for str {
    const SEGMENTS: usize = 1;
    fn write_to(&self, path: &mut String) {
        path.push_str(self);
    }
}

/// One operation as a type: its endpoint and the wire types it sends and answers, so a call is
/// `client.call::<GetCashtray>(&id, &NoParams)` and cannot pair a path with the wrong body.
pub trait Call {
    const OPERATION: Operation;
    type PathParam: PathParam + ?Sized;
    type Request: Serialize;
    type Response: DeserializeOwned;

    /// The concrete path of this operation.
    fn path(param: &Self::PathParam) -> String {
        Self::OPERATION.endpoint().path(param)
    }
}

/// Parameters read as they come: the operations only the sandbox serves have no request type.
pub type RawParams = Map<String, Value>;

/// How many `:name` segments a template has; also refuses a template that is not `/a/b`.
const fn parameter_segments(template: &str) -> usize {
    let bytes = template.as_bytes();
    assert!(!bytes.is_empty() && bytes[0] == b'/' && bytes[bytes.len() - 1] != b'/');
    let (mut i, mut count) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b':' {
            count += 1;
        }
        i += 1;
    }
    count
}

/// A row's path parameter type; a row without one has `()`.
macro_rules! path_param {
    () => {
        ()
    };
    ($param:ty) => {
        $param
    };
}

/// Declares the table: the `Operation` enum (what the sandbox dispatches on), one type per
/// operation implementing `Call` (what the client calls), and a compile-time check that each
/// path parameter type fills its template.
macro_rules! endpoint_table {
    ($(
        $(#[$doc:meta])*
        $op:ident $name:literal: $method:ident $template:literal $(($param:ty))?, $retry:ident,
            $request:ty => $response:ty;
    )*) => {
        /// A Partner API operation regi's client calls or its sandbox serves.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $($(#[$doc])* $op,)*
        }

        impl Operation {
            /// Every operation of the table, in table order (the order requests are matched in).
            pub const ALL: &'static [Operation] = &[$(Operation::$op),*];

            pub const fn endpoint(self) -> Endpoint {
                match self {
                    $(Operation::$op => Endpoint {
                        method: stringify!($method),
                        template: $template,
                        retry: Retry::$retry,
                    },)*
                }
            }

            /// The name errors and log lines give, e.g. `get_cashtray`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Operation::$op => $name,)*
                }
            }
        }

        $(
            $(#[$doc])*
            pub struct $op;

            impl Call for $op {
                const OPERATION: Operation = Operation::$op;
                type PathParam = path_param!($($param)?);
                type Request = $request;
                type Response = $response;
            }

            const _: () = assert!(
                parameter_segments($template) == <path_param!($($param)?) as PathParam>::SEGMENTS,
                concat!("the path parameter type does not fit ", $template),
            );
        )*
    };
}

endpoint_table! {
    /// Bodiless and answered in plain JSON (the only call without an envelope).
    Ping "ping": GET "/ping", Repeatable,
        NoParams => Pong;
    /// A sealed round trip that proves id, secret and clock are accepted.
    Echo "echo": POST "/echo", Never,
        EchoRequest => wire::Echo;
    /// A merchant QR for an amount; a lost answer may have created it.
    CreateCashtray "create_cashtray": POST "/cashtrays", Never,
        CreateCashtrayRequest => Cashtray;
    /// The tray with its scan attempt and transaction, if any.
    GetCashtray "get_cashtray": GET "/cashtrays/:uuid" (Uuid), Repeatable,
        NoParams => CashtrayWithResult;
    /// A lost answer is settled by re-reading the tray.
    CancelCashtray "cancel_cashtray": DELETE "/cashtrays/:uuid" (Uuid), Never,
        NoParams => Cashtray;
    /// Only the given fields change.
    UpdateCashtray "update_cashtray": PATCH "/cashtrays/:uuid" (Uuid), Never,
        UpdateCashtrayRequest => Cashtray;
    /// Scopes, expiry and owner of a scanned customer code.
    GetCpmToken "get_cpm_token": GET "/cpm/:cpm-token" (str), Repeatable,
        NoParams => CpmToken;
    /// The 3-D-Secure-verified cards of a customer, a page at a time.
    GetCustomerCards "get_customer_cards": GET "/customers/:uuid/cards" (Uuid), Repeatable,
        GetCustomerCardsRequest => PaginatedUserCards;
    /// Opens a card authorization (a tab) for a customer and money until `expires_at`.
    PostCreditSession "post_credit_session": POST "/credit-sessions", OnlyWithRequestId,
        PostCreditSessionRequest => CreditSession;
    /// Books one charge against an open session.
    CreateCreditSessionTransaction "create_credit_session_transaction":
        POST "/credit-sessions/:uuid/transactions" (Uuid), OnlyWithRequestId,
        CreateCreditSessionTransactionRequest => CreditSessionTransactionResult;
    /// Bills the card for the session's total and closes it.
    CaptureCreditSession "capture_credit_session":
        POST "/credit-sessions/:uuid/capture" (Uuid), OnlyWithRequestId,
        CaptureCreditSessionRequest => CapturedCreditSession;
    /// Charges a scanned customer code.
    CreateCpmTransaction "create_cpm_transaction": POST "/transactions/cpm", OnlyWithRequestId,
        CreateCpmTransactionRequest => TransactionDetail;
    GetTransaction "get_transaction": GET "/transactions/:uuid" (Uuid), Repeatable,
        NoParams => TransactionDetail;
    /// Resolves an attempt whose answer was lost.
    GetTransactionByRequestId "get_transaction_by_request_id":
        GET "/transactions/requests/:request-id" (Uuid), Repeatable,
        NoParams => TransactionDetail;
    /// The request has no `request_id`, so a lost answer is never repeated.
    RefundTransaction "refund_transaction": POST "/transactions/:uuid/refund" (Uuid), Never,
        RefundTransactionRequest => TransactionDetail;
    GetPrivateMoneys "get_private_moneys": GET "/private-moneys", Repeatable,
        GetPrivateMoneysRequest => PaginatedPrivateMoneys;
    GetShop "get_shop": GET "/shops/:uuid" (Uuid), Repeatable,
        NoParams => ShopWithAccounts;
    GetShopAccounts "get_shop_accounts": GET "/accounts/shops", Repeatable,
        GetShopAccountsRequest => PaginatedAccountWithUsers;
    ListTransactionsV2 "list_transactions_v2": GET "/transactions-v2", Repeatable,
        ListTransactionsV2Request => PaginatedTransactionV2;
    /// Pays a cashtray for a customer. This and the two below are served by the sandbox for the
    /// SDKs' test suites; regi does not call them.
    CreateTransactionWithCashtray "create_transaction_with_cashtray":
        POST "/transactions/cashtray", OnlyWithRequestId,
        RawParams => TransactionDetail;
    CreatePaymentTransaction "create_payment_transaction":
        POST "/transactions/payment", OnlyWithRequestId,
        RawParams => TransactionDetail;
    CreateTopupTransaction "create_topup_transaction":
        POST "/transactions/topup", OnlyWithRequestId,
        RawParams => TransactionDetail;
}

impl Operation {
    /// The operation a method and path name, with the value of its path parameter.
    ///
    /// Literal segments win over parameters, as in the API's own router: of every endpoint of
    /// the API that matches (this table's and the others the published error table lists), the
    /// one with a literal where the others have a parameter is meant. So `GET /transactions/bill`
    /// (ListBillTransactions, which the table does not have) is `None`, never GetTransaction with
    /// the id `bill`.
    pub fn resolve<'p>(method: &str, path: &'p str) -> Option<(Operation, Option<&'p str>)> {
        let (operation, param) = Operation::ALL
            .iter()
            .filter_map(|&operation| {
                let endpoint = operation.endpoint();
                if endpoint.method != method {
                    return None;
                }
                endpoint.match_path(path).map(|param| (operation, param))
            })
            .max_by_key(|(operation, _)| literal_segments(operation.endpoint().template))?;
        let rank = literal_segments(operation.endpoint().template);
        let shadowed = other_api_endpoints().iter().any(|other| {
            other.method == method
                && other.match_path(path).is_some()
                && literal_segments(other.template) > rank
        });
        (!shadowed).then_some((operation, param))
    }
}

/// Which segments of a template are literal, in order: of two templates matching one path, the
/// greater is the more specific (the first segment where they differ is literal in it).
fn literal_segments(template: &str) -> Vec<bool> {
    template
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| !s.starts_with(':'))
        .collect()
}

/// The API's endpoints outside this table, from the published error table (which lists every
/// endpoint of the API): only what their paths shadow matters here.
fn other_api_endpoints() -> &'static [Endpoint] {
    static OTHERS: std::sync::LazyLock<Vec<Endpoint>> = std::sync::LazyLock::new(|| {
        let mut others: Vec<Endpoint> = Vec::new();
        for row in crate::error_table::all() {
            let known = Operation::ALL.iter().any(|op| {
                let endpoint = op.endpoint();
                endpoint.method == row.method && endpoint.template == row.path
            });
            let seen = others
                .iter()
                .any(|e| e.method == row.method && e.template == row.path);
            if !known && !seen {
                // The table lives as long as the process: its strings can be borrowed for good.
                let (method, template) = (row.method.as_str(), row.path.as_str());
                others.push(Endpoint {
                    method,
                    template,
                    retry: Retry::Never,
                });
            }
        }
        others
    });
    &OTHERS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_table;

    const ID: &str = "6b2d7b3e-1f0a-4c55-9c1e-2f4b8a1d9e00";

    fn has_param(operation: Operation) -> bool {
        operation.endpoint().template.contains(':')
    }

    #[test]
    fn every_operation_path_round_trips_through_build_and_match() {
        for &operation in Operation::ALL {
            let endpoint = operation.endpoint();
            let path = endpoint.path(ID);
            let expected = Some((operation, has_param(operation).then_some(ID)));
            assert_eq!(
                Operation::resolve(endpoint.method, &path),
                expected,
                "{path}"
            );
            let trailing = format!("{path}/");
            assert_eq!(
                Operation::resolve(endpoint.method, &trailing),
                expected,
                "{trailing}"
            );
        }
    }

    #[test]
    fn typed_paths_fill_the_parameter_with_the_id_or_token() {
        let id = Uuid::parse_str(ID).unwrap();
        assert_eq!(
            Operation::resolve("GET", &GetCashtray::path(&id)),
            Some((Operation::GetCashtray, Some(ID)))
        );
        assert_eq!(
            Operation::resolve("POST", &RefundTransaction::path(&id)),
            Some((Operation::RefundTransaction, Some(ID)))
        );
        let token = "4839201746581920375512";
        assert_eq!(
            Operation::resolve("GET", &GetCpmToken::path(token)),
            Some((Operation::GetCpmToken, Some(token)))
        );
        assert_eq!(
            Operation::resolve("POST", &CreateCashtray::path(&())),
            Some((Operation::CreateCashtray, None))
        );
    }

    #[test]
    fn requests_outside_the_table_resolve_to_nothing() {
        for (method, path) in [
            ("POST", "/ping"),
            ("GET", "/cashtrays"),
            ("PUT", &format!("/cashtrays/{ID}")),
            ("GET", &format!("/cashtrays/{ID}/extra")),
            ("GET", "/nope"),
            ("GET", "/"),
            ("GET", ""),
        ] {
            assert_eq!(Operation::resolve(method, path), None, "{method} {path}");
        }
    }

    #[test]
    fn a_literal_segment_of_another_api_endpoint_wins_over_an_id() {
        // ListBillTransactions is not in the table: its path must not read as GetTransaction.
        assert_eq!(Operation::resolve("GET", "/transactions/bill"), None);
        assert_eq!(Operation::resolve("GET", "/transactions/bill/"), None);
        // The id route still takes ids, and other verbs on that path are not shadowed.
        assert_eq!(
            Operation::resolve("GET", &format!("/transactions/{ID}")),
            Some((Operation::GetTransaction, Some(ID)))
        );
        // A literal of this table wins over its own parameter routes whatever the table order.
        assert_eq!(
            Operation::resolve("GET", &format!("/transactions/requests/{ID}")),
            Some((Operation::GetTransactionByRequestId, Some(ID)))
        );
    }

    #[test]
    fn no_endpoint_of_the_table_is_shadowed_by_a_literal_of_the_api() {
        for &operation in Operation::ALL {
            let endpoint = operation.endpoint();
            let path = endpoint.path(ID);
            assert_eq!(
                Operation::resolve(endpoint.method, &path).map(|(op, _)| op),
                Some(operation),
                "{path}"
            );
        }
        assert!(
            other_api_endpoints()
                .iter()
                .any(|e| e.method == "GET" && e.template == "/transactions/bill")
        );
    }

    #[test]
    fn reads_are_repeatable_and_writes_only_with_a_request_id() {
        for &operation in Operation::ALL {
            let endpoint = operation.endpoint();
            assert_eq!(
                endpoint.method == "GET",
                endpoint.retry == Retry::Repeatable,
                "{operation:?}"
            );
        }
        let with_id = serde_json::json!({"request_id": ID});
        let null_id = serde_json::json!({"request_id": null});
        let without = serde_json::json!({});
        assert!(Retry::OnlyWithRequestId.allows_repeat(&with_id));
        assert!(!Retry::OnlyWithRequestId.allows_repeat(&null_id));
        assert!(!Retry::OnlyWithRequestId.allows_repeat(&without));
        assert!(Retry::Repeatable.allows_repeat(&without));
        assert!(!Retry::Never.allows_repeat(&with_id));
    }

    #[test]
    fn operation_names_are_distinct() {
        let names: std::collections::HashSet<_> =
            Operation::ALL.iter().map(|op| op.name()).collect();
        assert_eq!(names.len(), Operation::ALL.len());
    }

    #[test]
    fn every_endpoint_but_echo_appears_in_the_published_error_table() {
        for &operation in Operation::ALL {
            if operation == Operation::Echo {
                continue;
            }
            let endpoint = operation.endpoint();
            assert!(
                error_table::all()
                    .iter()
                    .any(|row| row.method == endpoint.method && row.path == endpoint.template),
                "{endpoint:?}"
            );
        }
    }
}
