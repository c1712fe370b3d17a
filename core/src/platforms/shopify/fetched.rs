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
use crate::platforms::de::{self, limit, Dec};
use crate::platforms::totals::non_negative;
use rust_decimal::Decimal;
use serde::Deserialize;

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

#[derive(Deserialize)]
struct Envelope {
    order: wire::Payload,
    order_transactions: Response,
}

#[derive(Deserialize)]
struct Response {
    data: Option<Data>,
    errors: Option<Vec<GraphqlError>>,
}

#[derive(Deserialize)]
struct GraphqlError {
    message: Option<String>,
    extensions: Option<ErrorExtensions>,
}

#[derive(Deserialize)]
struct ErrorExtensions {
    code: Option<String>,
}

#[derive(Deserialize)]
struct Data {
    order: Option<GqlOrder>,
}

#[derive(Deserialize)]
struct GqlOrder {
    id: String,
    transactions: Vec<GqlTransaction>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GqlTransaction {
    id: String,
    kind: String,
    status: String,
    gateway: Option<String>,
    amount_set: MoneyBag,
    #[serde(default)]
    fees: Vec<GqlFee>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MoneyBag {
    shop_money: Money,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Money {
    amount: Dec,
    currency_code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GqlFee {
    amount: Money,
    tax_amount: Option<Money>,
}

/// The numeric id inside a GraphQL global id (`gid://shopify/OrderTransaction/123` → `123`).
pub fn gid_number(gid: &str) -> Option<&str> {
    let rest = gid.strip_prefix("gid://shopify/")?;
    let (_kind, tail) = rest.split_once('/')?;
    // A gid may carry query parameters (`…/123?foo=bar`); the id is what precedes them.
    let number = tail.split('?').next().unwrap_or_default();
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(number)
}

pub(super) fn order(bytes: &[u8]) -> Result<Order> {
    let e: Envelope = de::from_json(bytes)?;
    if let Some(first) = e.order_transactions.errors.as_ref().and_then(|v| v.first()) {
        let code = first.extensions.as_ref().and_then(|x| x.code.as_deref());
        return Err(LedgerError::InvalidValue {
            path: "order_transactions.errors".to_string(),
            value: code.unwrap_or("").to_string(),
            reason: format!(
                "the GraphQL query failed: {}",
                first.message.as_deref().unwrap_or("no message")
            ),
        });
    }
    let fetched = e
        .order_transactions
        .data
        .and_then(|d| d.order)
        .ok_or_else(|| LedgerError::InvalidValue {
            path: BASE.to_string(),
            value: "null".to_string(),
            reason: "the GraphQL response holds no order (unknown id, or no access)".to_string(),
        })?;
    let mut order = super::order::order(e.order).map_err(|e| e.within("order"))?;
    if gid_number(&fetched.id) != Some(order.id.as_str()) {
        return Err(LedgerError::InvalidValue {
            path: format!("{BASE}.id"),
            value: fetched.id,
            reason: format!(
                "the transactions fetched are not those of order {}",
                order.id
            ),
        });
    }
    limit(fetched.transactions.len(), &format!("{BASE}.transactions"))?;
    order.tenders = tenders(fetched.transactions, order.currency.code())?;
    Ok(order)
}

/// Successful SALE and CAPTURE transactions, each with the sum of its fees (and their tax).
fn tenders(transactions: Vec<GqlTransaction>, shop_currency: &str) -> Result<Vec<Tender>> {
    let mut out = Vec::new();
    for (i, t) in transactions.into_iter().enumerate() {
        let path = format!("{BASE}.transactions[{i}]");
        if !matches!(t.kind.as_str(), "SALE" | "CAPTURE") || t.status != "SUCCESS" {
            continue;
        }
        let amount = shop_money(&t.amount_set.shop_money, shop_currency, || {
            format!("{path}.amountSet.shopMoney")
        })?;
        let mut fee: Option<Decimal> = None;
        for (j, f) in t.fees.iter().enumerate() {
            let at = |field: &str| format!("{path}.fees[{j}].{field}");
            let mut sum = fee.unwrap_or_default();
            let charged = shop_money(&f.amount, shop_currency, || at("amount"))?;
            sum = add(sum, charged, &at("amount.amount"))?;
            // Tax on the fee is withheld with it, so it is part of the cost of taking the payment.
            if let Some(tax) = &f.tax_amount {
                let tax = shop_money(tax, shop_currency, || at("taxAmount"))?;
                sum = add(sum, tax, &at("taxAmount.amount"))?;
            }
            fee = Some(sum);
        }
        let id = gid_number(&t.id).ok_or_else(|| LedgerError::InvalidValue {
            path: format!("{path}.id"),
            value: t.id.clone(),
            reason: "expected a global id like gid://shopify/OrderTransaction/123".to_string(),
        })?;
        out.push(Tender {
            id: Some(id.to_string()),
            gateway: t
                .gateway
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| "manual".to_string()),
            kind: TenderKind::Payment,
            amount,
            fee,
            fee_unbooked: None,
        });
    }
    Ok(out)
}

/// A non-negative amount in the shop's currency; `owner` is the MoneyV2's path.
fn shop_money(m: &Money, shop_currency: &str, owner: impl Fn() -> String) -> Result<Decimal> {
    let code = currency(&m.currency_code, &format!("{}.currencyCode", owner()))?;
    if !code.code().eq_ignore_ascii_case(shop_currency) {
        return Err(LedgerError::InvalidValue {
            path: format!("{}.currencyCode", owner()),
            value: m.currency_code.clone(),
            reason: format!(
                "the order books in {shop_currency}; shop money must be {shop_currency}"
            ),
        });
    }
    non_negative(m.amount.0, || format!("{}.amount", owner()))
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
