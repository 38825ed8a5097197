//! What the customer paid with, as a receipt and the history name it: KOMOJU's `payment_details.type`
//! (`paypay`, `linepay`, …) is a code, the clerk and the customer know the brand.

/// The brand names of the payment types a register sees most (komoju-node-sdk `payment-type.ts`).
const NAMES: &[(&str, &str)] = &[
    ("paypay", "PayPay"),
    ("linepay", "LINE Pay"),
    ("merpay", "merpay"),
    ("rakutenpay", "楽天ペイ"),
    ("aupay", "au PAY"),
    ("docomo", "d払い"),
    ("alipay", "Alipay"),
    ("wechatpay", "WeChat Pay"),
    ("credit_card", "クレジットカード"),
    ("konbini", "コンビニ払い"),
    ("bank_transfer", "銀行振込"),
    ("pay_easy", "Pay-easy"),
];

/// The name of a payment type; a type regi does not know is shown as KOMOJU writes it.
pub fn display_name(payment_type: &str) -> String {
    NAMES
        .iter()
        .find(|(code, _)| *code == payment_type)
        .map_or_else(|| payment_type.to_string(), |(_, name)| name.to_string())
}

/// Whether `text` looks like a KOMOJU payment type: lowercase letters, digits and `_`.
pub fn is_payment_type(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_read_as_their_brand_and_others_as_written() {
        assert_eq!(display_name("paypay"), "PayPay");
        assert_eq!(display_name("linepay"), "LINE Pay");
        assert_eq!(display_name("newpay"), "newpay");
    }

    #[test]
    fn payment_types_are_lowercase_codes() {
        assert!(is_payment_type("credit_card"));
        assert!(!is_payment_type("PayPay"));
        assert!(!is_payment_type(""));
        assert!(!is_payment_type("pay pay"));
    }
}
