//! The config's JSON, written by hand: byte-identical to `serde_json::to_string` of the derives
//! (tests/config_write.rs holds it to them on every fixture config). The worker writes a config
//! when it stores one and when it answers `GET /api/config`, and fingerprints its chart for the
//! day aggregates; through serde these linked the derives' serializer code for every config type.

use super::config::{Accounts, Config, ExpensesPaidFrom, GatewayAccounts, RefundMode, SalesRule};
use super::{DocumentMode, DocumentTarget, Documents, FeeEstimate, GuestMode};
use crate::json::write::{decimal, string, Obj, WriteJson};
use std::collections::BTreeMap;

impl WriteJson for Config {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.str("shop", &self.shop)
            .val("accounts", &self.accounts)
            .val("sales", &self.sales)
            .val("tax", &Names(&self.tax))
            .val("gateways", &Gateways(&self.gateways))
            .str("refunds", refund_mode(self.refunds));
        let costs = obj.key("costs");
        costs.push('{');
        for (i, (sku, cost)) in self.costs.iter().enumerate() {
            if i > 0 {
                costs.push(',');
            }
            string(costs, sku);
            costs.push(':');
            decimal(costs, *cost);
        }
        costs.push('}');
        obj.val("exports", &ExportTables(&self.exports))
            .str(
                "expenses_paid_from",
                expenses_paid_from(self.expenses_paid_from),
            )
            .val("fee_estimates", &self.fee_estimates)
            .val("documents", &self.documents)
            .end();
    }

    fn size_hint(&self) -> usize {
        1536
    }
}

/// What `reports::config_fingerprint` hashes: the chart, the sales rules, the
/// tax titles and the gateways, as the JSON array serde wrote for their tuple.
pub(crate) fn chart_json(config: &Config) -> String {
    let mut out = String::with_capacity(1024);
    out.push('[');
    config.accounts.write_json(&mut out);
    out.push(',');
    config.sales.write_json(&mut out);
    out.push(',');
    Names(&config.tax).write_json(&mut out);
    out.push(',');
    Gateways(&config.gateways).write_json(&mut out);
    out.push(']');
    out
}

fn refund_mode(mode: RefundMode) -> &'static str {
    match mode {
        RefundMode::RefundsAccount => "refunds-account",
        RefundMode::Reverse => "reverse",
    }
}

fn expenses_paid_from(from: ExpensesPaidFrom) -> &'static str {
    match from {
        ExpensesPaidFrom::Card => "card",
        ExpensesPaidFrom::Bank => "bank",
    }
}

impl WriteJson for Accounts {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str("sales", &self.sales)
            .str("shipping", &self.shipping)
            .str("tips", &self.tips)
            .str("discounts", &self.discounts)
            .str("refunds", &self.refunds)
            .str("gift_cards", &self.gift_cards)
            .str("receivable", &self.receivable)
            .str("bank", &self.bank)
            .str("inventory", &self.inventory)
            .str("cogs", &self.cogs)
            .str("rounding", &self.rounding)
            .str("chargebacks", &self.chargebacks)
            .str("disputes", &self.disputes)
            .str("fx_gain", &self.fx_gain)
            .str("fx_loss", &self.fx_loss)
            .str("card", &self.card)
            .str("platform_expenses_prefix", &self.platform_expenses_prefix)
            .str("shipping_labels", &self.shipping_labels)
            .str("clearing_prefix", &self.clearing_prefix)
            .str("fees_prefix", &self.fees_prefix)
            .str("sales_tax_prefix", &self.sales_tax_prefix)
            .end();
    }
}

/// A member written only when set (the derives' `skip_serializing_if = "Option::is_none"`).
fn some(obj: &mut Obj<'_>, key: &str, value: Option<&String>) {
    if let Some(text) = value {
        obj.str(key, text);
    }
}

impl WriteJson for SalesRule {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        some(&mut obj, "sku", self.sku.as_ref());
        some(&mut obj, "product_type", self.product_type.as_ref());
        some(&mut obj, "vendor", self.vendor.as_ref());
        some(&mut obj, "tag", self.tag.as_ref());
        some(&mut obj, "channel", self.channel.as_ref());
        obj.str("account", &self.account).end();
    }
}

/// A name → name table (tax titles, exports, items, tax codes).
struct Names<'a>(&'a BTreeMap<String, String>);

impl WriteJson for Names<'_> {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        for (key, value) in self.0 {
            string(obj.data_key(key), value);
        }
        obj.end();
    }
}

struct Gateways<'a>(&'a BTreeMap<String, GatewayAccounts>);

impl WriteJson for Gateways<'_> {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        for (name, accounts) in self.0 {
            let mut inner = Obj::new(obj.data_key(name));
            some(&mut inner, "clearing", accounts.clearing.as_ref());
            some(&mut inner, "fees", accounts.fees.as_ref());
            inner.end();
        }
        obj.end();
    }
}

struct ExportTables<'a>(&'a super::config::Exports);

impl WriteJson for ExportTables<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .val("qbo", &Names(&self.0.qbo))
            .val("xero", &Names(&self.0.xero))
            .end();
    }
}

impl WriteJson for FeeEstimate {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.str("gateway", &self.gateway);
        decimal(obj.key("percent"), self.percent);
        decimal(obj.key("fixed"), self.fixed);
        obj.end();
    }
}

impl WriteJson for Documents {
    fn write_json(&self, out: &mut String) {
        Obj::new(out)
            .str(
                "mode",
                match self.mode {
                    DocumentMode::Journals => "journals",
                    DocumentMode::Documents => "documents",
                },
            )
            .flag("customers", self.customers)
            .str(
                "guests",
                match self.guests {
                    GuestMode::Shared => "shared",
                    GuestMode::Individual => "individual",
                },
            )
            .str("guest_name", &self.guest_name)
            .val("qbo", &self.qbo)
            .val("xero", &self.xero)
            .end();
    }
}

impl WriteJson for DocumentTarget {
    fn write_json(&self, out: &mut String) {
        let mut obj = Obj::new(out);
        obj.val("items", &Names(&self.items));
        some(&mut obj, "shipping_item", self.shipping_item.as_ref());
        some(&mut obj, "tip_item", self.tip_item.as_ref());
        some(&mut obj, "gift_card_item", self.gift_card_item.as_ref());
        some(&mut obj, "adjustment_item", self.adjustment_item.as_ref());
        obj.val("tax_codes", &Names(&self.tax_codes));
        some(&mut obj, "untaxed_code", self.untaxed_code.as_ref());
        some(&mut obj, "account", self.account.as_ref());
        obj.end();
    }
}
