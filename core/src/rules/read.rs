//! JSON configs read with the core's [`Reader`] rather than serde derive, so a build that reads no
//! other JSON through serde (the widget's lean wasm modules) links no serde_json deserializer.
//!
//! Same behaviour as the derives on the config types (kept, and used by the tests as the oracle):
//! every field optional with the type's default, unknown keys and repeated known keys refused,
//! maps keep the last of repeated keys, enums as their name (or serde's `{"name": null}`), and each
//! error with serde's code and path (`Config::load` makes them `E_CONFIG`). A struct may even be
//! written as an array of its fields in order, as serde's derive allowed (the wire types' readers
//! refuse that form; a config keeps it, so no config that loaded before is refused now).

use super::{
    Accounts, Config, DocumentMode, DocumentTarget, Documents, ExpensesPaidFrom, Exports,
    FeeEstimate, GatewayAccounts, GuestMode, RefundMode, SalesRule,
};
use crate::error::LedgerError;
use crate::json::{unknown, variant, Array, Object, Reader, Seen};
use crate::money::parse_decimal;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, LedgerError>;

/// One JSON config document, not yet validated.
pub(super) fn config(text: &str) -> Result<Config> {
    let mut r = Reader::new(text);
    let config = read_config(&mut r)?;
    r.finish()?;
    Ok(config)
}

/// A struct's members read into its fields: `$bit` is the field's index in the key list, and the
/// member walk ([`Members`]) is one function for every struct. `$form` names a bool that is true
/// when the struct is written in serde's positional form (where a custom check's error is placed).
macro_rules! fields {
    ($r:ident, $form:ident; $($bit:literal $key:literal => $read:expr;)*) => {{
        let mut members = Members::open($r)?;
        let $form = members.positional();
        while let Some(i) = members.next($r, &[$($key),*])? {
            match i {
                $($bit => $read,)*
                _ => {}
            }
        }
    }};
}

/// Where a struct's members are: an object's keys, each known key once (any other refused, as
/// serde's `deny_unknown_fields` refuses it), or an array of the fields in order, as serde's
/// derive also read a struct (missing ones keep their defaults).
enum Members {
    Object(Object, Seen),
    Array(Array),
}

impl Members {
    fn open(r: &mut Reader<'_>) -> Result<Self> {
        Ok(if r.lookahead() == b'[' {
            Members::Array(r.array()?)
        } else {
            Members::Object(r.object()?, Seen::default())
        })
    }

    fn positional(&self) -> bool {
        matches!(self, Members::Array(_))
    }

    /// The next member's index in `names` (the cursor then at its value), `None` past the end.
    fn next(&mut self, r: &mut Reader<'_>, names: &[&'static str]) -> Result<Option<usize>> {
        match self {
            Members::Array(arr) => {
                if !r.item(arr)? {
                    return Ok(None);
                }
                if arr.len() >= names.len() {
                    return Err(too_many(r));
                }
                Ok(Some(arr.len()))
            }
            Members::Object(obj, seen) => {
                let Some(key) = r.key(obj)? else {
                    return Ok(None);
                };
                let Some(i) = names.iter().position(|n| *n == key) else {
                    return Err(unknown(r, "field", &key, names));
                };
                seen.first(r, i as u32, &key)?;
                Ok(Some(i))
            }
        }
    }
}

/// serde_json's `end_seq` finding an item after a positional struct's last field.
#[cold]
fn too_many(r: &mut Reader<'_>) -> LedgerError {
    if r.lookahead() == b']' {
        r.refuse_next("trailing comma")
    } else {
        r.refuse_next("trailing characters")
    }
}

fn read_config(r: &mut Reader<'_>) -> Result<Config> {
    let mut c = Config::default();
    fields! { r, positional;
        0 "shop" => c.shop = r.string()?;
        1 "accounts" => c.accounts = accounts(r)?;
        2 "sales" => c.sales = r.vec(sales_rule)?;
        3 "tax" => c.tax = names(r)?;
        4 "gateways" => c.gateways = gateways(r)?;
        5 "refunds" => c.refunds = refund_mode(r)?;
        6 "costs" => c.costs = costs(r, positional)?;
        7 "exports" => c.exports = exports(r)?;
        8 "expenses_paid_from" => c.expenses_paid_from = expenses_paid_from(r)?;
        9 "fee_estimates" => c.fee_estimates = r.vec(fee_estimate)?;
        10 "documents" => c.documents = documents(r)?;
    }
    Ok(c)
}

