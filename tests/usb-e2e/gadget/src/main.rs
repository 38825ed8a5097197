//! Device side of regi's USB end-to-end test, run inside the guest next to regi.
//!
//! `type DEVICE CODE...` types each code, then Enter, on the HID keyboard gadget (`/dev/hidg0`).
//! `printer DEVICE STATUS EXPECTED` plays an ESC/POS printer on the printer gadget
//! (`/dev/g_printer0`): it answers `DLE EOT n` with STATUS (`online` or `paper-out`) and collects
//! everything else; when its stdin reaches end of file (the host program has exited) it compares
//! what arrived with the file EXPECTED (`-`: nothing may arrive). Exit status 0 means as expected.

mod keyboard;
mod poll;
mod printer;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["type", device, codes @ ..] if !codes.is_empty() => keyboard::type_codes(device, codes),
        ["printer", device, status, expected] => printer::serve(device, status, expected),
        _ => Err("usage: type DEVICE CODE... | printer DEVICE online|paper-out EXPECTED|-".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gadget: {message}");
            ExitCode::FAILURE
        }
    }
}
