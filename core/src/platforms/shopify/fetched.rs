//! An order webhook body stored together with the order's transactions fetched from the GraphQL
//! Admin API: `{"order": <webhook body>, "order_transactions": <GraphQL response body>}`.
//!
//! Order webhooks carry no processing fees; `Order.transactions { fees }` is the only per-order
//! source (Shopify Payments only). The fetched transactions therefore replace the body's own
//! `transactions` (which `orders/paid` omits anyway) as the sale's tenders. Refund transactions are
//! left to the refunds: a refund entry is built from `order.refunds[]` exactly as without the
//! envelope, and a fee listed on a REFUND transaction is not booked by the order — Shopify Payments
//! keeps the charge's fee on a refund, and anything it does charge there reaches the books through
//! the payout's refund balance transaction (docs/platforms.md).

use super::{currency, wire};
use crate::error::{LedgerError, Result};
use crate::model::{Order, Tender, TenderKind};
use crate::money::checked::add;
use crate::money::{parse_decimal, NumeralError};
use crate::platforms::de::limit;
use crate::platforms::totals::non_negative;
use crate::platforms::val::Val;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// The GraphQL Admin query whose response body is the envelope's `order_transactions`, sent with
/// the variables `{"id": "gid://shopify/Order/<order id>"}`. It needs the `read_orders` scope
/// (plus `read_all_orders` for orders older than 60 days).
pub const ORDER_TRANSACTIONS_QUERY: &str = "query LedgerbridgeOrderTransactions($id: ID!) { \
order(id: $id) { id transactions { id kind status gateway processedAt \
amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } \
fees { amount { amount currencyCode } flatFee { amount currencyCode } rate rateName flatFeeName \
taxAmount { amount currencyCode } type } parentTransaction { id } } } }";

/// The envelope key holding the webhook body; its presence at the top selects this adapter.
pub const ORDER_KEY: &str = "order";

/// The envelope key holding the GraphQL response body.
pub const ORDER_TRANSACTIONS_KEY: &str = "order_transactions";

/// The JSON body to POST to `/admin/api/<version>/graphql.json` for the transactions of order
/// `order_id` (the webhook's numeric `id`).
pub fn order_transactions_request(order_id: &str) -> String {
    serde_json::json!({
        "query": ORDER_TRANSACTIONS_QUERY,
        "variables": {"id": format!("gid://shopify/Order/{order_id}")},
    })
    .to_string()
}

/// The payload to store for an order event: both bodies verbatim, byte for byte, so nothing is
/// re-rendered (amounts stay the text the platform sent). Neither body is checked here; mapping the
/// result reports any fault with its path.
pub fn order_envelope(order: &[u8], order_transactions: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(order.len() + order_transactions.len() + 40);
    out.extend_from_slice(b"{\"");
    out.extend_from_slice(ORDER_KEY.as_bytes());
    out.extend_from_slice(b"\":");
    out.extend_from_slice(order);
    out.extend_from_slice(b",\"");
    out.extend_from_slice(ORDER_TRANSACTIONS_KEY.as_bytes());
    out.extend_from_slice(b"\":");
    out.extend_from_slice(order_transactions);
    out.push(b'}');
    out
}

const BASE: &str = "order_transactions.data.order";

/// The numeric id inside a GraphQL global id (`gid://shopify/OrderTransaction/123` → `123`).
pub fn gid_number(gid: &str) -> Option<&str> {
    let rest = gid.strip_prefix("gid://shopify/")?;
    let (_kind, tail) = rest.split_once('/')?;
    // A gid may carry query parameters (`…/123?foo=bar`); the id is what precedes them.
    let number = tail.split('?').next().unwrap_or_default();
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(number)
}