const ACCOUNTS: [&str; 21] = [
    "sales",
    "shipping",
    "tips",
    "discounts",
    "refunds",
    "gift_cards",
    "receivable",
    "bank",
    "inventory",
    "cogs",
    "rounding",
    "chargebacks",
    "disputes",
    "fx_gain",
    "fx_loss",
    "card",
    "platform_expenses_prefix",
    "shipping_labels",
    "clearing_prefix",
    "fees_prefix",
    "sales_tax_prefix",
];

fn accounts(r: &mut Reader<'_>) -> Result<Accounts> {
    let mut given: [Option<String>; 21] = Default::default();
    texts(r, &ACCOUNTS, 0, &mut given)?;
    let mut a = Accounts::default();
    let slots = [
        &mut a.sales,
        &mut a.shipping,
        &mut a.tips,
        &mut a.discounts,
        &mut a.refunds,
        &mut a.gift_cards,
        &mut a.receivable,
        &mut a.bank,
        &mut a.inventory,
        &mut a.cogs,
        &mut a.rounding,
        &mut a.chargebacks,
        &mut a.disputes,
        &mut a.fx_gain,
        &mut a.fx_loss,
        &mut a.card,
        &mut a.platform_expenses_prefix,
        &mut a.shipping_labels,
        &mut a.clearing_prefix,
        &mut a.fees_prefix,
        &mut a.sales_tax_prefix,
    ];
    for (slot, name) in slots.into_iter().zip(given) {
        if let Some(name) = name {
            *slot = name;
        }
    }
    Ok(a)
}

fn sales_rule(r: &mut Reader<'_>) -> Result<SalesRule> {
    const FIELDS: [&str; 6] = ["sku", "product_type", "vendor", "tag", "channel", "account"];
    let [sku, product_type, vendor, tag, channel, account] = {
        let mut given: [Option<String>; 6] = Default::default();
        texts(r, &FIELDS, 0b1_1111, &mut given)?;
        given
    };
    Ok(SalesRule {
        sku,
        product_type,
        vendor,
        tag,
        channel,
        account: account.unwrap_or_default(),
    })
}

fn gateway(r: &mut Reader<'_>) -> Result<GatewayAccounts> {
    let mut given: [Option<String>; 2] = Default::default();
    texts(r, &["clearing", "fees"], 0b11, &mut given)?;
    let [clearing, fees] = given;
    Ok(GatewayAccounts { clearing, fees })
}

/// An object whose members are all text: `names[i]` into `given[i]`, `null` read as `None` where
/// bit `i` of `nullable` is set (an `Option` field). One loop for every such struct, instead of a
/// `match` arm per field in each.
fn texts(
    r: &mut Reader<'_>,
    names: &[&'static str],
    nullable: u64,
    given: &mut [Option<String>],
) -> Result<()> {
    let mut member = |r: &mut Reader<'_>, i: usize| -> Result<()> {
        let value = if nullable >> i & 1 == 1 {
            r.opt(Reader::string)?
        } else {
            Some(r.string()?)
        };
        if let Some(slot) = given.get_mut(i) {
            *slot = value;
        }
        Ok(())
    };
    let mut members = Members::open(r)?;
    while let Some(i) = members.next(r, names)? {
        member(r, i)?;
    }
    Ok(())
}

fn exports(r: &mut Reader<'_>) -> Result<Exports> {
    let mut e = Exports::default();
    fields! { r, _form;
        0 "qbo" => e.qbo = names(r)?;
        1 "xero" => e.xero = names(r)?;
    }
    Ok(e)
}

fn fee_estimate(r: &mut Reader<'_>) -> Result<FeeEstimate> {
    let mut f = FeeEstimate::default();
    fields! { r, positional;
        0 "gateway" => f.gateway = r.string()?;
        1 "percent" => f.percent = decimal_text(r, positional)?;
        2 "fixed" => f.fixed = decimal_text(r, positional)?;
    }
    Ok(f)
}

