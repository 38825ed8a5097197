//! Sending one operation and sorting its answer: success, a definite refusal, a configuration
//! problem, or an unknown outcome. Reads are repeated when they get no answer or a 5xx; any
//! request is repeated when elepay says it is busy (that answer means it did nothing); writes
//! are never repeated after a lost answer, since elepay would act twice.

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};

use super::ElepayClient;
use crate::endpoints::{Answer, Call, Method, Operation, Retry};
use crate::error::{ElepayError, Refusal, RefusalKind, is_in_progress, is_key_error};
use crate::wire::{ErrorBody, JSON_CONTENT_TYPE};

/// What one attempt came to, before the retry rules are applied.
enum Attempt<T> {
    Done(Result<T, ElepayError>),
    /// No answer or a 5xx: repeat if the operation allows it.
    Lost(String),
    /// elepay is busy: repeat after a pause whatever the operation.
    Busy {
        refusal: Refusal,
        in_progress: bool,
    },
}

impl ElepayClient {
    /// Sends `C` with its path parameters, query and body, applying the retry rules.
    pub(crate) async fn send<C: Call>(
        &self,
        params: &[&str],
        query: Option<&C::Query>,
        body: Option<&C::Body>,
    ) -> Result<C::Answer, ElepayError> {
        let operation = C::OPERATION;
        let endpoint = operation.endpoint();
        if params.len() != endpoint.parameter_count() || params.iter().any(|p| p.is_empty()) {
            return Err(ElepayError::Config {
                operation: Some(operation),
                status: None,
                reason: "an id is missing".into(),
            });
        }
        let body = match body.map(serde_json::to_vec).transpose() {
            Ok(body) => body,
            Err(e) => {
                return Err(ElepayError::Config {
                    operation: Some(operation),
                    status: None,
                    reason: format!("cannot write the request: {e}"),
                });
            }
        };
        let mut lost_attempts = 0;
        let mut busy_attempts = 0;
        loop {
            match self.attempt::<C>(params, query, body.as_deref()).await {
                Attempt::Done(result) => return result,
                Attempt::Lost(reason) => {
                    lost_attempts += 1;
                    let repeatable = endpoint.retry == Retry::Repeatable;
                    if !repeatable || lost_attempts >= self.config.read_attempts.max(1) {
                        return Err(ElepayError::Unknown { operation, reason });
                    }
                }
                Attempt::Busy {
                    refusal,
                    in_progress,
                } => {
                    busy_attempts += 1;
                    if busy_attempts > self.config.busy_retries {
                        return Err(if in_progress {
                            ElepayError::Unknown {
                                operation,
                                reason: format!(
                                    "elepay still reports another operation in progress ({})",
                                    refusal.code
                                ),
                            }
                        } else {
                            ElepayError::Refused(refusal)
                        });
                    }
                    tokio::time::sleep(self.config.busy_pause * busy_attempts).await;
                }
            }
        }
    }

    async fn attempt<C: Call>(
        &self,
        params: &[&str],
        query: Option<&C::Query>,
        body: Option<&[u8]>,
    ) -> Attempt<C::Answer> {
        let operation = C::OPERATION;
        let endpoint = operation.endpoint();
        let mut url = self.base.clone();
        url.set_path(&format!(
            "{}{}",
            self.base.path().trim_end_matches('/'),
            endpoint.path(params)
        ));
        let method = match endpoint.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut authorization =
            match HeaderValue::from_str(&self.config.secret_key.authorization(self.config.auth)) {
                Ok(value) => value,
                Err(_) => {
                    return Attempt::Done(Err(ElepayError::Config {
                        operation: Some(operation),
                        status: None,
                        reason: "the secret key holds characters a header cannot carry".into(),
                    }));
                }
            };
        authorization.set_sensitive(true);
        let mut request = self
            .http
            .request(method, url)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, JSON_CONTENT_TYPE);
        if let Some(query) = query {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, JSON_CONTENT_TYPE)
                .body(body.to_vec());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return Attempt::Lost(describe(&e)),
        };
        let status = response.status().as_u16();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => return Attempt::Lost(format!("the answer broke off: {}", describe(&e))),
        };
        if (200..300).contains(&status) {
            return match C::Answer::from_body(&bytes) {
                Ok(answer) => Attempt::Done(Ok(answer)),
                Err(e) => Attempt::Lost(format!("unreadable HTTP {status} answer: {e}")),
            };
        }
        if status >= 500 {
            return Attempt::Lost(format!("HTTP {status}"));
        }
        classify_error(operation, status, &bytes)
    }
}

fn classify_error<T>(operation: Operation, status: u16, bytes: &[u8]) -> Attempt<T> {
    let body: ErrorBody = serde_json::from_slice(bytes).unwrap_or_default();
    if is_key_error(&body.code, status) {
        return Attempt::Done(Err(ElepayError::Config {
            operation: Some(operation),
            status: Some(status),
            reason: format!(
                "elepay refused the secret key (HTTP {status} {}): check [elepay] secret_key",
                body.code
            ),
        }));
    }
    let kind = RefusalKind::classify(&body.code, status);
    let refusal = Refusal {
        operation,
        status,
        code: body.code,
        message: body.message,
        kind,
    };
    let in_progress = is_in_progress(&refusal.code, status);
    if in_progress || kind == RefusalKind::RateLimited {
        return Attempt::Busy {
            refusal,
            in_progress,
        };
    }
    Attempt::Done(Err(ElepayError::Refused(refusal)))
}

/// A short reason for a transport failure, without the URL's query.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else if e.is_body() || e.is_decode() {
        "the answer broke off".into()
    } else {
        "the connection was lost".into()
    }
}
