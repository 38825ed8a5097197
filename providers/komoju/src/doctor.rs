//! The KOMOJU part of `regi doctor`: is the `[komoju]` table usable with a secret key set, and
//! does KOMOJU accept that key (a harmless `GET /payments?per_page=1`), each with a fix-it hint
//! in the clerk's language. They only look; the key is never shown.

use std::time::{Duration, Instant};

use regi_core::app::records::Check;
use regi_core::lang::Lang;

use crate::error::{ConfigurationError, KomojuError};
use crate::settings::{KomojuSettings, SettingsError};
use crate::{Client, ErrorClass};

/// The words of the KOMOJU checks.
#[derive(Debug)]
pub struct DoctorTexts {
    pub check_key: &'static str,
    pub check_api: &'static str,
    pub detail_set: &'static str,
    pub detail_missing: &'static str,
    pub hint_key: &'static str,
    pub hint_config: &'static str,
    pub hint_key_refused: &'static str,
    pub hint_unreachable: &'static str,
    pub detail_unchecked: &'static str,
    lang: Lang,
}

static JA: DoctorTexts = DoctorTexts {
    check_key: "KOMOJUのシークレットキー",
    check_api: "KOMOJU (決済一覧の取得)",
    detail_set: "設定済み",
    detail_missing: "未設定",
    hint_key: "regi.toml の [komoju] に secret_key を設定してください (KOMOJUの管理画面で発行されたキー)",
    hint_config: "指摘された項目を直してください (config/regi.example.toml に全項目の説明があります)",
    hint_key_refused: "KOMOJUがキーを受け付けません。[komoju] secret_key と api_base_url (本番かテストか) の組み合わせを確認してください",
    hint_unreachable: "ネットワークと [komoju] api_base_url を確認してください",
    detail_unchecked: "キーの設定が直るまで未確認",
    lang: Lang::Ja,
};

static EN: DoctorTexts = DoctorTexts {
    check_key: "KOMOJU secret key",
    check_api: "KOMOJU (list payments)",
    detail_set: "set",
    detail_missing: "not set",
    hint_key: "Set secret_key in [komoju] of regi.toml (the key issued in the KOMOJU dashboard)",
    hint_config: "Fix the key named above (config/regi.example.toml documents every key)",
    hint_key_refused: "KOMOJU refuses the key: check that [komoju] secret_key and api_base_url (live or test) belong together",
    hint_unreachable: "Check the network and [komoju] api_base_url",
    detail_unchecked: "not checked until the key is set right",
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
            Lang::Ja => format!("往復 {millis} ms"),
            Lang::En => format!("round trip {millis} ms"),
        }
    }
}

fn check(name: &str, ok: bool, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check::new(name, ok, detail, hint)
}

/// Reads the `[komoju]` table (`None` when the file has none) into settings, or the failed
/// check saying what to fix.
pub fn key_check(
    table: Option<&toml::Table>,
    lang: Lang,
) -> Result<(Check, KomojuSettings), Check> {
    let s = DoctorTexts::of(lang);
    let Some(table) = table else {
        return Err(check(
            s.check_key,
            false,
            s.detail_missing,
            Some(s.hint_key),
        ));
    };
    match KomojuSettings::from_table(table) {
        Ok(settings) => Ok((check(s.check_key, true, s.detail_set, None), settings)),
        Err(SettingsError::MissingSecretKey) => Err(check(
            s.check_key,
            false,
            s.detail_missing,
            Some(s.hint_key),
        )),
        Err(other) => Err(check(
            s.check_key,
            false,
            other.text(lang),
            Some(s.hint_config),
        )),
    }
}

/// Judges the harmless call: accepted, key refused, or KOMOJU not reached.
pub fn judge_key_call(result: &Result<(), KomojuError>, elapsed: Duration, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    match result {
        Ok(()) => check(s.check_api, true, s.round_trip(elapsed.as_millis()), None),
        Err(KomojuError::Configuration(ConfigurationError::KeyRefused { .. })) => check(
            s.check_api,
            false,
            result_detail(result),
            Some(s.hint_key_refused),
        ),
        Err(error) => {
            let hint = match error.class() {
                ErrorClass::Unknown => s.hint_unreachable,
                _ => s.hint_config,
            };
            check(s.check_api, false, result_detail(result), Some(hint))
        }
    }
}

fn result_detail(result: &Result<(), KomojuError>) -> String {
    result
        .as_ref()
        .err()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Proves the key and the server with `GET /payments?per_page=1`.
pub async fn api_check(settings: &KomojuSettings, lang: Lang) -> Check {
    let s = DoctorTexts::of(lang);
    let client = match Client::new(&settings.client_settings()) {
        Ok(client) => client,
        Err(e) => return check(s.check_api, false, e.to_string(), Some(s.hint_config)),
    };
    let started = Instant::now();
    let result = client.check_key().await;
    judge_key_call(&result, started.elapsed(), lang)
}

/// Every KOMOJU check in order; the call is made only when the table reads.
pub async fn checks(table: Option<&toml::Table>, lang: Lang) -> Vec<Check> {
    match key_check(table, lang) {
        Ok((key, settings)) => vec![key, api_check(&settings, lang).await],
        Err(failed) => {
            let s = DoctorTexts::of(lang);
            vec![failed, check(s.check_api, false, s.detail_unchecked, None)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Operation;
    use crate::error::UnknownCause;

    #[test]
    fn a_missing_table_or_key_points_to_secret_key() {
        let s = DoctorTexts::of(Lang::En);
        let missing = key_check(None, Lang::En).unwrap_err();
        assert!(!missing.ok);
        assert_eq!(missing.hint.as_deref(), Some(s.hint_key));
        let empty = key_check(Some(&toml::Table::new()), Lang::Ja).unwrap_err();
        assert_eq!(empty.name, "KOMOJUのシークレットキー");
        assert!(empty.hint.unwrap_or_default().contains("secret_key"));
    }

    #[test]
    fn a_bad_table_says_which_key_without_the_secret() {
        let table: toml::Table = "secret_key = 'sk_live_hunter2'\ncapture = 'later'"
            .parse()
            .unwrap();
        let failed = key_check(Some(&table), Lang::En).unwrap_err();
        assert!(failed.detail.contains("capture"), "{}", failed.detail);
        assert!(!format!("{failed:?}").contains("hunter2"));
    }

    #[test]
    fn each_failed_call_gets_its_own_hint() {
        let s = DoctorTexts::of(Lang::En);
        let ok = judge_key_call(&Ok(()), Duration::from_millis(42), Lang::En);
        assert!(ok.ok);
        assert_eq!(ok.detail, "round trip 42 ms");
        let refused = Err(KomojuError::from(ConfigurationError::KeyRefused {
            status: 401,
            code: "unauthorized".into(),
        }));
        let c = judge_key_call(&refused, Duration::ZERO, Lang::En);
        assert!(!c.ok);
        assert_eq!(c.hint.as_deref(), Some(s.hint_key_refused));
        let unreachable = Err(KomojuError::Unknown {
            operation: Operation::ListPayments,
            cause: UnknownCause::Timeout,
        });
        let c = judge_key_call(&unreachable, Duration::ZERO, Lang::En);
        assert_eq!(c.hint.as_deref(), Some(s.hint_unreachable));
    }
}
