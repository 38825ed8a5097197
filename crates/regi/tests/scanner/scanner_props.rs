//! Property tests: garbage never panics, and the decoder's and detector's invariants hold for any
//! input.

use regi_pokepay::CUSTOMER_CODE;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use regi_scanner::hid::KeyStroke;
use regi_scanner::hid::{HidScanDecoder, KeyboardLayout};
use regi_scanner::replay::{decode_reports, parse_trace};
use regi_scanner::wedge::{WedgeDetector, WedgeOutput};
use regi_scanner::{ReceiptCode, ScanKind, WedgeThresholds, classify};

fn layout() -> impl Strategy<Value = KeyboardLayout> {
    prop_oneof![Just(KeyboardLayout::Us), Just(KeyboardLayout::Jis)]
}

/// Reports biased towards real keys so that codes actually come out.
fn report() -> impl Strategy<Value = [u8; 8]> {
    let usage = prop_oneof![
        4 => Just(0u8),
        4 => 0x04u8..=0x38,
        1 => Just(0x28u8),
        1 => Just(0x2Bu8),
        1 => any::<u8>(),
    ];
    (
        prop_oneof![Just(0u8), Just(0x02), Just(0x20), any::<u8>()],
        proptest::array::uniform6(usage),
    )
        .prop_map(|(modifiers, keys)| {
            let mut r = [0u8; 8];
            r[0] = modifiers;
            r[2..].copy_from_slice(&keys);
            r
        })
}

fn decode(layout: KeyboardLayout, reports: &[[u8; 8]]) -> (Vec<String>, String) {
    let mut decoder = HidScanDecoder::new(layout, "", "");
    decode_reports(reports, &mut decoder)
}

