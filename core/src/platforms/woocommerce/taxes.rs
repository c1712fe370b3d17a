//! Per-line tax from Woo's per-rate figures.
//!
//! Woo keeps each item's `taxes[].total` unrounded (`"1.4784"`) when "round tax at subtotal" is on,
//! and rounds only the order's per-rate total (`tax_lines[].tax_total`, `shipping_tax_total`). That
//! rounded total is what the shop owes and what the customer paid, so it is split back over the
//! items in proportion to their unrounded shares (largest remainder): the lines of one rate sum to
//! Woo's figure exactly, and no rounding line is needed.

use super::wire;
use crate::error::{LedgerError, Result};
use crate::model::TaxLine;
use crate::money::{allocate, round_to, Currency};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What an order says about one tax rate.
pub(super) struct Rate {
    pub title: String,
    pub items_total: Decimal,
    pub shipping_total: Decimal,
}

/// Tax rates by `rate_id`, titled after their `label` (else `rate_code`, else `Tax rate <id>`).
pub(super) fn rates(lines: &[wire::TaxLine]) -> BTreeMap<String, Rate> {
    lines
        .iter()
        .map(|t| {
            let rate = Rate {
                title: title(&t.label, &t.rate_code, &t.rate_id.0),
                items_total: t.tax_total.0,
                shipping_total: t.shipping_tax_total.0,
            };
            (t.rate_id.0.clone(), rate)
        })
        .collect()
}

pub(super) fn title(label: &str, code: &str, id: &str) -> String {
    match (label.trim(), code.trim()) {
        ("", "") => format!("Tax rate {id}"),
        ("", code) => code.to_string(),
        (label, _) => label.to_string(),
    }
}

/// Which per-rate total a group of items draws on.
#[derive(Clone, Copy)]
pub(super) enum Pool {
    /// Line items and fees: `tax_total`.
    Items,
    /// Shipping lines: `shipping_tax_total`.
    Shipping,
}

/// Rounded tax lines for each item of `items` (each a list of its `taxes[]`), so that for every
/// rate the items' amounts add up to the rate's total in `pool`. A rate missing from `tax_lines`
/// falls back to rounding each share half-even.
pub(super) fn split(
    items: &[&[wire::RateAmount]],
    rates: &BTreeMap<String, Rate>,
    pool: Pool,
    currency: Currency,
    path: &str,
) -> Result<Vec<Vec<TaxLine>>> {
    let mut out: Vec<Vec<TaxLine>> = vec![Vec::new(); items.len()];
    // (rate id) -> [(item index, share)], in first-seen order per rate for determinism.
    let mut by_rate: BTreeMap<&str, Vec<(usize, Decimal)>> = BTreeMap::new();
    for (i, taxes) in items.iter().enumerate() {
        for t in taxes.iter().filter(|t| !t.total.0.is_zero()) {
            by_rate
                .entry(t.id.0.as_str())
                .or_default()
                .push((i, t.total.0));
        }
    }
    for (rate_id, shares) in by_rate {
        let weights: Vec<Decimal> = shares.iter().map(|(_, w)| *w).collect();
        let (title, parts) = match rates.get(rate_id) {
            Some(rate) => {
                let total = match pool {
                    Pool::Items => rate.items_total,
                    Pool::Shipping => rate.shipping_total,
                };
                let parts = allocate(total, &weights, currency.minor_units()).ok_or_else(|| {
                    LedgerError::InvalidAmount {
                        path: path.to_string(),
                        value: total.to_string(),
                        reason: format!(
                            "tax rate {rate_id} cannot be split over its items' shares"
                        ),
                    }
                })?;
                (rate.title.clone(), parts)
            }
            None => (
                format!("Tax rate {rate_id}"),
                weights.iter().map(|w| round_to(currency, *w)).collect(),
            ),
        };
        for ((item, _), amount) in shares.iter().zip(parts) {
            if let Some(slot) = out.get_mut(*item) {
                slot.push(TaxLine {
                    title: title.clone(),
                    rate: None,
                    amount,
                });
            }
        }
    }
    Ok(out)
}
