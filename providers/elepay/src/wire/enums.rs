//! elepay's enumerations with exactly the values its OpenAPI spec (SDK 1.2.0) lists. The official
//! SDKs reject any other value in a response, so the emulator can only ever send these; the client
//! reads an unlisted payment method or card brand as `Other` (elepay adds wallets over time) but an
//! unlisted status as unreadable, since guessing what a status means could misreport money.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a wire enum: its variants with their exact strings, `as_str`, `parse`, `ALL`, and
/// serde through those strings. With `open Other`, an unlisted string is kept instead of refused.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "`{text}` is not a {}", stringify!($name)
                    ))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Declares a listed enum that also keeps unlisted values (`Other`), for values elepay extends.
macro_rules! open_wire_enum {
    ($(#[$meta:meta])* $name:ident / $known:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        wire_enum!(
            /// The values the spec lists.
            $known { $($variant = $text),+ }
        );

        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            Known($known),
            /// A value the spec does not list (never sent by the emulator).
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self { $name::Known(k) => k.as_str(), $name::Other(s) => s }
            }

            pub fn parse(text: &str) -> Self {
                $known::parse(text).map($name::Known).unwrap_or_else(|| $name::Other(text.to_string()))
            }

            /// The listed value, when it is one.
            pub fn known(&self) -> Option<$known> {
                match self { $name::Known(k) => Some(*k), $name::Other(_) => None }
            }
        }

        impl From<$known> for $name {
            fn from(known: $known) -> Self {
                $name::Known(known)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok($name::parse(&String::deserialize(d)?))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// ChargeStatusType: where a charge is in its life.
    ChargeStatus {
        Pending = "pending",
        Uncaptured = "uncaptured",
        Captured = "captured",
        PartiallyRefunded = "partially_refunded",
        Refunded = "refunded",
        Revoked = "revoked",
    }
);

impl ChargeStatus {
    /// Whether money was taken or authorized: the order number counts as paid from here on.
    pub fn moved_money(self) -> bool {
        !matches!(self, ChargeStatus::Pending | ChargeStatus::Revoked)
    }
}

wire_enum!(
    /// ResourceType: where the payment happens. `mpm` is the shop showing the code.
    Resource {
        Web = "web",
        Ios = "ios",
        Android = "android",
        Liff = "liff",
        Mini = "mini",
        Cpm = "cpm",
        Mpm = "mpm",
        Reader = "reader",
    }
);

wire_enum!(
    /// CodeStatusType: an EasyQR code's state.
    CodeStatus {
        Pending = "pending",
        Captured = "captured",
        Closed = "closed",
    }
);

wire_enum!(
    /// RefundStatusType.
    RefundStatus {
        Pending = "pending",
        Refunded = "refunded",
    }
);

open_wire_enum!(
    /// PaymentMethodType: the wallet or card network of a charge.
    PaymentMethod / KnownPaymentMethod {
        Alipay = "alipay",
        Alipayhk = "alipayhk",
        Alipayplus = "alipayplus",
        Amazonpay = "amazonpay",
        Applepay = "applepay",
        ApplepayCn = "applepay_cn",
        Atone = "atone",
        Aupay = "aupay",
        Creditcard = "creditcard",
        Dana = "dana",
        Docomopay = "docomopay",
        Ezlink = "ezlink",
        FelicaId = "felica_id",
        FelicaQuickpay = "felica_quickpay",
        FelicaTransportIc = "felica_transport_ic",
        Gcash = "gcash",
        Ginkopay = "ginkopay",
        Googlepay = "googlepay",
        Jcoinpay = "jcoinpay",
        Jkopay = "jkopay",
        Kakaopay = "kakaopay",
        Linepay = "linepay",
        Merpay = "merpay",
        Origamipay = "origamipay",
        Paidy = "paidy",
        Paypal = "paypal",
        Paypay = "paypay",
        Rakutenpay = "rakutenpay",
        Tng = "tng",
        Truemoney = "truemoney",
        Unionpay = "unionpay",
        Wechatpay = "wechatpay",
        Auto = "auto",
    }
);

open_wire_enum!(
    /// CardBrandType.
    CardBrand / KnownCardBrand {
        Visa = "visa",
        Mastercard = "mastercard",
        Amex = "amex",
        Jcb = "jcb",
        Diners = "diners",
        Unionpay = "unionpay",
        Discover = "discover",
        Felica = "felica",
        Unknown = "unknown",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_use_the_spec_strings() {
        let text = serde_json::to_string(&ChargeStatus::PartiallyRefunded).unwrap();
        assert_eq!(text, "\"partially_refunded\"");
        assert!(serde_json::from_str::<ChargeStatus>("\"failed\"").is_err());
        assert_eq!(ChargeStatus::ALL.len(), 6);
    }

    #[test]
    fn an_unlisted_wallet_is_kept_rather_than_refused() {
        let m: PaymentMethod = serde_json::from_str("\"bankpay\"").unwrap();
        assert_eq!(m, PaymentMethod::Other("bankpay".into()));
        let paypay: PaymentMethod = serde_json::from_str("\"applepay_cn\"").unwrap();
        assert_eq!(paypay.known(), Some(KnownPaymentMethod::ApplepayCn));
        assert_eq!(serde_json::to_string(&paypay).unwrap(), "\"applepay_cn\"");
    }

    #[test]
    fn only_paid_and_held_charges_count_as_having_moved_money() {
        assert!(!ChargeStatus::Pending.moved_money());
        assert!(!ChargeStatus::Revoked.moved_money());
        assert!(ChargeStatus::Uncaptured.moved_money());
        assert!(ChargeStatus::Refunded.moved_money());
    }
}
