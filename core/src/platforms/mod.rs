//! Platform adapters: wire formats in, canonical events out. Knows nothing about accounts.

pub mod bigcommerce;
pub mod canonical;
mod customer;
pub(crate) mod de;
pub mod redact;
pub mod shopify;
pub mod stripe;
pub(crate) mod totals;
pub(crate) mod val;
pub mod woocommerce;

pub use customer::customer_of;

use crate::error::{LedgerError, Result};
use crate::model::Event;
use crate::model::SourceFields;
use std::fmt;
use std::str::FromStr;

/// Payloads larger than this are refused before parsing; real order bodies stay under ~1 MB.
pub const PAYLOAD_BYTES_MAX: usize = 8 * 1024 * 1024;

/// Refuses a payload above [`PAYLOAD_BYTES_MAX`] before any parsing: every way into an adapter
/// ([`Platform::parse`], and hosts that carry only some adapters) goes through it.
pub fn check_payload_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() > PAYLOAD_BYTES_MAX {
        return Err(LedgerError::LimitExceeded {
            path: String::new(),
            what: "payload bytes".to_string(),
            limit: PAYLOAD_BYTES_MAX,
        });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    Shopify,
    WooCommerce,
    BigCommerce,
    Canonical,
    Stripe,
}

impl Platform {
    pub const ALL: &'static [Platform] = &[
        Platform::Shopify,
        Platform::WooCommerce,
        Platform::BigCommerce,
        Platform::Canonical,
        Platform::Stripe,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Platform::Shopify => "shopify",
            Platform::WooCommerce => "woocommerce",
            Platform::BigCommerce => "bigcommerce",
            Platform::Canonical => "canonical",
            Platform::Stripe => "stripe",
        }
    }

    /// Parses one payload (a webhook body) into its canonical event.
    pub fn parse(&self, bytes: &[u8]) -> Result<Event> {
        check_payload_size(bytes)?;
        match self {
            Platform::Shopify => shopify::parse(bytes),
            Platform::WooCommerce => woocommerce::parse(bytes),
            Platform::BigCommerce => bigcommerce::parse(bytes),
            Platform::Canonical => canonical::parse(bytes),
            Platform::Stripe => stripe::parse(bytes),
        }
    }

    pub fn fields(&self) -> &'static SourceFields {
        match self {
            Platform::Shopify => &shopify::FIELDS,
            Platform::WooCommerce => &woocommerce::FIELDS,
            Platform::BigCommerce => &bigcommerce::FIELDS,
            Platform::Canonical => &canonical::FIELDS,
            Platform::Stripe => &stripe::FIELDS,
        }
    }
}

impl FromStr for Platform {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        Platform::ALL
            .iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::UnsupportedPlatform {
                value: s.to_string(),
                expected: Platform::ALL
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
