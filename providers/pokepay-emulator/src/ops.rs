//! The Partner API operations: validate `request_data`, apply it to the ledger, answer with the
//! documented response object. Unknown ids answer 404/422 as the API does, never 400.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::cashtrays::{CashtrayChanges, DEFAULT_CASHTRAY_EXPIRES_IN, NewCashtray};
use super::cpm::{CPM_TOKEN_LEN, CpmOrder};
use super::credit_sessions;
use super::errors::{ApiError, Lang};
use super::ledger::{Ledger, PaymentOrder, Strategy, TopupOrder};
use super::listing::{Cursor, TransactionFilter, page_slice, pagination};
use super::params::{MAX_DESCRIPTION_CHARS, Params, metadata_is_flat_string_map};
use super::state::SandboxState;
use regi_pokepay::endpoints::Operation;
use regi_pokepay::wire::{
    Echo, PaginatedAccountWithUsers, PaginatedPrivateMoneys, PaginatedTransactionV2, Pong,
};

const TRANSACTION_TYPES: [&str; 6] = [
    "topup",
    "payment",
    "exchange_outflow",
    "exchange_inflow",
    "cashback",
    "expire",
];

/// Runs one operation of the endpoint table and returns its response object as JSON text.
/// `path_param` is the value of the path's parameter segment (empty where it has none).
pub fn run(
    state: &SandboxState,
    op: Operation,
    path_param: &str,
    params: &Map<String, Value>,
    lang: Lang,
) -> Result<Answer, ApiError> {
    match op {
        Operation::Ping => to_json(&Pong { pong: "ok".into() }),
        Operation::Echo => echo(params),
        Operation::CreateCashtray => create_cashtray(state, params),
        Operation::GetCashtray => get_cashtray(state, path_param, lang),
        Operation::CancelCashtray => cancel_cashtray(state, path_param),
        Operation::UpdateCashtray => update_cashtray(state, path_param, params),
        Operation::GetCpmToken => get_cpm_token(state, path_param),
        Operation::GetCustomerCards => {
            credit_sessions::get_customer_cards(state, path_param, params)
        }
        Operation::PostCreditSession => credit_sessions::post_credit_session(state, params),
        Operation::CreateCreditSessionTransaction => {
            credit_sessions::create_credit_session_transaction(state, path_param, params)
        }
        Operation::CaptureCreditSession => {
            credit_sessions::capture_credit_session(state, path_param, params)
        }
        Operation::CreateCpmTransaction => create_cpm_transaction(state, params),
        Operation::GetTransaction => get_transaction(state, path_param),
        Operation::GetTransactionByRequestId => get_transaction_by_request_id(state, path_param),
        Operation::RefundTransaction => refund_transaction(state, path_param, params),
        Operation::GetPrivateMoneys => get_private_moneys(state, params),
        Operation::GetShop => get_shop(state, path_param),
        Operation::GetShopAccounts => get_shop_accounts(state, params),
        Operation::ListTransactionsV2 => list_transactions(state, params),
        Operation::CreateTransactionWithCashtray => create_transaction_with_cashtray(state, params),
        Operation::CreatePaymentTransaction => create_payment(state, params),
        Operation::CreateTopupTransaction => create_topup(state, params),
    }
}

/// An operation's response object, serialized once: it is sealed as it is, never walked again.
pub type Answer = Box<RawValue>;

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Answer, ApiError> {
    serde_json::value::to_raw_value(value).map_err(|_| ApiError::new(500, "internal_server_error"))
}

/// Applies a change; a state file that cannot be written makes the call unavailable (the ledger
/// is left as it was).
pub(crate) fn mutate<R>(
    state: &SandboxState,
    f: impl FnOnce(&mut Ledger, regi_pokepay::wire::Timestamp) -> Result<R, ApiError>,
) -> Result<R, ApiError> {
    match state.mutate(f) {
        Ok(result) => result,
        Err(e) => {
            tracing::error!("sandbox state could not be saved: {e}");
            Err(ApiError::unavailable())
        }
    }
}

pub(crate) fn path_uuid(name: &str, value: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value).map_err(|_| ApiError::invalid_parameter(name))
}

