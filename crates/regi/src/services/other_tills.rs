//! Returns at any till (store mode): another till's receipt looked up in the store's database
//! and its sale copied into this journal, so it is refunded here by the same engine as a sale of
//! this till; and before any refund, a look in the store for a return of the same sale already
//! made at another till. The store being down never stops a return of this till's own sale
//! (its journal and the provider keep it right); another till's receipt then needs that till.

use std::time::Duration;

use deadpool_postgres::Pool;

use regi_config::{Config, Lang};
use regi_tui::ui::strings::LangStrings as _;

use super::store_target;
use regi_core::app::records::ReceiptLookupError;
use regi_core::domain::FailReason;
use regi_core::payment::Refusal;
use regi_journal::JournalHandle;
use regi_receipts::ReceiptError;
use regi_scanner::ReceiptCode;
use regi_store::StoreError;
use regi_store::returns::{ReceiptInStore, receipt_in_store, returned_elsewhere};

/// How long a look in the store may keep the clerk waiting.
const STORE_ANSWER: Duration = Duration::from_secs(5);

/// The sale a receipt code stands for in `journal` (this till, `terminal_id`): one of this till
/// looked up here; one of another till, in store mode (`other_tills`), copied here from the
/// store's database to be returned here. Used by the till's scan and by `regi refund`.
pub async fn sale_of_receipt(
    journal: &JournalHandle,
    terminal_id: String,
    other_tills: Option<&OtherTills>,
    code: String,
) -> Result<i64, ReceiptLookupError> {
    let found = journal
        .call(move |j| Ok(regi_receipts::find_sale_by_code(j, &terminal_id, &code)))
        .await
        .map_err(|e| ReceiptLookupError::Failed(e.to_string()))?;
    match found {
        Ok(id) => Ok(id),
        Err(ReceiptError::OtherTerminal {
            code,
            code_terminal,
            ..
        }) => match (other_tills, ReceiptCode::parse(&code)) {
            (Some(other_tills), Some(parsed)) => {
                other_tills
                    .copy_for_return(journal, &code_terminal, parsed.sale_no())
                    .await
            }
            _ => Err(ReceiptLookupError::OtherTerminal {
                terminal: code_terminal,
            }),
        },
        Err(ReceiptError::UnknownReceipt(receipt_no)) => {
            Err(ReceiptLookupError::Unknown { receipt_no })
        }
        Err(other) => Err(ReceiptLookupError::Failed(other.to_string())),
    }
}

/// The store as the returns of this till see it.
#[derive(Clone)]
pub struct OtherTills {
    pool: Pool,
    store_id: String,
    /// This till's `[terminal] id`.
    here: String,
}

impl OtherTills {
    /// The store of `config`; none without `[store] database_url`, in training, or when the
    /// store cannot be set up (said in the log; the till sells on).
    pub fn for_config(config: &Config, training: bool) -> Option<OtherTills> {
        if training || config.store.database_url.is_none() {
            return None;
        }
        // What is missing goes to the log only: in English.
        let built = store_target(config, Lang::En.strings()).and_then(|(target, store_id)| {
            Ok(OtherTills {
                pool: target.pool(1)?,
                store_id,
                here: config.terminal.id.clone(),
            })
        });
        match built {
            Ok(tills) => Some(tills),
            Err(error) => {
                tracing::error!("returns at other tills are off: {error:#}");
                None
            }
        }
    }

    /// The sale of till `terminal`'s receipt `receipt_no`, copied into `journal` (once) to be
    /// returned here; its id in this journal.
    pub async fn copy_for_return(
        &self,
        journal: &JournalHandle,
        terminal: &str,
        receipt_no: u64,
    ) -> Result<i64, ReceiptLookupError> {
        let unreachable = |why: String| {
            tracing::warn!(
                terminal,
                receipt_no,
                "the store did not answer a receipt look-up: {why}"
            );
            ReceiptLookupError::StoreUnreachable {
                terminal: terminal.to_string(),
            }
        };
        let number = i64::try_from(receipt_no).map_err(|_| ReceiptLookupError::NotInStore {
            terminal: terminal.to_string(),
            receipt_no,
        })?;
        let found = tokio::time::timeout(STORE_ANSWER, async {
            let client = self.pool.get().await.map_err(StoreError::from)?;
            receipt_in_store(&client, &self.store_id, terminal, number, &self.here).await
        })
        .await
        .map_err(|_| unreachable(format!("no answer in {} s", STORE_ANSWER.as_secs())))?
        .map_err(|e| unreachable(e.to_string()))?;
        let shipped = match found {
            ReceiptInStore::Found(shipped) => shipped,
            ReceiptInStore::ReturnedAt(at) => {
                return Err(ReceiptLookupError::ReturnedAt {
                    terminal: terminal.to_string(),
                    at,
                });
            }
            ReceiptInStore::NotOurTill | ReceiptInStore::NotShipped => {
                return Err(ReceiptLookupError::NotInStore {
                    terminal: terminal.to_string(),
                    receipt_no,
                });
            }
        };
        let terminal_id = shipped.terminal_id.clone();
        let copied = journal
            .call(move |j| j.copy_other_tills_sale(&terminal_id, &shipped.snapshot))
            .await;
        if let Ok(id) = &copied {
            tracing::info!(
                terminal,
                receipt_no,
                copy = id,
                "another till's sale copied to return it here"
            );
        }
        copied.map_err(|e| ReceiptLookupError::Failed(e.to_string()))
    }

    /// A refusal when sale `sale_id` of this journal (this till's own, or a copy of another
    /// till's) was already given back at another till, as far as the store knows. When the
    /// store does not answer the refund goes on: the provider refuses a second refund of a
    /// payment, and the log says the store was not asked.
    pub async fn returned_elsewhere(
        &self,
        journal: &JournalHandle,
        sale_id: i64,
    ) -> Option<Refusal> {
        let here = self.here.clone();
        let origin = journal
            .call(move |j| j.sale(sale_id))
            .await
            .ok()?
            .sale
            .origin
            .map_or((here, sale_id), |o| (o.terminal_id, o.sale_id));
        let asked = tokio::time::timeout(STORE_ANSWER, async {
            let client = self.pool.get().await.map_err(StoreError::from)?;
            returned_elsewhere(&client, &origin.0, origin.1, &self.here).await
        })
        .await;
        let at = match asked {
            Ok(Ok(at)) => at?,
            Ok(Err(error)) => {
                tracing::warn!(
                    sale_id,
                    "the store was not asked about other returns: {error}"
                );
                return None;
            }
            Err(_) => {
                tracing::warn!(
                    sale_id,
                    "the store was not asked about other returns: no answer"
                );
                return None;
            }
        };
        Some(Refusal {
            reason: FailReason::AlreadyRefunded,
            error_type: "returned_at_another_till".into(),
            message_ja: format!("この会計はレジ {at} で返品・返金済みです"),
            message_en: format!("This sale was already given back at till {at}"),
        })
    }
}
