//! The account roles of a mapping, for a setup screen: which config field books what, the ledger
//! account it books to now, and the classes of account that make sense for it, so a picker can
//! offer only those of the merchant's own chart (no income account for a clearing role).
//! Classes of QBO and Xero accounts are read here too, so the worker only fetches the chart.

use super::Config;
use crate::model::GIFT_CARD_GATEWAY;
use serde::{Deserialize, Serialize};

/// The five classes of a double-entry chart (the roots of ledger account names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountClass {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
}

use AccountClass::{Asset, Expense, Income, Liability};

/// One account role of a config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// The config field that holds the account: the path a validation error names.
    pub path: String,
    pub label: String,
    /// The ledger account the role books to with this config.
    pub account: String,
    /// Classes of target account this role may be mapped to.
    pub classes: Vec<AccountClass>,
}

/// Fixed roles: field, label, classes. Discounts and refunds are contra-revenue (income) but
/// some charts keep them as expenses; rounding goes either way.
const FIXED: [(&str, &str, &[AccountClass]); 18] = [
    ("sales", "Sales", &[Income]),
    ("shipping", "Shipping charged", &[Income]),
    ("discounts", "Discounts", &[Income, Expense]),
    ("refunds", "Refunds", &[Income, Expense]),
    ("tips", "Tips", &[Income, Liability]),
    ("gift_cards", "Gift cards sold", &[Liability]),
    ("receivable", "Customer owes (manual payments)", &[Asset]),
    ("bank", "Bank", &[Asset]),
    ("inventory", "Inventory", &[Asset]),
    ("cogs", "Cost of goods sold", &[Expense]),
    ("rounding", "Rounding", &[Expense, Income]),
    ("chargebacks", "Chargebacks lost", &[Expense]),
    ("disputes", "Disputed funds", &[Asset]),
    ("fx_gain", "Exchange gains", &[Income]),
    ("fx_loss", "Exchange losses", &[Expense]),
    ("card", "Card paying platform charges", &[Liability]),
    ("shipping_labels", "Shipping labels", &[Expense]),
    ("platform_expenses_prefix", "Platform expenses", &[Expense]),
];

impl Config {
    /// Every account role of this config: the fixed accounts, one per sales rule, one per tax
    /// title and clearing and fee accounts per gateway, for those configured and those given as
    /// seen in the shop's orders (a title or gateway nobody configured still books somewhere).
    pub fn roles(&self, gateways_seen: &[&str], tax_titles_seen: &[&str]) -> Vec<Role> {
        let a = &self.accounts;
        let fixed_account = |field: &str| -> &str {
            match field {
                "sales" => &a.sales,
                "shipping" => &a.shipping,
                "discounts" => &a.discounts,
                "refunds" => &a.refunds,
                "tips" => &a.tips,
                "gift_cards" => &a.gift_cards,
                "receivable" => &a.receivable,
                "bank" => &a.bank,
                "inventory" => &a.inventory,
                "cogs" => &a.cogs,
                "rounding" => &a.rounding,
                "chargebacks" => &a.chargebacks,
                "disputes" => &a.disputes,
                "fx_gain" => &a.fx_gain,
                "fx_loss" => &a.fx_loss,
                "card" => &a.card,
                "shipping_labels" => &a.shipping_labels,
                _ => &a.platform_expenses_prefix,
            }
        };
        let mut roles: Vec<Role> = FIXED
            .iter()
            .map(|(field, label, classes)| Role {
                path: format!("accounts.{field}"),
                label: (*label).to_string(),
                account: fixed_account(field).to_string(),
                classes: classes.to_vec(),
            })
            .collect();
        for (i, rule) in self.sales.iter().enumerate() {
            roles.push(Role {
                path: format!("sales[{i}].account"),
                label: format!("Sales: {}", rule_label(rule)),
                account: rule.account.clone(),
                classes: vec![Income],
            });
        }
        let mut titles: Vec<&str> = self.tax.keys().map(String::as_str).collect();
        titles.extend(tax_titles_seen);
        titles.sort_unstable();
        titles.dedup();
        for title in titles {
            roles.push(Role {
                path: format!("tax.{title:?}"),
                label: format!("Tax: {title}"),
                account: self.tax_account(title),
                classes: vec![Liability],
            });
        }
        let mut names: Vec<&str> = self.gateways.keys().map(String::as_str).collect();
        names.extend(gateways_seen);
        names.sort_unstable();
        names.dedup();
        // Gift cards and manual payments book to the fixed roles above, not to a clearing account.
        for gateway in names.into_iter().filter(|g| {
            *g != GIFT_CARD_GATEWAY
                && (!super::is_receivable_gateway(g) || self.gateways.contains_key(*g))
        }) {
            roles.push(Role {
                path: format!("gateways.{gateway:?}.clearing"),
                label: format!("Clearing: {gateway}"),
                account: self.clearing_account(gateway),
                classes: vec![Asset],
            });
            roles.push(Role {
                path: format!("gateways.{gateway:?}.fees"),
                label: format!("Fees: {gateway}"),
                account: self.fee_account(gateway),
                classes: vec![Expense],
            });
        }
        roles
    }
}

