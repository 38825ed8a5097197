//! The staff port over `[[staff]]` and the journal: a code and PIN (or a staff card) checked on a
//! blocking thread, every try journaled like a manager PIN's, and the member then on duty
//! stamped by the journal on everything written until they sign out.

use chrono::Utc;

use regi_config::StaffMember;
use regi_core::app::screens::sign_in::SignInRefused;
use regi_core::secret::Secret;
use regi_tui::runtime::ports::{SignInVerdict, StaffDesk};

use super::EngineServices;

/// How a sign-in try is journaled among the PIN tries (the lockout counts them together).
const SIGN_IN: &str = "sign_in";

impl StaffDesk for EngineServices {
    async fn sign_in(&self, code: String, pin: Secret<String>) -> SignInVerdict {
        let member = self.staff.find(&code).cloned();
        let correct = match member.clone() {
            Some(member) => {
                tokio::task::spawn_blocking(move || member.pin_hash.verify(pin.expose()))
                    .await
                    .unwrap_or(false)
            }
            None => false,
        };
        if !correct {
            tracing::warn!("a staff sign-in was refused");
        }
        let at = self.journal_try(correct).await;
        match member.filter(|_| correct) {
            Some(member) => (self.put_on_duty(&member).await, at),
            None => (Err(SignInRefused::WrongCodeOrPin), at),
        }
    }

    async fn sign_in_by_card(&self, card: String) -> SignInVerdict {
        let member = self.staff.by_card(&card).cloned();
        let at = self.journal_try(member.is_some()).await;
        match member {
            Some(member) => (self.put_on_duty(&member).await, at),
            None => (Err(SignInRefused::UnknownCard), at),
        }
    }

    async fn sign_out(&self) -> Result<(), String> {
        self.engine
            .journal()
            .call(|j| j.sign_out())
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!("staff signed out");
        Ok(())
    }
}

impl EngineServices {
    async fn journal_try(&self, correct: bool) -> chrono::DateTime<Utc> {
        let terminal = self.terminal_id();
        self.engine
            .journal()
            .call(move |j| j.record_pin_try(&terminal, SIGN_IN, correct))
            .await
            .unwrap_or_else(|e| {
                tracing::error!("could not journal a sign-in try: {e}");
                Utc::now()
            })
    }

    async fn put_on_duty(
        &self,
        member: &StaffMember,
    ) -> Result<regi_core::records::StaffOnDuty, SignInRefused> {
        let staff = member.on_duty();
        let journaled = staff.clone();
        self.engine
            .journal()
            .call(move |j| j.sign_in(&journaled))
            .await
            .map_err(|e| SignInRefused::Failed(e.to_string()))?;
        tracing::info!(staff = staff.code.as_str(), "staff signed in");
        Ok(staff)
    }
}
