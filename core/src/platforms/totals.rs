//! The platform's own totals against what its lines add up to. Nothing else compares them: without
//! this, a line the platform never meant (a negative price, a dropped tax line) books silently, and
//! where the payment is derived from the lines (no transaction in the payload) even the balance
//! check cannot notice. A total absent from the payload is not checked: the fields are optional on
//! the wire (abridged and older payloads leave them out), and the lines alone still book.

use crate::error::{LedgerError, Result};
use crate::model::Order;
use crate::money::checked::{add, mul, sub};
use crate::money::format_amount;
use rust_decimal::Decimal;

/// A figure the payload states, and the JSON path it was read from.
pub(crate) struct Stated<'a> {
    pub value: Option<Decimal>,
    pub path: &'a str,
}

impl<'a> Stated<'a> {
    pub fn at(path: &'a str, value: Option<Decimal>) -> Self {
        Self { value, path }
    }

    pub fn absent() -> Self {
        Self {
            value: None,
            path: "",
        }
    }
}

/// The totals an order payload states: what the customer owes in all (before any refund), its tax,
/// and its discounts. `parts` names the fields the lines were read from, for the error message.
pub(crate) struct Declared<'a> {
    pub total: Stated<'a>,
    pub tax: Stated<'a>,
    pub discounts: Stated<'a>,
    pub parts: &'a str,
}

/// Compares each stated total with the order's lines. The tolerance is the journal's own rounding
/// rule, one minor unit per line (docs/conventions.md): the platform rounds per line, so a larger
/// difference is a payload that does not mean what its lines say, never something to absorb.
pub(crate) fn check(order: &Order, declared: &Declared<'_>) -> Result<()> {
    let mut goods = Decimal::ZERO;
    let mut tax = Decimal::ZERO;
    let mut discounts = Decimal::ZERO;
    let mut lines = 0usize;
    for line in &order.lines {
        let gross = mul(line.unit_price, line.quantity.into(), declared.parts)?;
        goods = add(goods, gross, declared.parts)?;
        for d in &line.discounts {
            discounts = add(discounts, d.amount, declared.parts)?;
        }
        for t in &line.taxes {
            tax = add(tax, t.amount, declared.parts)?;
        }
        lines += 1 + line.discounts.len() + line.taxes.len();
    }
    for ship in &order.shipping {
        goods = add(goods, ship.price, declared.parts)?;
        for d in &ship.discounts {
            discounts = add(discounts, d.amount, declared.parts)?;
        }
        for t in &ship.taxes {
            tax = add(tax, t.amount, declared.parts)?;
        }
        lines += 1 + ship.discounts.len() + ship.taxes.len();
    }
    let mut total = sub(goods, discounts, declared.parts)?;
    if !order.taxes_included {
        total = add(total, tax, declared.parts)?;
    }
    if !order.tip.is_zero() {
        total = add(total, order.tip, declared.parts)?;
        lines += 1;
    }
    let minor = Decimal::new(1, order.currency.minor_units());
    let tolerance = mul(minor, Decimal::from(lines.max(1)), declared.parts)?;
    for (stated, booked) in [
        (&declared.total, total),
        (&declared.tax, tax),
        (&declared.discounts, discounts),
    ] {
        let Some(value) = stated.value else {
            continue;
        };
        let difference = sub(value, booked, stated.path)?;
        if difference.abs() > tolerance {
            let cur = order.currency;
            return Err(LedgerError::TotalMismatch {
                path: stated.path.to_string(),
                declared: format_amount(cur, value),
                booked_from: declared.parts.to_string(),
                booked: format_amount(cur, booked),
                difference: format_amount(cur, difference.abs()),
                tolerance: format_amount(cur, tolerance),
            });
        }
    }
    Ok(())
}

/// Refuses a negative amount where the platform documents none (a price, a tax line, shipping).
pub(crate) fn non_negative(value: Decimal, path: impl FnOnce() -> String) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(LedgerError::NegativeAmount {
            path: path(),
            value: value.to_string(),
        });
    }
    Ok(value)
}