proptest! {
    #[test]
    fn any_bytes_replay_without_panic(data in proptest::collection::vec(any::<u8>(), 0..2048), layout in layout()) {
        let trace = parse_trace(&data);
        let (codes, _) = decode(layout, &trace.reports);
        for code in codes {
            prop_assert!(!code.is_empty());
            prop_assert!(!code.contains(['\t', '\n', '\r']));
        }
    }

    #[test]
    fn any_capture_bytes_read_without_panic(
        magic in prop_oneof![
            Just([0xd4u8, 0xc3, 0xb2, 0xa1]),
            Just([0xa1u8, 0xb2, 0xc3, 0xd4]),
            Just([0x0au8, 0x0d, 0x0d, 0x0a]),
        ],
        rest in proptest::collection::vec(any::<u8>(), 0..1024),
    ) {
        let mut data = magic.to_vec();
        data.extend_from_slice(&rest);
        let _ = regi_scanner::pcap::reports_from_capture(&data);
    }

    #[test]
    fn any_text_replays_without_panic(text in "[0-9a-fA-Fx:,;#/ \\[\\]E=.\\n-]{0,600}") {
        let trace = parse_trace(text.as_bytes());
        let _ = decode(KeyboardLayout::Us, &trace.reports);
    }

    #[test]
    fn repeating_a_report_types_nothing_more(reports in proptest::collection::vec(report(), 0..200), layout in layout()) {
        let doubled: Vec<[u8; 8]> = reports.iter().flat_map(|r| [*r, *r]).collect();
        prop_assert_eq!(decode(layout, &reports), decode(layout, &doubled));
    }

    #[test]
    fn phantom_reports_change_nothing(
        reports in proptest::collection::vec(report(), 0..200),
        every in 1usize..5,
        modifiers in any::<u8>(),
    ) {
        let phantom = [modifiers, 0, 1, 1, 1, 1, 1, 1];
        let mut with_phantoms = Vec::new();
        for (i, r) in reports.iter().enumerate() {
            with_phantoms.push(*r);
            if i % every == 0 {
                with_phantoms.push(phantom);
            }
        }
        prop_assert_eq!(decode(KeyboardLayout::Jis, &reports), decode(KeyboardLayout::Jis, &with_phantoms));
    }

    #[test]
    fn classify_never_panics_and_is_consistent(code in "\\PC{0,40}") {
        match classify(&code, &[CUSTOMER_CODE]) {
            ScanKind::CustomerCode => prop_assert_eq!(code.len(), 22),
            ScanKind::Jan => prop_assert!(matches!(code.len(), 8 | 12 | 13) && code.bytes().all(|b| b.is_ascii_digit())),
            ScanKind::Receipt => prop_assert!(ReceiptCode::parse(&code).is_some()),
            ScanKind::Unknown => {}
        }
    }

    #[test]
    fn digit_strings_classify_by_length_and_check_digit(code in "[0-9]{1,30}") {
        let kind = classify(&code, &[CUSTOMER_CODE]);
        match code.len() {
            22 => prop_assert_eq!(kind, ScanKind::CustomerCode),
            8 | 12 | 13 => prop_assert!(matches!(kind, ScanKind::Jan | ScanKind::Unknown)),
            _ => prop_assert_eq!(kind, ScanKind::Unknown),
        }
    }

    #[test]
    fn one_wrong_digit_breaks_a_jan(code in "[0-9]{12}", position in 0usize..13, bump in 1u8..10) {
        let body = &code.as_bytes()[..12];
        let check = regi_core::domain::catalog::gs1_check_digit(body).expect("digits");
        let mut valid: Vec<u8> = body.to_vec();
        valid.push(b'0' + check);
        let valid = String::from_utf8(valid).expect("ascii");
        prop_assert_eq!(classify(&valid, &[CUSTOMER_CODE]), ScanKind::Jan);
        let mut broken = valid.clone().into_bytes();
        broken[position] = b'0' + (broken[position] - b'0' + bump) % 10;
        let broken = String::from_utf8(broken).expect("ascii");
        prop_assert_eq!(classify(&broken, &[CUSTOMER_CODE]), ScanKind::Unknown);
    }

    #[test]
    fn receipt_codes_round_trip(terminal in "[A-Za-z0-9]{1,16}", sale in 0u64..1_000_000_000_000) {
        let text = ReceiptCode::format(&terminal, sale);
        let parsed = ReceiptCode::parse(&text).expect("parses");
        prop_assert_eq!(parsed.terminal_id(), terminal.to_ascii_uppercase());
        prop_assert_eq!(parsed.sale_no(), sale);
        prop_assert_eq!(classify(&text, &[CUSTOMER_CODE]), ScanKind::Receipt);
    }

    #[test]
    fn wedge_loses_and_reorders_nothing(
        keys in proptest::collection::vec((prop_oneof![8 => any::<char>().prop_map(KeyStroke::Char), 1 => Just(KeyStroke::Enter), 1 => Just(KeyStroke::Tab)], 0u64..80), 0..120),
        min_chars in 1usize..10,
        max_gap_ms in 1u64..60,
    ) {
        let mut detector = WedgeDetector::new(WedgeThresholds { min_chars, max_gap_ms });
        let mut now = Instant::now();
        let mut outputs = Vec::new();
        for (key, gap) in &keys {
            now += Duration::from_millis(*gap);
            if *gap % 3 == 0 {
                outputs.extend(detector.tick(now));
            }
            outputs.extend(detector.key(*key, now));
        }
        outputs.extend(detector.flush());
        let terminator = '\u{1}';
        let fed: String = keys.iter().map(|(k, _)| match k {
            KeyStroke::Char(c) => *c,
            KeyStroke::Enter | KeyStroke::Tab => terminator,
        }).collect();
        let mut out = String::new();
        for o in &outputs {
            match o {
                WedgeOutput::Scan(code) => {
                    prop_assert!(code.chars().count() >= min_chars);
                    out.push_str(code);
                    out.push(terminator);
                }
                WedgeOutput::Typed(typed) => {
                    prop_assert!(!typed.is_empty());
                    out.extend(typed.iter().map(|k| match k {
                        KeyStroke::Char(c) => *c,
                        KeyStroke::Enter | KeyStroke::Tab => terminator,
                    }));
                }
            }
        }
        prop_assert_eq!(out, fed);
    }
}

#[test]
fn human_paced_keys_are_never_a_scan() {
    // 60 ms between keys is a very fast typist; nothing may be taken for a scan.
    let mut detector = WedgeDetector::new(WedgeThresholds::default());
    let start = Instant::now();
    for (i, c) in "4901234567894\n".chars().enumerate() {
        let at = start + Duration::from_millis(60 * i as u64);
        let key = if c == '\n' {
            KeyStroke::Enter
        } else {
            KeyStroke::Char(c)
        };
        let out = detector.tick(at).into_iter().chain(detector.key(key, at));
        for o in out {
            assert!(matches!(o, WedgeOutput::Typed(_)), "{o:?}");
        }
    }
}
