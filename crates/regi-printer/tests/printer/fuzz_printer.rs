//! Fuzzing the ESC/POS decoder: any byte stream decodes or is refused, never a panic, and what it
//! decodes renders. `PROPTEST_CASES` sets the case count (default 256).

use proptest::prelude::*;
use regi_printer::decode;

/// Bytes biased towards command prefixes and their parameters, so commands get parsed deeply.
fn escpos_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => any::<u8>(),
        2 => Just(0x1Bu8),
        2 => Just(0x1Du8),
        1 => Just(0x1Cu8),
        1 => Just(0x10u8),
        1 => Just(0x0Au8),
        1 => proptest::sample::select(&b"@!-EGRatdJapVvkLkxy(&C.Q0123"[..]),
        1 => 0x81u8..=0x9F,
        1 => 0x20u8..0x7F,
    ];
    proptest::collection::vec(byte, 0..1024)
}

fn check(bytes: &[u8]) {
    if let Ok(decoded) = decode(bytes) {
        let _ = decoded.to_text(48);
        let _ = decoded.text();
        let _ = decoded.qr_payloads();
        let _ = decoded.widest_line();
    }
}

proptest! {
    #[test]
    fn any_bytes_decode_or_err(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn command_heavy_bytes_decode_or_err(bytes in escpos_bytes()) {
        check(&bytes);
    }

    #[test]
    fn raster_and_qr_headers_with_any_sizes(
        kind in 0u8..3,
        params in proptest::collection::vec(any::<u8>(), 0..12),
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = match kind {
            0 => vec![0x1D, b'v', b'0'],
            1 => vec![0x1D, b'(', b'k'],
            _ => vec![0x1B, b'*'],
        };
        bytes.extend(params);
        bytes.extend(tail);
        check(&bytes);
    }
}
