//! WooCommerce order → canonical order.
//!
//! Woo line `subtotal`/`total` are ex-tax whatever `prices_include_tax` says, with tax beside them
//! (`subtotal_tax`/`total_tax`), so the canonical order is always tax-exclusive: revenue is the
//! line `subtotal`, the coupon discount is `subtotal − total` (how Woo allocates coupons to lines),
//! and the tax booked is the tax after discount.

use super::gateway_fee::{self, GatewayFee};
use super::taxes::{self, Pool};
use super::{currency, gateway, limit, timestamp, wire};
use crate::error::{LedgerError, Result};
use crate::model::{
    Adjustment, AdjustmentKind, Discount, LineItem, Order, Refund, ShippingLine, Tender, TenderKind,
};
use crate::money::{checked, round_to, Currency};
use crate::platforms::de::required;
use crate::platforms::totals::{self, non_negative, Declared, Stated};
use rust_decimal::Decimal;

/// Statuses in which no money has been taken (unless `date_paid_gmt` says otherwise).
const UNPAID: [&str; 5] = [
    "pending",
    "on-hold",
    "cancelled",
    "failed",
    "checkout-draft",
];

pub(super) fn order(p: wire::Payload) -> Result<Order> {
    let currency = currency(&required(p.currency.clone(), "currency")?, "currency")?;
    let created = required(p.date_created_gmt.as_deref(), "date_created_gmt")?;
    let processed_at = match p.date_paid_gmt.as_deref().filter(|t| !t.is_empty()) {
        Some(paid) => timestamp(paid, "date_paid_gmt")?,
        None => timestamp(created, "date_created_gmt")?,
    };
    let version = match p.date_modified_gmt.as_deref() {
        Some(text) => timestamp(text, "date_modified_gmt")?,
        None => processed_at.clone(),
    };
    let status = required(p.status.as_deref(), "status")?;
    let paid = p.date_paid_gmt.as_deref().is_some_and(|t| !t.is_empty());
    let cancelled_unpaid = UNPAID.contains(&status) && !paid;
    let gateway = gateway(&p.payment_method);

    limit(p.line_items.len(), "line_items")?;
    limit(p.fee_lines.len(), "fee_lines")?;
    limit(p.shipping_lines.len(), "shipping_lines")?;
    limit(p.refunds.len(), "refunds")?;
    refuse_negatives(&p)?;
    let rates = taxes::rates(&p.tax_lines);
    let coupon = coupon_label(&p.coupon_lines);

    // Line items and fees share the per-rate `tax_total`, so their taxes are split together.
    let item_taxes: Vec<&[wire::RateAmount]> = p
        .line_items
        .iter()
        .map(|l| l.taxes.as_slice())
        .chain(p.fee_lines.iter().map(|f| f.taxes.as_slice()))
        .collect();
    let mut item_taxes =
        taxes::split(&item_taxes, &rates, Pool::Items, currency, "tax_lines")?.into_iter();
    let mut lines = Vec::with_capacity(p.line_items.len() + p.fee_lines.len());
    for (i, l) in p.line_items.iter().enumerate() {
        let path = format!("line_items[{i}]");
        let quantity = l
            .quantity
            .sold()
            .map_err(|reason| LedgerError::InvalidValue {
                path: format!("{path}.quantity"),
                value: l.quantity.0.to_string(),
                reason,
            })?;
        let discount =
            checked::sub_or_none(l.subtotal.0, l.total.0).ok_or_else(|| too_large(&path))?;
        let line = LineItem {
            id: l.id.0.clone(),
            sku: l.sku.clone().filter(|s| !s.is_empty()),
            title: l.name.clone(),
            product_type: None,
            vendor: None,
            tags: Vec::new(),
            quantity: quantity.0,
            unit_price: Decimal::ZERO,
            unit_cost: None,
            gift_card: false,
            discounts: if discount.is_zero() {
                Vec::new()
            } else {
                vec![Discount {
                    amount: discount,
                    code: coupon.clone(),
                }]
            },
            taxes: item_taxes.next().unwrap_or_default(),
        };
        lines.extend(priced(line, l.subtotal.0, currency, &path)?);
    }
    for f in &p.fee_lines {
        lines.push(fee(f, item_taxes.next().unwrap_or_default()));
    }

    let ship_taxes: Vec<&[wire::RateAmount]> = p
        .shipping_lines
        .iter()
        .map(|s| s.taxes.as_slice())
        .collect();
    let ship_taxes = taxes::split(&ship_taxes, &rates, Pool::Shipping, currency, "tax_lines")?;
    let shipping = p
        .shipping_lines
        .iter()
        .zip(ship_taxes)
        .map(|(s, taxes)| ShippingLine {
            title: s.method_title.clone(),
            price: s.total.0,
            discounts: Vec::new(),
            taxes,
        })
        .collect();

    let (fee, fee_unbooked) = match gateway_fee::read(&p.meta_data, &p.payment_method, currency)? {
        GatewayFee::Unknown => (None, None),
        GatewayFee::Booked(fee) => (Some(fee), None),
        GatewayFee::Unbookable(why) => (None, Some(why)),
    };
    let tenders = match p.total {
        Some(total) if !total.0.is_zero() => vec![Tender {
            id: p.transaction_id.clone().filter(|t| !t.is_empty()),
            gateway: gateway.clone(),
            kind: TenderKind::Payment,
            amount: total.0,
            fee,
            fee_unbooked,
            source_index: None,
        }],
        _ => Vec::new(),
    };
    let refunds = p
        .refunds
        .iter()
        .map(|r| summary_refund(r, &p.id.0, &version, &gateway))
        .collect();
    let name = p
        .number
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| p.id.0.clone());

    let declared = Declared {
        total: Stated::at("total", p.total.map(|t| t.0)),
        tax: Stated::at("total_tax", p.total_tax.map(|t| t.0)),
        discounts: Stated::absent(),
        parts: "line_items, fee_lines, shipping_lines and their taxes",
    };
    let order = Order {
        id: p.id.0,
        name: format!("#{name}"),
        processed_at,
        version,
        currency,
        presentment: None,
        taxes_included: false,
        cancelled_unpaid,
        channel: p.created_via.filter(|c| !c.is_empty()),
        tags: Vec::new(),
        lines,
        shipping,
        tip: Decimal::ZERO,
        tenders,
        gateway: Some(gateway),
        refunds,
        customer: None,
    };
    totals::check(&order, &declared)?;
    Ok(order)
}

