//! Fuzzing the envelope codec: whatever arrives as `data` or `response_data`, opening it never
//! panics, and whatever is sealed opens to itself. `PROPTEST_CASES` sets the case count
//! (default 256, for CI; BENCHMARKS.md records a longer run).

use proptest::prelude::*;
use regi_pokepay::codec::{EnvelopeKey, decode_base64url, encode_base64url};

fn key() -> EnvelopeKey {
    EnvelopeKey::from_client_secret("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").unwrap()
}

/// Text from the base64url alphabet (and a few strays), so most inputs reach the cipher.
fn base64ish() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9_=+/-]{0,400}").unwrap()
}

proptest! {
    #[test]
    fn any_string_opens_or_errs(data in any::<String>()) {
        let _ = key().open(&data);
    }

    #[test]
    fn base64_text_opens_or_errs(data in base64ish()) {
        let _ = key().open(&data);
        let _ = decode_base64url(&data);
    }

    #[test]
    fn any_ciphertext_bytes_open_or_err(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        // Whole blocks get past the length check into padding and UTF-8 checks.
        let _ = key().open(&encode_base64url(&bytes));
        let whole = &bytes[..bytes.len() / 16 * 16];
        let _ = key().open(&encode_base64url(whole));
    }

    #[test]
    fn sealed_text_opens_to_itself(text in any::<String>()) {
        let k = key();
        prop_assert_eq!(k.open(&k.seal(&text)).unwrap(), text);
    }

    #[test]
    fn a_flipped_byte_never_panics(text in ".{0,200}", at in any::<usize>(), bit in 0u8..8) {
        let k = key();
        let mut bytes = decode_base64url(&k.seal(&text)).unwrap();
        let i = at % bytes.len();
        bytes[i] ^= 1 << bit;
        let _ = k.open(&encode_base64url(&bytes));
    }

    #[test]
    fn any_client_secret_is_accepted_or_refused(secret in any::<String>()) {
        let _ = EnvelopeKey::from_client_secret(&secret);
    }
}
