//! The Partner API envelope: AES-256-CBC over `16 throw-away bytes ‖ UTF-8 JSON`, PKCS#7 padded,
//! base64url without padding. The IV is never sent: the first ciphertext block acts as the IV of
//! the rest, so the receiver decrypts blocks 1.. with block 0 as IV.

use aes::Aes256;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use rand::RngCore;

use regi_core::secret::Secret;

type Enc = cbc::Encryptor<Aes256>;
type Dec = cbc::Decryptor<Aes256>;

const BLOCK: usize = 16;

/// Why an envelope could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("the client secret is not base64url of 32 bytes")]
    BadSecret,
    #[error("the data is not base64url")]
    NotBase64,
    #[error("the data is not a whole number of AES blocks")]
    BadLength,
    #[error("the data does not decrypt with this key")]
    BadPadding,
    #[error("the decrypted data is not UTF-8")]
    NotUtf8,
}

/// An AES-256 key derived from a Pokepay `CLIENT_SECRET`.
#[derive(Clone)]
pub struct EnvelopeKey(Secret<[u8; 32]>);

impl std::fmt::Debug for EnvelopeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnvelopeKey(<redacted>)")
    }
}

impl EnvelopeKey {
    /// Parses a client secret: base64url (padded or not) of exactly 32 bytes.
    pub fn from_client_secret(secret: &str) -> Result<Self, CodecError> {
        let bytes = decode_base64url(secret.trim()).map_err(|_| CodecError::BadSecret)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CodecError::BadSecret)?;
        Ok(Self(Secret::new(key)))
    }

    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self(Secret::new(key))
    }

    /// Encrypts `plaintext` with a random IV and the ASCII-'0' prefix most SDKs use.
    pub fn seal(&self, plaintext: &str) -> String {
        let mut iv = [0u8; BLOCK];
        rand::rng().fill_bytes(&mut iv);
        self.seal_with(plaintext, &iv, &[b'0'; BLOCK])
    }

    /// Encrypts with a given IV and prefix; only tests and vectors need to fix them.
    pub fn seal_with(&self, plaintext: &str, iv: &[u8; BLOCK], prefix: &[u8; BLOCK]) -> String {
        let mut buf = Vec::with_capacity(BLOCK + plaintext.len());
        buf.extend_from_slice(prefix);
        buf.extend_from_slice(plaintext.as_bytes());
        let ct = Enc::new(self.0.expose().into(), iv.into()).encrypt_padded_vec::<Pkcs7>(&buf);
        URL_SAFE_NO_PAD.encode(ct)
    }

    /// Decrypts an envelope produced by any SDK (padded or unpadded base64url, any prefix).
    pub fn open(&self, data: &str) -> Result<String, CodecError> {
        let ct = decode_base64url(data.trim()).map_err(|_| CodecError::NotBase64)?;
        if ct.len() < 2 * BLOCK || ct.len() % BLOCK != 0 {
            return Err(CodecError::BadLength);
        }
        let (iv, rest) = ct.split_at(BLOCK);
        let iv: &[u8; BLOCK] = iv.try_into().expect("split at block size");
        let plain = Dec::new(self.0.expose().into(), iv.into())
            .decrypt_padded_vec::<Pkcs7>(rest)
            .map_err(|_| CodecError::BadPadding)?;
        String::from_utf8(plain).map_err(|_| CodecError::NotUtf8)
    }
}

/// Decodes base64url with or without `=` padding (JAVA keeps it, the others strip it).
pub fn decode_base64url(s: &str) -> Result<Vec<u8>, base64::DecodeError> {
    if s.ends_with('=') {
        URL_SAFE.decode(s)
    } else {
        URL_SAFE_NO_PAD.decode(s)
    }
}

