//! What every provider's `client` run shares: the samples, and the interleaved timing loop run as
//! a task on a two-worker runtime, the way regi's engine calls its clients.

use std::time::Duration;

use anyhow::{Context, bail};

/// Latencies of each kind of call in one run.
#[derive(Debug, Default)]
pub struct Samples {
    pub regi: Vec<Duration>,
    pub floor: Vec<Duration>,
    pub raw_floor: Vec<Duration>,
    /// The same call made by hand on a plain client (Pokepay only).
    pub bare: Vec<Duration>,
    /// Wall time spent in regi's calls, for calls per second.
    pub regi_busy: Duration,
    pub errors: usize,
}

impl Samples {
    /// A few failures are reported; many mean the API is not there at all.
    pub fn check_errors(&self) -> anyhow::Result<()> {
        if self.errors > 10 + self.regi.len() / 100 {
            bail!(
                "too many failed calls ({}); is the API reachable?",
                self.errors
            );
        }
        Ok(())
    }
}

/// One round of timing: `n` calls of every kind, one kind after the other.
pub trait Round: Send + 'static {
    fn round(
        &mut self,
        n: usize,
        samples: &mut Samples,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// The runtime regi's engine runs on.
pub fn engine_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Warms every kind up, then times rounds of `batch` until `calls` of regi's calls are timed.
pub fn time_rounds<B: Round>(
    runtime: &tokio::runtime::Runtime,
    mut bench: B,
    calls: usize,
    batch: usize,
) -> anyhow::Result<(B, Samples)> {
    if calls == 0 || batch == 0 {
        bail!("--calls and --batch must be at least 1");
    }
    let timed = async move {
        // Warm every connection and code path before timing anything.
        bench.round(50, &mut Samples::default()).await?;
        let mut samples = Samples::default();
        while samples.regi.len() < calls {
            let n = batch.min(calls - samples.regi.len());
            bench.round(n, &mut samples).await?;
        }
        anyhow::Ok((bench, samples))
    };
    // Timed as a task on the runtime's workers, the way regi's engine calls its client.
    runtime
        .block_on(runtime.spawn(timed))
        .context("the timing task failed")?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_failures_stop_the_run_and_a_few_do_not() {
        let mut samples = Samples {
            errors: 10,
            ..Samples::default()
        };
        assert!(samples.check_errors().is_ok());
        samples.errors = 11;
        assert!(samples.check_errors().is_err());
    }

    #[test]
    fn zero_calls_or_batch_is_refused_before_anything_runs() {
        struct Never;
        impl Round for Never {
            async fn round(&mut self, _: usize, _: &mut Samples) -> anyhow::Result<()> {
                unreachable!("no round runs")
            }
        }
        let runtime = engine_runtime().unwrap();
        assert!(time_rounds(&runtime, Never, 0, 1).is_err());
        assert!(time_rounds(&runtime, Never, 1, 0).is_err());
    }
}