fn transaction_json(state: &SandboxState, id: Uuid) -> Result<Answer, ApiError> {
    state.read(|l| match l.transaction(id) {
        Some(tx) => to_json(&l.transaction_detail_view(tx)),
        None => Err(ApiError::unprocessable("transaction_not_found")),
    })
}

fn echo(params: &Map<String, Value>) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let message = p.string("message", usize::MAX);
    p.finish()?;
    to_json(&Echo {
        status: "ok".into(),
        message: message.unwrap_or_default(),
    })
}

// ---- cashtrays ----------------------------------------------------------------------------------

fn create_cashtray(state: &SandboxState, params: &Map<String, Value>) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let private_money_id = p.uuid("private_money_id");
    let shop_id = p.uuid("shop_id");
    let amount = p.yen("amount");
    let description = p.opt_description();
    let expires_in = p.opt_int_at_least("expires_in", 1);
    p.finish()?;
    let (Some(private_money_id), Some(shop_user_id), Some(amount)) =
        (private_money_id, shop_id, amount)
    else {
        return Err(ApiError::invalid_parameters(Vec::new(), Vec::new()));
    };
    if amount == 0 {
        return Err(ApiError::invalid_parameter("amount"));
    }
    let new = NewCashtray {
        private_money_id,
        shop_user_id,
        amount,
        description: description.unwrap_or_default(),
        expires_in: expires_in.unwrap_or(DEFAULT_CASHTRAY_EXPIRES_IN),
    };
    let id = mutate(state, |l, now| l.create_cashtray(new, now))?;
    cashtray_json(state, id)
}

fn get_cashtray(state: &SandboxState, id: &str, lang: Lang) -> Result<Answer, ApiError> {
    let id = path_uuid("cashtray_id", id)?;
    state.read(|l| match l.cashtray(id) {
        Some(tray) => to_json(&l.cashtray_with_result_view(tray, lang)),
        None => Err(ApiError::not_found()),
    })
}

fn cashtray_json(state: &SandboxState, id: Uuid) -> Result<Answer, ApiError> {
    state.read(|l| match l.cashtray(id) {
        Some(tray) => to_json(&l.cashtray_view(tray)),
        None => Err(ApiError::not_found()),
    })
}

fn cancel_cashtray(state: &SandboxState, id: &str) -> Result<Answer, ApiError> {
    let id = path_uuid("cashtray_id", id)?;
    mutate(state, |l, now| l.cancel_cashtray(id, now))?;
    cashtray_json(state, id)
}

fn update_cashtray(
    state: &SandboxState,
    id: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let id = path_uuid("cashtray_id", id)?;
    let mut p = Params::new(params);
    let amount = p.opt_yen("amount");
    let description = p.opt_description();
    let expires_in = p.opt_int_at_least("expires_in", 1);
    p.finish()?;
    if amount == Some(0) {
        return Err(ApiError::invalid_parameter("amount"));
    }
    let changes = CashtrayChanges {
        amount,
        description,
        expires_in,
    };
    mutate(state, |l, now| l.update_cashtray(id, changes, now))?;
    cashtray_json(state, id)
}

fn create_transaction_with_cashtray(
    state: &SandboxState,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let cashtray_id = p.uuid("cashtray_id");
    let customer_id = p.uuid("customer_id");
    let strategy = p.opt_enum("strategy", &Strategy::NAMES);
    let request_id = p.opt_uuid("request_id");
    p.check_products();
    p.opt_uuid("coupon_id");
    p.finish()?;
    let (Some(cashtray_id), Some(customer_id)) = (cashtray_id, customer_id) else {
        return Err(ApiError::invalid_parameters(Vec::new(), Vec::new()));
    };
    let strategy = Strategy::parse(strategy.as_deref());
    let fingerprint = format!("cashtray|{cashtray_id}|{customer_id}|{}", strategy.as_str());
    // The scan is recorded on the tray even when it fails, so the change is kept either way.
    let outcome = mutate(state, |l, now| {
        Ok(l.with_request_id(request_id, &fingerprint, |l| {
            l.scan_cashtray(cashtray_id, customer_id, strategy, now)
        }))
    })?;
    transaction_json(state, outcome?)
}