fn rule_label(rule: &super::SalesRule) -> String {
    [
        ("sku", &rule.sku),
        ("type", &rule.product_type),
        ("vendor", &rule.vendor),
        ("tag", &rule.tag),
        ("channel", &rule.channel),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_deref().map(|v| format!("{k} {v}")))
    .collect::<Vec<_>>()
    .join(", ")
}

/// The class of a QBO account from its `AccountType` (Finance.xsd `AccountTypeEnum`); `None` for
/// `Non-Posting` and anything unknown, which no role may use.
pub fn qbo_class(account_type: &str) -> Option<AccountClass> {
    Some(match account_type {
        "Bank" | "Accounts Receivable" | "Other Current Asset" | "Fixed Asset" | "Other Asset" => {
            Asset
        }
        "Accounts Payable" | "Credit Card" | "Other Current Liability" | "Long Term Liability" => {
            Liability
        }
        "Equity" => AccountClass::Equity,
        "Income" | "Other Income" => Income,
        "Cost of Goods Sold" | "Expense" | "Other Expense" => Expense,
        _ => return None,
    })
}

/// The class of a Xero account from its `Class`, else its `Type` (OpenAPI `AccountType`).
pub fn xero_class(class: Option<&str>, account_type: &str) -> Option<AccountClass> {
    match class {
        Some("ASSET") => return Some(Asset),
        Some("LIABILITY") => return Some(Liability),
        Some("EQUITY") => return Some(AccountClass::Equity),
        Some("REVENUE") => return Some(Income),
        Some("EXPENSE") => return Some(Expense),
        _ => {}
    }
    Some(match account_type {
        "BANK" | "CURRENT" | "FIXED" | "INVENTORY" | "NONCURRENT" | "PREPAYMENT" => Asset,
        "CURRLIAB" | "LIABILITY" | "TERMLIAB" | "PAYG" => Liability,
        "EQUITY" => AccountClass::Equity,
        "REVENUE" | "SALES" | "OTHERINCOME" => Income,
        "DIRECTCOSTS" | "EXPENSE" | "OVERHEADS" | "DEPRECIATN" => Expense,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role<'a>(roles: &'a [Role], path: &str) -> &'a Role {
        roles
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no role {path} in {roles:?}"))
    }

    #[test]
    fn the_default_chart_has_its_fixed_roles_with_their_classes() {
        let roles = Config::default().roles(&[], &[]);
        assert_eq!(roles.len(), 18);
        let sales = role(&roles, "accounts.sales");
        assert_eq!(
            (sales.account.as_str(), &sales.classes[..]),
            ("Income:Sales", &[Income][..])
        );
        assert_eq!(role(&roles, "accounts.gift_cards").classes, [Liability]);
        assert_eq!(role(&roles, "accounts.bank").classes, [Asset]);
        assert_eq!(role(&roles, "accounts.cogs").account, "Expenses:COGS");
    }

    #[test]
    fn rules_tax_titles_and_gateways_configured_or_seen_each_get_roles() {
        let config = Config::load(
            "[[sales]]\nvendor = \"Acme\"\naccount = \"Income:Acme\"\n[tax]\n\"VAT 20%\" = \"Liabilities:VAT\"\n[gateways.stripe]\nfees = \"Expenses:Stripe\"",
        )
        .expect("valid");
        let roles = config.roles(&["shopify_payments", "gift_card", "manual"], &["GST"]);
        let rule = role(&roles, "sales[0].account");
        assert_eq!(
            (rule.label.as_str(), rule.account.as_str()),
            ("Sales: vendor Acme", "Income:Acme")
        );
        assert_eq!(role(&roles, "tax.\"VAT 20%\"").account, "Liabilities:VAT");
        let gst = role(&roles, "tax.\"GST\"");
        assert_eq!(
            (gst.account.as_str(), &gst.classes[..]),
            ("Liabilities:SalesTax:GST", &[Liability][..])
        );
        assert_eq!(
            role(&roles, "gateways.\"stripe\".fees").account,
            "Expenses:Stripe"
        );
        let clearing = role(&roles, "gateways.\"shopify_payments\".clearing");
        assert_eq!(clearing.classes, [Asset]);
        // Gift cards and manual payments have their fixed roles, not a clearing of their own.
        assert!(!roles
            .iter()
            .any(|r| r.path.contains("gift_card\"") || r.path.contains("manual")));
        assert_eq!(roles.len(), 18 + 1 + 2 + 4);
    }

    #[test]
    fn qbo_and_xero_account_types_have_the_classes_of_their_documented_enums() {
        assert_eq!(qbo_class("Bank"), Some(Asset));
        assert_eq!(qbo_class("Other Current Liability"), Some(Liability));
        assert_eq!(qbo_class("Cost of Goods Sold"), Some(Expense));
        assert_eq!(qbo_class("Other Income"), Some(Income));
        assert_eq!(qbo_class("Non-Posting"), None);
        assert_eq!(xero_class(Some("REVENUE"), "SALES"), Some(Income));
        assert_eq!(xero_class(None, "CURRLIAB"), Some(Liability));
        assert_eq!(xero_class(None, "DIRECTCOSTS"), Some(Expense));
        assert_eq!(xero_class(None, "BANK"), Some(Asset));
        assert_eq!(xero_class(None, "SOMETHING"), None);
    }
}
