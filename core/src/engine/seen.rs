//! The gateways and tax titles a shop's orders use: a setup screen offers a clearing, fee and tax
//! role for each, so a title nobody configured (it books to `<sales_tax_prefix>:<Title>`) can
//! still be mapped to the merchant's own account.

use crate::model::Event;
use crate::platforms::Platform;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub gateways: BTreeSet<String>,
    pub tax_titles: BTreeSet<String>,
}

impl Seen {
    /// Adds what one stored payload names; a payload that is not an order, or does not parse,
    /// adds nothing (it is the preview's business to show why).
    pub fn add(&mut self, platform: Platform, payload: &[u8]) {
        let Ok(Event::Order(order)) = platform.parse(payload) else {
            return;
        };
        self.gateways.extend(order.gateway.iter().cloned());
        self.gateways
            .extend(order.tenders.iter().map(|t| t.gateway.clone()));
        let taxes = order
            .lines
            .iter()
            .flat_map(|l| &l.taxes)
            .chain(order.shipping.iter().flat_map(|s| &s.taxes));
        self.tax_titles.extend(taxes.map(|t| t.title.clone()));
        self.gateways.retain(|g| !g.is_empty());
    }

    pub fn gateways(&self) -> Vec<&str> {
        self.gateways.iter().map(String::as_str).collect()
    }

    pub fn tax_titles(&self) -> Vec<&str> {
        self.tax_titles.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_names_its_gateways_and_tax_titles_and_other_payloads_nothing() {
        let order = br#"{"id": 1, "currency": "USD", "processed_at": "2026-05-03T10:00:00Z",
            "gateway": "shopify_payments", "financial_status": "paid", "total_price": "11.00",
            "line_items": [{"id": 1, "quantity": 1, "price": "10.00",
              "tax_lines": [{"title": "State Tax", "rate": "0.1", "price": "1.00"}]}]}"#;
        let mut seen = Seen::default();
        seen.add(Platform::Shopify, order);
        seen.add(Platform::Shopify, b"not json");
        assert_eq!(seen.gateways(), ["shopify_payments"]);
        assert_eq!(seen.tax_titles(), ["State Tax"]);
    }
}
