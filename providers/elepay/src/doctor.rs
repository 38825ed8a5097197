//! The elepay part of `regi doctor` and the status screen: whether a secret key is set, and a
//! harmless authenticated call (a one-charge listing) proving the key and the server, each with a
//! fix-it hint in the clerk's language. They only look; nothing is charged.

use std::time::{Duration, Instant};

use regi_core::app::records::Check;
use regi_core::lang::Lang;

use crate::client::ElepayClient;
use crate::error::ElepayError;
use crate::settings::ElepaySettings;

/// The words of the elepay checks.
#[derive(Debug)]
pub struct DoctorTexts {
    pub check_key: &'static str,
    pub check_api: &'static str,
    pub detail_set: &'static str,
    pub detail_not_set: &'static str,
    pub hint_key: &'static str,
    pub hint_wrong_key: &'static str,
    pub hint_unreachable: &'static str,
    pub hint_refused: &'static str,
    pub hint_config: &'static str,
    lang: Lang,
}

static JA: DoctorTexts = DoctorTexts {
    check_key: "elepay シークレットキー",
    check_api: "elepay 決済サーバー",
    detail_set: "設定済み",
    detail_not_set: "未設定: elepay は練習モードでのみ使えます",
    hint_key: "regi.toml の [elepay] に secret_key (sk_…) を設定してください",
    hint_wrong_key: "secret_key が受け付けられませんでした。elepay の管理画面でシークレットキーを確認してください",
    hint_unreachable: "ネットワークと [elepay] api_base_url を確認してください",
    hint_refused: "elepay が要求を受け付けませんでした。しばらくしてからもう一度確認してください",
    hint_config: "指摘された項目を直してください (config/regi.example.toml に全項目の説明があります)",
    lang: Lang::Ja,
};

static EN: DoctorTexts = DoctorTexts {
    check_key: "elepay secret key",
    check_api: "elepay payment server",
    detail_set: "set",
    detail_not_set: "not set: elepay works in training mode only",
    hint_key: "Set secret_key (sk_…) in [elepay] of regi.toml",
    hint_wrong_key: "elepay did not accept secret_key; check the secret key in elepay's dashboard",
    hint_unreachable: "Check the network and [elepay] api_base_url",
    hint_refused: "elepay refused the request; check again in a moment",
    hint_config: "Fix the key named above (config/regi.example.toml documents every key)",
    lang: Lang::En,
};

impl DoctorTexts {
    pub fn of(lang: Lang) -> &'static DoctorTexts {
        match lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    fn round_trip(&self, millis: u128) -> String {
        match self.lang {
            Lang::Ja => format!("認証済み、往復 {millis} ms"),
            Lang::En => format!("key accepted, round trip {millis} ms"),
        }
    }
}

fn check(name: &str, ok: bool, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check::new(name, ok, detail, hint)
}

/// Whether a secret key is set; without one elepay only trains.
pub fn key_check(settings: &ElepaySettings, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    if settings.is_configured() {
        check(s.check_key, true, s.detail_set, None)
    } else {
        check(s.check_key, false, s.detail_not_set, Some(s.hint_key))
    }
}

/// Judges the authenticated call: a wrong key, an unreachable server and a refusal each get
/// their own hint. The error texts name no secret.
pub fn judge_key_call(result: &Result<(), ElepayError>, elapsed: Duration, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    match result {
        Ok(()) => check(s.check_api, true, s.round_trip(elapsed.as_millis()), None),
        Err(error) => {
            let hint = match error {
                ElepayError::Config {
                    status: Some(_), ..
                } => s.hint_wrong_key,
                ElepayError::Config { status: None, .. } => s.hint_config,
                ElepayError::Unknown { .. } => s.hint_unreachable,
                ElepayError::Refused(_) => s.hint_refused,
            };
            check(s.check_api, false, error.to_string(), Some(hint))
        }
    }
}

/// The authenticated call against the configured server; skipped (not failed twice) when no key
/// is set, since [`key_check`] already says so.
pub async fn api_checks(settings: &ElepaySettings, lang: Lang) -> Vec<Check> {
    let s = DoctorTexts::of(lang);
    if !settings.is_configured() {
        return Vec::new();
    }
    let client = match settings
        .client_config()
        .map_err(|e| e.to_string())
        .and_then(|config| ElepayClient::new(config).map_err(|e| e.to_string()))
    {
        Ok(client) => client,
        Err(reason) => return vec![check(s.check_api, false, reason, Some(s.hint_config))],
    };
    let started = Instant::now();
    let result = client.check_key().await;
    vec![judge_key_call(&result, started.elapsed(), lang)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;

    #[test]
    fn a_missing_key_points_to_training_and_the_fix() {
        let c = key_check(&ElepaySettings::default(), Lang::Ja);
        assert!(!c.ok);
        assert_eq!(c.name, "elepay シークレットキー");
        assert!(c.hint.unwrap().contains("secret_key"));
    }

    #[test]
    fn each_failure_of_the_key_call_gets_its_own_hint() {
        let s = DoctorTexts::of(Lang::En);
        let wrong_key = Err(ElepayError::Config {
            operation: Some(Operation::ListCharges),
            status: Some(401),
            reason: "elepay refused the secret key".into(),
        });
        let lost = Err(ElepayError::Unknown {
            operation: Operation::ListCharges,
            reason: "could not connect".into(),
        });
        for (result, hint) in [(wrong_key, s.hint_wrong_key), (lost, s.hint_unreachable)] {
            let c = judge_key_call(&result, Duration::ZERO, Lang::En);
            assert!(!c.ok);
            assert_eq!(c.hint.as_deref(), Some(hint));
        }
        let ok = judge_key_call(&Ok(()), Duration::from_millis(7), Lang::En);
        assert!(ok.ok);
        assert_eq!(ok.detail, "key accepted, round trip 7 ms");
    }
}
