//! Shopify order body → canonical order.

use super::{currency, limit, money, tax_lines, timestamp, wire};
use crate::error::Result;
use crate::model::GIFT_CARD_GATEWAY;
use crate::model::{Discount, LineItem, Order, Presentment, ShippingLine};
use crate::platforms::de::required;
use crate::platforms::totals::{self, non_negative, Declared, Stated};

/// Financial states in which a cancelled order never took money.
const UNPAID: [&str; 4] = ["pending", "voided", "authorized", "expired"];

pub(super) fn order(p: wire::Payload) -> Result<Order> {
    let id = required(p.id, "id")?.0;
    let currency = currency(&required(p.currency, "currency")?, "currency")?;
    let created = p.created_at.as_deref();
    let processed_text = required(p.processed_at.as_deref().or(created), "processed_at")?;
    let processed_path = if p.processed_at.is_some() {
        "processed_at"
    } else {
        "created_at"
    };
    let processed_at = timestamp(processed_text, processed_path)?;
    let version = match p.updated_at.as_deref() {
        Some(text) => timestamp(text, "updated_at")?,
        None => processed_at.clone(),
    };
    let presentment = match (p.presentment_currency.as_deref(), &p.total_price_set) {
        (Some(code), Some(bag)) => match &bag.presentment_money {
            Some(m) => Some(Presentment {
                currency: super::currency(code, "presentment_currency")?,
                total: m.amount.0,
            }),
            None => None,
        },
        _ => None,
    };
    let cancelled_unpaid = p.cancelled_at.is_some()
        && p.financial_status
            .as_deref()
            .is_some_and(|s| UNPAID.contains(&s));
    let gateway = p
        .payment_gateway_names
        .iter()
        .find(|g| g.as_str() != GIFT_CARD_GATEWAY)
        .or(p.payment_gateway_names.first())
        .cloned()
        .or(p.gateway);
    let tags = p
        .tags
        .as_deref()
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();

    let wire_lines = required(p.line_items, "line_items")?;
    limit(wire_lines.len(), "line_items")?;
    let apps = &p.discount_applications;
    let lines = wire_lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let path = || format!("line_items[{i}]");
            Ok(LineItem {
                id: l.id.0,
                sku: l.sku.filter(|s| !s.is_empty()),
                title: l.title,
                product_type: l.product_type.filter(|s| !s.is_empty()),
                vendor: l.vendor.filter(|s| !s.is_empty()),
                tags: Vec::new(),
                quantity: l.quantity.0,
                unit_price: non_negative(
                    money(l.price, l.price_set.as_ref(), || {
                        format!("{}.price", path())
                    })?,
                    || format!("{}.price", path()),
                )?,
                unit_cost: None,
                gift_card: l.gift_card,
                discounts: discounts(l.discount_allocations, apps, &path)?,
                taxes: tax_lines(l.tax_lines, &path)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    limit(p.shipping_lines.len(), "shipping_lines")?;
    let shipping = p
        .shipping_lines
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let path = || format!("shipping_lines[{i}]");
            let price = non_negative(
                money(s.price, s.price_set.as_ref(), || {
                    format!("{}.price", path())
                })?,
                || format!("{}.price", path()),
            )?;
            let mut discounts = discounts(s.discount_allocations, apps, &path)?;
            if let Some(discounted) = s
                .discounted_price
                .filter(|d| discounts.is_empty() && d.0 < price)
            {
                discounts.push(Discount {
                    amount: crate::money::checked::sub(
                        price,
                        discounted.0,
                        crate::money::checked::Lazy(|| format!("{}.discounted_price", path())),
                    )?,
                    code: None,
                });
            }
            Ok(ShippingLine {
                title: s.title,
                price,
                discounts,
                taxes: tax_lines(s.tax_lines, &path)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    limit(p.transactions.len(), "transactions")?;
    let tenders = super::refund::tenders(p.transactions, "transactions", currency.code())?;
    let refunds = p
        .refunds
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            super::refund::refund(r, &id, currency.code())
                .map_err(|e| e.within(&format!("refunds[{i}]")))
        })
        .collect::<Result<Vec<_>>>()?;

    // `total_price` is the order as placed; `current_total_price` is after refunds and edits,
    // which book as their own entries, so it is not what the sale entry must add up to.
    let declared = Declared {
        total: Stated::at(
            "total_price",
            super::optional_money(p.total_price, p.total_price_set.as_ref()),
        ),
        tax: Stated::at(
            "total_tax",
            super::optional_money(p.total_tax, p.total_tax_set.as_ref()),
        ),
        discounts: Stated::at(
            "total_discounts",
            super::optional_money(p.total_discounts, p.total_discounts_set.as_ref()),
        ),
        parts: "line_items, shipping_lines, their tax_lines and discount_allocations, and total_tip_received",
    };
    let tip = p.total_tip_received.map(|t| t.0).unwrap_or_default();
    let order = Order {
        id,
        name: p.name.unwrap_or_default(),
        processed_at,
        version,
        currency,
        presentment,
        taxes_included: p.taxes_included,
        cancelled_unpaid,
        channel: p.source_name,
        tags,
        lines,
        shipping,
        tip: non_negative(tip, || "total_tip_received".to_string())?,
        tenders,
        gateway,
        refunds,
        customer: None,
    };
    totals::check(&order, &declared)?;
    Ok(order)
}

fn discounts(
    allocations: Vec<wire::DiscountAllocation>,
    apps: &[wire::DiscountApplication],
    owner: &dyn Fn() -> String,
) -> Result<Vec<Discount>> {
    allocations
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let path = || format!("{}.discount_allocations[{i}].amount", owner());
            let amount = non_negative(money(a.amount, a.amount_set.as_ref(), path)?, path)?;
            let app = a.discount_application_index.and_then(|k| apps.get(k));
            let code = app.and_then(|a| a.code.clone().or_else(|| a.title.clone()));
            Ok(Discount { amount, code })
        })
        .collect()
}
