//! What a Pokepay customer code (CPM token) looks like, so the register can tell it from a product
//! code before any request: the Partner API fixes 22 characters; real tokens are digits, but only
//! the length is promised, so letters are accepted too.

use regi_core::scan::{CodeAlphabet, CustomerCodeFormat};

/// Pokepay's CPM token as scanned from the customer's app.
pub const CUSTOMER_CODE: CustomerCodeFormat = CustomerCodeFormat {
    provider: crate::name::PROVIDER,
    length: 22,
    alphabet: CodeAlphabet::Alphanumeric,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cpm_token_is_twenty_two_letters_or_digits() {
        assert!(CUSTOMER_CODE.matches("1234567890123456789012"));
        assert!(CUSTOMER_CODE.matches("aB3dE5gH7jK9mN1pQ3sT5v"));
        assert!(!CUSTOMER_CODE.matches("123456789012345678901"));
        assert!(!CUSTOMER_CODE.matches("1234567890-23456789012"));
    }
}
