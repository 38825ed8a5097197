//! The Pokepay part of `regi doctor` and the status screen: credentials, shop and money ids, and a
//! SendEcho round trip that proves the secret and the clock, each with a fix-it hint in the clerk's
//! language. They only look.

use std::time::{Duration, Instant};

use crate::{ApiSettings, PokepaySettings};
use regi_core::app::records::Check;
use regi_core::lang::Lang;

use crate::wire::Echo;
use crate::{CallError, Client};

/// The message SendEcho sends and expects back.
pub const ECHO_MESSAGE: &str = "regi doctor";

/// The words of the Pokepay checks.
#[derive(Debug)]
pub struct DoctorTexts {
    pub check_credentials: &'static str,
    pub check_api: &'static str,
    pub check_clock: &'static str,
    pub check_ids: &'static str,
    pub detail_no_credentials: &'static str,
    pub hint_credentials: &'static str,
    pub hint_unreachable: &'static str,
    pub hint_decrypt: &'static str,
    pub hint_client_unknown: &'static str,
    pub hint_clock: &'static str,
    pub detail_clock_ok: &'static str,
    pub detail_clock_unchecked: &'static str,
    pub hint_ids: &'static str,
    pub detail_set: &'static str,
    pub detail_missing: &'static str,
    pub hint_config: &'static str,
    pub check_shop: &'static str,
    pub hint_shop: &'static str,
    pub hint_money: &'static str,
    pub hint_refused: &'static str,
    pub detail_clock_refused: &'static str,
    lang: Lang,
}

static JA: DoctorTexts = DoctorTexts {
    check_credentials: "API認証情報",
    check_api: "決済サーバー (SendEcho)",
    check_clock: "時計",
    check_ids: "店舗とマネーのID",
    detail_no_credentials: "未設定: 練習モードで起動します",
    hint_credentials: "regi.toml の [api] か --pokepay-ini で CLIENT_ID・CLIENT_SECRET・API_BASE_URL を設定してください",
    hint_unreachable: "ネットワーク、API_BASE_URL、プロキシ、TLSクライアント証明書を確認してください",
    hint_decrypt: "CLIENT_SECRET が CLIENT_ID と合っていません。契約時に発行された値を確認してください",
    hint_client_unknown: "CLIENT_ID が決済サーバーに登録されていません",
    hint_clock: "パソコンの時計を合わせてください (例: timedatectl set-ntp true)",
    detail_clock_ok: "サーバーが要求の時刻を受け付けました",
    detail_clock_unchecked: "サーバーに接続できないため未確認",
    hint_ids: "regi.toml の [pokepay] に shop_id と private_money_id を設定してください",
    detail_set: "設定済み",
    detail_missing: "未設定",
    hint_config: "指摘された項目を直してください (config/regi.example.toml に全項目の説明があります)",
    check_shop: "店舗 (GetShop)",
    hint_shop: "SHOP_ID (regi.toml の [pokepay] shop_id か config.ini) を、契約で発行された店舗のIDにしてください",
    hint_money: "PRIVATE_MONEY_ID を、この店舗で使えるマネーのIDにしてください",
    hint_refused: "サーバーは応答しましたが要求を拒否しました。API_BASE_URL が Partner API のアドレスか確認してください",
    detail_clock_refused: "未確認: サーバーが要求を拒否しました",
    lang: Lang::Ja,
};

static EN: DoctorTexts = DoctorTexts {
    check_credentials: "API credentials",
    check_api: "Payment server (SendEcho)",
    check_clock: "Clock",
    check_ids: "Shop and money ids",
    detail_no_credentials: "not set: regi starts in training mode",
    hint_credentials: "Set CLIENT_ID, CLIENT_SECRET and API_BASE_URL in [api] of regi.toml or with --pokepay-ini",
    hint_unreachable: "Check the network, API_BASE_URL, any proxy and the TLS client certificate",
    hint_decrypt: "CLIENT_SECRET does not match CLIENT_ID; check the values issued with the contract",
    hint_client_unknown: "The payment server does not know this CLIENT_ID",
    hint_clock: "Set the computer's clock (e.g. timedatectl set-ntp true)",
    detail_clock_ok: "the server accepted the request time",
    detail_clock_unchecked: "not checked: the server cannot be reached",
    hint_ids: "Set shop_id and private_money_id in [pokepay] of regi.toml",
    detail_set: "set",
    detail_missing: "not set",
    hint_config: "Fix the key named above (config/regi.example.toml documents every key)",
    check_shop: "Shop (GetShop)",
    hint_shop: "Set SHOP_ID ([pokepay] shop_id in regi.toml, or config.ini) to the shop id issued with the contract",
    hint_money: "Set PRIVATE_MONEY_ID to a money this shop takes",
    hint_refused: "The server answered but refused the request; check that API_BASE_URL is the Partner API's address",
    detail_clock_refused: "not checked: the server refused the request",
    lang: Lang::En,
};

