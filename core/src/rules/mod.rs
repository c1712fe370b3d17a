//! Mapping rules: which account each fact lands in. Knows accounts, nothing about wire formats.

mod chart;
mod chart_write;
mod config;
mod config_write;
mod diff;
mod documents;
mod fee_estimate;
mod load;
mod names;
mod new_account;
mod read;
mod roles;
#[cfg(feature = "toml")]
mod toml_lines;

pub use chart::{qbo_chart, xero_chart, RoleChoice, TargetAccount};
pub use config::{
    Accounts, Config, ExpensesPaidFrom, Exports, GatewayAccounts, RefundMode, SalesRule,
};
pub(crate) use config_write::chart_json;
pub use diff::{summarize, ConfigChange};
pub use documents::{DocumentMode, DocumentTarget, Documents, GuestMode, DISPLAY_NAME_MAX};
pub use fee_estimate::FeeEstimate;
pub use load::ConfigInput;
pub use names::{check_account, component, ROOTS};
pub use new_account::{creatable, created_account, new_account_body, AccountKind, NewAccount};
pub use roles::{qbo_class, xero_class, AccountClass, Role};

use crate::error::{LedgerError, Result};
use crate::model::{LineItem, Order, GIFT_CARD_GATEWAY};
use rust_decimal::Decimal;

/// Gateway names that mean "the customer still owes us" rather than a processor balance.
const RECEIVABLE_GATEWAYS: [&str; 6] = [
    "manual",
    "cash_on_delivery",
    "cash on delivery (cod)",
    "bank_deposit",
    "money_order",
    "cod",
];

impl Config {
    /// Checks every account name and rule; errors name the field and the bad value.
    pub fn validate(&self) -> Result<()> {
        if self.shop.is_empty() || self.shop.contains(char::is_whitespace) {
            return Err(invalid(
                "shop",
                &self.shop,
                "must be a non-empty name without spaces",
            ));
        }
        let a = &self.accounts;
        let fixed = [
            ("accounts.sales", &a.sales),
            ("accounts.shipping", &a.shipping),
            ("accounts.tips", &a.tips),
            ("accounts.discounts", &a.discounts),
            ("accounts.refunds", &a.refunds),
            ("accounts.gift_cards", &a.gift_cards),
            ("accounts.receivable", &a.receivable),
            ("accounts.bank", &a.bank),
            ("accounts.inventory", &a.inventory),
            ("accounts.cogs", &a.cogs),
            ("accounts.rounding", &a.rounding),
            ("accounts.chargebacks", &a.chargebacks),
            ("accounts.disputes", &a.disputes),
            ("accounts.fx_gain", &a.fx_gain),
            ("accounts.fx_loss", &a.fx_loss),
            ("accounts.card", &a.card),
            (
                "accounts.platform_expenses_prefix",
                &a.platform_expenses_prefix,
            ),
            ("accounts.shipping_labels", &a.shipping_labels),
            ("accounts.clearing_prefix", &a.clearing_prefix),
            ("accounts.fees_prefix", &a.fees_prefix),
            ("accounts.sales_tax_prefix", &a.sales_tax_prefix),
        ];
        for (path, name) in fixed {
            check(path, name)?;
        }
        for (i, rule) in self.sales.iter().enumerate() {
            check(&format!("sales[{i}].account"), &rule.account)?;
            let criteria = [
                &rule.sku,
                &rule.product_type,
                &rule.vendor,
                &rule.tag,
                &rule.channel,
            ];
            if criteria
                .iter()
                .all(|c| c.as_deref().is_none_or(str::is_empty))
            {
                return Err(invalid(
                    &format!("sales[{i}]"),
                    &rule.account,
                    "a rule needs at least one of sku, product_type, vendor, tag, channel",
                ));
            }
        }
        for (title, account) in &self.tax {
            check(&format!("tax.{title:?}"), account)?;
        }
        for (gateway, accounts) in &self.gateways {
            if let Some(name) = &accounts.clearing {
                check(&format!("gateways.{gateway:?}.clearing"), name)?;
            }
            if let Some(name) = &accounts.fees {
                check(&format!("gateways.{gateway:?}.fees"), name)?;
            }
        }
        fee_estimate::validate(&self.fee_estimates)?;
        self.documents.validate()
    }

    /// The estimate rule for a gateway that reported no fee, if one is configured.
    pub fn fee_estimate(&self, gateway: &str) -> Option<&FeeEstimate> {
        self.fee_estimates
            .iter()
            .find(|r| r.gateway.trim().eq_ignore_ascii_case(gateway))
    }

