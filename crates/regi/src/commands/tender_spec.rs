//! `--tender SPEC` of `regi checkout`: one tender of a sale paid in several, as typed on the command
//! line. `cash:YEN` (the yen received; change is computed), `qr[:PROVIDER][:YEN]`,
//! `code:TOKEN[:PROVIDER][:YEN]`, `tab:LABEL[:YEN]`; a tender without yen takes what remains.

use std::fmt;
use std::str::FromStr;

use regi_core::domain::Yen;

/// One tender to apply, in the order given.
#[derive(Clone, PartialEq, Eq)]
pub enum TenderSpec {
    /// Cash handed over: `received` yen (`None`: exactly what remains).
    Cash { received: Option<Yen> },
    /// A QR the customer scans, through `provider` (`None`: `--provider`, else the first).
    Qr {
        provider: Option<String>,
        part: Option<Yen>,
    },
    /// The customer's code, charged through `provider` (`None`: `--provider`, else the first).
    Code {
        token: String,
        provider: Option<String>,
        part: Option<Yen>,
    },
    /// Charged to the open tab labelled `label`.
    Tab { label: String, part: Option<Yen> },
}

impl TenderSpec {
    /// The yen the tender was given (for cash: received), if any.
    pub fn yen(&self) -> Option<Yen> {
        match self {
            TenderSpec::Cash { received } => *received,
            TenderSpec::Qr { part, .. }
            | TenderSpec::Code { part, .. }
            | TenderSpec::Tab { part, .. } => *part,
        }
    }

    /// The word scripts see for it in events: `cash`, `qr`, `code`, `tab`.
    pub fn kind(&self) -> &'static str {
        match self {
            TenderSpec::Cash { .. } => "cash",
            TenderSpec::Qr { .. } => "qr",
            TenderSpec::Code { .. } => "code",
            TenderSpec::Tab { .. } => "tab",
        }
    }
}

/// The customer's code is masked: it would let anyone pay with their wallet.
impl fmt::Debug for TenderSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TenderSpec::Code {
                token,
                provider,
                part,
            } => f
                .debug_struct("Code")
                .field("token", &regi_core::secret::MaskedTail(token))
                .field("provider", provider)
                .field("part", part)
                .finish(),
            TenderSpec::Cash { received } => {
                f.debug_struct("Cash").field("received", received).finish()
            }
            TenderSpec::Qr { provider, part } => f
                .debug_struct("Qr")
                .field("provider", provider)
                .field("part", part)
                .finish(),
            TenderSpec::Tab { label, part } => f
                .debug_struct("Tab")
                .field("label", label)
                .field("part", part)
                .finish(),
        }
    }
}

fn yen(text: &str) -> Result<Yen, String> {
    let value: Yen = text
        .parse()
        .map_err(|_| format!("{text:?} is not an amount in yen"))?;
    if !value.is_positive() {
        return Err(format!("a tender must be more than ¥0 (got {text})"));
    }
    Ok(value)
}

fn is_yen(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == ',')
}

/// `[PROVIDER][:YEN]` after a tender's kind (and token): a part that is all digits is the yen.
fn provider_and_part(rest: &[&str]) -> Result<(Option<String>, Option<Yen>), String> {
    match rest {
        [] => Ok((None, None)),
        [one] if is_yen(one) => Ok((None, Some(yen(one)?))),
        [one] => Ok((Some(provider(one)?), None)),
        [provider_name, amount] => Ok((Some(provider(provider_name)?), Some(yen(amount)?))),
        _ => Err("too many parts".into()),
    }
}

fn provider(name: &str) -> Result<String, String> {
    let name = name.trim().to_ascii_lowercase();
    if crate::providers::KNOWN_PROVIDERS.contains(&name.as_str()) {
        Ok(name)
    } else {
        Err(format!(
            "{name:?} is not a payment provider regi has (one of {})",
            crate::providers::KNOWN_PROVIDERS.join(", ")
        ))
    }
}