impl DoctorTexts {
    pub fn of(lang: Lang) -> &'static DoctorTexts {
        match lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    fn echo_ok(&self, millis: u128) -> String {
        match self.lang {
            Lang::Ja => format!("往復 {millis} ms"),
            Lang::En => format!("round trip {millis} ms"),
        }
    }
}

fn check(name: &str, ok: bool, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check::new(name, ok, detail, hint)
}

/// Whether the client id, secret and API address are set; without them regi trains.
pub fn credentials_check(api: &ApiSettings, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    let missing = api.missing_credentials();
    if missing.is_empty() {
        check(s.check_credentials, true, s.detail_set, None)
    } else {
        check(
            s.check_credentials,
            false,
            format!("{}: {}", s.detail_no_credentials, missing.join(", ")),
            Some(s.hint_credentials),
        )
    }
}

/// Whether the shop and the money payments go to are named.
pub fn ids_check(pokepay: &PokepaySettings, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    let ok = pokepay.shop_id.is_some() && pokepay.private_money_id.is_some();
    let detail = if ok { s.detail_set } else { s.detail_missing };
    check(s.check_ids, ok, detail, (!ok).then_some(s.hint_ids))
}

/// Judges a SendEcho round trip: the API check and the clock check. A request the server accepted
/// was sealed with the right secret and stamped with an acceptable time.
pub fn judge_echo(result: &Result<Echo, CallError>, elapsed: Duration, lang: Lang) -> [Check; 2] {
    let s = DoctorTexts::of(lang);
    match result {
        Ok(echo) if echo.status == "ok" && echo.message == ECHO_MESSAGE => [
            check(s.check_api, true, s.echo_ok(elapsed.as_millis()), None),
            check(s.check_clock, true, s.detail_clock_ok, None),
        ],
        Ok(echo) => [
            check(
                s.check_api,
                false,
                format!("status {:?}, message {:?}", echo.status, echo.message),
                Some(s.hint_decrypt),
            ),
            check(s.check_clock, false, s.detail_clock_unchecked, None),
        ],
        Err(error) => {
            let kind = error.api_kind().unwrap_or_default();
            let (api_hint, clock) = match kind {
                "partner_request_expired" => (
                    None,
                    check(s.check_clock, false, error.to_string(), Some(s.hint_clock)),
                ),
                _ => {
                    // An answer with a status is no unreachable server: the request went
                    // somewhere that refused it (a wrong path or host, a proxy's page).
                    let answered =
                        matches!(error, CallError::Api(_) | CallError::BadResponse { .. });
                    let hint = match kind {
                        "partner_decryption_failed" => s.hint_decrypt,
                        "partner_client_not_found" => s.hint_client_unknown,
                        _ if answered => s.hint_refused,
                        _ => s.hint_unreachable,
                    };
                    let clock = if answered {
                        s.detail_clock_refused
                    } else {
                        s.detail_clock_unchecked
                    };
                    (Some(hint), check(s.check_clock, false, clock, None))
                }
            };
            let api_ok = api_hint.is_none();
            [
                check(s.check_api, api_ok, error.to_string(), api_hint),
                clock,
            ]
        }
    }
}

/// SendEcho against `api`; a client that cannot even be built is a configuration problem.
pub async fn api_checks(api: &ApiSettings, lang: Lang) -> Vec<Check> {
    let s = DoctorTexts::of(lang);
    let client = match Client::new(api) {
        Ok(client) => client,
        Err(e) => {
            return vec![check(
                s.check_api,
                false,
                e.to_string(),
                Some(s.hint_config),
            )];
        }
    };
    let started = Instant::now();
    let result = client.echo(ECHO_MESSAGE).await;
    judge_echo(&result, started.elapsed(), lang).to_vec()
}

