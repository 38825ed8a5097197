//! The staff port: signing in at the register against `[[staff]]` (a code and PIN, or a staff
//! card), and signing out; each journaled so every row written meanwhile is the member's.

use std::future::Future;

use chrono::{DateTime, Utc};

use regi_core::app::screens::sign_in::SignInRefused;
use regi_core::records::StaffOnDuty;
use regi_core::secret::Secret;

/// A sign-in checked, and when the try was journaled.
pub type SignInVerdict = (Result<StaffOnDuty, SignInRefused>, DateTime<Utc>);

pub trait StaffDesk: Send + Sync + 'static {
    /// Checks `code` and `pin` (slow on purpose: off the event loop) and journals the try; when
    /// right, the member is on duty from now on.
    fn sign_in(
        &self,
        code: String,
        pin: Secret<String>,
    ) -> impl Future<Output = SignInVerdict> + Send;

    /// Signs in the holder of a scanned staff card.
    fn sign_in_by_card(&self, card: String) -> impl Future<Output = SignInVerdict> + Send;

    /// Nobody is on duty any more.
    fn sign_out(&self) -> impl Future<Output = Result<(), String>> + Send;
}