/// The canonical line books `unit_price × quantity`. When Woo's ex-tax `subtotal` does not divide
/// exactly by the quantity (tax-inclusive shops: 3 × 10.00 incl. 20 % VAT is 25.00 ex-tax), the
/// line is split into `quantity − 1` units at the rounded unit price and one unit carrying the
/// remainder, so revenue and COGS stay exact; discount and taxes stay on the first part.
pub(crate) fn priced(
    mut line: LineItem,
    subtotal: Decimal,
    currency: Currency,
    path: &str,
) -> Result<Vec<LineItem>> {
    let quantity = Decimal::from(line.quantity);
    if line.quantity == 0 {
        if !subtotal.is_zero() {
            return Err(LedgerError::InvalidValue {
                path: format!("{path}.quantity"),
                value: "0".to_string(),
                reason: format!("a line of quantity 0 cannot carry a subtotal of {subtotal}"),
            });
        }
        return Ok(vec![line]);
    }
    let unit = checked::div_or_none(subtotal, quantity).ok_or_else(|| too_large(path))?;
    if checked::mul_or_none(unit, quantity) == Some(subtotal) {
        line.unit_price = unit;
        return Ok(vec![line]);
    }
    let rounded = round_to(currency, unit);
    let rest = checked::sub_or_none(quantity, Decimal::ONE)
        .and_then(|q| checked::mul_or_none(rounded, q))
        .and_then(|head| checked::sub_or_none(subtotal, head))
        .ok_or_else(|| too_large(path))?;
    let mut last = line.clone();
    line.quantity -= 1;
    line.unit_price = rounded;
    last.id = format!("{}#last-unit", last.id);
    last.quantity = 1;
    last.unit_price = rest;
    last.discounts = Vec::new();
    last.taxes = Vec::new();
    Ok(vec![line, last])
}

