//! The diagnostics port: the checks the status screen shows (provider, printer, scanner).

use std::future::Future;

use regi_core::app::records::StatusReport;

pub trait Diagnostics: Send + Sync + 'static {
    fn status(&self) -> impl Future<Output = StatusReport> + Send;
}