/// `order` and `transactions` are the envelope's two members, as the Shopify payload read them.
pub(super) fn order(order: &str, transactions: Option<&str>) -> Result<Order> {
    let p = wire::Payload::parse(order.as_bytes()).map_err(|e| e.within(ORDER_KEY))?;
    let raw = transactions.ok_or_else(|| LedgerError::MissingField {
        path: ORDER_TRANSACTIONS_KEY.to_string(),
    })?;
    // The text was already read once as a raw value by the Shopify payload, so it is well-formed.
    let response = Val(raw);
    if let Some(first) = response
        .get("errors")
        .filter(|e| !e.is_null())
        .map(|e| e.first_item().unwrap_or(e))
    {
        let code = first.get("extensions").and_then(|x| x.get("code"));
        let code = code.and_then(Val::as_str);
        let message = first.get("message").and_then(Val::as_str);
        return Err(LedgerError::InvalidValue {
            path: format!("{ORDER_TRANSACTIONS_KEY}.errors"),
            value: code.unwrap_or_default().into_owned(),
            reason: format!(
                "the GraphQL query failed: {}",
                message.as_deref().unwrap_or("no message")
            ),
        });
    }
    let fetched = response
        .get("data")
        .and_then(|d| d.get("order"))
        .filter(|o| o.is_object())
        .ok_or_else(|| LedgerError::InvalidValue {
            path: BASE.to_string(),
            value: "null".to_string(),
            reason: "the GraphQL response holds no order (unknown id, or no access)".to_string(),
        })?;
    let mut order = super::order::order(p).map_err(|e| e.within(ORDER_KEY))?;
    let gid = text(fetched, "id", BASE)?;
    if gid_number(&gid) != Some(order.id.as_str()) {
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
    order.tenders = tenders(&list, &list_path, order.currency.code())?;
    Ok(order)
}

/// Successful SALE and CAPTURE transactions, each with the sum of its fees (and their tax).
fn tenders(transactions: &[Val<'_>], base: &str, shop_currency: &str) -> Result<Vec<Tender>> {
    let mut out = Vec::new();
    for (i, t) in transactions.iter().enumerate() {
        let path = format!("{base}[{i}]");
        let t = *t;
        let kind = text(t, "kind", &path)?;
        let status = text(t, "status", &path)?;
        if !matches!(&*kind, "SALE" | "CAPTURE") || status != "SUCCESS" {
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
            None => Vec::new(),
        };
        let mut fee: Option<Decimal> = None;
        for (j, f) in fees.iter().enumerate() {
            let at = format!("{path}.fees[{j}]");
            let charged = shop_money(
                field(*f, "amount", &at)?,
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
        let id = gid_number(&gid).ok_or_else(|| LedgerError::InvalidValue {
            path: format!("{path}.id"),
            value: gid.to_string(),
            reason: "expected a global id like gid://shopify/OrderTransaction/123".to_string(),
        })?;
        let gateway = t
            .get("gateway")
            .and_then(Val::as_str)
            .filter(|g| !g.is_empty())
            .unwrap_or(Cow::Borrowed("manual"));
        out.push(Tender {
            id: Some(id.to_string()),
            gateway: gateway.into_owned(),
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
fn shop_money(m: Val<'_>, shop_currency: &str, path: &str) -> Result<Decimal> {
    let code_text = text(m, "currencyCode", path)?;
    let code = currency(&code_text, &format!("{path}.currencyCode"))?;
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
    let text = &*text;
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
fn field<'a>(v: Val<'a>, key: &str, path: &str) -> Result<Val<'a>> {
    v.get(key)
        .filter(|x| !x.is_null())
        .ok_or_else(|| LedgerError::MissingField {
            path: format!("{path}.{key}"),
        })
}

fn text<'a>(v: Val<'a>, key: &str, path: &str) -> Result<Cow<'a, str>> {
    field(v, key, path)?
        .as_str()
        .ok_or_else(|| wrong_type(path, key, "a string"))
}

fn array<'a>(v: Val<'a>, key: &str, path: &str) -> Result<Vec<Val<'a>>> {
    field(v, key, path)?
        .items()
        .ok_or_else(|| wrong_type(path, key, "an array"))
}

fn wrong_type(path: &str, key: &str, expected: &str) -> LedgerError {
    LedgerError::InvalidType {
        path: format!("{path}.{key}"),
        message: format!("expected {expected}"),
    }
}

#[cfg(test)]
mod tests {
    use super::gid_number;

    #[test]
    fn reads_the_number_of_a_global_id() {
        assert_eq!(
            gid_number("gid://shopify/OrderTransaction/123"),
            Some("123")
        );
        assert_eq!(gid_number("gid://shopify/Order/9?x=1"), Some("9"));
        assert_eq!(gid_number("gid://shopify/Order/"), None);
        assert_eq!(gid_number("gid://shopify/Order/12a"), None);
        assert_eq!(gid_number("123"), None);
    }
}