impl FromStr for TenderSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let parts: Vec<&str> = spec.trim().split(':').collect();
        let kind = parts[0].to_ascii_lowercase();
        let bad = |why: String| {
            format!(
                "tender {spec:?}: {why} (cash:YEN, qr[:PROVIDER][:YEN], code:TOKEN[:PROVIDER][:YEN], \
                 tab:LABEL[:YEN])"
            )
        };
        match (kind.as_str(), &parts[1..]) {
            ("cash", []) => Ok(TenderSpec::Cash { received: None }),
            ("cash", [received]) => Ok(TenderSpec::Cash {
                received: Some(yen(received).map_err(bad)?),
            }),
            ("qr", rest) => {
                let (provider, part) = provider_and_part(rest).map_err(bad)?;
                Ok(TenderSpec::Qr { provider, part })
            }
            ("code", [token, rest @ ..]) if !token.trim().is_empty() => {
                let (provider, part) = provider_and_part(rest).map_err(bad)?;
                Ok(TenderSpec::Code {
                    token: token.trim().to_string(),
                    provider,
                    part,
                })
            }
            ("tab", [label]) if !label.trim().is_empty() => Ok(TenderSpec::Tab {
                label: label.trim().to_string(),
                part: None,
            }),
            ("tab", [label, amount]) if !label.trim().is_empty() => Ok(TenderSpec::Tab {
                label: label.trim().to_string(),
                part: Some(yen(amount).map_err(bad)?),
            }),
            ("code", _) => Err(bad("the customer's code is missing".into())),
            ("tab", _) => Err(bad("the tab's label is missing".into())),
            _ => Err(bad("not a kind of tender".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(spec: &str) -> TenderSpec {
        spec.parse().unwrap()
    }

    #[test]
    fn each_kind_reads_with_and_without_its_optional_parts() {
        assert_eq!(
            parse("cash:2000"),
            TenderSpec::Cash {
                received: Some(Yen(2_000))
            }
        );
        assert_eq!(parse("cash"), TenderSpec::Cash { received: None });
        assert_eq!(
            parse("qr"),
            TenderSpec::Qr {
                provider: None,
                part: None
            }
        );
        assert_eq!(
            parse("qr:1500"),
            TenderSpec::Qr {
                provider: None,
                part: Some(Yen(1_500))
            }
        );
        assert_eq!(
            parse("qr:komoju"),
            TenderSpec::Qr {
                provider: Some("komoju".into()),
                part: None
            }
        );
        assert_eq!(
            parse("qr:elepay:300"),
            TenderSpec::Qr {
                provider: Some("elepay".into()),
                part: Some(Yen(300))
            }
        );
        assert_eq!(
            parse("code:1234567890:pokepay:700"),
            TenderSpec::Code {
                token: "1234567890".into(),
                provider: Some("pokepay".into()),
                part: Some(Yen(700))
            }
        );
        assert_eq!(
            parse("tab:room 301:900"),
            TenderSpec::Tab {
                label: "room 301".into(),
                part: Some(Yen(900))
            }
        );
    }

    #[test]
    fn a_bad_tender_says_what_is_wrong_and_shows_the_forms() {
        for (spec, why) in [
            ("cash:abc", "not an amount"),
            ("cash:0", "more than ¥0"),
            ("qr:acme", "not a payment provider"),
            ("code", "code is missing"),
            ("tab", "label is missing"),
            ("cheque:100", "not a kind of tender"),
        ] {
            let err = spec.parse::<TenderSpec>().unwrap_err();
            assert!(
                err.contains(why) && err.contains("cash:YEN"),
                "{spec}: {err}"
            );
        }
    }

    #[test]
    fn debug_masks_the_customer_code() {
        let shown = format!("{:?}", parse("code:1234567890123456"));
        assert!(
            !shown.contains("1234567890123456") && shown.contains("3456"),
            "{shown}"
        );
    }
}
