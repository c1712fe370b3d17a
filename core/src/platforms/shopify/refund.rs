//! Shopify refunds (embedded in an order, or a `refunds/create` body) and transactions.

use super::{currency, limit, money, tax_lines, timestamp, wire};
use crate::error::{LedgerError, Result};
use crate::model::{
    Adjustment, AdjustmentKind, Refund, RefundLine, Restock, StandaloneRefund, Tender, TenderKind,
};
use crate::platforms::de::required;

pub(super) fn refund(r: wire::Refund, order_id: &str, shop_currency: &str) -> Result<Refund> {
    let text = required(
        r.processed_at.as_deref().or(r.created_at.as_deref()),
        "processed_at",
    )?;
    let processed_at = timestamp(
        text,
        if r.processed_at.is_some() {
            "processed_at"
        } else {
            "created_at"
        },
    )?;
    limit(r.refund_line_items.len(), "refund_line_items")?;
    limit(r.transactions.len(), "transactions")?;
    Ok(Refund {
        id: r.id.0,
        order_id: order_id.to_string(),
        processed_at,
        lines: refund_lines(r.refund_line_items)?,
        adjustments: adjustments(r.order_adjustments),
        tenders: tenders(r.transactions, "transactions", shop_currency)?,
    })
}

/// A `refunds/create` body: the refund alone, with the order's currency read off its money.
pub(super) fn standalone(p: wire::Payload) -> Result<StandaloneRefund> {
    let order_id = required(p.order_id, "order_id")?.0;
    let code = p
        .transactions
        .iter()
        .find_map(|t| t.currency.clone())
        .or_else(|| {
            let lines = p.refund_line_items.as_deref().unwrap_or_default();
            lines.iter().find_map(|l| {
                l.subtotal_set
                    .as_ref()?
                    .shop_money
                    .as_ref()?
                    .currency_code
                    .as_ref()
                    .map(|c| c.as_str().to_string())
            })
        })
        .or(p.currency)
        .ok_or_else(|| LedgerError::MissingField {
            path: "transactions[0].currency".to_string(),
        })?;
    let currency = currency(&code, "transactions[0].currency")?;
    let gateway = p.transactions.first().map(|t| t.gateway.clone());
    let body = wire::Refund {
        id: required(p.id, "id")?,
        created_at: p.created_at,
        processed_at: p.processed_at,
        refund_line_items: p.refund_line_items.unwrap_or_default(),
        transactions: p.transactions,
        order_adjustments: p.order_adjustments,
    };
    Ok(StandaloneRefund {
        currency,
        taxes_included: None,
        gateway,
        refund: refund(body, &order_id, currency.code())?,
        customer: None,
    })
}

fn refund_lines(lines: Vec<wire::RefundLineItem>) -> Result<Vec<RefundLine>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let path = || format!("refund_line_items[{i}]");
            let (sku, gift_card, original_taxes) = match l.line_item {
                Some(line) => {
                    let owner = || format!("{}.line_item", path());
                    let taxes = tax_lines(line.tax_lines, &owner)?;
                    (line.sku, line.gift_card, taxes)
                }
                None => (None, false, Vec::new()),
            };
            Ok(RefundLine {
                line_item_id: l.line_item_id.0,
                quantity: l.quantity.0,
                restock: match l.restock_type.as_deref() {
                    Some("return" | "cancel" | "legacy_restock") => Restock::Return,
                    _ => Restock::NoRestock,
                },
                subtotal: money(l.subtotal, l.subtotal_set.as_ref(), || {
                    format!("{}.subtotal", path())
                })?,
                tax: money(l.total_tax, l.total_tax_set.as_ref(), || {
                    format!("{}.total_tax", path())
                })
                .unwrap_or_default(),
                sku: sku.filter(|s| !s.is_empty()),
                original_taxes,
                unit_cost: None,
                gift_card,
            })
        })
        .collect()
}

/// Shopify signs adjustments from the order's side: a shipping refund of 5.00 is `amount: "-5.00"`
/// (refunded total = lines + tax − adjustments), so the canonical "money back" amount is negated.
fn adjustments(adjustments: Vec<wire::OrderAdjustment>) -> Vec<Adjustment> {
    adjustments
        .into_iter()
        .map(|a| Adjustment {
            kind: match a.kind.as_deref() {
                Some("shipping_refund") => AdjustmentKind::ShippingRefund,
                _ => AdjustmentKind::Discrepancy,
            },
            amount: -a.amount.0,
            tax: -a.tax_amount.map(|t| t.0).unwrap_or_default(),
            reason: a.reason,
        })
        .collect()
}

/// Successful money movements only: authorizations, voids and failed attempts moved nothing.
///
/// In a multi-currency order a transaction's `amount` is in the customer's (presentment) currency;
/// its shop-money twin in `amount_set` is what gets booked. A foreign-currency transaction without
/// that twin cannot be booked in shop money, so all transactions are dropped and the order total
/// falls to the order's gateway, exactly as for an order whose body carries no transactions.
pub(super) fn tenders(
    transactions: Vec<wire::Transaction>,
    path: &str,
    shop_currency: &str,
) -> Result<Vec<Tender>> {
    let foreign = |t: &wire::Transaction| {
        t.currency
            .as_deref()
            .is_some_and(|c| !c.eq_ignore_ascii_case(shop_currency))
            && t.amount_set
                .as_ref()
                .and_then(wire::MoneyBag::shop_amount)
                .is_none()
    };
    if transactions.iter().any(foreign) {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(transactions.len());
    for (i, t) in transactions.into_iter().enumerate() {
        let kind = match t.kind.as_str() {
            "sale" | "capture" => TenderKind::Payment,
            "refund" => TenderKind::Refund,
            _ => continue,
        };
        if !matches!(t.status.as_deref(), None | Some("success")) {
            continue;
        }
        let amount = t
            .amount_set
            .as_ref()
            .and_then(wire::MoneyBag::shop_amount)
            .unwrap_or(t.amount)
            .0;
        if amount.is_sign_negative() {
            return Err(LedgerError::InvalidAmount {
                path: format!("{path}[{i}].amount"),
                value: amount.to_string(),
                reason: "a transaction amount is never negative".to_string(),
            });
        }
        let fees = crate::money::checked::sum(
            t.fees.iter().map(|f| &f.amount.0),
            crate::money::checked::Lazy(|| format!("{path}[{i}].fees")),
        )?;
        let fee = t.fee.map(|f| f.0).or((!t.fees.is_empty()).then_some(fees));
        out.push(Tender {
            id: t.id.map(|id| id.0),
            gateway: t.gateway,
            kind,
            amount,
            fee,
            fee_unbooked: None,
            source_index: Some(i),
        });
    }
    Ok(out)
}
