//! The mapping configuration: chart of accounts, routing rules and options.
//!
//! Every field is optional; an empty config gives the default chart. TOML and JSON carry the same
//! structure. Unknown keys are refused, because a misspelt rule that silently does nothing books
//! revenue to the wrong account for months before anyone notices.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The mapping config. Every field has a default, so a serialized config (what `validateConfig`
/// returns) lists them all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Shop identity used in entry ids (`demo.myshopify.com`); the payloads do not carry it.
    pub shop: String,
    pub accounts: Accounts,
    /// Sales routing, first match wins.
    pub sales: Vec<SalesRule>,
    /// Tax title → liability account.
    pub tax: BTreeMap<String, String>,
    /// Gateway name → its accounts.
    pub gateways: BTreeMap<String, GatewayAccounts>,
    pub refunds: RefundMode,
    /// Sku → unit cost, for COGS.
    #[serde(with = "cost_table")]
    #[cfg_attr(feature = "ts", ts(type = "{ [key in string]: DecimalString }"))]
    pub costs: BTreeMap<String, Decimal>,
    /// Account names → ids/codes in the accounting targets.
    pub exports: Exports,
    /// Who pays platform charges (subscription, apps, labels) not deducted from a payout.
    pub expenses_paid_from: ExpensesPaidFrom,
    /// Fees estimated for gateways that report none (docs/payouts.md).
    pub fee_estimates: Vec<super::FeeEstimate>,
    /// Sales documents instead of journals for orders and refunds (docs/documents.md).
    pub documents: super::Documents,
}

/// The account that pays platform expenses when the expense does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExpensesPaidFrom {
    /// `accounts.card`: platforms bill a card on file.
    #[default]
    Card,
    /// `accounts.bank`: a direct debit.
    Bank,
}

/// How ledger account names translate to each accounting target's own account references.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Exports {
    /// Account name → QuickBooks Online account id (`AccountRef.value`).
    pub qbo: BTreeMap<String, String>,
    /// Account name → Xero account code (`AccountCode`).
    pub xero: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            shop: "default".to_string(),
            accounts: Accounts::default(),
            sales: Vec::new(),
            tax: BTreeMap::new(),
            gateways: BTreeMap::new(),
            refunds: RefundMode::default(),
            costs: BTreeMap::new(),
            exports: Exports::default(),
            expenses_paid_from: ExpensesPaidFrom::default(),
            fee_estimates: Vec::new(),
            documents: super::Documents::default(),
        }
    }
}

/// The default chart; each name can be replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct Accounts {
    pub sales: String,
    pub shipping: String,
    pub tips: String,
    pub discounts: String,
    pub refunds: String,
    pub gift_cards: String,
    pub receivable: String,
    pub bank: String,
    pub inventory: String,
    pub cogs: String,
    pub rounding: String,
    pub chargebacks: String,
    /// Money withdrawn by an open dispute: still the merchant's until the dispute is lost.
    pub disputes: String,
    pub fx_gain: String,
    pub fx_loss: String,
    /// A company card that pays platform charges not taken from a payout.
    pub card: String,
    /// `<prefix>:<Kind>` for platform subscriptions, app charges and other platform expenses.
    pub platform_expenses_prefix: String,
    pub shipping_labels: String,
    /// `<prefix>:<Gateway>` for each gateway without its own entry.
    pub clearing_prefix: String,
    pub fees_prefix: String,
    pub sales_tax_prefix: String,
}

impl Default for Accounts {
    fn default() -> Self {
        let s = |v: &str| v.to_string();
        Self {
            sales: s("Income:Sales"),
            shipping: s("Income:Shipping"),
            tips: s("Income:Tips"),
            discounts: s("Income:Discounts"),
            refunds: s("Income:Refunds"),
            gift_cards: s("Liabilities:GiftCards"),
            receivable: s("Assets:Receivable"),
            bank: s("Assets:Bank"),
            inventory: s("Assets:Inventory"),
            cogs: s("Expenses:COGS"),
            rounding: s("Expenses:Rounding"),
            chargebacks: s("Expenses:Chargebacks"),
            disputes: s("Assets:Disputed-Funds"),
            fx_gain: s("Income:FX-Gain"),
            fx_loss: s("Expenses:FX-Loss"),
            card: s("Liabilities:Card"),
            platform_expenses_prefix: s("Expenses:Platform"),
            shipping_labels: s("Expenses:Shipping-Labels"),
            clearing_prefix: s("Assets:Clearing"),
            fees_prefix: s("Expenses:PaymentFees"),
            sales_tax_prefix: s("Liabilities:SalesTax"),
        }
    }
}

/// Routes matching sale lines to `account`. Every given criterion must match (case-insensitive);
/// `sku` may use `*` as a wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields))]
#[serde(default, deny_unknown_fields)]
pub struct SalesRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// An order or line tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub account: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields))]
#[serde(default, deny_unknown_fields)]
pub struct GatewayAccounts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fees: Option<String>,
}

/// Where refunded line amounts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum RefundMode {
    /// A contra-revenue account (`Income:Refunds`), so gross sales stay visible.
    #[default]
    RefundsAccount,
    /// Debit the account the sale was credited to.
    Reverse,
}

mod cost_table {
    use crate::money::parse_decimal;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<String, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(map.iter().map(|(k, v)| (k, v.to_string())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Decimal>, D::Error> {
        let raw = BTreeMap::<String, String>::deserialize(d)?;
        raw.into_iter()
            .map(|(sku, text)| match parse_decimal(&text) {
                Ok(cost) if !cost.is_sign_negative() => Ok((sku, cost)),
                Ok(_) => Err(serde::de::Error::custom(format!(
                    "cost of {sku:?} is negative: {text:?}"
                ))),
                Err(e) => Err(serde::de::Error::custom(format!(
                    "cost of {sku:?} is not a decimal string: {text:?} ({})",
                    e.reason()
                ))),
            })
            .collect()
    }
}
