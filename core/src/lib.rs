//! # ledgerbridge-core
//!
//! Turns storefront activity (orders, refunds, fees, payouts, taxes, tips, gift cards, cost of
//! goods) into balanced double-entry journal entries. One pure crate, no host types, no I/O, no
//! clock and no randomness, so the same payload gives byte-identical entries natively, in the
//! browser and on the edge.
//!
//! ```
//! use ledgerbridge_core::{map, Config, Platform};
//!
//! let order = br##"{"id": 1001, "name": "#1001", "currency": "USD",
//!   "processed_at": "2026-05-03T10:00:00-04:00", "payment_gateway_names": ["shopify_payments"],
//!   "line_items": [{"id": 1, "sku": "MUG", "quantity": 2, "price": "12.50"}]}"##;
//! let mapped = map(Platform::Shopify, order, &Config::default()).unwrap();
//! let entry = &mapped.entries[0];
//! assert_eq!(entry.lines[0].account, "Assets:Clearing:Shopify-Payments");
//! assert_eq!(entry.lines[0].debit.0.to_string(), "25.00");
//! assert_eq!(entry.lines[1].account, "Income:Sales");
//! ```
//!
//! Layout, lowest layer first: [`money`] (exact amounts), [`model`] (the canonical commerce model),
//! [`platforms`] (wire formats → model), [`rules`] (accounts), [`journal`] (entries, balanced by
//! construction), [`engine`] (model + rules → entries), [`reports`] (entries → tax, profit,
//! clearing, gift-card and refund reports), [`exporters`] (entries → ledgers);
//! [`records`] splits an input file into payloads. A module uses only those before it (the engine
//! builds journal entries, so the journal sits below it); `tests/layering.rs` keeps it so.

// The core holds no `unsafe`: the one allocator the project writes lives in the lean wasm modules'
// binding (`plugin-wasm/src/lean_alloc.rs`), where its soundness argument sits beside it.
#![forbid(unsafe_code)]

pub mod engine;
pub mod error;
pub mod exporters;
pub mod journal;
pub mod json;
pub mod model;
pub mod money;
pub mod platforms;
pub mod records;
pub mod reports;
pub mod rules;

pub use engine::{map_event, Mapped, Profit, Rejected, Unbooked};
pub use error::{LedgerError, Result, Warning, ERROR_CODES};
pub use journal::{Entry, Line, Source};
pub use platforms::redact::redact_personal_data;
pub use platforms::Platform;
pub use rules::{Config, ConfigInput};

/// Maps one platform payload (a webhook body, as bytes) to its journal entries.
pub fn map(platform: Platform, payload: &[u8], config: &Config) -> Result<Mapped> {
    let event = platform.parse(payload)?;
    map_event(&event, config, platform.fields())
}

/// The version of this crate, as the faces report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