/// Encodes bytes as unpadded base64url, the form client secrets are issued in.
pub fn encode_base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    const IV: [u8; 16] = [
        0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae,
        0xaf,
    ];
    const V1_PLAIN: &str = r#"{"request_data":{"message":"hello"},"timestamp":"2024-01-01T12:00:00+09:00","partner_call_id":"00000000-0000-4000-8000-000000000000"}"#;
    const V1: &str = "-6mHWU6ND0cUBWtnSHfrOQrKsBm5vmAi-l5Rnxt7wONA_hi5eUJcO62ux5n7rY4yl0XGgweHBYTJbNQrNkeEdO1OCcXR6ADkRpt4RsOcGWuF7fKxmxHFbKHFpYYLFXw8jVUjBgkO0w61so12rpNhgTkhfTjBGWFJQqRhYQ3WyJAISm_-OdWE_cEN8FKQ-iKqWnG68g5_CReqD-8yHKE5eg";
    const V2_PLAIN: &str = r#"{"status":"ok","message":"hello"}"#;
    const V2: &str =
        "-6mHWU6ND0cUBWtnSHfrOfZcsZrlc2YaFTjJLxekylWVlt_XuvLejqZOVKXoLEtrsYHWNpmhT0oiCdV--HZgLA";
    const V3: &str =
        "3J8B_Xa4fA0PS-iFCwvs4MOpQtpKsGpO_DIY3_x-BucofZj5kbAWa-RhULUTYm3IdQ6xRtVUwvwETemmrnCt_A==";
    const V4_PLAIN: &str = r#"{"request_data":[],"timestamp":"2024-01-01T12:00:00+09:00","partner_call_id":"44444444-4444-4444-8444-444444444444"}"#;
    const V4: &str = "-6mHWU6ND0cUBWtnSHfrOQrKsBm5vmAi-l5Rnxt7wOPX0Rj1G8jekqyhskLFxxQxRxV7AMc3Ddg0MGHSf406fwFRPK6GPyEZFCHtW4-PvGAMuUWhKSjoskS8cSgnhqADDe4vKJAaimcuKiEruND3xVufAaU6GkFxKfW_t-95NOjGs4w_f7SPLwv9i1_OSRen";

    fn key() -> EnvelopeKey {
        EnvelopeKey::from_client_secret(SECRET).unwrap()
    }

    #[test]
    fn vector_1_request_seals_exactly() {
        assert_eq!(key().seal_with(V1_PLAIN, &IV, &[b'0'; 16]), V1);
        assert_eq!(key().open(V1).unwrap(), V1_PLAIN);
    }

    #[test]
    fn vector_2_response_seals_exactly() {
        assert_eq!(key().seal_with(V2_PLAIN, &IV, &[b'0'; 16]), V2);
        assert_eq!(key().open(V2).unwrap(), V2_PLAIN);
    }

    #[test]
    fn vector_3_java_style_padded_opens() {
        assert_eq!(key().open(V3).unwrap(), V2_PLAIN);
    }

    #[test]
    fn vector_4_php_empty_params_seals_exactly() {
        assert_eq!(key().seal_with(V4_PLAIN, &IV, &[b'0'; 16]), V4);
        assert_eq!(key().open(V4).unwrap(), V4_PLAIN);
    }

    #[test]
    fn random_iv_round_trips_and_differs() {
        let a = key().seal("こんにちは");
        let b = key().seal("こんにちは");
        assert_ne!(a, b);
        assert_eq!(key().open(&a).unwrap(), "こんにちは");
        assert_eq!(key().open(&b).unwrap(), "こんにちは");
    }

    #[test]
    fn wrong_key_is_rejected_cleanly() {
        let other = EnvelopeKey::from_bytes([7; 32]);
        // A wrong key almost always breaks the padding; when by chance it does not, the text is
        // still not the original.
        match other.open(V2) {
            Err(_) => {}
            Ok(text) => assert_ne!(text, V2_PLAIN),
        }
    }

    #[test]
    fn tampered_and_malformed_data_are_errors() {
        assert_eq!(key().open("not base64!"), Err(CodecError::NotBase64));
        assert_eq!(key().open("AAAA"), Err(CodecError::BadLength));
        let mut bytes = decode_base64url(V2).unwrap();
        bytes.truncate(40);
        assert_eq!(
            key().open(&encode_base64url(&bytes)),
            Err(CodecError::BadLength)
        );
        let mut bytes = decode_base64url(V2).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        assert!(key().open(&encode_base64url(&bytes)).is_err());
    }

    #[test]
    fn secrets_must_be_32_bytes() {
        assert_eq!(
            EnvelopeKey::from_client_secret("abc").unwrap_err(),
            CodecError::BadSecret
        );
        assert!(EnvelopeKey::from_client_secret(&format!("{SECRET}=")).is_ok());
        assert!(format!("{:?}", key()).contains("redacted"));
    }
}