// ---- CPM ------------------------------------------------------------------------------------------

fn get_cpm_token(state: &SandboxState, token: &str) -> Result<Answer, ApiError> {
    if token.chars().count() != CPM_TOKEN_LEN {
        return Err(ApiError::invalid_parameter("cpm_token"));
    }
    state.read(|l| {
        l.cpm_token(token)
            .and_then(|t| l.cpm_token_view(t))
            .ok_or_else(|| ApiError::unprocessable("cpm_token_not_found"))
            .and_then(|view| to_json(&view))
    })
}

fn create_cpm_transaction(
    state: &SandboxState,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let token = p.string_of_len("cpm_token", CPM_TOKEN_LEN);
    let shop_id = p.uuid("shop_id");
    let amount = p.yen("amount");
    let description = p.opt_description();
    let metadata = p.opt_metadata();
    p.check_products();
    let request_id = p.opt_uuid("request_id");
    let strategy = p.opt_enum("strategy", &Strategy::NAMES);
    p.opt_uuid("coupon_id");
    p.finish()?;
    let (Some(token), Some(shop_user_id), Some(amount)) = (token, shop_id, amount) else {
        return Err(ApiError::invalid_parameters(Vec::new(), Vec::new()));
    };
    let order = CpmOrder {
        token,
        shop_user_id,
        amount,
        description: description.unwrap_or_default(),
        metadata,
        strategy: Strategy::parse(strategy.as_deref()),
    };
    let fingerprint = format!(
        "cpm|{}|{}|{}|{}|{:?}|{}",
        order.token,
        order.shop_user_id,
        order.amount,
        order.description,
        order.metadata,
        order.strategy.as_str()
    );
    let id = mutate(state, |l, now| {
        l.with_request_id(request_id, &fingerprint, |l| {
            l.transact_with_cpm(order, now)
        })
    })?;
    transaction_json(state, id)
}

// ---- transactions ---------------------------------------------------------------------------------

fn get_transaction(state: &SandboxState, id: &str) -> Result<Answer, ApiError> {
    let id = path_uuid("transaction_id", id)?;
    state.read(|l| match l.transaction(id) {
        Some(tx) => to_json(&l.transaction_detail_view(tx)),
        None => Err(ApiError::not_found()),
    })
}

fn get_transaction_by_request_id(state: &SandboxState, id: &str) -> Result<Answer, ApiError> {
    let id = path_uuid("request_id", id)?;
    state.read(|l| match l.transaction_by_request_id(id) {
        Some(tx) => to_json(&l.transaction_detail_view(tx)),
        None => Err(ApiError::unprocessable("transaction_not_found")),
    })
}

fn refund_transaction(
    state: &SandboxState,
    id: &str,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let id = path_uuid("transaction_id", id)?;
    let mut p = Params::new(params);
    let description = p.opt_description();
    p.opt_timestamp("returning_point_expires_at");
    p.finish()?;
    mutate(state, |l, now| {
        l.refund(id, description.unwrap_or_default(), now)
    })?;
    transaction_json(state, id)
}

/// Resolves the shop and customer wallets a direct payment or top-up names.
fn parties(
    l: &Ledger,
    private_money_id: Uuid,
    shop_id: Uuid,
    customer_id: Uuid,
) -> Result<(Uuid, Uuid), ApiError> {
    if private_money_id != l.money.id {
        return Err(ApiError::unprocessable("private_money_not_found"));
    }
    let shop_account = l
        .shop(shop_id)
        .and_then(|s| l.account_of(s.id))
        .ok_or_else(|| ApiError::unprocessable("shop_account_not_found"))?;
    let customer_account = l
        .customer(customer_id)
        .and_then(|c| l.account_of(c.id))
        .ok_or_else(|| ApiError::unprocessable("customer_account_not_found"))?;
    Ok((shop_account.id, customer_account.id))
}

