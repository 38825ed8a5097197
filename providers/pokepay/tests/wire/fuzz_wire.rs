//! Fuzzing the JSON decoding of every Partner API response type in `pokepay::wire`: arbitrary
//! bytes and arbitrary JSON values (with the API's own field names, so decoding gets deep) never
//! panic. `PROPTEST_CASES` sets the case count (default 256).

use proptest::prelude::*;
use regi_pokepay::wire::*;
use serde_json::Value;

/// Field names of the response types, so generated objects look like answers.
const FIELDS: &[&str] = &[
    "id",
    "type",
    "name",
    "amount",
    "money_amount",
    "point_amount",
    "raw_point_amount",
    "campaign_point_amount",
    "done_at",
    "description",
    "is_modified",
    "sender",
    "receiver",
    "sender_account",
    "receiver_account",
    "account",
    "user",
    "private_money",
    "private_money_id",
    "is_merchant",
    "is_suspended",
    "status",
    "balance",
    "money_balance",
    "point_balance",
    "point_debt",
    "external_id",
    "organization",
    "code",
    "unit",
    "is_exclusive",
    "oneline_message",
    "max_balance",
    "transfer_limit",
    "money_topup_transfer_limit",
    "expiration_type",
    "enable_topup_by_member",
    "display_money_and_point",
    "transfers",
    "transaction_id",
    "expires_at",
    "canceled_at",
    "token",
    "attempt",
    "transaction",
    "status_code",
    "error_type",
    "error_message",
    "created_at",
    "cpm_token",
    "event",
    "scopes",
    "metadata",
    "strategy",
    "organization_code",
    "postal_code",
    "address",
    "tel",
    "email",
    "accounts",
    "can_transfer_topup",
    "rows",
    "count",
    "pagination",
    "current",
    "per_page",
    "max_page",
    "has_prev",
    "has_next",
    "next_page_cursor_id",
    "prev_page_cursor_id",
    "pong",
    "message",
    "response_data",
    "timestamp",
    "partner_call_id",
    "errors",
    "missing",
    "invalid",
    "unpermitted",
    "object",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(Value::from(1e300)),
        Just(Value::from("2024-01-01T12:00:00+09:00")),
        Just(Value::from("6c0d1e2f-3a4b-4c5d-8e9f-0a1b2c3d4e5f")),
        ".{0,24}".prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (prop_oneof![4 => proptest::sample::select(FIELDS).prop_map(str::to_string), 1 => ".{0,8}"], inner),
                0..12,
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

macro_rules! decode_all {
    ($bytes:expr, $value:expr; $($ty:ty),* $(,)?) => {
        $(
            let _ = serde_json::from_slice::<$ty>($bytes);
            let _ = serde_json::from_value::<$ty>($value.clone());
        )*
    };
}

fn decode_every_type(bytes: &[u8], value: &Value) {
    decode_all!(bytes, value;
        Pong, Echo, User, Organization, PrivateMoney, Account, AccountWithUser, AccountDetail,
        ShopAccount, AccountWithoutPrivateMoneyDetail, Transaction, Transfer, TransactionDetail,
        ExternalTransaction, Cashtray, CashtrayAttempt, CashtrayWithResult, CpmToken,
        ShopWithAccounts, Pagination, PaginatedPrivateMoneys, PaginatedAccountWithUsers,
        PaginatedTransactionV2, ApiErrorBody, ParamErrors, ResponseEnvelope, Num,
    );
}

proptest! {
    #[test]
    fn any_bytes_decode_or_err(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        decode_every_type(&bytes, &Value::Null);
    }

    #[test]
    fn any_json_decodes_or_errs(value in json_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_every_type(&bytes, &value);
    }

    #[test]
    fn a_decoded_amount_is_whole_yen_or_refused(value in any::<f64>()) {
        if let Some(yen) = Num(value).as_yen() {
            prop_assert_eq!(yen as f64, value);
        }
    }
}
