//! Fuzzing the scanner's input side: HID boot reports (any bytes, any transfer length) through
//! the keyboard decoder, and any text through the scan classifier. Never a panic.
//! `PROPTEST_CASES` sets the case count (default 256).

use proptest::prelude::*;
use regi_pokepay::CUSTOMER_CODE;
use regi_scanner::hid::{HidScanDecoder, KeyboardLayout, frame_boot_report};
use regi_scanner::{ReceiptCode, classify};

proptest! {
    #[test]
    fn any_transfers_decode_without_panic(
        transfers in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 0..64),
        jis in any::<bool>(),
        prefix in ".{0,3}",
        suffix in ".{0,3}",
    ) {
        let layout = if jis { KeyboardLayout::Jis } else { KeyboardLayout::Us };
        let mut decoder = HidScanDecoder::new(layout, &prefix, &suffix);
        for transfer in &transfers {
            if let Some(report) = frame_boot_report(transfer) {
                for code in decoder.feed(report) {
                    let _ = classify(&code, &[CUSTOMER_CODE]);
                }
            }
        }
        let _ = decoder.pending();
    }

    #[test]
    fn any_text_classifies(code in any::<String>()) {
        let _ = classify(&code, &[CUSTOMER_CODE]);
        let _ = ReceiptCode::parse(&code);
    }

    #[test]
    fn digit_strings_classify(code in "[0-9]{0,30}") {
        let _ = classify(&code, &[CUSTOMER_CODE]);
        let _ = ReceiptCode::parse(&code);
    }
}
