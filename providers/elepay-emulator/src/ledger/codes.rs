//! EasyQR codes: create (expiry in minutes, 3 to 30, 10 when left out) and close. A code is paid
//! through the customer side, which creates its charge.

use regi_elepay::wire::{CodeReq, CodeStatus};

use super::records::CodeRecord;
use super::{Ledger, validate};
use crate::errors::ApiError;

const DEFAULT_EXPIRY_MINUTES: i64 = 10;

impl Ledger {
    /// `POST /codes`.
    pub fn create_code(&mut self, req: CodeReq, now: i64) -> Result<&CodeRecord, ApiError> {
        validate::amount("amount", req.amount)?;
        validate::order_no(&req.order_no)?;
        validate::metadata(req.metadata.as_ref())?;
        let currency = validate::currency(req.currency.as_deref())?;
        let minutes = req.expiry_duration.unwrap_or(DEFAULT_EXPIRY_MINUTES);
        if !(3..=30).contains(&minutes) {
            return Err(ApiError::invalid(
                "expiryDuration must be between 3 and 30 minutes",
            ));
        }
        if let Some(url) = &req.front_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ApiError::invalid("frontUrl must be an http(s) URL"));
        }
        for item in req.items.iter().flatten() {
            if item.name.is_empty() || item.price < 0 || item.count < 1 {
                return Err(ApiError::invalid(
                    "items need a name, a price of 0 or more and a count of 1 or more",
                ));
            }
        }
        if self.order_paid(&req.order_no) {
            return Err(ApiError::order_already_paid(&req.order_no));
        }
        let id = self.new_id("cod");
        let record = CodeRecord {
            id: id.clone(),
            amount: req.amount,
            order_no: req.order_no,
            currency,
            description: req.description,
            extra: req.extra,
            metadata: req.metadata,
            front_url: req.front_url,
            items: req.items,
            status: CodeStatus::Pending,
            create_time: now,
            expiry_time: now.saturating_add(minutes * 60_000),
            charge_id: None,
        };
        Ok(self.codes.entry(id).or_insert(record))
    }

    /// `DELETE /codes/{codeId}`: closes a code nobody paid (an expired one too).
    pub fn close_code(&mut self, id: &str) -> Result<(), ApiError> {
        let code = self
            .codes
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("code", id))?;
        match code.status {
            CodeStatus::Pending => {
                code.status = CodeStatus::Closed;
                Ok(())
            }
            other => Err(ApiError::code_done(other.as_str())),
        }
    }
}
