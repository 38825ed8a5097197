//! Benchmarks, load and chaos runs for regi; see `regi::bench`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    regi_bench::run(regi_bench::BenchCli::parse())
}
