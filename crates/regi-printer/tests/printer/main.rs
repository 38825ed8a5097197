//! Printer tests, one binary: ESC/POS receipts, Shift_JIS text, the network printer and the
//! decoder under fuzzing.

mod fuzz_printer;
mod printer_receipt;
mod printer_shift_jis;
mod printer_tcp;
