//! Typing on the HID boot keyboard gadget: one report per key press, one for the release.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::fd::AsFd;
use std::time::Duration;

use crate::poll;

const LEFT_SHIFT: u8 = 0x02;
const ENTER: u8 = 0x28;
/// How long the host may take to fetch one report before the test gives up.
const HOST_TIMEOUT: Duration = Duration::from_secs(20);

/// (modifiers, usage) of a character on a US keyboard; letters in upper case need Shift.
fn key(c: char) -> Option<(u8, u8)> {
    let offset = |base: char| (c as u32 - base as u32) as u8;
    Some(match c {
        'a'..='z' => (0, 0x04 + offset('a')),
        'A'..='Z' => (LEFT_SHIFT, 0x04 + offset('A')),
        '1'..='9' => (0, 0x1e + offset('1')),
        '0' => (0, 0x27),
        '-' => (0, 0x2d),
        _ => return None,
    })
}

/// The reports that type `code` and Enter.
fn reports(code: &str) -> Result<Vec<[u8; 8]>, String> {
    let mut out = Vec::new();
    let keys = code
        .chars()
        .map(|c| key(c).ok_or(format!("cannot type {c:?}")));
    for k in keys.chain(std::iter::once(Ok((0, ENTER)))) {
        let (modifiers, usage) = k?;
        out.push([modifiers, 0, usage, 0, 0, 0, 0, 0]);
        out.push([0; 8]);
    }
    Ok(out)
}

pub fn type_codes(device: &str, codes: &[&str]) -> Result<(), String> {
    let mut hid = OpenOptions::new()
        .write(true)
        .open(device)
        .map_err(|e| format!("open {device}: {e}"))?;
    for code in codes {
        for report in reports(code)? {
            // The gadget holds one report at a time: wait until the host has fetched the last one.
            let ready = poll::wait(&[(hid.as_fd(), libc::POLLOUT)], HOST_TIMEOUT)?;
            if !ready.first().copied().unwrap_or(false) {
                return Err(format!(
                    "the host did not read {device} for {HOST_TIMEOUT:?}"
                ));
            }
            hid.write_all(&report)
                .map_err(|e| format!("write {device}: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_are_shifted_and_every_press_is_released() {
        let typed = reports("aZ0").expect("typeable");
        assert_eq!(
            typed,
            vec![
                [0, 0, 0x04, 0, 0, 0, 0, 0],
                [0; 8],
                [LEFT_SHIFT, 0, 0x1d, 0, 0, 0, 0, 0],
                [0; 8],
                [0, 0, 0x27, 0, 0, 0, 0, 0],
                [0; 8],
                [0, 0, ENTER, 0, 0, 0, 0, 0],
                [0; 8],
            ]
        );
        assert!(reports("a b").is_err());
    }
}
