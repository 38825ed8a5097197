//! Which payment provider a chaos run pays through, and what that means for a checkout: its mix
//! of kinds, the `regi checkout` arguments of each kind, and how a refused customer's checkout
//! ends. Pure; the sandbox, customer and ledger of each provider live in their own files.

use super::plan::{ELEPAY_MIX, KOMOJU_MIX, Kind, Mix, POKEPAY_MIX};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    Pokepay,
    Komoju,
    Elepay,
}

/// The wallet an elepay wallet QR is for (the EasyQR page is the other half of the mix).
pub const ELEPAY_WALLET: &str = "paypay";

impl Provider {
    /// As `regi sandbox --provider` and `regi checkout --provider` take it.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Pokepay => "pokepay",
            Provider::Komoju => "komoju",
            Provider::Elepay => "elepay",
        }
    }

    pub fn mix(self) -> Mix {
        match self {
            Provider::Pokepay => POKEPAY_MIX,
            Provider::Komoju => KOMOJU_MIX,
            Provider::Elepay => ELEPAY_MIX,
        }
    }

    /// The arguments after `regi checkout AMOUNT --json` for a checkout of `kind` of `amount`
    /// yen, with the customer's `code` for a code kind. Pokepay keeps the flags its first runs
    /// used. A split sale pays a third in cash first, then the rest by QR or code.
    pub fn checkout_args(self, kind: Kind, code: &str, amount: i64) -> Vec<String> {
        if kind.is_split() {
            let mut args: Vec<String> = match self {
                Provider::Pokepay => Vec::new(),
                other => vec!["--provider".into(), other.name().into()],
            };
            let rest = if kind.presents() {
                "qr".to_string()
            } else {
                format!("code:{code}")
            };
            args.extend([
                "--tender".into(),
                format!("cash:{}", (amount / 3).max(1)),
                "--tender".into(),
                rest,
            ]);
            return args;
        }
        let mut args = match self {
            Provider::Pokepay if kind.presents() => vec!["--cashtray"],
            Provider::Pokepay => vec!["--cpm", code],
            Provider::Komoju => vec!["--provider", "komoju", "--qr"],
            Provider::Elepay if kind.is_qr() => {
                vec!["--provider", "elepay", "--qr", "--wallet", ELEPAY_WALLET]
            }
            Provider::Elepay => vec!["--provider", "elepay", "--qr"],
        };
        if kind.is_topup() {
            args.push("--topup");
        }
        args.into_iter().map(str::to_string).collect()
    }

    /// Whether a customer's refused payment leaves the QR open, so the clerk has to cancel it
    /// (a KOMOJU session and an elepay charge or code stay pending; a Pokepay cashtray answers
    /// the refusal to the register).
    pub fn refusal_leaves_qr_open(self) -> bool {
        self != Provider::Pokepay
    }

    /// A paid checkout slow enough to be killed once its QR shows, to land a kill still owed.
    pub fn extra_kind(self) -> Kind {
        match self {
            Provider::Komoju => Kind::PagePay,
            Provider::Pokepay | Provider::Elepay => Kind::QrPay,
        }
    }

    /// The last checkout of a register, which nobody kills: its start-up settles what earlier
    /// kills left open and it ends definitely at once (a code payment, or a QR the clerk cancels
    /// as soon as it shows).
    pub fn settling_kind(self) -> Kind {
        match self {
            Provider::Pokepay => Kind::CpmPay,
            Provider::Komoju => Kind::PageCancel,
            Provider::Elepay => Kind::QrCancel,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pokepay_checkouts_keep_the_flags_of_the_first_runs() {
        let p = Provider::Pokepay;
        assert_eq!(p.checkout_args(Kind::QrPay, "", 500), ["--cashtray"]);
        assert_eq!(
            p.checkout_args(Kind::QrTopup, "", 500),
            ["--cashtray", "--topup"]
        );
        assert_eq!(
            p.checkout_args(Kind::CpmTopup, "123", 500),
            ["--cpm", "123", "--topup"]
        );
        assert!(!p.refusal_leaves_qr_open());
        assert_eq!(p.settling_kind(), Kind::CpmPay);
    }

    #[test]
    fn komoju_pays_on_its_page_and_elepay_on_a_wallet_qr_or_its_page() {
        assert_eq!(
            Provider::Komoju.checkout_args(Kind::PageRefused, "", 500),
            ["--provider", "komoju", "--qr"]
        );
        assert_eq!(
            Provider::Elepay.checkout_args(Kind::QrCancel, "", 500),
            ["--provider", "elepay", "--qr", "--wallet", "paypay"]
        );
        assert_eq!(
            Provider::Elepay.checkout_args(Kind::PagePay, "", 500),
            ["--provider", "elepay", "--qr"]
        );
    }

    #[test]
    fn a_split_sale_pays_a_third_in_cash_then_the_rest_by_qr_or_code() {
        assert_eq!(
            Provider::Pokepay.checkout_args(Kind::SplitCode, "123", 1_500),
            ["--tender", "cash:500", "--tender", "code:123"]
        );
        assert_eq!(
            Provider::Komoju.checkout_args(Kind::SplitQr, "", 1_000),
            [
                "--provider",
                "komoju",
                "--tender",
                "cash:333",
                "--tender",
                "qr"
            ]
        );
    }

    #[test]
    fn every_kind_a_provider_uses_is_in_its_mix_and_shows_a_qr_where_the_lane_needs_one() {
        for provider in [Provider::Pokepay, Provider::Komoju, Provider::Elepay] {
            let mix: Vec<Kind> = provider.mix().iter().map(|(k, _)| *k).collect();
            assert!(mix.contains(&provider.extra_kind()), "{provider:?}");
            assert!(mix.contains(&provider.settling_kind()), "{provider:?}");
            assert!(provider.extra_kind().presents());
        }
        for provider in [Provider::Komoju, Provider::Elepay] {
            assert!(provider.settling_kind().is_cancel());
            assert!(provider.refusal_leaves_qr_open());
        }
    }
}
