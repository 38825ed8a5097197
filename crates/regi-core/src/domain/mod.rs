//! The checkout domain: money, tax, catalog, cart, sale and payment attempts.
//!
//! Pure code only: no I/O, no awaiting, no clock reads. Time arrives as arguments.

pub mod cart;
pub mod catalog;
pub mod department;
pub mod discount;
pub mod line_adjustments;
pub mod money;
pub mod payment;
pub mod returns;
pub mod sale;
pub mod settings;
pub mod tax;

pub use cart::{Cart, CartError, LineKind, SaleLine};
pub use catalog::{Catalog, CatalogEncoding, CatalogError, CatalogRead, Product, UnknownJan};
pub use department::{Department, Departments, MAX_DEPARTMENT};
pub use discount::{Discount, SubtotalDiscount};
pub use line_adjustments::PriceOverride;
pub use money::{AmountError, AmountGuard, ParseYenError, Yen};
pub use payment::{
    Attempt, AttemptEvent, AttemptState, FailReason, Failure, InvalidTransition, PaymentMethod,
    Resolution,
};
pub use returns::{ReturnAmounts, ReturnError, ReturnedLine, SoldLine};
pub use sale::{SaleDraft, SaleKind};
pub use settings::SaleSettings;
pub use tax::{PricesInclude, RateSummary, Rounding, TaxOverflow, TaxPolicy, TaxRate, TaxSummary};
