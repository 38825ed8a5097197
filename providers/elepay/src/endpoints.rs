//! The elepay endpoint table, written once: each operation's method, path template, success status
//! and whether it may be repeated, tied to its request and answer types. The client builds its
//! requests from it and the emulator routes by it, so the two cannot disagree about an endpoint.
//! Templates use `{name}` segments, which is also axum's route syntax.

use serde::Serialize;

use crate::wire::{
    ChargeCaptureReq, ChargeDto, ChargeReq, ChargeStatusDto, ChargesResponse, CodeDto, CodeReq,
    Empty, ListChargesQuery, NoBody, RefundDto, RefundReq, RefundsResponse,
};

/// Whether a request may be sent again after its answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// A read: repeating it changes nothing.
    Repeatable,
    /// A write elepay does not deduplicate (there is no idempotency header): never repeated; a
    /// lost answer is resolved by reading the charge, or by order number for a create.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One endpoint as elepay documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    /// The path with `{name}` for each parameter, e.g. `/charges/{id}/refunds/{refundId}`.
    pub template: &'static str,
    /// The status elepay answers a success with (201 on creates, 204 on a code's delete).
    pub success: u16,
    pub retry: Retry,
}

impl Endpoint {
    /// The concrete path: each `{name}` segment filled, in order, from `params` (percent-encoded,
    /// so an id can never add a path segment).
    pub fn path(&self, params: &[&str]) -> String {
        let mut params = params.iter();
        let mut path = String::with_capacity(self.template.len() + 40);
        for segment in self.template.split('/').skip(1) {
            path.push('/');
            if segment.starts_with('{') {
                let value = params.next().copied().unwrap_or_default();
                path.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
            } else {
                path.push_str(segment);
            }
        }
        path
    }

    /// How many `{name}` segments the template has.
    pub fn parameter_count(&self) -> usize {
        self.template.matches('{').count()
    }
}

/// Every operation, for the emulator's router and for tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    CreateCharge,
    ListCharges,
    RetrieveCharge,
    RetrieveChargeStatus,
    CaptureCharge,
    RevokeCharge,
    CreateRefund,
    ListChargeRefunds,
    RetrieveChargeRefund,
    CreateCode,
    RetrieveCode,
    CloseCode,
}

impl Operation {
    pub const ALL: [Operation; 12] = [
        Operation::CreateCharge,
        Operation::ListCharges,
        Operation::RetrieveCharge,
        Operation::RetrieveChargeStatus,
        Operation::CaptureCharge,
        Operation::RevokeCharge,
        Operation::CreateRefund,
        Operation::ListChargeRefunds,
        Operation::RetrieveChargeRefund,
        Operation::CreateCode,
        Operation::RetrieveCode,
        Operation::CloseCode,
    ];

    pub const fn endpoint(self) -> Endpoint {
        use Method::{Delete, Get, Post};
        use Retry::{Never, Repeatable};
        let (method, template, success, retry) = match self {
            Operation::CreateCharge => (Post, "/charges", 201, Never),
            Operation::ListCharges => (Get, "/charges", 200, Repeatable),
            Operation::RetrieveCharge => (Get, "/charges/{id}", 200, Repeatable),
            Operation::RetrieveChargeStatus => (Get, "/charges/{id}/status", 200, Repeatable),
            Operation::CaptureCharge => (Post, "/charges/{id}/capture", 200, Never),
            Operation::RevokeCharge => (Post, "/charges/{id}/revoke", 200, Never),
            Operation::CreateRefund => (Post, "/charges/{id}/refunds", 201, Never),
            Operation::ListChargeRefunds => (Get, "/charges/{id}/refunds", 200, Repeatable),
            Operation::RetrieveChargeRefund => {
                (Get, "/charges/{id}/refunds/{refundId}", 200, Repeatable)
            }
            Operation::CreateCode => (Post, "/codes", 201, Never),
            Operation::RetrieveCode => (Get, "/codes/{codeId}", 200, Repeatable),
            Operation::CloseCode => (Delete, "/codes/{codeId}", 204, Never),
        };
        Endpoint {
            method,
            template,
            success,
            retry,
        }
    }

