//! A WooCommerce refund object (`GET /wc/v3/orders/{id}/refunds/{refund_id}`) → canonical refund.
//!
//! Woo signs everything in a refund object from the order's side: returned quantities and line
//! totals are negative, `amount` is positive. The canonical refund carries positive "money back".
//! The object names neither its order nor its currency, so the worker adds `order_id`, `currency`
//! and the order's `payment_method` before mapping it.

use super::taxes::title;
use super::{currency, gateway, limit, timestamp, wire};
use crate::error::{LedgerError, Result};
use crate::model::{
    Adjustment, AdjustmentKind, Refund, RefundLine, Restock, StandaloneRefund, TaxLine, Tender,
    TenderKind,
};
use crate::money::{checked, round_to};
use crate::platforms::de::required;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(super) fn standalone(p: wire::Payload) -> Result<StandaloneRefund> {
    let currency = currency(&required(p.currency.clone(), "currency")?, "currency")?;
    let order_id = required(p.order_id.clone().or(p.parent_id.clone()), "order_id")?.0;
    let created = required(p.date_created_gmt.as_deref(), "date_created_gmt")?;
    let processed_at = timestamp(created, "date_created_gmt")?;
    limit(p.line_items.len(), "line_items")?;
    limit(p.fee_lines.len(), "fee_lines")?;
    limit(p.shipping_lines.len(), "shipping_lines")?;
    let titles: BTreeMap<&str, String> = p
        .tax_lines
        .iter()
        .map(|t| {
            (
                t.rate_id.0.as_str(),
                title(&t.label, &t.rate_code, &t.rate_id.0),
            )
        })
        .collect();
    let originals = |taxes: &[wire::RateAmount]| -> Vec<TaxLine> {
        taxes
            .iter()
            .filter(|t| !t.total.0.is_zero())
            .map(|t| TaxLine {
                title: titles
                    .get(t.id.0.as_str())
                    .cloned()
                    .unwrap_or_else(|| format!("Tax rate {}", t.id.0)),
                rate: None,
                amount: -t.total.0,
            })
            .collect()
    };
    // Without `total_tax` the rates' amounts are summed, checked: an overflow names the list.
    let tax_of = |total_tax: Option<wire::Blank>,
                  taxes: &[wire::RateAmount],
                  path: &dyn Fn() -> String|
     -> Result<Decimal> {
        Ok(match total_tax {
            Some(t) => -t.0,
            None => -round_to(
                currency,
                checked::sum(taxes.iter().map(|t| &t.total.0), checked::Lazy(path))?,
            ),
        })
    };

    let mut lines = Vec::new();
    for (i, l) in p.line_items.iter().enumerate() {
        lines.push(RefundLine {
            line_item_id: refunded_item_id(l).unwrap_or_else(|| l.id.0.clone()),
            quantity: u32::try_from(l.quantity.0.unsigned_abs()).map_err(|_| {
                LedgerError::InvalidValue {
                    path: format!("line_items[{i}].quantity"),
                    value: l.quantity.0.to_string(),
                    reason: "quantity out of range".to_string(),
                }
            })?,
            // Woo's refund object does not say whether stock came back (`api_restock` is write-only).
            restock: Restock::NoRestock,
            subtotal: -l.total.0,
            tax: tax_of(l.total_tax, &l.taxes, &|| format!("line_items[{i}].taxes"))?,
            sku: l.sku.clone().filter(|s| !s.is_empty()),
            original_taxes: originals(&l.taxes),
            unit_cost: None,
            gift_card: false,
        });
    }
    for (i, f) in p.fee_lines.iter().enumerate() {
        lines.push(RefundLine {
            line_item_id: format!("fee:{}", f.id.0),
            quantity: 1,
            restock: Restock::NoRestock,
            subtotal: -f.total.0,
            tax: tax_of(f.total_tax, &f.taxes, &|| format!("fee_lines[{i}].taxes"))?,
            sku: None,
            original_taxes: originals(&f.taxes),
            unit_cost: None,
            gift_card: false,
        });
    }
    let mut adjustments = Vec::new();
    for (i, s) in p.shipping_lines.iter().enumerate() {
        adjustments.push(Adjustment {
            kind: AdjustmentKind::ShippingRefund,
            amount: -s.total.0,
            tax: Decimal::ZERO,
            reason: Some("shipping".to_string()),
        });
        // The engine titles a shipping refund's tax after the order's shipping lines, which a
        // refund alone does not carry; a tax-only line keeps this refund's own rate titles.
        let tax = tax_of(s.total_tax, &s.taxes, &|| {
            format!("shipping_lines[{i}].taxes")
        })?;
        if !tax.is_zero() {
            lines.push(RefundLine {
                line_item_id: format!("shipping_lines[{i}]"),
                quantity: 0,
                restock: Restock::NoRestock,
                subtotal: Decimal::ZERO,
                tax,
                sku: None,
                original_taxes: originals(&s.taxes),
                unit_cost: None,
                gift_card: false,
            });
        }
    }

    let parts = lines
        .iter()
        .flat_map(|l| [l.subtotal, l.tax])
        .chain(adjustments.iter().map(|a| a.amount))
        .try_fold(Decimal::ZERO, checked::add_or_none)
        .ok_or_else(|| LedgerError::AmountTooLarge {
            path: String::new(),
            value: "arithmetic overflow".to_string(),
        })?;
    let amount = p.amount.map_or(parts, |a| a.0);
    // `amount` takes precedence over the lines in Woo (a refund of an amount alone has no lines);
    // whatever the lines do not explain is refunded beyond them.
    let beyond = checked::sub(amount, parts, "amount")?;
    if !beyond.is_zero() {
        adjustments.push(Adjustment {
            kind: AdjustmentKind::Discrepancy,
            amount: beyond,
            tax: Decimal::ZERO,
            reason: Some(
                p.reason
                    .clone()
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "refund".to_string()),
            ),
        });
    }
    // `refunded_payment: false` is a manual refund: the money went back outside the gateway.
    let gateway = match p.refunded_payment {
        Some(false) => "manual".to_string(),
        _ => gateway(&p.payment_method),
    };
    let tenders = vec![Tender {
        id: None,
        gateway: gateway.clone(),
        kind: TenderKind::Refund,
        amount,
        fee: None,
        fee_unbooked: None,
        source_index: None,
    }];
    Ok(StandaloneRefund {
        currency,
        taxes_included: Some(false),
        gateway: Some(gateway),
        refund: Refund {
            id: p.id.0,
            order_id,
            processed_at,
            lines,
            adjustments,
            tenders,
        },
        customer: None,
    })
}

/// Woo links a refund line to the order line it returns through the `_refunded_item_id` meta.
fn refunded_item_id(line: &wire::LineItem) -> Option<String> {
    let meta = line
        .meta_data
        .iter()
        .find(|m| m.key == "_refunded_item_id")?;
    let text = meta.value?;
    let id = text.trim_matches('"');
    (!id.is_empty()).then(|| id.to_string())
}