/// A fee charged to the customer is revenue. It becomes a line with `product_type = "fee"`, so a
/// `[[sales]] product_type = "fee"` rule can route fees to their own account (default
/// `Income:Sales`). A negative fee is Woo's way of giving a cart discount: booked as a discount.
fn fee(f: &wire::FeeLine, taxes: Vec<crate::model::TaxLine>) -> LineItem {
    // Negation only flips the sign bit of a Decimal, so it cannot overflow.
    let (unit_price, discounts) = if f.total.0.is_sign_negative() {
        (
            Decimal::ZERO,
            vec![Discount {
                amount: -f.total.0,
                code: Some(f.name.clone()),
            }],
        )
    } else {
        (f.total.0, Vec::new())
    };
    LineItem {
        id: format!("fee:{}", f.id.0),
        sku: None,
        title: if f.name.is_empty() {
            "fee".to_string()
        } else {
            format!("fee {}", f.name)
        },
        product_type: Some("fee".to_string()),
        vendor: None,
        tags: Vec::new(),
        quantity: 1,
        unit_price,
        unit_cost: None,
        gift_card: false,
        discounts,
        taxes,
    }
}

/// An order's `refunds[]` element is only a summary (id, reason, negative total): it becomes one
/// refund of that amount, not tied to lines, paid back through the order's payment method. The
/// summary has no date, so it is dated on the order's `date_modified_gmt`.
fn summary_refund(
    r: &wire::RefundSummary,
    order_id: &str,
    modified: &crate::model::Timestamp,
    gateway: &str,
) -> Refund {
    let amount = r.total.0.abs();
    Refund {
        id: r.id.0.clone(),
        order_id: order_id.to_string(),
        processed_at: modified.clone(),
        lines: Vec::new(),
        adjustments: vec![Adjustment {
            kind: AdjustmentKind::Discrepancy,
            amount,
            tax: Decimal::ZERO,
            reason: Some(
                r.reason
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "refund".to_string()),
            ),
        }],
        tenders: vec![Tender {
            id: None,
            gateway: gateway.to_string(),
            kind: TenderKind::Refund,
            amount,
            fee: None,
            fee_unbooked: None,
            source_index: None,
        }],
    }
}

/// Woo documents negative amounts only for refunds (their own objects, and the `refunds[]`
/// summaries) and for `fee_lines` (a negative fee is a cart discount, with negative tax). A
/// negative price, shipping charge or tax anywhere else would book revenue backwards unnoticed.
fn refuse_negatives(p: &wire::Payload) -> Result<()> {
    for (i, l) in p.line_items.iter().enumerate() {
        non_negative(l.subtotal.0, || format!("line_items[{i}].subtotal"))?;
        non_negative(l.total.0, || format!("line_items[{i}].total"))?;
        for (j, t) in l.taxes.iter().enumerate() {
            non_negative(t.total.0, || format!("line_items[{i}].taxes[{j}].total"))?;
        }
    }
    for (i, s) in p.shipping_lines.iter().enumerate() {
        non_negative(s.total.0, || format!("shipping_lines[{i}].total"))?;
        for (j, t) in s.taxes.iter().enumerate() {
            non_negative(t.total.0, || {
                format!("shipping_lines[{i}].taxes[{j}].total")
            })?;
        }
    }
    if let Some(total) = p.total {
        non_negative(total.0, || "total".to_string())?;
    }
    Ok(())
}

fn coupon_label(coupons: &[wire::CouponLine]) -> Option<String> {
    let codes: Vec<&str> = coupons
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    (!codes.is_empty()).then(|| codes.join(", "))
}

fn too_large(path: &str) -> LedgerError {
    LedgerError::AmountTooLarge {
        path: path.to_string(),
        value: "arithmetic overflow".to_string(),
    }
}
