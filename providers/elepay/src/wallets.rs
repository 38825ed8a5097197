//! The names people know elepay's wallets by, for the receipt, the journal and the reports
//! (`PaidTransaction::money_name`). elepay's wire names (`paypay`, `docomopay`) are not what a
//! customer reads on a receipt; a wallet elepay adds later keeps its wire name until listed here.

use crate::wire::{KnownPaymentMethod, PaymentMethod};

/// The display name of a payment method, as its brand writes it.
pub fn display_name(method: &PaymentMethod) -> String {
    match method.known() {
        Some(known) => known_name(known).to_string(),
        None => method.as_str().to_string(),
    }
}

fn known_name(method: KnownPaymentMethod) -> &'static str {
    use KnownPaymentMethod as M;
    match method {
        M::Alipay => "Alipay",
        M::Alipayhk => "AlipayHK",
        M::Alipayplus => "Alipay+",
        M::Amazonpay => "Amazon Pay",
        M::Applepay => "Apple Pay",
        M::ApplepayCn => "Apple Pay (China)",
        M::Atone => "atone",
        M::Aupay => "au PAY",
        M::Creditcard => "クレジットカード",
        M::Dana => "DANA",
        M::Docomopay => "d払い",
        M::Ezlink => "EZ-Link",
        M::FelicaId => "iD",
        M::FelicaQuickpay => "QUICPay",
        M::FelicaTransportIc => "交通系IC",
        M::Gcash => "GCash",
        M::Ginkopay => "銀行Pay",
        M::Googlepay => "Google Pay",
        M::Jcoinpay => "J-Coin Pay",
        M::Jkopay => "JKOPAY",
        M::Kakaopay => "KakaoPay",
        M::Linepay => "LINE Pay",
        M::Merpay => "メルペイ",
        M::Origamipay => "Origami Pay",
        M::Paidy => "Paidy",
        M::Paypal => "PayPal",
        M::Paypay => "PayPay",
        M::Rakutenpay => "楽天ペイ",
        M::Tng => "Touch 'n Go eWallet",
        M::Truemoney => "TrueMoney",
        M::Unionpay => "銀聯 (UnionPay)",
        M::Wechatpay => "WeChat Pay",
        // Detected from the customer's code; the charge names the wallet once paid.
        M::Auto => "elepay",
    }
}

/// Reads a wallet as the clerk or the configuration names it: elepay's wire name, in any case.
/// `None` for a name elepay does not list, so a typo is caught before a charge is sent.
pub fn parse_wallet(name: &str) -> Option<PaymentMethod> {
    let wire = name.trim().to_ascii_lowercase();
    KnownPaymentMethod::parse(&wire).map(PaymentMethod::Known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_wallet_has_a_name_of_its_own() {
        let names: std::collections::HashSet<_> = KnownPaymentMethod::ALL
            .iter()
            .map(|m| known_name(*m))
            .collect();
        assert_eq!(names.len(), KnownPaymentMethod::ALL.len());
        assert_eq!(
            display_name(&KnownPaymentMethod::Paypay.into()),
            "PayPay".to_string()
        );
    }

    #[test]
    fn an_unlisted_wallet_keeps_its_wire_name() {
        assert_eq!(
            display_name(&PaymentMethod::Other("bankpay".into())),
            "bankpay"
        );
    }

    #[test]
    fn wallets_are_read_in_any_case_and_typos_are_refused() {
        assert_eq!(
            parse_wallet(" PayPay "),
            Some(KnownPaymentMethod::Paypay.into())
        );
        assert_eq!(parse_wallet("paypai"), None);
    }
}