    /// The operation's name in elepay's API reference (and in error messages).
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateCharge => "createCharge",
            Operation::ListCharges => "listCharges",
            Operation::RetrieveCharge => "retrieveCharge",
            Operation::RetrieveChargeStatus => "retrieveChargeStatus",
            Operation::CaptureCharge => "captureCharge",
            Operation::RevokeCharge => "revokeCharge",
            Operation::CreateRefund => "createRefund",
            Operation::ListChargeRefunds => "listChargeRefunds",
            Operation::RetrieveChargeRefund => "retrieveChargeRefund",
            Operation::CreateCode => "createCode",
            Operation::RetrieveCode => "retrieveCode",
            Operation::CloseCode => "closeCode",
        }
    }
}

/// One operation as a type: its endpoint and the types it sends and answers, so a call cannot
/// pair a path with the wrong body.
pub trait Call {
    const OPERATION: Operation;
    /// The JSON body (`NoBody` for none).
    type Body: Serialize;
    /// The query string (`NoBody` for none).
    type Query: Serialize;
    /// The success answer (`Empty` for 204).
    type Answer: Answer;
}

/// How a success answer is read from its body.
pub trait Answer: Sized {
    fn from_body(body: &[u8]) -> Result<Self, serde_json::Error>;
}

/// The answers that are JSON objects: read with serde.
macro_rules! json_answers {
    ($($answer:ty),+) => {
        $(impl Answer for $answer {
            fn from_body(body: &[u8]) -> Result<Self, serde_json::Error> {
                serde_json::from_slice(body)
            }
        })+
    };
}

json_answers!(
    ChargeDto,
    ChargeStatusDto,
    ChargesResponse,
    RefundDto,
    RefundsResponse,
    CodeDto
);

impl Answer for Empty {
    fn from_body(_body: &[u8]) -> Result<Self, serde_json::Error> {
        Ok(Empty)
    }
}

macro_rules! calls {
    ($($name:ident => $op:ident, $body:ty, $query:ty, $answer:ty;)+) => {
        $(
            #[doc = concat!("The `", stringify!($op), "` operation.")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;

            impl Call for $name {
                const OPERATION: Operation = Operation::$op;
                type Body = $body;
                type Query = $query;
                type Answer = $answer;
            }
        )+
    };
}

calls! {
    CreateCharge => CreateCharge, ChargeReq, NoBody, ChargeDto;
    ListCharges => ListCharges, NoBody, ListChargesQuery, ChargesResponse;
    RetrieveCharge => RetrieveCharge, NoBody, NoBody, ChargeDto;
    RetrieveChargeStatus => RetrieveChargeStatus, NoBody, NoBody, ChargeStatusDto;
    CaptureCharge => CaptureCharge, ChargeCaptureReq, NoBody, ChargeDto;
    RevokeCharge => RevokeCharge, NoBody, NoBody, ChargeDto;
    CreateRefund => CreateRefund, RefundReq, NoBody, RefundDto;
    ListChargeRefunds => ListChargeRefunds, NoBody, NoBody, RefundsResponse;
    RetrieveChargeRefund => RetrieveChargeRefund, NoBody, NoBody, RefundDto;
    CreateCode => CreateCode, CodeReq, NoBody, CodeDto;
    RetrieveCode => RetrieveCode, NoBody, NoBody, CodeDto;
    CloseCode => CloseCode, NoBody, NoBody, Empty;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_their_parameters_in_order_and_encode_them() {
        let ep = Operation::RetrieveChargeRefund.endpoint();
        assert_eq!(ep.path(&["cha_1", "ref_2"]), "/charges/cha_1/refunds/ref_2");
        assert_eq!(ep.parameter_count(), 2);
        let charge = Operation::RetrieveCharge.endpoint();
        assert_eq!(charge.path(&["a/../b"]), "/charges/a%2F..%2Fb");
    }

    #[test]
    fn creates_answer_201_and_only_reads_are_repeatable() {
        for op in Operation::ALL {
            let ep = op.endpoint();
            assert_eq!(
                ep.retry == Retry::Repeatable,
                ep.method == Method::Get,
                "{op:?}"
            );
        }
        assert_eq!(Operation::CreateCharge.endpoint().success, 201);
        assert_eq!(Operation::CreateRefund.endpoint().success, 201);
        assert_eq!(Operation::CreateCode.endpoint().success, 201);
        assert_eq!(Operation::CloseCode.endpoint().success, 204);
    }
}