fn check_metadata(metadata: &Option<String>) -> Result<(), ApiError> {
    match metadata {
        Some(m) if !metadata_is_flat_string_map(m) => {
            Err(ApiError::unprocessable("invalid_metadata"))
        }
        _ => Ok(()),
    }
}

fn create_payment(state: &SandboxState, params: &Map<String, Value>) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let shop_id = p.uuid("shop_id");
    let customer_id = p.uuid("customer_id");
    let private_money_id = p.uuid("private_money_id");
    let amount = p.yen("amount");
    let description = p.opt_description();
    let metadata = p.opt_metadata();
    p.check_products();
    let request_id = p.opt_uuid("request_id");
    let strategy = p.opt_enum("strategy", &Strategy::NAMES);
    p.opt_uuid("coupon_id");
    p.finish()?;
    let (Some(shop_id), Some(customer_id), Some(private_money_id), Some(amount)) =
        (shop_id, customer_id, private_money_id, amount)
    else {
        return Err(ApiError::invalid_parameters(Vec::new(), Vec::new()));
    };
    if amount < 0 {
        return Err(ApiError::invalid_parameter("amount"));
    }
    let description = description.unwrap_or_default();
    let strategy = Strategy::parse(strategy.as_deref());
    let fingerprint = format!(
        "payment|{shop_id}|{customer_id}|{private_money_id}|{amount}|{description}|{metadata:?}|{}",
        strategy.as_str()
    );
    let id = mutate(state, |l, now| {
        l.with_request_id(request_id, &fingerprint, |l| {
            let (shop_account_id, customer_account_id) =
                parties(l, private_money_id, shop_id, customer_id)?;
            check_metadata(&metadata)?;
            l.pay(
                PaymentOrder {
                    customer_account_id,
                    shop_account_id,
                    amount,
                    strategy,
                    description,
                    metadata,
                },
                now,
            )
        })
    })?;
    transaction_json(state, id)
}

fn create_topup(state: &SandboxState, params: &Map<String, Value>) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let shop_id = p.uuid("shop_id");
    let customer_id = p.uuid("customer_id");
    let private_money_id = p.uuid("private_money_id");
    p.opt_uuid("bear_point_shop_id");
    let money = p.opt_int_at_least("money_amount", 0).unwrap_or(0);
    let points = p.opt_int_at_least("point_amount", 0).unwrap_or(0);
    p.opt_timestamp("point_expires_at");
    let description = p.opt_description();
    let metadata = p.opt_metadata();
    let request_id = p.opt_uuid("request_id");
    p.finish()?;
    let (Some(shop_id), Some(customer_id), Some(private_money_id)) =
        (shop_id, customer_id, private_money_id)
    else {
        return Err(ApiError::invalid_parameters(Vec::new(), Vec::new()));
    };
    let description = description.unwrap_or_default();
    let fingerprint = format!(
        "topup|{shop_id}|{customer_id}|{private_money_id}|{money}|{points}|{description}|{metadata:?}"
    );
    let id = mutate(state, |l, now| {
        l.with_request_id(request_id, &fingerprint, |l| {
            let (shop_account_id, customer_account_id) =
                parties(l, private_money_id, shop_id, customer_id)?;
            if money == 0 && points == 0 {
                let mut both_zero =
                    ApiError::new(400, "invalid_parameter_both_point_and_money_are_zero");
                both_zero.invalid = vec!["money_amount".into(), "point_amount".into()];
                return Err(both_zero);
            }
            check_metadata(&metadata)?;
            l.topup(
                TopupOrder {
                    customer_account_id,
                    shop_account_id,
                    money,
                    points,
                    description,
                    metadata,
                },
                now,
            )
        })
    })?;
    transaction_json(state, id)
}

