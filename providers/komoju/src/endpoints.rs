//! The KOMOJU endpoint table, written once: each operation's verb, path under `/api/v1`,
//! whether it takes a body, and whether it may be repeated; one type per operation ties it to
//! its request and response wire types. The client builds requests from it and the emulator
//! routes by it, so the two cannot disagree about an endpoint.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::wire::{
    CapturePaymentRequest, CreateSessionRequest, ListPaymentsQuery, NoBody, Payment, PaymentList,
    RefundPaymentRequest, Session,
};

/// Whether a request may be sent again after its answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// A read: repeating it changes nothing.
    Freely,
    /// A write: repeatable only with the same `X-KOMOJU-IDEMPOTENCY` key and the same body,
    /// which KOMOJU answers with the first result instead of acting twice.
    WithSameIdempotencyKey,
}

/// One endpoint as KOMOJU documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: &'static str,
    /// Relative to the API base (`…/api/v1`); `{id}` marks the resource id.
    pub template: &'static str,
    /// Whether a JSON body is sent (capture and refund send `{}` at least; cancels send none).
    pub has_body: bool,
    pub repeat: Repeat,
}

impl Endpoint {
    /// The concrete path with `id` in place of `{id}`.
    pub fn path(&self, id: &str) -> String {
        self.template.replace("{id}", id)
    }

    /// The id when `path` (relative to the API base) is one of this endpoint's paths; `Some("")`
    /// for a template without one. A trailing slash is ignored.
    pub fn match_path<'p>(&self, path: &'p str) -> Option<&'p str> {
        let mut expected = self.template.split('/').filter(|s| !s.is_empty());
        let mut given = path.split('/').filter(|s| !s.is_empty());
        let mut id = "";
        loop {
            match (expected.next(), given.next()) {
                (None, None) => return Some(id),
                (Some("{id}"), Some(value)) => id = value,
                (Some(wanted), Some(value)) if wanted == value => {}
                _ => return None,
            }
        }
    }
}

/// Every operation regi calls and the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    CreateSession,
    ShowSession,
    CancelSession,
    ShowPayment,
    CapturePayment,
    CancelPayment,
    RefundPayment,
    ListPayments,
}

impl Operation {
    pub const ALL: [Operation; 8] = [
        Operation::CreateSession,
        Operation::ShowSession,
        Operation::CancelSession,
        Operation::ShowPayment,
        Operation::CapturePayment,
        Operation::CancelPayment,
        Operation::RefundPayment,
        Operation::ListPayments,
    ];

    pub const fn endpoint(self) -> Endpoint {
        use Repeat::{Freely, WithSameIdempotencyKey as Keyed};
        let (method, template, has_body, repeat) = match self {
            Operation::CreateSession => ("POST", "/sessions", true, Keyed),
            Operation::ShowSession => ("GET", "/sessions/{id}", false, Freely),
            Operation::CancelSession => ("POST", "/sessions/{id}/cancel", false, Keyed),
            Operation::ShowPayment => ("GET", "/payments/{id}", false, Freely),
            Operation::CapturePayment => ("POST", "/payments/{id}/capture", true, Keyed),
            Operation::CancelPayment => ("POST", "/payments/{id}/cancel", false, Keyed),
            Operation::RefundPayment => ("POST", "/payments/{id}/refund", true, Keyed),
            Operation::ListPayments => ("GET", "/payments", false, Freely),
        };
        Endpoint {
            method,
            template,
            has_body,
            repeat,
        }
    }

    /// The name errors and log lines give, e.g. `create_session`.
    pub const fn name(self) -> &'static str {
        match self {
            Operation::CreateSession => "create_session",
            Operation::ShowSession => "show_session",
            Operation::CancelSession => "cancel_session",
            Operation::ShowPayment => "show_payment",
            Operation::CapturePayment => "capture_payment",
            Operation::CancelPayment => "cancel_payment",
            Operation::RefundPayment => "refund_payment",
            Operation::ListPayments => "list_payments",
        }
    }

    /// The operation a request is for, with its id (`""` where the path has none).
    pub fn resolve<'p>(method: &str, path: &'p str) -> Option<(Operation, &'p str)> {
        Operation::ALL.into_iter().find_map(|op| {
            let endpoint = op.endpoint();
            if !endpoint.method.eq_ignore_ascii_case(method) {
                return None;
            }
            endpoint.match_path(path).map(|id| (op, id))
        })
    }
}

/// One operation as a type, so a call cannot pair a path with the wrong body or answer.
pub trait Call {
    const OPERATION: Operation;
    type Request: Serialize;
    type Response: DeserializeOwned;
}

macro_rules! calls {
    ($($(#[$doc:meta])* $name:ident: $request:ty => $response:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl Call for $name {
            const OPERATION: Operation = Operation::$name;
            type Request = $request;
            type Response = $response;
        }
    )*};
}

calls! {
    /// `POST /sessions`: a hosted-page session for an amount.
    CreateSession: CreateSessionRequest => Session;
    /// `GET /sessions/{id}`.
    ShowSession: NoBody => Session;
    /// `POST /sessions/{id}/cancel`: only while pending.
    CancelSession: NoBody => Session;
    /// `GET /payments/{id}`.
    ShowPayment: NoBody => Payment;
    /// `POST /payments/{id}/capture`: only from `authorized`.
    CapturePayment: CapturePaymentRequest => Payment;
    /// `POST /payments/{id}/cancel`: only from `pending` or `authorized`.
    CancelPayment: NoBody => Payment;
    /// `POST /payments/{id}/refund`: whole or partial.
    RefundPayment: RefundPaymentRequest => Payment;
    /// `GET /payments?external_order_num=…`.
    ListPayments: ListPaymentsQuery => PaymentList;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_resolves_from_its_own_path() {
        for op in Operation::ALL {
            let endpoint = op.endpoint();
            let path = endpoint.path("abcdefghijklmnopqrstuvwxy");
            let expected_id = if endpoint.template.contains("{id}") {
                "abcdefghijklmnopqrstuvwxy"
            } else {
                ""
            };
            assert_eq!(
                Operation::resolve(endpoint.method, &path),
                Some((op, expected_id)),
                "{op:?}"
            );
        }
    }

    #[test]
    fn paths_resolve_by_verb_and_shape_only() {
        assert_eq!(
            Operation::resolve("post", "/sessions/"),
            Some((Operation::CreateSession, ""))
        );
        assert_eq!(Operation::resolve("GET", "/sessions"), None);
        assert_eq!(Operation::resolve("DELETE", "/sessions/x"), None);
        assert_eq!(Operation::resolve("POST", "/payments/x/explode"), None);
    }

    #[test]
    fn only_reads_are_repeated_freely() {
        for op in Operation::ALL {
            let endpoint = op.endpoint();
            assert_eq!(
                endpoint.repeat == Repeat::Freely,
                endpoint.method == "GET",
                "{op:?}"
            );
        }
    }
}
