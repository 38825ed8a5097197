//! What the money commands run after a checkout share (`regi capture`, `release`, `refund`,
//! `tab`): the live engine on the journal, recovery of what earlier runs left in flight first,
//! the command's own step, then the journal written and closed; and an optional amount in yen.

use anyhow::Context;

use super::checkout::{close, live_engine, print_recovery};
use crate::setup::GlobalOptions;
use regi_config::Config;
use regi_core::domain::Yen;
use regi_engine::Engine;

/// Runs `step` on the live engine once earlier runs are settled (their recovery printed as
/// JSON events when `json`), then closes the journal whatever `step` returned.
pub(crate) async fn after_recovery<T>(
    options: &GlobalOptions,
    json: bool,
    step: impl AsyncFnOnce(&Engine, &Config) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let config = options.load_config()?;
    let (engine, writer) = live_engine(options, &config)?;
    let result = async {
        let report = engine.recover().await?;
        print_recovery(&report, json);
        step(&engine, &config).await
    }
    .await;
    close(engine, writer).await;
    result
}

/// An amount given on the command line (`--amount 1200`), if any.
pub(crate) fn yen_arg(text: Option<&str>) -> anyhow::Result<Option<Yen>> {
    text.map(|text| {
        text.parse()
            .with_context(|| format!("not an amount in yen: {text}"))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_is_whole_yen_and_anything_else_is_named() {
        assert_eq!(yen_arg(None).unwrap(), None);
        assert_eq!(yen_arg(Some("1200")).unwrap(), Some(Yen(1200)));
        let error = yen_arg(Some("12.5")).unwrap_err().to_string();
        assert!(error.contains("12.5"), "{error}");
    }
}