fn documents(r: &mut Reader<'_>) -> Result<Documents> {
    let mut d = Documents::default();
    fields! { r, _form;
        0 "mode" => d.mode = [DocumentMode::Journals, DocumentMode::Documents][variant(r, &["journals", "documents"])?];
        1 "customers" => d.customers = r.bool()?;
        2 "guests" => d.guests = [GuestMode::Shared, GuestMode::Individual][variant(r, &["shared", "individual"])?];
        3 "guest_name" => d.guest_name = r.string()?;
        4 "qbo" => d.qbo = document_target(r)?;
        5 "xero" => d.xero = document_target(r)?;
    }
    Ok(d)
}

fn document_target(r: &mut Reader<'_>) -> Result<DocumentTarget> {
    let mut t = DocumentTarget::default();
    fields! { r, _form;
        0 "items" => t.items = names(r)?;
        1 "shipping_item" => t.shipping_item = text(r)?;
        2 "tip_item" => t.tip_item = text(r)?;
        3 "gift_card_item" => t.gift_card_item = text(r)?;
        4 "adjustment_item" => t.adjustment_item = text(r)?;
        5 "tax_codes" => t.tax_codes = names(r)?;
        6 "untaxed_code" => t.untaxed_code = text(r)?;
        7 "account" => t.account = text(r)?;
    }
    Ok(t)
}

fn refund_mode(r: &mut Reader<'_>) -> Result<RefundMode> {
    let i = variant(r, &["refunds-account", "reverse"])?;
    Ok([RefundMode::RefundsAccount, RefundMode::Reverse][i])
}

fn expenses_paid_from(r: &mut Reader<'_>) -> Result<ExpensesPaidFrom> {
    let i = variant(r, &["card", "bank"])?;
    Ok([ExpensesPaidFrom::Card, ExpensesPaidFrom::Bank][i])
}

/// An optional text member (`null` reads as `None`).
fn text(r: &mut Reader<'_>) -> Result<Option<String>> {
    r.opt(Reader::string)
}

/// A map of names (tax title → account, account → target id); a repeated key keeps its last value,
/// as serde's map does.
fn names(r: &mut Reader<'_>) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    entries(r, &mut |r, key| {
        map.insert(key, r.string()?);
        Ok(())
    })?;
    Ok(map)
}

fn gateways(r: &mut Reader<'_>) -> Result<BTreeMap<String, GatewayAccounts>> {
    let mut map = BTreeMap::new();
    entries(r, &mut |r, key| {
        map.insert(key, gateway(r)?);
        Ok(())
    })?;
    Ok(map)
}

/// Calls `read` with each member's key, the cursor at its value. Not generic: one copy.
fn entries(
    r: &mut Reader<'_>,
    read: &mut dyn FnMut(&mut Reader<'_>, String) -> Result<()>,
) -> Result<()> {
    let mut obj = r.object()?;
    while let Some(key) = r.key(&mut obj)? {
        read(r, key.into_owned())?;
    }
    Ok(())
}

/// Sku → unit cost: the whole map is read as text first and then checked in key order, so the
/// first bad cost named is the one serde's `cost_table` named.
fn costs(r: &mut Reader<'_>, positional: bool) -> Result<BTreeMap<String, Decimal>> {
    let raw = names(r)?;
    let mut costs = BTreeMap::new();
    for (sku, text) in raw {
        let reason = match parse_decimal(&text) {
            Ok(cost) if !cost.is_sign_negative() => {
                costs.insert(sku, cost);
                continue;
            }
            Ok(_) => format!("cost of {sku:?} is negative: {text:?}"),
            Err(e) => format!(
                "cost of {sku:?} is not a decimal string: {text:?} ({})",
                e.reason()
            ),
        };
        return Err(custom(r, positional, reason));
    }
    Ok(costs)
}

/// A decimal string (`"2.9"`), as `fee_estimate`'s `decimal_text` reads it.
fn decimal_text(r: &mut Reader<'_>, positional: bool) -> Result<Decimal> {
    let text = r.str()?;
    parse_decimal(&text).map_err(|e| {
        let reason = format!(
            "invalid value: {text:?} is not a decimal string ({})",
            e.reason()
        );
        custom(r, positional, reason)
    })
}

/// A check on a value already read, placed where serde_json places a `deserialize_with` error.
#[cold]
fn custom(r: &mut Reader<'_>, positional: bool, message: String) -> LedgerError {
    LedgerError::InvalidType {
        path: r.path_after_member(positional),
        message,
    }
}

#[cfg(all(test, feature = "toml"))]
#[path = "read_tests.rs"]
mod tests;
