//! `[documents]`: sales documents (QBO sales receipts and invoices, Xero invoices and credit notes)
//! instead of journals for orders and refunds, with customers and items (issue #14,
//! `docs/documents.md`). Fees, payouts and clearing still book as journals.

use super::invalid;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// QBO rejects a display name holding a colon (it separates sub-customers).
pub const NAME_FORBIDDEN: char = ':';
/// The longest display name ledgerbridge sends (QBO's documented limit is unconfirmed: 500 in one
/// source, 21 in another; 100 fits every account seen and Xero's 255).
pub const DISPLAY_NAME_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Documents {
    pub mode: DocumentMode,
    /// Create/update the customer (QBO `Customer`, Xero `Contact`) a document names; off: every
    /// document goes to the guest contact and no customer body is made.
    pub customers: bool,
    pub guests: GuestMode,
    /// The one contact guest checkouts go to (and customers with no name and no email).
    pub guest_name: String,
    pub qbo: DocumentTarget,
    pub xero: DocumentTarget,
}

impl Default for Documents {
    fn default() -> Self {
        Self {
            mode: DocumentMode::default(),
            customers: true,
            guests: GuestMode::default(),
            guest_name: "Online customers".to_string(),
            qbo: DocumentTarget::default(),
            xero: DocumentTarget::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum DocumentMode {
    /// Orders and refunds book as journal entries (the default).
    #[default]
    Journals,
    /// Orders and refunds go as sales documents.
    Documents,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum GuestMode {
    /// Every guest checkout goes to the one `guest_name` contact.
    #[default]
    Shared,
    /// A guest with a name or an email gets a contact of its own (found by email).
    Individual,
}

/// How one target names the things a document refers to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields))]
#[serde(default, deny_unknown_fields)]
pub struct DocumentTarget {
    /// SKU → item (QBO `Item` id, Xero item code). A key may use `*` as a wildcard; an exact key
    /// wins, then the longest matching pattern; `"*"` alone catches every line.
    pub items: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tip_item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gift_card_item: Option<String>,
    /// Refund amounts not tied to a line (a goodwill refund, a discrepancy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment_item: Option<String>,
    /// Tax title (as the storefront names it) → tax code (QBO `TaxCode` id, Xero `TaxType`).
    pub tax_codes: BTreeMap<String, String>,
    /// The code for a line without tax (default: QBO `NON`, Xero `NONE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untaxed_code: Option<String>,
    /// Where paid money goes: QBO `DepositToAccountRef` id (omitted: Undeposited Funds), Xero
    /// payment account code (required for paid orders and refunds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

impl DocumentTarget {
    /// The item a SKU maps to: the exact key, else the longest matching `*` pattern.
    pub fn item_for(&self, sku: Option<&str>) -> Option<&str> {
        let sku = sku.unwrap_or("");
        if let Some(item) = self.items.get(sku) {
            return Some(item);
        }
        self.items
            .iter()
            .filter(|(pattern, _)| pattern.contains('*') && glob(pattern, sku))
            .max_by_key(|(pattern, _)| pattern.chars().filter(|c| *c != '*').count())
            .map(|(_, item)| item.as_str())
    }
}

/// `*` matches any run of characters, case-insensitively (as `[[sales]]` sku rules do).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.to_lowercase(), text.to_lowercase());
    let parts: Vec<&str> = p.split('*').collect();
    let mut rest = t.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

impl Documents {
    /// What figures read off the ledger (reports, clearing) cannot show in this mode, for a face
    /// to say beside them: in document mode sales and refunds reach the books as documents, so
    /// the ledger holds only their fee and cost journals, payouts and disputes.
    pub fn ledger_gap(&self) -> Option<&'static str> {
        match self.mode {
            DocumentMode::Journals => None,
            DocumentMode::Documents => Some(
                "document mode: sales and refunds are posted as documents and are not in this ledger; \
                 these figures cover fees, cost of goods, payouts and disputes only",
            ),
        }
    }

    pub(super) fn validate(&self) -> Result<()> {
        let name = self.guest_name.trim();
        if name.is_empty()
            || name.chars().count() > DISPLAY_NAME_MAX
            || name.contains(NAME_FORBIDDEN)
        {
            return Err(invalid(
                "documents.guest_name",
                &self.guest_name,
                "must be 1 to 100 characters without ':' (QuickBooks display-name rules)",
            ));
        }
        for (target, t) in [("qbo", &self.qbo), ("xero", &self.xero)] {
            for (sku, item) in &t.items {
                if sku.trim().is_empty() || item.trim().is_empty() {
                    let path = format!("documents.{target}.items.{sku:?}");
                    return Err(invalid(&path, item, "needs a SKU and an item"));
                }
            }
            for (title, code) in &t.tax_codes {
                if code.trim().is_empty() {
                    let path = format!("documents.{target}.tax_codes.{title:?}");
                    return Err(invalid(&path, code, "needs a tax code"));
                }
            }
            let refs = [
                ("shipping_item", &t.shipping_item),
                ("tip_item", &t.tip_item),
                ("gift_card_item", &t.gift_card_item),
                ("adjustment_item", &t.adjustment_item),
                ("untaxed_code", &t.untaxed_code),
                ("account", &t.account),
            ];
            for (key, value) in refs {
                if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    let path = format!("documents.{target}.{key}");
                    return Err(invalid(&path, "", "must not be empty when given"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_document_mode_leaves_sales_out_of_the_ledger() {
        let mut documents = Documents::default();
        assert_eq!(documents.ledger_gap(), None);
        documents.mode = DocumentMode::Documents;
        assert!(documents
            .ledger_gap()
            .is_some_and(|gap| gap.contains("not in this ledger")));
    }

    #[test]
    fn exact_sku_wins_then_the_longest_pattern() {
        let t = DocumentTarget {
            items: [("*", "1"), ("HOOD-*", "2"), ("HOOD-XL", "3")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..DocumentTarget::default()
        };
        assert_eq!(t.item_for(Some("HOOD-XL")), Some("3"));
        assert_eq!(t.item_for(Some("hood-s")), Some("2"));
        assert_eq!(t.item_for(Some("MUG")), Some("1"));
        assert_eq!(t.item_for(None), Some("1"));
        assert_eq!(DocumentTarget::default().item_for(Some("MUG")), None);
    }

    #[test]
    fn guest_name_follows_the_display_name_rules() {
        let bad = |name: &str| Documents {
            guest_name: name.to_string(),
            ..Documents::default()
        };
        assert!(Documents::default().validate().is_ok());
        for name in ["", "  ", "Shop: guests", &"x".repeat(101)] {
            let e = bad(name).validate().unwrap_err();
            assert_eq!(e.path(), "documents.guest_name", "{name:?}");
        }
    }
}
