//! What a provider can do beyond creating, reading, cancelling and refunding a payment: the
//! engine asks before offering a flow, so a clerk is never shown an action the provider lacks.

use regi_core::domain::PaymentMethod;

/// The optional abilities of one provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// Payments can be authorized first and captured later for an amount up to the authorized one.
    pub capture: bool,
    /// The store configured the provider to hold every payment for a later capture
    /// (hold-then-capture, e.g. for orders picked up later); needs `capture`.
    pub holds_by_default: bool,
    /// Tabs: a customer's card authorized once, charged at every sale, billed when closed.
    pub tabs: bool,
    /// A refund can be for part of the paid amount.
    pub partial_refund: bool,
    /// The presentations the provider takes, in the order the payment screen offers them.
    pub presentations: &'static [PaymentMethod],
}

impl Capabilities {
    /// Whether the provider takes payments presented as `method`.
    pub fn presents(&self, method: PaymentMethod) -> bool {
        self.presentations.contains(&method)
    }
}