/// GetShop on the configured SHOP_ID: a shop the partner does not have would only show at the
/// first sale (`shop_user_not_found`). Also says whether the shop takes PRIVATE_MONEY_ID.
pub async fn shop_check(api: &ApiSettings, pokepay: &PokepaySettings, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    let Some(shop_id) = pokepay.shop_id else {
        return check(s.check_shop, false, s.detail_missing, Some(s.hint_shop));
    };
    let client = match Client::new(api) {
        Ok(client) => client,
        Err(e) => return check(s.check_shop, false, e.to_string(), Some(s.hint_config)),
    };
    match client.get_shop(shop_id).await {
        Ok(shop) => {
            let takes_money = pokepay
                .private_money_id
                .is_none_or(|money| shop.accounts.iter().any(|a| a.private_money.id == money));
            let detail = format!("{} ({shop_id})", shop.name);
            match takes_money {
                true => check(s.check_shop, true, detail, None),
                false => check(s.check_shop, false, detail, Some(s.hint_money)),
            }
        }
        Err(e) => {
            let hint = match e.api_kind() {
                Some("shop_user_not_found" | "shop_not_found" | "not_found" | "notfound") => {
                    s.hint_shop
                }
                Some(_) => s.hint_refused,
                None => s.hint_unreachable,
            };
            check(s.check_shop, false, format!("{shop_id}: {e}"), Some(hint))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiFailure;

    fn api_error(kind: &str) -> CallError {
        CallError::Api(ApiFailure {
            status: 400,
            kind: kind.into(),
            message: "x".into(),
            errors: None,
            endpoint: None,
        })
    }

    #[test]
    fn a_good_echo_passes_api_and_clock() {
        let echo = Ok(Echo {
            status: "ok".into(),
            message: ECHO_MESSAGE.into(),
        });
        let [api, clock] = judge_echo(&echo, Duration::from_millis(42), Lang::En);
        assert!(api.ok && clock.ok);
        assert_eq!(api.detail, "round trip 42 ms");
    }

    #[test]
    fn each_failure_gets_its_own_hint() {
        let s = DoctorTexts::of(Lang::En);
        let [api, _] = judge_echo(
            &Err(api_error("partner_decryption_failed")),
            Duration::ZERO,
            Lang::En,
        );
        assert_eq!(api.hint.as_deref(), Some(s.hint_decrypt));
        let [api, clock] = judge_echo(
            &Err(api_error("partner_request_expired")),
            Duration::ZERO,
            Lang::En,
        );
        assert!(api.ok, "the server answered; only the clock is off");
        assert_eq!(clock.hint.as_deref(), Some(s.hint_clock));
        let unreachable = CallError::Unknown {
            operation: "SendEcho",
            reason: "connection refused".into(),
        };
        let [api, clock] = judge_echo(&Err(unreachable), Duration::ZERO, Lang::En);
        assert!(!api.ok && !clock.ok);
        assert_eq!(api.hint.as_deref(), Some(s.hint_unreachable));
    }

    #[test]
    fn a_server_that_answered_400_is_not_called_unreachable() {
        let s = DoctorTexts::of(Lang::En);
        let [api, clock] = judge_echo(
            &Err(api_error("invalid_parameters")),
            Duration::ZERO,
            Lang::En,
        );
        assert!(!api.ok);
        assert_eq!(api.hint.as_deref(), Some(s.hint_refused));
        assert!(!clock.detail.contains("cannot be reached"), "{clock:?}");
        assert!(!api.hint.unwrap_or_default().contains("network"));
    }

    #[test]
    fn missing_credentials_point_to_training_and_the_fix() {
        let c = credentials_check(&ApiSettings::default(), Lang::Ja);
        assert!(!c.ok);
        assert!(c.detail.contains("client_id"));
        assert_eq!(c.name, "API認証情報");
        assert!(c.hint.unwrap_or_default().starts_with("regi.toml"));
    }

    #[test]
    fn unnamed_shop_or_money_fails_with_the_keys_to_set() {
        let c = ids_check(&PokepaySettings::default(), Lang::En);
        assert!(!c.ok);
        assert!(c.hint.unwrap_or_default().contains("shop_id"));
    }
}