    /// The sales account for a line, and the index of the rule that chose it (`None` = default).
    pub fn sales_account(&self, line: &LineItem, order: &Order) -> (&str, Option<usize>) {
        let matched = self
            .sales
            .iter()
            .position(|rule| rule_matches(rule, line, order));
        match matched.and_then(|i| self.sales.get(i).map(|r| (r.account.as_str(), i))) {
            Some((account, i)) => (account, Some(i)),
            None => (self.accounts.sales.as_str(), None),
        }
    }

    pub fn sales_account_for_sku(&self, sku: Option<&str>) -> &str {
        let matched = self.sales.iter().find(|rule| {
            rule.product_type.is_none()
                && rule.vendor.is_none()
                && rule.tag.is_none()
                && rule.channel.is_none()
                && matches!((rule.sku.as_deref(), sku), (Some(p), Some(s)) if glob(p, s))
        });
        matched.map_or(self.accounts.sales.as_str(), |r| r.account.as_str())
    }

    pub fn tax_account(&self, title: &str) -> String {
        self.tax
            .get(title)
            .cloned()
            .unwrap_or_else(|| names::under(&self.accounts.sales_tax_prefix, title))
    }

    /// Where money paid through `gateway` sits until it reaches the bank.
    pub fn clearing_account(&self, gateway: &str) -> String {
        if let Some(name) = self.gateways.get(gateway).and_then(|g| g.clearing.clone()) {
            return name;
        }
        if gateway == GIFT_CARD_GATEWAY {
            return self.accounts.gift_cards.clone();
        }
        if is_receivable_gateway(gateway) {
            return self.accounts.receivable.clone();
        }
        names::under(&self.accounts.clearing_prefix, gateway)
    }

    pub fn fee_account(&self, gateway: &str) -> String {
        self.gateways
            .get(gateway)
            .and_then(|g| g.fees.clone())
            .unwrap_or_else(|| names::under(&self.accounts.fees_prefix, gateway))
    }

    pub fn unit_cost(&self, sku: Option<&str>) -> Option<Decimal> {
        sku.and_then(|s| self.costs.get(s)).copied()
    }
}

pub fn is_receivable_gateway(gateway: &str) -> bool {
    RECEIVABLE_GATEWAYS
        .iter()
        .any(|g| g.eq_ignore_ascii_case(gateway))
}

fn rule_matches(rule: &SalesRule, line: &LineItem, order: &Order) -> bool {
    let eq = |want: &Option<String>, have: Option<&str>| match want {
        None => true,
        Some(w) => have.is_some_and(|h| h.eq_ignore_ascii_case(w)),
    };
    let sku_ok = match &rule.sku {
        None => true,
        Some(pattern) => line.sku.as_deref().is_some_and(|s| glob(pattern, s)),
    };
    let tag_ok = match &rule.tag {
        None => true,
        Some(t) => line
            .tags
            .iter()
            .chain(&order.tags)
            .any(|h| h.eq_ignore_ascii_case(t)),
    };
    sku_ok
        && tag_ok
        && eq(&rule.product_type, line.product_type.as_deref())
        && eq(&rule.vendor, line.vendor.as_deref())
        && eq(&rule.channel, order.channel.as_deref())
}

/// Case-insensitive match where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p.get(pi) != Some(&'*') && p.get(pi) == t.get(ti) {
            pi += 1;
            ti += 1;
        } else if p.get(pi) == Some(&'*') {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(feature = "toml")]
/// Names the TOML line of a config error's field, and quotes the value written there when the
/// error did not carry one (a type error): people fix a file by line, not by JSON path.
pub(super) fn at_line(text: &str, e: LedgerError) -> LedgerError {
    match e {
        LedgerError::Config {
            path,
            value,
            reason,
        } => match toml_lines::locate(text, &path) {
            Some((line, written)) => LedgerError::Config {
                value: if value.is_empty() { written } else { value },
                reason: format!("line {line}: {reason}"),
                path,
            },
            None => LedgerError::Config {
                path,
                value,
                reason,
            },
        },
        other => other,
    }
}

fn check(path: &str, name: &str) -> Result<()> {
    check_account(name).map_err(|reason| invalid(path, name, reason))
}

fn invalid(path: &str, value: &str, reason: &str) -> LedgerError {
    LedgerError::Config {
        path: path.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests;
