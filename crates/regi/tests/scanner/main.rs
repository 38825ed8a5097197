//! Scanner tests, one binary: HID sources, recorded scans replayed, properties and fuzzing.

mod fuzz_scanner;
mod scanner_props;
mod scanner_replay;
mod scanner_sources;
