//! The ways to pay the payment screen offers, in the order the till configured them: a provider's
//! merchant QR (optionally one wallet within it), its hosted page, or a scanned customer code.
//! An empty list keeps the screen's two fixed choices (the first provider's QR and a code).

use crate::domain::PaymentMethod;

/// One way to pay, as the clerk picks it on the payment screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderOption {
    /// The provider that takes the payment, as the journal names it (e.g. `wallet`).
    pub provider: String,
    /// What the clerk reads on the screen, e.g. `PayPay (qrhub)`.
    pub label: String,
    /// How the customer meets the request: a QR of the merchant, a hosted page, or their own code.
    pub presentation: PaymentMethod,
    /// The wallet chosen within the provider (e.g. `paypay`); `None` lets the customer choose.
    pub wallet: Option<String>,
}

impl TenderOption {
    /// Whether the register shows a QR for it (a merchant QR or a hosted page) rather than
    /// scanning the customer's code.
    pub fn shows_qr(&self) -> bool {
        matches!(
            self.presentation,
            PaymentMethod::MerchantQr | PaymentMethod::HostedPage
        )
    }
}

/// The first option that shows a QR: what F1 starts.
pub fn first_qr(tenders: &[TenderOption]) -> Option<usize> {
    tenders.iter().position(TenderOption::shows_qr)
}

/// The first option that scans the customer's code: what F2 starts.
pub fn first_code(tenders: &[TenderOption]) -> Option<usize> {
    tenders
        .iter()
        .position(|t| t.presentation == PaymentMethod::CustomerCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(provider: &str, presentation: PaymentMethod) -> TenderOption {
        TenderOption {
            provider: provider.into(),
            label: provider.into(),
            presentation,
            wallet: None,
        }
    }

    #[test]
    fn f1_and_f2_find_the_first_qr_and_the_first_code_wherever_they_are_listed() {
        let tenders = [
            option("wallet", PaymentMethod::CustomerCode),
            option("pagepay", PaymentMethod::HostedPage),
            option("qrhub", PaymentMethod::MerchantQr),
        ];
        assert_eq!(first_qr(&tenders), Some(1));
        assert_eq!(first_code(&tenders), Some(0));
        assert_eq!(first_code(&tenders[1..]), None);
        assert_eq!(first_qr(&[]), None);
    }
}
