//! (Test oracle: the `serde_json::Value` walk that `fetched.rs` replaced, the mapping unchanged.)

use super::fetched::{gid_number, ORDER_KEY, ORDER_TRANSACTIONS_KEY};
use super::{currency, wire};
use crate::error::{LedgerError, Result};
use crate::model::{Order, Tender, TenderKind};
use crate::money::checked::add;
use crate::money::{parse_decimal, NumeralError};
use crate::platforms::de::limit;
use crate::platforms::totals::non_negative;
use rust_decimal::Decimal;
use serde_json::Value;

const BASE: &str = "order_transactions.data.order";

/// `order` and `transactions` are the envelope's two members, as the Shopify payload read them.
pub fn order(order: &str, transactions: Option<&str>) -> Result<Order> {
    let p = wire::Payload::parse(order.as_bytes()).map_err(|e| e.within(ORDER_KEY))?;
    let raw = transactions.ok_or_else(|| LedgerError::MissingField {
        path: ORDER_TRANSACTIONS_KEY.to_string(),
    })?;
    // The text was already parsed once as a raw value, so it is well-formed JSON.
    let response: Value = serde_json::from_str(raw).map_err(|e| LedgerError::Json {
        path: ORDER_TRANSACTIONS_KEY.to_string(),
        message: e.to_string(),
    })?;
    if let Some(first) = response
        .get("errors")
        .filter(|e| !e.is_null())
        .map(|e| e.get(0).unwrap_or(e))
    {
        let code = first.pointer("/extensions/code").and_then(Value::as_str);
        let message = first.get("message").and_then(Value::as_str);
        return Err(LedgerError::InvalidValue {
            path: format!("{ORDER_TRANSACTIONS_KEY}.errors"),
            value: code.unwrap_or("").to_string(),
            reason: format!(
                "the GraphQL query failed: {}",
                message.unwrap_or("no message")
            ),
        });
    }
    let fetched = response
        .pointer("/data/order")
        .filter(|o| o.is_object())
        .ok_or_else(|| LedgerError::InvalidValue {
            path: BASE.to_string(),
            value: "null".to_string(),
            reason: "the GraphQL response holds no order (unknown id, or no access)".to_string(),
        })?;
    let mut order = super::order::order(p).map_err(|e| e.within(ORDER_KEY))?;
    let gid = text(fetched, "id", BASE)?;
    if gid_number(gid) != Some(order.id.as_str()) {
        return Err(LedgerError::InvalidValue {
            path: format!("{BASE}.id"),
            value: gid.to_string(),
            reason: format!(
                "the transactions fetched are not those of order {}",
                order.id
            ),
        });
    }
    let list = array(fetched, "transactions", BASE)?;
    let list_path = format!("{BASE}.transactions");
    limit(list.len(), &list_path)?;
    order.tenders = tenders(list, &list_path, order.currency.code())?;
    Ok(order)
}

/// Successful SALE and CAPTURE transactions, each with the sum of its fees (and their tax).
fn tenders(transactions: &[Value], base: &str, shop_currency: &str) -> Result<Vec<Tender>> {
    let mut out = Vec::new();
    for (i, t) in transactions.iter().enumerate() {
        let path = format!("{base}[{i}]");
        let kind = text(t, "kind", &path)?;
        let status = text(t, "status", &path)?;
        if !matches!(kind, "SALE" | "CAPTURE") || status != "SUCCESS" {
            continue;
        }
        let bag = field(t, "amountSet", &path)?;
        let amount = shop_money(
            field(bag, "shopMoney", &format!("{path}.amountSet"))?,
            shop_currency,
            &format!("{path}.amountSet.shopMoney"),
        )?;
        let fees = match t.get("fees").filter(|f| !f.is_null()) {
            Some(_) => array(t, "fees", &path)?,
            None => &[],
        };
        let mut fee: Option<Decimal> = None;
        for (j, f) in fees.iter().enumerate() {
            let at = format!("{path}.fees[{j}]");
            let charged = shop_money(
                field(f, "amount", &at)?,
                shop_currency,
                &format!("{at}.amount"),
            )?;
            let mut sum = add(
                fee.unwrap_or_default(),
                charged,
                &format!("{at}.amount.amount"),
            )?;
            // Tax on the fee is withheld with it, so it is part of the cost of taking the payment.
            if let Some(tax) = f.get("taxAmount").filter(|t| !t.is_null()) {
                let tax = shop_money(tax, shop_currency, &format!("{at}.taxAmount"))?;
                sum = add(sum, tax, &format!("{at}.taxAmount.amount"))?;
            }
            fee = Some(sum);
        }
        let gid = text(t, "id", &path)?;
        let id = gid_number(gid).ok_or_else(|| LedgerError::InvalidValue {
            path: format!("{path}.id"),
            value: gid.to_string(),
            reason: "expected a global id like gid://shopify/OrderTransaction/123".to_string(),
        })?;
        let gateway = t
            .get("gateway")
            .and_then(Value::as_str)
            .filter(|g| !g.is_empty())
            .unwrap_or("manual");
        out.push(Tender {
            id: Some(id.to_string()),
            gateway: gateway.to_string(),
            kind: TenderKind::Payment,
            amount,
            fee,
            fee_unbooked: None,
            source_index: Some(i),
        });
    }
    Ok(out)
}

/// A MoneyV2 (`{amount, currencyCode}`) at `path`: a non-negative amount in the shop's currency.
fn shop_money(m: &Value, shop_currency: &str, path: &str) -> Result<Decimal> {
    let code_text = text(m, "currencyCode", path)?;
    let code = currency(code_text, &format!("{path}.currencyCode"))?;
    if !code.code().eq_ignore_ascii_case(shop_currency) {
        return Err(LedgerError::InvalidValue {
            path: format!("{path}.currencyCode"),
            value: code_text.to_string(),
            reason: format!(
                "the order books in {shop_currency}; shop money must be {shop_currency}"
            ),
        });
    }
    let amount_path = format!("{path}.amount");
    let text = text(m, "amount", path)?;
    let amount = parse_decimal(text).map_err(|e| match e {
        NumeralError::TooLarge => LedgerError::AmountTooLarge {
            path: amount_path.clone(),
            value: text.to_string(),
        },
        other => LedgerError::InvalidAmount {
            path: amount_path.clone(),
            value: text.to_string(),
            reason: other.reason().to_string(),
        },
    })?;
    non_negative(amount, || amount_path)
}

/// The member `key` of the object at `path`; missing or `null` is a missing field.
fn field<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a Value> {
    v.get(key)
        .filter(|x| !x.is_null())
        .ok_or_else(|| LedgerError::MissingField {
            path: format!("{path}.{key}"),
        })
}

fn text<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a str> {
    field(v, key, path)?
        .as_str()
        .ok_or_else(|| wrong_type(path, key, "a string"))
}

fn array<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a [Value]> {
    field(v, key, path)?
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| wrong_type(path, key, "an array"))
}

fn wrong_type(path: &str, key: &str, expected: &str) -> LedgerError {
    LedgerError::InvalidType {
        path: format!("{path}.{key}"),
        message: format!("expected {expected}"),
    }
}