fn list_transactions(
    state: &SandboxState,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let filter = TransactionFilter {
        private_money_id: p.opt_uuid("private_money_id"),
        organization_code: p.opt_string("organization_code", 32),
        shop_id: p.opt_uuid("shop_id"),
        terminal_id: p.opt_uuid("terminal_id"),
        customer_id: p.opt_uuid("customer_id"),
        customer_name: p.opt_string("customer_name", 256),
        description: p.opt_string("description", MAX_DESCRIPTION_CHARS),
        transaction_id: p.opt_string("transaction_id", 64),
        only_modified: p.opt_bool("is_modified").unwrap_or(false),
        types: p
            .opt_enum_list("types", &TRANSACTION_TYPES)
            .unwrap_or_default(),
        from: p.opt_timestamp("from"),
        to: p.opt_timestamp("to"),
    };
    let next = p.opt_uuid("next_page_cursor_id");
    let prev = p.opt_uuid("prev_page_cursor_id");
    let per_page = p.opt_int_at_least("per_page", 1);
    p.finish()?;
    let per_page = per_page.unwrap_or(50);
    if per_page > 1000 {
        return Err(ApiError::invalid_parameter("per_page"));
    }
    let cursor = match (next, prev) {
        (Some(id), _) => Cursor::After(id),
        (None, Some(id)) => Cursor::Before(id),
        (None, None) => Cursor::First,
    };
    state.read(|l| {
        let page = l.list_transactions(&filter, cursor, usize::try_from(per_page).unwrap_or(50));
        to_json(&PaginatedTransactionV2 {
            rows: page.rows.iter().map(|tx| l.transaction_view(tx)).collect(),
            per_page,
            count: i64::try_from(page.total).unwrap_or(i64::MAX),
            next_page_cursor_id: page.next_page_cursor_id,
            prev_page_cursor_id: page.prev_page_cursor_id,
        })
    })
}

// ---- moneys and shops -------------------------------------------------------------------------------

fn is_organization_code(code: &str) -> bool {
    code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn get_private_moneys(
    state: &SandboxState,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let code = p.opt_string("organization_code", 32);
    let page = p.opt_int_at_least("page", 1).unwrap_or(1);
    let per_page = p.opt_int_at_least("per_page", 1).unwrap_or(50);
    p.finish()?;
    if code.as_deref().is_some_and(|c| !is_organization_code(c)) {
        return Err(ApiError::invalid_parameter("organization_code"));
    }
    state.read(|l| {
        if code.as_deref().is_some_and(|c| c != l.organization.code) {
            return Err(ApiError::unprocessable("organization_not_found"));
        }
        let all = vec![l.private_money_view()];
        to_json(&PaginatedPrivateMoneys {
            rows: page_slice(&all, page, per_page),
            count: i64::try_from(all.len()).unwrap_or(i64::MAX),
            pagination: pagination(all.len(), page, per_page),
        })
    })
}

fn get_shop(state: &SandboxState, id: &str) -> Result<Answer, ApiError> {
    let id = path_uuid("shop_id", id)?;
    state.read(|l| match l.shop(id) {
        Some(shop) => to_json(&l.shop_view(shop)),
        None => Err(ApiError::unprocessable("shop_user_not_found")),
    })
}

fn get_shop_accounts(
    state: &SandboxState,
    params: &Map<String, Value>,
) -> Result<Answer, ApiError> {
    let mut p = Params::new(params);
    let private_money_id = p.uuid("private_money_id");
    let page = p.opt_int_at_least("page", 1).unwrap_or(1);
    let per_page = p.opt_int_at_least("per_page", 1).unwrap_or(30);
    let from = p.opt_timestamp("created_at_from");
    let to = p.opt_timestamp("created_at_to");
    let suspended = p.opt_bool("is_suspended");
    p.finish()?;
    state.read(|l| {
        if private_money_id != Some(l.money.id) {
            return Err(ApiError::unprocessable("private_money_not_found"));
        }
        let all: Vec<_> = l
            .shops()
            .filter_map(|s| l.account_of(s.id))
            .filter(|a| from.is_none_or(|f| a.created_at >= f))
            .filter(|a| to.is_none_or(|t| a.created_at <= t))
            .filter(|_| suspended != Some(true))
            .map(|a| l.account_with_user_view(a))
            .collect();
        to_json(&PaginatedAccountWithUsers {
            rows: page_slice(&all, page, per_page),
            count: i64::try_from(all.len()).unwrap_or(i64::MAX),
            pagination: pagination(all.len(), page, per_page),
        })
    })
}
