//! Benchmarks, load and chaos runs for regi; see `regi::bench`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    regi::bench::run(regi::bench::BenchCli::parse())
}
