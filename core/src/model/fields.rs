//! How a platform names its fields, so messages point at the payload the merchant sent.

/// Names of the source's fields, so every line's `why` and every warning points at the payload
/// the merchant actually sent (`line_items[0]` for Shopify, `items[0]` for another platform).
#[derive(Debug, Clone, Copy)]
pub struct SourceFields {
    pub platform: &'static str,
    pub label: &'static str,
    pub lines: &'static str,
    pub shipping: &'static str,
    pub tip: &'static str,
    pub tenders: &'static str,
    /// Where the order names its gateway when no tender does (`payment_gateway_names`).
    pub gateway: &'static str,
    pub refunds: &'static str,
    pub refund_lines: &'static str,
    pub adjustments: &'static str,
}
