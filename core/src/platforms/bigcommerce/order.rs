//! BigCommerce v2 order (+ products) → canonical order.

use super::{currency, exact, timestamp, wire};
use crate::error::{LedgerError, Result};
use crate::model::GIFT_CARD_GATEWAY;
use crate::model::{
    Adjustment, AdjustmentKind, Discount, LineItem, Order, Refund, ShippingLine, TaxLine, Tender,
    TenderKind,
};
use crate::money::checked::{self, Lazy};
use crate::money::Currency;
use crate::platforms::de;
use crate::platforms::totals::{self, non_negative, Declared, Stated};
use rust_decimal::Decimal;

/// `status_id`s with no money taken: Incomplete, Pending, Cancelled, Declined, Awaiting Payment.
const UNPAID: [u32; 5] = [0, 1, 5, 6, 7];
const UNPAID_NAMES: [&str; 5] = [
    "Incomplete",
    "Pending",
    "Cancelled",
    "Declined",
    "Awaiting Payment",
];
/// v2 products and orders carry a tax amount but no tax name (that needs `/v2/orders/{id}/taxes`).
pub const TAX_TITLE: &str = "Sales Tax";

pub(super) fn order(e: wire::Envelope) -> Result<Order> {
    let o = e.order;
    let cur = currency(&o.currency_code, "order.currency_code")?;
    let processed_at = timestamp(&o.date_created, "order.date_created")?;
    let version = match o.date_modified.as_deref().filter(|t| !t.is_empty()) {
        Some(text) => timestamp(text, "order.date_modified")?,
        None => processed_at.clone(),
    };
    let cancelled_unpaid = match o.status_id {
        Some(id) => UNPAID.contains(&id),
        None => o
            .status
            .as_deref()
            .is_some_and(|s| UNPAID_NAMES.iter().any(|n| n.eq_ignore_ascii_case(s))),
    };
    let inclusive = o.is_tax_inclusive_pricing;
    let money = |value: Option<crate::platforms::de::Dec>, path: &str| {
        amount(cur, value.map(|v| v.0).unwrap_or_default(), path)
    };
    if e.products.len() > de::ITEMS_MAX {
        return Err(LedgerError::LimitExceeded {
            path: "products".to_string(),
            what: "items".to_string(),
            limit: de::ITEMS_MAX,
        });
    }

    let mut lines = Vec::with_capacity(e.products.len() + 1);
    let mut allocated = Decimal::ZERO;
    for (i, p) in e.products.iter().enumerate() {
        let path = format!("products[{i}]");
        let ex = amount(cur, p.total_ex_tax.0, &format!("{path}.total_ex_tax"))?;
        let inc = amount(cur, p.total_inc_tax.0, &format!("{path}.total_inc_tax"))?;
        let tax = match p.total_tax {
            Some(t) => amount(cur, t.0, &format!("{path}.total_tax"))?,
            None => non_negative(
                checked::sub(inc, ex, Lazy(|| format!("{path}.total_inc_tax")))?,
                || format!("{path}.total_inc_tax"),
            )?,
        };
        let mut discounts = Vec::with_capacity(p.applied_discounts.len());
        for (j, d) in p.applied_discounts.iter().enumerate() {
            let amount = amount(
                cur,
                d.amount.0,
                &format!("{path}.applied_discounts[{j}].amount"),
            )?;
            allocated = checked::add(allocated, amount, &path)?;
            discounts.push(Discount {
                amount,
                code: d.code.clone().filter(|c| !c.is_empty()),
            });
        }
        let gift_card = p.kind.as_deref() == Some("giftcertificate");
        let line = LineItem {
            id: p.id.0.clone(),
            sku: p.sku.clone().filter(|s| !s.is_empty()),
            title: p.name.clone(),
            product_type: p.kind.clone(),
            vendor: None,
            tags: Vec::new(),
            quantity: p.quantity.0,
            unit_price: Decimal::ZERO,
            unit_cost: None,
            gift_card,
            discounts,
            taxes: tax_line(tax),
        };
        // With tax-inclusive pricing the engine takes the tax back out of the inclusive total.
        let gross = if inclusive { inc } else { ex };
        lines.extend(crate::platforms::woocommerce::priced(
            line, gross, cur, &path,
        )?);
    }

    // Order-level discounts that no product carries (a manual discount on the order).
    let order_discounts = checked::add(
        money(o.discount_amount, "order.discount_amount")?,
        money(o.coupon_discount, "order.coupon_discount")?,
        "order.discount_amount",
    )?;
    let unallocated = checked::sub(order_discounts, allocated, "order.discount_amount")?;
    if unallocated > Decimal::ZERO {
        let codes: Vec<&str> = e
            .coupons
            .iter()
            .map(|c| c.code.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        lines.push(LineItem {
            id: "order-discount".to_string(),
            sku: None,
            title: "order discount".to_string(),
            product_type: Some("discount".to_string()),
            vendor: None,
            tags: Vec::new(),
            quantity: 1,
            unit_price: Decimal::ZERO,
            unit_cost: None,
            gift_card: false,
            discounts: vec![Discount {
                amount: unallocated,
                code: (!codes.is_empty()).then(|| codes.join(", ")),
            }],
            taxes: Vec::new(),
        });
    }

    let method = e
        .shipping_addresses
        .iter()
        .map(|s| s.shipping_method.as_str())
        .find(|m| !m.is_empty());
    let mut shipping = Vec::new();
    let charges = [
        (
            method.unwrap_or("shipping"),
            o.shipping_cost_ex_tax,
            o.shipping_cost_inc_tax,
            "order.shipping_cost",
        ),
        (
            "handling",
            o.handling_cost_ex_tax,
            o.handling_cost_inc_tax,
            "order.handling_cost",
        ),
        (
            "gift wrapping",
            o.wrapping_cost_ex_tax,
            o.wrapping_cost_inc_tax,
            "order.wrapping_cost",
        ),
    ];
    for (title, ex, inc, path) in charges {
        let ex = money(ex, &format!("{path}_ex_tax"))?;
        let inc = match inc {
            Some(v) => amount(cur, v.0, &format!("{path}_inc_tax"))?,
            None => ex,
        };
        if ex.is_zero() && inc.is_zero() {
            continue;
        }
        shipping.push(ShippingLine {
            title: title.to_string(),
            price: if inclusive { inc } else { ex },
            discounts: Vec::new(),
            taxes: tax_line(non_negative(checked::sub(inc, ex, path)?, || {
                format!("{path}_inc_tax")
            })?),
        });
    }

    let gateway = gateway(&o.payment_method);
    let total = amount(cur, o.total_inc_tax.0, "order.total_inc_tax")?;
    let gift = money(o.gift_certificate_amount, "order.gift_certificate_amount")?;
    let credit = money(o.store_credit_amount, "order.store_credit_amount")?;
    let charged = checked::sub(
        checked::sub(total, gift, "order.total_inc_tax")?,
        credit,
        "order.total_inc_tax",
    )?;
    let mut tenders = Vec::new();
    // Store credit is money the store already owes the customer, like a gift card balance; the
    // default chart has no store-credit account, so it is redeemed through the gift-card liability.
    for (amount, id) in [
        (gift, "gift_certificate_amount"),
        (credit, "store_credit_amount"),
    ] {
        tenders.push(tender(id, GIFT_CARD_GATEWAY, TenderKind::Payment, amount));
    }
    tenders.push(tender("payment", &gateway, TenderKind::Payment, charged));
    tenders.retain(|t| !t.amount.is_zero());

    let refunded = money(o.refunded_amount, "order.refunded_amount")?;
    let refunds = if refunded.is_zero() {
        Vec::new()
    } else {
        vec![cumulative_refund(&o.id.0, refunded, &version, &gateway)]
    };

    let order = Order {
        id: o.id.0.clone(),
        name: format!("#{}", o.id.0),
        processed_at,
        version,
        currency: cur,
        presentment: None,
        taxes_included: inclusive,
        cancelled_unpaid,
        channel: o.order_source.filter(|s| !s.is_empty()),
        tags: Vec::new(),
        lines,
        shipping,
        tip: Decimal::ZERO,
        tenders,
        gateway: Some(gateway),
        refunds,
        customer: None,
    };
    // `total_inc_tax` is what the order came to before it was paid: gift certificates and store
    // credit pay part of it and are tenders, not lines, so they take nothing off the comparison.
    let declared = Declared {
        total: Stated::at("order.total_inc_tax", Some(total)),
        tax: Stated::absent(),
        discounts: Stated::absent(),
        parts: "products, the shipping, handling and wrapping costs, and their tax",
    };
    totals::check(&order, &declared)?;
    Ok(order)
}

/// BigCommerce documents no negative order amount (refunds are their own resource, with
/// `refunded_amount` positive), so every figure is exact to the minor unit and not negative.
fn amount(cur: Currency, value: Decimal, path: &str) -> Result<Decimal> {
    non_negative(exact(cur, value, path)?, || path.to_string())
}

fn tax_line(amount: Decimal) -> Vec<TaxLine> {
    if amount.is_zero() {
        return Vec::new();
    }
    vec![TaxLine {
        title: TAX_TITLE.to_string(),
        rate: None,
        amount,
    }]
}

fn tender(id: &str, gateway: &str, kind: TenderKind, amount: Decimal) -> Tender {
    Tender {
        id: Some(id.to_string()),
        gateway: gateway.to_string(),
        kind,
        amount,
        fee: None,
        fee_unbooked: None,
        source_index: None,
    }
}

/// `refunded_amount` is cumulative and undated. It becomes one refund per order (id
/// `<order id>-refunds`) dated on `date_modified`: a later partial refund is a new version of
/// the same refund, which the worker reverses and re-posts.
fn cumulative_refund(
    order_id: &str,
    amount: Decimal,
    modified: &crate::model::Timestamp,
    gateway: &str,
) -> Refund {
    Refund {
        id: format!("{order_id}-refunds"),
        order_id: order_id.to_string(),
        processed_at: modified.clone(),
        lines: Vec::new(),
        adjustments: vec![Adjustment {
            kind: AdjustmentKind::Discrepancy,
            amount,
            tax: Decimal::ZERO,
            reason: Some("refunded_amount".to_string()),
        }],
        tenders: vec![tender(
            "refunded_amount",
            gateway,
            TenderKind::Refund,
            amount,
        )],
    }
}

/// BigCommerce names the payment method for people (`"Credit Card"`, `"PayPal"`, `"Cash on
/// Delivery"`); an order naming none (manual, free) is `manual`.
fn gateway(method: &str) -> String {
    match method.trim() {
        "" => "manual".to_string(),
        m if m.eq_ignore_ascii_case("cash on delivery") => "cash_on_delivery".to_string(),
        m => m.to_string(),
    }
}
