//! The id regi journals for an elepay QR request. A wallet QR is a charge and an EasyQR page is a
//! code, read and cancelled through different endpoints, so the id says which: `charge:<id>` or
//! `code:<id>`. The tag is regi's, never sent to elepay.

use std::fmt;

use regi_payment::GatewayError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrHandle {
    /// A charge with `resource: mpm`; its `codeContent` is the QR.
    Charge(String),
    /// An EasyQR code; its `codeUrl` is the QR.
    Code(String),
}

const CHARGE: &str = "charge:";
const CODE: &str = "code:";

impl QrHandle {
    /// Reads a journaled id; anything else was not made by this adapter.
    pub fn parse(text: &str) -> Result<QrHandle, GatewayError> {
        let handle = if let Some(id) = text.strip_prefix(CHARGE) {
            QrHandle::Charge(id.to_string())
        } else if let Some(id) = text.strip_prefix(CODE) {
            QrHandle::Code(id.to_string())
        } else {
            return Err(not_ours(text));
        };
        match &handle {
            QrHandle::Charge(id) | QrHandle::Code(id) if id.is_empty() => Err(not_ours(text)),
            _ => Ok(handle),
        }
    }
}

fn not_ours(text: &str) -> GatewayError {
    GatewayError::Fatal(format!(
        "`{text}` is not an elepay QR id (charge:… or code:…)"
    ))
}

impl fmt::Display for QrHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrHandle::Charge(id) => write!(f, "{CHARGE}{id}"),
            QrHandle::Code(id) => write!(f, "{CODE}{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_reads_back_as_it_was_written() {
        for handle in [
            QrHandle::Charge("cha_1".into()),
            QrHandle::Code("cod_2".into()),
        ] {
            assert_eq!(QrHandle::parse(&handle.to_string()).unwrap(), handle);
        }
    }

    #[test]
    fn an_untagged_or_empty_id_is_refused_as_not_ours() {
        for text in ["cha_1", "charge:", "code:", "", "tray:1"] {
            assert!(
                matches!(QrHandle::parse(text), Err(GatewayError::Fatal(_))),
                "{text}"
            );
        }
    }
}
